//! Every address of the site's own pages taken once: a `slug:` that another file of its
//! section has, or an alias that is a page's address or another file's alias, is an error
//! naming the file that has it first.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::parse::Located;

use super::Site;

/// Whether the file at `source` is published under a `slug:` of its own (`slug`, not its file
/// name's).
fn renamed(slug: &str, source: &Located) -> bool {
    source.path.file_stem().and_then(|s| s.to_str()) != Some(slug)
}

/// The errors of `site`'s addresses, at the `slug` or `aliases` key of the file that takes an
/// address a file before it has.
pub(super) fn address_errors(site: &Site) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    // Each page's own address (as a link below the base), with its file.
    let mut owned: BTreeMap<String, &Located> = BTreeMap::new();
    let own = site
        .reviews
        .iter()
        .map(|r| (format!("reviews/{}/", r.slug), r.slug.as_str(), &r.source))
        .chain(site.projects.iter().map(|p| (format!("projects/{}/", p.slug), p.slug.as_str(), &p.source)))
        .chain(site.pages.iter().map(|p| (format!("{}/", p.slug), p.slug.as_str(), &p.source)));
    // Two files at one address have the same slug.
    for (address, slug, source) in own {
        match owned.get(&address) {
            Some(first) => {
                // The file that took another's address by its `slug:` is told, else the later.
                let (taker, other) =
                    if renamed(slug, first) && !renamed(slug, source) { (*first, source) } else { (source, *first) };
                let message =
                    format!("the address /{address} is taken by {}: expected each address once", other.path.display());
                let hint = "give one of them another `slug:` (or file name)";
                errors.push(taker.error_at_key("slug", message).with_hint(hint));
            }
            None => {
                owned.insert(address, source);
            }
        }
    }
    let mut aliased: BTreeMap<&str, &Located> = BTreeMap::new();
    let aliases = site
        .reviews
        .iter()
        .map(|r| (&r.aliases, &r.source))
        .chain(site.projects.iter().map(|p| (&p.aliases, &p.source)))
        .chain(site.pages.iter().map(|p| (&p.aliases, &p.source)));
    for (list, source) in aliases {
        for alias in list {
            let taken = owned
                .get(alias.as_str())
                .map(|page| (page, "the address of"))
                .or_else(|| aliased.get(alias.as_str()).map(|other| (other, "an alias of")));
            match taken {
                Some((first, what)) => {
                    let message = format!(
                        "alias /{alias} is already {what} {}: expected an address no other page has",
                        first.path.display()
                    );
                    errors.push(source.error_at_key("aliases", message));
                }
                None => {
                    aliased.insert(alias, source);
                }
            }
        }
    }
    errors
}
