//! Output: the only writer. A build is written into a fresh staging directory beside the
//! output and swapped into place only once complete, so a failed build never touches the
//! previous output. Files whose bytes did not change are hard-linked from the previous output
//! instead of written again.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::OutputFile;

/// A failure to write the output.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file-system operation failed.
    #[error("{path}: cannot {action}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// Why it failed.
        source: io::Error,
    },
    /// The output directory holds a site's sources; replacing it would destroy them.
    #[error(
        "{0}: refusing to replace it with the build output: it holds a site's sources (critique.toml or content/); choose another --output"
    )]
    NotAnOutput(PathBuf),
}

/// How the output was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written with new bytes.
    pub written: usize,
    /// Files unchanged since the previous build, hard-linked from it.
    pub unchanged: usize,
}

fn io_err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> OutputError + 'a {
    move |source| OutputError::Io { action, path: path.to_path_buf(), source }
}

/// Replaces the directory `out` with exactly `files`.
pub fn write_output(out: &Path, files: &[OutputFile]) -> Result<WriteStats, OutputError> {
    if out.join(crate::config::CONFIG_FILE).exists() || out.join("content").is_dir() {
        return Err(OutputError::NotAnOutput(out.to_path_buf()));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    fs::create_dir_all(&parent).map_err(io_err("create directory", &parent))?;
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.previous-{}", std::process::id()));
    remove_if_present(&staging)?;
    let result = stage(out, &staging, files).and_then(|stats| swap(out, &staging, &retired).map(|()| stats));
    if result.is_err() {
        // Best effort: the previous output is still in place; only the staging tree is ours to drop.
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn stage(previous: &Path, staging: &Path, files: &[OutputFile]) -> Result<WriteStats, OutputError> {
    let mut stats = WriteStats::default();
    fs::create_dir_all(staging).map_err(io_err("create directory", staging))?;
    for file in files {
        let target = staging.join(&file.path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(io_err("create directory", dir))?;
        }
        let old = previous.join(&file.path);
        let same = fs::metadata(&old).is_ok_and(|m| m.is_file() && m.len() == file.bytes.len() as u64)
            && fs::read(&old).is_ok_and(|b| b == file.bytes);
        if same && fs::hard_link(&old, &target).is_ok() {
            stats.unchanged += 1;
        } else {
            fs::write(&target, &file.bytes).map_err(io_err("write", &target))?;
            stats.written += 1;
        }
    }
    Ok(stats)
}

fn swap(out: &Path, staging: &Path, retired: &Path) -> Result<(), OutputError> {
    if out.exists() {
        remove_if_present(retired)?;
        fs::rename(out, retired).map_err(io_err("move aside", out))?;
        if let Err(source) = fs::rename(staging, out) {
            let _ = fs::rename(retired, out);
            return Err(OutputError::Io { action: "move into place", path: out.to_path_buf(), source });
        }
        fs::remove_dir_all(retired).map_err(io_err("remove", retired))
    } else {
        fs::rename(staging, out).map_err(io_err("move into place", out))
    }
}

fn remove_if_present(path: &Path) -> Result<(), OutputError> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(OutputError::Io { action: "remove", path: path.to_path_buf(), source: e })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn replaces_output_and_links_unchanged_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        let first =
            write_output(&out, &[file("a/index.html", "a"), file("b.txt", "b"), file("gone.txt", "x")]).expect("first");
        assert_eq!(first, WriteStats { written: 3, unchanged: 0 });
        let second = write_output(&out, &[file("a/index.html", "a"), file("b.txt", "B")]).expect("second");
        assert_eq!(second, WriteStats { written: 1, unchanged: 1 });
        assert_eq!(fs::read_to_string(out.join("b.txt")).expect("b"), "B");
        assert!(!out.join("gone.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).expect("list").flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers, [std::ffi::OsString::from("public")]);
    }

    #[test]
    fn refuses_to_replace_a_site() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("critique.toml"), "").expect("write");
        assert!(matches!(write_output(dir.path(), &[]), Err(OutputError::NotAnOutput(_))));
        assert!(dir.path().join("critique.toml").exists());
    }
}
