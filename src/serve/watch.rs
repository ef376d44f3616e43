//! Watching a site's sources: `critique.toml` and the `content/`, `templates/` and `static/`
//! trees (editors' atomic saves and new folders included), optionally by polling, and
//! gathering the events of one save into one batch of changed paths.
//! Only those folders are watched recursively, so a large `target/` or `public/` beside them
//! costs nothing.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

/// The folders whose whole trees are sources.
pub const SOURCE_DIRS: [&str; 3] = ["content", "templates", "static"];

/// How long the files must stay quiet, after an event that may be followed by more of the same
/// write (a file created or written but not yet closed), before the burst is handled. Polling
/// and platforms without close events (macOS, Windows) always wait this long.
const QUIET: Duration = Duration::from_millis(10);
/// How long to wait for more once every path's last event ends a write (closed after writing,
/// renamed, removed): editors' atomic saves finish with a rename, and some delete a backup a
/// few microseconds later, which this folds into the same rebuild. A burst split anyway costs
/// a second rebuild, nothing else: each one reads the files as they are.
const SETTLE: Duration = Duration::from_millis(1);

/// A running watcher; dropping it stops watching (and the thread gathering its events).
pub enum Watcher {
    /// The platform's file events.
    Native(RecommendedWatcher),
    /// Polling, for file systems without events (network mounts, some containers).
    Poll(PollWatcher),
}

impl Watcher {
    /// Watches `root`, sending each burst of changed paths to `changes` as one batch.
    pub fn start(root: &Path, poll: bool, changes: Sender<Vec<PathBuf>>) -> notify::Result<Self> {
        let (events, received) = std::sync::mpsc::channel();
        let mut watcher = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(250));
            Watcher::Poll(PollWatcher::new(events, config)?)
        } else {
            Watcher::Native(RecommendedWatcher::new(events, notify::Config::default())?)
        };
        std::thread::spawn(move || gather(&received, &changes));
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        for dir in SOURCE_DIRS {
            watcher.add_sources(&root.join(dir));
        }
        Ok(watcher)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(w) => w.watch(path, mode),
            Watcher::Poll(w) => w.watch(path, mode),
        }
    }

    /// Watches a source folder recursively once it exists (it may be created while serving).
    pub fn add_sources(&mut self, dir: &Path) {
        if dir.is_dir() {
            let _ = self.watch(dir, RecursiveMode::Recursive);
        }
    }
}

/// What an event says about its paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meaning {
    /// Nothing changed (a read, a change of permissions or times).
    Nothing,
    /// The path changed and more of the same write may follow.
    Writing,
    /// The path changed and the write is over.
    Done,
}

fn meaning(kind: &EventKind) -> Meaning {
    match kind {
        // Our own builds read the sources, which raises access events; a close after writing
        // is the one that counts, as the end of a write.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Meaning::Done,
        EventKind::Access(_) | EventKind::Other | EventKind::Modify(ModifyKind::Metadata(_)) => Meaning::Nothing,
        EventKind::Create(CreateKind::Folder) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_)) => {
            Meaning::Done
        }
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Any => Meaning::Writing,
    }
}

/// The changes seen since the last batch: the paths in the order first seen, and those whose
/// last event may be followed by more.
#[derive(Debug, Default)]
struct Burst {
    paths: Vec<PathBuf>,
    seen: HashSet<PathBuf>,
    writing: HashSet<PathBuf>,
}

impl Burst {
    /// Notes `event`; whether it changed anything.
    fn add(&mut self, event: Event) -> bool {
        let meaning = meaning(&event.kind);
        if meaning == Meaning::Nothing || event.paths.is_empty() {
            return false;
        }
        for path in event.paths {
            if meaning == Meaning::Writing {
                self.writing.insert(path.clone());
            } else {
                self.writing.remove(&path);
            }
            if self.seen.insert(path.clone()) {
                self.paths.push(path);
            }
        }
        true
    }

