//! The listing fragments (cards, questions) kept between rebuilds, while the templates (one
//! renderer) and the site-wide values stay the same.

use std::sync::{Mutex, PoisonError};

use tera::Value;

use crate::hash::FastMap;
use crate::render::FragmentStore;

/// Rendered fragments by the hash of what they show, for one renderer's renderings.
#[derive(Default)]
pub struct FragmentMemo(Mutex<Kept>);

#[derive(Default)]
struct Kept {
    /// The site-wide values the fragments were rendered with: they may show them.
    site: Option<Value>,
    made: FastMap<u128, Value>,
}

impl FragmentStore for FragmentMemo {
    /// Forgets the fragments when the site-wide values changed, and when stale ones (of items
    /// edited since) outnumber the site's `items` twice.
    fn begin(&self, site: &Value, items: usize) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.site.as_ref() != Some(site) || kept.made.len() > items.saturating_mul(2) {
            kept.made.clear();
            kept.site = Some(site.clone());
        }
    }

    fn kept(&self, key: u128) -> Option<Value> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).made.get(&key).cloned()
    }

    fn keep(&self, key: u128, listed: Value) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).made.insert(key, listed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_kept_while_the_site_values_stay_and_stale_ones_are_few() {
        let memo = FragmentMemo::default();
        memo.begin(&Value::from("A"), 10);
        memo.keep(1, Value::from("<p>A: x</p>"));
        memo.begin(&Value::from("A"), 10);
        assert_eq!(memo.kept(1), Some(Value::from("<p>A: x</p>")));
        memo.begin(&Value::from("B"), 10);
        assert_eq!(memo.kept(1), None, "other site values: rendered again");
        for key in 0..3 {
            memo.keep(key, Value::none());
        }
        memo.begin(&Value::from("B"), 1);
        assert_eq!(memo.kept(0), None, "more than twice as many as the items: forgotten");
    }
}
