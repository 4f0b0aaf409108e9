//! Reading spec-kitty's lane rows: [`StatusRow`], its [`EventId`], and the
//! order the CLI applies them in ([`cli_order`]).

use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::contract::decode::{StrVisitor, decode_located};
use crate::contract::{Timestamp, Ulid};
use crate::error::ValidationError;
use crate::log::LineError;
use crate::spec_kitty::actor::Actor;
use crate::spec_kitty::lane::CliLane;
use crate::spec_kitty::lane_fields::{
    LaneFields, OptionalFields, POLICY_FIELDS, Str, check_cli_shapes, truthy,
};

/// The fields of the CLI's lane row, both eras; any other field is a
/// deviation.
pub const ROW_FIELDS: [&str; 16] = [
    "actor",
    "at",
    "event_id",
    "evidence",
    "execution_mode",
    "feature_slug",
    "force",
    "from_lane",
    "mission_id",
    "mission_slug",
    "policy_metadata",
    "reason",
    "review_ref",
    "review_result",
    "to_lane",
    "wp_id",
];

/// A row's `event_id`, kept as written: rows are deduplicated and ordered
/// by this text, as the CLI does.
///
/// The CLI's materializer takes any string here; its row schema wants a
/// ULID (26 Crockford base-32 characters) or a UUID, which
/// [`is_well_formed`](Self::is_well_formed) tells and `--check` reports.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(String);

impl EventId {
    /// Reads an event id: any string.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the id is what the CLI's row schema asks: 26 characters of
    /// Crockford base 32 (either case), or a UUID.
    pub fn is_well_formed(&self) -> bool {
        let crockford = |b: u8| {
            let b = b.to_ascii_uppercase();
            b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b))
        };
        (self.0.len() == 26 && self.0.bytes().all(crockford))
            || uuid::Uuid::try_parse(&self.0).is_ok()
    }

    /// The id as a ULID, when it is one.
    pub fn as_ulid(&self) -> Option<Ulid> {
        Ulid::parse(&self.0).ok()
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for EventId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for EventId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(deserializer, "a string", |text| Ok(EventId::new(text)))
    }
}

/// `at` as written — the CLI orders and writes it as text — and the
/// instant it names, when it has an offset (the lift needs one).
///
/// It must be ISO 8601, a date-time or a date, with or without an offset:
/// what the CLI's row schema accepts. (The CLI 3.2.7's materializer takes
/// any string, `yesterday` included; a log is not ordered by such text, so
/// here it is a bad row, named.)
#[derive(Debug, Clone, PartialEq)]
pub(super) struct At {
    pub(super) instant: Option<Timestamp>,
    pub(super) text: String,
}

impl<'de> Deserialize<'de> for At {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(deserializer, "an ISO 8601 date-time", |text| {
            if !is_iso_8601(text) {
                // The instant's own error says what is wrong with the text.
                Timestamp::parse(text)?;
            }
            Ok(At {
                instant: Timestamp::parse(text).ok(),
                text: text.to_owned(),
            })
        })
    }
}

/// Whether `text` is an ISO 8601 date-time or date, with or without an
/// offset (what the CLI's row schema accepts for `at`).
pub(super) fn is_iso_8601(text: &str) -> bool {
    Timestamp::parse(text).is_ok()
        || text.parse::<jiff::civil::DateTime>().is_ok()
        || text.parse::<jiff::civil::Date>().is_ok()
}

/// A text that is not empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Text(pub(super) String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(deserializer, "a non-empty string", |text| {
            if text.is_empty() {
                Err(ValidationError::new("", "must not be empty"))
            } else {
                Ok(Text(text.to_owned()))
            }
        })
    }
}

/// The typed fields of a lane row, read through the crate's one decoding
/// path so a bad field is named (the fields are read to be checked).
#[derive(Deserialize)]
#[allow(dead_code)]
struct LaneWire {
    event_id: EventId,
    at: At,
    #[serde(default)]
    mission_slug: Option<Text>,
    #[serde(default)]
    feature_slug: Option<Text>,
    wp_id: Text,
    #[serde(default)]
    from_lane: Option<CliLane>,
    to_lane: CliLane,
    actor: Actor,
}

