//! The contract's rules, each checked against values reasoned out
//! independently of the code under test: tables written out from the
//! contract, and plain model reducers written separately
//! (`tests/support/model_*.rs`), and spec-kitty's own `status.json`s.
//!
//! One test target, quick and without the Python oracles, so that
//! `scripts/mutants` can run it once per mutant of a rule module.

#[path = "support/mission_logs.rs"]
mod mission_logs;

#[path = "rules/contract.rs"]
mod contract;

#[path = "rules/ordering.rs"]
mod ordering;

#[path = "rules/threads.rs"]
mod threads;

#[path = "support/model_status.rs"]
mod model_status;

#[path = "rules/status.rs"]
mod status;

#[path = "support/model_lifecycle.rs"]
mod model_lifecycle;

#[path = "rules/lifecycle.rs"]
mod lifecycle;

#[path = "support/diary_rows.rs"]
mod diary_rows;

#[path = "support/model_diary.rs"]
mod model_diary;

#[path = "rules/spec_kitty_rows.rs"]
mod spec_kitty_rows;

#[path = "rules/spec_kitty_status.rs"]
mod spec_kitty_status;

#[path = "rules/spec_kitty_checks.rs"]
mod spec_kitty_checks;

#[path = "rules/spec_kitty_one_pass.rs"]
mod spec_kitty_one_pass;

#[path = "rules/service.rs"]
mod service;
