//! The sector's vocabulary: groups of words and phrases that people use for
//! the same thing ("LAC", "looked after children", "children in care"), so
//! that a query in one wording also finds case studies written in another.
//!
//! A built-in glossary of UK children's social care terms ships with
//! practicebank (`src/search/glossary.yaml`, each group with its source);
//! a site adds groups of its own and switches built-in ones off in
//! `site.yaml`:
//!
//! ```yaml
//! search:
//!   glossary:
//!     add:
//!       - id: our-promise
//!         terms: [our promise, local offer]
//!     disable: [pets]
//! ```
//!
//! How a query uses the groups is in [`super::plan`].

use crate::diagnostic::{Diagnostic, Pos};
use crate::suggest;
use crate::yaml::{self, Node, NodeKind};

/// The built-in glossary's file, as it is compiled in.
pub const BUILTIN_FILE: &str = "src/search/glossary.yaml";
pub(crate) const BUILTIN: &str = include_str!("glossary.yaml");

/// Words in a term, and terms in a group, at most.
pub const MAX_TERM_WORDS: usize = 4;
pub const MAX_GROUP_TERMS: usize = 12;

/// One group of terms that mean the same thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    /// As written: what the results page shows ("unaccompanied asylum
    /// seeking children").
    pub terms: Vec<String>,
}

/// The glossary settings of `site.yaml` (`search.glossary`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub add: Vec<Group>,
    /// Ids of built-in groups switched off.
    pub disable: Vec<String>,
}

/// The built-in groups. The file is ours and its tests hold it valid, so
/// a problem in it is a bug, reported like any other diagnostic.
pub fn builtin() -> Result<Vec<Group>, Vec<Diagnostic>> {
    let tree = yaml::parse(BUILTIN_FILE, BUILTIN, 1).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let groups = match tree.entry("groups") {
        Some(entry) => groups(BUILTIN_FILE, &entry.value, &["id", "terms", "source"], true, &mut problems),
        None => {
            problems.push(Diagnostic::error(BUILTIN_FILE, tree.pos, "bad-glossary", "the glossary has no `groups:`"));
            Vec::new()
        }
    };
    if problems.is_empty() {
        Ok(groups)
    } else {
        Err(problems)
    }
}

/// The groups a site searches with: the built-in ones it has not switched
/// off, then its own.
pub fn active(settings: &Settings) -> Vec<Group> {
    let builtin = builtin().expect("the built-in glossary is valid (tested)");
    builtin.into_iter().filter(|g| !settings.disable.contains(&g.id)).chain(settings.add.iter().cloned()).collect()
}

/// Reads `search.glossary` of `site.yaml` (the node under `glossary:`),
/// adding a diagnostic with file and line for each problem.
pub fn settings(file: &str, node: &Node, problems: &mut Vec<Diagnostic>) -> Settings {
    let mut settings = Settings::default();
    let Some(entries) = node.entries() else {
        problems.push(
            Diagnostic::error(file, node.pos, "bad-glossary", "`search.glossary` must hold `add:` and/or `disable:`")
                .with_help("write `add:` with a list of groups, each with `id:` and `terms:`"),
        );
        return settings;
    };
    let builtin_ids: Vec<String> = builtin().unwrap_or_default().into_iter().map(|g| g.id).collect();
    for entry in entries {
        match entry.key.as_str() {
            "add" => {
                settings.add = groups(file, &entry.value, &["id", "terms", "source"], false, problems);
                for group in &settings.add {
                    if builtin_ids.contains(&group.id) {
                        let pos = group_pos(&entry.value, &group.id).unwrap_or(entry.value.pos);
                        problems.push(
                            Diagnostic::error(
                                file,
                                pos,
                                "bad-glossary",
                                format!("`{}` is already a built-in glossary group", group.id),
                            )
                            .with_help("give your group another id, or list the built-in one under `disable:` first"),
                        );
                    }
                }
            }
            "disable" => {
                for (id, pos) in strings(file, &entry.value, "`disable`", problems) {
                    if builtin_ids.contains(&id) {
                        settings.disable.push(id);
                    } else {
                        let help = match suggest::nearest(&id, builtin_ids.iter().map(String::as_str)) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => format!("the built-in groups and their ids are in {BUILTIN_FILE}"),
                        };
                        problems.push(
                            Diagnostic::error(
                                file,
                                pos,
                                "bad-glossary",
                                format!("`{id}` is not a built-in glossary group"),
                            )
                            .with_help(help),
                        );
                    }
                }
            }
            other => {
                let help = suggest::help_for(other, ["add", "disable"], "the keys allowed here");
                problems.push(
                    Diagnostic::error(
                        file,
                        entry.key_pos,
                        "unknown-key",
                        format!("`{other}` is not a glossary setting"),
                    )
                    .with_help(help),
                );
            }
        }
    }
    settings
}

