// A completed mission is terminal: it has no `roll_back`.
use spec_kitty_events::NonEmptyString;
use spec_kitty_events::emit::{Completed, Mission};

fn forbidden(mission: Mission<Completed>, actor: &NonEmptyString, text: NonEmptyString) {
    let _ = mission.roll_back(text.clone(), text, Vec::new(), actor);
}

fn main() {}
