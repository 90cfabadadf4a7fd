//! `practicebank new`: starts a case study from a few answers.
//!
//! In: the site folder, whatever the author gave as flags and, when the
//! command runs on a terminal, a [`Prompt`] to ask for the rest. Out: a new
//! file `content/case-studies/<slug>.md` with the title, authority, themes,
//! survey and date filled in and guidance (each piece starting with
//! [`guidance::MARKER`]) wherever the author's own words belong. Apart from
//! that guidance the file is valid: this is checked with the validator
//! before anything is written, so `check` on a fresh file reports
//! `guidance-left` and nothing else.
//!
//! It reads `site.yaml` (for the vocabulary) and the names of the files
//! already under `content/case-studies/`, writes one new file, and never
//! overwrites one. Every problem is a [`Diagnostic`] whose `file` is the
//! flag or file it is about. The date defaults to today, by the system
//! clock, in UTC.

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::load::{self, CASE_STUDIES_DIR, CONTENT_DIR};
use crate::model::SiteConfig;
use crate::validate::{self, guidance, MAX_THEMES, MAX_TITLE};
use crate::{slug, suggest};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// Slugs made from a title are cut to about this many characters.
const MAX_SLUG: usize = 60;

/// What the author gave on the command line; `None` (or empty) is "not given".
#[derive(Debug, Clone, Default)]
pub struct NewOptions {
    pub root: PathBuf,
    pub title: Option<String>,
    pub authority: Option<String>,
    pub themes: Vec<String>,
    pub survey: Option<String>,
    pub date: Option<String>,
    pub slug: Option<String>,
}

/// Everything a new case study needs, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    pub title: String,
    pub authority: String,
    /// Theme slugs from the vocabulary, 1 to [`MAX_THEMES`].
    pub themes: Vec<String>,
    pub survey: Option<String>,
    pub date: Date,
}

/// The file `new` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// Relative to the site root, `/`-separated.
    pub file: String,
    /// The file on disk: the root joined with `file`.
    pub path: PathBuf,
}

/// Asks the author questions on a terminal, one line per answer.
pub struct Prompt<'a> {
    input: &'a mut dyn BufRead,
    output: &'a mut dyn Write,
}

/// Why an answer was refused: a message and a help line.
type Refusal = (String, String);

impl<'a> Prompt<'a> {
    pub fn new(input: &'a mut dyn BufRead, output: &'a mut dyn Write) -> Self {
        Prompt { input, output }
    }

    /// Asks `question` until `parse` accepts the answer. An empty answer
    /// means `default` when there is one.
    fn ask<T>(
        &mut self,
        question: &str,
        default: Option<&str>,
        parse: impl Fn(&str) -> Result<T, Refusal>,
    ) -> Result<T, Diagnostic> {
        loop {
            let shown = match default {
                Some(d) => format!("{question} [{d}]: "),
                None => format!("{question}: "),
            };
            self.say(&shown)?;
            let mut line = String::new();
            let read = self.input.read_line(&mut line).map_err(|e| closed(&e.to_string()))?;
            if read == 0 {
                return Err(closed("the input ended before the question was answered"));
            }
            let answer = line.trim();
            let answer = if answer.is_empty() { default.unwrap_or("") } else { answer };
            match parse(answer) {
                Ok(value) => return Ok(value),
                Err((message, help)) => self.say(&format!("  {message}\n  {help}\n"))?,
            }
        }
    }

    fn say(&mut self, text: &str) -> Result<(), Diagnostic> {
        self.output.write_all(text.as_bytes()).and_then(|()| self.output.flush()).map_err(|e| closed(&e.to_string()))
    }
}

fn closed(why: &str) -> Diagnostic {
    Diagnostic::file_error("practicebank new", "no-answer", format!("{why}, so nothing was written"))
        .with_help("run `practicebank new` again, or give every answer as a flag (see `practicebank new --help`)")
}

