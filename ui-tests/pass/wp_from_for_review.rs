// Legal moves out of for_review: approve (with evidence), request_changes
// (with a review reference), block, cancel.
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let in_review = |wp_id: &str| {
        plan(&mission, wp_id).claim(&rob).unwrap().start(&rob).unwrap().submit(&rob).unwrap()
    };
    assert_eq!(in_review("WP01").approve(evidence(), &rob).unwrap().lane(), Lane::Done);
    let back = in_review("WP02").request_changes(name("review-7"), &rob).unwrap();
    assert_eq!(back.lane(), Lane::InProgress);
    assert_eq!(in_review("WP03").block(name("waiting"), &rob).unwrap().lane(), Lane::Blocked);
    assert_eq!(in_review("WP04").cancel(name("dropped"), &rob).unwrap().lane(), Lane::Canceled);
    assert_eq!(lanes(&log, "WP01").last().unwrap(), "done");
    assert_eq!(lanes(&log, "WP02").last().unwrap(), "in_progress");
    assert_eq!(lanes(&log, "WP03").last().unwrap(), "blocked");
    assert_eq!(lanes(&log, "WP04").last().unwrap(), "canceled");
}
