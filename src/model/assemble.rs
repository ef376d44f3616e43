//! Assembly: parsed files become a linked [`Site`]. Every reference is checked (a review's
//! project, verdict, score axes and ranges, each question's claim and status, dates), and
//! every problem is collected with its position.

use std::collections::{BTreeMap, BTreeSet};

use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::locate::Step;
use crate::memo::Memo;
use crate::parse::{Parsed, ParsedSite};

use super::link::{Summary, link};
use super::reviews::{ProjectIndex, review};
use super::taxonomy::check_tags;
use super::{Claim, Page, Project, Review, Site};
use crate::date::Date;
use crate::parse::matter::{PageMatter, ProjectMatter, ReviewMatter};

/// Top-level URL segments the site itself uses; a free page cannot take them.
pub const RESERVED_PAGE_SLUGS: [&str; 11] =
    ["projects", "reviews", "questions", "tags", "authors", "verdicts", "search", "data", "static", "feed", "404"];

/// Links and validates parsed files into a site of the valid ones, with a diagnostic for
/// every problem. `project_files` names every project file, parsed or not, so that a review
/// of a project whose file failed to parse is checked in every other respect without a
/// misleading "unknown project".
pub fn assemble(
    config: Config,
    parsed: ParsedSite,
    project_files: &BTreeSet<String>,
    today: Date,
) -> (Site, Vec<Diagnostic>) {
    let ParsedSite { projects, reviews, pages } = parsed;
    assemble_with(
        config,
        projects,
        pages,
        project_files,
        today,
        |config, index| {
            // Reviews are checked one by one, in parallel; errors keep the files' order.
            reviews
                .into_par_iter()
                .map(|r| {
                    let mut found = Vec::new();
                    (review(r, config, index, &mut found).map(Arc::new), found)
                })
                .collect()
        },
        None,
    )
}

/// A checked review (or none) with what was found wrong with it.
type Checked = (Option<Arc<Review>>, Vec<Diagnostic>);

/// Reviews checked by earlier assemblies, kept by `serve`. A review depends on its file, its
/// project's file, the configuration and the list of projects (its `project` is an index),
/// and on nothing else.
#[derive(Default)]
pub struct ReviewMemo {
    memo: Memo<Checked>,
    /// Projects' summaries, by the files of their reviews.
    summaries: Memo<Arc<Summary>>,
    /// What every memoised review was built with (configuration, projects), and a text that
    /// stands for it in every key: a new one when it changes.
    context: Option<(String, Arc<str>)>,
}

/// [`assemble`] of parsed files held elsewhere (as `serve` holds them): reviews whose files,
/// project file, configuration and list of projects are as in an earlier assembly are taken
/// from `memo` rather than copied and checked again.
pub fn assemble_cached(
    config: Config,
    projects: Vec<Parsed<ProjectMatter>>,
    pages: Vec<Parsed<PageMatter>>,
    reviews: &[&Parsed<ReviewMatter>],
    project_files: &BTreeSet<String>,
    today: Date,
    memo: &mut ReviewMemo,
) -> (Site, Vec<Diagnostic>) {
    let slugs: Vec<&str> = projects.iter().map(|p| p.slug.as_str()).collect();
    let context = format!("{config:?}\n{slugs:?}\n{project_files:?}");
    let marker = match &memo.context {
        Some((known, marker)) if *known == context => Arc::clone(marker),
        _ => {
            let marker: Arc<str> = Arc::from(context.as_str());
            memo.context = Some((context, Arc::clone(&marker)));
            marker
        }
    };
    // Owned: the projects move into the assembly, which the keys outlive.
    let project_texts: BTreeMap<String, Arc<str>> =
        projects.iter().map(|p| (p.slug.clone(), Arc::clone(&p.source.text))).collect();
    let keys = reviews
        .iter()
        .map(|r| {
            let project = project_texts.get(r.matter.project.value.as_str());
            Some([Some(&r.source.text), project, Some(&marker)].into_iter().flatten().collect())
        })
        .collect();
    let ReviewMemo { memo, summaries, .. } = memo;
    let checked = |config: &Config, index: &ProjectIndex<'_>| {
        memo.refresh(keys, |i| {
            let mut found = Vec::new();
            (review(reviews[i].clone(), config, index, &mut found).map(Arc::new), found)
        })
    };
    assemble_with(config, projects, pages, project_files, today, checked, Some((summaries, &marker)))
}

