// `abandon` is the move in_progress -> planned; a work package in planned has no such method.
use spec_kitty_events::emit::{Planned, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<Planned>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.abandon(text, actor);
}

fn main() {}
