//! HTML pages: view structs from the model, rendered with the templates.

use super::views::*;
use super::{chart, date_text, root_from, Published, Templates};
use crate::diagnostic::{Diagnostic, Pos};
use crate::hash::{content_hash_of_parts, hashed_name};
use crate::markdown::{LinkFault, LinkProblem, Resolved, Sanitiser};
use crate::model::{CaseStudy, Markdown, ResourceTarget};
use crate::output::{Contents, OutputFile, Sink};
use crate::Progress;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How many case studies the home page lists.
const LATEST: usize = 10;

/// Static files whose names carry a content hash, by their plain name.
const HASHED: [&str; 4] = ["style.css", "print.css", "site.js", "favicon.svg"];

struct Renderer<'a> {
    published: &'a Published<'a>,
    templates: &'a Templates,
    site: SiteView,
    assets: AssetUrls,
    sanitiser: Sanitiser,
    /// Slug to related slugs, from the search stage.
    related: &'a BTreeMap<String, Vec<String>>,
}

/// Every HTML page, the theme's static files and the resource downloads.
pub fn render_pages(
    published: &Published<'_>,
    templates: &Templates,
    related: &BTreeMap<String, Vec<String>>,
    progress: &dyn Progress,
    sink: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    let renderer = Renderer::new(published, templates, related);
    let search = search_folder(&templates.statics);
    let files: Vec<OutputFile> = templates
        .statics
        .iter()
        .map(|(name, bytes)| OutputFile::bytes(asset_path(name, bytes, &search), bytes.clone()))
        .collect();
    let problems: Vec<Diagnostic> = published
        .newest_first
        .par_iter()
        .flat_map_iter(|c| {
            let problems = match renderer.case_study(c) {
                Ok(pages) => pages.into_iter().filter_map(|page| sink.put(page).err()).collect(),
                Err(problems) => problems,
            };
            progress.step();
            problems
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    // The listings and other pages, side by side, each written as it comes.
    let others: [&(dyn Fn() -> Result<Vec<OutputFile>, Diagnostic> + Sync); 7] = [
        &|| renderer.home(),
        &|| renderer.themes_index(),
        &|| renderer.theme_listings(),
        &|| renderer.authorities(),
        &|| renderer.survey_listings(),
        &|| renderer.simple("search.html", "search/", "Search case studies", "search"),
        &|| renderer.simple("404.html", "404.html", "Page not found", ""),
    ];
    let written: Result<(), Diagnostic> = files.into_iter().try_for_each(|file| sink.put(file)).and_then(|()| {
        others.par_iter().try_for_each(|pages| pages()?.into_iter().try_for_each(|file| sink.put(file)))
    });
    written.map_err(|d| vec![d])
}

/// One case study's page and the resource files it links, as
/// [`render_pages`] makes them.
pub fn case_study_pages(
    published: &Published<'_>,
    templates: &Templates,
    related: &BTreeMap<String, Vec<String>>,
    case_study: &CaseStudy,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    Renderer::new(published, templates, related).case_study(case_study)
}

impl<'a> Renderer<'a> {
    fn new(
        published: &'a Published<'a>,
        templates: &'a Templates,
        related: &'a BTreeMap<String, Vec<String>>,
    ) -> Renderer<'a> {
        let search = search_folder(&templates.statics);
        let asset =
            |name: &str| templates.statics.get(name).map(|bytes| asset_path(name, bytes, &search)).unwrap_or_default();
        let assets = AssetUrls {
            css: asset("style.css"),
            print_css: asset("print.css"),
            js: asset("site.js"),
            search_js: asset("search.js"),
            icon: asset("favicon.svg"),
        };
        let config = &published.site.config;
        let mut themes: Vec<ThemeView> = config
            .themes
            .values()
            .map(|t| ThemeView {
                slug: t.slug.clone(),
                label: t.label.clone(),
                description: t.description.clone(),
                count: published.newest_first.iter().filter(|c| c.themes.contains(&t.slug)).count(),
                url: format!("themes/{}/", t.slug),
            })
            .collect();
        themes.sort_by(|a, b| a.label.to_lowercase().cmp(&b.label.to_lowercase()).then_with(|| a.slug.cmp(&b.slug)));
        let site = SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url.clone(),
            language: "en-GB",
            themes,
            generator: format!("practicebank {}", env!("CARGO_PKG_VERSION")),
        };
        Renderer { published, templates, site, assets, sanitiser: Sanitiser::default(), related }
    }
}

