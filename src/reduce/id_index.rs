//! [`IdIndex`]: the projector's index of the event ids it has seen.
//!
//! A service keeps one projector per mission, thousands at once, and every
//! event looks up its causal parent and records its own id: in a hash table
//! each is a wait on memory once the tables no longer fit in cache (a
//! hashed slot is anywhere in the table). But ids are ULIDs, which grow with
//! time, and a live writer's events arrive nearly in that order; and an
//! event's parent is nearly always a recent event. So the ids that arrive
//! above every id before them are appended to an array (sorted, since each
//! is above the last), where recording one writes next to the previous one
//! and finding a recent parent reads the array's end; only the ids that
//! arrive below the largest go to a hash table.

use std::collections::HashMap;

use crate::contract::EventId;
use crate::reduce::id_hash::IdHashBuilder;

/// What the index keeps for an id: where the event sits in the projector's
/// list, and the clock it was applied at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seen {
    pub(crate) position: usize,
    pub(crate) clock: u64,
}

/// An index of distinct event ids (see the module's documentation).
#[derive(Debug, Clone, Default)]
pub(crate) struct IdIndex {
    /// The ids that were each above every id recorded before them, in
    /// order: strictly ascending, and the last is the largest id recorded.
    ascending: Vec<(EventId, Seen)>,
    /// Every other id: each below the largest one when it was recorded.
    others: HashMap<EventId, Seen, IdHashBuilder>,
}

impl IdIndex {
    /// What was recorded for `id`.
    pub(crate) fn get(&self, id: &EventId) -> Option<Seen> {
        let (largest, _) = self.ascending.last()?;
        if id > largest {
            // Above every id recorded, in either part.
            return None;
        }
        // (A lookup in an empty map returns before hashing.)
        self.find_ascending(id)
            .or_else(|| self.others.get(id).copied())
    }

    /// Records `id`, which must not be recorded yet.
    pub(crate) fn insert_new(&mut self, id: EventId, seen: Seen) {
        match self.ascending.last() {
            Some((largest, _)) if id <= *largest => {
                self.others.insert(id, seen);
            }
            _ => self.ascending.push((id, seen)),
        }
    }

    /// Forgets every id.
    pub(crate) fn clear(&mut self) {
        self.ascending.clear();
        self.others.clear();
    }

    /// Finds `id` in the ascending ids, searching from the end (a parent is
    /// nearly always recent): steps of 1, 2, 4… back until an id not above
    /// it, then a binary search in the last step.
    fn find_ascending(&self, id: &EventId) -> Option<Seen> {
        let ids = &self.ascending;
        let mut end = ids.len();
        let mut step = 1;
        let start = loop {
            if step >= ids.len() {
                break 0;
            }
            let at = ids.len() - step;
            if ids[at].0 <= *id {
                break at;
            }
            end = at;
            step *= 2;
        };
        let range = &ids[start..end];
        range
            .binary_search_by(|(other, _)| other.cmp(id))
            .ok()
            .map(|at| range[at].1)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::{IdIndex, Seen};
    use crate::contract::EventId;

    fn id(n: u16) -> EventId {
        format!("01JKQ4V7C0000000000000{n:04}")
            .parse()
            .unwrap_or_else(|_| unreachable!("a ULID"))
    }

    #[test]
    fn finds_ids_recorded_in_either_part() {
        let mut index = IdIndex::default();
        assert_eq!(index.get(&id(1)), None);
        for (n, position) in [(5, 0), (7, 1), (6, 2), (9, 3), (1, 4)] {
            index.insert_new(
                id(n),
                Seen {
                    position,
                    clock: u64::from(n) * 10,
                },
            );
        }
        // 5, 7, 9 ascended; 6 and 1 arrived below the largest.
        assert_eq!(index.ascending.len(), 3);
        assert_eq!(index.others.len(), 2);
        for (n, position) in [(5, 0), (7, 1), (6, 2), (9, 3), (1, 4)] {
            let seen = Seen {
                position,
                clock: u64::from(n) * 10,
            };
            assert_eq!(index.get(&id(n)), Some(seen), "id {n}");
        }
        for n in [0, 2, 8, 10] {
            assert_eq!(index.get(&id(n)), None, "id {n}");
        }
        index.clear();
        assert_eq!(index.get(&id(5)), None);
    }

    proptest! {
        /// The index answers as a hash map of the same ids, whatever order
        /// they are recorded in, for ids recorded and not.
        #[test]
        fn answers_as_a_map(ids in proptest::collection::vec(0u16..600, 0..300), probes in proptest::collection::vec(0u16..600, 0..50)) {
            let mut index = IdIndex::default();
            let mut model = HashMap::new();
            for (position, n) in ids.iter().enumerate() {
                if model.contains_key(n) {
                    continue;
                }
                let seen = Seen { position, clock: u64::from(*n) + 3 };
                model.insert(*n, seen);
                index.insert_new(id(*n), seen);
            }
            for n in ids.iter().chain(&probes) {
                prop_assert_eq!(index.get(&id(*n)), model.get(n).copied());
            }
        }
    }
}
