//! A deterministic generator of realistic case-study sites, for benchmarks
//! and for tests that need thousands of case studies.
//!
//! Each case study is valid v1 front matter of about `words` words: Zipf-
//! distributed vocabulary (real care-sector words at the head, generated
//! English-shaped words in the tail, so stemming and rare terms both get
//! exercised), about 150 authorities, a dozen themes, 0 to 4 figures, and a
//! resource file for one case study in five. The same seed writes the same
//! bytes.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct CorpusOptions {
    /// How many case studies.
    pub count: usize,
    pub seed: u64,
    /// Words per case study, roughly.
    pub words: usize,
}

/// Writes a whole site (`site.yaml` and `content/`) into `out`, which must
/// not hold a site already.
pub fn write_site(out: &Path, options: CorpusOptions) -> std::io::Result<()> {
    if out.join("site.yaml").exists() {
        return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "the folder already holds a site"));
    }
    let mut rng = Rng(options.seed);
    let vocabulary = vocabulary(&mut rng, 30_000);
    let zipf = Zipf::new(vocabulary.len(), 1.07);
    let authorities = authorities(&mut rng, 150);
    let dir = out.join("content/case-studies");
    fs::create_dir_all(&dir)?;
    fs::write(out.join("site.yaml"), site_yaml())?;
    for i in 0..options.count {
        let authority = &authorities[rng.below(authorities.len())];
        let slug = format!(
            "{}-{}-{i:06}",
            crate::slug::slugify(authority),
            vocabulary[zipf.sample(&mut rng).min(400)].replace('-', "")
        );
        let text = case_study(&mut rng, &vocabulary, &zipf, authority, &slug, options.words, &dir)?;
        fs::write(dir.join(format!("{slug}.md")), text)?;
    }
    Ok(())
}

/// SplitMix64: small, fast and fully determined by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const HEAD_WORDS: &str =
    "the of and to in a for with care young people children leavers their they council local authority \
support housing home safe settled feel felt survey workers social team service services school education worries \
celebrate celebrating celebration success achievements awards participation voice views listened listening \
relationships trusted adults foster carers placement placements independence apprenticeships employment training \
money savings budget wellbeing lonely loneliness friends football sport activities hobbies mental health emotional \
corporate parenting board councillors managers leaders pledge promises review reviewed reviewing consultation \
consulted plan planning action actions improve improved improvement improving changes changed changing together \
group groups meeting meetings monthly annual yearly week weekly every each more most better than compared national \
average other authorities results findings showed shows reported reporting asked asking told telling believe \
believed encouraged encouraging proud pride stories news good dark times living lives life accommodation rent \
deposit tenancy tenancies landlord providers provider commissioned contract homelessness prevention protocol joint \
working partnership partners agencies voluntary sector housing-first complex needs risk risks early panel panels \
decisions decision making allocation properties guide champions inspection inspected standards charges wifi \
digital access phone laptop online video videos drama role play character characters bullying bullied teachers \
exclusion excluded homework club clubs dinner cooked activity bite-size attendance doubled feedback shared widely \
professionals fostering friendly businesses sponsors sponsored judging nominated nominating obstacles overcome goals \
culture strengths based approach signs safety model cards gifts meals spontaneity admin recognising recognition \
community wider awareness offers companies urged life-story lifelong links network networks unaccompanied asylum \
seekers cricket peer peers identity belonging stability moves move moving siblings contact family families birth \
parents health dentist doctor sleep bedroom pets garden neighbourhood transport travel bus passes leisure library";

const THEMES: [(&str, &str); 12] = [
    ("housing", "Housing and accommodation"),
    ("celebration", "Celebrating success"),
    ("participation", "Participation and voice"),
    ("education", "Education and school"),
    ("relationships", "Relationships"),
    ("safety", "Feeling safe"),
    ("corporate-parenting", "Corporate parenting"),
    ("wellbeing", "Wellbeing"),
    ("partnership", "Working with partners"),
    ("employment", "Work and apprenticeships"),
    ("loneliness", "Loneliness and friendship"),
    ("money", "Money and savings"),
];

const PLACES: &str = "North South East West Upper Lower Great Little New Old St Kings Queens Castle Bridge Ford Wick \
Ham Ton Bury Field Wood Moor Dale Vale Brook Well Hill Cliff Marsh Mere Port Haven Lea Stow Worth Ley Combe Thorpe";

fn site_yaml() -> String {
    let mut out = String::from(
        "title: Generated Practice Bank\ndescription: A generated corpus for benchmarks\nbase_url: https://example.org/bank/\nthemes:\n",
    );
    for (slug, label) in THEMES {
        let _ = writeln!(
            out,
            "  {slug}:\n    label: {label}\n    description: Case studies about {}",
            label.to_lowercase()
        );
    }
    out.push_str("surveys:\n  your-life-your-care:\n    label: Your Life, Your Care\n    description: Children in care aged 4 to 17\n");
    out.push_str(
        "  your-life-beyond-care:\n    label: Your Life Beyond Care\n    description: Care leavers aged 16 to 25\n",
    );
    out
}

