//! Links: every link and image in a Markdown body that points into the site must reach a
//! generated file, and its `#fragment` an id on that page. Checked against the rendered
//! output itself, so headings, claims (`#claim-…`) and questions (`#q-…`) all count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, closest};
use crate::parse::LeftOut;
use crate::urls::percent_decode;

use super::Document;

/// A link that leaves the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ExternalLink {
    /// The file holding it.
    pub path: PathBuf,
    /// Its line in that file.
    pub line: usize,
    /// The target.
    pub url: String,
    /// Its column (in characters), 0 when not known.
    #[serde(skip)]
    pub col: usize,
    /// What it is to the content, which decides how much a dead one matters.
    #[serde(skip)]
    pub role: LinkRole,
}

/// What an external link is to the content.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkRole {
    /// A link in the text, or a field such as a homepage or a profile's links.
    #[default]
    Link,
    /// The address of evidence (a claim's source, a question's evidence, a reply's or an
    /// event's source), with its archived copy if it names one.
    Evidence {
        /// The copy readers can fall back on.
        archived: Option<String>,
    },
    /// The archived copy of the evidence at `of`.
    Copy {
        /// The address it is a copy of.
        of: String,
    },
}

/// What the link check needs of the output: every file's path, and the element ids of the
/// pages that links with a `#fragment` point to (and only those: a build never holds all its
/// pages at once).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutputIndex {
    /// Every output file, by path below the output root.
    pub files: BTreeSet<String>,
    /// The `id`s of each fragment target's elements, by the target's path.
    pub ids: BTreeMap<String, BTreeSet<String>>,
}

