//! URL schemes as a browser reads them: the one classifier behind the URL fields of front
//! matter and the configuration, Markdown links and images, and the raw-HTML check. A
//! browser drops leading and trailing controls and spaces, and tabs and line breaks anywhere,
//! before it reads a scheme case-blind, so `" JaVa\tScript:"` is `javascript:` here too.
//! Character references are the parser's business: the URLs given here are decoded.

use std::borrow::Cow;

/// What a URL leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `http:` or `https:`.
    Web,
    /// `mailto:`.
    Mail,
    /// Another scheme, lowercased, without the colon (`javascript`, `data`, `file`, `tel`).
    Scheme(String),
    /// `//host/…` (or `/\host`, which browsers read alike): another host, in the page's scheme.
    OtherHost,
    /// A path, query or fragment of the page's own site (`/static/x.pdf`, `../x/`, `#top`,
    /// `www.x.org`, which is a relative path too).
    Relative,
}

/// The URL as a browser reads it before parsing: without leading and trailing C0 controls
/// and spaces, and without tabs and line breaks anywhere.
pub fn normalized(url: &str) -> Cow<'_, str> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    if trimmed.contains(['\t', '\n', '\r']) {
        Cow::Owned(trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect())
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// What `url` leads to.
pub fn classify(url: &str) -> Target {
    let url = normalized(url);
    if let Some((scheme, _)) = url.split_once(':')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        let scheme = scheme.to_ascii_lowercase();
        return match scheme.as_str() {
            "http" | "https" => Target::Web,
            "mailto" => Target::Mail,
            _ => Target::Scheme(scheme),
        };
    }
    let mut start = url.chars().take(2);
    if start.next().is_some_and(is_slash) && start.next().is_some_and(is_slash) {
        Target::OtherHost
    } else {
        Target::Relative
    }
}

fn is_slash(c: char) -> bool {
    c == '/' || c == '\\'
}

/// Whether `url`, as a link's target (`image` false) or an image's source, could run script
/// or show a document made by the URL itself: `javascript:`, `vbscript:`, and `data:`, except
/// a raster image in an image. `data:image/svg+xml` counts as unsafe even there: an SVG is a
/// document that can carry script, which an `<img>` does not run today but the same URL
/// opened on its own, or placed by a template in an `<object>` or `<iframe>`, can; an SVG
/// belongs in `static/`, where it is a file of the site.
pub fn is_unsafe(url: &str, image: bool) -> bool {
    match classify(url) {
        Target::Scheme(scheme) => match scheme.as_str() {
            "javascript" | "vbscript" => true,
            "data" => !(image && is_raster_data(&normalized(url))),
            _ => false,
        },
        _ => false,
    }
}

/// Whether a `data:` URL holds an image other than SVG (`data:image/png;base64,…`).
fn is_raster_data(url: &str) -> bool {
    let Some((_, rest)) = url.split_once(':') else { return false };
    let media = rest.split([';', ',']).next().unwrap_or_default().trim().to_ascii_lowercase();
    media.strip_prefix("image/").is_some_and(|subtype| !subtype.is_empty() && subtype != "svg+xml")
}

/// Why `url`, the value of the URL field `field`, cannot be published, with a hint; `None`
/// when it is an `http`, `https` or `mailto` URL, or, where `site_paths` allows, a path on
/// this site starting with `/`.
pub fn field_problem(field: &str, url: &str, site_paths: bool) -> Option<(String, String)> {
    let shown = url.escape_debug();
    let expected = if site_paths {
        "expected an https://, http:// or mailto: URL, or a path on this site starting with `/`"
    } else {
        "expected an https://, http:// or mailto: URL"
    };
    let add_https = || format!("add https:// in front: https://{}", normalized(url).trim_start_matches(['/', '\\']));
    let (what, hint) = match classify(url) {
        Target::Web => {
            let rest = normalized(url);
            let rest = rest.split_once(':').map_or("", |(_, r)| r);
            let host = rest.strip_prefix("//").map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
            if host.is_some_and(|h| !h.is_empty()) {
                return None;
            }
            ("has no host".to_string(), "write the whole address, like https://example.org/page".to_string())
        }
        Target::Mail => return None,
        Target::Relative if site_paths && normalized(url).starts_with('/') => return None,
        Target::Scheme(scheme) => {
            (format!("is a `{scheme}:` link"), "only http, https and mailto links are allowed".to_string())
        }
        Target::OtherHost => ("has no scheme".to_string(), add_https()),
        Target::Relative if looks_like_host(&normalized(url)) => ("has no scheme".to_string(), add_https()),
        Target::Relative if normalized(url).is_empty() => ("is empty".to_string(), "remove the field".to_string()),
        Target::Relative if site_paths => {
            ("is a relative path".to_string(), "start a path on this site with `/` (like /static/file.pdf)".to_string())
        }
        Target::Relative => {
            ("is not an absolute URL".to_string(), "write the whole address, like https://example.org/page".to_string())
        }
    };
    Some((format!("`{field}` {what} (\"{shown}\"): {expected}"), hint))
}

