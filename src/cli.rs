//! The `practicebank` command line: parses arguments with clap, runs a
//! command, prints its report and chooses the exit status.

use crate::report::{self, Format};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Parser)]
#[command(name = "practicebank", version, about = "Build a bank of practice examples from Markdown case studies")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every case study and site.yaml, and report all problems.
    ///
    /// Exit status: 0 when all is valid, 1 when case studies have problems,
    /// 2 when site.yaml or the command line is wrong.
    Check(CheckArgs),
    /// Build the site into the output folder (replaced whole, only when the
    /// build succeeds).
    Build(BuildArgs),
    /// Start a new case study: asks for its title, authority, themes, survey
    /// and date on a terminal (or takes them as flags) and writes
    /// content/case-studies/<slug>.md with guidance where your words go.
    ///
    /// Never asks when its input is not a terminal: then --title, --authority
    /// and --theme are required. Never overwrites a file.
    New(NewArgs),
    /// Print a JSON Schema of case-study front matter, with this site's
    /// themes and surveys, for editors that check YAML as you type.
    Schema(SiteArgs),
    /// Search the case studies from the terminal, ranked exactly as the
    /// site's search page ranks them.
    Search(SearchArgs),
    /// Build the site into a temporary folder and serve it on this computer;
    /// rebuild on every save, and reload the pages open in the browser.
    ///
    /// A failed rebuild keeps the last good site and shows its problems in
    /// the terminal and over the open pages. Stop with Ctrl-C.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on. Anything but a loopback address lets
    /// other computers read the site.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include case studies marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Poll the site for changes instead of waiting for file events (for
    /// network drives and some containers; chosen by itself when needed).
    #[arg(long)]
    pub poll: bool,
}

impl From<ServeArgs> for crate::serve::ServeOptions {
    fn from(args: ServeArgs) -> crate::serve::ServeOptions {
        crate::serve::ServeOptions {
            root: args.site.root,
            bind: args.bind,
            port: args.port,
            drafts: args.drafts,
            poll: args.poll,
            open: args.open,
        }
    }
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// What to search for: words, as typed into the search page.
    #[arg(required_unless_present = "evaluate")]
    pub query: Option<String>,
    /// Only case studies with this theme (its name or slug; repeat for
    /// several, all required).
    #[arg(long = "theme", value_name = "THEME")]
    pub themes: Vec<String>,
    /// Only case studies from this authority (its name or slug).
    #[arg(long)]
    pub authority: Option<String>,
    /// Only case studies drawing on this survey (its name or slug).
    #[arg(long)]
    pub survey: Option<String>,
    /// Only case studies published in this year.
    #[arg(long)]
    pub year: Option<String>,
    /// Search only for the words typed: no typo corrections.
    #[arg(long)]
    pub exact: bool,
    /// Score the search against a file of judged queries (see
    /// docs/search.md) and print nDCG@10, recall@10, MRR@10 and the
    /// queries that found nothing.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["query", "themes", "authority", "survey", "year"])]
    pub evaluate: Option<PathBuf>,
    /// With --evaluate: switch mechanisms off to measure what each brings
    /// (any-word, coordination, themes, typos, glossary, associations;
    /// comma-separated).
    #[arg(long, value_name = "LIST", value_delimiter = ',', requires = "evaluate")]
    pub without: Vec<String>,
    /// How many results to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print the results as JSON, the same objects the browser client gives.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder: the one holding site.yaml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// How to print problems: for people, as GitHub annotations, or as JSON.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Check the whole site, but report only problems in files changed since
    /// REV (a commit, branch or tag; uncommitted changes count too), and
    /// problems with the whole site.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Also write a Markdown summary of the case studies changed since REV,
    /// for a pull request.
    #[arg(long, value_name = "FILE", requires = "changed_since")]
    pub summary: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The title: what you did, in a few words.
    #[arg(long)]
    pub title: Option<String>,
    /// The local authority's name, such as Coventry.
    #[arg(long)]
    pub authority: Option<String>,
    /// A theme from site.yaml; give it once for each theme (1 to 4).
    #[arg(long = "theme", value_name = "THEME")]
    pub themes: Vec<String>,
    /// The survey the figures come from, from site.yaml.
    #[arg(long)]
    pub survey: Option<String>,
    /// The date it was published, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// The file name, without .md [default: from the authority and title].
    #[arg(long)]
    pub slug: Option<String>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site [default: <root>/public].
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Include case studies marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// Content problems.
const EXIT_CONTENT: u8 = 1;
/// Usage or site problems (clap uses 2 for usage errors too).
const EXIT_SITE: u8 = 2;

/// Runs the command line and returns the process's exit status.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Build(args) => build(&args),
        Command::New(args) => new(&args),
        Command::Schema(args) => schema(&args),
        Command::Search(args) => search(&args),
        Command::Serve(args) => crate::serve::run(args.into()),
    }
}

