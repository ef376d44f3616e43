//! A card as SVG: what it shows laid out on 1200×630 in the theme's light colours, lines
//! broken by the shipped font's widths (SVG text does not wrap), the scores as the site's
//! strip chart (every reviewer a dot, the median a bar).

use std::fmt::Write;

use crate::markdown::html_escape;

use super::fonts::{FAMILY, width};

/// The card's size in pixels: what OpenGraph and Twitter's large cards show uncropped.
pub const WIDTH: u32 = 1200;
/// See [`WIDTH`].
pub const HEIGHT: u32 = 630;

const MARGIN: f32 = 72.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;
const BACKGROUND: &str = "#fdfdfc";
const INK: &str = "#1d1f21";
const MUTED: &str = "#5b6166";
const ACCENT: &str = "#0b5cad";
const ACCENT_BG: &str = "#e8f0fa";
const TRACK: &str = "#d9dcdf";
const WARNING: &str = "#9b1c31";
const WARNING_BG: &str = "#fde6ea";

/// What a card shows: everything that goes into its picture, and nothing else.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The site's name, at the top.
    pub site: String,
    /// `Review` or `Project`, at the top right.
    pub kind: String,
    /// The headline.
    pub title: String,
    /// Under the headline: a review's project and authors, a project's summary.
    pub subtitle: String,
    /// A pill: a review's verdict, a project's overall score.
    pub badge: Option<String>,
    /// A warning pill: retracted, under review.
    pub warning: Option<String>,
    /// The scale's ends.
    pub scale: (f64, f64),
    /// One strip per axis.
    pub strips: Vec<CardStrip>,
}

/// One axis of a card's strip chart.
#[derive(Debug, Clone, PartialEq)]
pub struct CardStrip {
    /// The axis label.
    pub label: String,
    /// Every score given on it.
    pub dots: Vec<f64>,
    /// The median, when there are enough reviews for one.
    pub median: Option<f64>,
}

/// The most characters of a field a card sets: more than any line holds, few enough that
/// characters of no width (combining marks, zero-width spaces) cannot make laying it out or
/// drawing it slow.
const FIELD_CHARS: usize = 300;