/// Where a static file of the theme is published: under `assets/`, its
/// name carrying a hash of its bytes for the files pages link, and the
/// search page's modules in `search_folder`.
fn asset_path(name: &str, bytes: &[u8], search_folder: &str) -> String {
    if is_search_module(name) {
        return format!("{search_folder}/{name}");
    }
    let output = if HASHED.contains(&name) { hashed_name(name, bytes) } else { name.to_string() };
    format!("assets/{output}")
}

/// The search page's ES modules: `search.js` and the `search-*.js` files
/// it imports by relative address.
fn is_search_module(name: &str) -> bool {
    name == "search.js" || (name.starts_with("search-") && name.ends_with(".js"))
}

/// The folder the search page's modules are published in together,
/// `assets/search-<hash>`, named by a hash of all of them (names and
/// bytes): their imports of each other need no rewriting, browsers may
/// cache them forever, and a page never mixes two versions.
fn search_folder(statics: &BTreeMap<String, Vec<u8>>) -> String {
    let parts = statics
        .iter()
        .filter(|(name, _)| is_search_module(name))
        .flat_map(|(name, bytes)| [name.as_bytes(), b"\0".as_slice(), bytes.as_slice(), b"\0".as_slice()]);
    format!("assets/search-{}", &content_hash_of_parts(parts)[..10])
}

