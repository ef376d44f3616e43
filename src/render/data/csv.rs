//! The dataset as CSV for spreadsheets (RFC 4180: a header, CRLF line ends, a field quoted
//! when it holds a comma, a quote or a line break, quotes doubled): `data/projects.csv`, a
//! project a row with each axis' median, and `data/reviews.csv`, a review a row with each
//! axis' score. A text field that a spreadsheet would run as a formula (starting with `=`,
//! `+`, `-`, `@`, a tab or a carriage return) is written with a `'` before it.

use crate::config::Config;
use crate::model::{Project, Review};
use crate::parse::matter::QuestionStatus;

use super::{Records, round};

/// `data/projects.csv`.
pub const PROJECTS_CSV: &str = "data/projects.csv";
/// `data/reviews.csv`.
pub const REVIEWS_CSV: &str = "data/reviews.csv";

/// A text field as RFC 4180 writes it, kept from running as a formula.
fn text(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

/// A number as the records write it (two decimals at most), empty when there is none.
fn number(value: Option<f64>) -> String {
    value.map(|v| round(v).to_string()).unwrap_or_default()
}

fn row(fields: Vec<String>) -> String {
    let mut line = fields.join(",");
    line.push_str("\r\n");
    line
}

/// The header of `data/projects.csv`.
pub fn projects_header(config: &Config) -> String {
    let fixed = ["slug", "name", "url", "category", "reviews", "overall"].map(String::from);
    let axes = config.axes.iter().map(|a| text(&format!("median_{}", a.key)));
    let last = ["open_questions", "recommend_share"].map(String::from);
    row(fixed.into_iter().chain(axes).chain(last).collect())
}

/// The header of `data/reviews.csv`.
pub fn reviews_header(config: &Config) -> String {
    let fixed = ["slug", "title", "url", "project", "authors", "date", "updated", "verdict", "status", "overall"];
    let axes = config.axes.iter().map(|a| text(&a.key));
    let last = ["questions", "open_questions"].map(String::from);
    row(fixed.map(String::from).into_iter().chain(axes).chain(last).collect())
}

impl Records<'_> {
    /// The row of `project` in `data/projects.csv`.
    pub(super) fn project_row(&self, project: &Project) -> String {
        let site = self.site;
        let counted = project.reviews.iter().map(|&r| &site.reviews[r]).filter(|r| r.standing.counts());
        let open: usize = counted.map(|r| open_questions(r)).sum();
        let aggregate = project.has_aggregate();
        let medians =
            project.scores.iter().map(|s| number(s.median.filter(|_| aggregate))).collect::<Vec<_>>().into_iter();
        let share = self.views.recommendation(project).map(|r| r.count as f64 / r.of as f64);
        let fixed = [
            text(&project.slug),
            text(&project.name),
            text(&self.url(&self.views.urls().project(&project.slug))),
            text(project.category.as_deref().unwrap_or_default()),
            project.reviews.len().to_string(),
            number(project.overall),
        ];
        row(fixed.into_iter().chain(medians).chain([open.to_string(), number(share)]).collect())
    }

    /// The row of `review` in `data/reviews.csv`.
    pub(super) fn review_row(&self, review: &Review) -> String {
        let config = &self.site.config;
        let scores = config.axes.iter().map(|a| number(review.scores.get(&a.key).copied()));
        let fixed = [
            text(&review.slug),
            text(&review.title),
            text(&self.url(&self.views.urls().review(&review.slug))),
            text(&self.site.projects[review.project].slug),
            text(&review.authors.join("; ")),
            review.date.to_string(),
            review.updated.map(|d| d.to_string()).unwrap_or_default(),
            text(&review.verdict),
            review.standing.key().to_string(),
            number(config.overall(&review.scores)),
        ];
        let last = [review.questions.len().to_string(), open_questions(review).to_string()];
        row(fixed.into_iter().chain(scores).chain(last).collect())
    }
}

fn open_questions(review: &Review) -> usize {
    review.questions.iter().filter(|q| q.status == QuestionStatus::Open).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says_and_never_run_as_formulas() {
        assert_eq!(text("plain"), "plain");
        assert_eq!(text("a, b"), "\"a, b\"");
        assert_eq!(text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text("two\nlines"), "\"two\nlines\"");
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("-1 point"), "'-1 point");
        assert_eq!(text("@user"), "'@user");
        assert_eq!(number(Some(5.666)), "5.67");
        assert_eq!(number(Some(6.0)), "6");
        assert_eq!(number(None), "");
    }
}