/// Whether a relative reference reads as a host name someone forgot the scheme of
/// (`www.x.org`, `example.org/page`).
fn looks_like_host(url: &str) -> bool {
    let host = url.split(['/', '?', '#']).next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| tld.chars().all(char::is_alphabetic))
}

/// A web address as a browser reads its origin: the host (lowercased, without user, port or
/// a final dot) and the path, for telling whose site a link is on. `None` for anything but an
/// `http:` or `https:` URL with a plain host (one holding `%` is decoded by browsers into
/// something else: not taken at its word).
pub fn web_address(url: &str) -> Option<(String, String)> {
    let url = normalized(url);
    if classify(&url) != Target::Web {
        return None;
    }
    let (_, rest) = url.split_once(':')?;
    // Browsers read `\` as `/` in web URLs, and any number of slashes before the host.
    let rest = rest.trim_start_matches(['/', '\\']);
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(end);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() || host.contains('%') {
        return None;
    }
    let path_end = after.find(['?', '#']).unwrap_or(after.len());
    Some((host, after[..path_end].replace('\\', "/")))
}

/// Whether `url` is on the channel `channel` (both web addresses): on its host, or a
/// subdomain of it when the channel is a whole site; under its path when it names one (an
/// account: `https://x.com/opengradient` covers that account's posts, not every post on the
/// host). Paths compare case-blind, as account names do, once `.` and `..` are resolved as a
/// browser resolves them (`/opengradient/../mallory` is mallory's); `www.` names its host.
pub fn on_channel(url: &str, channel: &str) -> bool {
    let (Some((host, path)), Some((channel_host, channel_path))) = (web_address(url), web_address(channel)) else {
        return false;
    };
    let bare = |h: &str| h.strip_prefix("www.").unwrap_or(h).to_string();
    let (host, channel_host) = (bare(&host), bare(&channel_host));
    let mut account = path_segments(&channel_path);
    // `https://x.com/opengradient/` is the account too; `https://x.org/` the whole site.
    while account.last().is_some_and(String::is_empty) {
        account.pop();
    }
    if account.is_empty() {
        host == channel_host || host.strip_suffix(channel_host.as_str()).is_some_and(|sub| sub.ends_with('.'))
    } else {
        host == channel_host && path_segments(&path).starts_with(&account)
    }
}

