//! The dev server's HTTP side: GET and HEAD only, for the hosts it serves (see `host.rs`);
//! files of the preview only (in memory; a request path with `..`, encoded separators, an
//! absolute path or the output marker names nothing), each with its type; the site's 404 page with status 404; `Cache-Control:
//! no-store` and `X-Content-Type-Options: nosniff` on every response; the live-reload script
//! added to HTML responses, and the reload events, which end when the server stops.

use std::convert::Infallible;
use std::path::{Component, Path};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, HttpBody};
use axum::extract::State;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::{broadcast, watch};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::host::HostPolicy;
use super::session::Preview;
use crate::output::MARKER;
use crate::urls::percent_decode;

/// The path of the event stream, below the base path.
pub const EVENTS: &str = "__critique/events";

const LIVE_RELOAD: &str = include_str!("livereload.js");

/// What the browser is told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// `reload`, `css`, `error` or `ok`.
    pub kind: &'static str,
    /// For `error`: the diagnostics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For `reload` under `--follow`: the page of the file just edited, for open pages to go to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow: Option<String>,
}

/// State shared by the handlers and the rebuild loop.
pub struct Shared {
    /// The files served: the last good build's.
    pub preview: Preview,
    /// The site's base path (`/` or `/sub/`).
    pub base_path: String,
    /// Notices to every open page.
    pub notices: broadcast::Sender<Notice>,
    /// The current build error, shown to pages that open while it lasts.
    pub error: Mutex<Option<String>>,
    /// The `Host` values answered.
    pub hosts: HostPolicy,
    /// Becomes `true` when the server stops: the event streams end then, so that no open page
    /// holds the server up.
    pub stopping: watch::Receiver<bool>,
}

/// The methods answered, as the `Allow` header of a 405 lists them.
const ALLOW: &str = "GET, HEAD";

/// The dev server's routes.
pub fn router(shared: Arc<Shared>) -> Router {
    let events = format!("{}{EVENTS}", shared.base_path);
    Router::new()
        .route(&events, get(events_stream))
        .fallback(serve_file)
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .with_state(shared)
}

/// Every request passes here first: a `Host` the server does not serve gets 403 (DNS
/// rebinding), a method other than GET or HEAD gets 405; every response gets `nosniff`, and a
/// HEAD response its headers without the body.
async fn guard(State(shared): State<Arc<Shared>>, request: Request<Body>, next: Next) -> Response {
    let method = request.method().clone();
    let mut response = if !host_allowed(&shared.hosts, &request) {
        let message = format!(
            "This preview answers only to {}. Start critique serve with --allowed-host NAME to add a name.\n",
            shared.hosts.describe()
        );
        respond(StatusCode::FORBIDDEN, TEXT, message.into_bytes(), None)
    } else if method != Method::GET && method != Method::HEAD {
        let mut response = respond(StatusCode::METHOD_NOT_ALLOWED, TEXT, b"Method not allowed\n".to_vec(), None);
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(ALLOW));
        response
    } else {
        next.run(request).await
    };
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if method == Method::HEAD {
        if let Some(length) = response.body().size_hint().exact() {
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        *response.body_mut() = Body::empty();
    }
    response
}

/// Whether the request's `Host` (exactly one) and the host of its target, when it names one
/// (`GET http://host/ HTTP/1.1`), are both answered.
fn host_allowed(hosts: &HostPolicy, request: &Request<Body>) -> bool {
    let mut values = request.headers().get_all(header::HOST).iter();
    let (Some(value), None) = (values.next(), values.next()) else { return false };
    let header = value.to_str().ok();
    hosts.allows(header) && request.uri().authority().is_none_or(|target| hosts.allows(Some(target.as_str())))
}

async fn events_stream(State(shared): State<Arc<Shared>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the current state, so no notice falls between the two.
    let updates = BroadcastStream::new(shared.notices.subscribe()).filter_map(Result::ok);
    let current = shared.error.lock().ok().and_then(|e| e.clone());
    let first = current.map(|message| Notice { kind: "error", message: Some(message), follow: None });
    let mut stopping = shared.stopping.clone();
    let stopped = async move {
        let _ = stopping.wait_for(|stop| *stop).await;
    };
    let stream = tokio_stream::iter(first)
        .chain(updates)
        .map(|notice| Ok(Event::default().data(serde_json::to_string(&notice).unwrap_or_default())));
    Sse::new(futures_util::StreamExt::take_until(stream, stopped)).keep_alive(KeepAlive::default())
}

