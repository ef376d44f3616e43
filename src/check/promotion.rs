//! Promotion: text that reads as price promotion rather than critique — ticker read-outs
//! (`$SEI USDT`, `Price: 0.05747 USDT`, `24H Change: +9.38%`), hype phrases ("next
//! breakout", "momentum is building"), and files dense with cashtags, hashtags or emoji. A
//! critique that names a token once (`$OPG`) is not promotion, and neither is a critic quoting
//! hype to question it: in a `>` blockquote, or in quotation marks on a line that says who
//! said it ("the team calls it “the next breakout”"). Ticker read-outs count wherever they are.

use rayon::prelude::*;
use regex::{Regex, RegexBuilder};

use super::listed::Listed;
use crate::config::CheckConfig;
use crate::diagnostic::{Diagnostic, Placer};

use super::Document;

/// Phrases of price promotion, matched whole-word and case-insensitively.
pub const PHRASES: &[&str] = &[
    "next breakout",
    "watch for the breakout",
    "to the moon",
    "momentum is building",
    "momentum is improving",
    "buyers remain active",
    "buyers stay active",
    "steady buying interest",
    "bullish move",
    "continues its bullish",
    "top performers",
    "trading in the green",
    "keep this pair on your watchlist",
    "on your watchlist",
    "not financial advice",
    "manage your risk",
    "don't miss out",
    "get in early",
    "100x gem",
    "price target",
    "pump incoming",
];

/// White space within a line (not folded for case: folding the class of everything but white
/// space would make compiling the patterns cost more than using them).
const SPACE: &str = r"(?-i:[^\S\n])";

/// The promotion rules' patterns, compiled once for many files.
pub struct Patterns {
    ticker: Regex,
    readout: Regex,
    phrase: Regex,
    cashtag: Regex,
    hashtag: Regex,
}

impl Patterns {
    fn new(extra: &[String]) -> Result<Self, regex::Error> {
        let phrases: Vec<String> = PHRASES
            .iter()
            .map(|p| (*p).to_string())
            .chain(extra.iter().cloned())
            .filter(|p| !p.trim().is_empty())
            .map(|p| regex::escape(p.trim()).replace(' ', &format!("{SPACE}+")).replace('\'', "['’]"))
            .collect();
        // Patterns run over a whole file, line by line as it were: `^` is a line's start and
        // spaces do not reach over a line's end.
        let build = |pattern: &str| {
            RegexBuilder::new(&pattern.replace(r"\s", SPACE)).case_insensitive(true).multi_line(true).build()
        };
        Ok(Self {
            ticker: build(r"\$[a-z][a-z0-9]{1,9}\s*/?\s*(usdt|usdc|busd|usd|btc|eth)\b")?,
            // A read-out names a price, a 24-hour change or a traded volume, with a currency or
            // a signed percentage: "Uptime over 24h: 99.9%" or "volume: 1.2k a day" is not one.
            readout: build(concat!(
                r"\b(price\s*:\s*\$?\d[\d.,]*\s*[kmb]?\s*(usdt|usdc|usd|btc|eth)\b",
                r"|price\s*:\s*\$\d[\d.,]*",
                r"|24\s*h\s*change\s*:\s*[+\-]\d[\d.,]*\s*%",
                r"|(volume|vol)\s*:\s*\$?\d[\d.,]*\s*[kmb]?\s*(usdt|usdc|usd|btc|eth)\b)",
            ))?,
            phrase: build(&format!(r"\b({})\b", phrases.join("|")))?,
            cashtag: RegexBuilder::new(r"(^|[^\w$])\$[A-Z][A-Z0-9]{1,9}\b").multi_line(true).build()?,
            hashtag: RegexBuilder::new(&format!(r"(^|{SPACE})#[A-Za-z][A-Za-z0-9_]+")).multi_line(true).build()?,
        })
    }
}

