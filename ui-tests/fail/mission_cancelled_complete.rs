// A cancelled mission is terminal: it has no `complete`.
use spec_kitty_events::NonEmptyString;
use spec_kitty_events::emit::{Cancelled, Mission};

fn forbidden(mission: Mission<Cancelled>, actor: &NonEmptyString) {
    let _ = mission.complete(actor);
}

fn main() {}
