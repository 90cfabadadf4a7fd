//! The site's look: tera templates and static files (CSS, JS).
//!
//! The built-in theme in `themes/default/` is compiled into the binary, so
//! `practicebank build` works on any site folder. A site's
//! `themes/<theme>/templates/` and `themes/<theme>/static/` may replace any
//! single file of it. Template errors name the template (and its file, when
//! the site supplied it) and the line where tera gives one.

use crate::diagnostic::{Diagnostic, Pos};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The built-in templates, by name.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../themes/default/templates/base.html")),
    ("macros.html", include_str!("../../themes/default/templates/macros.html")),
    ("index.html", include_str!("../../themes/default/templates/index.html")),
    ("case-study.html", include_str!("../../themes/default/templates/case-study.html")),
    ("listing.html", include_str!("../../themes/default/templates/listing.html")),
    ("themes.html", include_str!("../../themes/default/templates/themes.html")),
    ("authorities.html", include_str!("../../themes/default/templates/authorities.html")),
    ("search.html", include_str!("../../themes/default/templates/search.html")),
    ("404.html", include_str!("../../themes/default/templates/404.html")),
];

/// The built-in static files, by name.
const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../themes/default/static/style.css")),
    ("print.css", include_bytes!("../../themes/default/static/print.css")),
    ("site.js", include_bytes!("../../themes/default/static/site.js")),
    ("search.js", include_bytes!("../../themes/default/static/search.js")),
    ("search-announce.js", include_bytes!("../../themes/default/static/search-announce.js")),
    ("search-dom.js", include_bytes!("../../themes/default/static/search-dom.js")),
    ("search-filters.js", include_bytes!("../../themes/default/static/search-filters.js")),
    ("search-results.js", include_bytes!("../../themes/default/static/search-results.js")),
    ("search-state.js", include_bytes!("../../themes/default/static/search-state.js")),
    ("search-words.js", include_bytes!("../../themes/default/static/search-words.js")),
    ("favicon.svg", include_bytes!("../../themes/default/static/favicon.svg")),
];

/// Loaded templates and static files, ready to render with.
pub struct Templates {
    tera: tera::Tera,
    /// Static files by name (`style.css`), built-in or overridden.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Where each overridden template came from, relative to the site root.
    origins: BTreeMap<String, String>,
}

impl Templates {
    /// Loads the built-in theme with the site's overrides on top.
    pub fn load(root: &Path, theme: &str) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, String> =
            BUILTIN_TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let mut statics: BTreeMap<String, Vec<u8>> =
            BUILTIN_STATIC.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
        let mut origins = BTreeMap::new();
        let folder = root.join("themes").join(theme);
        if folder.is_dir() {
            let read_dir =
                |sub: &str| -> Result<Vec<(String, Vec<u8>)>, Diagnostic> { read_folder(root, &folder.join(sub)) };
            for (name, bytes) in read_dir("templates").map_err(|d| vec![d])? {
                let origin = format!("themes/{theme}/templates/{name}");
                let text = String::from_utf8(bytes).map_err(|_| {
                    vec![Diagnostic::file_error(&origin, "invalid-utf8", "this template is not UTF-8 text")
                        .with_help("save it with the UTF-8 encoding")]
                })?;
                sources.insert(name.clone(), text);
                origins.insert(name, origin);
            }
            statics.extend(read_dir("static").map_err(|d| vec![d])?);
        } else if theme != crate::validate::DEFAULT_THEME {
            return Err(vec![Diagnostic::file_error(
                crate::load::SITE_CONFIG,
                "theme-missing",
                format!("site.yaml names the theme `{theme}`, but there is no folder themes/{theme}/"),
            )
            .with_help("create that folder, or remove the `theme:` line to use the built-in look")]);
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::escape::markup);
        let templates = Templates { tera, statics, origins };
        let mut templates = templates;
        templates
            .tera
            .add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| vec![templates.error(&e)])?;
        Ok(templates)
    }

    /// Renders `template` with `context`.
    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|e| self.error(&e))
    }

    /// A tera error as a diagnostic on the template it is about.
    fn error(&self, error: &tera::Error) -> Diagnostic {
        let mut chain = vec![error.to_string()];
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            chain.push(cause.to_string());
            source = cause.source();
        }
        let message = chain.join(": ");
        let template = chain
            .iter()
            .find_map(|m| {
                m.split('\'').nth(1).filter(|name| {
                    self.tera.get_template_names().any(|n| n == *name)
                        || BUILTIN_TEMPLATES.iter().any(|(n, _)| n == name)
                })
            })
            .unwrap_or("");
        let file = match self.origins.get(template) {
            Some(origin) => origin.clone(),
            None if template.is_empty() => "templates".to_string(),
            None => format!("themes/default/templates/{template} (built in)"),
        };
        let diagnostic = match line_in(&message) {
            Some(pos) => Diagnostic::error(&file, pos, "template", message),
            None => Diagnostic::file_error(&file, "template", message),
        };
        diagnostic.with_help("fix the template; tera's syntax is described at keats.github.io/tera/docs")
    }
}

/// The `--> 12:5` position tera gives for syntax errors.
fn line_in(message: &str) -> Option<Pos> {
    let rest = &message[message.find("--> ")? + 4..];
    let (line, rest) = rest.split_once(':')?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(Pos::new(line.trim().parse().ok()?, column.parse().ok()?))
}

/// The files directly in `folder`, by name, sorted. A missing folder has none.
fn read_folder(root: &Path, folder: &Path) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let Ok(entries) = fs::read_dir(folder) else { return Ok(Vec::new()) };
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !path.is_file() {
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| {
            let shown = path.strip_prefix(root).unwrap_or(&path).display().to_string();
            Diagnostic::file_error(&shown, "unreadable", format!("cannot read this theme file: {e}"))
        })?;
        files.push((name, bytes));
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tera_positions() {
        assert_eq!(line_in("Failed to parse 'x.html'\n --> 3:7\n  |"), Some(Pos::new(3, 7)));
        assert_eq!(line_in("no position"), None);
    }
}