impl Renderer<'_> {
    /// Renders `template` as the page at `path` (a folder path such as
    /// `themes/x/`, written as its `index.html`, or a file name).
    fn page<T: Serialize>(
        &self,
        template: &str,
        meta: PageMeta,
        kind: &str,
        value: &T,
    ) -> Result<OutputFile, Diagnostic> {
        let mut context = tera::Context::new();
        context.insert("site", &self.site);
        context.insert("assets", &self.assets);
        context.insert(kind, value);
        let path = if meta.path.is_empty() || meta.path.ends_with('/') {
            format!("{}index.html", meta.path)
        } else {
            meta.path.clone()
        };
        context.insert("page", &meta);
        Ok(OutputFile::bytes(path, self.templates.render(template, &context)?))
    }

    fn meta(&self, path: &str, heading: &str, description: &str, section: &'static str) -> PageMeta {
        let site_title = &self.site.title;
        PageMeta {
            title: if path.is_empty() { site_title.clone() } else { format!("{heading} \u{2013} {site_title}") },
            heading: heading.to_string(),
            description: description.to_string(),
            canonical_url: format!("{}{path}", self.site.base_url),
            root: root_from(path),
            path: path.to_string(),
            og_type: "website",
            json_ld: String::new(),
            breadcrumbs: if path.is_empty() { Vec::new() } else { vec![link("Home", "")] },
            feed_url: None,
            section,
        }
    }

    fn card(&self, c: &CaseStudy) -> Card {
        Card {
            title: c.title.clone(),
            url: format!("case-studies/{}/", c.slug),
            authority: c.authority.clone(),
            authority_url: format!("authorities/{}/", c.authority_slug),
            date: c.date.to_string(),
            date_text: date_text(c.date),
            summary: c.summary.clone(),
            themes: self.theme_links(c),
            draft: c.draft,
        }
    }

    fn theme_links(&self, c: &CaseStudy) -> Vec<Link> {
        let themes = &self.published.site.config.themes;
        c.themes.iter().filter_map(|t| themes.get(t)).map(|t| link(&t.label, &format!("themes/{}/", t.slug))).collect()
    }

    fn case_study(&self, c: &CaseStudy) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let site = self.published.site;
        let path = format!("case-studies/{}/", c.slug);
        let folder = source_folder(&c.file);
        let mut copies: BTreeSet<String> = c
            .resources
            .iter()
            .filter_map(|r| match &r.target {
                ResourceTarget::File { path, .. } => Some(path.clone()),
                ResourceTarget::Url(_) => None,
            })
            .collect();
        let mut problems = Vec::new();
        let mut render = |field: &str, markdown: &Markdown| {
            let mut resolve = |url: &str| resolve(self.published, c, &folder, url, &mut copies);
            let (html, broken) = self.sanitiser.render(&markdown.text, markdown.line, field, &mut resolve);
            problems.extend(broken.into_iter().map(|problem| link_diagnostic(&c.file, problem)));
            html
        };
        let why_html = render("why", &c.why);
        let what_html = render("what", &c.what);
        let impact_html = render("impact", &c.impact);
        let body_html = render("more", &c.body);
        if !problems.is_empty() {
            return Err(problems);
        }
        let resources = c
            .resources
            .iter()
            .map(|r| match &r.target {
                ResourceTarget::File { path: file, size } => ResourceView {
                    title: r.title.clone(),
                    url: format!("{path}{}", resource_rest(&c.slug, &folder, file)),
                    kind: "file",
                    file_type: file.rsplit_once('.').map(|(_, ext)| ext.to_uppercase()),
                    size_text: Some(size_text(*size)),
                    host: None,
                },
                ResourceTarget::Url(url) => ResourceView {
                    title: r.title.clone(),
                    url: url.clone(),
                    kind: "link",
                    file_type: None,
                    size_text: None,
                    host: url
                        .split("//")
                        .nth(1)
                        .and_then(|rest| rest.split(['/', '?', '#']).next())
                        .map(str::to_lowercase),
                },
            })
            .collect();
        let themes = &site.config.themes;
        let view = CaseStudyView {
            slug: c.slug.clone(),
            title: c.title.clone(),
            authority: link(&c.authority, &format!("authorities/{}/", c.authority_slug)),
            themes: self.theme_links(c),
            survey: c
                .survey
                .as_ref()
                .and_then(|s| site.config.surveys.get(s))
                .map(|s| link(&s.label, &format!("surveys/{}/", s.slug))),
            date: c.date.to_string(),
            date_text: date_text(c.date),
            summary: c.summary.clone(),
            why_html,
            what_html,
            impact_html,
            body_html,
            figures: c.figures.iter().map(|f| figure_view(f, &c.authority)).collect(),
            quotes: c.quotes.iter().map(|q| QuoteView { text: q.text.clone(), by: q.by.clone() }).collect(),
            resources,
            related: self
                .related
                .get(&c.slug)
                .into_iter()
                .flatten()
                .filter_map(|slug| self.published.by_slug.get(slug.as_str()))
                .map(|other| self.card(other))
                .collect(),
            edit_url: site.config.repository.as_ref().map(|repo| format!("{repo}/edit/main/{}", c.file)),
            draft: c.draft,
        };
        let mut meta = self.meta(&path, &c.title, &c.summary, "");
        meta.og_type = "article";
        if let Some(theme) = c.themes.first().and_then(|t| themes.get(t)) {
            meta.breadcrumbs.push(link("Themes", "themes/"));
            meta.breadcrumbs.push(link(&theme.label, &format!("themes/{}/", theme.slug)));
        }
        meta.json_ld = json_ld(&serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": c.title,
            "description": c.summary,
            "datePublished": c.date.to_string(),
            "url": meta.canonical_url,
            "inLanguage": "en-GB",
            "author": { "@type": "GovernmentOrganization", "name": c.authority },
            "publisher": { "@type": "Organization", "name": site.config.title },
            "keywords": view.themes.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
        }));
        let page = self.page("case-study.html", meta, "case_study", &view).map_err(|d| vec![d])?;
        let mut files = vec![page];
        for asset in copies {
            files.push(OutputFile {
                path: format!("{path}{}", resource_rest(&c.slug, &folder, &asset)),
                contents: Contents::Copy(site.root.join(crate::load::CONTENT_DIR).join(&asset)),
            });
        }
        Ok(files)
    }

    fn home(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let published = self.published;
        let view = HomeView {
            latest: published.newest_first.iter().take(LATEST).map(|c| self.card(c)).collect(),
            total: published.newest_first.len(),
        };
        let mut meta = self.meta("", &self.site.title, &self.site.description, "home");
        meta.json_ld = json_ld(&serde_json::json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": self.site.title,
            "description": self.site.description,
            "url": self.site.base_url,
            "inLanguage": "en-GB",
        }));
        Ok(vec![self.page("index.html", meta, "home", &view)?])
    }

    fn themes_index(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let meta =
            self.meta("themes/", "Themes", &format!("Case studies by theme: {}", self.site.description), "themes");
        Ok(vec![self.page(
            "themes.html",
            meta,
            "themes_index",
            &ThemesIndexView { themes: self.site.themes.clone() },
        )?])
    }

    fn theme_listings(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let themes: Vec<_> = self.published.site.config.themes.values().collect();
        let listings = themes.par_iter().map(|theme| {
            let items: Vec<&CaseStudy> =
                self.published.newest_first.iter().copied().filter(|c| c.themes.contains(&theme.slug)).collect();
            let base = format!("themes/{}/", theme.slug);
            let description = if theme.description.is_empty() {
                format!("Case studies about {}", theme.label.to_lowercase())
            } else {
                theme.description.clone()
            };
            let crumbs = vec![link("Themes", "themes/")];
            let feed_url = Some(format!("{base}atom.xml"));
            let spec = Listing {
                kind: "theme",
                base: &base,
                heading: &theme.label,
                description: &description,
                crumbs,
                feed_url,
                section: "themes",
            };
            self.listing(spec, &items)
        });
        listings.collect::<Result<Vec<_>, _>>().map(|pages| pages.concat())
    }

    fn survey_listings(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let surveys: Vec<_> = self.published.site.config.surveys.values().collect();
        let listings = surveys.par_iter().map(|survey| {
            let items: Vec<&CaseStudy> = self
                .published
                .newest_first
                .iter()
                .copied()
                .filter(|c| c.survey.as_deref() == Some(survey.slug.as_str()))
                .collect();
            let description = format!("Case studies drawing on the {} survey. {}", survey.label, survey.description);
            let base = format!("surveys/{}/", survey.slug);
            let spec = Listing {
                kind: "survey",
                base: &base,
                heading: &survey.label,
                description: description.trim(),
                crumbs: Vec::new(),
                feed_url: None,
                section: "",
            };
            self.listing(spec, &items)
        });
        listings.collect::<Result<Vec<_>, _>>().map(|pages| pages.concat())
    }

    fn authorities(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut groups: BTreeMap<&str, Vec<&CaseStudy>> = BTreeMap::new();
        for c in &self.published.newest_first {
            groups.entry(c.authority_slug.as_str()).or_default().push(c);
        }
        let groups: Vec<(&str, Vec<&CaseStudy>)> = groups.into_iter().collect();
        let listings: Vec<(Vec<OutputFile>, AuthorityView)> = groups
            .par_iter()
            .map(|(slug, items)| {
                let name = display_name(items);
                let base = format!("authorities/{slug}/");
                let description = format!("Case studies from {name}");
                let spec = Listing {
                    kind: "authority",
                    base: &base,
                    heading: &name,
                    description: &description,
                    crumbs: vec![link("Authorities", "authorities/")],
                    feed_url: None,
                    section: "authorities",
                };
                let pages = self.listing(spec, items)?;
                Ok((pages, AuthorityView { name, url: base, count: items.len() }))
            })
            .collect::<Result<_, Diagnostic>>()?;
        let (pages, mut entries): (Vec<Vec<OutputFile>>, Vec<AuthorityView>) = listings.into_iter().unzip();
        let mut files = pages.concat();
        entries.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.url.cmp(&b.url)));
        let mut letters: Vec<Letter> = Vec::new();
        for entry in entries {
            let letter = entry
                .name
                .chars()
                .next()
                .filter(char::is_ascii_alphabetic)
                .map_or("#".to_string(), |c| c.to_ascii_uppercase().to_string());
            match letters.last_mut() {
                Some(last) if last.letter == letter => last.authorities.push(entry),
                _ => {
                    let id = if letter == "#" {
                        "letter-other".to_string()
                    } else {
                        format!("letter-{}", letter.to_lowercase())
                    };
                    letters.push(Letter { letter, id, authorities: vec![entry] })
                }
            }
        }
        let view = AuthoritiesView { total: groups.len(), letters };
        let meta = self.meta("authorities/", "Authorities", "Case studies by local authority, A to Z", "authorities");
        files.push(self.page("authorities.html", meta, "authorities", &view)?);
        Ok(files)
    }

    /// A paginated list of case studies: `base` is page 1, `base/page/N/`
    /// the others.
    fn listing(&self, spec: Listing<'_>, items: &[&CaseStudy]) -> Result<Vec<OutputFile>, Diagnostic> {
        let Listing { kind, base, heading, description, crumbs, feed_url, section } = spec;
        let page_size = self.published.site.config.page_size;
        let total_pages = items.len().div_ceil(page_size).max(1);
        let page_path = |n: usize| if n == 1 { base.to_string() } else { format!("{base}page/{n}/") };
        (1..=total_pages)
            .into_par_iter()
            .map(|number| {
                let path = page_path(number);
                let chunk = items.iter().skip((number - 1) * page_size).take(page_size);
                let pagination = (total_pages > 1).then(|| Pagination {
                    current: number,
                    total_pages,
                    previous: (number > 1).then(|| page_path(number - 1)),
                    next: (number < total_pages).then(|| page_path(number + 1)),
                    items: page_items(number, total_pages)
                        .into_iter()
                        .map(|n| PageItem {
                            number: n,
                            url: if n == 0 { String::new() } else { page_path(n) },
                            current: n == number,
                            ellipsis: n == 0,
                        })
                        .collect(),
                });
                let view = ListingView {
                    kind,
                    description: description.to_string(),
                    total: items.len(),
                    items: chunk.map(|c| self.card(c)).collect(),
                    pagination,
                };
                let shown = if number == 1 {
                    heading.to_string()
                } else {
                    format!("{heading} (page {number} of {total_pages})")
                };
                let mut meta = self.meta(&path, &shown, description, section);
                meta.breadcrumbs.extend(crumbs.iter().cloned());
                meta.feed_url = feed_url.clone();
                self.page("listing.html", meta, "listing", &view)
            })
            .collect()
    }

    /// A page with no data of its own.
    fn simple(
        &self,
        template: &str,
        path: &str,
        heading: &str,
        section: &'static str,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut meta = self.meta(path, heading, &self.site.description, section);
        if template == "search.html" {
            // GOV.UK's pattern, which search.js follows once there is a
            // query: `housing – Search – Practice Bank`.
            meta.title = format!("Search \u{2013} {}", self.site.title);
        }
        if template == "404.html" {
            // Served at any address, so relative links would break.
            meta.root = self.site.base_url.clone();
            meta.breadcrumbs.clear();
        }
        Ok(vec![self.page(template, meta, "nothing", &())?])
    }
}

