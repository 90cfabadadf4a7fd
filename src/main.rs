use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    practicebank::cli::run(practicebank::cli::Cli::parse())
}
