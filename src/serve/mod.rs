//! `practicebank serve`: the editor's loop. Builds the site, serves it over
//! HTTP, watches it, and rebuilds on every save; open pages reload (or
//! restyle) after each successful build and show a failed build's problems
//! over the last good one.
//!
//! The contract:
//! - The site is only read. The build goes into a temporary folder
//!   ([`folder`]), never `public/`, with `base_url` set to the address
//!   served, and without the search cache, so nothing is written in the
//!   site; the folder is removed when the session ends (Ctrl-C, SIGTERM or
//!   SIGHUP, also in the middle of a build).
//! - A save that changes only case studies already published is shown at
//!   once: each is read, checked and rendered again against the last full
//!   build and its page written (a *preview*, [`crate::preview`]); its page
//!   is then the full build's except for its list of related case studies,
//!   which is the last build's. Every save is followed by a full build on a
//!   thread of its own; one overtaken by a newer save writes nothing.
//! - After every full build the folder holds exactly what `practicebank
//!   build` writes for the same site and `base_url` (the status says
//!   `settled`). Each runs the whole pipeline in memory, except the search
//!   stage when the validated site is unchanged (a template or stylesheet
//!   edit: see [`crate::generate`]); then only files whose bytes changed
//!   are written ([`folder`], driven by [`rebuild`]).
//! - Open pages reload when a change touches them: their own file, a file
//!   in their folder, or the theme's assets (stylesheets alone are swapped
//!   in place). The status lists the files a change wrote, when they are
//!   few, so a page a change does not touch keeps its place.
//! - A failed build changes nothing served. The terminal shows its
//!   diagnostics as `check` does; open pages show them over the page.
//! - HTTP ([`http`]): `GET` and `HEAD` of the folder's files and nothing
//!   else; the live-reload script is added to HTML responses on the way
//!   out, never to the built files.
//! - Changes are noticed by [`watch`]: native events, or polling.
//!
//! [`run`] owns the session: the folder, the status, the watcher and the
//! server are values it creates and drops, with no global state. Previews
//! run on the thread that hears saves and full builds on one of their own
//! (the pipeline is blocking, and parallel with rayon inside); the HTTP
//! server runs on a tokio runtime; each build or preview publishes its
//! [`status::Status`] on a watch channel that the event streams read.

mod folder;
mod http;
mod rebuild;
mod status;
mod watch;

use crate::report;
use axum::serve::ListenerExt;
use folder::Folder;
use rebuild::{Builder, Outcome};
use status::Status;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// How long stopping waits for requests in flight.
const GRACE: Duration = Duration::from_secs(2);
/// Exit status when the session cannot start.
const EXIT_START: u8 = 2;

/// What to serve, and how.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on: an IP address or a host name.
    pub bind: String,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Include case studies marked `draft: true`.
    pub drafts: bool,
    /// Poll for changes instead of waiting for file events.
    pub poll: bool,
    /// Open the site in the default browser.
    pub open: bool,
}

/// Serves the site until the process is told to stop.
pub fn run(options: ServeOptions) -> ExitCode {
    match Session::start(&options) {
        Ok(session) => session.run(),
        Err(message) => {
            print_err(&format!("{message}\nnothing is served"));
            ExitCode::from(EXIT_START)
        }
    }
}

/// A running session's parts, before the server starts.
struct Session {
    listener: TcpListener,
    url: String,
    folder: Arc<Mutex<Option<Folder>>>,
    served: PathBuf,
    stop: Arc<AtomicBool>,
    status: tokio::sync::watch::Receiver<Arc<Status>>,
}

