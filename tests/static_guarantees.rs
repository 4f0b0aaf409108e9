//! What the types of the emission API promise, checked at compile time with
//! `static_assertions`: if one of these stops holding, this file stops
//! compiling.

use static_assertions::{assert_impl_all, assert_not_impl_any, assert_type_eq_all, const_assert};

use spec_kitty_events::contract::event_types::{
    GateFailedPayload, GatePassedPayload, MissionStartedPayload, StatusTransitionPayload,
};
use spec_kitty_events::contract::{DoneEvidence, Event, Lane, MissionStatus, ReviewRef};
use spec_kitty_events::emit::{
    Blocked, Canceled, Claimed, Done, EmitError, Emitter, EventLog, ForReview, ForceFrom,
    InProgress, LaneState, Mission, MissionActive, MissionCancelled, MissionCompleted,
    MissionState, NonTerminal, OutOfLifecycle, Planned, WorkPackage,
};

// A builder that could be copied could leave one state twice.
assert_not_impl_any!(WorkPackage<Planned>: Clone, Copy);
assert_not_impl_any!(WorkPackage<Claimed>: Clone, Copy);
assert_not_impl_any!(WorkPackage<InProgress>: Clone, Copy);
assert_not_impl_any!(WorkPackage<ForReview>: Clone, Copy);
assert_not_impl_any!(WorkPackage<Done>: Clone, Copy);
assert_not_impl_any!(WorkPackage<Blocked>: Clone, Copy);
assert_not_impl_any!(WorkPackage<Canceled>: Clone, Copy);
assert_not_impl_any!(Mission<MissionActive>: Clone, Copy);
assert_not_impl_any!(Mission<MissionCompleted>: Clone, Copy);
assert_not_impl_any!(Mission<MissionCancelled>: Clone, Copy);
// One emitter is one mission execution: a copy could start a second mission
// under the same correlation id.
assert_not_impl_any!(Emitter: Clone, Copy);

// Markers carry no data: they are uninhabited, zero-sized, and cost nothing
// in a builder.
const_assert!(size_of::<Planned>() == 0);
const_assert!(size_of::<Claimed>() == 0);
const_assert!(size_of::<InProgress>() == 0);
const_assert!(size_of::<ForReview>() == 0);
const_assert!(size_of::<Done>() == 0);
const_assert!(size_of::<Blocked>() == 0);
const_assert!(size_of::<Canceled>() == 0);
const_assert!(size_of::<MissionActive>() == 0);
const_assert!(size_of::<MissionCompleted>() == 0);
const_assert!(size_of::<MissionCancelled>() == 0);
const_assert!(size_of::<WorkPackage<Planned>>() == size_of::<WorkPackage<Done>>());
const_assert!(size_of::<Mission<MissionActive>>() == size_of::<Mission<MissionCancelled>>());

// Markers stand for exactly the lanes and statuses of the contract.
const_assert!(matches!(<Planned as LaneState>::LANE, Lane::Planned));
const_assert!(matches!(<Claimed as LaneState>::LANE, Lane::Claimed));
const_assert!(matches!(<InProgress as LaneState>::LANE, Lane::InProgress));
const_assert!(matches!(<ForReview as LaneState>::LANE, Lane::ForReview));
const_assert!(matches!(<Done as LaneState>::LANE, Lane::Done));
const_assert!(matches!(<Blocked as LaneState>::LANE, Lane::Blocked));
const_assert!(matches!(<Canceled as LaneState>::LANE, Lane::Canceled));
const_assert!(matches!(
    <MissionActive as MissionState>::STATUS,
    MissionStatus::Active
));
const_assert!(matches!(
    <MissionCompleted as MissionState>::STATUS,
    MissionStatus::Completed
));
const_assert!(matches!(
    <MissionCancelled as MissionState>::STATUS,
    MissionStatus::Cancelled
));

// `block` and `cancel` exist exactly on the non-terminal lanes.
assert_impl_all!(Planned: NonTerminal);
assert_impl_all!(Claimed: NonTerminal);
assert_impl_all!(InProgress: NonTerminal);
assert_impl_all!(ForReview: NonTerminal);
assert_impl_all!(Blocked: NonTerminal);
assert_not_impl_any!(Done: NonTerminal);
assert_not_impl_any!(Canceled: NonTerminal);
const_assert!(!<Planned as LaneState>::LANE.is_terminal());
const_assert!(<Done as LaneState>::LANE.is_terminal());
const_assert!(<Canceled as LaneState>::LANE.is_terminal());

// Force skips the matrix, not the guards: what a forced move must carry.
assert_type_eq_all!(<Done as ForceFrom<Planned>>::Extra, DoneEvidence);
assert_type_eq_all!(<Done as ForceFrom<Canceled>>::Extra, DoneEvidence);
assert_type_eq_all!(<Done as ForceFrom<Done>>::Extra, DoneEvidence);
assert_type_eq_all!(<InProgress as ForceFrom<ForReview>>::Extra, ReviewRef);
assert_type_eq_all!(<InProgress as ForceFrom<Done>>::Extra, ());
assert_type_eq_all!(<Planned as ForceFrom<InProgress>>::Extra, ());
assert_type_eq_all!(<Claimed as ForceFrom<Canceled>>::Extra, ());

// Only payloads outside the lifecycle can be recorded beside the builders.
assert_impl_all!(GatePassedPayload: OutOfLifecycle);
assert_impl_all!(GateFailedPayload: OutOfLifecycle);
assert_not_impl_any!(StatusTransitionPayload: OutOfLifecycle);
assert_not_impl_any!(MissionStartedPayload: OutOfLifecycle);

// What builders emit can cross threads and be shared; a failed move is an
// error that still holds the builder.
assert_impl_all!(Event: Send, Sync, Clone, std::fmt::Debug);
assert_impl_all!(EmitError<WorkPackage<Planned>>: std::error::Error, std::fmt::Debug);
assert_impl_all!(EmitError<Mission<MissionActive>>: std::error::Error);
assert_impl_all!(EventLog: Clone, std::fmt::Debug);
assert_impl_all!(spec_kitty_events::Error: From<EmitError<WorkPackage<Done>>>);

#[test]
fn a_failed_move_fits_in_a_pointer() {
    // `EmitError` is boxed so a move's `Result` stays small whatever it holds.
    assert_eq!(
        size_of::<EmitError<Mission<MissionActive>>>(),
        size_of::<Box<(Mission<MissionActive>, spec_kitty_events::Error)>>()
    );
}
