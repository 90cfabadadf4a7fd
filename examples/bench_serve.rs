//! Benchmarks `practicebank serve`'s editor loop, run by hand (not in CI or
//! the test suite): for generated sites of each size, the time from saving
//! a file to the event that reloads (or restyles) the open pages, for an
//! edit to one case study, to the base template (every page changes) and
//! to the stylesheet, and for a second save of a case study made while
//! the full build after the first is running; with serve's own rebuild
//! time and, for scale, a full `practicebank build`.
//!
//! ```sh
//! cargo build --release --bins --example bench_serve
//! target/release/examples/bench_serve --sizes 1000,10000 --runs 5
//! ```
//!
//! Sites are generated with [`practicebank::corpus`] (seed 1) into `--work`
//! and kept there for the next run. Talks to serve on 127.0.0.1 only.

use clap::Parser;
use practicebank::corpus::{write_site, CorpusOptions};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Site sizes, in case studies.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
    sizes: Vec<usize>,
    /// Saves timed for each kind of change.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Where generated sites are kept.
    #[arg(long, default_value = "bench/work")]
    work: PathBuf,
    /// The practicebank binary [default: beside this example's folder].
    #[arg(long)]
    bin: Option<PathBuf>,
}

/// The longest any one build may take.
const PATIENCE: Duration = Duration::from_secs(600);
/// Between saves: longer than serve's quiet period.
const PAUSE: Duration = Duration::from_millis(400);
/// After a save's reload, before saving again while its full build runs.
const BUSY: Duration = Duration::from_millis(100);

fn main() -> ExitCode {
    let args = Args::parse();
    let bin = args.bin.clone().unwrap_or_else(|| {
        let exe = std::env::current_exe().expect("the example's own path");
        exe.parent().and_then(Path::parent).expect("target/<profile>/examples/").join("practicebank")
    });
    if !bin.is_file() {
        eprintln!("no practicebank binary at {}: cargo build --release --bins first", bin.display());
        return ExitCode::from(2);
    }
    println!(
        "practicebank serve, from saving a file to the reload event: median [min-max] of {} saves; \
         then to the event saying the whole site is built (after a case study's page is previewed, \
         the full build that follows it), with serve's own full-build time in brackets",
        args.runs
    );
    println!("load average at start: {}", load_average());
    println!();
    println!(
        "| case studies | full build | case study edit | template edit (base.html) | stylesheet edit | \
         case study edit during a full build |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for &size in &args.sizes {
        match bench(&bin, &args.work, size, args.runs) {
            Ok(row) => println!("{row}"),
            Err(e) => {
                eprintln!("size {size}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!();
    println!("load average at end: {}", load_average());
    ExitCode::SUCCESS
}

fn bench(bin: &Path, work: &Path, size: usize, runs: usize) -> Result<String, String> {
    let site = work.join(format!("serve-site-{size}"));
    if !site.join("site.yaml").exists() {
        write_site(&site, CorpusOptions { count: size, seed: 1, words: 900 }).map_err(|e| e.to_string())?;
    }
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let base = site.join("themes/default/templates/base.html");
    let css = site.join("themes/default/static/style.css");
    for (from, to) in [("templates/base.html", &base), ("static/style.css", &css)] {
        std::fs::create_dir_all(to.parent().expect("a folder")).map_err(|e| e.to_string())?;
        std::fs::copy(theme.join(from), to).map_err(|e| e.to_string())?;
    }
    let full = {
        let out = work.join(format!("serve-public-{size}"));
        let started = Instant::now();
        let built = Command::new(bin).arg("build").arg("--root").arg(&site).arg("--output").arg(&out).output();
        if !built.map_err(|e| e.to_string())?.status.success() {
            return Err("practicebank build failed".into());
        }
        started.elapsed()
    };
    let mut serve = Serve::start(bin, &site)?;
    let events = Events::connect(&serve.addr)?;
    events.next("status")?;

    let case_study = first_case_study(&site)?;
    let original = std::fs::read_to_string(&case_study).map_err(|e| e.to_string())?;
    let edit = |run: usize| {
        let text = original.replacen("\nsummary: ", &format!("\nsummary: Benchmark save {run}. "), 1);
        std::fs::write(&case_study, text).map_err(|e| e.to_string())
    };
    let case_studies = timed(runs, &events, &mut serve, "reload", edit)?;
    let busy = during_full_build(runs, &events, &mut serve, |run, second| {
        let text = original.replacen("\nsummary: ", &format!("\nsummary: Busy save {run}{second}. "), 1);
        std::fs::write(&case_study, text).map_err(|e| e.to_string())
    })?;

    let template = std::fs::read_to_string(&base).map_err(|e| e.to_string())?;
    let edit = |run: usize| std::fs::write(&base, format!("{template}<!-- benchmark save {run} -->\n"));
    let templates = timed(runs, &events, &mut serve, "reload", |run| edit(run).map_err(|e| e.to_string()))?;

    let stylesheet = std::fs::read_to_string(&css).map_err(|e| e.to_string())?;
    let edit = |run: usize| std::fs::write(&css, format!("{stylesheet}/* benchmark save {run} */\n"));
    let stylesheets = timed(runs, &events, &mut serve, "css", |run| edit(run).map_err(|e| e.to_string()))?;

    serve.stop();
    std::fs::write(&case_study, original).map_err(|e| e.to_string())?;
    Ok(format!("| {size} | {:.2} s | {case_studies} | {templates} | {stylesheets} | {busy} |", full.as_secs_f64()))
}

/// Saves a case study, waits for its page's reload and [`BUSY`] more (its
/// full build is then running), and times a second save of it to its
/// reload: an editor saving again before the site has caught up.
fn during_full_build(
    runs: usize,
    events: &Events,
    serve: &mut Serve,
    save: impl Fn(usize, bool) -> Result<(), String>,
) -> Result<String, String> {
    let mut seconds = Vec::new();
    for run in 0..runs {
        std::thread::sleep(PAUSE);
        save(run, false)?;
        events.next("reload")?;
        std::thread::sleep(BUSY);
        let started = Instant::now();
        save(run, true)?;
        events.next("reload")?;
        seconds.push(started.elapsed().as_secs_f64());
        events.settled()?;
        serve.rebuilt()?;
    }
    let (median, min, max) = summary(&mut seconds);
    Ok(format!("{median:.3} s [{min:.3}-{max:.3}]"))
}

/// Saves `runs` times with `save`, each time waiting for the event `name`.
fn timed(
    runs: usize,
    events: &Events,
    serve: &mut Serve,
    name: &str,
    save: impl Fn(usize) -> Result<(), String>,
) -> Result<String, String> {
    let mut seconds = Vec::new();
    let mut whole = Vec::new();
    let mut rebuilds = Vec::new();
    for run in 0..runs {
        std::thread::sleep(PAUSE);
        let started = Instant::now();
        save(run)?;
        let settled = events.next(name)?;
        seconds.push(started.elapsed().as_secs_f64());
        if !settled {
            events.settled()?;
        }
        whole.push(started.elapsed().as_secs_f64());
        rebuilds.push(serve.rebuilt()?);
    }
    let (median, min, max) = summary(&mut seconds);
    let (whole, _, _) = summary(&mut whole);
    let (rebuild, _, _) = summary(&mut rebuilds);
    Ok(format!("{median:.3} s [{min:.3}-{max:.3}]; whole site {whole:.2} s ({rebuild:.2} s)"))
}

fn summary(values: &mut [f64]) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    (values[values.len() / 2], values[0], values[values.len() - 1])
}

fn first_case_study(site: &Path) -> Result<PathBuf, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(site.join("content/case-studies"))
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files.into_iter().next().ok_or_else(|| "no case studies".to_string())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// A running `practicebank serve`.
struct Serve {
    child: Child,
    addr: String,
    lines: mpsc::Receiver<String>,
}

impl Serve {
    fn start(bin: &Path, site: &Path) -> Result<Serve, String> {
        let mut child = Command::new(bin)
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut serve = Serve { child, addr: String::new(), lines };
        let first = serve.line(|l| l.starts_with("practicebank serve: http://"))?;
        serve.addr = first.trim_start_matches("practicebank serve: http://").trim_end_matches('/').to_string();
        serve.line(|l| l.starts_with("built "))?;
        Ok(serve)
    }

    fn line(&self, find: impl Fn(&str) -> bool) -> Result<String, String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if find(&line) => return Ok(line),
                Ok(_) => {}
                Err(_) => return Err("serve said nothing in time".into()),
            }
        }
    }

    /// Serve's own time for the last rebuild, from its "rebuilt in" line.
    fn rebuilt(&mut self) -> Result<f64, String> {
        let line = self.line(|l| l.starts_with("rebuilt in "))?;
        let seconds = line.trim_start_matches("rebuilt in ").split(' ').next().unwrap_or("");
        seconds.parse().map_err(|_| format!("cannot read {line:?}"))
    }

    fn stop(&mut self) {
        let interrupted = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        if !interrupted.is_ok_and(|s| s.success()) {
            eprintln!("cannot interrupt serve: killing it");
            if let Err(e) = self.child.kill() {
                eprintln!("cannot kill serve: {e}");
            }
        }
        if let Err(e) = self.child.wait() {
            eprintln!("serve did not stop: {e}");
        }
    }
}