impl Session {
    fn start(options: &ServeOptions) -> Result<Session, String> {
        let root = options
            .root
            .canonicalize()
            .map_err(|e| format!("practicebank serve: cannot find the site folder {}: {e}", options.root.display()))?;
        if let Err(d) = crate::load::load_config(&root) {
            return Err(report::human(&d, None).trim_end().to_string());
        }
        let address = resolve(&options.bind, options.port)?;
        let listener = TcpListener::bind(address).map_err(|e| {
            format!("practicebank serve: cannot listen on {address}: {e} (another server may be using the port: try --port 0)")
        })?;
        let local = listener.local_addr().map_err(|e| format!("practicebank serve: {e}"))?;
        let url = base_url(local);
        let stop = Arc::new(AtomicBool::new(false));
        let folder = Folder::create(stop.clone())
            .map_err(|e| format!("practicebank serve: cannot make a temporary folder to build into: {e}"))?;
        let served = folder.path().canonicalize().map_err(|e| format!("practicebank serve: {e}"))?;
        let watch = watch::Watch::start(&root, options.poll)
            .map_err(|e| format!("practicebank serve: cannot watch the site for changes: {e}"))?;
        let session_id = session_id();
        let (status_sender, status) = tokio::sync::watch::channel(Arc::new(Status::starting(&session_id)));
        let folder = Arc::new(Mutex::new(Some(folder)));
        let build_options = crate::BuildOptions {
            root: root.clone(),
            output: served.clone(),
            drafts: options.drafts,
            base_url: Some(url.clone()),
        };
        let builder = Builder::new(build_options, folder.clone(), status_sender, session_id);
        banner(&url, &served, &watch.method, local.ip(), options.drafts);
        std::thread::Builder::new()
            .name("practicebank-build".into())
            .spawn(move || build_loop(builder, watch))
            .map_err(|e| format!("practicebank serve: cannot start the build thread: {e}"))?;
        if options.open {
            open_browser(&url);
        }
        Ok(Session { listener, url, folder, served, stop, status })
    }

    fn run(self) -> ExitCode {
        let served = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
            Ok(runtime) => {
                let served = runtime.block_on(serve(self.listener, self.served.clone(), self.status));
                // Requests still reading files are not waited for.
                runtime.shutdown_timeout(Duration::from_millis(200));
                served
            }
            Err(e) => Err(e),
        };
        // Stop a folder update in progress at its next file, then take the
        // folder from the build thread and remove it.
        self.stop.store(true, Ordering::Relaxed);
        let folder = self.folder.lock().unwrap_or_else(PoisonError::into_inner).take();
        let removed = match folder.map(Folder::remove) {
            Some(Ok(())) | None => format!("removed {}", self.served.display()),
            Some(Err(e)) => format!("could not remove {}: {e}", self.served.display()),
        };
        match served {
            Ok(why) => {
                print_out(&format!("\n{why}: stopped serving {}; {removed}", self.url));
                ExitCode::SUCCESS
            }
            Err(e) => {
                print_err(&format!("practicebank serve: the server failed: {e}; {removed}"));
                ExitCode::from(EXIT_START)
            }
        }
    }
}

/// Serves the folder `root` until a signal comes; says which.
async fn serve(
    listener: TcpListener,
    root: PathBuf,
    status: tokio::sync::watch::Receiver<Arc<Status>>,
) -> std::io::Result<&'static str> {
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let local = listener.local_addr()?;
    let loopback = local.ip().is_loopback();
    let server = Arc::new(http::Server { root, status, stop: stopping.clone(), loopback, base_url: base_url(local) });
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?.tap_io(|tcp| {
        // A response's last piece goes out without waiting for the
        // client's acknowledgement of the one before; if this fails,
        // responses are only slower.
        let _ = tcp.set_nodelay(true);
    });
    let mut shutdown = stopping;
    let serving = axum::serve(listener, http::router(server)).with_graceful_shutdown(async move {
        if shutdown.wait_for(|stop| *stop).await.is_err() {
            // The sender is gone: the session is stopping anyway.
        }
    });
    let mut serving = tokio::spawn(std::future::IntoFuture::into_future(serving));
    let why = tokio::select! {
        why = signal() => why?,
        ended = &mut serving => {
            ended.map_err(std::io::Error::other)??;
            return Err(std::io::Error::other("the server stopped by itself"));
        }
    };
    // Event streams end and the server finishes requests in flight.
    stop.send_replace(true);
    match tokio::time::timeout(GRACE, serving).await {
        Ok(Ok(result)) => result.map(|()| why),
        Ok(Err(e)) => Err(std::io::Error::other(e)),
        // Requests still running after the grace period are dropped.
        Err(_elapsed) => Ok(why),
    }
}

