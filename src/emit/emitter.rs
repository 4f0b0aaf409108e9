//! The [`Emitter`]: what every event of one mission execution shares.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use uuid::Uuid;

use crate::contract::{
    ContractVersion, DEFAULT_BUILD_ID, DataTier, Event, EventPayload, Timestamp, Ulid,
};
use crate::error::{Error, Result};
use crate::store::{ClockStorage, EventStore, LamportClock};

/// The node, project and mission execution that the events of one mission
/// come from.
///
/// An emitter owns the node's [`LamportClock`] (each event takes its next
/// tick), the project's identity and the mission's `correlation_id`. It is
/// handed to [`Mission::start`](super::Mission::start), which consumes it: one
/// emitter is one mission execution, so a second `MissionStarted` under the
/// same correlation id cannot be written. The builders share it from then on.
///
/// What is emitted collects in an [`EventLog`]; take a handle with
/// [`log`](Emitter::log) before starting the mission (or
/// [`Mission::log`](super::Mission::log) after). With a store
/// ([`with_store`](Emitter::with_store)) each event is saved into it instead.
///
/// Events are written under [`ContractVersion::CURRENT`] (schema 3.0.0,
/// `mission_slug`, the ten lanes) with the `build_id` [`DEFAULT_BUILD_ID`];
/// [`with_contract_version`](Emitter::with_contract_version) chooses the
/// 0.4 writer ([`ContractVersion::V1`]: schema 1.0.0, `feature_slug`, no
/// `build_id`) and [`with_build_id`](Emitter::with_build_id) another build.
///
/// ```
/// use spec_kitty_events::contract::Ulid;
/// use spec_kitty_events::store::LamportClock;
/// use spec_kitty_events::emit::Emitter;
/// use spec_kitty_events::store::InMemoryClockStorage;
///
/// let clock = LamportClock::new("cli", InMemoryClockStorage::default())?;
/// let emitter = Emitter::new(clock, Default::default(), Ulid::generate())
///     .with_project_slug("spec-kitty");
/// let log = emitter.log();
/// assert!(log.is_empty());
/// # Ok::<(), spec_kitty_events::Error>(())
/// ```
pub struct Emitter {
    core: Shared,
}

impl Emitter {
    /// An emitter whose events take their ticks from `clock` and name its
    /// node, the project `project_uuid` and the mission execution
    /// `correlation_id`.
    pub fn new<S>(clock: LamportClock<S>, project_uuid: Uuid, correlation_id: Ulid) -> Self
    where
        S: ClockStorage + Send + 'static,
    {
        Self {
            core: Arc::new(Mutex::new(Core {
                clock: Box::new(clock),
                project_uuid,
                project_slug: None,
                correlation_id,
                data_tier: DataTier::LOCAL,
                events: Vec::new(),
                store: None,
                resumable: std::collections::HashMap::new(),
                contract_version: ContractVersion::CURRENT,
                build_id: DEFAULT_BUILD_ID.to_owned(),
            })),
        }
    }

    /// Saves every event into `store` as it is emitted (instead of
    /// collecting it in the [`EventLog`]); a move whose event the store
    /// refuses fails, handing its builder back.
    ///
    /// With a [`JsonlFileStore`](crate::store::JsonlFileStore) and a
    /// [`FileClockStorage`](crate::store::FileClockStorage), several
    /// processes can emit into one mission's log.
    #[must_use]
    pub fn with_store(self, store: impl EventStore + Send + 'static) -> Self {
        self.update(|core| core.store = Some(Box::new(store)))
    }

    /// Writes every event under contract `version` (default
    /// [`ContractVersion::CURRENT`]). Under [`ContractVersion::V1`], the 0.4
    /// writer, a move into a lane 0.4 does not have (`in_review`,
    /// `approved`) fails at run time with the payload's error naming
    /// `to_lane`, handing the builder back.
    #[must_use]
    pub fn with_contract_version(self, version: ContractVersion) -> Self {
        self.update(|core| core.contract_version = version)
    }

    /// Sets the `build_id` written into schema 3.0.0 events (default
    /// [`DEFAULT_BUILD_ID`]; 0.4 events have none). Blank text is refused
    /// by the first move, naming `build_id`.
    #[must_use]
    pub fn with_build_id(self, build_id: impl Into<String>) -> Self {
        self.update(|core| core.build_id = build_id.into())
    }

