// A payload travels only under its own event type: a GateFailed payload cannot
// be recorded as a GatePassed event.
use spec_kitty_events::emit::{Active, Mission};
use spec_kitty_events::{GateFailedPayload, GatePassedPayload};

fn forbidden(mission: &Mission<Active>, failed: &GateFailedPayload) {
    let _ = mission.record::<GatePassedPayload>(failed);
}

fn main() {}
