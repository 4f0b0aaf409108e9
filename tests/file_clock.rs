//! `FileClockStorage`: one file holds every node's clock; nodes saving at
//! once (here: threads, each with its own handle on the file) lose none of
//! each other's values, a missing file holds nothing, and a damaged file is
//! an error naming it rather than a clock restarted from zero.

use spec_kitty_events::Error;
use spec_kitty_events::store::{ClockStorage, FileClockStorage, LamportClock};

#[test]
fn a_missing_file_holds_no_value_and_nothing_is_created_by_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clocks.json");
    let storage = FileClockStorage::new(&path);
    assert_eq!(storage.load("cli").unwrap(), 0);
    assert!(!path.exists());
}

#[test]
fn nodes_saving_at_once_keep_every_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clocks.json");
    std::thread::scope(|scope| {
        for node in 0..8 {
            let path = &path;
            scope.spawn(move || {
                let node = format!("node-{node}");
                let mut clock = LamportClock::new(&node, FileClockStorage::new(path)).unwrap();
                for expected in 1..=40 {
                    assert_eq!(clock.tick().unwrap(), expected);
                }
            });
        }
    });
    let storage = FileClockStorage::new(&path);
    for node in 0..8 {
        assert_eq!(
            storage.load(&format!("node-{node}")).unwrap(),
            40,
            "node-{node}"
        );
    }
    // The file is the table the documentation shows.
    let table: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(table.len(), 8);
}

#[test]
fn a_damaged_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clocks.json");
    std::fs::write(&path, b"{\"cli\": 12").unwrap();
    let mut storage = FileClockStorage::new(&path);
    let error = storage.load("cli").unwrap_err();
    assert!(matches!(error, Error::Storage { .. }), "{error}");
    assert!(error.to_string().contains("clocks.json"), "{error}");
    // Saving over it would drop the other nodes' values: refused too.
    assert!(storage.save("cli", 13).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"cli\": 12");
}
