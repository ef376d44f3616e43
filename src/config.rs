//! Site configuration: `critique.toml` parsed with unknown keys rejected, defaults filled in,
//! then checked as a whole into a [`Config`] the rest of the pipeline can trust.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, line_col, unknown_key_hint};
use crate::frontmatter::help::plain_words;
use crate::locate::{Step, toml_find_string, toml_span};
use crate::text::{self, one_line};

mod external;
mod interface;
mod policies;
mod rubric;
mod shapes;
mod sharing;

pub use external::ExternalConfig;
pub use policies::{CheckConfig, DisclosurePolicy, Freshness, StaleAggregates};
pub use rubric::Band;
pub use sharing::{MenuLink, Redirects, SocialCards};

use shapes::{is_key, is_language_tag, normalize_base_url};

/// Every rule, by name, as `check.disabled` and `<!-- critique-ignore: … -->` name them.
pub const RULES: &[&str] = &[
    "broken-link",
    "dead-link",
    "unreachable-link",
    "promotion-ticker",
    "promotion-phrase",
    "promotion-density",
    "unquestioned-claim",
    "unreviewed-project",
    "near-duplicate",
    "stock-phrase",
    "tag-spelling",
    "placeholder",
    "stale-review",
    "untraced-response",
    "unarchived-evidence",
    "image-alt",
];

/// The rule of Markdown links, images and heading attributes that could run script (never
/// switched off: not one of [`RULES`]).
pub const UNSAFE_LINK: &str = "unsafe-link";
/// The rule of raw HTML that could run script (allowed only by `allow_unsafe_html`).
pub const UNSAFE_HTML: &str = "unsafe-html";

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "critique.toml";

/// A validated site configuration.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The site's name, shown in every page's header and title.
    pub title: String,
    /// One sentence about the site, for the home page and `<meta name="description">`.
    pub description: String,
    /// The absolute URL the site is served from, ending in `/`; may carry a subpath.
    pub base_url: String,
    /// The language of the content, as a BCP 47 tag (`en`, `de`, `pt-BR`).
    pub language: String,
    /// Whether drafts are built without `--drafts`.
    pub drafts: bool,
    /// The range every score lies in.
    pub scale: Scale,
    /// How many reviews a project needs before its scores are aggregated (median, overall).
    pub min_reviews: usize,
    /// The spread (highest minus lowest score) from which an axis is labelled contested.
    pub contested_spread: f64,
    /// The score axes, in display order.
    pub axes: Vec<ScoreAxis>,
    /// The verdicts a review may reach, from best to worst.
    pub verdicts: Vec<Verdict>,
    /// The ratings a claim's finding may give, from best to worst (shaped as verdicts are).
    pub claim_ratings: Vec<Verdict>,
    /// How many reviews the feeds carry.
    pub feed_limit: usize,
    /// How many reviews a listing page holds (`/reviews/`, tag, author and verdict pages);
    /// a questions page holds whole projects, about four times as many questions.
    pub paginate: usize,
    /// The editorial checks of `critique check` (and the blocking ones of `build`).
    pub check: CheckConfig,
    /// Stylesheets every page links after the theme's, so that a site restyles itself without
    /// overriding `base.html`: paths on this site (`/custom.css`, from `static/`) or web URLs.
    pub extra_css: Vec<String>,
    /// Markup put in every page's `<head>` as written (a font, analytics, a `<meta>`): the
    /// site's own, trusted as its templates are.
    pub extra_head: String,
    /// When a review is due for another look.
    pub freshness: Freshness,
    /// The worst verdict that still recommends the project: the share of reviews at it or
    /// better is shown beside each project's scores.
    pub recommend_from: Option<String>,
    /// What reviews must disclose.
    pub disclosure: DisclosurePolicy,
    /// The author `critique new review` writes when none is given.
    pub default_author: Option<String>,
    /// The pictures shared links show.
    pub social_cards: SocialCards,
    /// How old addresses are redirected.
    pub redirects: Redirects,
    /// The header's links, in order; empty: the site's sections and its free pages.
    pub menu: Vec<MenuLink>,
    /// A free table for the site's own templates (`site.extra`), never checked beyond being
    /// TOML (Zola's convention).
    pub extra: toml::Table,
    /// The site's own wording of the theme's interface, by key (`[strings]`), over its
    /// language's table.
    pub strings: BTreeMap<String, crate::strings::Text>,
    /// The interface text: the language's table with `strings` over it, made once here.
    #[serde(skip)]
    pub interface: std::sync::Arc<crate::strings::Strings>,
}

