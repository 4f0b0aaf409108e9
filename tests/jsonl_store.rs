//! The JSON Lines file store: idempotent appends, order, torn tails,
//! corruption, concurrent writer processes and a writer killed mid-stream.
//!
//! The multi-process tests run this test binary again as the writer: with
//! `STORE_WRITER_PATH` set, `writer_process` saves events into that file and
//! prints `ack <event_id>` after each save returns.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use spec_kitty_events::contract::Event;
use spec_kitty_events::log::read_log;
use spec_kitty_events::store::EventStore;
use spec_kitty_events::store::JsonlFileStore;

const WRITER_PATH: &str = "STORE_WRITER_PATH";
const WRITER_INDEX: &str = "STORE_WRITER_INDEX";
const WRITER_COUNT: &str = "STORE_WRITER_COUNT";
const SHARED_EVENTS: u64 = 10;

/// A valid event whose id encodes `n`; clock, node and aggregate as given.
fn event(n: u64, clock: u64, node: &str, aggregate: &str) -> Event {
    let id = ulid::Ulid::from_parts(1_770_634_800_000, u128::from(n));
    Event::from_json(&format!(
        r#"{{"event_id":"{id}","event_type":"Note","aggregate_id":"{aggregate}","payload":{{"n":{n}}},"timestamp":"2026-02-09T11:00:01Z","node_id":"{node}","lamport_clock":{clock},"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}}"#
    ))
    .unwrap()
}

fn ids(events: &[Event]) -> Vec<String> {
    events.iter().map(|e| e.event_id().to_string()).collect()
}

/// Saves events as writer `index`: `count` of its own (ids `index * 1_000_000
/// + i`) and, interleaved, the `SHARED_EVENTS` every writer saves.
fn write_as(path: &Path, index: u64, count: u64, mut ack: impl FnMut(&Event)) {
    let mut store = JsonlFileStore::open(path).unwrap();
    for i in 0..count {
        let own = event(
            (index + 1) * 1_000_000 + i,
            i,
            &format!("node-{index}"),
            "M1",
        );
        store.save_event(&own).unwrap();
        ack(&own);
        if i < SHARED_EVENTS {
            let shared = event(i + 1, i, "shared", "M1");
            store.save_event(&shared).unwrap();
            ack(&shared);
        }
    }
}

/// The writer process of the tests below; run directly, one writer in
/// process, whose every acknowledged event must load back.
#[test]
fn writer_process() {
    if let Ok(path) = std::env::var(WRITER_PATH) {
        let index = std::env::var(WRITER_INDEX).unwrap().parse().unwrap();
        let count = std::env::var(WRITER_COUNT).unwrap().parse().unwrap();
        write_as(Path::new(&path), index, count, |event| {
            println!("ack {}", event.event_id());
        });
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let mut acked = Vec::new();
    write_as(&path, 0, 20, |event| {
        acked.push(event.event_id().to_string())
    });
    let loaded = ids(&JsonlFileStore::open(&path)
        .unwrap()
        .load_all_events()
        .unwrap());
    acked.sort();
    let mut sorted = loaded.clone();
    sorted.sort();
    assert_eq!(sorted, acked);
}

fn spawn_writer(path: &Path, index: u64, count: u64) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "writer_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WRITER_PATH, path)
        .env(WRITER_INDEX, index.to_string())
        .env(WRITER_COUNT, count.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The ids after each `ack` word: libtest prints its own `test … ` prefix on
/// the first line, so acks are found by word, not by line start.
fn acked_ids(output: &str) -> Vec<String> {
    let words: Vec<&str> = output.split_whitespace().collect();
    words
        .windows(2)
        .filter(|pair| pair[0] == "ack")
        .map(|pair| pair[1].to_owned())
        .collect()
}

#[test]
fn four_concurrent_writer_processes_lose_and_double_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let per_writer = 60;
    let children: Vec<_> = (0..4).map(|i| spawn_writer(&path, i, per_writer)).collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        let acks = acked_ids(&String::from_utf8(output.stdout).unwrap());
        assert_eq!(acks.len() as u64, per_writer + SHARED_EVENTS);
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let read = read_log(&text);
    assert!(read.errors.is_empty() && read.torn_tail.is_none());
    // Every line is one event; no event id twice; all there.
    let mut lines = ids(&read.into_events());
    assert_eq!(lines.len() as u64, 4 * per_writer + SHARED_EVENTS);
    lines.sort();
    lines.dedup();
    assert_eq!(lines.len() as u64, 4 * per_writer + SHARED_EVENTS);
}

#[test]
fn every_acknowledged_event_survives_a_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let mut child = spawn_writer(&path, 7, 1_000_000);
    let stdout = child.stdout.take().unwrap();
    let mut acked = Vec::new();
    for line in BufReader::new(stdout).lines() {
        acked.extend(acked_ids(&line.unwrap()));
        if acked.len() >= 200 {
            break;
        }
    }
    // `Child::kill` is SIGKILL on Unix: no destructor, no flush runs.
    child.kill().unwrap();
    child.wait().unwrap();

    let mut store = JsonlFileStore::open(&path).unwrap();
    let loaded = ids(&store.load_all_events().unwrap());
    for id in &acked {
        assert!(loaded.contains(id), "acknowledged {id} lost");
    }
    // Whatever the kill left, the next append leaves a clean log.
    store.save_event(&event(42, 99, "after", "M1")).unwrap();
    let read = read_log(&std::fs::read_to_string(&path).unwrap());
    assert!(read.errors.is_empty() && read.torn_tail.is_none());
    assert_eq!(read.events.len(), loaded.len() + 1);
}

