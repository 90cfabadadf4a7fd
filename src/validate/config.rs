//! `site.yaml`: text in, a valid [`SiteConfig`] or its problems out. Pure.

use super::fields::Checker;
use super::raw::{self, NumberOrText, RawConfig, RawTerm};
use crate::diagnostic::{Diagnostic, Pos};
use crate::load::SITE_CONFIG;
use crate::model::{SiteConfig, Survey, Theme};
use crate::slug;
use crate::yaml::{self, NodeKind};
use std::collections::BTreeMap;

pub const DEFAULT_PAGE_SIZE: usize = 20;
pub const DEFAULT_THEME: &str = "default";

/// Validates the text of `site.yaml`.
pub fn validate(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
    let tree = yaml::parse(SITE_CONFIG, text, 1).map_err(|d| vec![d])?;
    let mut check = Checker::new(SITE_CONFIG, &tree);
    if !matches!(tree.kind, NodeKind::Map(_)) {
        check.error(
            tree.pos,
            "wrong-type",
            "site.yaml must be a list of `key: value` lines",
            "start with `title:`, `description:` and `base_url:`",
        );
        return Err(check.diagnostics);
    }
    let mut ok = check.known_keys(&tree, raw::CONFIG_KEYS, "site.yaml");
    if let Some(search) = tree.entry("search") {
        if search.value.entries().is_none() {
            check.error(
                search.value.pos,
                "wrong-type",
                "`search` must hold settings such as `glossary:`, each on its own line below it",
                "write `search:`, then `  glossary:` indented below it, or leave `search` out",
            );
            ok = false;
        } else {
            ok &= check.known_keys(&search.value, raw::SEARCH_KEYS, "`search`");
        }
    }
    for list in ["themes", "surveys"] {
        if let Some(NodeKind::Map(entries)) = tree.entry(list).map(|e| &e.value.kind) {
            for entry in entries {
                ok &= check.known_keys(&entry.value, raw::TERM_KEYS, "a theme or survey");
            }
        }
    }
    if !ok {
        return Err(check.diagnostics);
    }
    let raw: RawConfig = match serde_yaml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            check.serde_error(&e, 1);
            return Err(check.diagnostics);
        }
    };
    let glossary = match tree.entry("search").and_then(|s| s.value.entry("glossary")) {
        Some(entry) => crate::search::glossary::settings(SITE_CONFIG, &entry.value, &mut check.diagnostics),
        None => Default::default(),
    };
    let config = fields(&mut check, raw, glossary);
    match config {
        Some(config) if check.diagnostics.is_empty() => Ok(config),
        _ => Err(check.diagnostics),
    }
}

fn fields(check: &mut Checker<'_>, raw: RawConfig, glossary: crate::search::glossary::Settings) -> Option<SiteConfig> {
    let title = check.required_text("title", raw.title, None, Pos::START);
    let description = check.required_text("description", raw.description, None, Pos::START);
    let base_url = check
        .required_text("base_url", raw.base_url, None, Pos::START)
        .and_then(|url| check.web_url("base_url", &url))
        .map(|url| if url.ends_with('/') { url } else { format!("{url}/") });
    let repository = Checker::optional_text(raw.repository)
        .and_then(|url| check.web_url("repository", &url).map(|u| u.trim_end_matches('/').to_string()));
    let theme = Checker::optional_text(raw.theme).unwrap_or_else(|| DEFAULT_THEME.to_string());
    if !slug::is_valid(&theme) {
        check.error(
            check.pos("theme"),
            "bad-theme-folder",
            format!("`{theme}` is not a theme folder name"),
            "use the name of a folder under themes/ (lowercase letters, digits and hyphens), or `default`",
        );
    }
    let themes = vocabulary(check, "themes", raw.themes, true);
    let surveys = vocabulary(check, "surveys", raw.surveys, false);
    let page_size = match raw.page_size {
        None => Some(DEFAULT_PAGE_SIZE),
        Some(NumberOrText::Number(n)) if n.fract() == 0.0 && (1.0..=1000.0).contains(&n) => Some(n as usize),
        Some(_) => {
            check.error(
                check.pos("page_size"),
                "bad-page-size",
                "`page_size` must be a whole number from 1 to 1000",
                format!("leave it out to show {DEFAULT_PAGE_SIZE} case studies a page"),
            );
            None
        }
    };
    Some(SiteConfig {
        title: title?,
        description: description?,
        base_url: base_url?,
        repository,
        theme,
        themes: themes?
            .into_iter()
            .map(|(slug, (label, description))| (slug.clone(), Theme { slug, label, description }))
            .collect(),
        surveys: surveys?
            .into_iter()
            .map(|(slug, (label, description))| (slug.clone(), Survey { slug, label, description }))
            .collect(),
        page_size: page_size?,
        glossary,
    })
}

