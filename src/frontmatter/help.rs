//! Front-matter errors in a writer's words: the parsers' messages without Rust or serde terms
//! (`usize`, `unknown variant`, `invalid floating point`), and a `help:` line for the usual
//! YAML mistakes (an unquoted `: `, indentation that does not line up, a tab, a plain value
//! where a block belongs).

/// `message` (a YAML or TOML parser's, or serde's) said with the words of front matter.
pub fn plain_words(message: &str) -> String {
    // A parser may repeat a whole value back: a writer needs its start, and rewording a
    // megabyte of it would cost more than the error is worth.
    let message = match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => &format!("{}…", &message[..cut]),
        None => message,
    };
    let unknown = [("unknown field `", "key"), ("unknown variant `", "value")]
        .into_iter()
        .find_map(|(prefix, what)| Some((message.strip_prefix(prefix)?.split_once('`')?, what)));
    if let Some(((found, rest), what)) = unknown {
        let rest = rest.trim_start_matches(',').trim();
        let expected = match rest.strip_prefix("expected one of ").or_else(|| rest.strip_prefix("expected ")) {
            Some(list) => format!("expected one of {}", list.replace('`', "").replace(" or ", ", ")),
            None => "no keys here".to_string(),
        };
        return format!("unknown {what} `{found}`: {expected}");
    }
    if let Some((key, _)) = message.strip_prefix("missing field `").and_then(|m| m.split_once('`')) {
        return format!("missing `{key}`");
    }
    let mut plain = with_rust_types_named(&without_type_names(message));
    for (serde_words, writers_words) in WORDS {
        plain = plain.replace(serde_words, writers_words);
    }
    plain
}

/// What a writer calls a value of the Rust type `kind` (`u32`, `f64`, `bool`).
pub(super) fn type_name(kind: &str) -> Option<&'static str> {
    match kind {
        "u8" | "u16" | "u32" | "u64" | "usize" => Some("a whole number ≥ 0"),
        "i8" | "i16" | "i32" | "i64" | "isize" => Some("a whole number"),
        "f32" | "f64" => Some("a number"),
        "bool" | "boolean" => Some("true or false"),
        _ => None,
    }
}

/// `message` with each `expected <Rust type>` said as [`type_name`] says it.
fn with_rust_types_named(message: &str) -> String {
    const LEAD: &str = "expected ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(LEAD) {
        let after = &rest[at + LEAD.len()..];
        let word = &after[..after.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(after.len())];
        out.push_str(&rest[..at + LEAD.len()]);
        out.push_str(type_name(word).unwrap_or(word));
        rest = &after[word.len()..];
    }
    out.push_str(rest);
    out
}

/// The longest message reworded; the rest is cut.
const MAX_MESSAGE_CHARS: usize = 500;

