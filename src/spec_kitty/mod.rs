//! spec-kitty's own status logs: every row kind, the CLI's `status.json`
//! byte for byte, and the lift of lane rows to canonical events.
//!
//! The spec-kitty CLI keeps, for each mission, a `status.events.jsonl` and
//! materializes a `status.json` snapshot from it (with `mission_number` and
//! `mission_type` from the mission's `meta.json`). This module reads every
//! row of the log ([`read_status_log`]), materializes the snapshot as the CLI
//! of the log's era does ([`materialize`], [`Era`]), lists every row that
//! breaks the contract of its era ([`check_rows`], [`check_current`]),
//! materializes many missions on every core ([`materialize_missions`]), and
//! lifts each lane row to a canonical `WPStatusChanged`
//! [`Event`](crate::contract::Event) ([`lift_rows`]), so spec-kitty's logs
//! can be fed to this crate's reducers.
//!
//! # Row kinds
//!
//! A row's kind is decided by its fields ([`RowKind::of`]), and each known
//! kind is read through the crate's one decoding path (a key repeated in a
//! line counts once, its last value, as in the CLI), so a bad field is
//! named (``line 4 (event …): field `delta.subtasks.T002`: …``). Lane rows
//! and annotations are first read in one pass over the line, strings
//! borrowed, without a tree of values; a line that pass cannot take (a
//! repeated key, a bad field) goes through that full reading, so both
//! read the same rows the same way and only the full reading names errors:
//!
//! | kind | recognised by | read as | applied |
//! |---|---|---|---|
//! | lane | no `kind`, `event_type`, `type` or `event_name` | [`StatusRow`]: `event_id` a string ([`EventId`]), `at` ISO 8601, `mission_slug` (or February's `feature_slug`), [`CliLane`]s (`genesis` included; `doing` read as `in_progress`), actor a name or the CLI's structured actor, `force` by Python's truthiness, and the shapes the CLI's materializer needs of `evidence`, `review_result` and a cancellation's `reason` | yes |
//! | annotation | `"kind": "annotation"` | [`AnnotationRow`]: a `delta` object; subtask states must be lanes and a `review` the CLI's four strings (the CLI refuses the log otherwise) | yes, after every lane row |
//! | envelope | `event_type` (`MissionCreated`, `WPCreated`, `DecisionPointOpened`…) | [`OtherRow`], kept as written | no |
//! | typed | `type` (`RetrospectiveCaptured`…) | [`OtherRow`] | no |
//! | named | `event_name` (`retrospective.requested`…) | [`OtherRow`]; a `retrospective.*` row's `payload` must be an object (the CLI refuses the log otherwise) | `retrospective.*` rows fold into the snapshot's `retrospective` block |
//! | unknown | a `kind` other than `annotation` | [`OtherRow`], counted and reported | no; never a failure (the CLI 3.2.7 refuses the log) |
//!
//! # The snapshots
//!
//! Worked out from the CLI's own output (spec-kitty-cli 3.2.7 on the 81 real
//! missions, 11.0.0's status diaries and generated logs; February 2026's
//! committed files), and followed exactly so that the document is the
//! CLI's:
//!
//! - lane rows are applied in the order of `(at, event_id)`, both compared
//!   as text (the CLI sorts the strings: `12:04+02:00` after `10:05Z`), not
//!   in file order; a repeated `event_id` counts once (its first row in the
//!   file);
//! - each lane row sets its work package's `lane` to `to_lane` **as
//!   written**, even when a contract would reject the move; `actor` (a
//!   structured actor's `tool`, else its `role`, else `""`; another scalar
//!   as Python's `str()`), `last_event_id` and
//!   `last_transition_at` (the row's `at`, as written) come from the WP's
//!   last row; `force_count` counts the WP's forced rows;
//! - `summary` counts work packages per lane, every lane present;
//!   `event_count` counts distinct lane rows; `last_event_id` is the last
//!   one's in that order.
//!
//! February 2026 ([`Era::February2026`], [`materialize_snapshot`]) adds
//! `feature_slug` (the first row's), seven lanes in `summary`, and
//! `materialized_at`, the wall clock. Today ([`Era::Current`],
//! [`materialize_current`]) writes instead:
//!
//! - `mission_slug` (the first row's; `""` for a log without lane rows),
//!   `mission_number` (`meta.json`'s, as text, `""` for null; without
//!   `meta.json`, the slug's leading digits), `mission_type` (`meta.json`'s,
//!   else `""`), nine display lanes in `summary`, and `materialized_at`: the
//!   last lane row's `at` (`""` without one);
//! - per WP, `review_result` from each row that carries one (its
//!   `reviewer`, `verdict`, `reference`, and `feedback_path` unless null),
//!   or that leaves `in_review` (then `null` when the row has none); while the WP is
//!   `canceled`, `cancellation_reason` (the cancelling row's `reason`) and
//!   `reason_source` (`"operator"` when that reason has more than blanks,
//!   else `"synthetic"`); a claim's (`planned -> claimed`) `policy_metadata` sets
//!   `agent`, `shell_pid` and `shell_pid_created_at`;
//! - annotations, after every lane row, in `(at, event_id)` order (as text;
//!   rows tied on both keep their file order), every row folded, repeated
//!   or not (a repeated `note` is listed twice): `subtasks` merge by key, `note` appends to `notes`,
//!   `tracker_refs` adds the references not yet listed, a `review` of empty
//!   strings is `null`, and `agent`, `agent_profile`,
//!   `agent_profile_version`, `assignee`, `model`, `provider`, `role`,
//!   `shell_pid` (a string of digits read as a number),
//!   `shell_pid_created_at` are set; a null changes nothing; a string of
//!   `tracker_refs` adds its characters; other delta fields are ignored. An annotation of a WP without lane rows opens it in lane
//!   `uninitialized`, with null `last_event_id` and `last_transition_at`.
//!
//! Where spec-kitty-events 11.0.0's status-diary goldens disagree (seed
//! rows' lesser authority, #69's stale approval), this module follows the
//! CLI; `tests/status_diary.rs` names each difference.
//!
//! # The lift: row → `Event`
//!
//! A lane row becomes a 0.4.0 `WPStatusChanged` event by a fixed mapping,
//! so the same log always lifts to the same events, byte for byte (the
//! mission's slug is its `mission_slug`, or February's `feature_slug`):
//!
//! | envelope field | value |
//! |---|---|
//! | `event_id` | the row's `event_id` |
//! | `event_type` | `WPStatusChanged` |
//! | `aggregate_id` | the mission's slug |
//! | `payload` | `feature_slug` (the mission's slug), the row's `wp_id`, `from_lane` (`genesis` lifted to `null`), `to_lane`, `actor` (its name), `force`, `reason`, `execution_mode`, `review_ref`, `evidence`, checked by [`StatusTransitionPayload`](crate::contract::event_types::StatusTransitionPayload)'s rules; `policy_metadata`, `review_result` and `mission_id` are dropped |
//! | `timestamp` | the row's `at`, with its offset (one without an offset is read as UTC, as the contract reads a timestamp; a date alone does not lift) |
//! | `node_id` | [`LIFTED_NODE_ID`] (`spec-kitty-cli`): rows do not say which machine wrote them |
//! | `lamport_clock` | the row's position, from 1, in the CLI's `(at, event_id)` order, so the reducers replay rows in the order the CLI applied them |
//! | `causation_id` | the `event_id` of the same WP's previous row in that order; `null` for its first |
//! | `project_uuid` | the nil UUID: rows do not name their project |
//! | `project_slug` | `null` |
//! | `correlation_id` | [`feature_correlation_id`]: a ULID hashed from the mission's slug, one per mission |
//! | `schema_version`, `data_tier` | `1.0.0`, `0` |
//!
//! A row whose payload breaks a rule of the contract (a forced `planned ->
//! done` whose evidence has no `repos`, say), whose lane the 0.4.0 contract
//! does not have (`in_review`, `approved`) or whose `event_id` is no ULID
//! does not lift: an invalid [`Event`](crate::contract::Event) cannot
//! exist. [`check_rows`] reports it, with every other deviation.

