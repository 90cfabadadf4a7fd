//! practicebank: a static site generator for banks of practice examples.
//!
//! The build is a pipeline of stages, each a module with one entry point:
//! [`load`] (disk to [`load::Sources`]), [`validate`] (sources to a valid
//! [`model::Site`], or every [`diagnostic::Diagnostic`]), [`search`] (the
//! index, related case studies and the static search files), [`render`]
//! (site to [`output::OutputFile`]s) and [`write`] (files to disk, swapped in
//! whole). [`build`] reads like that list; [`cli`] wires it to the
//! `practicebank` command.

// Diagnostics are the error type of every stage and are only built on the
// cold path; boxing them would cost clarity and buy nothing.
#![allow(clippy::result_large_err)]

pub mod changes;
pub mod cli;
pub mod corpus;
pub mod date;
pub mod diagnostic;
pub mod escape;
pub mod frontmatter;
pub mod hash;
pub mod load;
pub mod markdown;
pub mod memory;
pub mod model;
pub mod new;
pub mod output;
pub mod render;
pub mod report;
pub mod schema;
pub mod search;
pub mod serve;
pub mod slug;
pub mod suggest;
pub mod validate;
pub mod write;
pub mod yaml;

use diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// What `check` found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Case-study files seen, readable or not.
    pub case_studies: usize,
    /// Every problem, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the problems are with the site itself (no `site.yaml`, an
    /// invalid one) rather than with case studies.
    pub site_invalid: bool,
    /// The site's sources, for showing the lines problems point at.
    pub sources: Option<load::Sources>,
}

/// Loads and validates the site at `root` without writing anything.
pub fn check(root: &Path) -> CheckReport {
    let sources = match load::load(root) {
        Ok(sources) => sources,
        Err(diagnostic) => {
            return CheckReport { case_studies: 0, diagnostics: vec![diagnostic], site_invalid: true, sources: None }
        }
    };
    let case_studies = sources.case_study_count();
    match validate::validate(&sources) {
        Ok(site) => {
            // Links between case studies and to files, and images, as the
            // default build (no drafts) publishes them.
            let diagnostics = render::check_links(&site, render::RenderOptions::default());
            CheckReport { case_studies, diagnostics, site_invalid: false, sources: Some(sources) }
        }
        Err(invalid) => CheckReport {
            case_studies,
            diagnostics: invalid.diagnostics,
            site_invalid: invalid.config,
            sources: Some(sources),
        },
    }
}

/// What to build, and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The output folder, replaced whole.
    pub output: PathBuf,
    /// Include case studies marked `draft: true`.
    pub drafts: bool,
    /// Replaces `base_url` from `site.yaml` once it is validated (`serve`
    /// sets the local address). Must be an absolute URL ending in `/`.
    pub base_url: Option<String>,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub case_studies: usize,
    pub written: write::WriteReport,
    /// What whoever builds should know that is not a problem, each a
    /// `note: ` paragraph (where crawlers look for `robots.txt`).
    pub notes: Vec<String>,
}

/// Why a build failed: every problem found, and whether they are the site's
/// (configuration, theme, output folder) or its content's.
#[derive(Debug, Clone)]
pub struct BuildFailure {
    pub diagnostics: Vec<Diagnostic>,
    pub site_invalid: bool,
    /// The site's sources, for showing the lines problems point at.
    pub sources: Option<load::Sources>,
}

/// Hears how far a build has got, to show progress.
pub trait Progress: Sync {
    /// A new stage begins; `total` is how many steps it has (0: unknown).
    fn stage(&self, name: &str, total: u64);
    /// One more step of the current stage is done.
    fn step(&self);
}

/// Progress that nobody watches.
pub struct Quiet;

impl Progress for Quiet {
    fn stage(&self, _: &str, _: u64) {}
    fn step(&self) {}
}

/// A site built in memory: the files [`build`] writes, and what the next
/// build of the same site may reuse.
pub struct Generated {
    /// Every file of the site: the rendered ones, then the search index.
    pub files: Vec<output::OutputFile>,
    /// Case studies published.
    pub case_studies: usize,
    /// Kept by `serve` between rebuilds; see [`generate`].
    pub reuse: Reuse,
}

/// What one build leaves for the next: the validated site and the search
/// stage's result, which depends on nothing else; and what [`preview`]
/// needs to render one case study again (the templates, and the files
/// under `content/` that links may name).
pub struct Reuse {
    site: model::Site,
    drafts: bool,
    searchable: search::Searchable,
    templates: render::Templates,
    assets: std::collections::BTreeMap<String, load::Asset>,
}

/// What [`preview`] made of a saved case study.
pub enum Preview {
    /// Its page and the files it links, as the next full build makes them
    /// except for what depends on other case studies: its list of related
    /// case studies is the last build's, and other pages (listings, feeds,
    /// the search index) still show the last build's version of it.
    Pages(Vec<output::OutputFile>),
    /// The file's problems, with the file as read to show their lines.
    Invalid { diagnostics: Vec<Diagnostic>, source: Option<load::SourceFile> },
    /// A change a preview cannot show: only a full build can.
    NeedsBuild,
}