/// The output files that internal links with a `#fragment` reach, given every output path.
pub(super) fn fragment_targets(docs: &[Document<'_>], files: &BTreeSet<String>) -> BTreeSet<String> {
    docs.iter()
        .flat_map(|doc| doc.links.fragment_links.iter().map(move |&i| (doc, &doc.links.links[i].url)))
        .filter_map(|(doc, url)| target(&doc.links.page, url, files).ok())
        .filter(|(_, fragment)| !fragment.is_empty())
        .map(|(file, _)| file)
        .collect()
}

/// Whether `url` is an internal link with a `#fragment`, whose target's ids the check needs.
pub(super) fn has_fragment(url: &str) -> bool {
    url.contains('#') && !is_external(url)
}

/// How many broken links of one run get a "did you mean".
const MAX_GUESSES: usize = 100;

/// Broken internal links as errors, and every external link.
pub(super) fn check(docs: &[Document<'_>], index: &OutputIndex) -> (Vec<Diagnostic>, Vec<ExternalLink>) {
    let mut broken = Vec::new();
    let mut external = Vec::new();
    let mut guesses = MAX_GUESSES;
    for doc in docs {
        for link in &doc.links.links {
            let (url, line) = (&link.url, link.line);
            if is_external(url) {
                let (path, col, role) = (doc.source.path.clone(), link.col, LinkRole::Link);
                external.push(ExternalLink { path, line, url: url.clone(), col, role });
                continue;
            }
            if let Err(problem) = resolve(&doc.links.page, url, index) {
                let written = link.written.as_deref().unwrap_or(url);
                // A guess searches the whole site: a flood of broken links gets the first few.
                let hint = (guesses > 0).then(|| closest_target(&doc.links.page, url, index)).flatten();
                guesses = guesses.saturating_sub(1);
                let hint = hint.map(|t| format!("did you mean `{t}`?"));
                broken.push(
                    Diagnostic::at(&doc.source.path, line, link.col, format!("broken link `{written}`: {problem}"))
                        .with_optional_hint(hint)
                        .with_rule("broken-link"),
                );
            }
        }
    }
    (broken, external)
}

/// What a broken `url` on `page` most likely meant: the closest id on its page for a missing
/// `#fragment` (a heading, `claim-…`, `q-…`), else the closest page or file of the site.
fn closest_target(page: &str, url: &str, index: &OutputIndex) -> Option<String> {
    let (path, _) = url.split_once('#').unwrap_or((url, ""));
    if let Ok((file, fragment)) = target(page, url, &index.files) {
        let ids = index.ids.get(&file)?;
        let id = closest(&fragment, ids.iter().map(String::as_str))?;
        return Some(format!("{path}#{id}"));
    }
    let (candidates, _) = candidates(page, url).ok()?;
    let wanted = candidates.first()?.trim_end_matches("index.html");
    // A page for a page, a file (`x.png`) for a file.
    let is_page = |path: &str| path.is_empty() || path.ends_with('/');
    let files = index.files.iter().map(|f| f.trim_end_matches("index.html")).filter(|f| is_page(f) == is_page(wanted));
    closest(wanted, files).map(|file| format!("/{file}"))
}

/// The web addresses of the front matter: a project's `homepage`, channels, status page and
/// post-mortems and a profile's links, each at the first line holding it; and evidence (a
/// claim's, a question's, a reply's or an event's source, with its archived copy) where it is.
pub(super) fn field_links(site: &crate::model::Site) -> Vec<ExternalLink> {
    use crate::parse::matter::Evidence;
    let mut found = Vec::new();
    let mut add = |source: &crate::parse::Located, urls: Vec<&str>, evidence: Vec<&Evidence>| {
        let urls: Vec<&str> = urls.into_iter().filter(|u| is_external(u)).collect();
        let lines = source.lines_of(&urls);
        let path = &source.path;
        found.extend(urls.into_iter().zip(lines).map(|(url, line)| ExternalLink {
            path: path.clone(),
            line,
            url: url.to_string(),
            col: 0,
            role: LinkRole::Link,
        }));
        let copies: Vec<&str> = evidence.iter().filter_map(|e| e.archived.as_deref()).collect();
        let mut copy_lines = source.lines_of(&copies).into_iter();
        for e in evidence {
            let ((line, col), archived) = (e.at, e.archived.clone());
            let copy_line = archived.as_ref().and_then(|_| copy_lines.next());
            if is_external(&e.url) {
                let role = LinkRole::Evidence { archived: archived.clone() };
                found.push(ExternalLink { path: path.clone(), line, url: e.url.clone(), col, role });
            }
            if let Some(copy) = archived.filter(|a| is_external(a)) {
                let line = copy_line.filter(|&l| l > 0).unwrap_or(line);
                let role = LinkRole::Copy { of: e.url.clone() };
                found.push(ExternalLink { path: path.clone(), line, url: copy, col: 0, role });
            }
        }
    };
    for project in &site.projects {
        let accountability = project.accountability.iter().flat_map(|a| [&a.status_page, &a.postmortems]);
        let urls = project
            .homepage
            .iter()
            .map(String::as_str)
            .chain(project.channels.iter().map(String::as_str))
            .chain(accountability.flatten().map(|u| u.value.as_str()))
            .collect();
        let claims = project.claims.iter().filter_map(|c| c.source.as_ref());
        add(&project.source, urls, claims.chain(project.events.iter().filter_map(|e| e.source.as_ref())).collect());
    }
    for review in &site.reviews {
        add(&review.source, Vec::new(), review.questions.iter().filter_map(|q| q.evidence.as_ref()).collect());
    }
    for response in &site.responses {
        add(&response.source, Vec::new(), response.published_at.iter().collect());
    }
    for profile in &site.profiles {
        add(&profile.source, profile.links.iter().map(String::as_str).collect(), Vec::new());
    }
    found
}

/// Broken links to the page of a review this run left out (a draft, or one dated in the
/// future) say so, and what to do: the link is broken in this output, but not mistyped.
pub(super) fn explain_left_out(found: &mut [Diagnostic], site: &crate::model::Site) {
    if site.left_out.is_empty() {
        return;
    }
    let pages: std::collections::HashMap<String, &(PathBuf, LeftOut)> = site
        .left_out
        .iter()
        .filter_map(|entry| Some((format!("/reviews/{}", entry.0.file_stem()?.to_str()?), entry)))
        .collect();
    for d in found.iter_mut().filter(|d| d.rule.as_deref() == Some("broken-link")) {
        // The target as the message names it: `no page `/x/``, or `no page or file `/x``.
        let target = ["no page `", "no page or file `"]
            .iter()
            .find_map(|lead| d.message.split_once(lead))
            .and_then(|(_, rest)| rest.split_once('`'))
            .map(|(page, _)| page.trim_end_matches('/'));
        let Some((path, why)) = target.and_then(|page| pages.get(page)) else { continue };
        let file = crate::diagnostic::display_path(path);
        let (hint, flag) = match why {
            LeftOut::Draft => (format!("{file} is a draft, left out of this build"), "--drafts"),
            LeftOut::Future => (format!("{file} is dated in the future, and published on its day"), "--future"),
        };
        d.hint = Some(format!("{hint}: link to it once it is published, or build with `{flag}`").into_boxed_str());
        d.related = Box::new([path.clone()]);
    }
}

fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        })
}

/// Checks that `url`, written on the page `page` (below the base, `reviews/x/`), reaches a
/// file and, when it has a fragment, an element with that id.
fn resolve(page: &str, url: &str, index: &OutputIndex) -> Result<(), String> {
    let (file, fragment) = target(page, url, &index.files)?;
    if !fragment.is_empty() && !index.ids.get(&file).is_some_and(|ids| ids.contains(&fragment)) {
        return Err(format!("no `#{fragment}` on `/{}`", file.trim_end_matches("index.html")));
    }
    Ok(())
}

