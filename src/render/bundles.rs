//! The files of page bundles, published beside their pages (at the page's address, `slug:`
//! applied), and the narrower copies of the wide images pages show, made in parallel.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cache_store::Store;
use crate::diagnostic::Diagnostic;
use crate::load::SiteFiles;
use crate::model::Site;
use crate::output::OutputFile;
use crate::pictures::{self, Pictures};

/// A file to publish: where, from which source file, with which bytes.
struct Published<'f> {
    /// Its output path as Markdown finds it (by its page's file name).
    key: String,
    path: String,
    source: &'f Path,
    bytes: &'f bytes::Bytes,
}

/// The output folder of every published page that has a file, by that file's path.
fn page_folders(site: &Site) -> HashMap<&Path, String> {
    let reviews = site.reviews.iter().map(|r| (r.source.path.as_path(), format!("reviews/{}/", r.slug)));
    let projects = site.projects.iter().map(|p| (p.source.path.as_path(), format!("projects/{}/", p.slug)));
    let pages = site.pages.iter().map(|p| (p.source.path.as_path(), format!("{}/", p.slug)));
    reviews.chain(projects).chain(pages).collect()
}

fn published<'f>(site: &Site, files: &'f SiteFiles) -> Vec<Published<'f>> {
    if files.bundle_files.is_empty() {
        return Vec::new();
    }
    let folders = page_folders(site);
    files
        .bundle_files
        .iter()
        .filter_map(|f| {
            let folder = folders.get(f.owner.as_path())?;
            Some(Published {
                key: format!("{}{}", pictures::page_folder(f.section, &f.slug), f.name),
                path: format!("{folder}{}", f.name),
                source: &f.path,
                bytes: &f.bytes,
            })
        })
        .collect()
}

/// The bundle files of `site`'s published pages, and the copies of every image a page shows
/// with copies (taken from `store`, else made and kept there), in parallel, each with the
/// path of the file it comes from. A copy that cannot be made (an image that decodes no
/// further than its header) is an error at the image.
pub fn bundle_files(
    site: &Site,
    files: &SiteFiles,
    pictures: &Pictures,
    store: &dyn Store,
) -> Result<Vec<(OutputFile, PathBuf)>, Vec<Diagnostic>> {
    let published = published(site, files);
    // The images by their output path as Markdown finds them (by the page's file name), and
    // where each is published.
    let statics =
        files.static_files.iter().map(|f| (f.name.as_str(), (f.name.as_str(), f.path.as_path(), f.bytes.as_slice())));
    let bundled = published.iter().map(|p| (p.key.as_str(), (p.path.as_str(), p.source, p.bytes.as_ref())));
    let by_key: HashMap<&str, (&str, &Path, &[u8])> = statics.chain(bundled).collect();
    let bodies = site.reviews.iter().map(|r| &r.body).chain(site.projects.iter().map(|p| &p.body));
    let bodies = bodies.chain(site.pages.iter().map(|p| &p.body));
    let covers = site
        .reviews
        .iter()
        .filter_map(|r| r.cover.as_ref())
        .chain(site.projects.iter().filter_map(|p| p.cover.as_ref()));
    let mut shown: Vec<&str> = bodies.flat_map(|b| b.images_with_copies.iter().map(String::as_str)).collect();
    shown.extend(covers.map(|c| c.key.as_str()));
    shown.sort_unstable();
    shown.dedup();
    let mut wanted = Vec::new();
    for key in shown {
        let (Some(Ok(picture)), Some(&(published, source, bytes))) = (pictures.get(key), by_key.get(key)) else {
            continue;
        };
        for copy in picture.copies() {
            if let Some(path) = pictures::copy_name(published, copy) {
                wanted.push((path, source, bytes, picture, copy));
            }
        }
    }
    let copies: Vec<Result<(OutputFile, PathBuf), Diagnostic>> = wanted
        .into_par_iter()
        .map(|(path, source, bytes, picture, copy)| {
            pictures::copy(bytes, picture, copy, store)
                .map(|bytes| (OutputFile::new(path, bytes), source.to_path_buf()))
                .map_err(|e| Diagnostic::file(source, e.to_string()).with_rule("file"))
        })
        .collect();
    let mut out: Vec<(OutputFile, PathBuf)> =
        published.iter().map(|p| (OutputFile::new(p.path.clone(), p.bytes.clone()), p.source.to_path_buf())).collect();
    let mut errors = Vec::new();
    for copy in copies {
        match copy {
            Ok(file) => out.push(file),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// An error for each of `bundled` (output file, source) whose path a page or data file the
/// build writes (`generated`) also has (a bundle's `index.html` or `social-card.png`), or
/// another of `bundled` has: a bundle's `chart-w480.png` beside a wide `chart.png`, whose
/// narrower copy is named so.
pub fn bundle_clashes(
    bundled: &[(OutputFile, PathBuf)],
    generated: &std::collections::BTreeSet<&str>,
) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Path> = HashMap::new();
    let mut errors = Vec::new();
    for (file, source) in bundled {
        if generated.contains(file.path.as_str()) {
            errors.push(
                Diagnostic::file(source, format!("`{}` is a file the build writes: expected another name", file.path))
                    .with_rule("output"),
            );
        } else if let Some(other) = first.insert(file.path.as_str(), source) {
            errors.push(
                Diagnostic::file(
                    source,
                    format!(
                        "`{}` is published from {} too: expected another name",
                        file.path,
                        crate::diagnostic::display_path(other)
                    ),
                )
                .with_hint("a wide image's narrower copies are named `<name>-w<width>.<png, jpg or webp>`: rename the file that takes one's name")
                .with_rule("output"),
            );
        }
    }
    errors
}
