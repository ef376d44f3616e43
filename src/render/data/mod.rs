//! The site's facts for machines and hosts: JSON Feed, per-project JSON, the JSONL dataset
//! with its JSON Schema, `llms.txt`, `sitemap.xml` and `robots.txt`. Records carry a
//! `version`; field names are stable within it.

use std::borrow::Cow;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use serde::Serialize;

use crate::memo::{Memo, Versions};
use crate::model::{Claim, Project, Question, Review, Site};
use crate::parse::matter::{Accountability, Governance, QuestionStatus, Token};

use super::jobs::Job;
use super::views::Views;
use crate::output::OutputFile;

mod summaries;

use summaries::{SitemapCache, llms, llms_line, sitemap};

/// The version of every record's shape.
pub const DATA_VERSION: u32 = 1;

/// The JSON Schema of the records.
const SCHEMA: &str = include_str!("schema.json");

#[derive(Serialize)]
struct QuestionRecord<'a> {
    number: usize,
    ask: &'a str,
    claim: Option<&'a str>,
    status: QuestionStatus,
    answer: Option<&'a str>,
    evidence: Option<Cow<'a, str>>,
    asked: Option<String>,
    answered: Option<String>,
    review: &'a str,
    url: String,
}

#[derive(Serialize)]
struct ReviewRecord<'a> {
    version: u32,
    slug: &'a str,
    url: String,
    project: &'a str,
    title: &'a str,
    author: &'a str,
    date: String,
    updated: Option<String>,
    verdict: &'a str,
    scores: &'a std::collections::BTreeMap<String, f64>,
    overall: Option<f64>,
    tags: &'a [String],
    questions: Vec<QuestionRecord<'a>>,
}

#[derive(Serialize)]
struct ClaimRecord<'a> {
    version: u32,
    project: &'a str,
    id: &'a str,
    text: &'a str,
    source: Option<Cow<'a, str>>,
    accessed: Option<String>,
    url: String,
    open: usize,
    answered: usize,
    disputed: usize,
    questions: Vec<QuestionRecord<'a>>,
}

#[derive(Serialize)]
struct AxisRecord<'a> {
    reviewers: usize,
    values: &'a [f64],
    median: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    contested: bool,
}

#[derive(Serialize)]
struct ProjectRecord<'a> {
    version: u32,
    slug: &'a str,
    url: String,
    name: &'a str,
    summary: &'a str,
    homepage: Option<&'a str>,
    category: Option<&'a str>,
    tags: &'a [String],
    overall: Option<f64>,
    scores: std::collections::BTreeMap<&'a str, AxisRecord<'a>>,
    claims: Vec<ClaimRecord<'a>>,
    reviews: Vec<ReviewRecord<'a>>,
    token: Option<&'a Token>,
    governance: Option<&'a Governance>,
    accountability: Option<&'a Accountability>,
}

/// Builds the records; every URL is absolute.
struct Records<'a> {
    site: &'a Site,
    views: &'a Views<'a>,
    origin: String,
}

impl<'a> Records<'a> {
    fn url(&self, link: &str) -> String {
        format!("{}{link}", self.origin)
    }

    /// A URL field's value, a path on this site made absolute like every URL of the records.
    fn field(&self, url: &'a str) -> Cow<'a, str> {
        if url.starts_with('/') && !url.starts_with("//") {
            Cow::Owned(self.url(&self.views.urls().field(url)))
        } else {
            Cow::Borrowed(url)
        }
    }

    fn question(&self, review: &'a Review, q: &'a Question) -> QuestionRecord<'a> {
        QuestionRecord {
            number: q.number,
            ask: &q.ask,
            claim: q.claim.as_deref(),
            status: q.status,
            answer: q.answer_source.as_deref(),
            evidence: q.evidence.as_deref().map(|url| self.field(url)),
            asked: q.asked.map(|d| d.to_string()),
            answered: q.answered.map(|d| d.to_string()),
            review: &review.slug,
            url: format!("{}#{}", self.url(&self.views.urls().review(&review.slug)), q.anchor()),
        }
    }

