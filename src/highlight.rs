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

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, mpsc};
use std::time::Duration;

use giallo::{HighlightOptions, HtmlRenderer, Registry, RenderOptions, ThemeVariant};

/// The light colour theme (classes `hl-l-*`).
pub const LIGHT_THEME: &str = "github-light";
/// The dark colour theme (classes `hl-d-*`).
pub const DARK_THEME: &str = "github-dark";
/// The prefix of every highlighting class.
pub const CLASS_PREFIX: &str = "hl-";

/// The most backtracking steps one search of a grammar's regular expressions may take before
/// it is given up, as finding nothing there: some grammars' expressions backtrack for seconds
/// on a few dozen bytes (C++ on `#[#[…`: 0.7 s for 61 bytes, 8.5 s for 300, unbounded), which
/// this cuts to milliseconds, the same on every machine. The highlighted HTML of this
/// repository's own code, and of the benchmark sites, is the same with it as without.
pub const SEARCH_RETRY_LIMIT: u64 = 100_000;

/// Sets [`SEARCH_RETRY_LIMIT`] for every search from now on.
fn bound_backtracking() {
    let limit = std::os::raw::c_ulong::try_from(SEARCH_RETRY_LIMIT).unwrap_or(std::os::raw::c_ulong::MAX);
    // SAFETY: sets a number that Oniguruma reads when a search begins; no pointer is passed,
    // and it is set once, before the registry (and so any search) exists.
    #[allow(unsafe_code, reason = "Oniguruma offers its bound on backtracking only through its C interface")]
    unsafe {
        onig_sys::onig_set_retry_limit_in_search(limit);
    }
}

/// The built-in grammars and themes, or `None` if they cannot be loaded (code then stays plain).
fn registry() -> Option<&'static Registry> {
    static REGISTRY: OnceLock<Option<Registry>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| {
            bound_backtracking();
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

/// How long highlighting the blocks of one body on the highlighting threads may take in all.
/// Some grammars open a scope for each of a few characters and never close it, so that each
/// line takes longer than the one before (Clojure on lines of `^`: 1.2 s for 100 lines of 30,
/// 4.4 s for 200), which no bound on size or nesting foresees. Ordinary code takes
/// milliseconds, so only such input reaches this.
pub const BODY_TIME_LIMIT: Duration = Duration::from_millis(500);

/// How much of a page's code is highlighted on the page's own thread, in squared bytes of each
/// block summed: about 0.15 s for the worst grammar measured (Clojure on `^`, whose time grows
/// with the square of a block's size), a few milliseconds for ordinary code. Blocks past it go
/// to a highlighting thread that is given up on after [`BODY_TIME_LIMIT`]: handing a block to
/// another thread costs about 90 µs, which every page paying would cost a 10,000-review build
/// 0.9 s.
pub const INLINE_BUDGET: u64 = 1_000_000;

/// What one page may still spend on highlighting.
#[derive(Debug, Clone)]
pub struct Budget {
    /// What is left of [`PAGE_BUDGET`].
    cost: u64,
    /// What is left of [`INLINE_BUDGET`].
    inline: u64,
    /// What is left of [`BODY_TIME_LIMIT`].
    time: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { cost: PAGE_BUDGET, inline: INLINE_BUDGET, time: BODY_TIME_LIMIT }
    }
}

impl Budget {
    /// Whether a block in `language` whose source (fences included) is `block` may be
    /// highlighted: a known language, and its [`cost`] within what is left, which it takes.
    pub fn admit(&mut self, block: &str, language: &str) -> bool {
        let cost = (!language.is_empty() && knows(language)).then(|| cost(block)).flatten();
        match cost.filter(|&cost| cost <= self.cost) {
            Some(cost) => {
                self.cost -= cost;
                true
            }
            None => false,
        }
    }

    /// `code` highlighted, or `None` to show it plain: on this thread while the page's
    /// [`INLINE_BUDGET`] lasts (the choice depends on sizes only, so it is the same on every
    /// run), else on a highlighting thread within what is left of [`BODY_TIME_LIMIT`].
    pub fn highlight(&mut self, code: &str, language: &str) -> Option<String> {
        let squared = (code.len() as u64).saturating_pow(2);
        if squared <= self.inline {
            self.inline -= squared;
            return highlight(code, language);
        }
        let started = std::time::Instant::now();
        let html = highlight_within(code, language, self.time);
        self.time = self.time.saturating_sub(started.elapsed());
        html
    }
}

