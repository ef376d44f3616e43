//! critique: a static site generator for critical reviews of projects.
//!
//! A build flows one way, by value:
//!
//! 1. [`load`] reads `critique.toml`, `content/`, `templates/` and `static/` (the only reader);
//! 2. [`config`] validates the configuration; [`parse`] splits each file's [`frontmatter`]
//!    from its body and renders the body with [`markdown`], in parallel;
//! 3. [`model`] links reviews to projects and claims, validates every reference and
//!    aggregates scores into an immutable [`model::Site`];
//! 4. [`render`] turns the site into independent page jobs rendered through the [`theme`]'s
//!    Tera templates in parallel, and [`search`] indexes it for the search page;
//! 5. [`output`] writes the files into a staging directory and swaps it into place (the only
//!    writer).
//!
//! Every stage collects [`diagnostic::Diagnostic`]s instead of stopping at the first problem;
//! the command line reports them once.

pub mod cache_dir;
pub mod cache_store;
pub mod cards;
pub mod check;
pub mod cmd;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod fingerprint;
pub mod frontmatter;
pub mod hash;
pub mod highlight;
pub mod load;
pub mod locate;
pub mod markdown;
pub mod model;
pub mod output;
pub mod parse;
pub mod pictures;
pub mod random;
pub mod render;
pub mod scaffold;
pub mod scheme;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site_path;
pub mod strings;
pub mod text;
pub mod theme;
pub mod urls;
pub mod web;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use cache_store::Stores;
use cards::CardFailure;
use config::Config;
use date::Date;
use diagnostic::Diagnostic;
use load::SiteFiles;
use markdown::{MarkdownOptions, PageImages};
use model::Site;
use output::OutputFile;
use pictures::Pictures;
use render::{Failure, Renderer};
use theme::Theme;

/// What a site is built with, beyond its files.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// Build drafts too.
    pub drafts: bool,
    /// Build reviews dated after `today` too.
    pub future: bool,
    /// Replace the configured `base_url` (for preview deploys).
    pub base_url: Option<String>,
    /// The day to build for (default: [`Date::today`]).
    pub today: Option<Date>,
}

/// How long each stage of a build took, for `build --timings` and the benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timings(pub Vec<(&'static str, std::time::Duration)>);

/// A line per stage, `  parse        1234.5 ms`, as `build --verbose` and serve print them.
impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (stage, took) in &self.0 {
            writeln!(f, "  {stage:<20} {:>7.1} ms", took.as_secs_f64() * 1000.0)?;
        }
        Ok(())
    }
}

impl Timings {
    /// Runs `stage`, recording its wall time under `name`.
    pub fn time<T>(&mut self, name: &'static str, stage: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let result = stage();
        self.0.push((name, start.elapsed()));
        result
    }
}

/// Runs the pure part of the pipeline: configuration, parsing, model, rendering. Returns the
/// site and every output file (pages and static files, by path), or every problem found. Each
/// stage goes on with the files the previous one could handle, so one run reports every file's
/// problems; pages are rendered only when everything before was clean.
pub fn render_site(
    files: &SiteFiles,
    options: &SiteOptions,
    stores: Stores<'_>,
) -> Result<(Site, Vec<OutputFile>), Vec<Diagnostic>> {
    let outputs = Mutex::new(Vec::new());
    let collect = |file: OutputFile| -> Result<(), std::convert::Infallible> {
        outputs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(file);
        Ok(())
    };
    let site = match render_site_into(files, options, stores, &mut Timings::default(), &collect) {
        Ok((site, _)) => site,
        Err(Failure::Content(errors)) => return Err(errors),
        Err(Failure::Sink(never)) => match never {},
    };
    let mut outputs = outputs.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((site, outputs))
}

/// [`render_site`] handing every output file to `sink` as soon as it is made (so that a build
/// never holds all its pages), recording the time of each stage. Returns the site and what the
/// link check needs of the output. Output paths that clash are found before any page is
/// rendered. A failure of `sink` stops the build and is returned as it is.
pub fn render_site_into<E: Send>(
    files: &SiteFiles,
    options: &SiteOptions,
    stores: Stores<'_>,
    timings: &mut Timings,
    sink: &(dyn Fn(OutputFile) -> Result<(), E> + Sync),
) -> Result<(Site, check::OutputIndex), Failure<E>> {
    let pictures = timings.time("pictures", || Pictures::survey(files));
    let site = site_model_timed(files, options, &pictures, timings);
    let theme = Theme::with_overrides(&files.templates, &files.static_files);
    let (site, renderer) = match (site, Renderer::new(&theme)) {
        (Ok(site), Ok(renderer)) => (site, renderer),
        (site, renderer) => {
            return Err(Failure::Content(
                [site.err().unwrap_or_default(), renderer.err().unwrap_or_default()].concat(),
            ));
        }
    };
    // The data files first: every output path is then known, and clashes are found before
    // anything is written.
    let views = render::Views::rendering(&site, &renderer);
    let jobs = render::jobs_in(&site, &views);
    // One after the other (each is parallel inside): side by side, the search index's working
    // tables and the data files' texts would be in memory at once.
    let mut data = timings.time("search", || search::files(&site));
    data.extend(timings.time("data", || render::data_files(&site, &views, &jobs)));
    data.extend(render::alias_files(&site, views.urls()));
    let bundled = timings
        .time("bundles + images", || render::bundle_files(&site, files, &pictures, stores.images))
        .map_err(Failure::Content)?;
    let static_paths: Vec<&str> = theme.static_files.keys().map(String::as_str).collect();
    let page_paths: Vec<String> = jobs.iter().map(|job| job.output_file(&site, &views)).collect();
    let card_paths = cards::paths(&site);
    let made = page_paths.iter().chain(&card_paths).map(String::as_str);
    let generated: Vec<&str> =
        data.iter().map(|f| f.path.as_str()).chain(made).chain(bundled.iter().map(|(f, _)| f.path.as_str())).collect();
    let clashes = output_clashes(&static_paths, &generated);
    if !clashes.is_empty() {
        return Err(Failure::Content(clashes));
    }
    let files: BTreeSet<String> = static_paths.iter().chain(&generated).map(|p| (*p).to_string()).collect();
    let targets = check::fragment_targets(&site, &files);
    // Files are written as they are made; only the element ids of link targets (pages, or
    // the site's own static HTML) are kept.
    let ids = Mutex::new(BTreeMap::new());
    let keep_ids = |file: OutputFile| {
        if targets.contains(&file.path)
            && let Ok(mut ids) = ids.lock()
        {
            ids.insert(file.path.clone(), check::element_ids(&file.bytes));
        }
        sink(file)
    };
    for (path, bytes) in theme.static_files {
        keep_ids(OutputFile::new(path, bytes)).map_err(Failure::Sink)?;
    }
    data.into_par_iter().try_for_each(keep_ids).map_err(Failure::Sink)?;
    bundled.into_par_iter().try_for_each(|(file, _)| keep_ids(file)).map_err(Failure::Sink)?;
    timings.time("render + write pages", || renderer.render_pages(&site, &views, &jobs, &keep_ids))?;
    timings.time("social cards", || cards::write_cards(&site, stores.cards, &keep_ids)).map_err(|e| match e {
        CardFailure::Draw(e) => Failure::Content(vec![
            Diagnostic::file(crate::config::CONFIG_FILE, e.to_string())
                .with_hint("this is a bug of critique's: `[social_cards] enabled = false` builds without cards"),
        ]),
        CardFailure::Sink(e) => Failure::Sink(e),
    })?;
    let ids = ids.into_inner().unwrap_or_default();
    drop(views);
    Ok((site, check::OutputIndex { files, ids }))
}

