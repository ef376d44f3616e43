//! Mutations of the site's tree: hostile file names, moves and deletions, symbolic links out
//! of the site and within it, FIFOs and sockets, empty files and files at the size limit.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use critique::load::MAX_TEXT_BYTES;

use super::{Applied, Target, entries, pick_file, rewrite};
use crate::rng::Rng;
use crate::site::{have_mkfifo, mkfifo, show};

/// The site's folders a mutation may put a file in.
const FOLDERS: [&str; 9] = [
    "content",
    "content/reviews",
    "content/projects",
    "content/pages",
    "content/reviews/sub/deeper",
    "static",
    "static/files",
    "templates",
    "templates/partials",
];

/// A hostile name for a file, from the names a writer's tools or an attacker could give it.
/// `tag` goes in the names meant to escape the output.
fn hostile_name(rng: &mut Rng, tag: &str, extension: &str) -> Vec<u8> {
    let escape = |ups: usize, ext: &str| format!("{}{}{tag}{ext}", "..\\".repeat(ups), crate::site::ESCAPE);
    let name = match rng.below(34) {
        0 => escape(1, extension),
        1 => escape(2, extension),
        2 => escape(3, ".txt"),
        3 => escape(4, ".txt"),
        4 => format!("\\tmp\\{}{tag}.txt", crate::site::ESCAPE),
        5 => "..\\..\\canary.txt".into(),
        6 => "..\\..\\outside\\secret.txt".into(),
        7 => "..\\canary.txt".into(),
        8 => format!("a b{extension}"),
        9 => format!("  lead and trail {extension} "),
        10 => format!("révision-日本語-ﬁ{extension}"),
        11 => format!("\u{202e}gpj{extension}"),
        12 => format!("a\u{1}b{extension}"),
        13 => format!("a\nb{extension}"),
        14 => format!("a\rb{extension}"),
        15 => format!("a\u{1b}[31mred{extension}"),
        16 => format!("{}{extension}", "n".repeat(250usize.saturating_sub(extension.len()))),
        17 => format!("{}{extension}", "n".repeat(255usize.saturating_sub(extension.len()))),
        18 => format!(".hidden{extension}"),
        19 => format!("x{extension}~"),
        20 => format!("UPPER{}", extension.to_uppercase()),
        21 => format!("Upper-Case{extension}"),
        22 => "x.markdown".into(),
        23 => format!("x{extension}{extension}"),
        24 => format!("-rf{extension}"),
        25 => format!("%2e%2e{extension}"),
        26 => format!("index{extension}"),
        27 => extension.to_string(),
        28 => format!("x.{extension}"),
        29 => format!("a:b*?\"'<>|{extension}"),
        30 => format!("<script>{extension}"),
        31 => format!("con{extension}"),
        32 => {
            let mut bytes = b"\xff\xfe-invalid".to_vec();
            bytes.extend_from_slice(extension.as_bytes());
            return bytes;
        }
        _ => critique::output::MARKER.to_string(),
    };
    name.into_bytes()
}

fn extension_of(path: &Path) -> String {
    path.extension().map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()))
}

