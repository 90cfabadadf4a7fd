//! `check --changed-since REV` and `--summary FILE` in temporary git
//! repositories, and the GitHub workflows that call them: their YAML is
//! read, and the commands their steps run are run here.

use crate::harness::{fixture_text, run_binary, Site, CASE_STUDY};
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn git(root: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .output()
        .expect("run git");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

const OTHER: &str = "content/case-studies/bexley-homework-club.md";
const NEW: &str = "content/case-studies/oldham-supported-accommodation.md";

/// A site in a git repository: on `main`, the valid fixture and a second
/// case study that is already broken (an unknown theme); then a branch
/// `pr` is checked out.
fn repository() -> Site {
    let site = Site::fixture("valid");
    let broken = fixture_text("valid", CASE_STUDY)
        .replace("authority: Coventry", "authority: Bexley")
        .replace("themes: [celebration, relationships]", "themes: [homework]")
        .replace("    file: slides.pdf\n", "    url: https://example.org/slides\n")
        .replace("    file: coventry-celebrating-success/award-night.jpg\n", "    url: https://example.org/photo\n");
    site.write(OTHER, broken);
    git(site.root(), &["init", "--quiet", "--initial-branch", "main"]);
    git(site.root(), &["add", "."]);
    git(site.root(), &["commit", "--quiet", "--message", "main"]);
    git(site.root(), &["checkout", "--quiet", "-b", "pr"]);
    site
}

/// A new case study from Oldham, with a figure, using the theme `housing`
/// and `extra_theme`.
fn oldham(extra_theme: &str) -> String {
    format!(
        "---\ntitle: Supported accommodation that feels like home\nauthority: Oldham\nthemes: [housing, {extra_theme}]\n\
         survey: your-life-beyond-care\ndate: 2021-04-29\nsummary: Oldham's supported lodgings.\nwhy: |\n  Why.\n\
         what: |\n  What.\nimpact: |\n  Impact.\nfigures:\n  - label: Care leavers who feel settled where they live\n\
         \x20   value: 91\n    comparison: 83\n    comparison_label: care leavers in other local authorities\n---\n"
    )
}

fn check_since(site: &Site, rev: &str, extra: &[&str]) -> (Option<i32>, Vec<serde_json::Value>, String) {
    let mut args = vec!["check", "--format", "json", "--changed-since", rev];
    args.extend_from_slice(extra);
    let output = run_binary(&args, site.root(), &[]);
    let diagnostics = serde_json::from_slice(&output.stdout).unwrap_or_default();
    (output.status.code(), diagnostics, String::from_utf8(output.stderr).unwrap())
}

fn files_of(diagnostics: &[serde_json::Value]) -> Vec<&str> {
    let mut files: Vec<&str> = diagnostics.iter().filter_map(|d| d["file"].as_str()).collect();
    files.dedup();
    files
}

#[test]
fn only_problems_in_changed_files_are_reported() {
    let site = repository();
    site.write(NEW, oldham("fostering"));
    git(site.root(), &["add", "."]);
    git(site.root(), &["commit", "--quiet", "--message", "add oldham"]);
    let (status, diagnostics, stderr) = check_since(&site, "main", &[]);
    assert_eq!(status, Some(1), "{stderr}");
    assert_eq!(files_of(&diagnostics), vec![NEW], "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "unknown-theme");
    assert_eq!(diagnostics[0]["line"], 4);
    assert!(
        stderr.contains("(reporting on files changed since main: 1 case study; 1 problem in other files not shown)"),
        "{stderr}"
    );
    // Without the flag, both files are reported.
    let all = run_binary(&["check", "--format", "json"], site.root(), &[]);
    let all: Vec<serde_json::Value> = serde_json::from_slice(&all.stdout).unwrap();
    assert_eq!(files_of(&all), vec![OTHER, NEW]);
}

#[test]
fn a_clean_change_passes_even_when_other_files_have_problems() {
    let site = repository();
    site.write(NEW, oldham("relationships"));
    git(site.root(), &["add", "."]);
    git(site.root(), &["commit", "--quiet", "--message", "add oldham"]);
    let (status, diagnostics, stderr) = check_since(&site, "main", &[]);
    assert_eq!((status, diagnostics.len()), (Some(0), 0), "{stderr}");
}

#[test]
fn uncommitted_and_untracked_files_count_as_changed() {
    let site = repository();
    site.write(NEW, oldham("fostering"));
    let (_, diagnostics, _) = check_since(&site, "main", &[]);
    assert_eq!(files_of(&diagnostics), vec![NEW], "untracked");
    git(site.root(), &["add", NEW]);
    let (_, diagnostics, _) = check_since(&site, "HEAD", &[]);
    assert_eq!(files_of(&diagnostics), vec![NEW], "staged");
}

#[test]
fn work_merged_into_the_base_later_is_not_this_branchs_change() {
    let site = repository();
    site.write(NEW, oldham("relationships"));
    git(site.root(), &["add", "."]);
    git(site.root(), &["commit", "--quiet", "--message", "add oldham"]);
    git(site.root(), &["checkout", "--quiet", "main"]);
    site.write("content/case-studies/later.md", oldham("fostering"));
    git(site.root(), &["add", "."]);
    git(site.root(), &["commit", "--quiet", "--message", "later on main"]);
    git(site.root(), &["checkout", "--quiet", "pr"]);
    let (status, diagnostics, stderr) = check_since(&site, "main", &[]);
    assert_eq!((status, diagnostics.len()), (Some(0), 0), "{stderr}");
}

#[test]
fn a_change_to_site_yaml_or_a_resource_reports_everything() {
    let site = repository();
    let config = fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}\n"));
    let (_, diagnostics, _) = check_since(&site, "main", &[]);
    assert_eq!(files_of(&diagnostics), vec![OTHER], "site.yaml changed");
    git(site.root(), &["checkout", "--quiet", "site.yaml"]);
    site.remove("content/case-studies/slides.pdf");
    let (status, diagnostics, _) = check_since(&site, "main", &[]);
    assert_eq!(status, Some(1));
    let codes: Vec<&str> = diagnostics.iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.contains(&"resource-missing") && codes.contains(&"unknown-theme"), "{codes:?}");
}

