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
    Fixed(rounded, if rounded.fract() == 0.0 { 0 } else { 1 }).to_string()
}

/// `{:.0}` or `{:.1}` of a number (`Fixed(x, 1)` shows as `format!("{x:.1}")` does), faster:
/// formatting with a precision takes the standard library's slowest, exact path for most of
/// the numbers pages show (whole ones, or with one decimal), while a number that is an integer
/// once scaled is written as one, with the same digits.
#[derive(Debug, Clone, Copy)]
pub struct Fixed(pub f64, pub u8);

impl std::fmt::Display for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Fixed(value, decimals) = *self;
        let scaled = match decimals {
            0 => value,
            1 => value * 10.0,
            _ => f64::NAN,
        };
        // A scaled value that came out whole lies far closer to it than to a rounding tie,
        // so it is the correctly rounded one; a negative zero keeps its sign the slow way.
        if scaled.fract() != 0.0 || scaled.abs() >= 1e15 || (scaled == 0.0 && value.is_sign_negative()) {
            return write!(f, "{value:.*}", usize::from(decimals));
        }
        let whole = scaled as i64;
        match decimals {
            0 => write!(f, "{whole}"),
            _ => {
                let sign = if whole < 0 { "-" } else { "" };
                write!(f, "{sign}{}.{}", whole.unsigned_abs() / 10, whole.unsigned_abs() % 10)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_shows_what_formatting_with_a_precision_shows() {
        let mut values: Vec<f64> = (-2000..=2000).map(|k| f64::from(k) / 10.0).collect();
        values.extend((-400..=400).map(|k| f64::from(k) / 4.0));
        values.extend((-300..=300).map(|k| f64::from(k) * 0.37 + 0.05));
        values.extend([0.0, -0.0, -0.04, 0.05, 0.15, 0.25, 2.5, -2.5, 1e14, 1e15, 1e16 + 1.0, -1e17]);
        values.extend([1.0 / 3.0, 2.0 / 3.0, 150.0 + 34.0 * 7.3, f64::NAN, f64::INFINITY, f64::NEG_INFINITY]);
        for v in values {
            assert_eq!(Fixed(v, 0).to_string(), format!("{v:.0}"), "{v:?} to 0 decimals");
            assert_eq!(Fixed(v, 1).to_string(), format!("{v:.1}"), "{v:?} to 1 decimal");
        }
    }

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
