//! Calendar dates in front matter: `YYYY-MM-DD` strings in YAML, strings or native dates in TOML,
//! with a time after them if the writer's tools put one there (`2026-11-23T10:00:00Z`, as Hugo
//! and Zola front matter has it): the day is the one written.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A calendar date that has been checked to exist (no 2026-02-30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    /// Parses `YYYY-MM-DD`, perhaps followed by a time (`T10:00`, ` 10:00:00`, with seconds'
    /// fractions and a `Z` or `±HH:MM` offset), explaining what was wrong. The date is the day
    /// as written, whatever the offset.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        // Split at byte 10 only where a character ends there (`2026年11月23日` has none).
        let at = text.len().min(10);
        let (day, time) = if text.is_char_boundary(at) { text.split_at(at) } else { (text, "") };
        let shape = day.len() == 10
            && day.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        if !shape || !(time.is_empty() || is_time(time)) {
            return Err(format!(
                "invalid date `{text}`: expected a date written YYYY-MM-DD (a time after it, as in 2026-11-23T10:00:00Z, may follow)"
            ));
        }
        day.parse::<jiff::civil::Date>().map(Date).map_err(|_| {
            // Said in the calendar's words, not the date library's.
            let number =
                |range: std::ops::Range<usize>| day.get(range).and_then(|n| n.parse::<i16>().ok()).unwrap_or(0);
            let (year, month) = (number(0..4), number(5..7));
            let why = match jiff::civil::Date::new(year, i8::try_from(month).unwrap_or(0), 1) {
                Ok(first) => format!("{year}-{month:02} has {} days", first.days_in_month()),
                Err(_) if !(1..=12).contains(&month) => format!("there is no month {month}"),
                Err(_) => "no such day".to_string(),
            };
            format!("invalid date `{text}`: expected a real date written YYYY-MM-DD ({why})")
        })
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(&self, later: Date) -> i64 {
        later.day_number() - self.day_number()
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn day_number(&self) -> i64 {
        self.0.duration_since(jiff::civil::date(1970, 1, 1)).as_secs().div_euclid(86_400)
    }

    /// The day `days` after this one (the last representable day when that is past it).
    pub fn plus_days(&self, days: u32) -> Date {
        let later = jiff::Span::new().try_days(i64::from(days)).ok().and_then(|span| self.0.checked_add(span).ok());
        Date(later.unwrap_or(jiff::civil::Date::MAX))
    }

    /// Today in UTC, or the day of `SOURCE_DATE_EPOCH` (seconds since 1970) when it is set,
    /// so that builds can be reproduced on another day.
    pub fn today() -> Date {
        let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
        let now = epoch.and_then(|s| jiff::Timestamp::from_second(s).ok()).unwrap_or_else(jiff::Timestamp::now);
        Date(jiff::tz::TimeZone::UTC.to_datetime(now).date())
    }

    /// `23 Nov 2026`, for readers.
    pub fn human(&self) -> String {
        self.0.strftime("%-d %b %Y").to_string()
    }
}

/// Whether `text` is a time after a date: `T` or a space, `HH:MM`, perhaps `:SS` and a
/// fraction, perhaps `Z` or an offset `±HH:MM`, each part in range.
fn is_time(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(['T', 't', ' ']) else { return false };
    let (clock, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let clock = clock.split_once('.').map_or(clock, |(whole, fraction)| {
        if !fraction.is_empty() && fraction.len() <= 9 && fraction.bytes().all(|b| b.is_ascii_digit()) {
            whole
        } else {
            "x"
        }
    });
    let two = |part: &str, max: u8| part.len() == 2 && part.parse::<u8>().is_ok_and(|n| n <= max);
    let clock_ok = match clock.split(':').collect::<Vec<_>>()[..] {
        [h, m] => two(h, 23) && two(m, 59),
        [h, m, s] => two(h, 23) && two(m, 59) && two(s, 60),
        _ => false,
    };
    let offset_ok = match offset {
        "" | "Z" | "z" => true,
        _ => offset[1..].split_once(':').is_some_and(|(h, m)| two(h, 23) && two(m, 59)),
    };
    clock_ok && offset_ok
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateVisitor)
    }
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date written YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        Date::parse(v).map_err(E::custom)
    }

    /// TOML's native dates arrive as a one-entry map holding the date's text.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Date, A::Error> {
        let datetime = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
        match datetime.date {
            Some(date) => Date::parse(&date.to_string()).map_err(de::Error::custom),
            None => Err(de::Error::custom(format!("invalid date `{datetime}`: expected a date written YYYY-MM-DD"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct D {
        d: Date,
    }

    #[test]
    fn reads_yaml_and_toml_dates() {
        let y: D = serde_saphyr::from_str("d: 2026-11-23").expect("yaml");
        let t: D = toml::from_str("d = 2026-11-23").expect("toml native");
        let s: D = toml::from_str("d = \"2026-11-23\"").expect("toml string");
        assert_eq!(y.d, t.d);
        assert_eq!(t.d, s.d);
        assert_eq!(y.d.human(), "23 Nov 2026");
    }

    #[test]
    fn counts_days_between_dates() {
        let a = Date::parse("2026-11-01").expect("a");
        let b = Date::parse("2026-12-01").expect("b");
        assert_eq!(a.days_until(b), 30);
        assert_eq!(b.days_until(a), -30);
        assert_eq!(Date::parse("1970-01-02").expect("c").day_number(), 1);
        assert_eq!(Date::parse("1969-12-31").expect("d").day_number(), -1);
        assert_eq!(b.day_number() - a.day_number(), 30);
    }

    #[test]
    fn rejects_impossible_dates_and_times() {
        assert!(Date::parse("2026-02-30").is_err());
        for text in [
            "+002026-11-10",
            "2026-1-10",
            "26-11-10",
            "2026-11-10T25:00",
            "2026-11-10T10",
            "2026-11-10T10:00+5",
            "2026-11-10x10:00",
            "2026-11-10T10:00:00.",
            "2026年11月23日",
            "2026‐11‐23",
            "2026-11-2３",
        ] {
            assert!(Date::parse(text).is_err(), "{text}");
        }
        assert!(serde_saphyr::from_str::<D>("d: tomorrow").is_err());
    }

    /// Dates with a time, as Hugo and Zola front matter has them: the day as written.
    #[test]
    fn a_time_after_the_date_is_allowed() {
        let day = Date::parse("2026-11-23").expect("day");
        for text in
            ["2026-11-23T10:00:00Z", "2026-11-23 10:00", "2026-11-23T23:59:59.123+02:00", "2026-11-23t00:00-05:00"]
        {
            assert_eq!(Date::parse(text), Ok(day), "{text}");
        }
        let y: D = serde_saphyr::from_str("d: 2026-11-23T10:00:00Z").expect("yaml");
        let t: D = toml::from_str("d = 2026-11-23T10:00:00Z").expect("toml native");
        let local: D = toml::from_str("d = 2026-11-23T10:00:00").expect("toml local");
        assert_eq!((y.d, t.d, local.d), (day, day, day));
    }
}
