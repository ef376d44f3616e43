//! The serve session's incremental rebuilds equal a clean build, byte for byte, after any
//! sequence of edits: seeded random sequences of creating, modifying, renaming and deleting
//! reviews, projects and templates, and of changing the configuration.

use std::path::PathBuf;

use critique::SiteOptions;
use critique::cmd::build::{self, BuildArgs};
use critique::serve::session::Session;
use proptest::prelude::*;

use crate::support::{SiteTest, tree};

/// One edit of the basic fixture.
#[derive(Debug, Clone)]
enum Edit {
    /// Rewrites an existing review with other scores, tags, verdict, title and date.
    ModifyReview { which: usize, score: u8, tag: usize, good: bool, day: u8 },
    /// Rewrites a review's prose (and, for odd `n`, its title and first question) alone.
    ModifyProse { which: usize, n: u8 },
    /// Changes a review's tags, verdict and author and drops its first question's claim, in
    /// place (its date, slug and project stay, so it keeps its position among the reviews).
    ModifyTerms { which: usize, tag: usize, good: bool, author: u8, unclaim: bool },
    /// Changes how a review's first question stands (answered, disputed with evidence, asked
    /// on a day, asked for a reply, open again), gives the review a revision of its scores, or
    /// takes its last question away, in place.
    ModifyAnswer { which: usize, variant: u8 },
    /// Changes a review's `cost` score alone (to one of [`COSTS`], `-0` among them).
    ModifyScore { which: usize, cost: usize },
    /// Changes a review's date alone (to one another review may have too), which moves it
    /// among the site's reviews and its project's.
    ModifyDate { which: usize, month: u8, day: u8 },
    /// Sets a review's `revisit_by` (0: none; 1: a day before the test's day, so it is stale,
    /// or before its date; 2: a later day) in place.
    ModifyRevisit { which: usize, variant: u8 },
    /// Sets a review's standing in place (0: published; 1: under review; 2: retracted; 3:
    /// retracted without a reason, an error).
    ModifyStanding { which: usize, variant: u8 },
    /// Writes or removes Ada Reviewer's profile (0: none; 1: with a standing disclosure; 2:
    /// without one).
    Profile { variant: u8 },
    /// Writes or removes Widget's reply (0: none; 1: to first-look and its second question,
    /// on Widget's site; 2: to second-look's first question, elsewhere; 3: to a question no
    /// review has, an error).
    Response { variant: u8 },
    /// Adds a review.
    CreateReview { n: u8, project: bool, tag: usize, day: u8 },
    /// Removes a review.
    DeleteReview { which: usize },
    /// Moves a review to another file name.
    RenameReview { which: usize, n: u8 },
    /// Changes a project's name, channels, events and a claim's finding.
    ModifyProject { name: u8 },
    /// Adds, changes or removes a site template.
    Template { variant: u8 },
    /// Adds, changes or removes a static file in a folder of its own (the folder goes too).
    Static { variant: u8 },
    /// Breaks a review, then the next edit may fix it.
    Break { which: usize },
    /// Changes the configuration: title, base URL, page size, a verdict's label.
    Config { variant: u8 },
    /// Adds or removes a third project (`Doohickey`, which reviews may then name).
    ExtraProject { present: bool },
    /// Writes, changes or removes a review in a folder with its picture (0: none; 1: with a
    /// wide chart, shown in the body and as its cover; 2: the chart narrower; 3: its prose
    /// edited; 4: a file beside it that is not an image).
    Bundle { variant: u8 },
    /// Adds or removes a crowd of reviews: enough for the search index to come in several
    /// parts (so that an edit swaps one part into it), with words whose UTF-16 order differs
    /// from their code points' (U+FA0E, U+20000).
    Crowd { present: bool },
}

const TAGS: [&str; 4] = ["speed", "cost", "Speed", "trust"];

/// Costs a score edit sets: `-0` equals `0` as a number but is written apart.
const COSTS: [&str; 4] = ["0", "-0", "3", "7.5"];

fn edits() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..6usize, 0..11u8, 0..4usize, any::<bool>(), 1..28u8)
            .prop_map(|(which, score, tag, good, day)| Edit::ModifyReview { which, score, tag, good, day }),
        (0..6usize, 0..4u8).prop_map(|(which, n)| Edit::ModifyProse { which, n }),
        (0..6usize, 0..COSTS.len()).prop_map(|(which, cost)| Edit::ModifyScore { which, cost }),
        (0..6usize, 0..8u8).prop_map(|(which, variant)| Edit::ModifyAnswer { which, variant }),
        (0..6usize, 10..12u8, 1..28u8).prop_map(|(which, month, day)| Edit::ModifyDate { which, month, day }),
        (0..6usize, 0..3u8).prop_map(|(which, variant)| Edit::ModifyRevisit { which, variant }),
        (0..6usize, 0..4u8).prop_map(|(which, variant)| Edit::ModifyStanding { which, variant }),
        (0..3u8).prop_map(|variant| Edit::Profile { variant }),
        (0..4u8).prop_map(|variant| Edit::Response { variant }),
        (0..6usize, 0..TAGS.len() + 1, any::<bool>(), 0..3u8, any::<bool>())
            .prop_map(|(which, tag, good, author, unclaim)| Edit::ModifyTerms { which, tag, good, author, unclaim }),
        (0..5u8, any::<bool>(), 0..4usize, 1..28u8).prop_map(|(n, project, tag, day)| Edit::CreateReview {
            n,
            project,
            tag,
            day
        }),
        (0..6usize).prop_map(|which| Edit::DeleteReview { which }),
        (0..6usize, 0..5u8).prop_map(|(which, n)| Edit::RenameReview { which, n }),
        (0..3u8).prop_map(|name| Edit::ModifyProject { name }),
        (0..3u8).prop_map(|variant| Edit::Template { variant }),
        (0..3u8).prop_map(|variant| Edit::Static { variant }),
        (0..6usize).prop_map(|which| Edit::Break { which }),
        (0..8u8).prop_map(|variant| Edit::Config { variant }),
        any::<bool>().prop_map(|present| Edit::ExtraProject { present }),
        any::<bool>().prop_map(|present| Edit::Crowd { present }),
        (0..5u8).prop_map(|variant| Edit::Bundle { variant }),
    ]
}