fn search(args: &SearchArgs) -> ExitCode {
    let root = &args.site.root;
    let sources = match crate::load::load(root) {
        Ok(sources) => sources,
        Err(d) => {
            print_problems(&[d], "nothing was searched");
            return ExitCode::from(EXIT_SITE);
        }
    };
    let site = match crate::validate::validate(&sources) {
        Ok(site) => site,
        Err(invalid) => {
            let mut out = anstream::stderr().lock();
            for d in &invalid.diagnostics {
                let _ = writeln!(out, "{}", report::human(d, sources.text_of(&d.file)));
            }
            let _ = writeln!(out, "the site has problems, so nothing was searched: run `practicebank check`");
            return ExitCode::from(if invalid.config { EXIT_SITE } else { EXIT_CONTENT });
        }
    };
    if let Some(file) = &args.evaluate {
        let mut switches = crate::search::plan::Switches::ALL;
        for name in &args.without {
            match switches.without(name) {
                Some(fewer) => switches = fewer,
                None => {
                    let names = crate::search::plan::Switches::NAMES;
                    let problem = crate::diagnostic::Diagnostic::file_error(
                        "--without",
                        "unknown-mechanism",
                        format!("`{name}` is not a mechanism of the search"),
                    )
                    .with_help(crate::suggest::help_for(name, names, "the mechanisms"));
                    print_problems(&[problem], "nothing was evaluated");
                    return ExitCode::from(EXIT_SITE);
                }
            }
        }
        return evaluate(&site, &sources, file, switches, args.json);
    }
    let given = crate::search::filters::Given {
        themes: args.themes.clone(),
        authority: args.authority.clone(),
        survey: args.survey.clone(),
        year: args.year.clone(),
    };
    let filters = match crate::search::filters::resolve(&site, &given) {
        Ok(filters) => filters,
        Err(problems) => {
            print_problems(&problems, "nothing was searched");
            return ExitCode::from(EXIT_SITE);
        }
    };
    let query = args.query.as_deref().unwrap_or_default();
    let answer = match crate::search::find(&site, &sources, query, &filters, args.limit, args.exact) {
        Ok(answer) => answer,
        Err(d) => {
            print_problems(&[d], "nothing was searched");
            return ExitCode::from(EXIT_SITE);
        }
    };
    let found = &answer.found;
    let text = if args.json {
        serde_json::to_string_pretty(found).expect("results are plain data")
    } else {
        let mut lines = plan_lines(&answer.plan);
        if found.is_empty() {
            lines.push(format!("no case studies found for \u{201c}{query}\u{201d}"));
        } else {
            lines.push(format!("{} found, best first:\n", answer.total));
            lines.extend(found.iter().enumerate().map(|(i, f)| {
                let snippet = f.snippet.replace("<mark>", "").replace("</mark>", "");
                format!(
                    "{}. {} \u{2013} {} (score {:.3})\n   {}\n   {}\n",
                    i + 1,
                    f.title,
                    f.authority,
                    f.score,
                    f.url,
                    html_text(&snippet)
                )
            }));
        }
        lines.join("\n").trim_end().to_string()
    };
    // A closed pipe (`| head`) is not a failure.
    let _ = writeln!(std::io::stdout().lock(), "{text}");
    ExitCode::SUCCESS
}

