//! Listing fragments: a review's card shows on up to seven pages (the reviews listing, its
//! project's and its terms' pages, other reviews of its project) and a question on three, so
//! each is rendered once from its partial (`partials/review_card.html` with `card`,
//! `partials/question.html` with `q`, both with `site`) and pasted into every page that lists
//! it as `card.html` / `q.html`. `serve` also keeps them between rebuilds ([`FragmentMemo`]),
//! while the templates and the site-wide values stay the same.

use std::collections::BTreeMap;
use std::hash::Hash;
use std::sync::Mutex;

use serde::Serialize;
use siphasher::sip128::{Hasher128, SipHasher13};
use tera::{Context, Tera, Value};

use crate::diagnostic::Diagnostic;
use crate::hash::FastMap;
use crate::theme::Origin;

use super::template_diagnostic;

/// A partial template that lists one thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Partial {
    /// A review in a listing: `partials/review_card.html`, given `card`.
    Card,
    /// A question under its claim: `partials/question.html`, given `q`.
    Question,
}

impl Partial {
    fn template(self) -> &'static str {
        match self {
            Partial::Card => "partials/review_card.html",
            Partial::Question => "partials/question.html",
        }
    }

    fn variable(self) -> &'static str {
        match self {
            Partial::Card => "card",
            Partial::Question => "q",
        }
    }
}

/// Fragments kept between the renderings of one renderer (its templates): `serve`'s, so that
/// a rebuild that lists thousands of unchanged reviews again (a review added shifts every
/// listing page after it) pastes their fragments instead of rendering them.
#[derive(Default)]
pub(super) struct FragmentMemo {
    /// The site-wide values the fragments were rendered with: they may show them.
    site: Option<Value>,
    /// Listed values with their `html`, by a 128-bit hash of the partial and of what it shows
    /// (wide enough that two different items never meet, so that equal keys are equal output).
    made: FastMap<u128, Value>,
}

impl FragmentMemo {
    /// Forgets the fragments when the site-wide values changed, and when stale ones (of items
    /// edited since) outnumber the site's `items`.
    fn refresh(&mut self, site: &Value, items: usize) {
        if self.site.as_ref() != Some(site) || self.made.len() > items.saturating_mul(2) {
            self.made.clear();
            self.site = Some(site.clone());
        }
    }
}

/// What renders the fragments of one rendering of a site.
pub struct Fragments<'a> {
    tera: &'a Tera,
    origins: &'a BTreeMap<String, Origin>,
    /// The site-wide values, as pages see them.
    site: Value,
    memo: Option<&'a Mutex<FragmentMemo>>,
    /// The first failure of each partial (every item would fail the same way).
    failed: Mutex<BTreeMap<Partial, Diagnostic>>,
}

impl<'a> Fragments<'a> {
    /// Fragments rendered by `tera` with the site-wide values `site`, kept in `memo` if
    /// given, which holds them for a site of `items` reviews and questions.
    pub(super) fn new(
        tera: &'a Tera,
        origins: &'a BTreeMap<String, Origin>,
        site: Value,
        memo: Option<&'a Mutex<FragmentMemo>>,
        items: usize,
    ) -> Self {
        if let Some(Ok(mut kept)) = memo.map(Mutex::lock) {
            kept.refresh(&site, items);
        }
        Self { tera, origins, site, memo, failed: Mutex::new(BTreeMap::new()) }
    }

