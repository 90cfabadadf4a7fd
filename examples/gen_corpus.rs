//! Writes a deterministic generated site, for benchmarks.
//!
//! `cargo run --release --example gen_corpus -- --n 10000 --seed 1 --out DIR`

use clap::Parser;
use practicebank::corpus::{write_site, CorpusOptions};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
struct Args {
    /// How many case studies to write.
    #[arg(long, default_value_t = 1000)]
    n: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The site folder to write (created; must not hold a site already).
    #[arg(long)]
    out: PathBuf,
    /// Words per case study, roughly.
    #[arg(long, default_value_t = 900)]
    words: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match write_site(&args.out, CorpusOptions { count: args.n, seed: args.seed, words: args.words }) {
        Ok(()) => {
            println!("wrote {} case studies to {}", args.n, args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: cannot write {}: {e}", args.out.display());
            ExitCode::from(2)
        }
    }
}
