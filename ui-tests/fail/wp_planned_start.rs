// `start` is the move claimed -> in_progress; a work package in planned has no such method.
use spec_kitty_events::emit::{Planned, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Planned>, actor: &Actor) {
    let _ = wp.start(actor);
}

fn main() {}
