//! The `/compare/` page's data: the projects a reader may choose among, and the axes in the
//! site's order, for the script that builds the side-by-side table from each chosen project's
//! JSON. Without the script the page shows the projects table, whose rows `project_rows` makes.

use serde::Serialize;

use super::Views;

/// A project a reader may tick.
#[derive(Debug, Serialize)]
pub struct CompareChoice {
    /// Its slug, which names it in `?p=` and in its JSON's address.
    slug: String,
    name: String,
}

impl Views<'_> {
    /// Every project, by name (then slug): the choices of the comparison's form.
    pub fn compare_choices(&self) -> Vec<CompareChoice> {
        let mut choices: Vec<CompareChoice> =
            self.site.projects.iter().map(|p| CompareChoice { slug: p.slug.clone(), name: p.name.clone() }).collect();
        choices.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.slug.cmp(&b.slug)));
        choices
    }
}
