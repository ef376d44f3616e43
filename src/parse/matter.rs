//! The front matter of each kind of content file exactly as writers type it: unknown keys are
//! rejected, and the values later checked against the site carry their position.

use std::collections::BTreeMap;

use serde::de::{self, Deserializer, MapAccess, Visitor};
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
    /// What sharing and search engines show of it, instead of its summary.
    pub description: Option<String>,
    /// The picture shared links show (a web URL or a path on this site), instead of its card.
    pub image: Option<Spanned<String>>,
    /// A picture of its folder shown at the top of its page, and on shared links.
    pub cover: Option<Spanned<String>>,
    /// Its address segment instead of the file name's (which then redirects to it).
    pub slug: Option<Spanned<String>>,
    /// Old addresses on this site (`/reviews/old-name/`) that redirect to it.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// A free value for the site's own templates (`extra`), never checked.
    #[serde(default)]
    pub extra: serde_json::Value,
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
    /// Who profits. `token: OPG` is short for `token: { symbol: OPG }`.
    #[serde(default, deserialize_with = "token_or_symbol")]
    pub token: Option<Token>,
    /// Who controls upgrades.
    pub governance: Option<Governance>,
    /// Who answers when it fails.
    pub accountability: Option<Accountability>,
    /// The project's official site and accounts (web URLs): a response published elsewhere
    /// cannot be traced to it.
    #[serde(default)]
    pub channels: Vec<Spanned<String>>,
    /// What happened to it: launches, incidents, upgrades, votes.
    #[serde(default)]
    pub events: Vec<EventMatter>,
}

/// One dated event in a project's life.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventMatter {
    /// When it happened.
    pub date: Date,
    /// What happened, in a line.
    pub text: Spanned<String>,
    /// Where it is recorded.
    pub source: Option<Spanned<Evidence>>,
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
    pub source: Option<Spanned<Evidence>>,
    /// When the source was read (or the source's own `accessed`).
    pub accessed: Option<Date>,
    /// What the evidence shows of it.
    pub finding: Option<Box<FindingMatter>>,
}

/// What the site finds of a claim, once the evidence is in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingMatter {
    /// A key of the configuration's `[[claim_ratings]]`.
    pub rating: Spanned<String>,
    /// When the site reached it.
    pub date: Date,
    /// Who reached it (else the site).
    pub by: Option<String>,
    /// Why, in Markdown.
    pub summary: Option<String>,
    /// The questions whose answers it rests on (`<review slug>#q-<number>`).
    #[serde(default)]
    pub based_on: Vec<Spanned<String>>,
    /// The summary as HTML, filled in by parsing (not part of the front matter).
    #[serde(skip)]
    pub summary_html: Option<String>,
    /// The targets of the summary's links, filled in by parsing.
    #[serde(skip)]
    pub summary_links: Vec<crate::markdown::Link>,
    /// What in the summary could run script, filled in by parsing.
    #[serde(skip)]
    pub summary_hazards: Vec<Hazard>,
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
    /// What sharing, search engines and feeds show of it, instead of its summary paragraph.
    pub description: Option<String>,
    /// The picture shared links show (a web URL or a path on this site), instead of its card.
    pub image: Option<Spanned<String>>,
    /// A picture of its folder shown at the top of its page, and on shared links.
    pub cover: Option<Spanned<String>>,
    /// Its address segment instead of the file name's (which then redirects to it).
    pub slug: Option<Spanned<String>>,
    /// Old addresses on this site (`/reviews/old-name/`) that redirect to it.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// A free value for the site's own templates (`extra`), never checked.
    #[serde(default)]
    pub extra: serde_json::Value,
    /// The slug of the reviewed project.
    pub project: Spanned<String>,
    /// Who wrote it (or `authors`, for several).
    pub author: Option<String>,
    /// Who wrote it, when several did (instead of `author`).
    #[serde(default)]
    pub authors: Vec<String>,
    /// When it was published.
    pub date: Spanned<Date>,
    /// When it was last revised.
    pub updated: Option<Spanned<Date>>,
    /// A verdict key from the configuration (its absence is reported with the verdicts).
    pub verdict: Option<Spanned<String>>,
    /// Score per axis key.
    #[serde(default, deserialize_with = "scores")]
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
    /// The last day it counts as fresh (instead of `[freshness] stale_after_days`).
    pub revisit_by: Option<Spanned<Date>>,
    /// Where it stands: published (the default), under review, or retracted.
    pub status: Option<Spanned<ReviewStatus>>,
    /// Since when and why it is under review (with `status: under-review`).
    pub under_review: Option<Box<StatusNote>>,
    /// When and why it was retracted (with `status: retracted`).
    pub retraction: Option<Box<StatusNote>>,
    /// What its author holds in, got from, or has to do with the project.
    pub disclosure: Option<Box<Disclosure>>,
}

