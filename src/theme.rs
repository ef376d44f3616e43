//! The default theme, compiled into the binary so that a site with only `content/` builds
//! anywhere; a site's own `templates/` and `static/` files replace it file by file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::load::SiteAsset;

/// The embedded templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("projects.html", include_str!("../templates/projects.html")),
    ("compare.html", include_str!("../templates/compare.html")),
    ("project.html", include_str!("../templates/project.html")),
    ("reviews.html", include_str!("../templates/reviews.html")),
    ("review.html", include_str!("../templates/review.html")),
    ("page.html", include_str!("../templates/page.html")),
    ("questions.html", include_str!("../templates/questions.html")),
    ("taxonomy.html", include_str!("../templates/taxonomy.html")),
    ("term.html", include_str!("../templates/term.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("rubric.html", include_str!("../templates/rubric.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("atom.xml", include_str!("../templates/atom.xml")),
    ("changes.html", include_str!("../templates/changes.html")),
    ("changes.xml", include_str!("../templates/changes.xml")),
    ("partials/review_card.html", include_str!("../templates/partials/review_card.html")),
    ("partials/question.html", include_str!("../templates/partials/question.html")),
    ("partials/pager.html", include_str!("../templates/partials/pager.html")),
    ("partials/score_table.html", include_str!("../templates/partials/score_table.html")),
    ("partials/response.html", include_str!("../templates/partials/response.html")),
    ("partials/ledger.html", include_str!("../templates/partials/ledger.html")),
    ("partials/authors.html", include_str!("../templates/partials/authors.html")),
    ("partials/question_follow_up.html", include_str!("../templates/partials/question_follow_up.html")),
    ("partials/cover.html", include_str!("../templates/partials/cover.html")),
];

/// The embedded static files, by path below the output root.
const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("highlight.css", include_bytes!("../static/highlight.css")),
    ("sort.js", include_bytes!("../static/sort.js")),
    ("search-index.js", include_bytes!("../static/search-index.js")),
    ("search.js", include_bytes!("../static/search.js")),
    ("compare.js", include_bytes!("../static/compare.js")),
    ("favicon.svg", include_bytes!("../static/favicon.svg")),
    ("favicon.png", include_bytes!("../static/favicon.png")),
];

/// Where a template came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The embedded default theme.
    Embedded,
    /// The site's own file (path relative to the site root).
    Site(PathBuf),
}

/// One template's source and origin.
#[derive(Debug, Clone)]
pub struct Template {
    /// The template text.
    pub source: String,
    /// Where it came from.
    pub origin: Origin,
}

/// The theme a site is rendered with: embedded files overridden by the site's own.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Templates by name (`review.html`).
    pub templates: BTreeMap<String, Template>,
    /// Static files by output path (`style.css`).
    pub static_files: BTreeMap<String, Vec<u8>>,
}

/// The embedded theme's files, each with the site folder that overrides it (`templates` or
/// `static`), its name there and its bytes, for `critique theme eject`.
pub fn embedded_files() -> impl Iterator<Item = (&'static str, &'static str, &'static [u8])> {
    let templates = TEMPLATES.iter().map(|(name, source)| ("templates", *name, source.as_bytes()));
    templates.chain(STATIC.iter().map(|(name, bytes)| ("static", *name, *bytes)))
}

impl Theme {
    /// The embedded theme with the site's templates and static files laid over it.
    pub fn with_overrides(templates: &[SiteAsset], static_files: &[SiteAsset]) -> Self {
        let mut theme = Theme::default();
        for (name, source) in TEMPLATES {
            theme
                .templates
                .insert((*name).to_string(), Template { source: (*source).to_string(), origin: Origin::Embedded });
        }
        for (name, bytes) in STATIC {
            theme.static_files.insert((*name).to_string(), bytes.to_vec());
        }
        for t in templates {
            let source = String::from_utf8_lossy(&t.bytes).into_owned();
            theme.templates.insert(t.name.clone(), Template { source, origin: Origin::Site(t.path.clone()) });
        }
        for s in static_files {
            theme.static_files.insert(s.name.clone(), s.bytes.clone());
        }
        theme
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Every file of the repository's theme folders is embedded, so none is forgotten.
    #[test]
    fn every_theme_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (folder, embedded) in [
            ("templates", TEMPLATES.iter().map(|(n, _)| *n).collect::<Vec<_>>()),
            ("static", STATIC.iter().map(|(n, _)| *n).collect()),
        ] {
            for entry in
                walkdir::WalkDir::new(root.join(folder)).into_iter().flatten().filter(|e| e.file_type().is_file())
            {
                let name =
                    entry.path().strip_prefix(root.join(folder)).expect("below").to_string_lossy().replace('\\', "/");
                assert!(embedded.contains(&name.as_str()), "{folder}/{name} is not embedded in theme.rs");
            }
        }
    }

    /// Every id the theme writes on a page that shows a Markdown body is one no heading of
    /// that body may take.
    #[test]
    fn heading_ids_never_take_the_themes() {
        for (name, source) in TEMPLATES {
            if ![
                "base.html",
                "project.html",
                "review.html",
                "page.html",
                "partials/score_table.html",
                "partials/response.html",
            ]
            .contains(name)
            {
                continue;
            }
            for id in source.split("id=\"").skip(1).filter_map(|rest| rest.split('"').next()) {
                if !id.contains("{{") {
                    assert!(crate::markdown::RESERVED_IDS.contains(&id), "{name}: id `{id}` is not reserved");
                }
            }
        }
    }

    #[test]
    fn site_files_override_by_name() {
        let over =
            SiteAsset { name: "review.html".into(), path: "templates/review.html".into(), bytes: b"mine".to_vec() };
        let theme = Theme::with_overrides(&[over], &[]);
        assert_eq!(theme.templates["review.html"].source, "mine");
        assert_eq!(theme.templates["home.html"].origin, Origin::Embedded);
    }
}
