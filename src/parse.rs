//! Parsing: each loaded file becomes typed front matter plus a rendered Markdown body, in
//! parallel. Drafts and reviews dated after the build's day are dropped here unless they are
//! wanted, so nothing later pays for them.

mod bounds;
mod cover;
pub mod matter;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use crate::date::Date;
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::frontmatter::{self, Format};
use crate::load::{Section, SourceFile};
use crate::locate::{Step, TomlSpans};
use crate::markdown::{self, MarkdownOptions, Rendered};
use crate::text;
pub use bounds::{Bounded, MAX_ITEMS, MAX_SCORES, MAX_TAGS};
pub use cover::Cover;
use cover::cover;
use matter::{AuthorMatter, OwnSlug, PageMatter, ProjectMatter, RequiredKeys, ResponseMatter, ReviewMatter};

/// The most distinct needles [`Located::lines_of`] places in one call.
pub const LINES_OF_MAX: usize = 10_000;
/// The most bytes of distinct needles [`Located::lines_of`] places in one call.
pub const LINES_OF_MAX_BYTES: usize = 1 << 20;

/// A file's text, kept for positioning later diagnostics and for editorial checks.
#[derive(Debug, Clone)]
pub struct Located {
    /// Path relative to the site root.
    pub path: PathBuf,
    /// YAML or TOML.
    pub format: Format,
    /// The front-matter block.
    pub matter: Arc<str>,
    /// 1-based line of the file on which the block starts.
    pub matter_line: usize,
    /// 1-based line of the file on which the Markdown body starts.
    pub body_line: usize,
    /// The whole file.
    pub text: Arc<str>,
    /// The TOML block's positions, read the first time one of its values is placed.
    pub positions: TomlPositions,
}

/// A TOML front-matter block's positions, read once and shared by the copies of its
/// [`Located`]: placing each of a file's errors does not parse the block again.
#[derive(Debug, Clone, Default)]
pub struct TomlPositions(Arc<OnceLock<Option<(TomlSpans, LineIndex)>>>);

impl Located {
    /// An error about a value read from the front matter at `path` (keys and indices from
    /// the top). YAML values carry their position; TOML ones are found again by their path.
    pub fn error<T>(&self, value: &Spanned<T>, path: &[Step<'_>], message: impl Into<String>) -> Diagnostic {
        let line = usize::try_from(value.referenced.line()).unwrap_or(0);
        let position = match self.format {
            Format::Yaml if line > 0 => Some((line, usize::try_from(value.referenced.column()).unwrap_or(1))),
            _ => self.toml_position(path),
        };
        self.at(position, message)
    }

    /// An error about the top-level `key` (a YAML key starting a line, or a TOML key).
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let position = match self.format {
            Format::Toml => self.toml_position(&[Step::Key(key)]),
            Format::Yaml => {
                let prefix = format!("{key}:");
                self.matter.lines().position(|l| l.starts_with(&prefix)).map(|i| (i + 1, 1))
            }
        };
        self.at(position, message)
    }

