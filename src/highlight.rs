//! Syntax highlighting of fenced code blocks with giallo (TextMate grammars), as CSS classes
//! so that one stylesheet serves light and dark schemes. The grammar registry is loaded once,
//! and only when a page has a fenced block with a language.
//!
//! TextMate grammars match a line with backtracking regular expressions, and every token
//! copies the stack of open scopes: highlighting a line takes time that grows with the square
//! of its length, and each line time that grows with the scopes left open before it. Measured
//! with giallo 0.5: a 1,000-character line of ordinary Rust takes 45 ms, one of `(` in C
//! 450 ms; 10 KB of JSON opening 9,000 `[` takes 19 s, 29 KB of nested `/*` in Rust 26 s. So
//! a page's blocks are highlighted only while their [`cost`] fits in [`PAGE_BUDGET`]; the
//! others are shown escaped, uncoloured.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, mpsc};
use std::time::Duration;

use giallo::{HighlightOptions, HtmlRenderer, Registry, RenderOptions, ThemeVariant};

/// The light colour theme (classes `hl-l-*`).
pub const LIGHT_THEME: &str = "github-light";
/// The dark colour theme (classes `hl-d-*`).
pub const DARK_THEME: &str = "github-dark";
/// The prefix of every highlighting class.
pub const CLASS_PREFIX: &str = "hl-";

/// The built-in grammars and themes, or `None` if they cannot be loaded (code then stays plain).
fn registry() -> Option<&'static Registry> {
    static REGISTRY: OnceLock<Option<Registry>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| {
            let mut registry = Registry::builtin().ok()?;
            registry.link_grammars();
            Some(registry)
        })
        .as_ref()
}

/// What the highlighted blocks of one page may cost together, in the units of [`cost`]: about
/// 0.4 s for the worst lines measured (long lines of `(` in C, of `x=` in shell), 20 ms for
/// ordinary code, which this lets through at about 600 lines of 40 characters.
pub const PAGE_BUDGET: u64 = 2_000_000;

/// Openings nested deeper than this in a block leave it unhighlighted: past it, each line
/// costs time in proportion to the depth (2,000 `[` deep, 2 s for 64 KB of JSON; nested
/// `/*` in Rust, 26 s for 29 KB).
pub const MAX_NESTING: usize = 256;

/// What a line costs beyond its characters (giallo's work per line), in characters.
const LINE_OVERHEAD: u64 = 16;

/// The cost of highlighting `code`: the sum over its lines of the square of their length in
/// bytes plus [`LINE_OVERHEAD`]; `None` when openings nest deeper than [`MAX_NESTING`]. An
/// opening is `(`, `[`, `{`, `<` or `/*`, closed by `)`, `]`, `}`, `>` or `*/`: what opens a
/// scope in the grammars (calls, blocks, tags, generics, comments that nest), counted whatever
/// the language, strings and comments included, so that no grammar's scopes nest deeper.
pub fn cost(code: &str) -> Option<u64> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1)) {
            (b'/', Some(b'*')) => {
                depth += 1;
                i += 1;
            }
            (b'*', Some(b'/')) => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            (b'(' | b'[' | b'{' | b'<', _) => depth += 1,
            (b')' | b']' | b'}' | b'>', _) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_NESTING {
            return None;
        }
        i += 1;
    }
    Some(code.split('\n').map(|line| (line.len() as u64 + LINE_OVERHEAD).pow(2)).sum())
}

/// Whether the registry has a grammar for `language` (and so whether [`highlight`] may
/// colour a block in it).
pub fn knows(language: &str) -> bool {
    registry().is_some_and(|registry| registry.contains_grammar(language))
}

/// How long highlighting the blocks of one body may take in all: the highlighter's regular
/// expressions backtrack, and in some grammars a few dozen bytes take seconds, whatever the
/// bound on cost (C++ `#[#[…` 0.7 s for 61 bytes, Clojure lines of `^` 3 ms a byte). Ordinary
/// code within [`PAGE_BUDGET`] takes a few milliseconds, so only such input reaches this.
pub const BODY_TIME_LIMIT: Duration = Duration::from_millis(500);

/// Highlightings given up on and still running on their threads.
static ABANDONED: AtomicUsize = AtomicUsize::new(0);

