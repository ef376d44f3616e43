//! The data files and the search index kept between rebuilds: each review's and project's
//! records by the files they were made from, the JSON Feed by the newest reviews' files, the
//! sitemap while the layout stands (the paths of the pages the reviews place while the reviews
//! stand), the joined files joined again only where their parts changed, and the live search
//! index. Composed from the data files' per-item functions ([`Records`]).

use std::sync::Arc;

use bytes::{Bytes, BytesMut};

use super::search::LiveIndex;
use crate::hash::FastMap;
use crate::model::{Review, Site};
use crate::output::OutputFile;
use crate::render::{Job, JoinedFile, ProjectData, Records, ReviewData, Views, sitemap, sitemap_pages};
use crate::serve::memo::{Memo, Versions};

/// What the data files and the search index keep between rebuilds.
#[derive(Default)]
pub struct DataCache {
    reviews: Memo<Arc<ReviewData>>,
    projects: Memo<Arc<ProjectData>>,
    /// The JSON feed, by the files of the newest reviews and their projects.
    json_feed: Memo<Bytes>,
    reviews_file: Joined,
    claims_file: Joined,
    llms_file: Joined,
    projects_csv: Joined,
    reviews_csv: Joined,
    sitemap: SitemapCache,
    search: LiveIndex,
    /// `data/authors.jsonl`, with the layout it was made for: the authors' lists of reviews
    /// and their profiles change only with it (a profile edit renews every number).
    authors: Option<(u64, Bytes)>,
    /// The day the records were made for, as a text every record's key holds: on a new day
    /// (which reviews are stale, and the medians that may leave them out, follow it) every
    /// record is made again.
    day: Option<(crate::date::Date, Arc<str>)>,
    /// The interface text the JSON Feed was written in (its entries say "Verdict:" in the
    /// site's language), which no file text here stands for.
    feed_strings: Option<Arc<crate::strings::Strings>>,
}

