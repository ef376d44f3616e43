//! Listing fragments: a review's card shows on up to seven pages (the reviews listing, its
//! project's and its terms' pages, other reviews of its project) and a question on three, so
//! each is rendered once from its partial (`partials/review_card.html` with `card`,
//! `partials/question.html` with `q`, both with `site`) and pasted into every page that lists
//! it as `card.html` / `q.html`. A renderer may keep them for later renderings in a
//! [`FragmentStore`] (`serve`'s, while the templates and the site-wide values stay the same).

use std::collections::BTreeMap;
use std::hash::Hash;
use std::sync::Mutex;

use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::diagnostic::Diagnostic;
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

/// Where the listing fragments of one renderer (its templates) are kept for its later
/// renderings: `serve`'s, so that a rebuild that lists thousands of unchanged reviews again (a
/// review added shifts every listing page after it) pastes their fragments instead of rendering
/// them. A build renders each once and keeps none.
pub trait FragmentStore: Send + Sync {
    /// Called as a rendering begins, with the site-wide values it shows (fragments may show
    /// them) and how many reviews and questions the site lists.
    fn begin(&self, site: &Value, items: usize);
    /// The fragment kept under `key`: a 128-bit hash of the partial and of what it shows (wide
    /// enough that two different items never meet, so that equal keys are equal output).
    fn kept(&self, key: u128) -> Option<Value>;
    /// Keeps `listed` (rendered without a failure) under `key`.
    fn keep(&self, key: u128, listed: Value);
}

/// What renders the fragments of one rendering of a site.
pub struct Fragments<'a> {
    tera: &'a Tera,
    origins: &'a BTreeMap<String, Origin>,
    /// The site-wide values, as pages see them.
    site: Value,
    store: Option<&'a dyn FragmentStore>,
    /// The first failure of each partial (every item would fail the same way).
    failed: Mutex<BTreeMap<Partial, Diagnostic>>,
}

impl<'a> Fragments<'a> {
    /// Fragments rendered by `tera` with the site-wide values `site`, kept in `store` if
    /// given, for a site of `items` reviews and questions.
    pub(super) fn new(
        tera: &'a Tera,
        origins: &'a BTreeMap<String, Origin>,
        site: Value,
        store: Option<&'a dyn FragmentStore>,
        items: usize,
    ) -> Self {
        if let Some(store) = store {
            store.begin(&site, items);
        }
        Self { tera, origins, site, store, failed: Mutex::new(BTreeMap::new()) }
    }

    /// `item`, what `partial` shows, as a template value with its rendered `html` added. A
    /// partial that fails gives an empty `html`, and its failure is in [`Fragments::failures`].
    pub fn listed<T: Serialize + Hash>(&self, partial: Partial, item: &T) -> Value {
        let key = self.store.map(|_| {
            let mut hasher = crate::hash::ContentHasher::default();
            (partial, item).hash(&mut hasher);
            hasher.finish128()
        });
        if let Some(value) = self.store.zip(key).and_then(|(store, key)| store.kept(key)) {
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
        if let (Some(store), Some(key), true) = (self.store, key, keep) {
            store.keep(key, listed.clone());
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

    fn html(value: &Value) -> String {
        value.as_map().and_then(|m| m.get(&"html".into())).map(ToString::to_string).unwrap_or_default()
    }

    #[test]
    fn a_failing_partial_gives_empty_html_and_one_failure() {
        let mut tera = Tera::new();
        tera.add_raw_template("partials/review_card.html", "{{ card.missing }}").expect("a template");
        let origins = BTreeMap::new();
        let made = Fragments::new(&tera, &origins, Value::none(), None, 10);
        for title in ["a", "b"] {
            assert_eq!(html(&made.listed(Partial::Card, &Item { title })), "");
        }
        let failures = made.failures();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(failures[0].path.to_string_lossy().contains("partials/review_card.html"), "{failures:?}");
    }
}
