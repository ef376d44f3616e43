//! Charts as inline SVG, pure functions of their data: a strip per score axis with every
//! reviewer as a dot and the median marked (the spread stays visible; no radar chart, whose
//! area misleads), and a small line of the overall score over time. Every mark has a text
//! equivalent: a `<title>`, and the tables the templates put beside the charts.

use std::fmt::Write;

use crate::config::Scale;
use crate::date::Date;
use crate::markdown::html_escape;
use crate::model::scores::{Fixed, format_score};
use crate::strings::Strings;

/// One axis of a strip chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Strip {
    /// The axis key (`cost`).
    pub key: String,
    /// The axis label (`Cheaper`).
    pub label: String,
    /// Each reviewer's name and score.
    pub dots: Vec<(String, f64)>,
    /// The median, drawn only when the project has enough reviews.
    pub median: Option<f64>,
    /// Whether reviewers disagree on this axis.
    pub contested: bool,
}

const WIDTH: f64 = 680.0;
const TRACK_START: f64 = 150.0;
const TRACK_END: f64 = 490.0;
const ROW: f64 = 40.0;
const TOP: f64 = 12.0;

/// A coordinate to one decimal.
fn tenths(value: f64) -> Fixed {
    Fixed(value, 1)
}

fn x_of(value: f64, scale: Scale) -> f64 {
    let t = ((value - scale.min) / (scale.max - scale.min)).clamp(0.0, 1.0);
    TRACK_START + t * (TRACK_END - TRACK_START)
}

