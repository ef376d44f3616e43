//! URLs and output paths of every page, in one place, so links and files always agree and
//! follow the site's base path.

/// The file name of a review's or project's social card, beside its page.
pub const CARD_FILE: &str = "social-card.png";

/// Builds internal links under the site's base path (`/` or `/sub/`).
#[derive(Debug, Clone, Copy)]
pub struct Urls<'a> {
    base_path: &'a str,
}

impl<'a> Urls<'a> {
    /// Links for a site served under `base_path`.
    pub fn new(base_path: &'a str) -> Self {
        Self { base_path }
    }

    /// The home page.
    pub fn home(&self) -> String {
        self.base_path.to_string()
    }

    /// A path below the base (`projects/`), as a link.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// A project's page.
    pub fn project(&self, slug: &str) -> String {
        self.at(&format!("projects/{slug}/"))
    }

    /// The reader's comparison of chosen projects (`?p=a,b` names them).
    pub fn compare(&self) -> String {
        self.at("compare/")
    }

    /// A review's page.
    pub fn review(&self, slug: &str) -> String {
        self.at(&format!("reviews/{slug}/"))
    }

    /// The social card of a review (see [`crate::cards`]).
    pub fn review_card(&self, slug: &str) -> String {
        self.at(&format!("reviews/{slug}/{CARD_FILE}"))
    }

    /// The social card of a project.
    pub fn project_card(&self, slug: &str) -> String {
        self.at(&format!("projects/{slug}/{CARD_FILE}"))
    }

    /// A tag's page.
    pub fn tag(&self, slug: &str) -> String {
        self.at(&format!("tags/{slug}/"))
    }

    /// An author's page.
    pub fn author(&self, slug: &str) -> String {
        self.at(&format!("authors/{slug}/"))
    }

    /// A verdict's page.
    pub fn verdict(&self, key: &str) -> String {
        self.at(&format!("verdicts/{key}/"))
    }

    /// A free page.
    pub fn page(&self, slug: &str) -> String {
        self.at(&format!("{slug}/"))
    }

    /// A URL from front matter as a link: a path on this site (`/static/x.pdf`) under the base
    /// path, any other as written.
    pub fn field(&self, url: &str) -> String {
        rebase_url(url, self.base_path).unwrap_or_else(|| url.to_string())
    }
}

/// A root-relative URL (`/static/x.pdf`) under the site's base path (`/sub/static/x.pdf`);
/// `None` when it stays as it is (another site's, a relative one, or a base path of `/`).
pub fn rebase_url(url: &str, base_path: &str) -> Option<String> {
    (base_path != "/" && url.starts_with('/') && !url.starts_with("//"))
        .then(|| format!("{}{}", base_path.trim_end_matches('/'), url))
}

/// `%XX` escapes of a URL path decoded; `None` for a malformed escape or invalid UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A file's path (`/` separated) as a URL path: every byte but letters, digits, `-`, `.`, `_`,
/// `~` and `/` escaped (`my cover#1.png` → `my%20cover%231.png`), so that a name with a space,
/// `#`, `?`, `%`, `,` or `:` names the file in a `src`, a `srcset` or a shared link alike.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The output file for a clean URL path below the base (`reviews/x/` → `reviews/x/index.html`).
pub fn output_path(path: &str) -> String {
    if path.is_empty() { "index.html".to_string() } else { format!("{path}index.html") }
}

/// The page of the content file a link names (`../other-review.md`, `x.md#scores`, or Zola's
/// `@/reviews/x.md`), written in a file of the content folder `from_dir` (`reviews`):
/// `/reviews/x/`, `/projects/x/`, or a free page's `/x/`, with the link's `#fragment` and
/// `?query` kept. `None` for any other link, or one that climbs out of `content/`.
pub fn source_file_link(url: &str, from_dir: &str) -> Option<String> {
    let end = url.find(['#', '?']).unwrap_or(url.len());
    let (path, rest) = url.split_at(end);
    let stem = path.strip_suffix(".md").or_else(|| path.strip_suffix(".markdown"))?;
    let in_content = match stem.strip_prefix("@/") {
        Some(from_root) => from_root.to_string(),
        None if stem.starts_with('/') || stem.contains(':') || from_dir.is_empty() => return None,
        None => format!("{from_dir}/{stem}"),
    };
    let normal = normalize(&in_content)?;
    let parts: Vec<&str> = normal.split('/').filter(|p| !p.is_empty()).collect();
    Some(format!("{}{rest}", content_page(&parts)?))
}

