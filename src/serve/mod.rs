//! `critique serve`: builds the site in memory, serves it on the loopback interface with live
//! reload, and rebuilds incrementally on every save. Errors go to the terminal and, as an
//! overlay, to the open pages, while the last good build stays. Ctrl-C or SIGTERM stops it
//! within a second whatever is connected.

mod affected;
mod changes;
mod edit;
pub mod host;
pub mod http;
mod listen;
mod memo;
mod reorder;
mod replace;
pub mod session;
mod terms;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::{Arc, Mutex, mpsc};

use tokio::net::TcpListener;
use tokio::sync::{broadcast, oneshot};

use crate::SiteOptions;
use crate::diagnostic::{Diagnostic, Diagnostics};
use host::{Host, HostPolicy};
use http::{Notice, Shared};
use session::{Preview, Rebuilt, Session};
use watch::{SOURCE_DIRS, Watcher};

/// A status line on standard output; a terminal that went away must not stop the server
/// (`println!` would panic).
macro_rules! status {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// A report on standard error, as [`status!`] on standard output.
macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeArgs {
    /// The site root.
    pub root: PathBuf,
    /// The address to listen on (loopback by default).
    pub bind: IpAddr,
    /// The first port to try.
    pub port: u16,
    /// Open the site in a browser.
    pub open: bool,
    /// Build drafts.
    pub drafts: bool,
    /// Poll for changes instead of file events.
    pub poll: bool,
    /// Take open pages to the page of the content file just saved (Hugo's
    /// `--navigateToChanged`).
    pub follow: bool,
    /// Host names (or addresses) answered besides those of the bound address (see [`HostPolicy`]).
    pub allowed_hosts: Vec<Host>,
    /// How much each rebuild says.
    pub output: Output,
}

/// How much `serve` says of each rebuild (errors are always reported).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Output {
    /// A line per rebuild: the files that changed, the time, what was rendered and written.
    #[default]
    Normal,
    /// Nothing but errors.
    Quiet,
    /// The line, and the time each stage took.
    Verbose,
}

/// Why serving stopped or could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// No port from the one asked for on could be bound.
    #[error("cannot listen on {0} or the next 10 ports: {1}")]
    Bind(SocketAddr, std::io::Error),
    /// The async runtime or the watcher failed.
    #[error("{0}")]
    Setup(String),
}

/// Ports tried after the requested one, when it is taken.
const PORT_ATTEMPTS: u16 = 10;

/// Serves the site until Ctrl-C or SIGTERM.
pub fn run(args: &ServeArgs) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Setup(e.to_string()))?;
    let served = runtime.block_on(serve(args));
    // Blocking file reads still under way must not hold the exit up.
    runtime.shutdown_background();
    served
}

async fn bind(args: &ServeArgs) -> Result<TcpListener, ServeError> {
    let mut last = None;
    for port in args.port..=args.port.saturating_add(PORT_ATTEMPTS) {
        match TcpListener::bind(SocketAddr::new(args.bind, port)).await {
            Ok(listener) => {
                if port != args.port {
                    status!("Port {} is taken; using {port}.", args.port);
                }
                return Ok(listener);
            }
            Err(e) => last = Some(e),
        }
    }
    let error = last.unwrap_or_else(|| std::io::Error::other("no port"));
    Err(ServeError::Bind(SocketAddr::new(args.bind, args.port), error))
}

