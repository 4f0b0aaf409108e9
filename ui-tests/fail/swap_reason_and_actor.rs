// block takes the reason (free text), then who blocked it.
use spec_kitty_events::contract::{Actor, NonEmptyString};
use spec_kitty_events::emit::{InProgress, WorkPackage};

fn swapped(wp: WorkPackage<InProgress>, reason: NonEmptyString, actor: Actor) {
    let _ = wp.block(actor, &reason);
}

fn main() {}
