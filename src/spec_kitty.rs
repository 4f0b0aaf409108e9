//! spec-kitty's own status logs: flat rows, their snapshot, and their lift to
//! canonical events.
//!
//! The spec-kitty CLI keeps, for each feature, a `status.events.jsonl` of flat
//! rows — one per work-package lane change — and materializes a
//! `status.json` snapshot from it. This module reads those rows
//! ([`read_status_log`]), materializes the same snapshot as the CLI
//! ([`materialize_snapshot`]), lists every row that breaks the 0.4.0 contract
//! ([`check_rows`]), and lifts each row to a canonical `WPStatusChanged`
//! [`Event`] ([`lift_rows`]), so spec-kitty's logs can be fed to this crate's
//! reducers.
//!
//! # The CLI's snapshot
//!
//! Worked out from the CLI's own output on real logs, and followed exactly so
//! that the document is the CLI's:
//!
//! - rows are applied in the order of `(at, event_id)` — `at` as an instant —
//!   not in file order; a repeated `event_id` counts once (its first row in
//!   the file);
//! - each row sets its work package's `lane` to `to_lane` **as written**, even
//!   when the contract would reject the move; `actor`, `last_event_id` and
//!   `last_transition_at` (the row's `at`, as written) come from the WP's last
//!   row; `force_count` counts the WP's forced rows;
//! - `summary` counts work packages per lane, every lane present;
//!   `event_count` counts rows; `last_event_id` is the last row's in that
//!   order; `feature_slug` is the first row's.
//!
//! # The lift: row → `Event`
//!
//! A row becomes a `WPStatusChanged` event by a fixed mapping, so the same
//! log always lifts to the same events, byte for byte:
//!
//! | envelope field | value |
//! |---|---|
//! | `event_id` | the row's `event_id` |
//! | `event_type` | `WPStatusChanged` |
//! | `aggregate_id` | the row's `feature_slug`: the feature is the mission |
//! | `payload` | the row's `feature_slug`, `wp_id`, `from_lane`, `to_lane`, `actor`, `force`, `reason`, `execution_mode`, `review_ref`, `evidence`, checked by [`StatusTransitionPayload`]'s rules; `policy_metadata` is dropped |
//! | `timestamp` | the row's `at`, with its offset |
//! | `node_id` | [`LIFTED_NODE_ID`] (`spec-kitty-cli`): rows do not say which machine wrote them |
//! | `lamport_clock` | the row's position, from 1, in the CLI's `(at, event_id)` order, so the reducers replay rows in the order the CLI applied them |
//! | `causation_id` | the `event_id` of the same WP's previous row in that order; `null` for its first |
//! | `project_uuid` | the nil UUID: rows do not name their project |
//! | `project_slug` | `null` |
//! | `correlation_id` | [`feature_correlation_id`]: a ULID hashed from the `feature_slug`, one per feature |
//! | `schema_version`, `data_tier` | `1.0.0`, `0` |
//!
//! A row whose payload breaks a rule of the contract (a forced `planned ->
//! done` whose evidence has no `repos`, say) does not lift: an invalid
//! [`Event`] cannot exist. [`check_rows`] reports it, with every other
//! deviation.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::ValidationError;
use crate::event::Event;
use crate::event_types::StatusTransitionPayload;
use crate::ids::Ulid;
use crate::jsonl::LineError;
use crate::lane::Lane;
use crate::payload::EventPayload;
use crate::timestamp::Timestamp;
use crate::transition::{is_allowed_transition, validate_transition};

/// The `node_id` of every lifted event.
pub const LIFTED_NODE_ID: &str = "spec-kitty-cli";

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

/// The row fields that become payload fields when a row is lifted.
const PAYLOAD_FIELDS: [&str; 10] = [
    "feature_slug",
    "wp_id",
    "from_lane",
    "to_lane",
    "actor",
    "force",
    "reason",
    "execution_mode",
    "review_ref",
    "evidence",
];