/// Where the group with `id` starts in a list of groups.
fn group_pos(list: &Node, id: &str) -> Option<Pos> {
    let NodeKind::Seq(items) = &list.kind else { return None };
    items.iter().find(|item| scalar(item.entry("id").map(|e| &e.value)) == Some(id)).map(|item| item.pos)
}

fn scalar(node: Option<&Node>) -> Option<&str> {
    match node.map(|n| &n.kind) {
        Some(NodeKind::Scalar { text, .. }) => Some(text),
        _ => None,
    }
}

/// A list of groups; `source_required` for the built-in file, where every
/// group names where it comes from.
fn groups(file: &str, list: &Node, keys: &[&str], source_required: bool, problems: &mut Vec<Diagnostic>) -> Vec<Group> {
    let NodeKind::Seq(items) = &list.kind else {
        problems.push(
            Diagnostic::error(file, list.pos, "bad-glossary", "glossary groups must be a list")
                .with_help("start each group with `- id:` on its own line, then `terms: [...]` under it"),
        );
        return Vec::new();
    };
    let mut out: Vec<Group> = Vec::new();
    for item in items {
        let Some(entries) = item.entries() else {
            problems.push(
                Diagnostic::error(file, item.pos, "bad-glossary", "a glossary group must have `id:` and `terms:`")
                    .with_help("write `- id: my-group` and, lined up under `id`, `terms: [first term, second term]`"),
            );
            continue;
        };
        let before = problems.len();
        for entry in entries {
            if !keys.contains(&entry.key.as_str()) {
                let help = suggest::help_for(&entry.key, keys.iter().copied(), "the keys allowed here");
                problems.push(
                    Diagnostic::error(
                        file,
                        entry.key_pos,
                        "unknown-key",
                        format!("`{}` is not a key a glossary group can have", entry.key),
                    )
                    .with_help(help),
                );
            }
        }
        let id = match scalar(item.entry("id").map(|e| &e.value)) {
            Some(id) if crate::slug::is_valid(id) => Some(id.to_string()),
            Some(id) => {
                problems.push(
                    Diagnostic::error(
                        file,
                        item.entry("id").map_or(item.pos, |e| e.value.pos),
                        "bad-glossary",
                        format!("`{id}` is not a valid glossary group id"),
                    )
                    .with_help(format!(
                        "use lowercase letters, digits and hyphens, such as `{}`",
                        crate::slug::slugify(id)
                    )),
                );
                None
            }
            None => {
                problems.push(
                    Diagnostic::error(file, item.pos, "bad-glossary", "this glossary group has no `id`")
                        .with_help("add `id:` with a short name of your own, such as `staying-close`"),
                );
                None
            }
        };
        if source_required && scalar(item.entry("source").map(|e| &e.value)).is_none_or(str::is_empty) {
            problems.push(
                Diagnostic::error(
                    file,
                    item.pos,
                    "bad-glossary",
                    "this glossary group does not say where it comes from",
                )
                .with_help("add `source:` naming one of the sources listed at the top of the file"),
            );
        }
        let terms = match item.entry("terms") {
            Some(entry) => group_terms(file, &entry.value, problems),
            None => {
                problems.push(
                    Diagnostic::error(file, item.pos, "bad-glossary", "this glossary group has no `terms`")
                        .with_help("add `terms: [first term, second term]`: words or phrases that mean the same"),
                );
                Vec::new()
            }
        };
        if let Some(id) = &id {
            if out.iter().any(|g| &g.id == id) {
                problems.push(
                    Diagnostic::error(file, item.pos, "bad-glossary", format!("two glossary groups are called `{id}`"))
                        .with_help("give each group an id of its own"),
                );
            }
        }
        if problems.len() == before {
            out.push(Group { id: id.expect("no problem means an id"), terms });
        }
    }
    out
}

