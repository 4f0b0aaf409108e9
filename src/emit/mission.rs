//! [`Mission<S>`]: the mission lifecycle as types.

use std::fmt;
use std::marker::PhantomData;

use crate::contract::event_types::{
    GateFailedPayload, GatePassedPayload, MissionCancelledPayload, MissionCancelledPayloadFields,
    MissionCancelledPayloadV3, MissionCancelledPayloadV3Fields, MissionCompletedPayload,
    MissionCompletedPayloadFields, MissionCompletedPayloadV3, MissionCompletedPayloadV3Fields,
    MissionStartedPayload, MissionStartedPayloadFields, MissionStartedPayloadV3,
    MissionStartedPayloadV3Fields, PhaseEnteredPayload, PhaseEnteredPayloadFields,
    PhaseEnteredPayloadV3, PhaseEnteredPayloadV3Fields, ReviewRollbackPayload,
    ReviewRollbackPayloadFields, ReviewRollbackPayloadV3, ReviewRollbackPayloadV3Fields,
};
use crate::contract::{
    Actor, ContractVersion, Event, EventId, EventPayload, MissionId, MissionStatus, MissionType,
    NonEmptyString, Phase, ReviewRef, WpId,
};
use crate::error::Result;

use super::emitter::{self, EmitError, Emitter, Shared};
use super::sealed::Sealed;

/// A state a [`Mission`] can be in. Sealed: the states are [`MissionActive`],
/// [`MissionCompleted`] and [`MissionCancelled`].
pub trait MissionState: Sealed {
    /// The mission status this state stands for.
    const STATUS: MissionStatus;
}

/// The mission is running: phases can be entered, rolled back to, and the
/// mission can end.
#[derive(Debug)]
pub enum MissionActive {}

/// The mission completed. Terminal: no move leaves it.
#[derive(Debug)]
pub enum MissionCompleted {}

/// The mission was cancelled. Terminal: no move leaves it.
#[derive(Debug)]
pub enum MissionCancelled {}

impl Sealed for MissionActive {}
impl Sealed for MissionCompleted {}
impl Sealed for MissionCancelled {}

impl MissionState for MissionActive {
    const STATUS: MissionStatus = MissionStatus::Active;
}
impl MissionState for MissionCompleted {
    const STATUS: MissionStatus = MissionStatus::Completed;
}
impl MissionState for MissionCancelled {
    const STATUS: MissionStatus = MissionStatus::Cancelled;
}

/// A mission in state `S`, emitting its lifecycle events.
///
/// Started by [`Mission::start`], which consumes the [`Emitter`]. An
/// [`MissionActive`] mission can [`enter_phase`](Mission::enter_phase),
/// [`roll_back`](Mission::roll_back), [`complete`](Mission::complete) or
/// [`cancel`](Mission::cancel); the terminal states have no moves at all.
///
/// ```
/// use spec_kitty_events::emit::{Emitter, Mission};
/// use spec_kitty_events::store::{InMemoryClockStorage, LamportClock};
/// use spec_kitty_events::contract::{Actor, MissionStatus, Ulid};
///
/// let clock = LamportClock::new("cli", InMemoryClockStorage::default())?;
/// let emitter = Emitter::new(clock, Default::default(), Ulid::generate());
/// let log = emitter.log();
/// let rob: Actor = "rob".parse()?;
/// let mission = Mission::start(emitter, "M1".parse()?, "software-dev".parse()?, "specify".parse()?, &rob)?;
/// let mission = mission.enter_phase("implement".parse()?, &rob)?;
/// let done = mission.complete(&rob)?;
/// assert_eq!(done.status(), MissionStatus::Completed);
///
/// let events = log.take();
/// assert_eq!(events.len(), 3);
/// assert_eq!(events[2].event_type(), "MissionCompleted");
/// assert_eq!(events[2].causation_id(), Some(events[1].event_id()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use = "a mission builder is the only way to emit the mission's next event"]
pub struct Mission<S: MissionState> {
    pub(super) core: Shared,
    pub(super) mission_id: MissionId,
    pub(super) mission_type: MissionType,
    pub(super) current_phase: Phase,
    pub(super) last_event_id: EventId,
    pub(super) state: PhantomData<S>,
}

impl<S: MissionState> Mission<S> {
    /// The mission's id (the `aggregate_id` of its events, and the
    /// `feature_slug` of its work packages' events).
    pub fn mission_id(&self) -> &MissionId {
        &self.mission_id
    }

    /// The kind of mission, e.g. `software-dev`.
    pub fn mission_type(&self) -> &MissionType {
        &self.mission_type
    }

    /// The phase the mission is in (or ended in).
    pub fn current_phase(&self) -> &Phase {
        &self.current_phase
    }

    /// The event that put the mission in its current state: the cause of the
    /// next one.
    pub fn last_event_id(&self) -> EventId {
        self.last_event_id
    }

    /// The status `S` stands for.
    pub fn status(&self) -> MissionStatus {
        S::STATUS
    }

