//! No input panics the pipeline: generated front matter and bodies, valid or not, end in a
//! site or in diagnostics.

use std::path::PathBuf;

use critique::load::{Section, SiteFiles, SourceFile};
use critique::{SiteOptions, render_site};
use proptest::prelude::*;

const PROJECT: &str = "---\nname: P\nsummary: S\nclaims:\n  - id: a\n    text: A\n---\nBody\n";

/// Lines that are plausible front matter, plausible mistakes, and noise.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---".to_string()),
        Just("+++".to_string()),
        Just("title: T".to_string()),
        Just("project: p".to_string()),
        Just("author: A".to_string()),
        Just("date: 2026-11-10".to_string()),
        Just("verdict: unproven".to_string()),
        Just("scores: { cost: 11, speed: .nan, ease: -0 }".to_string()),
        Just("questions:\n  - ask: Q\n    claim: a\n    status: answered".to_string()),
        Just("a: &x [*x, *x, *x]".to_string()),
        Just("<!-- more -->".to_string()),
        Just("# Heading {#id}".to_string()),
        Just("[^1]: note".to_string()),
        "[ -~]{0,20}",
        "\\PC{0,12}",
    ]
}

fn file(lines: Vec<String>) -> String {
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_review_text_builds_or_reports(lines in prop::collection::vec(line(), 0..14), crlf in any::<bool>()) {
        let mut text = file(lines);
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let files = SiteFiles {
            content: vec![
                SourceFile { path: PathBuf::from("content/projects/p.md"), section: Section::Projects, slug: "p".into(), text: PROJECT.into() },
                SourceFile { path: PathBuf::from("content/reviews/r.md"), section: Section::Reviews, slug: "r".into(), text: text.into() },
            ],
            ..SiteFiles::default()
        };
        match render_site(&files, &SiteOptions::default(), critique::cache_store::Stores::NONE) {
            Ok((site, _)) => prop_assert!(site.reviews.len() <= 1),
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert_eq!(e.path, PathBuf::from("content/reviews/r.md"));
                }
            }
        }
    }
}