/// The inclusive range of a score.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The lowest score (default 0).
    #[serde(default)]
    pub min: f64,
    /// The highest score (default 10).
    #[serde(default = "default_max")]
    pub max: f64,
}

fn default_max() -> f64 {
    10.0
}

/// One dimension reviewers score a project on.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreAxis {
    /// The key used in a review's `scores` (`cost`).
    pub key: String,
    /// The label readers see (`Cheaper`).
    pub label: String,
    /// The question the axis asks (`Is it cheaper than what developers use today?`).
    #[serde(default)]
    pub ask: String,
    /// Its weight in an overall score (default 1).
    #[serde(default = "default_weight")]
    pub weight: f64,
    /// What it measures, how, and why: shown on `/rubric/`.
    #[serde(default)]
    pub definition: String,
    /// What ranges of its scores mean, shown beside each score.
    #[serde(default)]
    pub bands: Vec<Band>,
}

/// One verdict a review may reach, or one rating a claim's finding may give.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// The key used in a review's `verdict` (`unproven`).
    pub key: String,
    /// The label readers see (`Unproven`).
    pub label: String,
    /// What the verdict means.
    #[serde(default)]
    pub description: String,
}

fn default_weight() -> f64 {
    1.0
}

fn axis(key: &str, label: &str, ask: &str) -> ScoreAxis {
    ScoreAxis {
        key: key.into(),
        label: label.into(),
        ask: ask.into(),
        weight: 1.0,
        definition: String::new(),
        bands: Vec::new(),
    }
}

fn verdict(key: &str, label: &str, description: &str) -> Verdict {
    Verdict { key: key.into(), label: label.into(), description: description.into() }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            title: "critique".into(),
            description: "Critical reviews of projects: their claims and the open questions about them.".into(),
            base_url: "http://127.0.0.1:1111/".into(),
            language: "en".into(),
            drafts: false,
            min_reviews: 3,
            contested_spread: 4.0,
            feed_limit: 20,
            paginate: 50,
            check: CheckConfig::default(),
            extra_css: Vec::new(),
            extra_head: String::new(),
            freshness: Freshness::default(),
            recommend_from: None,
            disclosure: DisclosurePolicy::default(),
            default_author: None,
            social_cards: SocialCards::default(),
            redirects: Redirects::default(),
            extra: toml::Table::new(),
            strings: BTreeMap::new(),
            interface: Default::default(),
            menu: Vec::new(),
            scale: Scale { min: 0.0, max: 10.0 },
            axes: vec![
                axis("cost", "Cheaper", "Is it cheaper than what users rely on today?"),
                axis("speed", "Faster", "Is it faster than what users rely on today?"),
                axis("reliability", "More reliable", "Does it keep working under pressure?"),
                axis("ease", "Easier to use", "Is it easier to adopt and run?"),
                axis("decentralization", "Decentralization", "Is control really spread out?"),
                axis("accountability", "Accountability", "Is someone answerable when it fails?"),
            ],
            verdicts: vec![
                verdict("delivers", "Delivers", "The claims hold up under scrutiny."),
                verdict("promising", "Promising", "Mostly credible, with open questions."),
                verdict("unproven", "Unproven", "The claims may be true but lack evidence."),
                verdict("overstated", "Overstated", "The claims go well beyond the evidence."),
                verdict("misleading", "Misleading", "The claims contradict the evidence."),
            ],
            claim_ratings: vec![
                verdict("supported", "Supported", "The evidence shows the claim holds."),
                verdict("partly-supported", "Partly supported", "The evidence shows some of it holds, not all."),
                verdict("unsupported", "Unsupported", "The evidence does not show it, though it may still be true."),
                verdict("misleading", "Misleading", "The evidence contradicts it, or it leaves out what matters."),
                verdict("unverifiable", "Unverifiable", "No one outside the project can check it."),
            ],
        }
    }
}

impl Default for Scale {
    fn default() -> Self {
        Config::default().scale
    }
}

