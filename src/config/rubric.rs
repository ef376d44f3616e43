//! The rubric's settings: what each axis measures (`definition`), what its score ranges mean
//! (`bands`), and from which verdict on a review recommends the project (`recommend_from`).
//! Checked here, so that a band outside the scale or a verdict that does not exist is an error
//! at its line in `critique.toml`.

use serde::{Deserialize, Serialize};

use super::{Config, ScoreAxis};
use crate::diagnostic::Diagnostic;
use crate::locate::Step;

/// What the scores from `from` to `to` (inclusive) on an axis mean.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The lowest score of the band.
    pub from: f64,
    /// The highest score of the band.
    pub to: f64,
    /// What a score in it says (`"costs about what the incumbents do"`).
    pub means: String,
}

impl ScoreAxis {
    /// The band holding `score`, if the axis has one there.
    pub fn band(&self, score: f64) -> Option<&Band> {
        self.bands.iter().find(|b| b.from <= score && score <= b.to)
    }
}

impl Config {
    /// The verdicts that recommend the project: `recommend_from` and those listed before it
    /// (verdicts go from best to worst); none when it is not set.
    pub fn recommending(&self) -> &[super::Verdict] {
        let Some(from) = &self.recommend_from else { return &[] };
        let at = self.verdicts.iter().position(|v| &v.key == from).map_or(0, |i| i + 1);
        &self.verdicts[..at]
    }
}

/// The errors of the rubric's settings, each placed by `at` (a key path and a message).
pub(super) fn problems(config: &Config, at: &dyn Fn(&[Step<'_>], String) -> Diagnostic) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let (min, max) = (config.scale.min, config.scale.max);
    for (i, axis) in config.axes.iter().enumerate() {
        let mut bands: Vec<&Band> = axis.bands.iter().collect();
        for (j, band) in axis.bands.iter().enumerate() {
            let steps = [Step::Key("axes"), Step::Index(i), Step::Key("bands"), Step::Index(j)];
            let inside = |x: f64| x.is_finite() && min <= x && x <= max;
            if !(inside(band.from) && inside(band.to) && band.from <= band.to) {
                let message = format!(
                    "band {}–{} of `{}`: expected from ≤ to, both within the scale {min}–{max}",
                    band.from, band.to, axis.key
                );
                errors.push(at(&steps, message));
            }
            if band.means.trim().is_empty() {
                errors.push(at(&steps, format!("a band of `{}` says nothing: expected `means = \"…\"`", axis.key)));
            }
        }
        bands.sort_by(|a, b| a.from.total_cmp(&b.from));
        if let Some(pair) = bands.windows(2).find(|w| w[1].from <= w[0].to) {
            let message = format!(
                "bands {}–{} and {}–{} of `{}` overlap: expected each score in one band",
                pair[0].from, pair[0].to, pair[1].from, pair[1].to, axis.key
            );
            errors.push(at(&[Step::Key("axes"), Step::Index(i), Step::Key("bands")], message));
        }
    }
    if let Some(from) = &config.recommend_from
        && config.verdict(from).is_none()
    {
        let keys: Vec<&str> = config.verdicts.iter().map(|v| v.key.as_str()).collect();
        let message = format!("unknown verdict `{from}` in recommend_from: expected one of {}", keys.join(", "));
        let hint = crate::diagnostic::closest(from, keys.iter().copied()).map(|k| format!("did you mean `{k}`?"));
        errors.push(at(&[Step::Key("recommend_from")], message).with_optional_hint(hint));
    }
    errors
}
