//! Heading ids, unique within a page: a heading keeps its own `{#id}` the first time it is
//! written, and otherwise takes its slug, or the slug followed by `-1`, `-2`, … when taken.
//! Ids are given once the whole body is read, since a later `{#id}` or footnote name keeps
//! its id from an earlier heading's slug. A body shown beside others (a reply) has them all
//! prefixed, and its links to them too.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Tag};

use super::{RESERVED_IDS, RESERVED_PREFIXES};

/// The ids of a body's headings, given in order once every taken id is known.
pub(super) struct HeadingIds {
    /// Ids no heading may take (the page's, footnotes', explicit ones), then those given.
    /// The keys come from the writer, so the table is the standard one, keyed at random.
    used: HashSet<String>,
    /// For each base id, the next suffix to try: `same-3` is tried after `same-2` was found
    /// taken, never again from `same-1`, so that each heading costs a bounded number of tries.
    next_suffix: HashMap<String, usize>,
    /// Explicit ids already given to a heading.
    explicit_given: HashSet<String>,
    /// Candidates tried so far: at most the headings plus twice the ids taken.
    pub(super) tried: usize,
}

impl HeadingIds {
    /// Ids for a body whose footnote names and explicit heading ids are `taken`.
    pub(super) fn new<'a>(taken: impl IntoIterator<Item = &'a str>) -> Self {
        let used = RESERVED_IDS.iter().copied().chain(taken).map(str::to_string).collect();
        Self { used, next_suffix: HashMap::new(), explicit_given: HashSet::new(), tried: 0 }
    }

    /// The id of the next heading, whose explicit id is `explicit` and whose text is `text`.
    /// Neither may take an id of the theme's pages: a reserved id gets a suffix, an id of the
    /// forms of the questions' and claims' anchors a `section-` prefix.
    pub(super) fn next(&mut self, explicit: Option<&str>, text: &str) -> String {
        let outside_theme = |id: String| match RESERVED_PREFIXES.iter().any(|p| id.starts_with(p)) {
            true => format!("section-{id}"),
            false => id,
        };
        match explicit {
            Some(id) if RESERVED_IDS.contains(&id) => self.unique(&outside_theme(id.into())),
            Some(id) if RESERVED_PREFIXES.iter().any(|p| id.starts_with(p)) => self.unique(&outside_theme(id.into())),
            Some(id) if self.explicit_given.insert(id.to_string()) => id.to_string(),
            Some(id) => self.unique(id),
            None => {
                let slug = slug::slugify(text);
                self.unique(&if slug.is_empty() { "section".to_string() } else { outside_theme(slug) })
            }
        }
    }

    /// `base`, or `base-N` for the least `N` not taken. The candidates found taken are each
    /// tried once per base (`used` only grows), and a taken id is a candidate of at most two
    /// bases (itself, and what precedes its last `-N`).
    fn unique(&mut self, base: &str) -> String {
        let mut n = self.next_suffix.get(base).copied().unwrap_or(0);
        loop {
            let candidate = if n == 0 { base.to_string() } else { format!("{base}-{n}") };
            n += 1;
            self.tried += 1;
            if self.used.insert(candidate.clone()) {
                self.next_suffix.insert(base.to_string(), n);
                return candidate;
            }
        }
    }
}

/// `name` with `prefix` before it (the body's ids are prefixed: see `MarkdownOptions`).
pub(super) fn prefixed<'a>(name: CowStr<'a>, prefix: &str) -> CowStr<'a> {
    if prefix.is_empty() { name } else { CowStr::from(format!("{prefix}{name}")) }
}

/// A link to a place in the body itself (`#part`), led to that place's prefixed id.
pub(super) fn own_fragment<'a>(event: Event<'a>, prefix: &str) -> Event<'a> {
    match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id })
            if !prefix.is_empty() && dest_url.starts_with('#') =>
        {
            let dest_url = CowStr::from(format!("#{prefix}{}", &dest_url[1..]));
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_count_on_from_the_last_one_given() {
        let mut ids = HeadingIds::new(["same-2"]);
        let given: Vec<String> = (0..5).map(|_| ids.next(None, "Same")).collect();
        assert_eq!(given, ["same", "same-1", "same-3", "same-4", "same-5"]);
        assert_eq!(ids.next(None, "Same 1"), "same-1-1");
        assert_eq!(ids.next(Some("same-2"), ""), "same-2", "an explicit id is its heading's");
        assert_eq!(ids.next(Some("same-2"), ""), "same-2-1", "the second time, with a suffix");
    }

    /// An explicit id the theme's pages use, or one of the forms of their questions' and
    /// claims' anchors, would be a second element of that id on the page.
    #[test]
    fn explicit_ids_never_take_the_themes() {
        let mut ids = HeadingIds::new(["main", "q-1", "claim-x", "main-1"]);
        assert_eq!(ids.next(Some("main"), "Main"), "main-2");
        assert_eq!(ids.next(Some("q-1"), "Q"), "section-q-1");
        assert_eq!(ids.next(Some("claim-x"), "X"), "section-claim-x");
        assert_eq!(ids.next(Some("main-1"), "M"), "main-1", "not reserved: its own");
        assert_eq!(ids.next(Some("claim-none"), ""), "section-claim-none", "reserved and of a claim's form");
        for reserved in RESERVED_IDS {
            assert_ne!(&ids.next(Some(reserved), ""), reserved);
        }
    }

    /// 20,000 headings of one text, or of one explicit id, or whose slugs are the suffixed
    /// ids of another: each costs a bounded number of tries.
    #[test]
    fn each_heading_costs_a_bounded_number_of_tries() {
        let n = 20_000;
        let mut ids = HeadingIds::new([]);
        for _ in 0..n {
            ids.next(None, "Same");
        }
        assert_eq!(ids.tried, n);
        let mut ids = HeadingIds::new(["same"]);
        for _ in 0..n {
            ids.next(Some("same"), "");
        }
        assert!(ids.tried <= 2 * n, "{}", ids.tried);
        let taken: Vec<String> = (1..=n).map(|i| format!("same-{i}")).collect();
        let mut ids = HeadingIds::new(taken.iter().map(String::as_str));
        for i in 0..n {
            ids.next(None, if i % 2 == 0 { "Same" } else { "Other" });
        }
        assert!(ids.tried <= n + 2 * n + RESERVED_IDS.len(), "{}", ids.tried);
    }
}