/// One row of a spec-kitty `status.events.jsonl`.
///
/// A `StatusRow` holds what the CLI's snapshot needs, checked: a ULID
/// `event_id`, an instant `at`, a known `to_lane`… The rest of the row (its
/// reason, evidence, execution mode) is kept as written and judged when the
/// row is [lifted](lift_row), since the CLI materializes rows that the
/// contract would reject.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusRow {
    line: usize,
    event_id: Ulid,
    at: Timestamp,
    at_text: String,
    feature_slug: String,
    wp_id: String,
    from_lane: Option<Lane>,
    to_lane: Lane,
    actor: String,
    force: bool,
    fields: Map<String, Value>,
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

/// One work package in a [`StatusSnapshot`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WpSnapshot {
    // Fields in alphabetical order: the CLI writes sorted keys.
    actor: String,
    force_count: u64,
    lane: Lane,
    last_event_id: Ulid,
    last_transition_at: String,
}

impl WpSnapshot {
    /// Who made the last move.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// How many of the work package's moves were forced.
    pub fn force_count(&self) -> u64 {
        self.force_count
    }

    /// The lane the last row put it in.
    pub fn lane(&self) -> Lane {
        self.lane
    }

    /// The last row's event id.
    pub fn last_event_id(&self) -> Ulid {
        self.last_event_id
    }

    /// The last row's `at`, as written.
    pub fn last_transition_at(&self) -> &str {
        &self.last_transition_at
    }
}

/// How many work packages are in each lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LaneSummary([u64; Lane::ALL.len()]);

impl LaneSummary {
    /// The number of work packages in `lane`.
    pub fn count(&self, lane: Lane) -> u64 {
        self.0[lane_index(lane)]
    }

    fn add(&mut self, lane: Lane) {
        self.0[lane_index(lane)] += 1;
    }
}

fn lane_index(lane: Lane) -> usize {
    Lane::ALL
        .iter()
        .position(|l| *l == lane)
        .unwrap_or_default()
}

impl Serialize for LaneSummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut lanes = Lane::ALL;
        lanes.sort_by_key(|lane| lane.as_str());
        let mut map = serializer.serialize_map(Some(lanes.len()))?;
        for lane in lanes {
            map.serialize_entry(lane.as_str(), &self.count(lane))?;
        }
        map.end()
    }
}

/// The `status.json` the spec-kitty CLI materializes from a status log.
///
/// Serializes as the CLI writes it: keys sorted; with
/// [`to_pretty_json`](Self::to_pretty_json), indented by two spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusSnapshot {
    event_count: u64,
    feature_slug: Option<String>,
    last_event_id: Option<Ulid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    materialized_at: Option<String>,
    summary: LaneSummary,
    work_packages: BTreeMap<String, WpSnapshot>,
}

impl StatusSnapshot {
    /// How many distinct rows were applied.
    pub fn event_count(&self) -> u64 {
        self.event_count
    }

    /// The feature, from the first row; `None` for an empty log.
    pub fn feature_slug(&self) -> Option<&str> {
        self.feature_slug.as_deref()
    }

    /// The event id of the last row applied.
    pub fn last_event_id(&self) -> Option<Ulid> {
        self.last_event_id
    }

    /// When the snapshot was made, if stamped.
    pub fn materialized_at(&self) -> Option<&str> {
        self.materialized_at.as_deref()
    }

    /// Work packages per lane.
    pub fn summary(&self) -> LaneSummary {
        self.summary
    }

    /// Every work package, by id.
    pub fn work_packages(&self) -> &BTreeMap<String, WpSnapshot> {
        &self.work_packages
    }

