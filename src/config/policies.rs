//! The policies of a site's configuration: what reviews must disclose, when they go stale,
//! and the editorial checks' settings.

use serde::Deserialize;

use super::RULES;
use super::external::ExternalConfig;

/// The site's disclosure policy.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DisclosurePolicy {
    /// Whether a review without a `disclosure` is an error.
    pub required: bool,
}

/// When a review goes stale: a review may say `revisit_by: DATE`; otherwise this long after
/// its last date (published, updated or revised).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Freshness {
    /// Days after a review's last date from which it is stale.
    pub stale_after_days: u32,
    /// Whether stale reviews count in a project's medians and overall score.
    pub stale_aggregates: StaleAggregates,
}

impl Default for Freshness {
    fn default() -> Self {
        Self { stale_after_days: 365, stale_aggregates: StaleAggregates::Include }
    }
}

/// What a project's aggregates make of its stale reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaleAggregates {
    /// They count, and the aggregates say how many there are.
    Include,
    /// They are left out, and the aggregates say how many were.
    Exclude,
}

/// Settings of the editorial checks.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// Rules switched off for the whole site, by name (`stock-phrase`); a prefix such as
    /// `promotion` switches off every rule that starts with it.
    pub disabled: Vec<String>,
    /// Phrases that read as promotion, on top of the built-in ones.
    pub promotion_phrases: Vec<String>,
    /// Cashtags (`$SYM`) one file may hold before it reads as promotion.
    pub max_cashtags: usize,
    /// Hashtags one file may hold.
    pub max_hashtags: usize,
    /// Emoji one file may hold.
    pub max_emoji: usize,
    /// Similarity (Jaccard, 0–1) from which two reviews are near-duplicates.
    pub near_duplicate: f64,
    /// Words a stock phrase has at least.
    pub stock_phrase_words: usize,
    /// Reviews by different authors that must share a phrase for it to be a stock phrase.
    pub stock_phrase_reviews: usize,
    /// Whether raw HTML in content files may hold `<script>`, event handlers and script URLs
    /// (`unsafe-html`): off, since a file from a stranger would otherwise run script on the
    /// site's pages.
    pub allow_unsafe_html: bool,
    /// Whether every web address relied on as evidence (a claim's source, a question's
    /// evidence, a reply's source) needs an `archived` copy (`unarchived-evidence`): off by
    /// default, on in the configuration `init` writes.
    pub archived_evidence: bool,
    /// How `check --external` fetches external links.
    pub external: ExternalConfig,
}

impl Default for CheckConfig {
    fn default() -> Self {
        Self {
            disabled: Vec::new(),
            promotion_phrases: Vec::new(),
            max_cashtags: 2,
            max_hashtags: 1,
            max_emoji: 2,
            near_duplicate: 0.5,
            stock_phrase_words: 4,
            stock_phrase_reviews: 3,
            allow_unsafe_html: false,
            archived_evidence: false,
            external: ExternalConfig::default(),
        }
    }
}

impl CheckConfig {
    /// Whether `rule` is switched off.
    pub fn is_disabled(&self, rule: &str) -> bool {
        // Only a check's rule: build errors are named after rules too, and are never off.
        RULES.contains(&rule) && self.disabled.iter().any(|d| rule.starts_with(d.as_str()))
    }
}
