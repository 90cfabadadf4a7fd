//! `practicebank schema`: the case-study front matter as a JSON Schema.
//!
//! In: a valid `site.yaml` ([`SiteConfig`]). Out: a JSON Schema (draft-07,
//! the newest draft the VS Code YAML extension fully supports) whose theme
//! and survey enums are that site's vocabulary. Pure.
//!
//! The schema states every rule of the validator that a schema can state:
//! keys, types, required fields, lengths (of the trimmed text, as the
//! validator counts), percentages, years, real dates, `http(s)` URLs, one of
//! `file` or `url`, a comparison with its label, and no guidance text left
//! from `practicebank new`. What it cannot state is left to `check`: that
//! resource files exist and stay inside `content/`, file names, slugs that
//! collide, duplicate keys and YAML anchors. The test suite holds the two
//! to the same verdict over every fixture (tests/testsuite/schema.rs).
//! `patternErrorMessage` is the YAML extension's own keyword, for messages
//! in the author's terms; other validators ignore it.

use crate::model::SiteConfig;
use crate::validate::{guidance, MAX_FIGURES, MAX_SUMMARY, MAX_THEMES, MAX_TITLE};
use serde_json::{json, Value};

/// Characters that `slug::slugify` keeps: what an authority's name needs at
/// least one of.
const SLUG_CHARACTERS: &str = "A-Za-z0-9à-åÀ-ÅçÇè-ëÈ-Ëì-ïÌ-ÏñÑò-öÒ-ÖøØù-üÙ-ÜýÿÝŵŴŷŶ";

/// A real day from 1900 on, as `YYYY-MM-DD`, leap years included.
const DATE_PATTERN: &str = concat!(
    r"^\s*(?:(?:19|[2-9]\d)\d\d-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)",
    r"|02-(?:0[1-9]|1\d|2[0-8]))|(?:(?:19|[2-9]\d)(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[3579][26])00)",
    r"-02-29)\s*$"
);

/// An absolute `http(s)` URL with a host, as `fields::check_web_url` wants.
const URL_PATTERN: &str = concat!(
    r#"^\s*[Hh][Tt][Tt][Pp][Ss]?://(?:[^/?#\s\x00-\x1f\x7f-\x9f"<>\\]*@)?"#,
    r#"[^:/?#@\s\x00-\x1f\x7f-\x9f"<>\\][^/?#@\s\x00-\x1f\x7f-\x9f"<>\\]*"#,
    r#"(?:[/?#][^\s\x00-\x1f\x7f-\x9f"<>\\]*)?\s*$"#
);

/// The schema of a case study's front matter on this site.
pub fn case_study_schema(config: &SiteConfig) -> Value {
    let themes: Vec<&str> = config.themes.keys().map(String::as_str).collect();
    let theme_labels: Vec<&str> = config.themes.values().map(|t| t.label.as_str()).collect();
    let surveys: Vec<&str> = config.surveys.keys().map(String::as_str).collect();
    let survey_labels: Vec<&str> = config.surveys.values().map(|s| s.label.as_str()).collect();
    let theme = json!({
        "type": "string",
        "enum": themes,
        "enumDescriptions": theme_labels,
        "description": "A theme from site.yaml",
    });
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$comment": "Written by `practicebank schema` from site.yaml; regenerate it rather than editing it.",
        "title": format!("A case study for {}", config.title),
        "description": "The front matter of a case study: the lines between the two `---` lines.",
        "type": "object",
        "additionalProperties": false,
        "required": ["title", "authority", "themes", "date", "summary", "why", "what", "impact"],
        "properties": {
            "title": text("The title: what you did, in a few words.", Some(MAX_TITLE)),
            "authority": {
                "allOf": [
                    text("The local authority's name, such as Coventry.", None),
                    {
                        "pattern": format!("[{SLUG_CHARACTERS}]"),
                        "patternErrorMessage": "Write the local authority's name, such as Coventry."
                    }
                ]
            },
            "themes": {
                "description": format!("1 to {MAX_THEMES} themes from site.yaml, such as [housing, celebration]."),
                "anyOf": [
                    theme,
                    {
                        "type": "array",
                        "items": theme,
                        "minItems": 1,
                        "maxItems": MAX_THEMES,
                        "uniqueItems": true
                    }
                ]
            },
            "survey": {
                "description": "The survey the figures come from (optional).",
                "anyOf": [
                    { "type": "string", "enum": surveys, "enumDescriptions": survey_labels },
                    { "type": "string", "pattern": r"^\s*$" },
                    { "type": "null" }
                ]
            },
            "date": {
                "description": "The date it was published, as year-month-day, such as 2021-04-29.",
                "type": "string",
                "pattern": DATE_PATTERN,
                "patternErrorMessage": "Write a date that exists as year-month-day, such as 2021-04-29."
            },
            "summary": text(
                "One or two sentences on what you did and what difference it made. Plain text, no Markdown.",
                Some(MAX_SUMMARY)
            ),
            "why": text("Why you made a change (Markdown).", None),
            "what": text("What you did (Markdown).", None),
            "impact": text("What difference it is making, with figures (Markdown).", None),
            "figures": optional(json!({
                "description": format!("Up to {MAX_FIGURES} survey figures."),
                "type": "array",
                "maxItems": MAX_FIGURES,
                "items": figure()
            })),
            "quotes": optional(json!({
                "description": "What children, young people or staff said.",
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["text"],
                    "properties": {
                        "text": text("The words said.", None),
                        "by": optional_text(json!({
                            "type": ["string", "number", "boolean"],
                            "description": "Who said it, such as: Care leaver, aged 19.",
                            "allOf": [no_guidance()]
                        }))
                    }
                }
            })),
            "resources": optional(json!({
                "description": "Downloads and links.",
                "type": "array",
                "items": resource()
            })),
            "draft": optional(json!({
                "type": "boolean",
                "description": "true to leave it out of the site until it is ready."
            }))
        }
    })
}