/// One lane row of a spec-kitty `status.events.jsonl`, either era.
///
/// Holds what the snapshots need, checked: an [`EventId`], `at` as written
/// (and its instant, when it has an offset), the CLI's lanes… The row's
/// text is kept ([`fields`](Self::fields) reads it again) and judged by
/// `--check`, since the CLI materializes rows a contract would reject.
#[derive(Debug, Clone)]
pub struct StatusRow {
    pub(super) line: usize,
    pub(super) event_id: EventId,
    pub(super) at: Option<Timestamp>,
    pub(super) at_text: String,
    pub(super) slug: String,
    pub(super) wp_id: String,
    pub(super) from_lane: Option<CliLane>,
    pub(super) to_lane: CliLane,
    pub(super) actor: Actor,
    pub(super) force: bool,
    /// The row as read (the line; its object written again when the line
    /// repeats a key).
    text: Box<str>,
    /// Whether `mission_slug` is written (null included).
    has_mission_slug: bool,
    lane_alias: Option<&'static str>,
    /// The fields outside [`ROW_FIELDS`], in text order.
    unknown: Vec<String>,
    /// What today's snapshot takes from the row besides its lanes; `None`
    /// for most rows.
    pub(super) extra: Option<Box<RowExtra>>,
}

/// Two rows are equal when they read alike: the same line, the same
/// fields (as [`fields`](StatusRow::fields) reads them; the text may differ
/// in blanks, escapes or a repeated key).
impl PartialEq for StatusRow {
    fn eq(&self, other: &Self) -> bool {
        self.line == other.line
            && self.event_id == other.event_id
            && self.at == other.at
            && self.at_text == other.at_text
            && self.slug == other.slug
            && self.wp_id == other.wp_id
            && self.from_lane == other.from_lane
            && self.to_lane == other.to_lane
            && self.actor == other.actor
            && self.force == other.force
            && self.has_mission_slug == other.has_mission_slug
            && self.lane_alias == other.lane_alias
            && self.unknown == other.unknown
            && self.extra == other.extra
            && (self.text == other.text || self.fields() == other.fields())
    }
}

/// What today's snapshot takes from a lane row besides its lanes.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct RowExtra {
    /// The view of the row's `review_result`, when set.
    pub(super) review_result: Option<Value>,
    /// A cancellation's `reason` (null when absent).
    pub(super) cancellation_reason: Option<Value>,
    /// A claim's `policy_metadata` fields that are set.
    pub(super) claim_policy: Vec<(&'static str, Value)>,
}

