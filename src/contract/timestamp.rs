//! [`Timestamp`]: an instant with the UTC offset it was written in.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::contract::decode::StrVisitor;
use crate::error::ValidationError;

/// An RFC 3339 / ISO 8601 instant, as the wire carries it.
///
/// Reading accepts any offset (`Z`, `+02:00`) and reads an offset-less time as
/// UTC. The offset is kept so the value is written back as it came
/// (`Z` for UTC), in the Python library's form: seconds, then `.ffffff` only
/// when there are microseconds. Precision is the microsecond, as in Python:
/// finer digits are dropped when read.
///
/// Values order and compare as instants first (so `12:00+02:00` sorts before
/// `11:00Z`); two spellings of one instant tie-break on the offset, which keeps
/// `Ord` consistent with `Eq`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    instant: jiff::Timestamp,
    offset: Offset,
}

impl Timestamp {
    /// The instant `instant`, written in UTC.
    pub fn from_instant(instant: jiff::Timestamp) -> Self {
        Self::with_offset(instant, Offset::UTC)
    }

    /// The instant `instant`, written with `offset`; truncated to microseconds.
    pub fn with_offset(instant: jiff::Timestamp, offset: Offset) -> Self {
        let micros = instant.as_microsecond();
        let instant = jiff::Timestamp::from_microsecond(micros).unwrap_or(instant);
        Self { instant, offset }
    }

    /// The current time, in UTC.
    pub fn now() -> Self {
        Self::from_instant(jiff::Timestamp::now())
    }

