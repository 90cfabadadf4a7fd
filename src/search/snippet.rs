//! Snippets: the part of a case study's text with the most query terms,
//! with those terms marked. The same algorithm as `snippet()` in the
//! browser client, so `practicebank search --json` prints the same strings.

use super::schema;
use std::collections::BTreeSet;

/// How long a snippet is, in characters.
const SNIPPET_CHARS: usize = 160;
const MAX_TOKEN_BYTES: usize = 40;

struct Token {
    start: usize,
    end: usize,
    matches: bool,
}

/// The snippet of `text` for a query whose analysed terms are `terms`:
/// HTML-escaped, matches in `<mark>`, `…` where text was cut.
pub fn snippet(text: &str, terms: &BTreeSet<String>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut analyzer = schema::analyzer();
    let mut tokens = Vec::new();
    let mut start = None;
    for i in 0..=chars.len() {
        match (i < chars.len() && chars[i].is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let word: String = chars[s..i].iter().collect();
                let matches = word.len() < MAX_TOKEN_BYTES && {
                    let mut stream = analyzer.token_stream(&word);
                    stream.next().is_some_and(|t| terms.contains(&t.text))
                };
                tokens.push(Token { start: s, end: i, matches });
                start = None;
            }
            _ => {}
        }
    }
    if tokens.is_empty() {
        return escape(&chars[..chars.len().min(SNIPPET_CHARS)].iter().collect::<String>());
    }
    let mut best = 0;
    let mut best_count = None;
    for i in 0..tokens.len() {
        let count =
            tokens[i..].iter().take_while(|t| t.end - tokens[i].start <= SNIPPET_CHARS).filter(|t| t.matches).count();
        if best_count.is_none_or(|b| count > b) {
            best = i;
            best_count = Some(count);
        }
    }
    let mut last = best;
    while last + 1 < tokens.len() && tokens[last + 1].end - tokens[best].start <= SNIPPET_CHARS {
        last += 1;
    }
    // Text before the first word or after the last (quotes, a full stop)
    // belongs to the snippet when the window reaches that end.
    let start = if best == 0 { 0 } else { tokens[best].start };
    let end = if last + 1 == tokens.len() { chars.len() } else { tokens[last].end };
    let mut out = String::new();
    if start > 0 {
        out.push('\u{2026}');
    }
    let mut at = start;
    for token in &tokens[best..=last] {
        out.push_str(&escape(&chars[at..token.start].iter().collect::<String>()));
        let word = escape(&chars[token.start..token.end].iter().collect::<String>());
        if token.matches {
            out.push_str(&format!("<mark>{word}</mark>"));
        } else {
            out.push_str(&word);
        }
        at = token.end;
    }
    out.push_str(&escape(&chars[at..end].iter().collect::<String>()));
    if end < chars.len() {
        out.push('\u{2026}');
    }
    out
}

fn escape(text: &str) -> String {
    crate::escape::markup(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_best_window() {
        let terms: BTreeSet<String> = ["hous".to_string(), "safe".to_string()].into();
        let text = format!("{} Housing: safe homes.", "filler ".repeat(40));
        let snippet = snippet(&text, &terms);
        assert!(snippet.starts_with('\u{2026}'), "{snippet}");
        assert!(snippet.contains("<mark>Housing</mark>: <mark>safe</mark>"), "{snippet}");
        let whole = super::snippet("\"Housing: safe <homes> & more.\"", &terms);
        assert_eq!(whole, "&quot;<mark>Housing</mark>: <mark>safe</mark> &lt;homes&gt; &amp; more.&quot;");
    }

    #[test]
    fn no_match_starts_at_the_beginning() {
        let snippet = snippet("Short text.", &BTreeSet::new());
        assert_eq!(snippet, "Short text.");
    }
}