/// A reviewer's profile (`content/authors/<slug>.md`, the slug of the name reviews give as
/// `author`); the body is the bio.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorMatter {
    /// The name reviews give as `author`.
    pub name: String,
    /// Where else the author writes or can be reached (web URLs).
    #[serde(default)]
    pub links: Vec<Spanned<String>>,
    /// Employers, institutions, collectives.
    #[serde(default)]
    pub affiliations: Vec<String>,
    /// A standing disclosure, for every review by this author that gives none of its own.
    pub disclosure: Option<Box<Disclosure>>,
}

impl RequiredKeys for AuthorMatter {
    const REQUIRED: crate::frontmatter::Required =
        &[("name", "x", "add the name reviews give as `author`, as in `name: Ada Reviewer`")];
}

/// The project's reply (`content/responses/<slug>.md`); the body is the reply itself.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseMatter {
    /// The slug of the project replying.
    pub project: Spanned<String>,
    /// When the project published it.
    pub date: Spanned<Date>,
    /// Who speaks for the project (a name, a role).
    pub by: String,
    /// Where the project published it (a web URL).
    pub source: Option<Spanned<Evidence>>,
    /// What it answers: reviews and questions.
    #[serde(default)]
    pub to: Vec<ResponseTarget>,
}

impl RequiredKeys for ResponseMatter {
    const REQUIRED: crate::frontmatter::Required = &[
        ("project", "x", "add the slug of the project replying, as in `project: opengradient`"),
        ("date", "2026-01-01", "add the day the project published it, as in `date: 2026-11-02`"),
        ("by", "x", "add who speaks for the project, as in `by: Jo Doe, head of research`"),
    ];
}

/// One thing a response answers.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum ResponseTarget {
    /// A whole review, by slug.
    Review(Spanned<String>),
    /// One question, as `<review slug>#q-<number>`.
    Question(Spanned<String>),
}

/// What a reviewer holds in, was paid by, or has to do with the reviewed project: the
/// conflicts readers weigh a critique by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// Of the project's token or equity.
    pub holdings: Holdings,
    /// `none`, or who paid and for what.
    #[serde(default)]
    pub compensation: String,
    /// Employment, advisory roles, grants, access, gifts.
    #[serde(default)]
    pub relationship: String,
    /// Anything else the reader should know.
    #[serde(default)]
    pub notes: String,
}

/// What a reviewer holds of the project's token or equity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Holdings {
    /// Nothing, now or before.
    None,
    /// Holds some now.
    Holds,
    /// Held some before.
    Held,
    /// Bets against it.
    Short,
}

impl Holdings {
    /// The word front matter and CSS classes use.
    pub fn key(self) -> &'static str {
        match self {
            Holdings::None => "none",
            Holdings::Holds => "holds",
            Holdings::Held => "held",
            Holdings::Short => "short",
        }
    }

    /// How readers see it, in the words of `strings` ("No holdings", "Holds the project's
    /// token or equity"…).
    pub fn label(self, strings: &crate::strings::Strings) -> &str {
        strings.get(match self {
            Holdings::None => "holdings_none",
            Holdings::Holds => "holdings_holds",
            Holdings::Held => "holdings_held",
            Holdings::Short => "holdings_short",
        })
    }
}

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    /// It stands as written.
    #[default]
    Published,
    /// Its author or the editors are looking at it again: its scores still count, marked.
    UnderReview,
    /// Withdrawn: its page stays (its address must not die), out of every aggregate.
    Retracted,
}

/// A dated note on a review's status: since when it is under review, when it was retracted.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusNote {
    /// Since when, or when.
    pub date: Spanned<Date>,
    /// Why (required for a retraction).
    #[serde(default)]
    pub reason: String,
}

