//! `practicebank serve` end to end: the real binary on a free port of
//! 127.0.0.1, serving a copy of `tests/fixtures/build/basic`, driven over
//! raw HTTP/1.1 (so request paths reach it exactly as written) and its
//! event stream. Every wait has a deadline; nothing sleeps longer than the
//! watcher's own quiet period.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const ALPHA: &str = "content/case-studies/alpha-housing.md";
/// How long a rebuild of the fixture may take to be announced.
const EVENT_WAIT: Duration = Duration::from_secs(30);
/// Longer than the watcher's quiet period, to show nothing else follows.
const SETTLE: Duration = Duration::from_millis(700);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build/basic")
}

/// Copies a site, without the search cache a build may have left in it.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten().filter(|e| e.file_name() != ".practicebank") {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the basic fixture site.
fn site() -> TempDir {
    let dir = tempfile::Builder::new().prefix("practicebank-serve-test-").tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    dir
}

/// Replaces the line of `rel` starting with `key:`.
fn set_line(root: &Path, rel: &str, key: &str, value: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    let prefix = format!("{key}:");
    let replaced: Vec<String> =
        text.lines().map(|l| if l.starts_with(&prefix) { format!("{key}: {value}") } else { l.to_string() }).collect();
    assert_ne!(replaced.join("\n") + "\n", text, "{rel} has no line `{key}:`");
    fs::write(&path, replaced.join("\n") + "\n").unwrap();
}

/// Every file under `dir`, relative path to bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Sends SIGINT, as Ctrl-C does.
fn interrupt(child: &Child) {
    let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("run kill");
    assert!(sent.success(), "kill -INT failed");
}

/// Lines a child wrote, collected by a thread.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<String>>>);

