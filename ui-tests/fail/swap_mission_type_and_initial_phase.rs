// Mission::start takes the mission type before the initial phase: each is its
// own type, so passing them the other way round does not compile.
use spec_kitty_events::contract::{Actor, MissionId, MissionType, Phase};
use spec_kitty_events::emit::{Emitter, Mission};

fn swapped(emitter: Emitter, id: MissionId, kind: MissionType, phase: Phase, actor: &Actor) {
    let _ = Mission::start(emitter, id, phase, kind, actor);
}

fn main() {}