    fn review(&self, review: &'a Review) -> ReviewRecord<'a> {
        ReviewRecord {
            version: DATA_VERSION,
            slug: &review.slug,
            url: self.url(&self.views.urls().review(&review.slug)),
            project: &self.site.projects[review.project].slug,
            title: &review.title,
            author: &review.author,
            date: review.date.to_string(),
            updated: review.updated.map(|d| d.to_string()),
            verdict: &review.verdict,
            scores: &review.scores,
            overall: self.site.config.overall(&review.scores).map(round),
            tags: &review.tags,
            questions: review.questions.iter().map(|q| self.question(review, q)).collect(),
        }
    }

    fn claim(&self, project: &'a Project, claim: &'a Claim) -> ClaimRecord<'a> {
        let questions: Vec<QuestionRecord<'a>> = claim
            .questions
            .iter()
            .map(|&at| {
                let (review, q) = self.site.question(at);
                self.question(review, q)
            })
            .collect();
        let count = |status| questions.iter().filter(|q| q.status == status).count();
        ClaimRecord {
            version: DATA_VERSION,
            project: &project.slug,
            id: &claim.id,
            text: &claim.text,
            source: claim.source.as_deref().map(|url| self.field(url)),
            accessed: claim.accessed.map(|d| d.to_string()),
            url: format!("{}#claim-{}", self.url(&self.views.urls().project(&project.slug)), claim.id),
            open: count(QuestionStatus::Open),
            answered: count(QuestionStatus::Answered),
            disputed: count(QuestionStatus::Disputed),
            questions,
        }
    }

    fn project(&self, project: &'a Project) -> ProjectRecord<'a> {
        ProjectRecord {
            version: DATA_VERSION,
            slug: &project.slug,
            url: self.url(&self.views.urls().project(&project.slug)),
            name: &project.name,
            summary: &project.summary,
            homepage: project.homepage.as_deref(),
            category: project.category.as_deref(),
            tags: &project.tags,
            overall: project.overall.map(round),
            scores: project
                .scores
                .iter()
                .map(|s| {
                    let aggregate = project.has_aggregate();
                    let record = AxisRecord {
                        reviewers: s.values.len(),
                        values: &s.values,
                        median: s.median.filter(|_| aggregate),
                        min: s.min,
                        max: s.max,
                        contested: s.contested,
                    };
                    (s.key.as_str(), record)
                })
                .collect(),
            claims: project.claims.iter().map(|c| self.claim(project, c)).collect(),
            reviews: project.reviews.iter().map(|&r| self.review(&self.site.reviews[r])).collect(),
            token: project.token.as_ref(),
            governance: project.governance.as_ref(),
            accountability: project.accountability.as_ref(),
        }
    }
}

/// Two decimals: enough for a median or a weighted mean, and stable across platforms.
fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0 + 0.0
}

fn json_line<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Records kept between the rebuilds of `serve`, by the files they were made from: a review's
/// line of the dataset (its file and its project's), and a project's JSON and claim lines
/// (its file and those of its reviews, in order).
#[derive(Debug, Default)]
pub struct DataCache {
    reviews: Memo<Arc<ReviewData>>,
    /// Each project's JSON and its claims' lines.
    projects: Memo<Arc<(Bytes, Arc<str>)>>,
    /// The JSON feed, by the files of the newest reviews and their projects.
    json_feed: Memo<Bytes>,
    reviews_file: Joined,
    claims_file: Joined,
    llms_file: Joined,
    sitemap: SitemapCache,
}

/// What the data files take from one review, made from its file and its project's.
#[derive(Debug)]
struct ReviewData {
    /// Its record, a line of `data/reviews.jsonl`.
    record: Arc<str>,
    /// Its line of `llms.txt`.
    summary: Arc<str>,
    /// How many of its questions are open.
    open: usize,
}

