//! Memoisation for `serve`: values made from content files (a search-index slice, a project's
//! JSON), kept between rebuilds and reused while the site still holds the very texts they
//! were made from. A file's text is shared (`Arc<str>`) from loading to the model, and a file
//! that is read again gets a new allocation, so comparing pointers is enough; the memo holds
//! the texts it keyed, so that no freed allocation can be reused by another text while keyed.

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;

use rayon::prelude::*;

/// Above this many entries, a memo's old entries are freed on another thread.
const DROP_AWAY: usize = 1024;

/// The texts a value is made from (`None`: a value that is never memoised).
pub type Key = Option<Vec<Arc<str>>>;

/// Values by the texts they were made from.
#[derive(Debug)]
pub struct Memo<V> {
    entries: HashMap<u64, (Vec<Arc<str>>, V)>,
    /// Whether values are kept at all (not for a one-off build).
    keep: bool,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Self { entries: HashMap::new(), keep: true }
    }
}

impl<V: Clone + Send + Sync + 'static> Memo<V> {
    /// A memo that keeps nothing, for a build that runs once.
    pub fn none() -> Self {
        Self { entries: HashMap::new(), keep: false }
    }

    /// The value for each key, from the memo or made by `make` (with the key's position), in
    /// parallel and in order. The memo then holds exactly these values.
    pub fn refresh(&mut self, keys: Vec<Key>, make: impl Fn(usize) -> V + Sync + Send) -> Vec<V> {
        let old = &self.entries;
        let found: Vec<_> = keys
            .into_par_iter()
            .enumerate()
            .map(|(i, key)| {
                let key = key.map(|texts| (id(&texts), texts));
                let hit = key.as_ref().and_then(|(id, texts)| {
                    old.get(id).filter(|(kept, _)| same(kept, texts)).map(|(_, value)| value.clone())
                });
                (key, hit.unwrap_or_else(|| make(i)))
            })
            .collect();
        let mut values = Vec::with_capacity(found.len());
        let mut entries = HashMap::new();
        for (key, value) in found {
            if let Some((id, texts)) = key.filter(|_| self.keep) {
                entries.insert(id, (texts, value.clone()));
            }
            values.push(value);
        }
        let old = std::mem::replace(&mut self.entries, entries);
        // Freeing thousands of keys takes a while: not on the way to the browser.
        if old.len() > DROP_AWAY {
            std::thread::spawn(move || drop(old));
        }
        values
    }
}

/// A hash of the texts' addresses.
fn id(texts: &[Arc<str>]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    for text in texts {
        std::ptr::hash(Arc::as_ptr(text), &mut hasher);
    }
    hasher.finish()
}

/// Whether two keys are the very same texts.
fn same(a: &[Arc<str>], b: &[Arc<str>]) -> bool {
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
        assert_eq!(memo.refresh(vec![Some(vec![a.clone()]), Some(vec![b.clone()]), None], make), [0, 1, 2]);
        assert_eq!(made.load(Ordering::Relaxed), 3);
        // `a` again (now second) is reused; a new allocation of equal text is not; `None` never is.
        let values = memo.refresh(vec![Some(vec![equal_to_a]), Some(vec![a.clone()]), None], make);
        assert_eq!(values, [0, 0, 2]);
        assert_eq!(made.load(Ordering::Relaxed), 5);
        // Only what the last refresh returned is kept: `b` was dropped.
        assert_eq!(memo.refresh(vec![Some(vec![b])], make), [0]);
        assert_eq!(made.load(Ordering::Relaxed), 6);
        let mut none = Memo::none();
        none.refresh(vec![Some(vec![a.clone()])], make);
        none.refresh(vec![Some(vec![a])], make);
        assert_eq!(made.load(Ordering::Relaxed), 8, "a memo that keeps nothing makes every value");
    }
}
