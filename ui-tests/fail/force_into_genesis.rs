// Nothing is forced back into genesis: it is where a work package is before
// it is planned, so `Genesis` is no `ForceFrom` target.
use spec_kitty_events::contract::ForceMetadata;
use spec_kitty_events::emit::{Genesis, Planned, WorkPackage};

fn forbidden(wp: WorkPackage<Planned>, metadata: ForceMetadata) {
    let _ = wp.force_to::<Genesis>(metadata, ());
}

fn main() {}
