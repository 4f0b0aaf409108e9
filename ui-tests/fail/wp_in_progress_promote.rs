// `promote` is the move genesis -> planned; an work package in in_progress has no such method.
use spec_kitty_events::emit::{InProgress, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<InProgress>, actor: &Actor) {
    let _ = wp.promote(actor);
}

fn main() {}