/// What a listing is about, for [`Renderer::listing`].
struct Listing<'a> {
    /// `theme`, `authority` or `survey`.
    kind: &'static str,
    /// The path of its first page.
    base: &'a str,
    heading: &'a str,
    description: &'a str,
    /// Breadcrumbs after "Home".
    crumbs: Vec<Link>,
    feed_url: Option<String>,
    section: &'static str,
}

/// Where a link in case study `c` leads. Relative links are read from
/// the case study's folder: `other.md` is another case study, anything
/// else must be a file inside `content/`, which is then copied.
fn resolve(
    published: &Published<'_>,
    c: &CaseStudy,
    folder: &str,
    url: &str,
    copies: &mut BTreeSet<String>,
) -> Resolved {
    if url.is_empty() || url.starts_with('#') || url.starts_with("//") || has_scheme(url) {
        return Resolved::Keep;
    }
    let split = url.find(['#', '?']).unwrap_or(url.len());
    let (target, suffix) = url.split_at(split);
    if target.starts_with('/') {
        return Resolved::Broken(
            "links inside the site are written relative to this file, without a leading `/`".into(),
        );
    }
    let Some(resolved) = normalise(folder, target) else {
        return Resolved::Broken("it leads outside the content folder".into());
    };
    if let Some(slug) = resolved
        .strip_prefix("case-studies/")
        .and_then(|rest| rest.strip_suffix(".md"))
        .map(|p| p.rsplit('/').next().unwrap_or(p))
    {
        if published.by_slug.contains_key(slug) {
            return Resolved::Rewrite(format!("../{slug}/{suffix}"));
        }
        if published.site.case_studies.iter().any(|other| other.slug == slug) {
            return Resolved::Broken(format!("`{slug}` is a draft, so it is not published"));
        }
        return Resolved::Broken(format!("there is no case study `{slug}.md`"));
    }
    if published.site.assets.contains_key(&resolved) {
        copies.insert(resolved.clone());
        return Resolved::Rewrite(format!("{}{suffix}", resource_rest(&c.slug, folder, &resolved)));
    }
    Resolved::Broken(format!("there is no file `{resolved}` in the content folder"))
}

