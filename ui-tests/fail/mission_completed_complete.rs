// A completed mission is terminal: it has no `complete`.
use spec_kitty_events::NonEmptyString;
use spec_kitty_events::emit::{Completed, Mission};

fn forbidden(mission: Mission<Completed>, actor: &NonEmptyString) {
    let _ = mission.complete(actor);
}

fn main() {}
