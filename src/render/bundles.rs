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
use crate::scheme;

/// A file to publish: where, from which source file, with which bytes.
struct Published<'f> {
    /// Its output path as Markdown finds it (by its page's file name).
    key: String,
    /// Its path below its bundle's folder.
    name: &'f str,
    path: String,
    source: &'f Path,
    bytes: &'f bytes::Bytes,
}

/// The output folder of every published page that has a file, by that file's path.
fn page_folders(site: &Site) -> HashMap<&Path, String> {
    use crate::load::Section;
    let folder = pictures::page_folder;
    let reviews = site.reviews.iter().map(|r| (r.source.path.as_path(), folder(Section::Reviews, &r.slug)));
    let projects = site.projects.iter().map(|p| (p.source.path.as_path(), folder(Section::Projects, &p.slug)));
    let pages = site.pages.iter().map(|p| (p.source.path.as_path(), folder(Section::Pages, &p.slug)));
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
                name: &f.name,
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
    if !site.config.check.allow_unsafe_html {
        let unsafe_files: Vec<Diagnostic> = published
            .iter()
            .filter(|p| runs_script(&p.path, p.bytes))
            .map(|p| {
                Diagnostic::file(p.source, format!("`{}` is a file a browser would run script in, published on the site's own address", p.path))
                    .with_hint("publish a page's HTML, scripts or SVG with script from static/, or, if the site's editors want them from writers, set `allow_unsafe_html = true` under [check] in critique.toml")
                    .with_rule(crate::config::UNSAFE_HTML)
            })
            .collect();
        if !unsafe_files.is_empty() {
            return Err(unsafe_files);
        }
    }
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
    let wanted: Vec<_> = shown
        .into_iter()
        .filter_map(|key| match (pictures.get(key), by_key.get(key)) {
            (Some(Ok(picture)), Some(&file)) => Some((picture, file)),
            _ => None,
        })
        .collect();
    let copies: Vec<Result<(OutputFile, PathBuf), Diagnostic>> = wanted
        .into_par_iter()
        .flat_map_iter(|(picture, (published, source, bytes))| {
            let copies = picture.copies();
            let made = pictures::copies(bytes, picture, &copies, store);
            copies.into_iter().zip(made).filter_map(move |(copy, made)| {
                let path = pictures::copy_name(published, copy)?;
                Some(
                    made.map(|bytes| (OutputFile::new(path, bytes), source.to_path_buf()))
                        .map_err(|e| Diagnostic::file(source, e.to_string()).with_rule("file")),
                )
            })
        })
        .collect();
    let mut out: Vec<(OutputFile, PathBuf)> =
        published.iter().map(|p| (OutputFile::new(p.path.clone(), p.bytes.clone()), p.source.to_path_buf())).collect();
    let mut errors: Vec<Diagnostic> = published.iter().filter_map(written_beside).collect();
    for copy in copies {
        match copy {
            Ok(file) => out.push(file),
            Err(e) => errors.push(e),
        }
    }
    // A file named as a copy of a wide image beside it (`chart-w480.png` beside `chart.png`),
    // or two names one path (`chart.PNG` and `chart.png` share `chart-w480.webp`).
    let mut first: HashMap<&str, &Path> = HashMap::new();
    for (file, source) in &out {
        if let Some(other) = first.insert(file.path.as_str(), source) {
            let message = format!(
                "`{}` is published from {} too: expected another name",
                file.path,
                crate::diagnostic::display_path(other)
            );
            errors.push(
                Diagnostic::file(source, message)
                    .with_hint("a wide image's narrower copies are named `<name>-w<width>.<png, jpg or webp>`: rename the file that takes one's name")
                    .with_rule("output"),
            );
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// The files the build writes in a page's folder: a bundle's file cannot take their names.
const WRITTEN_BESIDE: [&str; 4] = ["index.html", "index.json", "feed.xml", crate::urls::CARD_FILE];

/// The error of a bundle file named as a file the build writes beside its page.
fn written_beside(file: &Published<'_>) -> Option<Diagnostic> {
    WRITTEN_BESIDE.contains(&file.name).then(|| {
        let message = format!("`{}` is a file the build writes beside every page: expected another name", file.path);
        Diagnostic::file(file.source, message).with_rule("output")
    })
}

/// Whether a browser opening the bundle file at `path` could run script in it, on the site's
/// address: HTML, XML (which may be XHTML or style itself with XSLT), a script, or an SVG with a
/// script, an event handler, a script URL or `<foreignObject>` (which holds HTML). Writers are
/// not trusted with script (SECURITY.md): what their raw HTML may not hold, their files may not.
fn runs_script(path: &str, bytes: &[u8]) -> bool {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" | "xhtml" | "xht" | "shtml" | "mht" | "mhtml" | "xml" | "xsl" | "xslt" | "xsd" | "rss"
        | "atom" | "rdf" | "mml" | "xul" | "js" | "mjs" | "cjs" | "svgz" => true,
        "svg" => svg_runs_script(bytes),
        _ => false,
    }
}

/// Whether an SVG could run script when opened: one that does not parse counts as one that could.
fn svg_runs_script(bytes: &[u8]) -> bool {
    use resvg::usvg::roxmltree;
    let Ok(text) = std::str::from_utf8(bytes) else { return true };
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() };
    let Ok(document) = roxmltree::Document::parse_with_options(text, options) else { return true };
    const XHTML: &str = "http://www.w3.org/1999/xhtml";
    document.descendants().filter(|n| n.is_element()).any(|n| {
        // An XHTML element (an `<iframe srcdoc>`, a `<script>`) is made as HTML when the SVG is
        // opened as a document. Other namespaces' elements (an editor's metadata: RDF,
        // Inkscape's) are inert.
        if n.tag_name().namespace() == Some(XHTML) {
            return true;
        }
        let name = n.tag_name().name().to_ascii_lowercase();
        // An animation of a link's target can make it a script URL.
        let animates_href = matches!(name.as_str(), "set" | "animate")
            && n.attributes().any(|a| a.name().eq_ignore_ascii_case("attributeName") && a.value().contains("href"));
        matches!(name.as_str(), "script" | "foreignobject" | "handler" | "listener")
            || animates_href
            || n.attributes()
                .any(|a| a.name().to_ascii_lowercase().starts_with("on") || scheme::is_unsafe(a.value(), true))
    })
}
