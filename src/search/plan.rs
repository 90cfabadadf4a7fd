//! What a query searches for: the words typed, and the other words that
//! find what the practitioner meant. The browser client
//! (`practicebank-search.js`, `planQuery`) makes the same plan from the same
//! data; the parity tests hold the two equal.
//!
//! The query is sanitised (anything but letters, digits and spaces becomes
//! a space, then lowercased per character, as tantivy's `LowerCaser` does)
//! and split into words, duplicates dropped (tantivy 0.26+ does the same),
//! at most [`MAX_WORDS`]; each is analysed into its term. Then:
//!
//! 1. **Units.** Left to right, the longest run of one to
//!    [`MAX_TERM_WORDS`] terms that is a phrase of the glossary becomes one
//!    unit ("looked after children"); every other word is a unit of its own.
//!    A unit that is a single word of [`STOP_WORDS`] is a *stop* unit,
//!    unless every unit is.
//! 2. **Glossary.** A unit that is a glossary phrase gets, as alternatives,
//!    the other phrases of every group holding it (groups in order, phrases
//!    in order, each once) that the site searches (decided at build: see
//!    [`super::lexicon::Lexicon::new`]). Weight [`GLOSSARY_WEIGHT`].
//! 3. **Typos.** A single-word unit with no glossary alternative, of at
//!    least [`MIN_TYPO_CHARS`] characters and not all digits, whose term no
//!    case study holds (or just one, in a bank of at least
//!    [`RARE_BANK_DOCS`]), is compared with every word of the site's
//!    vocabulary: those within edit distance 1 (2 from
//!    [`LONG_WORD_CHARS`] characters), counting a swap of two neighbouring
//!    letters as one edit (optimal string alignment, strsim's), and at the least
//!    distance found, are candidates. Their terms (other than the typed
//!    one), in order of (distance, word), first [`TYPO_CANDIDATES`] kept,
//!    are ranked by how many case studies hold them (most first, then
//!    that order); the best [`TYPO_ALTERNATIVES`] held by at least one
//!    (or [`RARE_MIN_DOCS`] for a rare word) are alternatives, weighing
//!    [`TYPO_WEIGHT`] by distance.
//! 4. **Associations.** A single-word, non-stop unit whose term some but
//!    fewer than [`ASSOCIATE_BELOW`] case studies hold gets the terms the
//!    site's text associates with it (see [`super::lexicon`]), up to three,
//!    weighing [`ASSOCIATION_WEIGHTS`] by rank; never a term typed in the
//!    query.
//!
//! How the plan is scored is in [`super::query`].

use super::glossary::MAX_TERM_WORDS;

/// A glossary phrase weighs this much of a typed word.
pub const GLOSSARY_WEIGHT: f32 = 0.5;
/// A typo correction's weight, by edit distance (1 or 2).
pub const TYPO_WEIGHT: [f32; 3] = [1.0, 0.5, 0.25];
/// Associated terms' weights, best first.
pub const ASSOCIATION_WEIGHTS: [f32; 3] = [0.25, 0.125, 0.0625];
pub const MIN_TYPO_CHARS: usize = 4;
pub const LONG_WORD_CHARS: usize = 8;
pub const TYPO_CANDIDATES: usize = 10;
pub const TYPO_ALTERNATIVES: usize = 3;
/// In a bank this big, a word only one case study holds may be a typo.
pub const RARE_BANK_DOCS: u32 = 20;
/// ...and then a correction must be held by at least this many.
pub const RARE_MIN_DOCS: u32 = 10;
/// Associations help only a word that finds few case studies.
pub const ASSOCIATE_BELOW: u32 = 10;

/// Words that say little about what a practitioner wants: they are
/// searched and scored like any word, but a case study holding them does
/// not count as matching more of the query (see [`super::query`]).
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
    "could", "do", "does", "for", "from", "get", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it",
    "its", "me", "more", "my", "no", "not", "of", "on", "or", "other", "our", "out", "so", "some", "such", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "up", "us", "was", "we", "were",
    "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
];

