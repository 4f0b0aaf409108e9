//! [`WorkPackage<L>`]: the lane transition matrix as types.

use std::fmt;
use std::marker::PhantomData;

use crate::contract::event_types::{StatusTransitionPayload, StatusTransitionPayloadFields};
use crate::contract::{
    Actor, DoneEvidence, ExecutionMode, ForceMetadata, Lane, MissionId, NonEmptyString, ReviewRef,
    Ulid, WpId,
};
use crate::error::{Error, Result};

use super::emitter::{self, EmitError, Shared};
use super::mission::{Mission, MissionActive};
use super::sealed::Sealed;

/// A lane a [`WorkPackage`] can be in. Sealed: the states are the seven
/// markers [`Planned`] … [`Canceled`].
pub trait LaneState: Sealed {
    /// The lane this state stands for.
    const LANE: Lane;
}

/// A lane that is not terminal: [`block`](WorkPackage::block) and
/// [`cancel`](WorkPackage::cancel) exist exactly on these.
pub trait NonTerminal: LaneState {}

macro_rules! lanes {
    ($($(#[doc = $doc:literal])* $Marker:ident => $lane:ident $(, $non_terminal:ident)?;)+) => {
        $(
            $(#[doc = $doc])*
            #[derive(Debug)]
            pub enum $Marker {}
            impl Sealed for $Marker {}
            impl LaneState for $Marker {
                const LANE: Lane = Lane::$lane;
            }
            $(impl $non_terminal for $Marker {})?
        )+
    };
}

lanes! {
    /// Planned, not yet claimed.
    Planned => Planned, NonTerminal;
    /// Claimed by an agent, work not started.
    Claimed => Claimed, NonTerminal;
    /// Being worked on.
    InProgress => InProgress, NonTerminal;
    /// Submitted, waiting for review.
    ForReview => ForReview, NonTerminal;
    /// Approved with evidence. Terminal: only [`force_to`](WorkPackage::force_to) leaves it.
    Done => Done;
    /// Waiting on something outside the work package.
    Blocked => Blocked, NonTerminal;
    /// Abandoned for good. Terminal: only [`force_to`](WorkPackage::force_to) leaves it.
    Canceled => Canceled;
}

/// A lane a forced move from `From` may enter, and what that move must carry
/// besides its [`ForceMetadata`].
///
/// Force skips the transition matrix, not the guards, so the extra argument
/// of [`force_to`](WorkPackage::force_to) is:
/// - [`DoneEvidence`] into [`Done`], from any lane;
/// - the review reference (a [`ReviewRef`]) from [`ForReview`] into
///   [`InProgress`];
/// - `()` otherwise. (In-progress → planned needs a reason, which the
///   metadata always has.)
///
/// Sealed: implemented for every pair of this crate's lane markers.
pub trait ForceFrom<From: LaneState>: LaneState {
    /// What the move carries besides the force metadata.
    type Extra;

    /// Splits the extra argument into the payload's evidence and review
    /// reference.
    #[doc(hidden)]
    fn into_parts(extra: Self::Extra) -> (Option<DoneEvidence>, Option<NonEmptyString>);
}

impl<F: LaneState> ForceFrom<F> for Done {
    type Extra = DoneEvidence;
    fn into_parts(evidence: DoneEvidence) -> (Option<DoneEvidence>, Option<NonEmptyString>) {
        (Some(evidence), None)
    }
}

macro_rules! force_needs_nothing {
    (into $($To:ident),+) => {
        $(
            impl<F: LaneState> ForceFrom<F> for $To {
                type Extra = ();
                fn into_parts((): ()) -> (Option<DoneEvidence>, Option<NonEmptyString>) {
                    (None, None)
                }
            }
        )+
    };
    (from $($From:ident),+ into $To:ident) => {
        $(
            impl ForceFrom<$From> for $To {
                type Extra = ();
                fn into_parts((): ()) -> (Option<DoneEvidence>, Option<NonEmptyString>) {
                    (None, None)
                }
            }
        )+
    };
}

force_needs_nothing!(into Planned, Claimed, ForReview, Blocked, Canceled);
force_needs_nothing!(from Planned, Claimed, InProgress, Done, Blocked, Canceled into InProgress);

impl ForceFrom<ForReview> for InProgress {
    type Extra = ReviewRef;
    fn into_parts(review_ref: ReviewRef) -> (Option<DoneEvidence>, Option<NonEmptyString>) {
        (None, Some(review_ref.into()))
    }
}

/// A work package in lane `L`, emitting its `WPStatusChanged` events.
///
/// Planned in an active mission by [`WorkPackage::plan`]; from there each
/// method is one legal move of the matrix and exists only on the lanes it
/// leaves:
///
/// | from | method | to |
/// |---|---|---|
/// | planned | [`claim`](WorkPackage::claim) | claimed |
/// | claimed | [`start`](WorkPackage::start) | in_progress |
/// | in_progress | [`submit`](WorkPackage::submit) | for_review |
/// | in_progress | [`abandon`](WorkPackage::abandon)`(reason)` | planned |
/// | for_review | [`approve`](WorkPackage::approve)`(evidence)` | done |
/// | for_review | [`request_changes`](WorkPackage::request_changes)`(review_ref)` | in_progress |
/// | blocked | [`unblock`](WorkPackage::unblock) | in_progress |
/// | any non-terminal | [`block`](WorkPackage::block), [`cancel`](WorkPackage::cancel) | blocked, canceled |
/// | any | [`force_to`](WorkPackage::force_to)`::<L>(metadata, extra)` | `L` |
///
/// Events have the work package id as `aggregate_id` and the mission id as
/// `feature_slug`; each one's cause is the event before it, and the first
/// one's is the mission's event it was planned under.
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
    pub(super) last_event_id: Ulid,
    pub(super) lane: PhantomData<L>,
}

/// The parts of a `WPStatusChanged` payload that vary between moves.
struct Move {
    actor: NonEmptyString,
    force: bool,
    reason: Option<NonEmptyString>,
    review_ref: Option<NonEmptyString>,
    evidence: Option<DoneEvidence>,
}

impl Move {
    fn by(actor: &Actor) -> Self {
        Self {
            actor: actor.clone().into(),
            force: false,
            reason: None,
            review_ref: None,
            evidence: None,
        }
    }

    fn because(mut self, reason: NonEmptyString) -> Self {
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
    pub fn last_event_id(&self) -> Ulid {
        self.last_event_id
    }

    /// The lane `L` stands for.
    pub fn lane(&self) -> Lane {
        L::LANE
    }

    /// Forces the work package into lane `T`, past the transition matrix.
    ///
    /// `extra` is what the guards still demand ([`ForceFrom::Extra`]):
    /// [`DoneEvidence`] into [`Done`], the review reference from
    /// [`ForReview`] into [`InProgress`], `()` otherwise. The payload has
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
    /// [`Error::Storage`] when the clock cannot be advanced; the work package
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
    fn advance<T: LaneState>(self, change: Move) -> Result<WorkPackage<T>, EmitError<Self>> {
        let payload = StatusTransitionPayload::try_from(StatusTransitionPayloadFields {
            feature_slug: self.feature_slug.clone().into(),
            wp_id: self.wp_id.clone().into(),
            from_lane: Some(L::LANE),
            to_lane: T::LANE,
            actor: change.actor,
            force: change.force,
            reason: change.reason,
            execution_mode: self.execution_mode,
            review_ref: change.review_ref,
            evidence: change.evidence,
        });
        let emitted = payload.map_err(Error::from).and_then(|payload| {
            emitter::emit(
                &self.core,
                self.wp_id.as_str(),
                &payload,
                Some(self.last_event_id),
            )
        });
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

impl<L: NonTerminal> WorkPackage<L> {
    /// Blocks the work package, from any non-terminal lane (blocked
    /// included).
    ///
    /// # Errors
    /// [`Error::Storage`] when the clock cannot be advanced; the work package
    /// is handed back unchanged.
    pub fn block(self, reason: NonEmptyString, actor: &Actor) -> Moved<L, Blocked> {
        self.advance(Move::by(actor).because(reason))
    }

    /// Cancels the work package for good, from any non-terminal lane.
    ///
    /// # Errors
    /// [`Error::Storage`] when the clock cannot be advanced; the work package
    /// is handed back unchanged.
    pub fn cancel(self, reason: NonEmptyString, actor: &Actor) -> Moved<L, Canceled> {
        self.advance(Move::by(actor).because(reason))
    }
}

impl WorkPackage<Planned> {
    /// Plans a new work package in `mission`: emits `none -> planned`,
    /// caused by the mission's latest event.
    ///
    /// Only an [`MissionActive`] mission plans work packages.
    ///
    /// # Errors
    /// [`Error::Storage`] when the clock cannot be advanced.
    pub fn plan(
        mission: &Mission<MissionActive>,
        wp_id: WpId,
        execution_mode: ExecutionMode,
        actor: &Actor,
    ) -> Result<Self> {
        let payload = StatusTransitionPayload::try_from(StatusTransitionPayloadFields {
            feature_slug: mission.mission_id().clone().into(),
            wp_id: wp_id.clone().into(),
            from_lane: None,
            to_lane: Lane::Planned,
            actor: actor.clone().into(),
            force: false,
            reason: None,
            execution_mode,
            review_ref: None,
            evidence: None,
        })?;
        let event = emitter::emit(
            mission.shared(),
            wp_id.as_str(),
            &payload,
            Some(mission.last_event_id()),
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

    /// An agent claims the work package.
    ///
    /// # Errors
    /// [`Error::Storage`] when the clock cannot be advanced; the work package
    /// is handed back unchanged.
    pub fn claim(self, actor: &Actor) -> Moved<Planned, Claimed> {
        self.advance(Move::by(actor))
    }
}

impl WorkPackage<Claimed> {
    /// Work starts.
    ///
    /// # Errors
    /// [`Error::Storage`] when the clock cannot be advanced; the work package
    /// is handed back unchanged.
    pub fn start(self, actor: &Actor) -> Moved<Claimed, InProgress> {
        self.advance(Move::by(actor))
    }
}

impl WorkPackage<InProgress> {
    /// The work is submitted for review.
    ///
    /// # Errors
    /// [`Error::Storage`] when the clock cannot be advanced; the work package
    /// is handed back unchanged.
    pub fn submit(self, actor: &Actor) -> Moved<InProgress, ForReview> {
        self.advance(Move::by(actor))
    }

    /// The work is abandoned and the package goes back to planned; the
    /// contract demands a reason for this move.
    ///
    /// # Errors
    /// [`Error::Storage`] when the clock cannot be advanced; the work package
    /// is handed back unchanged.
    pub fn abandon(self, reason: NonEmptyString, actor: &Actor) -> Moved<InProgress, Planned> {
        self.advance(Move::by(actor).because(reason))
    }
}

impl WorkPackage<ForReview> {
    /// The review approves the work, with the evidence that it is done.
    ///
    /// # Errors
    /// [`Error::Storage`] when the clock cannot be advanced; the work package
    /// is handed back unchanged.
    pub fn approve(self, evidence: DoneEvidence, actor: &Actor) -> Moved<ForReview, Done> {
        let mut change = Move::by(actor);
        change.evidence = Some(evidence);
        self.advance(change)
    }

    /// The review sends the work back: a review rollback, which carries the
    /// review's reference.
    ///
    /// # Errors
    /// [`Error::Storage`] when the clock cannot be advanced; the work package
    /// is handed back unchanged.
    pub fn request_changes(
        self,
        review_ref: ReviewRef,
        actor: &Actor,
    ) -> Moved<ForReview, InProgress> {
        let mut change = Move::by(actor);
        change.review_ref = Some(review_ref.into());
        self.advance(change)
    }
}

impl WorkPackage<Blocked> {
    /// Work resumes after a block.
    ///
    /// # Errors
    /// [`Error::Storage`] when the clock cannot be advanced; the work package
    /// is handed back unchanged.
    pub fn unblock(self, actor: &Actor) -> Moved<Blocked, InProgress> {
        self.advance(Move::by(actor))
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
