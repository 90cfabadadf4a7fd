//! One case-study file: text in, a valid [`CaseStudy`] or its problems out.
//!
//! Pure: it sees the file's text, the validated `site.yaml` and the list of
//! asset files that `load` found, and touches no disk. All problems in the
//! file are collected, except that a file whose YAML cannot be read, or that
//! has unknown keys, stops there (serde would only repeat the same problem).

use super::fields::Checker;
use super::guidance;
use super::raw::{self, NumberOrText, OneOrMany, RawCaseStudy, RawFigure, RawQuote, RawResource};
use crate::date::{Date, DateError};
use crate::diagnostic::{Diagnostic, Pos};
use crate::frontmatter::{self, SplitError};
use crate::load::{Asset, SourceFile};
use crate::model::{CaseStudy, Comparison, Figure, Markdown, Quote, Resource, ResourceTarget, SiteConfig};
use crate::yaml::{self, Node};
use crate::{slug, suggest};
use std::collections::BTreeMap;

pub const MAX_TITLE: usize = 140;
pub const MAX_SUMMARY: usize = 320;
pub const MAX_THEMES: usize = 4;
pub const MAX_FIGURES: usize = 12;

/// Validates one case-study file: its fields, and that no guidance from
/// `practicebank new` is left in it.
pub fn validate(
    source: &SourceFile,
    config: &SiteConfig,
    assets: &BTreeMap<String, Asset>,
) -> Result<CaseStudy, Vec<Diagnostic>> {
    let guidance = guidance::check(&source.file, &source.text);
    match validate_fields(source, config, assets) {
        Ok(case_study) if guidance.is_empty() => Ok(case_study),
        Ok(_) => Err(guidance),
        Err(mut problems) => {
            problems.extend(guidance);
            Err(problems)
        }
    }
}

fn validate_fields(
    source: &SourceFile,
    config: &SiteConfig,
    assets: &BTreeMap<String, Asset>,
) -> Result<CaseStudy, Vec<Diagnostic>> {
    let file = source.file.as_str();
    let fm = frontmatter::split(&source.text).map_err(|e| vec![split_error(file, e)])?;
    let tree = yaml::parse(file, fm.yaml, fm.yaml_line).map_err(|d| vec![d])?;
    let mut check = Checker::new(file, &tree);
    if !known_keys(&mut check, &tree) {
        return Err(check.diagnostics);
    }
    if tree.entries().is_some_and(<[_]>::is_empty) {
        return Err(vec![Diagnostic::error(file, Pos::START, "empty-front-matter", "the front matter is empty")
            .with_help(
                "between the two `---` lines, add title, authority, themes, date, summary, why, what and impact",
            )]);
    }
    let raw: RawCaseStudy = match serde_yaml::from_str(fm.yaml) {
        Ok(raw) => raw,
        Err(e) => {
            check.serde_error(&e, fm.yaml_line);
            return Err(check.diagnostics);
        }
    };
    let slug = check_slug(&mut check, source);
    let case_study = fields(&mut check, raw, config, assets, source, fm.body, fm.body_line);
    match (check.diagnostics.is_empty(), case_study, slug) {
        (true, Some(mut case_study), Some(slug)) => {
            case_study.slug = slug;
            Ok(case_study)
        }
        _ => Err(check.diagnostics),
    }
}

fn split_error(file: &str, error: SplitError) -> Diagnostic {
    match error {
        SplitError::Missing => {
            Diagnostic::error(file, Pos::START, "no-front-matter", "the file does not start with front matter")
                .with_help(
                "the first line must be `---`, followed by the fields (title, authority, ...) and another `---` line",
            )
        }
        SplitError::Unclosed => Diagnostic::error(
            file,
            Pos::START,
            "unclosed-front-matter",
            "the front matter opened here is never closed",
        )
        .with_help(
            "add a line with just `---` after the last field (impact, figures, ...) and before the Markdown text",
        ),
    }
}

