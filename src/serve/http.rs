//! The HTTP side of `serve`: the served folder over HTTP/1.1, the event
//! stream and the live-reload script.
//!
//! - On a loopback address, only requests addressed to this computer are
//!   answered (a `Host` of `localhost`, a `.localhost` name or a loopback
//!   IP address; 403 otherwise). Without this, a web page elsewhere could
//!   point a name of its own at 127.0.0.1 (DNS rebinding) and read the
//!   site, drafts included, through the reader's browser.
//! - `GET`/`HEAD` only (405 otherwise). A request path is percent-decoded
//!   once and split on `/`; a segment starting with `.` (so `.`, `..` and
//!   hidden files), a backslash, a NUL, or anything that is not a plain
//!   file name on this platform gets the 404 page, and so does a path that
//!   resolves, through symbolic links, to anything outside the folder.
//! - A folder is served as its `index.html` (a folder address without its
//!   trailing `/` is redirected to it, since pages link relatively); a
//!   folder without one is a 404, never a listing. A missing file gets
//!   the site's `404.html` with status 404.
//! - Every HTML response gets the live-reload script before `</body>`,
//!   tagged with the version of the served files it was read from and the
//!   file it is (`404.html` for a missing page). The
//!   script is only ever added here, on the way out: the built files never
//!   hold it.
//! - `/__practicebank/events` is a Server-Sent Events stream of the
//!   session's [`Status`]: a `status` event at once, then one event per
//!   build (see [`super::status::event_name`]). It ends when the session
//!   stops.
//! - Until a build has succeeded, every page is a placeholder (status 503)
//!   that shows the build's problems and reloads once it succeeds.
//! - On any other address (`--bind 0.0.0.0`), pages are built with the
//!   loopback address as `base_url`, which another device would follow back
//!   to itself; so in every text response (pages, feeds, the sitemap,
//!   `robots.txt`, open data) that address is replaced, on the way out, by
//!   the one the request was sent to: `http://` and its `Host`, when that
//!   is a plain host name or IP address with a port. The built files keep
//!   the loopback address.

use super::status::{event_name, Status};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::StreamExt;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The event stream's address.
pub const EVENTS: &str = "/__practicebank/events";
/// The live-reload script's address.
pub const SCRIPT: &str = "/__practicebank/live.js";
const SCRIPT_TEXT: &str = include_str!("live.js");
/// How often an idle event stream sends a comment, so proxies and
/// browsers keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long a page waits before reconnecting to the event stream.
const RETRY: Duration = Duration::from_millis(500);

/// Characters escaped in a path segment of a redirect.
const SEGMENT: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'/').add(b'<').add(b'>').add(b'?').add(b'\\').add(b'`');

/// What the handlers share: owned by the session, read-only here.
pub struct Server {
    /// The served folder, with symbolic links resolved.
    pub root: PathBuf,
    pub status: watch::Receiver<Arc<Status>>,
    /// Becomes `true` when the session stops; open event streams end.
    pub stop: watch::Receiver<bool>,
    /// Listening on a loopback address: requests for other host names are
    /// refused.
    pub loopback: bool,
    /// The `base_url` the pages are built with (`http://127.0.0.1:1111/`).
    pub base_url: String,
}

/// Every request goes to [`respond`].
pub fn router(server: Arc<Server>) -> Router {
    Router::new().fallback(respond).with_state(server)
}

async fn respond(State(server): State<Arc<Server>>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if server.loopback {
        let host = headers.get(header::HOST).map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
        if let Some(host) = host.filter(|h| !is_local_host(h)) {
            let message = format!(
                "practicebank serve only answers requests for this computer (localhost or 127.0.0.1), \
                 not for `{host}`\n"
            );
            return with_type(StatusCode::FORBIDDEN, "text/plain; charset=utf-8", message.into_bytes());
        }
    }
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD are served\n");
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    match uri.path() {
        EVENTS => events(&server),
        SCRIPT => with_type(StatusCode::OK, "text/javascript; charset=utf-8", SCRIPT_TEXT.as_bytes().to_vec()),
        path => {
            let response = file(&server, path, uri.query()).await;
            match request_base(&server, &headers) {
                Some(base) => rebased(response, &server.base_url, &base).await,
                None => response,
            }
        }
    }
}

/// The address to put in a response in place of the built `base_url`:
/// `http://HOST/` from the request's `Host`, when the server is on the
/// network and the host differs and is a plain name or address (nothing
/// that could be markup, a path or a user name), or `None`.
fn request_base(server: &Server, headers: &HeaderMap) -> Option<String> {
    if server.loopback {
        return None;
    }
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plain = !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':' | b'[' | b']'));
    let base = format!("http://{host}/");
    (plain && base != server.base_url).then_some(base)
}

/// `response` with `from` replaced by `to` in its body, if it is text.
async fn rebased(response: Response, from: &str, to: &str) -> Response {
    let kind = response.headers().get(header::CONTENT_TYPE).and_then(|k| k.to_str().ok()).unwrap_or("");
    let text = kind.starts_with("text/") || kind.contains("xml") || kind.starts_with("application/json");
    if !text {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Every body here is a file already read whole into memory.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "cannot read the response\n");
    };
    let replaced = replace_all(&bytes, from.as_bytes(), to.as_bytes());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(replaced))
}