impl DataCache {
    /// The data files and the search index of `site` (whose pages are `jobs`), side by side,
    /// reusing what was made of files whose text has not changed and what depends only on what
    /// `versions` says stayed: the same layout promises the same sitemap, the same reviews the
    /// same paths of the pages they place (review pages follow their reviews when they moved)
    /// and the same parts of the index.
    pub fn files(&mut self, site: &Site, views: &Views<'_>, jobs: &[Job], versions: Versions) -> Vec<OutputFile> {
        let DataCache {
            reviews,
            projects,
            json_feed,
            reviews_file,
            claims_file,
            llms_file,
            projects_csv,
            reviews_csv,
            sitemap,
            search,
            authors,
            day,
            feed_strings,
        } = self;
        if feed_strings.as_ref() != Some(&site.config.interface) {
            *json_feed = Memo::default();
            *feed_strings = Some(Arc::clone(&site.config.interface));
        }
        let day = match day {
            Some((made_for, text)) if *made_for == site.today => Arc::clone(text),
            _ => {
                let text: Arc<str> = Arc::from(site.today.to_string());
                *day = Some((site.today, Arc::clone(&text)));
                text
            }
        };
        let data = || {
            let records = Records::new(site, views);
            // Each author's profile text, found once per name (a few hundred) rather than once
            // per review (a slug made and the profiles searched each time: 8 ms at 10,000).
            let mut profiles_by_name: FastMap<&str, Option<&Arc<str>>> = FastMap::default();
            if !site.profiles.is_empty() {
                for name in site.reviews.iter().flat_map(|r| &r.authors) {
                    profiles_by_name.entry(name).or_insert_with(|| site.profile(name).map(|p| &p.source.text));
                }
            }
            let profile_of = |name: &str| profiles_by_name.get(name).copied().flatten();
            let project_keys = site
                .projects
                .iter()
                .enumerate()
                .map(|(at, p)| {
                    let reviews = p.reviews.iter().map(|&r| &site.reviews[r]);
                    // Its reviews' authors' profiles too (their standing disclosures), and its
                    // replies.
                    let profiles = reviews.clone().flat_map(|r| r.authors.iter().filter_map(|a| profile_of(a)));
                    let replies = site.responses.iter().filter(|r| r.project == at).map(|r| &r.source.text);
                    Some(
                        [&day, &p.source.text]
                            .into_iter()
                            .chain(reviews.map(|r| &r.source.text))
                            .chain(profiles)
                            .chain(replies)
                            .collect(),
                    )
                })
                .collect();
            let projects = projects.refresh(project_keys, |i| Arc::new(records.project_data(i)));
            let review_keys = site
                .reviews
                .iter()
                .map(|r| {
                    // Its authors' profiles too: a standing disclosure is the review's when it
                    // gives none.
                    let profile = r.authors.iter().filter_map(|a| profile_of(a));
                    Some(
                        [&day, &r.source.text, &site.projects[r.project].source.text]
                            .into_iter()
                            .chain(profile)
                            .collect(),
                    )
                })
                .collect();
            let reviews = reviews.refresh(review_keys, |i| Arc::new(records.review_data(i)));
            // The newest reviews, and the retracted ones wherever they are (the feed announces a
            // retraction since its oldest entry).
            let newest = site.reviews.iter().take(site.config.feed_limit);
            let retracted = site.reviews.iter().skip(site.config.feed_limit).filter(|r| !r.standing.counts());
            let feed_key: Vec<_> =
                newest.chain(retracted).flat_map(|r| [&r.source.text, &site.projects[r.project].source.text]).collect();
            // A feed of no review is made from the configuration alone, which no file text here
            // stands for: never kept.
            let feed_key = Some(feed_key).filter(|key| !key.is_empty());
            let feed = json_feed.refresh(vec![feed_key], |_| records.json_feed()).pop().unwrap_or_default();
            let sitemap = sitemap.made(site, views, jobs, records.origin(), versions);
            let mut join = |file: JoinedFile, parts: Vec<Arc<str>>| match file {
                JoinedFile::Reviews => reviews_file.join(parts),
                JoinedFile::Claims => claims_file.join(parts),
                JoinedFile::Llms => llms_file.join(parts),
                JoinedFile::ProjectsCsv => projects_csv.join(parts),
                JoinedFile::ReviewsCsv => reviews_csv.join(parts),
            };
            let authors = match authors {
                Some((layout, bytes)) if *layout == versions.layout => bytes.clone(),
                _ => authors.insert((versions.layout, records.authors_file())).1.clone(),
            };
            crate::render::data_assembled(&records, &projects, &reviews, feed, sitemap, authors, &mut join)
        };
        let (mut files, search) = rayon::join(data, || search.files(site, versions));
        files.extend(search);
        files
    }
}

/// What `serve` keeps of the sitemap between rebuilds.
#[derive(Debug, Default)]
struct SitemapCache {
    /// The sitemap, with the number of the layout and the day of the newest change it was
    /// made for.
    made: Option<((u64, Option<crate::date::Date>), Bytes)>,
    /// The pages placed by the reviews (see [`Job::placed_by_reviews`]) with their paths.
    placed: Option<Placed>,
}

/// The pages placed by the reviews with their paths, sorted by path, for the site's reviews
/// (`versions.reviews`) in an order (`versions.order`): a job names a review by position.
#[derive(Debug)]
struct Placed {
    versions: Versions,
    entries: Vec<(String, Job)>,
    /// The reviews the jobs' positions refer to.
    reviews: Vec<Arc<Review>>,
}

impl Placed {
    /// The entries for `site`, whose reviews are these in another order (some edited): review
    /// pages name the new positions. Reviews before the first position that holds another
    /// review than before, and after the last, are the very same (`Arc`); those between are
    /// found there by slug. `None` if one is not found.
    fn reordered(mut self, site: &Site) -> Option<Vec<(String, Job)>> {
        let (old, new) = (&self.reviews, &site.reviews);
        let differs = |i: &usize| !Arc::ptr_eq(&old[*i], &new[*i]);
        let (Some(low), Some(high)) = ((0..new.len()).find(differs), (0..new.len()).rfind(differs)) else {
            return Some(self.entries);
        };
        let at: FastMap<&str, usize> = (low..=high).map(|i| (new[i].slug.as_str(), i)).collect();
        for (_, job) in &mut self.entries {
            if let Job::Review(i) = job
                && (low..=high).contains(i)
            {
                *i = *at.get(old[*i].slug.as_str())?;
            }
        }
        Some(self.entries)
    }
}

