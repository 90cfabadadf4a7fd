//! No input makes the validator panic: arbitrary bytes, and valid files
//! mangled (bits flipped, bytes inserted and deleted, lines duplicated and
//! removed, truncation), go through `load::decode` and
//! `validate::validate_case_study`, and every problem found is printed in
//! all three formats. Every diagnostic must also name the file and a line
//! and column that exist.

use crate::harness::fixtures_dir;
use practicebank::diagnostic::Diagnostic;
use practicebank::load::{decode, Asset, SourceFile};
use practicebank::model::SiteConfig;
use practicebank::report;
use practicebank::validate::{validate_case_study, validate_config};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

const BOM: char = '\u{feff}';
const FILE: &str = "content/case-studies/coventry-celebrating-success.md";

fn config() -> &'static SiteConfig {
    static CONFIG: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let text = std::fs::read_to_string(fixtures_dir().join("site.yaml")).expect("the shared site.yaml");
        validate_config(&text).expect("the shared site.yaml is valid")
    })
}

fn assets() -> &'static BTreeMap<String, Asset> {
    static ASSETS: OnceLock<BTreeMap<String, Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        BTreeMap::from([
            ("case-studies/slides.pdf".to_string(), Asset::File { size: 35 }),
            ("case-studies/coventry-celebrating-success/award-night.jpg".to_string(), Asset::File { size: 21 }),
            ("case-studies/outside.pdf".to_string(), Asset::OutsideContent),
        ])
    })
}

/// Every case study checked into the repository: the example site's and
/// the fixtures', valid and not.
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = Vec::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        collect_markdown(&root.join("content"), &mut seeds);
        collect_markdown(&fixtures_dir(), &mut seeds);
        assert!(seeds.len() > 10, "too few seed files");
        seeds
    })
}

fn collect_markdown(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).expect("read a seed folder").map(|e| e.expect("a seed entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_markdown(&path, out);
        } else if path.extension().is_some_and(|x| x == "md") {
            out.push(std::fs::read(&path).expect("read a seed file"));
        }
    }
}

/// Decodes and validates `bytes` as a case study, and prints what it finds.
fn validate_bytes(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let text = match decode(bytes) {
        Ok(text) => text,
        Err((pos, lossy)) => {
            prop_assert!(pos.line >= 1 && pos.column >= 1);
            prop_assert!(pos.line <= lossy.split('\n').count());
            return Ok(());
        }
    };
    prop_assert!(!text.starts_with(BOM) && !text.contains("\r\n"), "decode left a BOM or CRLF");
    let source = SourceFile {
        file: FILE.to_string(),
        stem: "coventry-celebrating-success".to_string(),
        extension: "md".to_string(),
        text,
    };
    if let Err(diagnostics) = validate_case_study(&source, config(), assets()) {
        prop_assert!(!diagnostics.is_empty(), "an error without a diagnostic");
        for diagnostic in &diagnostics {
            check_diagnostic(diagnostic, &source.text)?;
            report::human(diagnostic, Some(&source.text));
            report::github(diagnostic);
        }
        report::json(&diagnostics);
    }
    Ok(())
}

fn check_diagnostic(d: &Diagnostic, text: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(&d.file, FILE);
    let lines = text.split('\n').count();
    if let Some(line) = d.line {
        prop_assert!(line >= 1 && line <= lines, "line {} of {}: {:?}", line, lines, d);
    }
    if let Some(column) = d.column {
        prop_assert!(column >= 1, "column 0: {:?}", d);
    }
    Ok(())
}

/// Text that means something to YAML, Markdown or the front matter split.
const TOKENS: &[&str] = &[
    "---\n",
    "---",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    ":",
    ": ",
    "- ",
    "-",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "!x ",
    "? ",
    "|",
    ">-",
    "'",
    "\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    "%YAML 1.2\n",
    "...\n",
    "~",
    "null",
    "true",
    "1e999",
    "-0",
    ".nan",
    "\u{feff}",
    "é",
    "—",
    "\u{0}",
    "\\",
    "../",
    "/",
    "javascript:",
    "https://",
    "themes: ",
    "value: ",
    "comparison: ",
    "figures:\n  - ",
    "resources:\n  - file: ",
    "\n  - ",
    "    ",
    "<<: ",
    "\u{2028}",
    "\u{85}",
];

