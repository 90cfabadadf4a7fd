//! `practicebank build` over fixture sites: every page type, links, feeds,
//! sitemap, open data, drafts, determinism, the staging swap, template
//! overrides and errors, and the output folders it must refuse.

use crate::harness::run_binary;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build").join(name)
}

/// A copy of a fixture site in a temporary folder, so tests can change it.
fn copy_of(name: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_dir(&fixture(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        // A build of the fixture itself may be writing its search cache.
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `build`; returns (exit status, stdout, stderr).
fn build(root: &Path, output: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["build", "--output", output.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = run_binary(&args, root, &[]);
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

/// Builds `root` into a new temporary folder, asserting success.
fn built(root: &Path, extra: &[&str]) -> TempDir {
    let out = tempfile::tempdir().unwrap();
    let (status, stdout, stderr) = build(root, &out.path().join("public"), extra);
    assert_eq!(status, 0, "build failed:\n{stdout}\n{stderr}");
    out
}

/// Every file under `dir`, relative path to bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir(dir) {
        let rel = entry.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        out.insert(rel, fs::read(&entry).unwrap());
    }
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn read(path: PathBuf) -> String {
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The values of every `href="..."` and `src="..."` in an HTML page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attribute) {
            rest = &rest[i + attribute.len()..];
            let end = rest.find('"').expect("attribute values are closed");
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Checks that every internal link and asset in every HTML page of `site`
/// (whose `base_url` is `base`) resolves to a file in the output.
fn assert_links_resolve(site: &Path, base: &str) {
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in walkdir(site).into_iter().filter(|p| p.extension().is_some_and(|e| e == "html")) {
        let html = read(page.clone());
        for link in links(&html) {
            let target = link.split(['#', '?']).next().unwrap_or("");
            let path = if let Some(inside) = target.strip_prefix(base) {
                site.join(inside)
            } else if target.is_empty() || target.contains(':') || target.starts_with("//") {
                continue;
            } else {
                assert!(
                    !target.starts_with('/'),
                    "{}: root-relative link {link} breaks under a base path",
                    page.display()
                );
                page.parent().unwrap().join(target)
            };
            let file =
                if link.split(['#', '?']).next().unwrap_or("").ends_with('/') { path.join("index.html") } else { path };
            checked += 1;
            if !file.is_file() {
                broken.push(format!("{} -> {link}", page.strip_prefix(site).unwrap().display()));
            }
        }
    }
    assert!(checked > 0, "no links were checked");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn writes_every_page_type() {
    let out = built(&fixture("basic"), &[]);
    let site = out.path().join("public");
    for page in [
        "index.html",
        "404.html",
        "case-studies/alpha-housing/index.html",
        "case-studies/alpha-housing/guide.txt",
        "case-studies/beta-celebrates/index.html",
        "themes/index.html",
        "themes/housing/index.html",
        "themes/housing/page/2/index.html",
        "themes/housing/atom.xml",
        "themes/celebration/index.html",
        "authorities/index.html",
        "authorities/alpha-borough/index.html",
        "surveys/your-life-beyond-care/index.html",
        "search/index.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "data/case-studies.json",
        "data/figures.csv",
    ] {
        assert!(site.join(page).is_file(), "missing {page}");
    }
    assert!(
        !site.join("themes/housing/page/3/index.html").exists(),
        "page_size 1 and 2 housing case studies make 2 pages"
    );
    assert_eq!(read(site.join("case-studies/alpha-housing/guide.txt")), "A guide to housing for care leavers.\n");
    assert_eq!(files(&site).keys().filter(|k| k.starts_with("assets/style.") && k.ends_with(".css")).count(), 1);
}

#[test]
fn a_case_study_page_has_its_sections_figures_and_meta() {
    let out = built(&fixture("basic"), &[]);
    let html = read(out.path().join("public/case-studies/alpha-housing/index.html"));
    for expected in [
        "<html lang=\"en-GB\">",
        "<title>Alpha finds homes \u{2013} Fixture Bank</title>",
        "<link rel=\"canonical\" href=\"https://example.org/bank/case-studies/alpha-housing/\">",
        "property=\"og:type\" content=\"article\"",
        "\"@type\":\"Article\"",
        ">Why?</h2>",
        ">What?</h2>",
        ">What difference is it making?</h2>",
        "<h3 id=\"pb-what-a-protocol\">A protocol</h3>",
        "<table>",
        "href=\"../beta-celebrates/#what\"",
        "href=\"guide.txt\"",
        "<svg class=\"chart\"",
        "Care leavers who feel safe where they live: 75% in Alpha Borough, compared with 64% among care leavers nationally (2021).",
        "https://github.com/example/bank/edit/main/content/case-studies/alpha-housing.md",
        "Contact the leaving care team.",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in the page");
    }
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    assert!(html.contains("TXT") && html.contains("37 bytes"), "file resources show type and size");
}

#[test]
fn every_internal_link_and_asset_resolves() {
    let out = built(&fixture("basic"), &[]);
    assert_links_resolve(&out.path().join("public"), "https://example.org/bank/");
    let example = built(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert_links_resolve(&example.path().join("public"), "https://example.org/practice-bank/");
}

#[test]
fn feeds_and_sitemap_are_valid_xml_with_absolute_urls() {
    let out = built(&fixture("basic"), &[]);
    let site = out.path().join("public");
    let atom = read(site.join("atom.xml"));
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml parses");
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    let entries: Vec<_> = root.children().filter(|n| n.has_tag_name("entry")).collect();
    assert_eq!(entries.len(), 2, "drafts stay out of feeds");
    let first_id = entries[0].children().find(|n| n.has_tag_name("id")).and_then(|n| n.text());
    assert_eq!(first_id, Some("https://example.org/bank/case-studies/beta-celebrates/"), "newest first");
    let updated = root.children().find(|n| n.has_tag_name("updated")).and_then(|n| n.text());
    assert_eq!(updated, Some("2022-06-30T00:00:00Z"), "the feed is as new as its newest entry");
    for link in doc.descendants().filter(|n| n.has_tag_name("link")) {
        assert!(link.attribute("href").unwrap().starts_with("https://example.org/bank/"));
    }
    let theme_feed = read(site.join("themes/celebration/atom.xml"));
    roxmltree::Document::parse(&theme_feed).expect("theme feed parses");

    let sitemap = read(site.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap parses");
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    assert!(locs.contains(&"https://example.org/bank/"));
    assert!(locs.contains(&"https://example.org/bank/case-studies/alpha-housing/"));
    assert!(locs.contains(&"https://example.org/bank/themes/housing/page/2/"));
    assert!(!locs.iter().any(|l| l.contains("404") || l.contains("gamma")), "{locs:?}");
    assert!(read(site.join("robots.txt")).contains("Sitemap: https://example.org/bank/sitemap.xml"));
}

#[test]
fn open_data_lists_case_studies_and_figures() {
    let out = built(&fixture("basic"), &[]);
    let site = out.path().join("public");
    let json: serde_json::Value = serde_json::from_str(&read(site.join("data/case-studies.json"))).expect("valid JSON");
    let studies = json["case_studies"].as_array().unwrap();
    assert_eq!(
        studies.iter().map(|c| c["slug"].as_str().unwrap()).collect::<Vec<_>>(),
        ["alpha-housing", "beta-celebrates"]
    );
    assert_eq!(studies[0]["figures"][0]["value"], 75.0);
    assert_eq!(studies[0]["resources"][0]["url"], "https://example.org/bank/case-studies/alpha-housing/guide.txt");
    let csv = read(site.join("data/figures.csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "\u{feff}slug,title,authority,survey,year,label,value,comparison,comparison_label");
    assert_eq!(lines[1], "alpha-housing,Alpha finds homes,Alpha Borough,your-life-beyond-care,2021,Care leavers who feel safe where they live,75,64,care leavers nationally");
    assert_eq!(lines.len(), 2);
}

#[test]
fn drafts_are_built_only_when_asked() {
    let without = built(&fixture("basic"), &[]);
    assert!(!without.path().join("public/case-studies/gamma-draft").exists());
    assert!(!read(without.path().join("public/themes/celebration/index.html")).contains("Gamma"));
    let with = built(&fixture("basic"), &["--drafts"]);
    assert!(with.path().join("public/case-studies/gamma-draft/index.html").is_file());
    assert!(read(with.path().join("public/authorities/gamma-shire/index.html")).contains("Gamma is still writing"));
}

#[test]
fn two_builds_are_byte_identical() {
    let a = built(&fixture("basic"), &[]);
    let b = built(&fixture("basic"), &[]);
    assert_eq!(files(&a.path().join("public")), files(&b.path().join("public")));
    let c = built(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    let d = built(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert_eq!(files(&c.path().join("public")), files(&d.path().join("public")));
}

#[test]
fn a_failed_build_leaves_the_previous_output_whole() {
    let site = copy_of("basic");
    let parent = tempfile::tempdir().unwrap();
    let output = parent.path().join("public");
    let (status, _, stderr) = build(site.path(), &output, &[]);
    assert_eq!(status, 0, "{stderr}");
    let before = files(&output);

    fs::write(site.path().join("content/case-studies/beta-celebrates.md"), "---\ntitle: broken\n").unwrap();
    let (status, _, stderr) = build(site.path(), &output, &[]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("content/case-studies/beta-celebrates.md:1:1: error[unclosed-front-matter]"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(files(&output), before, "the old site is untouched");
    let leftovers: Vec<_> = fs::read_dir(parent.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers, ["public"], "no staging folder is left behind");
}

#[test]
fn a_broken_link_names_the_file_and_line() {
    let site = copy_of("basic");
    let file = site.path().join("content/case-studies/beta-celebrates.md");
    let text = read(file.clone()).replace(
        "what: An awards evening, sponsored by local firms.",
        "what: |\n  An awards evening.\n\n  See [the plan](missing-plan.md).",
    );
    fs::write(&file, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (status, _, stderr) = build(site.path(), &out.path().join("public"), &[]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains("content/case-studies/beta-celebrates.md:11:1: error[broken-link]: the link `missing-plan.md` leads nowhere: there is no case study `missing-plan.md`"),
        "{stderr}"
    );
    assert!(!out.path().join("public").exists());
}

#[test]
fn a_link_to_a_draft_is_broken_unless_drafts_are_built() {
    let site = copy_of("basic");
    let file = site.path().join("content/case-studies/beta-celebrates.md");
    fs::write(
        &file,
        read(file.clone()).replace("why: Young people asked for it.", "why: Like [Gamma](gamma-draft.md)."),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (status, _, stderr) = build(site.path(), &out.path().join("public"), &[]);
    assert_eq!(status, 1);
    assert!(stderr.contains("`gamma-draft` is a draft, so it is not published"), "{stderr}");
    let (status, _, stderr) = build(site.path(), &out.path().join("public"), &["--drafts"]);
    assert_eq!(status, 0, "{stderr}");
}

#[test]
fn an_image_without_a_description_fails_with_its_line() {
    let site = copy_of("basic");
    let file = site.path().join("content/case-studies/beta-celebrates.md");
    let text = read(file.clone());
    let line = text.lines().position(|l| l.starts_with("why:")).unwrap() + 1;
    fs::write(
        &file,
        text.replace("why: Young people asked for it.", "why: Young people asked for it. ![](awards.png)"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (status, _, stderr) = build(site.path(), &out.path().join("public"), &[]);
    assert_eq!(status, 1, "{stderr}");
    let expected = format!(
        "content/case-studies/beta-celebrates.md:{line}:1: error[image-without-text]: the image `awards.png` has no description"
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(stderr.contains("between the square brackets"), "{stderr}");
    assert!(!out.path().join("public").exists());
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let out = built(&fixture("basic"), &[]);
    let not_found = read(out.path().join("public/404.html"));
    assert!(not_found.contains("Overridden by the site."));
    assert!(
        not_found.contains("href=\"https://example.org/bank/"),
        "404 links are absolute: it is served at any address"
    );
}

#[test]
fn a_template_error_names_the_template_and_line() {
    let site = copy_of("basic");
    fs::write(
        site.path().join("themes/default/templates/404.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.heading \n{% endblock content %}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (status, _, stderr) = build(site.path(), &out.path().join("public"), &[]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("themes/default/templates/404.html:"), "{stderr}");
    assert!(stderr.contains("error[template]"), "{stderr}");
}

#[test]
fn refuses_output_folders_that_would_destroy_work() {
    let site = copy_of("basic");
    let root = site.path();
    for output in [root.to_path_buf(), root.join("content"), root.join("content/case-studies/out")] {
        let (status, _, stderr) = build(root, &output, &[]);
        assert_eq!(status, 2, "{}: {stderr}", output.display());
        assert!(stderr.contains("refusing to write the site here"), "{stderr}");
    }
    fs::create_dir_all(root.join("notes")).unwrap();
    fs::write(root.join("notes/todo.txt"), "mine").unwrap();
    let (status, _, stderr) = build(root, &root.join("notes"), &[]);
    assert_eq!(status, 2);
    assert!(stderr.contains("did not write"), "{stderr}");
    assert_eq!(read(root.join("notes/todo.txt")), "mine");
    assert!(root.join("content/case-studies/alpha-housing.md").is_file());
}

#[test]
fn markup_in_plain_fields_is_text_everywhere() {
    let site = copy_of("basic");
    let file = site.path().join("content/case-studies/beta-celebrates.md");
    let text = read(file.clone())
        .replace("title: Beta celebrates success", "title: \"Beta <script>alert(1)</script> celebrates\"")
        .replace("summary: Beta holds", "summary: <img src=x onerror=alert(1)> Beta holds")
        .replace("what: An awards evening", "what: |\n  <script>alert(2)</script>\n\n  [x](javascript:alert(3)) <a href=\"JavaScript:alert(4)\">y</a> An awards evening");
    fs::write(&file, text).unwrap();
    let out = built(site.path(), &[]);
    let site_out = out.path().join("public");
    for (path, bytes) in files(&site_out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<script>alert"), "{path} runs a script");
        assert!(!text.contains("<img src=x onerror"), "{path} has an event handler");
        assert!(!text.to_lowercase().contains("=\"javascript:"), "{path} has a javascript: URL");
    }
    let page = read(site_out.join("case-studies/beta-celebrates/index.html"));
    assert!(page.contains("Beta &lt;script&gt;alert(1)&lt;/script&gt; celebrates"), "titles show as typed");
}

/// The headings of `html` (levels 1 to 6) with nothing under them: for
/// each, what follows up to the next heading of the same or a higher
/// level, or the end of the section, article or main element around it,
/// holds no text and no image. Each is given as `page: heading markup`.
fn headings_without_content(page: &str, html: &str) -> Vec<String> {
    let heading_at = |i: usize| {
        let bytes = html.as_bytes();
        (bytes.get(i..i + 2) == Some(b"<h") && bytes.get(i + 2).is_some_and(|b| (b'1'..=b'6').contains(b)))
            .then(|| bytes[i + 2] - b'0')
    };
    let mut empty = Vec::new();
    for (start, _) in html.match_indices("<h") {
        let Some(level) = heading_at(start) else { continue };
        let close = format!("</h{level}>");
        let Some(end) = html[start..].find(&close).map(|e| start + e + close.len()) else { continue };
        let mut stop = html.len();
        for closing in ["</section>", "</article>", "</main>", "</li>"] {
            if let Some(i) = html[end..].find(closing) {
                stop = stop.min(end + i);
            }
        }
        if let Some(next) = (end..stop).find(|&i| heading_at(i).is_some_and(|l| l <= level)) {
            stop = next;
        }
        let under = &html[end..stop];
        let mut text = String::new();
        let mut in_tag = false;
        for c in under.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text.replace("&nbsp;", " ").replace('\u{a0}', " ");
        if text.trim().is_empty() && !under.contains("<img") && !under.contains("<svg") {
            empty.push(format!("{page}: {}", &html[start..end]));
        }
    }
    empty
}

/// Every heading without content in every HTML page of `site`.
fn empty_headings(site: &Path) -> Vec<String> {
    walkdir(site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .flat_map(|p| {
            let page = p.strip_prefix(site).unwrap().display().to_string();
            headings_without_content(&page, &read(p))
        })
        .collect()
}

#[test]
fn no_section_heading_renders_without_content() {
    // Authors leave `<!-- source: ... -->` notes; a field holding only
    // those, or only blank space, has nothing to put under a heading.
    let site = copy_of("basic");
    let beta = site.path().join("content/case-studies/beta-celebrates.md");
    let text =
        read(beta.clone()).replace("why: Young people asked for it.", "why: \"<!-- source: the 2022 report -->\"");
    fs::write(&beta, format!("{text}\n<!-- source: the council's own notes -->\n\n<!-- checked in 2023 -->\n"))
        .unwrap();
    let alpha = site.path().join("content/case-studies/alpha-housing.md");
    let text = read(alpha.clone()).replace("Contact the leaving care team.", "  \n\u{a0}\n\n&nbsp;\n");
    fs::write(&alpha, text).unwrap();
    let out = built(site.path(), &[]);
    let public = out.path().join("public");
    let beta_page = read(public.join("case-studies/beta-celebrates/index.html"));
    assert!(!beta_page.contains("More about this work") && !beta_page.contains(">Why?<"), "{beta_page}");
    assert!(beta_page.contains(">What?</h2>"), "fields with words keep their heading");
    assert!(!read(public.join("case-studies/alpha-housing/index.html")).contains("More about this work"));
    assert_eq!(empty_headings(&public), Vec::<String>::new());
    // Every page type of the untouched fixture and of the example site.
    assert_eq!(empty_headings(&built(&fixture("basic"), &["--drafts"]).path().join("public")), Vec::<String>::new());
    let example = built(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert_eq!(empty_headings(&example.path().join("public")), Vec::<String>::new());
}

#[test]
fn the_example_case_studies_use_real_headings_not_bold_paragraphs() {
    // Authorities copy the examples: a paragraph that is all bold text is
    // a heading to the eye but not to a screen reader.
    let example = built(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    let pages = example.path().join("public/case-studies");
    let mut faked = Vec::new();
    for page in walkdir(&pages).into_iter().filter(|p| p.extension().is_some_and(|e| e == "html")) {
        let html = read(page.clone());
        for (i, _) in html.match_indices("<p><strong>") {
            let paragraph = &html[i..i + html[i..].find("</p>").unwrap() + 4];
            if paragraph.ends_with("</strong></p>") && paragraph.matches("<strong>").count() == 1 {
                faked.push(format!("{}: {paragraph}", page.strip_prefix(&pages).unwrap().display()));
            }
        }
    }
    assert_eq!(faked, Vec::<String>::new());
    let page = read(pages.join("oldham-supported-accommodation/index.html"));
    assert!(
        page.contains("<h3 id=\"pb-impact-managers-work-well-together\">Managers work well together</h3>"),
        "{page}"
    );
}

#[test]
fn a_theme_without_case_studies_has_a_feed_as_new_as_the_site() {
    let site = copy_of("basic");
    let yaml = site.path().join("site.yaml");
    fs::write(&yaml, read(yaml.clone()).replace("themes:\n", "themes:\n  education:\n    label: Education\n")).unwrap();
    let out = built(site.path(), &[]);
    let feed = read(out.path().join("public/themes/education/atom.xml"));
    let doc = roxmltree::Document::parse(&feed).expect("the feed parses");
    let root = doc.root_element();
    assert_eq!(root.children().filter(|n| n.has_tag_name("entry")).count(), 0);
    let updated = root.children().find(|n| n.has_tag_name("updated")).and_then(|n| n.text());
    assert_eq!(updated, Some("2022-06-30T00:00:00Z"), "the newest published case study's date, not 1970");
}

/// `html` with the entities the templates and the sanitiser write turned
/// back into characters, for comparing text as a reader sees it.
fn unescaped(html: &str) -> String {
    html.replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'").replace("&amp;", "&")
}

#[test]
fn quotes_and_dashes_are_as_authored_in_every_field_and_output() {
    let site = copy_of("basic");
    let beta = site.path().join("content/case-studies/beta-celebrates.md");
    let text = read(beta.clone())
        .replace("title: Beta celebrates success", "title: Beta's \"awards\" -- a success")
        .replace("summary: Beta holds", "summary: Beta's \"evening\" -- Beta holds")
        .replace("why: Young people asked for it.", "why: Young people's \"ask\" -- and 'more'...");
    fs::write(&beta, text).unwrap();
    let out = built(site.path(), &[]);
    let public = out.path().join("public");
    let page = unescaped(&read(public.join("case-studies/beta-celebrates/index.html")));
    for authored in [
        "Beta's \"awards\" -- a success",
        "Beta's \"evening\" -- Beta holds",
        "Young people's \"ask\" -- and 'more'...",
    ] {
        assert!(page.contains(authored), "{authored:?} is not shown as written:\n{page}");
    }
    let feed = unescaped(&read(public.join("atom.xml")));
    assert!(feed.contains("<title>Beta's \"awards\" -- a success</title>"), "{feed}");
    let data = read(public.join("data/case-studies.json"));
    assert!(data.contains(r#""title": "Beta's \"awards\" -- a success""#), "{data}");
    // Nowhere (pages, feeds, open data, the search index) gains curly
    // quotes, dashes or ellipses the author did not type.
    let changed =
        ["Beta\u{2019}s", "\u{201c}awards", "people\u{2019}s", "\u{201c}ask", "\u{2013} a success", "more\u{2019}"];
    for (path, bytes) in files(&public) {
        let text = String::from_utf8_lossy(&bytes);
        for typographic in changed {
            assert!(!text.contains(typographic), "{path} shows {typographic:?}: not what the author typed");
        }
    }
}

#[test]
fn figures_csv_starts_with_a_byte_order_mark_for_excel() {
    let out = built(&fixture("basic"), &[]);
    let csv = fs::read(out.path().join("public/data/figures.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}slug,title,".as_bytes()), "{:?}", String::from_utf8_lossy(&csv[..20]));
    assert_eq!(csv.iter().filter(|&&b| b == 0xef).count(), 1, "one mark, at the start");
}

#[test]
fn a_base_url_with_a_path_gets_a_note_about_robots_txt() {
    let (status, stdout, stderr) = build(&fixture("basic"), &tempfile::tempdir().unwrap().path().join("public"), &[]);
    assert_eq!(status, 0, "{stderr}");
    let notes: Vec<&str> = stdout.lines().chain(stderr.lines()).filter(|l| l.contains("robots.txt")).collect();
    assert_eq!(notes.len(), 1, "one note:\n{stdout}\n{stderr}");
    assert!(notes[0].starts_with("note: "), "{}", notes[0]);
    assert!(notes[0].contains("https://example.org/robots.txt"), "{}", notes[0]);
    assert!(stdout.contains("Sitemap: https://example.org/bank/sitemap.xml"), "{stdout}");

    let site = copy_of("basic");
    let yaml = site.path().join("site.yaml");
    fs::write(&yaml, read(yaml.clone()).replace("https://example.org/bank/", "https://bank.example.org/")).unwrap();
    let (status, stdout, stderr) = build(site.path(), &tempfile::tempdir().unwrap().path().join("public"), &[]);
    assert_eq!(status, 0, "{stderr}");
    assert!(!stdout.contains("robots.txt") && !stderr.contains("robots.txt"), "{stdout}\n{stderr}");
}

/// The `href` of the page's `<link rel="icon" ...>`, if it has one.
fn icon_href(html: &str) -> Option<String> {
    let start = html.find("<link rel=\"icon\"")?;
    let tag = &html[start..start + html[start..].find('>')?];
    links(tag).into_iter().next()
}

#[test]
fn every_page_links_an_icon_that_a_site_can_override() {
    let out = built(&fixture("basic"), &[]);
    let public = out.path().join("public");
    let pages: Vec<PathBuf> =
        walkdir(&public).into_iter().filter(|p| p.extension().is_some_and(|e| e == "html")).collect();
    assert!(pages.len() > 10);
    for page in &pages {
        let href = icon_href(&read(page.clone())).unwrap_or_else(|| panic!("{} links no icon", page.display()));
        let file = match href.strip_prefix("https://example.org/bank/") {
            Some(inside) => public.join(inside),
            None => page.parent().unwrap().join(&href),
        };
        assert!(file.is_file(), "{}: the icon {href} is not in the output", page.display());
        assert!(read(file).contains("<svg"), "{href} is an SVG");
    }

    let site = copy_of("basic");
    let mine = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\" fill=\"red\"/></svg>\n";
    fs::create_dir_all(site.path().join("themes/default/static")).unwrap();
    fs::write(site.path().join("themes/default/static/favicon.svg"), mine).unwrap();
    let out = built(site.path(), &[]);
    let home = read(out.path().join("public/index.html"));
    let href = icon_href(&home).expect("the home page links an icon");
    assert_eq!(read(out.path().join("public").join(&href)), mine, "the site's own icon is published");
}

#[test]
fn a_killed_builds_staging_folder_is_removed_by_the_next_build() {
    let parent = tempfile::tempdir().unwrap();
    let output = parent.path().join("public");
    // No process has this id (Linux's largest is 4194304): a build killed
    // with `kill -9` left these.
    for litter in [".public.staging-999999999", ".public.old-999999999"] {
        fs::create_dir_all(parent.path().join(litter).join("case-studies/x")).unwrap();
        fs::write(parent.path().join(litter).join("case-studies/x/index.html"), "stale").unwrap();
    }
    // A build still running (this test process) keeps its folder; so does
    // anything not named like a staging folder of this output.
    let running = format!(".public.staging-{}", std::process::id());
    for keep in [running.as_str(), ".other.staging-999999999", ".public.staging-notes"] {
        fs::create_dir_all(parent.path().join(keep)).unwrap();
    }
    let (status, stdout, stderr) = build(&fixture("basic"), &output, &[]);
    assert_eq!(status, 0, "{stdout}\n{stderr}");
    let mut left: Vec<String> =
        fs::read_dir(parent.path()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    let mut expected =
        vec![".other.staging-999999999".to_string(), ".public.staging-notes".into(), running, "public".into()];
    expected.sort();
    assert_eq!(left, expected);
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk {
    dir: TempDir,
}

impl SmallDisk {
    /// A `size` tmpfs, or `None` when this process may not mount one (only
    /// root may).
    fn mount(size: &str) -> Option<SmallDisk> {
        let uid = std::process::Command::new("id").arg("-u").output().ok()?;
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .ok()?;
        mounted.success().then_some(SmallDisk { dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let unmounted = std::process::Command::new("umount").arg(self.dir.path()).status();
        assert!(unmounted.is_ok_and(|s| s.success()), "cannot unmount {}", self.dir.path().display());
    }
}

#[test]
fn a_full_disk_is_one_error_saying_how_much_space_the_site_needs() {
    // The write stage's own test covers the counting with injected errors
    // on any machine; this is a real full disk, where one can be made.
    let Some(disk) = SmallDisk::mount("64k") else {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    };
    let output = disk.dir.path().join("public");
    let (status, stdout, stderr) = build(&fixture("basic"), &output, &[]);
    assert_eq!(status, 2, "{stdout}\n{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error[")).collect();
    assert_eq!(errors.len(), 1, "one error, not one per file:\n{stderr}");
    assert!(errors[0].contains("error[output]: the disk is full: this site needs "), "{stderr}");
    assert!(stderr.contains("build failed with 1 error"), "{stderr}");
    let left: Vec<_> = fs::read_dir(disk.dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "the staging folder is removed: {left:?}");
}
