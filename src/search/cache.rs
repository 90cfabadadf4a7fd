//! The tantivy index kept between runs of `practicebank search`, so it
//! need not index the site again when nothing has changed since.
//!
//! Layout: `<root>/.practicebank/search-index/` holds `fingerprint` (a hash
//! of everything the index depends on), `docs.json` (display data),
//! `lexicon.json` (what query plans need besides postings) and
//! `index/` (tantivy's files). `search` indexes into a staging folder beside
//! it and swaps it in whole; a reader trusts the folder only when its
//! fingerprint matches the site as it is now.

use super::document::DocInfo;
use super::index::SearchIndex;
use super::lexicon::Lexicon;
use super::schema::{self, ANALYZER};
use crate::hash::content_hash;
use crate::load::Sources;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Where the cache lives, relative to the site root.
pub const CACHE_DIR: &str = ".practicebank/search-index";

/// The cache of one site, for one set of build options.
pub struct Cache {
    dir: PathBuf,
    fingerprint: String,
}

impl Cache {
    /// The cache for the site `sources` came from; `drafts` is part of the
    /// fingerprint since it changes what is indexed.
    pub fn new(sources: &Sources, drafts: bool) -> Cache {
        let mut seed = format!("practicebank {} drafts={drafts}\n", env!("CARGO_PKG_VERSION")).into_bytes();
        seed.extend_from_slice(sources.config.as_bytes());
        seed.extend_from_slice(super::glossary::BUILTIN.as_bytes());
        for source in &sources.case_studies {
            seed.extend_from_slice(format!("\0{}\0", source.file).as_bytes());
            seed.extend_from_slice(source.text.as_bytes());
        }
        Cache { dir: sources.root.join(CACHE_DIR), fingerprint: content_hash(&seed) }
    }

    /// A fresh, empty folder to index into.
    pub fn stage(&self) -> io::Result<PathBuf> {
        let staged = self.dir.with_file_name(format!("search-index.staging-{}", std::process::id()));
        if staged.exists() {
            fs::remove_dir_all(&staged)?;
        }
        fs::create_dir_all(staged.join("index"))?;
        Ok(staged.join("index"))
    }

    /// Makes the staged index the cache.
    pub fn keep(&self, staged_index: &Path, docs: &[DocInfo], lexicon: &Lexicon) -> io::Result<()> {
        let staged = staged_index.parent().expect("stage() made it inside a folder");
        let result = (|| {
            fs::write(staged.join("docs.json"), serde_json::to_vec(docs).map_err(io::Error::other)?)?;
            fs::write(staged.join("lexicon.json"), serde_json::to_vec(lexicon).map_err(io::Error::other)?)?;
            fs::write(staged.join("fingerprint"), &self.fingerprint)?;
            if self.dir.exists() {
                fs::remove_dir_all(&self.dir)?;
            }
            fs::rename(staged, &self.dir)
        })();
        if result.is_err() {
            let _ = fs::remove_dir_all(staged);
        }
        result
    }

    /// The cached index, if it was built from the site as it is now.
    pub fn open(&self) -> Option<SearchIndex> {
        let fingerprint = fs::read_to_string(self.dir.join("fingerprint")).ok()?;
        if fingerprint != self.fingerprint {
            return None;
        }
        let docs: Vec<DocInfo> = serde_json::from_slice(&fs::read(self.dir.join("docs.json")).ok()?).ok()?;
        let lexicon: Lexicon = serde_json::from_slice(&fs::read(self.dir.join("lexicon.json")).ok()?).ok()?;
        let index = tantivy::Index::open_in_dir(self.dir.join("index")).ok()?;
        index.tokenizers().register(ANALYZER, schema::analyzer());
        let (_, fields) = schema::schema();
        Some(SearchIndex { index, fields, docs, lexicon })
    }
}
