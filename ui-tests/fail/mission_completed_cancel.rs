// A completed mission is terminal: it has no `cancel`.
use spec_kitty_events::NonEmptyString;
use spec_kitty_events::emit::{Completed, Mission};

fn forbidden(mission: Mission<Completed>, actor: &NonEmptyString, text: NonEmptyString) {
    let _ = mission.cancel(text, Vec::new(), actor);
}

fn main() {}
