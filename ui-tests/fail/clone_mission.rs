// Builders are not Clone: a copy would let one state be left twice.
use spec_kitty_events::emit::{MissionActive, Mission};

fn forbidden(mission: Mission<MissionActive>) {
    let _copy = mission.clone();
}

fn main() {}
