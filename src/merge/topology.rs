//! [`topological_sort`]: events in causal order, parents before children.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use crate::contract::{Event, EventId};
use crate::error::{Error, Result};
use crate::reduce::total_order_key;

/// Orders `events` so that every event comes after its parent (the event its
/// `causation_id` names).
///
/// An event whose parent is not among `events` is a root: logs are often
/// partial, and a missing parent says nothing about order within them. Among
/// events whose parents are already placed, the one with the smallest
/// [`total_order_key`] — `(lamport_clock, node_id)` — then `event_id` comes
/// first, so the output is the same for every order of the input. Repeated
/// event ids are kept once (the copy that sorts first by that key, then by
/// its JSON).
///
/// # Errors
/// [`Error::CyclicDependency`] when causation links form a cycle (an event
/// that names itself as parent included); it lists, in id order, every event
/// that could not be placed because of it.
///
/// ```
/// use spec_kitty_events::contract::Event;
/// use spec_kitty_events::merge::topological_sort;
///
/// let event = |id: &str, clock: u64, parent: &str| {
///     Event::from_json(&format!(
///         r#"{{"event_id":"{id}","event_type":"Custom","aggregate_id":"A","timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":{clock},"causation_id":{parent},"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}}"#
///     ))
/// };
/// // The child has the smaller clock, yet its parent comes first.
/// let child = event("01JKQ4V7C00000000000000002", 1, r#""01JKQ4V7C00000000000000001""#)?;
/// let parent = event("01JKQ4V7C00000000000000001", 5, "null")?;
/// let sorted = topological_sort(vec![child.clone(), parent.clone()])?;
/// assert_eq!(sorted, [parent, child]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn topological_sort(mut events: Vec<Event>) -> Result<Vec<Event>> {
    // Sorting by the tie-break key first makes a node's index its priority.
    events.sort_by(|a, b| {
        total_order_key(a)
            .cmp(&total_order_key(b))
            .then_with(|| a.event_id().cmp(&b.event_id()))
            .then_with(|| a.to_json().cmp(&b.to_json()))
    });
    let mut seen = std::collections::HashSet::with_capacity(events.len());
    events.retain(|event| seen.insert(event.event_id()));

    let index: HashMap<EventId, usize> = events
        .iter()
        .enumerate()
        .map(|(i, event)| (event.event_id(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); events.len()];
    let mut has_parent = vec![false; events.len()];
    for (i, event) in events.iter().enumerate() {
        if let Some(&parent) = event.causation_id().and_then(|id| index.get(&id)) {
            children[parent].push(i);
            has_parent[i] = true;
        }
    }

    // Each event has at most one parent, so "in-degree" is a flag.
    let mut ready: BinaryHeap<Reverse<usize>> = (0..events.len())
        .filter(|&i| !has_parent[i])
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(events.len());
    while let Some(Reverse(i)) = ready.pop() {
        order.push(i);
        ready.extend(children[i].iter().copied().map(Reverse));
    }

    if order.len() < events.len() {
        let mut placed = vec![false; events.len()];
        for &i in &order {
            placed[i] = true;
        }
        let mut event_ids: Vec<String> = events
            .iter()
            .zip(&placed)
            .filter(|(_, placed)| !**placed)
            .map(|(event, _)| event.event_id().to_string())
            .collect();
        event_ids.sort();
        return Err(Error::CyclicDependency { event_ids });
    }

    let mut slots: Vec<Option<Event>> = events.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
}
