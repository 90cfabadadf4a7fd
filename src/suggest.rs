//! Near-miss suggestions: "did you mean `authority`?".

/// The candidate closest to `word` by edit distance, if it is close enough to
/// be a likely typo rather than a different word.
pub fn nearest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let word_lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(&word_lower, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate)
}

/// The help line for an unknown word: the nearest candidate if there is one,
/// otherwise the full list so the author can pick.
pub fn help_for<'a, I>(word: &str, candidates: I, what: &str) -> String
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    match nearest(word, candidates.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => {
            let all: Vec<String> = candidates.into_iter().map(|c| format!("`{c}`")).collect();
            format!("{what} are: {}", all.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos() {
        let keys = ["title", "authority", "themes", "summary"];
        assert_eq!(nearest("autority", keys), Some("authority"));
        assert_eq!(nearest("Themes", keys), Some("themes"));
        assert_eq!(nearest("tilte", keys), Some("title"));
    }

    #[test]
    fn ignores_different_words() {
        assert_eq!(nearest("colour", ["title", "themes"]), None);
    }

    #[test]
    fn lists_candidates_when_nothing_is_close() {
        assert_eq!(help_for("xyz", ["a-b", "c-d"], "known themes"), "known themes are: `a-b`, `c-d`");
    }
}