mod actor;
mod annotation;
mod check;
mod current;
mod lane;
mod lane_fields;
mod lift;
mod log;
mod missions;
#[cfg(test)]
mod one_pass_tests;
mod python_json;
mod retrospective;
mod row;
mod snapshot;
mod work_package;

pub use annotation::AnnotationRow;
pub use check::{check_current, check_rows};
pub use current::{MissionMeta, materialize_current};
pub use lane::CliLane;
pub use lift::{LIFTED_NODE_ID, LiftedRow, feature_correlation_id, lift_row, lift_rows};
pub use log::{LogRow, OtherRow, RowKind, StatusLogRead, read_row, read_status_log};
pub use missions::{MissionLog, materialize_missions, materialize_on};
pub use python_json::to_cli_json;
pub use row::{EventId, ROW_FIELDS, StatusRow, cli_order};
pub use snapshot::{LaneSummary, StatusSnapshot, WpSnapshot, materialize_snapshot};

/// Which CLI's `status.json` a log gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// February 2026: `feature_slug`, seven lanes, `materialized_at` the
    /// wall clock at materialization.
    February2026,
    /// 2026-08 (CLI 3.2.7): `mission_slug`, `mission_number`,
    /// `mission_type`, nine display lanes, runtime slots from annotations.
    Current,
}

impl Era {
    /// The era a log was written in: February 2026 when it has lane rows,
    /// every one naming its mission by `feature_slug` alone, and no row of
    /// another known kind (February's CLI wrote lane rows only; a row of an
    /// unknown kind says nothing of the era); the current era otherwise (an
    /// empty log included).
    pub fn of(read: &StatusLogRead) -> Self {
        let february = !read.rows.is_empty()
            && read.rows.iter().all(StatusRow::is_february)
            && read.annotations.is_empty()
            && read
                .others
                .iter()
                .all(|row| matches!(row.kind, RowKind::Unknown(_)));
        if february {
            Era::February2026
        } else {
            Era::Current
        }
    }
}

/// The `status.json` bytes the CLI of `era` writes for a log.
///
/// `materialized_at`: February's CLI stamped the wall clock, so the caller
/// gives the stamp (`None` stamps now); today's CLI writes the last lane
/// row's `at`, and a given stamp replaces it.
pub fn materialize(
    read: &StatusLogRead,
    meta: &MissionMeta,
    era: Era,
    materialized_at: Option<String>,
) -> String {
    match era {
        Era::February2026 => {
            let snapshot = materialize_snapshot(&read.rows);
            let snapshot = match materialized_at {
                Some(text) => snapshot.stamped_as(text),
                None => snapshot.stamped(jiff::Timestamp::now()),
            };
            snapshot.to_pretty_json()
        }
        Era::Current => current::write_current(read, meta, materialized_at),
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

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
        assert_eq!(Era::of(&read_status_log(R1)), Era::February2026);
        let current = R1.replace("feature_slug", "mission_slug");
        assert_eq!(Era::of(&read_status_log(&current)), Era::Current);
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
