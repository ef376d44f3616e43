//! The shapes of single configuration values: a key, a language tag, the base URL.

use crate::scheme::{self, Target};

/// A key as used in front matter: non-empty, lowercase ASCII, digits, `-`, `_`.
pub(super) fn is_key(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// A language tag's shape (BCP 47): a primary subtag of letters, then subtags of letters and
/// digits, each of at most 8, joined by `-` (`en`, `pt-BR`, `zh-Hant-TW`). It is written into
/// every page's `lang` and the feeds' `xml:lang`.
pub(super) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let subtag = |s: &str, letters_only: bool| {
        (1..=8).contains(&s.len())
            && s.bytes().all(|b| if letters_only { b.is_ascii_alphabetic() } else { b.is_ascii_alphanumeric() })
    };
    parts.next().is_some_and(|primary| subtag(primary, true)) && parts.all(|s| subtag(s, false))
}

/// An absolute http(s) URL with a host, ending in `/`; or why not, with a hint.
pub(super) fn normalize_base_url(url: &str) -> Result<String, (String, Option<String>)> {
    let url = url.trim();
    let shown = url.escape_debug();
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") => {
            (scheme.to_ascii_lowercase(), rest)
        }
        _ => {
            let message =
                format!("invalid base_url `{shown}`: expected an absolute URL starting with https:// or http://");
            let hint = match scheme::classify(url) {
                Target::Scheme(_) | Target::Mail => {
                    Some("only http and https are allowed: the site is served from a web address".to_string())
                }
                _ => scheme::field_problem("base_url", url, false).map(|(_, hint)| hint),
            };
            return Err((message, hint));
        }
    };
    let host = rest.split('/').next().unwrap_or_default();
    // The URL is written into every feed, the sitemap, robots.txt and llms.txt as it is.
    let unsafe_char = |c: char| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}?#".contains(c);
    if host.is_empty() || url.contains(unsafe_char) {
        let message = format!(
            "invalid base_url `{shown}`: expected a host and an optional path, like https://example.org/reviews/"
        );
        return Err((message, None));
    }
    let url = format!("{scheme}://{rest}");
    Ok(if url.ends_with('/') { url } else { format!("{url}/") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_bcp_47_shaped() {
        for good in ["en", "pt-BR", "zh-Hant-TW", "x-private", "de-1996"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "e n", "en\n", "en_US", "toolongtag", "en-", "1en", "en\"x", "en-\u{1}"] {
            assert!(!is_language_tag(bad), "{bad:?}");
        }
    }

    #[test]
    fn base_url_is_an_http_url_that_no_output_can_misread() {
        for bad in [
            "javascript://x/",
            "www.x.org",
            "https://x.org/a b/",
            "https://x.org/\"/",
            "https://x.org/<a>/",
            "https://",
            "https://x.org/?a",
            "ftp://x.org/",
        ] {
            let (message, _) = normalize_base_url(bad).expect_err(bad);
            assert!(message.starts_with("invalid base_url"), "{bad}: {message}");
        }
        assert_eq!(
            normalize_base_url("www.x.org").expect_err("no scheme").1.as_deref(),
            Some("add https:// in front: https://www.x.org")
        );
        let hint = normalize_base_url("javascript:alert(1)").expect_err("script").1;
        assert!(hint.is_some_and(|h| h.starts_with("only http and https")));
        assert_eq!(normalize_base_url("HTTPS://x.org").as_deref(), Ok("https://x.org/"));
        assert_eq!(normalize_base_url(" https://x.org/sub ").as_deref(), Ok("https://x.org/sub/"));
    }
}