/// The problems with the links and images of every published case study,
/// as rendering them would find them, without rendering: for `check`.
pub fn link_problems(published: &Published<'_>) -> Vec<Diagnostic> {
    published
        .newest_first
        .par_iter()
        .flat_map_iter(|c| {
            let folder = source_folder(&c.file);
            let mut copies = BTreeSet::new();
            let mut resolve = |url: &str| resolve(published, c, &folder, url, &mut copies);
            let mut problems = Vec::new();
            for markdown in [&c.why, &c.what, &c.impact, &c.body] {
                problems.extend(crate::markdown::link_problems(&markdown.text, markdown.line, &mut resolve));
            }
            problems.into_iter().map(|problem| link_diagnostic(&c.file, problem))
        })
        .collect()
}

/// The diagnostic for a link or image of `file` that cannot be published.
fn link_diagnostic(file: &str, problem: LinkProblem) -> Diagnostic {
    let pos = Pos::new(problem.line, 1);
    match problem.fault {
        LinkFault::Broken(reason) => Diagnostic::error(file, pos, "broken-link", format!("the link `{}` leads nowhere: {reason}", problem.url))
            .with_help("link to another case study by its file name, such as `coventry-pledge.md`, or to a file beside this one"),
        LinkFault::ImageWithoutText => Diagnostic::error(file, pos, "image-without-text", format!("the image `{}` has no description", problem.url))
            .with_help("describe what the image shows between the square brackets, such as `![Young people at the awards evening](awards.jpg)`: screen readers read it out, and it shows when the image cannot load"),
    }
}

