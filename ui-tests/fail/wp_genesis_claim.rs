// `claim` is the move planned -> claimed; a work package in genesis has no such method.
use spec_kitty_events::emit::{Genesis, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Genesis>, actor: &Actor) {
    let _ = wp.claim(actor);
}

fn main() {}
