//! The questions index: every question across the site, grouped project → claim, with
//! counts by status and one page per status so that it works without JavaScript.

use serde::Serialize;

use crate::model::QuestionRef;
use crate::parse::matter::QuestionStatus;
use crate::strings::Strings;

use super::{Pager, StatusCounts, Views};

/// Which questions a questions page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Every question (`/questions/`).
    All,
    /// Questions with one status (`/questions/open/`).
    Only(QuestionStatus),
}

impl StatusFilter {
    /// Every questions page.
    pub const PAGES: [StatusFilter; 4] = [
        StatusFilter::All,
        StatusFilter::Only(QuestionStatus::Open),
        StatusFilter::Only(QuestionStatus::Answered),
        StatusFilter::Only(QuestionStatus::Disputed),
    ];

    /// The page's path below the base.
    pub fn path(self) -> String {
        match self {
            StatusFilter::All => "questions/".into(),
            StatusFilter::Only(s) => format!("questions/{}/", s.key()),
        }
    }

    /// The page's title, in the site's language.
    pub fn title(self, strings: &Strings) -> String {
        let key = match self {
            StatusFilter::All => "questions_all",
            StatusFilter::Only(QuestionStatus::Open) => "questions_open",
            StatusFilter::Only(QuestionStatus::Answered) => "questions_answered",
            StatusFilter::Only(QuestionStatus::Disputed) => "questions_disputed",
        };
        strings.get(key).to_string()
    }

    fn admits(self, status: QuestionStatus) -> bool {
        self == StatusFilter::All || self == StatusFilter::Only(status)
    }
}

/// A claim (or "no single claim") with its listed questions.
#[derive(Debug, Serialize)]
pub struct ClaimQuestions {
    text: Option<String>,
    url: Option<String>,
    questions: Vec<tera::Value>,
    /// Its finding's rating (`key`, `label`), when it has one.
    rating: Option<std::collections::BTreeMap<&'static str, String>>,
}

/// A project with its listed questions.
#[derive(Debug, Serialize)]
pub struct ProjectQuestions {
    name: String,
    url: String,
    counts: StatusCounts,
    claims: Vec<ClaimQuestions>,
}

/// A link to another status page, with its count.
#[derive(Debug, Serialize)]
pub struct FilterLink {
    label: String,
    url: String,
    count: usize,
    current: bool,
}

/// Everything a questions page shows.
#[derive(Debug, Serialize)]
pub struct QuestionsView {
    status: Option<&'static str>,
    counts: StatusCounts,
    filters: Vec<FilterLink>,
    projects: Vec<ProjectQuestions>,
    pager: Pager,
}

impl Views<'_> {
    /// The projects of each page of the questions listed by `filter`: whole projects, each
    /// page filled up to about four listing pages' worth of questions (at least one project).
    pub fn question_pages(&self, filter: StatusFilter) -> &[Vec<usize>] {
        let all = self.question_pages.get_or_init(|| {
            let per_project = self.project_question_counts();
            StatusFilter::PAGES.iter().map(|&f| self.paginate_questions(per_project, f)).collect()
        });
        let index = StatusFilter::PAGES.iter().position(|&f| f == filter).unwrap_or(0);
        all.get(index).map_or(&[], Vec::as_slice)
    }

    /// Each project's questions counted by status, once (every filter's pages and the site's
    /// counts come from them).
    fn project_question_counts(&self) -> &[StatusCounts] {
        self.project_question_counts.get_or_init(|| {
            self.site
                .projects
                .iter()
                .map(|p| {
                    let mut counts = StatusCounts::default();
                    for q in p.reviews.iter().flat_map(|&r| &self.site.reviews[r].questions) {
                        counts.add(q.status);
                    }
                    counts
                })
                .collect()
        })
    }

    /// The projects on each questions page of `filter`, given each project's counts.
    fn paginate_questions(&self, per_project: &[StatusCounts], filter: StatusFilter) -> Vec<Vec<usize>> {
        let limit = self.config().paginate.saturating_mul(4).max(1);
        let mut pages: Vec<Vec<usize>> = vec![Vec::new()];
        let mut filled = 0;
        for (i, counts) in per_project.iter().enumerate() {
            let n = counts.admitted(filter);
            if n == 0 {
                continue;
            }
            if filled > 0 && filled + n > limit {
                pages.push(Vec::new());
                filled = 0;
            }
            pages.last_mut().map(|page| page.push(i)).unwrap_or_default();
            filled += n;
        }
        pages
    }

    /// Every question of the site counted by status (computed once: every questions page
    /// shows them).
    pub fn question_counts(&self) -> StatusCounts {
        // Every review is one of a project's.
        *self.question_counts.get_or_init(|| self.project_question_counts().iter().copied().sum())
    }

    /// Page `page` (0-based) of the questions listed by `filter`.
    pub fn questions(&self, filter: StatusFilter, page: usize) -> QuestionsView {
        let pages = self.question_pages(filter);
        let on_page: Vec<usize> = pages.get(page).cloned().unwrap_or_default();
        let counts = self.question_counts();
        let filters = StatusFilter::PAGES
            .iter()
            .map(|&f| FilterLink {
                label: match f {
                    StatusFilter::All => self.strings().get("filter_all").to_string(),
                    StatusFilter::Only(s) => self.strings().get(&format!("status_{}", s.key())).to_string(),
                },
                url: self.urls.at(&f.path()),
                count: match f {
                    StatusFilter::All => counts.total,
                    StatusFilter::Only(QuestionStatus::Open) => counts.open,
                    StatusFilter::Only(QuestionStatus::Answered) => counts.answered,
                    StatusFilter::Only(QuestionStatus::Disputed) => counts.disputed,
                },
                current: f == filter,
            })
            .collect();
        let pick = |refs: &[QuestionRef]| -> Vec<tera::Value> {
            refs.iter()
                .filter(|&&at| filter.admits(self.site.question(at).1.status))
                .map(|&at| self.question_item(at))
                .collect()
        };
        let projects = on_page
            .iter()
            .map(|&i| &self.site.projects[i])
            .filter_map(|p| {
                let project_url = self.urls.project(&p.slug);
                let mut claims: Vec<ClaimQuestions> = p
                    .claims
                    .iter()
                    .map(|c| ClaimQuestions {
                        text: Some(c.text.clone()),
                        url: Some(format!("{project_url}#claim-{}", c.id)),
                        questions: pick(&c.questions),
                        rating: c.finding.as_deref().map(|f| {
                            let label = self.config().claim_rating_label(&f.rating);
                            [("key", f.rating.clone()), ("label", label.to_string())].into()
                        }),
                    })
                    .collect();
                let unclaimed = pick(&p.unclaimed_questions);
                claims.push(ClaimQuestions { text: None, url: None, questions: unclaimed, rating: None });
                claims.retain(|c| !c.questions.is_empty());
                let mut project_counts = StatusCounts::default();
                for q in p.reviews.iter().flat_map(|&r| &self.site.reviews[r].questions) {
                    project_counts.add(q.status);
                }
                (!claims.is_empty()).then(|| ProjectQuestions {
                    name: p.name.clone(),
                    url: project_url,
                    counts: project_counts,
                    claims,
                })
            })
            .collect();
        QuestionsView {
            status: match filter {
                StatusFilter::All => None,
                StatusFilter::Only(s) => Some(s.key()),
            },
            counts,
            filters,
            projects,
            pager: self.pager(&filter.path(), page, pages.len()),
        }
    }
}
