//! Reading a whole `status.events.jsonl`: every row kind of both eras
//! ([`read_status_log`]), each line kept exactly as written.

use std::sync::LazyLock;

use memchr::memmem;
use serde_json::{Map, Value};

use crate::contract::decode::decode_located;
use crate::error::ValidationError;
use crate::log::LineError;
use crate::spec_kitty::annotation::AnnotationRow;
use crate::spec_kitty::row::StatusRow;

/// The prefix of the `event_name` rows the snapshot's `retrospective`
/// block is folded from.
pub(super) const RETROSPECTIVE: &str = "retrospective.";

/// What kind of row a line is, decided by its fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowKind {
    /// A work package's lane change (`to_lane`).
    Lane,
    /// `"kind": "annotation"`: a delta of a work package's runtime state.
    Annotation,
    /// A lifecycle envelope (`event_type`: `MissionCreated`, `WPCreated`,
    /// `DecisionPointOpened`…), unclocked.
    Envelope(String),
    /// A row with a `type` (`RetrospectiveCaptured`…).
    Typed(String),
    /// A row with an `event_name` (`retrospective.requested`…).
    Named(String),
    /// A `kind` this crate does not know (its value, as JSON text): kept and
    /// counted, never applied, never a failure. (The CLI 3.2.7 refuses the
    /// whole log for one.)
    Unknown(String),
}

impl RowKind {
    /// The kind of a row with these fields, decided as the CLI decides it:
    /// by `kind` (absent for a lane row, `annotation`, or a kind not
    /// known), then by the fields that mark the other rows (`event_type`,
    /// `type`, `event_name`). A row with none of these is a lane row, whose
    /// missing fields are then named.
    pub fn of(fields: &Map<String, Value>) -> Self {
        let text = |key: &str| fields.get(key).and_then(Value::as_str).map(str::to_owned);
        if let Some(kind) = fields.get("kind") {
            return match kind.as_str() {
                Some("annotation") => RowKind::Annotation,
                Some(other) => RowKind::Unknown(other.to_owned()),
                None => RowKind::Unknown(kind.to_string()),
            };
        }
        if let Some(event_type) = text("event_type") {
            RowKind::Envelope(event_type)
        } else if let Some(type_name) = text("type") {
            RowKind::Typed(type_name)
        } else if let Some(name) = text("event_name") {
            RowKind::Named(name)
        } else {
            RowKind::Lane
        }
    }

    /// A short name for reports: `lane`, `annotation`, `envelope
    /// MissionCreated`…
    pub fn describe(&self) -> String {
        match self {
            RowKind::Lane => "lane".into(),
            RowKind::Annotation => "annotation".into(),
            RowKind::Envelope(t) => format!("envelope {t}"),
            RowKind::Typed(t) => format!("type {t}"),
            RowKind::Named(n) => format!("event_name {n}"),
            RowKind::Unknown(kind) => format!("unknown kind {kind}"),
        }
    }
}

/// A row the snapshot does not apply (an envelope, a typed or named row, an
/// unknown kind): kept as written, counted and reported.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherRow {
    /// The line, from 1.
    pub line: usize,
    /// Its kind.
    pub kind: RowKind,
    /// Its `event_id`, when it has a string one.
    pub event_id: Option<String>,
    /// Every field, as written.
    pub fields: Map<String, Value>,
}

/// One line of a status log, read.
#[derive(Debug, Clone, PartialEq)]
pub enum LogRow {
    /// A lane row.
    Lane(StatusRow),
    /// An annotation row.
    Annotation(AnnotationRow),
    /// Any other kind.
    Other(OtherRow),
}

/// What [`read_status_log`] found in a status log.
#[derive(Debug, Clone, Default)]
pub struct StatusLogRead {
    /// The lane rows, in file order.
    pub rows: Vec<StatusRow>,
    /// The annotation rows, in file order.
    pub annotations: Vec<AnnotationRow>,
    /// Every other row (envelopes, typed, named, unknown kinds), in file
    /// order.
    pub others: Vec<OtherRow>,
    /// Every line that could not be read: not JSON, or a known kind with a
    /// bad field.
    pub errors: Vec<LineError>,
    /// How many of `errors` are lane or annotation rows with a bad field.
    pub unreadable_status_rows: usize,
}