/// The output path (`reviews/x/index.html`) a request path names below `base_path`, or `None`
/// if it names nothing servable: percent-decoded, it must stay inside the output (no `..`, no
/// separators hidden as `%2f` or `\`, no NUL) and not name the output marker.
pub fn resolve(base_path: &str, raw_path: &str) -> Option<String> {
    let rest = raw_path
        .strip_prefix(base_path)
        .or_else(|| (raw_path.to_string() + "/").strip_prefix(base_path).map(|_| ""))?;
    let lower = rest.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = percent_decode(rest)?;
    if decoded.contains('\\') || decoded.contains('\0') || decoded.starts_with('/') {
        return None;
    }
    let mut parts = Vec::new();
    for component in Path::new(&decoded).components() {
        match component {
            Component::Normal(part) if part == MARKER => return None,
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

async fn serve_file(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    let path = request.uri().path().to_string();
    let Some(rel) = resolve(&shared.base_path, &path) else {
        return not_found(&shared).await;
    };
    match shared.preview.get(&rel) {
        Some(bytes) => {
            let content_type = content_type(Path::new(&rel));
            let bytes = if content_type == HTML { inject(&bytes, &shared.base_path) } else { bytes.to_vec() };
            respond(StatusCode::OK, &content_type, bytes, None)
        }
        // `/reviews/x` → `/reviews/x/`, as static hosts do, keeping the query (`/search?q=…`).
        None if !rel.ends_with("index.html") && shared.preview.get(&format!("{rel}/index.html")).is_some() => {
            let query = request.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
            let location = format!("{path}/{query}");
            respond(StatusCode::PERMANENT_REDIRECT, TEXT, Vec::new(), Some(location))
        }
        None => not_found(&shared).await,
    }
}

const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// The `Content-Type` of a file by its extension: the types of every file a site writes
/// (text ones in UTF-8, as the site writes them), else what `mime_guess` knows, else bytes.
/// JSON Lines is `application/jsonl`, the type its own specification (jsonlines.org) names;
/// neither it nor `application/x-ndjson` is registered, and `x-` names are deprecated (RFC 6648).
pub fn content_type(file: &Path) -> String {
    let extension = file.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let known = match extension.as_str() {
        "html" | "htm" => HTML,
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "jsonl" => "application/jsonl; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => TEXT,
        "svg" => "image/svg+xml",
        _ => {
            let mime = mime_guess::from_path(file).first_or_octet_stream();
            return if mime.type_() == mime_guess::mime::TEXT {
                format!("{}; charset=utf-8", mime.essence_str())
            } else {
                mime.essence_str().to_string()
            };
        }
    };
    known.to_string()
}

async fn not_found(shared: &Shared) -> Response {
    let page = shared.preview.get("404.html").unwrap_or_else(|| bytes::Bytes::from_static(b"Not found"));
    respond(StatusCode::NOT_FOUND, HTML, inject(&page, &shared.base_path), None)
}

fn respond(status: StatusCode, content_type: &str, bytes: Vec<u8>, location: Option<String>) -> Response {
    let mut response = (status, bytes).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(value) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, value);
    }
    response
}

/// The page with the live-reload script added before `</body>` (or at the end).
fn inject(html: &[u8], base_path: &str) -> Vec<u8> {
    let script = format!("<script data-base=\"{}\">{LIVE_RELOAD}</script>", crate::markdown::html_escape(base_path));
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    [&html[..at], script.as_bytes(), &html[at..]].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output() {
        assert_eq!(resolve("/", "/"), Some("index.html".to_string()));
        assert_eq!(resolve("/", "/reviews/a/"), Some("reviews/a/index.html".to_string()));
        assert_eq!(resolve("/", "/style.css"), Some("style.css".to_string()));
        assert_eq!(resolve("/", "/caf%C3%A9.txt"), Some("café.txt".to_string()));
        assert_eq!(resolve("/sub/", "/sub/a/"), Some("a/index.html".to_string()));
        assert_eq!(resolve("/sub/", "/sub"), Some("index.html".to_string()));
        for bad in [
            "/../critique.toml",
            "/%2e%2e/critique.toml",
            "/a/..%2f..%2fx",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/a%5c..%5cx",
            "/a/../../x",
            "/%00",
        ] {
            assert_eq!(resolve("/", bad), None, "{bad}");
        }
        assert_eq!(resolve("/sub/", "/other/"), None);
    }

    #[test]
    fn the_output_marker_is_never_a_file_to_serve() {
        for path in ["/.critique-output", "/%2Ecritique-output", "/./.critique-output", "/a/.critique-output"] {
            assert_eq!(resolve("/", path), None, "{path}");
        }
        assert_eq!(resolve("/sub/", "/sub/.critique-output"), None);
        assert_eq!(resolve("/", "/.critique-output.txt"), Some(".critique-output.txt".to_string()));
        assert_eq!(resolve("/", "/.well-known/x"), Some(".well-known/x".to_string()));
    }

    #[test]
    fn every_file_the_site_writes_gets_its_type() {
        for (file, expected) in [
            ("index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("search.js", "text/javascript; charset=utf-8"),
            ("data/schema.json", "application/json; charset=utf-8"),
            ("data/reviews.jsonl", "application/jsonl; charset=utf-8"),
            ("feed.xml", "application/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("icon.svg", "image/svg+xml"),
            ("site.webmanifest", "application/manifest+json; charset=utf-8"),
            ("DATA.JSONL", "application/jsonl; charset=utf-8"),
            ("photo.png", "image/png"),
            ("notes.md", "text/markdown; charset=utf-8"),
            ("font.woff2", "font/woff2"),
            ("no-extension", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(file)), expected, "{file}");
        }
    }

    #[test]
    fn the_script_goes_before_the_closing_body() {
        let html = inject(b"<html><body><p>x</p></body></html>", "/");
        let text = String::from_utf8(html).expect("utf-8");
        assert!(text.contains("<p>x</p><script data-base=\"/\">"));
        assert!(text.ends_with("</script></body></html>"));
    }
}
