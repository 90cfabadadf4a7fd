//! Shared field checks for `site.yaml` and case studies: unknown and
//! missing keys, required text, percentages, URLs, and the translation of
//! serde's errors into the author's terms. Every check records a diagnostic
//! at the key's or value's position and returns what it could salvage.

use super::raw::NumberOrText;
use crate::diagnostic::{Diagnostic, Pos};
use crate::suggest;
use crate::yaml::{parse_path, Node};

/// Collects the problems of one file, with its YAML tree at hand to find
/// where each one is.
pub struct Checker<'a> {
    pub file: &'a str,
    pub tree: &'a Node,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub fn new(file: &'a str, tree: &'a Node) -> Self {
        Checker { file, tree, diagnostics: Vec::new() }
    }

    /// Position of the value at `path` (`figures[1].value`).
    pub fn pos(&self, path: &str) -> Pos {
        self.tree.pos_of(&parse_path(path))
    }

    /// Position of the key at the end of `path`.
    pub fn key_pos(&self, path: &str) -> Pos {
        self.tree.key_pos_of(&parse_path(path))
    }

    pub fn error(&mut self, pos: Pos, code: &'static str, message: impl Into<String>, help: impl Into<String>) {
        let help = help.into();
        let diagnostic = Diagnostic::error(self.file, pos, code, message);
        self.diagnostics.push(if help.is_empty() { diagnostic } else { diagnostic.with_help(help) });
    }

    /// Reports every key of the mapping at `path` that is not in `allowed`,
    /// with the nearest known key. `what` names the mapping for the message
    /// ("a figure"). Returns whether all keys were known.
    pub fn known_keys(&mut self, node: &Node, allowed: &[&str], what: &str) -> bool {
        let Some(entries) = node.entries() else { return true };
        let mut all_known = true;
        for entry in entries {
            if !allowed.contains(&entry.key.as_str()) {
                all_known = false;
                let help = suggest::help_for(&entry.key, allowed.iter().copied(), "the keys allowed here");
                self.error(entry.key_pos, "unknown-key", format!("`{}` is not a key {what} can have", entry.key), help);
            }
        }
        all_known
    }

    /// Whether the value at `path` is written at all (`key:` with nothing
    /// after it counts as written but empty).
    fn present(&self, path: &str) -> bool {
        self.tree.at(&parse_path(path)).is_some()
    }

    /// A required text field: trimmed, not empty, at most `max_chars`
    /// characters. `missing_pos` is where to point when the key is absent.
    pub fn required_text(
        &mut self,
        path: &str,
        value: Option<String>,
        max_chars: Option<usize>,
        missing_pos: Pos,
    ) -> Option<String> {
        let key = path.rsplit('.').next().unwrap_or(path);
        let text = value.as_deref().map(str::trim).unwrap_or("");
        if text.is_empty() {
            if self.present(path) {
                self.error(
                    self.key_pos(path),
                    "empty-field",
                    format!("`{key}` is empty"),
                    format!("write the {key} after `{key}:`"),
                );
            } else {
                self.error(
                    missing_pos,
                    "missing-field",
                    format!("the required key `{key}` is missing"),
                    format!("add a line `{key}: ...`"),
                );
            }
            return None;
        }
        let chars = text.chars().count();
        match max_chars {
            Some(max) if chars > max => {
                self.error(
                    self.pos(path),
                    "too-long",
                    format!("`{key}` is {chars} characters long; the limit is {max}"),
                    format!("shorten it by at least {} characters", chars - max),
                );
                None
            }
            _ => Some(text.to_string()),
        }
    }

    /// Optional text: trimmed, `None` when absent or blank.
    pub fn optional_text(value: Option<String>) -> Option<String> {
        value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    /// A percentage from 0 to 100.
    pub fn percentage(&mut self, path: &str, value: &NumberOrText) -> Option<f64> {
        let key = path.rsplit('.').next().unwrap_or(path);
        match value {
            NumberOrText::Number(n) if n.is_finite() && (0.0..=100.0).contains(n) => Some(*n),
            NumberOrText::Number(n) => {
                self.error(
                    self.pos(path),
                    "percentage-range",
                    format!("`{key}` is {n}, but a percentage is between 0 and 100"),
                    "give the percentage as a number from 0 to 100, without the % sign",
                );
                None
            }
            NumberOrText::Text(text) => {
                let number = text.trim().trim_end_matches('%').trim();
                let help = match number.parse::<f64>() {
                    Ok(n) if (0.0..=100.0).contains(&n) => {
                        format!("write `{key}: {number}` (a number, without the % sign or quotes)")
                    }
                    _ => "give the percentage as a number from 0 to 100, without the % sign or quotes".to_string(),
                };
                self.error(self.pos(path), "not-a-number", format!("`{key}` is the text `{text}`, not a number"), help);
                None
            }
            NumberOrText::Other(_) => {
                self.error(
                    self.pos(path),
                    "wrong-type",
                    format!("`{key}` must be a number"),
                    "give the percentage as a number from 0 to 100, without the % sign or quotes",
                );
                None
            }
        }
    }

    /// A URL that must be absolute `http` or `https`.
    pub fn web_url(&mut self, path: &str, url: &str) -> Option<String> {
        let key = path.rsplit('.').next().unwrap_or(path);
        match check_web_url(url) {
            Ok(()) => Some(url.trim().to_string()),
            Err(problem) => {
                self.error(
                    self.pos(path),
                    "bad-url",
                    format!("`{key}` {problem}"),
                    "use a full web address starting with https:// (or http://)",
                );
                None
            }
        }
    }

    /// Turns a serde_yaml error (a value of the wrong type) into a
    /// diagnostic at the value it is about.
    pub fn serde_error(&mut self, error: &serde_yaml::Error, yaml_line: usize) {
        let text = error.to_string();
        let text = match text.rfind(" at line ") {
            Some(i) => &text[..i],
            None => &text,
        };
        let (path, message) = match text.split_once(": ") {
            Some((path, message)) if !path.contains(' ') && !path.contains('`') => (path, message),
            _ => ("", text),
        };
        let pos = if path.is_empty() {
            error.location().map_or(Pos::new(yaml_line, 1), |l| Pos::new(l.line() + yaml_line - 1, l.column()))
        } else {
            self.pos(path)
        };
        if path.is_empty() && !message.contains("invalid type") {
            // serde_yaml's parser is stricter than the one in `yaml` in a few
            // places, such as a tab at the start of a block scalar.
            let (code, message, help) = if message.contains("tab character") {
                (
                    "yaml-tab",
                    "this line is indented with a tab".to_string(),
                    "YAML needs spaces for indentation: replace the tab with spaces",
                )
            } else {
                let message = message.split(" at line ").next().unwrap_or(message);
                (
                    "yaml-syntax",
                    format!("this is not valid YAML ({message})"),
                    "check this line and the one above for a missing colon, quote or space",
                )
            };
            self.error(pos, code, message, help);
            return;
        }
        let key = path.rsplit('.').next().unwrap_or(path);
        let key = key.split('[').next().unwrap_or(key);
        let (message, help) = match key {
            "" if message.contains("invalid type") => (
                "the front matter must be a list of `key: value` lines".to_string(),
                "start each line with a key such as `title:`".to_string(),
            ),
            "themes" => (
                "`themes` must be a theme name or a list of theme names".to_string(),
                "write for example `themes: [housing, celebration]`".to_string(),
            ),
            "figures" | "quotes" | "resources" => {
                (format!("`{key}` must be a list"), format!("start each entry of `{key}` on its own line with `- `"))
            }
            "draft" => {
                ("`draft` must be `true` or `false`".to_string(), "write `draft: true` or `draft: false`".to_string())
            }
            "value" | "comparison" | "year" | "page_size" => {
                (format!("`{key}` must be a number"), format!("write `{key}:` followed by a number, without quotes"))
            }
            _ if message.contains("invalid type") => {
                let got = message.split(", expected").next().unwrap_or(message).trim_start_matches("invalid type: ");
                (format!("`{key}` has the wrong kind of value ({got})"), format!("write `{key}:` followed by text"))
            }
            _ => (format!("`{path}`: {message}"), String::new()),
        };
        self.error(pos, "wrong-type", message, help);
    }
}

/// Why `url` is not an absolute http(s) URL with a host.
pub fn check_web_url(url: &str) -> Result<(), &'static str> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = if let Some(rest) = lower.strip_prefix("https://") {
        rest
    } else if let Some(rest) = lower.strip_prefix("http://") {
        rest
    } else {
        return Err("must be a web address starting with https:// or http://");
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>' || c == '\\') {
        return Err("contains spaces or characters a web address cannot have");
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    if host.is_empty() || host.starts_with(':') {
        return Err("has no site name after the //");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls() {
        assert!(check_web_url("https://www.coramvoice.org.uk/brightspots").is_ok());
        assert!(check_web_url("HTTP://example.org").is_ok());
        assert!(check_web_url("javascript:alert(1)").is_err());
        assert!(check_web_url("JavaScript://example.org/%0Aalert(1)").is_err());
        assert!(check_web_url("data:text/html,x").is_err());
        assert!(check_web_url("https://").is_err());
        assert!(check_web_url("https://exa mple.org").is_err());
        assert!(check_web_url("//example.org").is_err());
    }
}
