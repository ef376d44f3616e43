//! The fingerprint of a build: one number for everything its output depends on (every file
//! read, the options, the day, and critique itself), so that a build whose inputs and output
//! are both as the last build left them can say so instead of doing it again.

use std::hash::{Hash, Hasher};

use crate::SiteOptions;
use crate::date::Date;
use crate::load::SiteFiles;

/// The fingerprint of building `files` with `options` on `today`. It changes with any byte
/// of any file read, with the options and the day (pages count the days questions waited),
/// and with the running executable (its theme and code are inputs too).
pub fn of(files: &SiteFiles, options: &SiteOptions, today: Date) -> u64 {
    let mut hasher = crate::hash::ContentHasher::default();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    executable_identity().hash(&mut hasher);
    (options.drafts, options.future, &options.base_url, today.to_string()).hash(&mut hasher);
    files.config.hash(&mut hasher);
    for file in &files.content {
        (&file.path, file.section as u8, &file.slug, &*file.text).hash(&mut hasher);
    }
    for asset in files.templates.iter().chain(&files.static_files) {
        (&asset.name, &asset.path, &asset.bytes).hash(&mut hasher);
    }
    // A page bundle's files: published, and its images' sizes are in its page.
    files.bundle_files.len().hash(&mut hasher);
    for file in &files.bundle_files {
        (file.section as u8, &file.slug, &file.owner, &file.name, &file.path, &file.bytes[..]).hash(&mut hasher);
    }
    files.project_files.hash(&mut hasher);
    hasher.finish()
}

/// The running executable's path, size and modification time: a rebuilt critique is another
/// program, whose output may differ.
fn executable_identity() -> Option<(std::path::PathBuf, u64, std::time::SystemTime)> {
    let path = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&path).ok()?;
    Some((path, meta.len(), meta.modified().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Section, SourceFile};

    fn files(text: &str) -> SiteFiles {
        SiteFiles {
            config: Some("title = \"x\"\n".into()),
            content: vec![SourceFile {
                path: "content/reviews/a.md".into(),
                section: Section::Reviews,
                slug: "a".into(),
                text: text.into(),
            }],
            ..SiteFiles::default()
        }
    }

    #[test]
    fn every_input_changes_the_fingerprint() {
        let day = Date::parse("2026-11-25").expect("date");
        let next = Date::parse("2026-11-26").expect("date");
        let options = SiteOptions::default();
        let base = of(&files("a"), &options, day);
        assert_eq!(base, of(&files("a"), &options, day), "stable");
        assert_ne!(base, of(&files("b"), &options, day), "content");
        assert_ne!(base, of(&files("a"), &options, next), "day");
        assert_ne!(base, of(&files("a"), &SiteOptions { drafts: true, ..SiteOptions::default() }, day), "drafts");
        let mut with_static = files("a");
        with_static.static_files.push(crate::load::SiteAsset {
            name: "x.css".into(),
            path: "static/x.css".into(),
            bytes: b"x".to_vec(),
        });
        assert_ne!(base, of(&with_static, &options, day), "static files");
        let bundled = |bytes: &'static [u8]| {
            let mut files = files("a");
            files.bundle_files.push(crate::load::BundleFile {
                section: Section::Reviews,
                slug: "a".into(),
                owner: "content/reviews/a/index.md".into(),
                name: "chart.png".into(),
                path: "content/reviews/a/chart.png".into(),
                bytes: bytes::Bytes::from_static(bytes),
            });
            of(&files, &options, day)
        };
        assert_ne!(base, bundled(b"x"), "a bundle's file");
        assert_ne!(bundled(b"x"), bundled(b"y"), "a bundle file's bytes");
    }
}
