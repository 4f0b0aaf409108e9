// `promote` is the move genesis -> planned; a work package in blocked has no such method.
use spec_kitty_events::emit::{Blocked, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Blocked>, actor: &Actor) {
    let _ = wp.promote(actor);
}

fn main() {}