/// Adds a file with a hostile name (most often a static file, whose name becomes an output
/// path as it is), renames a file (or a folder) to one, moves it to another folder, or deletes
/// it.
pub fn names(target: &Target, rng: &mut Rng) -> io::Result<Option<Applied>> {
    let site = target.site();
    let listed = entries(&site);
    if rng.chance(1, 3) || listed.files.is_empty() {
        let (folder, ext, text): (&str, &str, &[u8]) = match rng.weighted(&[4, 1, 1, 1]) {
            0 => (["static", "static/files"][rng.below(2)], ".txt", b"a static file\n"),
            1 => ("content/pages", ".md", b"---\ntitle: A page\n---\nBody.\n"),
            2 => ("content/reviews", ".md", b"---\ntitle: A review\n---\nBody.\n"),
            _ => ("templates", ".html", b"<p>a template</p>\n"),
        };
        let at = Path::new(folder).join(OsString::from_vec(hostile_name(rng, target.tag, ext)));
        if fs::symlink_metadata(site.join(&at)).is_ok() {
            return Ok(None);
        }
        fs::create_dir_all(site.join(folder))?;
        fs::write(site.join(&at), text)?;
        return Ok(Some(Applied { what: format!("names: add {}", show(&at)), touched: vec![at] }));
    }
    let folder_too = rng.chance(1, 5) && !listed.dirs.is_empty();
    let Some(from) = (if folder_too { rng.pick(&listed.dirs).cloned() } else { pick_file(rng, &listed.files) }) else {
        return Ok(None);
    };
    let parent = from.parent().unwrap_or(Path::new("")).to_path_buf();
    let (to, what) = match rng.below(6) {
        0 => {
            let removed =
                if folder_too { fs::remove_dir_all(site.join(&from)) } else { fs::remove_file(site.join(&from)) };
            removed?;
            return Ok(Some(Applied { what: format!("names: delete {}", show(&from)), touched: vec![from] }));
        }
        1 => {
            let folder = FOLDERS[rng.below(FOLDERS.len())];
            let name = from.file_name().map(PathBuf::from).unwrap_or_default();
            (Path::new(folder).join(name), "move")
        }
        _ => {
            let name = OsString::from_vec(hostile_name(rng, target.tag, &extension_of(&from)));
            (parent.join(name), "rename")
        }
    };
    if to == from || fs::symlink_metadata(site.join(&to)).is_ok() {
        return Ok(None);
    }
    if let Some(folder) = site.join(&to).parent() {
        fs::create_dir_all(folder)?;
    }
    fs::rename(site.join(&from), site.join(&to))?;
    Ok(Some(Applied { what: format!("names: {what} {} to {}", show(&from), show(&to)), touched: vec![from, to] }))
}

/// Replaces a file or folder with a symbolic link, or adds one: to a secret or folder beside
/// the site (relative or absolute), to the process's environment, to an endless device, to a
/// FIFO outside, to a file or folder of the site, to the output, dangling, or in a loop.
pub fn links(target: &Target, rng: &mut Rng) -> io::Result<Option<Applied>> {
    let site = target.site();
    let listed = entries(&site);
    let replace_dir = rng.chance(1, 4) && !listed.dirs.is_empty();
    let at = match rng.below(3) {
        0 => {
            let folder = FOLDERS[rng.below(FOLDERS.len())];
            let ext = if folder.starts_with("content") { ".md" } else { ".txt" };
            Path::new(folder).join(format!("linked{ext}"))
        }
        _ if replace_dir => rng.pick(&listed.dirs).cloned().unwrap_or_default(),
        _ => match pick_file(rng, &listed.files) {
            Some(file) => file,
            None => return Ok(None),
        },
    };
    if at.as_os_str().is_empty() {
        return Ok(None);
    }
    // From the link's folder up to T: one `..` a folder below the site root, and one more.
    let up = "../".repeat(at.components().count());
    let t = &target.layout.root;
    let inside = rng.pick(&listed.files).cloned().unwrap_or_else(|| PathBuf::from("critique.toml"));
    let (label, link_to): (&str, PathBuf) = match rng.below(14) {
        0 => ("the secret, relative", PathBuf::from(format!("{up}outside/secret.txt"))),
        1 => ("the secret, absolute", t.join("outside/secret.txt")),
        2 => ("the outside folder, relative", PathBuf::from(format!("{up}outside/folder"))),
        3 => ("the outside folder, absolute", t.join("outside/folder")),
        4 => ("the process's environment", PathBuf::from("/proc/self/environ")),
        5 => ("an endless device", PathBuf::from("/dev/zero")),
        6 => ("a FIFO outside", PathBuf::from(format!("{up}outside/pipe"))),
        7 => ("a file of the site", PathBuf::from(format!("{}{}", &up[3..], inside.display()))),
        8 => ("the site's content folder", PathBuf::from(format!("{}content", &up[3..]))),
        9 => ("the output", PathBuf::from(format!("{}public", &up[3..]))),
        10 => ("nothing (dangling)", PathBuf::from("does-not-exist.md")),
        11 => ("its own folder (a loop)", PathBuf::from(".")),
        12 => ("itself (a loop)", PathBuf::from(at.file_name().unwrap_or_default())),
        _ => ("the folder holding the site", PathBuf::from(format!("{up}.."))),
    };
    let path = site.join(&at);
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(&path)?,
        Ok(_) => fs::remove_file(&path)?,
        Err(_) => {
            if let Some(folder) = path.parent() {
                fs::create_dir_all(folder)?;
            }
        }
    }
    symlink(&link_to, &path)?;
    let shown = link_to.to_string_lossy().replace(&*t.to_string_lossy(), "T");
    Ok(Some(Applied { what: format!("links: {} -> {shown} ({label})", show(&at)), touched: vec![at] }))
}

