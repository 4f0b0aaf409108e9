//! [`check_rows`]: every way a status log breaks the 0.4.0 contract.

use std::collections::HashMap;

use crate::contract::event_types::KnownPayload;
use crate::contract::{Lane, Ulid, is_allowed_transition, lane_name, validate_transition};
use crate::error::ValidationError;
use crate::log::LineError;
use crate::spec_kitty::lift::lift_rows;
use crate::spec_kitty::row::{StatusRow, cli_order};

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
                    lane_name(row.from_lane),
                    row.wp_id
                ),
                Some(lane) => format!(
                    "is {}, but {} is in {lane}",
                    lane_name(row.from_lane),
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
                if !row.force && !is_allowed_transition(row.from_lane, row.to_lane) {
                    deviations.push(deviation(
                        row,
                        "to_lane",
                        format!(
                            "{} -> {} is not allowed",
                            lane_name(row.from_lane),
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
