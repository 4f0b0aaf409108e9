// One emitter is one mission execution (one correlation id): starting a
// mission consumes it, so a second MissionStarted cannot be written with it.
use spec_kitty_events::contract::NonEmptyString;
use spec_kitty_events::emit::{Emitter, Mission};

fn forbidden(emitter: Emitter, text: NonEmptyString, actor: &NonEmptyString) {
    let _first = Mission::start(emitter, text.clone(), text.clone(), text.clone(), actor);
    let _second = Mission::start(emitter, text.clone(), text.clone(), text, actor);
}

fn main() {}
