//! Watching a site's sources: `critique.toml` and the `content/`, `templates/` and `static/`
//! trees (editors' atomic saves and new folders included), debounced, optionally by polling.
//! Only those folders are watched recursively, so a large `target/` or `public/` beside them
//! costs nothing.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{self, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

/// The folders whose whole trees are sources.
pub const SOURCE_DIRS: [&str; 3] = ["content", "templates", "static"];

/// How long the files must stay quiet before a burst of events is handled as one change.
/// Editors save with a write and a rename, or a write, a rename and a delete, within a
/// millisecond or two; a burst that takes longer is handled as two changes, which costs a
/// second rebuild but nothing else (the last one sees the files as they are). Part of the
/// latency from a save to the browser, so kept short.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for quiet files: the wait after a burst is `DEBOUNCE` plus
/// at most this.
const TICK: Duration = Duration::from_millis(5);

/// A running watcher; dropping it stops watching.
pub enum Watcher {
    /// The platform's file events.
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    /// Polling, for file systems without events (network mounts, some containers).
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Watcher {
    /// Watches `root`, sending each debounced batch of changed paths to `changes`.
    pub fn start(root: &Path, poll: bool, changes: Sender<Vec<PathBuf>>) -> notify::Result<Self> {
        let handler = move |result: DebounceEventResult| {
            if let Ok(events) = result {
                // Reading files (our own builds do) raises access events; only changes count.
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .filter(|e| matches!(e.event.kind, EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any)
                        || matches!(e.event.kind, EventKind::Modify(kind) if !matches!(kind, ModifyKind::Metadata(_))))
                    .flat_map(|e| e.event.paths)
                    .collect();
                if !paths.is_empty() {
                    let _ = changes.send(paths);
                }
            }
        };
        let mut watcher = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(250));
            Watcher::Poll(new_debouncer_opt(DEBOUNCE, Some(TICK), handler, NoCache, config)?)
        } else {
            Watcher::Native(new_debouncer(DEBOUNCE, Some(TICK), handler)?)
        };
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        for dir in SOURCE_DIRS {
            watcher.add_sources(&root.join(dir));
        }
        Ok(watcher)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        }
    }

    /// Watches a source folder recursively once it exists (it may be created while serving).
    pub fn add_sources(&mut self, dir: &Path) {
        if dir.is_dir() {
            let _ = self.watch(dir, RecursiveMode::Recursive);
        }
    }
}
