//! Rendering: the site becomes a list of independent page jobs, each given only its own
//! data, rendered through Tera in parallel. Template errors name the template file and line.

mod aliases;
mod bundles;
mod chart;
mod data;
mod fill;
mod fragments;
mod jobs;
mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, ErrorKind, Tera};

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::theme::{Origin, Theme};
use crate::urls::{Urls, output_path};
pub use aliases::alias_files;
pub use bundles::bundle_files;
pub use data::{JoinedFile, ProjectData, Records, ReviewData, assembled as data_assembled, sitemap, sitemap_pages};
pub use fragments::FragmentStore;
use fragments::Fragments;
use jobs::Page;
pub use jobs::{HOME_REVIEWS, Job, jobs_in};
pub use views::{Change, Changed, TaxonomyKind, Views, page_count};

/// Why making the output stopped: the site's problems, or the failure of what took the files
/// (a write), which is no problem of the site's.
#[derive(Debug)]
pub enum Failure<E> {
    /// Every problem found in the site's files and templates.
    Content(Vec<Diagnostic>),
    /// What the files' taker returned when it failed.
    Sink(E),
}

/// Values every page's `<head>` needs.
#[derive(Debug, Serialize)]
struct Meta {
    title: String,
    description: String,
    /// Absolute URL of the page.
    canonical: String,
    /// Link of the page below the base, for marking the current navigation entry.
    path: String,
    /// The picture shared links show, if any.
    image: Option<jobs::ShareImage>,
}

/// The site-wide values every template may use, as `site`.
#[derive(Debug, Serialize)]
struct SiteValues<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    min_reviews: usize,
    pages: Vec<NavLink>,
    /// The header's links: `[[menu]]`, else the sections and the free pages in the menu.
    menu: Vec<NavLink>,
    /// The site's own stylesheets, as links under the base path.
    extra_css: Vec<String>,
    extra_head: &'a str,
    /// The label of `recommend_from`, when set: tables then show who recommends each project.
    recommend_from: Option<String>,
    /// How long a review counts as current, for stale notices.
    stale_after_days: u32,
    /// `[extra]` of `critique.toml`, for the site's own templates.
    extra: &'a toml::Table,
    /// The interface text in the site's language, by key, used through the `fill` filter.
    t: &'a crate::strings::Strings,
}

/// A free page in the navigation.
#[derive(Debug, Serialize)]
struct NavLink {
    title: String,
    url: String,
}

/// The header's links: the configured `[[menu]]` (paths on this site under the base path),
/// else the site's sections and its free pages but those with `menu: false`.
fn menu(site: &Site, urls: &Urls<'_>) -> Vec<NavLink> {
    if !site.config.menu.is_empty() {
        return site.config.menu.iter().map(|l| NavLink { title: l.name.clone(), url: urls.field(&l.url) }).collect();
    }
    let t = &site.config.interface;
    let sections = [
        ("nav_projects", "projects/"),
        ("nav_reviews", "reviews/"),
        ("nav_questions", "questions/"),
        ("nav_tags", "tags/"),
    ];
    let sections =
        sections.into_iter().map(|(key, path)| NavLink { title: t.get(key).to_string(), url: urls.at(path) });
    let pages = site.pages.iter().filter(|p| p.in_menu);
    sections.chain(pages.map(|p| NavLink { title: p.title.clone(), url: urls.page(&p.slug) })).collect()
}

/// Tera with the theme loaded, and where each template came from.
pub struct Renderer {
    tera: Tera,
    origins: BTreeMap<String, Origin>,
    /// Where listing fragments are kept between renderings ([`Renderer::keeping_fragments`]).
    store: Option<Box<dyn FragmentStore>>,
}

