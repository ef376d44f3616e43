//! Web hosts on loopback for the external link check: each [`Host`] listens on its own port
//! (a host, as the check's per-host limits count them), answers by the path asked for, and
//! records every request and the most it had in flight at once. Also used by the link-check
//! benchmark (`examples/link_check.rs`).

#![allow(dead_code, reason = "the tests and the benchmark use different parts")]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One host: a listener on an address of its own in 127.0.0.0/8 (the check counts its limits
/// by host name, whatever the port) and what it saw.
pub struct Host {
    /// Its address.
    pub ip: std::net::Ipv4Addr,
    /// Its port.
    pub port: u16,
    seen: Arc<Seen>,
}

/// The next host's address: 127.0.0.2, 127.0.0.3, … (a process's hosts never share one).
fn next_ip() -> std::net::Ipv4Addr {
    static NEXT: AtomicUsize = AtomicUsize::new(2);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    std::net::Ipv4Addr::new(127, (n >> 16) as u8, (n >> 8) as u8, n as u8)
}

#[derive(Default)]
struct Seen {
    /// Every request, as `METHOD /path`.
    requests: Mutex<Vec<String>>,
    /// Requests per path, to answer "500 then 200".
    by_path: Mutex<HashMap<String, usize>>,
    /// When each request arrived, in order.
    arrivals: Mutex<Vec<Instant>>,
    /// The `User-Agent` of each request.
    agents: Mutex<Vec<String>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

/// How a host behaves beyond its paths.
#[derive(Debug, Clone, Copy, Default)]
pub struct Behaviour {
    /// Answers HEAD with 405 Method Not Allowed.
    pub refuses_head: bool,
    /// Time taken by every answer.
    pub latency: Duration,
}

impl Host {
    /// A host answering its paths as [`answer`] says, with `behaviour`.
    pub fn start(behaviour: Behaviour) -> Host {
        let ip = next_ip();
        let listener = TcpListener::bind((ip, 0)).expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let seen = Arc::new(Seen::default());
        let shared = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &seen, behaviour, port));
            }
        });
        Host { ip, port, seen }
    }

    /// The address of `path` on this host.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}:{}{path}", self.ip, self.port)
    }

    /// When each request for `path` arrived.
    pub fn arrivals_of(&self, path: &str) -> Vec<Instant> {
        let requests = self.seen.requests.lock().expect("lock");
        let arrivals = self.seen.arrivals.lock().expect("lock");
        requests
            .iter()
            .zip(arrivals.iter())
            .filter(|(r, _)| r.split(' ').nth(1) == Some(path))
            .map(|(_, a)| *a)
            .collect()
    }

    /// Every request it received, as `METHOD /path`.
    pub fn requests(&self) -> Vec<String> {
        self.seen.requests.lock().expect("lock").clone()
    }

    /// The shortest time between two requests' arrivals.
    pub fn least_gap(&self) -> Option<Duration> {
        let arrivals = self.seen.arrivals.lock().expect("lock");
        arrivals.windows(2).map(|w| w[1].saturating_duration_since(w[0])).min()
    }

    /// The `User-Agent` of every request.
    pub fn agents(&self) -> Vec<String> {
        self.seen.agents.lock().expect("lock").clone()
    }

    /// The most requests it had in flight at once.
    pub fn most_in_flight(&self) -> usize {
        self.seen.most_in_flight.load(Ordering::SeqCst)
    }
}

/// Answers requests on one connection until the client closes it.
fn serve(stream: TcpStream, seen: &Seen, behaviour: Behaviour, port: u16) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("/").to_string());
        // The rest of the head.
        let mut agent = String::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("user-agent")
            {
                agent = value.trim().to_string();
            }
        }
        seen.arrivals.lock().expect("lock").push(Instant::now());
        seen.agents.lock().expect("lock").push(agent);
        let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        seen.most_in_flight.fetch_max(now, Ordering::SeqCst);
        seen.requests.lock().expect("lock").push(format!("{method} {path}"));
        let count = {
            let mut by_path = seen.by_path.lock().expect("lock");
            let n = by_path.entry(path.clone()).or_default();
            *n += 1;
            *n
        };
        std::thread::sleep(behaviour.latency);
        let (status, headers) =
            if behaviour.refuses_head && method == "HEAD" { (405, String::new()) } else { answer(&path, count, port) };
        let status = if status == 0 {
            // `/slow`: no answer in time.
            std::thread::sleep(Duration::from_secs(4));
            200
        } else {
            status
        };
        let body = if method == "HEAD" { "" } else { "ok" };
        let response = format!(
            "HTTP/1.1 {status} X\r\nContent-Length: {}\r\n{headers}\r\n{body}",
            if method == "HEAD" { 2 } else { body.len() }
        );
        seen.in_flight.fetch_sub(1, Ordering::SeqCst);
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

/// The status and extra headers for `path`, asked for the `count`th time, on the host at
/// `port`:
/// - `/ok…` 200; `/gone` 410; anything else not below, 404;
/// - `/moved/N` a 301 chain of N hops to `/ok`; `/loop` a 301 to itself; `/away/IP:PORT` a
///   302 to `/ok` on the host at IP:PORT; `/inside` a 302 to `http://127.0.0.1:9/`;
/// - `/busy` 429 with `Retry-After: 1` the first time, then 200; `/flaky` 500 the first time,
///   then 200; `/down` 503 always; `/slow` no answer for 4 s.
fn answer(path: &str, count: usize, port: u16) -> (u16, String) {
    let moved = |to: String| (301, format!("Location: {to}\r\n"));
    if path.starts_with("/ok") {
        return (200, String::new());
    }
    if let Some(hops) = path.strip_prefix("/moved/").and_then(|n| n.parse::<usize>().ok()) {
        return moved(if hops <= 1 { "/ok".to_string() } else { format!("/moved/{}", hops - 1) });
    }
    if let Some(other) = path.strip_prefix("/away/") {
        return (302, format!("Location: http://{other}/ok\r\n"));
    }
    let _ = port;
    match path {
        "/tofile" => (302, "Location: file:///etc/passwd\r\n".to_string()),
        "/inside" => (302, "Location: http://127.0.0.1:9/\r\n".to_string()),
        "/loop" => moved("/loop".to_string()),
        "/gone" => (410, String::new()),
        "/busy" if count == 1 => (429, "Retry-After: 1\r\n".to_string()),
        "/busy" => (200, String::new()),
        "/flaky" if count == 1 => (500, String::new()),
        "/flaky" => (200, String::new()),
        "/down" => (503, String::new()),
        "/slow" => (0, String::new()),
        _ => (404, String::new()),
    }
}
