//! In-memory implementations of the storage traits, for tests and for
//! programs that keep nothing across runs.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::num::NonZeroUsize;

use crate::contract::{DataTier, Event, Ulid};
use crate::error::Result;
use crate::reduce::{is_allowed_at, total_order_key};
use crate::store::EventStore;
use crate::store::clock::ClockStorage;
use crate::store::error_log::{ErrorEntry, ErrorStorage};
use crate::store::verbatim::{
    MissionKey, SaveOutcome, VerbatimEvent, VerbatimEventStore, in_canonical_order, outcome,
};

/// Events kept in memory, one per `event_id`, each with its text.
///
/// Through [`EventStore::save_event`], saving an id that is already stored
/// replaces the stored event: the last save wins. Through
/// [`VerbatimEventStore::save_verbatim`] a stored text is never replaced: a
/// different one is reported as a conflict. Loading orders by [`total_order_key`] — `(lamport_clock,
/// node_id)` — and then by `event_id`, so the order never depends on the
/// order of saves. It never fails.
///
/// ```
/// use spec_kitty_events::contract::Event;
/// use spec_kitty_events::store::EventStore;
/// use spec_kitty_events::store::InMemoryEventStore;
///
/// let line = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"Custom","aggregate_id":"A","timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#;
/// let event = Event::from_json(line)?;
/// let mut store = InMemoryEventStore::new();
/// store.save_event(&event)?;
/// store.save_event(&event)?;
/// assert_eq!(store.load_all_events()?, [event]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct InMemoryEventStore {
    events: HashMap<Ulid, VerbatimEvent>,
}

impl InMemoryEventStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many distinct events are stored.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether no event is stored.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    fn ordered<'a>(&self, events: impl Iterator<Item = &'a VerbatimEvent>) -> Vec<Event> {
        let mut events: Vec<Event> = events.map(|event| event.event().clone()).collect();
        events.sort_by(|a, b| {
            total_order_key(a)
                .cmp(&total_order_key(b))
                .then_with(|| a.event_id().cmp(&b.event_id()))
        });
        events
    }
}

impl EventStore for InMemoryEventStore {
    fn save_event(&mut self, event: &Event) -> Result<()> {
        self.events
            .insert(event.event_id(), VerbatimEvent::from_event(event.clone()));
        Ok(())
    }

    fn load_events(&self, aggregate_id: &str) -> Result<Vec<Event>> {
        Ok(self.ordered(
            self.events
                .values()
                .filter(|event| event.event().aggregate_id() == aggregate_id),
        ))
    }

    fn load_all_events(&self) -> Result<Vec<Event>> {
        Ok(self.ordered(self.events.values()))
    }
}

impl VerbatimEventStore for InMemoryEventStore {
    fn save_verbatim(&mut self, event: &VerbatimEvent) -> Result<SaveOutcome> {
        let id = event.event().event_id();
        let result = outcome(self.events.get(&id).map(VerbatimEvent::text), event);
        if result == SaveOutcome::Stored {
            self.events.insert(id, event.clone());
        }
        Ok(result)
    }

    fn load_mission(&mut self, mission: &MissionKey) -> Result<Vec<VerbatimEvent>> {
        Ok(in_canonical_order(
            self.events
                .values()
                .filter(|event| mission.holds(event.event()))
                .cloned()
                .collect(),
        ))
    }

    fn load_for_tier(&mut self, destination: DataTier) -> Result<Vec<VerbatimEvent>> {
        Ok(in_canonical_order(
            self.events
                .values()
                .filter(|event| is_allowed_at(event.event(), destination))
                .cloned()
                .collect(),
        ))
    }
}

/// Lamport clock values kept in memory, one per node. It never fails.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InMemoryClockStorage {
    values: BTreeMap<String, u64>,
}

impl InMemoryClockStorage {
    /// An empty storage: every node's clock starts at 0.
    pub fn new() -> Self {
        Self::default()
    }
}

impl ClockStorage for InMemoryClockStorage {
    fn load(&self, node_id: &str) -> Result<u64> {
        Ok(self.values.get(node_id).copied().unwrap_or(0))
    }

    fn save(&mut self, node_id: &str, value: u64) -> Result<()> {
        self.values.insert(node_id.to_owned(), value);
        Ok(())
    }
}

/// Error entries kept in memory, at most `max_entries` of them.
///
/// When full, appending evicts the oldest entry. The bound is a
/// [`NonZeroUsize`]: a store that can keep nothing cannot be made. It never
/// fails.
///
/// ```
/// use std::num::NonZeroUsize;
/// use spec_kitty_events::contract::Timestamp;
/// use spec_kitty_events::store::{ErrorEntry, ErrorStorage};
/// use spec_kitty_events::store::InMemoryErrorStorage;
///
/// let mut store = InMemoryErrorStorage::with_max_entries(NonZeroUsize::MIN);
/// store.append(ErrorEntry::new(Timestamp::now(), "build", "linker failed")?)?;
/// store.append(ErrorEntry::new(Timestamp::now(), "test", "3 failures")?)?;
/// let recent = store.load_recent(NonZeroUsize::new(10).unwrap())?;
/// assert_eq!(recent.len(), 1);
/// assert_eq!(recent[0].action_attempted, "test");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InMemoryErrorStorage {
    entries: VecDeque<ErrorEntry>,
    max_entries: NonZeroUsize,
}

impl InMemoryErrorStorage {
    /// The default retention bound: 100 entries.
    pub const DEFAULT_MAX_ENTRIES: NonZeroUsize = NonZeroUsize::new(100).unwrap();

    /// An empty store keeping at most [`DEFAULT_MAX_ENTRIES`](Self::DEFAULT_MAX_ENTRIES).
    pub fn new() -> Self {
        Self::with_max_entries(Self::DEFAULT_MAX_ENTRIES)
    }

    /// An empty store keeping at most `max_entries`.
    pub fn with_max_entries(max_entries: NonZeroUsize) -> Self {
        Self {
            entries: VecDeque::new(),
            max_entries,
        }
    }

    /// The retention bound.
    pub fn max_entries(&self) -> NonZeroUsize {
        self.max_entries
    }

    /// How many entries are kept now.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entry is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Default for InMemoryErrorStorage {
    fn default() -> Self {
        Self::new()
    }
}

impl ErrorStorage for InMemoryErrorStorage {
    fn append(&mut self, entry: ErrorEntry) -> Result<()> {
        while self.entries.len() >= self.max_entries.get() {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
        Ok(())
    }

    fn load_recent(&self, limit: NonZeroUsize) -> Result<Vec<ErrorEntry>> {
        Ok(self
            .entries
            .iter()
            .rev()
            .take(limit.get())
            .cloned()
            .collect())
    }
}
