//! `critique new project NAME`, `critique new review PROJECT TITLE` and `critique new page
//! TITLE`: a content file with its front matter filled in (today's date, the slug, the
//! project's claims listed for the writer to tie questions to). Never overwrites; an unknown
//! project lists the known ones.

use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Config};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, closest};
use crate::load::{self, Section};
use crate::markdown::MarkdownOptions;
use crate::model::RESERVED_PAGE_SLUGS;
use crate::model::scores::format_score;
use crate::parse;
use crate::scaffold;

/// Why a file could not be created.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The file exists.
    #[error("{0}: already exists; expected a new name (nothing was written)")]
    Exists(PathBuf),
    /// The name has no letters or digits to make a slug of.
    #[error("`{0}` has no letters or digits to name a file after")]
    NoSlug(String),
    /// The site could not be read well enough to fill the file.
    #[error("{0}")]
    Site(String),
    /// Writing failed.
    #[error("{path}: cannot write: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes `text` to the new file `path` (its folders made), never over an existing file.
pub(super) fn write_new(path: &Path, text: &[u8]) -> Result<PathBuf, NewError> {
    if path.exists() {
        return Err(NewError::Exists(path.to_path_buf()));
    }
    let io = |source| NewError::Io { path: path.to_path_buf(), source };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io)?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| {
            use std::io::Write as _;
            f.write_all(text)
        })
        .map_err(io)?;
    Ok(path.to_path_buf())
}

fn slug_of(name: &str) -> Result<String, NewError> {
    let slug = slug::slugify(name);
    if slug.is_empty() { Err(NewError::NoSlug(name.to_string())) } else { Ok(slug) }
}

/// Writes `content/projects/<slug>.md` for a project called `name`.
pub fn project(root: &Path, name: &str) -> Result<PathBuf, NewError> {
    let slug = slug_of(name)?;
    // Every value that holds the name is quoted: a name may contain `:`, `#` or quotes.
    let quote = |text: String| serde_json::to_string(&text).unwrap_or_default();
    let text = format!(
        "---\nname: {}\nsummary: {}\n# category: Infrastructure\n# homepage: https://…\ntags: []\nclaims:\n  # One entry per claim the project makes; reviews tie their questions to the ids.\n  - id: main-claim\n    text: {}\n    # source: https://… (where the project says it)\n    # accessed: YYYY-MM-DD\n# token: {{ symbol: …, rights: [governance, fees], allocation: \"…\" }}\n# governance: {{ upgrades: \"…\", timelock: \"…\" }}\n# accountability: {{ incident_contact: …, status_page: …, can_pause: \"…\", postmortems: … }}\n---\n{}\n",
        quote(name.to_string()),
        quote(scaffold::project_summary(name)),
        quote(scaffold::claim_text(name)),
        scaffold::project_body(name),
    );
    write_content(root, "projects", &slug, &text)
}

/// Writes `content/reviews/<slug>.md` for a review of `project` titled `title`, as a draft.
/// `author` when given, else the configuration's `default_author`, else a placeholder that
/// `check` reports until it is replaced.
pub fn review(root: &Path, project: &str, title: &str, author: Option<&str>, today: Date) -> Result<PathBuf, NewError> {
    let slug = slug_of(title)?;
    // Unreadable files do not matter here: only the configuration and the project are read.
    let (files, _) = load::load_site(root);
    let config = match &files.config {
        Some(text) => Config::parse(text, Path::new(CONFIG_FILE)).map_err(|e| site_error(&e))?,
        None => Config::default(),
    };
    let projects: Vec<_> = files.content.iter().filter(|f| f.section == Section::Projects).cloned().collect();
    let known: Vec<&str> = projects.iter().map(|p| p.slug.as_str()).collect();
    // The project by its slug, or by its name as the writer knows it ("Commons Inference").
    let named = slug::slugify(project);
    let found = projects.iter().find(|p| p.slug == project).or_else(|| projects.iter().find(|p| p.slug == named));
    let Some(file) = found else {
        let hint =
            closest(project, known.iter().copied()).map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
        let list = if known.is_empty() {
            "none yet; create one with `critique new project NAME`".to_string()
        } else {
            known.join(", ")
        };
        return Err(NewError::Site(format!("unknown project `{project}`{hint}: known projects are {list}")));
    };
    let (parsed, parse_errors) = parsed(file);
    let Some(parsed) = parsed.projects.first() else {
        return Err(site_error(&parse_errors));
    };
    let claims = &parsed.matter.claims;
    let middle = (config.scale.min + config.scale.max) / 2.0;
    let scores: Vec<String> = config.axes.iter().map(|a| format!("{}: {}", a.key, format_score(middle))).collect();
    let verdict = config
        .verdict("unproven")
        .map_or_else(|| config.verdicts[config.verdicts.len() / 2].key.clone(), |v| v.key.clone());
    let mut text = String::from("---\n");
    let _ = writeln!(text, "title: {}", serde_json::to_string(title).unwrap_or_default());
    let _ = writeln!(text, "project: {}", file.slug);
    let author = author.or(config.default_author.as_deref()).unwrap_or(crate::scaffold::AUTHOR);
    let _ = writeln!(text, "author: {}", serde_json::to_string(author).unwrap_or_default());
    let _ = writeln!(text, "date: {today}");
    let verdicts: Vec<&str> = config.verdicts.iter().map(|v| v.key.as_str()).collect();
    let _ = writeln!(text, "verdict: {verdict}   # one of: {}", verdicts.join(", "));
    let _ = writeln!(
        text,
        "scores: {{ {} }}   # {}–{} on each axis",
        scores.join(", "),
        format_score(config.scale.min),
        format_score(config.scale.max)
    );
    text.push_str("tags: []\n");
    // Left for the writer to say: a filled-in `none` would claim what nobody checked.
    text.push_str("# What you hold of the project's token or equity (none | holds | held | short), who paid\n");
    text.push_str("# you for this and for what, and what else ties you to the project; say what is true:\n");
    text.push_str("# disclosure: { holdings: none, compensation: none, relationship: none }\n");
    text.push_str("questions:\n");
    if claims.is_empty() {
        text.push_str("  # The project lists no claims yet.\n");
    } else {
        text.push_str("  # Claims of this project, to tie questions to with `claim:`:\n");
        for c in claims {
            // One line each: a claim written over several lines must not break the comment.
            let one_line = c.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let _ = writeln!(text, "  #   {} — {one_line}", c.id.value);
        }
    }
    let first = claims.first().map(|c| c.id.value.as_str());
    let _ = writeln!(text, "  - ask: {}", scaffold::QUESTION);
    if let Some(id) = first {
        let _ = writeln!(text, "    claim: {id}");
    }
    text.push_str("    status: open   # open | answered | disputed (then add `answer:`)\n");
    text.push_str("draft: true   # remove when the review is ready to publish\n---\n");
    text.push_str(scaffold::SUMMARY_LINE);
    text.push_str("\n\n## What it claims\n\n## What would change my mind\n");
    write_content(root, "reviews", &slug, &text)
}

