// `submit` is the move in_progress -> for_review; a work package in genesis has no such method.
use spec_kitty_events::emit::{Genesis, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Genesis>, actor: &Actor) {
    let _ = wp.submit(actor);
}

fn main() {}
