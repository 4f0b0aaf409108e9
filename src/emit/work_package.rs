//! [`WorkPackage<L>`]: the lane transition matrix as types.

use std::fmt;
use std::marker::PhantomData;

use crate::contract::event_types::{
    StatusTransitionPayload, StatusTransitionPayloadFields, StatusTransitionPayloadV3,
    StatusTransitionPayloadV3Fields,
};
use crate::contract::{
    Actor, ContractVersion, DoneEvidence, Event, EventId, ExecutionMode, ForceMetadata, Lane,
    MissionId, MoveActor, NonEmptyString, WpId,
};
use crate::error::Result;

use super::emitter::{self, EmitError, Shared};
use super::lanes::{ForceFrom, LaneState, Planned};
use super::mission::{Mission, MissionActive, Versioned};

/// A work package in lane `L`, emitting its `WPStatusChanged` events.
///
/// Planned in an active mission by [`WorkPackage::plan`]; from there each
/// method is one legal move of the matrix of schema 3.0.0 (the version the
/// emitter writes by default) and exists only on the lanes it leaves:
///
/// | from | method | to |
/// |---|---|---|
/// | genesis | [`promote`](WorkPackage::promote) | planned |
/// | planned | [`claim`](WorkPackage::claim) | claimed |
/// | claimed | [`start`](WorkPackage::start) | in_progress |
/// | in_progress | [`submit`](WorkPackage::submit) | for_review |
/// | in_progress | [`abandon`](WorkPackage::abandon)`(reason)` | planned |
/// | for_review | [`begin_review`](WorkPackage::begin_review) | in_review |
/// | in_review | [`release`](WorkPackage::release) | for_review |
/// | in_progress, for_review, in_review | [`accept`](WorkPackage::accept)`(evidence)` | approved |
/// | for_review, in_review | [`approve`](WorkPackage::approve)`(evidence)` | done |
/// | approved | [`complete`](WorkPackage::complete)`(evidence)` | done |
/// | for_review, in_review, approved | [`request_changes`](WorkPackage::request_changes)`(review_ref)` | in_progress |
/// | blocked | [`unblock`](WorkPackage::unblock) | in_progress |
/// | any non-terminal | [`block`](WorkPackage::block), [`cancel`](WorkPackage::cancel) | blocked, canceled |
/// | any | [`force_to`](WorkPackage::force_to)`::<L>(metadata, extra)` | `L` |
///
/// A review rejection back to planned (from for_review, in_review or
/// approved) needs force in 3.0.0: it is `force_to::<Planned>`.
///
/// Under the 0.4 writer ([`ContractVersion::V1`], chosen with
/// [`Emitter::with_contract_version`](super::Emitter::with_contract_version))
/// the moves are the same, and a move into `in_review` or `approved`, which
/// 0.4 does not have, fails with an error naming `to_lane` and hands the
/// builder back. Under 3.0.0, where an unforced in_progress → planned is
/// refused, [`abandon`](WorkPackage::abandon) writes `force: true` with its
/// reason.
///
/// Events have the work package id as `aggregate_id` and the mission id as
/// `mission_slug` (`feature_slug` under 0.4); each one's cause is the event
/// before it, and the first one's is the mission's event it was planned
/// under.
///
/// ```
/// use spec_kitty_events::emit::{Emitter, Mission, WorkPackage};
/// use spec_kitty_events::store::{InMemoryClockStorage, LamportClock};
/// use spec_kitty_events::contract::{Actor, ExecutionMode, Lane, Ulid};
///
/// let clock = LamportClock::new("cli", InMemoryClockStorage::default())?;
/// let emitter = Emitter::new(clock, Default::default(), Ulid::generate());
/// let log = emitter.log();
/// let rob: Actor = "rob".parse()?;
/// let mission = Mission::start(emitter, "M1".parse()?, "software-dev".parse()?, "implement".parse()?, &rob)?;
/// let wp = WorkPackage::plan(&mission, "WP01".parse()?, ExecutionMode::Worktree, &rob)?;
/// let wp = wp.claim(&rob)?.start(&rob)?.submit(&rob)?;
/// let wp = wp.request_changes("review-1".parse()?, &rob)?;
/// assert_eq!(wp.lane(), Lane::InProgress);
/// assert_eq!(log.len(), 6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use = "a work package builder is the only way to emit the work package's next event"]
pub struct WorkPackage<L: LaneState> {
    pub(super) core: Shared,
    pub(super) feature_slug: MissionId,
    pub(super) wp_id: WpId,
    pub(super) execution_mode: ExecutionMode,
    pub(super) last_event_id: EventId,
    pub(super) lane: PhantomData<L>,
}

