// `unblock` is the move blocked -> in_progress; an work package in approved has no such method.
use spec_kitty_events::emit::{Approved, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Approved>, actor: &Actor) {
    let _ = wp.unblock(actor);
}

fn main() {}
