// A completed mission records nothing more.
use spec_kitty_events::contract::event_types::GatePassedPayload;
use spec_kitty_events::emit::{MissionCompleted, Mission};

fn forbidden(mission: &Mission<MissionCompleted>, passed: &GatePassedPayload) {
    let _ = mission.record(passed);
}

fn main() {}
