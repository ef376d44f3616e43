//! Promotion: text that reads as price promotion rather than critique — ticker read-outs
//! (`$SEI USDT`, `Price: 0.05747 USDT`, `24H Change: +9.38%`), hype phrases ("next
//! breakout", "momentum is building"), and files dense with cashtags, hashtags or emoji. A
//! critique that names a token once (`$OPG`) is not promotion.

use rayon::prelude::*;
use regex::{Regex, RegexBuilder};

use crate::config::CheckConfig;
use crate::diagnostic::Diagnostic;

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

pub(super) struct Patterns {
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
            .map(|p| regex::escape(p.trim()).replace(' ', r"\s+").replace('\'', "['’]"))
            .collect();
        let build = |pattern: &str| RegexBuilder::new(pattern).case_insensitive(true).build();
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
            cashtag: Regex::new(r"(^|[^\w$])\$[A-Z][A-Z0-9]{1,9}\b")?,
            hashtag: Regex::new(r"(^|\s)#[A-Za-z][A-Za-z0-9_]+")?,
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

/// The line with inline code spans blanked (same length, so columns stay right): `$HOME` in
/// backticks is code, not a cashtag.
fn without_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(' ');
        } else if in_code {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
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

/// Findings of every promotion rule in one document.
pub(super) fn check_document(doc: &Document<'_>, patterns: &Patterns, config: &CheckConfig) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let path = &doc.source.path;
    let (mut cashtags, mut hashtags, mut emoji) = (0, 0, 0);
    let mut first_dense_line = 0;
    let mut in_code = false;
    for (i, line) in doc.source.text.lines().enumerate() {
        let number = i + 1;
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let line = &without_code_spans(line);
        for m in patterns.ticker.find_iter(line).chain(patterns.readout.find_iter(line)) {
            found.push(
                Diagnostic::at(
                    path,
                    number,
                    col(line, m.start()),
                    format!("`{}` is a price read-out, not critique", m.as_str().trim()),
                )
                .with_rule("promotion-ticker")
                .with_hint("say what the price means for the project's claims, or leave it out"),
            );
        }
        for m in patterns.phrase.find_iter(line) {
            found.push(
                Diagnostic::at(
                    path,
                    number,
                    col(line, m.start()),
                    format!("\"{}\" reads as price promotion, not critique", m.as_str()),
                )
                .with_rule("promotion-phrase"),
            );
        }
        let before = cashtags + hashtags + emoji;
        cashtags += patterns.cashtag.find_iter(line).count();
        hashtags += patterns.hashtag.find_iter(line).count();
        emoji += line.chars().filter(|c| is_emoji(*c)).count();
        if first_dense_line == 0 && cashtags + hashtags + emoji > before {
            first_dense_line = number;
        }
    }
    let over: Vec<String> = [
        (cashtags, config.max_cashtags, "cashtags ($SYM)"),
        (hashtags, config.max_hashtags, "hashtags"),
        (emoji, config.max_emoji, "emoji"),
    ]
    .iter()
    .filter(|(n, max, _)| n > max)
    .map(|(n, max, what)| format!("{n} {what} (at most {max})"))
    .collect();
    if !over.is_empty() {
        found.push(
            Diagnostic::at(path, first_dense_line, 0, format!("reads as promotion: {}", over.join(", ")))
                .with_rule("promotion-density"),
        );
    }
    found
}

/// 1-based column in characters of a byte offset in a line.
fn col(line: &str, offset: usize) -> usize {
    line[..offset].chars().count() + 1
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
        assert_eq!(seed.chars().filter(|c| is_emoji(*c)).count(), 4);
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
        assert_eq!(critique.chars().filter(|c| is_emoji(*c)).count(), 0);
    }

    #[test]
    fn honest_numbers_tables_and_code_are_not_promotion() {
        let p = Patterns::new(&[]).expect("patterns");
        for text in ["Uptime over the last 24h: 99.9%", "Request volume: 1.2k per day", "Price: see the table below"] {
            assert_eq!(p.readout.find_iter(text).count(), 0, "{text}");
        }
        let table = "| Feature | A | B |\n| x | ✅ | ❌ |\nRating ★★★☆☆";
        assert_eq!(table.chars().filter(|c| is_emoji(*c)).count(), 0);
        let code = without_code_spans("Set `$HOME` and `$PATH`, then $OPG.");
        assert_eq!(p.cashtag.find_iter(&code).count(), 1);
        assert_eq!(code.len(), "Set `$HOME` and `$PATH`, then $OPG.".len());
    }

    #[test]
    fn extra_phrases_from_the_config_count() {
        let p = Patterns::new(&["wen lambo".to_string()]).expect("patterns");
        assert_eq!(p.phrase.find_iter("so, WEN   lambo?").count(), 1);
    }
}
