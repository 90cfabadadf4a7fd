//! The `practicebank` command line: parses arguments with clap, runs a
//! command, prints its report and chooses the exit status.

use crate::report::{self, Format};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "practicebank",
    version,
    about = "Build a bank of practice examples from Markdown case studies"
)]
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

/// Content problems.
const EXIT_CONTENT: u8 = 1;
/// Usage or site problems (clap uses 2 for usage errors too).
const EXIT_SITE: u8 = 2;

/// Runs the command line and returns the process's exit status.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check(&args),
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
