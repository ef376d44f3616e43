//! Whether a project's reply can be traced to the project: published on one of the channels
//! its project lists (`channels`, and its `homepage`), or else a warning for the editor, who
//! may have been sent words the project never said.

use crate::diagnostic::Diagnostic;
use crate::model::Site;

/// A warning for every response whose `source` is on none of its project's channels, or
/// which gives none.
pub(super) fn untraced(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for response in site.responses.iter() {
        let project = &site.projects[response.project];
        let channels: Vec<&str> = project.homepage.iter().chain(&project.channels).map(String::as_str).collect();
        let (key, message) = match &response.published_at {
            None => ("by", "no `source`: this reply cannot be traced to the project".to_string()),
            Some(url) if !response.is_traced(project) => {
                let on = if channels.is_empty() {
                    format!("{} lists no channels", project.name)
                } else {
                    format!("not on {}'s channels ({})", project.name, channels.join(", "))
                };
                ("source", format!("`{}` cannot be traced to the project: {on}", url.url))
            }
            Some(_) => continue,
        };
        found.push(
            response
                .source
                .error_at_key(key, message)
                .warning()
                .with_rule("untraced-response")
                .with_related([project.source.path.clone()])
                .with_hint(
                    "check with the project; once it confirms, add its site or account to `channels:` in its \
                     project file, or link the reply where it published it",
                ),
        );
    }
    found
}