    /// `item`, what `partial` shows, as a template value with its rendered `html` added. A
    /// partial that fails gives an empty `html`, and its failure is in [`Fragments::failures`].
    pub fn listed<T: Serialize + Hash>(&self, partial: Partial, item: &T) -> Value {
        let key = self.memo.map(|_| {
            let mut hasher = SipHasher13::new();
            (partial, item).hash(&mut hasher);
            hasher.finish128().as_u128()
        });
        let kept = |key| self.memo.and_then(|memo| memo.lock().ok()?.made.get(&key).cloned());
        if let Some(value) = key.and_then(kept) {
            return value;
        }
        let value = super::to_value(item);
        let mut context = Context::new();
        context.insert_value("site", self.site.clone());
        context.insert_value(partial.variable(), value.clone());
        let rendered = self.tera.render(partial.template(), &context);
        // The value is the context's no longer: its map is taken, not copied.
        drop(context);
        let keep = rendered.is_ok();
        let html = rendered.unwrap_or_else(|e| {
            if let Ok(mut failed) = self.failed.lock() {
                failed
                    .entry(partial)
                    .or_insert_with(|| template_diagnostic(self.origins, partial.template(), e.kind()));
            }
            String::new()
        });
        let listed = match value.into_map() {
            Some(mut map) => {
                map.insert("html".into(), Value::from(html));
                Value::from(map)
            }
            None => Value::none(),
        };
        if let (Some(memo), Some(key)) = (self.memo, key)
            && keep
            && let Ok(mut memo) = memo.lock()
        {
            memo.made.insert(key, listed.clone());
        }
        listed
    }

    /// The partials that failed, each with its first failure.
    pub fn failures(&self) -> Vec<Diagnostic> {
        self.failed.lock().map(|failed| failed.values().cloned().collect()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Hash)]
    struct Item {
        title: &'static str,
    }

    fn tera(card: &str) -> Tera {
        let mut tera = Tera::new();
        tera.add_raw_template("partials/review_card.html", card).expect("a template");
        tera
    }

    fn html(value: &Value) -> String {
        value.as_map().and_then(|m| m.get(&"html".into())).map(ToString::to_string).unwrap_or_default()
    }

    #[test]
    fn fragments_are_kept_while_the_site_values_stay() {
        let memo = Mutex::default();
        let origins = BTreeMap::new();
        let (first, second) = (tera("<p>{{ site }}: {{ card.title }}</p>"), tera("<em>{{ card.title }}</em>"));
        let made = Fragments::new(&first, &origins, Value::from("A"), Some(&memo), 10);
        assert_eq!(html(&made.listed(Partial::Card, &Item { title: "x" })), "<p>A: x</p>");
        // Kept: the other templates are not asked (a renderer keeps its memo to itself).
        let kept = Fragments::new(&second, &origins, Value::from("A"), Some(&memo), 10);
        assert_eq!(html(&kept.listed(Partial::Card, &Item { title: "x" })), "<p>A: x</p>");
        assert_eq!(html(&kept.listed(Partial::Card, &Item { title: "y" })), "<em>y</em>");
        // Other site values: rendered again.
        let other = Fragments::new(&first, &origins, Value::from("B"), Some(&memo), 10);
        assert_eq!(html(&other.listed(Partial::Card, &Item { title: "x" })), "<p>B: x</p>");
        // Without a memo, always rendered.
        let unkept = Fragments::new(&second, &origins, Value::from("B"), None, 10);
        assert_eq!(html(&unkept.listed(Partial::Card, &Item { title: "x" })), "<em>x</em>");
    }

    #[test]
    fn stale_fragments_are_forgotten_once_they_outnumber_the_items() {
        let memo = Mutex::default();
        let (origins, tera) = (BTreeMap::new(), tera("{{ card.title }}"));
        let made = Fragments::new(&tera, &origins, Value::none(), Some(&memo), 1);
        for title in ["a", "b", "c"] {
            made.listed(Partial::Card, &Item { title });
        }
        assert_eq!(memo.lock().map(|m| m.made.len()).unwrap_or_default(), 3);
        Fragments::new(&tera, &origins, Value::none(), Some(&memo), 1);
        assert_eq!(memo.lock().map(|m| m.made.len()).unwrap_or_default(), 0);
    }

    #[test]
    fn a_failing_partial_gives_empty_html_and_one_failure() {
        let memo = Mutex::default();
        let (origins, tera) = (BTreeMap::new(), tera("{{ card.missing }}"));
        let made = Fragments::new(&tera, &origins, Value::none(), Some(&memo), 10);
        for title in ["a", "b"] {
            assert_eq!(html(&made.listed(Partial::Card, &Item { title })), "");
        }
        let failures = made.failures();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(failures[0].path.to_string_lossy().contains("partials/review_card.html"), "{failures:?}");
        // Nothing failed is kept.
        assert_eq!(memo.lock().map(|m| m.made.len()).unwrap_or_default(), 0);
    }
}
