// Legal moves out of approved (schema 3.0.0): complete (with evidence),
// request_changes (with a review reference), block, cancel.
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let approved = |wp_id: &str| {
        plan(&mission, wp_id).claim(&rob).unwrap().start(&rob).unwrap().submit(&rob).unwrap()
            .accept(evidence(), &rob).unwrap()
    };
    assert_eq!(approved("WP01").complete(evidence(), &rob).unwrap().lane(), Lane::Done);
    let back = approved("WP02").request_changes(name("review-8"), &rob).unwrap();
    assert_eq!(back.lane(), Lane::InProgress);
    assert_eq!(approved("WP03").block(name("waiting"), &rob).unwrap().lane(), Lane::Blocked);
    assert_eq!(approved("WP04").cancel(name("dropped"), &rob).unwrap().lane(), Lane::Canceled);
    let ends = ["done", "in_progress", "blocked", "canceled"];
    for (n, end) in ends.iter().enumerate() {
        let got = lanes(&log, &format!("WP0{}", n + 1));
        assert_eq!(got[got.len() - 2], "approved");
        assert_eq!(got.last().unwrap(), end);
    }
}