/// The site's model without its pages: configuration, parsing and assembly, with every
/// problem of those stages. For work on the model alone, such as indexing it for search.
pub fn site_model(files: &SiteFiles, options: &SiteOptions) -> Result<Site, Vec<Diagnostic>> {
    site_model_timed(files, options, &Pictures::survey(files), &mut Timings::default())
}

fn site_model_timed(
    files: &SiteFiles,
    options: &SiteOptions,
    pictures: &Pictures,
    timings: &mut Timings,
) -> Result<Site, Vec<Diagnostic>> {
    let config = site_config(files, options);
    let base_path = config.as_ref().map_or("/", Config::base_path).to_string();
    let today = options.today.unwrap_or_else(Date::today);
    let publish = parse::Publish {
        drafts: options.drafts || config.as_ref().is_ok_and(|c| c.drafts),
        until: (!options.future).then_some(today),
    };
    let (parsed, mut errors) = timings.time("parse", || {
        parse::parse_all(
            &files.content,
            MarkdownOptions {
                base_path: &base_path,
                images: Some(PageImages { pictures, folder: "", published: "" }),
                ..MarkdownOptions::ROOT
            },
            publish,
        )
    });
    let site = match config {
        Ok(config) => {
            let (site, model_errors) =
                timings.time("model", || model::assemble(config, parsed, &files.project_files, today));
            errors.extend(model_errors);
            Some(site)
        }
        Err(config_errors) => {
            errors.extend(config_errors);
            None
        }
    };
    site.filter(|_| errors.is_empty()).ok_or(errors)
}

/// The error of a static file at `path`, which a generated file takes.
pub fn static_takes_generated(path: &str) -> Diagnostic {
    Diagnostic::file(
        Path::new("static").join(path),
        format!("static file `{path}` has the same path as a generated page: expected another name"),
    )
    .with_rule("output")
}

/// An error for every static file that takes a generated path, and for every path that
/// would be a file and a folder at once.
fn output_clashes(static_paths: &[&str], generated: &[&str]) -> Vec<Diagnostic> {
    let generated_set: BTreeSet<&str> = generated.iter().copied().collect();
    let mut errors: Vec<Diagnostic> = static_paths
        .iter()
        .filter(|path| generated_set.contains(*path))
        .map(|path| static_takes_generated(path))
        .collect();
    errors.extend(path_clashes(static_paths.iter().chain(generated).copied()));
    errors
}

/// For output `paths`, an error for every path that others need as a folder.
pub fn path_clashes<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<Diagnostic> {
    let paths: BTreeSet<&str> = paths.into_iter().collect();
    let mut clashes = BTreeSet::new();
    for path in &paths {
        for (i, _) in path.match_indices('/') {
            if paths.contains(&path[..i]) {
                clashes.insert(&path[..i]);
            }
        }
    }
    clashes
        .into_iter()
        .map(|file| {
            Diagnostic::file(
                Path::new("static").join(file),
                format!("`{file}` would be both a file and a folder of the output: expected another name for the static file"),
            )
            .with_rule("output")
        })
        .collect()
}

/// The configuration of `files` (defaults when there is no `critique.toml`), with the
/// options' base URL applied.
pub fn site_config(files: &SiteFiles, options: &SiteOptions) -> Result<Config, Vec<Diagnostic>> {
    let path = Path::new(config::CONFIG_FILE);
    let config = match &files.config {
        Some(text) => {
            Config::parse(text, path).map_err(|e| e.into_iter().map(|d| d.or_rule("config")).collect::<Vec<_>>())?
        }
        None => Config::default(),
    };
    match &options.base_url {
        Some(url) => config.with_base_url(url).map_err(|m| vec![Diagnostic::file("--base-url", m).with_rule("config")]),
        None => Ok(config),
    }
}