impl StatusLogRead {
    /// Whether the log is spec-kitty's status log rather than a log of
    /// contract envelopes: it has a readable lane or annotation row, or it
    /// has unreadable ones and no envelope (in a log of envelopes, a line
    /// without `event_type` is a broken envelope, not a lane row).
    pub fn is_status_log(&self) -> bool {
        let has_envelope = self
            .others
            .iter()
            .any(|row| matches!(row.kind, RowKind::Envelope(_)));
        !self.rows.is_empty()
            || !self.annotations.is_empty()
            || (self.unreadable_status_rows > 0 && !has_envelope)
    }

    /// How many rows of each kind other than lane and annotation, by kind.
    pub fn other_kinds(&self) -> std::collections::BTreeMap<String, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for row in &self.others {
            *counts.entry(row.kind.describe()).or_insert(0) += 1;
        }
        counts
    }
}

/// Reads one line (from 1) of a status log, whatever its kind.
///
/// # Errors
/// A [`LineError`] naming the line, the event id when readable, and the
/// field, when the line is not a JSON object or a lane or annotation row
/// has a bad field. A kind this crate does not know is not an error.
pub fn read_row(line: usize, text: &str) -> Result<LogRow, LineError> {
    read_classified(line, text).map_err(|(_, error)| error)
}

/// [`read_row`], saying of a line it cannot read whether it is a lane or
/// annotation row (`true`): a row only spec-kitty's status log has.
fn read_classified(line: usize, text: &str) -> Result<LogRow, (bool, LineError)> {
    // Most lines are lane rows or annotations, read in one pass; a line
    // that pass cannot take is read as a whole object first. The keys
    // that mark the other kinds only route the line to its likely reader
    // (an escaped key is still recognised by the reader itself); the lane
    // reader stops at the first key of another kind.
    static KIND: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b"\"kind\""));
    let read = if KIND.find(text.as_bytes()).is_some() {
        AnnotationRow::read(line, text).map(LogRow::Annotation)
    } else {
        StatusRow::read(line, text, false).map(LogRow::Lane)
    };
    if let Some(row) = read {
        return Ok(row);
    }
    let fields: Map<String, Value> =
        decode_located(text).map_err(|e| (false, LineError::new(line, None, e)))?;
    let id = fields
        .get("event_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let status_row = |error| (true, error);
    Ok(match RowKind::of(&fields) {
        RowKind::Lane => LogRow::Lane(StatusRow::from_fields(line, fields).map_err(status_row)?),
        RowKind::Annotation => {
            LogRow::Annotation(AnnotationRow::parse(line, &fields, id).map_err(status_row)?)
        }
        RowKind::Named(name) if name.starts_with(RETROSPECTIVE) => {
            // The CLI reads a retrospective row's payload as an object and
            // refuses the log otherwise.
            if let Some(payload) = fields
                .get("payload")
                .filter(|p| !(p.is_object() || p.is_null()))
            {
                return Err((
                    false,
                    LineError::new(
                        line,
                        id,
                        ValidationError::new(
                            "payload",
                            format!("must be an object, not {payload}"),
                        ),
                    ),
                ));
            }
            LogRow::Other(OtherRow {
                line,
                kind: RowKind::Named(name),
                event_id: id,
                fields,
            })
        }
        kind => LogRow::Other(OtherRow {
            line,
            kind,
            event_id: id,
            fields,
        }),
    })
}

/// Reads every line of a `status.events.jsonl`; never fails, never panics.
///
/// Blank lines are skipped (as the CLI does); a line that cannot be read
/// becomes an error naming the line and the field, and reading goes on.
pub fn read_status_log(text: &str) -> StatusLogRead {
    let mut read = StatusLogRead::default();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match read_classified(index + 1, line) {
            Ok(LogRow::Lane(row)) => read.rows.push(row),
            Ok(LogRow::Annotation(row)) => read.annotations.push(row),
            Ok(LogRow::Other(row)) => read.others.push(row),
            Err((status_row, error)) => {
                read.unreadable_status_rows += usize::from(status_row);
                read.errors.push(error);
            }
        }
    }
    read
}
