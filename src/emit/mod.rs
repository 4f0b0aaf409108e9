//! Typestate emission: lifecycle moves the contract forbids do not compile.
//!
//! [`Mission<S>`] and [`WorkPackage<L>`] are builders whose type parameter is
//! the state they are in. Each legal move of the contract (section 4) is a
//! method that consumes the builder, emits exactly one [`Event`](crate::contract::Event)
//! and returns the builder in its new state; a move the transition matrix
//! rules out is not a method of that state, so it is a compile error rather
//! than an anomaly in somebody's log:
//!
//! ```compile_fail
//! # use spec_kitty_events::emit::{WorkPackage, Planned};
//! # fn f(wp: WorkPackage<Planned>, evidence: spec_kitty_events::contract::DoneEvidence, actor: &spec_kitty_events::contract::Actor) {
//! wp.approve(actor, evidence); // no method `approve` on `WorkPackage<Planned>`
//! # }
//! ```
//!
//! Every event goes through the [`Emitter`], which owns the node's Lamport
//! clock (each event takes its next tick), the project, and the mission's
//! `correlation_id`, and sets `causation_id` to the event that produced the
//! state being left. Payloads are built from the builder's state, under the
//! payload type's own event type, so the guards of the contract hold by
//! construction: a forced move carries [`ForceMetadata`](crate::contract::ForceMetadata)
//! (a non-blank reason), entering `done` carries
//! [`DoneEvidence`](crate::contract::DoneEvidence), a review rollback a review
//! reference, an abandon a reason.
//!
//! Names are typed ([`MissionId`](crate::contract::MissionId),
//! [`Phase`](crate::contract::Phase), [`Actor`](crate::contract::Actor) …),
//! so an argument passed in another's place does not compile either.
//!
//! A process that did not start the mission gets its builders back from the
//! log: [`Emitter::resume`] hands back a [`MissionAt`], and each work package
//! comes as a [`WorkPackageAt`], enums over the states to match on (see the
//! `resume` module). With [`Emitter::with_store`] every event is appended to
//! a store as it is emitted; a [`JsonlFileStore`](crate::store::JsonlFileStore)
//! and a [`FileClockStorage`](crate::store::FileClockStorage) let several
//! processes emit into one mission.
//!
//! Builders, the emitter, its log and the errors are `Send + Sync`: work
//! packages of one mission can move on several threads or be held across
//! `.await`; their events share the emitter's clock under a mutex.
//!
//! What can still fail at run time is the clock's storage or the event
//! store. A failed move returns an [`EmitError`] holding the builder in its
//! old state, since nothing was emitted.
//!
//! Markers ([`MissionActive`], [`Planned`] …) are uninhabited types: they exist only
//! as type parameters. Builders are neither `Clone` nor `Copy`, so a state
//! that has been left cannot be moved from twice.

mod dynamic;
mod emitter;
mod lanes;
mod mission;
mod moves;
mod resume;
mod work_package;

pub use dynamic::{MissionAt, ResumeError, WorkPackageAt};
pub use emitter::{EmitError, Emitter, EventLog};
pub use lanes::{
    Approved, Blocked, Canceled, Claimed, Done, ForReview, ForceFrom, Genesis, InProgress,
    InReview, LaneState, NonTerminal, Planned,
};
pub use mission::{
    Mission, MissionActive, MissionCancelled, MissionCompleted, MissionState, OutOfLifecycle,
};
pub use work_package::{Moved, WorkPackage};

mod sealed {
    /// Keeps the state traits closed: only this crate's markers are states.
    pub trait Sealed {}
}