#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(Index, u8),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    DuplicateLine(Index),
    RemoveLine(Index),
    SwapLines(Index, Index),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit(at, bit)),
        (any::<Index>(), proptest::collection::vec(any::<u8>(), 1..6)).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<Index>(), select(TOKENS)).prop_map(|(at, t)| Mutation::Insert(at, t.as_bytes().to_vec())),
        (any::<Index>(), 1usize..16).prop_map(|(at, n)| Mutation::Delete(at, n)),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        any::<Index>().prop_map(Mutation::RemoveLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let at = |i: &Index, len: usize| i.index(len + 1);
    match mutation {
        Mutation::FlipBit(i, bit) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            bytes[at] ^= 1 << bit;
        }
        Mutation::FlipBit(..) => {}
        Mutation::Insert(i, insert) => {
            let at = at(i, bytes.len());
            bytes.splice(at..at, insert.iter().copied());
        }
        Mutation::Delete(i, n) => {
            let start = at(i, bytes.len());
            let end = (start + n).min(bytes.len());
            bytes.drain(start..end);
        }
        Mutation::Truncate(i) => bytes.truncate(at(i, bytes.len())),
        Mutation::DuplicateLine(i) | Mutation::RemoveLine(i) | Mutation::SwapLines(i, _) => {
            let mut lines: Vec<Vec<u8>> = bytes.split_inclusive(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
            if lines.is_empty() {
                return;
            }
            let l = i.index(lines.len());
            match mutation {
                Mutation::DuplicateLine(_) => lines.insert(l, lines[l].clone()),
                Mutation::RemoveLine(_) => {
                    lines.remove(l);
                }
                Mutation::SwapLines(_, other) => {
                    let other = other.index(lines.len());
                    lines.swap(l, other);
                }
                _ => unreachable!("matched above"),
            }
            *bytes = lines.concat();
        }
    }
}

/// Every field of a valid case study, as `key` and the text after `key:`.
const FIELDS: &[(&str, &str)] = &[
    ("title", "Celebrating care leavers' success"),
    ("authority", "Coventry"),
    ("themes", "[celebration, relationships]"),
    ("survey", "your-life-beyond-care"),
    ("date", "2020-10-01"),
    ("summary", "Coventry marks care leavers' achievements."),
    ("why", "|\n  Care leavers want people who believe in them.\n"),
    ("what", "|\n  Workers celebrate achievements.\n"),
    ("impact", "|\n  92% say someone tells them when they have done well.\n"),
    ("figures", "\n  - label: L\n    value: 92\n    comparison: 87\n    comparison_label: others\n    year: 2020\n"),
    ("quotes", "\n  - text: Q\n    by: B\n"),
    ("resources", "\n  - title: T\n    file: slides.pdf\n  - title: U\n    url: https://example.org/\n"),
    ("draft", "false"),
];

/// Values that are wrong for some field or other.
const ODD_VALUES: &[&str] = &[
    "",
    "\"\"",
    "Coventry",
    "celebration",
    "[a, b, c, d, e, f]",
    "[housing, housing]",
    "Your Life Beyond Care",
    "31/12/2021",
    "2021-02-30",
    "2021-02-28T10:00",
    ">-\n  Text\n",
    "92",
    "\"92%\"",
    "120",
    "-1",
    "1e999",
    ".nan",
    "true",
    "~",
    "[]",
    "{}",
    "[[1]]",
    "{a: 1}",
    "2020",
    "!!binary aGk=",
    "\n  - label: L\n    value: 50\n    comparison: 40\n",
    "\n  - label: L\n    comparison_label: x\n",
    "\n  - label: L\n    value: true\n    year: \"2020\"\n",
    "\n  - lable: L\n",
    "\n  - text: Q\n    author: B\n",
    "\n  - title: T\n    file: ../../../etc/passwd\n",
    "\n  - title: T\n    file: outside.pdf\n",
    "\n  - title: T\n    file: /etc/passwd\n",
    "\n  - title: T\n    file: c:/x\n",
    "\n  - title: T\n    url: javascript:alert(1)\n",
    "\n  - title: T\n    file: a\\b.pdf\n    url: https://x\n",
    "\n  - title: T\n",
    "\n  - {}\n",
    "\n  - 3\n",
    "\n  -\n",
    "\n  - [a]\n",
];

/// A front matter with each field of a valid case study present or not,
/// as written or given an odd value, to reach the checks past YAML parsing
/// more often than random bytes do.
fn front_matter() -> impl Strategy<Value = String> {
    let fields: Vec<_> = FIELDS
        .iter()
        .map(|(key, valid)| {
            let value = prop_oneof![12 => Just(*valid), 1 => select(ODD_VALUES)];
            proptest::option::weighted(0.95, value.prop_map(move |v| (*key, v)))
        })
        .collect();
    (fields, proptest::option::weighted(0.1, select(ODD_VALUES))).prop_map(|(fields, extra)| {
        let extra = extra.map(|v| ("autority", v));
        let mut text = String::from("---\n");
        for (key, value) in fields.into_iter().flatten().chain(extra) {
            text.push_str(key);
            text.push(':');
            if !value.starts_with('\n') && !value.is_empty() {
                text.push(' ');
            }
            text.push_str(value);
            if !value.ends_with('\n') {
                text.push('\n');
            }
        }
        text.push_str("---\nBody\n");
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        // A failure is turned into a named regression test, not a file.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        validate_bytes(bytes)?;
    }

    #[test]
    fn arbitrary_text_after_a_fence_never_panics(text in "---\n(\\PC|[\n\t ]){0,400}\n---\n(\\PC|\n){0,40}") {
        validate_bytes(text.into_bytes())?;
    }

    #[test]
    fn mutated_valid_files_never_panic(
        seed in any::<Index>(),
        mutations in proptest::collection::vec(mutation(), 1..5),
    ) {
        let seeds = seeds();
        let mut bytes = seeds[seed.index(seeds.len())].clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        validate_bytes(bytes)?;
    }

    #[test]
    fn assembled_front_matter_never_panics(text in front_matter()) {
        validate_bytes(text.into_bytes())?;
    }
}
