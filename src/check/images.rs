//! `image-alt`: an image without a text alternative (`![](chart.png)`), which a screen reader
//! announces as its file name, or not at all.

use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::model::Site;
use crate::parse::Located;

/// A warning at every image of a body with no alt text.
pub fn without_alt(site: &Site) -> Vec<Diagnostic> {
    let reviews = site.reviews.iter().map(|r| (&*r.body, &r.source));
    let projects = site.projects.iter().map(|p| (&*p.body, &p.source));
    let pages = site.pages.iter().map(|p| (&*p.body, &p.source));
    let profiles = site.profiles.iter().map(|p| (&*p.body, &p.source));
    let responses = site.responses.iter().map(|r| (&*r.body, &r.source));
    reviews
        .chain(projects)
        .chain(pages)
        .chain(profiles)
        .chain(responses)
        .flat_map(|(body, source)| found(body, source))
        .collect()
}

fn found<'a>(body: &'a Rendered, source: &'a Located) -> impl Iterator<Item = Diagnostic> + 'a {
    body.images_without_alt.iter().map(|&(line, col)| {
        Diagnostic::at(
            &source.path,
            source.body_line + line - 1,
            col,
            "image without a text alternative: a screen reader cannot tell what it shows",
        )
        .with_hint("describe it between the brackets: `![Median cost per axis, by month](chart.png)`")
        .warning()
        .with_rule("image-alt")
    })
}
