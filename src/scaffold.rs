//! The text `critique new` and `critique init` write for the writer to replace, in one place:
//! the commands write it, and `check` knows it (the `placeholder` rule reports it left
//! unchanged, and stock phrases leave it out).

/// The first line of a new review's body.
pub const SUMMARY_LINE: &str = "The first paragraph is the summary shown in listings.";
/// The question a new review starts with.
pub const QUESTION: &str = "What would show this claim holds?";
/// The author `init`'s example review names.
pub const AUTHOR: &str = "Your Name";
/// The body of a new page.
pub const PAGE_BODY: &str = "What this page is for, in a sentence or two.";
/// Lines of the body of `init`'s example review.
pub const EXAMPLE_REVIEW_LINES: [&str; 2] =
    ["Quote the claims, then test them.", "Say what evidence would move each score."];
/// The slug of `init`'s example project.
pub const EXAMPLE_PROJECT: &str = "example-network";

/// A new project's `summary`.
pub fn project_summary(name: &str) -> String {
    format!("One sentence on what {name} says it does.")
}

/// A new project's first claim.
pub fn claim_text(name: &str) -> String {
    format!("What {name} says it does, in this site's words.")
}

/// A new project's body.
pub fn project_body(name: &str) -> String {
    format!("What {name} is, in this site's own words.")
}

/// Whether the body line `line` (trimmed) is scaffold text, whatever the project's name.
pub fn is_body_line(line: &str) -> bool {
    [SUMMARY_LINE, PAGE_BODY].contains(&line)
        || EXAMPLE_REVIEW_LINES.contains(&line)
        || (line.starts_with("What ") && line.ends_with(" is, in this site's own words."))
}
