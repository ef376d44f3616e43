//! Review checks: a review's project, verdict, scores, revisions, questions and dates
//! against the configuration and the projects; and its change log.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_saphyr::Spanned;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, closest};
use crate::locate::Step;
use crate::parse::{Located, Parsed};

use super::scores::format_score;
use super::taxonomy::{check_tags, term_problem};
use super::{Claim, Project, Question, Review, Revision, Standing};
use crate::parse::matter::{QuestionMatter, QuestionStatus, ReviewMatter, ReviewStatus, RevisionMatter};

/// What reviews are checked against: the projects that parsed, and every project file.
pub struct ProjectIndex<'a> {
    /// Projects that parsed.
    pub projects: &'a [Arc<Project>],
    /// Their slugs.
    pub slugs: BTreeMap<&'a str, usize>,
    /// Every project file's slug, parsed or not.
    pub files: &'a BTreeSet<String>,
}

impl<'a> ProjectIndex<'a> {
    /// The index of `projects`, with every project file's slug (`files`). A project whose
    /// `slug:` is not its file name's is found by both, so that its reviews and replies keep
    /// naming it as they did.
    pub fn new(projects: &'a [Arc<Project>], files: &'a BTreeSet<String>) -> Self {
        let mut slugs = BTreeMap::new();
        for (i, p) in projects.iter().enumerate() {
            let file_slug = p.source.path.file_stem().and_then(|s| s.to_str());
            for slug in file_slug.into_iter().chain([p.slug.as_str()]) {
                slugs.insert(slug, i);
            }
        }
        Self { projects, slugs, files }
    }
}