/// [`highlight`] on a thread of its own, given up (`None`, and the block shown plain) after
/// `limit`. While a highlighting given up on still runs, no other is started: one such thread
/// at a time takes a core until it ends, and what the site shows meanwhile is plain code.
pub fn highlight_within(code: &str, language: &str, limit: Duration) -> Option<String> {
    if limit.is_zero() || ABANDONED.load(Ordering::Acquire) > 0 {
        return None;
    }
    // 0 running, 1 done, 2 given up on.
    let state = Arc::new(AtomicU8::new(0));
    let (sender, receiver) = mpsc::channel();
    let (code, language, worker_state) = (code.to_string(), language.to_string(), state.clone());
    std::thread::Builder::new()
        .name("highlight".into())
        .spawn(move || {
            let html = highlight(&code, &language);
            if worker_state.compare_exchange(0, 1, Ordering::AcqRel, Ordering::Acquire).is_err() {
                ABANDONED.fetch_sub(1, Ordering::AcqRel);
            }
            // The caller may have stopped waiting.
            let _ = sender.send(html);
        })
        .ok()?;
    match receiver.recv_timeout(limit) {
        Ok(html) => html,
        Err(_) => {
            ABANDONED.fetch_add(1, Ordering::AcqRel);
            if state.compare_exchange(0, 2, Ordering::AcqRel, Ordering::Acquire).is_err() {
                // It ended just now; its result is dropped all the same, for a plain block.
                ABANDONED.fetch_sub(1, Ordering::AcqRel);
            }
            None
        }
    }
}

/// `code` in `language` as highlighted HTML (`<pre>…</pre>`), or `None` for a language the
/// registry does not know, so that the caller renders it plain.
pub fn highlight(code: &str, language: &str) -> Option<String> {
    let registry = registry()?;
    if !registry.contains_grammar(language) {
        return None;
    }
    let options = HighlightOptions::new(language, ThemeVariant::Dual { light: LIGHT_THEME, dark: DARK_THEME });
    let highlighted = registry.highlight(code, &options).ok()?;
    let renderer = HtmlRenderer {
        css_class_prefix: Some(CLASS_PREFIX.to_string()),
        add_color_scheme: false,
        ..Default::default()
    };
    Some(renderer.render(&highlighted, &RenderOptions::default()))
}

/// The stylesheet for the highlighting classes: the light theme, and the dark one under
/// `prefers-color-scheme: dark`. The theme ships it as `static/highlight.css`.
pub fn stylesheet() -> Option<String> {
    let (light, dark) = registry()?.generate_dual_css(LIGHT_THEME, DARK_THEME, CLASS_PREFIX).ok()?;
    Some(format!(
        "/* Code highlighting ({LIGHT_THEME} / {DARK_THEME}), generated by critique from giallo's themes. */\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_grows_with_the_square_of_lines_and_deep_nesting_has_none() {
        assert_eq!(cost("ab\nc"), Some(18 * 18 + 17 * 17));
        assert_eq!(cost(&"(".repeat(MAX_NESTING)), Some((MAX_NESTING as u64 + 16).pow(2)));
        assert_eq!(cost(&"(".repeat(MAX_NESTING + 1)), None);
        assert!(cost(&"()".repeat(10 * MAX_NESTING)).is_some());
        assert_eq!(cost(&"/* ".repeat(MAX_NESTING + 1)), None, "comments that nest");
        assert!(cost(&"/* */".repeat(10 * MAX_NESTING)).is_some());
        assert_eq!(cost(&"<".repeat(MAX_NESTING + 1)), None, "tags");
        assert!(knows("rust") && !knows("no-such-language"));
    }

    #[test]
    fn highlighting_on_its_thread_gives_the_same_html_or_none_when_no_time_is_left() {
        let code = "let x = 1;";
        assert_eq!(highlight_within(code, "rust", Duration::from_secs(600)), highlight(code, "rust"));
        assert_eq!(highlight_within(code, "rust", Duration::ZERO), None);
    }

    #[test]
    fn known_languages_get_classes_and_unknown_ones_none() {
        let html = highlight("let x = 1;", "rust").expect("rust is built in");
        assert!(html.contains("hl-"), "{html}");
        assert!(html.contains("let"));
        assert!(highlight("x", "no-such-language").is_none());
    }

    /// The shipped stylesheet is exactly what the pinned giallo generates.
    #[test]
    fn shipped_stylesheet_is_current() {
        let shipped = include_str!("../static/highlight.css");
        let generated = stylesheet().expect("registry");
        if shipped != generated {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/highlight.css");
            std::fs::write(&path, &generated).expect("regenerate");
            panic!("static/highlight.css was out of date and has been regenerated; commit it");
        }
    }
}
