// One emitter is one mission execution (one correlation id): starting a
// mission consumes it, so a second MissionStarted cannot be written with it.
use spec_kitty_events::contract::{Actor, MissionId, MissionType, Phase};
use spec_kitty_events::emit::{Emitter, Mission};

fn forbidden(emitter: Emitter, id: MissionId, kind: MissionType, phase: Phase, actor: &Actor) {
    let _first = Mission::start(emitter, id.clone(), kind.clone(), phase.clone(), actor);
    let _second = Mission::start(emitter, id, kind, phase, actor);
}

fn main() {}
