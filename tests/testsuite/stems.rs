//! English stems pinned: tantivy's analyzer must still give every stem in
//! `tests/golden/english-stems.tsv`. The browser client stems queries with
//! its own port of the stemmer (`src/search/client/english-stemmer.js`,
//! checked against the same file by `tests/js/english-stemmer.test.mjs`), so
//! a tantivy or frostem update that changes a stem would silently stop
//! queries from finding the pages that use that word. This test is where
//! such an update shows up.

use tantivy::tokenizer::TextAnalyzer;

const GOLDEN: &str = include_str!("../golden/english-stems.tsv");

/// The analyzer the indexer itself uses.
fn analyzer() -> TextAnalyzer {
    practicebank::search::analyzer()
}

fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    analyzer.token_stream(text).process(&mut |token| terms.push(token.text.clone()));
    terms
}

#[test]
fn english_stems_match_the_golden_file() {
    let mut analyzer = analyzer();
    let mut changed = Vec::new();
    let mut checked = 0;
    for (n, line) in GOLDEN.lines().enumerate() {
        let (word, expected) =
            line.split_once('\t').unwrap_or_else(|| panic!("english-stems.tsv line {}: no tab in {line:?}", n + 1));
        let got = terms(&mut analyzer, word);
        if got != [expected] {
            changed.push(format!("{word}: expected {expected:?}, now {got:?}"));
        }
        checked += 1;
    }
    assert!(checked > 2500, "english-stems.tsv has only {checked} words; is it truncated?");
    assert!(
        changed.is_empty(),
        "a dependency update changed English stems: {} of {checked} words differ from \
         tests/golden/english-stems.tsv:\n  {}\n\
         The browser client's stemmer (src/search/client/english-stemmer.js) would no longer match the index. \
         Pin the old tantivy/frostem, or port the new algorithm and regenerate the golden file \
         (see tests/golden/README.md).",
        changed.len(),
        changed.join("\n  ")
    );
}

const TOKENS: &str = include_str!("../golden/tokens.tsv");

/// Tokenisation pinned too: which characters split words, what is
/// lowercased how, which tokens are too long. The client's `tokens()` is
/// checked against the same file by `tests/js/tokens.test.mjs`.
#[test]
fn tokenisation_matches_the_golden_file() {
    let mut analyzer = analyzer();
    let mut changed = Vec::new();
    for (n, line) in TOKENS.lines().enumerate() {
        let (text, expected) = line.rsplit_once('\t').unwrap_or_else(|| panic!("tokens.tsv line {}: no tab", n + 1));
        let expected: Vec<&str> = expected.split(' ').filter(|t| !t.is_empty()).collect();
        let got = terms(&mut analyzer, text);
        if got != expected {
            changed.push(format!("{text:?}: expected {expected:?}, now {got:?}"));
        }
    }
    assert!(
        changed.is_empty(),
        "a dependency update changed tokenisation; the search client no longer matches the index:\n  {}",
        changed.join("\n  ")
    );
}
