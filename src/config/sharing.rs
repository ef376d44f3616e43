//! How pages present themselves when shared: `[social_cards]`.

use serde::Deserialize;

/// `[social_cards]`: the picture a shared link shows (`og:image`), drawn for every review and
/// project at build time.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SocialCards {
    /// Whether cards are drawn: off, pages name no `og:image` but one given as `image:`.
    pub enabled: bool,
}

impl Default for SocialCards {
    fn default() -> Self {
        Self { enabled: true }
    }
}
