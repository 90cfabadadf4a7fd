//! `practicebank schema`, the editor settings that use it, and the test that
//! keeps the schema and the validator from drifting apart: every case study
//! in every fixture site gets the same verdict from both, wherever the
//! schema can state the rule.

use crate::harness::{fixtures_dir, run_binary, Site};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `practicebank schema` on the site at `root`.
fn schema_of(root: &Path) -> Value {
    let output = run_binary(&["schema"], root, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("schema prints JSON")
}

/// Rules a JSON Schema cannot state: they are about YAML syntax, the file
/// and its name, other files, or the disk.
const INEXPRESSIBLE: &[&str] = &[
    "no-front-matter",
    "unclosed-front-matter",
    "yaml-syntax",
    "yaml-tab",
    "yaml-alias",
    "yaml-too-deep",
    "duplicate-key",
    "invalid-utf8",
    "file-too-large",
    "unreadable",
    "outside-content",
    "bad-file-name",
    "slug-collision",
    "resource-missing",
    "resource-outside-content",
];

#[derive(Debug, serde::Deserialize)]
struct Reported {
    file: String,
    line: Option<usize>,
    code: String,
}

/// What one comparison found.
#[derive(Default)]
struct Tally {
    agreed_valid: usize,
    agreed_invalid: usize,
    skipped: usize,
    disagreements: Vec<String>,
}

/// Compares the two verdicts on every case study of the site at `root`.
fn compare(root: &Path, tally: &mut Tally) {
    let schema = schema_of(root);
    let validator = jsonschema::draft7::new(&schema).expect("the schema compiles");
    let output = run_binary(&["check", "--format", "json"], root, &[]);
    let reported: Vec<Reported> = serde_json::from_slice(&output.stdout).expect("check prints JSON");
    let mut by_file: BTreeMap<String, Vec<Reported>> = BTreeMap::new();
    for r in reported {
        by_file.entry(r.file.clone()).or_default().push(r);
    }
    for path in case_study_files(&root.join("content/case-studies")) {
        let file = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let Ok(text) = fs::read_to_string(&path) else {
            tally.skipped += 1;
            continue;
        };
        let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        let problems = by_file.remove(&file).unwrap_or_default();
        let Some((yaml, body_line)) = front_matter(&text) else {
            tally.skipped += 1;
            continue;
        };
        let in_body = |p: &Reported| p.code == "guidance-left" && p.line.is_some_and(|l| l >= body_line);
        let expressible = problems.iter().any(|p| !INEXPRESSIBLE.contains(&p.code.as_str()) && !in_body(p));
        if !problems.is_empty() && !expressible {
            tally.skipped += 1;
            continue;
        }
        let Some(instance) =
            serde_yaml::from_str::<serde_yaml::Value>(yaml).ok().and_then(|v| serde_json::to_value(v).ok())
        else {
            tally.skipped += 1;
            continue;
        };
        let schema_errors: Vec<String> =
            validator.iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path)).collect();
        match (problems.is_empty(), schema_errors.is_empty()) {
            (true, true) => tally.agreed_valid += 1,
            (false, false) => tally.agreed_invalid += 1,
            (true, false) => tally
                .disagreements
                .push(format!("{}: check accepts it, the schema rejects it: {schema_errors:?}", path.display())),
            (false, true) => {
                let codes: Vec<&str> = problems.iter().map(|p| p.code.as_str()).collect();
                tally
                    .disagreements
                    .push(format!("{}: check rejects it ({codes:?}), the schema accepts it", path.display()))
            }
        }
    }
}

/// The YAML between the fences, and the line the body starts on.
fn front_matter(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n").map(|i| i + 1).or_else(|| rest.strip_suffix("\n---").map(|r| r.len() + 1))?;
    let yaml = &rest[..end];
    Some((yaml, yaml.lines().count() + 3))
}

