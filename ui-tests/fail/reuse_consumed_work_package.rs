// A move consumes the builder: the state it left cannot be moved from again.
use spec_kitty_events::contract::{Actor, NonEmptyString};
use spec_kitty_events::emit::{Planned, WorkPackage};

fn forbidden(wp: WorkPackage<Planned>, actor: &Actor, text: NonEmptyString) {
    let _claimed = wp.claim(actor);
    let _blocked = wp.block(text, actor);
}

fn main() {}