/// Emoji and pictographs; the ticks, crosses, ballot boxes and stars of comparison tables
/// and ratings are excepted.
fn is_emoji(c: char) -> bool {
    let table_marks =
        matches!(c as u32, 0x2605 | 0x2606 | 0x2610..=0x2612 | 0x2705 | 0x2713..=0x2718 | 0x274C | 0x274E);
    !table_marks && matches!(c as u32, 0x1F300..=0x1FAFF | 0x1F000..=0x1F2FF | 0x2600..=0x27BF | 0x2B00..=0x2BFF)
}

/// `text` with what is code blanked (fenced blocks, their fences, and inline code spans; each
/// character by as many spaces as its bytes, so that offsets and columns stay right) and
/// carriage returns as spaces: `$HOME` in backticks is code, not a cashtag. Works on bytes:
/// what is blanked starts and ends at ASCII bytes (line ends, backticks), so whole characters
/// are, and most lines hold neither a backtick nor a carriage return and are left as they are.
pub(super) fn without_code(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let mut in_block = false;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let bytes = &mut out[start..start + line.len()];
        start += line.len();
        let fence = line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~");
        in_block ^= fence;
        if fence || in_block {
            bytes.iter_mut().filter(|b| **b != b'\n').for_each(|b| *b = b' ');
            continue;
        }
        if memchr::memchr2(b'`', b'\r', line.as_bytes()).is_none() {
            continue;
        }
        let mut in_span = false;
        for b in bytes.iter_mut() {
            match *b {
                b'`' => {
                    in_span = !in_span;
                    *b = b' ';
                }
                b'\r' => *b = b' ',
                b'\n' => {}
                _ if in_span => *b = b' ',
                _ => {}
            }
        }
    }
    // Always UTF-8 (see above); the lossy fallback only keeps this free of a panic.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Words that say a quotation on their line is someone else's words.
const ATTRIBUTIONS: &[&str] = &[
    "says",
    "said",
    "say",
    "claims",
    "claimed",
    "calls",
    "called",
    "writes",
    "wrote",
    "promises",
    "promised",
    "touts",
    "touted",
    "announces",
    "announced",
    "posted",
    "tweeted",
    "boasts",
    "markets",
    "pitches",
    "according",
    "describes",
    "described",
    "told",
];

/// The byte ranges of `text` that quote someone: `>` blockquote lines, and quotations (“…”,
/// "…") on a line that names who said them with one of [`ATTRIBUTIONS`].
fn quotations(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let range = start..start + line.len();
        start += line.len();
        if line.trim_start().starts_with('>') {
            found.push(range);
            continue;
        }
        if memchr::memchr(b'"', line.as_bytes()).is_none() && !line.contains('“') {
            continue;
        }
        let lower = line.to_lowercase();
        let attributed = lower.split(|c: char| !c.is_alphanumeric()).any(|word| ATTRIBUTIONS.contains(&word));
        if !attributed {
            continue;
        }
        let mut open: Option<usize> = None;
        for (i, c) in line.char_indices() {
            match (c, open) {
                ('“' | '"', None) => open = Some(i),
                ('”' | '"', Some(o)) => {
                    found.push(range.start + o..range.start + i);
                    open = None;
                }
                _ => {}
            }
        }
    }
    found
}

/// The byte offsets of the emoji in `text`: every one is three or four bytes long and led by
/// `0xE2` or `0xF0`, so only characters led by those are decoded.
fn emoji_offsets(text: &str) -> Vec<usize> {
    // A lead byte starts a character, so slicing there is at a boundary.
    memchr::memchr2_iter(0xE2, 0xF0, text.as_bytes())
        .filter(|&i| text.get(i..).and_then(|t| t.chars().next()).is_some_and(is_emoji))
        .collect()
}