/// Unknown keys at every level. Returns whether all keys were known.
fn known_keys(check: &mut Checker<'_>, tree: &Node) -> bool {
    if !matches!(tree.kind, yaml::NodeKind::Map(_)) {
        check.error(
            tree.pos,
            "wrong-type",
            "the front matter must be a list of `key: value` lines",
            "start each line with a key such as `title:`",
        );
        return false;
    }
    let mut ok = check.known_keys(tree, raw::CASE_STUDY_KEYS, "a case study");
    for (list, keys, what) in [
        ("figures", raw::FIGURE_KEYS, "a figure"),
        ("quotes", raw::QUOTE_KEYS, "a quote"),
        ("resources", raw::RESOURCE_KEYS, "a resource"),
    ] {
        if let Some(yaml::NodeKind::Seq(items)) = tree.entry(list).map(|e| &e.value.kind) {
            for item in items {
                ok &= check.known_keys(item, keys, what);
            }
        }
    }
    ok
}

/// The slug from the file name, or a problem suggesting a better name.
fn check_slug(check: &mut Checker<'_>, source: &SourceFile) -> Option<String> {
    let suggested = slug::slugify(&source.stem);
    if source.extension != "md" {
        let name = if suggested.is_empty() { "a-name".to_string() } else { suggested };
        check.diagnostics.push(
            Diagnostic::file_error(
                check.file,
                "bad-file-name",
                format!("case-study files end in `.md`, not `.{}`", source.extension),
            )
            .with_help(format!("rename the file to `{name}.md`")),
        );
        return None;
    }
    if !slug::is_valid(&source.stem) {
        let help = if suggested.is_empty() {
            "use lowercase letters a-z, digits and hyphens, such as `coventry-celebrating-success.md`".to_string()
        } else {
            format!("rename the file to `{suggested}.md` (lowercase letters a-z, digits and hyphens only)")
        };
        check.diagnostics.push(
            Diagnostic::file_error(
                check.file,
                "bad-file-name",
                format!("the file name `{}.md` is not a valid slug", source.stem),
            )
            .with_help(help),
        );
        return None;
    }
    Some(source.stem.clone())
}

fn fields(
    check: &mut Checker<'_>,
    raw: RawCaseStudy,
    config: &SiteConfig,
    assets: &BTreeMap<String, Asset>,
    source: &SourceFile,
    body: &str,
    body_line: usize,
) -> Option<CaseStudy> {
    let top = Pos::START;
    let title = check.required_text("title", raw.title, Some(MAX_TITLE), top);
    let authority = check.required_text("authority", raw.authority, None, top);
    let authority_slug = authority.as_deref().map(slug::slugify);
    if authority_slug.as_deref() == Some("") {
        check.error(
            check.pos("authority"),
            "bad-authority",
            "the authority has no letters or digits",
            "write the local authority's name, such as `Coventry`",
        );
    }
    let themes = themes(check, raw.themes, config);
    let survey = raw
        .survey
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| term(check, "survey", s, config.surveys.keys(), "the surveys in site.yaml"));
    let date = date(check, raw.date);
    let summary = check.required_text("summary", raw.summary, Some(MAX_SUMMARY), top);
    let why = markdown(check, "why", raw.why);
    let what = markdown(check, "what", raw.what);
    let impact = markdown(check, "impact", raw.impact);
    let figures = figures(check, raw.figures.unwrap_or_default());
    let quotes = quotes(check, raw.quotes.unwrap_or_default());
    let resources = resources(check, raw.resources.unwrap_or_default(), &source.file, assets);
    Some(CaseStudy {
        slug: String::new(),
        file: source.file.clone(),
        title: title?,
        authority: authority?,
        authority_slug: authority_slug.filter(|s| !s.is_empty())?,
        themes: themes?,
        survey,
        date: date?,
        summary: summary?,
        why: why?,
        what: what?,
        impact: impact?,
        body: Markdown { text: body.to_string(), line: body_line },
        figures: figures?,
        quotes: quotes?,
        resources: resources?,
        draft: raw.draft.unwrap_or(false),
    })
}

