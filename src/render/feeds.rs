//! Atom feeds, the sitemap and robots.txt: XML written directly, every URL
//! absolute. Entries carry the plain-text summary, escaped, so no markup
//! from an author reaches a feed reader.

use super::Published;
use crate::escape::markup as escape;
use crate::model::CaseStudy;
use crate::output::OutputFile;
use std::fmt::Write as _;

/// How many entries a feed holds.
const FEED_SIZE: usize = 20;

/// `/atom.xml` and one feed per theme.
pub fn feeds(published: &Published<'_>) -> Vec<OutputFile> {
    let config = &published.site.config;
    let mut files = vec![feed(published, "atom.xml", &config.title, "", published.newest_first.iter().copied())];
    for theme in config.themes.values() {
        let items = published.newest_first.iter().copied().filter(|c| c.themes.contains(&theme.slug));
        let title = format!("{}: {}", config.title, theme.label);
        files.push(feed(
            published,
            &format!("themes/{}/atom.xml", theme.slug),
            &title,
            &format!("themes/{}/", theme.slug),
            items,
        ));
    }
    files
}

fn feed<'a>(
    published: &Published<'_>,
    path: &str,
    title: &str,
    page: &str,
    items: impl Iterator<Item = &'a CaseStudy>,
) -> OutputFile {
    let config = &published.site.config;
    let base = &config.base_url;
    let items: Vec<&CaseStudy> = items.take(FEED_SIZE).collect();
    // The newest entry's date, not the clock, keeps builds reproducible. A
    // feed with no entries yet (a theme nobody has written about) is as new
    // as the site; only a site with no case studies at all has no date.
    let updated = items
        .first()
        .or(published.newest_first.first())
        .map_or_else(|| "1970-01-01".to_string(), |c| c.date.to_string());
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en-GB\">\n",
    );
    let _ = writeln!(xml, "  <title>{}</title>", escape(title));
    let _ = writeln!(xml, "  <subtitle>{}</subtitle>", escape(&config.description));
    let _ = writeln!(xml, "  <id>{}</id>", escape(&format!("{base}{path}")));
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&format!("{base}{path}"))
    );
    let _ =
        writeln!(xml, "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", escape(&format!("{base}{page}")));
    let _ = writeln!(xml, "  <updated>{updated}T00:00:00Z</updated>");
    let _ = writeln!(xml, "  <generator>practicebank</generator>");
    for c in items {
        let url = format!("{base}case-studies/{}/", c.slug);
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <title>{}</title>", escape(&c.title));
        let _ = writeln!(xml, "    <id>{}</id>", escape(&url));
        let _ = writeln!(xml, "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", escape(&url));
        let _ = writeln!(xml, "    <published>{}T00:00:00Z</published>", c.date);
        let _ = writeln!(xml, "    <updated>{}T00:00:00Z</updated>", c.date);
        let _ = writeln!(xml, "    <author><name>{}</name></author>", escape(&c.authority));
        for theme in c.themes.iter().filter_map(|t| config.themes.get(t)) {
            let _ =
                writeln!(xml, "    <category term=\"{}\" label=\"{}\"/>", escape(&theme.slug), escape(&theme.label));
        }
        let _ = writeln!(xml, "    <summary>{}</summary>", escape(&c.summary));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    OutputFile::bytes(path, xml)
}

/// The sitemap of the pages among `paths` (sorted): every `index.html`,
/// so not the 404 page.
pub fn sitemap(published: &Published<'_>, paths: &[String]) -> OutputFile {
    let base = &published.site.config.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let pages = paths.iter().filter_map(|p| p.strip_suffix("index.html")).filter(|p| p.is_empty() || p.ends_with('/'));
    for page in pages {
        let _ = write!(xml, "  <url><loc>{}</loc>", escape(&format!("{base}{page}")));
        let slug = page.strip_prefix("case-studies/").and_then(|s| s.strip_suffix('/'));
        if let Some(c) = slug.and_then(|s| published.by_slug.get(s)) {
            let _ = write!(xml, "<lastmod>{}</lastmod>", c.date);
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile::bytes("sitemap.xml", xml)
}

/// What to tell whoever builds a site whose `base_url` has a path
/// (`https://example.org/bank/`): crawlers read only the `robots.txt` at
/// the root of a host, so the one written into the site is never read, and
/// the line that leads them to the sitemap belongs in the root one.
pub fn robots_note(base_url: &str) -> Option<String> {
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    let path_start = base_url[after_scheme..].find('/').map_or(base_url.len(), |i| after_scheme + i);
    let (origin, path) = base_url.split_at(path_start);
    (path.len() > 1).then(|| {
        format!(
            "note: crawlers read only {origin}/robots.txt, never the one in this site at {base_url}robots.txt; \
             to lead them to this site's pages, add this line to the root one:\n  Sitemap: {base_url}sitemap.xml"
        )
    })
}

/// `robots.txt`: everything may be crawled, and where the sitemap is. Read
/// by crawlers only when `base_url` is the root of its host (see
/// [`robots_note`]).
pub fn robots(published: &Published<'_>) -> OutputFile {
    OutputFile::bytes(
        "robots.txt",
        format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", published.site.config.base_url),
    )
}

#[cfg(test)]
mod tests {
    use super::robots_note;

    #[test]
    fn a_note_only_when_the_base_url_has_a_path() {
        assert_eq!(robots_note("https://example.org/"), None);
        assert_eq!(robots_note("http://127.0.0.1:1111/"), None);
        let note = robots_note("https://example.org/bank/").unwrap();
        assert!(note.starts_with("note: crawlers read only https://example.org/robots.txt,"), "{note}");
        assert!(note.ends_with("\n  Sitemap: https://example.org/bank/sitemap.xml"), "{note}");
    }
}
