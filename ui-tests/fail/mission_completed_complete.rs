// A completed mission is terminal: it has no `complete`.
use spec_kitty_events::contract::Actor;
use spec_kitty_events::emit::{MissionCompleted, Mission};

fn forbidden(mission: Mission<MissionCompleted>, actor: &Actor) {
    let _ = mission.complete(actor);
}

fn main() {}
