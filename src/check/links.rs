//! Links: every link and image in a Markdown body that points into the site must reach a
//! generated file, and its `#fragment` an id on that page. Checked against the rendered
//! output itself, so headings, claims (`#claim-…`) and questions (`#q-…`) all count.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::render::{OutputFile, percent_decode};

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
}

/// Broken internal links as errors, and every external link.
pub(super) fn check(docs: &[Document<'_>], outputs: &[&OutputFile]) -> (Vec<Diagnostic>, Vec<ExternalLink>) {
    let pages: BTreeMap<&str, &OutputFile> = outputs.iter().map(|f| (f.path.as_str(), *f)).collect();
    let files: BTreeSet<&str> = pages.keys().copied().collect();
    // Ids are read only from pages that a link with a `#fragment` points to, once each.
    let ids: RefCell<BTreeMap<&str, BTreeSet<&str>>> = RefCell::new(BTreeMap::new());
    let has_id = |target: &str, fragment: &str| {
        let Some(file) = pages.get(target) else { return false };
        let mut cache = ids.borrow_mut();
        let set = cache
            .entry(file.path.as_str())
            .or_insert_with(|| element_ids(std::str::from_utf8(&file.bytes).unwrap_or_default()));
        set.contains(fragment)
    };
    let mut broken = Vec::new();
    let mut external = Vec::new();
    for doc in docs {
        for (url, line) in &doc.links {
            if is_external(url) {
                external.push(ExternalLink { path: doc.source.path.clone(), line: *line, url: url.clone() });
                continue;
            }
            if let Err(problem) = resolve(&doc.page, url, &files, &has_id) {
                broken.push(
                    Diagnostic::at(&doc.source.path, *line, 0, format!("broken link `{url}`: {problem}"))
                        .with_rule("broken-link"),
                );
            }
        }
    }
    (broken, external)
}

fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        })
}

/// Checks that `url`, written on the page `page` (below the base, `reviews/x/`), reaches a
/// file and, when it has a fragment, an element with that id.
fn resolve(page: &str, url: &str, files: &BTreeSet<&str>, has_id: &dyn Fn(&str, &str) -> bool) -> Result<(), String> {
    let (rest, fragment) = url.split_once('#').unwrap_or((url, ""));
    let decoded_fragment = percent_decode(fragment).unwrap_or_else(|| fragment.to_string());
    let fragment = decoded_fragment.as_str();
    let raw_path = rest.split('?').next().unwrap_or_default();
    let decoded_path = percent_decode(raw_path).unwrap_or_else(|| raw_path.to_string());
    let path = decoded_path.as_str();
    let target = if path.is_empty() {
        format!("{page}index.html")
    } else {
        let joined = match path.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("{page}{path}"),
        };
        let normal = normalize(&joined).ok_or("it climbs above the site's root")?;
        if normal.is_empty() || normal.ends_with('/') {
            format!("{normal}index.html")
        } else if files.contains(normal.as_str()) {
            normal
        } else if files.contains(format!("{normal}/index.html").as_str()) {
            format!("{normal}/index.html")
        } else {
            return Err(format!("no page or file `/{normal}` in the site"));
        }
    };
    if !files.contains(target.as_str()) {
        return Err(format!("no page `/{}` in the site", target.trim_end_matches("index.html")));
    }
    if !fragment.is_empty() && !has_id(&target, fragment) {
        return Err(format!("no `#{fragment}` on `/{}`", target.trim_end_matches("index.html")));
    }
    Ok(())
}

/// `a/./b/../c/` → `a/c/`; `None` when `..` leaves the root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// The values of every `id="…"` attribute in generated HTML.
fn element_ids(html: &str) -> BTreeSet<&str> {
    html.match_indices(" id=\"")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_absolute_relative_and_fragments() {
        let files: BTreeSet<&str> = ["reviews/a/index.html", "reviews/b/index.html", "style.css"].into();
        let ids: BTreeMap<&str, BTreeSet<&str>> =
            [("reviews/a/index.html", ["top"].into()), ("reviews/b/index.html", BTreeSet::new())].into();
        let has_id = |target: &str, fragment: &str| ids.get(target).is_some_and(|set| set.contains(fragment));
        let ok = |page, url| resolve(page, url, &files, &has_id);
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
        let ids = element_ids("<h2 id=\"a\">x</h2><li id=\"q-1\" class=\"c\">");
        assert_eq!(ids, ["a", "q-1"].into());
    }
}