    /// For each of `needles`, the first line of the file holding it (0 when none does), for
    /// findings about values whose exact position was not kept: all found in one pass over
    /// the file, however many. Where needles overlap, the leftmost match, then the longest,
    /// is the one found, so a needle only ever found inside a longer one is not placed. So is
    /// one past the first [`LINES_OF_MAX`] distinct needles or [`LINES_OF_MAX_BYTES`] of them,
    /// which keeps the search's own tables small.
    pub fn lines_of(&self, needles: &[&str]) -> Vec<usize> {
        let text = &*self.text;
        let mut distinct: HashMap<&str, usize> = HashMap::new();
        let mut patterns: Vec<&str> = Vec::new();
        let mut bytes = 0;
        for &needle in needles {
            if !needle.is_empty()
                && !distinct.contains_key(needle)
                && patterns.len() < LINES_OF_MAX
                && bytes + needle.len() <= LINES_OF_MAX_BYTES
            {
                distinct.insert(needle, patterns.len());
                patterns.push(needle);
                bytes += needle.len();
            }
        }
        let mut found = vec![0; patterns.len()];
        // Most files have no needle to place: no automaton to build, no pass over the text.
        let searcher = (!patterns.is_empty())
            .then(|| AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&patterns).ok())
            .flatten();
        if let Some(searcher) = searcher {
            let (mut line, mut counted, mut left) = (1, 0, patterns.len());
            for m in searcher.find_iter(text) {
                let slot = &mut found[m.pattern().as_usize()];
                if *slot == 0 {
                    line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted..m.start()]).count();
                    counted = m.start();
                    *slot = line;
                    left -= 1;
                    if left == 0 {
                        break;
                    }
                }
            }
        }
        let first_line = usize::from(!text.is_empty());
        needles
            .iter()
            .map(|&needle| match distinct.get(needle) {
                Some(&i) => found[i],
                None if needle.is_empty() => first_line,
                None => 0,
            })
            .collect()
    }

    fn toml_position(&self, path: &[Step<'_>]) -> Option<(usize, usize)> {
        let read = self
            .positions
            .0
            .get_or_init(|| TomlSpans::parse(&self.matter).map(|spans| (spans, LineIndex::new(&self.matter))));
        let (spans, lines) = read.as_ref()?;
        let start = spans.span(path)?.start;
        let line = lines.line(start);
        let line_start = lines.line_start(line).unwrap_or(0);
        Some((line, self.matter.get(line_start..start).map_or(1, |s| s.chars().count() + 1)))
    }

    /// A diagnostic at a position within the block, or at its first line when unknown.
    fn at(&self, position: Option<(usize, usize)>, message: impl Into<String>) -> Diagnostic {
        let (line, col) = position.unwrap_or((1, 1));
        Diagnostic::at(&self.path, line + self.matter_line - 1, col, message)
    }
}

/// One parsed content file.
#[derive(Debug, Clone)]
pub struct Parsed<M> {
    /// File name without `.md`.
    pub slug: String,
    /// For diagnostics.
    pub source: Located,
    /// Typed front matter.
    pub matter: M,
    /// The rendered body.
    pub body: Arc<Rendered>,
    /// Its `cover:` picture, found beside it (reviews and projects).
    pub cover: Option<Cover>,
}

/// Every parsed content file, by section, sorted by path.
#[derive(Debug, Clone, Default)]
pub struct ParsedSite {
    /// `content/projects/`.
    pub projects: Vec<Parsed<ProjectMatter>>,
    /// `content/reviews/`, drafts only when wanted.
    pub reviews: Vec<Parsed<ReviewMatter>>,
    /// `content/pages/`.
    pub pages: Vec<Parsed<PageMatter>>,
    /// The review files left out, and why (see [`Publish`]).
    pub left_out: Vec<(PathBuf, LeftOut)>,
    /// `content/authors/`.
    pub authors: Vec<Parsed<AuthorMatter>>,
    /// `content/responses/`.
    pub responses: Vec<Parsed<ResponseMatter>>,
}

/// Which reviews a run publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Publish {
    /// Drafts too.
    pub drafts: bool,
    /// Only reviews dated on or before this day (Hugo's convention); all when `None`.
    pub until: Option<Date>,
}

/// Why a review was left out of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LeftOut {
    /// It says `draft: true`.
    Draft,
    /// It is dated after the day built for.
    Future,
}

/// One parsed file of any section.
#[derive(Debug, Clone)]
pub enum ParsedFile {
    /// A project.
    Project(Parsed<ProjectMatter>),
    /// A review.
    Review(Parsed<ReviewMatter>),
    /// A free page.
    Page(Parsed<PageMatter>),
    /// An author's profile.
    Author(Parsed<AuthorMatter>),
    /// A project's reply.
    Response(Parsed<ResponseMatter>),
    /// A review (its file) left out of the run: a draft or dated in the future.
    LeftOut(PathBuf, LeftOut),
}

impl ParsedSite {
    /// Sorts parsed files into their sections, in the order given.
    pub fn from_files(files: impl IntoIterator<Item = ParsedFile>) -> Self {
        let mut site = ParsedSite::default();
        for file in files {
            match file {
                ParsedFile::Project(p) => site.projects.push(p),
                ParsedFile::Review(r) => site.reviews.push(r),
                ParsedFile::Page(p) => site.pages.push(p),
                ParsedFile::Author(a) => site.authors.push(a),
                ParsedFile::Response(r) => site.responses.push(r),
                ParsedFile::LeftOut(path, why) => site.left_out.push((path, why)),
            }
        }
        site
    }
}