/// Assembly around the reviews that `reviews` checks, in file order.
fn assemble_with(
    config: Config,
    projects: Vec<Parsed<ProjectMatter>>,
    pages: Vec<Parsed<PageMatter>>,
    project_files: &BTreeSet<String>,
    today: Date,
    reviews: impl FnOnce(&Config, &ProjectIndex<'_>) -> Vec<Checked>,
    summaries: Option<(&mut Memo<Arc<Summary>>, &Arc<str>)>,
) -> (Site, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let projects: Vec<Arc<Project>> = projects.into_iter().map(|p| Arc::new(project(p, &mut errors))).collect();
    let index = ProjectIndex {
        projects: &projects,
        slugs: projects.iter().enumerate().map(|(i, p)| (p.slug.as_str(), i)).collect::<BTreeMap<_, _>>(),
        files: project_files,
    };
    let checked = reviews(&config, &index);
    let mut reviews = Vec::with_capacity(checked.len());
    for (review, found) in checked {
        reviews.extend(review);
        errors.extend(found);
    }
    let pages: Vec<Page> = pages.into_iter().filter_map(|p| page(p, &mut errors)).collect();
    reviews.sort_by(|a, b| super::reorder::site_order(a, b));
    let (tags, authors, verdicts) = Default::default();
    let mut site = Site { config, projects, reviews, pages, today, tags, authors, verdicts };
    link(&mut site, summaries);
    (site, errors)
}

fn project(parsed: Parsed<ProjectMatter>, errors: &mut Vec<Diagnostic>) -> Project {
    let Parsed { slug, source, mut matter, body } = parsed;
    super::fields::project(&mut matter, &source, errors);
    if matter.name.trim().is_empty() {
        errors.push(source.error_at_key("name", "empty `name`: expected the project's name"));
    }
    check_tags(&matter.tags, &source, errors);
    let mut seen = BTreeSet::new();
    for (i, claim) in matter.claims.iter().enumerate() {
        let id = &claim.id.value;
        let path = [Step::Key("claims"), Step::Index(i), Step::Key("id")];
        if id.is_empty() || slug::slugify(id) != *id {
            let like = if id.is_empty() { "fast-inference".to_string() } else { slug::slugify(id) };
            let message =
                format!("invalid claim id `{id}`: expected lowercase letters, digits and `-` (like `{like}`)");
            errors.push(source.error(&claim.id, &path, message));
        } else if !seen.insert(id.clone()) {
            let message = format!("claim id `{id}` is used twice in this project: expected each id once");
            errors.push(source.error(&claim.id, &path, message));
        }
        if claim.text.trim().is_empty() {
            let path = [Step::Key("claims"), Step::Index(i), Step::Key("text")];
            errors.push(source.error(
                &claim.id,
                &path,
                format!("claim `{id}` has an empty `text`: expected the claim"),
            ));
        }
    }
    Project {
        slug,
        name: matter.name,
        summary: matter.summary,
        homepage: matter.homepage.map(|h| h.value),
        category: matter.category,
        tags: matter.tags,
        claims: matter
            .claims
            .into_iter()
            .map(|c| Claim {
                id: c.id.value,
                text: c.text,
                source: c.source.map(|s| s.value),
                accessed: c.accessed,
                questions: Vec::new(),
            })
            .collect(),
        token: matter.token,
        governance: matter.governance,
        accountability: matter.accountability,
        body,
        source,
        reviews: Vec::new(),
        unclaimed_questions: Vec::new(),
        scores: Vec::new(),
        overall: None,
        history: Vec::new(),
    }
}

fn page(parsed: Parsed<PageMatter>, errors: &mut Vec<Diagnostic>) -> Option<Page> {
    let Parsed { slug, source, mut matter, body } = parsed;
    super::fields::page(&mut matter);
    if RESERVED_PAGE_SLUGS.contains(&slug.as_str()) {
        errors.push(Diagnostic::file(
            &source.path,
            format!("page name `{slug}` is taken by the site's own `/{slug}/` section: expected another file name"),
        ));
        return None;
    }
    if matter.title.trim().is_empty() {
        errors.push(source.error_at_key("title", "empty `title`: expected the page's headline"));
        return None;
    }
    Some(Page { slug, title: matter.title, description: matter.description, body, source })
}