    /// Sets the project's human-readable slug (default: none).
    #[must_use]
    pub fn with_project_slug(self, slug: impl Into<String>) -> Self {
        self.update(|core| core.project_slug = Some(slug.into()))
    }

    /// Sets how far the emitted events may travel (default:
    /// [`DataTier::LOCAL`]).
    #[must_use]
    pub fn with_data_tier(self, tier: DataTier) -> Self {
        self.update(|core| core.data_tier = tier)
    }

    /// A handle on the events this emitter (and every builder it is handed
    /// to) emits.
    pub fn log(&self) -> EventLog {
        EventLog {
            core: Arc::clone(&self.core),
        }
    }

    /// The mission execution's correlation id.
    pub fn correlation_id(&self) -> Ulid {
        lock(&self.core).correlation_id
    }

    fn update(self, change: impl FnOnce(&mut Core)) -> Self {
        change(&mut lock(&self.core));
        self
    }

    pub(super) fn into_shared(self) -> Shared {
        self.core
    }

    pub(super) fn from_shared(core: Shared) -> Self {
        Self { core }
    }
}

impl fmt::Debug for Emitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let core = lock(&self.core);
        f.debug_struct("Emitter")
            .field("node_id", &core.clock.node_id())
            .field("project_uuid", &core.project_uuid)
            .field("correlation_id", &core.correlation_id)
            .finish_non_exhaustive()
    }
}

/// The events an [`Emitter`] and its builders have emitted, in emission order.
///
/// A cheap handle: clones see the same log. Emission order is also Lamport
/// order, since every event takes the next tick of one clock.
#[derive(Clone)]
pub struct EventLog {
    core: Shared,
}

impl EventLog {
    pub(super) fn of(core: &Shared) -> Self {
        Self {
            core: Arc::clone(core),
        }
    }

    /// A copy of every event emitted and not yet taken.
    pub fn events(&self) -> Vec<Event> {
        lock(&self.core).events.clone()
    }

    /// Takes every event emitted so far, leaving the log empty.
    pub fn take(&self) -> Vec<Event> {
        std::mem::take(&mut lock(&self.core).events)
    }

    /// Takes every event emitted so far and saves each into `store`.
    ///
    /// # Errors
    /// The store's error; the events not yet saved are put back in the log,
    /// so a retry saves them (saving is idempotent by event id).
    pub fn save_into(&self, store: &mut impl EventStore) -> Result<()> {
        let events = self.take();
        for (index, event) in events.iter().enumerate() {
            if let Err(error) = store.save_event(event) {
                let mut core = lock(&self.core);
                let newer = std::mem::take(&mut core.events);
                core.events = events[index..].to_vec();
                core.events.extend(newer);
                return Err(error);
            }
        }
        Ok(())
    }

    /// How many events the log holds.
    pub fn len(&self) -> usize {
        lock(&self.core).events.len()
    }

    /// Whether the log holds no event.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for EventLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(lock(&self.core).events.iter())
            .finish()
    }
}

/// A transition that could not be emitted, with the builder it started from.
///
/// Nothing was emitted, so the builder is still in its old state and the
/// move can be retried. `?` turns it into the crate's [`Error`], dropping the
/// builder. Boxed, so that the `Result` of a move stays one pointer wide on
/// the error side.
pub struct EmitError<B>(Box<(B, Error)>);

impl<B> EmitError<B> {
    pub(super) fn new(builder: B, error: Error) -> Self {
        Self(Box::new((builder, error)))
    }

    /// The builder, unchanged, to retry with.
    pub fn into_builder(self) -> B {
        self.0.0
    }

    /// What went wrong.
    pub fn error(&self) -> &Error {
        &self.0.1
    }

    /// The builder and the error.
    pub fn into_parts(self) -> (B, Error) {
        *self.0
    }
}

impl<B> From<EmitError<B>> for Error {
    fn from(failed: EmitError<B>) -> Self {
        failed.0.1
    }
}

impl<B> fmt::Debug for EmitError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmitError")
            .field("error", self.error())
            .finish_non_exhaustive()
    }
}

