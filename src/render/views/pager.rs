//! Paginated listings: which pages a pager links, and the paths of a listing's pages.

use serde::Serialize;

use super::Views;

/// Links between the pages of a paginated listing.
#[derive(Debug, Serialize)]
pub struct Pager {
    /// 1-based number of this page.
    current: usize,
    /// How many pages there are.
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

/// One page of a listing, in the pager, or a gap between the pages it links.
#[derive(Debug, Serialize)]
pub struct PageLink {
    number: usize,
    url: String,
    current: bool,
    gap: bool,
}

/// How many pages on each side of the current one the pager links.
const PAGER_WINDOW: usize = 2;

/// The pages (0-based) the pager of page `page` of `total` links: the first, the last and
/// those within [`PAGER_WINDOW`] of the current one, `None` where pages are left out. Linking
/// every page would make each page of a long listing grow with the listing.
fn pager_pages(page: usize, total: usize) -> Vec<Option<usize>> {
    let window = page.saturating_sub(PAGER_WINDOW)..=(page + PAGER_WINDOW).min(total.saturating_sub(1));
    let mut shown: Vec<usize> = std::iter::once(0).chain(window).chain(total.checked_sub(1)).collect();
    shown.sort_unstable();
    shown.dedup();
    let mut pages = Vec::with_capacity(shown.len() * 2);
    for (i, &p) in shown.iter().enumerate() {
        if i > 0 && shown[i - 1] + 1 < p {
            pages.push(None);
        }
        pages.push(Some(p));
    }
    pages
}

/// The path of page `page` (0-based) of the listing at `base` (`reviews/`).
pub fn paged_path(base: &str, page: usize) -> String {
    if page == 0 { base.to_string() } else { format!("{base}page/{}/", page + 1) }
}

/// How many pages `items` take at `per_page` a page (at least one).
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

impl Views<'_> {
    /// The pager of page `page` (0-based) of `total` pages of the listing at `base`.
    pub fn pager(&self, base: &str, page: usize, total: usize) -> Pager {
        let url = |p: usize| self.urls.at(&paged_path(base, p));
        Pager {
            current: page + 1,
            total,
            prev: page.checked_sub(1).map(url),
            next: (page + 1 < total).then(|| url(page + 1)),
            pages: pager_pages(page, total)
                .into_iter()
                .map(|p| match p {
                    Some(p) => PageLink { number: p + 1, url: url(p), current: p == page, gap: false },
                    None => PageLink { number: 0, url: String::new(), current: false, gap: true },
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagers_link_the_ends_and_the_pages_near_the_current_one() {
        let numbers = |page, total| -> Vec<String> {
            pager_pages(page, total).iter().map(|p| p.map_or("…".to_string(), |p| (p + 1).to_string())).collect()
        };
        assert_eq!(numbers(0, 1), ["1"]);
        assert_eq!(numbers(0, 4), ["1", "2", "3", "4"]);
        assert_eq!(numbers(0, 100), ["1", "2", "3", "…", "100"]);
        assert_eq!(numbers(49, 100), ["1", "…", "48", "49", "50", "51", "52", "…", "100"]);
        assert_eq!(numbers(3, 100), ["1", "2", "3", "4", "5", "6", "…", "100"]);
        assert_eq!(numbers(99, 100), ["1", "…", "98", "99", "100"]);
    }
}
