//! Reading spec-kitty's lane rows: [`StatusRow`], its [`EventId`], and the
//! order the CLI applies them in ([`cli_order`]).

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::contract::decode::{StrVisitor, decode_located};
use crate::contract::{Timestamp, Ulid};
use crate::error::ValidationError;
use crate::log::LineError;
use crate::spec_kitty::lane::CliLane;

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

/// Python's truthiness of a JSON value: the CLI reads `force` (and treats
/// `evidence` and `review_result`) by it.
pub(super) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// The shapes the CLI's materializer needs of a lane row's optional
/// fields, checked as it reads them (it refuses the log otherwise):
/// `evidence`, when set, an object whose `review` holds `reviewer`,
/// `verdict` and `reference` and whose `repos`, if any, is an array;
/// `review_result`, when set, an object holding the same three; a move to
/// `canceled` with a `reason` that is a string or null; a claim's
/// (`planned -> claimed`) `policy_metadata`, when set, an object.
fn check_cli_shapes(
    fields: &Map<String, Value>,
    from_lane: Option<CliLane>,
    to_lane: CliLane,
) -> Result<(), ValidationError> {
    const REVIEW: [&str; 3] = ["reviewer", "verdict", "reference"];
    let has_review_keys = |v: &Value| {
        v.as_object()
            .is_some_and(|o| REVIEW.iter().all(|k| o.contains_key(*k)))
    };
    if let Some(evidence) = fields.get("evidence").filter(|v| truthy(v)) {
        let Value::Object(evidence) = evidence else {
            return Err(ValidationError::new(
                "evidence",
                format!("must be an object, not {evidence}"),
            ));
        };
        if !evidence.get("review").is_some_and(has_review_keys) {
            return Err(ValidationError::new(
                "evidence.review",
                "must be an object with reviewer, verdict and reference",
            ));
        }
        if evidence
            .get("repos")
            .is_some_and(|r| !r.is_array() && !r.is_null())
        {
            return Err(ValidationError::new("evidence.repos", "must be an array"));
        }
    }
    if let Some(result) = fields.get("review_result").filter(|v| truthy(v))
        && !has_review_keys(result)
    {
        return Err(ValidationError::new(
            "review_result",
            format!("must be an object with reviewer, verdict and reference, not {result}"),
        ));
    }
    let claim = from_lane == Some(CliLane::Planned) && to_lane == CliLane::Claimed;
    if claim
        && let Some(policy) = fields.get("policy_metadata").filter(|v| truthy(v))
        && !policy.is_object()
    {
        return Err(ValidationError::new(
            "policy_metadata",
            format!("a claim's policy_metadata must be an object, not {policy}"),
        ));
    }
    if to_lane == CliLane::Canceled
        && let Some(reason) = fields
            .get("reason")
            .filter(|r| !(r.is_string() || r.is_null()))
    {
        return Err(ValidationError::new(
            "reason",
            format!("must be a string or null, not {reason}"),
        ));
    }
    Ok(())
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

/// Who acted: a name, or the CLI's structured actor (an object of exactly
/// `model`, `profile`, `role` and `tool`, each a string or null).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Actor(pub(super) Value);

/// The fields of the CLI's structured actor.
const ACTOR_FIELDS: [&str; 4] = ["model", "profile", "role", "tool"];

impl<'de> Deserialize<'de> for Actor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = Value::deserialize(deserializer)?;
        match &value {
            Value::Object(object) => {
                let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
                keys.sort_unstable();
                if keys != ACTOR_FIELDS {
                    return Err(D::Error::custom(format!(
                        "a structured actor has exactly the fields model, profile, role and \
                         tool, not {keys:?}"
                    )));
                }
                if let Some((key, _)) = object.iter().find(|(_, v)| !(v.is_string() || v.is_null()))
                {
                    return Err(D::Error::custom(format!(
                        "a structured actor's {key} is a string or null"
                    )));
                }
                Ok(Actor(value))
            }
            Value::Array(_) => Err(D::Error::custom(
                "must be a name or a structured actor, not an array",
            )),
            _ => Ok(Actor(value)),
        }
    }
}

