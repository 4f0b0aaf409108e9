//! Lifting a row to its canonical `WPStatusChanged` event (the mapping is in
//! the [module docs](super)).

use std::collections::HashMap;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::contract::event_types::StatusTransitionPayload;
use crate::contract::{Event, EventPayload, Ulid};
use crate::error::ValidationError;
use crate::spec_kitty::lane::CliLane;
use crate::spec_kitty::row::{StatusRow, cli_order};

/// The `node_id` of every lifted event.
pub const LIFTED_NODE_ID: &str = "spec-kitty-cli";

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
/// (see the [module docs](crate::spec_kitty)); [`lift_rows`] supplies them.
///
/// # Errors
/// A [`ValidationError`] naming the payload field (`payload.evidence.repos`)
/// when the row breaks a rule of the contract's payload.
pub fn lift_row(
    row: &StatusRow,
    lamport_clock: u64,
    causation_id: Option<Ulid>,
) -> Result<Event, ValidationError> {
    let mut fields = row.fields();
    let mut payload_fields: Map<String, Value> = PAYLOAD_FIELDS
        .iter()
        .filter_map(|name| Some((name.to_string(), fields.remove(*name)?)))
        .collect();
    // The 2026-08 rows name the mission `mission_slug`, open a work package
    // from `genesis` and may name their actor with an object: the contract
    // has `feature_slug`, a null `from_lane` and a name.
    payload_fields.insert("feature_slug".into(), Value::String(row.slug.clone()));
    payload_fields.insert("actor".into(), Value::String(row.actor()));
    for (name, lane) in [("from_lane", row.from_lane), ("to_lane", Some(row.to_lane))] {
        match lane {
            None | Some(CliLane::Genesis) => {
                payload_fields.insert(name.into(), Value::Null);
            }
            Some(lane) => {
                let Some(contract) = lane.to_contract() else {
                    return Err(ValidationError::new(
                        format!("payload.{name}"),
                        format!("{lane} is not a lane of the 0.4.0 contract"),
                    ));
                };
                payload_fields.insert(name.into(), Value::String(contract.as_str().into()));
            }
        }
    }
    let timestamp = row.at.ok_or_else(|| {
        ValidationError::new("at", format!("{:?} is not a date and time", row.at_text))
    })?;
    let event_id = row.event_id.as_ulid().ok_or_else(|| {
        ValidationError::new("event_id", "is not a ULID, as the 0.4.0 contract's ids are")
    })?;
    let payload_json = Value::Object(payload_fields).to_string();
    let payload = StatusTransitionPayload::decode(&payload_json)?;
    Event::builder(&payload)
        .event_id(event_id)
        .aggregate_id(row.slug.clone())
        .timestamp(timestamp)
        .node_id(LIFTED_NODE_ID)
        .lamport_clock(lamport_clock)
        .causation_id(causation_id)
        .project_uuid(Uuid::nil())
        .project_slug(None)
        .correlation_id(feature_correlation_id(&row.slug))
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
            let parent = match row.event_id.as_ulid() {
                Some(id) => previous.insert(&row.wp_id, id),
                None => previous.get(row.wp_id.as_str()).copied(),
            };
            LiftedRow {
                row,
                event: lift_row(row, clock, parent),
            }
        })
        .collect()
}