/// The parts of a `WPStatusChanged` payload that vary between moves.
pub(super) struct Move {
    pub(super) actor: NonEmptyString,
    pub(super) force: bool,
    pub(super) reason: Option<NonEmptyString>,
    pub(super) review_ref: Option<NonEmptyString>,
    pub(super) evidence: Option<DoneEvidence>,
}

impl Move {
    pub(super) fn by(actor: &Actor) -> Self {
        Self {
            actor: actor.clone().into(),
            force: false,
            reason: None,
            review_ref: None,
            evidence: None,
        }
    }

    pub(super) fn because(mut self, reason: NonEmptyString) -> Self {
        self.reason = Some(reason);
        self
    }
}

impl<L: LaneState> WorkPackage<L> {
    /// The work package id, e.g. `WP01`.
    pub fn wp_id(&self) -> &WpId {
        &self.wp_id
    }

    /// The mission the work package belongs to.
    pub fn feature_slug(&self) -> &MissionId {
        &self.feature_slug
    }

    /// How the work package is carried out.
    pub fn execution_mode(&self) -> ExecutionMode {
        self.execution_mode
    }

    /// The event that put the work package in its lane: the cause of the next
    /// one.
    pub fn last_event_id(&self) -> EventId {
        self.last_event_id
    }

    /// The lane `L` stands for.
    pub fn lane(&self) -> Lane {
        L::LANE
    }

    /// Forces the work package into lane `T`, past the transition matrix.
    ///
    /// `extra` is what the guards still demand ([`ForceFrom::Extra`]):
    /// [`DoneEvidence`] into [`Done`](super::Done) or
    /// [`Approved`](super::Approved), the review reference from a review
    /// lane into [`InProgress`](super::InProgress), `()` otherwise. The
    /// payload has
    /// `force: true` and takes its actor and reason from `metadata`.
    ///
    /// ```
    /// # use spec_kitty_events::emit::{Emitter, Mission, WorkPackage, Canceled, Planned};
    /// # use spec_kitty_events::store::{InMemoryClockStorage, LamportClock};
    /// # use spec_kitty_events::contract::{Actor, ExecutionMode, ForceMetadata, NonEmptyString, Ulid};
    /// # let name = |s: &str| NonEmptyString::new(s);
    /// # let emitter = Emitter::new(LamportClock::new("cli", InMemoryClockStorage::default())?, Default::default(), Ulid::generate());
    /// # let rob: Actor = "rob".parse()?;
    /// # let mission = Mission::start(emitter, "M1".parse()?, "software-dev".parse()?, "implement".parse()?, &rob)?;
    /// let wp = WorkPackage::plan(&mission, "WP01".parse()?, ExecutionMode::Worktree, &rob)?;
    /// let wp = wp.cancel(name("out of scope")?, &rob)?;
    /// let metadata = ForceMetadata::new(name("lead")?, name("back in scope")?)?;
    /// let wp: WorkPackage<Planned> = wp.force_to::<Planned>(metadata, ())?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the clock cannot be
    /// advanced, or the payload's error when the emitter's contract version
    /// does not have lane `T`; the work package
    /// is handed back unchanged.
    pub fn force_to<T: ForceFrom<L>>(
        self,
        metadata: ForceMetadata,
        extra: T::Extra,
    ) -> Result<WorkPackage<T>, EmitError<Self>> {
        let (evidence, review_ref) = T::into_parts(extra);
        let change = Move {
            actor: metadata.actor().clone(),
            force: true,
            reason: Some(metadata.reason().clone()),
            review_ref,
            evidence,
        };
        self.advance(change)
    }