/// Creates the case study: checks the flags, asks for what is missing when
/// `prompt` is given (otherwise missing required flags are errors), and
/// writes the file. Every problem is returned; nothing is written then.
pub fn run(options: &NewOptions, mut prompt: Option<Prompt<'_>>) -> Result<Created, Vec<Diagnostic>> {
    let config = read_config(&options.root)?;
    let given = Given::check(options, &config)?;
    let answers = match prompt.as_mut() {
        Some(prompt) => ask_missing(prompt, given, &config).map_err(|d| vec![d])?,
        None => given.complete()?,
    };
    let taken = taken_slugs(&options.root);
    let slug = match &options.slug {
        Some(slug) => slug.clone(),
        None => slug_for(&answers.authority, &answers.title),
    };
    let slug = if !taken.contains(&slug) {
        slug
    } else if let Some(prompt) = prompt.as_mut() {
        let free = free_slug(&slug, &taken);
        let question = format!("A case study called `{slug}` already exists. File name for this one");
        prompt
            .ask(&question, Some(&free), |answer| {
                let answer = check_slug(answer)?;
                match taken.contains(&answer) {
                    true => Err((format!("`{answer}` is taken too"), format!("try `{}`", free_slug(&answer, &taken)))),
                    false => Ok(answer),
                }
            })
            .map_err(|d| vec![d])?
    } else {
        let file = case_study_file(&slug);
        return Err(vec![Diagnostic::file_error(
            &file,
            "file-exists",
            "a case study with this name already exists, and practicebank new never overwrites one",
        )
        .with_help(format!("choose a free name with `--slug {}`", free_slug(&slug, &taken)))]);
    };
    let text = render(&answers, &config);
    self_check(&slug, &text, &config)?;
    write_new(&options.root, &slug, &text)
}

/// The value of a flag's answer, or its refusal added to `problems`.
fn keep<T>(problems: &mut Vec<Diagnostic>, flag: &str, result: Result<T, Refusal>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err((message, help)) => {
            problems.push(Diagnostic::file_error(flag, "bad-answer", message).with_help(help));
            None
        }
    }
}

/// The answers given as flags, each checked.
#[derive(Debug, Default)]
struct Given {
    title: Option<String>,
    authority: Option<String>,
    themes: Option<Vec<String>>,
    survey: Option<Option<String>>,
    date: Option<Date>,
}

impl Given {
    fn check(options: &NewOptions, config: &SiteConfig) -> Result<Given, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let title = options.title.as_deref().and_then(|t| keep(&mut problems, "--title", check_title(t)));
        let authority =
            options.authority.as_deref().and_then(|a| keep(&mut problems, "--authority", check_authority(a)));
        let themes = if options.themes.is_empty() {
            None
        } else {
            keep(&mut problems, "--theme", check_themes(&options.themes, config, false))
        };
        let survey =
            options.survey.as_deref().and_then(|s| keep(&mut problems, "--survey", check_survey(s, config, false)));
        let date = options.date.as_deref().and_then(|d| keep(&mut problems, "--date", check_date(d)));
        if let Some(slug) = &options.slug {
            keep(&mut problems, "--slug", check_slug(slug));
        }
        if problems.is_empty() {
            Ok(Given { title, authority, themes, survey, date })
        } else {
            Err(problems)
        }
    }

    /// The answers, when no one can be asked: required flags must be there.
    fn complete(self) -> Result<Answers, Vec<Diagnostic>> {
        let missing = |flag: &str, example: &str| {
            Diagnostic::file_error(
                flag,
                "missing-flag",
                format!("`{flag}` is needed: practicebank new only asks questions on a terminal"),
            )
            .with_help(format!("add for example `{flag} {example}`"))
        };
        let mut problems = Vec::new();
        if self.title.is_none() {
            problems.push(missing("--title", "\"Celebrating care leavers' success\""));
        }
        if self.authority.is_none() {
            problems.push(missing("--authority", "Coventry"));
        }
        if self.themes.is_none() {
            problems.push(missing("--theme", "celebration (once for each theme)"));
        }
        match (self.title, self.authority, self.themes) {
            (Some(title), Some(authority), Some(themes)) if problems.is_empty() => Ok(Answers {
                title,
                authority,
                themes,
                survey: self.survey.flatten(),
                date: match self.date {
                    Some(date) => date,
                    None => today().map_err(|d| vec![d])?,
                },
            }),
            _ => Err(problems),
        }
    }
}