/// Waits for Ctrl-C (or, on Unix, SIGTERM or SIGHUP).
async fn signal() -> std::io::Result<&'static str> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut hangup = signal(SignalKind::hangup())?;
        tokio::select! {
            interrupted = tokio::signal::ctrl_c() => interrupted.map(|()| "interrupted"),
            _ = terminate.recv() => Ok("terminated"),
            _ = hangup.recv() => Ok("hung up"),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.map(|()| "interrupted")
    }
}

/// The first build, then for each batch of changes a preview when it can
/// be previewed and a full build on a thread of its own; each reported on
/// the terminal.
fn build_loop(builder: Builder, mut watch: watch::Watch) {
    let started = Instant::now();
    let outcome = builder.build();
    if !report(&outcome, started, true) {
        return;
    }
    let builder = Arc::new(builder);
    let settler = builder.clone();
    let settling = std::thread::Builder::new().name("practicebank-full-build".into()).spawn(move || loop {
        match settler.settle() {
            Some((outcome, started)) if report(&outcome, started, false) => {}
            _ => return,
        }
    });
    if let Err(e) = settling {
        print_err(&format!("practicebank serve: cannot start the build thread: {e}; changes are not rebuilt"));
        return;
    }
    while let Some(batch) = watch.next_batch() {
        print_out(&changed_line(&batch));
        let started = Instant::now();
        if let Some(outcome) = builder.saved(&batch) {
            if !report(&outcome, started, false) {
                break;
            }
        }
    }
    builder.stop();
}

/// Prints what a build did; `false` when the session is ending.
fn report(outcome: &Outcome, started: Instant, first: bool) -> bool {
    let seconds = started.elapsed().as_secs_f64();
    let written = |update: &folder::Update| {
        format!("{} written, {} removed", files(update.written.len()), files(update.removed.len()))
    };
    match outcome {
        Outcome::Built { case_studies, update } => {
            let noun = if *case_studies == 1 { "case study" } else { "case studies" };
            let line = if first {
                format!("built {case_studies} {noun} in {seconds:.2} s; press Ctrl-C to stop")
            } else if update.is_empty() {
                format!("rebuilt in {seconds:.2} s: nothing changed")
            } else {
                let what = if update.restyle.is_some() { "restyling open pages" } else { "reloading open pages" };
                format!("rebuilt in {seconds:.2} s: {}; {what}", written(update))
            };
            print_out(&line);
        }
        Outcome::Previewed { update } => {
            let what = if update.is_empty() { "nothing changed".to_string() } else { written(update) };
            print_out(&format!("previewed in {seconds:.3} s: {what}; rebuilding the rest"));
        }
        Outcome::Failed(failure) => {
            let text_of = |file: &str| failure.sources.as_ref().and_then(|s| s.text_of(file));
            let mut text: String =
                failure.diagnostics.iter().map(|d| format!("{}\n", report::human(d, text_of(&d.file)))).collect();
            let count = failure.diagnostics.len();
            let noun = if count == 1 { "error" } else { "errors" };
            let served = if first { "nothing to serve until it builds" } else { "still serving the last good build" };
            text.push_str(&format!("build failed with {count} {noun} in {seconds:.2} s; {served}"));
            print_err(&text);
        }
        Outcome::FailedAgain | Outcome::Superseded => {}
        Outcome::NotWritten(e) => print_err(&format!("practicebank serve: cannot update the served folder: {e}")),
        Outcome::Stopped => return false,
    }
    true
}