/// `bytes` with every `from` replaced by `to`.
fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// Whether a `Host` header names this computer: `localhost`, a name under
/// `.localhost`, or a loopback IP address, with or without a port.
fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or(rest, |(address, _)| address),
        None => host
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(host, |(name, _)| name),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The event stream.
fn events(server: &Server) -> Response {
    let mut stop = server.stop.clone();
    let first: Option<Arc<Status>> = None;
    let stream = futures_util::stream::unfold((server.status.clone(), first), |(mut status, last)| async move {
        if last.is_some() && status.changed().await.is_err() {
            return None;
        }
        let current = status.borrow_and_update().clone();
        let data = serde_json::to_string(&*current).expect("a status is plain data");
        let mut event = Event::default().event(event_name(last.as_deref(), &current)).data(data);
        if last.is_none() {
            event = event.retry(RETRY);
        }
        Some((Ok::<Event, Infallible>(event), (status, Some(current))))
    });
    // Ends the stream when told to stop, or when the session is gone.
    let stopped = async move { stop.wait_for(|stop| *stop).await.is_ok() };
    Sse::new(stream.take_until(stopped)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response()
}

/// A file of the served folder, or the 404 page.
async fn file(server: &Server, path: &str, query: Option<&str>) -> Response {
    // The version is read before the file, so a page is never tagged newer
    // than its contents: at worst it reloads once more.
    let status = server.status.borrow().clone();
    if !status.built {
        return html(StatusCode::SERVICE_UNAVAILABLE, PLACEHOLDER.as_bytes(), &status.version, None);
    }
    let Some(segments) = segments(path) else { return not_found(server, &status.version).await };
    let Some(found) = inside(&server.root, &server.root.join(segments.iter().collect::<PathBuf>())).await else {
        return not_found(server, &status.version).await;
    };
    let file = match tokio::fs::metadata(&found).await {
        Ok(meta) if meta.is_dir() => {
            if !path.ends_with('/') {
                return redirect(&segments, query);
            }
            match inside(&server.root, &found.join("index.html")).await {
                Some(index) => index,
                None => return not_found(server, &status.version).await,
            }
        }
        Ok(_) => found,
        Err(_) => return not_found(server, &status.version).await,
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let in_folder = file.strip_prefix(&server.root).ok().map(|p| p.to_string_lossy().replace('\\', "/"));
            served(StatusCode::OK, &file, in_folder.as_deref(), bytes, &status.version)
        }
        Err(_) => not_found(server, &status.version).await,
    }
}

/// `path` with symbolic links resolved, if it exists inside `root`.
async fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = tokio::fs::canonicalize(path).await.ok()?;
    real.starts_with(root).then_some(real)
}

/// The decoded segments of a request path, or `None` when one could lead
/// outside the served folder or to a hidden file.
pub fn segments(path: &str) -> Option<Vec<String>> {
    let decoded = percent_decode_str(path.strip_prefix('/')?).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut out = Vec::new();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        let mut components = Path::new(part).components();
        let plain = matches!(components.next(), Some(Component::Normal(_))) && components.next().is_none();
        if part.starts_with('.') || !plain || (cfg!(windows) && part.contains(':')) {
            return None;
        }
        out.push(part.to_string());
    }
    Some(out)
}

fn redirect(segments: &[String], query: Option<&str>) -> Response {
    let mut location: String = segments.iter().map(|s| format!("/{}", utf8_percent_encode(s, SEGMENT))).collect();
    location.push('/');
    if let Some(query) = query {
        location.push('?');
        location.push_str(query);
    }
    let mut response = plain(StatusCode::MOVED_PERMANENTLY, "");
    match HeaderValue::from_str(&location) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => plain(StatusCode::BAD_REQUEST, "bad request\n"),
    }
}

