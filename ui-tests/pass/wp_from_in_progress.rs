// Legal moves out of in_progress: submit, abandon (with a reason), block, cancel.
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let working = |wp_id: &str| plan(&mission, wp_id).claim(&rob).unwrap().start(&rob).unwrap();
    assert_eq!(working("WP01").submit(&rob).unwrap().lane(), Lane::ForReview);
    assert_eq!(working("WP02").abandon(name("wrong approach"), &rob).unwrap().lane(), Lane::Planned);
    assert_eq!(working("WP03").block(name("waiting"), &rob).unwrap().lane(), Lane::Blocked);
    assert_eq!(working("WP04").cancel(name("dropped"), &rob).unwrap().lane(), Lane::Canceled);
    assert_eq!(lanes(&log, "WP01"), ["planned", "claimed", "in_progress", "for_review"]);
    assert_eq!(lanes(&log, "WP02"), ["planned", "claimed", "in_progress", "planned"]);
    assert_eq!(lanes(&log, "WP03"), ["planned", "claimed", "in_progress", "blocked"]);
    assert_eq!(lanes(&log, "WP04"), ["planned", "claimed", "in_progress", "canceled"]);
}
