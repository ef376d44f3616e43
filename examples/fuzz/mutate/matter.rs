//! Mutations of front matter and of the configuration: keys deleted, renamed to near misses,
//! given values of another type or hostile values; whole front matter turned from YAML into
//! TOML and back.

use std::io;
use std::path::{Path, PathBuf};

use super::{Applied, Target, entries, rewrite};
use crate::rng::Rng;
use crate::site::show;

/// The syntax of a block of keys.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Toml,
}

/// Where a file's keys are: lines `start..end`, in `format`.
struct Block {
    format: Format,
    start: usize,
    end: usize,
}

/// One `key: value` (or `key = value`) line.
struct KeyLine {
    /// Its line number.
    line: usize,
    /// Where the key starts and ends, in bytes.
    key: (usize, usize),
    /// Where the value starts.
    value: usize,
}

/// Values of each type, in each syntax.
const YAML_VALUES: [&str; 17] = [
    "\"text\"",
    "42",
    "-1",
    "1e309",
    "[a, b]",
    "{ a: 1 }",
    "true",
    "null",
    "~",
    "2026-02-30",
    "*undefined",
    "!!binary aGVsbG8=",
    "\"\"",
    "[]",
    "{}",
    "|\n  a block",
    "[[[[]]]]",
];
const TOML_VALUES: [&str; 14] = [
    "\"text\"",
    "42",
    "-0",
    "[1, \"a\"]",
    "{ a = 1 }",
    "true",
    "1979-05-27",
    "nan",
    "inf",
    "9223372036854775807",
    "\"\"",
    "[]",
    "{}",
    "2026-02-30",
];

/// What goes between the quotes of a hostile string value (escapes as both YAML and TOML
/// read them).
const HOSTILE: [&str; 22] = [
    r"javascript:alert(1)",
    r"JAVASCRIPT:alert(1)",
    r" javascript:alert(1)",
    r"java\tscript:alert(1)",
    r"vbscript:msgbox(1)",
    r"data:text/html,<script>alert(1)</script>",
    r"www.example.org",
    r"//evil.example/x",
    r"http://exa\u0000mple.org",
    r"https://example.org/\u001b[2J",
    r"file:///etc/passwd",
    r#"https://example.org/\" onmouseover=\"alert(1)"#,
    r"../../outside/secret.txt",
    r"mailto:a@example.org?body=\u0000",
    r"Title\u0000",
    r"a\nb\n## injected\n[x](https://evil.example)",
    r"\u0085\u2028",
    r"\u007f\u0008",
    r"<script>alert(1)</script>",
    r"]]></title><x>",
    r"&amp; & < > ' \u0022",
    r"",
];

/// Keys whose values are URLs.
const URL_KEYS: [&str; 7] =
    ["homepage", "source", "evidence", "status_page", "base_url", "postmortems", "incident_contact"];

/// Deletes a key, renames it, or changes its value's type or content.
pub fn keys(target: &Target, rng: &mut Rng) -> io::Result<Option<Applied>> {
    let site = target.site();
    let candidates: Vec<PathBuf> =
        entries(&site).files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "md" || e == "toml")).collect();
    let Some(rel) = rng.pick(&candidates).cloned() else { return Ok(None) };
    let bytes = std::fs::read(site.join(&rel))?;
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let Some(block) = locate(&rel, &lines) else { return Ok(None) };
    let keys: Vec<KeyLine> = (block.start..block.end).filter_map(|i| key_line(i, &lines[i], block.format)).collect();
    let url_keys: Vec<&KeyLine> =
        keys.iter().filter(|k| URL_KEYS.iter().any(|u| u.as_bytes() == &lines[k.line][k.key.0..k.key.1])).collect();
    let op = rng.below(4);
    let chosen = if op == 3 && !url_keys.is_empty() && rng.chance(2, 3) {
        url_keys.get(rng.below(url_keys.len())).copied()
    } else {
        keys.get(rng.below(keys.len()))
    };
    let Some(k) = chosen else { return Ok(None) };
    let key = String::from_utf8_lossy(&lines[k.line][k.key.0..k.key.1]).into_owned();
    let line_no = k.line + 1;
    let continued = continuation(&lines, k, block.format);
    let what = match op {
        0 => {
            lines.drain(k.line..k.line + 1 + continued);
            format!("delete key `{key}` at line {line_no}")
        }
        1 => {
            let near = near_miss(rng, &key);
            lines[k.line].splice(k.key.0..k.key.1, near.bytes());
            format!("rename key `{key}` to `{near}` at line {line_no}")
        }
        2 => {
            let value = match block.format {
                Format::Yaml => YAML_VALUES[rng.below(YAML_VALUES.len())],
                Format::Toml => TOML_VALUES[rng.below(TOML_VALUES.len())],
            };
            let dropped = if rng.chance(1, 2) { continued } else { 0 };
            lines.drain(k.line + 1..k.line + 1 + dropped);
            lines[k.line].truncate(k.value);
            lines[k.line].extend_from_slice(value.as_bytes());
            format!("set key `{key}` at line {line_no} to `{}`", value.escape_debug())
        }
        _ => {
            let value = HOSTILE[rng.below(HOSTILE.len())];
            lines.drain(k.line + 1..k.line + 1 + continued);
            lines[k.line].truncate(k.value);
            lines[k.line].extend_from_slice(format!("\"{value}\"").as_bytes());
            format!("set key `{key}` at line {line_no} to \"{value}\"")
        }
    };
    rewrite(&site, &rel, |data| *data = lines.join(&b'\n'))?;
    Ok(Some(Applied { what: format!("keys: {what} of {}", show(&rel)), touched: vec![rel] }))
}

