//! `Server`: the `critique serve` binary on a free loopback port for a `SiteTest`, with its own
//! temporary folder (`TMPDIR`, which it must leave empty), spoken to over raw TCP so that tests
//! control every byte of a request.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::support::SiteTest;

/// How long a test waits for the server to answer or say something before failing.
pub const WAIT: Duration = Duration::from_secs(15);

/// A response as read off the wire: status, head (names and values lowercased) and body.
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// A running `critique serve`, killed on drop.
pub struct Server {
    child: Child,
    /// The port it listens on (on 127.0.0.1).
    pub port: u16,
    /// Lines it printed after the `Serving` line.
    stdout: Receiver<String>,
    /// The folder given to it as `TMPDIR`.
    temp: tempfile::TempDir,
}

impl Server {
    /// Started on the site with no other arguments.
    pub fn start(site: &SiteTest) -> Self {
        Self::start_with(site, &[])
    }

    /// Started with `extra` arguments.
    pub fn start_with(site: &SiteTest, extra: &[&str]) -> Self {
        let temp = tempfile::tempdir().expect("temporary folder for the server");
        let mut child = Command::new(env!("CARGO_BIN_EXE_critique"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .arg("--root")
            .arg(&site.root)
            .env("TMPDIR", temp.path())
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
        Server { child, port, stdout: rx, temp }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A connection to the server.
    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(WAIT)).expect("timeout");
        stream
    }

    /// A GET request for `path` with `Host: localhost`.
    pub fn get(&self, path: &str) -> Response {
        self.request(&format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
    }

    /// Sends `raw` as it is (it should ask to close the connection) and reads the response
    /// until the server closes.
    pub fn request(&self, raw: &str) -> Response {
        let mut stream = self.connect();
        stream.write_all(raw.as_bytes()).expect("send");
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        let response = String::from_utf8_lossy(&bytes);
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        Response { status, head: head.to_lowercase(), body: body.to_string() }
    }

    /// The event stream, as the `data:` lines it sends, once the server has answered its
    /// request; the connection stays open as long as the server keeps it.
    pub fn events(&self) -> Receiver<String> {
        let mut stream = self.connect();
        write!(stream, "GET /__critique/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            .expect("send");
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).expect("the event stream's status line");
        assert!(status.starts_with("HTTP/1.1 200 "), "the event stream is open: {status}");
        reader.get_ref().set_read_timeout(None).expect("no timeout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if let Some(data) = line.strip_prefix("data: ") {
                    let _ = tx.send(data.to_string());
                }
            }
        });
        rx
    }

    /// The next line the server prints that `accept` takes, within `WAIT`.
    pub fn said(&self, accept: impl Fn(&str) -> bool) -> Option<String> {
        wait_for(&self.stdout, accept)
    }

    /// What the server left in its temporary folder (it should leave nothing).
    pub fn temp_files(&self) -> Vec<PathBuf> {
        let entries = std::fs::read_dir(self.temp.path()).expect("read the temporary folder");
        entries.flatten().map(|e| e.path()).collect()
    }

    /// Sends the signal `name` (`TERM`, `INT`) to the server with the shell's `kill` (a
    /// builtin: slim images have no `/bin/kill`).
    #[cfg(unix)]
    pub fn signal(&self, name: &str) {
        let command = format!("kill -{name} {}", self.pid());
        let status = Command::new("sh").args(["-c", &command]).status().expect("sh");
        assert!(status.success(), "kill -{name}");
    }

    /// The server's exit status, if it exits within `cap`.
    pub fn exit_within(&mut self, cap: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + cap;
        loop {
            if let Some(exit) = self.child.try_wait().expect("wait") {
                return Some(exit);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The first message from `rx` that `accept` takes, within `WAIT`.
pub fn wait_for(rx: &Receiver<String>, accept: impl Fn(&str) -> bool) -> Option<String> {
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
