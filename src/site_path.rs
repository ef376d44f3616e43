//! The one rule for every path the site publishes: a relative path of plain components, so
//! that joined to the output folder it names a file inside that folder on every platform.
//! Loading checks it for each static file's name (a clear error naming the file), and both
//! writers check it again before they create, replace or remove anything.

use std::fmt;

/// The file every output of a build carries, so that a later build knows the folder is its
/// own to replace; no site file may take its name.
pub const MARKER: &str = ".critique-output";

/// Why a path cannot be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    /// The path is empty, or one of its components is.
    Empty,
    /// It starts at a root (`/x`) or a drive (`C:x`).
    Absolute,
    /// A component is `.` or `..`.
    DotComponent,
    /// It holds a backslash, which Windows and many tools read as a separator.
    Backslash,
    /// It holds a NUL or another control character.
    ControlCharacter,
}

impl fmt::Display for PathProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathProblem::Empty => "it has an empty component",
            PathProblem::Absolute => "it is absolute (starts at a root or a drive)",
            PathProblem::DotComponent => "it has a `.` or `..` component",
            PathProblem::Backslash => "its name holds a `\\`, which some systems read as a folder separator",
            PathProblem::ControlCharacter => "its name holds a control character",
        })
    }
}

/// Whether `path` (components separated by `/`) may be published below an output folder:
/// no empty, `.` or `..` component, no root, no drive, no `\`, no NUL or other control
/// character.
pub fn check(path: &str) -> Result<(), PathProblem> {
    if path.is_empty() {
        return Err(PathProblem::Empty);
    }
    if path.starts_with('/') {
        return Err(PathProblem::Absolute);
    }
    if path.contains('\\') {
        return Err(PathProblem::Backslash);
    }
    if path.chars().any(char::is_control) {
        return Err(PathProblem::ControlCharacter);
    }
    // A drive prefix (`C:`) makes a Windows path absolute or drive-relative.
    if let [letter, b':', ..] = path.as_bytes()
        && letter.is_ascii_alphabetic()
    {
        return Err(PathProblem::Absolute);
    }
    for component in path.split('/') {
        match component {
            "" => return Err(PathProblem::Empty),
            "." | ".." => return Err(PathProblem::DotComponent),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_relative_paths_pass() {
        for ok in
            ["index.html", "a/b/c.txt", ".well-known/security.txt", "café/x y.png", "a..b", "..a", "ab:c", "a/c:x"]
        {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn every_way_out_is_refused() {
        let cases = [
            ("", PathProblem::Empty),
            ("a//b", PathProblem::Empty),
            ("a/", PathProblem::Empty),
            ("/etc/passwd", PathProblem::Absolute),
            ("C:x.txt", PathProblem::Absolute),
            ("c:", PathProblem::Absolute),
            ("..", PathProblem::DotComponent),
            ("../x", PathProblem::DotComponent),
            ("a/../../x", PathProblem::DotComponent),
            ("./x", PathProblem::DotComponent),
            ("..\\..\\victim.txt", PathProblem::Backslash),
            ("\\tmp\\x.txt", PathProblem::Backslash),
            ("a\0b", PathProblem::ControlCharacter),
            ("a\nb", PathProblem::ControlCharacter),
            ("a\u{7f}", PathProblem::ControlCharacter),
        ];
        for (path, problem) in cases {
            assert_eq!(check(path), Err(problem), "{path:?}");
        }
    }
}