    /// Emits the move from `L` to `T` and returns the builder in `T`; on
    /// failure hands `self` back.
    pub(super) fn advance<T: LaneState>(
        self,
        change: Move,
    ) -> Result<WorkPackage<T>, EmitError<Self>> {
        let emitted = emit_move(
            &self.core,
            &self.feature_slug,
            &self.wp_id,
            self.execution_mode,
            (Some(L::LANE), T::LANE),
            change,
            self.last_event_id,
        );
        match emitted {
            Ok(event) => Ok(WorkPackage {
                core: self.core,
                feature_slug: self.feature_slug,
                wp_id: self.wp_id,
                execution_mode: self.execution_mode,
                last_event_id: event.event_id(),
                lane: PhantomData,
            }),
            Err(error) => Err(EmitError::new(self, error)),
        }
    }
}

/// The outcome of a move out of lane `L` into lane `T`.
pub type Moved<L, T> = Result<WorkPackage<T>, EmitError<WorkPackage<L>>>;

/// Emits one `WPStatusChanged` of `wp_id`, `from -> to`, in the payload of
/// the emitter's contract version.
fn emit_move(
    core: &Shared,
    mission: &MissionId,
    wp_id: &WpId,
    execution_mode: ExecutionMode,
    (from_lane, to_lane): (Option<Lane>, Lane),
    mut change: Move,
    cause: EventId,
) -> Result<Event> {
    let version = emitter::contract_version(core);
    // 3.0.0 refuses an unforced in_progress -> planned; the reason an
    // abandon carries is the force's reason.
    if version == ContractVersion::V3
        && from_lane == Some(Lane::InProgress)
        && to_lane == Lane::Planned
    {
        change.force = true;
    }
    let payload = match version {
        ContractVersion::V1 => Versioned::V1(StatusTransitionPayload::try_from(
            StatusTransitionPayloadFields {
                feature_slug: mission.clone().into(),
                wp_id: wp_id.clone().into(),
                from_lane,
                to_lane,
                actor: change.actor,
                force: change.force,
                reason: change.reason,
                execution_mode,
                review_ref: change.review_ref,
                evidence: change.evidence,
            },
        )),
        ContractVersion::V3 => Versioned::V3(StatusTransitionPayloadV3::try_from(
            StatusTransitionPayloadV3Fields {
                mission_slug: mission.clone().into(),
                mission_id: None,
                wp_id: wp_id.clone().into(),
                from_lane,
                to_lane,
                actor: MoveActor::Name(change.actor.to_string()),
                force: change.force,
                reason: change.reason.map(|reason| reason.to_string()),
                execution_mode,
                review_ref: change.review_ref.map(|review| review.to_string()),
                summary: None,
                evidence: change.evidence,
            },
        )),
    };
    payload.emit(core, wp_id.as_str(), Some(cause))
}

impl WorkPackage<Planned> {
    /// Plans a new work package in `mission`: emits `none -> planned`,
    /// caused by the mission's latest event.
    ///
    /// Only an [`MissionActive`] mission plans work packages.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the clock cannot be
    /// advanced.
    pub fn plan(
        mission: &Mission<MissionActive>,
        wp_id: WpId,
        execution_mode: ExecutionMode,
        actor: &Actor,
    ) -> Result<Self> {
        let event = emit_move(
            mission.shared(),
            mission.mission_id(),
            &wp_id,
            execution_mode,
            (None, Lane::Planned),
            Move::by(actor),
            mission.last_event_id(),
        )?;
        Ok(Self {
            core: mission.shared().clone(),
            feature_slug: mission.mission_id().clone(),
            wp_id,
            execution_mode,
            last_event_id: event.event_id(),
            lane: PhantomData,
        })
    }
}

impl<L: LaneState> fmt::Debug for WorkPackage<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkPackage")
            .field("lane", &L::LANE)
            .field("wp_id", &self.wp_id)
            .field("feature_slug", &self.feature_slug)
            .field("last_event_id", &self.last_event_id)
            .finish_non_exhaustive()
    }
}