/// Asks for every answer not given as a flag.
fn ask_missing(prompt: &mut Prompt<'_>, given: Given, config: &SiteConfig) -> Result<Answers, Diagnostic> {
    prompt.say(&format!(
        "A new case study for {}. Answer each question and press Enter; press Ctrl+C to stop.\n\n",
        config.title
    ))?;
    let title = match given.title {
        Some(title) => title,
        None => prompt.ask("Title: what you did, in a few words", None, check_title)?,
    };
    let authority = match given.authority {
        Some(authority) => authority,
        None => prompt.ask("Local authority (for example: Coventry)", None, check_authority)?,
    };
    let themes = match given.themes {
        Some(themes) => themes,
        None => {
            prompt.say(&format!("\nThemes, from this list (choose 1 to {MAX_THEMES}):\n"))?;
            prompt.say(&numbered(config.themes.iter().map(|(slug, t)| (slug.as_str(), t.label.as_str()))))?;
            prompt.ask("Themes, by number, separated by spaces (for example: 2 5)", None, |answer| {
                check_themes(&split_answer(answer), config, true)
            })?
        }
    };
    let survey = match given.survey {
        Some(survey) => survey,
        None if config.surveys.is_empty() => None,
        None => {
            prompt.say("\nThe survey your figures come from, if any:\n")?;
            prompt.say(&numbered(config.surveys.iter().map(|(slug, s)| (slug.as_str(), s.label.as_str()))))?;
            prompt.ask("Survey, by number (press Enter for none)", None, |answer| check_survey(answer, config, true))?
        }
    };
    let date = match given.date {
        Some(date) => date,
        None => {
            let today = today()?.to_string();
            prompt.ask("\nDate it was published, as year-month-day", Some(&today), check_date)?
        }
    };
    Ok(Answers { title, authority, themes, survey, date })
}

/// `   1. Label (slug)` lines.
fn numbered<'t>(terms: impl Iterator<Item = (&'t str, &'t str)>) -> String {
    terms.enumerate().map(|(i, (slug, label))| format!("  {:>2}. {label} ({slug})\n", i + 1)).collect()
}

/// An answer naming several things: one term if it names one whole, else
/// split at commas, else at spaces.
fn split_answer(answer: &str) -> Vec<String> {
    let parts: Vec<&str> =
        if answer.contains(',') { answer.split(',').collect() } else { answer.split_whitespace().collect() };
    parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// Text on one line: runs of whitespace (newlines too) become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_title(answer: &str) -> Result<String, Refusal> {
    let title = one_line(answer);
    let chars = title.chars().count();
    if title.is_empty() {
        return Err(("the title is empty".into(), "say in a few words what you did".into()));
    }
    if chars > MAX_TITLE {
        return Err((
            format!("the title is {chars} characters long; the limit is {MAX_TITLE}"),
            format!("shorten it by at least {} characters", chars - MAX_TITLE),
        ));
    }
    no_guidance(title)
}

fn check_authority(answer: &str) -> Result<String, Refusal> {
    let authority = one_line(answer);
    if slug::slugify(&authority).is_empty() {
        return Err((
            "the authority has no letters or digits".into(),
            "write the local authority's name, such as `Coventry`".into(),
        ));
    }
    no_guidance(authority)
}

fn no_guidance(text: String) -> Result<String, Refusal> {
    if text.contains(guidance::MARKER) {
        return Err((format!("\"{}\" marks guidance text", guidance::MARKER), "write your own words".into()));
    }
    Ok(text)
}

/// A theme or survey named by slug, label or (when `numbers`) its place in
/// the list.
fn pick<'c>(word: &str, slugs: &[(&'c str, &'c str)], numbers: bool) -> Option<&'c str> {
    if numbers {
        if let Ok(n) = word.parse::<usize>() {
            return n.checked_sub(1).and_then(|i| slugs.get(i)).map(|(slug, _)| *slug);
        }
    }
    let slugged = slug::slugify(word);
    slugs
        .iter()
        .find(|(slug, label)| *slug == word || *slug == slugged || label.eq_ignore_ascii_case(word))
        .map(|(s, _)| *s)
}

