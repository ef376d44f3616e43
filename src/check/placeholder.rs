//! Placeholders: text that `critique new` and `critique init` wrote for the writer to replace,
//! still there (the default author, summary, question and body lines, and `init`'s example
//! project). Warnings: a site may build with them, but should not be published so.

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::parse::Located;
use crate::scaffold;

const RULE: &str = "placeholder";

/// Every placeholder left in the site's files.
pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for review in &site.reviews {
        let source = &review.source;
        if review.authors.iter().any(|a| a == scaffold::AUTHOR) {
            found.push(finding(
                source.error_at_key("author", format!("`author` is still the placeholder `{}`", scaffold::AUTHOR)),
                "write the writer's name (`critique new review … --author \"Name\"` puts it there)",
            ));
        }
        let asks: Vec<&str> =
            review.questions.iter().map(|q| q.ask.as_str()).filter(|ask| *ask == scaffold::QUESTION).collect();
        for line in source.lines_of(&asks).into_iter().take(1) {
            found.push(finding(
                Diagnostic::at(
                    &source.path,
                    line,
                    0,
                    format!("the question is still the placeholder \"{}\"", scaffold::QUESTION),
                ),
                "ask what the review wants the project to answer",
            ));
        }
        found.extend(body_lines(source));
    }
    for project in &site.projects {
        let source = &project.source;
        if project.slug == scaffold::EXAMPLE_PROJECT {
            found.push(finding(
                Diagnostic::at(&source.path, 1, 0, "`critique init`'s example project is still in the site"),
                "replace it with a real project, or delete it and the reviews of it",
            ));
            continue;
        }
        if project.summary == scaffold::project_summary(&project.name) {
            found.push(finding(
                source.error_at_key("summary", "`summary` is still the placeholder"),
                "say in one sentence what the project is",
            ));
        }
        let placeholder = scaffold::claim_text(&project.name);
        let claims: Vec<&str> =
            project.claims.iter().map(|c| c.text.as_str()).filter(|text| **text == placeholder).collect();
        for line in source.lines_of(&claims).into_iter().take(1) {
            found.push(finding(
                Diagnostic::at(&source.path, line, 0, "a claim's `text` is still the placeholder"),
                "write what the project says, in the site's words, with its `source`",
            ));
        }
        found.extend(body_lines(source));
    }
    for page in &site.pages {
        found.extend(body_lines(&page.source));
    }
    for response in &site.responses {
        if response.by == scaffold::REPLY_BY {
            found.push(finding(
                response.source.error_at_key("by", "`by` is still the placeholder"),
                "say who speaks for the project: a name, a role",
            ));
        }
        found.extend(body_lines(&response.source));
    }
    found
}

/// The scaffold lines of a file's body, each a finding at its line.
fn body_lines(source: &Located) -> Vec<Diagnostic> {
    source
        .text
        .lines()
        .enumerate()
        .skip(source.body_line.saturating_sub(1))
        .filter(|(_, line)| scaffold::is_body_line(line.trim()))
        .map(|(i, line)| {
            finding(
                Diagnostic::at(&source.path, i + 1, 1, format!("\"{}\" is placeholder text", line.trim())),
                "replace it with the critique's own words",
            )
        })
        .collect()
}

fn finding(diagnostic: Diagnostic, hint: &str) -> Diagnostic {
    diagnostic.warning().with_rule(RULE).with_hint(hint)
}
