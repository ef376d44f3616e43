//! Every problem of a YAML front-matter block in one run, not one per build: each unknown or
//! missing top-level key, then each value the struct cannot take. serde stops at the first
//! error, so after each one the entry holding it is set aside (a required key gets a stand-in
//! value) and the block is read again, its line numbers unchanged.

use serde::Deserializer;
use serde::de::{self, DeserializeOwned, Visitor};
use serde_saphyr::Spanned;

use super::help::{plain_words, type_name, yaml_hint};
use super::{Node, Required, strip_position, to_usize};
use crate::diagnostic::{closest, unknown_key_hint};

/// How many times a block is read again after its first error.
const MAX_ROUNDS: usize = 24;
/// Blocks longer than this are reported with their first error only: reading them again and
/// again would cost more than the errors are worth.
const MAX_REREAD_BYTES: usize = 64 * 1024;

/// One problem found, at a 1-based line and column of the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// Every problem of the YAML block `matter`, whose first reading as `T` failed with `first`.
pub(super) fn yaml_errors<T: DeserializeOwned>(
    matter: &str,
    first: &serde_saphyr::Error,
    required: Required,
) -> Vec<Found> {
    let first = describe(first, matter);
    if matter.len() > MAX_REREAD_BYTES || first.message.starts_with("too large") {
        return vec![first];
    }
    let mut lines: Vec<String> = matter.split_inclusive('\n').map(str::to_string).collect();
    let mut found: Vec<Found> = Vec::new();
    // The keys are checked on the block as written, when it reads as a tree (a block read
    // again after an entry was set aside may lack keys the writer did write); the tree also
    // says where each top-level entry starts, whatever its value looks like.
    let mut top_keys: Option<Vec<String>> = None;
    let mut entries_at: Option<Vec<usize>> = None;
    if let Ok(root) = serde_saphyr::from_str::<Spanned<Node>>(matter)
        && let Node::Map(entries) = &root.value
    {
        let keys = entries.iter().filter_map(|(k, _)| match &k.value {
            Node::Text(k) => Some(k.clone()),
            _ => None,
        });
        top_keys = Some(keys.collect());
        let mut starts: Vec<usize> = entries.iter().map(|(k, _)| to_usize(k.referenced.line())).collect();
        starts.sort_unstable();
        // Entries sharing a line (a block written as one `{…}`) cannot be set aside one by one.
        entries_at = starts.windows(2).all(|w| w[0] < w[1]).then_some(starts);
        check_keys::<T>(entries, required, &mut lines, &mut found, entries_at.as_deref());
    }
    // Whether the block says `key:` anywhere, as a key check would have seen it.
    let written =
        |key: &str| matter.lines().any(|l| l.trim_start().trim_start_matches("- ").starts_with(&format!("{key}:")));
    for round in 0..MAX_ROUNDS {
        let text = lines.concat();
        let Err(error) = serde_saphyr::from_str::<T>(&text) else { break };
        let problem = describe(&error, &text);
        if let Some(key) = problem.message.strip_prefix("missing `").and_then(|m| m.strip_suffix('`')) {
            // A required key the block does not have at the top was named by the key check; one
            // it has is missing deeper in (every top-level one is kept, or given a stand-in).
            let top_level = match &top_keys {
                Some(keys) => required.iter().any(|(k, _, _)| *k == key) && !keys.iter().any(|k| k == key),
                None => written(key),
            };
            if !(found.contains(&problem) || top_level) {
                found.push(problem);
            }
            break;
        }
        if round > 0 && problem.message.starts_with("no fields") {
            break; // every entry was set aside
        }
        // A block written as one `{…}` is read once: its entries cannot be set aside.
        let whole = top_keys.is_some() && entries_at.is_none();
        let line = problem.line;
        // A key given twice: the second is set aside whole (a stand-in would repeat it).
        let stand_ins = if problem.message.starts_with("duplicate") { &[][..] } else { required };
        if !found.contains(&problem) {
            found.push(problem);
        }
        if whole || !set_aside(&mut lines, line, stand_ins, entries_at.as_deref()) {
            break;
        }
    }
    if found.is_empty() {
        found.push(first);
    }
    found.sort_by_key(|f| (f.line, f.col));
    found
}

/// Reports each top-level key `T` does not read (with the closest it does) and each required
/// key absent, and sets the unknown keys' entries aside.
fn check_keys<T: DeserializeOwned>(
    entries: &[(Spanned<Node>, Spanned<Node>)],
    required: Required,
    lines: &mut [String],
    found: &mut Vec<Found>,
    entries_at: Option<&[usize]>,
) {
    let fields = field_names::<T>();
    let present: Vec<&str> = entries
        .iter()
        .filter_map(|(k, _)| match &k.value {
            Node::Text(k) => Some(k.as_str()),
            _ => None,
        })
        .collect();
    let mut suggested = Vec::new();
    for (key, _) in entries {
        let Node::Text(name) = &key.value else { continue };
        if fields.contains(&name.as_str()) {
            continue;
        }
        // A key not yet given is the likelier meaning; any known key will do otherwise.
        let unused = fields.iter().copied().filter(|f| !present.contains(f));
        let hint = closest(name, unused).or_else(|| closest(name, fields.iter().copied()));
        suggested.extend(hint);
        let line = to_usize(key.referenced.line());
        found.push(Found {
            line,
            col: to_usize(key.referenced.column()),
            message: format!("unknown key `{name}`: expected one of {}", fields.join(", ")),
            hint: hint.map(|k| format!("did you mean `{k}`?")),
        });
        if entries_at.is_some() {
            set_aside(lines, line, &[], entries_at);
        }
    }
    // A block without one named key (only `:` lines) has its first error, not a list of absences.
    if present.is_empty() {
        return;
    }
    for &(key, _, what) in required {
        if !present.contains(&key) && !suggested.contains(&key) {
            found.push(Found { line: 1, col: 1, message: format!("missing `{key}`"), hint: Some(what.to_string()) });
        }
    }
}