/// "Showing results for" and "Also searched for", as the search page
/// says them.
fn plan_lines(plan: &crate::search::plan::Plan) -> Vec<String> {
    let mut lines = Vec::new();
    let corrections = plan.corrections();
    if !corrections.is_empty() {
        let corrected: Vec<String> = plan
            .units
            .iter()
            .map(|u| match corrections.iter().find(|(typed, _)| *typed == u.typed) {
                Some((_, searched)) => searched.join(" or "),
                None => u.typed.clone(),
            })
            .collect();
        lines.push(format!(
            "Showing results for \u{201c}{}\u{201d} (search only for what you typed with --exact)",
            corrected.join(" ")
        ));
    }
    for (typed, phrases) in plan.expansions() {
        lines.push(format!("Also searched for {} (for \u{201c}{typed}\u{201d})", phrases.join(", ")));
    }
    lines
}

/// `search --evaluate`: scores the search against judged queries.
fn evaluate(
    site: &crate::model::Site,
    sources: &crate::load::Sources,
    file: &std::path::Path,
    switches: crate::search::plan::Switches,
    json: bool,
) -> ExitCode {
    use crate::search::evaluate;
    let name = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            print_problems(
                &[crate::diagnostic::Diagnostic::file_error(&name, "unreadable", format!("cannot read it: {e}"))],
                "nothing was evaluated",
            );
            return ExitCode::from(EXIT_SITE);
        }
    };
    let published: std::collections::BTreeSet<&str> =
        site.case_studies.iter().filter(|c| !c.draft).map(|c| c.slug.as_str()).collect();
    let judged = match evaluate::read(&name, &text, |slug| published.contains(slug)) {
        Ok(judged) => judged,
        Err(problems) => {
            let mut out = anstream::stderr().lock();
            for d in &problems {
                let _ = writeln!(out, "{}", report::human(d, Some(&text)));
            }
            let _ = writeln!(out, "nothing was evaluated");
            return ExitCode::from(EXIT_SITE);
        }
    };
    let all_ranked = evaluate::rank_all(site, sources, &judged, switches);
    let all_ranked = match all_ranked {
        Ok(all) => all,
        Err(d) => {
            print_problems(&[d], "nothing was evaluated");
            return ExitCode::from(EXIT_SITE);
        }
    };
    let rows: Vec<_> = judged.iter().zip(all_ranked).map(|(j, r)| (j, evaluate::score(j, &r), r)).collect();
    let all = evaluate::overall(&rows.iter().map(|(_, s, _)| *s).collect::<Vec<_>>());
    let text = if json {
        let queries: Vec<serde_json::Value> = rows
            .iter()
            .map(|(j, s, ranked)| serde_json::json!({ "query": j.query, "scores": s, "top": ranked }))
            .collect();
        serde_json::to_string_pretty(&serde_json::json!({ "queries": queries, "overall": all, "count": rows.len() }))
            .expect("plain data")
    } else {
        let mut lines = vec![format!("{:<44} {:>7} {:>9} {:>6}  found", "query", "nDCG@10", "recall@10", "MRR@10")];
        for (j, s, _) in &rows {
            let mut query: String = j.query.chars().take(43).collect();
            if query.len() < j.query.len() {
                query.pop();
                query.push('\u{2026}');
            }
            lines.push(format!(
                "{query:<44} {:>7.3} {:>9.3} {:>6.3}  {}",
                s.ndcg,
                s.recall,
                s.mrr,
                if s.no_result == 1 { "nothing" } else { "" }
            ));
        }
        lines.push(format!(
            "{:<44} {:>7.3} {:>9.3} {:>6.3}  {} of {} found nothing",
            "overall (mean)",
            all.ndcg,
            all.recall,
            all.mrr,
            all.no_result,
            rows.len()
        ));
        lines.join("\n")
    };
    let _ = writeln!(std::io::stdout().lock(), "{text}");
    ExitCode::SUCCESS
}

