//! `practicebank new` end to end: with flags, with its questions answered
//! through a pseudo-terminal, and the author's whole path from a new file
//! (which fails `check` on its guidance) to a built page.

use crate::harness::{check_root, run_binary, Site};
use std::fs;
use std::path::Path;
use std::process::Output;

const TITLE: &str = "Celebrating care leavers' success";
const FILE: &str = "content/case-studies/coventry-celebrating-care-leavers-success.md";

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

/// `practicebank new` with `args` and stdin that is not a terminal.
fn new(site: &Site, args: &[&str]) -> Output {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    run_binary(&all, site.root(), &[])
}

const FLAGS: &[&str] = &[
    "--title",
    TITLE,
    "--authority",
    "Coventry",
    "--theme",
    "celebration",
    "--theme",
    "Relationships",
    "--survey",
    "your-life-beyond-care",
    "--date",
    "2021-04-29",
];

/// The file `new` wrote, with everything from `summary:` to the closing
/// `---` replaced by what an author would write.
fn filled_in(written: &str) -> String {
    let start = written.find("\nsummary:").expect("the new file has a summary") + 1;
    let end = written[start..].find("\n---\n").expect("the front matter is closed") + start + 1;
    let answers =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/authoring/filled-in.md"))
            .expect("read the filled-in answers");
    format!("{}{answers}{}", &written[..start], &written[end..])
}

#[test]
fn flags_write_a_case_study_that_fails_only_on_its_guidance() {
    let site = Site::empty();
    let output = new(&site, FLAGS);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), format!("{}\n", site.root().join(FILE).display()));
    let written = fs::read_to_string(site.root().join(FILE)).expect("the file was written");
    for line in [
        "title: Celebrating care leavers' success\n",
        "authority: Coventry\n",
        "themes: [celebration, relationships]\n",
        "survey: your-life-beyond-care\n",
        "date: 2021-04-29\n",
    ] {
        assert!(written.contains(line), "no {line:?} in:\n{written}");
    }
    let checked = site.check();
    checked.assert_exit(1).assert_count(6);
    for (line, column, field) in [
        (11, 3, "`summary`"),
        (15, 3, "`why`"),
        (18, 3, "`what`"),
        (21, 3, "`impact`"),
        (25, 13, "`figures`"),
        (28, 24, "`figures`"),
    ] {
        checked.assert_diagnostic(
            FILE,
            line,
            Some(column),
            "guidance-left",
            &format!("replace the guidance text in {field}"),
        );
    }
}

#[test]
fn a_filled_in_case_study_passes_builds_and_is_on_its_theme_page() {
    let site = Site::empty();
    assert_eq!(new(&site, FLAGS).status.code(), Some(0));
    let written = fs::read_to_string(site.root().join(FILE)).unwrap();
    site.write(FILE, filled_in(&written));
    site.check().assert_clean();
    let output = tempfile::tempdir().unwrap();
    let out = output.path().join("public");
    let built = run_binary(&["build", "--output", out.to_str().unwrap()], site.root(), &[]);
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    for theme in ["celebration", "relationships"] {
        let page = fs::read_to_string(out.join("themes").join(theme).join("index.html")).expect("the theme page");
        assert!(page.contains("Celebrating care leavers&#39; success"), "not on {theme}");
        assert!(page.contains("case-studies/coventry-celebrating-care-leavers-success/"), "no link on {theme}");
    }
}

