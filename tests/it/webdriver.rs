//! Just enough WebDriver to drive headless Chromium from a test: a synchronous HTTP/1.1
//! client over `std::net` speaking JSON to `chromedriver`, and a static file server thread
//! that serves a built site under a base path. Every wait is bounded; dropping the
//! [`Browser`] ends the session and kills chromedriver.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any wait lasts at most.
pub const TIMEOUT: Duration = Duration::from_secs(15);
/// The key WebDriver's `element/value` sends for ArrowDown, Enter and Escape.
pub const ARROW_DOWN: &str = "\u{E015}";
/// Enter.
pub const ENTER: &str = "\u{E007}";
/// Escape.
pub const ESCAPE: &str = "\u{E00C}";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A free port on the loopback interface.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// One HTTP request with a JSON body; the JSON response.
fn request(port: u16, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<Value> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut reader = BufReader::new(stream);
    let (mut length, mut chunked) = (None, false);
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end().to_ascii_lowercase();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        }
        chunked |= line.starts_with("transfer-encoding:") && line.contains("chunked");
    }
    let mut bytes = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if size == 0 {
                break;
            }
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            bytes.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(n) = length {
        bytes.resize(n, 0);
        reader.read_exact(&mut bytes)?;
    } else {
        reader.read_to_end(&mut bytes)?;
    }
    serde_json::from_slice(&bytes).map_err(std::io::Error::other)
}