fn unknown(word: &str, kind: &str, slugs: &[(&str, &str)], numbers: bool) -> Refusal {
    let help = if numbers {
        format!("give the number of a {kind} in the list")
    } else {
        suggest::help_for(&slug::slugify(word), slugs.iter().map(|(s, _)| *s), &format!("the {kind}s in site.yaml"))
    };
    (
        format!("`{word}` is not a {kind} in site.yaml"),
        format!("{help} (a new {kind} must first be added to site.yaml)"),
    )
}

fn check_themes(words: &[String], config: &SiteConfig, numbers: bool) -> Result<Vec<String>, Refusal> {
    let slugs: Vec<(&str, &str)> = config.themes.iter().map(|(s, t)| (s.as_str(), t.label.as_str())).collect();
    let mut themes: Vec<String> = Vec::new();
    for word in words {
        match pick(word, &slugs, numbers) {
            Some(slug) if themes.iter().any(|t| t == slug) => {}
            Some(slug) => themes.push(slug.to_string()),
            None => return Err(unknown(word, "theme", &slugs, numbers)),
        }
    }
    if themes.is_empty() {
        return Err(("no theme was chosen".into(), format!("choose at least one theme, at most {MAX_THEMES}")));
    }
    if themes.len() > MAX_THEMES {
        return Err((
            format!("{} themes were chosen; a case study has at most {MAX_THEMES}", themes.len()),
            format!("keep the {MAX_THEMES} that fit best"),
        ));
    }
    Ok(themes)
}

/// `Ok(None)` for no survey: an empty answer, or `none`.
fn check_survey(answer: &str, config: &SiteConfig, numbers: bool) -> Result<Option<String>, Refusal> {
    let answer = answer.trim();
    if answer.is_empty() || answer.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let slugs: Vec<(&str, &str)> = config.surveys.iter().map(|(s, t)| (s.as_str(), t.label.as_str())).collect();
    match pick(answer, &slugs, numbers) {
        Some(slug) => Ok(Some(slug.to_string())),
        None => Err(unknown(answer, "survey", &slugs, numbers)),
    }
}

fn check_date(answer: &str) -> Result<Date, Refusal> {
    Date::parse(answer.trim()).map_err(|_| {
        (format!("`{}` is not a date in the form year-month-day", answer.trim()), "write it like `2021-04-29`".into())
    })
}

fn check_slug(answer: &str) -> Result<String, Refusal> {
    let answer = answer.trim().trim_end_matches(".md");
    if slug::is_valid(answer) {
        return Ok(answer.to_string());
    }
    let suggested = slug::slugify(answer);
    let help = if suggested.is_empty() {
        "use lowercase letters a-z, digits and hyphens, such as `coventry-celebrating-success`".to_string()
    } else {
        format!("use `{suggested}` (lowercase letters a-z, digits and hyphens only)")
    };
    Err((format!("`{answer}` is not a valid file name for a case study"), help))
}

/// Today's date in UTC, by the system clock.
pub fn today() -> Result<Date, Diagnostic> {
    let problem = || {
        Diagnostic::file_error("--date", "no-clock", "today's date cannot be read from the system clock")
            .with_help("give the date with `--date YYYY-MM-DD`")
    };
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_err(|_| problem())?.as_secs();
    Date::from_days_since_epoch((seconds / 86_400) as i64).ok_or_else(problem)
}

/// The slug for a case study: the authority, then the title, cut at a
/// hyphen to about [`MAX_SLUG`] characters. A title that already starts
/// with the authority's name does not get it twice.
pub fn slug_for(authority: &str, title: &str) -> String {
    let authority = slug::slugify(authority);
    let title = slug::slugify(title);
    let full = if title.starts_with(&authority) {
        title
    } else if title.is_empty() {
        authority
    } else {
        format!("{authority}-{title}")
    };
    if full.len() <= MAX_SLUG {
        return full;
    }
    let cut = full[..=MAX_SLUG].rfind('-').filter(|&i| i > 0).unwrap_or(MAX_SLUG);
    full[..cut].trim_end_matches('-').to_string()
}

/// `slug` with the lowest number after it that no case study has.
pub fn free_slug(slug: &str, taken: &BTreeSet<String>) -> String {
    (2..).map(|n| format!("{slug}-{n}")).find(|s| !taken.contains(s)).expect("a set is finite, so a number is free")
}

