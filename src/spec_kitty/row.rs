//! Reading spec-kitty's status rows: [`StatusRow`], [`read_status_log`],
//! and the order the CLI applies them in ([`cli_order`]).

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::contract::{Lane, Timestamp, Ulid};
use crate::error::ValidationError;
use crate::log::LineError;

/// The fields of the CLI's row format; any other field is a deviation.
pub const ROW_FIELDS: [&str; 13] = [
    "actor",
    "at",
    "event_id",
    "evidence",
    "execution_mode",
    "feature_slug",
    "force",
    "from_lane",
    "policy_metadata",
    "reason",
    "review_ref",
    "to_lane",
    "wp_id",
];

/// One row of a spec-kitty `status.events.jsonl`.
///
/// A `StatusRow` holds what the CLI's snapshot needs, checked: a ULID
/// `event_id`, an instant `at`, a known `to_lane`… The rest of the row (its
/// reason, evidence, execution mode) is kept as written and judged when the
/// row is [lifted](crate::spec_kitty::lift_row), since the CLI materializes rows that the
/// contract would reject.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusRow {
    pub(super) line: usize,
    pub(super) event_id: Ulid,
    pub(super) at: Timestamp,
    pub(super) at_text: String,
    pub(super) feature_slug: String,
    pub(super) wp_id: String,
    pub(super) from_lane: Option<Lane>,
    pub(super) to_lane: Lane,
    pub(super) actor: String,
    pub(super) force: bool,
    pub(super) fields: Map<String, Value>,
}

impl StatusRow {
    /// Reads line `line` (from 1) of a status log.
    ///
    /// # Errors
    /// A [`LineError`] naming the line, the event id when readable, and the
    /// field that is missing or of the wrong kind.
    pub fn parse(line: usize, text: &str) -> Result<Self, LineError> {
        let fields: Map<String, Value> = serde_json::from_str(text).map_err(|e| {
            LineError::new(
                line,
                None,
                ValidationError::new("", format!("not a JSON object: {e}")),
            )
        })?;
        let id_text = fields.get("event_id").and_then(Value::as_str);
        let fail = |field: &str, message: String| {
            LineError::new(
                line,
                id_text.map(str::to_owned),
                ValidationError::new(field, message),
            )
        };
        let text_field = |name: &str| -> Result<String, LineError> {
            match fields.get(name) {
                Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
                Some(Value::String(_)) => Err(fail(name, "must not be empty".into())),
                Some(other) => Err(fail(name, format!("must be a string, not {other}"))),
                None => Err(fail(name, "is missing".into())),
            }
        };
        let lane_field = |name: &str, value: &Value| -> Result<Lane, LineError> {
            let text = value
                .as_str()
                .ok_or_else(|| fail(name, format!("must be a lane name, not {value}")))?;
            text.parse::<Lane>()
                .map_err(|e| fail(name, e.message().to_owned()))
        };

        let event_id = Ulid::parse(&text_field("event_id")?)
            .map_err(|e| fail("event_id", e.message().to_owned()))?;
        let at_text = text_field("at")?;
        let at = Timestamp::parse(&at_text).map_err(|e| fail("at", e.message().to_owned()))?;
        let feature_slug = text_field("feature_slug")?;
        let wp_id = text_field("wp_id")?;
        let actor = text_field("actor")?;
        let to_lane = match fields.get("to_lane") {
            Some(value) => lane_field("to_lane", value)?,
            None => return Err(fail("to_lane", "is missing".into())),
        };
        let from_lane = match fields.get("from_lane") {
            None | Some(Value::Null) => None,
            Some(value) => Some(lane_field("from_lane", value)?),
        };
        let force = match fields.get("force") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(force)) => *force,
            Some(other) => return Err(fail("force", format!("must be a boolean, not {other}"))),
        };
        Ok(Self {
            line,
            event_id,
            at,
            at_text,
            feature_slug,
            wp_id,
            from_lane,
            to_lane,
            actor,
            force,
            fields,
        })
    }

    /// The line the row was read from, from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The row's event id.
    pub fn event_id(&self) -> Ulid {
        self.event_id
    }

    /// When the move happened.
    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// `at` exactly as the row wrote it.
    pub fn at_text(&self) -> &str {
        &self.at_text
    }

    /// The feature the row belongs to.
    pub fn feature_slug(&self) -> &str {
        &self.feature_slug
    }

    /// The work package that moved.
    pub fn wp_id(&self) -> &str {
        &self.wp_id
    }

    /// The lane the row says it left; `None` for a new work package.
    pub fn from_lane(&self) -> Option<Lane> {
        self.from_lane
    }

    /// The lane entered.
    pub fn to_lane(&self) -> Lane {
        self.to_lane
    }

    /// Who made the move.
    pub fn actor(&self) -> &str {
        &self.actor
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
}

/// What [`read_status_log`] found in a status log.
#[derive(Debug, Clone, Default)]
pub struct StatusLogRead {
    /// The rows that could be read, in file order.
    pub rows: Vec<StatusRow>,
    /// Every line that could not be read as a row.
    pub errors: Vec<LineError>,
}

/// Reads every line of a `status.events.jsonl`; never fails, never panics.
///
/// Blank lines are skipped; a line that is not a row becomes an error naming
/// the line and the field, and reading goes on.
pub fn read_status_log(text: &str) -> StatusLogRead {
    let mut read = StatusLogRead::default();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match StatusRow::parse(index + 1, line) {
            Ok(row) => read.rows.push(row),
            Err(error) => read.errors.push(error),
        }
    }
    read
}

/// The rows in the order the CLI applies them: by `(at, event_id)`, each
/// `event_id` once (its first row in file order).
pub fn cli_order(rows: &[StatusRow]) -> Vec<&StatusRow> {
    let mut seen = HashSet::with_capacity(rows.len());
    let mut ordered: Vec<&StatusRow> = rows
        .iter()
        .filter(|row| seen.insert(row.event_id))
        .collect();
    ordered.sort_by_key(|row| (row.at.as_microsecond(), row.event_id));
    ordered
}