/// `a/./b/../c/` → `a/c/`; `None` when `..` leaves the root.
pub fn normalize(path: &str) -> Option<String> {
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

/// The page of a content file, by its path's parts below `content/` (`["reviews", "x"]`,
/// without the extension): `/reviews/x/`, `/projects/x/`, or a free page's `/x/`, in whatever
/// folder of its section it is (slugs are unique in a section). A page bundle's `index`
/// (`["reviews", "x", "index"]`) is its folder's page.
fn content_page(parts: &[&str]) -> Option<String> {
    let (section, rest) = parts.split_first()?;
    let slug = match rest {
        [.., slug, "index"] | [.., slug] => *slug,
        [] => return None,
    };
    match *section {
        "reviews" => Some(format!("/reviews/{slug}/")),
        "projects" => Some(format!("/projects/{slug}/")),
        "pages" => Some(format!("/{slug}/")),
        _ => None,
    }
}

/// The page of the content file at `path` below the site root (`content/reviews/x.md` →
/// `/reviews/x/`), for serve to show the page of the file being edited.
pub fn content_file_page(path: &std::path::Path) -> Option<String> {
    let path = path.to_str()?.replace('\\', "/");
    let rest = path.strip_prefix("content/")?;
    let stem = rest.strip_suffix(".md").or_else(|| rest.strip_suffix(".markdown"))?;
    content_page(&stem.split('/').collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_escaped_as_urls() {
        assert_eq!(percent_encode_path("img/a-b_c.~1.png"), "img/a-b_c.~1.png");
        assert_eq!(percent_encode_path("my cover#1,2?%.png"), "my%20cover%231%2C2%3F%25.png");
        assert_eq!(percent_encode_path("javascript:x\"é.png"), "javascript%3Ax%22%C3%A9.png");
        let odd = "a b#c%d,é.png";
        assert_eq!(percent_decode(&percent_encode_path(odd)).as_deref(), Some(odd));
    }

    #[test]
    fn links_follow_the_base_path() {
        let urls = Urls::new("/sub/");
        assert_eq!(urls.review("a"), "/sub/reviews/a/");
        assert_eq!(urls.project("b"), "/sub/projects/b/");
        assert_eq!(urls.compare(), "/sub/compare/");
        assert_eq!(Urls::new("/").page("about"), "/about/");
        assert_eq!(output_path(""), "index.html");
        assert_eq!(output_path("reviews/a/"), "reviews/a/index.html");
    }

    #[test]
    fn links_to_content_files_reach_their_pages() {
        assert_eq!(source_file_link("other.md", "reviews").as_deref(), Some("/reviews/other/"));
        assert_eq!(source_file_link("../projects/p.md#claims", "reviews").as_deref(), Some("/projects/p/#claims"));
        assert_eq!(source_file_link("@/pages/about.md", "reviews").as_deref(), Some("/about/"));
        assert_eq!(source_file_link("./x.markdown?a=1", "projects").as_deref(), Some("/projects/x/?a=1"));
        assert_eq!(source_file_link("../../x.md", "reviews"), None, "above content/");
        // From a page's folder, to a page in another folder of its section, to a folder's page.
        assert_eq!(source_file_link("../y.md", "reviews/x").as_deref(), Some("/reviews/y/"));
        assert_eq!(source_file_link("2024/y.md", "reviews").as_deref(), Some("/reviews/y/"));
        assert_eq!(source_file_link("../z/index.md", "reviews/x").as_deref(), Some("/reviews/z/"));
        assert_eq!(source_file_link("index.md", "reviews").as_deref(), Some("/reviews/index/"));
        assert_eq!(source_file_link("https://e.org/x.md", "reviews"), None);
        assert_eq!(source_file_link("/reviews/x/", "reviews"), None);
        assert_eq!(source_file_link("../notes/x.md", "reviews"), None, "no such section");
        assert_eq!(source_file_link("./.md", "reviews"), None, "no file name");
        let page = |p: &str| content_file_page(std::path::Path::new(p));
        assert_eq!(page("content/reviews/x.md").as_deref(), Some("/reviews/x/"));
        assert_eq!(page("content/pages/about.markdown").as_deref(), Some("/about/"));
        assert_eq!(page("content/reviews/x.md~"), None);
        assert_eq!(page("templates/review.html"), None);
    }
}