/// A headless Chromium session through chromedriver.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile.
    pub fn start() -> Self {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver must be installed (apt-get install chromium-driver) for browser tests");
        let profile = tempfile::tempdir().expect("profile");
        let mut browser = Self { driver, port, session: String::new(), profile };
        let ready = wait_for(|| request(port, "GET", "/status", None).ok().filter(|s| s["value"]["ready"] == true));
        assert!(ready.is_some(), "chromedriver did not start");
        let args = crate::support::CHROMIUM_FLAGS
            .into_iter()
            .chain(["--window-size=1200,900"])
            .map(String::from)
            .chain([format!("--user-data-dir={}", browser.profile.path().display())])
            .collect::<Vec<_>>();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium(), "args": args},
            // An asynchronous script may take longer than the default 30 s on a slow machine.
            "timeouts": {"script": 60_000}
        }}});
        let created = request(port, "POST", "/session", Some(&capabilities)).expect("new session");
        browser.session =
            created["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {created}")).into();
        browser
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let response = request(self.port, method, &path, body.as_ref()).expect("webdriver request");
        assert!(response["value"]["error"].is_null(), "{method} {path}: {response}");
        response["value"].clone()
    }

    /// Opens `url` and waits for the page to load.
    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// The address of the current page.
    pub fn url(&self) -> String {
        self.call("GET", "/url", None).as_str().unwrap_or_default().to_string()
    }

    /// Goes back in history.
    pub fn back(&self) {
        self.call("POST", "/back", Some(json!({})));
    }

    /// Runs `script` (a function body; `return` gives the value) in the page.
    pub fn eval(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({ "script": script, "args": [] })))
    }

    /// Runs `script` (a function body) in the page and waits for it to call its callback,
    /// `arguments[arguments.length - 1]`, whose argument it returns: for a script that awaits
    /// something, such as an accessibility audit.
    pub fn eval_async(&self, script: &str) -> Value {
        self.call("POST", "/execute/async", Some(json!({ "script": script, "args": [] })))
    }

    /// Makes pages see `prefers-color-scheme: <scheme>` (`light`, `dark`) from now on, across
    /// navigations: a Chrome DevTools command, which chromedriver passes on.
    pub fn color_scheme(&self, scheme: &str) {
        let features = json!([{ "name": "prefers-color-scheme", "value": scheme }]);
        let command = json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "features": features } });
        self.call("POST", "/goog/cdp/execute", Some(command));
    }

    /// The WebDriver id of the first element matching `css`.
    fn find(&self, css: &str) -> String {
        let found = wait_for(|| {
            let path = format!("/session/{}/element", self.session);
            let body = json!({"using": "css selector", "value": css});
            request(self.port, "POST", &path, Some(&body))
                .ok()
                .and_then(|r| r["value"][ELEMENT].as_str().map(String::from))
        });
        found.unwrap_or_else(|| panic!("no element matches {css}"))
    }

    /// Clicks the first element matching `css`.
    pub fn click(&self, css: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    /// Types `text` (keys included) into the first element matching `css`.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/value"), Some(json!({ "text": text })));
    }

    /// Types `text` into whatever has the focus.
    pub fn keys(&self, text: &str) {
        let active = self.call("GET", "/element/active", None);
        let id = active[ELEMENT].as_str().expect("an active element").to_string();
        self.call("POST", &format!("/element/{id}/value"), Some(json!({ "text": text })));
    }

    /// Waits until `script` returns `expected`, and returns what it last returned.
    pub fn wait_until(&self, script: &str, expected: &Value) -> Value {
        let mut last = Value::Null;
        let found = wait_for(|| {
            last = self.eval(script);
            (last == *expected).then_some(())
        });
        assert!(found.is_some(), "waited {TIMEOUT:?} for `{script}` to return {expected}, last got {last}");
        last
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(self.port, "DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The Chromium binary: Debian's.
fn chromium() -> &'static str {
    if Path::new("/usr/bin/chromium").exists() { "/usr/bin/chromium" } else { "chromium" }
}

/// Polls `f` every 50 ms until it returns something or [`TIMEOUT`] passes.
pub fn wait_for<T>(mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(value) = f() {
            return Some(value);
        }
        if start.elapsed() > TIMEOUT {
            return None;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// Serves the files of a directory under a base path on 127.0.0.1, one thread a connection,
/// until dropped; records the path of every request it answered 404.
pub struct StaticServer {
    /// The server's origin and base path, e.g. `http://127.0.0.1:4321/sub/`.
    pub base: String,
    stop: Arc<AtomicBool>,
    port: u16,
    missing: Arc<Mutex<Vec<String>>>,
}

impl StaticServer {
    /// Serves `root` at `base_path` (`/sub/`).
    pub fn start(root: PathBuf, base_path: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let missing = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&missing);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let (root, record) = (root.clone(), Arc::clone(&record));
                if let Ok(stream) = stream {
                    thread::spawn(move || serve(stream, &root, base_path, &record));
                }
            }
        });
        Self { base: format!("http://127.0.0.1:{port}{base_path}"), stop, port, missing }
    }

    /// The paths (with their queries) of the requests answered 404 since the last call, in
    /// the order they came; taken, so that the next call sees only later ones.
    pub fn take_missing(&self) -> Vec<String> {
        std::mem::take(&mut *self.missing.lock().expect("missing paths"))
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Answers one request, adding its target to `missing` before answering 404 (so that a test
/// that has its answer sees it there).
fn serve(stream: TcpStream, root: &Path, base_path: &str, missing: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() || first.trim().is_empty() {
        // A connection with no request (the one that wakes the server to stop it).
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).map_or(true, |n| n == 0) || line.trim().is_empty() {
            break;
        }
    }
    let target = first.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let file = path
        .strip_prefix(base_path)
        .filter(|rest| !rest.split('/').any(|s| s == ".."))
        .map(|rest| if rest.is_empty() || rest.ends_with('/') { format!("{rest}index.html") } else { rest.to_string() })
        .map(|rest| root.join(rest))
        .filter(|f| f.is_file());
    let (status, body, kind) = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (b, f))) {
        Some((body, f)) => ("200 OK", body, content_type(&f)),
        None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    if status != "200 OK" {
        missing.lock().expect("missing paths").push(target.to_string());
    }
    let mut out = &stream;
    let _ = write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = out.write_all(&body);
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("css") => "text/css; charset=utf-8",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}
