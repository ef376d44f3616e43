//! Text into search terms: Unicode words (UAX #29), case and accent folding, stop words and
//! stemming for the site's language. The browser repeats the folding (`toLowerCase`, NFKD
//! without marks) and looks the folded word up in the shipped vocabulary for its stem, since
//! it cannot stem itself.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// English words too common to rank or to be worth their postings: they are left out of the
/// index, and queries skip them.
const ENGLISH_STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being",
    "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i",
    "if", "in", "into", "is", "it", "it's", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not",
    "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she",
    "should", "so", "some", "such", "than", "that", "that's", "the", "their", "theirs", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were",
    "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
];

/// Folds and stems words for one language.
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    stopwords: &'static [&'static str],
}

impl Analyzer {
    /// The analyzer for a BCP 47 language tag (`en`, `de-AT`): its Snowball stemmer, and
    /// stop words for English. An unknown language is folded but not stemmed.
    pub fn new(language: &str) -> Self {
        let primary = language.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        Self {
            stemmer: algorithm(&primary).map(Stemmer::create),
            stopwords: if primary == "en" { ENGLISH_STOPWORDS } else { &[] },
        }
    }

    /// The stem of a folded word, or `None` for a stop word.
    pub fn stem(&self, folded: &str) -> Option<String> {
        if self.stopwords.binary_search(&folded).is_ok() {
            return None;
        }
        Some(match &self.stemmer {
            Some(stemmer) => stemmer.stem(folded).into_owned(),
            None => folded.to_string(),
        })
    }
}

/// The Snowball algorithm for a primary language subtag.
fn algorithm(primary: &str) -> Option<Algorithm> {
    Some(match primary {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// Calls `word` with each word of `text` (Unicode word boundaries, words with a letter or
/// digit only), folded; `scratch` holds a word while it is lowercased, so that indexing a
/// site allocates nothing per word.
///
/// ASCII whitespace always separates words, so the text is cut there first, a byte at a time;
/// a piece made of ASCII letters and digits, perhaps between brackets, quotes or final
/// punctuation, is one word as it stands, and only other pieces go through the full
/// segmentation. Most prose is the fast kind.
pub fn each_word(text: &str, scratch: &mut String, mut word: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut at = 0;
    while at < len {
        if bytes[at].is_ascii_whitespace() {
            at += 1;
            continue;
        }
        // A piece: punctuation that trimming takes away, a core of letters and digits, more
        // such punctuation, then whitespace or the end, or else a piece to segment in full.
        let start = at;
        while at < len && is_trimmed(bytes[at]) {
            at += 1;
        }
        let core_start = at;
        let mut upper = false;
        while at < len && bytes[at].is_ascii_alphanumeric() {
            upper |= bytes[at].is_ascii_uppercase();
            at += 1;
        }
        let core_end = at;
        while at < len && is_trimmed(bytes[at]) {
            at += 1;
        }
        if core_end > core_start && (at == len || bytes[at].is_ascii_whitespace()) {
            let core = &text[core_start..core_end];
            if upper {
                scratch.clear();
                scratch.push_str(core);
                scratch.make_ascii_lowercase();
                word(scratch);
            } else {
                word(core);
            }
            continue;
        }
        // ASCII whitespace never falls inside a character: the piece is whole characters.
        while at < len && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        text[start..at].unicode_words().for_each(|w| word(&fold(w)));
    }
}

/// Punctuation that may surround a plain word.
fn is_trimmed(b: u8) -> bool {
    matches!(b, b'.' | b',' | b';' | b':' | b'!' | b'?' | b'(' | b')' | b'"' | b'\'')
}

/// The words of `text`, folded, as [`each_word`] finds them.
pub fn words(text: &str) -> Vec<String> {
    let mut all = Vec::new();
    each_word(text, &mut String::new(), |w| all.push(w.to_string()));
    all
}

/// Lowercase without accents: `Déjà` → `deja`. Compatibility decomposition (NFKD) with every
/// combining mark dropped and the typographic apostrophe made plain (`can’t` → `can't`, as
/// smart punctuation writes it), then lowercased; plain lowercase ASCII is returned as is.
pub fn fold(word: &str) -> Cow<'_, str> {
    if word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return Cow::Borrowed(word);
    }
    if word.is_ascii() {
        return Cow::Owned(word.to_ascii_lowercase());
    }
    let stripped: String =
        word.nfkd().filter(|c| !is_combining_mark(*c)).map(|c| if c == '\u{2019}' { '\'' } else { c }).collect();
    Cow::Owned(stripped.to_lowercase())
}

/// Orders strings as JavaScript compares them (by UTF-16 code units), so that the browser's
/// binary search over chunk boundaries agrees with the order they were written in.
pub fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_unicode_boundaries_and_fold_case_and_accents() {
        assert_eq!(words("Déjà vu: the NAÏVE café, l'été!"), ["deja", "vu", "the", "naive", "cafe", "l'ete"]);
        assert_eq!(
            words("Version 2.5 costs $1,000 — can't stop"),
            ["version", "2.5", "costs", "1,000", "can't", "stop"]
        );
        assert_eq!(words("ﬁnance Ⅻ"), ["finance", "xii"], "compatibility forms decompose");
        assert_eq!(words("🚀 -- ... "), Vec::<String>::new(), "no word without a letter or digit");
        assert_eq!(words("Straße"), ["straße"], "lowercase, not case-folded further");
        assert_eq!(words("(Can’t) \"stop\": e.g. _x"), ["can't", "stop", "e.g", "_x"]);
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees_with_full_segmentation(text in "[aZ09 .,;:'!?()\"_\\-\n\t\r/é’]{0,40}") {
            let full: Vec<String> = text.unicode_words().map(|w| fold(w).into_owned()).collect();
            proptest::prop_assert_eq!(words(&text), full);
        }
    }

    #[test]
    fn folding_leaves_plain_words_borrowed() {
        assert!(matches!(fold("upgrade"), Cow::Borrowed("upgrade")));
        assert_eq!(fold("Upgrade"), "upgrade");
    }

    #[test]
    fn english_stems_and_skips_stop_words() {
        let en = Analyzer::new("en-GB");
        assert_eq!(en.stem("upgrades").as_deref(), Some("upgrad"));
        assert_eq!(en.stem("upgrading").as_deref(), Some("upgrad"));
        assert_eq!(en.stem("reliability").as_deref(), Some("reliabl"));
        assert_eq!(en.stem("the"), None);
        assert_eq!(en.stem("it's"), None);
    }

    #[test]
    fn other_languages_stem_with_their_own_rules_and_unknown_ones_do_not() {
        assert_eq!(Analyzer::new("de").stem(&fold("Häuser")).as_deref(), Some("haus"));
        assert_eq!(Analyzer::new("fr").stem("gouvernance").as_deref(), Some("gouvern"));
        assert_eq!(Analyzer::new("de").stem("die").as_deref(), Some("die"), "stop words only for English");
        assert_eq!(Analyzer::new("xx").stem("upgrades").as_deref(), Some("upgrades"));
    }

    #[test]
    fn the_stop_word_list_is_sorted_for_binary_search() {
        assert!(ENGLISH_STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn js_order_compares_utf16_code_units() {
        // U+FF41 (fullwidth a) sorts after U+1F600 in UTF-8 but before it in UTF-16.
        assert_eq!("\u{ff41}".cmp("\u{1f600}"), std::cmp::Ordering::Less);
        assert_eq!(js_order("\u{ff41}", "\u{1f600}"), std::cmp::Ordering::Greater);
        assert_eq!(js_order("ab", "abc"), std::cmp::Ordering::Less);
    }
}
