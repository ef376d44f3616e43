//! The dev server: GET and HEAD only, no answer to a `Host` it does not serve (DNS
//! rebinding), slow clients closed, `nosniff` and the right type on every response, the output
//! marker never served, a private preview folder, and a prompt stop whatever is connected.

use std::io::{ErrorKind, Read, Write};
use std::time::Duration;

use crate::server::{Response, Server};
use crate::support::SiteTest;

const NOSNIFF: &str = "\r\nx-content-type-options: nosniff";

/// A request for `/` with `host` as its `Host` header (none for `None`).
fn get_with_host(server: &Server, host: Option<&str>) -> Response {
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    server.request(&format!("GET / HTTP/1.1\r\n{host}Connection: close\r\n\r\n"))
}

#[test]
fn only_get_and_head_are_answered() {
    let site = SiteTest::fixture("basic");
    let server = Server::start(&site);
    for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS"] {
        for path in ["/", "/style.css", "/no/such/page/", "/__critique/events"] {
            let response = server.request(&format!(
                "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            ));
            assert_eq!(response.status, 405, "{method} {path}");
            assert!(
                response.head.contains("\r\nallow: get, head\r\n") || response.head.ends_with("\r\nallow: get, head")
            );
            assert!(response.head.contains(NOSNIFF), "{method} {path}: {}", response.head);
        }
    }
    let get = server.get("/");
    let head = server.request("HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(head.status, 200);
    assert!(head.head.contains("content-type: text/html; charset=utf-8"), "{}", head.head);
    assert!(head.body.is_empty(), "HEAD sends no body: {:?}", head.body);
    let length = format!("\r\ncontent-length: {}", get.body.len());
    assert!(head.head.contains(&length), "HEAD gives GET's length ({length}): {}", head.head);
}

#[test]
fn requests_for_another_host_are_refused() {
    let site = SiteTest::fixture("basic");
    let server = Server::start(&site);
    let port = server.port;
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "localhost.evil.example".into(),
        format!("localhost.evil.example:{port}"),
        "127.0.0.1.evil.example".into(),
        "evil.localhost".into(),
        "10.0.0.1".into(),
        format!("[::2]:{port}"),
        "".into(),
        "localhost:port".into(),
    ] {
        let response = get_with_host(&server, Some(&host));
        assert_eq!(response.status, 403, "Host: {host}");
        assert!(response.head.contains(NOSNIFF), "Host: {host}");
        assert!(!response.body.contains("Widget"), "Host: {host} got the site");
    }
    assert_eq!(get_with_host(&server, None).status, 403, "a request without a Host");
    let absolute = server.request("GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(absolute.status, 403, "a request naming another host in its target");
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "LOCALHOST".into(),
        format!("LocalHost.:{port}"),
        "127.1.2.3".into(),
        "127.0.0.1.".into(),
    ] {
        assert_eq!(get_with_host(&server, Some(&host)).status, 200, "Host: {host}");
    }
}

#[test]
fn allowed_hosts_are_answered_too() {
    let site = SiteTest::fixture("basic");
    let server = Server::start_with(&site, &["--allowed-host", "preview.test", "--allowed-host", "Other.Test."]);
    let port = server.port;
    for host in [format!("preview.test:{port}"), "PREVIEW.TEST.".into(), "other.test".into(), "localhost".into()] {
        assert_eq!(get_with_host(&server, Some(&host)).status, 200, "Host: {host}");
    }
    for host in ["evil.example", "sub.preview.test", "preview.test.evil.example"] {
        assert_eq!(get_with_host(&server, Some(host)).status, 403, "Host: {host}");
    }
    // A root that does not exist: were a value taken, serve would fail (1) rather than run.
    for bad in ["bad host", "evil.example:80", "*", ""] {
        let out = site.run_cli(&["serve", "--root", "no-such-site", "--port", "0", "--allowed-host", bad]);
        assert_eq!(out.status.code(), Some(2), "--allowed-host {bad:?} is a usage error");
    }
}

/// Reads until the server closes the connection; false if it is still open after a minute.
fn closed_by_server(mut stream: std::net::TcpStream) -> bool {
    stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

#[test]
fn a_connection_that_never_finishes_its_headers_is_closed() {
    let site = SiteTest::fixture("basic");
    let server = Server::start(&site);
    let mut partial = server.connect();
    partial.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ").expect("send");
    let silent = server.connect();
    assert!(closed_by_server(partial), "a request whose headers never end is closed");
    assert!(closed_by_server(silent), "a connection that sends nothing is closed");
    assert_eq!(server.get("/").status, 200, "the server still answers");
}

#[test]
fn every_response_says_nosniff() {
    let site = SiteTest::fixture("basic");
    let server = Server::start(&site);
    let responses = [
        (200, server.get("/")),
        (200, server.get("/style.css")),
        (404, server.get("/no/such/page/")),
        (404, server.get("/../critique.toml")),
        (308, server.get("/reviews/first-look")),
        (405, server.request("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")),
        (403, get_with_host(&server, Some("evil.example"))),
    ];
    for (status, response) in responses {
        assert_eq!(response.status, status, "{}", response.head);
        assert!(response.head.contains(NOSNIFF), "{}", response.head);
    }
}

#[test]
fn every_kind_of_file_the_site_writes_has_its_type() {
    let site = SiteTest::fixture("basic");
    site.write("static/extra/lines.jsonl", "{\"a\":1}\n{\"a\":2}\n")
        .write("static/extra/data.xml", "<a/>\n")
        .write("static/extra/data.json", "{}\n")
        .write("static/extra/notes.txt", "notes\n")
        .write("static/extra/icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")
        .write("static/site.webmanifest", "{\"name\":\"x\"}\n");
    let server = Server::start(&site);
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/search.js", "text/javascript; charset=utf-8"),
        ("/data/reviews.jsonl", "application/jsonl; charset=utf-8"),
        ("/extra/lines.jsonl", "application/jsonl; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/extra/data.xml", "application/xml; charset=utf-8"),
        ("/feed.json", "application/json; charset=utf-8"),
        ("/extra/data.json", "application/json; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/llms.txt", "text/plain; charset=utf-8"),
        ("/extra/notes.txt", "text/plain; charset=utf-8"),
        ("/extra/icon.svg", "image/svg+xml"),
        ("/site.webmanifest", "application/manifest+json; charset=utf-8"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        let line = format!("\r\ncontent-type: {content_type}\r\n");
        assert!(response.head.contains(&line), "{path}: expected {content_type}: {}", response.head);
    }
}

#[test]
fn the_output_marker_is_not_served() {
    let site = SiteTest::fixture("basic");
    // At the top, the name is refused when the site loads; below, it is a file like any other,
    // but never served under the marker's name.
    site.write("static/sub/.critique-output", "marker-secret\n");
    let server = Server::start(&site);
    assert_eq!(server.get("/").status, 200);
    for path in ["/.critique-output", "/%2ecritique-output", "/sub/.critique-output", "/./.critique-output"] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(!response.body.contains("marker-secret"), "{path} was served");
    }
}

#[test]
fn the_preview_is_served_from_memory_and_nothing_is_written() {
    let site = SiteTest::fixture("basic");
    let before = crate::support::tree(&site.root);
    let server = Server::start(&site);
    let page = server.get("/reviews/first-look/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("First look at Widget"), "the page is served");
    assert_eq!(server.get("/reviews/first-look").status, 308, "a folder's path without its slash is redirected");
    assert_eq!(server.temp_files(), Vec::<std::path::PathBuf>::new(), "nothing in the temporary folder");
    assert_eq!(crate::support::tree(&site.root), before, "nothing written into the site");
}

/// Starts serve with a live-reload client, a half-sent request and a download that is not
/// read, sends `signal`, and checks that it stops at once, says so and leaves nothing behind.
#[cfg(unix)]
fn stops_on(signal: &str) {
    let site = SiteTest::fixture("basic");
    site.write("static/large.bin", vec![b'x'; 32 << 20]);
    let mut server = Server::start(&site);
    let _events = server.events();
    let mut half_sent = server.connect();
    half_sent.write_all(b"GET / HTTP/1.1\r\nHost: loc").expect("send");
    let mut download = server.connect();
    download.write_all(b"GET /large.bin HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
    let mut first = [0u8; 1024];
    download.read_exact(&mut first).expect("the download starts");
    server.signal(signal);
    let exit = server.exit_within(Duration::from_secs(10));
    let exit = exit.unwrap_or_else(|| panic!("serve still runs 10 s after SIG{signal} with clients connected"));
    assert!(exit.success(), "{exit:?}");
    assert!(server.said(|line| line == "Stopped.").is_some(), "serve says it stopped");
    assert!(server.temp_files().is_empty(), "nothing left behind: {:?}", server.temp_files());
}

#[cfg(unix)]
#[test]
fn sigterm_stops_serve_with_clients_connected() {
    stops_on("TERM");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_serve_with_clients_connected() {
    stops_on("INT");
}
