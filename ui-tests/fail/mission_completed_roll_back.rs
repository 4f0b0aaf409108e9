// A completed mission is terminal: it has no `roll_back`.
use spec_kitty_events::contract::{Actor, NonEmptyString};
use spec_kitty_events::emit::{MissionCompleted, Mission};

fn forbidden(mission: Mission<MissionCompleted>, actor: &Actor, text: NonEmptyString) {
    let _ = mission.roll_back(text.clone(), text, Vec::new(), actor);
}

fn main() {}
