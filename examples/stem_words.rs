//! Prints what tantivy's English-stemming analyzer makes of each input line,
//! as the expected output for the JS stemmer in the search client.
//!
//! `cargo run --example stem_words < words.txt > expected.tsv`
//! `cargo run --example stem_words -- --all < texts.txt > tokens.tsv`
//!
//! Reads one word per line on stdin and writes `line<TAB>term` for every
//! line that the analyzer turns into exactly one token; other lines (empty,
//! punctuation only, `don't`, too long) are skipped, because they say
//! nothing about the stemmer on its own. The analyzer is the indexer's
//! own, so the terms are the terms that get indexed.
//! With `--all`, every line is written with all its terms, space-separated
//! (the tokenisation golden file).

use std::io::{self, BufRead, BufWriter, Write};

fn main() -> io::Result<()> {
    let mut analyzer = practicebank::search::analyzer();
    let all = std::env::args().any(|a| a == "--all");
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut terms = Vec::new();
    for line in stdin.lines() {
        let line = line?;
        terms.clear();
        analyzer.token_stream(&line).process(&mut |token| terms.push(token.text.clone()));
        if all {
            writeln!(out, "{line}\t{}", terms.join(" "))?;
        } else if let [term] = terms.as_slice() {
            writeln!(out, "{line}\t{term}")?;
        }
    }
    out.flush()
}