fn case_study_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(case_study_files(&path));
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")) {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn the_schema_and_the_validator_agree_on_every_fixture() {
    let mut tally = Tally::default();
    // Every check fixture, in a copy as the check tests use it.
    for entry in fs::read_dir(fixtures_dir()).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().is_dir() || name == "site-yaml-bad" {
            continue;
        }
        compare(Site::fixture(&name).root(), &mut tally);
    }
    // The fixtures written for this test, one site holding them all.
    let site = Site::empty();
    let dir = repo().join("tests/fixtures/authoring/schema");
    for entry in fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let verdict = if name.starts_with("valid-") { "valid" } else { "invalid" };
        let text = fs::read_to_string(entry.path()).unwrap();
        site.write(&format!("content/case-studies/{name}"), &text);
        // Each must be as its name says, or it tests nothing.
        let checked = run_binary(&["check", "--format", "json"], site.root(), &[]);
        let problems: Vec<Reported> = serde_json::from_slice(&checked.stdout).unwrap();
        assert_eq!(problems.is_empty(), verdict == "valid", "{name} is not {verdict}: {problems:?}");
        site.remove(&format!("content/case-studies/{name}"));
    }
    for entry in fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        site.write(&format!("content/case-studies/{name}"), fs::read(entry.path()).unwrap());
    }
    compare(site.root(), &mut tally);
    // The example site and the build fixtures.
    compare(repo(), &mut tally);
    for entry in fs::read_dir(repo().join("tests/fixtures/build")).unwrap().flatten() {
        if entry.path().join("site.yaml").is_file() {
            compare(&entry.path(), &mut tally);
        }
    }
    assert!(tally.disagreements.is_empty(), "the schema and check disagree:\n{}", tally.disagreements.join("\n"));
    assert!(tally.agreed_valid >= 20, "only {} valid case studies compared", tally.agreed_valid);
    assert!(tally.agreed_invalid >= 50, "only {} invalid case studies compared", tally.agreed_invalid);
    eprintln!(
        "agreed on {} valid and {} invalid; {} not expressible",
        tally.agreed_valid, tally.agreed_invalid, tally.skipped
    );
}

#[test]
fn the_shipped_schema_is_the_one_site_yaml_gives() {
    let shipped: Value = serde_json::from_str(
        &fs::read_to_string(repo().join(".vscode/case-study.schema.json")).expect("the schema ships in .vscode/"),
    )
    .expect("the shipped schema is JSON");
    assert!(
        shipped == schema_of(repo()),
        "the shipped schema is out of date: run `practicebank schema > .vscode/case-study.schema.json`"
    );
}

#[test]
fn the_schema_offers_the_sites_vocabulary() {
    let schema = schema_of(Site::empty().root());
    let themes = &schema["properties"]["themes"]["anyOf"][0]["enum"];
    assert_eq!(themes, &serde_json::json!(["celebration", "education", "housing", "participation", "relationships"]));
    let surveys = &schema["properties"]["survey"]["anyOf"][0]["enum"];
    assert_eq!(surveys, &serde_json::json!(["your-life-beyond-care", "your-life-your-care"]));
}

#[test]
fn schema_needs_a_valid_site_yaml() {
    let site = Site::empty();
    site.write("site.yaml", "title: T\n");
    let output = run_binary(&["schema"], site.root(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("site.yaml:") && stderr.contains("error[missing-field]"), "{stderr}");
}

#[test]
fn the_editor_settings_point_the_yaml_extension_at_the_schema() {
    let read = |rel: &str| -> Value {
        serde_json::from_str(&fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")))
            .unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
    };
    let settings = read(".vscode/settings.json");
    let association = settings["files.associations"]["**/content/case-studies/**/*.md"].as_str();
    assert_eq!(association, Some("yaml"), "case studies must open as YAML for the extension to see them");
    let schemas = settings["yaml.schemas"].as_object().expect("yaml.schemas");
    let globs = schemas.get("./.vscode/case-study.schema.json").expect("the shipped schema is associated");
    assert!(globs.as_array().is_some_and(|g| g.iter().any(|g| g == "content/case-studies/*.md")), "{globs}");
    let recommended = read(".vscode/extensions.json");
    assert!(recommended["recommendations"].as_array().unwrap().iter().any(|r| r == "redhat.vscode-yaml"));
}
