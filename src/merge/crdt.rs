//! Merges of replicated data: a grow-only set of tags ([`merge_gset`]) and a
//! counter of deltas ([`merge_counter`]).
//!
//! Both are CRDT merges over the events of any number of replicas: the result
//! depends only on the set of events, never on their order or on how often
//! one arrives, so replicas that have seen the same events agree.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::contract::Event;
use crate::error::{Result, ValidationError};
use crate::reduce::canonical_order;

/// The union of every event's `payload.tags`.
///
/// An event without `tags` adds nothing. Tags are strings, compared exactly.
///
/// # Errors
/// [`Error::Validation`](crate::Error::Validation) naming `payload.tags` (or
/// `payload.tags[i]`) and the event, when `tags` is not an array of strings
/// (`null` included): a malformed event is reported rather than silently
/// dropped, since dropping it would make replicas disagree without a trace.
///
/// ```
/// use spec_kitty_events::contract::Event;
/// use spec_kitty_events::merge::merge_gset;
/// let event = |id: &str, payload: &str| Event::from_json(&format!(
///     r#"{{"event_id":"{id}","event_type":"Tagged","aggregate_id":"A","payload":{payload},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}}"#));
/// let tags = merge_gset(&[
///     event("01JKQ4V7C00000000000000001", r#"{"tags":["ci","rust"]}"#)?,
///     event("01JKQ4V7C00000000000000002", r#"{"tags":["rust","docs"]}"#)?,
///     event("01JKQ4V7C00000000000000003", "{}")?,
/// ])?;
/// assert_eq!(tags.into_iter().collect::<Vec<_>>(), ["ci", "docs", "rust"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn merge_gset(events: &[Event]) -> Result<BTreeSet<String>> {
    let mut tags = BTreeSet::new();
    for event in events {
        let Some(value) = event.payload().to_map().remove("tags") else {
            continue;
        };
        let Value::Array(items) = value else {
            return Err(bad_field(
                event,
                "payload.tags",
                "an array of strings",
                &value,
            ));
        };
        for (i, item) in items.into_iter().enumerate() {
            match item {
                Value::String(tag) => {
                    tags.insert(tag);
                }
                other => {
                    return Err(bad_field(
                        event,
                        &format!("payload.tags[{i}]"),
                        "a string",
                        &other,
                    ));
                }
            }
        }
    }
    Ok(tags)
}

/// The sum of every event's `payload.delta`, each `event_id` counted once.
///
/// An event without `delta` adds 0. Deltas are JSON integers, negative ones
/// included (a PN-counter); the sum is an `i128`, which no realistic log of
/// `i64`/`u64` deltas can overflow. When two events share an id, the copy
/// counted is the first in [`canonical_order`], so the sum does not depend on
/// which copy arrived first.
///
/// # Errors
/// [`Error::Validation`](crate::Error::Validation) naming `payload.delta` and
/// the event when `delta` is not an integer (`null`, `1.5`, `"2"`, `true`):
/// such an event is a bug in its writer and is reported, not read as 0.
///
/// ```
/// use spec_kitty_events::contract::Event;
/// use spec_kitty_events::merge::merge_counter;
/// let event = |id: &str, payload: &str| Event::from_json(&format!(
///     r#"{{"event_id":"{id}","event_type":"Counted","aggregate_id":"A","payload":{payload},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}}"#));
/// let plus_three = event("01JKQ4V7C00000000000000001", r#"{"delta":3}"#)?;
/// let minus_one = event("01JKQ4V7C00000000000000002", r#"{"delta":-1}"#)?;
/// // The duplicate delivery of `plus_three` counts once.
/// assert_eq!(merge_counter(&[plus_three.clone(), minus_one, plus_three])?, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn merge_counter(events: &[Event]) -> Result<i128> {
    let mut total: i128 = 0;
    for event in canonical_order(events.iter().collect::<Vec<&Event>>()) {
        let Some(value) = event.payload().to_map().remove("delta") else {
            continue;
        };
        let delta = match &value {
            Value::Number(n) => n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from)),
            _ => None,
        };
        let Some(delta) = delta else {
            return Err(bad_field(event, "payload.delta", "an integer", &value));
        };
        // Cannot overflow: that would need more than 2^64 events.
        total = total.saturating_add(delta);
    }
    Ok(total)
}

fn bad_field(event: &Event, field: &str, expected: &str, found: &Value) -> crate::Error {
    ValidationError::new(
        field,
        format!(
            "must be {expected}, found {found} in event {}",
            event.event_id()
        ),
    )
    .into()
}