impl SitemapCache {
    /// `sitemap.xml` of `site`, whose pages are `jobs`: kept while the layout stands, and the
    /// paths of the pages placed by the reviews while the site's reviews stand (review pages
    /// follow their reviews when those moved): only the listings of questions and terms are
    /// placed again.
    fn made(&mut self, site: &Site, views: &Views<'_>, jobs: &[Job], origin: &str, versions: Versions) -> Bytes {
        // The log of changes is dated by its newest entry, which more than the layout moves (a
        // retraction, an answer).
        let dated = (versions.layout, views.newest_change());
        if let Some((made, bytes)) = &self.made
            && *made == dated
        {
            return bytes.clone();
        }
        let kept = match self.placed.take() {
            Some(placed) if placed.versions.order == versions.order => Some(placed.entries),
            Some(placed)
                if placed.versions.reviews == versions.reviews && placed.reviews.len() == site.reviews.len() =>
            {
                placed.reordered(site)
            }
            _ => None,
        };
        let placed = kept.unwrap_or_else(|| sitemap_pages(site, views, jobs, true));
        let listed = sitemap_pages(site, views, jobs, false);
        let bytes = sitemap(site, views, &placed, &listed, origin);
        let placed = Placed { versions, entries: placed, reviews: site.reviews.clone() };
        *self = SitemapCache { made: Some((dated, bytes.clone())), placed: Some(placed) };
        bytes
    }
}

/// The smallest joined file for which `serve` warms a buffer for the next join.
const WARMED: usize = 1 << 20;

/// A file joined from parts, kept with them: the same parts give the same shared bytes
/// without joining (or comparing) the whole file again, and a few parts changed are joined
/// between the bytes before and after them, copied whole.
#[derive(Debug, Default)]
struct Joined {
    parts: Vec<Arc<str>>,
    /// Where each part starts in `bytes`, and where the last one ends.
    offsets: Vec<usize>,
    bytes: Bytes,
    /// The bytes of the join before, whose buffer the next join reuses once no output holds
    /// them: the allocator hands a buffer of many megabytes back to the system once freed, and
    /// a new one costs a page fault per page (on this VM, after an idle second, the host's as
    /// well), more than copying the file into it.
    spare: Option<Bytes>,
    /// A buffer the size of the first join, its pages touched on another thread, for the next
    /// join, which has no spare yet: its faults (about 200 ms for the dataset and claims files
    /// of 10,000 reviews on this VM) are then not on the way of the first edit. It holds as
    /// much memory as the spare buffer does after that edit.
    warmed: Option<std::thread::JoinHandle<BytesMut>>,
}

impl Joined {
    /// The bytes of `parts` joined.
    fn join(&mut self, parts: Vec<Arc<str>>) -> Bytes {
        let same = |(old, new): (&Arc<str>, &Arc<str>)| Arc::ptr_eq(old, new) || old == new;
        let changed = match self.parts.len() == parts.len() && self.offsets.len() == parts.len() + 1 {
            true => self.parts.iter().zip(&parts).position(|p| !same(p)).map(|first| {
                let last = self.parts.iter().zip(&parts).rposition(|p| !same(p)).unwrap_or(first);
                (first, last)
            }),
            false => Some((0, parts.len().saturating_sub(1))),
        };
        match changed {
            None => {}
            Some((first, last)) if self.offsets.len() == parts.len() + 1 && !parts.is_empty() => {
                let (start, end) = (self.offsets[first], self.offsets[last + 1]);
                let middle: usize = parts[first..=last].iter().map(|p| p.len()).sum();
                let mut bytes = self.buffer(self.bytes.len() - (end - start) + middle);
                bytes.extend_from_slice(&self.bytes[..start]);
                for (i, part) in parts[first..=last].iter().enumerate() {
                    self.offsets[first + i] = bytes.len();
                    bytes.extend_from_slice(part.as_bytes());
                }
                let moved = bytes.len().wrapping_sub(end);
                bytes.extend_from_slice(&self.bytes[end..]);
                for offset in &mut self.offsets[last + 1..] {
                    *offset = offset.wrapping_add(moved);
                }
                self.replace(bytes);
            }
            Some(_) => {
                self.offsets = std::iter::once(0)
                    .chain(parts.iter().scan(0, |end, p| {
                        *end += p.len();
                        Some(*end)
                    }))
                    .collect();
                let mut bytes = self.buffer(parts.iter().map(|p| p.len()).sum());
                parts.iter().for_each(|p| bytes.extend_from_slice(p.as_bytes()));
                self.replace(bytes);
            }
        }
        self.parts = parts;
        self.bytes.clone()
    }

