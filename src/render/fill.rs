//! The `fill` filter, through which templates use the interface text (`site.t`):
//! `{{ site.t.byline | fill(authors=links, date=when) }}` replaces each `{name}` of the text
//! with the value given for it, and a counted text (`zero`, `one`, `other`) takes the form for
//! `n` first (`{{ site.t.waiting_days | fill(n=days) }}`). The text and the plain values are
//! escaped where the template escapes; values the template made (a `{% set %}` block, a link)
//! are pasted as they are. The filter knows no language: the table chose the forms.

use tera::{Kwargs, State, TeraResult, Value};

/// The filter: see the module's documentation.
pub fn fill(value: Value, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let text = match value.as_map() {
        Some(forms) => {
            let n = kwargs.get::<Value>("n")?.and_then(|n| n.as_i128());
            let form = match n {
                Some(0) => "zero",
                Some(1) => "one",
                _ => "other",
            };
            forms.iter().find(|(k, _)| k.as_str() == Some(form)).map_or_else(|| Value::from(""), |(_, v)| v.clone())
        }
        None => value,
    };
    let text = state.escape_if_needed(&text)?;
    // One pass over the text, so that a value holding `{name}` is never filled in again.
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = after.find('}').map(|close| &after[..close]);
        match name.and_then(|name| kwargs.get::<Value>(name).ok().flatten().map(|v| (name, v))) {
            Some((name, value)) => {
                out.push_str(&state.escape_if_needed(&value)?);
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(if state.autoescaping_enabled() { Value::safe_string(&out) } else { Value::from(out) })
}