#[test]
fn git_problems_are_usage_errors() {
    let site = repository();
    let (status, _, stderr) = check_since(&site, "no-such-branch", &[]);
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains("--changed-since: error[git-failed]: cannot list the files changed since `no-such-branch`"),
        "{stderr}"
    );
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
    let outside = Site::fixture("valid");
    let (status, _, stderr) = check_since(&outside, "main", &[]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("error[git-failed]"), "{stderr}");
}

#[test]
fn summary_needs_changed_since() {
    let output = run_binary(&["check", "--summary", "x.md"], Site::fixture("valid").root(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--changed-since"));
}

#[test]
fn the_summary_tells_a_reviewer_what_changed() {
    let site = repository();
    site.write(NEW, oldham("fostering"));
    let valid = fixture_text("valid", CASE_STUDY).replace("date: 2020-10-01", "date: 2020-11-01");
    site.write(CASE_STUDY, valid);
    site.remove(OTHER);
    let config = fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}\n"));
    let summary_path = site.root().join("summary.md");
    let (status, _, stderr) = check_since(&site, "main", &["--summary", summary_path.to_str().unwrap()]);
    assert_eq!(status, Some(1), "{stderr}");
    let summary = fs::read_to_string(&summary_path).expect("the summary was written");
    for expected in [
        "## Case studies changed since `main`\n",
        "❌ The check found 1 problem to fix in 1 file.",
        "### Added: Supported accommodation that feels like home\n",
        "- File: `content/case-studies/oldham-supported-accommodation.md`\n",
        "- Authority: Oldham\n",
        "- Themes: Housing and accommodation (`housing`), `fostering`\n",
        "- Survey: Your Life Beyond Care (`your-life-beyond-care`)\n",
        "- Date: 2021-04-29\n",
        "- Check: ❌ 1 problem:\n  - line 4: \\`fostering\\` is not a theme in site.yaml\n",
        "| Care leavers who feel settled where they live | 91% | 83% care leavers in other local authorities |\n",
        "**New vocabulary needed:** the theme `fostering` is not in `site.yaml`.",
        "### Changed: Celebrating care leavers' success\n",
        "- Check: ✅ no problems\n",
        "### Removed: `content/case-studies/bexley-homework-club.md`\n",
        "### Other files changed\n\n- `site.yaml`: the site's settings and vocabulary",
    ] {
        assert!(summary.contains(expected), "the summary lacks {expected:?}:\n{summary}");
    }
}

#[test]
fn the_summary_escapes_what_authors_write() {
    let site = repository();
    site.write(
        NEW,
        oldham("relationships").replace(
            "title: Supported accommodation that feels like home",
            "title: \"<img src=x onerror=alert(1)> | *Supported*\"",
        ),
    );
    let summary_path = site.root().join("summary.md");
    let (status, _, _) = check_since(&site, "main", &["--summary", summary_path.to_str().unwrap()]);
    assert_eq!(status, Some(0));
    let summary = fs::read_to_string(&summary_path).unwrap();
    assert!(summary.contains("### Added: &lt;img src=x onerror=alert\\(1\\)&gt; \\| \\*Supported\\*"), "{summary}");
    assert!(summary.contains("✅ The check found no problems."), "{summary}");
}

// The workflows.

fn workflow(name: &str) -> serde_yaml::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows").join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}"))
}