impl DataCache {
    /// A cache that keeps nothing, for a build that runs once.
    pub fn none() -> Self {
        let once = || Joined { once: true, ..Joined::default() };
        Self {
            reviews: Memo::none(),
            projects: Memo::none(),
            json_feed: Memo::none(),
            reviews_file: once(),
            claims_file: once(),
            llms_file: once(),
            ..Self::default()
        }
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
    /// Whether the file is joined once (a build): no buffer is warmed.
    once: bool,
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
        if old.is_empty() && !self.once && self.bytes.len() >= WARMED {
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

/// Every machine-readable file of the site, whose pages are `jobs`, reusing what `cache` holds
/// of unchanged files. `versions`, when given, name the site's layout (its pages and their
/// dates) and its reviews: the same layout promises the same sitemap, the same reviews the
/// same paths of the pages they place (review pages follow their reviews when they moved).
pub fn files(
    site: &Site,
    views: &Views<'_>,
    jobs: &[Job],
    cache: &mut DataCache,
    versions: Option<Versions>,
) -> Vec<OutputFile> {
    let records = Records { site, views, origin: views.origin().to_string() };
    let mut files = Vec::new();
    let file = |path: String, text: String| OutputFile::new(path, text);
    let shared = |path: &str, bytes: Bytes| OutputFile::new(path.to_string(), bytes);
    let project_keys = site
        .projects
        .iter()
        .map(|p| {
            Some(
                std::iter::once(&p.source.text)
                    .chain(p.reviews.iter().map(|&r| &site.reviews[r].source.text))
                    .collect(),
            )
        })
        .collect();
    let projects = cache.projects.refresh(project_keys, |i| {
        let project = &site.projects[i];
        let json = serde_json::to_string_pretty(&records.project(project)).unwrap_or_default() + "\n";
        let claims: String = project.claims.iter().map(|c| json_line(&records.claim(project, c)) + "\n").collect();
        Arc::new((Bytes::from(json), Arc::from(claims)))
    });
    for (project, made) in site.projects.iter().zip(&projects) {
        files.push(shared(&format!("projects/{}/index.json", project.slug), made.0.clone()));
    }
    let review_keys =
        site.reviews.iter().map(|r| Some(vec![&r.source.text, &site.projects[r.project].source.text])).collect();
    let reviews = cache.reviews.refresh(review_keys, |i| {
        let review = &site.reviews[i];
        Arc::new(ReviewData {
            record: Arc::from(json_line(&records.review(review)) + "\n"),
            summary: Arc::from(llms_line(site, &records, review)),
            open: review.questions.iter().filter(|q| q.status == QuestionStatus::Open).count(),
        })
    });
    files.push(shared(
        "data/reviews.jsonl",
        cache.reviews_file.join(reviews.iter().map(|r| r.record.clone()).collect()),
    ));
    files.push(shared(
        "data/claims.jsonl",
        cache.claims_file.join(projects.iter().map(|made| made.1.clone()).collect()),
    ));
    files.push(file("data/schema.json".into(), SCHEMA.to_string()));
    let newest = site.reviews.iter().take(site.config.feed_limit);
    let feed_key: Vec<_> = newest.flat_map(|r| [&r.source.text, &site.projects[r.project].source.text]).collect();
    // A feed of no review is made from the configuration alone, which no file text here stands
    // for: never kept.
    let feed_key = Some(feed_key).filter(|key| !key.is_empty());
    let json_feed = cache.json_feed.refresh(vec![feed_key], |_| {
        Bytes::from(serde_json::to_string_pretty(&views.json_feed()).unwrap_or_default() + "\n")
    });
    files.extend(json_feed.into_iter().map(|bytes| shared("feed.json", bytes)));
    files.push(shared("sitemap.xml", sitemap(site, views, jobs, &records.origin, &mut cache.sitemap, versions)));
    files.push(file(
        "robots.txt".into(),
        format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", site.config.base_url),
    ));
    files.push(shared("llms.txt", cache.llms_file.join(llms(site, &records, &reviews))));
    files
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
        // A build joins once and warms nothing.
        let mut once = Joined { once: true, ..Joined::default() };
        once.join(lines);
        assert!(once.warmed.is_none());
    }
}