/// The output file `url` (written on the page `page`) reaches, and its decoded fragment.
fn target(page: &str, url: &str, files: &BTreeSet<String>) -> Result<(String, String), String> {
    let (candidates, fragment) = candidates(page, url)?;
    let found = candidates.iter().find(|c| files.contains(c.as_str()));
    match (found, candidates.as_slice()) {
        (Some(file), _) => Ok((file.clone(), fragment)),
        (None, [page]) => Err(format!("no page `/{}` in the site", page.trim_end_matches("index.html"))),
        (None, [file, ..]) => Err(format!("no page or file `/{file}` in the site")),
        (None, []) => Err("it leads nowhere".to_string()),
    }
}

/// The output files `url` (written on the page `page`) may name, in the order they are tried
/// (a path without a trailing `/` is a file, or else a folder's page), and its decoded fragment.
fn candidates(page: &str, url: &str) -> Result<(Vec<String>, String), String> {
    let (rest, fragment) = url.split_once('#').unwrap_or((url, ""));
    let fragment = percent_decode(fragment).unwrap_or_else(|| fragment.to_string());
    let raw_path = rest.split('?').next().unwrap_or_default();
    let decoded_path = percent_decode(raw_path).unwrap_or_else(|| raw_path.to_string());
    let path = decoded_path.as_str();
    // Zola's `@/` names a content file; one that leads to no page is not a path of the site.
    if path.starts_with("@/") {
        return Err(
            "it names no content file that has a page: expected `@/reviews/….md`, `@/projects/….md` or `@/pages/….md`"
                .into(),
        );
    }
    if path.is_empty() {
        return Ok((vec![format!("{page}index.html")], fragment));
    }
    let joined = match path.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{page}{path}"),
    };
    let normal = crate::urls::normalize(&joined).ok_or("it climbs above the site's root")?;
    let candidates = if normal.is_empty() || normal.ends_with('/') {
        vec![format!("{normal}index.html")]
    } else {
        let page = format!("{normal}/index.html");
        vec![normal, page]
    };
    Ok((candidates, fragment))
}

/// The output paths whose presence (or, for a file that a `#fragment` reaches, whose ids)
/// decides whether the internal links of `links` (on its page) are broken: the check of a file
/// whose probes are all as they were has the same outcome.
pub(super) fn probes(links: &super::PageLinks) -> Vec<String> {
    links
        .links
        .iter()
        .filter(|link| !is_external(&link.url))
        .filter_map(|link| candidates(&links.page, &link.url).ok())
        .flat_map(|(candidates, _)| candidates)
        .collect()
}

/// The values of every `id="…"` attribute in generated HTML.
pub fn element_ids(html: &[u8]) -> BTreeSet<String> {
    let html = String::from_utf8_lossy(html);
    html.match_indices(" id=\"")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_absolute_relative_and_fragments() {
        let index = OutputIndex {
            files: ["reviews/a/index.html", "reviews/b/index.html", "style.css"].map(String::from).into(),
            ids: [("reviews/a/index.html".to_string(), ["top".to_string()].into())].into(),
        };
        let ok = |page, url| resolve(page, url, &index);
        assert!(ok("reviews/b/", "/reviews/a/").is_ok());
        assert!(ok("reviews/b/", "../a/#top").is_ok());
        assert!(ok("reviews/a/", "#top").is_ok());
        assert!(ok("reviews/b/", "/reviews/a").is_ok(), "no trailing slash");
        assert!(ok("reviews/b/", "/style.css").is_ok());
        assert!(ok("reviews/b/", "/reviews/c/").is_err());
        assert!(ok("reviews/b/", "/reviews/a/#nope").is_err());
        assert!(ok("reviews/b/", "../../../x").is_err());
        assert!(ok("reviews/b/", "#missing").is_err());
        assert!(ok("reviews/b/", "/reviews/a/#t%6Fp").is_ok(), "escaped anchors are decoded");
        assert!(ok("reviews/b/", "/st%79le.css").is_ok(), "escaped paths are decoded");
    }

    #[test]
    fn external_links_are_recognised() {
        for url in ["https://e.org", "mailto:a@b.c", "//cdn.e.org/x", "tel:+1"] {
            assert!(is_external(url), "{url}");
        }
        for url in ["/reviews/", "../a/", "#x", "a:b/c"] {
            assert_eq!(is_external(url), url == "a:b/c", "{url}");
        }
    }

    #[test]
    fn finds_element_ids() {
        let ids = element_ids(b"<h2 id=\"a\">x</h2><li id=\"q-1\" class=\"c\">");
        assert_eq!(ids, ["a".to_string(), "q-1".to_string()].into());
    }
}
