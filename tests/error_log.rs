//! `ErrorEntry` and `ErrorLog`: validation, defaults, wire form, recency.

use std::num::NonZeroUsize;

use spec_kitty_events::contract::Timestamp;

use spec_kitty_events::store::{ErrorEntry, ErrorLog, InMemoryErrorStorage};

#[test]
fn an_entry_has_the_python_defaults_and_wire_form() {
    let at: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let entry = ErrorEntry::new(at, "x", "m").unwrap();
    assert_eq!(
        serde_json::to_string(&entry).unwrap(),
        r#"{"timestamp":"2026-01-01T00:00:00Z","action_attempted":"x","error_message":"m","resolution":"","agent":"unknown"}"#
    );
    let read: ErrorEntry = serde_json::from_str(
        r#"{"timestamp":"2026-01-01T00:00:00Z","action_attempted":"x","error_message":"m"}"#,
    )
    .unwrap();
    assert_eq!(read, entry);
}

#[test]
fn empty_action_or_message_is_rejected_by_name() {
    let now = Timestamp::now();
    assert_eq!(
        ErrorEntry::new(now, "", "m").unwrap_err().field(),
        "action_attempted"
    );
    assert_eq!(
        ErrorEntry::new(now, "a", "").unwrap_err().field(),
        "error_message"
    );
    assert!(
        serde_json::from_str::<ErrorEntry>(
            r#"{"timestamp":"2026-01-01T00:00:00Z","action_attempted":"","error_message":"m"}"#
        )
        .is_err()
    );
}

#[test]
fn the_log_returns_the_ten_newest_by_default() {
    let mut log = ErrorLog::new(InMemoryErrorStorage::new());
    for i in 0..15 {
        let entry = ErrorEntry::new(Timestamp::now(), format!("a{i}"), "m")
            .unwrap()
            .with_agent("claude")
            .with_resolution(if i % 2 == 0 { "retried" } else { "" });
        log.log_error(entry).unwrap();
    }
    let recent = log.recent_errors().unwrap();
    let names: Vec<&str> = recent.iter().map(|e| e.action_attempted.as_str()).collect();
    assert_eq!(
        names,
        [
            "a14", "a13", "a12", "a11", "a10", "a9", "a8", "a7", "a6", "a5"
        ]
    );
    assert_eq!(recent[0].resolution, "retried");
    assert_eq!(recent[0].agent, "claude");
    let three = log
        .get_recent_errors(NonZeroUsize::new(3).unwrap())
        .unwrap();
    assert_eq!(three.len(), 3);
    assert_eq!(log.into_storage().len(), 15);
}
