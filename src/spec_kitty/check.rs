//! [`check_rows`]: every way a status log breaks the 0.4.0 contract.

use std::collections::HashMap;

use crate::contract::event_types::KnownPayload;
use crate::contract::{is_allowed_transition, lane_name, validate_transition};
use crate::error::ValidationError;
use crate::log::LineError;
use crate::spec_kitty::lane::CliLane;
use crate::spec_kitty::lift::lift_rows;
use crate::spec_kitty::row::{EventId, StatusRow, cli_order};

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
/// The rows' own reading errors come from [`read_status_log`](crate::spec_kitty::read_status_log).
pub fn check_rows(rows: &[StatusRow]) -> Vec<LineError> {
    let mut deviations = Vec::new();
    let deviation = |row: &StatusRow, field: &str, message: String| {
        LineError::new(
            row.line,
            Some(row.event_id.to_string()),
            ValidationError::new(field, message),
        )
    };

    let mut first_line: HashMap<&EventId, usize> = HashMap::new();
    for row in rows {
        if let Some(first) = first_line.get(&row.event_id) {
            deviations.push(deviation(
                row,
                "event_id",
                format!("repeats the event of line {first}; it is counted once"),
            ));
        } else {
            first_line.insert(&row.event_id, row.line);
        }
    }

    let feature = cli_order(rows).first().map(|row| row.slug.clone());
    let mut lanes: HashMap<&str, CliLane> = HashMap::new();
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
            .fields()
            .get("policy_metadata")
            .is_some_and(|v| !v.is_null())
        {
            deviations.push(deviation(
                row,
                "policy_metadata",
                "has no place in the 0.4.0 contract; the lifted event drops it".into(),
            ));
        }
        if feature.as_deref().is_some_and(|f| f != row.slug) {
            deviations.push(deviation(
                row,
                "feature_slug",
                format!(
                    "is {:?}, but the log is feature {:?}",
                    row.slug,
                    feature.as_deref().unwrap_or_default()
                ),
            ));
        }
        let current = lanes.get(row.wp_id.as_str()).copied();
        let from = row.from_lane.filter(|lane| *lane != CliLane::Genesis);
        if from != current {
            let message = match current {
                None => format!(
                    "is {}, but {} has no earlier row: a new work package's from_lane is null",
                    lane_name(row.from_lane.and_then(CliLane::to_contract)),
                    row.wp_id
                ),
                Some(lane) => format!(
                    "is {}, but {} is in {lane}",
                    lane_name(row.from_lane.and_then(CliLane::to_contract)),
                    row.wp_id
                ),
            };
            deviations.push(deviation(row, "from_lane", message));
        }
        match &lifted.event {
            Ok(event) => {
                if let Ok(Some(KnownPayload::WPStatusChanged(payload))) = event.typed_payload() {
                    for violation in validate_transition(payload).violations {
                        deviations.push(deviation(row, "to_lane", violation));
                    }
                }
            }
            Err(error) => {
                deviations.push(deviation(row, error.field(), error.message().to_owned()));
                // The payload did not build, so validate_transition cannot
                // judge the move; the matrix alone still can.
                let from = row.from_lane.and_then(CliLane::to_contract);
                let allowed = row
                    .to_lane
                    .to_contract()
                    .is_some_and(|to| is_allowed_transition(from, to));
                if !row.force && !allowed {
                    deviations.push(deviation(
                        row,
                        "to_lane",
                        format!("{} -> {} is not allowed", lane_name(from), row.to_lane),
                    ));
                }
            }
        }
        lanes.insert(&row.wp_id, row.to_lane);
    }
    deviations.sort_by_key(LineError::line);
    deviations
}

/// The fields every 2026-08 lane row must have (the CLI's own schema).
const CURRENT_REQUIRED: [&str; 9] = [
    "event_id",
    "mission_slug",
    "wp_id",
    "from_lane",
    "to_lane",
    "at",
    "actor",
    "force",
    "execution_mode",
];

