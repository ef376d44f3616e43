//! `[strings]`: the site's own wording of the theme's interface, each key checked against the
//! built-in tables and laid over the table of the site's `language`.

use std::collections::BTreeMap;

use crate::locate::Step;
use crate::strings::{Strings, Text};

/// The interface text of a site in `language` with `overrides` over it, or each override that
/// names no key or has the wrong shape, with where it is and why.
pub(super) fn resolve<'a>(
    language: &str,
    overrides: &'a BTreeMap<String, Text>,
) -> Result<Strings, Vec<(Vec<Step<'a>>, String)>> {
    let mut strings = Strings::for_language(language);
    let mut problems = Vec::new();
    for (key, text) in overrides {
        let steps = vec![Step::Key("strings"), Step::Key(key.as_str())];
        if !Strings::keys().any(|k| k == key) {
            let hint = crate::diagnostic::closest(key, Strings::keys())
                .map_or_else(String::new, |k| format!(" (did you mean `{k}`?)"));
            problems.push((
                steps,
                format!("unknown key `{key}` in [strings]: expected a key of the theme's interface text{hint}"),
            ));
        } else if matches!(text, Text::Counted { .. }) && !Strings::is_counted(key) {
            problems.push((
                steps,
                format!("`{key}` in [strings] takes no count: expected one text, not `one` and `other`"),
            ));
        } else {
            strings = strings.with(key, text);
        }
    }
    if problems.is_empty() { Ok(strings) } else { Err(problems) }
}