/// The segments of an absolute path as a browser resolves it: `.` and `..` (also written
/// `%2e`) taken away with what they undo, the rest lowercased.
fn path_segments(path: &str) -> Vec<String> {
    let mut segments: Vec<String> = Vec::new();
    for segment in path.strip_prefix('/').unwrap_or(path).split('/') {
        let segment = segment.to_ascii_lowercase().replace("%2e", ".");
        match segment.as_str() {
            "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_are_read_for_their_host_as_browsers_do() {
        let read = |u| web_address(u).map(|(h, p)| format!("{h} {p}"));
        assert_eq!(read("https://Example.ORG./a/b?x#y").as_deref(), Some("example.org /a/b"));
        assert_eq!(read("https://example.org@evil.test/p").as_deref(), Some("evil.test /p"));
        assert_eq!(read("http://evil.test:8080\\a").as_deref(), Some("evil.test /a"));
        assert_eq!(read(" https:///x.org").as_deref(), Some("x.org "));
        assert_eq!(read("https://[::1]:80/").as_deref(), Some("::1 /"));
        for none in ["mailto:a@b.c", "/static/x", "https://exa%6dple.org/", "javascript:alert(1)", "https://"] {
            assert_eq!(read(none), None, "{none}");
        }
    }

    #[test]
    fn a_channel_covers_its_site_and_subdomains_or_its_account() {
        assert!(on_channel("https://blog.opengradient.ai/reply", "https://opengradient.ai"));
        assert!(on_channel("https://opengradient.ai/", "https://OpenGradient.ai/"));
        assert!(!on_channel("https://notopengradient.ai/", "https://opengradient.ai"));
        assert!(!on_channel("https://opengradient.ai.evil.test/", "https://opengradient.ai"));
        assert!(!on_channel("https://opengradient.ai@evil.test/", "https://opengradient.ai"));
        assert!(on_channel("https://x.com/OpenGradient/status/1", "https://x.com/opengradient"));
        assert!(!on_channel("https://x.com/mallory/status/1", "https://x.com/opengradient"));
        assert!(!on_channel("https://x.com/opengradientfan/status/1", "https://x.com/opengradient"));
        assert!(!on_channel("https://api.x.com/opengradient", "https://x.com/opengradient"));
        assert!(!on_channel("mailto:team@opengradient.ai", "https://opengradient.ai"));
        for spoof in [
            "https://x.com/opengradient/../mallory/status/1",
            "https://x.com/opengradient/%2e%2E/mallory",
            "https://x.com/opengradient/.%2e/mallory",
            "https://x.com/opengradient\\..\\mallory",
            "https://x.com/opengradient/./../mallory",
            "https://x.com//opengradient/status/1",
        ] {
            assert!(!on_channel(spoof, "https://x.com/opengradient"), "{spoof}");
        }
        assert!(on_channel("https://x.com/mallory/../opengradient/status/2", "https://x.com/opengradient/"));
        assert!(on_channel("https://blog.widget.test/a", "https://www.widget.test"));
        assert!(on_channel("https://www.x.com/opengradient/status/1", "https://x.com/opengradient"));
    }

    #[test]
    fn schemes_are_read_as_browsers_read_them() {
        for url in
            ["javascript:x", "JavaScript:x", " javascript:x", "java\tscript:x", "\u{1}java\nscript:x", "JAVASCRIPT:x"]
        {
            assert_eq!(classify(url), Target::Scheme("javascript".into()), "{url:?}");
        }
        assert_eq!(classify("https://e.org"), Target::Web);
        assert_eq!(classify("HTTP://e.org"), Target::Web);
        assert_eq!(classify("mailto:a@b.c"), Target::Mail);
        assert_eq!(classify("//e.org/x"), Target::OtherHost);
        assert_eq!(classify("/\\e.org/x"), Target::OtherHost);
        for url in ["/static/x.pdf", "../a/", "#top", "www.x.org", "a b:c", "1a:b", ""] {
            assert_eq!(classify(url), Target::Relative, "{url:?}");
        }
    }

    #[test]
    fn scripts_and_documents_are_unsafe_raster_images_are_not() {
        for url in ["javascript:alert(1)", "VBScript:x", "data:text/html,<script>", " data:text/html,x"] {
            assert!(is_unsafe(url, false) && is_unsafe(url, true), "{url:?}");
        }
        assert!(is_unsafe("data:image/png;base64,AAAA", false), "a data: link");
        assert!(!is_unsafe("data:image/png;base64,AAAA", true));
        assert!(!is_unsafe("DATA:Image/GIF,x", true));
        assert!(is_unsafe("data:image/svg+xml,<svg onload=alert(1)>", true));
        assert!(is_unsafe("data:image/SVG+XML;base64,PHN2Zz4=", true));
        assert!(is_unsafe("data:,x", true));
        for url in ["https://e.org", "/x", "tel:+1", "ftp://e.org", "#a"] {
            assert!(!is_unsafe(url, false), "{url:?}");
        }
    }

    #[test]
    fn url_fields_take_web_and_mail_links_and_say_what_is_wrong() {
        let problem = |url: &str, site_paths| field_problem("homepage", url, site_paths);
        for url in ["https://e.org", "http://e.org/a?b#c", "mailto:a@b.c", "HTTPS://E.ORG"] {
            assert_eq!(problem(url, false), None, "{url}");
        }
        assert_eq!(problem("/static/a.pdf", true), None);
        let (message, hint) = problem("/static/a.pdf", false).expect("not on this field");
        assert!(message.contains("`homepage` is not an absolute URL"), "{message}");
        assert!(hint.contains("whole address"), "{hint}");
        let (message, hint) = problem("www.x.org", false).expect("no scheme");
        assert!(message.contains("has no scheme"), "{message}");
        assert_eq!(hint, "add https:// in front: https://www.x.org");
        assert_eq!(problem("//x.org/a", true).expect("no scheme").1, "add https:// in front: https://x.org/a");
        for url in [
            "javascript:alert(1)",
            "JavaScript:x",
            " javascript:x",
            "java\tscript:x",
            "vbscript:x",
            "data:text/html,x",
            "file:///etc/passwd",
        ] {
            let (message, hint) = problem(url, true).expect(url);
            assert!(message.starts_with("`homepage` is a `"), "{message}");
            assert_eq!(hint, "only http, https and mailto links are allowed");
        }
        assert!(problem("java\tscript:x", false).expect("tab").0.contains("java\\tscript:x"), "shown escaped");
        assert!(problem("https://", false).expect("no host").0.contains("has no host"));
        assert!(problem("https:e.org", false).is_some());
        assert!(problem("../a", true).expect("relative").1.contains("start a path"));
    }
}
