//! The library's readers and reducers against hostile input (issue 14):
//! arbitrary bytes (not only JSON) through every reader, asserting no panic
//! and a named error for every line refused; clocks past the range; an
//! event that names itself as its cause; conflicting copies of one event id.

#[path = "support/mission_logs.rs"]
mod mission_logs;

use mission_logs::{E, events, id, phase, started, wp};
use proptest::prelude::*;
use spec_kitty_events::contract::{Event, MAX_LAMPORT_CLOCK};
use spec_kitty_events::log::{
    ReadLimitError, merge_logs, parse_line, read_limited, read_log_bytes, replay_bytes, replay_file,
};
use spec_kitty_events::reduce::{MissionProjector, reduce_lifecycle_events, reduce_status_events};

/// Bytes that are mostly log-like: fragments of a real line, JSON
/// punctuation, invalid UTF-8, a BOM, newlines and carriage returns.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    let good = E::new(1, "MissionStarted", started("specify"), 1)
        .json()
        .to_string();
    let pieces: Vec<Vec<u8>> = vec![
        good.clone().into_bytes(),
        good.as_bytes()[..good.len() / 2].to_vec(),
        b"\n".to_vec(),
        b"\r\n".to_vec(),
        b"{".to_vec(),
        b"}".to_vec(),
        b"\"event_id\":".to_vec(),
        b"\"lamport_clock\":18446744073709551616".to_vec(),
        b"\xef\xbb\xbf".to_vec(),
        b"\xff\xfe".to_vec(),
        b"\xc3".to_vec(),
        b"[1,2]".to_vec(),
        b"null".to_vec(),
    ];
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        prop::collection::vec(prop::sample::select(pieces), 0..30).prop_map(|p| p.concat()),
    ]
}

/// Every error names a line that exists, and says something.
fn assert_named(errors: &[&spec_kitty_events::log::LineError], lines: usize) {
    for error in errors {
        assert!(error.line() >= 1 && error.line() <= lines.max(1), "{error}");
        assert!(!error.message().is_empty(), "{error}");
        assert_ne!(error.field(), "?", "{error}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("line {}", error.line()))
        );
    }
}