type Terms = BTreeMap<String, (String, String)>;

/// The `themes` or `surveys` vocabulary: slug keys, each with a label.
fn vocabulary(
    check: &mut Checker<'_>,
    key: &str,
    raw: Option<BTreeMap<String, RawTerm>>,
    required: bool,
) -> Option<Terms> {
    let raw = raw.unwrap_or_default();
    if raw.is_empty() && required {
        check.error(
            check.key_pos(key),
            "missing-field",
            format!("site.yaml needs at least one entry under `{key}`"),
            "add for example `housing:` with a `label:` under it",
        );
        return None;
    }
    let mut out = Terms::new();
    let mut ok = true;
    for (slug, term) in raw {
        let path = format!("{key}.{slug}");
        if !slug::is_valid(&slug) {
            let help = format!("use lowercase letters, digits and hyphens, such as `{}`", slug::slugify(&slug));
            check.error(
                check.key_pos(&path),
                "bad-slug",
                format!("`{slug}` is not a valid {} name", &key[..key.len() - 1]),
                help,
            );
            ok = false;
            continue;
        }
        let entry = check.pos(&path);
        let label = check.required_text(&format!("{path}.label"), term.label, None, entry);
        let description = Checker::optional_text(term.description).unwrap_or_default();
        match label {
            Some(label) => {
                out.insert(slug, (label, description));
            }
            None => ok = false,
        }
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "title: Bank\ndescription: Examples\nbase_url: https://example.org/bank\nthemes:\n  housing:\n    label: Housing\n";

    #[test]
    fn accepts_a_minimal_config_with_defaults() {
        let config = validate(GOOD).unwrap();
        assert_eq!(config.base_url, "https://example.org/bank/");
        assert_eq!(config.page_size, DEFAULT_PAGE_SIZE);
        assert_eq!(config.theme, "default");
        assert_eq!(config.themes["housing"].label, "Housing");
    }

    #[test]
    fn rejects_a_relative_base_url() {
        let errors = validate(&GOOD.replace("https://example.org/bank", "/bank/")).unwrap_err();
        assert_eq!(errors[0].code, "bad-url");
        assert_eq!(errors[0].line, Some(3));
    }

    #[test]
    fn suggests_known_keys() {
        let errors = validate(&format!("{GOOD}pagesize: 10\n")).unwrap_err();
        assert_eq!(errors[0].code, "unknown-key");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `page_size`?"));
    }

    #[test]
    fn search_settings_are_a_mapping() {
        let errors = validate(&format!("{GOOD}search: yes\n")).unwrap_err();
        assert_eq!((errors[0].code, errors[0].line), ("wrong-type", Some(7)));
        let errors = validate(&format!("{GOOD}search:\n  glosary: {{}}\n")).unwrap_err();
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `glossary`?"));
        assert!(validate(&format!("{GOOD}search:\n  glossary:\n    disable: []\n")).is_ok());
    }

    #[test]
    fn theme_names_are_slugs() {
        let errors = validate(&GOOD.replace("  housing:", "  Housing Help:")).unwrap_err();
        assert_eq!(errors[0].code, "bad-slug");
        assert_eq!(errors[0].line, Some(5));
    }
}