#[test]
fn without_a_terminal_missing_flags_are_a_usage_error() {
    let site = Site::empty();
    let output = new(&site, &["--title", "A pilot"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("--authority: error[missing-flag]: `--authority` is needed"), "{stderr}");
    assert!(stderr.contains("--theme: error[missing-flag]"), "{stderr}");
    assert!(!stderr.contains("--title: error"), "{stderr}");
    assert!(stderr.ends_with("nothing was written\n"), "{stderr}");
    assert_eq!(fs::read_dir(site.root().join("content/case-studies")).unwrap().count(), 0);
}

#[test]
fn wrong_flags_get_the_validators_suggestions() {
    let site = Site::empty();
    let output = new(&site, &["--title", "A", "--authority", "B", "--theme", "housng", "--date", "29/04/2021"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("--theme: error[bad-answer]: `housng` is not a theme in site.yaml"), "{stderr}");
    assert!(stderr.contains("did you mean `housing`?"), "{stderr}");
    assert!(stderr.contains("--date: error[bad-answer]"), "{stderr}");
}

#[test]
fn an_existing_file_is_never_overwritten_and_a_free_name_is_suggested() {
    let site = Site::empty();
    site.write(FILE, "mine");
    site.write("content/case-studies/coventry-celebrating-care-leavers-success-2.md", "mine too");
    let output = new(&site, FLAGS);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains(&format!("{FILE}: error[file-exists]")), "{stderr}");
    assert!(stderr.contains("`--slug coventry-celebrating-care-leavers-success-3`"), "{stderr}");
    assert_eq!(fs::read_to_string(site.root().join(FILE)).unwrap(), "mine");
    let mut flags = FLAGS.to_vec();
    flags.extend(["--slug", "coventry-celebrating-care-leavers-success-3"]);
    assert_eq!(new(&site, &flags).status.code(), Some(0));
}

#[test]
fn a_name_differing_only_in_case_counts_as_taken() {
    let site = Site::empty();
    site.write("content/case-studies/Coventry-Celebrating-Care-Leavers-Success.md", "mine");
    assert_eq!(new(&site, FLAGS).status.code(), Some(2));
}

#[test]
fn the_date_defaults_to_today() {
    let site = Site::empty();
    let output = new(&site, &["--title", "A pilot", "--authority", "Bexley", "--theme", "education"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let written = fs::read_to_string(site.root().join("content/case-studies/bexley-a-pilot.md")).unwrap();
    let today = practicebank::new::today().unwrap().to_string();
    assert!(written.contains(&format!("\ndate: {today}\n")), "{written}");
    assert!(written.contains("# survey: "), "an unanswered survey is offered in a comment:\n{written}");
}

/// Runs `new` under a pseudo-terminal made by util-linux `script`, typing
/// `answers`. Returns the exit status and what the terminal showed.
#[cfg(target_os = "linux")]
fn new_on_a_terminal(site: &Site, args: &str, answers: &str) -> (Option<i32>, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let command = format!("'{}' new --root '{}' {args}", env!("CARGO_BIN_EXE_practicebank"), site.root().display());
    let mut child = Command::new("script")
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run util-linux `script` to get a pseudo-terminal");
    child.stdin.take().expect("stdin is piped").write_all(answers.as_bytes()).expect("type the answers");
    let output = child.wait_with_output().expect("script ends");
    (output.status.code(), text(&output.stdout).replace("\r\n", "\n"))
}

#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_it_asks_and_asks_again_after_a_wrong_answer() {
    let site = Site::empty();
    // Title, authority, themes (a wrong number, then two right ones), no
    // survey, and today's date by default.
    let (status, shown) = new_on_a_terminal(&site, "", "A pilot: homework club\nBexley\n42\n2 5\n\n\n");
    assert_eq!(status, Some(0), "{shown}");
    for prompt in [
        "Title: what you did, in a few words: ",
        "Local authority (for example: Coventry): ",
        "   2. Education and school (education)",
        "`42` is not a theme in site.yaml",
        "Survey, by number (press Enter for none): ",
        "Date it was published, as year-month-day [",
    ] {
        assert!(shown.contains(prompt), "the terminal did not show {prompt:?}:\n{shown}");
    }
    let file = "content/case-studies/bexley-a-pilot-homework-club.md";
    assert!(shown.contains(&site.root().join(file).display().to_string()), "{shown}");
    let written = fs::read_to_string(site.root().join(file)).expect("the file was written");
    assert!(written.contains("title: \"A pilot: homework club\"\n"), "{written}");
    assert!(written.contains("themes: [education, relationships]\n"), "{written}");
    assert!(!written.contains("\nsurvey:"), "{written}");
    check_root(site.root()).assert_exit(1).assert_count(6);
}

#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_it_asks_only_for_what_the_flags_left_out() {
    let site = Site::empty();
    site.write(FILE, "taken");
    let args = format!("--title \"{TITLE}\" --authority Coventry --theme celebration --date 2021-04-29");
    // The survey, then a name for the file, since the usual one is taken.
    let (status, shown) = new_on_a_terminal(&site, &args, "2\n\n");
    assert_eq!(status, Some(0), "{shown}");
    assert!(!shown.contains("Title:"), "{shown}");
    assert!(shown.contains("already exists. File name for this one [coventry-celebrating-care-leavers-success-2]"));
    let written =
        fs::read_to_string(site.root().join("content/case-studies/coventry-celebrating-care-leavers-success-2.md"))
            .expect("written under the free name");
    assert!(written.contains("survey: your-life-your-care\n"), "{written}");
}

#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_closing_the_input_writes_nothing() {
    let site = Site::empty();
    let (status, shown) = new_on_a_terminal(&site, "", "A pilot\n");
    assert_eq!(status, Some(2), "{shown}");
    assert!(shown.contains("nothing was written"), "{shown}");
    assert_eq!(fs::read_dir(site.root().join("content/case-studies")).unwrap().count(), 0);
}
