//! One mission's id index, brought up to date only when a slow path needs
//! it.
//!
//! An event that arrives in order (its clock above every clock the mission
//! holds, its id above every id the mission's index could hold) needs no
//! lookup: it cannot be a copy of a held event, nor an awaited parent, and
//! its parent's clock cannot raise its own. Such an event is only linked
//! into the arena; its id goes into the table when a duplicate, a late
//! event or a re-fold of its mission next asks the table, by walking the
//! mission's chain back to where the table was last brought up to date. So
//! a mission whose events arrive in order writes no table at all, where one
//! insert into a table of every id cost a cache miss an event at a million
//! events.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use crate::contract::EventId;
use crate::reduce::id_hash::IdHashBuilder;

use super::arena::{Arena, Position};

/// One mission's event ids.
#[derive(Debug, Clone, Default)]
pub(super) struct MissionIndex {
    table: HashTable<IndexEntry>,
    /// The largest id this mission's table holds or will hold once brought
    /// up to date (every appended event's id and its parent's): an id above
    /// it is neither held nor awaited.
    max_id: Option<EventId>,
    /// The newest position of the mission's chain the table covers: the
    /// entries after it were appended in order and are not in it yet.
    covered: Option<Position>,
}

/// An event id of the mission: where its kept copy sits, or that a held
/// event awaits it as a parent.
#[derive(Debug, Clone, Copy)]
struct IndexEntry {
    id: EventId,
    slot: Slot,
}

/// What the index knows of an event id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// Held: the kept copy's position and its application clock (kept here,
    /// so a child's lookup of its parent reads the index only).
    Seen { position: Position, clock: u64 },
    /// Named as a causal parent by a held event, not seen yet. (When a
    /// re-fold picks another copy of the child, one without that parent,
    /// the mark stays: the parent's arrival then re-folds, which gives the
    /// same state as folding it in place, only slower.)
    Awaited,
}

impl MissionIndex {
    /// Whether `id` is above every id the table holds or will hold: then
    /// it is neither held nor awaited.
    pub(super) fn is_new(&self, id: EventId) -> bool {
        self.max_id.is_none_or(|max| id > max)
    }

    /// Notes an event appended to the mission's chain (its id, and its
    /// parent's, may go into the table).
    pub(super) fn note(&mut self, id: EventId, parent: Option<EventId>) {
        self.max_id = self.max_id.max(Some(id)).max(parent);
    }

    /// Records that the table covers the chain up to `newest`.
    pub(super) fn covers(&mut self, newest: Option<Position>) {
        self.covered = newest;
    }

    /// Brings the table up to date with the mission's chain up to `newest`:
    /// each entry appended in order since is held at its own clock, and
    /// its parent awaited unless held.
    pub(super) fn catch_up(
        &mut self,
        arena: &Arena,
        hasher: &IdHashBuilder,
        newest: Option<Position>,
    ) {
        let covered = self.covered;
        for position in arena.links(newest).take_while(|&at| Some(at) > covered) {
            let event = arena.get(position);
            // In order: its application clock is its own.
            let clock = event.lamport_clock();
            self.set(hasher, event.event_id(), Slot::Seen { position, clock });
            // Walked newest first: a parent held further back is set as
            // seen after this mark, which it then replaces.
            if let Some(parent) = event.causation_id() {
                self.await_parent(hasher, parent);
            }
        }
        self.covered = newest;
    }

    /// What the table knows of `id` (up to date only after
    /// [`catch_up`](Self::catch_up)).
    pub(super) fn get(&self, hasher: &IdHashBuilder, id: EventId) -> Option<Slot> {
        let hash = hasher.hash_one(id);
        self.table
            .find(hash, |entry| entry.id == id)
            .map(|entry| entry.slot)
    }

    /// Sets what the table knows of `id`.
    pub(super) fn set(&mut self, hasher: &IdHashBuilder, id: EventId, slot: Slot) {
        match self.entry(hasher, id) {
            Entry::Occupied(mut entry) => entry.get_mut().slot = slot,
            Entry::Vacant(entry) => {
                entry.insert(IndexEntry { id, slot });
            }
        }
    }

    /// Marks `parent` as awaited, unless the table has it already (held,
    /// or awaited).
    pub(super) fn await_parent(&mut self, hasher: &IdHashBuilder, parent: EventId) {
        self.entry(hasher, parent).or_insert(IndexEntry {
            id: parent,
            slot: Slot::Awaited,
        });
    }

    fn entry(&mut self, hasher: &IdHashBuilder, id: EventId) -> Entry<'_, IndexEntry> {
        self.table.entry(
            hasher.hash_one(id),
            |entry| entry.id == id,
            |entry| hasher.hash_one(entry.id),
        )
    }
}