impl Lines {
    fn collect(stream: impl Read + Send + 'static) -> Lines {
        let lines = Lines::default();
        let shared = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                shared.0.lock().unwrap().push(line);
            }
        });
        lines
    }

    fn text(&self) -> String {
        self.0.lock().unwrap().join("\n")
    }

    /// The first line matching `find`, waiting up to `wait` for it.
    fn wait_for(&self, wait: Duration, find: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(line) = self.0.lock().unwrap().iter().find(|l| find(l)) {
                return Some(line.clone());
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn count(&self, find: impl Fn(&str) -> bool) -> usize {
        self.0.lock().unwrap().iter().filter(|l| find(l)).count()
    }
}

/// A running `practicebank serve`, stopped with SIGINT when dropped.
struct Serve {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    url: String,
    /// The temporary folder it builds into.
    folder: PathBuf,
    stdout: Lines,
    stderr: Lines,
}

impl Serve {
    /// Starts serving `root` on a free port and waits for the first build
    /// to finish (or fail).
    fn start(root: &Path, extra: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_practicebank"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start practicebank serve");
        let stdout = Lines::collect(child.stdout.take().unwrap());
        let stderr = Lines::collect(child.stderr.take().unwrap());
        let wait = Duration::from_secs(60);
        let Some(first) = stdout.wait_for(wait, |l| l.starts_with("practicebank serve: http://")) else {
            let _ = child.kill();
            panic!("serve printed no address:\n{}\n{}", stdout.text(), stderr.text());
        };
        let url = first.trim_start_matches("practicebank serve: ").to_string();
        let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        let folder_line = stdout.wait_for(wait, |l| l.contains("removed when you stop: ")).unwrap();
        let folder = PathBuf::from(folder_line.split("removed when you stop: ").nth(1).unwrap());
        let serve = Serve { child, addr, url, folder, stdout, stderr };
        let built = |serve: &Serve| {
            serve.stdout.count(|l| l.starts_with("built ")) + serve.stderr.count(|l| l.starts_with("build failed")) > 0
        };
        let deadline = Instant::now() + wait;
        while !built(&serve) {
            assert!(Instant::now() < deadline, "no first build:\n{}\n{}", serve.stdout.text(), serve.stderr.text());
            std::thread::sleep(Duration::from_millis(20));
        }
        serve
    }

    fn get(&self, target: &str) -> Reply {
        request(&self.addr, &format!("GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr))
    }

    fn events(&self) -> Events {
        Events::connect(&self.addr)
    }

    /// Stops it with SIGINT; its exit status.
    fn stop(mut self) -> ExitStatus {
        interrupt(&self.child);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "serve did not stop on SIGINT:\n{}", self.stdout.text());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything it printed, for failure messages.
    fn printed(&self) -> String {
        format!("stdout:\n{}\nstderr:\n{}", self.stdout.text(), self.stderr.text())
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            interrupt(&self.child);
            let deadline = Instant::now() + Duration::from_secs(10);
            while let Ok(None) = self.child.try_wait() {
                if Instant::now() > deadline {
                    let _ = self.child.kill();
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.wait();
        }
    }
}

/// One HTTP response.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `raw` on a new connection and reads one response.
fn request(addr: &str, raw: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect to serve");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let head = raw.starts_with("HEAD ");
    read_reply(&mut BufReader::new(stream), head).expect("read a response")
}

/// Reads one response: status line, headers, and a body by length, by
/// chunks, or to the end.
fn read_reply(reader: &mut impl BufRead, head: bool) -> std::io::Result<Reply> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(':').ok_or_else(|| std::io::Error::other("bad header"))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut reply = Reply { status, headers, body: Vec::new() };
    if head {
        return Ok(reply);
    }
    if let Some(length) = reply.header("content-length") {
        let mut body = vec![0; length.parse().map_err(std::io::Error::other)?];
        reader.read_exact(&mut body)?;
        reply.body = body;
    } else if reply.header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        while let Some(chunk) = read_chunk(reader)? {
            reply.body.extend(chunk);
        }
    } else {
        reader.read_to_end(&mut reply.body)?;
    }
    Ok(reply)
}

fn read_chunk(reader: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
        .map_err(|_| std::io::Error::other(format!("bad chunk size {line:?}")))?;
    let mut chunk = vec![0; size + 2];
    reader.read_exact(&mut chunk)?;
    chunk.truncate(size);
    Ok((size > 0).then_some(chunk))
}

/// An open event stream, read by a thread into a channel.
struct Events {
    events: mpsc::Receiver<(String, Value)>,
    /// The status of the last event taken.
    last: std::cell::RefCell<Value>,
}

impl Events {
    fn connect(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect to the event stream");
        write!(stream, "GET /__practicebank/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n")
            .unwrap();
        let mut reader = BufReader::new(stream);
        let (sender, events) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(line.starts_with("HTTP/1.1 200"), "{line}");
            let mut chunked = false;
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let lower = line.to_ascii_lowercase();
                assert!(!lower.starts_with("content-type:") || lower.contains("text/event-stream"), "{line}");
                chunked |= lower.starts_with("transfer-encoding:") && lower.contains("chunked");
                if line.trim().is_empty() {
                    break;
                }
            }
            let mut text = String::new();
            loop {
                let chunk = if chunked {
                    match read_chunk(&mut reader) {
                        Ok(Some(chunk)) => chunk,
                        _ => return,
                    }
                } else {
                    let mut buffer = vec![0; 4096];
                    match reader.read(&mut buffer) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer[..n].to_vec(),
                    }
                };
                text.push_str(&String::from_utf8(chunk).unwrap());
                while let Some(end) = text.find("\n\n") {
                    let block: String = text.drain(..end + 2).collect();
                    let field = |name: &str| {
                        block.lines().find_map(|l| l.strip_prefix(name).map(|v| v.trim_start().to_string()))
                    };
                    if let (Some(name), Some(data)) = (field("event:"), field("data:")) {
                        if sender.send((name, serde_json::from_str(&data).unwrap())).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        Events { events, last: std::cell::RefCell::new(Value::Null) }
    }

    /// The next event, which must be called `name`; its status.
    fn expect(&self, name: &str, serve: &Serve) -> Value {
        match self.events.recv_timeout(EVENT_WAIT) {
            Ok((got, status)) => {
                assert_eq!(got, name, "expected a `{name}` event, got {status}\n{}", serve.printed());
                self.last.replace(status.clone());
                status
            }
            Err(_) => panic!("no `{name}` event within {EVENT_WAIT:?}\n{}", serve.printed()),
        }
    }

    /// The status once the served folder holds a whole build again (after
    /// a preview, the full build that follows it): the last event's if it
    /// does, or the next that does.
    fn settled(&self, serve: &Serve) -> Value {
        let mut status = self.last.borrow().clone();
        while status["settled"] != true {
            status = match self.events.recv_timeout(EVENT_WAIT) {
                Ok((_, status)) => status,
                Err(_) => panic!("no full build within {EVENT_WAIT:?}\n{}", serve.printed()),
            };
        }
        self.last.replace(status.clone());
        status
    }

    /// No event within `wait`.
    fn expect_none(&self, wait: Duration, serve: &Serve) {
        if let Ok((name, status)) = self.events.recv_timeout(wait) {
            panic!("unexpected `{name}` event: {status}\n{}", serve.printed());
        }
    }
}

/// Once the full build after the last change is done, the served folder
/// holds exactly what `practicebank build` writes for the site as it is
/// now, with `base_url` set to the served address.
fn assert_same_as_build(serve: &Serve, events: &Events, root: &Path) {
    events.settled(serve);
    let copy = tempfile::tempdir().unwrap();
    copy_dir(root, copy.path());
    set_line(copy.path(), "site.yaml", "base_url", &serve.url);
    let out = copy.path().join("public");
    let built = Command::new(env!("CARGO_BIN_EXE_practicebank"))
        .args(["build", "--root"])
        .arg(copy.path())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(built.status.success(), "build failed: {}", String::from_utf8_lossy(&built.stderr));
    let mut expected = tree(&out);
    expected.remove(".practicebank-output");
    let served = tree(&serve.folder);
    let differ: Vec<&String> = expected
        .keys()
        .chain(served.keys())
        .filter(|p| expected.get(*p) != served.get(*p))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(differ.is_empty(), "the served folder differs from a full build in {differ:?}\n{}", serve.printed());
}

/// The stylesheet's path in the served folder.
fn stylesheet(serve: &Serve) -> String {
    let assets = fs::read_dir(serve.folder.join("assets")).unwrap();
    let name = assets
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("style.") && n.ends_with(".css"))
        .expect("a stylesheet");
    format!("assets/{name}")
}

#[test]
fn serves_pages_with_their_types_and_the_sites_404() {
    let site = site();
    let serve = Serve::start(site.path(), &[]);
    let home = serve.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    let text = home.text();
    assert_eq!(text.matches("/__practicebank/live.js").count(), 1, "{text}");
    let script = text.find("/__practicebank/live.js").unwrap();
    assert!(script < text.rfind("</body>").unwrap(), "the script goes before </body>");
    assert!(text.contains(&format!("href=\"{}\"", serve.url)), "base_url is the served address");
    for (path, kind) in [
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/data/case-studies.json", "application/json"),
        ("/case-studies/alpha-housing/guide.txt", "text/plain; charset=utf-8"),
        (&format!("/{}", stylesheet(&serve)), "text/css; charset=utf-8"),
    ] {
        let reply = serve.get(path);
        assert_eq!((reply.status, reply.header("content-type")), (200, Some(kind)), "{path}");
    }
    let page = serve.get("/case-studies/alpha-housing/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Alpha finds homes"));
    assert!(page.text().contains("data-file=\"case-studies/alpha-housing/index.html\""), "the page knows its file");
    assert!(serve.get("/nope").text().contains("data-file=\"404.html\""));
    let moved = serve.get("/case-studies/alpha-housing?x=1");
    assert_eq!((moved.status, moved.header("location")), (301, Some("/case-studies/alpha-housing/?x=1")));
    for missing in ["/nope", "/case-studies/", "/case-studies/nope/", "/case-studies/gamma-draft/", "/site.yaml"] {
        let reply = serve.get(missing);
        assert_eq!(reply.status, 404, "{missing}");
        assert!(reply.text().contains("Overridden by the site."), "the site's own 404 page: {}", reply.text());
        assert!(reply.text().contains("/__practicebank/live.js"));
    }
    let head = request(&serve.addr, &format!("HEAD / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", serve.addr));
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some(home.body.len().to_string().as_str()));
    let post = request(
        &serve.addr,
        &format!("POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", serve.addr),
    );
    assert_eq!((post.status, post.header("allow")), (405, Some("GET, HEAD")));
    // The script is added on the way out: the built files never hold it.
    let folder = tree(&serve.folder);
    assert!(folder.contains_key("index.html"));
    assert!(folder.values().all(|bytes| !String::from_utf8_lossy(bytes).contains("__practicebank")));
    assert!(!site.path().join("public").exists(), "serve never writes public/");
    assert!(!site.path().join(".practicebank").exists(), "serve writes nothing in the site");
}