fn figure() -> Value {
    let percentage =
        |description: &str| json!({ "type": "number", "minimum": 0, "maximum": 100, "description": description });
    // The validator takes a blank `comparison_label` as absent, so each of
    // the pair needs the other only when it is really there.
    let given_comparison = json!({ "required": ["comparison"], "properties": { "comparison": { "type": "number" } } });
    let given_label = json!({
        "required": ["comparison_label"],
        "properties": { "comparison_label": { "type": "string", "pattern": r"\S" } }
    });
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["label", "value"],
        "allOf": [
            { "if": given_comparison, "then": given_label },
            { "if": given_label, "then": given_comparison }
        ],
        "properties": {
            "label": text("What the figure counts, such as: Care leavers who feel settled where they live.", None),
            "value": percentage("Your percentage, 0 to 100, without the % sign."),
            "comparison": optional(percentage("The percentage it is compared with, 0 to 100.")),
            "comparison_label": optional_text(text(
                "Who the comparison is, such as: care leavers in other local authorities.",
                None
            )),
            "year": optional(json!({ "type": "integer", "minimum": 1900, "maximum": 2100, "description": "The survey year." }))
        }
    })
}

fn resource() -> Value {
    let given = json!({ "type": "string", "pattern": r"\S" });
    let blank = json!({ "anyOf": [{ "type": "null" }, { "type": "string", "pattern": r"^\s*$" }] });
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["title"],
        "properties": {
            "title": text("What the download or link is, such as: Slide deck (PDF).", None),
            "file": optional_text(json!({
                "type": "string",
                "description": "A file beside the case study, such as slides.pdf.",
                "pattern": r"^\s*[^\s\\/:][^\\:]*$",
                "patternErrorMessage": "Give the name of a file beside the case study, such as slides.pdf, with / between folders."
            })),
            "url": optional_text(json!({
                "type": "string",
                "description": "A web address starting with https://.",
                "pattern": URL_PATTERN,
                "patternErrorMessage": "Use a full web address starting with https:// (or http://)."
            }))
        },
        "oneOf": [
            { "required": ["file"], "properties": { "file": given, "url": blank } },
            { "required": ["url"], "properties": { "url": given, "file": blank } }
        ]
    })
}

/// Text the validator trims: not blank, at most `max` characters once
/// trimmed, and holding no guidance.
fn text(description: &str, max: Option<usize>) -> Value {
    let mut rules =
        vec![json!({ "pattern": r"\S", "patternErrorMessage": "This is empty: write it in." }), no_guidance()];
    if let Some(max) = max {
        rules.push(json!({
            "pattern": format!(r"^\s*[\s\S]{{0,{max}}}\s*$"),
            "patternErrorMessage": format!("This is longer than {max} characters: shorten it.")
        }));
    }
    // The validator reads any scalar as text (`title: 2021` is the title
    // "2021"); the patterns constrain only strings.
    json!({ "type": ["string", "number", "boolean"], "description": description, "allOf": rules })
}

