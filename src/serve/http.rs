//! The dev server's HTTP side: files of the output directory only (no `..`, no encoded
//! separators, no absolute paths), the site's 404 page with status 404, `Cache-Control:
//! no-store`, the live-reload script added to HTML responses, and the reload events.

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::render::percent_decode;

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
}

/// State shared by the handlers and the rebuild loop.
pub struct Shared {
    /// The directory served.
    pub output: PathBuf,
    /// The site's base path (`/` or `/sub/`).
    pub base_path: String,
    /// Notices to every open page.
    pub notices: broadcast::Sender<Notice>,
    /// The current build error, shown to pages that open while it lasts.
    pub error: Mutex<Option<String>>,
}

/// The dev server's routes.
pub fn router(shared: Arc<Shared>) -> Router {
    let events = format!("{}{EVENTS}", shared.base_path);
    Router::new().route(&events, get(events_stream)).fallback(serve_file).with_state(shared)
}

async fn events_stream(State(shared): State<Arc<Shared>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the current state, so no notice falls between the two.
    let updates = BroadcastStream::new(shared.notices.subscribe()).filter_map(Result::ok);
    let current = shared.error.lock().ok().and_then(|e| e.clone());
    let first = current.map(|message| Notice { kind: "error", message: Some(message) });
    let stream = tokio_stream::iter(first)
        .chain(updates)
        .map(|notice| Ok(Event::default().data(serde_json::to_string(&notice).unwrap_or_default())));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The file a request path names below `base_path`, or `None` if it names nothing safely
/// servable: percent-decoded, it must stay inside the output (no `..`, no separators hidden
/// as `%2f` or `\`, no NUL).
pub fn resolve(base_path: &str, raw_path: &str) -> Option<PathBuf> {
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
    let mut path = PathBuf::new();
    for component in Path::new(&decoded).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        path.push("index.html");
    }
    Some(path)
}

async fn serve_file(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    let path = request.uri().path().to_string();
    let Some(rel) = resolve(&shared.base_path, &path) else {
        return not_found(&shared).await;
    };
    let file = shared.output.join(&rel);
    if tokio::fs::metadata(&file).await.is_ok_and(|m| m.is_dir()) {
        // `/reviews/x` → `/reviews/x/`, as static hosts do, keeping the query (`/search?q=…`).
        let query = request.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
        let location = format!("{path}/{query}");
        return respond(StatusCode::PERMANENT_REDIRECT, "text/plain", Vec::new(), Some(location));
    }
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let mime = mime_guess::from_path(&file).first_or_octet_stream().to_string();
            let bytes = if mime == "text/html" { inject(bytes, &shared.base_path) } else { bytes };
            respond(StatusCode::OK, &mime, bytes, None)
        }
        Err(_) => not_found(&shared).await,
    }
}

async fn not_found(shared: &Shared) -> Response {
    let page = tokio::fs::read(shared.output.join("404.html")).await.unwrap_or_else(|_| b"Not found".to_vec());
    respond(StatusCode::NOT_FOUND, "text/html", inject(page, &shared.base_path), None)
}

fn respond(status: StatusCode, mime: &str, bytes: Vec<u8>, location: Option<String>) -> Response {
    let mut response = (status, bytes).into_response();
    let headers = response.headers_mut();
    let content_type = if mime.starts_with("text/") || mime.ends_with("javascript") || mime.ends_with("json") {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(value) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, value);
    }
    response
}

/// Adds the live-reload script before `</body>` (or at the end).
fn inject(mut html: Vec<u8>, base_path: &str) -> Vec<u8> {
    let script = format!("<script data-base=\"{}\">{LIVE_RELOAD}</script>", crate::markdown::html_escape(base_path));
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    html.splice(at..at, script.into_bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output() {
        assert_eq!(resolve("/", "/"), Some(PathBuf::from("index.html")));
        assert_eq!(resolve("/", "/reviews/a/"), Some(PathBuf::from("reviews/a/index.html")));
        assert_eq!(resolve("/", "/style.css"), Some(PathBuf::from("style.css")));
        assert_eq!(resolve("/", "/caf%C3%A9.txt"), Some(PathBuf::from("café.txt")));
        assert_eq!(resolve("/sub/", "/sub/a/"), Some(PathBuf::from("a/index.html")));
        assert_eq!(resolve("/sub/", "/sub"), Some(PathBuf::from("index.html")));
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
    fn the_script_goes_before_the_closing_body() {
        let html = inject(b"<html><body><p>x</p></body></html>".to_vec(), "/");
        let text = String::from_utf8(html).expect("utf-8");
        assert!(text.contains("<p>x</p><script data-base=\"/\">"));
        assert!(text.ends_with("</script></body></html>"));
    }
}