fn review_text(title: &str, project: &str, score: u8, tag: &str, good: bool, day: u8) -> String {
    let claim = if project == "gadget" { "reliable" } else { "fast" };
    format!(
        "---\ntitle: {title}\nproject: {project}\nauthor: Author {day}\ndate: 2026-10-{day:02}\nverdict: {}\nscores: {{ cost: {score}, speed: {} }}\ntags: [{tag}]\nquestions:\n  - ask: Question {day}?\n    claim: {claim}\n---\nBody of {title}.\n\n## Part\n\nMore.\n",
        if good { "good" } else { "bad" },
        10 - score
    )
}

/// The review files present, sorted.
fn reviews(site: &SiteTest) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(site.root.join("content/reviews"))
        .map(|d| {
            // A review in a folder of its own is the bundle edit's.
            let files = d.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_file()));
            files.map(|e| PathBuf::from("content/reviews").join(e.file_name())).collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Applies `edit` to the files; returns the paths it touched.
fn apply(site: &SiteTest, edit: &Edit) -> Vec<PathBuf> {
    let present = reviews(site);
    let pick = |which: usize| present.get(which % present.len().max(1)).cloned();
    match edit {
        Edit::ModifyReview { which, score, tag, good, day } => {
            let Some(path) = pick(*which) else { return Vec::new() };
            let slug = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let project = if slug.contains("gadget") { "gadget" } else { "widget" };
            site.write(
                &path.to_string_lossy(),
                review_text(&format!("Edited {slug} {day}"), project, *score, TAGS[*tag], *good, *day),
            );
            vec![path]
        }
        Edit::ModifyProse { which, n } => {
            let Some(path) = pick(*which) else { return Vec::new() };
            let text = std::fs::read_to_string(site.root.join(&path)).expect("review");
            let Some((matter, body)) = text.trim_start_matches("---\n").split_once("\n---\n") else {
                return Vec::new();
            };
            let matter = match n % 2 {
                1 => matter
                    .lines()
                    .map(|l| match l {
                        l if l.starts_with("title:") => format!("title: Prose {n}"),
                        l if l.starts_with("  - ask:") => format!("  - ask: Asked again {n}?"),
                        l => l.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => matter.to_string(),
            };
            // The term page linked for `n` = 3 is there only while a review has that tag: the
            // link breaks and mends as other edits come and go.
            let term = if *n == 3 { " and [a term](/tags/fresh-term/)" } else { "" };
            let body =
                format!("{}\n\nA new paragraph, {n}: see [the project](/projects/widget/){term}.\n", body.trim_end());
            site.write(&path.to_string_lossy(), format!("---\n{matter}\n---\n{body}"));
            vec![path]
        }
        Edit::ModifyTerms { which, tag, good, author, unclaim } => {
            let Some(path) = pick(*which) else { return Vec::new() };
            let text = std::fs::read_to_string(site.root.join(&path)).expect("review");
            let Some((matter, body)) = text.trim_start_matches("---\n").split_once("\n---\n") else {
                return Vec::new();
            };
            // One tag of [`TAGS`], or a tag no other review has (a new term page).
            let tags = format!("tags: [{}]", TAGS.get(*tag).copied().unwrap_or("fresh-term"));
            let mut lines: Vec<String> = Vec::new();
            let mut claim_dropped = false;
            for line in matter.lines() {
                match line {
                    l if l.starts_with("tags:") => {}
                    l if l.starts_with("verdict:") => {
                        lines.push(format!("verdict: {}", if *good { "good" } else { "bad" }))
                    }
                    // Author 2 writes with Ada Reviewer (whose profile another edit writes).
                    l if l.starts_with("author") && *author == 2 => {
                        lines.push("authors: [Author 2, Ada Reviewer]".to_string())
                    }
                    l if l.starts_with("author") => lines.push(format!("author: Author {author}")),
                    l if *unclaim && !claim_dropped && l.starts_with("    claim:") => claim_dropped = true,
                    l => lines.push(l.to_string()),
                }
            }
            lines.insert(1, tags);
            site.write(&path.to_string_lossy(), format!("---\n{}\n---\n{body}", lines.join("\n")));
            vec![path]
        }
        Edit::ModifyAnswer { which, variant } => {
            let Some(path) = pick(*which) else { return Vec::new() };
            let text = std::fs::read_to_string(site.root.join(&path)).expect("review");
            let Some((matter, body)) = text.trim_start_matches("---\n").split_once("\n---\n") else {
                return Vec::new();
            };
            let answers = [
                "    status:",
                "    answer:",
                "    evidence:",
                "    asked:",
                "    answered:",
                "    response_requested:",
            ];
            let mut lines: Vec<String> = Vec::new();
            let mut in_revisions = false;
            for line in matter.lines() {
                in_revisions = line.starts_with("revisions:") || (in_revisions && line.starts_with(' '));
                if !in_revisions && !answers.iter().any(|key| line.starts_with(key)) {
                    lines.push(line.to_string());
                }
            }
            let standing: &[&str] = match variant {
                0 => &["    status: answered", "    answer: Yes, *measured*.", "    answered: 2026-11-20"],
                1 => &["    status: disputed", "    answer: No.", "    evidence: https://example.org/evidence"],
                7 => &[
                    "    status: disputed",
                    "    answer: No.",
                    "    evidence: { url: https://example.org/evidence, archived: /archive/e.html, quote: \"no\" }",
                ],
                2 => &["    asked: 2026-11-03"],
                5 => &["    response_requested: 2026-11-04"],
                _ => &[],
            };
            if let Some(at) = lines.iter().position(|l| l.starts_with("  - ask:")) {
                lines.splice(at + 1..at + 1, standing.iter().map(|l| l.to_string()));
            }
            // Its last question taken away (a reply may name it): when it has more than one.
            let asks: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].starts_with("  - ask:")).collect();
            if *variant == 6
                && let [.., last] = asks[..]
                && asks.len() > 1
            {
                let end = (last + 1..lines.len()).find(|&i| !lines[i].starts_with("    ")).unwrap_or(lines.len());
                lines.drain(last..end);
            }
            if *variant == 4 {
                lines.extend(
                    ["revisions:", "  - date: 2026-11-25", "    note: Rescored.", "    scores: { cost: 2 }"]
                        .map(String::from),
                );
            }
            site.write(&path.to_string_lossy(), format!("---\n{}\n---\n{body}", lines.join("\n")));
            vec![path]
        }
        Edit::ModifyScore { which, cost } => {
            let Some(path) = pick(*which) else { return Vec::new() };
            let text = std::fs::read_to_string(site.root.join(&path)).expect("review");
            let Some(at) = text.find("scores: { cost: ").map(|at| at + "scores: { cost: ".len()) else {
                return Vec::new();
            };
            let end = text[at..].find(',').map_or(at, |e| at + e);
            site.write(&path.to_string_lossy(), format!("{}{}{}", &text[..at], COSTS[*cost], &text[end..]));
            vec![path]
        }
        Edit::ModifyDate { which, month, day } => {
            let Some(path) = pick(*which) else { return Vec::new() };
            let text = std::fs::read_to_string(site.root.join(&path)).expect("review");
            let lines: Vec<String> = text
                .lines()
                .map(|l| match ["date: ", "date = "].into_iter().find(|key| l.starts_with(key)) {
                    Some(key) => format!("{key}2026-{month:02}-{day:02}"),
                    None => l.to_string(),
                })
                .collect();
            site.write(&path.to_string_lossy(), lines.join("\n") + "\n");
            vec![path]
        }
        Edit::ModifyRevisit { which, variant } => {
            let Some(path) = pick(*which) else { return Vec::new() };
            let text = std::fs::read_to_string(site.root.join(&path)).expect("review");
            let toml = text.starts_with("+++");
            let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("revisit_by")).collect();
            let day = match variant {
                1 => Some("2026-11-24"),
                2 => Some("2027-06-01"),
                _ => None,
            };
            let mut lines: Vec<String> = kept.iter().map(|l| (*l).to_string()).collect();
            if let Some(day) = day {
                // After the opening fence, so that it is front matter.
                lines.insert(1, if toml { format!("revisit_by = {day}") } else { format!("revisit_by: {day}") });
            }
            site.write(&path.to_string_lossy(), lines.join("\n") + "\n");
            vec![path]
        }
        Edit::ModifyStanding { which, variant } => {
            let Some(path) = pick(*which) else { return Vec::new() };
            let text = std::fs::read_to_string(site.root.join(&path)).expect("review");
            let toml = text.starts_with("+++");
            let kept =
                text.lines().filter(|l| !["status", "under_review", "retraction"].iter().any(|k| l.starts_with(k)));
            let mut lines: Vec<String> = kept.map(str::to_string).collect();
            let (status, note) = match variant {
                1 => ("under-review", Some(("under_review", "2026-11-24", "new figures"))),
                2 => ("retracted", Some(("retraction", "2026-11-24", "the benchmark was wrong"))),
                3 => ("retracted", None),
                _ => ("", None),
            };
            if !status.is_empty() {
                // After the opening fence (TOML's inline tables need a line of their own too).
                let (status, note) = if toml {
                    (
                        format!("status = \"{status}\""),
                        note.map(|(k, d, r)| format!("{k} = {{ date = {d}, reason = \"{r}\" }}")),
                    )
                } else {
                    (
                        format!("status: {status}"),
                        note.map(|(k, d, r)| format!("{k}: {{ date: {d}, reason: \"{r}\" }}")),
                    )
                };
                lines.insert(1, status);
                if let Some(note) = note {
                    lines.insert(1, note);
                }
            }
            site.write(&path.to_string_lossy(), lines.join("\n") + "\n");
            vec![path]
        }
        Edit::Profile { variant } => {
            let path = "content/authors/ada-reviewer.md";
            match variant {
                1 => {
                    site.write(path, "---\nname: Ada Reviewer\ndisclosure: { holdings: holds }\n---\nAda.\n");
                }
                2 => {
                    site.write(path, "---\nname: Ada Reviewer\naffiliations: [Lab]\n---\nAda again.\n");
                }
                _ => {
                    let _ = std::fs::remove_file(site.root.join(path));
                }
            }
            vec![PathBuf::from(path)]
        }
        Edit::Response { variant } => {
            let path = "content/responses/widget-reply.md";
            let to = match variant {
                1 => {
                    "source: https://widget.test/reply\nto: [{ review: first-look }, { question: \"first-look#q-2\" }]"
                }
                2 => "source: https://elsewhere.test/reply\nto: [{ question: \"second-look#q-1\" }]",
                3 => "to: [{ question: \"first-look#q-9\" }]",
                _ => {
                    let _ = std::fs::remove_file(site.root.join(path));
                    return vec![PathBuf::from(path)];
                }
            };
            site.write(
                path,
                format!("---\nproject: widget\ndate: 2026-11-2{variant}\nby: Widget team\n{to}\n---\nOur reply.\n"),
            );
            vec![PathBuf::from(path)]
        }
        Edit::CreateReview { n, project, tag, day } => {
            let path = PathBuf::from(format!("content/reviews/new-{n}.md"));
            let project = match (project, n % 3) {
                (_, 2) => "doohickey",
                (true, _) => "widget",
                (false, _) => "gadget",
            };
            site.write(
                &path.to_string_lossy(),
                review_text(&format!("New {n}"), project, day % 11, TAGS[*tag], day % 2 == 0, *day),
            );
            vec![path]
        }
        Edit::DeleteReview { which } => {
            let Some(path) = pick(*which).filter(|_| present.len() > 1) else { return Vec::new() };
            site.remove(&path.to_string_lossy());
            vec![path]
        }
        Edit::RenameReview { which, n } => {
            let Some(from) = pick(*which) else { return Vec::new() };
            let to = PathBuf::from(format!("content/reviews/renamed-{n}.md"));
            if to == from || site.root.join(&to).exists() {
                return Vec::new();
            }
            std::fs::rename(site.root.join(&from), site.root.join(&to)).expect("rename");
            vec![from, to]
        }
        Edit::ModifyProject { name } => {
            let path = "content/projects/widget.md";
            let text = std::fs::read_to_string(site.root.join(path)).expect("project");
            // Its channels too (which decide whether its replies are traced): none for name 0.
            let channels = match name {
                0 => String::new(),
                n => format!("\nchannels: [\"https://widget.test\", \"https://x.test/widget{n}\"]"),
            };
            // And a finding resting on first-look's first question (which other edits may take
            // away, or delete first-look) for name 2.
            let finding = match name {
                2 => "\n    finding: { rating: supported, date: 2026-11-21, based_on: [\"first-look#q-1\"] }",
                _ => "",
            };
            // And an event in its life for name 1 (on its timeline and chart).
            let event = match name {
                1 => "\nevents: [{ date: 2026-11-12, text: Mainnet }]",
                _ => "",
            };
            let renamed = text
                .lines()
                .filter(|l| !l.starts_with("channels:") && !l.starts_with("    finding:") && !l.starts_with("events:"))
                .map(|l| match l {
                    l if l.starts_with("name:") => format!("name: Widget {name}{channels}{event}"),
                    l if l.starts_with("    accessed:") => format!("{l}{finding}"),
                    l => l.to_string(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            site.write(path, renamed + "\n");
            vec![PathBuf::from(path)]
        }
        Edit::Template { variant } => {
            // A page template, and a listing partial that shows the site's title (which a
            // `Config` edit changes): serve keeps rendered cards while neither changes.
            let (path, card) = ("templates/page.html", "templates/partials/review_card.html");
            match variant {
                0 => {
                    for path in [path, card] {
                        if site.root.join(path).exists() {
                            site.remove(path);
                        }
                    }
                }
                v => {
                    site.write(path, format!("{{% extends \"base.html\" %}}{{% block content %}}<h1>{{{{ meta.title }}}} v{v}</h1>{{{{ body | safe }}}}{{% endblock content %}}"));
                    site.write(card, format!("<article>{{{{ card.title }}}} in {{{{ site.title }}}} v{v}</article>\n"));
                }
            }
            vec![PathBuf::from(path), PathBuf::from(card)]
        }
        Edit::Static { variant } => {
            let path = "static/files/notes.txt";
            match variant {
                0 => {
                    if site.root.join(path).exists() {
                        site.remove(path);
                        std::fs::remove_dir(site.root.join("static/files")).expect("remove the folder");
                    }
                }
                v => {
                    site.write(path, format!("notes, version {v}\n"));
                }
            }
            vec![PathBuf::from(path)]
        }
        Edit::Bundle { variant } => {
            let folder = "content/reviews/pictured";
            let (index, chart) = (format!("{folder}/index.md"), format!("{folder}/chart.png"));
            let write_index = |prose: &str| {
                let text = review_text("Pictured", "widget", 4, "speed", true, 9)
                    .replacen("---\n", "---\ncover: chart.png\n", 1)
                    .replace("More.\n", &format!("{prose}\n\n![The chart](chart.png \"Costs\")\n"));
                site.write(&index, text);
            };
            if *variant == 0 {
                let _ = std::fs::remove_dir_all(site.root.join(folder));
                return vec![PathBuf::from(folder)];
            }
            if !site.root.join(&index).exists() {
                write_index("More.");
                site.write(&chart, crate::bundles::png(1400, 700));
            }
            match variant {
                1 => site.write(&chart, crate::bundles::png(1400, 700)),
                2 => site.write(&chart, crate::bundles::png(700, 350)),
                3 => {
                    write_index("Other prose.");
                    site
                }
                _ => site.write(&format!("{folder}/notes.txt"), "notes\n"),
            };
            vec![PathBuf::from(index), PathBuf::from(chart), PathBuf::from(format!("{folder}/notes.txt"))]
        }
        Edit::Break { which } => {
            let Some(path) = pick(*which) else { return Vec::new() };
            site.write(&path.to_string_lossy(), "no front matter at all\n");
            vec![path]
        }
        Edit::Config { variant } => {
            let config = std::fs::read_to_string(site.root.join("critique.toml")).expect("config");
            let mut lines: Vec<String> = config.lines().map(str::to_string).collect();
            let set = |lines: &mut Vec<String>, key: &str, value: &str| {
                let line = format!("{key} = {value}");
                match lines.iter().position(|l| l.starts_with(&format!("{key} ="))) {
                    Some(i) => lines[i] = line,
                    None => lines.insert(0, line),
                }
            };
            match variant {
                0 => set(&mut lines, "title", "\"Retitled\""),
                1 => set(&mut lines, "base_url", "\"https://elsewhere.test/sub/\""),
                2 => set(&mut lines, "paginate", "2"),
                4 => set(&mut lines, "feed_limit", "2"),
                // The interface in another language, and in the site's own words.
                6 => set(&mut lines, "language", "\"fr\""),
                7 => {
                    if !lines.iter().any(|l| l == "[strings]") {
                        lines.extend(["[strings]".to_string(), "latest_reviews = \"Fresh\"".to_string()]);
                        lines.push("holdings_none = \"Nothing held\"".to_string());
                    }
                }
                3 => {
                    // Stale reviews out of the aggregates (a table of its own, at the end).
                    if !lines.iter().any(|l| l == "[freshness]") {
                        lines.extend(["[freshness]".to_string(), "stale_aggregates = \"exclude\"".to_string()]);
                    }
                }
                _ => {
                    if let Some(label) = lines.iter_mut().find(|l| l.as_str() == "label = \"Good\"") {
                        *label = "label = \"Fine\"".into();
                    }
                }
            }
            site.write("critique.toml", lines.join("\n") + "\n");
            vec![PathBuf::from("critique.toml")]
        }
        Edit::ExtraProject { present } => {
            let path = "content/projects/doohickey.md";
            if *present {
                site.write(path, "---\nname: Doohickey\nsummary: A third one.\nclaims:\n  - id: fast\n    text: Quick.\n---\nBody.\n");
            } else if site.root.join(path).exists() {
                site.remove(path);
            }
            vec![PathBuf::from(path)]
        }
        Edit::Crowd { present } => (0..CROWD)
            .map(|i| {
                let path = format!("content/reviews/crowd-{i:02}.md");
                if *present {
                    let title = format!("Crowd {i} \u{fa0e} \u{20000} word{}", i % 7);
                    let project = if i % 2 == 0 { "widget" } else { "gadget" };
                    site.write(
                        &path,
                        review_text(&title, project, (i % 11) as u8, TAGS[i % 4], i % 3 == 0, 1 + (i % 27) as u8),
                    );
                } else if site.root.join(&path).exists() {
                    site.remove(&path);
                }
                PathBuf::from(path)
            })
            .collect(),
    }
}

/// Reviews in a crowd.
const CROWD: usize = 40;

/// Paths whose bytes differ between two trees, or that only one has.
/// The files a session serves, as [`tree`] lists a folder's.
fn served(session: &Session) -> Vec<(String, Vec<u8>)> {
    session.preview().files().into_iter().map(|(path, bytes)| (path, bytes.to_vec())).collect()
}

fn differ(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)]) -> Vec<String> {
    let a: std::collections::BTreeMap<&String, &Vec<u8>> = a.iter().map(|(p, bytes)| (p, bytes)).collect();
    let b: std::collections::BTreeMap<&String, &Vec<u8>> = b.iter().map(|(p, bytes)| (p, bytes)).collect();
    a.keys()
        .chain(b.keys())
        .filter(|p| a.get(*p) != b.get(*p))
        .map(|p| (*p).clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn incremental_output_equals_a_clean_build(edits in prop::collection::vec(edits(), 1..7)) {
        let site = SiteTest::fixture("basic");
        // One review a page (four questions a page): every listing has several pages, so
        // edits move entries between pages.
        let config = std::fs::read_to_string(site.root.join("critique.toml")).expect("config");
        site.write("critique.toml", format!("paginate = 1\n{config}"));
        let clean = site.root.parent().expect("parent").join("clean");
        let (mut session, first) = Session::start(&site.root, previewed());
        prop_assert!(first.is_ok(), "{first:?}");
        for edit in &edits {
            let touched = apply(&site, edit);
            let outcome = session.apply(&touched);
            let _ = std::fs::remove_dir_all(&clean);
            let fresh = build::run(&BuildArgs { root: site.root.clone(), output: Some(clean.clone()), site: previewed() });
            match (outcome, fresh) {
                (Some(Err(_)), Err(_)) | (None, Err(_)) => {}
                (Some(Ok(_)) | None, Ok(_)) => {
                    let differences = differ(&served(&session), &tree(&clean));
                    prop_assert!(differences.is_empty(), "after {:?}: {:?}", edit, differences);
                }
                (served_outcome, fresh) => prop_assert!(false, "serve and build disagree after {:?}: serve {:?}, build ok: {}", edit, served_outcome, fresh.is_ok()),
            }
        }
    }
}

/// Folder moves arrive as one event for the folder; duplicates clear when the other file goes.
#[test]
fn moved_folders_and_resolved_duplicates_rebuild_like_a_clean_build() {
    let site = SiteTest::fixture("basic");
    let review = std::fs::read_to_string(site.root.join("content/reviews/third-look.md")).expect("review");
    site.write("content/reviews/sub/moved.md", review.replace("Third look", "Moved look"));
    let clean = site.root.parent().expect("parent").join("clean");
    let compare = |session: &Session| {
        let _ = std::fs::remove_dir_all(&clean);
        build::run(&BuildArgs { root: site.root.clone(), output: Some(clean.clone()), site: previewed() })
            .expect("clean build");
        assert_eq!(differ(&served(session), &tree(&clean)), Vec::<String>::new());
    };
    let (mut session, first) = Session::start(&site.root, previewed());
    assert!(first.is_ok());
    // The whole folder moves out of the site: one event, for the folder.
    std::fs::rename(site.root.join("content/reviews/sub"), site.root.parent().expect("parent").join("away"))
        .expect("move");
    assert!(matches!(session.apply(&[PathBuf::from("content/reviews/sub")]), Some(Ok(_))));
    compare(&session);
    // A duplicate of an existing review fails; removing the original heals it.
    site.write(
        "content/reviews/sub2/first-look.md",
        std::fs::read_to_string(site.root.join("content/reviews/first-look.md")).expect("read"),
    );
    assert!(matches!(session.apply(&[PathBuf::from("content/reviews/sub2/first-look.md")]), Some(Err(_))));
    site.remove("content/reviews/first-look.md");
    assert!(matches!(session.apply(&[PathBuf::from("content/reviews/first-look.md")]), Some(Ok(_))));
    compare(&session);
}

/// A link to a page that comes and goes breaks and mends with it, though the file holding it
/// is not edited: its links are checked again when a path they probe appears or disappears,
/// and what was found of them before is replaced (a link found whole while its page stood
/// stays broken through edits elsewhere once the page went).
#[test]
fn links_break_and_mend_with_the_pages_they_reach() {
    let site = SiteTest::fixture("basic");
    let (linking, tagged, other) =
        ("content/reviews/second-look.md", "content/reviews/first-look.md", "content/reviews/gadget-glance.md");
    let text = |path: &str| std::fs::read_to_string(site.root.join(path)).expect("review");
    let (original, with_tag) = (text(tagged), text(tagged).replace("tags: [speed]", "tags: [speed, fresh-term]"));
    let (mut session, first) = Session::start(&site.root, previewed());
    assert!(first.is_ok(), "{first:?}");
    let mut edit = |path: &str, content: String| {
        site.write(path, content);
        session.apply(&[PathBuf::from(path)])
    };
    let link =
        |n: usize| text(linking).trim_end().to_string() + &format!("\n\nSee [the new term {n}](/tags/fresh-term/).\n");
    let broken = |outcome: &Option<Result<_, Vec<critique::diagnostic::Diagnostic>>>| match outcome {
        Some(Err(errors)) => {
            errors.iter().any(|e| e.path.ends_with("second-look.md") && e.message.contains("fresh-term"))
        }
        _ => false,
    };
    assert!(broken(&edit(linking, link(1))), "no page has the tag yet");
    let outcome = edit(tagged, with_tag.clone());
    assert!(matches!(outcome, Some(Ok(_))), "the tag's page mends the link: {outcome:?}");
    assert!(broken(&edit(tagged, original.clone())), "the page is gone again");
    assert!(matches!(edit(tagged, with_tag), Some(Ok(_))));
    let outcome = edit(linking, link(2));
    assert!(matches!(outcome, Some(Ok(_))), "linked again while the page is there: {outcome:?}");
    assert!(broken(&edit(tagged, original)), "the page went");
    let prose = text(other).trim_end().to_string() + "\n\nOne more sentence.\n";
    assert!(broken(&edit(other, prose)), "still broken after an unrelated edit");
}

/// The basic fixture with ten reviews of one project more, on days 1 to 10 (a review's page
/// shows the six newest others), served: the site and its session.
fn many_reviews_served() -> (SiteTest, Session) {
    let site = SiteTest::fixture("basic");
    for day in 1..=10u8 {
        let path = format!("content/reviews/many-{day:02}.md");
        site.write(&path, review_text(&format!("Many {day}"), "widget", day % 5, "speed", true, day));
    }
    let (session, first) = Session::start(&site.root, previewed());
    assert!(first.is_ok(), "{first:?}");
    (site, session)
}

/// The paths whose bytes differ between what `session` serves and a clean build of `site`'s files.
fn differences_from_a_clean_build(site: &SiteTest, session: &Session) -> Vec<String> {
    let clean = site.root.parent().expect("parent").join("clean");
    let _ = std::fs::remove_dir_all(&clean);
    build::run(&BuildArgs { root: site.root.clone(), output: Some(clean.clone()), site: previewed() })
        .expect("clean build");
    differ(&served(session), &tree(&clean))
}

/// A score edit that moves its project's medians changes every page of the project's reviews
/// (each shows its scores beside the medians), also those that do not show the edited review
/// among their project's others; one that leaves the medians changes only its own and those.
#[test]
fn score_edits_reach_every_review_page_that_shows_a_median_they_move() {
    let (site, mut session) = many_reviews_served();
    // The oldest review's cost from 1 to 10 and back to 1, then to 2 (the median stays).
    for score in [10u8, 1, 2] {
        let path = "content/reviews/many-01.md";
        site.write(path, review_text("Many 1", "widget", score, "speed", true, 1));
        assert!(matches!(session.apply(&[PathBuf::from(path)]), Some(Ok(_))));
        assert_eq!(differences_from_a_clean_build(&site, &session), Vec::<String>::new(), "after a cost of {score}");
    }
}

/// A date edit moves its review among its project's: every review page whose six newest others
/// it enters or leaves changes (the page that showed it shows the next one instead), and those
/// whose others stay as they were do not need to.
#[test]
fn date_edits_reach_every_review_page_whose_newest_others_they_change() {
    let (site, mut session) = many_reviews_served();
    // The oldest review becomes the newest, goes back, then shares a day with another (the
    // slugs then order them), and the newest becomes the oldest.
    let path = "content/reviews/many-01.md";
    for (path, day) in [(path, 20u8), (path, 1), (path, 5), ("content/reviews/many-10.md", 0)] {
        let text = std::fs::read_to_string(site.root.join(path)).expect("review");
        let at = text.find("\ndate: ").expect("a date") + "\ndate: ".len();
        let moved = if day == 0 { "2026-09-30".to_string() } else { format!("2026-10-{day:02}") };
        site.write(path, format!("{}{moved}{}", &text[..at], &text[at + moved.len()..]));
        assert!(matches!(session.apply(&[PathBuf::from(path)]), Some(Ok(_))));
        let differences = differences_from_a_clean_build(&site, &session);
        assert_eq!(differences, Vec::<String>::new(), "after {path} moved to {moved}");
    }
}

/// A prose edit that keeps the review in its place but drops most of the site's words leaves
/// fewer search chunks: those no rebuild makes any more are removed, as a clean build would
/// not have them.
#[test]
fn search_chunks_a_prose_edit_empties_are_removed() {
    let site = SiteTest::fixture("basic");
    let path = "content/reviews/first-look.md";
    let original = std::fs::read_to_string(site.root.join(path)).expect("review");
    // Words of letters only, each its own stem: several vocabulary and postings chunks.
    let letters = |mut i: usize| {
        let mut word = String::from("qz");
        while i > 0 || word.len() == 2 {
            word.push(char::from(b'a' + (i % 26) as u8));
            i /= 26;
        }
        word
    };
    let words: Vec<String> = (0..4000).map(letters).collect();
    let wordy = original.trim_end().to_string() + "\n\n" + &words.join(" ") + "\n";
    site.write(path, &wordy);
    let clean = site.root.parent().expect("parent").join("clean");
    let (mut session, first) = Session::start(&site.root, previewed());
    assert!(first.is_ok(), "{first:?}");
    let chunks = |dir: &std::path::Path| std::fs::read_dir(dir.join("search/vocab")).map_or(0, |d| d.count());
    let before = served(&session).iter().filter(|(path, _)| path.starts_with("search/vocab/")).count();
    site.write(path, original);
    assert!(matches!(session.apply(&[PathBuf::from(path)]), Some(Ok(_))));
    build::run(&BuildArgs { root: site.root.clone(), output: Some(clean.clone()), site: previewed() })
        .expect("clean build");
    assert!(chunks(&clean) < before, "the words made {before} vocabulary chunks, the edit as many");
    assert_eq!(differ(&served(&session), &tree(&clean)), Vec::<String>::new());
}

/// However an editor saves a review (in place; through `name~`, `name.md.tmp` or JetBrains'
/// `___jb_tmp___` renamed over it; beside vim's `4913` probe, a swap file or an Emacs lock),
/// serve sees one edit of that review: the same pages rendered as for a save in place, no
/// error for the temporary files, and the output of a clean build.
#[test]
fn every_editors_save_costs_what_a_save_in_place_does() {
    let site = SiteTest::fixture("basic");
    let (mut session, first) = Session::start(&site.root, previewed());
    assert!(first.is_ok(), "{first:?}");
    let target = "content/reviews/second-look.md";
    let full = |rel: &str| site.root.join(rel);
    let original = std::fs::read_to_string(full(target)).expect("review");
    let text = |n: usize| original.trim_end().to_string() + &format!("\n\nSaved again, {n} times.\n");
    let write = |rel: &str, content: &str| std::fs::write(full(rel), content).expect("write");
    let rename = |from: &str, to: &str| std::fs::rename(full(from), full(to)).expect("rename");
    let remove = |rel: &str| std::fs::remove_file(full(rel)).expect("remove");
    // Each save: what it does to the files, and every path it touches (as the watcher reports).
    type Save<'a> = (&'a str, Box<dyn Fn(&str) -> Vec<&'static str> + 'a>);
    let saves: Vec<Save<'_>> = vec![
        (
            "in place",
            Box::new(|content| {
                write(target, content);
                vec![target]
            }),
        ),
        (
            "through name~",
            Box::new(|content| {
                write("content/reviews/second-look.md~", content);
                rename("content/reviews/second-look.md~", target);
                vec!["content/reviews/second-look.md~", target]
            }),
        ),
        (
            "through name.md.tmp",
            Box::new(|content| {
                write("content/reviews/second-look.md.tmp", content);
                rename("content/reviews/second-look.md.tmp", target);
                vec!["content/reviews/second-look.md.tmp", target]
            }),
        ),
        (
            "JetBrains",
            Box::new(|content| {
                write("content/reviews/second-look.md___jb_tmp___", content);
                rename(target, "content/reviews/second-look.md___jb_old___");
                rename("content/reviews/second-look.md___jb_tmp___", target);
                remove("content/reviews/second-look.md___jb_old___");
                vec!["content/reviews/second-look.md___jb_tmp___", "content/reviews/second-look.md___jb_old___", target]
            }),
        ),
        (
            "vim",
            Box::new(|content| {
                write("content/reviews/4913", "");
                remove("content/reviews/4913");
                write("content/reviews/.second-look.md.swp", "swap");
                rename(target, "content/reviews/second-look.md~");
                write(target, content);
                remove("content/reviews/second-look.md~");
                vec![
                    "content/reviews/4913",
                    "content/reviews/.second-look.md.swp",
                    "content/reviews/second-look.md~",
                    target,
                ]
            }),
        ),
        (
            "Emacs",
            Box::new(|content| {
                write("content/reviews/.#second-look.md", "lock");
                write(target, content);
                remove("content/reviews/.#second-look.md");
                vec!["content/reviews/.#second-look.md", target]
            }),
        ),
    ];
    let mut in_place = None;
    for (n, (name, save)) in saves.iter().enumerate() {
        let touched: Vec<PathBuf> = save(&text(n)).into_iter().map(PathBuf::from).collect();
        let rebuilt = match session.apply(&touched) {
            Some(Ok(rebuilt)) => rebuilt,
            other => panic!("{name}: {other:?}"),
        };
        let rendered = *in_place.get_or_insert(rebuilt.rendered);
        assert_eq!(rebuilt.rendered, rendered, "{name}: pages rendered");
        assert!(differences_from_a_clean_build(&site, &session).is_empty(), "{name}");
    }
    // The swap file stays (vim keeps it while the file is open): it is nothing to the site.
    assert!(full("content/reviews/.second-look.md.swp").exists());
}

