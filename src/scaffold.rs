//! The text `critique new` and `critique init` write for the writer to replace, in one place:
//! the commands write it, and `check` knows it (the `placeholder` rule reports it left
//! unchanged, and stock phrases leave it out).

/// The first line of a new review's body.
pub const SUMMARY_LINE: &str = "The first paragraph is the summary shown in listings.";
/// The question a new review starts with.
pub const QUESTION: &str = "What would show this claim holds?";
/// The author `init`'s example review names.
pub const AUTHOR: &str = "Your Name";
/// The body of a new reply from a project.
pub const REPLY_BODY: &str = "The project's reply, in its own words, as it published it.";
/// Who speaks for the project, in a new reply.
pub const REPLY_BY: &str = "Who speaks for the project";
/// The body of a new page.
pub const PAGE_BODY: &str = "What this page is for, in a sentence or two.";
/// Lines of the body of `init`'s example review.
pub const EXAMPLE_REVIEW_LINES: [&str; 2] =
    ["Quote the claims, then test them.", "Say what evidence would move each score."];
/// The slug of `init`'s example project.
pub const EXAMPLE_PROJECT: &str = "example-network";

/// The pages `init` writes for a site's commitments to readers (as the fact-checkers' code of
/// principles asks): how it works, how it corrects itself, who pays. Each prompt line (`Say …`)
/// is for the writer to replace.
pub const POLICY_PAGES: [(&str, &str); 3] = [
    (
        "methodology",
        "---\ntitle: Methodology\ndescription: How this site chooses projects, tests their claims and scores them.\n---\n\
         ## How projects are chosen\n\nSay which projects this site reviews, and why these.\n\n\
         ## How claims are tested\n\nSay what a reviewer does to test a claim: the sources read, the measurements made, the questions put to the project.\n\n\
         ## How scores are given\n\nSay how reviewers score; the rubric (/rubric/) lists the axes and what their scores mean.\n",
    ),
    (
        "corrections",
        "---\ntitle: Corrections\ndescription: How to ask for a correction, and how this site makes one.\n---\n\
         ## How to ask for a correction\n\nSay where readers and projects send corrections, and how soon they hear back.\n\n\
         ## How corrections are made\n\nSay how a review is corrected: a revision with a note, a review marked under review, a retraction with its reason.\n",
    ),
    (
        "funding",
        "---\ntitle: Funding\ndescription: Who pays for this site and its reviews.\n---\n\
         ## Who pays for this site\n\nSay who funds the site and its reviewers, and on what terms.\n\n\
         ## What reviewers disclose\n\nSay what each reviewer must disclose: holdings of a project's token, payments, relationships.\n",
    ),
];

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
    let policy_prompt =
        || POLICY_PAGES.iter().flat_map(|(_, text)| text.lines()).any(|l| l.starts_with("Say ") && l == line);
    [SUMMARY_LINE, PAGE_BODY, REPLY_BODY].contains(&line)
        || (line.starts_with("Say ") && policy_prompt())
        || EXAMPLE_REVIEW_LINES.contains(&line)
        || (line.starts_with("What ") && line.ends_with(" is, in this site's own words."))
}
