// `abandon` is the move in_progress -> planned; a work package in blocked has no such method.
use spec_kitty_events::emit::{Blocked, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<Blocked>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.abandon(text, actor);
}

fn main() {}