/// Page numbers to show around `current`: the first, the last, and one
/// either side of the current page, with 0 for each gap.
fn page_items(current: usize, total: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for n in 1..=total {
        if n == 1 || n == total || n.abs_diff(current) <= 1 {
            out.push(n);
        } else if out.last() != Some(&0) {
            out.push(0);
        }
    }
    out
}

/// The most common spelling of an authority's name among its case studies.
fn display_name(items: &[&CaseStudy]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in items {
        *counts.entry(c.authority.as_str()).or_default() += 1;
    }
    let best = counts.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(name, _)| name.to_string());
    best.unwrap_or_default()
}

fn figure_view(figure: &crate::model::Figure, authority: &str) -> FigureView {
    let value_text = chart::percent(figure.value);
    let mut text = format!("{}: {value_text} in {authority}", figure.label);
    if let Some(comparison) = &figure.comparison {
        text.push_str(&format!(", compared with {} among {}", chart::percent(comparison.value), comparison.label));
    }
    if let Some(year) = figure.year {
        text.push_str(&format!(" ({year})"));
    }
    text.push('.');
    FigureView {
        label: figure.label.clone(),
        value_text,
        comparison_text: figure.comparison.as_ref().map(|c| chart::percent(c.value)),
        comparison_label: figure.comparison.as_ref().map(|c| c.label.clone()),
        year: figure.year,
        text,
        chart_html: chart::bar_chart(figure, authority),
    }
}

fn link(label: &str, url: &str) -> Link {
    Link { label: label.to_string(), url: url.to_string() }
}