#[test]
fn a_last_line_truncated_at_any_byte_is_ignored_then_cut() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full.jsonl");
    let mut store = JsonlFileStore::open(&full).unwrap();
    for n in 1..=3 {
        store.save_event(&event(n, n, "cli", "M1")).unwrap();
    }
    let bytes = std::fs::read(&full).unwrap();
    let last_start = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|b| *b == b'\n')
        .unwrap()
        + 1;
    let path = dir.path().join("cut.jsonl");
    for cut in last_start..bytes.len() {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let mut store = JsonlFileStore::open(&path).unwrap();
        let loaded = store.load_all_events().unwrap();
        // Only the newline missing: the line is whole and is kept.
        let whole = cut == bytes.len() - 1;
        assert_eq!(loaded.len(), if whole { 3 } else { 2 }, "cut at {cut}");
        assert_eq!(
            store.warning().is_some(),
            !whole && cut > last_start,
            "cut at {cut}"
        );

        store.save_event(&event(9, 9, "cli", "M1")).unwrap();
        assert!(store.warning().is_none());
        let text = std::fs::read_to_string(&path).unwrap();
        let read = read_log(&text);
        assert!(read.errors.is_empty(), "cut at {cut}: {:?}", read.errors);
        assert!(read.torn_tail.is_none());
        assert_eq!(read.events.len(), loaded.len() + 1, "cut at {cut}");
        if !whole {
            assert_eq!(text.as_bytes()[..last_start], bytes[..last_start]);
        }
    }
}

#[test]
fn a_corrupt_line_names_file_and_line_and_stops_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let good = event(1, 1, "cli", "M1").to_json();
    let text = format!(
        "{good}\n{{\"event_id\":\"nope\"}}\n{}\n",
        event(2, 2, "cli", "M1").to_json()
    );
    std::fs::write(&path, &text).unwrap();
    let mut store = JsonlFileStore::open(&path).unwrap();
    let error = store.load_all_events().unwrap_err().to_string();
    assert!(error.contains("log.jsonl"), "{error}");
    assert!(error.contains("line 2"), "{error}");
    let refused = store.save_event(&event(3, 3, "cli", "M1")).unwrap_err();
    assert!(
        refused.to_string().contains("refusing to write"),
        "{refused}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);

    // A fresh handle that saves first finds the damage the same way.
    let mut fresh = JsonlFileStore::open(&path).unwrap();
    assert!(fresh.save_event(&event(3, 3, "cli", "M1")).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn resaving_a_known_event_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let mut first = JsonlFileStore::open(&path).unwrap();
    first.save_event(&event(1, 1, "cli", "M1")).unwrap();
    let before = std::fs::read(&path).unwrap();
    first.save_event(&event(1, 1, "cli", "M1")).unwrap();
    // Another handle, which has not read the file yet, sees it too.
    let mut second = JsonlFileStore::open(&path).unwrap();
    second.save_event(&event(1, 5, "other", "M2")).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn loads_in_lamport_then_node_order_by_aggregate() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = JsonlFileStore::open(dir.path().join("log.jsonl")).unwrap();
    store.save_event(&event(1, 3, "a", "M1")).unwrap();
    store.save_event(&event(2, 1, "b", "M2")).unwrap();
    store.save_event(&event(3, 1, "a", "M1")).unwrap();
    store.save_event(&event(4, 2, "a", "M1")).unwrap();
    let all = store.load_all_events().unwrap();
    let keys: Vec<(u64, &str)> = all
        .iter()
        .map(|e| (e.lamport_clock(), e.node_id()))
        .collect();
    assert_eq!(keys, [(1, "a"), (1, "b"), (2, "a"), (3, "a")]);
    let m1 = store.load_events("M1").unwrap();
    assert_eq!(m1.len(), 3);
    assert!(m1.iter().all(|e| e.aggregate_id() == "M1"));
    assert!(store.load_events("nothing").unwrap().is_empty());
}
