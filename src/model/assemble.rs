//! Assembly: parsed files become a linked [`Site`]. Every reference is checked here (a
//! review's project, verdict, score axes and ranges, each question's claim and status, dates),
//! and every problem is collected with its position.

use std::collections::{BTreeMap, BTreeSet};

use serde_saphyr::Spanned;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, closest};
use crate::markdown::{self, MarkdownOptions};
use crate::parse::{Located, Parsed, ParsedSite};

use super::date::Date;
use super::link::link;
use super::matter::{PageMatter, ProjectMatter, QuestionMatter, QuestionStatus, ReviewMatter, RevisionMatter};
use super::scores::format_score;
use super::taxonomy::term_slug;
use super::{Claim, Page, Project, Question, Review, Revision, Site};

/// Top-level URL segments the site itself uses; a free page cannot take them.
pub const RESERVED_PAGE_SLUGS: [&str; 11] =
    ["projects", "reviews", "questions", "tags", "authors", "verdicts", "search", "data", "static", "feed", "404"];

/// Links and validates parsed files into a site of the valid ones, with a diagnostic for
/// every problem. A review of a project whose file exists but did not parse is left out
/// silently: that file's own error says what to fix.
pub fn assemble(
    config: Config,
    parsed: ParsedSite,
    project_files: &BTreeSet<String>,
    today: Date,
) -> (Site, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let projects: Vec<Project> = parsed.projects.into_iter().map(|p| project(p, &mut errors)).collect();
    let slugs: BTreeMap<&str, usize> = projects.iter().enumerate().map(|(i, p)| (p.slug.as_str(), i)).collect();
    let markdown = MarkdownOptions { base_path: config.base_path() };
    let mut reviews: Vec<Review> = parsed
        .reviews
        .into_iter()
        .filter(|r| {
            slugs.contains_key(r.matter.project.value.as_str()) || !project_files.contains(&r.matter.project.value)
        })
        .filter_map(|r| review(r, &config, &projects, &slugs, markdown, &mut errors))
        .collect();
    let pages: Vec<Page> = parsed.pages.into_iter().filter_map(|p| page(p, &mut errors)).collect();
    reviews.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    let mut site =
        Site { config, projects, reviews, pages, today, tags: Vec::new(), authors: Vec::new(), verdicts: Vec::new() };
    link(&mut site);
    (site, errors)
}

fn project(parsed: Parsed<ProjectMatter>, errors: &mut Vec<Diagnostic>) -> Project {
    let Parsed { slug, source, matter, body } = parsed;
    if matter.name.trim().is_empty() {
        errors.push(source.error_at_start("empty `name`: expected the project's name"));
    }
    check_tags(&matter.tags, &source, errors);
    let mut seen = BTreeSet::new();
    for claim in &matter.claims {
        let id = &claim.id.value;
        if slug::slugify(id) != *id {
            errors.push(source.error(
                &claim.id,
                id,
                format!(
                    "invalid claim id `{id}`: expected lowercase letters, digits and `-` (like `{}`)",
                    slug::slugify(id)
                ),
            ));
        } else if !seen.insert(id.clone()) {
            errors.push(source.error(
                &claim.id,
                id,
                format!("claim id `{id}` is used twice in this project: expected each id once"),
            ));
        }
    }
    Project {
        slug,
        name: matter.name,
        summary: matter.summary,
        homepage: matter.homepage,
        category: matter.category,
        tags: matter.tags,
        claims: matter
            .claims
            .into_iter()
            .map(|c| Claim {
                id: c.id.value,
                text: c.text,
                source: c.source,
                accessed: c.accessed,
                questions: Vec::new(),
            })
            .collect(),
        token: matter.token,
        governance: matter.governance,
        accountability: matter.accountability,
        body,
        reviews: Vec::new(),
        unclaimed_questions: Vec::new(),
        scores: Vec::new(),
        overall: None,
        history: Vec::new(),
    }
}