fn files(count: usize) -> String {
    if count == 1 {
        "1 file".to_string()
    } else {
        format!("{count} files")
    }
}

fn changed_line(batch: &watch::Batch) -> String {
    if let Some(why) = &batch.rescan {
        return format!("rebuilding everything: {why}");
    }
    let mut paths = batch.paths.iter();
    let first = paths.next().map_or("", String::as_str);
    match paths.len() {
        0 => format!("changed: {first}"),
        more => format!("changed: {first} and {more} more"),
    }
}

/// A line on stdout.
fn print_out(line: &str) {
    // A closed terminal stops nothing: the pages still show everything.
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// A line on stderr, in colour on a terminal (as `check` prints).
fn print_err(line: &str) {
    // A closed terminal stops nothing: the pages still show everything.
    let _ = writeln!(anstream::stderr().lock(), "{line}");
}

fn banner(url: &str, served: &Path, method: &watch::Method, ip: IpAddr, drafts: bool) {
    let watching = match method {
        watch::Method::Native => "file events".to_string(),
        watch::Method::Poll(why) => {
            format!("polling every {:.1} s, since {why}", watch::POLL_INTERVAL.as_secs_f64())
        }
    };
    print_out(&format!(
        "practicebank serve: {url}\n  \
         built into a temporary folder, removed when you stop: {}\n  \
         watching site.yaml, content/ and themes/ ({watching})",
        served.display()
    ));
    if !ip.is_loopback() {
        let drafts = if drafts { ", drafts included" } else { "" };
        print_err(&format!(
            "warning: listening on {ip}, not only on this computer: \
             anyone who can reach it on the network can read the site{drafts}; \
             its pages link to the address each visitor asked for"
        ));
    }
}

/// The socket address for `--bind` and `--port`.
fn resolve(bind: &str, port: u16) -> Result<SocketAddr, String> {
    let mut addresses = (bind, port)
        .to_socket_addrs()
        .map_err(|e| format!("practicebank serve: cannot use the address `{bind}`: {e}"))?;
    addresses.next().ok_or_else(|| format!("practicebank serve: the address `{bind}` has no IP address"))
}

/// `http://ADDR:PORT/`: the address pages are built with. A server on every
/// interface is reached here through the loopback address; a request from
/// elsewhere gets its own address in their place (see [`http`]).
fn base_url(local: SocketAddr) -> String {
    let ip = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, local.port()))
}

/// Tells versions of one session from another's, so a page left open
/// across a restart reloads.
fn session_id() -> String {
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{:x}{:08x}", std::process::id(), nanos)
}

/// Opens `url` in the default browser, reporting failure on the terminal.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    command.arg(url).stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null());
    command.stderr(std::process::Stdio::null());
    let url = url.to_string();
    let opened = command.spawn().and_then(|mut child| {
        std::thread::Builder::new().spawn(move || match child.wait() {
            Ok(status) if status.success() => {}
            _ => eprintln!("practicebank serve: could not open a browser: open {url} yourself"),
        })
    });
    if let Err(e) = opened {
        eprintln!("practicebank serve: could not open a browser ({e})");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let url = |s: &str| base_url(s.parse().unwrap());
        assert_eq!(url("127.0.0.1:1111"), "http://127.0.0.1:1111/");
        assert_eq!(url("0.0.0.0:8080"), "http://127.0.0.1:8080/");
        assert_eq!(url("[::1]:1111"), "http://[::1]:1111/");
        assert_eq!(url("[::]:1111"), "http://[::1]:1111/");
        assert_eq!(url("192.168.1.20:1111"), "http://192.168.1.20:1111/");
    }

    #[test]
    fn batches_in_a_line() {
        let mut batch = watch::Batch::default();
        batch.paths.insert("content/case-studies/a.md".into());
        assert_eq!(changed_line(&batch), "changed: content/case-studies/a.md");
        batch.paths.insert("site.yaml".into());
        assert_eq!(changed_line(&batch), "changed: content/case-studies/a.md and 1 more");
    }
}
