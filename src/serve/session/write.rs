//! Publishing a rebuild's output: the files whose bytes changed go into the preview, the files
//! gone come out of it, and the last good build records them.

use crate::diagnostic::Diagnostic;
use crate::output::OutputFile;
use crate::site_path;

use super::Session;

impl Session {
    /// Publishes the fresh files whose bytes changed and removes `removed`, recording the new
    /// output in the last good build; how many files changed and went. A path that could not
    /// be a file of a build's output is refused, as the build's writer refuses it.
    pub(super) fn publish(&mut self, fresh: Vec<OutputFile>, removed: &[String]) -> Result<(usize, usize), Diagnostic> {
        let Some(built) = self.built.as_mut() else {
            return Ok((0, 0));
        };
        for path in fresh.iter().map(|f| f.path.as_str()).chain(removed.iter().map(String::as_str)) {
            site_path::check(path)
                .map_err(|problem| Diagnostic::file(path, format!("refusing to publish this file: {problem}")))?;
        }
        let changed: Vec<OutputFile> = fresh
            .into_iter()
            .filter(|file| {
                built.outputs.get(&file.path).is_none_or(|old| !old.shares_bytes(file) && old.bytes != file.bytes)
            })
            .collect();
        let gone: Vec<String> = removed.iter().filter(|path| built.outputs.remove(*path).is_some()).cloned().collect();
        self.preview.update(&changed, &gone);
        let written = changed.len();
        for file in changed {
            built.outputs.insert(file.path.clone(), file);
        }
        Ok((written, gone.len()))
    }
}