fn review(
    parsed: Parsed<ReviewMatter>,
    config: &Config,
    projects: &[Project],
    slugs: &BTreeMap<&str, usize>,
    markdown: MarkdownOptions<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Review> {
    let Parsed { slug, source, matter, body } = parsed;
    let before = errors.len();
    let wanted = &matter.project.value;
    let project = slugs.get(wanted.as_str()).copied();
    if project.is_none() {
        let hint = closest(wanted, slugs.keys().copied()).map(|s| format!("did you mean `{s}`?"));
        let known = slugs.keys().copied().collect::<Vec<_>>().join(", ");
        let expected = if known.is_empty() {
            "a file in content/projects/, but there is none".to_string()
        } else {
            format!("one of {known}")
        };
        errors.push(
            source
                .error(&matter.project, wanted, format!("unknown project `{wanted}`: expected {expected}"))
                .with_optional_hint(hint),
        );
    }
    let verdict = &matter.verdict.value;
    if config.verdict(verdict).is_none() {
        let keys = config.verdicts.iter().map(|v| v.key.as_str());
        let hint = closest(verdict, keys.clone()).map(|k| format!("did you mean `{k}`?"));
        errors.push(
            source
                .error(
                    &matter.verdict,
                    verdict,
                    format!("unknown verdict `{verdict}`: expected one of {}", keys.collect::<Vec<_>>().join(", ")),
                )
                .with_optional_hint(hint),
        );
    }
    for (key, score) in &matter.scores {
        check_score(key, score, config, &source, errors);
    }
    for revision in &matter.revisions {
        if revision.date.value < matter.date.value {
            let found = revision.date.value.to_string();
            let message =
                format!("revision dated {found} is before `date` ({}): expected a later date", matter.date.value);
            errors.push(source.error(&revision.date, &found, message));
        }
        for (key, score) in &revision.scores {
            check_score(key, score, config, &source, errors);
        }
    }
    if let Some(updated) = &matter.updated
        && updated.value < matter.date.value
    {
        errors.push(source.error(
            updated,
            &updated.value.to_string(),
            format!("`updated` ({}) is before `date` ({}): expected a later date", updated.value, matter.date.value),
        ));
    }
    if matter.title.trim().is_empty() {
        errors.push(source.error_at_start("empty `title`: expected the review's headline"));
    }
    if term_slug(&matter.author).is_empty() {
        errors.push(source.error_at_start("no letters or digits in `author`: expected who wrote the review"));
    }
    check_tags(&matter.tags, &source, errors);
    let claims = project.map(|p| &projects[p].claims[..]).unwrap_or_default();
    let questions: Vec<Question> = matter
        .questions
        .into_iter()
        .enumerate()
        .map(|(i, q)| question(i, q, claims, project.is_some(), &source, markdown, errors))
        .collect();
    if errors.len() > before {
        return None;
    }
    Some(Review {
        slug,
        title: matter.title,
        project: project?,
        author: matter.author,
        date: matter.date.value,
        updated: matter.updated.map(|u| u.value),
        verdict: matter.verdict.value,
        revisions: revisions(&matter.revisions, &matter.scores),
        scores: matter.scores.into_iter().map(|(k, v)| (k, v.value)).collect(),
        tags: matter.tags,
        questions,
        draft: matter.draft,
        body,
    })
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

/// A tag must have letters or digits: its URL is its slug.
fn check_tags(tags: &[String], source: &Located, errors: &mut Vec<Diagnostic>) {
    for tag in tags.iter().filter(|t| term_slug(t).is_empty()) {
        let (line, col) =
            source.matter.find(tag.as_str()).map_or((1, 1), |o| crate::diagnostic::line_col(&source.matter, o));
        errors.push(Diagnostic::at(
            &source.path,
            line + source.matter_line - 1,
            col,
            format!("tag `{tag}` has no letters or digits: expected a word, since a tag's page is named after it"),
        ));
    }
}

fn check_score(key: &str, score: &Spanned<f64>, config: &Config, source: &Located, errors: &mut Vec<Diagnostic>) {
    let needle = key;
    if config.axis(key).is_none() {
        let keys = config.axes.iter().map(|a| a.key.as_str());
        let hint = closest(key, keys.clone()).map(|k| format!("did you mean `{k}`?"));
        errors.push(
            source
                .error(
                    score,
                    needle,
                    format!("unknown score axis `{key}`: expected one of {}", keys.collect::<Vec<_>>().join(", ")),
                )
                .with_optional_hint(hint),
        );
    }
    let (min, max) = (config.scale.min, config.scale.max);
    if !(score.value.is_finite() && score.value >= min && score.value <= max) {
        errors.push(source.error(
            score,
            needle,
            format!(
                "score `{key}` is {}: expected a number from {} to {}",
                score.value,
                format_score(min),
                format_score(max)
            ),
        ));
    }
}

fn question(
    index: usize,
    q: QuestionMatter,
    claims: &[Claim],
    project_known: bool,
    source: &Located,
    markdown: MarkdownOptions<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Question {
    if q.ask.value.trim().is_empty() {
        errors.push(source.error(&q.ask, "ask", "empty question: expected `ask` to hold the question"));
    }
    if let Some(claim) = &q.claim
        && project_known
        && !claims.iter().any(|c| c.id == claim.value)
    {
        let ids = claims.iter().map(|c| c.id.as_str());
        let hint = closest(&claim.value, ids.clone()).map(|k| format!("did you mean `{k}`?"));
        let expected = if claims.is_empty() {
            "a claim, but the project lists none".to_string()
        } else {
            format!("one of {}", ids.collect::<Vec<_>>().join(", "))
        };
        errors.push(
            source
                .error(
                    claim,
                    &claim.value,
                    format!("unknown claim `{}` in the reviewed project: expected {expected}", claim.value),
                )
                .with_optional_hint(hint),
        );
    }
    let status = q.status.as_ref().map_or(QuestionStatus::Open, |s| s.value);
    let answer = q.answer.as_deref().map(str::trim).filter(|a| !a.is_empty());
    if status != QuestionStatus::Open
        && answer.is_none()
        && let Some(s) = &q.status
    {
        errors.push(source.error(
            s,
            status.key(),
            format!(
                "question {} is `{}` but has no `answer`: expected an answer unless the status is open",
                index + 1,
                status.key()
            ),
        ));
    }
    if let (Some(asked), Some(answered)) = (&q.asked, &q.answered)
        && answered.value < *asked
    {
        errors.push(source.error(
            answered,
            &answered.value.to_string(),
            format!("`answered` ({}) is before `asked` ({asked}): expected a later date", answered.value),
        ));
    }
    Question {
        number: index + 1,
        ask: q.ask.value,
        claim: q.claim.map(|c| c.value),
        status,
        answer_html: answer.map(|a| markdown::render_inline(a, markdown)),
        evidence: q.evidence,
        asked: q.asked,
        answered: q.answered.map(|a| a.value),
    }
}

fn page(parsed: Parsed<PageMatter>, errors: &mut Vec<Diagnostic>) -> Option<Page> {
    let Parsed { slug, source, matter, body } = parsed;
    if RESERVED_PAGE_SLUGS.contains(&slug.as_str()) {
        errors.push(Diagnostic::file(
            &source.path,
            format!("page name `{slug}` is taken by the site's own `/{slug}/` section: expected another file name"),
        ));
        return None;
    }
    Some(Page { slug, title: matter.title, description: matter.description, body })
}