#[test]
fn an_edit_reloads_a_broken_edit_keeps_the_last_good_page_and_a_fix_recovers() {
    let site = site();
    let serve = Serve::start(site.path(), &[]);
    let events = serve.events();
    let first = events.expect("status", &serve);
    assert_eq!(first["built"], true);
    assert_eq!(first["problems"], serde_json::json!([]));

    // A case study's page is previewed first (its own page only), then
    // the full build brings the rest up to date.
    set_line(site.path(), ALPHA, "title", "Alpha finds homes for everyone");
    let previewed = events.expect("reload", &serve);
    assert_ne!(previewed["version"], first["version"]);
    assert_eq!(previewed["settled"], false, "{previewed}");
    let changed = serde_json::json!({"from": first["version"], "files": ["case-studies/alpha-housing/index.html"]});
    assert_eq!(previewed["changed"], changed);
    let page = serve.get("/case-studies/alpha-housing/");
    assert!(page.text().contains("Alpha finds homes for everyone"), "{}", page.text());
    let reloaded = events.settled(&serve);
    assert_ne!(reloaded["version"], previewed["version"], "listings and feeds show the new title too");
    assert_eq!(reloaded["changed"]["from"], previewed["version"]);
    let rewritten = reloaded["changed"]["files"].as_array().unwrap();
    assert!(rewritten.contains(&"index.html".into()), "{reloaded}");
    assert!(
        !rewritten.contains(&"case-studies/alpha-housing/index.html".into()),
        "the preview was the page: {reloaded}"
    );
    assert!(serve.get("/").text().contains("Alpha finds homes for everyone"));
    let page = serve.get("/case-studies/alpha-housing/");
    assert!(page.text().contains(&format!("data-version=\"{}\"", reloaded["version"].as_str().unwrap())));

    set_line(site.path(), ALPHA, "date", "2021-13-45");
    let failed = events.expect("error", &serve);
    assert_eq!(failed["version"], reloaded["version"], "a failed build changes nothing served");
    let problem = &failed["problems"][0];
    assert_eq!(problem["file"], ALPHA);
    assert_eq!(problem["line"], 6);
    assert_eq!(problem["code"], "bad-date");
    assert_eq!(problem["source_line"], "date: 2021-13-45");
    let failed = events.settled(&serve);
    assert_eq!((&failed["version"], &failed["problems"][0]["code"]), (&reloaded["version"], &problem["code"]));
    let still = serve.get("/case-studies/alpha-housing/");
    assert_eq!(still.status, 200);
    assert!(still.text().contains("Alpha finds homes for everyone"), "the last good page is served");
    // The terminal shows what `check` shows, once.
    let checked =
        Command::new(env!("CARGO_BIN_EXE_practicebank")).args(["check", "--root"]).arg(site.path()).output().unwrap();
    let check_text = String::from_utf8(checked.stdout).unwrap();
    let diagnostic = check_text.split("\nchecked ").next().unwrap().trim_end();
    assert!(diagnostic.contains("error[bad-date]"), "{check_text}");
    serve.stderr.wait_for(EVENT_WAIT, |l| l.starts_with("build failed with 1 error")).expect("a summary line");
    assert!(serve.stderr.text().contains(diagnostic), "check printed:\n{diagnostic}\n{}", serve.printed());
    assert_eq!(serve.stderr.count(|l| l.starts_with("build failed")), 1, "{}", serve.printed());

    set_line(site.path(), ALPHA, "date", "2021-03-04");
    let fixed = events.expect("ok", &serve);
    assert_eq!(fixed["problems"], serde_json::json!([]));
    assert_eq!(fixed["version"], reloaded["version"], "the fix builds what was served");
    assert_same_as_build(&serve, &events, site.path());
    assert_eq!(events.settled(&serve)["version"], reloaded["version"]);
}