    /// The same snapshot, stamped with `at` (as the CLI does, in UTC with
    /// `+00:00` and microseconds).
    pub fn stamped(mut self, at: jiff::Timestamp) -> Self {
        self.materialized_at = Some(at.strftime("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string());
        self
    }

    /// The snapshot as the CLI writes `status.json`: sorted keys, two-space
    /// indent, a final newline.
    pub fn to_pretty_json(&self) -> String {
        // Strings, integers and maps of them always serialize.
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }
}

/// Materializes the CLI's `status.json` from its rows (without
/// `materialized_at`; see [`StatusSnapshot::stamped`]).
///
/// Lanes are applied as written, whatever the contract says of the move:
/// this is the CLI's view. See the [module docs](self) for the rules.
///
/// ```
/// use spec_kitty_events::spec_kitty::{materialize_snapshot, read_status_log};
/// use spec_kitty_events::Lane;
/// let log = concat!(
///     r#"{"actor":"migration","at":"2025-11-10T10:00:00Z","event_id":"01KJ5V38JN86FXE08A275GKCWJ","evidence":null,"execution_mode":"direct_repo","feature_slug":"003-x","force":true,"from_lane":"planned","reason":"migration","review_ref":null,"to_lane":"done","wp_id":"WP04"}"#,
///     "\n",
/// );
/// let snapshot = materialize_snapshot(&read_status_log(log).rows);
/// assert_eq!(snapshot.work_packages()["WP04"].lane(), Lane::Done);
/// assert_eq!(snapshot.work_packages()["WP04"].force_count(), 1);
/// assert_eq!(snapshot.summary().count(Lane::Done), 1);
/// ```
pub fn materialize_snapshot(rows: &[StatusRow]) -> StatusSnapshot {
    let ordered = cli_order(rows);
    let mut work_packages: BTreeMap<String, WpSnapshot> = BTreeMap::new();
    for row in &ordered {
        let forced = u64::from(row.force);
        work_packages
            .entry(row.wp_id.clone())
            .and_modify(|wp| {
                wp.actor.clone_from(&row.actor);
                wp.force_count += forced;
                wp.lane = row.to_lane;
                wp.last_event_id = row.event_id;
                wp.last_transition_at.clone_from(&row.at_text);
            })
            .or_insert_with(|| WpSnapshot {
                actor: row.actor.clone(),
                force_count: forced,
                lane: row.to_lane,
                last_event_id: row.event_id,
                last_transition_at: row.at_text.clone(),
            });
    }
    let mut summary = LaneSummary::default();
    for wp in work_packages.values() {
        summary.add(wp.lane);
    }
    StatusSnapshot {
        event_count: ordered.len() as u64,
        feature_slug: ordered.first().map(|row| row.feature_slug.clone()),
        last_event_id: ordered.last().map(|row| row.event_id),
        materialized_at: None,
        summary,
        work_packages,
    }
}

/// The correlation id of every event lifted from `feature_slug`'s log.
///
/// A ULID whose 128 bits are the FNV-1a hash of the slug: stable across runs,
/// machines and versions of this crate (unlike std's hasher), and distinct per
/// feature.
pub fn feature_correlation_id(feature_slug: &str) -> Ulid {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let hash = feature_slug.bytes().fold(OFFSET, |hash, byte| {
        (hash ^ u128::from(byte)).wrapping_mul(PRIME)
    });
    Ulid::from(ulid::Ulid(hash))
}

/// Lifts one row to its canonical `WPStatusChanged` event.
///
/// `lamport_clock` and `causation_id` come from the row's place in its log
/// (see the [module docs](self)); [`lift_rows`] supplies them.
///
/// # Errors
/// A [`ValidationError`] naming the payload field (`payload.evidence.repos`)
/// when the row breaks a rule of the contract's payload.
pub fn lift_row(
    row: &StatusRow,
    lamport_clock: u64,
    causation_id: Option<Ulid>,
) -> Result<Event, ValidationError> {
    let payload_fields: Map<String, Value> = PAYLOAD_FIELDS
        .iter()
        .filter_map(|name| Some((name.to_string(), row.fields.get(*name)?.clone())))
        .collect();
    let payload_json = Value::Object(payload_fields).to_string();
    let payload = StatusTransitionPayload::decode(&payload_json)?;
    Event::builder(&payload)
        .event_id(row.event_id)
        .aggregate_id(row.feature_slug.clone())
        .timestamp(row.at)
        .node_id(LIFTED_NODE_ID)
        .lamport_clock(lamport_clock)
        .causation_id(causation_id)
        .project_uuid(Uuid::nil())
        .project_slug(None)
        .correlation_id(feature_correlation_id(&row.feature_slug))
        .build()
}

/// A row lifted to an event, or why it could not be.
#[derive(Debug, Clone)]
pub struct LiftedRow<'a> {
    /// The row.
    pub row: &'a StatusRow,
    /// Its event, or the payload rule it breaks.
    pub event: Result<Event, ValidationError>,
}

/// Lifts every row, in the CLI's order, to its canonical event.
///
/// Each row's `lamport_clock` is its position in that order (from 1) and its
/// `causation_id` the same work package's previous row, whether or not that
/// row lifted: a row's event does not depend on its neighbours' validity.
pub fn lift_rows(rows: &[StatusRow]) -> Vec<LiftedRow<'_>> {
    let mut previous: HashMap<&str, Ulid> = HashMap::new();
    cli_order(rows)
        .into_iter()
        .zip(1u64..)
        .map(|(row, clock)| {
            let parent = previous.insert(&row.wp_id, row.event_id);
            LiftedRow {
                row,
                event: lift_row(row, clock, parent),
            }
        })
        .collect()
}