    /// An empty buffer of `capacity`: the spare one if nothing else holds it, else the warmed one.
    fn buffer(&mut self, capacity: usize) -> BytesMut {
        let spare = self.spare.take().and_then(|b| b.try_into_mut().ok());
        let mut buffer = spare.or_else(|| self.warmed.take()?.join().ok()).unwrap_or_default();
        buffer.clear();
        buffer.reserve(capacity);
        buffer
    }

    /// Makes `bytes` the joined file's, keeping the last ones as the spare buffer; after the
    /// first join, warms a buffer for the next.
    fn replace(&mut self, bytes: BytesMut) {
        let old = std::mem::replace(&mut self.bytes, bytes.freeze());
        if old.is_empty() && self.bytes.len() >= WARMED {
            // Room for the file to grow a little, every page written once.
            let size = self.bytes.len() + self.bytes.len() / 8;
            // No thread to be had: the next join allocates its buffer itself.
            self.warmed = std::thread::Builder::new()
                .spawn(move || {
                    // Written, not allocated zeroed: fresh zeroed memory is not touched.
                    let mut buffer = BytesMut::with_capacity(size);
                    buffer.resize(size, 0);
                    buffer.clear();
                    buffer
                })
                .ok();
        }
        self.spare = (!old.is_empty()).then_some(old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_files_equal_their_parts_joined_after_any_change() {
        let text = |t: &str| -> Arc<str> { Arc::from(t) };
        let mut joined = Joined::default();
        let rounds: [&[&str]; 6] = [
            &["a\n", "bb\n", "c\n"],
            &["a\n", "XYZ\n", "c\n"],
            &["a\n", "XYZ\n", "c\n"],
            &["", "XYZ\n", "dddd\n"],
            &["q"],
            &[],
        ];
        for parts in rounds {
            let parts: Vec<Arc<str>> = parts.iter().map(|p| text(p)).collect();
            let expected = parts.concat();
            assert_eq!(&joined.join(parts)[..], expected.as_bytes());
        }
        // Parts kept by pointer and edited in the middle.
        let kept: Vec<Arc<str>> = (0..50).map(|i| text(&format!("line {i}\n"))).collect();
        joined.join(kept.clone());
        for at in [0, 17, 49] {
            let mut parts = kept.clone();
            parts[at] = text(&format!("changed {at} to something longer\n"));
            let expected = parts.concat();
            assert_eq!(&joined.join(parts)[..], expected.as_bytes(), "edit at {at}");
        }
        // The buffer of the join before last is reused once nothing else holds it.
        let edited = |at: usize| {
            let mut parts = kept.clone();
            parts[at] = text(&format!("edit {at:02}\n"));
            parts
        };
        let first = joined.join(edited(1)).as_ptr();
        joined.join(edited(2));
        let third = joined.join(edited(3));
        assert_eq!(third.as_ptr(), first);
        assert_eq!(&third[..], edited(3).concat().as_bytes());
    }

    #[test]
    fn a_large_file_joins_its_first_edit_into_a_warmed_buffer() {
        // Two megabytes in lines: the first join warms a buffer, the first edit takes it.
        let lines: Vec<Arc<str>> = (0..20_000).map(|i| Arc::from(format!("{i:0>99}\n"))).collect();
        let mut joined = Joined::default();
        let first = joined.join(lines.clone());
        assert!(joined.warmed.is_some());
        let mut edited = lines.clone();
        edited[7] = Arc::from("changed\n");
        let second = joined.join(edited.clone());
        assert!(joined.warmed.is_none(), "taken by the first edit");
        assert_ne!(second.as_ptr(), first.as_ptr());
        assert_eq!(&second[..], edited.concat().as_bytes());
    }
}
