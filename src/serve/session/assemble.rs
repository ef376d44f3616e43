//! The model assembled afresh (a review added, removed or renamed, a project edited), reusing
//! the reviews checked and the projects summarised by earlier assemblies while their files stand.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::config::Config;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::model::Unreviewed;
use crate::model::{self, Checked, ProjectIndex, Site, Summary};
use crate::parse::Parsed;
use crate::parse::matter::ReviewMatter;
use crate::serve::memo::Memo;

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

/// [`model::assemble`] of parsed files held elsewhere (as the session holds them): reviews
/// whose files, project file, configuration and list of projects are as in an earlier assembly
/// are taken from `memo` rather than copied and checked again, and projects whose reviews are
/// the very files of an earlier assembly keep their summaries.
pub fn assemble_cached(
    config: Config,
    files: Unreviewed,
    reviews: &[&Parsed<ReviewMatter>],
    project_files: &BTreeSet<String>,
    today: Date,
    memo: &mut ReviewMemo,
) -> (Site, Vec<Diagnostic>) {
    let slugs: Vec<&str> = files.projects.iter().map(|p| p.slug.as_str()).collect();
    // The day too: which reviews are stale, and so the projects' aggregates, follow it.
    let context = format!("{config:?}\n{slugs:?}\n{project_files:?}\n{today}");
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
        files.projects.iter().map(|p| (p.slug.clone(), Arc::clone(&p.source.text))).collect();
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
            (model::review(reviews[i].clone(), config, index, &mut found).map(Arc::new), found)
        })
    };
    let summarized = |site: &Site| {
        let keys = site
            .projects
            .iter()
            .map(|p| {
                let texts = p.reviews.iter().map(|&r| &site.reviews[r].source.text);
                Some(std::iter::once(&marker).chain(texts).collect())
            })
            .collect();
        summaries
            .refresh(keys, |p| Arc::new(model::summarize(&site.config, &site.reviews, &site.projects[p], site.today)))
    };
    model::assemble_with(config, files, project_files, today, checked, summarized)
}