/// Every way a 2026-08 log breaks the CLI 3.2.7's row contract, by line.
///
/// Per lane row: an `event_id` neither a ULID nor a UUID; a null
/// `from_lane` (beyond the schema: the CLI refuses to materialize it); a `force` not a boolean; a null `from_lane`; a required field
/// missing (the CLI's list:
/// [`event_id`, `mission_slug`, `wp_id`, `from_lane`, `to_lane`, `at`,
/// `actor`, `force`, `execution_mode`]); a lane written as the alias
/// `doing` (the CLI 3.2.7 refuses the whole log); an `execution_mode` other
/// than `worktree` or `direct_repo`; a forced move without a `reason`; a
/// `for_review -> in_progress` without a `review_ref`. (A field outside the
/// row format is not a deviation: the CLI's schema is forward-compatible.)
/// Across rows: an `event_id` that repeats with other content
/// (an exact copy is a harmless duplicate, counted once).
/// Rows of other kinds are not judged: they are kept and counted.
pub fn check_current(read: &crate::spec_kitty::StatusLogRead) -> Vec<LineError> {
    let mut deviations = Vec::new();
    let deviation = |row: &StatusRow, field: &str, message: String| {
        LineError::new(
            row.line,
            Some(row.event_id.to_string()),
            ValidationError::new(field, message),
        )
    };
    let mut first: HashMap<&EventId, &StatusRow> = HashMap::new();
    for row in &read.rows {
        let fields = row.fields();
        for field in CURRENT_REQUIRED {
            if !fields.contains_key(field) {
                deviations.push(deviation(row, field, "is missing".into()));
            }
        }
        if !row.event_id.is_well_formed() {
            deviations.push(deviation(
                row,
                "event_id",
                "is neither a ULID (26 Crockford base-32 characters) nor a UUID".into(),
            ));
        }
        if fields.get("force").is_some_and(|f| !f.is_boolean()) {
            deviations.push(deviation(row, "force", "must be a boolean".into()));
        }
        if fields
            .get("from_lane")
            .is_some_and(serde_json::Value::is_null)
        {
            deviations.push(deviation(
                row,
                "from_lane",
                "is null: a new work package's is genesis (the CLI 3.2.7 refuses to \
                 materialize a null lane, though its schema lets it pass)"
                    .into(),
            ));
        }
        if let Some(field) = row.lane_alias() {
            deviations.push(deviation(
                row,
                field,
                "is the alias \"doing\": the CLI writes and reads only in_progress".into(),
            ));
        }
        if let Some(mode) = fields.get("execution_mode")
            && !matches!(mode.as_str(), Some("worktree" | "direct_repo"))
        {
            deviations.push(deviation(
                row,
                "execution_mode",
                format!("is {mode}, not \"worktree\" or \"direct_repo\""),
            ));
        }
        let has_text = |key: &str| {
            fields
                .get(key)
                .and_then(serde_json::Value::as_str)
                .is_some_and(|s| !s.trim().is_empty())
        };
        if row.force && !has_text("reason") {
            deviations.push(deviation(
                row,
                "reason",
                "a forced move needs a reason".into(),
            ));
        }
        if row.from_lane == Some(CliLane::ForReview)
            && row.to_lane == CliLane::InProgress
            && !has_text("review_ref")
        {
            deviations.push(deviation(
                row,
                "review_ref",
                "for_review -> in_progress needs a review_ref".into(),
            ));
        }
        match first.get(&row.event_id) {
            Some(earlier) if earlier.fields() != fields => deviations.push(deviation(
                row,
                "event_id",
                format!(
                    "repeats the event of line {} with other content; the CLI keeps line {}",
                    earlier.line, earlier.line
                ),
            )),
            Some(_) => {}
            None => {
                first.insert(&row.event_id, row);
            }
        }
    }
    deviations.sort_by_key(LineError::line);
    deviations
}
