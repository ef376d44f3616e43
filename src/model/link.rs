//! Linking: once reviews are validated and sorted, each project learns its reviews, the
//! questions raised about each claim, its per-axis summaries, its overall score and how that
//! score moved over time.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::Config;

use super::date::Date;
use super::scores::AxisSummary;
use super::taxonomy;
use super::{HistoryPoint, QuestionRef, Review, Site};

/// Fills each project's reviews, claim questions and scores from the sorted reviews.
pub(super) fn link(site: &mut Site) {
    for (ri, review) in site.reviews.iter().enumerate() {
        let project = &mut site.projects[review.project];
        project.reviews.push(ri);
        for (qi, q) in review.questions.iter().enumerate() {
            let at = QuestionRef { review: ri, question: qi };
            match q.claim.as_ref().and_then(|id| project.claims.iter_mut().find(|c| &c.id == id)) {
                Some(claim) => claim.questions.push(at),
                None => project.unclaimed_questions.push(at),
            }
        }
    }
    let (config, all_reviews) = (&site.config, &site.reviews);
    // Projects are independent from here on: summarised in parallel.
    site.projects.par_iter_mut().for_each(|project| {
        let reviews: Vec<&Review> = project.reviews.iter().map(|&r| &all_reviews[r]).collect();
        let states: Vec<&BTreeMap<String, f64>> = reviews.iter().map(|r| &r.scores).collect();
        project.scores = axis_summaries(config, &states);
        if reviews.len() >= config.min_reviews {
            project.overall = overall(config, &project.scores);
        }
        project.history = history(config, &reviews);
    });
    let order: Vec<(String, String)> = config.verdicts.iter().map(|v| (v.key.clone(), v.label.clone())).collect();
    let (tags, (authors, verdicts)) = rayon::join(
        || taxonomy::tags(&site.reviews, &site.projects),
        || rayon::join(|| taxonomy::authors(&site.reviews), || taxonomy::verdicts(&site.reviews, &order)),
    );
    (site.tags, site.authors, site.verdicts) = (tags, authors, verdicts);
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