/// No guidance from `practicebank new` anywhere in the text.
fn no_guidance() -> Value {
    json!({
        "pattern": format!("^(?![\\s\\S]*{})", regex_escape(guidance::MARKER)),
        "patternErrorMessage": format!("Replace the guidance text (it starts \"{}\") with your own words.", guidance::MARKER)
    })
}

/// An optional field: the validator takes `key:` with no value as absent.
fn optional(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }] })
}

/// An optional text field, which may also be blank: the validator trims it
/// and takes blank text as absent.
fn optional_text(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }, { "type": "string", "pattern": r"^\s*$" }] })
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\^$.|?*+()[]{}".contains(c);
            special.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::slug;
    use crate::validate::{validate_config, CASE_STUDY_KEYS, FIGURE_KEYS, QUOTE_KEYS, RESOURCE_KEYS};

    fn matcher(pattern: &str) -> jsonschema::Validator {
        jsonschema::validator_for(&json!({ "type": "string", "pattern": pattern })).expect("a valid pattern")
    }

    #[test]
    fn the_date_pattern_accepts_exactly_the_real_days() {
        let dates = matcher(DATE_PATTERN);
        let start = Date::parse("1900-01-01").unwrap().days_since_epoch();
        for day in (start..start + 366 * 3).chain(start + 36_500..start + 36_500 + 366 * 5) {
            let date = Date::from_days_since_epoch(day).unwrap();
            assert!(dates.is_valid(&json!(date.to_string())), "{date}");
        }
        assert!(!dates.is_valid(&json!("1899-12-31")));
        for year in [1900, 1996, 2000, 2023, 2024, 2100, 2400, 3000] {
            for (month, day) in [(2, 28), (2, 29), (2, 30), (4, 30), (4, 31), (12, 31), (12, 32), (13, 1), (0, 1)] {
                let text = format!("{year:04}-{month:02}-{day:02}");
                assert_eq!(dates.is_valid(&json!(text)), Date::parse(&text).is_ok(), "{text}");
            }
        }
        assert!(!dates.is_valid(&json!("31/12/2021")));
        assert!(dates.is_valid(&json!("2021-04-29")));
    }

    #[test]
    fn the_authority_pattern_matches_what_slugify_keeps() {
        let letters = matcher(&format!("[{SLUG_CHARACTERS}]"));
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let text = c.to_string();
            assert_eq!(letters.is_valid(&json!(text)), !slug::slugify(&text).is_empty(), "{c:?}");
        }
    }

    #[test]
    fn the_url_pattern_agrees_with_the_url_check() {
        let urls = matcher(URL_PATTERN);
        for url in [
            "https://www.coramvoice.org.uk/brightspots",
            "HTTP://example.org",
            "https://user@example.org/x?y#z",
            "https://a@",
            "https://a@b@c/d@e",
            "https://a/@",
            "https://host:8080/path",
            "https://:80",
            "https://",
            "javascript:alert(1)",
            "https://exa mple.org",
            "//example.org",
            "https://example.org/<x>",
            " https://example.org ",
        ] {
            let expected = crate::validate::check_web_url(url).is_ok();
            assert_eq!(urls.is_valid(&json!(url)), expected, "{url}");
        }
    }

    #[test]
    fn the_schema_knows_every_key_and_only_those() {
        let config =
            validate_config("title: T\ndescription: D\nbase_url: https://e.org/\nthemes:\n  a:\n    label: A\n")
                .expect("valid");
        let schema = case_study_schema(&config);
        let keys = |value: &Value| -> Vec<String> {
            value.as_object().expect("properties").keys().cloned().collect::<Vec<_>>()
        };
        let sorted = |keys: &[&str]| {
            let mut keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            keys.sort();
            keys
        };
        let properties = &schema["properties"];
        assert_eq!(keys(properties), sorted(CASE_STUDY_KEYS));
        assert_eq!(keys(&properties["figures"]["anyOf"][0]["items"]["properties"]), sorted(FIGURE_KEYS));
        assert_eq!(keys(&properties["quotes"]["anyOf"][0]["items"]["properties"]), sorted(QUOTE_KEYS));
        assert_eq!(keys(&properties["resources"]["anyOf"][0]["items"]["properties"]), sorted(RESOURCE_KEYS));
        jsonschema::draft7::new(&schema).expect("the schema is valid draft-07");
    }
}