fn line_count(bytes: &[u8]) -> usize {
    bytes.split(|&b| b == b'\n').count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn read_log_bytes_never_panics_and_names_every_bad_line(bytes in hostile_bytes()) {
        let read = read_log_bytes(&bytes);
        let errors: Vec<_> = read.errors.iter().chain(&read.torn_tail).collect();
        assert_named(&errors, line_count(&bytes));
        // Every non-blank line is an event or an error, once.
        let non_blank = bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.iter().all(|b| b.is_ascii_whitespace()))
            .count();
        prop_assert_eq!(read.events.len() + errors.len(), non_blank);
    }

    #[test]
    fn replay_bytes_and_replay_file_agree_and_never_panic(bytes in hostile_bytes()) {
        let replay = replay_bytes(&bytes);
        assert_named(&replay.bad_lines.iter().collect::<Vec<_>>(), line_count(&bytes));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, &bytes).unwrap();
        let from_file = replay_file(&path).unwrap();
        prop_assert_eq!(&from_file.state, &replay.state);
        let lines = |r: &spec_kitty_events::log::Replay| {
            r.bad_lines.iter().map(|e| e.line()).collect::<Vec<_>>()
        };
        prop_assert_eq!(lines(&from_file), lines(&replay));
    }

    #[test]
    fn parse_line_never_panics_on_any_text(bytes in hostile_bytes()) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(error) = parse_line(7, &text) {
            assert_named(&[&error], 7);
        }
    }

    #[test]
    fn merge_logs_never_panics_and_is_symmetric_and_idempotent(
        base in hostile_bytes(),
        ours in hostile_bytes(),
        theirs in hostile_bytes(),
    ) {
        let one = merge_logs(Some(&base), &ours, &theirs);
        let other = merge_logs(Some(&base), &theirs, &ours);
        match (one, other) {
            (Ok(one), Ok(other)) => {
                prop_assert_eq!(&one, &other);
                // Idempotent, and a merged side absorbs what it merged.
                prop_assert_eq!(merge_logs(Some(&one), &one, &one).unwrap(), one.clone());
                prop_assert_eq!(merge_logs(Some(&base), &one, &theirs).unwrap(), one);
            }
            (Err(one), Err(other)) => {
                prop_assert_eq!(one.len(), other.len());
                for refusal in one {
                    prop_assert!(!refusal.to_string().is_empty());
                }
            }
            (one, other) => prop_assert!(false, "{:?} / {:?}", one.is_ok(), other.is_ok()),
        }
    }

    /// Row logs that always merge (one content per id): the union, each
    /// row once, the same whichever side is ours, idempotent.
    #[test]
    fn row_logs_merge_to_their_union_in_either_order(
        base in prop::collection::vec(0u8..12, 0..8),
        ours in prop::collection::vec(0u8..12, 0..8),
        theirs in prop::collection::vec(0u8..12, 0..8),
    ) {
        let row = |n: u8| format!("{{\"event_id\":\"id{n}\",\"at\":\"{}\", \"n\":{n}.0}}\n", n % 3);
        let text = |ns: &[u8]| ns.iter().map(|&n| row(n)).collect::<String>();
        let (b, o, t) = (text(&base), text(&ours), text(&theirs));
        let merged = merge_logs(Some(b.as_bytes()), o.as_bytes(), t.as_bytes()).unwrap();
        prop_assert_eq!(&merge_logs(Some(b.as_bytes()), t.as_bytes(), o.as_bytes()).unwrap(), &merged);
        prop_assert_eq!(&merge_logs(Some(&merged), &merged, &merged).unwrap(), &merged);
        let mut want: Vec<u8> = base.iter().chain(&ours).chain(&theirs).copied().collect();
        want.sort_unstable();
        want.dedup();
        let merged = String::from_utf8(merged).unwrap();
        let mut got: Vec<&str> = merged.lines().collect();
        prop_assert_eq!(got.len(), want.len());
        got.sort_unstable();
        let mut expected: Vec<String> = want.iter().map(|&n| row(n).trim_end().to_owned()).collect();
        expected.sort_unstable();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn read_limited_never_panics_and_keeps_what_it_reads(
        bytes in hostile_bytes(),
        max_line in 0usize..50,
        max_total in 0usize..500,
    ) {
        let longest = bytes.split(|&b| b == b'\n').map(<[u8]>::len).max().unwrap_or(0);
        match read_limited(&bytes[..], max_line, max_total) {
            Ok(read) => {
                prop_assert_eq!(&read, &bytes);
                prop_assert!(longest <= max_line && bytes.len() <= max_total);
            }
            Err(ReadLimitError::LineTooLong { .. }) => prop_assert!(longest > max_line),
            Err(ReadLimitError::TooLarge { .. }) => prop_assert!(bytes.len() > max_total),
            Err(ReadLimitError::Io(error)) => prop_assert!(false, "{}", error),
        }
    }
}

#[test]
fn a_clock_past_the_range_is_refused_where_it_is_read_and_where_it_is_built() {
    let at_max = E::new(1, "Note", serde_json::json!({}), MAX_LAMPORT_CLOCK).at(1);
    assert!(Event::from_json(&at_max.json().to_string()).is_ok());
    let over = at_max.json().to_string().replace(
        &format!("\"lamport_clock\":{MAX_LAMPORT_CLOCK}"),
        "\"lamport_clock\":18446744073709551615",
    );
    let error = Event::from_json(&over).unwrap_err();
    assert_eq!(error.field(), "lamport_clock");
    let built = Event::untyped_builder("Note", serde_json::Map::new())
        .aggregate_id("A")
        .node_id("n")
        .lamport_clock(MAX_LAMPORT_CLOCK + 1)
        .project_uuid(uuid::Uuid::nil())
        .correlation_id(mission_logs::CORRELATION)
        .build();
    assert_eq!(built.unwrap_err().field(), "lamport_clock");
}

/// Its descendants, at the top of the range, stay ordered: the clocks
/// never saturate into one group.
#[test]
fn a_chain_at_the_top_of_the_range_keeps_its_order() {
    let top = MAX_LAMPORT_CLOCK;
    let parts = vec![
        E::new(1, "MissionStarted", started("specify"), top).at(1),
        E::new(2, "PhaseEntered", phase("plan"), top)
            .at(2)
            .caused_by(1),
        E::new(3, "PhaseEntered", phase("implement"), top)
            .at(3)
            .caused_by(2),
    ];
    let state = reduce_lifecycle_events(events(&parts));
    assert_eq!(state.phases_entered(), ["specify", "plan", "implement"]);
    // Two inversions (each child's clock is not after its parent's), and
    // nothing else.
    assert_eq!(state.anomaly_count(), 2);
}