/// Every step of every job, in order.
fn steps(workflow: &serde_yaml::Value) -> Vec<&serde_yaml::Value> {
    let jobs = workflow["jobs"].as_mapping().expect("a workflow has jobs");
    jobs.values().flat_map(|job| job["steps"].as_sequence().expect("a job has steps").iter()).collect()
}

/// The `run` line of the one step whose command contains `needle`.
fn run_line<'w>(workflow: &'w serde_yaml::Value, needle: &str) -> &'w str {
    let found: Vec<&str> =
        steps(workflow).into_iter().filter_map(|s| s["run"].as_str()).filter(|r| r.contains(needle)).collect();
    assert_eq!(found.len(), 1, "expected one step running {needle:?}, found {found:?}");
    found[0].trim()
}

/// Splits a command line the way a shell would for these simple lines:
/// words separated by spaces, double quotes grouping, `$NAME` expanded.
fn shell_words(line: &str, vars: &[(&str, &str)]) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    words.push(word);
    words.into_iter().map(|w| vars.iter().fold(w, |w, (name, value)| w.replace(&format!("${name}"), value))).collect()
}

fn run_in(root: &Path, words: &[String]) -> Output {
    let program = words[0].as_str();
    assert!(program.ends_with("/practicebank"), "the step runs {program}, not the practicebank it built");
    Command::new(env!("CARGO_BIN_EXE_practicebank")).args(&words[1..]).current_dir(root).output().unwrap()
}

#[test]
fn the_pull_request_workflow_annotates_changed_lines_and_writes_the_summary() {
    let flow = workflow("check.yml");
    assert!(flow["on"].get("pull_request").is_some(), "it runs on pull requests");
    let checkout =
        steps(&flow).into_iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/checkout@")));
    assert_eq!(
        checkout.expect("a checkout step")["with"]["fetch-depth"],
        serde_yaml::Value::from(0),
        "history to diff"
    );
    assert!(run_line(&flow, "cargo build").contains("--locked"));
    let line = run_line(&flow, "practicebank check");
    assert!(
        line.contains("--format github --changed-since \"$BASE_SHA\" --summary \"$GITHUB_STEP_SUMMARY\""),
        "{line}"
    );
    let step = steps(&flow).into_iter().find(|s| s["run"].as_str() == Some(line)).unwrap();
    assert_eq!(step["env"]["BASE_SHA"].as_str(), Some("${{ github.event.pull_request.base.sha }}"));

    // Run that very command in a pull request's checkout.
    let site = repository();
    let base = git(site.root(), &["rev-parse", "main"]);
    site.write(NEW, oldham("fostering"));
    git(site.root(), &["add", "."]);
    git(site.root(), &["commit", "--quiet", "--message", "add oldham"]);
    let summary = site.root().join("step-summary.md");
    let words = shell_words(line, &[("BASE_SHA", &base), ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())]);
    let output = run_in(site.root(), &words);
    assert_eq!(output.status.code(), Some(1), "the step fails on a problem");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("::error file=content/case-studies/oldham-supported-accommodation.md,line=4,col="),
        "{stdout}"
    );
    assert!(!stdout.contains(OTHER), "{stdout}");
    let summary = fs::read_to_string(summary).expect("the job summary was written");
    assert!(summary.contains("### Added: Supported accommodation that feels like home"), "{summary}");
}

#[test]
fn the_main_workflow_checks_builds_and_deploys_to_pages() {
    let flow = workflow("deploy.yml");
    let branches = &flow["on"]["push"]["branches"];
    assert_eq!(branches, &serde_yaml::from_str::<serde_yaml::Value>("[main]").unwrap());
    assert_eq!(flow["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(flow["permissions"]["id-token"].as_str(), Some("write"));
    let uses: Vec<&str> = steps(&flow).into_iter().filter_map(|s| s["uses"].as_str()).collect();
    for action in ["actions/upload-pages-artifact@", "actions/deploy-pages@"] {
        assert!(uses.iter().any(|u| u.starts_with(action)), "no {action} in {uses:?}");
    }
    let upload = steps(&flow)
        .into_iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-pages-artifact@")))
        .unwrap();
    let published = upload["with"]["path"].as_str().expect("the artifact's path");

    let site = Site::fixture("valid");
    let check = shell_words(run_line(&flow, "practicebank check"), &[]);
    assert_eq!(run_in(site.root(), &check).status.code(), Some(0));
    let build = shell_words(run_line(&flow, "practicebank build"), &[]);
    assert_eq!(build[1..], ["build", "--output", published], "it builds into the folder it publishes");
    let output = run_in(site.root(), &build);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(site.root().join(published).join("index.html").is_file());
}