    /// How long to wait, after the last change, for more of the same burst.
    fn wait(&self) -> Duration {
        if self.writing.is_empty() { SETTLE } else { QUIET }
    }

    /// The changed paths, leaving the burst empty.
    fn take(&mut self) -> Vec<PathBuf> {
        self.seen.clear();
        self.writing.clear();
        std::mem::take(&mut self.paths)
    }
}

/// Gathers `events` into bursts and sends each burst's paths to `changes`, until either side
/// hangs up. A burst ends when no change has come for its `wait`.
fn gather(events: &Receiver<notify::Result<Event>>, changes: &Sender<Vec<PathBuf>>) {
    let mut burst = Burst::default();
    loop {
        // Wait as long as it takes for the first change of a burst.
        let Ok(first) = events.recv() else { return };
        if !first.is_ok_and(|event| burst.add(event)) {
            continue;
        }
        let mut last_change = Instant::now();
        let open = loop {
            let left = (last_change + burst.wait()).saturating_duration_since(Instant::now());
            match events.recv_timeout(left) {
                Ok(Ok(event)) => {
                    if burst.add(event) {
                        last_change = Instant::now();
                    }
                }
                Ok(Err(_)) => {}
                Err(RecvTimeoutError::Timeout) => break true,
                Err(RecvTimeoutError::Disconnected) => break false,
            }
        };
        if changes.send(burst.take()).is_err() || !open {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, MetadataKind, RemoveKind, RenameMode};

    fn event(kind: EventKind, path: &str) -> Event {
        Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn a_write_stays_open_until_the_file_is_closed() {
        let mut burst = Burst::default();
        assert!(burst.add(event(EventKind::Create(CreateKind::File), "content/a.md")));
        assert!(burst.add(event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), "content/a.md")));
        assert_eq!(burst.wait(), QUIET);
        assert!(burst.add(event(EventKind::Access(AccessKind::Close(AccessMode::Write)), "content/a.md")));
        assert_eq!(burst.wait(), SETTLE);
        assert_eq!(burst.take(), [PathBuf::from("content/a.md")]);
        assert!(burst.take().is_empty());
    }

    #[test]
    fn an_atomic_save_ends_with_its_rename_and_reads_count_for_nothing() {
        let mut burst = Burst::default();
        assert!(!burst.add(event(EventKind::Access(AccessKind::Open(AccessMode::Read)), "content/a.md")));
        assert!(!burst.add(event(EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)), "content/a.md")));
        assert!(burst.take().is_empty());
        burst.add(event(EventKind::Create(CreateKind::File), "content/a.md~"));
        burst.add(event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), "content/a.md~"));
        assert_eq!(burst.wait(), QUIET);
        let rename = Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("content/a.md~"))
            .add_path(PathBuf::from("content/a.md"));
        assert!(burst.add(rename));
        assert_eq!(burst.wait(), SETTLE);
        assert_eq!(burst.take(), [PathBuf::from("content/a.md~"), PathBuf::from("content/a.md")]);
    }

    #[test]
    fn bursts_go_out_whole_and_the_last_one_when_the_watcher_stops() {
        let (events, received) = std::sync::mpsc::channel();
        let (changes, batches) = std::sync::mpsc::channel();
        for e in [
            event(EventKind::Create(CreateKind::Folder), "content/new"),
            event(EventKind::Access(AccessKind::Read), "content/b.md"),
            event(EventKind::Remove(RemoveKind::File), "content/c.md"),
        ] {
            events.send(Ok(e)).expect("receiver alive");
        }
        events.send(Err(notify::Error::generic("lost"))).expect("receiver alive");
        drop(events);
        gather(&received, &changes);
        let all: Vec<Vec<PathBuf>> = batches.try_iter().collect();
        assert_eq!(all, [vec![PathBuf::from("content/new"), PathBuf::from("content/c.md")]]);
    }
}
