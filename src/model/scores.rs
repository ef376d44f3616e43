//! Score aggregation: per-axis summaries of the scores a project's reviews gave it.

use serde::Serialize;

/// What the reviews of one project say on one axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AxisSummary {
    /// The axis key.
    pub key: String,
    /// Every review's score on this axis, ascending.
    pub values: Vec<f64>,
    /// The median, when at least one review scored the axis.
    pub median: Option<f64>,
    /// The lowest score.
    pub min: Option<f64>,
    /// The highest score.
    pub max: Option<f64>,
    /// Whether reviewers disagree: the spread reaches the configured `contested_spread`.
    pub contested: bool,
}

impl AxisSummary {
    /// Summarizes the scores given on axis `key`; a spread of `contested_spread` or more
    /// marks the axis as contested.
    pub fn new(key: &str, mut values: Vec<f64>, contested_spread: f64) -> Self {
        values.sort_by(f64::total_cmp);
        let (min, max) = (values.first().copied(), values.last().copied());
        Self {
            key: key.to_string(),
            median: median(&values),
            min,
            max,
            contested: matches!((min, max), (Some(lo), Some(hi)) if hi - lo >= contested_spread),
            values,
        }
    }
}

/// The median of ascending `sorted` values: the middle one, or the mean of the two middle ones.
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// A score for readers: at most one decimal, no trailing `.0`.
pub fn format_score(value: f64) -> String {
    // Adding 0.0 turns -0.0 into 0.0, so no "-0" is ever shown.
    let rounded = (value * 10.0).round() / 10.0 + 0.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[1.0, 2.0, 9.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 9.0]), Some(3.0));
    }

    #[test]
    fn summary_sorts_and_bounds() {
        let s = AxisSummary::new("cost", vec![7.0, 2.0, 4.0], 4.0);
        assert_eq!((s.min, s.median, s.max), (Some(2.0), Some(4.0), Some(7.0)));
        assert_eq!(s.values, [2.0, 4.0, 7.0]);
        assert!(s.contested, "a spread of 5 reaches 4");
        assert!(!AxisSummary::new("cost", vec![7.0, 4.0], 4.0).contested);
        assert!(!AxisSummary::new("cost", vec![], 4.0).contested);
    }

    #[test]
    fn scores_print_without_noise() {
        assert_eq!(format_score(4.0), "4");
        assert_eq!(format_score(3.25), "3.3");
        assert_eq!(format_score(7.5), "7.5");
        assert_eq!(format_score(-0.0), "0");
        assert_eq!(format_score(-0.04), "0");
    }
}
