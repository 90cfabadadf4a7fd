//! The three report formats and the exit statuses, end to end through the
//! binary.

use crate::harness::{run_binary, Site, CASE_STUDY};
use std::process::Output;

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

const UNKNOWN_KEY_HUMAN: &str = "\
content/case-studies/coventry-celebrating-success.md:3:1: error[unknown-key]: `autority` is not a key a case study can have
3 | autority: Coventry
  | ^^^^^^^^
  help: did you mean `authority`?

checked 1 case study: 1 error in 1 file
";

#[test]
fn human_shows_place_source_line_caret_and_help() {
    let site = Site::fixture("unknown-key-top");
    // NO_COLOR must win even over CLICOLOR_FORCE.
    let output = run_binary(&["check"], site.root(), &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(!out.contains('\x1b'), "escape codes despite NO_COLOR:\n{out:?}");
    assert_eq!(out, UNKNOWN_KEY_HUMAN);
    assert_eq!(stderr(&output), "");
}

#[test]
fn human_is_coloured_only_when_forced() {
    let site = Site::fixture("unknown-key-top");
    let forced = run_binary(&["check"], site.root(), &[("CLICOLOR_FORCE", "1")]);
    assert!(stdout(&forced).contains('\x1b'), "CLICOLOR_FORCE=1 should colour the report");
    let piped = run_binary(&["check"], site.root(), &[]);
    assert_eq!(stdout(&piped), UNKNOWN_KEY_HUMAN, "a pipe gets no colour");
}

#[test]
fn human_diagnostic_about_a_whole_file_has_no_source_line() {
    let output = run_binary(&["check"], Site::fixture("upper-case-file-name").root(), &[("NO_COLOR", "1")]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "content/case-studies/Coventry-Celebrating-Success.md: error[bad-file-name]: \
         the file name `Coventry-Celebrating-Success.md` is not a valid slug\n  \
         help: rename the file to `coventry-celebrating-success.md` (lowercase letters a-z, digits and hyphens only)\n\
         \n\
         checked 1 case study: 1 error in 1 file\n"
    );
}

#[test]
fn human_summary_for_a_clean_site() {
    let output = run_binary(&["check"], Site::fixture("valid").root(), &[("NO_COLOR", "1")]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "checked 1 case study: no problems\n");
}

#[test]
fn github_annotations() {
    let site = Site::fixture("unknown-key-top");
    let output = site.run(&["check", "--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        format!(
            "::error file={CASE_STUDY},line=3,col=1,title=practicebank unknown-key::\
             `autority` is not a key a case study can have%0Ahelp: did you mean `authority`?\n\
             checked 1 case study: 1 error in 1 file\n"
        )
    );
}

#[test]
fn github_annotation_about_a_whole_file_has_no_line() {
    let output = Site::fixture("upper-case-file-name").run(&["check", "--format", "github"]);
    let out = stdout(&output);
    assert!(
        out.starts_with(
            "::error file=content/case-studies/Coventry-Celebrating-Success.md,title=practicebank bad-file-name::"
        ),
        "{out}"
    );
}

#[test]
fn json_is_an_array_of_diagnostics_relative_to_the_root() {
    let site = Site::fixture("several-files");
    let output = site.run(&["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("stdout is JSON");
    let items = value.as_array().expect("a JSON array");
    assert_eq!(items.len(), 3);
    for item in items {
        let object = item.as_object().expect("each diagnostic is an object");
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["code", "column", "file", "help", "line", "message", "severity"], "{item}");
        let file = object["file"].as_str().expect("file is a string");
        assert!(file.starts_with("content/case-studies/"), "not relative to the root: {file}");
    }
    assert_eq!(
        items[1],
        serde_json::json!({
            "file": "content/case-studies/coventry-pledge.md",
            "line": 3,
            "column": 1,
            "severity": "error",
            "code": "unknown-key",
            "message": "`autority` is not a key a case study can have",
            "help": "did you mean `authority`?",
        })
    );
    let root = site.root().to_string_lossy().into_owned();
    assert!(!stdout(&output).contains(&root), "absolute paths in the JSON");
    assert_eq!(stderr(&output), "checked 4 case studies: 3 errors in 3 files\n");
}

#[test]
fn json_for_a_file_without_a_line_has_nulls() {
    let output = Site::fixture("upper-case-file-name").run(&["check", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("stdout is JSON");
    assert_eq!(value[0]["line"], serde_json::Value::Null);
    assert_eq!(value[0]["column"], serde_json::Value::Null);
    assert_eq!(value[0]["code"], "bad-file-name");
}

#[test]
fn json_for_a_clean_site_is_an_empty_array() {
    let output = Site::fixture("valid").run(&["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output).trim(), "[]");
    assert_eq!(stderr(&output), "checked 1 case study: no problems\n");
}

#[test]
fn exit_statuses() {
    let status = |site: &Site| site.run(&["check"]).status.code();
    assert_eq!(status(&Site::fixture("valid")), Some(0), "valid");
    assert_eq!(status(&Site::fixture("unknown-key-top")), Some(1), "content errors");
    assert_eq!(status(&Site::fixture("site-yaml-bad")), Some(2), "bad site.yaml");
    assert_eq!(status(Site::fixture("valid").remove("site.yaml")), Some(2), "no site.yaml");
}

#[test]
fn a_missing_root_or_a_bad_flag_exits_2() {
    let site = Site::empty();
    let missing = site.root().join("no-such-site");
    let output = run_binary(&["check", "--format", "json"], &missing, &[]);
    assert_eq!(output.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("stdout is JSON");
    assert_eq!(value[0]["code"], "site-missing");

    let output = site.run(&["check", "--format", "xml"]);
    assert_eq!(output.status.code(), Some(2), "clap's usage error");
}

#[test]
fn bad_site_yaml_in_the_human_format() {
    let output = run_binary(&["check"], Site::fixture("site-yaml-bad").root(), &[("NO_COLOR", "1")]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stdout(&output),
        "site.yaml:4:11: error[bad-url]: `base_url` must be a web address starting with https:// or http://\n\
         4 | base_url: /practice-bank/\n  \
         |           ^^^^^^^^^^^^^^^\n  \
         help: use a full web address starting with https:// (or http://)\n\
         \n\
         checked 1 case study: 1 error in 1 file\n"
    );
}