/// `message` with serde's `struct Token` and `enum Status` said as what a writer types.
fn without_type_names(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("struct ").or_else(|| rest.find("enum ")) {
        let word = if rest[at..].starts_with("struct ") { "struct " } else { "enum " };
        let after = &rest[at + word.len()..];
        let name = after.len() - after.trim_start_matches(|c: char| c.is_ascii_alphanumeric()).len();
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_uppercase()) {
            out.push_str("`key: value` pairs");
            rest = &after[name..];
        } else {
            out.push_str(word);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// serde's and the parsers' terms, longest first, and what a writer calls them.
const WORDS: &[(&str, &str)] = &[
    (
        "multiple YAML documents detected; use from_str_multiple or from_str_multiple_with_options",
        "a `---` or `...` line inside the front matter: expected one block of `key: value` lines",
    ),
    (
        "did not find expected <document start>",
        "expected `key: value` lines (a `%` directive cannot start front matter)",
    ),
    ("unexpected value for unit enum variant", "expected a single word here, found a list or block"),
    ("externally tagged enum expected scalar or mapping", "expected a single word here"),
    ("externally tagged enum expected value or mapping", "expected a single word here"),
    ("invalid enum variant", "invalid value: expected one of the words listed for this key"),
    ("rejected by the configured policy", "is too large"),
    ("non-finite float ", "the number "),
    ("expected string scalar", "expected text, found a list or a block"),
    ("scalar", "value"),
    ("invalid floating point", "invalid number: expected a number such as 7 or 6.5"),
    ("invalid type: ", "found "),
    ("invalid value: ", ""),
    ("floating point", "the number"),
    ("a sequence", "a list"),
    ("sequence", "list"),
    ("a map", "`key: value` pairs"),
    ("a mapping", "`key: value` pairs"),
    ("unit value", "nothing"),
    ("a boolean", "true or false"),
    ("boolean", "true or false"),
    ("a string", "text"),
    ("string ", "text "),
    ("integer ", "the number "),
    ("an integer", "a whole number"),
];

/// A `help:` line for the YAML error `message` at `line` (1-based) of the front matter
/// `matter`, when the mistake is one writers make: reading the lines around it.
pub fn yaml_hint(matter: &str, line: usize, message: &str) -> Option<String> {
    let lines: Vec<&str> = matter.lines().collect();
    let at = |n: usize| lines.get(n.checked_sub(1)?).copied();
    if message.starts_with("tabs disallowed") || (message.contains("tab") && at(line).is_some_and(|l| l.contains('\t')))
    {
        return Some("indent with spaces: YAML does not allow tabs in indentation".into());
    }
    if message.contains("mapping values are not allowed") {
        let text = at(line)?;
        if let Some((key, value)) = text.split_once(": ").filter(|(_, value)| value.contains(':')) {
            let quoted = value.trim().replace('\\', "\\\\").replace('"', "\\\"");
            return Some(format!("a value holding `: ` must be quoted: `{}: \"{quoted}\"`", key.trim_end()));
        }
    }
    // The line itself, or the next: a key indented past its block sits on the line after
    // the one the parser stopped at.
    if let Some(hint) = indentation_hint(&lines, line).or_else(|| indentation_hint(&lines, line + 1)) {
        return Some(hint);
    }
    if message.contains("expected mapping start") || message.contains("expected `key: value` pairs") {
        return block_shape(&lines, line);
    }
    if message.starts_with("expected a list here") {
        let (key, value) = at(line)?.split_once(':')?;
        let key = key.trim().trim_start_matches("- ");
        return Some(format!("write it as a list, even of one: `{key}: [{}]`", value.trim()));
    }
    None
}

/// The key a line starts (after its indentation and any `- `), with its indentation.
fn key_of(text: &str) -> Option<(usize, &str)> {
    let indent = text.len() - text.trim_start_matches(' ').len();
    let rest = text[indent..].trim_start_matches("- ");
    let (key, _) = rest.split_once(':')?;
    let key = key.trim();
    let plain = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    plain.then_some((indent + (text[indent..].len() - rest.len()), key))
}

/// Whether the `key:` line `text` opens a block (nothing after the colon but a comment).
fn opens_block(text: &str) -> bool {
    text.split_once(':').is_some_and(|(_, value)| {
        let value = value.trim();
        value.is_empty() || value.starts_with('#') || value.starts_with('|') || value.starts_with('>')
    })
}

/// Why the key on line `n` (1-based) does not line up with its neighbours, if it does not.
fn indentation_hint(lines: &[&str], n: usize) -> Option<String> {
    let text = lines.get(n.checked_sub(1)?)?;
    let (indent, key) = key_of(text)?;
    let earlier = |i: usize| {
        lines[..i].iter().enumerate().rev().find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    };
    let (_, above) = earlier(n - 1)?;
    let (above_indent, above_key) = key_of(above)?;
    if indent > above_indent && !opens_block(above) {
        return Some(format!(
            "`{key}` is indented more than `{above_key}` above it, which holds a value, not a block: line it up with `{above_key}`"
        ));
    }
    if indent < above_indent {
        // The nearest line above at or left of this one: its parent, or a sibling.
        let outer = lines[..n - 1].iter().rev().filter_map(|l| key_of(l)).find(|(i, _)| *i <= indent);
        if outer.is_none_or(|(i, _)| i < indent) {
            return Some(format!(
                "`{key}` lines up with no key above it: indent it as `{above_key}` is, with {above_indent} spaces"
            ));
        }
    }
    None
}

/// The shape a block-valued key expects, for a plain value written where the block belongs.
fn block_shape(lines: &[&str], n: usize) -> Option<String> {
    let owner = lines[..n.min(lines.len())].iter().rev().find(|l| l.starts_with(|c: char| c.is_alphanumeric()))?;
    let (_, key) = key_of(owner)?;
    Some(match key {
        "questions" => "write each question as a block: `- ask: Who controls upgrades?`, with `claim:`, `status:` and the rest on the lines below it, indented".into(),
        "revisions" => "write each revision as a block: `- date: 2026-11-30`, then `note: what changed` on the line below, indented".into(),
        "claims" => "write each claim as a block: `- id: fast`, then `text: what the project says` on the line below, indented".into(),
        "governance" => "write it as a block: `governance: { upgrades: who can change the code }`".into(),
        "accountability" => "write it as a block: `accountability: { operator: who answers when it fails }`".into(),
        "token" => "write it as a block: `token: { symbol: OPG, allocation: who holds how much }`".into(),
        "scores" => "write the scores as `axis: number` pairs: `scores: { cost: 7, speed: 5 }`".into(),
        "disclosure" => "write it as a block: `disclosure: { holdings: none }`".into(),
        other => format!("`{other}` takes `key: value` pairs (a block), not a single value"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_words_become_front_matter_words() {
        assert_eq!(
            plain_words("unknown field `titel`, expected one of `title`, `n`"),
            "unknown key `titel`: expected one of title, n"
        );
        assert_eq!(
            plain_words("unknown variant `closed`, expected one of open, answered, disputed"),
            "unknown value `closed`: expected one of open, answered, disputed"
        );
        assert_eq!(plain_words("unknown variant `x`, expected `a` or `b`"), "unknown value `x`: expected one of a, b");
        assert_eq!(plain_words("missing field `date`"), "missing `date`");
        assert_eq!(plain_words("unknown field `x`, there are no fields"), "unknown key `x`: no keys here");
        assert_eq!(plain_words("found text, expected struct Token"), "found text, expected `key: value` pairs");
        assert_eq!(plain_words("a struct of enum x"), "a struct of enum x");
        let long = format!("found text \"{}\"", "enum ".repeat(200_000));
        assert!(plain_words(&long).chars().count() < 600, "a long value is cut, not reworded whole");
        assert_eq!(yaml_hint("status: established\n", 1, "unknown value `established`"), None, "no tab, no tab help");
        assert_eq!(
            plain_words("invalid type: string \"x\", expected usize"),
            "found text \"x\", expected a whole number ≥ 0"
        );
        assert_eq!(
            plain_words("invalid type: integer `3`, expected a sequence"),
            "found the number `3`, expected a list"
        );
    }

    #[test]
    fn the_usual_yaml_mistakes_get_help() {
        let colon = yaml_hint("title: Arweave: a long bet\n", 1, "mapping values are not allowed in this context");
        assert_eq!(colon.as_deref(), Some("a value holding `: ` must be quoted: `title: \"Arweave: a long bet\"`"));
        let deeper = yaml_hint("scores:\n  cost: 3\n   speed: 4\n", 2, "invalid number");
        assert!(deeper.is_some_and(|h| h.starts_with("`speed` is indented more than `cost`")));
        let shallower = yaml_hint("scores:\n   cost: 3\n  speed: 4\n", 3, "did not find expected key");
        assert!(shallower.is_some_and(|h| h.starts_with("`speed` lines up with no key above it")),);
        let question = yaml_hint("questions:\n  - Who?\n", 2, "expected `key: value` pairs here");
        assert!(question.is_some_and(|h| h.contains("- ask: ")));
        assert_eq!(yaml_hint("title: a\ndate: b\n", 2, "invalid date"), None, "lined up: no guess");
        let tags =
            yaml_hint("tags: speed\n", 1, "expected a list here (`[a, b]` or `- a` lines), found a single value");
        assert_eq!(tags.as_deref(), Some("write it as a list, even of one: `tags: [speed]`"));
    }
}