/// The slugs of the case-study files already there, as `check` would see
/// them (so a new file never collides with one, whatever its case).
fn taken_slugs(root: &Path) -> BTreeSet<String> {
    let dir = root.join(CONTENT_DIR).join(CASE_STUDIES_DIR);
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let (stem, extension) = name.rsplit_once('.')?;
            matches!(extension.to_ascii_lowercase().as_str(), "md" | "markdown").then(|| slug::slugify(stem))
        })
        .collect()
}

fn case_study_file(slug: &str) -> String {
    format!("{CONTENT_DIR}/{CASE_STUDIES_DIR}/{slug}.md")
}

/// `site.yaml`, read and validated.
pub fn read_config(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let text = load::load_config(root).map_err(|d| vec![d])?;
    validate::validate_config(&text)
}

/// The validator must find nothing wrong with a fresh file but its guidance.
fn self_check(slug: &str, text: &str, config: &SiteConfig) -> Result<(), Vec<Diagnostic>> {
    let source = load::SourceFile {
        file: case_study_file(slug),
        stem: slug.to_string(),
        extension: "md".into(),
        text: text.to_string(),
    };
    let problems: Vec<Diagnostic> = match validate::validate_case_study(&source, config, &BTreeMap::new()) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.into_iter().filter(|d| d.code != guidance::CODE).collect(),
    };
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems
            .into_iter()
            .map(|d| Diagnostic {
                message: format!("the new file would not be valid: {}", d.message),
                help: Some("this is a bug in practicebank new; please report it with the answers you gave".into()),
                ..d
            })
            .collect()),
    }
}

fn write_new(root: &Path, slug: &str, text: &str) -> Result<Created, Vec<Diagnostic>> {
    let file = case_study_file(slug);
    let path = root.join(&file);
    let fail =
        |e: std::io::Error| vec![Diagnostic::file_error(&file, "cannot-write", format!("cannot write the file: {e}"))];
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(fail)?;
    }
    // `create_new`: a file that appeared since we looked is not overwritten.
    let mut out = fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(fail)?;
    out.write_all(text.as_bytes()).map_err(fail)?;
    Ok(Created { file, path })
}

/// The text of the new case study.
pub fn render(answers: &Answers, config: &SiteConfig) -> String {
    let m = guidance::MARKER;
    let mut out = String::new();
    out.push_str("---\n");
    out.push_str("# Written by `practicebank new`. Replace each piece of guidance (it starts\n");
    out.push_str(&format!("# with \"{m}\") with your own words, then run `practicebank check`.\n"));
    out.push_str("# CONTRIBUTING.md says what makes a good case study.\n");
    out.push_str(&format!("title: {}\n", yaml_scalar(&answers.title)));
    out.push_str(&format!("authority: {}\n", yaml_scalar(&answers.authority)));
    out.push_str(&format!("themes: [{}]\n", answers.themes.join(", ")));
    match &answers.survey {
        Some(survey) => out.push_str(&format!("survey: {survey}\n")),
        None if !config.surveys.is_empty() => {
            let names: Vec<&str> = config.surveys.keys().map(String::as_str).collect();
            out.push_str(&format!("# survey: the survey your figures come from, one of: {}\n", names.join(", ")));
        }
        None => {}
    }
    out.push_str(&format!("date: {}\n", answers.date));
    out.push_str(&format!(
        "summary: >-\n  {m} one or two sentences (at most 320 characters)\n  \
         saying what you did and what difference it made. It is shown in lists\n  \
         and search results.\n"
    ));
    out.push_str(&format!(
        "why: |\n  {m} why did you make a change? What did children and young\n  \
         people tell you, and what did the survey show?\n"
    ));
    out.push_str(&format!(
        "what: |\n  {m} what did you do? Describe the steps, who was involved and\n  \
         how it works day to day, so that another authority could do it too.\n"
    ));
    out.push_str(&format!(
        "impact: |\n  {m} what difference is it making? Give real figures and what\n  \
         they are compared with, and what children and young people say now.\n"
    ));
    out.push_str("# One entry for each survey figure; delete the whole entry if you have none.\n");
    out.push_str("figures:\n");
    out.push_str(&format!(
        "  - label: \"{m} what the figure counts, such as: Care leavers who feel settled where they live\"\n"
    ));
    out.push_str("    value: 0       # your percentage, such as 92 (a number, without %)\n");
    out.push_str("    comparison: 0  # what it is compared with, such as 87\n");
    out.push_str(&format!(
        "    comparison_label: \"{m} who the comparison is, such as: care leavers in other local authorities\"\n"
    ));
    out.push_str("# Optional: quotes, and downloads or links. Remove the # to use them.\n");
    out.push_str("# quotes:\n#   - text: What a young person or worker said.\n#     by: Care leaver, aged 19\n");
    out.push_str("# resources:\n#   - title: Slide deck (PDF)\n#     file: slides.pdf\n");
    out.push_str("---\n");
    out
}

