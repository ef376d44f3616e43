//! Facets as strings of fixed-width codes, one code per entry: the entries are the reviews
//! in index order (by slug, as the documents are numbered), then the projects (a question
//! takes its review's values), except the question status, which has one code per question in
//! document order, and the age, which has one per review. A missing value (a project's
//! verdict, an axis not scored) is the code one past the last value.

use serde::Serialize;

use crate::config::Config;
use crate::model::taxonomy::Term;
use crate::model::{Project, Review, Site};
use crate::output::OutputFile;

use super::encode::{code_width, push_code};
use super::json;

/// Codes of one facet.
#[derive(Debug, Serialize)]
pub struct Codes {
    /// Characters per code.
    pub w: usize,
    /// The codes, one per entry.
    pub c: String,
}

/// A facet whose values have slugs and names, fetched when the reader uses it.
#[derive(Debug, Serialize)]
pub struct Named {
    /// `[slug, name]` per value.
    pub values: Vec<[String; 2]>,
    /// Characters per code.
    pub w: usize,
    /// The codes; for tags, each entry's codes run together and entries are separated by `.`.
    pub c: String,
}

/// What the search page fetches at once: how many questions each review has (to map
/// documents to reviews), verdicts, and how old each review is (to show results newest first).
#[derive(Debug, Serialize)]
pub struct Core {
    /// Questions per review.
    pub questions: Codes,
    /// Verdict per entry, by index in the configuration.
    pub verdict: Codes,
    /// Per review, the days from its date to the newest review's: with the index order (by
    /// slug) among reviews of one day, the site's order.
    pub age: Codes,
}

/// Scores floored to whole numbers counted from the bottom of the scale: the overall score,
/// then each axis in configuration order.
#[derive(Debug, Serialize)]
pub struct Scores {
    /// Characters per code.
    pub w: usize,
    /// One code string per score.
    pub c: Vec<String>,
}

/// What the facets need of one review, read in one visit: a site's reviews lie all over the
/// heap, and reading each once is what makes the facets cheap.
#[derive(Debug, PartialEq)]
pub struct ReviewFacets {
    /// Its date's [`crate::date::Date::day_number`].
    day: i64,
    questions: usize,
    verdict: Option<usize>,
    project: usize,
    /// The overall score's bucket, then each axis'.
    buckets: Vec<Option<usize>>,
    /// Each question's status.
    statuses: Vec<usize>,
}

/// What the facets need of `review`, of a site configured by `config`.
pub fn review_facets(config: &Config, review: &Review) -> ReviewFacets {
    let (low, steps) = scale_steps(config);
    let values: Vec<Option<f64>> = config.axes.iter().map(|a| review.scores.get(&a.key).copied()).collect();
    let buckets = std::iter::once(bucket(config.weighted(&values), low, steps))
        .chain(values.into_iter().map(|v| bucket(v, low, steps)));
    ReviewFacets {
        day: review.date.day_number(),
        questions: review.questions.len(),
        verdict: config.verdicts.iter().position(|v| v.key == review.verdict),
        project: review.project,
        buckets: buckets.collect(),
        statuses: review.questions.iter().map(|q| q.status as usize).collect(),
    }
}

/// The whole-number bucket of a score on a scale from `low` of `steps` buckets.
fn bucket(score: Option<f64>, low: f64, steps: usize) -> Option<usize> {
    score.map(|s| ((s.floor() - low).max(0.0) as usize).min(steps - 1))
}

