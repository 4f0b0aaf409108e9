// Builders are not Clone: a copy would let one state be left twice.
use spec_kitty_events::emit::{Planned, WorkPackage};

fn forbidden(wp: WorkPackage<Planned>) {
    let _copy = wp.clone();
}

fn main() {}
