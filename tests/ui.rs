//! Compile-time half of the contract (section 5): every move the transition
//! matrix forbids is a compile error, every legal move compiles and runs.
//!
//! `ui-tests/fail/` has one case per forbidden (state, method) pair of missions
//! and work packages, plus reusing a consumed builder, cloning one, forcing
//! past a guard, emitting a payload under another event type, passing one
//! name for another (`swap_*`: mission type for phase, actor for review
//! reference …), building an event without a required field and a
//! `#[variant(…)]` layout `define_event_types!` does not have; each
//! `.stderr` is the error the case must give. `ui-tests/pass/` exercises every
//! legal move (the schema 3.0.0 lanes genesis, in_review and approved
//! included: `wp_from_genesis`, `wp_from_in_review`, `wp_from_approved`,
//! `wp_into_current_lanes`), `resume_and_match.rs` resumes from a log and matches on the
//! state, and `downstream_defines_event_types.rs` uses
//! `define_event_types!` as a downstream crate would. Regenerate the
//! `.stderr` files with `TRYBUILD=overwrite` and read each one: it must fail
//! for the intended reason.

#[test]
fn forbidden_moves_do_not_compile_and_legal_moves_do() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui-tests/fail/*.rs");
    cases.pass("ui-tests/pass/*.rs");
}
