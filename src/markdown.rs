//! Markdown fields to safe HTML.
//!
//! Pure: text in, HTML and the problems with its links out. pulldown-cmark
//! renders (tables, footnotes, strikethrough); quotes, dashes and dots stay
//! as the author typed them, as they do in every other field and output
//! (see `docs/content-format.md`); headings become `h3` and below, since
//! every field sits under a page `h2` (authors start at `#` or `##`), and
//! get ids; every link and image goes through a resolver the caller
//! supplies, which rewrites links between case studies and reports broken
//! ones; then ammonia removes anything executable (`<script>`, `on*=`
//! handlers, `javascript:` URLs) from the result, raw HTML included. A
//! field that shows nothing (only HTML comments, blank space) renders as
//! no HTML at all, so pages can leave out its heading.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;

/// What to do with a link or image address found in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Leave it as written (external links, `#fragments`).
    Keep,
    /// Write this address instead.
    Rewrite(String),
    /// A link that leads nowhere, and why.
    Broken(String),
}

/// A link or image that cannot be published as written: the address as
/// written, the line of the file it is on, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkProblem {
    pub line: usize,
    pub url: String,
    pub fault: LinkFault,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkFault {
    /// It leads nowhere, and why.
    Broken(String),
    /// An image with no text between its brackets: a screen reader has
    /// nothing to read out, and nothing shows if it cannot load.
    ImageWithoutText,
}

/// Sanitises rendered HTML. Built once and shared: ammonia's builder is
/// costly to set up and safe to use from many threads.
pub struct Sanitiser {
    cleaner: ammonia::Builder<'static>,
}

/// Ids we generate all start with this, and only ids that do survive
/// sanitising, so author HTML cannot clobber the ids the page's own
/// scripts rely on.
const ID_PREFIX: &str = "pb-";

impl Default for Sanitiser {
    fn default() -> Self {
        let mut cleaner = ammonia::Builder::default();
        cleaner
            .add_tag_attributes("h3", ["id"])
            .add_tag_attributes("h4", ["id"])
            .add_tag_attributes("h5", ["id"])
            .add_tag_attributes("h6", ["id"])
            .add_tag_attributes("div", ["id"])
            .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
            .add_allowed_classes("div", ["footnote-definition"])
            .attribute_filter(|_element, attribute, value| match attribute {
                "id" if !value.starts_with(ID_PREFIX) => None,
                _ => Some(Cow::Borrowed(value)),
            });
        Sanitiser { cleaner }
    }
}

