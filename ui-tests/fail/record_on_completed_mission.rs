// A completed mission records nothing more.
use spec_kitty_events::GatePassedPayload;
use spec_kitty_events::emit::{Completed, Mission};

fn forbidden(mission: &Mission<Completed>, passed: &GatePassedPayload) {
    let _ = mission.record(passed);
}

fn main() {}
