//! The contract versions this crate reads and writes, and which one an
//! event was written under.
//!
//! An event names its envelope schema version (`schema_version`); every
//! release of the Python library between two schema bumps wrote the same
//! envelope, so the schema version says which contract's rules judge the
//! event. History that was valid when it was written stays valid: a line is
//! checked against the rules of its own version, never against rules that
//! postdate it.

use std::fmt;

/// A version of the wire contract: the envelope's shape, the lanes, the
/// transition matrix and the payloads' rules.
///
/// Chosen by an event's `schema_version` major number
/// ([`ContractVersion::of_schema_major`]): majors 1 and 2 are the 0.4 contract
/// (the 2.x schemas only ever marked the same envelope), 3 and later the
/// current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContractVersion {
    /// Envelope schema `1.0.0`, as `spec-kitty-events` 0.4.0a0 writes it:
    /// no `build_id`, a required `lamport_clock`, seven lanes,
    /// `feature_slug` in status payloads.
    V1,
    /// Envelope schema `3.0.0`, as `spec-kitty-events` 3.0 through 11.0.0
    /// write it: a required `build_id`, an optional `lamport_clock`, ten
    /// lanes, `mission_slug` in status payloads, the mission lifecycle
    /// events.
    V3,
}

impl ContractVersion {
    /// Every version, oldest first.
    pub const ALL: [ContractVersion; 2] = [ContractVersion::V1, ContractVersion::V3];

    /// The version emission writes unless told otherwise.
    pub const CURRENT: ContractVersion = ContractVersion::V3;

    /// The `schema_version` this version writes.
    pub const fn schema_version(self) -> &'static str {
        match self {
            ContractVersion::V1 => "1.0.0",
            ContractVersion::V3 => "3.0.0",
        }
    }

    /// The Python library release whose behaviour this version follows
    /// (the oracle the tests compare against).
    pub const fn reference_release(self) -> &'static str {
        match self {
            ContractVersion::V1 => "0.4.0a0",
            ContractVersion::V3 => "11.0.0",
        }
    }

    /// The contract an envelope of schema major `major` was written under.
    pub const fn of_schema_major(major: u64) -> ContractVersion {
        if major >= 3 {
            ContractVersion::V3
        } else {
            ContractVersion::V1
        }
    }
}

impl fmt::Display for ContractVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "schema {} (spec-kitty-events {})",
            self.schema_version(),
            self.reference_release()
        )
    }
}
