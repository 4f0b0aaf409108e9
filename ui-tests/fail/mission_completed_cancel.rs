// A completed mission is terminal: it has no `cancel`.
use spec_kitty_events::contract::{Actor, NonEmptyString};
use spec_kitty_events::emit::{MissionCompleted, Mission};

fn forbidden(mission: Mission<MissionCompleted>, actor: &Actor, text: NonEmptyString) {
    let _ = mission.cancel(text, Vec::new(), actor);
}

fn main() {}