#[test]
fn rebuilds_write_what_a_full_build_writes() {
    let site = site();
    let root = site.path();
    let serve = Serve::start(root, &[]);
    let events = serve.events();
    events.expect("status", &serve);
    assert_same_as_build(&serve, &events, root);

    // One case study's text: its page, listings, feeds, search index.
    set_line(root, ALPHA, "summary", "Alpha works with landlords and housing officers.");
    events.expect("reload", &serve);
    assert_same_as_build(&serve, &events, root);

    // A new case study, then one removed.
    let beta = fs::read_to_string(root.join("content/case-studies/beta-celebrates.md")).unwrap();
    fs::write(root.join("content/case-studies/delta-new.md"), beta.replace("Beta", "Delta")).unwrap();
    events.expect("reload", &serve);
    assert!(serve.get("/case-studies/delta-new/").text().contains("Delta celebrates success"));
    assert_same_as_build(&serve, &events, root);
    fs::remove_file(root.join("content/case-studies/delta-new.md")).unwrap();
    events.expect("reload", &serve);
    assert_eq!(serve.get("/case-studies/delta-new/").status, 404);
    assert_same_as_build(&serve, &events, root);

    // A template: every page, with the search stage reused.
    let template = root.join("themes/default/templates/404.html");
    let text = fs::read_to_string(&template).unwrap();
    fs::write(&template, text.replace("Overridden by the site.", "Not here, sorry.")).unwrap();
    events.expect("reload", &serve);
    assert!(serve.get("/missing").text().contains("Not here, sorry."));
    assert_same_as_build(&serve, &events, root);

    // A stylesheet only: pages restyle instead of reloading.
    let old_css = stylesheet(&serve);
    fs::create_dir_all(root.join("themes/default/static")).unwrap();
    fs::write(root.join("themes/default/static/style.css"), "body { color: #0b0c0c; }\n").unwrap();
    let restyled = events.expect("css", &serve);
    let new_css = stylesheet(&serve);
    assert_eq!(restyled["restyle"]["stylesheets"][&old_css], new_css.as_str(), "{restyled}");
    assert_same_as_build(&serve, &events, root);

    // site.yaml: everything.
    set_line(root, "site.yaml", "title", "Fixture Bank Renamed");
    events.expect("reload", &serve);
    assert!(serve.get("/").text().contains("Fixture Bank Renamed"));
    assert_same_as_build(&serve, &events, root);
}

