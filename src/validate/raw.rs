//! The raw shapes of `site.yaml` and case-study front matter, as serde reads
//! them. Every field is optional and scalars that authors often get wrong
//! (percentages, years, themes) accept several shapes, so the checks in
//! `config` and `case_study` can word the problem instead of serde.
//! `deny_unknown_fields` everywhere: a typo never passes silently.

use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Keys a case study may have at the top level, in the order the format
/// document gives them.
pub const CASE_STUDY_KEYS: &[&str] = &[
    "title",
    "authority",
    "themes",
    "survey",
    "date",
    "summary",
    "why",
    "what",
    "impact",
    "figures",
    "quotes",
    "resources",
    "draft",
];
pub const FIGURE_KEYS: &[&str] = &["label", "value", "comparison", "comparison_label", "year"];
pub const QUOTE_KEYS: &[&str] = &["text", "by"];
pub const RESOURCE_KEYS: &[&str] = &["title", "file", "url"];
pub const CONFIG_KEYS: &[&str] =
    &["title", "description", "base_url", "repository", "theme", "themes", "surveys", "page_size", "search"];
/// The keys under `search:` in `site.yaml`.
pub const SEARCH_KEYS: &[&str] = &["glossary"];
pub const TERM_KEYS: &[&str] = &["label", "description"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCaseStudy {
    pub title: Option<String>,
    pub authority: Option<String>,
    pub themes: Option<OneOrMany>,
    pub survey: Option<String>,
    pub date: Option<String>,
    pub summary: Option<String>,
    pub why: Option<String>,
    pub what: Option<String>,
    pub impact: Option<String>,
    pub figures: Option<Vec<RawFigure>>,
    pub quotes: Option<Vec<RawQuote>>,
    pub resources: Option<Vec<RawResource>>,
    pub draft: Option<bool>,
}

/// `themes: housing` and `themes: [housing, celebration]` are both fine.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
    /// Anything else (`themes: 3`), for the check to report: serde_yaml's
    /// error for an untagged enum names neither the key nor its line.
    Other(IgnoredAny),
}

/// A number as written, or text where a number was wanted (`"92%"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum NumberOrText {
    Number(f64),
    Text(String),
    /// Anything else (`true`, a list), for the check to report, as above.
    Other(IgnoredAny),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    pub label: Option<String>,
    pub value: Option<NumberOrText>,
    pub comparison: Option<NumberOrText>,
    pub comparison_label: Option<String>,
    pub year: Option<NumberOrText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuote {
    pub text: Option<String>,
    pub by: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResource {
    pub title: Option<String>,
    pub file: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub repository: Option<String>,
    pub theme: Option<String>,
    pub themes: Option<BTreeMap<String, RawTerm>>,
    pub surveys: Option<BTreeMap<String, RawTerm>>,
    pub page_size: Option<NumberOrText>,
    /// Read from the YAML tree instead, where every problem has its line
    /// (see `search::glossary`).
    #[serde(rename = "search")]
    pub _search: Option<serde::de::IgnoredAny>,
}

/// A theme or survey in the vocabulary.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub label: Option<String>,
    pub description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key lists drive "unknown key" messages; serde's structs are the
    /// backstop. Every listed key must be one serde knows, or the two have
    /// drifted apart.
    fn assert_known<T: serde::de::DeserializeOwned + std::fmt::Debug>(keys: &[&str]) {
        for key in keys {
            let yaml = format!("{key}: null\n");
            if let Err(e) = serde_yaml::from_str::<T>(&yaml) {
                assert!(!e.to_string().contains("unknown field"), "`{key}` is listed but serde rejects it: {e}");
            }
        }
        let err = serde_yaml::from_str::<T>("not_a_key: 1\n").expect_err("unknown keys are rejected");
        let message = err.to_string();
        for key in keys {
            assert!(message.contains(&format!("`{key}`")), "serde knows `{key}` but it is not listed: {message}");
        }
        let serde_keys = message.matches('`').count() / 2 - 1;
        assert_eq!(serde_keys, keys.len(), "serde knows keys that are not listed: {message}");
    }

    #[test]
    fn key_lists_match_the_serde_types() {
        assert_known::<RawCaseStudy>(CASE_STUDY_KEYS);
        assert_known::<RawFigure>(FIGURE_KEYS);
        assert_known::<RawQuote>(QUOTE_KEYS);
        assert_known::<RawResource>(RESOURCE_KEYS);
        assert_known::<RawConfig>(CONFIG_KEYS);
        assert_known::<RawTerm>(TERM_KEYS);
    }
}
