//! Linking: once reviews are validated and sorted, each project learns its reviews, the
//! questions raised about each claim, its per-axis summaries, its overall score and how that
//! score moved over time.

use std::collections::BTreeMap;

use std::sync::Arc;

use crate::config::Config;

use super::scores::AxisSummary;
use super::taxonomy;
use super::{HistoryPoint, Project, QuestionRef, Review, Site};
use crate::date::Date;

/// What a project's reviews' scores add up to: per-axis summaries, the overall score and its
/// history. It depends on nothing but those reviews (their files) and the configuration.
#[derive(Debug, Clone)]
pub struct Summary {
    scores: Vec<AxisSummary>,
    overall: Option<f64>,
    history: Vec<HistoryPoint>,
    stale: usize,
}

/// Fills each project's reviews, claim questions and scores (from `summaries`, of the projects
/// with their reviews filled in) from the sorted reviews, then the taxonomies.
pub(super) fn link(site: &mut Site, summaries: impl FnOnce(&Site) -> Vec<Arc<Summary>>) {
    for (ri, review) in site.reviews.iter().enumerate() {
        let project = Arc::make_mut(&mut site.projects[review.project]);
        project.reviews.push(ri);
        file_questions(project, ri, review);
    }
    let summaries = summaries(site);
    for (project, summary) in site.projects.iter_mut().zip(summaries) {
        set_summary(Arc::make_mut(project), &summary);
    }
    let config = &site.config;
    let order = verdict_order(config);
    let (tags, (authors, verdicts)) = rayon::join(
        || taxonomy::tags(&site.reviews, &site.projects),
        || rayon::join(|| taxonomy::authors(&site.reviews), || taxonomy::verdicts(&site.reviews, &order)),
    );
    (site.tags, site.authors, site.verdicts) = (Arc::new(tags), Arc::new(authors), Arc::new(verdicts));
}

/// Files the questions of `review` (the site's `ri`th, of `project`) under the claims they test,
/// or as unclaimed.
fn file_questions(project: &mut Project, ri: usize, review: &Review) {
    for (qi, q) in review.questions.iter().enumerate() {
        let at = QuestionRef { review: ri, question: qi };
        match q.claim.as_ref().and_then(|id| project.claims.iter_mut().find(|c| &c.id == id)) {
            Some(claim) => claim.questions.push(at),
            None => project.unclaimed_questions.push(at),
        }
    }
}

/// Files the questions of project `p`'s reviews again, as [`link`] does, after some of them
/// changed in place (the project keeps its reviews).
pub fn refile_questions(site: &mut Site, p: usize) {
    let project = Arc::make_mut(&mut site.projects[p]);
    for claim in &mut project.claims {
        claim.questions.clear();
    }
    project.unclaimed_questions.clear();
    for &ri in &project.reviews.clone() {
        file_questions(project, ri, &site.reviews[ri]);
    }
}

/// The verdicts' keys and labels, in configuration order.
pub fn verdict_order(config: &Config) -> Vec<(String, String)> {
    config.verdicts.iter().map(|v| (v.key.clone(), v.label.clone())).collect()
}

/// What `project`'s reviews (of `reviews`, the site's) add up to on `today`: stale reviews
/// are counted, and left out of the medians when `[freshness] stale_aggregates` says so.
pub fn summarize(config: &Config, reviews: &[Arc<Review>], project: &Project, today: Date) -> Summary {
    let reviews: Vec<&Review> = project.reviews.iter().map(|&r| &*reviews[r]).collect();
    // A retracted review is not stale, it is withdrawn.
    let stale = reviews.iter().filter(|r| r.standing.counts() && r.is_stale(today)).count();
    let counted: Vec<&Review> = reviews.iter().copied().filter(|r| r.counts_in_aggregates(config, today)).collect();
    let states: Vec<&BTreeMap<String, f64>> = counted.iter().map(|r| &r.scores).collect();
    let scores = axis_summaries(config, &states);
    let overall = if counted.len() >= config.min_reviews { overall(config, &scores) } else { None };
    // The history of the reviews counted now, so that its last point is the overall score.
    Summary { scores, overall, history: history(config, &counted), stale }
}

/// Project `p` of `site` summarised again from its reviews (some of whose scores changed).
pub fn resummarize(site: &mut Site, p: usize) {
    let summary = summarize(&site.config, &site.reviews, &site.projects[p], site.today);
    set_summary(Arc::make_mut(&mut site.projects[p]), &summary);
}

/// Gives `project` the scores of `summary`.
pub(super) fn set_summary(project: &mut Project, summary: &Summary) {
    project.scores.clone_from(&summary.scores);
    project.overall = summary.overall;
    project.history.clone_from(&summary.history);
    project.stale_reviews = summary.stale;
}

fn axis_summaries(config: &Config, states: &[&BTreeMap<String, f64>]) -> Vec<AxisSummary> {
    config
        .axes
        .iter()
        .map(|axis| {
            let values = states.iter().filter_map(|s| s.get(&axis.key).copied()).collect();
            AxisSummary::new(&axis.key, values, config.contested_spread)
        })
        .collect()
}

/// The weighted mean of the axis medians.
fn overall(config: &Config, summaries: &[AxisSummary]) -> Option<f64> {
    let medians = summaries.iter().filter_map(|s| s.median.map(|m| (s.key.clone(), m))).collect();
    config.overall(&medians)
}

/// The project's overall score at each date a review was published or revised, from the
/// first date on which it had `min_reviews` reviews.
fn history(config: &Config, reviews: &[&Review]) -> Vec<HistoryPoint> {
    let timelines: Vec<Vec<(Date, &BTreeMap<String, f64>)>> = reviews.iter().map(|r| r.score_states()).collect();
    let mut dates: Vec<Date> = timelines.iter().flatten().map(|(d, _)| *d).collect();
    dates.sort();
    dates.dedup();
    dates
        .into_iter()
        .filter_map(|date| {
            let states: Vec<&BTreeMap<String, f64>> = timelines
                .iter()
                .filter_map(|timeline| timeline.iter().rev().find(|(from, _)| *from <= date).map(|(_, s)| *s))
                .collect();
            if states.len() < config.min_reviews {
                return None;
            }
            let overall = overall(config, &axis_summaries(config, &states))?;
            Some(HistoryPoint { date, overall, reviews: states.len() })
        })
        .collect()
}
