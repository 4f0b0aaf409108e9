// A cancelled mission is terminal: it has no `cancel`.
use spec_kitty_events::NonEmptyString;
use spec_kitty_events::emit::{Cancelled, Mission};

fn forbidden(mission: Mission<Cancelled>, actor: &NonEmptyString, text: NonEmptyString) {
    let _ = mission.cancel(text, Vec::new(), actor);
}

fn main() {}
