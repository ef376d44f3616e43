//! The site's log of changes (`/changes/`, the corrections log) and its Atom feed: every
//! project's changes but events and questions put, gathered by [`super::timeline`], sorted
//! once per model and written page by page.

use serde::Serialize;

use super::timeline::{self, TimelineEntry};
use super::{Views, pager::page_count};

/// A page of the log of changes.
#[derive(Debug, Serialize)]
pub struct ChangesView {
    /// Every entry, on every page.
    count: usize,
    entries: Vec<TimelineEntry>,
    /// The Atom feed of the log.
    feed: String,
}

/// The log's Atom feed.
#[derive(Debug, Serialize)]
pub struct ChangesFeed {
    title: String,
    url: String,
    home: String,
    updated: String,
    entries: Vec<ChangesFeedEntry>,
}

/// One entry of the log's feed.
#[derive(Debug, Serialize)]
struct ChangesFeedEntry {
    id: String,
    title: String,
    url: String,
    updated: String,
    summary: String,
}

/// Where the log is, below the base.
pub const CHANGES_PATH: &str = "changes/";

impl Views<'_> {
    /// These views with `changes` as their log of changes, made earlier from this very model
    /// (by `serve`, which keeps it between rebuilds, [`Made::take_changes`]).
    pub fn with_changes(self, changes: Option<Vec<timeline::Change>>) -> Self {
        if let Some(changes) = changes {
            let _ = self.changes.set(changes);
        }
        self
    }

    /// The site's log of changes, newest first (`/changes/`).
    pub fn changes(&self) -> &[timeline::Change] {
        self.changes.get_or_init(|| timeline::site_changes(self.site))
    }

    /// The day of the log's newest entry, without sorting the log when it is not made yet.
    pub fn newest_change(&self) -> Option<crate::date::Date> {
        *self.newest_change.get_or_init(|| match self.changes.get() {
            Some(changes) => changes.first().map(|c| c.date),
            None => timeline::newest_change(self.site),
        })
    }

    /// Entries the log's pages hold: twice a review listing's (an entry is a line).
    pub fn changes_per_page(&self) -> usize {
        self.config().paginate.saturating_mul(2)
    }

    /// How many pages the log takes (counted without making the log, when it is not made yet:
    /// most rebuilds of `serve` need only this of it).
    pub fn changes_page_count(&self) -> usize {
        let count = self.changes.get().map_or_else(|| timeline::change_count(self.site), Vec::len);
        page_count(count, self.changes_per_page())
    }

    /// Page `page` (0-based) of the log.
    pub fn changes_page(&self, page: usize) -> ChangesView {
        let per = self.changes_per_page();
        let changes = self.changes();
        let on_page = changes.iter().skip(page.saturating_mul(per)).take(per);
        ChangesView {
            count: changes.len(),
            entries: on_page.map(|c| self.change_entry(c)).collect(),
            feed: self.urls.at(&format!("{CHANGES_PATH}feed.xml")),
        }
    }

    /// The log's Atom feed: its newest `feed_limit` entries.
    pub fn changes_feed(&self) -> ChangesFeed {
        let origin = self.origin();
        let changes = self.changes();
        let home = format!("{origin}{}", self.urls.at(CHANGES_PATH));
        let entries: Vec<ChangesFeedEntry> = changes
            .iter()
            .take(self.config().feed_limit)
            .map(|c| {
                let entry = self.change_entry(c);
                let url = entry.url.as_ref().map_or_else(|| home.clone(), |u| format!("{origin}{u}"));
                ChangesFeedEntry {
                    id: format!("{home}#{}", entry.id),
                    title: super::feed::xml_safe(&format!("{} — {}: {}", entry.label, entry.project.name, entry.text)),
                    url,
                    updated: format!("{}T00:00:00Z", entry.date.iso),
                    summary: super::feed::xml_safe(&entry.text),
                }
            })
            .collect();
        let updated =
            changes.first().map(|c| format!("{}T00:00:00Z", c.date)).unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        ChangesFeed {
            title: format!("{}: changes", self.config().title),
            url: format!("{home}feed.xml"),
            home,
            updated,
            entries,
        }
    }
}