impl ReviewMatter {
    /// Its last date: published, updated or revised, whichever is latest.
    pub fn last_date(&self) -> Date {
        let revised = self.revisions.iter().map(|r| r.date.value);
        revised.chain(self.updated.as_ref().map(|u| u.value)).fold(self.date.value, Date::max)
    }

    /// The last day it counts as fresh: `revisit_by`, else `stale_after_days` after its last
    /// date; a review revised after its `revisit_by` was looked at again, and counts from that
    /// revision. From the day after, it is stale.
    pub fn fresh_until(&self, stale_after_days: u32) -> Date {
        let last = self.last_date();
        match &self.revisit_by {
            Some(revisit) if revisit.value >= last => revisit.value,
            _ => last.plus_days(stale_after_days),
        }
    }

    /// Whether its `revisit_by` is the day it counts as fresh until (not passed by a revision).
    pub fn revisit_set(&self) -> bool {
        self.revisit_by.as_ref().is_some_and(|r| r.value >= self.last_date())
    }
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
    #[serde(default, deserialize_with = "scores")]
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
    pub evidence: Option<Spanned<Evidence>>,
    /// When it was put to the project.
    pub asked: Option<Date>,
    /// When it was answered.
    pub answered: Option<Spanned<Date>>,
    /// When the project was asked to reply to it (it waits until a response names it).
    pub response_requested: Option<Date>,
    /// The answer rendered as HTML, filled in by parsing (not part of the front matter).
    #[serde(skip)]
    pub answer_html: Option<String>,
    /// The targets of the answer's links, filled in by parsing.
    #[serde(skip)]
    pub answer_links: Vec<crate::markdown::Link>,
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
    /// What sharing and search engines show of it, instead of its first paragraph.
    pub description: Option<String>,
    /// The picture shared links show (a web URL or a path on this site).
    pub image: Option<Spanned<String>>,
    /// Its address segment instead of the file name's (which then redirects to it).
    pub slug: Option<Spanned<String>>,
    /// Old addresses on this site (`/old-name/`) that redirect to it.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// A free value for the site's own templates (`extra`), never checked.
    #[serde(default)]
    pub extra: serde_json::Value,
    /// Its place in the navigation: lighter first (default 0), ties by file name.
    #[serde(default)]
    pub weight: i64,
    /// Whether the header links to it (default true).
    pub menu: Option<bool>,
}

/// A front matter that may give its page another address than its file name's (`slug:`).
pub trait OwnSlug {
    /// The `slug:` it gives, if any (checked when the site is assembled).
    fn own_slug(&self) -> Option<&str> {
        None
    }
}

impl OwnSlug for ReviewMatter {
    fn own_slug(&self) -> Option<&str> {
        self.slug.as_ref().map(|s| s.value.as_str())
    }
}

impl OwnSlug for ProjectMatter {
    fn own_slug(&self) -> Option<&str> {
        self.slug.as_ref().map(|s| s.value.as_str())
    }
}

impl OwnSlug for PageMatter {
    fn own_slug(&self) -> Option<&str> {
        self.slug.as_ref().map(|s| s.value.as_str())
    }
}

impl OwnSlug for AuthorMatter {}

impl OwnSlug for ResponseMatter {}

/// The keys a kind of front matter cannot do without, for naming every one that is absent
/// (see [`frontmatter::Required`](crate::frontmatter::Required)).
pub trait RequiredKeys {
    /// Each key, a stand-in value that reads, and what to write.
    const REQUIRED: crate::frontmatter::Required;
}

impl RequiredKeys for ProjectMatter {
    const REQUIRED: crate::frontmatter::Required = &[
        ("name", "x", "add the project's name, as in `name: OpenGradient`"),
        ("summary", "x", "add one sentence on what it is, as in `summary: Decentralised AI hosting`"),
    ];
}

impl RequiredKeys for ReviewMatter {
    const REQUIRED: crate::frontmatter::Required = &[
        ("title", "x", "add the review's headline, as in `title: \"Who controls upgrades?\"`"),
        (
            "project",
            "x",
            "add the slug of the project reviewed (its file name in content/projects/), as in `project: opengradient`",
        ),
        ("date", "2000-01-01", "add the day it was published, as in `date: 2026-11-23`"),
        ("verdict", "x", "add one of the verdicts set in critique.toml, as in `verdict: mixed`"),
    ];
}