/// Checks one review; `None` (with diagnostics) when it cannot be part of the site.
pub fn review(
    parsed: Parsed<ReviewMatter>,
    config: &Config,
    index: &ProjectIndex<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Review> {
    let Parsed { slug: file_slug, source, mut matter, body, cover } = parsed;
    let before = errors.len();
    super::fields::review(&mut matter, &source, errors);
    let slug = super::fields::slug(matter.slug.as_ref(), &file_slug, &source, errors);
    let aliases = super::fields::addresses(&matter.aliases, "reviews/", (&slug, &file_slug), &source, errors);
    let wanted = &matter.project.value;
    let project = index.slugs.get(wanted.as_str()).copied();
    // A project file that failed to parse has its own error; do not call it unknown.
    if project.is_none() && !index.files.contains(wanted) {
        // A close slug is most likely meant; else the project may not be written yet.
        let hint = closest(wanted, index.slugs.keys().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| Some(format!("create it with `critique new project \"{}\"`", wanted.replace('"', ""))));
        let known = index.slugs.keys().copied().collect::<Vec<_>>().join(", ");
        let expected = if known.is_empty() {
            "a file in content/projects/, but there is none".to_string()
        } else {
            format!("one of {known}")
        };
        let message = format!("unknown project `{wanted}`: expected {expected}");
        errors.push(source.error(&matter.project, &[Step::Key("project")], message).with_optional_hint(hint));
    }
    let keys = config.verdicts.iter().map(|v| v.key.as_str());
    let expected = keys.clone().collect::<Vec<_>>().join(", ");
    match &matter.verdict {
        Some(verdict) if config.verdict(&verdict.value).is_none() => {
            let hint = closest(&verdict.value, keys).map(|k| format!("did you mean `{k}`?"));
            let message = format!("unknown verdict `{}`: expected one of {expected}", verdict.value);
            errors.push(source.error(verdict, &[Step::Key("verdict")], message).with_optional_hint(hint));
        }
        Some(_) => {}
        None => {
            let message = format!("missing `verdict`: expected one of {expected}");
            let example = config.verdicts.first().map_or("mixed", |v| v.key.as_str());
            errors.push(
                source.error_at_key("verdict", message).with_hint(format!("add a line such as `verdict: {example}`")),
            );
        }
    }
    for (key, score) in &matter.scores {
        check_score(key, score, &[Step::Key("scores"), Step::Key(key)], config, &source, errors);
    }
    for (i, revision) in matter.revisions.iter().enumerate() {
        if revision.date.value < matter.date.value {
            let message = format!(
                "revision dated {} is before `date` ({}): expected a later date",
                revision.date.value, matter.date.value
            );
            let path = [Step::Key("revisions"), Step::Index(i), Step::Key("date")];
            errors.push(source.error(&revision.date, &path, message));
        }
        for (key, score) in &revision.scores {
            let path = [Step::Key("revisions"), Step::Index(i), Step::Key("scores"), Step::Key(key)];
            check_score(key, score, &path, config, &source, errors);
        }
    }
    if let Some(updated) = &matter.updated
        && updated.value < matter.date.value
    {
        let message =
            format!("`updated` ({}) is before `date` ({}): expected a later date", updated.value, matter.date.value);
        errors.push(source.error(updated, &[Step::Key("updated")], message));
    }
    if let Some(revisit) = &matter.revisit_by
        && revisit.value < matter.date.value
    {
        let message =
            format!("`revisit_by` ({}) is before `date` ({}): expected a later date", revisit.value, matter.date.value);
        errors.push(source.error(revisit, &[Step::Key("revisit_by")], message));
    }
    if matter.title.trim().is_empty() {
        errors.push(source.error_at_key("title", "empty `title`: expected the review's headline"));
    }
    let authors = authors(&mut matter, &source, errors);
    check_tags(&matter.tags, &source, errors);
    let fresh_until = matter.fresh_until(config.freshness.stale_after_days);
    let revisit_set = matter.revisit_set();
    let standing = standing(&matter, &source, errors);
    let claims = project.map(|p| &index.projects[p].claims[..]);
    let questions: Vec<Question> =
        matter.questions.into_iter().enumerate().map(|(i, q)| question(i, q, claims, &source, errors)).collect();
    if errors.len() > before {
        return None;
    }
    let description = super::fields::description(matter.description, || super::fields::summary_text(&body.summary));
    Some(Review {
        slug,
        title: matter.title,
        description,
        image: matter.image.map(|i| i.value),
        cover,
        aliases,
        extra: matter.extra,
        project: project?,
        authors,
        date: matter.date.value,
        updated: matter.updated.map(|u| u.value),
        verdict: matter.verdict.map(|v| v.value).unwrap_or_default(),
        revisions: revisions(&matter.revisions, &matter.scores),
        scores: matter.scores.into_iter().map(|(k, v)| (k, v.value)).collect(),
        tags: matter.tags,
        questions,
        draft: matter.draft,
        fresh_until,
        revisit_set,
        standing: standing.unwrap_or_default(),
        disclosure: matter.disclosure,
        body,
        source,
    })
}

/// Who wrote a review: `author`, or `authors` for several (not both), each a name an author's
/// page can be named after, none twice.
fn authors(matter: &mut ReviewMatter, source: &Located, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let (key, names) = match (matter.author.take(), std::mem::take(&mut matter.authors)) {
        (Some(_), several) if !several.is_empty() => {
            let message = "both `author` and `authors`: expected one of them";
            let hint = "keep `authors: [..]` with every name, and drop `author`";
            errors.push(source.error_at_key("authors", message).with_hint(hint));
            return Vec::new();
        }
        (Some(one), _) => ("author", vec![one]),
        (None, several) if !several.is_empty() => ("authors", several),
        (None, _) => {
            let message = "no `author`: expected who wrote it";
            let hint = "add `author: Ada Reviewer`, or `authors: [Ada Reviewer, Bo Critic]` for several";
            errors.push(Diagnostic::at(&source.path, source.matter_line, 1, message).with_hint(hint));
            return Vec::new();
        }
    };
    let mut seen = std::collections::BTreeSet::new();
    for name in &names {
        if let Some(problem) = term_problem(name) {
            let message = format!("`{key}` {problem}, since the author's page is named after it");
            errors.push(source.error_at_key(key, message).with_hint("write the name the author goes by"));
        } else if !seen.insert(super::taxonomy::term_slug(name)) {
            errors.push(source.error_at_key(key, format!("`{name}` is named twice in `{key}`: expected each once")));
        }
    }
    names
}

/// The change log, oldest first, each revision holding the full scores from before it: the
/// scores it lists, over the scores of the state after it.
fn revisions(written: &[RevisionMatter], current: &BTreeMap<String, Spanned<f64>>) -> Vec<Revision> {
    let mut sorted: Vec<&RevisionMatter> = written.iter().collect();
    sorted.sort_by_key(|r| r.date.value);
    let mut after: BTreeMap<String, f64> = current.iter().map(|(k, v)| (k.clone(), v.value)).collect();
    let mut log: Vec<Revision> = sorted
        .into_iter()
        .rev()
        .map(|r| {
            let mut previous = after.clone();
            previous.extend(r.scores.iter().map(|(k, v)| (k.clone(), v.value)));
            after = previous.clone();
            Revision { date: r.date.value, note: r.note.clone(), previous }
        })
        .collect();
    log.reverse();
    log
}

fn check_score(
    key: &str,
    score: &Spanned<f64>,
    path: &[Step<'_>],
    config: &Config,
    source: &Located,
    errors: &mut Vec<Diagnostic>,
) {
    if config.axis(key).is_none() {
        let keys = config.axes.iter().map(|a| a.key.as_str());
        let hint = closest(key, keys.clone()).map(|k| format!("did you mean `{k}`?"));
        let message = format!("unknown score axis `{key}`: expected one of {}", keys.collect::<Vec<_>>().join(", "));
        errors.push(source.error(score, path, message).with_optional_hint(hint));
    }
    let (min, max) = (config.scale.min, config.scale.max);
    let axis = config.axis(key).map_or_else(String::new, |a| format!(" ({})", a.label));
    let scale = format!("a number from {} to {}", format_score(min), format_score(max));
    if score.value.is_nan() {
        let message = format!("score `{key}`{axis} is not a number: expected {scale}");
        let example = format_score(f64::midpoint(min, max).round());
        errors.push(source.error(score, path, message).with_hint(format!("write it as `{key}: {example}`")));
    } else if !(score.value.is_finite() && score.value >= min && score.value <= max) {
        let message = format!("score `{key}`{axis} is {}: expected {scale}", score.value);
        errors.push(source.error(score, path, message));
    }
}

/// Checks one question; `claims` is `None` when the project is unknown (no claim check).
fn question(
    index: usize,
    q: QuestionMatter,
    claims: Option<&[Claim]>,
    source: &Located,
    errors: &mut Vec<Diagnostic>,
) -> Question {
    let at = |field| [Step::Key("questions"), Step::Index(index), Step::Key(field)];
    if q.ask.value.trim().is_empty() {
        errors.push(source.error(&q.ask, &at("ask"), "empty question: expected `ask` to hold the question"));
    }
    if let (Some(claim), Some(claims)) = (&q.claim, claims)
        && !claims.iter().any(|c| c.id == claim.value)
    {
        let ids = claims.iter().map(|c| c.id.as_str());
        let hint = closest(&claim.value, ids.clone()).map(|k| format!("did you mean `{k}`?"));
        let expected = if claims.is_empty() {
            "a claim, but the project lists none".to_string()
        } else {
            format!("one of {}", ids.collect::<Vec<_>>().join(", "))
        };
        let message = format!("unknown claim `{}` in the reviewed project: expected {expected}", claim.value);
        errors.push(source.error(claim, &at("claim"), message).with_optional_hint(hint));
    }
    let status = q.status.as_ref().map_or(QuestionStatus::Open, |s| s.value);
    let answer = q.answer.as_deref().map(str::trim).filter(|a| !a.is_empty());
    if status != QuestionStatus::Open
        && answer.is_none()
        && let Some(s) = &q.status
    {
        let message = format!(
            "question {} is `{}` but has no `answer`: expected an answer unless the status is open",
            index + 1,
            status.key()
        );
        errors.push(source.error(s, &at("status"), message));
    }
    if let (Some(asked), Some(answered)) = (&q.asked, &q.answered)
        && answered.value < *asked
    {
        let message = format!("`answered` ({}) is before `asked` ({asked}): expected a later date", answered.value);
        errors.push(source.error(answered, &at("answered"), message));
    }
    Question {
        number: index + 1,
        ask: q.ask.value,
        claim: q.claim.map(|c| c.value),
        status,
        answer_source: answer.map(str::to_string),
        answer_links: q.answer_links,
        answer_hazards: q.answer_hazards,
        answer_html: answer.and(q.answer_html),
        evidence: q.evidence.map(|e| e.value),
        asked: q.asked,
        answered: q.answered.map(|a| a.value),
        response_requested: q.response_requested,
    }
}

/// Where the review of `matter` stands: its `status` with the note that must go with it
/// (`under_review` or `retraction`), each dated on or after the review; `None` after an error.
fn standing(matter: &ReviewMatter, source: &Located, errors: &mut Vec<Diagnostic>) -> Option<Standing> {
    let status = matter.status.as_ref().map_or(ReviewStatus::Published, |s| s.value);
    let before = errors.len();
    for (note, key, wanted) in [
        (&matter.under_review, "under_review", ReviewStatus::UnderReview),
        (&matter.retraction, "retraction", ReviewStatus::Retracted),
    ] {
        let Some(note) = note else { continue };
        if status != wanted {
            let value = if wanted == ReviewStatus::Retracted { "retracted" } else { "under-review" };
            let message = format!("`{key}` is given, but the review's `status` is not `{value}`");
            errors
                .push(source.error_at_key(key, message).with_hint(format!("add `status: {value}`, or remove `{key}`")));
        }
        if note.date.value < matter.date.value {
            let message = format!(
                "`{key}` date ({}) is before `date` ({}): expected a later date",
                note.date.value, matter.date.value
            );
            errors.push(source.error(&note.date, &[Step::Key(key), Step::Key("date")], message));
        }
    }
    let missing = |key: &str, shape: &str| {
        let message = format!("a review whose `status` says so needs `{key}`");
        source.error_at_key("status", message).with_hint(format!("add `{key}: {shape}`"))
    };
    let standing = match (status, &matter.under_review, &matter.retraction) {
        (ReviewStatus::Published, ..) => Standing::Published,
        (ReviewStatus::UnderReview, Some(note), _) => {
            Standing::UnderReview { since: note.date.value, reason: note.reason.trim().to_string() }
        }
        (ReviewStatus::UnderReview, None, _) => {
            errors.push(missing("under_review", "{ date: 2026-12-01, reason: \"why it is looked at again\" }"));
            return None;
        }
        (ReviewStatus::Retracted, _, Some(note)) if !note.reason.trim().is_empty() => {
            Standing::Retracted { date: note.date.value, reason: note.reason.trim().to_string() }
        }
        (ReviewStatus::Retracted, _, Some(_)) => {
            let message = "a retraction needs a `reason`: readers are owed why the review was withdrawn";
            errors.push(source.error_at_key("retraction", message).with_hint("add `reason: \"…\"` to `retraction`"));
            return None;
        }
        (ReviewStatus::Retracted, _, None) => {
            errors.push(missing("retraction", "{ date: 2026-12-01, reason: \"why it was withdrawn\" }"));
            return None;
        }
    };
    (errors.len() == before).then_some(standing)
}
