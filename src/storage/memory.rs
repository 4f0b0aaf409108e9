//! In-memory implementations of the storage traits.