    /// A handle on the events this mission's emitter collects (empty when
    /// it saves into a store, see [`Emitter::with_store`]).
    pub fn log(&self) -> super::EventLog {
        super::EventLog::of(&self.core)
    }

    pub(super) fn shared(&self) -> &Shared {
        &self.core
    }

    /// The contract version the mission's events are written under.
    fn version(&self) -> ContractVersion {
        emitter::contract_version(&self.core)
    }

    /// Emits `payload` as the mission's next event and moves to `T`; on
    /// failure hands `self` back.
    fn advance<T: MissionState>(
        self,
        payload: Versioned<impl EventPayload, impl EventPayload>,
        current_phase: Option<Phase>,
    ) -> Result<Mission<T>, EmitError<Self>> {
        let emitted = payload.emit(
            &self.core,
            self.mission_id.as_str(),
            Some(self.last_event_id),
        );
        match emitted {
            Ok(event) => Ok(Mission {
                core: self.core,
                mission_id: self.mission_id,
                mission_type: self.mission_type,
                current_phase: current_phase.unwrap_or(self.current_phase),
                last_event_id: event.event_id(),
                state: PhantomData,
            }),
            Err(error) => Err(EmitError::new(self, error)),
        }
    }
}

impl Mission<MissionActive> {
    /// Starts the mission: emits `MissionStarted` with no cause.
    ///
    /// Consumes the emitter, since it holds this mission execution's
    /// correlation id: one emitter starts one mission.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the clock cannot be advanced; the
    /// [`EmitError`] gives the emitter back.
    pub fn start(
        emitter: Emitter,
        mission_id: MissionId,
        mission_type: MissionType,
        initial_phase: Phase,
        actor: &Actor,
    ) -> Result<Self, EmitError<Emitter>> {
        let core = emitter.into_shared();
        let payload = match emitter::contract_version(&core) {
            ContractVersion::V1 => Versioned::V1(MissionStartedPayload::try_from(
                MissionStartedPayloadFields {
                    mission_id: mission_id.clone().into(),
                    mission_type: mission_type.clone().into(),
                    initial_phase: initial_phase.clone().into(),
                    actor: actor.clone().into(),
                },
            )),
            ContractVersion::V3 => Versioned::V3(MissionStartedPayloadV3::try_from(
                MissionStartedPayloadV3Fields {
                    mission_id: mission_id.clone().into(),
                    mission_type: mission_type.clone().into(),
                    initial_phase: initial_phase.clone().into(),
                    actor: actor.clone().into(),
                    mission_slug: None,
                },
            )),
        };
        let emitted = payload.emit(&core, mission_id.as_str(), None);
        match emitted {
            Ok(event) => Ok(Self {
                core,
                mission_id,
                mission_type,
                current_phase: initial_phase,
                last_event_id: event.event_id(),
                state: PhantomData,
            }),
            Err(error) => Err(EmitError::new(Emitter::from_shared(core), error)),
        }
    }

    /// Enters `phase`: emits `PhaseEntered` with the current phase as
    /// `previous_phase`.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the clock cannot be advanced; the mission is
    /// handed back unchanged.
    pub fn enter_phase(
        self,
        phase: Phase,
        actor: &Actor,
    ) -> Result<Mission<MissionActive>, EmitError<Self>> {
        let payload = match self.version() {
            ContractVersion::V1 => {
                Versioned::V1(PhaseEnteredPayload::try_from(PhaseEnteredPayloadFields {
                    mission_id: self.mission_id.clone().into(),
                    phase_name: phase.clone().into(),
                    previous_phase: Some(self.current_phase.clone().into()),
                    actor: actor.clone().into(),
                }))
            }
            ContractVersion::V3 => Versioned::V3(PhaseEnteredPayloadV3::try_from(
                PhaseEnteredPayloadV3Fields {
                    mission_id: self.mission_id.clone().into(),
                    phase_name: phase.clone().into(),
                    previous_phase: Some(self.current_phase.to_string()),
                    actor: actor.clone().into(),
                    mission_slug: None,
                },
            )),
        };
        self.advance(payload, Some(phase))
    }

    /// A review sends the mission back to `target_phase`: emits
    /// `ReviewRollback`.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the clock cannot be advanced; the mission is
    /// handed back unchanged.
    pub fn roll_back(
        self,
        review_ref: ReviewRef,
        target_phase: Phase,
        affected_wp_ids: Vec<WpId>,
        actor: &Actor,
    ) -> Result<Mission<MissionActive>, EmitError<Self>> {
        let mission_id: NonEmptyString = self.mission_id.clone().into();
        let affected_wp_ids: Vec<NonEmptyString> =
            affected_wp_ids.into_iter().map(Into::into).collect();
        let payload = match self.version() {
            ContractVersion::V1 => Versioned::V1(ReviewRollbackPayload::try_from(
                ReviewRollbackPayloadFields {
                    mission_id,
                    review_ref: review_ref.into(),
                    target_phase: target_phase.clone().into(),
                    affected_wp_ids,
                    actor: actor.clone().into(),
                },
            )),
            ContractVersion::V3 => Versioned::V3(ReviewRollbackPayloadV3::try_from(
                ReviewRollbackPayloadV3Fields {
                    mission_id,
                    review_ref: review_ref.into(),
                    target_phase: target_phase.clone().into(),
                    affected_wp_ids,
                    actor: actor.clone().into(),
                },
            )),
        };
        self.advance(payload, Some(target_phase))
    }

