//! Watching a site's sources: `critique.toml` and the `content/`, `templates/` and `static/`
//! trees (editors' atomic saves and new folders included), optionally by polling, and
//! gathering the events of one save into one batch of changed paths.
//! Only those folders are watched recursively, so a large `target/` or `public/` beside them
//! costs nothing.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, MetadataKind, ModifyKind, RenameMode};
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
/// The longest a burst is held back while changes keep coming, so that a file written to
/// without pause (a long copy into `static/`) does not hold back a save elsewhere.
const LONGEST: Duration = Duration::from_millis(100);

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
        // Links are not followed: a link that leaves the site must not have what is behind it
        // watched (the load refuses it), and one inside the site is read through the full
        // load that a change at a linked path leads to.
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut watcher = if poll {
            Watcher::Poll(PollWatcher::new(events, config.with_poll_interval(Duration::from_millis(250)))?)
        } else {
            Watcher::Native(RecommendedWatcher::new(events, config)?)
        };
        // After lost events (the kernel's queue overflowed), every source is looked at again.
        let everything: Vec<PathBuf> = std::iter::once(root.join(crate::config::CONFIG_FILE))
            .chain(SOURCE_DIRS.iter().map(|dir| root.join(dir)))
            .collect();
        std::thread::spawn(move || gather(&received, &changes, &everything));
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
        // Polling sees a file's new contents as a new modification time.
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)) => Meaning::Writing,
        EventKind::Access(_) | EventKind::Other | EventKind::Modify(ModifyKind::Metadata(_)) => Meaning::Nothing,
        // A name renamed away may come back at once: some editors save by renaming the old
        // file to a backup, then writing the new one.
        EventKind::Modify(ModifyKind::Name(RenameMode::From)) => Meaning::Writing,
        EventKind::Create(CreateKind::Folder) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_)) => {
            Meaning::Done
        }
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Any => Meaning::Writing,
    }
}