impl RequiredKeys for PageMatter {
    const REQUIRED: crate::frontmatter::Required = &[("title", "x", "add the page's title, as in `title: About`")];
}

/// A source relied on: its address, and, where the writer keeps them, an archived copy (a
/// Wayback Machine or archive.today snapshot, or a copy on this site), the day it was read,
/// and the exact words relied on. Written as a bare URL, or as a block of these keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Evidence {
    /// The address.
    pub url: String,
    /// A snapshot of it.
    pub archived: Option<String>,
    /// When it was read.
    pub accessed: Option<Date>,
    /// The words relied on.
    pub quote: Option<String>,
    /// Where it is written in its file (line, column; 0 when not known), for the checks.
    #[serde(skip)]
    pub at: (usize, usize),
}

impl Evidence {
    /// Whether the ledger keeps more of it than its address (a copy, a day, a quote).
    pub fn keeps_more(&self) -> bool {
        self.archived.is_some() || self.accessed.is_some() || self.quote.is_some()
    }

    /// Its addresses: the source's, then its archived copy's.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.url.as_str()).chain(self.archived.as_deref())
    }
}

/// The block form of [`Evidence`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceBlock {
    url: String,
    archived: Option<String>,
    accessed: Option<Date>,
    quote: Option<String>,
}

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EvidenceForm;
        impl<'de> Visitor<'de> for EvidenceForm {
            type Value = Evidence;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a URL, or `url`, `archived`, `accessed` and `quote` keys")
            }
            fn visit_str<E: de::Error>(self, url: &str) -> Result<Evidence, E> {
                Ok(Evidence { url: url.to_string(), archived: None, accessed: None, quote: None, at: (0, 0) })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Evidence, A::Error> {
                let EvidenceBlock { url, archived, accessed, quote } =
                    EvidenceBlock::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Evidence { url, archived, accessed, quote, at: (0, 0) })
            }
        }
        deserializer.deserialize_any(EvidenceForm)
    }
}

/// Reads `token:` as a block, or as a bare symbol (`token: OPG`), which is how writers first
/// type it.
fn token_or_symbol<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Token>, D::Error> {
    struct TokenForm;
    impl<'de> Visitor<'de> for TokenForm {
        type Value = Option<Token>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a token symbol, or `symbol`, `rights` and `allocation` keys")
        }
        fn visit_str<E: de::Error>(self, symbol: &str) -> Result<Self::Value, E> {
            Ok(Some(Token { symbol: Some(symbol.to_string()), ..Token::default() }))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            Token::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
    }
    deserializer.deserialize_any(TokenForm)
}

/// A score as written. A value that is not a number (`cost: high`) is read as NaN rather than
/// refused here, so that the model, which knows the axes and the scale, names both.
struct WrittenScore(f64);

impl<'de> Deserialize<'de> for WrittenScore {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Score;
        impl Visitor<'_> for Score {
            type Value = WrittenScore;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a score")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<WrittenScore, E> {
                Ok(WrittenScore(v))
            }
            #[expect(clippy::cast_precision_loss, reason = "a score that large is out of every scale anyway")]
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<WrittenScore, E> {
                Ok(WrittenScore(v as f64))
            }
            #[expect(clippy::cast_precision_loss, reason = "a score that large is out of every scale anyway")]
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<WrittenScore, E> {
                Ok(WrittenScore(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WrittenScore, E> {
                Ok(WrittenScore(v.trim().parse().unwrap_or(f64::NAN)))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<WrittenScore, E> {
                Ok(WrittenScore(f64::NAN))
            }
            fn visit_unit<E: de::Error>(self) -> Result<WrittenScore, E> {
                Ok(WrittenScore(f64::NAN))
            }
        }
        deserializer.deserialize_any(Score)
    }
}

/// Reads a `scores:` block through [`WrittenScore`].
fn scores<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BTreeMap<String, Spanned<f64>>, D::Error> {
    let written: BTreeMap<String, Spanned<WrittenScore>> = BTreeMap::deserialize(deserializer)?;
    Ok(written.into_iter().map(|(k, s)| (k, Spanned::new(s.value.0, s.referenced, s.defined))).collect())
}