/// Names of events from serve's event stream, as they arrive.
struct Events {
    /// Each event's name, and whether it says the folder is settled.
    names: mpsc::Receiver<(String, bool)>,
}

impl Events {
    fn connect(addr: &str) -> Result<Events, String> {
        let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
        write!(stream, "GET /__practicebank/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").map_err(|e| e.to_string())?;
        let (sender, names) = mpsc::channel();
        std::thread::spawn(move || {
            // Chunk framing lines never start with "event:", so reading
            // lines is enough to find the events' names.
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            let mut name = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if let Some(event) = line.strip_prefix("event:") {
                    name = event.trim().to_string();
                } else if let Some(data) = line.strip_prefix("data:") {
                    let settled = data.contains("\"settled\":true");
                    if sender.send((std::mem::take(&mut name), settled)).is_err() {
                        break;
                    }
                }
                line.clear();
            }
        });
        Ok(Events { names })
    }

    /// Waits for the event `expected`; whether the served folder is then a
    /// whole build (not a preview of one page).
    fn next(&self, expected: &str) -> Result<bool, String> {
        match self.names.recv_timeout(PATIENCE) {
            Ok((name, settled)) if name == expected => Ok(settled),
            Ok((name, _)) => Err(format!("expected a `{expected}` event, got `{name}`")),
            Err(_) => Err(format!("no `{expected}` event in time")),
        }
    }

    /// Waits for the event that says the served folder is a whole build.
    fn settled(&self) -> Result<(), String> {
        loop {
            match self.names.recv_timeout(PATIENCE) {
                Ok((_, true)) => return Ok(()),
                Ok((_, false)) => {}
                Err(_) => return Err("no full build in time".into()),
            }
        }
    }
}
