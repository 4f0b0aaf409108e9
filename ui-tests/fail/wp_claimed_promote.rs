// `promote` is the move genesis -> planned; a work package in claimed has no such method.
use spec_kitty_events::emit::{Claimed, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Claimed>, actor: &Actor) {
    let _ = wp.promote(actor);
}

fn main() {}
