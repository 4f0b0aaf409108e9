// `claim` is the move planned -> claimed; a work package in done has no such method.
use spec_kitty_events::emit::{Done, WorkPackage};
use spec_kitty_events::contract::NonEmptyString;

fn forbidden(wp: WorkPackage<Done>, actor: &NonEmptyString) {
    let _ = wp.claim(actor);
}

fn main() {}
