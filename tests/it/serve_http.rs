//! `critique serve` as a writer uses it: the binary on a free loopback port, edits on disk,
//! pages over HTTP, reload events over the event stream, the error overlay, and requests that
//! try to leave the output directory.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::support::SiteTest;

const WAIT: Duration = Duration::from_secs(15);

/// A running `critique serve`, stopped on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(site: &SiteTest) -> Self {
        Self::start_with(site, &[])
    }

    /// Started with `extra` arguments.
    fn start_with(site: &SiteTest, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_critique"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .arg("--root")
            .arg(&site.root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start critique serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let line = wait_for(&rx, |l| l.starts_with("Serving ")).expect("the server says where it serves");
        let port =
            line.rsplit(':').next().and_then(|p| p.split('/').next()).and_then(|p| p.parse().ok()).expect("port");
        Server { child, port }
    }

    /// A GET request: status, headers (lowercased names) and body.
    fn get(&self, path: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(WAIT)).expect("timeout");
        write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").expect("send");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, head.to_lowercase(), body.to_string())
    }

    /// The event stream, as the `data:` lines it sends.
    fn events(&self) -> Receiver<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(stream, "GET /__critique/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            .expect("send");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(data) = line.strip_prefix("data: ") {
                    let _ = tx.send(data.to_string());
                }
            }
        });
        rx
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for(rx: &Receiver<String>, accept: impl Fn(&str) -> bool) -> Option<String> {
    let deadline = Instant::now() + WAIT;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if accept(&line) => return Some(line),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Polls `path` until its body satisfies `accept`.
fn eventually(server: &Server, path: &str, accept: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let deadline = Instant::now() + WAIT;
    loop {
        let (status, _, body) = server.get(path);
        if accept(status, &body) || Instant::now() > deadline {
            return (status, body);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn edits_show_up_over_http_with_reload_events_and_errors_as_an_overlay() {
    let site = SiteTest::fixture("basic");
    site.write("static/extra.css", "body { margin: 1px; }");
    let server = Server::start(&site);
    let (status, head, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(head.contains("cache-control: no-store"), "{head}");
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(body.contains("__critique/events"), "the live-reload script is injected");
    let (_, css_head, css) = server.get("/style.css");
    assert!(css_head.contains("content-type: text/css") && !css.contains("EventSource"));
    let events = server.events();
    std::thread::sleep(Duration::from_millis(200));

    // Modify.
    let path = site.root.join("content/reviews/first-look.md");
    let text = std::fs::read_to_string(&path).expect("read");
    site.write(
        "content/reviews/first-look.md",
        text.replace("title: First look at Widget", "title: Widget, looked at again"),
    );
    assert!(wait_for(&events, |e| e.contains("\"reload\"")).is_some(), "a reload event");
    let (_, page) = eventually(&server, "/reviews/first-look/", |_, b| b.contains("Widget, looked at again"));
    assert!(page.contains("<h1>Widget, looked at again</h1>"));

    // Create.
    let new = "---\ntitle: Brand new\nproject: widget\nauthor: New Author\ndate: 2026-11-20\nverdict: good\nscores: { cost: 3 }\n---\nNew.\n";
    site.write("content/reviews/brand-new.md", new);
    assert!(wait_for(&events, |e| e.contains("\"reload\"")).is_some());
    assert_eq!(eventually(&server, "/reviews/brand-new/", |s, _| s == 200).0, 200);

    // Break, then fix: the overlay appears with the diagnostic, the last good site stays.
    site.write("content/reviews/brand-new.md", "title: no fences\n");
    let error = wait_for(&events, |e| e.contains("\"error\"")).expect("an error event");
    assert!(error.contains("content/reviews/brand-new.md:1:1: error: no front matter"), "{error}");
    assert_eq!(server.get("/reviews/brand-new/").0, 200, "the last good build is still served");
    let late = server.events();
    assert!(wait_for(&late, |e| e.contains("\"error\"")).is_some(), "a page opened now shows the error too");
    site.write("content/reviews/brand-new.md", new.replace("Brand new", "Brand new, fixed"));
    assert!(wait_for(&events, |e| e.contains("\"reload\"")).is_some(), "fixing clears the overlay");

    // Delete: the site's 404 page, with status 404.
    site.remove("content/reviews/brand-new.md");
    let (status, body) = eventually(&server, "/reviews/brand-new/", |s, _| s == 404);
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));

    // A stylesheet alone is swapped, not reloaded.
    site.write("static/extra.css", "body { margin: 0; }");
    assert!(wait_for(&events, |e| e.contains("\"kind\":\"css\"")).is_some(), "a css event");
}

#[test]
fn polling_sees_a_file_edited_in_place() {
    let site = SiteTest::fixture("basic");
    let server = Server::start_with(&site, &["--poll"]);
    // Polling sees a change as a later modification time, in whole seconds (notify's poller),
    // after at most one interval (250 ms): edit in a later second than the fixture was made.
    std::thread::sleep(Duration::from_millis(1200));
    let path = site.root.join("content/reviews/first-look.md");
    let text = std::fs::read_to_string(&path).expect("read");
    site.write("content/reviews/first-look.md", text.replace("title: First look at Widget", "title: Polled again"));
    let (_, page) = eventually(&server, "/reviews/first-look/", |_, b| b.contains("Polled again"));
    assert!(page.contains("<h1>Polled again</h1>"), "the edit was seen by polling");
}

#[test]
fn only_files_under_the_output_are_served() {
    let site = SiteTest::fixture("basic");
    let server = Server::start(&site);
    for path in [
        "/../critique.toml",
        "/%2e%2e/critique.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/reviews/..%2f..%2fcritique.toml",
        "/..%5ccritique.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/reviews/../../critique.toml",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("base_url") && !body.contains("root:"), "{path} leaked a file");
    }
    let (status, head, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(head.contains("cache-control: no-store"));
    assert!(body.contains("Page not found"), "the site's own 404 page");
}

#[test]
fn ctrl_c_stops_cleanly() {
    let site = SiteTest::fixture("basic");
    let mut server = Server::start(&site);
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + WAIT;
    let exit = loop {
        if let Some(exit) = server.child.try_wait().expect("wait") {
            break exit;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
}
