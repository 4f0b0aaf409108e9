// `force_to` takes a lane marker; a runtime `Lane` value or any other type is
// not a state.
use spec_kitty_events::contract::ForceMetadata;
use spec_kitty_events::emit::{InProgress, WorkPackage};

fn forbidden(wp: WorkPackage<InProgress>, metadata: ForceMetadata) {
    let _ = wp.force_to::<String>(metadata, ());
}

fn main() {}
