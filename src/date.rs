//! Calendar dates in front matter: `YYYY-MM-DD` strings in YAML, strings or native dates in TOML.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A calendar date that has been checked to exist (no 2026-02-30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    /// Parses `YYYY-MM-DD`, explaining what was wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let shape = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        if !shape {
            return Err(format!("invalid date `{text}`: expected a date written YYYY-MM-DD, without a time"));
        }
        text.parse::<jiff::civil::Date>()
            .map(Date)
            .map_err(|e| format!("invalid date `{text}`: expected a real date written YYYY-MM-DD ({e})"))
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(&self, later: Date) -> i64 {
        later.day_number() - self.day_number()
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn day_number(&self) -> i64 {
        self.0.duration_since(jiff::civil::date(1970, 1, 1)).as_secs().div_euclid(86_400)
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
        match (datetime.date, datetime.time) {
            (Some(date), None) => Date::parse(&date.to_string()).map_err(de::Error::custom),
            _ => Err(de::Error::custom(format!(
                "invalid date `{datetime}`: expected a date without a time, written YYYY-MM-DD"
            ))),
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
        for text in ["2026-11-10T10:00:00", "2026-11-10 10:00", "+002026-11-10", "2026-1-10", "26-11-10"] {
            assert!(Date::parse(text).is_err(), "{text}");
        }
        assert!(serde_saphyr::from_str::<D>("d: tomorrow").is_err());
        assert!(toml::from_str::<D>("d = 2026-11-23T10:00:00Z").is_err());
    }
}