/// Sets aside the top-level entry holding `line` (1-based): its lines become blank, or, for a
/// required key, its stand-in value. The entries start at the lines `entries_at` when the
/// block was read as a tree, else at each line that starts at its first column. False when
/// there is no such entry or it was already set aside.
fn set_aside(lines: &mut [String], line: usize, required: Required, entries_at: Option<&[usize]>) -> bool {
    let is_entry = |l: &str| l.starts_with(|c: char| !c.is_whitespace() && c != '#' && c != '-');
    let (start, end) = match entries_at {
        Some(starts) => {
            let Some(i) = starts.partition_point(|&s| s <= line).checked_sub(1) else { return false };
            let start = starts[i].saturating_sub(1);
            (start, starts.get(i + 1).map_or(lines.len(), |&next| next - 1))
        }
        None => {
            let Some(start) = lines[..line.min(lines.len())].iter().rposition(|l| is_entry(l)) else { return false };
            (start, lines[start + 1..].iter().position(|l| is_entry(l)).map_or(lines.len(), |i| start + 1 + i))
        }
    };
    if start >= end || end > lines.len() {
        return false;
    }
    let key = lines[start].split_once(':').map(|(k, _)| k.trim().trim_matches(['"', '\''])).unwrap_or_default();
    let replacement = required.iter().find(|(k, _, _)| *k == key).map(|(k, stand_in, _)| format!("{k}: {stand_in}\n"));
    let before: Vec<String> = lines[start..end].to_vec();
    for (i, l) in lines[start..end].iter_mut().enumerate() {
        *l = match (&replacement, i) {
            (Some(r), 0) => r.clone(),
            _ => "\n".to_string(),
        };
    }
    lines[start..end] != before[..]
}

/// The YAML error `e` of `matter`: its position, its message in a writer's words, and help.
pub(super) fn describe(e: &serde_saphyr::Error, matter: &str) -> Found {
    let (line, col) = e.location().map_or((1, 1), |l| (to_usize(l.line()).max(1), to_usize(l.column()).max(1)));
    let mut options = serde_saphyr::RenderOptions::default();
    options.snippets = serde_saphyr::SnippetMode::Off;
    let rendered = e.render_with_options(options);
    // The plain message ends with its own position, which is relative to the block.
    let message = strip_position(&rendered);
    let message = message.split_once(", set DuplicateKeyPolicy").map_or(message, |(m, _)| m);
    let hint = unknown_key_hint(message)
        .or_else(|| message.starts_with("duplicate mapping key").then(|| "remove one of the two entries".to_string()));
    let message = match message {
        m if m.starts_with("budget breached: Nodes") => {
            "too large to read: more than 250,000 values, keys and list items: shorten the long lists, or move them into files of their own"
                .to_string()
        }
        "unexpected end of input" => "no fields: expected `key: value` lines such as `title: …`".to_string(),
        "expected mapping start" => {
            "expected `key: value` pairs here, found a single value or a list".into()
        }
        "expected sequence start" => "expected a list here (`[a, b]` or `- a` lines), found a single value".into(),
        m if m.starts_with("cannot deserialize null") => "empty value: expected text, a number or a list".into(),
        // The parser's bounds on YAML built to exhaust memory (many values, deep nesting,
        // aliases expanded again and again); its own wording names Rust types.
        m if m.starts_with("budget breached") || m.starts_with("budget exceeded") => {
            "too large to read: more values, nesting or repeated aliases than front matter may hold; expected a shorter list or less nesting".into()
        }
        m => match m.strip_prefix("invalid ") {
            Some(kind) if !kind.contains(' ') => format!("invalid value: expected {}", describe_kind(kind)),
            _ => plain_words(m),
        },
    };
    let hint = hint.or_else(|| yaml_hint(matter, line, &message));
    Found { line, col, message, hint }
}

fn describe_kind(kind: &str) -> String {
    type_name(kind).map_or_else(|| plain_words(kind), str::to_string)
}

/// The top-level keys `T` reads, as its derived `Deserialize` names them to the format.
pub(super) fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let fields = std::cell::Cell::new(&[][..]);
    let _ = T::deserialize(FieldNames(&fields));
    fields.get()
}

/// A format that holds nothing: it records the keys a struct asks it for, and stops.
struct FieldNames<'a>(&'a std::cell::Cell<&'static [&'static str]>);

/// Why [`FieldNames`] stopped: always because it had what it wanted.
#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field names read")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0.set(fields);
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}
