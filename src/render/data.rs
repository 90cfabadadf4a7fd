//! Open data for analysts: every published case study's metadata as JSON,
//! and one CSV row per survey figure (UTF-8 with a byte order mark, for
//! Excel; cells a spreadsheet would run as formulas made inert). Text is
//! as authored.

use super::pages::{resource_rest, source_folder};
use super::Published;
use crate::model::ResourceTarget;
use crate::output::OutputFile;
use serde::Serialize;

#[derive(Serialize)]
struct DataFile<'a> {
    /// Bumped when a field changes meaning or goes away.
    version: u32,
    site: &'a str,
    base_url: &'a str,
    case_studies: Vec<Record<'a>>,
}

#[derive(Serialize)]
struct Record<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    authority: &'a str,
    authority_slug: &'a str,
    themes: &'a [String],
    survey: Option<&'a str>,
    date: String,
    summary: &'a str,
    figures: Vec<FigureRecord<'a>>,
    resources: Vec<ResourceRecord<'a>>,
}

#[derive(Serialize)]
struct FigureRecord<'a> {
    label: &'a str,
    value: f64,
    comparison: Option<f64>,
    comparison_label: Option<&'a str>,
    year: Option<u16>,
}

#[derive(Serialize)]
struct ResourceRecord<'a> {
    title: &'a str,
    /// Absolute URL of the download or link.
    url: String,
}

pub fn open_data(published: &Published<'_>) -> Vec<OutputFile> {
    let config = &published.site.config;
    let base = &config.base_url;
    let records = published
        .by_slug
        .values()
        .map(|c| Record {
            slug: &c.slug,
            url: format!("{base}case-studies/{}/", c.slug),
            title: &c.title,
            authority: &c.authority,
            authority_slug: &c.authority_slug,
            themes: &c.themes,
            survey: c.survey.as_deref(),
            date: c.date.to_string(),
            summary: &c.summary,
            figures: c
                .figures
                .iter()
                .map(|f| FigureRecord {
                    label: &f.label,
                    value: f.value,
                    comparison: f.comparison.as_ref().map(|x| x.value),
                    comparison_label: f.comparison.as_ref().map(|x| x.label.as_str()),
                    year: f.year,
                })
                .collect(),
            resources: c
                .resources
                .iter()
                .map(|r| ResourceRecord {
                    title: &r.title,
                    url: match &r.target {
                        ResourceTarget::Url(url) => url.clone(),
                        ResourceTarget::File { path, .. } => {
                            let rest = resource_rest(&c.slug, &source_folder(&c.file), path);
                            format!("{base}case-studies/{}/{rest}", c.slug)
                        }
                    },
                })
                .collect(),
        })
        .collect();
    let json = DataFile { version: 1, site: &config.title, base_url: base, case_studies: records };
    let mut json_text =
        crate::escape::json_inert(&serde_json::to_string_pretty(&json).expect("plain data always serialises"));
    json_text.push('\n');

    // A byte order mark first: Excel on Windows, where council staff open
    // this file, reads UTF-8 without one as the local code page, and every
    // accent or curly quote turns to mojibake. Other readers skip it.
    let mut csv = String::from("\u{feff}slug,title,authority,survey,year,label,value,comparison,comparison_label\n");
    for c in published.by_slug.values() {
        for f in &c.figures {
            let row = [
                c.slug.clone(),
                c.title.clone(),
                c.authority.clone(),
                c.survey.clone().unwrap_or_default(),
                f.year.map(|y| y.to_string()).unwrap_or_default(),
                f.label.clone(),
                f.value.to_string(),
                f.comparison.as_ref().map(|x| x.value.to_string()).unwrap_or_default(),
                f.comparison.as_ref().map(|x| x.label.clone()).unwrap_or_default(),
            ];
            csv.push_str(&row.iter().map(|cell| csv_cell(cell)).collect::<Vec<_>>().join(","));
            csv.push('\n');
        }
    }
    vec![OutputFile::bytes("data/case-studies.json", json_text), OutputFile::bytes("data/figures.csv", csv)]
}

/// One CSV cell (RFC 4180), with text that a spreadsheet would run as a
/// formula made inert.
fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-5"), "-5");
    }
}