/// Snippet HTML back to text for the terminal.
fn html_text(html: &str) -> String {
    html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// Prints diagnostics that have no source lines to show (about flags, or
/// files that do not exist yet) to stderr.
fn print_problems(problems: &[crate::diagnostic::Diagnostic], closing: &str) {
    let mut out = anstream::stderr().lock();
    for d in problems {
        let _ = writeln!(out, "{}", report::human(d, None));
    }
    let _ = writeln!(out, "{closing}");
}

fn new(args: &NewArgs) -> ExitCode {
    let options = crate::new::NewOptions {
        root: args.site.root.clone(),
        title: args.title.clone(),
        authority: args.authority.clone(),
        themes: args.themes.clone(),
        survey: args.survey.clone(),
        date: args.date.clone(),
        slug: args.slug.clone(),
    };
    let stdin = std::io::stdin();
    let result = if stdin.is_terminal() {
        let (mut input, mut output) = (stdin.lock(), std::io::stderr());
        crate::new::run(&options, Some(crate::new::Prompt::new(&mut input, &mut output)))
    } else {
        crate::new::run(&options, None)
    };
    match result {
        Ok(created) => {
            let shown = if args.site.root == std::path::Path::new(".") {
                PathBuf::from(&created.file)
            } else {
                created.path.clone()
            };
            // The file is written; a closed pipe is not a failure.
            let _ = writeln!(std::io::stdout().lock(), "{}", shown.display());
            eprintln!(
                "\nwrote a new case study to {}. Next:\n  \
                 1. Open it, and replace each piece of guidance (it starts \"{}\") with your own words.\n  \
                 2. Run `practicebank check` and fix what it reports, until it says \"no problems\".",
                shown.display(),
                crate::validate::guidance::MARKER
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_problems(&problems, "nothing was written");
            ExitCode::from(EXIT_SITE)
        }
    }
}

fn schema(args: &SiteArgs) -> ExitCode {
    match crate::new::read_config(&args.root) {
        Ok(config) => {
            let schema = crate::schema::case_study_schema(&config);
            let text = serde_json::to_string_pretty(&schema).expect("a JSON value always serialises");
            match writeln!(std::io::stdout().lock(), "{text}") {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("practicebank: cannot print the schema: {e}");
                    ExitCode::from(EXIT_SITE)
                }
            }
        }
        Err(problems) => {
            print_problems(&problems, "site.yaml must be valid to make a schema from it");
            ExitCode::from(EXIT_SITE)
        }
    }
}

fn build(args: &BuildArgs) -> ExitCode {
    let root = &args.site.root;
    let output = args.output.clone().unwrap_or_else(|| root.join("public"));
    let options =
        crate::BuildOptions { root: root.clone(), output: output.clone(), drafts: args.drafts, base_url: None };
    let started = Instant::now();
    let progress = TerminalProgress::new();
    let result = crate::build(&options, &progress);
    progress.bar.finish_and_clear();
    match result {
        Ok(report) => {
            let seconds = started.elapsed().as_secs_f64();
            let megabytes = report.written.bytes as f64 / 1_000_000.0;
            let shown = output.display();
            let mut text = format!(
                "built {} case studies: {} pages, {} files, {megabytes:.1} MB in {shown} ({seconds:.2} s)\n\
                 to look at it, serve that folder with any web server, for example:\n  \
                 python3 -m http.server --directory {shown} 8000\nthen open http://localhost:8000/",
                report.case_studies, report.written.pages, report.written.files,
            );
            for note in &report.notes {
                text.push('\n');
                text.push_str(note);
            }
            // The site is written; a closed pipe (`| head`) is not a failure.
            let _ = writeln!(std::io::stdout().lock(), "{text}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let text_of = |file: &str| failure.sources.as_ref().and_then(|s| s.text_of(file));
            let mut out = anstream::stderr().lock();
            for d in &failure.diagnostics {
                let _ = writeln!(out, "{}", report::human(d, text_of(&d.file)));
            }
            let count = failure.diagnostics.len();
            let _ = writeln!(
                out,
                "build failed with {count} {}; nothing was written",
                if count == 1 { "error" } else { "errors" }
            );
            ExitCode::from(if failure.site_invalid { EXIT_SITE } else { EXIT_CONTENT })
        }
    }
}

/// A progress bar on a terminal; nothing otherwise.
struct TerminalProgress {
    bar: indicatif::ProgressBar,
}

impl TerminalProgress {
    /// Sites smaller than this build too fast for a bar to help.
    const MIN_STEPS: u64 = 500;

    fn new() -> Self {
        let bar = if std::io::stderr().is_terminal() {
            indicatif::ProgressBar::new(0)
        } else {
            indicatif::ProgressBar::hidden()
        };
        TerminalProgress { bar }
    }
}

impl crate::Progress for TerminalProgress {
    fn stage(&self, name: &str, total: u64) {
        if self.bar.is_hidden() {
            return;
        }
        if total >= Self::MIN_STEPS {
            self.bar.set_style(
                indicatif::ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len}")
                    .expect("the template is fixed and valid")
                    .progress_chars("=> "),
            );
            self.bar.set_length(total);
            self.bar.set_position(0);
        } else {
            self.bar.set_style(
                indicatif::ProgressStyle::with_template("{msg:>10}").expect("the template is fixed and valid"),
            );
        }
        self.bar.set_message(name.to_string());
    }

    fn step(&self) {
        self.bar.inc(1);
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let changes = match &args.changed_since {
        Some(rev) => match crate::changes::since(&args.site.root, rev) {
            Ok(changes) => Some(changes),
            Err(problem) => {
                print_problems(&[problem], "nothing was checked");
                return ExitCode::from(EXIT_SITE);
            }
        },
        None => None,
    };
    let mut report = crate::check(&args.site.root);
    if let (Some(changes), Some(path)) = (&changes, &args.summary) {
        let config = crate::changes::config_of(report.sources.as_ref());
        let markdown = crate::changes::summary(changes, report.sources.as_ref(), config.as_ref(), &report.diagnostics);
        if let Err(e) = std::fs::write(path, markdown) {
            eprintln!("practicebank: cannot write the summary to {}: {e}", path.display());
            return ExitCode::from(EXIT_SITE);
        }
    }
    let mut hidden = 0;
    if let Some(changes) = &changes {
        let before = report.diagnostics.len();
        report.diagnostics.retain(|d| changes.shows(d));
        hidden = before - report.diagnostics.len();
    }
    let mut summary = report::summary(report.case_studies, &report.diagnostics);
    if let Some(changes) = &changes {
        let changed = changes.case_studies().filter(|(_, c)| *c != crate::changes::Change::Deleted).count();
        let noun = if changed == 1 { "case study" } else { "case studies" };
        summary.push_str(&format!(" (reporting on files changed since {}: {changed} {noun}", changes.rev));
        if hidden > 0 {
            let noun = if hidden == 1 { "problem" } else { "problems" };
            summary.push_str(&format!("; {hidden} {noun} in other files not shown"));
        }
        summary.push(')');
    }
    let text_of = |file: &str| report.sources.as_ref().and_then(|s| s.text_of(file));
    let printed = match args.format {
        Format::Human => {
            let mut out = anstream::stdout().lock();
            report
                .diagnostics
                .iter()
                .try_for_each(|d| writeln!(out, "{}", report::human(d, text_of(&d.file))))
                .and_then(|()| writeln!(out, "{summary}"))
        }
        Format::Github => {
            let mut out = std::io::stdout().lock();
            report
                .diagnostics
                .iter()
                .try_for_each(|d| writeln!(out, "{}", report::github(d)))
                .and_then(|()| writeln!(out, "{summary}"))
        }
        Format::Json => {
            let written = writeln!(std::io::stdout().lock(), "{}", report::json(&report.diagnostics));
            written.and_then(|()| writeln!(std::io::stderr().lock(), "{summary}"))
        }
    };
    if let Err(e) = printed {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("practicebank: cannot print the report: {e}");
        }
        return ExitCode::from(EXIT_SITE);
    }
    if report.site_invalid {
        ExitCode::from(EXIT_SITE)
    } else if report.diagnostics.iter().any(|d| d.is_error()) {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}