    /// Completes the mission in its current phase: emits `MissionCompleted`.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the clock cannot be advanced; the mission is
    /// handed back unchanged.
    pub fn complete(self, actor: &Actor) -> Result<Mission<MissionCompleted>, EmitError<Self>> {
        let payload = match self.version() {
            ContractVersion::V1 => Versioned::V1(MissionCompletedPayload::try_from(
                MissionCompletedPayloadFields {
                    mission_id: self.mission_id.clone().into(),
                    mission_type: self.mission_type.clone().into(),
                    final_phase: self.current_phase.clone().into(),
                    actor: actor.clone().into(),
                },
            )),
            ContractVersion::V3 => Versioned::V3(MissionCompletedPayloadV3::try_from(
                MissionCompletedPayloadV3Fields {
                    mission_id: self.mission_id.clone().into(),
                    mission_type: self.mission_type.clone().into(),
                    final_phase: self.current_phase.clone().into(),
                    actor: actor.clone().into(),
                    mission_slug: None,
                },
            )),
        };
        self.advance(payload, None)
    }

    /// Cancels the mission: emits `MissionCancelled`.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the clock cannot be advanced; the mission is
    /// handed back unchanged.
    pub fn cancel(
        self,
        reason: NonEmptyString,
        cancelled_wp_ids: Vec<WpId>,
        actor: &Actor,
    ) -> Result<Mission<MissionCancelled>, EmitError<Self>> {
        let cancelled_wp_ids: Vec<NonEmptyString> =
            cancelled_wp_ids.into_iter().map(Into::into).collect();
        let payload = match self.version() {
            ContractVersion::V1 => Versioned::V1(MissionCancelledPayload::try_from(
                MissionCancelledPayloadFields {
                    mission_id: self.mission_id.clone().into(),
                    reason,
                    actor: actor.clone().into(),
                    cancelled_wp_ids,
                },
            )),
            ContractVersion::V3 => Versioned::V3(MissionCancelledPayloadV3::try_from(
                MissionCancelledPayloadV3Fields {
                    mission_id: self.mission_id.clone().into(),
                    reason,
                    actor: actor.clone().into(),
                    cancelled_wp_ids,
                },
            )),
        };
        self.advance(payload, None)
    }

    /// Records an event that belongs to the mission but moves no lifecycle
    /// (a CI gate's outcome), caused by the mission's current state.
    ///
    /// Only payloads outside the lifecycle qualify ([`OutOfLifecycle`]): a
    /// lane or mission move has to go through its builder. The event type is
    /// `P`'s own.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the clock cannot be advanced.
    pub fn record<P: OutOfLifecycle>(&self, payload: &P) -> Result<Event> {
        emitter::emit(
            &self.core,
            self.mission_id.as_str(),
            payload,
            Some(self.last_event_id),
        )
    }
}

/// A payload built for the emitter's contract version: the 0.4 declaration
/// or the schema 3.0.0 one, or why the fields break its rules.
pub(super) enum Versioned<V1, V3> {
    /// Under [`ContractVersion::V1`].
    V1(Result<V1, crate::error::ValidationError>),
    /// Under [`ContractVersion::V3`].
    V3(Result<V3, crate::error::ValidationError>),
}

impl<V1: EventPayload, V3: EventPayload> Versioned<V1, V3> {
    /// Emits the payload (see [`emitter::emit`]).
    pub(super) fn emit(
        self,
        core: &Shared,
        aggregate_id: &str,
        causation_id: Option<EventId>,
    ) -> Result<Event> {
        match self {
            Versioned::V1(payload) => emitter::emit(core, aggregate_id, &payload?, causation_id),
            Versioned::V3(payload) => emitter::emit(core, aggregate_id, &payload?, causation_id),
        }
    }
}

impl<S: MissionState> fmt::Debug for Mission<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mission")
            .field("status", &S::STATUS)
            .field("mission_id", &self.mission_id)
            .field("current_phase", &self.current_phase)
            .field("last_event_id", &self.last_event_id)
            .finish_non_exhaustive()
    }
}

/// A payload that belongs to a mission without moving its lifecycle: the CI
/// gate outcomes. Sealed.
pub trait OutOfLifecycle: EventPayload + Sealed {}

impl Sealed for GatePassedPayload {}
impl Sealed for GateFailedPayload {}
impl OutOfLifecycle for GatePassedPayload {}
impl OutOfLifecycle for GateFailedPayload {}
