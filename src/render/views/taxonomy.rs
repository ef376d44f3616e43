//! Taxonomy pages: an index of the terms of tags, authors or verdicts, and one page per term.

use serde::Serialize;

use crate::model::taxonomy::Term;
use crate::strings::Strings;

use super::{LinkView, Pager, Views, page_count};

/// The taxonomies with pages of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxonomyKind {
    /// `/tags/`.
    Tags,
    /// `/authors/`.
    Authors,
    /// `/verdicts/`.
    Verdicts,
}

impl TaxonomyKind {
    /// Every taxonomy.
    pub const ALL: [TaxonomyKind; 3] = [TaxonomyKind::Tags, TaxonomyKind::Authors, TaxonomyKind::Verdicts];

    /// The index's path below the base.
    pub fn path(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "tags/",
            TaxonomyKind::Authors => "authors/",
            TaxonomyKind::Verdicts => "verdicts/",
        }
    }

    /// The index's title, in the site's language.
    pub fn title(self, strings: &Strings) -> String {
        let key = match self {
            TaxonomyKind::Tags => "taxonomy_tags",
            TaxonomyKind::Authors => "taxonomy_authors",
            TaxonomyKind::Verdicts => "taxonomy_verdicts",
        };
        strings.get(key).to_string()
    }

    /// Whether each term has an Atom feed of its reviews (a tag's, an author's; a verdict's
    /// reviews are followed on the verdict's page).
    pub fn has_feed(self) -> bool {
        matches!(self, TaxonomyKind::Tags | TaxonomyKind::Authors)
    }

    /// What one term is called in a heading.
    fn singular(self, strings: &Strings) -> String {
        let key = match self {
            TaxonomyKind::Tags => "term_tag",
            TaxonomyKind::Authors => "term_author",
            TaxonomyKind::Verdicts => "term_verdict",
        };
        strings.get(key).to_string()
    }
}

/// One term in an index.
#[derive(Debug, Serialize)]
pub struct TermEntry {
    name: String,
    url: String,
    reviews: usize,
    projects: usize,
}

/// A taxonomy's index page.
#[derive(Debug, Serialize)]
pub struct TaxonomyView {
    title: String,
    kind: &'static str,
    terms: Vec<TermEntry>,
}

/// One term's page.
#[derive(Debug, Serialize)]
pub struct TermView {
    kind: &'static str,
    kind_title: String,
    kind_url: String,
    singular: String,
    name: String,
    description: String,
    reviews: Vec<tera::Value>,
    projects: Vec<LinkView>,
    pager: Pager,
    /// On an author's page, their profile, when they have one (first page only).
    profile: Option<ProfileView>,
    /// Its Atom feed (tags and authors have one).
    feed: Option<String>,
}

/// A reviewer's profile, above their reviews.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    links: Vec<String>,
    affiliations: Vec<String>,
    disclosure: Option<super::DisclosureView>,
    bio: String,
}

impl Views<'_> {
    /// The terms of a taxonomy.
    pub fn terms(&self, kind: TaxonomyKind) -> &[Term] {
        match kind {
            TaxonomyKind::Tags => &self.site.tags,
            TaxonomyKind::Authors => &self.site.authors,
            TaxonomyKind::Verdicts => &self.site.verdicts,
        }
    }

    /// The URL of a term's page.
    pub fn term_path(&self, kind: TaxonomyKind, term: &Term) -> String {
        format!("{}{}/", kind.path(), term.slug)
    }

    /// A taxonomy's index.
    pub fn taxonomy(&self, kind: TaxonomyKind) -> TaxonomyView {
        TaxonomyView {
            title: kind.title(self.strings()),
            kind: kind.path().trim_end_matches('/'),
            terms: self
                .terms(kind)
                .iter()
                .map(|t| TermEntry {
                    name: t.name.clone(),
                    url: self.urls.at(&self.term_path(kind, t)),
                    reviews: t.reviews.len(),
                    projects: t.projects.len(),
                })
                .collect(),
        }
    }

    /// How many pages a term's listing takes.
    pub fn term_page_count(&self, term: &Term) -> usize {
        page_count(term.reviews.len(), self.config().paginate)
    }

    /// Page `page` (0-based) of a term's listing; projects are listed on the first page.
    pub fn term(&self, kind: TaxonomyKind, term: &Term, page: usize) -> TermView {
        let per = self.config().paginate;
        let reviews: Vec<usize> = term.reviews.iter().copied().skip(page * per).take(per).collect();
        let description = match kind {
            TaxonomyKind::Verdicts => {
                self.config().verdict(&term.slug).map(|v| v.description.clone()).unwrap_or_default()
            }
            _ => String::new(),
        };
        TermView {
            kind: kind.path().trim_end_matches('/'),
            kind_title: kind.title(self.strings()),
            kind_url: self.urls.at(kind.path()),
            singular: kind.singular(self.strings()),
            name: term.name.clone(),
            description,
            reviews: self.cards(&reviews),
            pager: self.pager(&self.term_path(kind, term), page, self.term_page_count(term)),
            projects: term
                .projects
                .iter()
                .filter(|_| page == 0)
                .map(|&p| {
                    let project = &self.site.projects[p];
                    LinkView { text: project.name.clone(), url: self.urls.project(&project.slug) }
                })
                .collect(),
            feed: kind.has_feed().then(|| self.urls.at(&format!("{}feed.xml", self.term_path(kind, term)))),
            profile: match kind {
                TaxonomyKind::Authors if page == 0 => self.site.profile(&term.name).map(|p| ProfileView {
                    links: p.links.clone(),
                    affiliations: p.affiliations.clone(),
                    disclosure: super::DisclosureView::of(p.disclosure.as_deref(), self.strings()),
                    bio: p.body.html.clone(),
                }),
                _ => None,
            },
        }
    }
}