/// The facet files of `site` (`search/facets/*.json`), whose reviews are in index `order`
/// (their positions in the site, see [`super::documents::index_order`]), each with its `rows`
/// ([`review_facets`], in index order).
pub fn facet_files(site: &Site, order: &[usize], rows: &[&ReviewFacets]) -> Vec<OutputFile> {
    let config = &site.config;
    let reviews = &site.reviews;
    let projects = &site.projects;
    let (low, steps) = scale_steps(config);
    let core = {
        let max_questions = rows.iter().map(|r| r.questions).max().unwrap_or(0);
        let newest = rows.iter().map(|r| r.day).max().unwrap_or(0);
        let ages = rows.iter().map(|r| usize::try_from(newest - r.day).unwrap_or(0));
        let core = Core {
            questions: codes(rows.iter().map(|r| Some(r.questions)), max_questions + 1),
            verdict: codes(rows.iter().map(|r| r.verdict).chain(projects.iter().map(|_| None)), config.verdicts.len()),
            age: codes(ages.clone().map(Some), ages.max().map_or(1, |oldest| oldest + 1)),
        };
        json("search/facets/core.json".into(), &core)
    };
    let status = {
        let statuses = rows.iter().flat_map(|r| r.statuses.iter().map(|&s| Some(s)));
        json("search/facets/status.json".into(), &codes(statuses, 3))
    };
    let project_axis =
        |p: &Project, axis: usize| p.scores.get(axis).and_then(|s| s.median).filter(|_| p.has_aggregate());
    let project_buckets: Vec<Option<usize>> = projects
        .iter()
        .flat_map(|p| {
            (0..=config.axes.len()).map(|c| bucket(if c == 0 { p.overall } else { project_axis(p, c - 1) }, low, steps))
        })
        .collect();
    let scores = {
        let columns = (0..=config.axes.len()).map(|column| {
            let of_projects = project_buckets.iter().skip(column).step_by(config.axes.len() + 1).copied();
            codes(rows.iter().map(|r| r.buckets[column]).chain(of_projects), steps).c
        });
        json("search/facets/scores.json".into(), &Scores { w: code_width(steps + 1), c: columns.collect() })
    };
    let project = {
        let project_values: Vec<[String; 2]> = projects.iter().map(|p| [p.slug.clone(), p.name.clone()]).collect();
        let entries = rows.iter().map(|r| Some(r.project)).chain((0..projects.len()).map(Some));
        json("search/facets/project.json".into(), &named(project_values, entries))
    };
    // Index positions by site position, for the terms' lists of reviews.
    let mut entry_of = vec![0; reviews.len()];
    for (entry, &at) in order.iter().enumerate() {
        entry_of[at] = entry;
    }
    // A review may have several authors, as it has several tags.
    let author = json("search/facets/author.json".into(), &term_lists(site, &site.authors, &entry_of));
    let tag = json("search/facets/tag.json".into(), &term_lists(site, &site.tags, &entry_of));
    // What the site found of the projects' claims.
    let finding = json("search/facets/finding.json".into(), &finding_lists(site));
    vec![core, status, scores, project, author, tag, finding]
}

/// The bottom of the scale, floored, and how many whole-number buckets it has.
fn scale_steps(config: &Config) -> (f64, usize) {
    let scale = &config.scale;
    let low = scale.min.floor();
    (low, (scale.max.floor() - low) as usize + 1)
}

fn codes(values: impl Iterator<Item = Option<usize>>, count: usize) -> Codes {
    let w = code_width(count + 1);
    let mut c = String::new();
    for value in values {
        push_code(&mut c, value.unwrap_or(count), w);
    }
    Codes { w, c }
}

fn named(values: Vec<[String; 2]>, entries: impl Iterator<Item = Option<usize>>) -> Named {
    let Codes { w, c } = codes(entries, values.len());
    Named { values, w, c }
}

/// The terms (tags, authors) of each entry; `entry_of` gives a review's index position by its
/// site position.
fn term_lists(site: &Site, terms: &[Term], entry_of: &[usize]) -> Named {
    let mut review_lists: Vec<Vec<usize>> = vec![Vec::new(); site.reviews.len()];
    let mut project_lists: Vec<Vec<usize>> = vec![Vec::new(); site.projects.len()];
    for (t, term) in terms.iter().enumerate() {
        for &r in &term.reviews {
            review_lists[entry_of[r]].push(t);
        }
        for &p in &term.projects {
            project_lists[p].push(t);
        }
    }
    let values = terms.iter().map(|t| [t.slug.clone(), t.name.clone()]).collect();
    listed(values, review_lists.iter().chain(&project_lists))
}

/// The ratings of the findings of each project's claims (reviews have none), each once.
fn finding_lists(site: &Site) -> Named {
    let ratings = &site.config.claim_ratings;
    let project_lists = site.projects.iter().map(|p| {
        let found: std::collections::BTreeSet<usize> = p
            .claims
            .iter()
            .filter_map(|c| c.finding.as_deref())
            .filter_map(|f| ratings.iter().position(|r| r.key == f.rating))
            .collect();
        found.into_iter().collect::<Vec<_>>()
    });
    let lists: Vec<Vec<usize>> = site.reviews.iter().map(|_| Vec::new()).chain(project_lists).collect();
    listed(ratings.iter().map(|r| [r.key.clone(), r.label.clone()]).collect(), lists.iter())
}

/// A facet whose entries each hold a list of `values` (their codes run together, the lists
/// separated by `.`).
fn listed<'a>(values: Vec<[String; 2]>, lists: impl Iterator<Item = &'a Vec<usize>>) -> Named {
    let w = code_width(values.len());
    let mut c = String::new();
    for (i, list) in lists.enumerate() {
        if i > 0 {
            c.push('.');
        }
        for &t in list {
            push_code(&mut c, t, w);
        }
    }
    Named { values, w, c }
}