/// The options serve and the clean builds it is compared with use: the test day, and reviews
/// dated after it included (serve previews them).
fn previewed() -> SiteOptions {
    SiteOptions { future: true, ..SiteTest::options() }
}

/// A review in a folder with its picture, written, its picture resized, its prose edited, a
/// file put beside it and the folder removed: each rebuild equals a clean build.
#[test]
fn bundle_edits_rebuild_like_a_clean_build() {
    let site = SiteTest::fixture("basic");
    let clean = site.root.parent().expect("parent").join("clean");
    let (mut session, first) = Session::start(&site.root, previewed());
    assert!(first.is_ok(), "{first:?}");
    // Whether the chart is wide (with copies) after each edit.
    for (variant, wide) in [(1, true), (2, false), (3, false), (4, false), (1, true), (3, true), (0, false)] {
        let touched = apply(&site, &Edit::Bundle { variant });
        let outcome = session.apply(&touched);
        assert!(matches!(outcome, Some(Ok(_))), "variant {variant}: {outcome:?}");
        let _ = std::fs::remove_dir_all(&clean);
        build::run(&BuildArgs { root: site.root.clone(), output: Some(clean.clone()), site: previewed() })
            .expect("clean build");
        let built = tree(&clean);
        assert_eq!(differ(&served(&session), &built), Vec::<String>::new(), "after variant {variant}");
        let has = |path: &str| built.iter().any(|(p, _)| p == path);
        assert_eq!(has("reviews/pictured/chart-w1016.webp"), wide, "variant {variant}");
    }
}