/// A group's terms: 2 to [`MAX_GROUP_TERMS`], each 1 to
/// [`MAX_TERM_WORDS`] words of letters and digits, none twice.
fn group_terms(file: &str, list: &Node, problems: &mut Vec<Diagnostic>) -> Vec<String> {
    let terms = strings(file, list, "`terms`", problems);
    if !matches!(list.kind, NodeKind::Seq(_)) {
        return Vec::new();
    }
    if terms.len() < 2 || terms.len() > MAX_GROUP_TERMS {
        problems.push(
            Diagnostic::error(
                file,
                list.pos,
                "bad-glossary",
                format!("a glossary group needs 2 to {MAX_GROUP_TERMS} terms; this one has {}", terms.len()),
            )
            .with_help("list the words and phrases that mean the same thing; split a long group in two"),
        );
    }
    let mut seen: Vec<String> = Vec::new();
    for (term, pos) in &terms {
        let words: Vec<&str> = term.split_whitespace().collect();
        if words.is_empty()
            || words.len() > MAX_TERM_WORDS
            || !words.iter().all(|w| w.chars().all(char::is_alphanumeric))
        {
            problems.push(
                Diagnostic::error(file, *pos, "bad-glossary", format!("`{term}` is not a glossary term")).with_help(
                    format!(
                        "write 1 to {MAX_TERM_WORDS} words of letters and digits separated by spaces, \
                         without hyphens or apostrophes (`asylum seeking`, not `asylum-seeking`)"
                    ),
                ),
            );
        }
        let folded = words.join(" ").to_lowercase();
        if seen.contains(&folded) {
            problems.push(
                Diagnostic::error(file, *pos, "bad-glossary", format!("`{term}` is in this group twice"))
                    .with_help("remove one of them"),
            );
        }
        seen.push(folded);
    }
    terms.into_iter().map(|(t, _)| t.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// A list of strings with their positions.
fn strings(file: &str, list: &Node, what: &str, problems: &mut Vec<Diagnostic>) -> Vec<(String, Pos)> {
    let NodeKind::Seq(items) = &list.kind else {
        problems.push(
            Diagnostic::error(file, list.pos, "bad-glossary", format!("{what} must be a list"))
                .with_help("write it as `[first, second]`, or one `- item` per line"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        match &item.kind {
            NodeKind::Scalar { text, .. } => out.push((text.trim().to_string(), item.pos)),
            _ => problems.push(
                Diagnostic::error(file, item.pos, "bad-glossary", format!("each item of {what} must be plain text"))
                    .with_help("check the indentation and the brackets"),
            ),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_settings(yaml_text: &str) -> (Settings, Vec<Diagnostic>) {
        let tree = yaml::parse("site.yaml", yaml_text, 1).unwrap();
        let node = &tree.entry("glossary").unwrap().value;
        let mut problems = Vec::new();
        let settings = settings("site.yaml", node, &mut problems);
        (settings, problems)
    }

    #[test]
    fn the_builtin_glossary_is_valid_and_large() {
        let groups = builtin().unwrap_or_else(|problems| panic!("{problems:#?}"));
        assert!(groups.len() >= 150, "{} groups", groups.len());
        for required in [["LAC", "children in care"], ["UASC", "unaccompanied asylum seeking children"]] {
            assert!(
                groups.iter().any(|g| required.iter().all(|t| g.terms.iter().any(|term| term == t))),
                "no group with {required:?}"
            );
        }
    }

    #[test]
    fn a_site_adds_and_disables_groups() {
        let builtin_id = builtin().unwrap()[0].id.clone();
        let (settings, problems) = site_settings(&format!(
            "glossary:\n  add:\n    - id: our-offer\n      terms: [Our Promise, local offer]\n  disable: [{builtin_id}]\n"
        ));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            settings.add,
            [Group { id: "our-offer".into(), terms: vec!["Our Promise".into(), "local offer".into()] }]
        );
        let active = active(&settings);
        assert!(!active.iter().any(|g| g.id == builtin_id));
        assert_eq!(active.last().unwrap().id, "our-offer");
    }

    #[test]
    fn a_malformed_group_is_reported_with_its_line() {
        let (_, problems) = site_settings(
            "glossary:\n  add:\n    - id: ok-group\n      terms: [one]\n    - id: Bad Id\n      terms: [a-b, c]\n      sauce: x\n  disable: [no-such-group]\n",
        );
        let found: Vec<(usize, &str)> = problems.iter().map(|d| (d.line.unwrap(), d.message.as_str())).collect();
        assert!(found.contains(&(4, "a glossary group needs 2 to 12 terms; this one has 1")), "{found:?}");
        assert!(found.contains(&(5, "`Bad Id` is not a valid glossary group id")), "{found:?}");
        assert!(found.contains(&(6, "`a-b` is not a glossary term")), "{found:?}");
        assert!(found.contains(&(7, "`sauce` is not a key a glossary group can have")), "{found:?}");
        assert!(found.contains(&(8, "`no-such-group` is not a built-in glossary group")), "{found:?}");
        let sauce = problems.iter().find(|d| d.message.contains("sauce")).unwrap();
        assert_eq!(sauce.help.as_deref(), Some("did you mean `source`?"));
    }
}