impl Renderer {
    /// Loads every template of `theme`; syntax errors are reported with file and line.
    pub fn new(theme: &Theme) -> Result<Self, Vec<Diagnostic>> {
        let origins: BTreeMap<String, Origin> =
            theme.templates.iter().map(|(n, t)| (n.clone(), t.origin.clone())).collect();
        let mut tera = Tera::new();
        tera.register_filter("fill", fill::fill);
        tera.add_raw_templates(theme.templates.iter().map(|(name, t)| (name.as_str(), t.source.as_str())))
            .map_err(|e| vec![template_diagnostic(&origins, "", e.kind())])?;
        Ok(Self { tera, origins, store: None })
    }

    /// This renderer, keeping each listing fragment (card, question) it renders in `store` for
    /// its later renderings (`serve`, whose rebuilds list mostly the same reviews again).
    pub fn keeping_fragments(self, store: Box<dyn FragmentStore>) -> Self {
        Self { store: Some(store), ..self }
    }

    /// What renders the listing fragments of `site`, whose links `urls` make.
    fn fragments(&self, site: &Site, urls: &Urls<'_>) -> Fragments<'_> {
        let items = site.reviews.iter().map(|r| 1 + r.questions.len()).sum();
        Fragments::new(&self.tera, &self.origins, site_values(site, urls), self.store.as_deref(), items)
    }

    /// Renders the pages of `jobs` in parallel and hands each to `sink` as soon as it is made,
    /// so that they are never all in memory at once. Collects every template failure; stops
    /// at the first failure of `sink`, which is returned as it is (a write failure is not the
    /// site's). `views` are those of `site`.
    pub fn render_pages<E: Send>(
        &self,
        site: &Site,
        views: &Views<'_>,
        jobs: &[Job],
        sink: &(dyn Fn(OutputFile) -> Result<(), E> + Sync),
    ) -> Result<(), Failure<E>> {
        let global = global_context(site, views);
        let errors = Mutex::new(Vec::new());
        let sink_failure = Mutex::new(None);
        let sink_failed = AtomicBool::new(false);
        jobs.par_iter().for_each(|job| {
            if sink_failed.load(Ordering::Relaxed) {
                return;
            }
            match self.render_job(site, views, &global, *job).map(sink) {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    sink_failed.store(true, Ordering::Relaxed);
                    if let Ok(mut first) = sink_failure.lock() {
                        first.get_or_insert(e);
                    }
                }
                Err(e) => {
                    if let Ok(mut errors) = errors.lock() {
                        errors.push(e);
                    }
                }
            }
        });
        if let Some(e) = sink_failure.into_inner().ok().flatten() {
            return Err(Failure::Sink(e));
        }
        let errors = [views.fragment_failures(), errors.into_inner().unwrap_or_default()].concat();
        if errors.is_empty() { Ok(()) } else { Err(Failure::Content(errors)) }
    }

    /// Renders one page.
    pub fn render_job(
        &self,
        site: &Site,
        views: &Views<'_>,
        global: &Context,
        job: Job,
    ) -> Result<OutputFile, Diagnostic> {
        let config = &site.config;
        let mut context = global.clone();
        let Page { path, template, title, description, image } = job.prepare(site, views, &mut context);
        let canonical = format!("{}{}", config.base_url, path);
        context.insert("meta", &Meta { title, description, canonical, path: views.urls().at(&path), image });
        let html =
            self.tera.render(template, &context).map_err(|e| template_diagnostic(&self.origins, template, e.kind()))?;
        let file = file_of(path);
        Ok(OutputFile::new(file, html))
    }
}

/// The values every page shares (`site`), once per rendering.
fn global_context(site: &Site, views: &Views<'_>) -> Context {
    let mut global = Context::new();
    global.insert_value("site", site_values(site, &views.urls()));
    // A page's own `extra` (a review's, a project's, a free page's) replaces this.
    global.insert("extra", &serde_json::Map::new());
    global
}

/// `item` as a template value. The values critique makes hold plain strings and numbers:
/// serialising them cannot fail.
fn to_value<T: Serialize + ?Sized>(item: &T) -> tera::Value {
    tera::Value::try_from_serializable(item).unwrap_or_else(|_| tera::Value::none())
}