/// A bundle's file that takes its page's path (`index.html`, `social-card.png`) or a wide
/// image's copy's is the build's error in serve too, and the page stays the page.
#[test]
fn a_bundle_file_taking_a_generated_path_is_an_error_as_in_a_build() {
    let site = SiteTest::fixture("basic");
    let (mut session, first) = Session::start(&site.root, previewed());
    assert!(first.is_ok(), "{first:?}");
    let touched = apply(&site, &Edit::Bundle { variant: 1 });
    assert!(matches!(session.apply(&touched), Some(Ok(_))));
    let page = |session: &Session| {
        served(session).into_iter().find(|(p, _)| p == "reviews/pictured/index.html").map(|(_, b)| b)
    };
    let before = page(&session).expect("the page");
    for (name, needle) in [
        // (An HTML file of a writer's is refused as one that could run script, first.)
        ("index.html", "`reviews/pictured/index.html` is a file"),
        ("social-card.png", "`reviews/pictured/social-card.png` is a file the build writes"),
        ("chart-w480.png", "`reviews/pictured/chart-w480.png` is published from"),
    ] {
        let path = format!("content/reviews/pictured/{name}");
        site.write(&path, "<h1>not the page</h1>");
        let outcome = session.apply(&[PathBuf::from(&path)]);
        let Some(Err(errors)) = outcome else { panic!("{name}: {outcome:?}") };
        assert!(errors.iter().any(|e| e.message.contains(needle)), "{name}: {errors:?}");
        assert_eq!(page(&session).as_ref(), Some(&before), "{name}: the last good page is served");
        site.remove(&path);
        assert!(matches!(session.apply(&[PathBuf::from(&path)]), Some(Ok(_))), "{name} removed");
    }
}

