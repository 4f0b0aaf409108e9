// roll_back takes the review reference, then the phase to go back to.
use spec_kitty_events::contract::{Actor, Phase, ReviewRef};
use spec_kitty_events::emit::{Mission, MissionActive};

fn swapped(mission: Mission<MissionActive>, review: ReviewRef, phase: Phase, actor: &Actor) {
    let _ = mission.roll_back(phase, review, Vec::new(), actor);
}

fn main() {}