/// Every way the rows break the 0.4.0 contract, in the CLI's order.
///
/// Each row is judged against the state the CLI's snapshot had just before
/// it (lanes applied as written), so one bad row does not cascade into its
/// successors. Reported, per row:
///
/// - a field outside the row format, and a non-null `policy_metadata` (the
///   contract has no place for it; the lift drops it);
/// - a repeated `event_id` (the CLI counts it once);
/// - a `feature_slug` other than the log's;
/// - a payload that breaks a rule (a move to `done` without evidence, or
///   with evidence lacking `repos`; force without a reason…), naming the field;
/// - a `from_lane` other than the work package's current lane (a new work
///   package's is `null`: the contract opens a WP with `none -> planned`);
/// - a transition the matrix forbids without force, or a guard that force
///   does not lift.
///
/// The rows' own reading errors come from [`read_status_log`].
pub fn check_rows(rows: &[StatusRow]) -> Vec<LineError> {
    let mut deviations = Vec::new();
    let deviation = |row: &StatusRow, field: &str, message: String| {
        LineError::new(
            row.line,
            Some(row.event_id.to_string()),
            ValidationError::new(field, message),
        )
    };

    let mut first_line: HashMap<Ulid, usize> = HashMap::new();
    for row in rows {
        if let Some(first) = first_line.get(&row.event_id) {
            deviations.push(deviation(
                row,
                "event_id",
                format!("repeats the event of line {first}; it is counted once"),
            ));
        } else {
            first_line.insert(row.event_id, row.line);
        }
    }

    let feature = cli_order(rows).first().map(|row| row.feature_slug.clone());
    let mut lanes: HashMap<&str, Lane> = HashMap::new();
    for lifted in lift_rows(rows) {
        let row = lifted.row;
        for name in row.unknown_fields() {
            deviations.push(deviation(
                row,
                name,
                "is not a field of the CLI's row format".into(),
            ));
        }
        if row
            .fields
            .get("policy_metadata")
            .is_some_and(|v| !v.is_null())
        {
            deviations.push(deviation(
                row,
                "policy_metadata",
                "has no place in the 0.4.0 contract; the lifted event drops it".into(),
            ));
        }
        if feature.as_deref().is_some_and(|f| f != row.feature_slug) {
            deviations.push(deviation(
                row,
                "feature_slug",
                format!(
                    "is {:?}, but the log is feature {:?}",
                    row.feature_slug,
                    feature.as_deref().unwrap_or_default()
                ),
            ));
        }
        let current = lanes.get(row.wp_id.as_str()).copied();
        if row.from_lane != current {
            let message = match current {
                None => format!(
                    "is {}, but {} has no earlier row: a new work package's from_lane is null",
                    lane_or_none(row.from_lane),
                    row.wp_id
                ),
                Some(lane) => format!(
                    "is {}, but {} is in {lane}",
                    lane_or_none(row.from_lane),
                    row.wp_id
                ),
            };
            deviations.push(deviation(row, "from_lane", message));
        }
        match &lifted.event {
            Ok(event) => {
                if let Ok(payload) = event.payload_as::<StatusTransitionPayload>() {
                    for violation in validate_transition(&payload).violations {
                        deviations.push(deviation(row, "to_lane", violation));
                    }
                }
            }
            Err(error) => {
                deviations.push(deviation(row, error.field(), error.message().to_owned()));
                // The payload did not build, so validate_transition cannot
                // judge the move; the matrix alone still can.
                if !row.force && !is_allowed_transition(row.from_lane, row.to_lane) {
                    deviations.push(deviation(
                        row,
                        "to_lane",
                        format!(
                            "{} -> {} is not allowed",
                            lane_or_none(row.from_lane),
                            row.to_lane
                        ),
                    ));
                }
            }
        }
        lanes.insert(&row.wp_id, row.to_lane);
    }
    deviations.sort_by_key(LineError::line);
    deviations
}

