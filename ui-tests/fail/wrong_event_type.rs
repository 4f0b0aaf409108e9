// A payload travels only under its own event type: a GateFailed payload cannot
// be recorded as a GatePassed event.
use spec_kitty_events::emit::{MissionActive, Mission};
use spec_kitty_events::contract::event_types::{GateFailedPayload, GatePassedPayload};

fn forbidden(mission: &Mission<MissionActive>, failed: &GateFailedPayload) {
    let _ = mission.record::<GatePassedPayload>(failed);
}

fn main() {}
