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
    }
}

fn build(args: &BuildArgs) -> ExitCode {
    let root = &args.site.root;
    let output = args.output.clone().unwrap_or_else(|| root.join("public"));
    let options = crate::BuildOptions { root: root.clone(), output: output.clone(), drafts: args.drafts };
    let started = Instant::now();
    let progress = TerminalProgress::new();
    let result = crate::build(&options, &progress);
    progress.bar.finish_and_clear();
    match result {
        Ok(report) => {
            let seconds = started.elapsed().as_secs_f64();
            let megabytes = report.written.bytes as f64 / 1_000_000.0;
            println!(
                "built {} case studies: {} pages, {} files, {megabytes:.1} MB in {} ({seconds:.2} s)",
                report.case_studies,
                report.written.pages,
                report.written.files,
                output.display()
            );
            println!(
                "to look at it, serve that folder with any web server, for example:\n  python3 -m http.server --directory {} 8000\nthen open http://localhost:8000/",
                output.display()
            );
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
    let report = crate::check(&args.site.root);
    let summary = report::summary(report.case_studies, &report.diagnostics);
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