/// Which of the search's mechanisms are on: all of them, except where a
/// maintainer measures what one brings (`practicebank search --evaluate
/// --without`), or a reader asks for exactly what they typed (no typos).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switches {
    /// Off: a case study must match every word (the search before any
    /// word could match).
    pub any_word: bool,
    /// Off: the score is the plain sum of the clauses.
    pub coordination: bool,
    /// Off: theme labels and descriptions are not searched.
    pub themes: bool,
    pub typos: bool,
    pub glossary: bool,
    pub associations: bool,
}

impl Switches {
    pub const ALL: Switches =
        Switches { any_word: true, coordination: true, themes: true, typos: true, glossary: true, associations: true };
    /// The names `--without` takes, each with its switch.
    pub const NAMES: [&'static str; 6] = ["any-word", "coordination", "themes", "typos", "glossary", "associations"];

    /// Everything on, typo correction as asked.
    pub fn exact(exact: bool) -> Switches {
        Switches { typos: !exact, ..Switches::ALL }
    }

    /// `self` with the mechanism called `name` off, or `None` for no such
    /// name.
    pub fn without(self, name: &str) -> Option<Switches> {
        let mut out = self;
        *match name {
            "any-word" => &mut out.any_word,
            "coordination" => &mut out.coordination,
            "themes" => &mut out.themes,
            "typos" => &mut out.typos,
            "glossary" => &mut out.glossary,
            "associations" => &mut out.associations,
            _ => return None,
        } = false;
        Some(out)
    }
}

/// How many words of a query are searched.
pub const MAX_WORDS: usize = 32;

/// Letters, digits and whitespace survive; everything else becomes a
/// space. Then each character is lowercased on its own, as tantivy's
/// `LowerCaser` does (so no final-sigma rule).
pub fn sanitize(query: &str) -> String {
    query
        .chars()
        .map(|c| if c.is_alphanumeric() || c.is_whitespace() { c } else { ' ' })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The query's words, first occurrence of each kept, at most [`MAX_WORDS`].
pub fn words(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in sanitize(query).split_whitespace() {
        if out.len() == MAX_WORDS {
            break;
        }
        if !out.iter().any(|w| w == word) {
            out.push(word.to_string());
        }
    }
    out
}

/// What a plan needs of the site's index.
pub trait Lookup {
    /// How many case studies hold `term` in the field holding it most.
    fn doc_freq(&self, term: &str) -> u32;
    /// How many case studies the site has.
    fn docs(&self) -> u32;
    /// The vocabulary's words (lowercased, as written) of `chars` characters,
    /// in code point order.
    fn words_of_length(&self, chars: usize) -> &[String];
    /// The terms associated with `term`, best first.
    fn associates(&self, term: &str) -> &[String];
    /// The glossary, compiled.
    fn glossary(&self) -> &Compiled;
    /// The analysed term of a word, if it has one.
    fn analyse(&self, word: &str) -> Option<String>;
}

/// One glossary phrase: as written, analysed, and whether it is searched
/// as an alternative (see `lexicon`; every phrase is recognised).
#[derive(Debug, Clone)]
pub struct Phrase {
    pub shown: String,
    pub terms: Vec<String>,
    pub searched: bool,
}

/// The glossary as term sequences.
#[derive(Debug, Clone, Default)]
pub struct Compiled {
    pub groups: Vec<Vec<Phrase>>,
}

impl Compiled {
    /// Compiles `groups` (each a list of phrases as written, with whether
    /// each is searched) with `analyse`.
    pub fn new(groups: &[Vec<(String, bool)>], mut analyse: impl FnMut(&str) -> Vec<String>) -> Compiled {
        Compiled {
            groups: groups
                .iter()
                .map(|phrases| {
                    phrases
                        .iter()
                        .map(|(shown, searched)| Phrase {
                            shown: shown.clone(),
                            terms: analyse(shown),
                            searched: *searched,
                        })
                        .filter(|p| !p.terms.is_empty())
                        .collect()
                })
                .collect(),
        }
    }

    fn holds(&self, terms: &[String]) -> bool {
        self.groups.iter().any(|g| g.iter().any(|p| p.terms == terms))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Glossary,
    Typo,
    Associated,
}

/// Another way to match a unit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Alternative {
    pub kind: Kind,
    /// As shown on the results page.
    pub shown: String,
    /// A case study matches when one field holds every term.
    pub terms: Vec<String>,
    pub weight: f32,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Unit {
    /// The words as typed (sanitised), space-separated.
    pub typed: String,
    pub terms: Vec<String>,
    pub stop: bool,
    pub alternatives: Vec<Alternative>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Plan {
    pub units: Vec<Unit>,
    #[serde(skip)]
    pub switches: Switches,
}

impl Plan {
    /// The terms a snippet marks: typed, glossary and typo terms (not the
    /// associated ones, which a reader would not recognise as asked for).
    pub fn marked_terms(&self) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        for unit in &self.units {
            out.extend(unit.terms.iter().cloned());
            for alternative in unit.alternatives.iter().filter(|a| a.kind != Kind::Associated) {
                out.extend(alternative.terms.iter().cloned());
            }
        }
        out
    }

    /// The typo corrections, as the results page shows them: each unit's
    /// typed words and the words searched instead.
    pub fn corrections(&self) -> Vec<(String, Vec<String>)> {
        self.shown(Kind::Typo)
    }

    /// The glossary expansions: each unit's typed words and the phrases
    /// also searched for.
    pub fn expansions(&self) -> Vec<(String, Vec<String>)> {
        self.shown(Kind::Glossary)
    }

    fn shown(&self, kind: Kind) -> Vec<(String, Vec<String>)> {
        self.units
            .iter()
            .filter_map(|unit| {
                let shown: Vec<String> =
                    unit.alternatives.iter().filter(|a| a.kind == kind).map(|a| a.shown.clone()).collect();
                (!shown.is_empty()).then(|| (unit.typed.clone(), shown))
            })
            .collect()
    }
}

/// Plans `query` with the mechanisms `switches` leaves on.
pub fn plan(query: &str, lookup: &dyn Lookup, switches: Switches) -> Plan {
    let words: Vec<(String, String)> =
        self::words(query).into_iter().filter_map(|word| lookup.analyse(&word).map(|term| (word, term))).collect();
    let glossary = lookup.glossary();
    let mut units = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let longest = (1..=MAX_TERM_WORDS.min(words.len() - i)).rev().filter(|_| switches.glossary).find(|&k| {
            let terms: Vec<String> = words[i..i + k].iter().map(|(_, t)| t.clone()).collect();
            glossary.holds(&terms)
        });
        let k = longest.unwrap_or(1);
        let typed: Vec<&str> = words[i..i + k].iter().map(|(w, _)| w.as_str()).collect();
        let terms: Vec<String> = words[i..i + k].iter().map(|(_, t)| t.clone()).collect();
        let mut alternatives = Vec::new();
        if longest.is_some() {
            for group in glossary.groups.iter().filter(|g| g.iter().any(|p| p.terms == terms)) {
                for phrase in group {
                    if phrase.searched
                        && phrase.terms != terms
                        && !alternatives.iter().any(|a: &Alternative| a.terms == phrase.terms)
                    {
                        alternatives.push(Alternative {
                            kind: Kind::Glossary,
                            shown: phrase.shown.clone(),
                            terms: phrase.terms.clone(),
                            weight: GLOSSARY_WEIGHT,
                        });
                    }
                }
            }
        }
        units.push(Unit {
            stop: k == 1 && STOP_WORDS.contains(&typed[0]),
            typed: typed.join(" "),
            terms,
            alternatives,
        });
        i += k;
    }
    if units.iter().all(|u| u.stop) {
        units.iter_mut().for_each(|u| u.stop = false);
    }
    let typed_terms: Vec<String> = units.iter().flat_map(|u| u.terms.clone()).collect();
    for unit in &mut units {
        if unit.terms.len() != 1 {
            continue;
        }
        let term = &unit.terms[0];
        let held = lookup.doc_freq(term);
        if switches.typos && unit.alternatives.is_empty() {
            unit.alternatives.extend(typos(&unit.typed, term, held, lookup));
        }
        if switches.associations && !unit.stop && held > 0 && held < ASSOCIATE_BELOW {
            for (rank, associate) in
                lookup.associates(term).iter().filter(|a| !typed_terms.contains(a)).take(3).enumerate()
            {
                unit.alternatives.push(Alternative {
                    kind: Kind::Associated,
                    shown: associate.clone(),
                    terms: vec![associate.clone()],
                    weight: ASSOCIATION_WEIGHTS[rank],
                });
            }
        }
    }
    Plan { units, switches }
}

/// The typo corrections of `word` (whose term is `term`, held by `held`
/// case studies): see the module docs.
fn typos(word: &str, term: &str, held: u32, lookup: &dyn Lookup) -> Vec<Alternative> {
    let chars = word.chars().count();
    let rare = held == 1 && lookup.docs() >= RARE_BANK_DOCS;
    if chars < MIN_TYPO_CHARS || word.chars().all(|c| c.is_ascii_digit()) || (held > 0 && !rare) {
        return Vec::new();
    }
    let most = if chars >= LONG_WORD_CHARS { 2 } else { 1 };
    let mut found: Vec<(usize, &str)> = Vec::new();
    for length in chars.saturating_sub(most)..=chars + most {
        for candidate in lookup.words_of_length(length) {
            let d = strsim::osa_distance(word, candidate);
            if (1..=most).contains(&d) {
                found.push((d, candidate));
            }
        }
    }
    let Some(least) = found.iter().map(|(d, _)| *d).min() else { return Vec::new() };
    found.retain(|(d, _)| *d == least);
    found.sort_unstable();
    let mut candidates: Vec<(String, &str)> = Vec::new();
    for (_, candidate) in found {
        if candidates.len() == TYPO_CANDIDATES {
            break;
        }
        if let Some(t) = lookup.analyse(candidate) {
            if t != term && !candidates.iter().any(|(c, _)| *c == t) {
                candidates.push((t, candidate));
            }
        }
    }
    let mut ranked: Vec<(u32, usize, String, &str)> =
        candidates.into_iter().enumerate().map(|(i, (t, w))| (lookup.doc_freq(&t), i, t, w)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let min_docs = if rare { RARE_MIN_DOCS } else { 1 };
    ranked
        .into_iter()
        .filter(|(docs, ..)| *docs >= min_docs)
        .take(TYPO_ALTERNATIVES)
        .map(|(_, _, t, w)| Alternative {
            kind: Kind::Typo,
            shown: w.to_string(),
            terms: vec![t],
            weight: TYPO_WEIGHT[least],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn sanitises_like_the_contract() {
        assert_eq!(sanitize("Care-Leavers AND don't C++ ΟΔΟΣ"), "care leavers and don t c   οδοσ");
        assert_eq!(words("rust Rust rust running"), ["rust", "running"]);
        assert_eq!(words(&"w ".repeat(40)).len(), 1);
    }

    /// The distance typos are measured by (strsim's optimal string
    /// alignment, as the client's `alignment`): a swap of neighbours is one
    /// edit, and characters, not bytes, are counted.
    #[test]
    fn distance_counts_a_swap_as_one_edit() {
        assert_eq!(strsim::osa_distance("safegaurding", "safeguarding"), 1);
        assert_eq!(strsim::osa_distance("heath", "health"), 1);
        assert_eq!(strsim::osa_distance("apprentiships", "apprenticeships"), 2);
        assert_eq!(strsim::osa_distance("care", "card"), 1);
        assert_eq!(strsim::osa_distance("abc", "xyz"), 3);
        assert_eq!(strsim::osa_distance("ca", "abc"), 3);
        assert_eq!(strsim::osa_distance("", "ab"), 2);
        assert_eq!(strsim::osa_distance("naïve", "naive"), 1);
    }

    /// A lookup over a handful of words, with identity analysis except a
    /// trailing "s" dropped.
    struct Fake {
        docs: BTreeMap<String, u32>,
        words: BTreeMap<usize, Vec<String>>,
        associates: BTreeMap<String, Vec<String>>,
        glossary: Compiled,
    }

    impl Fake {
        fn new(vocabulary: &[(&str, u32)], groups: &[&[&str]]) -> Fake {
            let mut words: BTreeMap<usize, Vec<String>> = BTreeMap::new();
            for (w, _) in vocabulary {
                words.entry(w.chars().count()).or_default().push(w.to_string());
            }
            words.values_mut().for_each(|w| w.sort());
            let docs: BTreeMap<String, u32> = vocabulary.iter().map(|(w, n)| (stem(w), *n)).collect();
            // Searched: every word held (the fake has no "half the bank").
            let groups: Vec<Vec<(String, bool)>> = groups
                .iter()
                .map(|g| {
                    g.iter()
                        .map(|s| (s.to_string(), s.split_whitespace().all(|w| docs.contains_key(&stem(w)))))
                        .collect()
                })
                .collect();
            Fake {
                docs,
                words,
                associates: BTreeMap::new(),
                glossary: Compiled::new(&groups, |p| p.split_whitespace().map(stem).collect()),
            }
        }
    }

    fn stem(word: &str) -> String {
        let lower = word.to_lowercase();
        lower.strip_suffix('s').unwrap_or(&lower).to_string()
    }

    impl Lookup for Fake {
        fn doc_freq(&self, term: &str) -> u32 {
            self.docs.get(term).copied().unwrap_or(0)
        }
        fn docs(&self) -> u32 {
            30
        }
        fn words_of_length(&self, chars: usize) -> &[String] {
            self.words.get(&chars).map_or(&[], Vec::as_slice)
        }
        fn associates(&self, term: &str) -> &[String] {
            self.associates.get(term).map_or(&[], Vec::as_slice)
        }
        fn glossary(&self) -> &Compiled {
            &self.glossary
        }
        fn analyse(&self, word: &str) -> Option<String> {
            Some(stem(word))
        }
    }

    #[test]
    fn the_longest_glossary_phrase_is_one_unit() {
        let fake = Fake::new(
            &[("looked", 3), ("after", 9), ("children", 20), ("care", 20), ("in", 30), ("lac", 1), ("housing", 5)],
            &[&["LAC", "looked after children", "children in care", "CiC"]],
        );
        let plan = plan("Looked after children housing", &fake, Switches::exact(false));
        assert_eq!(plan.units.len(), 2);
        assert_eq!(plan.units[0].typed, "looked after children");
        let shown: Vec<&str> = plan.units[0].alternatives.iter().map(|a| a.shown.as_str()).collect();
        // CiC is in no case study, so it cannot find anything.
        assert_eq!(shown, ["LAC", "children in care"]);
        assert!(plan.units[0].alternatives.iter().all(|a| a.kind == Kind::Glossary && a.weight == 0.5));
        assert!(plan.units[1].alternatives.is_empty());
    }

    #[test]
    fn an_unknown_word_is_corrected_to_the_most_held_nearest_words() {
        let fake = Fake::new(&[("safeguarding", 4), ("health", 9), ("heath", 0), ("wealth", 2), ("mental", 5)], &[]);
        let planned = plan("mental haelth", &fake, Switches::exact(false));
        let typo = &planned.units[1].alternatives;
        assert_eq!(typo.len(), 1, "{typo:?}");
        assert_eq!((typo[0].shown.as_str(), typo[0].weight), ("health", 0.5));
        assert!(planned.units[0].alternatives.is_empty(), "a known word is not corrected");
        let planned = plan("mental mealth", &fake, Switches::exact(false));
        let shown: Vec<&str> = planned.units[1].alternatives.iter().map(|a| a.shown.as_str()).collect();
        assert_eq!(shown, ["health", "wealth"], "held by more first");
        assert_eq!(plan("safegaurdin", &fake, Switches::exact(false)).units[0].alternatives[0].weight, 0.25);
        assert!(plan("mental haelth", &fake, Switches::exact(true)).units[1].alternatives.is_empty(), "exact");
    }

    #[test]
    fn stop_words_are_units_that_do_not_count_unless_all_are() {
        let fake = Fake::new(&[("help", 3)], &[]);
        let stops: Vec<bool> =
            plan("how to help", &fake, Switches::exact(false)).units.iter().map(|u| u.stop).collect();
        assert_eq!(stops, [true, true, false]);
        assert!(plan("how to", &fake, Switches::exact(false)).units.iter().all(|u| !u.stop));
    }

    #[test]
    fn associations_help_rare_words_and_never_repeat_typed_ones() {
        let mut fake = Fake::new(&[("bullying", 2), ("school", 9), ("friend", 5)], &[]);
        fake.associates.insert("bullying".into(), vec!["school".into(), "friend".into(), "online".into()]);
        let plan = plan("bullying school", &fake, Switches::exact(false));
        let alternatives = &plan.units[0].alternatives;
        assert_eq!(alternatives.len(), 2);
        assert_eq!((alternatives[0].shown.as_str(), alternatives[0].weight), ("friend", 0.25));
    }
}
