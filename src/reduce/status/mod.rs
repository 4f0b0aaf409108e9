//! The work-package status reducer: untrusted `WPStatusChanged` events in,
//! the lane of every work package out.
//!
//! [`reduce_status_events`] orders the log the one canonical way
//! ([`canonical_order`](crate::reduce::canonical_order): sort by
//! [`status_event_sort_key`](crate::reduce::status_event_sort_key), then drop
//! repeated event ids), moves every event after its causal parent when the
//! input holds both, and replays each work package. Nothing in the input can
//! make it fail: what cannot be applied is recorded as a
//! [`TransitionAnomaly`] and skipped.

use std::borrow::Borrow;

use crate::contract::Event;
use crate::contract::event_types::WP_STATUS_CHANGED;
use crate::reduce::causal::{Inversion, causal_order_of};
use crate::reduce::cores;
use crate::reduce::id_hash::IdHashBuilder;

mod fold;
mod split;
mod state;

pub(crate) use fold::StatusFold;
pub(crate) use split::{WpStretch, fold_stretches};
pub(crate) use state::{AnomaliesJson, WpStatesJson};
pub use state::{ReducedStatus, TransitionAnomaly, WpState};
pub(crate) use state::{push_json, write_wp_states_onward};

use state::wp_id_of;

/// Folds a status log into the state of every work package.
///
/// Keeps the `WPStatusChanged` events, puts them in the canonical order
/// (one sort, one dedup by event id: [`canonical_order`](crate::reduce::canonical_order)), moves an event
/// after its causal parent when both are in the input, and replays each
/// work package from "no lane":
///
/// - a payload that does not decode, a `from_lane` other than the work
///   package's lane, or a transition [`validate_transition`](crate::contract::validate_transition) rejects becomes a
///   [`TransitionAnomaly`] and changes nothing;
/// - events of one work package at the same Lamport clock are concurrent:
///   each is checked against the state before the group, the last valid one
///   (by the canonical order) wins, and a reviewer rollback
///   (for_review → in_progress with a review_ref) wins over concurrent
///   forward moves;
/// - an event whose lamport_clock is not after its causal parent's is
///   applied after the parent anyway, and the inversion is an anomaly.
///
/// The result is the same for every permutation of the input, duplicates
/// included. It never fails and never panics.
///
/// Past a few thousand events, on four cores or more, the work packages
/// are folded apart, a part per core; the result is the same either way.
///
/// ```
/// use spec_kitty_events::contract::{Event, Lane};
/// use spec_kitty_events::reduce::reduce_status_events;
/// let line = |id: &str, clock: u64, from: &str, to: &str| {
///     Event::from_json(&format!(
///         r#"{{"event_id":"01JKQ4V7C0000000000000000{id}","event_type":"WPStatusChanged","aggregate_id":"WP01","payload":{{"feature_slug":"f","wp_id":"WP01","from_lane":{from},"to_lane":"{to}","actor":"a","execution_mode":"worktree"}},"timestamp":"2026-02-09T11:00:0{id}Z","node_id":"cli","lamport_clock":{clock},"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}}"#
///     ))
/// };
/// // Out of order, one event twice, one illegal move.
/// let log = vec![
///     line("2", 2, r#""planned""#, "claimed")?,
///     line("1", 1, "null", "planned")?,
///     line("3", 3, r#""claimed""#, "for_review")?,
///     line("2", 2, r#""planned""#, "claimed")?,
/// ];
/// let status = reduce_status_events(log);
/// assert_eq!(status.wp_state("WP01").map(|wp| wp.current_lane()), Some(Lane::Claimed));
/// assert_eq!(status.anomaly_count(), 1);
/// assert_eq!(status.event_count(), 3);
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
pub fn reduce_status_events<E: Borrow<Event>>(
    events: impl IntoIterator<Item = E>,
) -> ReducedStatus {
    let events: Vec<E> = events.into_iter().collect();
    let ordered = causal_order_of(&events);
    let mut fold = StatusFold::default();
    let mut state = ReducedStatus::default();
    // A copy of an event id that differs from the applied one: an anomaly,
    // before the fold's own (it concerns the log, not a move).
    for copy in ordered
        .conflicts
        .iter()
        .filter(|e| e.event_type() == WP_STATUS_CHANGED)
    {
        let payload = copy.payload();
        state.anomalies.push(TransitionAnomaly {
            event_id: copy.event_id(),
            wp_id: wp_id_of(payload),
            from_lane: payload.field("from_lane").ok().flatten(),
            to_lane: payload.field("to_lane").ok().flatten(),
            reason: crate::reduce::causal::CONFLICTING_COPY.to_owned(),
        });
    }
    // Past a few thousand events, on four cores or more, the work packages
    // are folded apart (`split.rs`); the result is the same.
    let threads = cores::fold_threads_for(ordered.len());
    if threads > 1 {
        let hasher = IdHashBuilder::default();
        let stretches = cores::map_ranges(ordered.len(), threads, |range| {
            let mut stretch = WpStretch::new(threads, hasher.clone());
            ordered.for_each_in(range, |at, clock, inversion, event| {
                if event.event_type() != WP_STATUS_CHANGED {
                    return;
                }
                if let Some(inversion) = inversion {
                    stretch.inversion(at, inversion_anomaly(inversion, event));
                }
                stretch.push(at, clock, event);
            });
            stretch
        });
        state.event_count = stretches.iter().map(WpStretch::count).sum();
        state.last_processed_event_id = stretches
            .iter()
            .rev()
            .find_map(WpStretch::last)
            .map(Event::event_id);
        fold_stretches(stretches, &mut state);
        return state;
    }
    ordered.for_each(|clock, inversion, event| {
        if event.event_type() != WP_STATUS_CHANGED {
            return;
        }
        if let Some(inversion) = inversion {
            state.anomalies.push(inversion_anomaly(inversion, event));
        }
        state.event_count += 1;
        state.last_processed_event_id = Some(event.event_id());
        fold.step(&mut state, clock, event);
    });
    fold.close_group(&mut state);
    state
}

/// The anomaly of a `WPStatusChanged` event applied after its causal parent
/// though its lamport_clock is not after the parent's.
fn inversion_anomaly(inversion: Inversion, event: &Event) -> TransitionAnomaly {
    let payload = event.payload();
    TransitionAnomaly {
        event_id: event.event_id(),
        wp_id: wp_id_of(payload),
        from_lane: payload.field("from_lane").ok().flatten(),
        to_lane: payload.field("to_lane").ok().flatten(),
        reason: inversion.reason(event),
    }
}