/// JSON for a `<script>` element, which no text in it can close.
fn json_ld(value: &serde_json::Value) -> String {
    crate::escape::json_inert(&value.to_string())
}

/// The folder of a case study's file, relative to `content/`.
pub(super) fn source_folder(file: &str) -> String {
    let in_content = file.strip_prefix("content/").unwrap_or(file);
    in_content.rsplit_once('/').map_or(String::new(), |(folder, _)| folder.to_string())
}

/// Where a file from `content/` goes under the case study's page: files
/// in a folder named after the case study, or beside it, keep their path
/// from there; files elsewhere in `content/` keep their whole path.
pub(super) fn resource_rest(slug: &str, folder: &str, asset: &str) -> String {
    let own = format!("{folder}/{slug}/");
    let beside = format!("{folder}/");
    asset.strip_prefix(&own).or_else(|| asset.strip_prefix(&beside)).unwrap_or(asset).to_string()
}

/// `folder` + `relative`, with `.` and `..` resolved; `None` if it climbs
/// out of `content/`.
fn normalise(folder: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => url[..i].chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) && i > 0,
        None => false,
    }
}

fn size_text(bytes: u64) -> String {
    match bytes {
        0..=1023 => format!("{bytes} bytes"),
        1024..=1_048_575 => format!("{} KB", (bytes as f64 / 1024.0).round() as u64),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_items() {
        assert_eq!(page_items(1, 1), vec![1]);
        assert_eq!(page_items(1, 3), vec![1, 2, 3]);
        assert_eq!(page_items(5, 10), vec![1, 0, 4, 5, 6, 0, 10]);
        assert_eq!(page_items(10, 10), vec![1, 0, 9, 10]);
    }

    #[test]
    fn search_modules_share_a_folder_named_by_all_of_them() {
        let file = |name: &str, bytes: &str| (name.to_string(), bytes.as_bytes().to_vec());
        let mut statics: BTreeMap<String, Vec<u8>> =
            [file("search.js", "a"), file("search-dom.js", "b"), file("style.css", "c")].into_iter().collect();
        let folder = search_folder(&statics);
        assert_eq!(folder.len(), "assets/search-".len() + 10);
        assert_eq!(asset_path("search.js", b"a", &folder), format!("{folder}/search.js"));
        assert_eq!(asset_path("search-dom.js", b"b", &folder), format!("{folder}/search-dom.js"));
        assert_eq!(asset_path("style.css", b"c", &folder), format!("assets/{}", hashed_name("style.css", b"c")));
        statics.insert("style.css".into(), b"changed".to_vec());
        assert_eq!(search_folder(&statics), folder, "other files leave the folder alone");
        statics.insert("search-dom.js".into(), b"changed".to_vec());
        assert_ne!(search_folder(&statics), folder, "a change to any module renames the folder");
    }

    #[test]
    fn resource_paths() {
        assert_eq!(resource_rest("a", "case-studies", "case-studies/a/slides.pdf"), "slides.pdf");
        assert_eq!(resource_rest("a", "case-studies", "case-studies/slides.pdf"), "slides.pdf");
        assert_eq!(resource_rest("a", "case-studies", "shared/guide.pdf"), "shared/guide.pdf");
        assert_eq!(normalise("case-studies", "../shared/x.pdf").as_deref(), Some("shared/x.pdf"));
        assert_eq!(normalise("case-studies", "../../x"), None);
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x") && has_scheme("mailto:a@b") && has_scheme("javascript:alert(1)"));
        assert!(!has_scheme("other.md") && !has_scheme("folder/a:b") && !has_scheme(":x"));
    }

    #[test]
    fn sizes() {
        assert_eq!(size_text(500), "500 bytes");
        assert_eq!(size_text(409_600), "400 KB");
        assert_eq!(size_text(3_500_000), "3.3 MB");
    }

    #[test]
    fn json_ld_cannot_close_its_script() {
        assert_eq!(json_ld(&serde_json::json!({"a": "</script>"})), "{\"a\":\"\\u003c/script\\u003e\"}");
    }
}
