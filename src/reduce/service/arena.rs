//! The service projector's events: one append-only arena in arrival order.

use crate::contract::Event;

/// Entries per chunk: a chunk is allocated whole and never moves, so the
/// arena never copies an event once it is in (a single growing array would
/// copy every event again at each doubling, a million of them at a time).
const CHUNK: usize = 1 << 12;

/// One event held for a mission, linked to the mission's entry before it.
#[derive(Debug, Clone)]
struct Entry {
    event: Event,
    /// The previous entry of the same mission (`None` for its first).
    previous: Option<Position>,
}

/// Where an event sits in the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Position(u32);

/// Every event the service holds, in the order it was appended, in chunks
/// that never move.
///
/// Each mission's entries form a chain from its newest one back, so a
/// mission needs no list of its own: in arrival order the arena is written
/// one entry after another, whatever the missions, where a thousand
/// per-mission arrays were written at random and copied as they grew.
#[derive(Debug, Clone, Default)]
pub(super) struct Arena {
    chunks: Vec<Vec<Entry>>,
    len: usize,
}

impl Arena {
    /// Appends `event`, linked after `previous`, and returns its position.
    ///
    /// # Panics
    ///
    /// With 2^32 events already held. Positions are 32 bits (an index
    /// entry is smaller for it); that many events take over a terabyte, so
    /// memory runs out long before.
    pub(super) fn push(&mut self, event: Event, previous: Option<Position>) -> Position {
        let position = Position(u32::try_from(self.len).expect("fewer than 2^32 events held"));
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        self.chunks[self.len / CHUNK].push(Entry { event, previous });
        self.len += 1;
        position
    }

    /// The event at `position`.
    pub(super) fn get(&self, position: Position) -> &Event {
        &self.entry(position).event
    }

    /// The positions of a mission's chain, from `newest` back to its first.
    pub(super) fn chain(&self, newest: Option<Position>) -> Vec<Position> {
        self.links(newest).collect()
    }

    /// The positions of a mission's chain, from `newest` back, as they are
    /// walked (each before the entry it links to).
    pub(super) fn links(&self, newest: Option<Position>) -> impl Iterator<Item = Position> + '_ {
        std::iter::successors(newest, |&at| self.entry(at).previous)
    }

    fn entry(&self, Position(at): Position) -> &Entry {
        let at = at as usize;
        &self.chunks[at / CHUNK][at % CHUNK]
    }
}
