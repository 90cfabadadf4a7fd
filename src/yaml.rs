//! A position-aware view of front matter YAML.
//!
//! serde_yaml turns YAML into typed values but forgets where each value was.
//! This module parses the same text into a small [`Node`] tree that keeps the
//! line and column of every key and value, so validation can point at the
//! exact spot. It is also the first line of defence: it rejects anchors and
//! aliases (so an alias bomb is refused before anything expands it), keys
//! given twice, and nesting deeper than any case study needs, and it words
//! syntax errors for people who have never heard of YAML.

use crate::diagnostic::{Diagnostic, Pos};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

/// No field of the format nests deeper than a list of mappings of scalars;
/// anything much deeper is a mistake or an attack.
const MAX_DEPTH: usize = 8;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar { text: String, plain: bool },
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

impl Node {
    /// The entries of a mapping, or `None` for any other node.
    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The entry with this key in a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries()?.iter().find(|e| e.key == key)
    }

    /// The node one step down: a mapping's value or a list's item.
    fn child(&self, step: &PathStep) -> Option<&Node> {
        match (step, &self.kind) {
            (PathStep::Key(key), NodeKind::Map(_)) => self.entry(key).map(|e| &e.value),
            (PathStep::Index(i), NodeKind::Seq(items)) => items.get(*i),
            _ => None,
        }
    }

    /// The node at `path` (keys and list indexes), if it exists.
    pub fn at(&self, path: &[PathStep]) -> Option<&Node> {
        path.iter().try_fold(self, |node, step| node.child(step))
    }

    /// The position of the value at `path`, or of the deepest node on the
    /// way that exists.
    pub fn pos_of(&self, path: &[PathStep]) -> Pos {
        let mut node = self;
        for step in path {
            match node.child(step) {
                Some(next) => node = next,
                None => break,
            }
        }
        node.pos
    }

    /// The position of the key at the end of `path`, falling back to the
    /// value's position.
    pub fn key_pos_of(&self, path: &[PathStep]) -> Pos {
        let key_pos = match path.split_last() {
            Some((PathStep::Key(key), parent)) => self.at(parent).and_then(|n| n.entry(key)).map(|e| e.key_pos),
            _ => None,
        };
        key_pos.unwrap_or_else(|| self.pos_of(path))
    }
}

/// One step of a path into the tree: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

/// Parses serde_yaml's path notation (`figures[1].value`) into steps.
pub fn parse_path(text: &str) -> Vec<PathStep> {
    let mut steps = Vec::new();
    for part in text.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            steps.push(PathStep::Key(key.to_string()));
        }
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                steps.push(PathStep::Index(i));
            }
        }
    }
    steps
}

/// Parses `yaml`, which starts on line `first_line` of `file`, into a tree.
/// An empty document is an empty mapping.
pub fn parse(file: &str, yaml: &str, first_line: usize) -> Result<Node, Diagnostic> {
    let at = |mark: &Marker| Pos::new(mark.line() + first_line - 1, mark.col() + 1);
    let mut parser = Parser::new_from_str(yaml);
    let mut builder = Builder::default();
    loop {
        let (event, mark) = parser.next_token().map_err(|e| syntax_error(file, yaml, first_line, &e))?;
        let pos = at(&mark);
        match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            Event::DocumentStart => {
                builder.documents += 1;
                if builder.documents > 1 {
                    return Err(Diagnostic::error(
                        file,
                        pos,
                        "yaml-syntax",
                        "the front matter holds more than one YAML document",
                    )
                    .with_help("remove the extra `---` or `...` line"));
                }
            }
            Event::Alias(_) => return Err(alias_error(file, pos)),
            Event::Scalar(text, style, anchor, _) => {
                if anchor != 0 {
                    return Err(alias_error(file, pos));
                }
                let plain = style == TScalarStyle::Plain;
                builder.push(file, Node { pos, kind: NodeKind::Scalar { text, plain } })?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if anchor != 0 {
                    return Err(alias_error(file, pos));
                }
                if builder.open.len() >= MAX_DEPTH {
                    return Err(Diagnostic::error(file, pos, "yaml-too-deep", "the front matter is nested too deeply")
                        .with_help("case studies need at most a list of entries with fields; check the indentation"));
                }
                let kind = if matches!(event, Event::SequenceStart(..)) {
                    Open::Seq(Vec::new())
                } else {
                    Open::Map(Vec::new(), None)
                };
                builder.open.push((pos, kind));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (pos, open) = builder.open.pop().expect("the parser balances starts and ends");
                let node = match open {
                    Open::Seq(items) => {
                        Node { pos: items.first().map_or(pos, |n: &Node| n.pos), kind: NodeKind::Seq(items) }
                    }
                    Open::Map(entries, _) => {
                        Node { pos: entries.first().map_or(pos, |e| e.key_pos), kind: NodeKind::Map(entries) }
                    }
                };
                builder.push(file, node)?;
            }
        }
    }
    Ok(builder.root.unwrap_or(Node { pos: Pos::new(first_line, 1), kind: NodeKind::Map(Vec::new()) }))
}

enum Open {
    Seq(Vec<Node>),
    /// Entries so far, and a key waiting for its value.
    Map(Vec<Entry>, Option<(String, Pos)>),
}

#[derive(Default)]
struct Builder {
    open: Vec<(Pos, Open)>,
    root: Option<Node>,
    documents: usize,
}