/// A slot of text written as a string or null (`Some(None)`), or absent;
/// `Err` when the string is empty.
fn non_empty(slot: Option<Option<Str<'_>>>) -> Result<Option<Str<'_>>, ()> {
    match slot {
        Some(Some(text)) if text.0.is_empty() => Err(()),
        Some(text) => Ok(text),
        None => Ok(None),
    }
}

/// A row's `review_result` as `status.json` holds it: its `reviewer`,
/// `verdict` and `reference`, and its `feedback_path` unless null; other
/// fields are dropped, as the CLI does.
fn review_view(value: &Value) -> Value {
    let mut view = Map::new();
    if let Value::Object(result) = value {
        for key in ["reviewer", "verdict", "reference", "feedback_path"] {
            if let Some(field) = result
                .get(key)
                .filter(|v| key != "feedback_path" || !v.is_null())
            {
                view.insert(key.into(), field.clone());
            }
        }
    }
    Value::Object(view)
}

impl StatusRow {
    /// Reads line `line` (from 1) of a status log as a lane row.
    ///
    /// # Errors
    /// A [`LineError`] naming the line, the event id when readable, and the
    /// field that is missing or of the wrong kind.
    pub fn parse(line: usize, text: &str) -> Result<Self, LineError> {
        if let Some(row) = Self::read(line, text, true) {
            return Ok(row);
        }
        let fields: Map<String, Value> =
            decode_located(text).map_err(|e| LineError::new(line, None, e))?;
        Self::from_fields(line, fields)
    }

    /// The row of `text` read in one pass ([`LaneFields`]); `None` when
    /// the full reading must judge it (a repeated key, a bad field, or,
    /// unless `kind_decided`, a field that may make it another kind).
    pub(super) fn read(line: usize, text: &str, kind_decided: bool) -> Option<Self> {
        let fields = LaneFields::read(text, kind_decided)?;
        let alias = |slot: &Option<Option<Str<'_>>>| matches!(slot, Some(Some(Str(name))) if name == "doing");
        let lane_alias = if alias(&fields.from_lane) {
            Some("from_lane")
        } else if fields
            .to_lane
            .as_ref()
            .is_some_and(|Str(name)| name == "doing")
        {
            Some("to_lane")
        } else {
            None
        };
        let has_mission_slug = fields.mission_slug.is_some();
        let event_id = fields.event_id?.0;
        let at_text = fields.at?.0;
        let at = Timestamp::parse(&at_text).ok();
        if at.is_none() && !is_iso_8601(&at_text) {
            return None;
        }
        let mission_slug = non_empty(fields.mission_slug).ok()?;
        let feature_slug = non_empty(fields.feature_slug).ok()?;
        let wp_id = fields.wp_id.filter(|Str(id)| !id.is_empty())?.0;
        let from_lane = match fields.from_lane {
            Some(Some(Str(name))) => Some(CliLane::parse(&name).ok()?),
            _ => None,
        };
        let to_lane = CliLane::parse(&fields.to_lane?.0).ok()?;
        let actor = fields.actor?;
        let optional = fields.optional;
        check_cli_shapes(&optional, from_lane, to_lane).ok()?;
        let slug = mission_slug.or(feature_slug)?.0;
        let claim = from_lane == Some(CliLane::Planned) && to_lane == CliLane::Claimed;
        let claim_policy = match (claim, &optional.policy_metadata) {
            (true, Some(Value::Object(policy))) => POLICY_FIELDS
                .iter()
                .filter_map(|key| Some((*key, policy.get(*key).filter(|v| !v.is_null())?.clone())))
                .collect(),
            _ => Vec::new(),
        };
        Some(Self {
            line,
            event_id: EventId::new(event_id),
            at,
            at_text: at_text.into_owned(),
            slug: slug.into_owned(),
            wp_id: wp_id.into_owned(),
            from_lane,
            to_lane,
            actor,
            force: fields.force.as_ref().is_some_and(truthy),
            text: text.into(),
            has_mission_slug,
            lane_alias,
            unknown: fields.unknown,
            extra: Some(RowExtra {
                review_result: optional
                    .review_result
                    .as_ref()
                    .filter(|v| truthy(v))
                    .map(review_view),
                cancellation_reason: (to_lane == CliLane::Canceled)
                    .then(|| optional.reason.unwrap_or(Value::Null)),
                claim_policy,
            })
            .filter(|extra| *extra != RowExtra::default())
            .map(Box::new),
        })
    }

    /// A lane row from its fields, read as a JSON object (a repeated key
    /// counts once, its last value, as the CLI's JSON reader does).
    pub(super) fn from_fields(line: usize, fields: Map<String, Value>) -> Result<Self, LineError> {
        let id_text = fields
            .get("event_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let fail = |error: ValidationError| LineError::new(line, id_text.clone(), error);
        let optional = OptionalFields::of(&fields);
        let canonical = Value::Object(fields).to_string();
        if let Some(row) = Self::read(line, &canonical, true) {
            return Ok(row);
        }
        // Decoded field by field, through the crate's one decoding path, to
        // name what is wrong.
        let wire: LaneWire = decode_located(&canonical).map_err(fail)?;
        check_cli_shapes(&optional, wire.from_lane, wire.to_lane).map_err(fail)?;
        Err(fail(match (wire.mission_slug, wire.feature_slug) {
            (None, None) => ValidationError::new(
                "mission_slug",
                "is missing (and so is the older feature_slug)",
            ),
            _ => ValidationError::new("", "is not a lane row"),
        }))
    }

    /// The line the row was read from, from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The row's event id.
    pub fn event_id(&self) -> &EventId {
        &self.event_id
    }

    /// When the move happened, when `at` is an instant.
    pub fn at(&self) -> Option<Timestamp> {
        self.at
    }

    /// `at` exactly as the row wrote it.
    pub fn at_text(&self) -> &str {
        &self.at_text
    }

    /// The mission the row belongs to: its `mission_slug`, or the older
    /// `feature_slug`.
    pub fn slug(&self) -> &str {
        &self.slug
    }

    /// Whether the row names its mission the February 2026 way
    /// (`feature_slug`, no `mission_slug`).
    pub fn is_february(&self) -> bool {
        !self.has_mission_slug
    }

    /// The work package that moved.
    pub fn wp_id(&self) -> &str {
        &self.wp_id
    }

    /// The lane the row says it left; `None` when not written.
    pub fn from_lane(&self) -> Option<CliLane> {
        self.from_lane
    }

    /// The lane entered.
    pub fn to_lane(&self) -> CliLane {
        self.to_lane
    }

    /// Who made the move, as `status.json` names them.
    pub fn actor(&self) -> String {
        self.actor.name().into_owned()
    }

    /// Whether the move was forced.
    pub fn force(&self) -> bool {
        self.force
    }

    /// Every field of the row, as written (a repeated key once, its last
    /// value), read again from the row's text.
    pub fn fields(&self) -> Map<String, Value> {
        // The text was read as a JSON object when the row was made.
        serde_json::from_str(&self.text).unwrap_or_default()
    }

    /// The row's fields that are not part of the CLI's row format.
    pub fn unknown_fields(&self) -> impl Iterator<Item = &str> {
        self.unknown.iter().map(String::as_str)
    }

    /// Whether a lane field was written with the legacy alias `doing`.
    pub fn lane_alias(&self) -> Option<&'static str> {
        self.lane_alias
    }
}

/// The rows in the order the CLI applies them: by `(at, event_id)`, both
/// compared as text, each `event_id` once (its first row in file order).
///
/// `at` is compared as written, not as an instant: the CLI sorts the
/// strings, so `12:04:00+02:00` comes after `10:05:00Z` although it is a
/// minute earlier (spec-kitty-cli 3.2.7 on generated logs; every real log
/// writes one offset, where both orders agree).
pub fn cli_order(rows: &[StatusRow]) -> Vec<&StatusRow> {
    let mut ordered: Vec<&StatusRow> = rows.iter().collect();
    // Stable: of the rows sharing an id, the first in file order stays.
    ordered.sort_by(|a, b| a.event_id.cmp(&b.event_id));
    ordered.dedup_by(|later, first| later.event_id == first.event_id);
    // The ids are now distinct, so no two rows tie.
    ordered.sort_unstable_by(|a, b| (&a.at_text, &a.event_id).cmp(&(&b.at_text, &b.event_id)));
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = r#"{"actor":"a","at":"2026-01-01T00:00:00Z","event_id":"E1","mission_slug":"m","wp_id":"WP01","from_lane":"genesis","to_lane":"planned"}"#;

    #[test]
    fn rows_are_equal_when_they_read_alike_whatever_their_blanks() {
        let row = StatusRow::parse(1, ROW).unwrap();
        let spaced = StatusRow::parse(1, &ROW.replace(",\"", ", \"")).unwrap();
        assert_eq!(row, spaced);
        let repeated = ROW.replace(r#""wp_id":"WP01""#, r#""wp_id":"WP02","wp_id":"WP01""#);
        assert_eq!(StatusRow::parse(1, &repeated).unwrap(), row);
        assert_ne!(StatusRow::parse(2, ROW).unwrap(), row);
        let reason = ROW.replace(r#""actor""#, r#""reason":"x","actor""#);
        assert_ne!(StatusRow::parse(1, &reason).unwrap(), row);
    }

    #[test]
    fn the_cli_order_is_by_at_then_id_each_id_once_its_first_row() {
        let at = |line: usize, at: &str, id: &str| {
            let text = ROW.replace("2026-01-01T00:00:00Z", at).replace("E1", id);
            StatusRow::parse(line, &text).unwrap()
        };
        let rows = [
            at(1, "2026-01-02", "B"),
            at(2, "2026-01-01", "C"),
            at(3, "2026-01-02", "A"),
            at(4, "2026-01-01", "B"),
            at(5, "2026-01-03", "C"),
        ];
        let lines: Vec<usize> = cli_order(&rows).iter().map(|row| row.line()).collect();
        assert_eq!(lines, [2, 3, 1]);
    }
}
