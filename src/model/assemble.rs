//! Assembly: parsed files become a linked [`Site`]. Every reference is checked (a review's
//! project, verdict, score axes and ranges, each question's claim and status, dates), and
//! every problem is collected with its position.

use std::collections::BTreeSet;

use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::locate::Step;
use crate::parse::{Parsed, ParsedSite};

use super::link::{Summary, link, summarize};
use super::reviews::{ProjectIndex, review};
use super::taxonomy::check_tags;
use super::{Claim, Page, Profile, Project, Response, Review, Site};
use crate::date::Date;
use crate::parse::matter::{AuthorMatter, Disclosure, Holdings, PageMatter, ProjectMatter, ResponseMatter};

/// Top-level URL segments the site itself uses; a free page cannot take them.
pub const RESERVED_PAGE_SLUGS: [&str; 13] = [
    "projects",
    "reviews",
    "questions",
    "tags",
    "authors",
    "verdicts",
    "search",
    "data",
    "static",
    "feed",
    "404",
    "rubric",
    "compare",
];

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
    let ParsedSite { projects, reviews, pages, left_out, authors, responses } = parsed;
    assemble_with(
        config,
        Unreviewed { projects, pages, authors, responses, left_out },
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
        |site| {
            // Projects are independent here: summarised in parallel.
            let count = site.projects.len();
            (0..count)
                .into_par_iter()
                .map(|p| Arc::new(summarize(&site.config, &site.reviews, &site.projects[p], site.today)))
                .collect()
        },
    )
}

/// The parsed files of a site but its reviews (which [`assemble_with`] is told how to check).
pub struct Unreviewed {
    /// `content/projects/`.
    pub projects: Vec<Parsed<ProjectMatter>>,
    /// `content/pages/`.
    pub pages: Vec<Parsed<PageMatter>>,
    /// `content/authors/`.
    pub authors: Vec<Parsed<AuthorMatter>>,
    /// `content/responses/`.
    pub responses: Vec<Parsed<ResponseMatter>>,
    /// The review files left out (drafts, reviews dated after the day), for what a link or a
    /// response to one says.
    pub left_out: Vec<(std::path::PathBuf, crate::parse::LeftOut)>,
}

/// A checked review (or none) with what was found wrong with it.
pub type Checked = (Option<Arc<Review>>, Vec<Diagnostic>);

