// `promote` is the move genesis -> planned; a work package in canceled has no such method.
use spec_kitty_events::emit::{Canceled, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Canceled>, actor: &Actor) {
    let _ = wp.promote(actor);
}

fn main() {}