#[test]
fn a_save_in_several_steps_is_one_rebuild() {
    let site = site();
    let root = site.path();
    let serve = Serve::start(root, &[]);
    let events = serve.events();
    events.expect("status", &serve);
    let alpha = root.join(ALPHA);
    let text = fs::read_to_string(&alpha).unwrap();

    // Written to a temporary file, then renamed over the original.
    let temporary = root.join("content/case-studies/.alpha-housing.md.tmp");
    fs::write(&temporary, text.replace("Alpha finds homes", "Alpha finds more homes")).unwrap();
    fs::rename(&temporary, &alpha).unwrap();
    events.expect("reload", &serve);
    events.settled(&serve);
    events.expect_none(SETTLE, &serve);

    // Deleted, then written again; then written twice more.
    fs::remove_file(&alpha).unwrap();
    fs::write(&alpha, text.replace("Alpha finds homes", "Alpha finds homes again")).unwrap();
    fs::write(&alpha, text.replace("Alpha finds homes", "Alpha finds homes again!")).unwrap();
    fs::write(&alpha, text.replace("Alpha finds homes", "Alpha finds homes again")).unwrap();
    events.expect("reload", &serve);
    events.settled(&serve);
    events.expect_none(SETTLE, &serve);
    assert!(serve.get("/case-studies/alpha-housing/").text().contains("Alpha finds homes again<"));
    assert_eq!(serve.stdout.count(|l| l.starts_with("previewed")), 2, "{}", serve.printed());
    assert_eq!(serve.stdout.count(|l| l.starts_with("rebuilt")), 2, "{}", serve.printed());
    assert_eq!(serve.stderr.count(|l| l.starts_with("build failed")), 0, "{}", serve.printed());
}