/// Parses one file of any section.
/// A file's errors: every problem of its front matter at once, or the first of its body.
pub fn parse_file(
    file: &SourceFile,
    markdown: MarkdownOptions<'_>,
    publish: Publish,
) -> Result<ParsedFile, Vec<Diagnostic>> {
    // Its links to other content files (`../x.md`) start from its own folder.
    // A reply is shown on its project's page and its reviews' (`response-<slug>` there): its
    // ids are its own (`_` is in no slug, so no two replies' prefixes overlap).
    let prefix = match file.section {
        Section::Responses => format!("response-{}_", file.slug),
        _ => String::new(),
    };
    // A page bundle's links start from its folder (`reviews/x`), as the files beside it do;
    // any other page's from its section's, in whatever folder of it the file is.
    let bundle = file.path.parent().filter(|_| crate::load::is_bundle_index(&file.path));
    let source_dir = bundle
        .and_then(|p| p.strip_prefix("content").ok())
        .map_or_else(|| file.section.folder().to_string(), |p| p.to_string_lossy().replace('\\', "/"));
    let folder = crate::pictures::page_folder(file.section, &file.slug);
    let images = markdown.images.map(|images| markdown::PageImages { folder: &folder, ..images });
    let markdown = MarkdownOptions { source_dir: &source_dir, id_prefix: &prefix, images, ..markdown };
    // What is not the body's (the file's text, its front matter) is the front matter's.
    parse_section(file, markdown, publish).map_err(|e| e.into_iter().map(|d| d.or_rule("front-matter")).collect())
}

fn parse_section(
    file: &SourceFile,
    markdown: MarkdownOptions<'_>,
    publish: Publish,
) -> Result<ParsedFile, Vec<Diagnostic>> {
    match file.section {
        Section::Projects => {
            let mut project = parse_one::<ProjectMatter>(file, markdown)?;
            project.cover = cover(project.matter.cover.as_ref(), &project.source, markdown)?;
            // Findings' summaries are Markdown too, bounded as answers are.
            let mut marks = 0;
            for (i, claim) in project.matter.claims.iter_mut().enumerate() {
                let Some(finding) = claim.finding.as_deref_mut() else { continue };
                let Some(summary) = finding.summary.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
                    continue;
                };
                let at = [Step::Key("claims"), Step::Index(i), Step::Key("finding"), Step::Key("summary")];
                let field = inline_field(summary, &mut marks, markdown, |e| {
                    project.source.error(&finding.rating, &at, format!("in this finding: {e}")).with_hint(e.hint())
                })?;
                (finding.summary_html, finding.summary_hazards, finding.summary_links) =
                    (Some(field.html), field.hazards, markdown::link_targets(summary, markdown));
            }
            Ok(ParsedFile::Project(project))
        }
        Section::Pages => parse_one(file, markdown).map(ParsedFile::Page),
        Section::Authors => parse_one(file, markdown).map(ParsedFile::Author),
        Section::Responses => parse_one(file, markdown).map(ParsedFile::Response),
        Section::Reviews => {
            let mut review = parse_one::<ReviewMatter>(file, markdown)?;
            review.cover = cover(review.matter.cover.as_ref(), &review.source, markdown)?;
            if review.matter.draft && !publish.drafts {
                return Ok(ParsedFile::LeftOut(file.path.clone(), LeftOut::Draft));
            }
            if publish.until.is_some_and(|day| review.matter.date.value > day) {
                return Ok(ParsedFile::LeftOut(file.path.clone(), LeftOut::Future));
            }
            // Answers are Markdown too: rendered here, once per file, like the body, and
            // bounded like it (each, and all of a file's together).
            let mut marks = 0;
            for (i, q) in review.matter.questions.iter_mut().enumerate() {
                let Some(answer) = q.answer.as_deref().map(str::trim).filter(|a| !a.is_empty()) else { continue };
                let at = [Step::Key("questions"), Step::Index(i), Step::Key("answer")];
                let inline = inline_field(answer, &mut marks, markdown, |e| {
                    review.source.error(&q.ask, &at, format!("in this answer: {e}")).with_hint(e.hint())
                })?;
                q.answer_html = Some(inline.html);
                q.answer_hazards = inline.hazards;
                q.answer_links = markdown::link_targets(answer, markdown);
            }
            Ok(ParsedFile::Review(review))
        }
    }
}

