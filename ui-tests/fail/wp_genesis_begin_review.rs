// `begin_review` is the move for_review -> in_review; a work package in genesis has no such method.
use spec_kitty_events::emit::{Genesis, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Genesis>, actor: &Actor) {
    let _ = wp.begin_review(actor);
}

fn main() {}