#[test]
fn drafts_are_served_when_asked() {
    let site = site();
    let serve = Serve::start(site.path(), &["--drafts"]);
    let draft = serve.get("/case-studies/gamma-draft/");
    assert_eq!(draft.status, 200);
    assert!(draft.text().contains("Gamma is still writing"));
}

#[test]
fn polling_notices_changes_too() {
    let site = site();
    let serve = Serve::start(site.path(), &["--poll"]);
    assert!(serve.stdout.text().contains("polling every"), "{}", serve.printed());
    let events = serve.events();
    events.expect("status", &serve);
    set_line(site.path(), ALPHA, "title", "Alpha polls");
    events.expect("reload", &serve);
    assert!(serve.get("/case-studies/alpha-housing/").text().contains("Alpha polls"));
}

#[test]
fn a_site_that_does_not_build_is_served_once_fixed() {
    let site = site();
    set_line(site.path(), ALPHA, "date", "not a date");
    let serve = Serve::start(site.path(), &[]);
    assert!(serve.stderr.text().contains("nothing to serve until it builds"), "{}", serve.printed());
    let placeholder = serve.get("/case-studies/alpha-housing/");
    assert_eq!(placeholder.status, 503);
    assert!(placeholder.text().contains("/__practicebank/live.js"));
    let events = serve.events();
    let status = events.expect("status", &serve);
    assert_eq!(status["built"], false);
    assert_eq!(status["problems"][0]["file"], ALPHA);
    set_line(site.path(), ALPHA, "date", "2021-03-04");
    let built = events.expect("reload", &serve);
    assert_eq!(built["built"], true);
    assert_eq!(serve.get("/case-studies/alpha-housing/").status, 200);
}