/// `text` as a YAML value: plain when that reads back as the same text,
/// otherwise double-quoted (a JSON string is a valid YAML one).
fn yaml_scalar(text: &str) -> String {
    let plain_safe = !text.is_empty()
        && text.trim() == text
        && text.chars().next().is_some_and(char::is_alphanumeric)
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(|c| c.is_control() || matches!(c, '"' | '\\' | '{' | '}' | '[' | ']' | ','));
    let reads_back = || {
        serde_yaml::from_str::<BTreeMap<String, serde_yaml::Value>>(&format!("k: {text}\n"))
            .ok()
            .and_then(|map| map.get("k").and_then(|v| v.as_str().map(|s| s == text)))
            .unwrap_or(false)
    };
    if plain_safe && reads_back() {
        text.to_string()
    } else {
        serde_json::to_string(text).expect("a string always serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    const SITE: &str = "title: Bank\ndescription: D\nbase_url: https://example.org/\nthemes:\n  housing:\n    label: Housing and accommodation\n  celebration:\n    label: Celebrating success\n  education:\n    label: Education\nsurveys:\n  your-life-beyond-care:\n    label: Your Life Beyond Care\n";

    fn config() -> SiteConfig {
        validate::validate_config(SITE).expect("the test site.yaml is valid")
    }

    fn answers(title: &str, authority: &str) -> Answers {
        Answers {
            title: title.into(),
            authority: authority.into(),
            themes: vec!["housing".into(), "celebration".into()],
            survey: None,
            date: Date::parse("2024-05-01").unwrap(),
        }
    }

    /// Only guidance is wrong with a rendered file, whatever the answers.
    fn assert_only_guidance(answers: &Answers) {
        let text = render(answers, &config());
        let source = load::SourceFile {
            file: "content/case-studies/x.md".into(),
            stem: "x".into(),
            extension: "md".into(),
            text: text.clone(),
        };
        let problems = validate::validate_case_study(&source, &config(), &BTreeMap::new()).unwrap_err();
        let codes: Vec<&str> = problems.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![guidance::CODE; 6], "{text}\n{problems:#?}");
        let replaced = text.replace(guidance::MARKER, "Filled in:");
        let source = load::SourceFile { text: replaced, ..source };
        let valid = validate::validate_case_study(&source, &config(), &BTreeMap::new()).expect("valid once filled in");
        assert_eq!(valid.title, answers.title);
        assert_eq!(valid.authority, answers.authority);
    }

    #[test]
    fn rendered_files_hold_only_guidance_problems() {
        assert_only_guidance(&answers("Celebrating care leavers' success", "Coventry"));
        for title in [
            "Why: a title with a colon",
            "\"Quoted\" and #hashed, [bracketed] & {braced}",
            "- starts like a list",
            "yes",
            "2021",
            "null",
            "A title ending in a colon:",
            "Café & Ynys Môn — non-ASCII",
            "back\\slash",
            "@at and `tick`",
        ] {
            assert_only_guidance(&answers(title, "St Helens & Knowsley"));
        }
        let mut with_survey = answers("A", "B");
        with_survey.survey = Some("your-life-beyond-care".into());
        assert_only_guidance(&with_survey);
    }

    #[test]
    fn slugs_from_authority_and_title() {
        assert_eq!(slug_for("Coventry", "Celebrating success"), "coventry-celebrating-success");
        assert_eq!(slug_for("Coventry", "Coventry's pledge"), "coventrys-pledge");
        assert_eq!(slug_for("Coventry", "Coventry pledge"), "coventry-pledge");
        let long = slug_for("Oldham", &"supported accommodation ".repeat(10));
        assert!(long.len() <= MAX_SLUG && slug::is_valid(&long), "{long}");
        let taken: BTreeSet<String> = ["a".into(), "a-2".into()].into();
        assert_eq!(free_slug("a", &taken), "a-3");
    }

    #[test]
    fn flags_are_checked_with_helpful_messages() {
        let options = NewOptions {
            title: Some(" ".into()),
            themes: vec!["housng".into()],
            survey: Some("your-life".into()),
            date: Some("31/12/2021".into()),
            slug: Some("Bad Slug".into()),
            ..NewOptions::default()
        };
        let problems = Given::check(&options, &config()).unwrap_err();
        let shown: Vec<(String, String)> =
            problems.iter().map(|d| (d.file.clone(), d.help.clone().unwrap_or_default())).collect();
        assert_eq!(shown[0], ("--title".into(), "say in a few words what you did".into()));
        assert_eq!(shown[1].0, "--theme");
        assert!(shown[1].1.contains("did you mean `housing`?"), "{shown:?}");
        assert_eq!(shown[2].0, "--survey");
        assert_eq!(shown[3], ("--date".into(), "write it like `2021-04-29`".into()));
        assert_eq!(shown[4].0, "--slug");
        assert!(shown[4].1.contains("`bad-slug`"), "{shown:?}");
    }

    #[test]
    fn themes_by_slug_label_or_number() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let config = config();
        assert_eq!(
            check_themes(&words(&["Housing and accommodation", "celebration"]), &config, false).unwrap(),
            vec!["housing", "celebration"]
        );
        assert_eq!(check_themes(&words(&["2", "3", "2"]), &config, true).unwrap(), vec!["education", "housing"]);
        assert!(check_themes(&words(&["9"]), &config, true).is_err());
        assert!(check_themes(&words(&["1", "2", "3", "1"]), &config, true).is_ok());
        assert_eq!(split_answer("1, 2,3"), vec!["1", "2", "3"]);
        assert_eq!(split_answer("1 2  3"), vec!["1", "2", "3"]);
    }

    #[test]
    fn prompts_ask_again_after_a_wrong_answer() {
        let mut input = Cursor::new("\nBright idea\nCoventry\n7 1\n1\n1\n2021-13-01\n2021-04-29\n".as_bytes());
        let mut output = Vec::new();
        let mut prompt = Prompt::new(&mut input, &mut output);
        let got = ask_missing(&mut prompt, Given::default(), &config()).unwrap();
        assert_eq!(got.title, "Bright idea");
        assert_eq!(got.themes, vec!["celebration"]);
        assert_eq!(got.survey.as_deref(), Some("your-life-beyond-care"));
        assert_eq!(got.date.to_string(), "2021-04-29");
        let shown = String::from_utf8(output).unwrap();
        assert!(shown.contains("the title is empty"), "{shown}");
        assert!(shown.contains("`7` is not a theme in site.yaml"), "{shown}");
        assert!(shown.contains("`2021-13-01` is not a date"), "{shown}");
        assert!(shown.contains("   1. Celebrating success (celebration)"), "{shown}");
    }

    #[test]
    fn prompts_stop_when_the_input_ends() {
        let mut input = Cursor::new("A title\n".as_bytes());
        let mut output = Vec::new();
        let err = ask_missing(&mut Prompt::new(&mut input, &mut output), Given::default(), &config()).unwrap_err();
        assert_eq!(err.code, "no-answer");
    }

    #[test]
    fn yaml_scalars_are_plain_only_when_safe() {
        assert_eq!(yaml_scalar("Coventry"), "Coventry");
        assert_eq!(yaml_scalar("Celebrating care leavers' success"), "Celebrating care leavers' success");
        assert_eq!(yaml_scalar("true"), "\"true\"");
        assert_eq!(yaml_scalar("Why: this"), "\"Why: this\"");
    }
}
