//! Guidance left in a case study: the text `practicebank new` writes where
//! the author's own words belong.
//!
//! Pure: takes a case-study file's text (LF line endings) and returns one
//! `guidance-left` diagnostic for every line that still holds [`MARKER`],
//! naming the field it is in and saying what to write there. The marker is
//! looked for on every line of the file, not in parsed values, so it is
//! found even in a file whose YAML is broken, and the line is exact. YAML
//! comment lines in the front matter are skipped: they are never shown.

use crate::diagnostic::{Diagnostic, Pos};

/// Every piece of guidance starts with this phrase, and no real case study
/// has reason to contain it.
pub const MARKER: &str = "Replace this:";

/// The code of the diagnostic.
pub const CODE: &str = "guidance-left";

/// Every line of `text` that still holds guidance, as a diagnostic.
pub fn check(file: &str, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut in_front_matter = false;
    let mut key = "";
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let fence = line.trim_end_matches([' ', '\t']) == "---";
        if number == 1 && fence {
            in_front_matter = true;
            continue;
        }
        if in_front_matter && fence {
            in_front_matter = false;
            key = BODY;
            continue;
        }
        if in_front_matter {
            let trimmed = line.trim_start();
            if trimmed.starts_with('#') {
                continue;
            }
            if !line.starts_with([' ', '\t', '-']) {
                if let Some((name, _)) = line.split_once(':') {
                    key = name.trim();
                }
            }
        }
        if let Some(byte) = line.find(MARKER) {
            let column = line[..byte].chars().count() + 1;
            let field = if key.is_empty() { "the front matter" } else { key };
            let place =
                if field == BODY { "the text after the front matter".to_string() } else { format!("`{field}`") };
            out.push(
                Diagnostic::error(
                    file,
                    Pos::new(number, column),
                    CODE,
                    format!("replace the guidance text in {place} with your own words"),
                )
                .with_help(help_for(field)),
            );
        }
    }
    out
}

/// Stands for the Markdown after the front matter in [`check`].
const BODY: &str = "(body)";

/// What to write in place of the guidance in `field`.
fn help_for(field: &str) -> String {
    let what = match field {
        "summary" => "write one or two sentences, at most 320 characters, on what you did and what difference it made",
        "why" => "say why you made a change: what children and young people told you, and what the survey showed",
        "what" => "say what you did, step by step, so that another authority could do it too",
        "impact" => "say what difference it is making, with real figures and what they are compared with",
        "figures" => {
            "say what the figure measures and who it is compared with, and put the real percentages in `value` and \
             `comparison`; if you have no survey figure, delete the whole entry from `- label:` down"
        }
        BODY => "write your own text, or delete the guidance",
        _ => "write your own words in place of the guidance",
    };
    format!("{what}; the guidance is the text from \"{MARKER}\" to the end of its paragraph")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_guidance_in_block_scalars_and_quoted_values() {
        let text = "---\ntitle: A\nwhy: |\n  Replace this: why?\n  More.\nfigures:\n  - label: \"Replace this: what\"\n    value: 0\n---\n";
        let found = check("f.md", text);
        let places: Vec<_> = found.iter().map(|d| (d.line, d.column, d.message.as_str())).collect();
        assert_eq!(
            places,
            vec![
                (Some(4), Some(3), "replace the guidance text in `why` with your own words"),
                (Some(7), Some(13), "replace the guidance text in `figures` with your own words"),
            ]
        );
        assert!(found.iter().all(|d| d.code == CODE && d.help.as_deref().is_some_and(|h| h.contains(MARKER))));
    }

    #[test]
    fn skips_yaml_comments_but_not_the_body() {
        let text = "---\n# Replace this: a comment is never shown\ntitle: A\n---\n# Replace this: a heading\n";
        let found = check("f.md", text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(5));
        assert!(found[0].message.contains("the text after the front matter"), "{}", found[0].message);
    }

    #[test]
    fn a_case_study_without_guidance_is_clean() {
        assert!(check("f.md", "---\ntitle: Replace this, the old way\nwhy: replace this: lower case\n---\n").is_empty());
    }
}