/// A page put inside a page's folder, and a page's `index.md` removed or written back beside its
/// files: serve reads what belongs to which page as a build does.
#[test]
fn markdown_saved_in_and_around_a_pages_folder_is_read_as_a_build_reads_it() {
    let site = SiteTest::fixture("basic");
    let clean = site.root.parent().expect("parent").join("clean");
    let (mut session, first) = Session::start(&site.root, previewed());
    assert!(first.is_ok(), "{first:?}");
    assert!(matches!(session.apply(&apply(&site, &Edit::Bundle { variant: 1 })), Some(Ok(_))));
    let both = |session: &mut Session, path: &str| {
        let outcome = session.apply(&[PathBuf::from(path)]);
        let _ = std::fs::remove_dir_all(&clean);
        let built = build::run(&BuildArgs { root: site.root.clone(), output: Some(clean.clone()), site: previewed() });
        (outcome, built)
    };
    let inside = "content/reviews/pictured/notes.md";
    site.write(inside, review_text("Inside", "widget", 3, "speed", true, 4));
    let (served_outcome, built) = both(&mut session, inside);
    let Some(Err(errors)) = served_outcome else {
        panic!("serve took a page inside a page's folder: {served_outcome:?}")
    };
    assert!(errors.iter().any(|e| e.message.contains("inside the page folder")), "{errors:?}");
    assert!(built.is_err());
    site.remove(inside);
    assert!(matches!(both(&mut session, inside).0, Some(Ok(_))));
    // The page's index.md goes: its files have no page; it comes back: they are published.
    let index = "content/reviews/pictured/index.md";
    let text = site.read_source(index);
    site.remove(index);
    let (served_outcome, built) = both(&mut session, index);
    assert!(matches!(served_outcome, Some(Err(_))) && built.is_err(), "{served_outcome:?}");
    site.write(index, text);
    let (served_outcome, built) = both(&mut session, index);
    assert!(matches!(served_outcome, Some(Ok(_))) && built.is_ok(), "{served_outcome:?}");
    assert_eq!(differ(&served(&session), &tree(&clean)), Vec::<String>::new());
}