/// `text` cut to [`FIELD_CHARS`] characters, with `…` when cut.
fn capped(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(FIELD_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

/// `text` broken into at most `max_lines` lines of at most `max_width` pixels at `size`, at
/// spaces (inside a word too long for a line, between characters), the last line ending
/// with `…` when text was left out (which the second value says).
fn wrap(text: &str, size: f32, bold: bool, max_width: f32, max_lines: usize) -> (Vec<String>, bool) {
    let text = capped(text);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut cut = false;
    'words: for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if width(&candidate, size, bold) <= max_width {
            line = candidate;
            continue;
        }
        // The word starts a line of its own, broken between characters if it is too long.
        let mut rest = word;
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        loop {
            if lines.len() == max_lines {
                cut = true;
                break 'words;
            }
            if width(rest, size, bold) <= max_width {
                line = rest.to_string();
                break;
            }
            let mut end = 0;
            for (i, c) in rest.char_indices() {
                if width(&rest[..i + c.len_utf8()], size, bold) > max_width {
                    break;
                }
                end = i + c.len_utf8();
            }
            // At least one character a line, however narrow the line.
            let end = if end == 0 { rest.chars().next().map_or(rest.len(), char::len_utf8) } else { end };
            lines.push(rest[..end].to_string());
            rest = &rest[end..];
            if rest.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() {
        if lines.len() == max_lines {
            cut = true;
        } else {
            lines.push(line);
        }
    }
    if cut && let Some(last) = lines.last_mut() {
        while !last.is_empty() && width(&format!("{last}…"), size, bold) > max_width {
            last.pop();
        }
        let kept = last.trim_end().len();
        last.truncate(kept);
        last.push('…');
    }
    (lines, cut)
}

/// The first line of `text` that fits, with `…` when cut.
fn one_line(text: &str, size: f32, bold: bool, max_width: f32) -> String {
    wrap(text, size, bold, max_width, 1).0.pop().unwrap_or_default()
}

/// How a run of text is set.
#[derive(Clone, Copy)]
struct Style<'a> {
    size: f32,
    bold: bool,
    fill: &'a str,
    /// `start` or `end`.
    anchor: &'a str,
}

fn text(svg: &mut String, x: f32, y: f32, style: Style<'_>, content: &str) {
    let Style { size, bold, fill, anchor } = style;
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let _ = write!(
        svg,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\"{weight} fill=\"{fill}\" text-anchor=\"{anchor}\">{}</text>",
        html_escape(content)
    );
}

/// A pill at (`x`, `y` its top) holding `label`; returns its right edge.
fn pill(svg: &mut String, x: f32, y: f32, label: &str, fill: &str, background: &str) -> f32 {
    let size = 28.0;
    let label = one_line(label, size, true, TEXT_WIDTH / 2.0);
    let w = width(&label, size, true) + 44.0;
    let _ = write!(
        svg,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"48\" rx=\"24\" fill=\"{background}\" stroke=\"{fill}\" stroke-width=\"2\"/>"
    );
    text(svg, x + 22.0, y + 34.0, Style { size, bold: true, fill, anchor: "start" }, &label);
    x + w
}

impl Card {
    /// The card as an SVG document.
    pub fn svg(&self) -> String {
        let mut svg = String::with_capacity(4096);
        let _ = write!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"{FAMILY}\">\
             <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{BACKGROUND}\"/><rect width=\"16\" height=\"{HEIGHT}\" fill=\"{ACCENT}\"/>"
        );
        let site = one_line(&self.site, 30.0, true, TEXT_WIDTH - 200.0);
        text(&mut svg, MARGIN, 92.0, Style { size: 30.0, bold: true, fill: ACCENT, anchor: "start" }, &site);
        text(
            &mut svg,
            WIDTH as f32 - MARGIN,
            92.0,
            Style { size: 24.0, bold: false, fill: MUTED, anchor: "end" },
            &self.kind.to_uppercase(),
        );
        // The headline as large as fits in two lines, else smaller in three.
        let (size, lines) = [(64.0, 2), (54.0, 3)]
            .iter()
            .map(|&(size, max)| (size, wrap(&self.title, size, true, TEXT_WIDTH, max)))
            .find(|(_, (_, cut))| !cut)
            .map_or_else(|| (46.0, wrap(&self.title, 46.0, true, TEXT_WIDTH, 3).0), |(size, (lines, _))| (size, lines));
        let mut y = 130.0;
        for line in &lines {
            y += size * 1.15;
            text(&mut svg, MARGIN, y, Style { size, bold: true, fill: INK, anchor: "start" }, line);
        }
        y += 14.0;
        for line in wrap(&self.subtitle, 30.0, false, TEXT_WIDTH, 2).0 {
            y += 38.0;
            text(&mut svg, MARGIN, y, Style { size: 30.0, bold: false, fill: MUTED, anchor: "start" }, &line);
        }
        y += 24.0;
        let mut x = MARGIN;
        if let Some(badge) = &self.badge {
            x = pill(&mut svg, x, y, badge, ACCENT, ACCENT_BG) + 16.0;
        }
        if let Some(warning) = &self.warning {
            pill(&mut svg, x, y, warning, WARNING, WARNING_BG);
        }
        self.draw_strips(&mut svg, (y + 72.0).max(HEIGHT as f32 - 200.0));
        svg.push_str("</svg>");
        svg
    }

    /// The strip chart in two columns from `top` down to the bottom margin.
    fn draw_strips(&self, svg: &mut String, top: f32) {
        if self.strips.is_empty() {
            return;
        }
        let rows = self.strips.len().div_ceil(2);
        let row = ((HEIGHT as f32 - 40.0 - top) / rows as f32).min(56.0);
        if row < 14.0 {
            return;
        }
        let column = TEXT_WIDTH / 2.0;
        let (min, max) = self.scale;
        let span = if max > min { max - min } else { 1.0 };
        let label_size = (row * 0.45).min(24.0);
        for (i, strip) in self.strips.iter().enumerate() {
            let x = MARGIN + column * (i % 2) as f32;
            let y = top + row * (i / 2) as f32 + row / 2.0;
            let label = one_line(&strip.label, label_size, false, 204.0);
            text(
                svg,
                x,
                y + label_size * 0.35,
                Style { size: label_size, bold: false, fill: MUTED, anchor: "start" },
                &label,
            );
            let (start, end) = (x + 220.0, x + column - 36.0);
            let _ = write!(
                svg,
                "<line x1=\"{start:.1}\" y1=\"{y:.1}\" x2=\"{end:.1}\" y2=\"{y:.1}\" stroke=\"{TRACK}\" stroke-width=\"4\" stroke-linecap=\"round\"/>"
            );
            let at = |value: f64| start + ((value - min) / span).clamp(0.0, 1.0) as f32 * (end - start);
            let radius = (row * 0.2).min(10.0);
            for value in &strip.dots {
                let _ = write!(
                    svg,
                    "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"{radius:.1}\" fill=\"{ACCENT}\" fill-opacity=\"0.6\"/>",
                    at(*value)
                );
            }
            if let Some(median) = strip.median {
                let half = radius * 1.8;
                let _ = write!(
                    svg,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"5\" height=\"{:.1}\" fill=\"{INK}\"/>",
                    at(median) - 2.5,
                    y - half,
                    2.0 * half
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_at_spaces_and_inside_words_too_long_for_a_line() {
        let (lines, cut) = wrap("one two three four", 40.0, false, width("one two three", 40.0, false) + 1.0, 3);
        assert_eq!((lines, cut), (vec!["one two three".to_string(), "four".to_string()], false));
        assert_eq!(wrap("Wait for it…", 40.0, false, 1000.0, 2), (vec!["Wait for it…".to_string()], false));
        let long = "x".repeat(200);
        let (lines, cut) = wrap(&long, 40.0, false, 400.0, 2);
        assert!(cut && lines.len() == 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 40.0, false) <= 400.0), "{lines:?}");
        let (lines, _) = wrap("a b c d e f g h i j k l m n o p", 40.0, true, 120.0, 2);
        assert!(lines[1].ends_with('…') && lines.len() == 2, "{lines:?}");
        assert!(wrap("", 40.0, false, 100.0, 2).0.is_empty());
        let (unspaced, _) = wrap("汉字汉字汉字", 40.0, false, 90.0, 5);
        assert!(unspaced.len() > 1 && unspaced.iter().all(|l| width(l, 40.0, false) <= 90.0), "{unspaced:?}");
        assert_eq!(unspaced.concat(), "汉字汉字汉字", "unspaced scripts break between characters");
    }

    #[test]
    fn characters_of_no_width_are_laid_out_only_up_to_the_cap() {
        for text in ["\u{301}".repeat(30_000) + "WWWW", "x".to_string() + &"\u{200b}".repeat(300_000)] {
            let (lines, _) = wrap(&text, 54.0, true, TEXT_WIDTH, 3);
            assert!(lines.iter().map(|l| l.chars().count()).sum::<usize>() <= FIELD_CHARS + 3, "{}", lines.len());
        }
    }

    #[test]
    fn text_is_escaped() {
        let card = Card {
            site: "A & B".into(),
            kind: "Review".into(),
            title: "<script>alert(1)</script>".into(),
            subtitle: "\"quoted\"".into(),
            badge: Some("Good".into()),
            warning: None,
            scale: (0.0, 10.0),
            strips: vec![CardStrip { label: "Cost".into(), dots: vec![3.0, 7.0], median: Some(5.0) }],
        };
        let svg = card.svg();
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"), "{svg}");
        assert!(roxmltree::Document::parse(&svg).is_ok(), "well-formed: {svg}");
    }
}