#[test]
fn nothing_outside_the_served_folder_is_reachable() {
    let site = site();
    let serve = Serve::start(site.path(), &[]);
    let outside = tempfile::tempdir().unwrap();
    let secret = "practicebank-secret-4f1b";
    fs::write(outside.path().join("secret.txt"), secret).unwrap();
    // Links planted in the served folder, pointing out of it.
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), serve.folder.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path(), serve.folder.join("leakdir")).unwrap();
    let secret_path = outside.path().join("secret.txt").display().to_string();
    let up = "../".repeat(12);
    let attempts = [
        format!("/{up}etc/passwd"),
        format!("/{up}{}", secret_path.trim_start_matches('/')),
        "/..".to_string(),
        "/../".to_string(),
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd".to_string(),
        "/..%2f..%2f..%2f..%2fetc%2fpasswd".to_string(),
        "/%252e%252e/%252e%252e/etc/passwd".to_string(),
        "/..\\..\\..\\..\\etc\\passwd".to_string(),
        "/%5c..%5c..%5c..%5cetc%5cpasswd".to_string(),
        "/case-studies/../../../../etc/passwd".to_string(),
        "//etc/passwd".to_string(),
        "/etc/passwd".to_string(),
        "/%2fetc%2fpasswd".to_string(),
        format!("/{}", secret_path.trim_start_matches('/')),
        format!("//{}", secret_path.trim_start_matches('/')),
        format!("http://{}/../../../../etc/passwd", serve.addr),
        "/leak.txt".to_string(),
        "/leakdir/secret.txt".to_string(),
        "/leakdir/".to_string(),
        "/.%2e/.%2e/etc/passwd".to_string(),
        "/index.html%00.txt".to_string(),
        "/site.yaml".to_string(),
        "/../site.yaml".to_string(),
        "/%2e%2e/site.yaml".to_string(),
    ];
    for target in &attempts {
        let reply = serve.get(target);
        let text = reply.text();
        assert_eq!(reply.status, 404, "{target} got {}: {text}", reply.status);
        assert!(!text.contains(secret) && !text.contains("root:"), "{target} leaked a file outside");
        assert!(text.contains("Overridden by the site."), "{target} got the site's 404 page");
    }
}

#[test]
fn requests_for_another_host_are_refused() {
    // A page elsewhere that points its own name at 127.0.0.1 (DNS
    // rebinding) sends that name as the Host: it must not read the site.
    let site = site();
    let serve = Serve::start(site.path(), &[]);
    let port = serve.addr.rsplit(':').next().unwrap().to_string();
    let get = |host: &str, target: &str| {
        request(&serve.addr, &format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"))
    };
    for target in ["/", "/case-studies/alpha-housing/", "/__practicebank/events", "/__practicebank/live.js"] {
        let refused = get(&format!("rebound.example:{port}"), target);
        assert_eq!(refused.status, 403, "{target}: {}", refused.text());
        assert!(refused.text().contains("only answers requests for this computer"), "{}", refused.text());
        assert!(!refused.text().contains("Alpha"));
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("docs.localhost:{port}")] {
        assert_eq!(get(&host, "/case-studies/alpha-housing/").status, 200, "{host}");
    }
}

#[test]
fn a_bounded_load_of_concurrent_requests_gets_no_errors() {
    let site = site();
    let serve = Serve::start(site.path(), &[]);
    let css = format!("/{}", stylesheet(&serve));
    let paths: Vec<(String, u16)> = [
        ("/", 200),
        ("/case-studies/alpha-housing/", 200),
        (css.as_str(), 200),
        ("/sitemap.xml", 200),
        ("/search/index.json", 200),
        ("/nope", 404),
    ]
    .into_iter()
    .map(|(p, s)| (p.to_string(), s))
    .collect();
    const CONNECTIONS: usize = 32;
    const REQUESTS: usize = 20_000;
    let started = Instant::now();
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|worker| {
            let (addr, paths) = (serve.addr.clone(), paths.clone());
            std::thread::spawn(move || -> Vec<String> {
                let mut errors = Vec::new();
                let stream = TcpStream::connect(&addr).unwrap();
                stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                for i in 0..REQUESTS / CONNECTIONS {
                    let (path, expected) = &paths[(worker + i) % paths.len()];
                    // One write per request, as browsers do: a request in
                    // pieces waits on Nagle's algorithm and delayed ACKs.
                    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
                    let sent = writer.write_all(request.as_bytes());
                    match sent.and_then(|()| read_reply(&mut reader, false)) {
                        Ok(reply) if reply.status == *expected && !reply.body.is_empty() => {}
                        Ok(reply) => errors.push(format!("{path}: status {}", reply.status)),
                        Err(e) => {
                            errors.push(format!("{path}: {e}"));
                            break;
                        }
                    }
                }
                errors
            })
        })
        .collect();
    let errors: Vec<String> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    let elapsed = started.elapsed();
    assert!(errors.is_empty(), "{} errors, such as {:?}", errors.len(), &errors[..errors.len().min(5)]);
    eprintln!("{REQUESTS} requests over {CONNECTIONS} connections in {elapsed:.2?}");
}