async fn not_found(server: &Server, version: &str) -> Response {
    match tokio::fs::read(server.root.join("404.html")).await {
        Ok(bytes) => html(StatusCode::NOT_FOUND, &bytes, version, Some("404.html")),
        Err(_) => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// A file's bytes with its content type, the script added to HTML;
/// `in_folder` is its path in the served folder.
fn served(status: StatusCode, file: &Path, in_folder: Option<&str>, bytes: Vec<u8>, version: &str) -> Response {
    let name = file.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let kind = content_type(&name);
    if kind.starts_with("text/html") {
        html(status, &bytes, version, in_folder)
    } else {
        with_type(status, kind, bytes)
    }
}

fn html(status: StatusCode, bytes: &[u8], version: &str, file: Option<&str>) -> Response {
    with_type(status, "text/html; charset=utf-8", inject(bytes, version, file))
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    with_type(status, "text/plain; charset=utf-8", text.as_bytes().to_vec())
}

fn with_type(status: StatusCode, kind: &'static str, bytes: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // Every save changes what is served: a browser must always ask again.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// `html` with the live-reload script before its last `</body>` (or at
/// the end, if it has none), tagged with the version and the served file
/// it was read from (its path in the folder; none for the placeholder), so
/// the page knows which changes touch it.
pub fn inject(html: &[u8], version: &str, file: Option<&str>) -> Vec<u8> {
    let file = file.map(|f| format!(" data-file=\"{}\"", crate::escape::markup(f))).unwrap_or_default();
    let tag = format!("<script src=\"{SCRIPT}\" data-version=\"{version}\"{file}></script>\n");
    let closing = b"</body";
    let at = html.windows(closing.len()).rposition(|w| w.eq_ignore_ascii_case(closing)).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The content type of a file, by its (lowercase) name.
pub fn content_type(name: &str) -> &'static str {
    if name.ends_with("atom.xml") {
        return "application/atom+xml; charset=utf-8";
    }
    match name.rsplit_once('.').map_or("", |(_, ext)| ext) {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "zip" => "application/zip",
        "rtf" => "application/rtf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// What every page is until a build succeeds.
const PLACEHOLDER: &str = "<!doctype html>
<html lang=\"en-GB\">
<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>Building the site \u{2013} practicebank serve</title></head>
<body>
<main>
<h1>The site is not built yet</h1>
<p>practicebank serve is building the site, or could not: its problems are shown over this page.
This page reloads by itself as soon as a build succeeds.</p>
</main>
</body>
</html>
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_stay_inside() {
        let ok = |p: &str| segments(p).map(|s| s.join("/"));
        assert_eq!(ok("/").as_deref(), Some(""));
        assert_eq!(ok("/case-studies/a/").as_deref(), Some("case-studies/a"));
        assert_eq!(ok("//themes//x").as_deref(), Some("themes/x"));
        assert_eq!(ok("/a%20b/c%C3%A9.pdf").as_deref(), Some("a b/c\u{e9}.pdf"));
        assert_eq!(ok("/%252e%252e/x").as_deref(), Some("%2e%2e/x"), "decoded once only");
        for bad in [
            "",
            "x",
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2f..%2fetc/passwd",
            "/a\\..\\..\\etc\\passwd",
            "/a%5c..%5c..%5cetc",
            "/./index.html",
            "/.practicebank-output",
            "/x/.index.html.practicebank-partial",
            "/a%00b",
            "/%ff",
        ] {
            assert_eq!(segments(bad), None, "{bad}");
        }
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let out = inject(b"<body><p>x</p></BODY>\n</html>", "s-1", None);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "<body><p>x</p><script src=\"/__practicebank/live.js\" data-version=\"s-1\"></script>\n</BODY>\n</html>"
        );
        assert!(String::from_utf8(inject(b"<p>no body", "v", None)).unwrap().ends_with("</script>\n"));
        let tagged = String::from_utf8(inject(b"<body></body>", "v", Some("a\"b/index.html"))).unwrap();
        assert!(tagged.contains("data-version=\"v\" data-file=\"a&quot;b/index.html\""), "{tagged}");
    }

    fn server(loopback: bool) -> Server {
        let (_, status) = watch::channel(Arc::new(Status::starting("s")));
        let (_, stop) = watch::channel(false);
        Server { root: PathBuf::new(), status, stop, loopback, base_url: "http://127.0.0.1:1111/".into() }
    }

    #[test]
    fn on_the_network_pages_use_the_address_asked_for() {
        let base = |loopback: bool, host: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, HeaderValue::from_str(host).unwrap());
            request_base(&server(loopback), &headers)
        };
        assert_eq!(base(false, "192.168.1.20:1111").as_deref(), Some("http://192.168.1.20:1111/"));
        assert_eq!(base(false, "laptop.local:1111").as_deref(), Some("http://laptop.local:1111/"));
        assert_eq!(base(false, "[fe80::1]:1111").as_deref(), Some("http://[fe80::1]:1111/"));
        assert_eq!(base(false, "127.0.0.1:1111"), None, "already the built address");
        assert_eq!(base(true, "localhost:1111"), None, "on loopback pages keep the built address");
        for odd in ["a\"><script>:1", "evil.example/x", "user@host", "a b", ""] {
            if let Ok(value) = HeaderValue::from_str(odd) {
                let mut headers = HeaderMap::new();
                headers.insert(header::HOST, value);
                assert_eq!(request_base(&server(false), &headers), None, "{odd}");
            }
        }
        assert_eq!(
            replace_all(b"a http://x/ b http://x/c", b"http://x/", b"http://y:1/"),
            b"a http://y:1/ b http://y:1/c"
        );
    }

    #[test]
    fn local_hosts() {
        for local in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.:80",
            "site.localhost:1111",
            "127.0.0.1:1111",
            "127.1.2.3",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(is_local_host(local), "{local}");
        }
        for other in [
            "evil.example:1111",
            "localhost.evil.example",
            "192.168.1.20:1111",
            "[::2]:1111",
            "",
            "127.0.0.1.evil.example",
        ] {
            assert!(!is_local_host(other), "{other}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("style.0123456789.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("figures.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("no-extension"), "application/octet-stream");
    }
}
