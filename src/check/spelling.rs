//! Tags written two ways (`Governance`, `governance`, `Gov ernance` slug alike): one term, one
//! page, shown under its most used spelling; every file that writes another is told which.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::model::taxonomy::term_slug;

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
        for (written, name) in odd {
            // At the `tags` key: a tag's text may stand anywhere else in the file first.
            found.push(
                source
                    .error_at_key("tags", format!("tag `{written}` is written `{name}` elsewhere"))
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