impl<B> fmt::Display for EmitError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not emit the transition: {}", self.error())
    }
}

impl<B> std::error::Error for EmitError<B> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.error())
    }
}

/// The emitter's state, shared by the mission and its work packages.
///
/// Builders of one mission may live on several threads (a work package per
/// task), so the core sits behind a mutex; the lock is held for one `emit`
/// call (or one resume) and never across a user's code.
pub(super) type Shared = Arc<Mutex<Core>>;

pub(super) struct Core {
    clock: Box<dyn Tick + Send>,
    pub(super) project_uuid: Uuid,
    pub(super) project_slug: Option<String>,
    pub(super) correlation_id: Ulid,
    pub(super) data_tier: DataTier,
    events: Vec<Event>,
    store: Option<Box<dyn EventStore + Send>>,
    /// Work packages found in the log a mission was resumed from and not yet
    /// taken as a handle: each can be taken once.
    pub(super) resumable: std::collections::HashMap<String, Option<WpHead>>,
    /// The contract version every event is written under.
    pub(super) contract_version: ContractVersion,
    /// The `build_id` of schema 3.0.0 events.
    pub(super) build_id: String,
}

/// What the log says of one work package, until its handle is taken.
#[derive(Debug, Clone, Copy)]
pub(super) struct WpHead {
    pub(super) lane: crate::contract::Lane,
    pub(super) last_event_id: crate::contract::EventId,
    pub(super) execution_mode: crate::contract::ExecutionMode,
}

impl Core {
    /// Moves the node's clock past `remote` (a value seen in the log).
    pub(super) fn observe(&mut self, remote: u64) -> Result<u64> {
        self.clock.update(remote)
    }
}

/// Locks the core. Every change under the lock is one step (a tick, a push),
/// so a panic elsewhere cannot leave it half-changed: poisoning is ignored.
pub(super) fn lock(core: &Shared) -> MutexGuard<'_, Core> {
    core.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The contract version `core` writes under.
pub(super) fn contract_version(core: &Shared) -> ContractVersion {
    lock(core).contract_version
}

/// Makes every later event of `core` save into `store`.
pub(super) fn attach_store(core: &Shared, store: Box<dyn EventStore + Send>) {
    lock(core).store = Some(store);
}

/// Erases the clock's storage type, so that builders are not generic over it.
trait Tick {
    fn tick(&mut self) -> Result<u64>;
    fn update(&mut self, remote: u64) -> Result<u64>;
    fn node_id(&self) -> &str;
}

impl<S: ClockStorage> Tick for LamportClock<S> {
    fn tick(&mut self) -> Result<u64> {
        LamportClock::tick(self)
    }

    fn update(&mut self, remote: u64) -> Result<u64> {
        LamportClock::update(self, remote)
    }

    fn node_id(&self) -> &str {
        LamportClock::node_id(self)
    }
}

/// Emits one event carrying `payload`, under `P`'s own event type (there is
/// no way to name another).
pub(super) fn emit<P: EventPayload>(
    core: &Shared,
    aggregate_id: &str,
    payload: &P,
    causation_id: Option<crate::contract::EventId>,
) -> Result<Event> {
    let mut core = lock(core);
    // A tick spent on an event that then fails to build leaves a gap in the
    // clock, which is harmless: Lamport clocks only promise to increase.
    let lamport_clock = core.clock.tick()?;
    let builder = Event::builder(payload).contract_version(core.contract_version);
    let builder = match core.contract_version {
        ContractVersion::V1 => builder,
        ContractVersion::V3 => builder.build_id(core.build_id.clone()),
    };
    let event = builder
        .aggregate_id(aggregate_id)
        .node_id(core.clock.node_id())
        .lamport_clock(lamport_clock)
        .causation_id(causation_id)
        .project_uuid(core.project_uuid)
        .project_slug(core.project_slug.clone())
        .correlation_id(core.correlation_id)
        .data_tier(core.data_tier.get())
        .timestamp(Timestamp::now())
        .build()?;
    match &mut core.store {
        Some(store) => store.save_event(&event)?,
        None => core.events.push(event.clone()),
    }
    Ok(event)
}