/// A Markdown field of front matter (an answer, a finding's summary) rendered inline, its
/// structure bounded alone and with the file's other such fields (`marks`, counted on);
/// `error` places a problem at the field.
fn inline_field(
    text: &str,
    marks: &mut usize,
    markdown: MarkdownOptions<'_>,
    error: impl Fn(&markdown::StructureError) -> Diagnostic,
) -> Result<markdown::Inline, Vec<Diagnostic>> {
    let too_much = |e: &markdown::StructureError| vec![error(e).with_rule("markdown")];
    *marks += markdown::check_structure(text).map_err(|e| too_much(&e))?;
    if *marks > markdown::MAX_MARKS {
        return Err(too_much(&markdown::StructureError::TooManyMarks { line: 1, col: 1 }));
    }
    Ok(markdown::render_inline(text, markdown))
}

/// Parses every file in parallel, collecting every file's error.
pub fn parse_all(
    files: &[SourceFile],
    markdown: MarkdownOptions<'_>,
    publish: Publish,
) -> (ParsedSite, Vec<Diagnostic>) {
    let results: Vec<Result<ParsedFile, Vec<Diagnostic>>> =
        files.par_iter().map(|file| parse_file(file, markdown, publish)).collect();
    let mut parsed = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(file) => parsed.push(file),
            Err(e) => errors.extend(e),
        }
    }
    let site = ParsedSite::from_files(parsed);
    (site, errors)
}

fn parse_one<M: DeserializeOwned + Bounded + RequiredKeys + OwnSlug>(
    file: &SourceFile,
    markdown: MarkdownOptions<'_>,
) -> Result<Parsed<M>, Vec<Diagnostic>> {
    // Control characters are errors wherever they are, raw or written as escapes.
    text::check_file(&file.text, &file.path).map_err(|e| vec![e.with_rule("file")])?;
    let split = frontmatter::split(&file.text, &file.path).map_err(|e| vec![e])?;
    let matter: M = frontmatter::parse(&split, &file.path, M::REQUIRED)?;
    frontmatter::check_escapes(&split, &file.path).map_err(|e| vec![e])?;
    let source = Located {
        path: file.path.clone(),
        format: split.format,
        matter: Arc::from(split.matter),
        matter_line: split.matter_line,
        body_line: split.body_line,
        text: file.text.clone(),
        positions: TomlPositions::default(),
    };
    if let Some(too_long) = bounds::check(&matter, &source).into_iter().next() {
        return Err(vec![too_long]);
    }
    // Its bundle's pictures are published where its `slug:` puts it (a bad one is the model's
    // error).
    let published = matter
        .own_slug()
        .filter(|s| !s.is_empty() && slug::slugify(s) == *s)
        .map(|s| crate::pictures::page_folder(file.section, s));
    let images = markdown
        .images
        .map(|images| markdown::PageImages { published: published.as_deref().unwrap_or(images.folder), ..images });
    let markdown = MarkdownOptions { images, ..markdown };
    let body = markdown::render(split.body, markdown).map_err(|e| {
        let (line, col) = e.position();
        vec![
            Diagnostic::at(&file.path, split.body_line + line - 1, col, e.to_string())
                .with_hint(e.hint())
                .with_rule("markdown"),
        ]
    })?;
    if !body.image_errors.is_empty() {
        let at = |e: &markdown::ImageError| {
            Diagnostic::at(&file.path, split.body_line + e.line - 1, e.col, e.message.clone())
                .with_hint(e.hint.clone())
                .with_rule("markdown")
        };
        return Err(body.image_errors.iter().map(at).collect());
    }
    Ok(Parsed { slug: file.slug.clone(), source, matter, body: Arc::new(body), cover: None })
}
