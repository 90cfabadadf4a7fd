//! `practicebank search --evaluate FILE`: how well the search answers a
//! bank's judged queries, so that a glossary change can be shown to help.
//!
//! The file (YAML) lists queries, each with the case studies that answer
//! it, graded 2 (mainly about this) or 1 (useful, or partly about it):
//!
//! ```yaml
//! queries:
//!   - query: uasc housing
//!     relevant:
//!       oldham-supported-accommodation: 2
//!       wandsworth-housing-partnerships: 1
//! ```
//!
//! Any other key of a query (`kind`, `note`) is kept for people and
//! ignored. Per query and over all: nDCG@10 (graded, gain `2^grade - 1`,
//! discount `log2(rank + 1)`, against the ideal order of every judged case
//! study), recall@10 (of every case study graded 1 or 2), MRR@10 (of the
//! first case study graded 2) and whether the query found nothing.

use crate::diagnostic::{Diagnostic, Pos};
use crate::load::Sources;
use crate::model::Site;
use crate::yaml::{self, Node, NodeKind};
use std::collections::BTreeMap;

/// How deep the measures look.
pub const DEPTH: usize = 10;

/// One judged query.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub query: String,
    /// Slug to grade (1 or 2).
    pub relevant: BTreeMap<String, u8>,
    pub line: usize,
}