/// The head of real words, then generated words that look English enough
/// for a stemmer to bite on (`-ing`, `-ed`, `-ation`, `-ness`, ...).
fn vocabulary(rng: &mut Rng, size: usize) -> Vec<String> {
    let mut words: Vec<String> = HEAD_WORDS.split_whitespace().map(str::to_string).collect();
    const ONSETS: [&str; 20] =
        ["b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "st", "pl", "gr", "th"];
    const VOWELS: [&str; 8] = ["a", "e", "i", "o", "u", "ea", "ou", "ai"];
    const CODAS: [&str; 10] = ["", "n", "r", "l", "st", "nd", "m", "t", "ck", "rk"];
    const SUFFIXES: [&str; 12] = ["", "", "", "s", "ing", "ed", "er", "ation", "ness", "ly", "ment", "ful"];
    let mut seen: std::collections::BTreeSet<String> = words.iter().cloned().collect();
    while words.len() < size {
        let syllables = 1 + rng.below(3);
        let mut word = String::new();
        for _ in 0..syllables {
            word.push_str(ONSETS[rng.below(ONSETS.len())]);
            word.push_str(VOWELS[rng.below(VOWELS.len())]);
            word.push_str(CODAS[rng.below(CODAS.len())]);
        }
        word.push_str(SUFFIXES[rng.below(SUFFIXES.len())]);
        if seen.insert(word.clone()) {
            words.push(word);
        }
    }
    words
}

fn authorities(rng: &mut Rng, count: usize) -> Vec<String> {
    let parts: Vec<&str> = PLACES.split_whitespace().collect();
    let mut names = std::collections::BTreeSet::new();
    while names.len() < count {
        let name = match rng.below(3) {
            0 => format!("{}{}", parts[rng.below(parts.len())], parts[rng.below(parts.len())].to_lowercase()),
            1 => format!(
                "{} {}{}",
                parts[rng.below(8)],
                parts[8 + rng.below(parts.len() - 8)],
                parts[rng.below(parts.len())].to_lowercase()
            ),
            _ => format!(
                "{}{} and {}",
                parts[rng.below(parts.len())],
                parts[rng.below(parts.len())].to_lowercase(),
                parts[rng.below(parts.len())]
            ),
        };
        names.insert(name);
    }
    names.into_iter().collect()
}

/// Ranks drawn with probability proportional to 1 / rank^s.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|k| {
                total += 1.0 / (k as f64).powf(s);
                total
            })
            .collect::<Vec<_>>();
        Zipf { cumulative: cumulative.iter().map(|c| c / total).collect() }
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.cumulative.partition_point(|c| *c < u).min(self.cumulative.len() - 1)
    }
}

fn sentence(rng: &mut Rng, words: &[String], zipf: &Zipf, length: usize) -> String {
    let mut out = String::new();
    for i in 0..length {
        let word = &words[zipf.sample(rng)];
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(word);
        }
    }
    out.push('.');
    out
}

fn paragraphs(rng: &mut Rng, words: &[String], zipf: &Zipf, total: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut written = 0;
    while written < total {
        let mut paragraph = String::new();
        for _ in 0..3 + rng.below(3) {
            let length = 8 + rng.below(14);
            written += length;
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(&sentence(rng, words, zipf, length));
        }
        if !out.is_empty() {
            let _ = writeln!(out, "{indent}");
        }
        let _ = writeln!(out, "{indent}{paragraph}");
    }
    out
}

fn case_study(
    rng: &mut Rng,
    words: &[String],
    zipf: &Zipf,
    authority: &str,
    slug: &str,
    total: usize,
    dir: &Path,
) -> std::io::Result<String> {
    let mut out = String::from("---\n");
    let length = 4 + rng.below(6);
    let title = sentence(rng, words, zipf, length);
    let _ = writeln!(out, "title: \"{}\"", title.trim_end_matches('.').replace('"', ""));
    let _ = writeln!(out, "authority: {authority}");
    let mut themes: Vec<&str> = Vec::new();
    for _ in 0..1 + rng.below(4) {
        let theme = THEMES[rng.below(THEMES.len())].0;
        if !themes.contains(&theme) {
            themes.push(theme);
        }
    }
    let _ = writeln!(out, "themes: [{}]", themes.join(", "));
    match rng.below(3) {
        0 => out.push_str("survey: your-life-your-care\n"),
        1 => out.push_str("survey: your-life-beyond-care\n"),
        _ => {}
    }
    let _ = writeln!(out, "date: {}-{:02}-{:02}", 2016 + rng.below(10), 1 + rng.below(12), 1 + rng.below(28));
    let length = 20 + rng.below(15);
    let summary = sentence(rng, words, zipf, length);
    let summary: String = summary.chars().take(300).collect();
    let _ = writeln!(out, "summary: >-\n  {}", summary.replace(':', ""));
    let share = total / 4;
    for key in ["why", "what", "impact"] {
        let _ = write!(out, "{key}: |\n{}", paragraphs(rng, words, zipf, share, "  "));
    }
    let figures = rng.below(5);
    if figures > 0 {
        out.push_str("figures:\n");
        for _ in 0..figures {
            let value = rng.below(101);
            let _ =
                writeln!(out, "  - label: {}", sentence(rng, words, zipf, 6).trim_end_matches('.').replace(':', ""));
            let _ = writeln!(out, "    value: {value}");
            if rng.below(4) > 0 {
                let _ = writeln!(
                    out,
                    "    comparison: {}\n    comparison_label: young people in other local authorities",
                    rng.below(101)
                );
            }
            if rng.below(2) == 0 {
                let _ = writeln!(out, "    year: {}", 2016 + rng.below(10));
            }
        }
    }
    if rng.below(5) == 0 {
        let name = format!("{slug}-summary.csv");
        fs::write(dir.join(&name), format!("measure,value\nfigures,{figures}\n"))?;
        let _ = writeln!(out, "resources:\n  - title: Summary data (CSV)\n    file: {name}");
    }
    out.push_str("---\n");
    out.push_str(&paragraphs(rng, words, zipf, share, ""));
    Ok(out)
}