/// Reads, validates and renders the case study `file` (relative to the
/// site root) again, against the rest of the site as `previous` built it:
/// for `serve` to show a saved case study at once, before the full build
/// that follows. Only an edit to a case study already published, keeping
/// its page and its draft status, can be previewed; anything else (a new
/// or removed file, a link, a draft) is [`Preview::NeedsBuild`].
pub fn preview(previous: &Reuse, file: &str) -> Preview {
    let site = &previous.site;
    let Some(old) = site.case_studies.iter().find(|c| c.file == file) else { return Preview::NeedsBuild };
    let is_plain_file = std::fs::symlink_metadata(site.root.join(file)).is_ok_and(|m| m.is_file());
    if !is_plain_file || (old.draft && !previous.drafts) {
        return Preview::NeedsBuild;
    }
    let source = match load::load_case_study(&site.root, file) {
        Ok(source) => source,
        Err(diagnostic) => return Preview::Invalid { diagnostics: vec![diagnostic], source: None },
    };
    let new = match validate::validate_case_study(&source, &site.config, &previous.assets) {
        Ok(new) if new.slug != old.slug || new.draft != old.draft => return Preview::NeedsBuild,
        Ok(new) => new,
        Err(diagnostics) => return Preview::Invalid { diagnostics, source: Some(source) },
    };
    let options = render::RenderOptions { drafts: previous.drafts };
    match render::case_study_preview(site, &previous.templates, options, &previous.searchable.related, &new) {
        Ok(files) => Preview::Pages(files),
        Err(diagnostics) => Preview::Invalid { diagnostics, source: Some(source) },
    }
}

/// Builds the site: load, validate, index, render, write. Files are
/// written to a staging folder as they are rendered and swapped in whole
/// at the end; on failure the staging folder is removed and the previous
/// output is untouched.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, BuildFailure> {
    let output_failure = |d| BuildFailure { diagnostics: vec![d], site_invalid: true, sources: None };
    let staging = write::Staging::open(&options.output, &options.root).map_err(output_failure)?;
    let rendered = pipeline(options, progress, None, &staging, false)?;
    progress.stage("writing", 0);
    let written = staging.finish().map_err(output_failure)?;
    Ok(BuildReport { case_studies: rendered.case_studies, written, notes: rendered.notes })
}

/// Builds the site in memory: load, validate, index, render; writes
/// nothing. With `previous` (the last build of the same site), the search
/// stage is skipped when the validated site is unchanged, as after an edit
/// to a template: its result is a function of the site alone, so the files
/// are the same as a full build's.
pub fn generate(
    options: &BuildOptions,
    progress: &dyn Progress,
    previous: Option<&Reuse>,
) -> Result<Generated, BuildFailure> {
    let collected = output::Collect::default();
    let rendered = pipeline(options, progress, previous, &collected, true)?;
    let reuse = rendered.reuse.expect("asked to keep what the next build may reuse");
    Ok(Generated { files: collected.into_files(), case_studies: rendered.case_studies, reuse })
}

/// What [`pipeline`] did besides handing files on.
struct Rendered {
    /// Case studies published.
    case_studies: usize,
    /// For [`BuildReport::notes`].
    notes: Vec<String>,
    /// What the next build may reuse, if asked to keep it.
    reuse: Option<Reuse>,
}

/// The stages from load to render, handing files to `sink`. If `keep`,
/// what the next build may reuse is kept (otherwise the search files are
/// dropped once written).
fn pipeline(
    options: &BuildOptions,
    progress: &dyn Progress,
    previous: Option<&Reuse>,
    sink: &dyn output::Sink,
    keep: bool,
) -> Result<Rendered, BuildFailure> {
    progress.stage("reading", 0);
    let mut sources = load::load(&options.root).map_err(|d| BuildFailure {
        diagnostics: vec![d],
        site_invalid: true,
        sources: None,
    })?;
    progress.stage("checking", 0);
    let mut site = validate::validate(&sources).map_err(|e| BuildFailure {
        diagnostics: e.diagnostics,
        site_invalid: e.config,
        sources: Some(sources.clone()),
    })?;
    let assets = std::mem::take(&mut sources.assets);
    // The sources are as large as the site; past validation they are only
    // needed to show the lines of later problems, and are read again then.
    drop(sources);
    memory::release_freed();
    let fail = |diagnostics: Vec<Diagnostic>, site_invalid: bool| BuildFailure {
        diagnostics,
        site_invalid,
        sources: load::load(&options.root).ok(),
    };
    if let Some(base_url) = &options.base_url {
        site.config.base_url.clone_from(base_url);
    }
    let templates = render::Templates::load(&site.root, &site.config.theme).map_err(|d| fail(d, true))?;
    progress.stage("indexing", 0);
    let mut searchable = match previous.filter(|p| p.drafts == options.drafts && p.site == site) {
        Some(previous) => previous.searchable.clone(),
        None => search::build(&site, options.drafts),
    };
    // Kept for the next build only if asked; otherwise written and freed.
    let files = if keep { searchable.files.clone() } else { std::mem::take(&mut searchable.files) };
    for file in files {
        sink.put(file).map_err(|d| fail(vec![d], true))?;
    }
    // The index is gone and its files written: rendering starts lean.
    memory::release_freed();
    progress.stage("rendering", site.case_studies.len() as u64);
    let render_options = render::RenderOptions { drafts: options.drafts };
    render::render(&site, &templates, render_options, &searchable.related, progress, sink).map_err(|d| {
        // Content problems, unless the output could not be written.
        let output = d.iter().any(|d| d.code == "output");
        fail(d, output)
    })?;
    let case_studies = site.case_studies.iter().filter(|c| options.drafts || !c.draft).count();
    let notes = render::robots_note(&site.config.base_url).into_iter().collect();
    let reuse = keep.then_some(Reuse { site, drafts: options.drafts, searchable, templates, assets });
    Ok(Rendered { case_studies, notes, reuse })
}
