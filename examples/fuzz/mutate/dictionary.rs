//! Hostile lines: what a writer who means harm, or a broken editor, puts in a file. Each comes
//! with a short label for the mutation's description (some are megabytes long).

use std::fmt::Write as _;
use std::path::Path;

use crate::rng::Rng;

/// Lines that need nothing generated.
const PLAIN: [&str; 44] = [
    "---",
    "+++",
    "## Same {#main}",
    "# Same {#main}\n## Same {#main}\n### Same",
    "## Same\n## Same\n## Same-1\n## Same-2",
    "## 🔥🔥",
    "## ...",
    "# <script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](java&#09;script:alert(1))",
    "![x](javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml,%3Csvg%20onload=alert(1)%3E)",
    "[x]: <javascript:alert(1)>\n\n[y][x]",
    "<javascript:alert(1)>",
    "[x](https://example.org/\"onmouseover=\"alert(1))",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<!--",
    "```",
    "]]></title><x>",
    "&#0; &#x110000; &#xD800; &#",
    "{{ 7 * 7 }} {% include \"base.html\" %}",
    "{% include \"../outside/secret.txt\" %}{{ __tera_context }}",
    "[x](/../../outside/secret.txt) ![y](../../../outside/secret.txt)",
    "[x](/.critique-output) [y](#main) [z](/reviews/nope/#nope)",
    "[^a]: [^a]\n\n[^a]",
    "title: \"\\u0000\"",
    "title: \"a\\u0007b\"",
    "description: \"\\u001b[31mred\"",
    "title: \"one\\n## two\\n[x](https://evil.example)\"",
    "name: \"a\\u0085b\\u2028c\"",
    "homepage: javascript:alert(1)",
    "homepage: www.example.org",
    "source: \"java\\tscript:alert(1)\"",
    "evidence: \"data:text/html,<script>alert(1)</script>\"",
    "status_page: \"vbscript:msgbox(1)\"",
    "tags: [\"\\u0000\", \"\", \"a/../b\", \"..\", \"/\", \"<b>\"]",
    "$BTC $ETH #moon #gains 🚀🚀🚀 to the moon, guaranteed 100x returns, not financial advice",
    "draft: true",
];

/// Lines for the configuration.
const TOML: [&str; 16] = [
    "title = \"\\u0000\"",
    "title = \"a\\u0007b\\nc\"",
    "description = \"one\\n## two\\n[x](https://evil.example)\"",
    "language = \"\\u001b[31m\"",
    "base_url = \"javascript:alert(1)\"",
    "base_url = \"www.example.org\"",
    "base_url = \"https://x.example/\\u0000/\"",
    "paginate = 0",
    "paginate = 9223372036854775807",
    "feed_limit = 100000",
    "min_reviews = -1",
    "[[axes]]\nkey = \"cost\"\nlabel = \"Again\"\nask = \"?\"",
    "[scale]\nmin = 10\nmax = 0",
    "[[verdicts]]\nkey = \"\"\nlabel = \"\\u0000\"\ndescription = \"\"",
    "x = \"\"\"",
    "[a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p]",
];

/// A hostile line for the file at `file` (its label and its bytes).
/// Generated texts are at most `max_size` bytes long.
pub fn hostile(rng: &mut Rng, file: &Path, max_size: usize) -> (String, Vec<u8>) {
    if file.extension().is_some_and(|e| e == "toml") && rng.chance(1, 2) {
        return match rng.below(TOML.len() + 3) {
            i if i < TOML.len() => (TOML[i].escape_debug().to_string(), TOML[i].as_bytes().to_vec()),
            i if i == TOML.len() => ("deep TOML array".into(), format!("x = {}", "[".repeat(10_000)).into_bytes()),
            i if i == TOML.len() + 1 => {
                ("a 1 MB title".into(), format!("title = \"{}\"", "a".repeat(1 << 20)).into_bytes())
            }
            _ => ("100 array tables".into(), "[[x]]\n".repeat(100).into_bytes()),
        };
    }
    let generated = 19;
    let i = rng.below(PLAIN.len() + generated);
    if let Some(line) = PLAIN.get(i) {
        return (line.escape_debug().to_string(), line.as_bytes().to_vec());
    }
    let size = |rng: &mut Rng| [100_000usize, 1 << 20, 7 << 20][rng.weighted(&[6, 3, 1])].min(max_size);
    match i - PLAIN.len() {
        0 => ("YAML alias bomb".into(), yaml_bomb().into_bytes()),
        1 => ("10,000 `[`".into(), "[".repeat(10_000).into_bytes()),
        2 => ("10,000 `{`".into(), "{".repeat(10_000).into_bytes()),
        3 => ("10,000-deep `>` nest".into(), format!("{} x", ">".repeat(10_000)).into_bytes()),
        4 => ("10,000-deep `-` nest".into(), format!("{}x", "- ".repeat(10_000)).into_bytes()),
        5 => ("5,000-deep `1.` nest".into(), format!("{}x", "1. ".repeat(5_000)).into_bytes()),
        6 => {
            let n = [1_000usize, 5_000, 20_000][rng.weighted(&[4, 2, 1])].min(max_size / 9);
            (format!("{n} identical headings"), "## Same\n\n".repeat(n).into_bytes())
        }
        7 => {
            let size = size(rng);
            let line = "let x = compute(\"value\", 42) + other::call(&mut y); // comment\n";
            let body = line.repeat(size / line.len());
            (format!("a {size}-byte fenced block"), format!("```rust\n{body}```").into_bytes())
        }
        8 => ("10,000 `*`".into(), "*a ".repeat(5_000).into_bytes()),
        9 => ("5,000 open links".into(), "[a](".repeat(5_000).into_bytes()),
        10 => {
            let head = format!("|{}", "a|".repeat(1_000));
            let rule = format!("|{}", "-|".repeat(1_000));
            ("a 1,000-column table".into(), format!("{head}\n{rule}\n{head}").into_bytes())
        }
        11 => {
            let mut refs = String::new();
            for i in 0..5_000 {
                let _ = writeln!(refs, "[r{i}]: /x{i}/\n[a][r{i}]");
            }
            ("5,000 link references".into(), refs.into_bytes())
        }
        12 => {
            let n = [1_000usize, 10_000, 40_000][rng.weighted(&[4, 2, 1])].min(max_size / 20);
            let mut links = String::new();
            for i in 0..n {
                let _ = writeln!(links, "[b](/missing-{i}/)");
            }
            (format!("{n} broken links"), links.into_bytes())
        }
        13 => ("5,000 combining marks".into(), format!("a{}", "\u{301}".repeat(5_000)).into_bytes()),
        14 => ("1,000 emoji".into(), "🚀".repeat(1_000).into_bytes()),
        15 => ("a 200,000-letter word".into(), "a".repeat(200_000).into_bytes()),
        16 => ("1,000 open `<div>`".into(), "<div>".repeat(1_000).into_bytes()),
        17 => {
            let size = size(rng);
            (format!("{size} bytes of short lines"), "a b\n".repeat(size / 4).into_bytes())
        }
        _ => ("1,000 tabs".into(), format!("{}x", "\t".repeat(1_000)).into_bytes()),
    }
}

/// The "billion laughs": nine levels of nine aliases each (387 million leaves if expanded).
fn yaml_bomb() -> String {
    let mut text =
        String::from("lol0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for level in 1..9 {
        let prev = format!("*l{}", level - 1);
        let items = [prev.as_str(); 9].join(", ");
        let _ = writeln!(text, "lol{level}: &l{level} [{items}]");
    }
    text
}
