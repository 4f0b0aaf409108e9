// `abandon` is the move in_progress -> planned; a work package in genesis has no such method.
use spec_kitty_events::emit::{Genesis, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<Genesis>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.abandon(text, actor);
}

fn main() {}