impl Sanitiser {
    /// Renders `text`, which starts on line `first_line` of its file.
    /// `field` names the field (`why`), for unique heading ids.
    pub fn render(
        &self,
        text: &str,
        first_line: usize,
        field: &str,
        resolve: &mut dyn FnMut(&str) -> Resolved,
    ) -> (String, Vec<LinkProblem>) {
        let (events, problems) = events(text, first_line, field, resolve);
        let mut html = String::with_capacity(text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        let clean = valid_leftovers(&self.cleaner.clean(&html).to_string());
        (if shows_nothing(&clean) { String::new() } else { clean }, problems)
    }
}

/// Sanitised HTML made valid where removing an address left it invalid
/// (the Nu Html Checker runs over every page): a link whose `href` was
/// removed (`javascript:`) loses the `rel` ammonia gives every link, which
/// HTML allows only with `href`; an image whose `src` was removed is
/// dropped, having nothing to show.
fn valid_leftovers(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        // The tag ends at the first `>` outside quotes, so a value holding
        // one cannot cut it short, whatever the serialiser escapes.
        let mut quoted = false;
        let end = rest[start..]
            .char_indices()
            .find(|&(_, c)| {
                quoted ^= c == '"';
                c == '>' && !quoted
            })
            .map_or(rest.len(), |(i, _)| start + i + 1);
        let tag = &rest[start..end];
        let image_without_address = tag.starts_with("<img") && !tag.contains(" src=\"");
        if tag.starts_with("<a ") && !tag.contains(" href=\"") {
            out.push_str(&tag.replace(" rel=\"noopener noreferrer\"", ""));
        } else if !image_without_address {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Whether sanitised `html` shows a reader nothing: no text but blank
/// space (non-breaking spaces included) outside its tags, and no image or
/// rule. What is left of a field of HTML comments, which ammonia removes.
fn shows_nothing(html: &str) -> bool {
    let mut in_tag = false;
    let mut text = String::new();
    for (i, c) in html.char_indices() {
        match c {
            '<' => {
                let tag = html[i + 1..].get(..3).unwrap_or("").to_ascii_lowercase();
                if tag == "img" || tag.starts_with("hr") {
                    return false;
                }
                in_tag = true;
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&nbsp;", " ").trim().is_empty()
}

/// The problems with the links and images of `text` (starting on line
/// `first_line`) that [`Sanitiser::render`] would find, without making
/// any HTML: for `check`.
pub fn link_problems(text: &str, first_line: usize, resolve: &mut dyn FnMut(&str) -> Resolved) -> Vec<LinkProblem> {
    events(text, first_line, "", resolve).1
}

/// The events of `text` as the page shows them: headings demoted and given
/// ids from `field`, links and images resolved, footnotes named; and the
/// problems with its links and images.
fn events<'a>(
    text: &'a str,
    first_line: usize,
    field: &str,
    resolve: &mut dyn FnMut(&str) -> Resolved,
) -> (Vec<Event<'a>>, Vec<LinkProblem>) {
    // No smart punctuation: titles, summaries, quotes, feeds, search and
    // open data all show what the author typed, so fields must too.
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let line_of = |offset: usize| first_line + text[..offset].matches('\n').count();
    let mut broken = Vec::new();
    let mut events: Vec<Event<'a>> = Vec::new();
    let mut heading_text: Option<(usize, String)> = None;
    // An image being read: its line, address and text so far.
    let mut image: Option<(usize, String, String)> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading_text = Some((events.len(), String::new()));
                Event::Start(Tag::Heading { level: demote(level), id: None, classes: Vec::new(), attrs: Vec::new() })
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, words)) = heading_text.take() {
                    let id = format!("{ID_PREFIX}{field}-{}", crate::slug::slugify(&words));
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[start] {
                        *slot = Some(CowStr::from(id));
                    }
                }
                Event::End(TagEnd::Heading(demote(level)))
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = resolved(resolve, dest_url, line_of(range.start), &mut broken);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let line = line_of(range.start);
                image = Some((line, dest_url.to_string(), String::new()));
                let dest_url = resolved(resolve, dest_url, line, &mut broken);
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            Event::End(TagEnd::Image) => {
                if let Some((line, url, _)) = image.take().filter(|(_, _, text)| text.trim().is_empty()) {
                    broken.push(LinkProblem { line, url, fault: LinkFault::ImageWithoutText });
                }
                Event::End(TagEnd::Image)
            }
            Event::FootnoteReference(name) => Event::FootnoteReference(format!("{ID_PREFIX}{field}-fn-{name}").into()),
            Event::Start(Tag::FootnoteDefinition(name)) => {
                Event::Start(Tag::FootnoteDefinition(format!("{ID_PREFIX}{field}-fn-{name}").into()))
            }
            Event::Text(t) => {
                if let Some((_, words)) = &mut heading_text {
                    words.push_str(&t);
                }
                if let Some((_, _, words)) = &mut image {
                    words.push_str(&t);
                }
                Event::Text(t)
            }
            Event::Code(t) => {
                if let Some((_, _, words)) = &mut image {
                    words.push_str(&t);
                }
                Event::Code(t)
            }
            other => other,
        };
        events.push(event);
    }
    (events, broken)
}

/// The words of a Markdown text without its markup, for the search index:
/// text and code spans, with blocks separated by spaces. Raw HTML tags are
/// left out (the text between them stays), so markup never becomes
/// searchable words.
pub fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for event in
        Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH)
    {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            // Inline ends (emphasis, links) sit inside a line of words.
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') && !out.is_empty() => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.truncate(out.trim_end().len());
    out
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn resolved<'a>(
    resolve: &mut dyn FnMut(&str) -> Resolved,
    url: CowStr<'a>,
    line: usize,
    broken: &mut Vec<LinkProblem>,
) -> CowStr<'a> {
    match resolve(&url) {
        Resolved::Keep => url,
        Resolved::Rewrite(new) => new.into(),
        Resolved::Broken(reason) => {
            broken.push(LinkProblem { line, url: url.to_string(), fault: LinkFault::Broken(reason) });
            url
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> String {
        Sanitiser::default().render(text, 1, "why", &mut |_| Resolved::Keep).0
    }

    #[test]
    fn renders_tables_footnotes_and_punctuation_as_typed() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n\"Quoted\" text's -- end...[^1]\n\n[^1]: A note.\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("\"Quoted\" text's -- end..."), "{html}");
        assert!(html.contains("href=\"#pb-why-fn-1\""), "{html}");
        assert!(html.contains("id=\"pb-why-fn-1\""), "{html}");
    }

    #[test]
    fn demotes_headings_and_gives_them_ids() {
        assert_eq!(render("# Training plan\n").trim(), "<h3 id=\"pb-why-training-plan\">Training plan</h3>");
        assert_eq!(
            render("## Plan\n\n### Steps\n").trim(),
            "<h3 id=\"pb-why-plan\">Plan</h3>\n<h4 id=\"pb-why-steps\">Steps</h4>"
        );
    }

    #[test]
    fn a_field_that_shows_nothing_renders_nothing() {
        for blank in [
            "<!-- source: the 2022 report -->",
            "<!-- a -->\n\n<!-- b -->\n",
            "  \n\u{a0}\n",
            "&nbsp;",
            "<div>\n</div>",
            "<script>x</script>",
        ] {
            assert_eq!(render(blank), "", "{blank:?}");
        }
        for shown in ["<!-- a --> words", "![Awards](a.jpg)", "---", "<!-- a -->\n\n`0`"] {
            assert_ne!(render(shown), "", "{shown:?}");
        }
    }

    #[test]
    fn removes_executable_html() {
        let html = render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <a href=\"JaVaScRiPt:alert(1)\">y</a> <b id=\"search-input\">z</b>\n");
        for bad in ["<script", "onerror", "javascript:", "JaVaScRiPt", "search-input"] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
    }

    #[test]
    fn what_sanitising_leaves_is_valid_html() {
        let html = render("[a](javascript:alert(1)) <a title=\"x>y\" href=\"javascript:x\">b</a> [c](https://example.org/) ![d](javascript:alert(1)) ![e](e.png)\n");
        assert!(html.contains("<a>a</a>"), "no rel without href: {html}");
        assert!(html.contains("<a title=\"x&gt;y\">b</a>"), "{html}");
        assert!(html.contains("<a href=\"https://example.org/\" rel=\"noopener noreferrer\">c</a>"), "{html}");
        assert!(!html.contains("alt=\"d\""), "an image with no address is dropped: {html}");
        assert!(html.contains("<img src=\"e.png\" alt=\"e\">"), "{html}");
    }

    #[test]
    fn plain_text_keeps_words_only() {
        assert_eq!(
            plain_text("## Plan\n\nSee **the** [guide](x.md) and `code`.\n\n<b>raw</b>\n\n- one\n- two\n"),
            "Plan See the guide and code. raw one two"
        );
    }

    #[test]
    fn reports_broken_links_with_their_line() {
        let mut resolve = |url: &str| {
            if url == "missing.md" {
                Resolved::Broken("no such case study".into())
            } else {
                Resolved::Rewrite("../other/".into())
            }
        };
        let (html, broken) =
            Sanitiser::default().render("Intro\n\nSee [a](other.md) and\n[b](missing.md).\n", 10, "what", &mut resolve);
        assert!(html.contains("href=\"../other/\""), "{html}");
        assert_eq!(
            broken,
            vec![LinkProblem {
                line: 13,
                url: "missing.md".into(),
                fault: LinkFault::Broken("no such case study".into())
            }]
        );
    }

    #[test]
    fn reports_images_without_text_with_their_line() {
        let text = "![Awards evening](a.jpg)\n\n![](b.jpg) and ![  ](c.jpg)\n\n![`code`](d.jpg) [![](e.jpg)](x.md)\n";
        let (html, problems) = Sanitiser::default().render(text, 5, "what", &mut |_| Resolved::Keep);
        assert!(html.contains("alt=\"Awards evening\""), "{html}");
        let found: Vec<(usize, &str)> = problems
            .iter()
            .filter(|p| p.fault == LinkFault::ImageWithoutText)
            .map(|p| (p.line, p.url.as_str()))
            .collect();
        assert_eq!(found, vec![(7, "b.jpg"), (7, "c.jpg"), (9, "e.jpg")]);
    }
}