/// Assembly around the reviews that `reviews` checks (in file order, each with [`review`]),
/// whose projects `summaries` sums up (each with [`summarize`], in site order): [`assemble`]
/// does both one by one; `serve` reuses what earlier assemblies made.
pub fn assemble_with(
    config: Config,
    files: Unreviewed,
    project_files: &BTreeSet<String>,
    today: Date,
    reviews: impl FnOnce(&Config, &ProjectIndex<'_>) -> Vec<Checked>,
    summaries: impl FnOnce(&Site) -> Vec<Arc<Summary>>,
) -> (Site, Vec<Diagnostic>) {
    let Unreviewed { projects, pages, authors, responses, left_out } = files;
    let mut errors = Vec::new();
    let projects: Vec<Arc<Project>> =
        projects.into_iter().map(|p| Arc::new(project(p, &config, &mut errors))).collect();
    let index = ProjectIndex::new(&projects, project_files);
    let checked = reviews(&config, &index);
    let mut reviews = Vec::with_capacity(checked.len());
    for (review, found) in checked {
        reviews.extend(review);
        errors.extend(found);
    }
    let mut pages: Vec<Page> = pages.into_iter().filter_map(|p| page(p, &mut errors)).collect();
    // Lighter first; a stable sort keeps the files' order among equals.
    pages.sort_by_key(|p| p.weight);
    let profiles: Vec<Arc<Profile>> =
        authors.into_iter().filter_map(|a| profile(a, &mut errors)).map(Arc::new).collect();
    for review in &mut reviews {
        if let Some(error) = disclosed(review, &profiles, &config) {
            errors.push(error);
        }
    }
    reviews.sort_by(|a, b| super::site_order(a, b));
    let mut responses: Vec<Arc<Response>> = responses
        .into_iter()
        .filter_map(|r| super::responses::response(r, &index, &mut errors))
        .map(Arc::new)
        .collect();
    // Newest first, as the project page lists them.
    responses.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    let (tags, authors, verdicts) = Default::default();
    let mut site =
        Site { config, projects, reviews, pages, today, tags, authors, verdicts, left_out, profiles, responses };
    errors.extend(super::responses::target_errors(&site));
    errors.extend(super::addresses::address_errors(&site));
    link(&mut site, summaries);
    // Against each project's reviews, which linking gives it.
    errors.extend(super::findings::finding_errors(&site));
    // What the model refuses is the content's, whatever check found it.
    let errors = errors.into_iter().map(|e| e.or_rule("content")).collect();
    (site, errors)
}

fn project(parsed: Parsed<ProjectMatter>, config: &Config, errors: &mut Vec<Diagnostic>) -> Project {
    let Parsed { slug: file_slug, source, mut matter, body, cover } = parsed;
    super::fields::project(&mut matter, &source, errors);
    let slug = super::fields::slug(matter.slug.as_ref(), &file_slug, &source, errors);
    let aliases = super::fields::addresses(&matter.aliases, "projects/", (&slug, &file_slug), &source, errors);
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
    let description = super::fields::description(matter.description, || crate::text::one_line(matter.summary.clone()));
    Project {
        slug,
        name: matter.name,
        description,
        image: matter.image.map(|i| i.value),
        cover,
        aliases,
        extra: matter.extra,
        summary: matter.summary,
        homepage: matter.homepage.map(|h| h.value),
        category: matter.category,
        tags: matter.tags,
        claims: matter
            .claims
            .into_iter()
            .enumerate()
            .map(|(i, c)| Claim {
                id: c.id.value,
                text: c.text,
                source: c.source.map(|s| s.value),
                accessed: c.accessed,
                finding: c.finding.and_then(|f| super::findings::finding(*f, i, config, &source, errors)).map(Box::new),
                questions: Vec::new(),
            })
            .collect(),
        token: matter.token,
        channels: matter.channels.into_iter().map(|c| c.value).collect(),
        events: {
            let mut events: Vec<super::Event> = matter
                .events
                .into_iter()
                .map(|e| super::Event { date: e.date, text: e.text.value, source: e.source.map(|s| s.value) })
                .collect();
            events.sort_by_key(|e| e.date);
            events
        },
        governance: matter.governance,
        accountability: matter.accountability,
        body,
        source,
        reviews: Vec::new(),
        unclaimed_questions: Vec::new(),
        scores: Vec::new(),
        overall: None,
        history: Vec::new(),
        stale_reviews: 0,
    }
}

/// A review's disclosure, its authors' standing one when it gives none (from `profiles`); an
/// error when the site requires one and neither gives it.
pub fn disclosed(review: &mut Arc<Review>, profiles: &[Arc<Profile>], config: &Config) -> Option<Diagnostic> {
    if review.disclosure.is_some() {
        return None;
    }
    match standing_disclosure(profiles, &review.authors, &config.interface) {
        Some(standing) => {
            Arc::make_mut(review).disclosure = Some(standing);
            None
        }
        None if config.disclosure.required => {
            let message = "no `disclosure`: this site requires every review to say what its author holds, was paid and has to do with the project";
            let hint = "add `disclosure: { holdings: none, compensation: none, relationship: none }`, or what is true (or a standing one in the author's profile, content/authors/)";
            Some(review.source.error_at_key("disclosure", message).with_hint(hint))
        }
        None => None,
    }
}

/// What the authors named `authors` disclose for every review of theirs, when each of them
/// does: one author's standing disclosure; several authors' together, holding what the most
/// conflicted holds and saying who has which compensation, relationship and notes (each one's
/// holdings in the words of `strings`).
fn standing_disclosure(
    profiles: &[Arc<Profile>],
    authors: &[String],
    strings: &crate::strings::Strings,
) -> Option<Box<Disclosure>> {
    let each: Vec<(&str, &Disclosure)> = authors
        .iter()
        .map(|a| Some((a.as_str(), super::profile_of(profiles, a)?.disclosure.as_deref()?)))
        .collect::<Option<_>>()?;
    match each.as_slice() {
        [] => None,
        [(_, only)] => Some(Box::new((*only).clone())),
        [(_, first), rest @ ..] if rest.iter().all(|(_, d)| d == first) => Some(Box::new((*first).clone())),
        _ => {
            // Holding now outweighs betting against, which outweighs having held.
            let weight = |h: Holdings| {
                [Holdings::None, Holdings::Held, Holdings::Short, Holdings::Holds].iter().position(|&x| x == h)
            };
            let holdings = each.iter().map(|(_, d)| d.holdings).max_by_key(|&h| weight(h)).unwrap_or(Holdings::None);
            let said = |field: fn(&Disclosure) -> &str| {
                let parts: Vec<String> = each
                    .iter()
                    .filter(|(_, d)| !field(d).trim().is_empty())
                    .map(|(name, d)| format!("{name}: {}", field(d)))
                    .collect();
                parts.join("; ")
            };
            let holders: Vec<String> =
                each.iter().map(|(name, d)| format!("{name}: {}", d.holdings.label(strings).to_lowercase())).collect();
            let notes = [holders.join("; "), said(|d| &d.notes)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(". ");
            Some(Box::new(Disclosure {
                holdings,
                compensation: said(|d| &d.compensation),
                relationship: said(|d| &d.relationship),
                notes,
            }))
        }
    }
}

/// An author's profile, checked: a name, web links.
fn profile(parsed: Parsed<AuthorMatter>, errors: &mut Vec<Diagnostic>) -> Option<Profile> {
    let Parsed { slug, source, matter, body, cover: _ } = parsed;
    let before = errors.len();
    let name = crate::text::one_line(matter.name);
    if name.trim().is_empty() {
        errors.push(source.error_at_key("name", "empty `name`: expected the name reviews give as `author`"));
    } else if super::taxonomy::term_slug(&name) != slug {
        let message = format!(
            "the profile of `{name}` is in {slug}.md: expected {}.md, after the name, so that reviews find it",
            super::taxonomy::term_slug(&name)
        );
        errors.push(source.error_at_key("name", message));
    }
    let mut links = Vec::new();
    for (i, link) in matter.links.iter().enumerate() {
        match crate::scheme::field_problem("links", &link.value, false) {
            Some((message, hint)) => {
                errors.push(source.error(link, &[Step::Key("links"), Step::Index(i)], message).with_hint(hint));
            }
            None => links.push(link.value.clone()),
        }
    }
    (errors.len() == before).then(|| Profile {
        slug,
        name,
        links,
        affiliations: matter.affiliations.into_iter().map(crate::text::one_line).collect(),
        disclosure: matter.disclosure,
        body,
        source,
    })
}

fn page(parsed: Parsed<PageMatter>, errors: &mut Vec<Diagnostic>) -> Option<Page> {
    let Parsed { slug: file_slug, source, mut matter, body, cover: _ } = parsed;
    let mut errors_here = Vec::new();
    super::fields::page(&mut matter, &source, &mut errors_here);
    let slug = super::fields::slug(matter.slug.as_ref(), &file_slug, &source, &mut errors_here);
    let aliases = super::fields::addresses(&matter.aliases, "", (&slug, &file_slug), &source, &mut errors_here);
    if !errors_here.is_empty() {
        errors.extend(errors_here);
        return None;
    }
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
    let description = super::fields::description(matter.description, || super::fields::summary_text(&body.summary));
    let image = matter.image.map(|i| i.value);
    Some(Page {
        slug,
        title: matter.title,
        description,
        image,
        weight: matter.weight,
        in_menu: matter.menu.unwrap_or(true),
        aliases,
        extra: matter.extra,
        body,
        source,
    })
}