/// The block of keys of a file: all of a `.toml` file, the front matter of a Markdown file.
fn locate(rel: &Path, lines: &[Vec<u8>]) -> Option<Block> {
    if rel.extension().is_some_and(|e| e == "toml") {
        return Some(Block { format: Format::Toml, start: 0, end: lines.len() });
    }
    let first = lines.first()?;
    let first = first.strip_prefix(b"\xef\xbb\xbf").unwrap_or(first);
    let (format, fence): (Format, &[u8]) = match first.strip_suffix(b"\r").unwrap_or(first) {
        b"---" => (Format::Yaml, b"---"),
        b"+++" => (Format::Toml, b"+++"),
        _ => return None,
    };
    let end = lines.iter().skip(1).position(|l| l.strip_suffix(b"\r").unwrap_or(l) == fence)? + 1;
    Some(Block { format, start: 1, end })
}

fn key_line(line: usize, bytes: &[u8], format: Format) -> Option<KeyLine> {
    let mut at = bytes.iter().take_while(|b| **b == b' ').count();
    if format == Format::Yaml && bytes[at..].starts_with(b"- ") {
        at += 2;
    }
    let start = at;
    if !bytes.get(at).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
        return None;
    }
    while bytes.get(at).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-') {
        at += 1;
    }
    let end = at;
    while bytes.get(at) == Some(&b' ') {
        at += 1;
    }
    let separator = if format == Format::Yaml { b':' } else { b'=' };
    if bytes.get(at) != Some(&separator) {
        return None;
    }
    at += 1;
    if format == Format::Yaml && !matches!(bytes.get(at), None | Some(b' ' | b'\r')) {
        return None;
    }
    while bytes.get(at) == Some(&b' ') {
        at += 1;
    }
    Some(KeyLine { line, key: (start, end), value: at })
}

/// How many lines after a YAML key belong to its value (those indented deeper than the key).
fn continuation(lines: &[Vec<u8>], key: &KeyLine, format: Format) -> usize {
    if format == Format::Toml {
        return 0;
    }
    lines[key.line + 1..]
        .iter()
        .take_while(|l| {
            let indent = l.iter().take_while(|b| **b == b' ').count();
            indent > key.key.0 && indent < l.len()
        })
        .count()
}

/// A key a writer could mistype for `key`.
fn near_miss(rng: &mut Rng, key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let i = rng.below(chars.len());
    let mut near = chars.clone();
    match rng.below(6) {
        0 if chars.len() > 1 => {
            near.remove(i);
        }
        1 if chars.len() > 1 => near.swap(i, (i + 1) % chars.len()),
        2 => near.insert(i, chars[i]),
        3 => return key.to_uppercase(),
        4 => return key.replace('_', "-").replace('s', "z"),
        _ => near.push('s'),
    }
    near.into_iter().collect()
}

/// Turns a Markdown file's YAML front matter into TOML or back; when the front matter cannot
/// be read (or could blow up the fuzzer's own memory), only its fences change.
pub fn swap_format(target: &Target, rng: &mut Rng) -> io::Result<Option<Applied>> {
    let site = target.site();
    let candidates: Vec<PathBuf> =
        entries(&site).files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "md")).collect();
    let Some(rel) = rng.pick(&candidates).cloned() else { return Ok(None) };
    let bytes = std::fs::read(site.join(&rel))?;
    let lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let Some(block) = locate(&rel, &lines) else { return Ok(None) };
    let matter = String::from_utf8_lossy(&lines[block.start..block.end].join(&b'\n')).into_owned();
    let (fence, converted) = match block.format {
        Format::Yaml => ("+++", yaml_to_toml(&matter)),
        Format::Toml => ("---", toml_to_yaml(&matter)),
    };
    let how = if converted.is_some() { "converted" } else { "fences only" };
    let matter = converted.unwrap_or(matter);
    let rest = lines[block.end + 1..].join(&b'\n');
    let mut text = format!("{fence}\n{}\n{fence}\n", matter.trim_end()).into_bytes();
    text.extend_from_slice(&rest);
    rewrite(&site, &rel, |data| *data = text)?;
    let direction = if fence == "+++" { "YAML to TOML" } else { "TOML to YAML" };
    Ok(Some(Applied { what: format!("format: {direction} ({how}) of {}", show(&rel)), touched: vec![rel] }))
}

/// Whether the fuzzer may parse `text` itself: small, without aliases, not deeply nested.
fn safe_to_parse(text: &str) -> bool {
    text.len() < 64 * 1024
        && !text.contains(['&', '*', '!'])
        && text.bytes().filter(|b| matches!(b, b'[' | b'{')).count() < 64
}

fn yaml_to_toml(matter: &str) -> Option<String> {
    if !safe_to_parse(matter) {
        return None;
    }
    let value: serde_json::Value = serde_saphyr::from_str(matter).ok()?;
    let text = toml::to_string(&value).ok()?;
    // Dates were strings in YAML; TOML has dates of its own.
    let date = regex::Regex::new(r#"= "(\d{4}-\d{2}-\d{2})"\n"#).ok()?;
    Some(date.replace_all(&text, "= $1\n").into_owned())
}

fn toml_to_yaml(matter: &str) -> Option<String> {
    if !safe_to_parse(matter) {
        return None;
    }
    let table: toml::Table = toml::from_str(matter).ok()?;
    // JSON is YAML.
    serde_json::to_string_pretty(&json(toml::Value::Table(table))).ok()
}

fn json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(items) => J::Array(items.into_iter().map(json).collect()),
        toml::Value::Table(table) => J::Object(table.into_iter().map(|(k, v)| (k, json(v))).collect()),
    }
}
