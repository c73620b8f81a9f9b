//! Points in time as the API shows them: RFC 3339, UTC, microseconds.

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A UTC instant with microsecond precision.
///
/// Microseconds, because that is what the old service wrote and what SQLite stores exactly in
/// an integer; the API always prints six fractional digits so the strings sort like the times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    #[cfg(feature = "server")]
    pub fn now() -> Self {
        let now = Utc::now();
        // Truncated to microseconds, the precision everything else keeps.
        Self(DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now))
    }

    #[cfg(feature = "server")]
    pub fn from_system_time(time: std::time::SystemTime) -> Self {
        let time = DateTime::<Utc>::from(time);
        Self(DateTime::from_timestamp_micros(time.timestamp_micros()).unwrap_or(time))
    }

    /// `None` if the instant lies outside the years chrono can represent.
    pub fn from_micros(micros: i64) -> Option<Self> {
        DateTime::from_timestamp_micros(micros).map(Self)
    }

    pub fn as_micros(self) -> i64 {
        self.0.timestamp_micros()
    }

    pub fn to_rfc3339(self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Micros, true)
    }

    pub fn parse_rfc3339(raw: &str) -> Option<Self> {
        let parsed = DateTime::parse_from_rfc3339(raw).ok()?;
        Self::from_micros(parsed.timestamp_micros())
    }

    /// A short, unambiguous date for people, e.g. `28 Nov 2026` (what `%-d %b %Y` gives).
    /// Written out rather than through chrono's `format`, whose pattern parser is 8 KB of the
    /// browser's wasm.
    pub fn human_date(self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let date = self.0.date_naive();
        let month = MONTHS[date.month0() as usize % 12];
        format!("{} {month} {:04}", date.day(), date.year())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse_rfc3339(&raw)
            .ok_or_else(|| serde::de::Error::custom("expected an RFC 3339 timestamp"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn prints_utc_with_six_fractional_digits() {
        let t = Timestamp::from_micros(1_764_151_872_000_001).unwrap();
        assert_eq!(t.to_rfc3339(), "2025-11-26T10:11:12.000001Z");
        assert_eq!(t.human_date(), "26 Nov 2025");
    }

    #[test]
    fn parses_offsets_into_utc() {
        let t = Timestamp::parse_rfc3339("2025-11-26T11:11:12.5+01:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-11-26T10:11:12.500000Z");
    }

    proptest! {
        #[test]
        fn json_round_trips(micros in -62_135_596_800_000_000i64..253_402_300_799_000_000) {
            let t = Timestamp::from_micros(micros).unwrap();
            let json = serde_json::to_string(&t).unwrap();
            prop_assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
        }

        #[test]
        fn human_dates_are_what_strftime_gives(micros in -30_610_224_000_000_000i64..253_402_300_799_000_000) {
            let t = Timestamp::from_micros(micros).unwrap();
            prop_assert_eq!(t.human_date(), t.0.format("%-d %b %Y").to_string());
        }
    }
}
