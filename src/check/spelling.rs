//! Tags written two ways (`Governance`, `governance`, `Gov ernance` slug alike): one term, one
//! page, shown under its most used spelling; every file that writes another is told which.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::model::taxonomy::term_slug;
use crate::parse::Located;

/// The rule's name.
pub const RULE: &str = "tag-spelling";

/// A warning at each tag written otherwise than its term's name (the spelling most used, the
/// label every page shows).
pub fn tag_spellings(site: &Site) -> Vec<Diagnostic> {
    let name_of: BTreeMap<&str, &str> = site.tags.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect();
    let files =
        site.reviews.iter().map(|r| (&r.source, &r.tags)).chain(site.projects.iter().map(|p| (&p.source, &p.tags)));
    let mut found = Vec::new();
    for (source, tags) in files {
        let odd: Vec<(&str, &str)> = tags
            .iter()
            .map(|t| t.trim())
            .filter_map(|t| Some((t, *name_of.get(term_slug(t).as_str())?)))
            .filter(|(written, name)| written != name)
            .collect();
        let lines = if odd.is_empty() { Vec::new() } else { source_lines(source, &odd) };
        for ((written, name), line) in odd.into_iter().zip(lines) {
            found.push(
                Diagnostic::at(&source.path, line, 0, format!("tag `{written}` is written `{name}` elsewhere"))
                    .warning()
                    .with_rule(RULE)
                    .with_hint(format!(
                        "write it `{name}`, as pages show it, so that the site spells each tag one way"
                    )),
            );
        }
    }
    found
}

/// The line of each written tag in `source`.
fn source_lines(source: &Located, odd: &[(&str, &str)]) -> Vec<usize> {
    let needles: Vec<&str> = odd.iter().map(|(written, _)| *written).collect();
    source.lines_of(&needles)
}