/// Replaces a file with a FIFO or a socket, or adds one.
pub fn special(target: &Target, rng: &mut Rng) -> io::Result<Option<Applied>> {
    let site = target.site();
    let at = match rng.pick(&entries(&site).files) {
        Some(file) if rng.chance(1, 2) => file.clone(),
        _ => {
            let folder = FOLDERS[rng.below(FOLDERS.len())];
            let ext = if folder.starts_with("content") { ".md" } else { ".html" };
            Path::new(folder).join(format!("special{ext}"))
        }
    };
    let path = site.join(&at);
    let fifo = rng.chance(2, 3) && have_mkfifo();
    if fs::symlink_metadata(&path).is_ok() {
        fs::remove_file(&path)?;
    } else if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)?;
    }
    let kind = if fifo {
        mkfifo(&path)?;
        "FIFO"
    } else {
        // A socket's path has a short length limit: a mutant in a deep folder may not get one.
        match std::os::unix::net::UnixListener::bind(&path) {
            Ok(listener) => {
                drop(listener);
                "socket"
            }
            Err(_) => {
                fs::write(&path, b"")?;
                "empty file (its path is too long for a socket)"
            }
        }
    };
    Ok(Some(Applied { what: format!("special: {} is a {kind}", show(&at)), touched: vec![at] }))
}

/// Empties a file, or pads it to just under or just over the size limit with text of one
/// shape (short lines, paragraphs, one fenced block, nested lists, identical headings, broken
/// links).
pub fn sizes(target: &Target, rng: &mut Rng) -> io::Result<Option<Applied>> {
    let site = target.site();
    let Some(rel) = pick_file(rng, &entries(&site).files) else { return Ok(None) };
    let limit = MAX_TEXT_BYTES as usize;
    let (size, how) = match rng.below(3) {
        0 => (0, "empty".to_string()),
        1 if target.max_size < limit => (target.max_size - 1 - rng.below(64), "just under the size cap".to_string()),
        1 => (limit - 1 - rng.below(64), "just under the limit".to_string()),
        _ => (limit + 1 + rng.below(64), "just over the limit".to_string()),
    };
    let shapes: [(&str, &str); 7] = [
        ("short lines", "a b\n"),
        ("paragraphs", "Many words of plain prose that make a long and boring paragraph of text, again.\n"),
        ("a fenced block", "let x = compute(\"value\", 42) + other::call(&mut y);\n"),
        ("nested lists", "- - - - - - - - - - x\n"),
        ("identical headings", "## Same\n\n"),
        ("broken links", "[b](/missing/)\n"),
        ("nested quotes", ">>>>>>>>>>>>>>>>>>>> x\n"),
    ];
    let (shape, unit) = shapes[rng.below(shapes.len())];
    rewrite(&site, &rel, |data| {
        if size < data.len() {
            data.truncate(size);
            return;
        }
        if shape == "a fenced block" {
            data.extend_from_slice(b"\n```rust\n");
        }
        while data.len() < size {
            let room = size - data.len();
            data.extend_from_slice(&unit.as_bytes()[..unit.len().min(room)]);
        }
    })?;
    let what = if size == 0 { how } else { format!("{how} ({size} bytes) with {shape}") };
    Ok(Some(Applied { what: format!("sizes: {} {what}", show(&rel)), touched: vec![rel] }))
}
