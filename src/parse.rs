//! Parsing: each loaded file becomes typed front matter plus a rendered Markdown body, in
//! parallel. Drafts are dropped here unless they are wanted, so nothing later pays for them.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, line_col};
use crate::frontmatter::{self, Format};
use crate::load::{Section, SourceFile};
use crate::locate::{Step, toml_span};
use crate::markdown::{self, MarkdownOptions, Rendered};
use crate::model::matter::{PageMatter, ProjectMatter, ReviewMatter};

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
}

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

    /// The first line of the file holding `needle` (0 when none does), for findings about a
    /// value whose exact position was not kept.
    pub fn line_of(&self, needle: &str) -> usize {
        self.text.lines().position(|l| l.contains(needle)).map_or(0, |i| i + 1)
    }

    fn toml_position(&self, path: &[Step<'_>]) -> Option<(usize, usize)> {
        toml_span(&self.matter, path).map(|span| line_col(&self.matter, span.start))
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
    /// A draft review, left out because drafts are not wanted.
    SkippedDraft,
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
                ParsedFile::SkippedDraft => {}
            }
        }
        site
    }
}

/// Parses one file of any section.
pub fn parse_file(file: &SourceFile, markdown: MarkdownOptions<'_>, drafts: bool) -> Result<ParsedFile, Diagnostic> {
    match file.section {
        Section::Projects => parse_one(file, markdown).map(ParsedFile::Project),
        Section::Pages => parse_one(file, markdown).map(ParsedFile::Page),
        Section::Reviews => {
            let mut review = parse_one::<ReviewMatter>(file, markdown)?;
            if review.matter.draft && !drafts {
                return Ok(ParsedFile::SkippedDraft);
            }
            // Answers are Markdown too: rendered here, once per file, like the body, and
            // bounded like it (each, and all of a file's together).
            let mut marks = 0;
            for (i, q) in review.matter.questions.iter_mut().enumerate() {
                let answer = q.answer.as_deref().map(str::trim).filter(|a| !a.is_empty());
                if let Some(answer) = answer {
                    let at = [Step::Key("questions"), Step::Index(i), Step::Key("answer")];
                    let too_much = |e: &markdown::StructureError| {
                        review.source.error(&q.ask, &at, format!("in this answer: {e}")).with_hint(e.hint())
                    };
                    marks += markdown::check_structure(answer).map_err(|e| too_much(&e))?;
                    if marks > markdown::MAX_MARKS {
                        return Err(too_much(&markdown::StructureError::TooManyMarks { line: 1, col: 1 }));
                    }
                }
                q.answer_html = answer.map(|a| markdown::render_inline(a, markdown));
                q.answer_links = answer.map(markdown::link_targets).unwrap_or_default();
            }
            Ok(ParsedFile::Review(review))
        }
    }
}

/// Parses every file in parallel, collecting every file's error.
pub fn parse_all(files: &[SourceFile], markdown: MarkdownOptions<'_>, drafts: bool) -> (ParsedSite, Vec<Diagnostic>) {
    let results: Vec<Result<ParsedFile, Diagnostic>> =
        files.par_iter().map(|file| parse_file(file, markdown, drafts)).collect();
    let mut parsed = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(file) => parsed.push(file),
            Err(e) => errors.push(e),
        }
    }
    let site = ParsedSite::from_files(parsed);
    (site, errors)
}

fn parse_one<M: DeserializeOwned>(file: &SourceFile, markdown: MarkdownOptions<'_>) -> Result<Parsed<M>, Diagnostic> {
    let split = frontmatter::split(&file.text, &file.path)?;
    let matter = frontmatter::parse(&split, &file.path)?;
    let body = markdown::render(split.body, markdown).map_err(|e| {
        let (line, col) = e.position();
        Diagnostic::at(&file.path, split.body_line + line - 1, col, e.to_string()).with_hint(e.hint())
    })?;
    Ok(Parsed {
        slug: file.slug.clone(),
        source: Located {
            path: file.path.clone(),
            format: split.format,
            matter: Arc::from(split.matter),
            matter_line: split.matter_line,
            body_line: split.body_line,
            text: file.text.clone(),
        },
        matter,
        body: Arc::new(body),
    })
}