/// The per-axis strip chart of a project's scores.
pub fn strips(title: &str, strips: &[Strip], scale: Scale, strings: &Strings) -> String {
    let height = TOP + ROW * strips.len() as f64 + 24.0;
    let scale_text = format!("{}–{}", format_score(scale.min), format_score(scale.max));
    let desc = html_escape(&strings.fill("chart_strips_desc", &[("scale", &scale_text)]));
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"strip-chart\" role=\"img\" aria-labelledby=\"strips-title strips-desc\" viewBox=\"0 0 {WIDTH} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"strips-title\">{}</title><desc id=\"strips-desc\">{desc}</desc>",
        html_escape(title)
    );
    for (i, strip) in strips.iter().enumerate() {
        let y = TOP + ROW * i as f64 + ROW / 2.0;
        let y1 = tenths(y);
        let _ = write!(
            svg,
            "<g class=\"axis\" data-axis=\"{}\"><text class=\"label\" x=\"0\" y=\"{}\">{}</text>\
             <line class=\"track\" x1=\"{TRACK_START}\" y1=\"{y1}\" x2=\"{TRACK_END}\" y2=\"{y1}\"/>",
            html_escape(&strip.key),
            tenths(y + 4.0),
            html_escape(&strip.label)
        );
        let mut seen: Vec<f64> = Vec::new();
        for (name, value) in &strip.dots {
            // Equal scores stack vertically instead of hiding each other.
            let same = seen.iter().filter(|v| (**v - value).abs() < 1e-9).count() as f64;
            seen.push(*value);
            let side = if same % 2.0 == 1.0 { -1.0 } else { 1.0 };
            let offset = ((same + 1.0) / 2.0).floor() * 7.0 * side;
            let _ = write!(
                svg,
                "<circle class=\"dot\" data-value=\"{}\" cx=\"{}\" cy=\"{}\" r=\"6\"><title>{}: {}</title></circle>",
                format_score(*value),
                tenths(x_of(*value, scale)),
                tenths(y + offset),
                html_escape(name),
                format_score(*value)
            );
        }
        let mut note = match strip.median {
            Some(m) => {
                let x = x_of(m, scale);
                let _ = write!(
                    svg,
                    "<rect class=\"median\" data-value=\"{}\" x=\"{}\" y=\"{}\" width=\"4\" height=\"24\"><title>{}</title></rect>",
                    format_score(m),
                    tenths(x - 2.0),
                    tenths(y - 12.0),
                    html_escape(&strings.fill("chart_median", &[("score", &format_score(m))]))
                );
                strings.fill("chart_median_note", &[("score", &format_score(m))])
            }
            None if strip.dots.is_empty() => strings.get("not_scored_lower").to_string(),
            None => strings.count("chart_scores", strip.dots.len(), &[]),
        };
        if strip.contested {
            note.push_str(strings.get("chart_contested"));
        }
        let note = html_escape(&note);
        let (x, y) = (tenths(TRACK_END + 14.0), tenths(y + 4.0));
        let _ = write!(svg, "<text class=\"note\" x=\"{x}\" y=\"{y}\">{note}</text></g>");
    }
    let y = tenths(TOP + ROW * strips.len() as f64 + 12.0);
    for value in [scale.min, (scale.min + scale.max) / 2.0, scale.max] {
        let _ = write!(
            svg,
            "<text class=\"tick\" x=\"{}\" y=\"{y}\" text-anchor=\"middle\">{}</text>",
            tenths(x_of(value, scale)),
            format_score(value)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A small line of the overall score over time, with the project's `events` (date, what
/// happened) marked as dashed lines; `None` with fewer than two points.
pub fn history(
    title: &str,
    points: &[(Date, f64, usize)],
    events: &[(Date, &str)],
    scale: Scale,
    strings: &Strings,
) -> Option<String> {
    if points.len() < 2 {
        return None;
    }
    let (first, last) = (points.first()?.0, points.last()?.0);
    // Only the events while there were scores: one years before would crush the line (the
    // timeline lists them all).
    let events: Vec<&(Date, &str)> = events.iter().filter(|(d, _)| (first..=last).contains(d)).collect();
    let (w, h, pad) = (WIDTH, 140.0, 28.0);
    let span = first.days_until(last).max(1) as f64;
    let at = |date: Date, value: f64| {
        let x = pad + (first.days_until(date) as f64 / span) * (w - 2.0 * pad);
        let t = ((value - scale.min) / (scale.max - scale.min)).clamp(0.0, 1.0);
        (x, h - pad - t * (h - 2.0 * pad))
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"history-chart\" role=\"img\" aria-labelledby=\"history-title history-desc\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"history-title\">{}</title><desc id=\"history-desc\">{}</desc>",
        html_escape(title),
        html_escape(&strings.fill(
            if events.is_empty() { "chart_history_desc" } else { "chart_history_desc_events" },
            &[("from", &strings.date(first)), ("to", &strings.date(last))]
        )),
    );
    for value in [scale.min, scale.max] {
        let (_, y) = at(first, value);
        let y1 = tenths(y);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{pad}\" y1=\"{y1}\" x2=\"{}\" y2=\"{y1}\"/><text class=\"tick\" x=\"0\" y=\"{}\">{}</text>",
            tenths(w - pad),
            tenths(y + 4.0),
            format_score(value)
        );
    }
    for &&(date, text) in &events {
        let (x, _) = at(date, scale.min);
        let x = tenths(x);
        let _ = write!(
            svg,
            "<line class=\"event\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"><title>{}: {}</title></line>",
            tenths(pad - 10.0),
            tenths(h - pad),
            html_escape(&strings.date(date)),
            html_escape(text)
        );
    }
    let line: Vec<String> =
        points.iter().map(|(d, v, _)| at(*d, *v)).map(|(x, y)| format!("{},{}", tenths(x), tenths(y))).collect();
    let _ = write!(svg, "<polyline class=\"line\" points=\"{}\"/>", line.join(" "));
    for (date, value, reviews) in points {
        let (x, y) = at(*date, *value);
        let (x, y) = (tenths(x), tenths(y));
        let _ = write!(
            svg,
            "<circle class=\"point\" data-value=\"{}\" cx=\"{x}\" cy=\"{y}\" r=\"4\"><title>{}</title></circle>",
            format_score(*value),
            html_escape(&strings.count(
                "chart_point",
                *reviews,
                &[("date", &strings.date(*date)), ("score", &format_score(*value))]
            )),
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEN: Scale = Scale { min: 0.0, max: 10.0 };

    fn strip(dots: &[f64], median: Option<f64>) -> Strip {
        Strip {
            key: "cost".into(),
            label: "Cheaper & more".into(),
            dots: dots.iter().enumerate().map(|(i, v)| (format!("R{i}"), *v)).collect(),
            median,
            contested: false,
        }
    }

    #[test]
    fn one_dot_per_score_and_one_median_mark() {
        let svg = strips("Scores", &[strip(&[0.0, 5.0, 5.0, 10.0], Some(5.0))], TEN, &Strings::default());
        assert_eq!(svg.matches("class=\"dot\"").count(), 4);
        assert_eq!(svg.matches("class=\"median\"").count(), 1);
        assert!(svg.contains("cx=\"150.0\""), "0 at the start of the track");
        assert!(svg.contains("cx=\"490.0\""), "10 at its end");
        assert!(svg.contains("Cheaper &amp; more"), "labels are escaped");
        assert!(svg.contains("cy=\"32.0\"") && svg.contains("cy=\"25.0\""), "equal scores stack: {svg}");
    }

    #[test]
    fn no_median_below_the_threshold() {
        let svg = strips("Scores", &[strip(&[3.0, 8.0], None)], TEN, &Strings::default());
        assert!(!svg.contains("class=\"median\""));
        assert!(svg.contains(">2 scores<"));
    }

    #[test]
    fn history_needs_two_points() {
        let d = |s| Date::parse(s).expect("date");
        assert!(history("H", &[(d("2026-11-01"), 5.0, 3)], &[], TEN, &Strings::default()).is_none());
        let svg = history("H", &[(d("2026-11-01"), 5.0, 3), (d("2026-11-11"), 7.5, 4)], &[], TEN, &Strings::default())
            .expect("line");
        assert_eq!(svg.matches("class=\"point\"").count(), 2);
        assert!(svg.contains("points=\"28.0,70.0 652.0,49.0\""), "{svg}");
    }

    #[test]
    fn events_while_there_were_scores_are_marked() {
        let d = |s: &str| Date::parse(s).expect("date");
        let points = [(d("2026-11-01"), 5.0, 3), (d("2026-11-11"), 7.5, 4)];
        let events = [(d("2024-01-15"), "Long before"), (d("2026-11-06"), "Mainnet <launch>")];
        let svg = history("H", &points, &events, TEN, &Strings::default()).expect("line");
        assert_eq!(svg.matches("class=\"event\"").count(), 1, "only the one among the scores");
        assert!(svg.contains("class=\"event\" x1=\"340.0\""), "half way: {svg}");
        assert!(svg.contains("Mainnet &lt;launch&gt;"), "its text is escaped");
        assert!(svg.contains("points=\"28.0,70.0 652.0,49.0\""), "the points stay: {svg}");
    }
}
