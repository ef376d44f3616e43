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
    /// Each value with the texts it was made from, by a hash of their addresses: a value is
    /// taken only for the very texts it holds, so no freed allocation's address can be mistaken
    /// for another text.
    entries: FastMap<u64, (Vec<Arc<str>>, V)>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Self { entries: FastMap::default() }
    }
}

impl<V: Clone + Send + Sync + 'static> Memo<V> {
    /// The value for each key, from the memo or made by `make` (with the key's position), in
    /// parallel and in order. The memo then holds these values, and perhaps some of earlier
    /// refreshes: no more than as many again, since unwanted ones are swept once there are
    /// that many.
    pub fn refresh(&mut self, keys: Vec<Key<'_>>, make: impl Fn(usize) -> V + Sync + Send) -> Vec<V> {
        self.refresh_remaking(keys, |_| false, make)
    }

    /// [`Memo::refresh`], the values of the keys for which `again` holds made anew and kept in
    /// place of those kept for the same texts (what was made of them went stale). `again` must
    /// hold for every position of texts it holds for: a key of the same texts elsewhere would
    /// find the stale value.
    pub fn refresh_remaking(
        &mut self,
        keys: Vec<Key<'_>>,
        again: impl Fn(usize) -> bool + Sync,
        make: impl Fn(usize) -> V + Sync + Send,
    ) -> Vec<V> {
        let entries = &self.entries;
        // Each key's id and the value kept for it.
        let (ids, hits): (Vec<Option<u64>>, Vec<Option<V>>) = keys
            .par_iter()
            .enumerate()
            .map(|(i, key)| {
                let Some(texts) = key else { return (None, None) };
                let id = id(texts);
                let kept = || entries.get(&id).filter(|(kept, _)| same(kept, texts)).map(|(_, value)| value.clone());
                (Some(id), if again(i) { None } else { kept() })
            })
            .unzip();
        let made: Vec<bool> = hits.iter().map(Option::is_none).collect();
        let values: Vec<V> = hits.into_par_iter().enumerate().map(|(i, hit)| hit.unwrap_or_else(|| make(i))).collect();
        let mut gone = Vec::new();
        for (((key, id), value), made) in keys.iter().zip(&ids).zip(&values).zip(made) {
            if let (Some(texts), Some(id), true) = (key, id, made) {
                let texts = texts.iter().map(|t| Arc::clone(t)).collect();
                if let Some((old, _)) = self.entries.insert(*id, (texts, value.clone())) {
                    gone.push(old);
                }
            }
        }
        if self.entries.len() > 2 * keys.len().max(1) {
            let wanted: FastSet<u64> = ids.iter().flatten().copied().collect();
            self.entries.retain(|id, entry| {
                let keep = wanted.contains(id);
                if !keep {
                    gone.push(std::mem::take(&mut entry.0));
                }
                keep
            });
        }
        // Freeing thousands of texts' keys takes a while: not on the way to the browser.
        if gone.len() > DROP_AWAY {
            free_elsewhere(gone);
        }
        values
    }
}

/// Names, for what `serve` keeps between rebuilds, of four things a site is made of; a site
/// whose number for one is that of the last site has that thing as the last site had it, and
/// what depends on that thing alone is kept. Each is a count of the sites made with it anew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Versions {
    /// Everything derived from the reviews (pages, dates, scores, terms, questions).
    pub structure: u64,
    /// The pages and their dates (the sitemap, the set of page paths).
    pub layout: u64,
    /// The reviews' slugs in site order (their positions).
    pub order: u64,
    /// The reviews' slugs, whatever their order: the paths of the pages they place (review
    /// pages, the pages of `/reviews/`), and how the search index numbers its documents and
    /// cuts them into parts.
    pub reviews: u64,
}

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

/// Frees `value` on a thread of its own: freeing many small allocations (an old model, the
/// keys of thousands of texts) takes a while, and a rebuild of `serve` need not wait for it.
/// If no thread can be had, the value is freed here, as the refused closure is.
pub fn free_elsewhere<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
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
        // Each value made is the refresh it was made in and its key's position there. Values
        // are made in parallel, so a count of those made before would depend on the threads.
        let (round, made) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let make = |i: usize| {
            made.fetch_add(1, Ordering::Relaxed);
            (round.load(Ordering::Relaxed), i)
        };
        let mut memo = Memo::default();
        let mut refresh = |n: usize, keys: Vec<Key<'_>>| {
            round.store(n, Ordering::Relaxed);
            memo.refresh(keys, make)
        };
        assert_eq!(refresh(0, vec![Some(vec![&a]), Some(vec![&b]), None]), [(0, 0), (0, 1), (0, 2)]);
        // `a` again (now second) is reused; a new allocation of equal text is not; `None` never is.
        assert_eq!(refresh(1, vec![Some(vec![&equal_to_a]), Some(vec![&a]), None]), [(1, 0), (0, 0), (1, 2)]);
        // The same keys at the same positions (found without the table), then moved about.
        assert_eq!(refresh(2, vec![Some(vec![&equal_to_a]), Some(vec![&a]), None]), [(1, 0), (0, 0), (2, 2)]);
        assert_eq!(
            refresh(3, vec![Some(vec![&a]), Some(vec![&a, &b]), Some(vec![&equal_to_a])]),
            [(0, 0), (3, 1), (1, 0)]
        );
        assert_eq!(refresh(4, vec![Some(vec![&a, &b]), Some(vec![&a])]), [(3, 1), (0, 0)]);
        assert_eq!(made.load(Ordering::Relaxed), 7);
    }

    /// A value made again for the same texts replaces the one kept: the stale one is never
    /// found again, where it was or by its texts elsewhere.
    #[test]
    fn values_made_again_replace_the_stale_ones() {
        let (a, b): (Arc<str>, Arc<str>) = (Arc::from("a"), Arc::from("b"));
        let mut memo = Memo::default();
        assert_eq!(memo.refresh(vec![Some(vec![&a]), Some(vec![&b])], |i| (0, i)), [(0, 0), (0, 1)]);
        assert_eq!(
            memo.refresh_remaking(vec![Some(vec![&a]), Some(vec![&b])], |i| i == 0, |i| (1, i)),
            [(1, 0), (0, 1)]
        );
        assert_eq!(memo.refresh(vec![Some(vec![&a]), Some(vec![&b])], |i| (2, i)), [(1, 0), (0, 1)], "in place");
        assert_eq!(memo.refresh(vec![Some(vec![&b]), Some(vec![&b]), Some(vec![&a])], |i| (3, i))[2], (1, 0));
    }

    #[test]
    fn unwanted_entries_are_swept_and_their_texts_let_go() {
        let kept: Vec<Arc<str>> = (0..10).map(|i| Arc::from(format!("kept {i}"))).collect();
        let mut memo = Memo::default();
        let mut firsts = Vec::new();
        for round in 0..50 {
            // Nine files stay, one is read again every round.
            let fresh: Arc<str> = Arc::from(format!("fresh {round}"));
            if round == 0 {
                firsts.push(Arc::downgrade(&fresh));
            }
            let keys = kept.iter().take(9).chain([&fresh]).map(|t| Some(vec![t])).collect();
            memo.refresh(keys, |i| i);
            assert!(memo.entries.len() <= 2 * 10 + 1, "round {round}: {} entries", memo.entries.len());
        }
        assert!(firsts.iter().all(|w| w.upgrade().is_none()), "a swept entry's text is freed");
    }
}