impl Config {
    /// Parses and validates `critique.toml` text. `path` is only used in diagnostics.
    pub fn parse(text: &str, path: &Path) -> Result<Self, Vec<Diagnostic>> {
        // Control characters are errors here as in content files (not stripped): the editor
        // fixes one line, and the site never shows something other than what was written.
        text::check_file(text, path).map_err(|e| vec![e])?;
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            let message = e.message().trim().to_string();
            vec![
                Diagnostic::at(path, line, col, format!("invalid configuration: {}", plain_words(&message)))
                    .with_optional_hint(unknown_key_hint(&message)),
            ]
        })?;
        if let Some((key, span, value)) = toml_find_string(text, |s| text::find_control(s).is_some()) {
            let (line, col) = line_col(text, span.start);
            return Err(vec![text::escaped_control(path, line, col, &key, &value)]);
        }
        config.validated(text, path)
    }

    /// Checks what serde cannot: uniqueness, ranges, and the URL's shape.
    fn validated(mut self, text: &str, path: &Path) -> Result<Self, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        // serde keeps no positions after parsing: find the value again by its key path.
        let at = |steps: &[Step<'_>], message: String| {
            let (line, col) = toml_span(text, steps).map_or((1, 1), |span| line_col(text, span.start));
            Diagnostic::at(path, line, col, message)
        };
        match normalize_base_url(&self.base_url) {
            Ok(url) => self.base_url = url,
            Err((message, hint)) => errors.push(at(&[Step::Key("base_url")], message).with_optional_hint(hint)),
        }
        for (i, link) in self.menu.iter_mut().enumerate() {
            link.name = one_line(std::mem::take(&mut link.name));
            if link.name.is_empty() {
                errors.push(at(
                    &[Step::Key("menu"), Step::Index(i), Step::Key("name")],
                    "empty menu `name`: expected what the link says".into(),
                ));
            }
            if let Some((message, hint)) = crate::scheme::field_problem("url", &link.url, true) {
                errors.push(at(&[Step::Key("menu"), Step::Index(i), Step::Key("url")], message).with_hint(hint));
            }
        }
        for (i, url) in self.extra_css.iter().enumerate() {
            if let Some((message, hint)) = crate::scheme::field_problem("extra_css", url, true) {
                errors.push(at(&[Step::Key("extra_css"), Step::Index(i)], message).with_hint(hint));
            }
        }
        // Single-line fields on one line, as content files' are.
        self.title = one_line(std::mem::take(&mut self.title));
        let judgements = self.verdicts.iter_mut().chain(self.claim_ratings.iter_mut());
        for label in self.axes.iter_mut().map(|a| &mut a.label).chain(judgements.map(|v| &mut v.label)) {
            *label = one_line(std::mem::take(label));
        }
        if !is_language_tag(&self.language) {
            let message = format!(
                "invalid language `{}`: expected a BCP 47 language tag such as en, de or pt-BR",
                self.language.escape_debug()
            );
            errors.push(at(&[Step::Key("language")], message));
        }
        let scale = self.scale;
        if !(scale.min.is_finite() && scale.max.is_finite() && scale.min < scale.max) {
            let message =
                format!("invalid scale {}–{}: expected finite numbers with min below max", scale.min, scale.max);
            errors.push(at(&[Step::Key("scale")], message));
        }
        if self.paginate == 0 {
            errors.push(at(&[Step::Key("paginate")], "paginate is 0: expected at least 1 item a page".into()));
        }
        if self.min_reviews == 0 {
            errors.push(at(&[Step::Key("min_reviews")], "min_reviews is 0: expected at least 1".into()));
        }
        if !(self.contested_spread.is_finite() && self.contested_spread > 0.0) {
            let message = format!("contested_spread is {}: expected a number above 0", self.contested_spread);
            errors.push(at(&[Step::Key("contested_spread")], message));
        }
        for (list, keys) in [
            ("axes", self.axes.iter().map(|a| a.key.as_str()).collect::<Vec<_>>()),
            ("verdicts", self.verdicts.iter().map(|v| v.key.as_str()).collect()),
            ("claim_ratings", self.claim_ratings.iter().map(|v| v.key.as_str()).collect()),
        ] {
            if keys.is_empty() {
                errors.push(at(&[Step::Key(list)], format!("no {list}: expected at least one [[{list}]] entry")));
            }
            let mut seen = BTreeSet::new();
            for (i, key) in keys.iter().enumerate() {
                let steps = [Step::Key(list), Step::Index(i), Step::Key("key")];
                if !is_key(key) {
                    let message =
                        format!("invalid key `{key}` in [[{list}]]: expected lowercase letters, digits, `-` or `_`");
                    errors.push(at(&steps, message));
                }
                if !seen.insert(*key) {
                    errors.push(at(&steps, format!("`{key}` is declared twice in [[{list}]]: expected each key once")));
                }
            }
        }
        errors.extend(rubric::problems(&self, &at));
        match interface::resolve(&self.language, &self.strings) {
            Ok(strings) => self.interface = std::sync::Arc::new(strings),
            Err(problems) => errors.extend(problems.into_iter().map(|(steps, message)| at(&steps, message))),
        }
        let check = &self.check;
        if !(check.near_duplicate > 0.0 && check.near_duplicate <= 1.0) {
            let message =
                format!("near_duplicate is {}: expected a similarity above 0 and at most 1", check.near_duplicate);
            errors.push(at(&[Step::Key("check"), Step::Key("near_duplicate")], message));
        }
        if check.stock_phrase_words < 2 || check.stock_phrase_reviews < 2 {
            let message = "stock phrases need at least 2 words and 2 reviews: expected larger values".to_string();
            errors.push(at(&[Step::Key("check")], message));
        }
        for (steps, message) in check.external.problems() {
            let steps: Vec<Step<'_>> = [Step::Key("check"), Step::Key("external")].into_iter().chain(steps).collect();
            errors.push(at(&steps, message));
        }
        for (i, rule) in check.disabled.iter().enumerate() {
            if !RULES.iter().any(|r| r.starts_with(rule.as_str())) || rule.is_empty() {
                let unsafe_rule = [UNSAFE_LINK, UNSAFE_HTML].iter().any(|r| r.starts_with(rule.as_str()));
                let hint = if unsafe_rule && !rule.is_empty() {
                    Some("what could run script cannot be switched off; to publish scripts in raw HTML, set `allow_unsafe_html = true` under [check]".to_string())
                } else {
                    crate::diagnostic::closest(rule, RULES.iter().copied()).map(|r| format!("did you mean `{r}`?"))
                };
                let message = format!("unknown rule `{rule}` in check.disabled: expected one of {}", RULES.join(", "));
                let steps = [Step::Key("check"), Step::Key("disabled"), Step::Index(i)];
                errors.push(at(&steps, message).with_optional_hint(hint));
            }
        }
        for (i, axis) in self.axes.iter().enumerate() {
            if !(axis.weight.is_finite() && axis.weight >= 0.0) {
                let message = format!("axis `{}` has weight {}: expected a number ≥ 0", axis.key, axis.weight);
                errors.push(at(&[Step::Key("axes"), Step::Index(i), Step::Key("weight")], message));
            }
        }
        if errors.is_empty() { Ok(self) } else { Err(errors) }
    }

    /// The path part of `base_url` (`/` or `/sub/`): the prefix of every internal link.
    pub fn base_path(&self) -> &str {
        self.base_url_parts().1
    }

    /// `scheme://host` of `base_url`, for making root-relative links absolute.
    pub fn origin(&self) -> &str {
        self.base_url_parts().0
    }

    /// The host `base_url` names, without its scheme, user, port or IPv6 brackets
    /// (`127.0.0.1`, `::1`, `example.org`).
    pub fn host(&self) -> &str {
        let origin = self.origin();
        let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
        let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
        match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => host.split(':').next().unwrap_or_default(),
        }
    }

    /// `base_url` as its origin and its path (`https://x.org`, `/sub/`): the one reading of it.
    fn base_url_parts(&self) -> (&str, &str) {
        let url = self.base_url.as_str();
        let after_scheme = url.find("://").map_or(0, |i| i + 3);
        match url[after_scheme..].find('/') {
            Some(i) => url.split_at(after_scheme + i),
            None => (url, "/"),
        }
    }

    /// Replaces `base_url`, as `build --base-url` does for preview deploys.
    pub fn with_base_url(mut self, url: &str) -> Result<Self, String> {
        self.base_url = normalize_base_url(url).map_err(|(message, hint)| match hint {
            Some(hint) => format!("{message} ({hint})"),
            None => message,
        })?;
        Ok(self)
    }

    /// The axis with this key.
    pub fn axis(&self, key: &str) -> Option<&ScoreAxis> {
        self.axes.iter().find(|a| a.key == key)
    }

    /// The weighted mean of `scores` (axis key → score) over the configured axes present,
    /// or `None` when no weighted axis is scored.
    pub fn overall(&self, scores: &BTreeMap<String, f64>) -> Option<f64> {
        let values: Vec<Option<f64>> = self.axes.iter().map(|a| scores.get(&a.key).copied()).collect();
        self.weighted(&values)
    }

    /// [`Config::overall`] of the scores given per axis, in the axes' order.
    pub fn weighted(&self, values: &[Option<f64>]) -> Option<f64> {
        let (sum, weight) = self
            .axes
            .iter()
            .zip(values)
            .filter_map(|(a, value)| value.map(|s| (s * a.weight, a.weight)))
            .fold((0.0, 0.0), |(s, w), (ds, dw)| (s + ds, w + dw));
        (weight > 0.0).then(|| sum / weight)
    }

    /// The verdict with this key.
    pub fn verdict(&self, key: &str) -> Option<&Verdict> {
        self.verdicts.iter().find(|v| v.key == key)
    }

    /// The claim rating with this key.
    pub fn claim_rating(&self, key: &str) -> Option<&Verdict> {
        self.claim_ratings.iter().find(|v| v.key == key)
    }

    /// The label readers see for the claim rating `key` (the key itself if unknown).
    pub fn claim_rating_label<'a>(&'a self, key: &'a str) -> &'a str {
        self.claim_rating(key).map_or(key, |r| r.label.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(text, Path::new("critique.toml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        let config = parse("").expect("defaults");
        assert_eq!(config, Config::default());
        assert_eq!(config.axes.len(), 6);
        assert_eq!(config.base_path(), "/");
    }

    #[test]
    fn overall_is_the_weighted_mean_of_scored_axes() {
        let config = parse("[[axes]]\nkey = \"a\"\nlabel = \"A\"\n[[axes]]\nkey = \"b\"\nlabel = \"B\"\nweight = 3\n")
            .expect("valid");
        let scores = |pairs: &[(&str, f64)]| pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        assert_eq!(config.overall(&scores(&[("a", 2.0), ("b", 6.0)])), Some(5.0));
        assert_eq!(config.overall(&scores(&[("a", 2.0)])), Some(2.0));
        assert_eq!(config.overall(&scores(&[])), None);
    }

    #[test]
    fn a_scale_key_alone_keeps_the_other_default() {
        assert_eq!(parse("[scale]\nmax = 5\n").expect("valid").scale, Scale { min: 0.0, max: 5.0 });
    }

    #[test]
    fn unknown_key_names_the_closest() {
        let errors = parse("titel = \"x\"\n").expect_err("unknown key");
        assert_eq!(errors[0].line, 1);
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn base_url_gets_a_trailing_slash_and_a_base_path() {
        let config = parse("base_url = \"https://host.example/reviews\"").expect("valid");
        assert_eq!(config.base_url, "https://host.example/reviews/");
        assert_eq!((config.origin(), config.base_path()), ("https://host.example", "/reviews/"));
        assert!(parse("base_url = \"host.example\"").is_err());
    }

    #[test]
    fn control_characters_are_errors_raw_or_escaped() {
        let errors = parse("title = \"a\u{85}b\"\n").expect_err("raw C1, which TOML allows");
        assert_eq!((errors[0].line, errors[0].col), (1, 11));
        let errors = parse("title = 'x'\n[[verdicts]]\nkey = 'a'\nlabel = \"A\\u0007\"\n").expect_err("escaped");
        assert_eq!((errors[0].line, errors[0].col), (4, 9));
        assert!(errors[0].message.contains("U+0007 in `verdicts[0].label`"), "{}", errors[0].message);
        let errors = parse("description = \"\\e[31m\"\n").expect_err("escape");
        assert!(errors[0].message.contains("U+001B (escape)"), "{}", errors[0].message);
    }

    #[test]
    fn single_line_labels_are_joined_and_values_are_checked_at_their_key() {
        let config = parse("title = \"\"\"\nTwo\nlines\"\"\"\nlanguage = 'pt-BR'\n").expect("valid");
        assert_eq!((config.title.as_str(), config.language.as_str()), ("Two lines", "pt-BR"));
        let errors = parse("title = 'x'\nlanguage = 'en_US'\n").expect_err("not a tag");
        assert!(errors[0].message.contains("invalid language"), "{errors:?}");
        assert_eq!((errors[0].line, errors[0].col), (2, 12));
        let errors = parse("base_url = 'www.x.org'\n").expect_err("no scheme");
        assert_eq!(errors[0].hint.as_deref(), Some("add https:// in front: https://www.x.org"));
    }

    #[test]
    fn duplicate_axis_is_an_error_at_its_line() {
        let text = "[[axes]]\nkey = \"a\"\nlabel = \"A\"\n[[axes]]\nkey = \"b\"\nlabel = \"B\"\n[[axes]]\nkey = \"b\"\nlabel = \"B2\"\n";
        let errors = parse(text).expect_err("duplicate");
        assert!(errors[0].message.contains("declared twice"), "{errors:?}");
        assert_eq!((errors[0].line, errors[0].col), (8, 7), "points at the repeated key");
        let errors = parse("[[axes]]\nkey = 'Cost'\nlabel = 'Cost'\n").expect_err("not a key");
        assert_eq!((errors[0].line, errors[0].col), (2, 7), "the key, not the label: {errors:?}");
        let errors = parse("title = 'x'\nscale = { min = 5, max = 1 }\n").expect_err("bad scale");
        assert_eq!(errors[0].line, 2);
    }
}
