//! The `/rubric/` page's data: every axis with what it measures and what its ranges mean,
//! every verdict, and the rules by which scores add up, as this site configures them.

use serde::Serialize;

use crate::config::StaleAggregates;
use crate::model::scores::format_score;

use super::{VerdictView, Views};

/// One axis as the rubric explains it.
#[derive(Debug, Serialize)]
pub struct RubricAxis {
    key: String,
    label: String,
    ask: String,
    definition: String,
    weight: String,
    bands: Vec<RubricBand>,
}

/// A range of an axis' scores and what it means.
#[derive(Debug, Serialize)]
pub struct RubricBand {
    from: String,
    to: String,
    means: String,
}

/// A rating a claim's finding may give.
#[derive(Debug, Serialize)]
pub struct RatingView {
    key: String,
    label: String,
    description: String,
}

/// The whole rubric.
#[derive(Debug, Serialize)]
pub struct RubricView {
    axes: Vec<RubricAxis>,
    verdicts: Vec<VerdictView>,
    /// The ratings a claim's finding may give.
    claim_ratings: Vec<RatingView>,
    /// The keys of the verdicts some review reached (whose pages exist).
    reached: Vec<String>,
    /// The label of `recommend_from`, when set: it and the verdicts before it recommend.
    recommend_from: Option<String>,
    scale_min: String,
    scale_max: String,
    min_reviews: usize,
    contested_spread: String,
    stale_after_days: u32,
    stale_excluded: bool,
}

impl Views<'_> {
    /// The rubric page.
    pub fn rubric(&self) -> RubricView {
        let config = self.config();
        RubricView {
            axes: config
                .axes
                .iter()
                .map(|a| RubricAxis {
                    key: a.key.clone(),
                    label: a.label.clone(),
                    ask: a.ask.clone(),
                    definition: a.definition.clone(),
                    weight: format_score(a.weight),
                    bands: a
                        .bands
                        .iter()
                        .map(|b| RubricBand {
                            from: format_score(b.from),
                            to: format_score(b.to),
                            means: b.means.clone(),
                        })
                        .collect(),
                })
                .collect(),
            verdicts: config.verdicts.iter().map(|v| self.verdict(&v.key)).collect(),
            claim_ratings: config
                .claim_ratings
                .iter()
                .map(|r| RatingView { key: r.key.clone(), label: r.label.clone(), description: r.description.clone() })
                .collect(),
            // Only verdicts some review reached have a page.
            reached: config
                .verdicts
                .iter()
                .filter(|v| self.site.verdicts.iter().any(|t| t.slug == v.key))
                .map(|v| v.key.clone())
                .collect(),
            recommend_from: config.recommend_from.as_deref().map(|k| self.verdict(k).label),
            scale_min: format_score(config.scale.min),
            scale_max: format_score(config.scale.max),
            min_reviews: config.min_reviews,
            contested_spread: format_score(config.contested_spread),
            stale_after_days: config.freshness.stale_after_days,
            stale_excluded: config.freshness.stale_aggregates == StaleAggregates::Exclude,
        }
    }
}
