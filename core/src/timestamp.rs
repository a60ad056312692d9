//! The service's timestamps: ISO 8601 in UTC with 0 to 7 fractional digits.

use std::fmt;

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A point in time as the service reports it (UTC, 100 ns resolution).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Parses `2024-01-02T13:39:46.7738206Z` and the forms with 0 to 9 fractional
    /// digits or another offset; a value without an offset is taken as UTC, since the
    /// service only speaks UTC. Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
            return Some(Timestamp(t.to_offset(UtcOffset::UTC)));
        }
        let naive = time::macros::format_description!(
            version = 2,
            "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
        );
        PrimitiveDateTime::parse(text, naive)
            .ok()
            .map(|t| Timestamp(t.assume_utc()))
    }

    /// Now, from the system clock.
    pub fn now() -> Self {
        Timestamp(OffsetDateTime::now_utc())
    }

    /// The time `d` before this one.
    pub fn before(&self, d: std::time::Duration) -> Self {
        Timestamp(self.0 - d)
    }

    /// The value as a `time::OffsetDateTime` in UTC.
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.0
    }

    /// Nanoseconds since the Unix epoch.
    pub fn unix_nanos(&self) -> i128 {
        self.0.unix_timestamp_nanos()
    }

    /// Formats as the service does: seven fractional digits and `Z`.
    pub fn to_service_string(&self) -> String {
        let t = self.0;
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.nanosecond() / 100
        )
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_service_string())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_service_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_zero_to_seven_fractional_digits() {
        let cases = [
            ("2024-01-02T13:39:46Z", 0),
            ("2024-01-02T13:39:46.7Z", 700_000_000),
            ("2024-01-02T13:39:46.77Z", 770_000_000),
            ("2024-01-02T13:39:46.773Z", 773_000_000),
            ("2024-01-02T13:39:46.7738Z", 773_800_000),
            ("2024-01-02T13:39:46.77382Z", 773_820_000),
            ("2024-01-02T13:39:46.773821Z", 773_821_000),
            ("2024-01-02T13:39:46.7738206Z", 773_820_600),
            ("2024-01-02T13:39:46.7738206", 773_820_600),
        ];
        for (text, nanos) in cases {
            let t = Timestamp::parse(text).unwrap_or_else(|| panic!("{text}"));
            let t = t.as_offset_date_time();
            assert_eq!(t.nanosecond(), nanos, "{text}");
            assert_eq!((t.hour(), t.minute(), t.second()), (13, 39, 46), "{text}");
        }
    }

    #[test]
    fn converts_offsets_to_utc_and_formats_like_the_service() {
        let t = Timestamp::parse("2024-01-02T15:39:46.7738206+02:00").unwrap();
        assert_eq!(t.to_service_string(), "2024-01-02T13:39:46.7738206Z");
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "yesterday", "2024-13-02T00:00:00Z", "2024-01-02"] {
            assert!(Timestamp::parse(bad).is_none(), "{bad}");
        }
    }
}