/// The site-wide values templates see as `site`.
fn site_values(site: &Site, urls: &Urls<'_>) -> tera::Value {
    let values = SiteValues {
        title: &site.config.title,
        description: &site.config.description,
        base_url: &site.config.base_url,
        base_path: site.config.base_path(),
        language: &site.config.language,
        min_reviews: site.config.min_reviews,
        pages: site.pages.iter().map(|p| NavLink { title: p.title.clone(), url: urls.page(&p.slug) }).collect(),
        menu: menu(site, urls),
        extra_css: site.config.extra_css.iter().map(|url| urls.field(url)).collect(),
        extra_head: &site.config.extra_head,
        recommend_from: site.config.recommending().last().map(|v| v.label.clone()),
        stale_after_days: site.config.freshness.stale_after_days,
        extra: &site.config.extra,
        t: &site.config.interface,
    };
    to_value(&values)
}

/// The output file of a page path: a folder gets its `index.html`.
fn file_of(path: String) -> String {
    if path.is_empty() || path.ends_with('/') { output_path(&path) } else { path }
}

/// The machine-readable files of `site` (feeds as JSON, dataset, sitemap, robots.txt,
/// llms.txt), which cover the whole site and so are always produced in full. `views` are those
/// of `site`, and `jobs` its pages.
pub fn data_files(site: &Site, views: &Views<'_>, jobs: &[Job]) -> Vec<OutputFile> {
    data::files(site, views, jobs)
}

/// A Tera error as a diagnostic on the template file and line it is about.
fn template_diagnostic(origins: &BTreeMap<String, Origin>, rendering: &str, kind: &ErrorKind) -> Diagnostic {
    let path_of = |name: &str| match origins.get(name) {
        Some(Origin::Site(path)) => path.clone(),
        _ if name.is_empty() => PathBuf::from("templates/"),
        _ => PathBuf::from(format!("templates/{name} (built-in theme)")),
    };
    let found = match kind {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let name = if report.filename().is_empty() { rendering } else { report.filename() };
            let message = format!("template error: {}", report.message());
            Diagnostic::at(path_of(name), span.start_line.max(1), span.start_col + 1, message)
        }
        // Checks made when templates are loaded (unknown filters, tests, functions, includes)
        // come as a message whose report names the place as ` --> name:line:col`.
        ErrorKind::Msg(text) => {
            let first = text.lines().next().unwrap_or_default();
            let message = format!("template error: {}", first.trim_start_matches("error: "));
            match report_position(text) {
                Some((name, line, col)) => Diagnostic::at(path_of(name), line, col, message),
                None => Diagnostic::file(path_of(rendering), message),
            }
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::at(
            path_of(current),
            1,
            1,
            format!(
                "template error: extends `{parent}`, which is not a template: expected one of the theme's or the site's templates"
            ),
        ),
        ErrorKind::CircularExtend { tpl, inheritance_chain } => Diagnostic::at(
            path_of(tpl),
            1,
            1,
            format!("template error: circular extends: {} → {tpl}", inheritance_chain.join(" → ")),
        ),
        ErrorKind::CircularInclude { tpl, include_chain } => {
            Diagnostic::file(path_of(tpl), format!("template error: circular include: {}", include_chain.join(" → ")))
        }
        other => Diagnostic::file(path_of(rendering), format!("template error: {other}")),
    };
    found.with_rule("template")
}

/// `(template, line, column)` from a Tera report's ` --> name:line:col` line.
fn report_position(report: &str) -> Option<(&str, usize, usize)> {
    let place = report.lines().find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = place.trim().rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?, line, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_positions_are_read_from_tera_messages() {
        let report = "error: Unknown filter `x`\n --> review.html:4:21\n  |\n";
        assert_eq!(report_position(report), Some(("review.html", 4, 21)));
        assert_eq!(report_position("no place"), None);
    }
}