/// The files a rebuild was for, as its line names them: the first few, and how many more.
fn changed_files(paths: &[PathBuf]) -> String {
    let mut shown: Vec<String> = Vec::new();
    for path in paths.iter().filter(|p| !crate::load::is_skipped(p)) {
        let path = crate::diagnostic::display_path(path);
        if !shown.contains(&path) {
            shown.push(path);
        }
    }
    let more = shown.len().saturating_sub(3);
    shown.truncate(3);
    match more {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

fn report(outcome: &Result<Rebuilt, Vec<Diagnostic>>, what: &str, output: Output) -> Notice {
    match outcome {
        Ok(r) => {
            if output != Output::Quiet {
                let now = jiff::ZonedDateTime::now().strftime("%H:%M:%S").to_string();
                status!(
                    "{what} at {now} in {} ms: {} pages rendered, {} files written, {} removed",
                    r.elapsed.as_millis(),
                    r.rendered,
                    r.written,
                    r.removed
                );
            }
            if output == Output::Verbose {
                status!("{}", r.timings.to_string().trim_end());
            }
            let kind = if r.css_only {
                "css"
            } else if r.written + r.removed > 0 {
                "reload"
            } else {
                "ok"
            };
            Notice { kind, message: None, follow: None }
        }
        Err(errors) => {
            let text = Diagnostics::new(errors.clone()).to_string();
            report!("{text}\nerror: the last edit does not build; serving the last good build");
            Notice { kind: "error", message: Some(text), follow: None }
        }
    }
}

async fn serve(args: &ServeArgs) -> Result<(), ServeError> {
    // One absolute spelling of the root, so that watched paths compare with it.
    let root = std::fs::canonicalize(&args.root)
        .map_err(|e| ServeError::Setup(format!("{}: cannot serve: {e}", args.root.display())))?;
    // Take over Ctrl-C before saying where we serve, so that an early Ctrl-C stops cleanly.
    let mut stop = pin!(stop_signal()?);
    let listener = bind(args).await?;
    let address = listener.local_addr().map_err(|e| ServeError::Setup(e.to_string()))?;
    let host = match address.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let base_url = format!("http://{host}:{}/", address.port());
    let options = SiteOptions { drafts: args.drafts, future: true, base_url: Some(base_url.clone()), today: None };
    let (tx, rx) = mpsc::channel();
    // Watch before the first build, so that a save during it is not missed.
    let watcher = Watcher::start(&root, args.poll, tx).map_err(|e| ServeError::Setup(e.to_string()))?;
    let (notices, _) = broadcast::channel(16);
    let (stopping, stopping_rx) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Shared {
        preview: Preview::default(),
        base_path: "/".into(),
        notices,
        error: Mutex::new(None),
        hosts: HostPolicy::new(address.ip(), args.allowed_hosts.clone()),
        stopping: stopping_rx,
    });
    let (built_tx, built) = oneshot::channel();
    let session = SessionStart { root, options, built: built_tx, output: args.output, follow: args.follow };
    spawn_rebuilds(session, watcher, rx, Arc::clone(&shared))?;
    // The first build runs on the rebuild thread, so that a stop during it is heard.
    let first = tokio::select! {
        built = built => if built.is_ok() { First::Built } else { First::Failed },
        () = &mut stop => First::Stopped,
    };
    let closing = if first == First::Built {
        status!("Serving {} at {base_url} (Ctrl-C to stop)", args.root.display());
        if args.open {
            open_browser(&base_url);
        }
        Some(listen::serve(listener, http::router(Arc::clone(&shared)), stop, &stopping).await)
    } else {
        drop(listener);
        stopping.send_replace(true);
        None
    };
    // The preview is in memory and the rebuild thread is not waited for: once the connections
    // are closed, there is nothing left to do.
    if let Some(closing) = closing {
        closing.close().await;
    }
    if first == First::Failed {
        return Err(ServeError::Setup("the first build stopped unexpectedly".into()));
    }
    status!("Stopped.");
    Ok(())
}

/// A future that completes on Ctrl-C (SIGINT) or SIGTERM; the handlers are installed at once.
#[cfg(unix)]
fn stop_signal() -> Result<impl std::future::Future<Output = ()>, ServeError> {
    use tokio::signal::unix::{SignalKind, signal};
    let setup = |e: std::io::Error| ServeError::Setup(e.to_string());
    let mut interrupt = signal(SignalKind::interrupt()).map_err(setup)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(setup)?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// A future that completes on Ctrl-C.
#[cfg(not(unix))]
fn stop_signal() -> Result<impl std::future::Future<Output = ()>, ServeError> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// How the wait for the first build ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum First {
    Built,
    /// Ctrl-C or SIGTERM came first.
    Stopped,
    /// The rebuild thread ended without building (it panicked).
    Failed,
}

/// What the rebuild thread starts its session from.
struct SessionStart {
    root: PathBuf,
    options: SiteOptions,
    output: Output,
    /// Whether open pages go to the page of the file just saved.
    follow: bool,
    /// Told when the first build is done (and its outcome reported).
    built: oneshot::Sender<()>,
}

/// Starts the thread that builds the site first and then applies each batch of changes
/// (rendering is CPU work), publishing into `shared.preview`. It is not joined: it stops at the
/// next batch once `shared.stopping` is set, or with the process.
fn spawn_rebuilds(
    start: SessionStart,
    mut watcher: Watcher,
    changes: mpsc::Receiver<Vec<PathBuf>>,
    shared: Arc<Shared>,
) -> Result<(), ServeError> {
    let body = move || {
        let SessionStart { root, options, built, output, follow } = start;
        let (mut session, first) = Session::start_in(&root, options, shared.preview.clone());
        publish(&shared, &report(&first, "Built", output));
        let _ = built.send(());
        while let Ok(mut paths) = changes.recv() {
            if *shared.stopping.borrow() {
                break;
            }
            // Fold in whatever else arrived meanwhile.
            while let Ok(more) = changes.try_recv() {
                paths.extend(more);
            }
            for dir in SOURCE_DIRS {
                let dir = root.join(dir);
                if paths.iter().any(|p| p == &dir) {
                    watcher.add_sources(&dir);
                }
            }
            let changed = relative(&root, &paths);
            let Some(outcome) = session.apply(&changed) else { continue };
            let mut notice = report(&outcome, &format!("Rebuilt {}", changed_files(&changed)), output);
            if follow && notice.kind == "reload" {
                notice.follow = edited_page(&shared, &changed);
            }
            publish(&shared, &notice);
        }
    };
    std::thread::Builder::new()
        .name("critique-rebuild".into())
        .spawn(body)
        .map(drop)
        .map_err(|e| ServeError::Setup(format!("cannot start the rebuild thread: {e}")))
}

/// The page of the last content file among `changed` that the preview has, under the base
/// path: where `--follow` takes open pages.
fn edited_page(shared: &Shared, changed: &[PathBuf]) -> Option<String> {
    changed.iter().rev().filter_map(|path| crate::urls::content_file_page(path)).find_map(|page| {
        let file = crate::urls::output_path(page.trim_start_matches('/'));
        shared.preview.get(&file).map(|_| format!("{}{}", shared.base_path.trim_end_matches('/'), page))
    })
}

/// Makes `notice` the state pages opened from now on see, and tells the open pages.
fn publish(shared: &Shared, notice: &Notice) {
    if let Ok(mut error) = shared.error.lock() {
        error.clone_from(&notice.message);
    }
    let _ = shared.notices.send(notice.clone());
}

fn relative(root: &Path, paths: &[PathBuf]) -> Vec<PathBuf> {
    paths.iter().map(|p| p.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| p.clone())).collect()
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    // Its own complaints (no browser, no display) are not the writer's concern: the address is
    // printed anyway.
    let opened = std::process::Command::new(command)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match opened {
        // Reaped when it ends, so that no finished opener lingers as a zombie.
        Ok(mut child) => drop(std::thread::Builder::new().spawn(move || child.wait())),
        Err(_) => report!("Could not open a browser; visit {url}"),
    }
}
