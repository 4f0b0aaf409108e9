//! Data tiers: which events may leave the machine, and how far (the SaaS
//! sync scope, seed plan: "filter events by `data_tier` for sync scope
//! enforcement").
//!
//! An event's [`DataTier`] says how far it may travel, from
//! [`DataTier::LOCAL`] (0: never leaves the machine) to
//! [`DataTier::TELEMETRY`] (4). A destination has a tier too — the local log
//! is 0, a telemetry sink is 4 — and an event is allowed there when its own
//! tier reaches that far: `event.data_tier() >= destination`. So the local
//! log keeps everything, and each wider destination sees a subset of the
//! narrower one's.

use crate::contract::{DataTier, Event};

/// Whether `event` may travel to a destination of tier `destination`.
///
/// ```
/// use spec_kitty_events::contract::{DataTier, Event};
/// use spec_kitty_events::reduce::is_allowed_at;
/// let event = Event::from_json(r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"MissionStarted","aggregate_id":"M1","timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R","data_tier":2}"#)?;
/// assert!(is_allowed_at(&event, DataTier::LOCAL));
/// assert!(is_allowed_at(&event, DataTier::new(2)?));
/// assert!(!is_allowed_at(&event, DataTier::new(3)?));
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
pub fn is_allowed_at(event: &Event, destination: DataTier) -> bool {
    event.data_tier() >= destination
}

/// Keeps, in order, the events that may travel to a destination of tier
/// `destination`: what a sync at that tier may send.
///
/// Feeding the result to [`reduce_lifecycle_events`](crate::reduce::reduce_lifecycle_events)
/// gives the state the destination can know; events held back simply do not
/// exist there (a work package whose planning stayed local shows up with an
/// anomaly for its first shared move).
pub fn filter_by_tier(
    events: impl IntoIterator<Item = Event>,
    destination: DataTier,
) -> impl Iterator<Item = Event> {
    events
        .into_iter()
        .filter(move |event| is_allowed_at(event, destination))
}

/// [`filter_by_tier`] over borrowed events.
pub fn filter_by_tier_ref<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    destination: DataTier,
) -> impl Iterator<Item = &'a Event> {
    events
        .into_iter()
        .filter(move |event| is_allowed_at(event, destination))
}