fn lane_or_none(lane: Option<Lane>) -> &'static str {
    lane.map_or("none", Lane::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: usize, json: &str) -> StatusRow {
        StatusRow::parse(line, json).unwrap()
    }

    const R1: &str = r#"{"actor":"a","at":"2025-11-10T10:45:00Z","event_id":"01KJ5V38JGMT9FE0G46VCQDPYZ","evidence":null,"execution_mode":"direct_repo","feature_slug":"f","force":false,"from_lane":null,"policy_metadata":null,"reason":null,"review_ref":null,"to_lane":"planned","wp_id":"WP01"}"#;

    #[test]
    fn the_lift_is_stable_and_follows_the_documented_mapping() {
        let rows = vec![row(1, R1)];
        let first = lift_rows(&rows)[0].event.clone().unwrap();
        let again = lift_rows(&rows)[0].event.clone().unwrap();
        assert_eq!(first.to_json(), again.to_json());
        assert_eq!(first.aggregate_id(), "f");
        assert_eq!(first.node_id(), LIFTED_NODE_ID);
        assert_eq!(first.lamport_clock(), 1);
        assert_eq!(first.causation_id(), None);
        assert_eq!(first.project_uuid(), Uuid::nil());
        assert_eq!(first.correlation_id(), feature_correlation_id("f"));
        assert_ne!(feature_correlation_id("f"), feature_correlation_id("g"));
        assert_eq!(first.timestamp().to_string(), "2025-11-10T10:45:00Z");
    }

    #[test]
    fn a_row_missing_its_lane_names_the_field() {
        let bad = R1.replace(r#""to_lane":"planned","#, "");
        let error = StatusRow::parse(4, &bad).unwrap_err();
        assert_eq!(error.line(), 4);
        assert_eq!(error.field(), "to_lane");
        assert_eq!(error.event_id(), Some("01KJ5V38JGMT9FE0G46VCQDPYZ"));
    }

    #[test]
    fn an_unknown_field_is_a_deviation() {
        let rows = vec![row(
            1,
            &R1.replace(r#""actor":"a""#, r#""actor":"a","colour":1"#),
        )];
        let deviations = check_rows(&rows);
        assert_eq!(deviations.len(), 1, "{deviations:?}");
        assert_eq!(deviations[0].field(), "colour");
    }
}