fn markdown(check: &mut Checker<'_>, key: &str, value: Option<String>) -> Option<Markdown> {
    let text = check.required_text(key, value, None, Pos::START)?;
    // A block scalar (`why: |`) starts on the line after its key.
    let key_line = check.key_pos(key).line;
    let value_pos = check.pos(key);
    let line = if value_pos.line > key_line { value_pos.line } else { key_line.max(value_pos.line) };
    Some(Markdown { text, line })
}

fn themes(check: &mut Checker<'_>, raw: Option<OneOrMany>, config: &SiteConfig) -> Option<Vec<String>> {
    let list = match raw {
        Some(OneOrMany::One(one)) => vec![(one, "themes".to_string())],
        Some(OneOrMany::Many(many)) => many.into_iter().enumerate().map(|(i, t)| (t, format!("themes[{i}]"))).collect(),
        Some(OneOrMany::Other(_)) => {
            check.error(
                check.pos("themes"),
                "wrong-type",
                "`themes` must be a theme name or a list of theme names",
                "write for example `themes: [housing, celebration]`",
            );
            return None;
        }
        None => Vec::new(),
    };
    if list.is_empty() {
        check.required_text("themes", None, None, Pos::START);
        return None;
    }
    if list.len() > MAX_THEMES {
        check.error(
            check.pos("themes[4]"),
            "too-many-themes",
            format!("{} themes are listed; a case study has at most {MAX_THEMES}", list.len()),
            "keep the four themes that fit best",
        );
    }
    let mut out: Vec<String> = Vec::new();
    let mut ok = list.len() <= MAX_THEMES;
    for (theme, path) in list {
        let theme = theme.trim();
        if out.iter().any(|t| t == theme) {
            check.error(
                check.pos(&path),
                "duplicate-theme",
                format!("the theme `{theme}` is listed twice"),
                "remove one of them",
            );
            ok = false;
            continue;
        }
        match term(check, &path, theme, config.themes.keys(), "the themes in site.yaml") {
            Some(theme) => out.push(theme),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// A word that must be in a vocabulary (a theme or survey slug).
fn term<'k>(
    check: &mut Checker<'_>,
    path: &str,
    word: &str,
    vocabulary: impl Iterator<Item = &'k String> + Clone,
    what: &str,
) -> Option<String> {
    if vocabulary.clone().any(|v| v == word) {
        return Some(word.to_string());
    }
    let kind = if path.starts_with("survey") { "survey" } else { "theme" };
    let words = vocabulary.map(String::as_str);
    let slugged = slug::slugify(word);
    let help = if words.clone().any(|w| w == slugged) {
        format!("did you mean `{slugged}`?")
    } else {
        suggest::help_for(&slugged, words, what)
    };
    check.error(
        check.pos(path),
        if kind == "survey" { "unknown-survey" } else { "unknown-theme" },
        format!("`{word}` is not a {kind} in site.yaml"),
        format!("{help} (a new {kind} must first be added to site.yaml)"),
    );
    None
}

fn date(check: &mut Checker<'_>, raw: Option<String>) -> Option<Date> {
    let text = check.required_text("date", raw, None, Pos::START)?;
    match Date::parse(&text) {
        Ok(date) => Some(date),
        Err(DateError::Shape) => {
            let help = match day_month_year(&text) {
                Some(iso) => format!("write it as `{iso}` (year-month-day)"),
                None => "write the date as year-month-day, such as `2021-04-29`".to_string(),
            };
            check.error(check.pos("date"), "bad-date", format!("`{text}` is not a date in the form YYYY-MM-DD"), help);
            None
        }
        Err(DateError::NoSuchDay) => {
            check.error(
                check.pos("date"),
                "bad-date",
                format!("`{text}` is not a real day"),
                "check the month (01-12) and the day of the month",
            );
            None
        }
    }
}

/// `31/12/2021` or `31.12.2021`, read the British way, as an ISO date.
fn day_month_year(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let [d, m, y] = parts.as_slice() else { return None };
    let (d, m, y): (u8, u8, u16) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    let iso = format!("{y:04}-{m:02}-{d:02}");
    (y >= 1000 && Date::parse(&iso).is_ok()).then_some(iso)
}

fn figures(check: &mut Checker<'_>, raw: Vec<RawFigure>) -> Option<Vec<Figure>> {
    if raw.len() > MAX_FIGURES {
        check.error(
            check.pos(&format!("figures[{MAX_FIGURES}]")),
            "too-many-figures",
            format!("{} figures are listed; a case study has at most {MAX_FIGURES}", raw.len()),
            "keep the figures that matter most",
        );
    }
    let count = raw.len();
    let figures: Vec<Figure> = raw.into_iter().enumerate().filter_map(|(i, f)| figure(check, i, f)).collect();
    (figures.len() == count && count <= MAX_FIGURES).then_some(figures)
}

fn figure(check: &mut Checker<'_>, i: usize, raw: RawFigure) -> Option<Figure> {
    let at = |key: &str| format!("figures[{i}].{key}");
    let entry = check.pos(&format!("figures[{i}]"));
    let label = check.required_text(&at("label"), raw.label, None, entry);
    let value = match &raw.value {
        Some(v) => check.percentage(&at("value"), v),
        None => {
            check.required_text(&at("value"), None, None, entry);
            None
        }
    };
    let comparison_value = raw.comparison.as_ref().map(|c| check.percentage(&at("comparison"), c));
    let comparison_label = Checker::optional_text(raw.comparison_label);
    let comparison = match (comparison_value, comparison_label) {
        (None, None) => Ok(None),
        (Some(Some(value)), Some(label)) => Ok(Some(Comparison { value, label })),
        (Some(None), _) => Err(()),
        (Some(Some(_)), None) => {
            check.error(
                check.key_pos(&at("comparison")),
                "missing-comparison-label",
                "a comparison needs a `comparison_label` saying who it is",
                "add `comparison_label:` under `comparison`, such as `care leavers in other local authorities`",
            );
            Err(())
        }
        (None, Some(_)) => {
            check.error(
                check.key_pos(&at("comparison_label")),
                "missing-comparison",
                "`comparison_label` is given without a `comparison` figure",
                "add `comparison:` with the percentage it is compared with, or remove the label",
            );
            Err(())
        }
    };
    let year = match raw.year {
        None => Ok(None),
        Some(NumberOrText::Number(n)) if n.fract() == 0.0 && (1900.0..=2100.0).contains(&n) => Ok(Some(n as u16)),
        Some(_) => {
            check.error(
                check.pos(&at("year")),
                "bad-year",
                "`year` must be a year such as 2021",
                "write the four-digit year, without quotes",
            );
            Err(())
        }
    };
    Some(Figure { label: label?, value: value?, comparison: comparison.ok()?, year: year.ok()? })
}

fn quotes(check: &mut Checker<'_>, raw: Vec<RawQuote>) -> Option<Vec<Quote>> {
    let count = raw.len();
    let quotes: Vec<Quote> = raw
        .into_iter()
        .enumerate()
        .filter_map(|(i, q)| {
            let entry = check.pos(&format!("quotes[{i}]"));
            let text = check.required_text(&format!("quotes[{i}].text"), q.text, None, entry)?;
            Some(Quote { text, by: Checker::optional_text(q.by) })
        })
        .collect();
    (quotes.len() == count).then_some(quotes)
}

fn resources(
    check: &mut Checker<'_>,
    raw: Vec<RawResource>,
    source_file: &str,
    assets: &BTreeMap<String, Asset>,
) -> Option<Vec<Resource>> {
    let count = raw.len();
    let resources: Vec<Resource> =
        raw.into_iter().enumerate().filter_map(|(i, r)| resource(check, i, r, source_file, assets)).collect();
    (resources.len() == count).then_some(resources)
}

fn resource(
    check: &mut Checker<'_>,
    i: usize,
    raw: RawResource,
    source_file: &str,
    assets: &BTreeMap<String, Asset>,
) -> Option<Resource> {
    let entry = check.pos(&format!("resources[{i}]"));
    let title = check.required_text(&format!("resources[{i}].title"), raw.title, None, entry);
    let file = Checker::optional_text(raw.file);
    let url = Checker::optional_text(raw.url);
    let target = match (file, url) {
        (Some(_), Some(_)) => {
            check.error(
                entry,
                "resource-file-and-url",
                "a resource has both `file` and `url`",
                "split it into two resources, one with `file` and one with `url`",
            );
            None
        }
        (None, None) => {
            check.error(
                entry,
                "resource-no-target",
                "a resource needs a `file` or a `url`",
                "add `file:` with a file beside the case study, or `url:` with a web address",
            );
            None
        }
        (None, Some(url)) => check.web_url(&format!("resources[{i}].url"), &url).map(ResourceTarget::Url),
        (Some(file), None) => resource_file(check, &format!("resources[{i}].file"), &file, source_file, assets),
    };
    Some(Resource { title: title?, target: target? })
}

/// A resource file must be a file under `content/` that `load` found. The
/// path is resolved by text alone: nothing outside `content/` is looked at.
fn resource_file(
    check: &mut Checker<'_>,
    path: &str,
    file: &str,
    source_file: &str,
    assets: &BTreeMap<String, Asset>,
) -> Option<ResourceTarget> {
    let pos = check.pos(path);
    let outside = |check: &mut Checker<'_>| {
        check.error(pos, "resource-outside-content", "this resource path leads outside the content folder", "put the file beside the case study (or in a folder of the same name) and give its name, such as `slides.pdf`");
        None
    };
    if file.contains('\\') {
        check.error(
            pos,
            "bad-resource-path",
            "resource paths use `/` between folders, not `\\`",
            format!("write `{}`", file.replace('\\', "/")),
        );
        return None;
    }
    if file.starts_with('/') || file.contains(':') {
        return outside(check);
    }
    // The case study's folder, relative to content/.
    let source_in_content = source_file.strip_prefix("content/").unwrap_or(source_file);
    let mut parts: Vec<&str> = source_in_content.split('/').collect();
    parts.pop();
    for part in file.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return outside(check);
                }
            }
            part => parts.push(part),
        }
    }
    let resolved = parts.join("/");
    match assets.get(&resolved) {
        Some(Asset::File { size }) => Some(ResourceTarget::File { path: resolved, size: *size }),
        Some(Asset::OutsideContent) => outside(check),
        None if through_outside_link(&resolved, assets) => outside(check),
        None => {
            let folder = resolved.rsplit_once('/').map_or("", |(f, _)| f);
            let nearby = assets
                .keys()
                .filter_map(|k| k.strip_prefix(folder).and_then(|rest| rest.strip_prefix('/')))
                .filter(|name| !name.contains('/'));
            let name = resolved.rsplit('/').next().unwrap_or(&resolved);
            let help = match suggest::nearest(name, nearby) {
                Some(near) => format!("did you mean `{near}`? Resource files sit beside the case study"),
                None => {
                    "add the file beside the case study (or in a folder of the same name), or fix the name".to_string()
                }
            };
            check.error(pos, "resource-missing", format!("the resource file `{file}` does not exist"), help);
            None
        }
    }
}

/// Whether a folder on the way to `resolved` is a link out of `content/`:
/// `load` records such a link but does not walk into it.
fn through_outside_link(resolved: &str, assets: &BTreeMap<String, Asset>) -> bool {
    resolved.match_indices('/').any(|(i, _)| matches!(assets.get(&resolved[..i]), Some(Asset::OutsideContent)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_british_dates() {
        assert_eq!(day_month_year("31/12/2021").as_deref(), Some("2021-12-31"));
        assert_eq!(day_month_year("1.4.2021").as_deref(), Some("2021-04-01"));
        assert_eq!(day_month_year("31/02/2021"), None);
        assert_eq!(day_month_year("2021"), None);
    }
}
