//! The tantivy schema: which parts of a case study are searched, how they
//! are analysed and boosted, and which are filters.

use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING};
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Tokenizer,
};

/// The analyzer of every searched field: tantivy's `en_stem` pipeline,
/// registered under our own name so a change of tantivy's default cannot
/// change ours unnoticed.
pub const ANALYZER: &str = "practicebank_en";

/// Searched fields in query order, with their boosts. The title says most
/// about a case study, the summary is written to describe it, and the
/// authority's name is searched so "Oldham" finds Oldham's work. The
/// labels and descriptions of its themes (from `site.yaml`) weigh least:
/// they let a practitioner who types a theme's words find its case
/// studies, but say less about any one of them than its own text.
pub const SEARCHED: [(&str, f32); 8] = [
    ("title", 3.0),
    ("summary", 2.0),
    ("why", 1.0),
    ("what", 1.0),
    ("impact", 1.0),
    ("body", 1.0),
    ("authority", 1.0),
    ("themes", 0.5),
];

/// How many fields are searched.
pub const FIELDS: usize = SEARCHED.len();

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Searched text fields, in the order of [`SEARCHED`].
    pub searched: [Field; FIELDS],
    /// The case study's position in slug order: the doc id we export.
    pub ordinal: Field,
    pub slug: Field,
    /// Filters: exact values, one term each (a case study has several themes).
    pub theme: Field,
    pub authority_slug: Field,
    pub survey: Field,
    pub year: Field,
}

impl Fields {
    pub fn searched_field(&self, index: usize) -> Field {
        self.searched[index]
    }
}

/// Builds the schema and its field handles.
pub fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let indexing = TextFieldIndexing::default().set_tokenizer(ANALYZER).set_index_option(IndexRecordOption::WithFreqs);
    let text = TextOptions::default().set_indexing_options(indexing);
    let searched = SEARCHED.map(|(name, _)| builder.add_text_field(name, text.clone()));
    let ordinal = builder.add_u64_field("ordinal", FAST | STORED);
    let slug = builder.add_text_field("slug", STRING | STORED);
    let theme = builder.add_text_field("theme", STRING);
    let authority_slug = builder.add_text_field("authority_slug", STRING);
    let survey = builder.add_text_field("survey", STRING);
    let year = builder.add_text_field("year", STRING);
    (builder.build(), Fields { searched, ordinal, slug, theme, authority_slug, survey, year })
}

/// The analyzer for searched text, at index time and query time alike.
pub fn analyzer() -> TextAnalyzer {
    filtered(SimpleTokenizer::default())
}

/// The terms of `text`, as the searched fields analyse it.
pub fn analyse_all(text: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// The filters of [`analyzer`] on their own, for one token at a time: the
/// build's analysis tokenizes with tantivy's `SimpleTokenizer` and runs
/// each distinct token through these once (see `inverted`).
pub fn token_filters() -> TextAnalyzer {
    filtered(RawTokenizer::default())
}

/// `tokenizer` followed by tantivy's `en_stem` filters.
fn filtered<T: Tokenizer>(tokenizer: T) -> TextAnalyzer {
    TextAnalyzer::builder(tokenizer)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}
