//! How pages present themselves when shared and found again: `[social_cards]`, `[redirects]`.

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

/// One link of the header's navigation (`[[menu]]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuLink {
    /// What the link says.
    pub name: String,
    /// A path on this site (`/projects/`, under the base path when built) or a web URL.
    pub url: String,
}

/// `[redirects]`: how old addresses (`aliases:`) are redirected besides their pages.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Redirects {
    /// Whether `_redirects` is written: a 301 rule per alias, which Netlify and Cloudflare
    /// Pages follow before serving any file.
    pub netlify: bool,
}