/// Reads a judged set; every problem has the file and line. `known` tells
/// whether a slug is a published case study.
pub fn read(file: &str, text: &str, known: impl Fn(&str) -> bool) -> Result<Vec<Judged>, Vec<Diagnostic>> {
    let tree = yaml::parse(file, text, 1).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let error =
        |pos: Pos, message: String, help: &str| Diagnostic::error(file, pos, "bad-judgment", message).with_help(help);
    let Some(NodeKind::Seq(items)) = tree.entry("queries").map(|e| &e.value.kind) else {
        return Err(vec![error(
            tree.pos,
            "the file needs a `queries:` list".into(),
            "start the file with `queries:`, then `  - query: ...` lines",
        )]);
    };
    for item in items {
        let query = match item.entry("query").map(|e| &e.value.kind) {
            Some(NodeKind::Scalar { text, .. }) if !text.trim().is_empty() => text.clone(),
            _ => {
                problems.push(error(
                    item.pos,
                    "this judged query has no `query:` text".into(),
                    "write `- query: what a practitioner types`",
                ));
                continue;
            }
        };
        let mut relevant = BTreeMap::new();
        match item.entry("relevant").map(|e| &e.value) {
            Some(Node { kind: NodeKind::Map(grades), .. }) if !grades.is_empty() => {
                for grade in grades {
                    let value = match &grade.value.kind {
                        NodeKind::Scalar { text, .. } => text.trim().parse::<u8>().ok().filter(|g| (1..=2).contains(g)),
                        _ => None,
                    };
                    match value {
                        None => problems.push(error(
                            grade.value.pos,
                            format!("the grade of `{}` must be 1 or 2", grade.key),
                            "2: mainly about this; 1: useful, or partly about it",
                        )),
                        Some(_) if !known(&grade.key) => problems.push(error(
                            grade.key_pos,
                            format!("`{}` is not a published case study", grade.key),
                            "use the file name of a case study, without `.md`",
                        )),
                        Some(g) => {
                            relevant.insert(grade.key.clone(), g);
                        }
                    }
                }
            }
            _ => problems.push(error(
                item.pos,
                format!("`{query}` has no `relevant:` case studies"),
                "add `relevant:` with `slug: 2` or `slug: 1` lines under it",
            )),
        }
        out.push(Judged { query, relevant, line: item.pos.line });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The slugs each judged query finds, best first, as far as [`DEPTH`].
pub fn rank_all(
    site: &Site,
    sources: &Sources,
    judged: &[Judged],
    switches: super::plan::Switches,
) -> Result<Vec<Vec<String>>, Diagnostic> {
    let index = super::open(site, sources)?;
    // One lookup for every query: it lays out the vocabulary and compiles
    // the glossary.
    let lookup = super::query::IndexLookup::new(&index).map_err(super::search_failed)?;
    judged
        .iter()
        .map(|j| {
            let plan = super::plan::plan(&j.query, &lookup, switches);
            let (found, _) = super::results(site, &index, &plan, &Default::default(), DEPTH)?;
            Ok(found.into_iter().map(|f| f.slug).collect())
        })
        .collect::<tantivy::Result<_>>()
        .map_err(super::search_failed)
}

/// The measures of one query, or the mean of several.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Scores {
    pub ndcg: f64,
    pub recall: f64,
    pub mrr: f64,
    /// 1 when the query found nothing (a count, summed over queries).
    pub no_result: usize,
}

/// The measures of `ranked` (slugs, best first, all results) against
/// `judged`.
pub fn score(judged: &Judged, ranked: &[String]) -> Scores {
    let top = &ranked[..ranked.len().min(DEPTH)];
    let gain = |grade: u8| f64::from((1u32 << grade) - 1);
    let discount = |rank: usize| (rank as f64 + 2.0).log2();
    let dcg: f64 =
        top.iter().enumerate().map(|(i, s)| judged.relevant.get(s).map_or(0.0, |g| gain(*g)) / discount(i)).sum();
    let mut ideal: Vec<u8> = judged.relevant.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal.iter().take(DEPTH).enumerate().map(|(i, g)| gain(*g) / discount(i)).sum();
    let found = top.iter().filter(|s| judged.relevant.contains_key(*s)).count();
    let first_main = top.iter().position(|s| judged.relevant.get(s) == Some(&2));
    Scores {
        ndcg: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        recall: found as f64 / judged.relevant.len().max(1) as f64,
        mrr: first_main.map_or(0.0, |i| 1.0 / (i as f64 + 1.0)),
        no_result: usize::from(ranked.is_empty()),
    }
}

/// The mean of each measure, and the number of queries with no result.
pub fn overall(all: &[Scores]) -> Scores {
    let n = all.len().max(1) as f64;
    Scores {
        ndcg: all.iter().map(|s| s.ndcg).sum::<f64>() / n,
        recall: all.iter().map(|s| s.recall).sum::<f64>() / n,
        mrr: all.iter().map(|s| s.mrr).sum::<f64>() / n,
        no_result: all.iter().map(|s| s.no_result).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(relevant: &[(&str, u8)]) -> Judged {
        Judged { query: "q".into(), relevant: relevant.iter().map(|(s, g)| (s.to_string(), *g)).collect(), line: 1 }
    }

    fn ranked(slugs: &[&str]) -> Vec<String> {
        slugs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_perfect_ranking_scores_one() {
        let j = judged(&[("a", 2), ("b", 1)]);
        let s = score(&j, &ranked(&["a", "b", "x"]));
        assert_eq!((s.ndcg, s.recall, s.mrr, s.no_result), (1.0, 1.0, 1.0, 0));
    }

    #[test]
    fn measures_follow_their_definitions() {
        let j = judged(&[("a", 2), ("b", 1)]);
        let s = score(&j, &ranked(&["x", "b", "a"]));
        // DCG = 1/log2(3) + 3/log2(4); ideal = 3 + 1/log2(3).
        let expected = (1.0 / 3f64.log2() + 1.5) / (3.0 + 1.0 / 3f64.log2());
        assert!((s.ndcg - expected).abs() < 1e-12);
        assert_eq!((s.recall, s.mrr), (1.0, 1.0 / 3.0));
        let none = score(&j, &[]);
        assert_eq!((none.ndcg, none.recall, none.mrr, none.no_result), (0.0, 0.0, 0.0, 1));
        let late: Vec<String> = (0..10).map(|i| format!("x{i}")).chain(["a".to_string()]).collect();
        assert_eq!(score(&j, &late).recall, 0.0, "only the top 10 count");
    }

    #[test]
    fn a_bad_judgment_names_its_line() {
        let text = "queries:\n  - query: housing\n    relevant:\n      nowhere: 2\n      oldham: 3\n  - query: rent\n";
        let problems = read("judged.yaml", text, |s| s == "oldham").unwrap_err();
        let found: Vec<(Option<usize>, &str)> = problems.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (Some(4), "`nowhere` is not a published case study"),
                (Some(5), "the grade of `oldham` must be 1 or 2"),
                (Some(6), "`rent` has no `relevant:` case studies"),
            ]
        );
    }
}