impl Builder {
    fn push(&mut self, file: &str, node: Node) -> Result<(), Diagnostic> {
        let Some((_, parent)) = self.open.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match parent {
            Open::Seq(items) => items.push(node),
            Open::Map(entries, pending) => match pending.take() {
                Some((key, key_pos)) => entries.push(Entry { key, key_pos, value: node }),
                None => {
                    let NodeKind::Scalar { text: key, .. } = node.kind else {
                        return Err(Diagnostic::error(
                            file,
                            node.pos,
                            "yaml-syntax",
                            "a key here is a list or mapping, not a word",
                        )
                        .with_help("keys are single words followed by a colon, like `title:`"));
                    };
                    if let Some(first) = entries.iter().find(|e| e.key == key) {
                        return Err(Diagnostic::error(
                            file,
                            node.pos,
                            "duplicate-key",
                            format!("`{key}` is given twice (first on line {})", first.key_pos.line),
                        )
                        .with_help(format!("keep only one `{key}:` line")));
                    }
                    *pending = Some((key, node.pos));
                }
            },
        }
        Ok(())
    }
}

fn alias_error(file: &str, pos: Pos) -> Diagnostic {
    Diagnostic::error(
        file,
        pos,
        "yaml-alias",
        "YAML anchors and aliases (`&name`, `*name`) are not allowed in case studies",
    )
    .with_help("write the value out in full; if `&` or `*` is part of the text, put the whole value in quotes")
}

/// Words a parser error for an author, pointing at the likeliest cause.
fn syntax_error(file: &str, yaml: &str, first_line: usize, error: &ScanError) -> Diagnostic {
    let mark = error.marker();
    // The scanner stops on a tab-indented line or at the token just before
    // it; a tab elsewhere (inside a block scalar, say) is not the cause.
    if let Some((index, line)) = yaml
        .lines()
        .enumerate()
        .skip(mark.line().saturating_sub(1))
        .take(2)
        .find(|(_, l)| l.trim_start_matches(' ').starts_with('\t'))
    {
        let column = line.chars().take_while(|c| *c == ' ').count() + 1;
        return Diagnostic::error(
            file,
            Pos::new(first_line + index, column),
            "yaml-tab",
            "this line is indented with a tab",
        )
        .with_help("YAML needs spaces for indentation: replace the tab with spaces");
    }
    let pos = Pos::new(mark.line() + first_line - 1, mark.col() + 1);
    let info = error.info();
    let (message, help) = if info.contains("quoted scalar") {
        ("a quoted value is not closed", "add the closing quote at the end of the value, or remove the opening one")
    } else if info.contains("mapping values are not allowed") {
        ("a value contains `: `, which YAML reads as the start of another key", "put the whole value in double quotes")
    } else if info.contains("flow sequence") || info.contains("flow mapping") {
        (
            "a list in square brackets (or a mapping in braces) is not closed",
            "check that every `[` has a `]` and items are separated by commas",
        )
    } else if info.contains("block") || info.contains("indentation") || info.contains("did not find expected key") {
        (
            "the indentation here does not line up with the lines above",
            "indent the fields of the same list entry by the same number of spaces",
        )
    } else {
        ("the front matter is not valid YAML", "check this line and the one above for a missing colon, quote or space")
    };
    Diagnostic::error(file, pos, "yaml-syntax", format!("{message} ({info})")).with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(yaml: &str) -> Node {
        parse("f.md", yaml, 2).expect("valid YAML")
    }

    #[test]
    fn keeps_positions_in_file_lines() {
        let root = parse_ok("title: A\nthemes:\n  - housing\n  - celebration\n");
        let themes = root.entry("themes").unwrap();
        assert_eq!(themes.key_pos, Pos::new(3, 1));
        assert_eq!(root.pos_of(&parse_path("themes[1]")), Pos::new(5, 5));
        assert_eq!(root.pos_of(&parse_path("title")), Pos::new(2, 8));
    }

    #[test]
    fn paths_into_lists_of_mappings() {
        let root = parse_ok("figures:\n  - label: A\n    value: 92\n");
        assert_eq!(root.pos_of(&parse_path("figures[0].value")), Pos::new(4, 12));
        assert_eq!(root.key_pos_of(&parse_path("figures[0].value")), Pos::new(4, 5));
    }

    #[test]
    fn rejects_aliases_and_anchors() {
        let err = parse("f.md", "a: &x [1, 2]\nb: *x\n", 2).unwrap_err();
        assert_eq!(err.code, "yaml-alias");
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn rejects_duplicate_keys() {
        let err = parse("f.md", "title: A\nauthority: B\ntitle: C\n", 2).unwrap_err();
        assert_eq!(err.code, "duplicate-key");
        assert_eq!(err.line, Some(4));
        assert!(err.message.contains("first on line 2"), "{}", err.message);
    }

    #[test]
    fn points_at_tab_indentation() {
        let err = parse("f.md", "figures:\n\t- label: A\n", 2).unwrap_err();
        assert_eq!(err.code, "yaml-tab");
        assert_eq!((err.line, err.column), (Some(3), Some(1)));
    }

    #[test]
    fn rejects_deep_nesting() {
        let deep = format!("a: {}{}\n", "[".repeat(50), "]".repeat(50));
        assert_eq!(parse("f.md", &deep, 2).unwrap_err().code, "yaml-too-deep");
    }

    #[test]
    fn empty_document_is_an_empty_mapping() {
        assert_eq!(parse_ok("").entries().map(<[Entry]>::len), Some(0));
        assert_eq!(parse_ok("# only a comment\n").entries().map(<[Entry]>::len), Some(0));
    }

    #[test]
    fn parses_serde_paths() {
        assert_eq!(
            parse_path("figures[2].value"),
            vec![PathStep::Key("figures".into()), PathStep::Index(2), PathStep::Key("value".into())]
        );
    }
}
