//! Several processes emitting into one mission: the `wp_worker` example runs
//! as 4 processes, each resuming a different work package of one mission
//! from the shared JSONL log (before every move) and moving it 50 times,
//! cycling through in_review, approved and review rollbacks (schema 3.0.0,
//! the emitter's default), with random pauses of a few ms. Each
//! appends through `JsonlFileStore` and keeps its node's clock in one shared
//! `FileClockStorage`.
//!
//! Then: every event is in the file exactly once, the lifecycle reducer
//! finds no anomaly, each node's clock strictly increases in the order the
//! node appended, and each work package's causation chain runs unbroken
//! from its `planned` event (caused by the mission) to its last move.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use spec_kitty_events::contract::event_types::{MISSION_STARTED, WP_STATUS_CHANGED};
use spec_kitty_events::contract::{
    Actor, ContractVersion, Event, EventId, ExecutionMode, Lane, Ulid,
};
use spec_kitty_events::emit::{Emitter, Mission, WorkPackage};
use spec_kitty_events::reduce::reduce_lifecycle_events;
use spec_kitty_events::store::{EventStore, FileClockStorage, JsonlFileStore, LamportClock};

const WPS: [&str; 4] = ["WP01", "WP02", "WP03", "WP04"];
const MOVES: usize = 50;

/// Builds the example with the cargo that runs this test and returns its
/// path (`target/<profile>/examples/wp_worker`, next to this test's `deps`).
fn worker_binary() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--locked", "--example", "wp_worker"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the wp_worker example failed");
    let deps = std::env::current_exe().unwrap();
    let profile = deps.parent().and_then(Path::parent).unwrap();
    let binary = profile
        .join("examples")
        .join(format!("wp_worker{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.exists(), "{} was not built", binary.display());
    binary
}

/// Starts mission M1 and plans the four work packages, as the lead's node.
fn set_up(events: &Path, clocks: &Path) {
    let rob: Actor = "rob".parse().unwrap();
    let clock = LamportClock::new("lead", FileClockStorage::new(clocks)).unwrap();
    let emitter = Emitter::new(
        clock,
        "00000000-0000-0000-0000-000000000001".parse().unwrap(),
        Ulid::generate(),
    )
    .with_store(JsonlFileStore::open(events).unwrap());
    let mission = Mission::start(
        emitter,
        "M1".parse().unwrap(),
        "software-dev".parse().unwrap(),
        "implement".parse().unwrap(),
        &rob,
    )
    .unwrap();
    for wp in WPS {
        // Dropped: the workers take each one back from the log.
        drop(
            WorkPackage::plan(&mission, wp.parse().unwrap(), ExecutionMode::Worktree, &rob)
                .unwrap(),
        );
    }
}

#[test]
fn four_processes_resume_and_move_their_work_packages_into_one_log() {
    let dir = tempfile::tempdir().unwrap();
    let events_path = dir.path().join("status.events.jsonl");
    let clocks_path = dir.path().join("clocks.json");
    set_up(&events_path, &clocks_path);
    let worker = worker_binary();

    let children: Vec<_> = WPS
        .iter()
        .enumerate()
        .map(|(i, wp)| {
            Command::new(&worker)
                .arg(&events_path)
                .arg(&clocks_path)
                .args(["M1", wp, &MOVES.to_string(), &(7919 * (i + 1)).to_string()])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for (child, wp) in children.into_iter().zip(WPS) {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "worker {wp}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    // Every event once: the file has exactly the lines emitted, no id twice.
    let text = std::fs::read_to_string(&events_path).unwrap();
    let in_file: Vec<Event> = text
        .lines()
        .map(|line| Event::from_json(line).unwrap())
        .collect();
    let expected = 1 + WPS.len() + WPS.len() * MOVES;
    assert_eq!(in_file.len(), expected, "lines in the log");
    assert!(
        in_file
            .iter()
            .all(|e| e.contract_version() == ContractVersion::V3),
        "every event is written under schema 3.0.0"
    );
    let ids: HashSet<EventId> = in_file.iter().map(Event::event_id).collect();
    assert_eq!(ids.len(), expected, "distinct event ids");
    let store = JsonlFileStore::open(&events_path).unwrap();
    assert_eq!(store.load_all_events().unwrap().len(), expected);

    // Zero anomalies, and every work package went round the review loop.
    let reduced = reduce_lifecycle_events(&in_file);
    assert_eq!(reduced.anomaly_count(), 0, "{}", reduced.to_json());
    assert_eq!(reduced.wp_states().len(), WPS.len());

    // Each node's clock strictly increases in its append order.
    let mut last_clock: HashMap<&str, u64> = HashMap::new();
    for event in &in_file {
        if let Some(previous) = last_clock.insert(event.node_id(), event.lamport_clock()) {
            assert!(
                previous < event.lamport_clock(),
                "node {} went from {previous} to {}",
                event.node_id(),
                event.lamport_clock()
            );
        }
    }
    // The workers ran at once: their appends interleave in the file (a
    // control that the processes did contend for the log).
    let switches = in_file
        .windows(2)
        .filter(|pair| pair[0].node_id() != pair[1].node_id())
        .count();
    eprintln!("node switches in append order: {switches}");
    assert!(
        switches > WPS.len(),
        "the workers ran one after another ({switches} switches)"
    );
    let nodes: HashSet<&str> = last_clock.keys().copied().collect();
    let want: HashSet<String> = WPS.iter().map(|wp| format!("worker-{wp}")).collect();
    assert_eq!(nodes.len(), 1 + WPS.len(), "{nodes:?}");
    assert!(want.iter().all(|node| nodes.contains(node.as_str())));

    // Each work package's chain: planned (caused by a mission event), then
    // every move caused by the one before it, and each cause sorts before
    // its effect.
    let by_id: HashMap<EventId, &Event> = in_file.iter().map(|e| (e.event_id(), e)).collect();
    for wp in WPS {
        let chain: Vec<&Event> = in_file
            .iter()
            .filter(|e| e.event_type() == WP_STATUS_CHANGED && e.aggregate_id() == wp)
            .collect();
        assert_eq!(chain.len(), 1 + MOVES, "{wp}");
        let planned_by = by_id[&chain[0].causation_id().unwrap()];
        assert_eq!(planned_by.event_type(), MISSION_STARTED, "{wp}");
        for pair in chain.windows(2) {
            assert_eq!(pair[1].causation_id(), Some(pair[0].event_id()), "{wp}");
            assert!(pair[0].lamport_clock() < pair[1].lamport_clock(), "{wp}");
        }
        let moves: Vec<_> = chain
            .iter()
            .map(|e| {
                let payload = e.typed_payload().unwrap().unwrap();
                let change = payload.status_change().unwrap();
                (change.lane_move.to, change.is_review_rollback())
            })
            .collect();
        let rollbacks = moves.iter().filter(|(_, rollback)| *rollback).count();
        assert!(rollbacks >= 5, "{wp} cycled only {rollbacks} times");
        for lane in [Lane::InReview, Lane::Approved] {
            let entered = moves.iter().filter(|(to, _)| *to == lane).count();
            assert!(entered >= 1, "{wp} never entered {lane}");
        }
    }
}