#[test]
fn ctrl_c_stops_and_removes_the_folder() {
    let site = site();
    let serve = Serve::start(site.path(), &[]);
    let folder = serve.folder.clone();
    assert!(folder.join("index.html").is_file());
    let events = serve.events();
    events.expect("status", &serve);
    let stdout = serve.stdout.clone();
    let status = serve.stop();
    assert!(status.success(), "{status:?}");
    assert!(!folder.exists(), "{} is left behind", folder.display());
    assert!(stdout.text().contains("interrupted: stopped serving"), "{}", stdout.text());
}

#[test]
fn a_taken_port_or_a_missing_site_stops_at_once() {
    let site = site();
    let serve = Serve::start(site.path(), &[]);
    let port = serve.addr.rsplit(':').next().unwrap();
    let run = |root: &Path, port: &str| {
        Command::new(env!("CARGO_BIN_EXE_practicebank"))
            .args(["serve", "--port", port, "--root"])
            .arg(root)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let taken = run(site.path(), port);
    assert_eq!(taken.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&taken.stderr).contains("cannot listen on"));
    let empty = tempfile::tempdir().unwrap();
    let missing = run(empty.path(), "0");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("site.yaml"));
}

#[test]
fn on_the_network_pages_link_to_the_address_the_request_came_to() {
    // Another device reaches this computer by an address of its own; a
    // link to 127.0.0.1 would lead that device back to itself.
    let site = site();
    let serve = Serve::start(site.path(), &["--bind", "0.0.0.0"]);
    let port = serve.addr.rsplit(':').next().unwrap().to_string();
    let lan = format!("192.0.2.7:{port}");
    let get = |target: &str| {
        request(&serve.addr, &format!("GET {target} HTTP/1.1\r\nHost: {lan}\r\nConnection: close\r\n\r\n"))
    };
    let page = get("/case-studies/alpha-housing/").text();
    let canonical = format!("<link rel=\"canonical\" href=\"http://{lan}/case-studies/alpha-housing/\">");
    assert!(page.contains(&canonical), "{page}");
    for (target, status) in [
        ("/case-studies/alpha-housing/", 200),
        ("/atom.xml", 200),
        ("/themes/housing/atom.xml", 200),
        ("/sitemap.xml", 200),
        ("/robots.txt", 200),
        ("/data/case-studies.json", 200),
        ("/no/such/page/", 404),
    ] {
        let reply = get(target);
        let text = reply.text();
        assert_eq!(reply.status, status, "{target}: {text}");
        assert!(text.contains(&format!("http://{lan}/")), "{target} does not use the address asked for: {text}");
        assert!(!text.contains("127.0.0.1"), "{target} points back at 127.0.0.1: {text}");
    }
    // This computer still gets the address it asked for, and the folder
    // keeps what `build` writes.
    assert!(serve.get("/case-studies/alpha-housing/").text().contains(&format!("href=\"{}case-studies/", serve.url)));
    let built = fs::read_to_string(serve.folder.join("atom.xml")).unwrap();
    assert!(built.contains(&serve.url) && !built.contains(&lan), "{}", serve.printed());
}