impl Actor {
    /// The name `status.json` gives the actor, as the CLI 3.2.7 writes it:
    /// a string as is; a structured actor's `tool`, else its `role`, else
    /// `""`; another scalar as Python's `str()` writes it (`None`, `True`,
    /// `5`, `1.5`).
    pub(super) fn name(&self) -> String {
        match &self.0 {
            Value::String(s) => s.clone(),
            Value::Object(object) => ["tool", "role"]
                .iter()
                .filter_map(|key| object.get(*key).and_then(Value::as_str))
                .find(|name| !name.is_empty())
                .unwrap_or_default()
                .to_owned(),
            // An array is refused when read.
            Value::Array(_) => String::new(),
            scalar => crate::spec_kitty::python_json::python_str(scalar),
        }
    }
}

/// The typed fields of a lane row, read through the crate's one decoding
/// path so a bad field is named.
#[derive(Deserialize)]
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
    #[serde(default)]
    force: Value,
}

/// One lane row of a spec-kitty `status.events.jsonl`, either era.
///
/// Holds what the snapshots need, checked: an [`EventId`], `at` as written
/// (and its instant, when it has an offset), the CLI's lanes… The rest of
/// the row is kept as written
/// ([`fields`](Self::fields)) and judged by `--check`, since the CLI
/// materializes rows a contract would reject.
#[derive(Debug, Clone, PartialEq)]
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
    pub(super) fields: Map<String, Value>,
}

impl StatusRow {
    /// Reads line `line` (from 1) of a status log as a lane row.
    ///
    /// # Errors
    /// A [`LineError`] naming the line, the event id when readable, and the
    /// field that is missing or of the wrong kind.
    pub fn parse(line: usize, text: &str) -> Result<Self, LineError> {
        let fields: Map<String, Value> =
            decode_located(text).map_err(|e| LineError::new(line, None, e))?;
        Self::from_fields(line, fields)
    }

    pub(super) fn from_fields(line: usize, fields: Map<String, Value>) -> Result<Self, LineError> {
        let id_text = fields
            .get("event_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let fail = |error: ValidationError| LineError::new(line, id_text.clone(), error);
        // Read from the parsed object, written again: a key repeated in the
        // line counts once, its last value, as the CLI's JSON reader does.
        let canonical = Value::Object(fields.clone()).to_string();
        let wire: LaneWire = decode_located(&canonical).map_err(fail)?;
        check_cli_shapes(&fields, wire.from_lane, wire.to_lane).map_err(fail)?;
        let slug = match (wire.mission_slug, wire.feature_slug) {
            (Some(Text(slug)), _) | (None, Some(Text(slug))) => slug,
            (None, None) => {
                return Err(fail(ValidationError::new(
                    "mission_slug",
                    "is missing (and so is the older feature_slug)",
                )));
            }
        };
        Ok(Self {
            line,
            event_id: wire.event_id,
            at: wire.at.instant,
            at_text: wire.at.text,
            slug,
            wp_id: wire.wp_id.0,
            from_lane: wire.from_lane,
            to_lane: wire.to_lane,
            actor: wire.actor,
            force: truthy(&wire.force),
            fields,
        })
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
        !self.fields.contains_key("mission_slug")
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
        self.actor.name()
    }

    /// Whether the move was forced.
    pub fn force(&self) -> bool {
        self.force
    }

    /// Every field of the row, as written.
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }

    /// The row's fields that are not part of the CLI's row format.
    pub fn unknown_fields(&self) -> impl Iterator<Item = &str> {
        self.fields
            .keys()
            .map(String::as_str)
            .filter(|name| !ROW_FIELDS.contains(name))
    }

    /// Whether a lane field was written with the legacy alias `doing`.
    pub fn lane_alias(&self) -> Option<&'static str> {
        ["from_lane", "to_lane"]
            .into_iter()
            .find(|name| self.fields.get(*name).and_then(Value::as_str) == Some("doing"))
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
    let mut seen = HashSet::with_capacity(rows.len());
    let mut ordered: Vec<&StatusRow> = rows
        .iter()
        .filter(|row| seen.insert(&row.event_id))
        .collect();
    ordered.sort_by(|a, b| (&a.at_text, &a.event_id).cmp(&(&b.at_text, &b.event_id)));
    ordered
}