/// What `event` says about each of its paths: as [`meaning`], but of a rename with both
/// names, the old name may come back (see above) unless it is an editor's temporary file,
/// which an atomic save renames over the file it saves.
fn meanings(event: &Event) -> impl Iterator<Item = (&PathBuf, Meaning)> {
    let both = matches!(event.kind, EventKind::Modify(ModifyKind::Name(RenameMode::Both)));
    let temp = |path: &PathBuf| path.file_name().is_some_and(|n| crate::load::is_ignored(&n.to_string_lossy()));
    event.paths.iter().enumerate().map(move |(i, path)| match both && i == 0 && !temp(path) {
        true => (path, Meaning::Writing),
        false => (path, meaning(&event.kind)),
    })
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
    /// Notes `event`; whether it changed anything. After lost events, every path of
    /// `everything` counts as changed.
    fn add(&mut self, event: &Event, everything: &[PathBuf]) -> bool {
        if event.need_rescan() {
            for path in everything {
                self.note(path, Meaning::Done);
            }
            return true;
        }
        let mut changed = false;
        for (path, meaning) in meanings(event).filter(|(_, m)| *m != Meaning::Nothing) {
            self.note(path, meaning);
            changed = true;
        }
        changed
    }

    fn note(&mut self, path: &PathBuf, meaning: Meaning) {
        if meaning == Meaning::Writing {
            self.writing.insert(path.clone());
        } else {
            self.writing.remove(path);
        }
        if self.seen.insert(path.clone()) {
            self.paths.push(path.clone());
        }
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

/// When a burst that started at `started`, and last changed at `last_change`, ends.
fn burst_end(started: Instant, last_change: Instant, wait: Duration) -> Instant {
    (last_change + wait).min(started + LONGEST)
}

/// Gathers `events` into bursts and sends each burst's paths to `changes`, until either side
/// hangs up. A burst ends when no change has come for its `wait`, or once it is [`LONGEST`]
/// old. `everything` is what changed when events were lost.
fn gather(events: &Receiver<notify::Result<Event>>, changes: &Sender<Vec<PathBuf>>, everything: &[PathBuf]) {
    let mut burst = Burst::default();
    loop {
        // Wait as long as it takes for the first change of a burst.
        let Ok(first) = events.recv() else { return };
        if !first.is_ok_and(|event| burst.add(&event, everything)) {
            continue;
        }
        let started = Instant::now();
        let mut last_change = started;
        let open = loop {
            let left = burst_end(started, last_change, burst.wait()).saturating_duration_since(Instant::now());
            match events.recv_timeout(left) {
                Ok(Ok(event)) => {
                    if burst.add(&event, everything) {
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
    use notify::event::{DataChange, Flag, RemoveKind};

    fn event(kind: EventKind, path: &str) -> Event {
        Event::new(kind).add_path(PathBuf::from(path))
    }

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn a_write_stays_open_until_the_file_is_closed() {
        let mut burst = Burst::default();
        assert!(burst.add(&event(EventKind::Create(CreateKind::File), "content/a.md"), &[]));
        assert!(burst.add(&event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), "content/a.md"), &[]));
        assert_eq!(burst.wait(), QUIET);
        assert!(burst.add(&event(EventKind::Access(AccessKind::Close(AccessMode::Write)), "content/a.md"), &[]));
        assert_eq!(burst.wait(), SETTLE);
        assert_eq!(burst.take(), paths(&["content/a.md"]));
        assert!(burst.take().is_empty());
    }

    #[test]
    fn an_atomic_save_ends_with_its_rename_and_reads_count_for_nothing() {
        let mut burst = Burst::default();
        assert!(!burst.add(&event(EventKind::Access(AccessKind::Open(AccessMode::Read)), "content/a.md"), &[]));
        assert!(!burst.add(&event(EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)), "content/a.md"), &[]));
        assert!(burst.take().is_empty());
        burst.add(&event(EventKind::Create(CreateKind::File), "content/a.md~"), &[]);
        burst.add(&event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), "content/a.md~"), &[]);
        assert_eq!(burst.wait(), QUIET);
        let rename = Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("content/a.md~"))
            .add_path(PathBuf::from("content/a.md"));
        assert!(burst.add(&rename, &[]));
        assert_eq!(burst.wait(), SETTLE);
        assert_eq!(burst.take(), paths(&["content/a.md~", "content/a.md"]));
    }

    #[test]
    fn a_save_that_renames_the_old_file_away_waits_for_the_new_one() {
        // Vim without `backupcopy`: the file renamed to its backup, then written anew.
        let mut burst = Burst::default();
        let away = Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("content/a.md"))
            .add_path(PathBuf::from("content/a.md~"));
        assert!(burst.add(&away, &[]));
        assert_eq!(burst.wait(), QUIET);
        burst.add(&event(EventKind::Create(CreateKind::File), "content/a.md"), &[]);
        burst.add(&event(EventKind::Access(AccessKind::Close(AccessMode::Write)), "content/a.md"), &[]);
        assert_eq!(burst.wait(), SETTLE);
        // A name renamed away alone, too.
        burst.add(&event(EventKind::Modify(ModifyKind::Name(RenameMode::From)), "content/b.md"), &[]);
        assert_eq!(burst.wait(), QUIET);
    }

    #[test]
    fn polled_changes_and_lost_events_count() {
        let mut burst = Burst::default();
        let polled = event(EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)), "content/a.md");
        assert!(burst.add(&polled, &[]));
        assert_eq!(burst.wait(), QUIET);
        let everything = paths(&["critique.toml", "content", "templates", "static"]);
        let lost = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        assert!(burst.add(&lost, &everything));
        assert_eq!(burst.take(), paths(&["content/a.md", "critique.toml", "content", "templates", "static"]));
    }

    #[test]
    fn a_burst_ends_when_quiet_or_once_it_is_too_old() {
        let start = Instant::now();
        assert_eq!(burst_end(start, start, QUIET), start + QUIET);
        let late = start + Duration::from_millis(95);
        assert_eq!(burst_end(start, late, QUIET), start + LONGEST);
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
        gather(&received, &changes, &[]);
        let all: Vec<Vec<PathBuf>> = batches.try_iter().collect();
        assert_eq!(all, [paths(&["content/new", "content/c.md"])]);
    }
}
