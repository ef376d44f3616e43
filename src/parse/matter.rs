//! The front matter of each kind of content file exactly as writers type it: unknown keys are
//! rejected, and the values later checked against the site carry their position.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::date::Date;
use crate::markdown::Hazard;

/// A project file's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectMatter {
    /// Display name.
    pub name: String,
    /// One sentence: what it is.
    pub summary: String,
    /// Its own site.
    pub homepage: Option<Spanned<String>>,
    /// A broad category (`AI infrastructure`).
    pub category: Option<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// What the project says it does.
    #[serde(default)]
    pub claims: Vec<ClaimMatter>,
    /// Who profits.
    pub token: Option<Token>,
    /// Who controls upgrades.
    pub governance: Option<Governance>,
    /// Who answers when it fails.
    pub accountability: Option<Accountability>,
}

/// One claim of a project.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimMatter {
    /// Stable id that questions refer to.
    pub id: Spanned<String>,
    /// The claim, in the site's words.
    pub text: String,
    /// Where the project makes it.
    pub source: Option<Spanned<String>>,
    /// When the source was read.
    pub accessed: Option<Date>,
}

/// The project's token, if it has one: who profits.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Token {
    /// Ticker symbol.
    pub symbol: Option<String>,
    /// What holding it gives.
    pub rights: Option<Vec<String>>,
    /// Who holds how much.
    pub allocation: Option<String>,
}

/// Who controls changes to the project.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Governance {
    /// Who can ship upgrades, and how.
    pub upgrades: Option<String>,
    /// The delay between an upgrade's announcement and its effect.
    pub timelock: Option<String>,
}

/// Who answers when the project fails.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Accountability {
    /// Where incidents are reported.
    pub incident_contact: Option<String>,
    /// Public status page.
    pub status_page: Option<Spanned<String>>,
    /// Who can pause the system.
    pub can_pause: Option<String>,
    /// Where post-mortems are published.
    pub postmortems: Option<Spanned<String>>,
}

/// A review file's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewMatter {
    /// Headline.
    pub title: String,
    /// The slug of the reviewed project.
    pub project: Spanned<String>,
    /// Who wrote it.
    pub author: String,
    /// When it was published.
    pub date: Spanned<Date>,
    /// When it was last revised.
    pub updated: Option<Spanned<Date>>,
    /// A verdict key from the configuration.
    pub verdict: Spanned<String>,
    /// Score per axis key.
    #[serde(default)]
    pub scores: BTreeMap<String, Spanned<f64>>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The questions the review raises.
    #[serde(default)]
    pub questions: Vec<QuestionMatter>,
    /// Earlier versions of the review, oldest first or in any order.
    #[serde(default)]
    pub revisions: Vec<RevisionMatter>,
    /// Drafts build only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

/// One change to a published review.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisionMatter {
    /// When the review changed.
    pub date: Spanned<Date>,
    /// What changed and why.
    pub note: String,
    /// The scores the review gave before this change (axes not listed did not change).
    #[serde(default)]
    pub scores: BTreeMap<String, Spanned<f64>>,
}

/// One question a review raises.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionMatter {
    /// The question.
    pub ask: Spanned<String>,
    /// The id of the claim it tests.
    pub claim: Option<Spanned<String>>,
    /// Open unless said otherwise.
    pub status: Option<Spanned<QuestionStatus>>,
    /// Markdown; required unless open.
    pub answer: Option<String>,
    /// A link to the evidence.
    pub evidence: Option<Spanned<String>>,
    /// When it was put to the project.
    pub asked: Option<Date>,
    /// When it was answered.
    pub answered: Option<Spanned<Date>>,
    /// The answer rendered as HTML, filled in by parsing (not part of the front matter).
    #[serde(skip)]
    pub answer_html: Option<String>,
    /// The targets of the answer's links, filled in by parsing.
    #[serde(skip)]
    pub answer_links: Vec<String>,
    /// What in the answer could run script, filled in by parsing.
    #[serde(skip)]
    pub answer_hazards: Vec<Hazard>,
}

/// Where a question stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionStatus {
    /// Not answered yet.
    #[default]
    Open,
    /// Answered to the reviewer's satisfaction.
    Answered,
    /// Answered, but the answer is contested.
    Disputed,
}

impl QuestionStatus {
    /// The key used in front matter and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Answered => "answered",
            Self::Disputed => "disputed",
        }
    }
}

/// A free page's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMatter {
    /// Headline and `<title>`.
    pub title: String,
    /// For `<meta name="description">`.
    pub description: Option<String>,
}
