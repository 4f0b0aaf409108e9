// Builders are not Clone: a copy would let one state be left twice.
use spec_kitty_events::emit::{Active, Mission};

fn forbidden(mission: Mission<Active>) {
    let _copy = mission.clone();
}

fn main() {}