/// Highlighting threads given up on and still running.
static ABANDONED: AtomicUsize = AtomicUsize::new(0);

/// Highlighting threads waiting for a block: kept between blocks, since a thread started for
/// each block cost a 10,000-review build 0.9 s.
static IDLE: Mutex<Vec<Worker>> = Mutex::new(Vec::new());

/// A thread that highlights the blocks it is sent, one at a time.
struct Worker {
    blocks: mpsc::Sender<(String, String)>,
    results: mpsc::Receiver<Option<String>>,
}

impl Worker {
    fn start() -> Option<Worker> {
        let (blocks, block_rx) = mpsc::channel::<(String, String)>();
        let (result_tx, results) = mpsc::channel();
        std::thread::Builder::new()
            .name("highlight".into())
            .spawn(move || {
                while let Ok((code, language)) = block_rx.recv() {
                    if result_tx.send(highlight(&code, &language)).is_err() {
                        break;
                    }
                }
                // A worker kept in `IDLE` waits for ever: it ends only once given up on.
                ABANDONED.fetch_sub(1, Ordering::AcqRel);
            })
            .ok()?;
        Some(Worker { blocks, results })
    }
}

/// [`highlight`] on a thread of the highlighting pool, given up (`None`, and the block shown
/// plain) after `limit`: that thread is left to finish alone. While a highlighting given up on
/// still runs, no other is started: one such thread at a time takes a core until it ends, and
/// what the site shows meanwhile is plain code.
fn highlight_within(code: &str, language: &str, limit: Duration) -> Option<String> {
    if limit.is_zero() || ABANDONED.load(Ordering::Acquire) > 0 {
        return None;
    }
    let idle = IDLE.lock().ok().and_then(|mut idle| idle.pop());
    let worker = idle.or_else(Worker::start)?;
    worker.blocks.send((code.to_string(), language.to_string())).ok()?;
    match worker.results.recv_timeout(limit) {
        Ok(html) => {
            if let Ok(mut idle) = IDLE.lock() {
                idle.push(worker);
            }
            html
        }
        Err(_) => {
            // Counted before the worker can see it was dropped, so that it never goes below 0.
            ABANDONED.fetch_add(1, Ordering::AcqRel);
            drop(worker);
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

    /// The bound on backtracking is in force once the grammars are loaded, and a line that
    /// backtracks for seconds without it is highlighted all the same.
    #[test]
    fn searches_are_bounded_once_the_grammars_load() {
        assert!(registry().is_some());
        #[allow(unsafe_code, reason = "reads the number bound_backtracking set")]
        // SAFETY: reads a number; no pointer is involved.
        let limit = unsafe { onig_sys::onig_get_retry_limit_in_search() };
        assert_eq!(Ok(limit), std::os::raw::c_ulong::try_from(SEARCH_RETRY_LIMIT));
        assert!(highlight(&"#[".repeat(150), "cpp").is_some_and(|html| html.contains(CLASS_PREFIX)));
    }

    /// Small blocks are highlighted on the page's thread, the same choice on every run; past
    /// the inline budget, blocks go to the pool (and are highlighted there, ordinary code being
    /// quick).
    #[test]
    fn a_page_highlights_its_first_kilobyte_in_place_and_the_rest_on_the_pool() {
        let mut budget = Budget::default();
        let block = "let x = 1;\n".repeat(90);
        assert!(budget.admit(&format!("```rust\n{block}```\n"), "rust"));
        assert!(budget.highlight(&block, "rust").is_some());
        assert_eq!(budget.inline, INLINE_BUDGET - (block.len() as u64).pow(2));
        assert!(budget.highlight(&block, "rust").is_some(), "on the pool");
        assert_eq!(
            budget.inline,
            INLINE_BUDGET - (block.len() as u64).pow(2),
            "the pool's block is not counted in place"
        );
        assert!(budget.time < BODY_TIME_LIMIT);
        assert!(!budget.admit("```x\n```\n", "no-such-language"));
    }

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
        // A test never writes into the source tree unless asked to.
        if shipped != generated && std::env::var_os("CRITIQUE_WRITE_HIGHLIGHT_CSS").is_some() {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/highlight.css");
            std::fs::write(&path, &generated).expect("regenerate");
        }
        assert!(
            shipped == generated,
            "static/highlight.css is out of date: run `CRITIQUE_WRITE_HIGHLIGHT_CSS=1 cargo test --lib shipped_stylesheet` and commit it"
        );
    }
}
