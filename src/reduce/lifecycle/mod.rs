//! The mission lifecycle reducer (Feature 004): a whole mission log in, the
//! mission's status, phase and work packages out. Its precedence rules are
//! in the [`reduce`](crate::reduce) module's documentation.

use std::borrow::Borrow;

use crate::contract::Event;
use crate::contract::event_types::WP_STATUS_CHANGED;
use crate::reduce::causal::causal_order_of;
use crate::reduce::cores;
use crate::reduce::id_hash::IdHashBuilder;
use crate::reduce::status::{ReducedStatus, WpStretch, fold_stretches};

mod fold;
mod state;

pub(crate) use fold::LifecycleFold;
pub use state::{LifecycleAnomaly, ReducedMissionState};

/// Folds a mission log into the mission's state and its work packages'.
///
/// The log is ordered once (sort by
/// [`status_event_sort_key`](crate::reduce::status_event_sort_key), dedup by event
/// id, causal parents first); then, in that order:
///
/// - `MissionStarted` sets the id, type, status `active` and the initial
///   phase, which opens `phases_entered`; a second one is an anomaly.
/// - `PhaseEntered` and `ReviewRollback` move `current_phase` and append to
///   `phases_entered`.
/// - `MissionCompleted` and `MissionCancelled` end the mission; in a group
///   of mission events sharing a lamport_clock the cancel is applied last and
///   supersedes a concurrent completion (see the [`reduce`](crate::reduce) module's documentation).
/// - A mission event before `MissionStarted` or after the end, and a payload
///   that does not decode, are anomalies and change nothing.
/// - `WPStatusChanged` events go, in the same order, to the status fold of
///   [`reduce_status_events`](crate::reduce::reduce_status_events); their anomalies
///   are reported with event_type `WPStatusChanged` and a reason naming the
///   work package. Work packages move whatever the mission's status.
/// - Other event types only count toward `event_count`.
///
/// The result is the same for every permutation of the input, duplicates
/// included. It never fails and never panics.
///
/// Past a few thousand events, on four cores or more, the work packages
/// are folded apart, a part per core; the result is the same either way.
///
/// ```
/// use spec_kitty_events::contract::Event;
/// use spec_kitty_events::reduce::reduce_lifecycle_events;
/// let start = Event::from_json(r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"MissionStarted","aggregate_id":"M1","payload":{"mission_id":"M1","mission_type":"software-dev","initial_phase":"specify","actor":"rob"},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"causation_id":null,"project_uuid":"00000000-0000-0000-0000-000000000001","project_slug":null,"correlation_id":"01JKQ4V7C00000000000000C0R","schema_version":"1.0.0","data_tier":0}"#)?;
/// let state = reduce_lifecycle_events(vec![start.clone(), start]);
/// assert_eq!(
///     state.to_json(),
///     r#"{"mission_id":"M1","mission_status":"active","mission_type":"software-dev","current_phase":"specify","phases_entered":["specify"],"wp_states":{},"anomalies":[],"event_count":1,"last_processed_event_id":"01JKQ4V7C00000000000000001"}"#
/// );
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
pub fn reduce_lifecycle_events<E: Borrow<Event>>(
    events: impl IntoIterator<Item = E>,
) -> ReducedMissionState {
    let events: Vec<E> = events.into_iter().collect();
    let ordered = causal_order_of(&events);
    let mut fold = LifecycleFold::default();
    for copy in &ordered.conflicts {
        fold.conflicting_copy(copy);
    }
    // Past a few thousand events, on four cores or more, each thread walks
    // a stretch of the order, dealing the work package events to the parts
    // of the split fold (`reduce/status/split.rs`) and setting the others
    // aside; the mission events are folded here, in order: the result is
    // the same.
    let threads = cores::fold_threads_for(ordered.len());
    if threads < 2 {
        ordered.for_each(|clock, inversion, event| fold.push(clock, inversion, event));
        return fold.finish();
    }
    let hasher = IdHashBuilder::default();
    let stretches = cores::map_ranges(ordered.len(), threads, |range| {
        let mut stretch = Stretch {
            wps: WpStretch::new(threads, hasher.clone()),
            lineage: Vec::new(),
            others: Vec::new(),
        };
        ordered.for_each_in(range, |at, clock, inversion, event| {
            if let Some(inversion) = inversion {
                stretch
                    .lineage
                    .push(fold::inversion_anomaly(inversion, event));
            }
            if event.event_type() == WP_STATUS_CHANGED {
                stretch.wps.push(at, clock, event);
            } else {
                stretch.others.push((clock, event));
            }
        });
        stretch
    });
    let mut wps = Vec::with_capacity(stretches.len());
    for stretch in stretches {
        fold.state.lineage_anomalies.extend(stretch.lineage);
        for (clock, event) in stretch.others {
            fold.push_outside_wps(clock, None, event);
        }
        wps.push(stretch.wps);
    }
    let mut wp_state = ReducedStatus::default();
    fold_stretches(wps, &mut wp_state);
    let mut state = fold.finish_with(wp_state);
    state.event_count = ordered.len();
    state.last_processed_event_id = ordered.events.last().map(|event| event.event_id());
    state
}

/// What one thread's stretch of the order gives the lifecycle fold.
struct Stretch<'a> {
    wps: WpStretch<'a>,
    /// The causation inversions, in order.
    lineage: Vec<LifecycleAnomaly>,
    /// The events that are not a work package's move (the mission's, and
    /// those only counted), with their clocks, in order.
    others: Vec<(u64, &'a Event)>,
}