#[test]
fn an_event_that_names_itself_as_its_cause_is_an_anomaly_everywhere() {
    let parts = vec![
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "WPStatusChanged", wp("WP01", None, "planned"), 2).caused_by(2),
        E::new(3, "PhaseEntered", phase("plan"), 3).caused_by(3),
    ];
    let log = events(&parts);
    let state = reduce_lifecycle_events(&log);
    let reasons: Vec<(String, String)> = state
        .anomalies()
        .map(|a| (a.event_id.to_string(), a.reason))
        .collect();
    let itself = "causation_id names the event itself: ignored".to_owned();
    assert_eq!(reasons, [(id(2), itself.clone()), (id(3), itself.clone())]);
    // Still applied: the self-reference is ignored, not the event.
    assert_eq!(state.current_phase(), Some("plan"));
    let status = reduce_status_events(&log);
    let reasons: Vec<&str> = status.anomalies().map(|a| a.reason.as_str()).collect();
    assert_eq!(reasons, [itself.as_str()]);
    let mut projector = MissionProjector::new();
    projector.extend(log.iter().cloned());
    assert_eq!(projector.state(), &state);
}

#[test]
fn conflicting_copies_are_an_anomaly_in_every_reducer_whatever_the_order() {
    let parts = vec![
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "WPStatusChanged", wp("WP01", None, "planned"), 2),
        E::new(2, "WPStatusChanged", wp("WP01", None, "claimed"), 2),
        E::new(2, "WPStatusChanged", wp("WP01", None, "claimed"), 2),
        E::new(3, "PhaseEntered", phase("plan"), 3),
    ];
    let log = events(&parts);
    let state = reduce_lifecycle_events(&log);
    let conflicts: Vec<String> = state
        .anomalies()
        .filter(|a| a.reason.starts_with("conflicting copies of one event_id"))
        .map(|a| a.event_id.to_string())
        .collect();
    // The two equal copies of the losing content count once.
    assert_eq!(conflicts, [id(2)]);
    let status = reduce_status_events(&log);
    assert_eq!(
        status
            .anomalies()
            .filter(|a| a.reason.starts_with("conflicting copies"))
            .count(),
        1
    );
    for order in [[4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [0, 1, 2, 3, 4]] {
        let shuffled: Vec<Event> = order.iter().map(|&i| log[i].clone()).collect();
        assert_eq!(reduce_lifecycle_events(&shuffled), state);
        let mut projector = MissionProjector::new();
        projector.extend(shuffled);
        assert_eq!(projector.state(), &state, "{order:?}");
    }
    // Exact repeats alone are no anomaly.
    let repeats = events(&[parts[0].clone(), parts[0].clone()]);
    assert_eq!(reduce_lifecycle_events(repeats).anomaly_count(), 0);
}

/// The projector settles a concurrency group after every event: with new
/// work packages whose first valid moves arrive in reverse, it equals the
/// reducer over the events seen so far, at every step and in any order.
#[test]
fn the_projector_equals_the_reducer_on_an_unlucky_concurrency_group() {
    let n = 6u64;
    let mut parts = vec![E::new(100, "MissionStarted", started("specify"), 1)];
    for i in 0..n {
        let refused = wp(&format!("WP{i:02}"), Some("planned"), "claimed");
        parts.push(E::new(i + 1, "WPStatusChanged", refused, 2).at(i as i64));
    }
    for i in 0..n {
        let first = wp(&format!("WP{:02}", n - 1 - i), None, "planned");
        parts.push(E::new(n + i + 1, "WPStatusChanged", first, 2).at((n + i) as i64));
        // A mission event in the same group, ids against timestamps.
        let phase_event = E::new(200 - i, "PhaseEntered", phase(&format!("p{i}")), 2);
        parts.push(phase_event.at((n + i) as i64));
    }
    let log = events(&parts);
    for order in 0..4u64 {
        let mut arrivals = log.clone();
        if order > 0 {
            let mut rng = order;
            for i in (1..arrivals.len()).rev() {
                rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1);
                arrivals.swap(i, (rng >> 33) as usize % (i + 1));
            }
        }
        let mut projector = MissionProjector::new();
        for (seen, event) in arrivals.iter().enumerate() {
            projector.apply(event.clone());
            let expected = reduce_lifecycle_events(&arrivals[..=seen]);
            assert_eq!(projector.state(), &expected, "order {order}, after {seen}");
        }
    }
    let ids: Vec<String> = reduce_lifecycle_events(&log)
        .wp_states()
        .iter()
        .map(|wp| wp.wp_id().to_owned())
        .collect();
    assert_eq!(ids, ["WP00", "WP01", "WP02", "WP03", "WP04", "WP05"]);
}
