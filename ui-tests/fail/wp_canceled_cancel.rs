// `cancel` is the move any non-terminal lane -> canceled; a work package in canceled has no such method.
use spec_kitty_events::emit::{Canceled, WorkPackage};
use spec_kitty_events::contract::NonEmptyString;

fn forbidden(wp: WorkPackage<Canceled>, actor: &NonEmptyString, text: NonEmptyString) {
    let _ = wp.cancel(text, actor);
}

fn main() {}