/// Findings of every promotion rule in every document.
pub(super) fn check(docs: &[Document<'_>], config: &CheckConfig) -> Vec<Diagnostic> {
    match check_each(docs, config) {
        Ok(per_file) => per_file.into_iter().flatten().collect(),
        Err(config_error) => vec![config_error],
    }
}

/// The findings of each document, in order; an error on the configuration when its extra
/// phrases cannot be matched.
fn check_each(docs: &[Document<'_>], config: &CheckConfig) -> Result<Vec<Vec<Diagnostic>>, Diagnostic> {
    let patterns = patterns(config)?;
    // Documents are independent: checked in parallel, collected in document order.
    Ok(docs.par_iter().map(|doc| check_document(doc, &patterns, config)).collect())
}

/// The phrases to look for; an error on the configuration when its extra phrases cannot be
/// matched.
pub(super) fn patterns(config: &CheckConfig) -> Result<Patterns, Diagnostic> {
    Patterns::new(&config.promotion_phrases).map_err(|e| {
        let message = format!("check.promotion_phrases cannot be matched: {e}: expected fewer or shorter phrases");
        Diagnostic::file(crate::config::CONFIG_FILE, message)
    })
}

/// Findings of every promotion rule in one document. Each pattern runs once over the whole
/// file (with its code blanked); a match is placed on its line afterwards.
pub(super) fn check_document(doc: &Document<'_>, patterns: &Patterns, config: &CheckConfig) -> Vec<Diagnostic> {
    let path = &doc.source.path;
    // A project's reply is its own words, published as of right: it is not held to the rules
    // of a critique (the page says whose words they are).
    if path.starts_with("content/responses") {
        return Vec::new();
    }
    let text = without_code(&doc.source.text);
    // Lines and columns of findings, placed only in a file that has some (most have none);
    // each rule's matches come in order, so a long line's characters are counted once a rule.
    let mut placer: Option<Placer<'_>> = None;
    let mut place = |offset: usize| placer.get_or_insert_with(|| Placer::new(&text)).place(offset);
    // Findings of a line come in the order of the rules, then of their place in the line.
    let mut placed: Vec<(usize, u8, usize, Diagnostic)> = Vec::new();
    // Per reported rule (`promotion-ticker`, `promotion-phrase`): a flood is counted, not built.
    // Ticker symbols and price read-outs are one rule: their matches are taken in the order of
    // the text, so that the first listed are the first in the file.
    let mut listed = [Listed::default(); 2];
    let mut consider = |m: regex::Match<'_>, phrase: bool| {
        let reported = usize::from(phrase);
        if !listed[reported].admit(|| place(m.start()).0) {
            return;
        }
        let (line, column) = place(m.start());
        let diagnostic = if phrase {
            Diagnostic::at(path, line, column, format!("\"{}\" reads as price promotion, not critique", m.as_str()))
                .with_rule("promotion-phrase")
                .with_hint(
                    "say what would make it true instead; quoting the project to question it, put the \
                     quote in a `>` blockquote or in quotation marks saying who said it, or put \
                     `<!-- critique-ignore-next: promotion-phrase -->` above the paragraph",
                )
        } else {
            Diagnostic::at(path, line, column, format!("`{}` is a price read-out, not critique", m.as_str().trim()))
                .with_rule("promotion-ticker")
                .with_hint(
                    "say what the price means for the project's claims, or leave it out (`<!-- \
                     critique-ignore: promotion-ticker -->` in the file if it must stay)",
                )
        };
        placed.push((line, u8::from(phrase), m.start(), diagnostic));
    };
    let mut tickers = patterns.ticker.find_iter(&text).peekable();
    let mut readouts = patterns.readout.find_iter(&text).peekable();
    while let Some(m) = match (tickers.peek(), readouts.peek()) {
        (Some(t), Some(r)) if r.start() < t.start() => readouts.next(),
        (Some(_), _) => tickers.next(),
        (None, _) => readouts.next(),
    } {
        consider(m, false);
    }
    let quoted = quotations(&text);
    for m in patterns.phrase.find_iter(&text) {
        // Quotations come in the order of the text and do not overlap.
        let before = quoted.partition_point(|q| q.start <= m.start());
        if !(before > 0 && quoted[before - 1].contains(&m.start())) {
            consider(m, true);
        }
    }
    placed.sort_by_key(|(line, rule, start, _)| (*line, *rule, *start));
    let mut found: Vec<Diagnostic> = placed.into_iter().map(|(.., d)| d).collect();
    found.extend(listed[0].left_out(path, "promotion-ticker"));
    found.extend(listed[1].left_out(path, "promotion-phrase"));
    // A tag's match may begin with the end of the line before: its place is its `$` or `#`.
    let at = |m: regex::Match<'_>, mark: char| m.start() + m.as_str().find(mark).unwrap_or(0);
    let cashtags: Vec<usize> = patterns.cashtag.find_iter(&text).map(|m| at(m, '$')).collect();
    let hashtags: Vec<usize> = patterns.hashtag.find_iter(&text).map(|m| at(m, '#')).collect();
    let emoji = emoji_offsets(&text);
    let over: Vec<String> = [
        (cashtags.len(), config.max_cashtags, "cashtags ($SYM)"),
        (hashtags.len(), config.max_hashtags, "hashtags"),
        (emoji.len(), config.max_emoji, "emoji"),
    ]
    .iter()
    .filter(|(n, max, _)| n > max)
    .map(|(n, max, what)| format!("{n} {what} (at most {max})"))
    .collect();
    if !over.is_empty() {
        // The first line holding any of them.
        let first = cashtags.iter().chain(&hashtags).chain(&emoji).min().map_or(0, |&at| place(at).0);
        found.push(
            Diagnostic::at(path, first, 0, format!("reads as promotion: {}", over.join(", ")))
                .with_rule("promotion-density")
                .with_hint(
                    "write the symbols and tags out in prose, or raise `check.max_cashtags`, \
                     `max_hashtags` or `max_emoji` for the whole site",
                ),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticker_lines_and_hype_are_caught() {
        let p = Patterns::new(&[]).expect("patterns");
        let seed = "📈 $IN USDT continues its bullish move! 💰 Price: 0.08883 USDT 📈 24H Change: +8.69% 📊 Volume: 7.07M USDT Momentum is building as buyers remain active. Watch for the next breakout. #INU #Crypto";
        assert_eq!(p.ticker.find_iter(seed).count(), 1);
        assert_eq!(p.readout.find_iter(seed).count(), 3);
        let phrases: Vec<&str> = p.phrase.find_iter(seed).map(|m| m.as_str()).collect();
        assert_eq!(phrases, ["continues its bullish", "Momentum is building", "buyers remain active", "next breakout"]);
        assert_eq!(p.hashtag.find_iter(seed).count(), 2);
        assert_eq!(emoji_offsets(seed).len(), 4);
        assert_eq!(emoji_offsets("x📈 ✅ ☀"), [1, 10]);
    }

    #[test]
    fn quoted_hype_is_the_project_s_words() {
        let text = "> Momentum is building!\nThe team calls it \"the next breakout\" and I doubt it.\nA \"next breakout\" with nobody named.\nThey said it goes to the moon.\n";
        let p = Patterns::new(&[]).expect("patterns");
        let quoted = quotations(text);
        let left: Vec<&str> = p
            .phrase
            .find_iter(text)
            .filter(|m| !quoted.iter().any(|q| q.contains(&m.start())))
            .map(|m| m.as_str())
            .collect();
        assert_eq!(left, ["next breakout", "to the moon"], "unattributed quotes and plain text still count");
    }

    #[test]
    fn a_critique_naming_a_token_is_not_promotion() {
        let p = Patterns::new(&[]).expect("patterns");
        let critique = "Holding $OPG gives governance rights. The price of verification matters: see [cost](#cost-per-call). It was 40% cheaper — ✓.";
        assert_eq!(p.ticker.find_iter(critique).count(), 0);
        assert_eq!(p.readout.find_iter(critique).count(), 0);
        assert_eq!(p.phrase.find_iter(critique).count(), 0);
        assert_eq!(p.cashtag.find_iter(critique).count(), 1);
        assert_eq!(p.hashtag.find_iter(critique).count(), 0);
        assert_eq!(emoji_offsets(critique), Vec::<usize>::new());
    }

    #[test]
    fn honest_numbers_tables_and_code_are_not_promotion() {
        let p = Patterns::new(&[]).expect("patterns");
        for text in ["Uptime over the last 24h: 99.9%", "Request volume: 1.2k per day", "Price: see the table below"] {
            assert_eq!(p.readout.find_iter(text).count(), 0, "{text}");
        }
        let table = "| Feature | A | B |\n| x | ✅ | ❌ |\nRating ★★★☆☆";
        assert_eq!(emoji_offsets(table), Vec::<usize>::new());
        let code = without_code("Set `$HOME` and `$PATH`, then $OPG.");
        assert_eq!(p.cashtag.find_iter(&code).count(), 1);
        assert_eq!(code.len(), "Set `$HOME` and `$PATH`, then $OPG.".len());
        let mixed = "a `é$X` b\r\n```\ncode ü\n```\nafter `✅ 📈\n~~~ ü\n";
        let blanked = "a        b \n   \n       \n   \nafter          \n      \n";
        assert_eq!(without_code(mixed), blanked);
    }

    #[test]
    fn a_flood_lists_the_first_hundred_in_the_order_of_the_text() {
        // Read-outs and tickers are one rule, found by two patterns: the hundred listed are the
        // first hundred lines, and the count of the rest starts at line 101.
        let text: String = (0..60).map(|_| "Price: 0.05 USDT\n$SEI USDT\n").collect();
        let source = crate::check::tests::located(&text);
        let links = std::sync::Arc::new(super::super::PageLinks::new(String::new(), Vec::new()));
        let doc = Document { source: &source, links };
        let found = check_document(&doc, &Patterns::new(&[]).expect("patterns"), &CheckConfig::default());
        let listed =
            |d: &&Diagnostic| d.rule.as_deref() == Some("promotion-ticker") && !d.message.contains("more like");
        let lines: Vec<usize> = found.iter().filter(listed).map(|d| d.line).collect();
        assert_eq!(lines, (1..=100).collect::<Vec<_>>());
        let more = found.iter().find(|d| d.message.contains("more like these")).expect("the rest counted");
        assert_eq!((more.line, more.message.starts_with("20 more")), (101, true), "{more}");
    }

    #[test]
    fn findings_are_placed_on_their_lines_and_code_is_skipped() {
        let text = "Intro.\r\nThe next breakout, see `$TOKEN usdt`.\n```\n$SEI USDT next breakout\n```\nnext\nbreakout $SEI USDT\n";
        let source = crate::check::tests::located(text);
        let links = std::sync::Arc::new(super::super::PageLinks::new(String::new(), Vec::new()));
        let doc = Document { source: &source, links };
        let p = Patterns::new(&[]).expect("patterns");
        let found = check_document(&doc, &p, &CheckConfig::default());
        let at: Vec<(usize, usize, Option<&str>)> = found.iter().map(|d| (d.line, d.col, d.rule.as_deref())).collect();
        assert_eq!(at, [(2, 5, Some("promotion-phrase")), (7, 10, Some("promotion-ticker"))], "{found:?}");
    }

    #[test]
    fn extra_phrases_from_the_config_count() {
        let p = Patterns::new(&["wen lambo".to_string()]).expect("patterns");
        assert_eq!(p.phrase.find_iter("so, WEN   lambo?").count(), 1);
    }
}