/// Writes `content/responses/<project>-on-<review>.md`: the reply of the project of the review
/// `review` (its slug) to it, dated `today`, with the review's questions listed for the writer
/// to name those the reply answers.
pub fn response(root: &Path, review: &str, today: Date) -> Result<PathBuf, NewError> {
    let (files, _) = load::load_site(root);
    let reviews: Vec<_> = files.content.iter().filter(|f| f.section == Section::Reviews).cloned().collect();
    let Some(file) = reviews.iter().find(|r| r.slug == review) else {
        let hint = closest(review, reviews.iter().map(|r| r.slug.as_str()))
            .map(|k| format!(" (did you mean `{k}`?)"))
            .unwrap_or_default();
        return Err(NewError::Site(format!(
            "unknown review `{review}`{hint}: name a file of content/reviews/ without `.md`"
        )));
    };
    let (parsed, parse_errors) = parsed(file);
    let Some(parsed) = parsed.reviews.first() else {
        return Err(site_error(&parse_errors));
    };
    let project = &parsed.matter.project.value;
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let mut text = String::from("---\n");
    let _ = writeln!(text, "project: {project}");
    let _ = writeln!(text, "date: {today}   # the day the project published it");
    let _ = writeln!(text, "by: {}", quote(scaffold::REPLY_BY));
    text.push_str(
        "# source: https://…   # where the project published it (its site or an account in its `channels`)\n",
    );
    text.push_str("to:\n");
    let _ = writeln!(text, "  - review: {review}");
    for (i, q) in parsed.matter.questions.iter().enumerate() {
        // One line each: a question written over several lines must not break the comment.
        let ask = q.ask.value.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(text, "  # - question: \"{review}#q-{}\"   # {ask}", i + 1);
    }
    let _ = write!(text, "---\n{}\n", scaffold::REPLY_BODY);
    write_content(root, "responses", &format!("{}-on-{review}", slug_of(project)?), &text)
}

/// Writes `content/pages/<slug>.md` for a free page titled `title` (an about page, a
/// methodology), linked from every page's navigation once published.
pub fn page(root: &Path, title: &str) -> Result<PathBuf, NewError> {
    let slug = slug_of(title)?;
    if RESERVED_PAGE_SLUGS.contains(&slug.as_str()) {
        return Err(NewError::Site(format!(
            "a page named `{slug}` would take the site's own /{slug}/: expected another title (these are taken: {})",
            RESERVED_PAGE_SLUGS.join(", ")
        )));
    }
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let text = format!(
        "---\ntitle: {}\ndescription: {}\n---\n{}\n",
        quote(title),
        quote(&format!("{title}, on this site.")),
        scaffold::PAGE_BODY,
    );
    write_content(root, "pages", &slug, &text)
}

/// Writes `content/<section>/<slug>.md`, unless the section has the slug already (as `.md` or
/// `.markdown`).
fn write_content(root: &Path, section: &str, slug: &str, text: &str) -> Result<PathBuf, NewError> {
    let folder = root.join("content").join(section);
    let other = folder.join(format!("{slug}.markdown"));
    if other.exists() {
        return Err(NewError::Exists(other));
    }
    write_new(&folder.join(format!("{slug}.md")), text.as_bytes())
}

/// One content file parsed as a build would, drafts included.
fn parsed(file: &load::SourceFile) -> (parse::ParsedSite, Vec<Diagnostic>) {
    let markdown = MarkdownOptions::ROOT;
    parse::parse_all(std::slice::from_ref(file), markdown, parse::Publish { drafts: true, until: None })
}

fn site_error(errors: &[Diagnostic]) -> NewError {
    NewError::Site(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
}
