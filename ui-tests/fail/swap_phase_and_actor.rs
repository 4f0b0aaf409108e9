// enter_phase takes the phase, then who entered it.
use spec_kitty_events::contract::{Actor, Phase};
use spec_kitty_events::emit::{Mission, MissionActive};

fn swapped(mission: Mission<MissionActive>, phase: Phase, actor: Actor) {
    let _ = mission.enter_phase(actor, &phase);
}

fn main() {}
