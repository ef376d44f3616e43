//! Memoisation for `serve`: values made from content files (a search-index slice, a project's
//! JSON), kept between rebuilds and reused while the site still holds the very texts they
//! were made from. A file's text is shared (`Arc<str>`) from loading to the model, and a file
//! that is read again gets a new allocation, so comparing pointers is enough; the memo holds
//! the texts it keyed, so that no freed allocation can be reused by another text while keyed.

use std::hash::Hasher;
use std::sync::Arc;

use rayon::prelude::*;

use crate::hash::{FastMap, FastSet};

/// Above this many entries, a memo's old entries are freed on another thread.
const DROP_AWAY: usize = 1024;

/// The texts a value is made from, as the site holds them (`None`: a value that is never
/// memoised). Borrowed: only a value made anew keeps (clones) its texts, so that looking a
/// value up touches nothing but the texts' addresses.
pub type Key<'a> = Option<Vec<&'a Arc<str>>>;

/// Values by the texts they were made from.
#[derive(Debug)]
pub struct Memo<V> {
    entries: FastMap<u64, (Vec<Arc<str>>, V)>,
    /// Whether values are kept at all (not for a one-off build).
    keep: bool,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Self { entries: FastMap::default(), keep: true }
    }
}

impl<V: Clone + Send + Sync + 'static> Memo<V> {
    /// A memo that keeps nothing, for a build that runs once.
    pub fn none() -> Self {
        Self { entries: FastMap::default(), keep: false }
    }

    /// The value for each key, from the memo or made by `make` (with the key's position), in
    /// parallel and in order. The memo then holds exactly these values.
    pub fn refresh(&mut self, keys: Vec<Key<'_>>, make: impl Fn(usize) -> V + Sync + Send) -> Vec<V> {
        let old = &self.entries;
        // Each key with its id, and the value kept for it if any.
        let (keys, hits): (Vec<Option<Identified<'_>>>, Vec<Option<V>>) = keys
            .into_par_iter()
            .map(|key| {
                let key = key.map(|texts| (id(&texts), texts));
                let hit = key.as_ref().and_then(|(id, texts)| {
                    old.get(id).filter(|(kept, _)| same(kept, texts)).map(|(_, value)| value.clone())
                });
                (key, hit)
            })
            .unzip();
        let made: Vec<bool> = hits.iter().map(Option::is_none).collect();
        let values: Vec<V> = hits.into_par_iter().enumerate().map(|(i, hit)| hit.unwrap_or_else(|| make(i))).collect();
        if !self.keep {
            return values;
        }
        // The entries still wanted stay where they are; new ones are added. (Rebuilding the
        // table would cost more than the few values that changed.)
        let wanted: FastSet<u64> = keys.iter().filter_map(|key| key.as_ref().map(|(id, _)| *id)).collect();
        let mut gone = Vec::new();
        self.entries.retain(|id, entry| {
            let keep = wanted.contains(id);
            if !keep {
                gone.push(std::mem::take(&mut entry.0));
            }
            keep
        });
        for ((key, made), value) in keys.into_iter().zip(made).zip(&values) {
            if let (Some((id, texts)), true) = (key, made) {
                let texts = texts.into_iter().map(Arc::clone).collect();
                if let Some((old_texts, _)) = self.entries.insert(id, (texts, value.clone())) {
                    gone.push(old_texts);
                }
            }
        }
        // Freeing thousands of texts' keys takes a while: not on the way to the browser.
        if gone.len() > DROP_AWAY {
            std::thread::spawn(move || drop(gone));
        }
        values
    }
}

/// Names, for what `serve` keeps between rebuilds, of three things a site is made of; a site
/// whose number for one is that of the last site has that thing as the last site had it, and
/// what depends on that thing alone is kept. Each is a count of the sites made with it anew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Versions {
    /// Everything derived from the reviews (pages, dates, scores, terms, questions).
    pub structure: u64,
    /// The pages and their dates (the sitemap, the set of page paths).
    pub layout: u64,
    /// The reviews' slugs in site order (where the search index cuts its parts).
    pub order: u64,
}

/// A key with its [`id`].
type Identified<'a> = (u64, Vec<&'a Arc<str>>);

/// A hash of the texts' addresses.
fn id(texts: &[&Arc<str>]) -> u64 {
    let mut hasher = crate::hash::FastHasher::default();
    for text in texts {
        std::ptr::hash(Arc::as_ptr(text), &mut hasher);
    }
    hasher.finish()
}

/// Whether two keys are the very same texts.
fn same(a: &[Arc<str>], b: &[&Arc<str>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| Arc::ptr_eq(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn values_are_reused_only_for_the_same_texts() {
        let a: Arc<str> = Arc::from("a");
        let b: Arc<str> = Arc::from("b");
        let equal_to_a: Arc<str> = Arc::from("a");
        let made = AtomicUsize::new(0);
        let make = |i: usize| {
            made.fetch_add(1, Ordering::Relaxed);
            i
        };
        let mut memo = Memo::default();
        assert_eq!(memo.refresh(vec![Some(vec![&a]), Some(vec![&b]), None], make), [0, 1, 2]);
        assert_eq!(made.load(Ordering::Relaxed), 3);
        // `a` again (now second) is reused; a new allocation of equal text is not; `None` never is.
        let values = memo.refresh(vec![Some(vec![&equal_to_a]), Some(vec![&a]), None], make);
        assert_eq!(values, [0, 0, 2]);
        assert_eq!(made.load(Ordering::Relaxed), 5);
        // Only what the last refresh returned is kept: `b` was dropped.
        assert_eq!(memo.refresh(vec![Some(vec![&b])], make), [0]);
        assert_eq!(made.load(Ordering::Relaxed), 6);
        let mut none = Memo::none();
        none.refresh(vec![Some(vec![&a])], make);
        none.refresh(vec![Some(vec![&a])], make);
        assert_eq!(made.load(Ordering::Relaxed), 8, "a memo that keeps nothing makes every value");
    }
}