    /// Parses an ISO 8601 date-time, with or without an offset.
    ///
    /// # Errors
    /// A [`ValidationError`] (for the field `""`) naming what could not be read.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        if let Some(common) = Self::parse_utc_seconds(text) {
            return Ok(common);
        }
        Self::parse_any(text)
    }

    /// The shape nearly every event's time has, `2026-02-09T11:00:01Z`
    /// (with a fraction of up to nine digits, or none), read directly;
    /// `None` for any other text, which [`parse_any`](Self::parse_any)
    /// reads (a leap second, which jiff's reader takes as :59, included).
    fn parse_utc_seconds(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        let fraction = b.get(19..b.len().checked_sub(1)?)?;
        if b.len() < 20
            || [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')]
                .iter()
                .any(|&(at, byte)| b[at] != byte)
            || b[b.len() - 1] != b'Z'
        {
            return None;
        }
        let number = |digits: &[u8]| {
            digits.iter().try_fold(0i32, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + i32::from(d - b'0'))
            })
        };
        let field = |range: std::ops::Range<usize>| number(&b[range]);
        let nanos = match fraction {
            [] => 0,
            [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
                number(digits)? * 10i32.pow(9 - u32::try_from(digits.len()).ok()?)
            }
            _ => return None,
        };
        let second = field(17..19)?;
        if second > 59 {
            return None;
        }
        let civil = jiff::civil::DateTime::new(
            i16::try_from(field(0..4)?).ok()?,
            i8::try_from(field(5..7)?).ok()?,
            i8::try_from(field(8..10)?).ok()?,
            i8::try_from(field(11..13)?).ok()?,
            i8::try_from(field(14..16)?).ok()?,
            i8::try_from(second).ok()?,
            nanos,
        )
        .ok()?;
        let instant = Offset::UTC.to_timestamp(civil).ok()?;
        Some(Self::with_offset(instant, Offset::UTC))
    }

    /// Any ISO 8601 date-time jiff reads, with or without an offset.
    fn parse_any(text: &str) -> Result<Self, ValidationError> {
        let invalid = |why: String| {
            ValidationError::new("", format!("{text:?} is not an ISO 8601 date-time: {why}"))
        };
        let pieces = Pieces::parse(text).map_err(|e| invalid(e.to_string()))?;
        let time = pieces
            .time()
            .ok_or_else(|| invalid("it has no time of day".into()))?;
        let offset = match pieces.offset() {
            None => Offset::UTC,
            Some(PiecesOffset::Zulu) => Offset::UTC,
            Some(PiecesOffset::Numeric(numeric)) => numeric.offset(),
            Some(_) => return Err(invalid("unsupported offset".into())),
        };
        if pieces.time_zone_annotation().is_some() {
            return Err(invalid(
                "time zone annotations are not part of the wire format".into(),
            ));
        }
        let civil = pieces.date().to_datetime(time);
        let instant = offset
            .to_timestamp(civil)
            .map_err(|e| invalid(e.to_string()))?;
        Ok(Self::with_offset(instant, offset))
    }

    /// The instant.
    pub fn instant(&self) -> jiff::Timestamp {
        self.instant
    }

    /// The offset it is written with.
    pub fn offset(&self) -> Offset {
        self.offset
    }

    /// Microseconds since the Unix epoch: the ordering key of the instant.
    pub fn as_microsecond(&self) -> i64 {
        self.instant.as_microsecond()
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant
            .cmp(&other.instant)
            .then_with(|| self.offset.seconds().cmp(&other.offset.seconds()))
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let civil = self.offset.to_datetime(self.instant);
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            civil.year(),
            civil.month(),
            civil.day(),
            civil.hour(),
            civil.minute(),
            civil.second()
        )?;
        let micros = civil.subsec_nanosecond() / 1_000;
        if micros != 0 {
            write!(f, ".{micros:06}")?;
        }
        let seconds = self.offset.seconds();
        if seconds == 0 {
            return f.write_str("Z");
        }
        let sign = if seconds < 0 { '-' } else { '+' };
        let abs = seconds.unsigned_abs();
        write!(f, "{sign}{:02}:{:02}", abs / 3600, abs / 60 % 60)?;
        if !abs.is_multiple_of(60) {
            write!(f, ":{:02}", abs % 60)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl FromStr for Timestamp {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(
            deserializer,
            "an ISO 8601 date-time string",
            Timestamp::parse,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_back_as_the_python_library_does() {
        for (input, output) in [
            ("2026-02-09T11:00:01Z", "2026-02-09T11:00:01Z"),
            ("2026-02-09T11:00:01+00:00", "2026-02-09T11:00:01Z"),
            ("2026-02-09T11:00:01", "2026-02-09T11:00:01Z"),
            (
                "2026-02-09T11:00:01.5+02:00",
                "2026-02-09T11:00:01.500000+02:00",
            ),
            (
                "2026-02-09T11:00:01.123456789Z",
                "2026-02-09T11:00:01.123456Z",
            ),
            ("2026-02-09T11:00:01-05:30", "2026-02-09T11:00:01-05:30"),
        ] {
            assert_eq!(
                Timestamp::parse(input).unwrap().to_string(),
                output,
                "{input}"
            );
        }
    }

    #[test]
    fn orders_by_instant_across_offsets() {
        let a = Timestamp::parse("2026-02-09T12:00:00+02:00").unwrap();
        let b = Timestamp::parse("2026-02-09T11:00:00Z").unwrap();
        assert!(a < b);
    }

    proptest::proptest! {
        /// The direct reading of the common shape is jiff's, wherever it
        /// answers: fields in and out of range, fractions of every length.
        #[test]
        fn the_common_shape_reads_as_jiff_reads_it(
            fields in (0u32..10000, 0u32..14, 0u32..33, 0u32..26, 0u32..62, 0u32..62),
            fraction in "(\\.[0-9]{0,11})?",
            z in proptest::sample::select(vec!["Z", "z", "+00:00", ""]),
        ) {
            let (y, mo, d, h, mi, s) = fields;
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}{z}");
            let any = Timestamp::parse_any(&text);
            if let Some(common) = Timestamp::parse_utc_seconds(&text) {
                proptest::prop_assert_eq!(Ok(common), any.clone(), "{}", text);
                proptest::prop_assert_eq!(common.to_string(), any.unwrap().to_string());
            }
            proptest::prop_assert_eq!(Timestamp::parse(&text), Timestamp::parse_any(&text));
        }
    }

    #[test]
    fn the_common_shape_is_read_directly() {
        for text in [
            "2026-02-09T13:13:46Z",
            "2026-02-09T13:13:46.123456789Z",
            "0001-01-01T00:00:00.5Z",
        ] {
            assert_eq!(
                Timestamp::parse_utc_seconds(text).map(|t| t.to_string()),
                Some(Timestamp::parse_any(text).unwrap().to_string()),
                "{text}"
            );
        }
        for other in [
            "2026-02-09T13:13:60Z",
            "2026-02-30T00:00:00Z",
            "2026-02-09T13:13:46+00:00",
            "2026-02-09 13:13:46Z",
        ] {
            assert!(Timestamp::parse_utc_seconds(other).is_none(), "{other}");
        }
    }

    #[test]
    fn rejects_non_dates() {
        for bad in ["", "yesterday", "2026-02-30T00:00:00Z", "2026-02-09"] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }
}
