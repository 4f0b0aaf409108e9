//! Validated identifier and text newtypes: [`Ulid`] and [`NonEmptyString`].

use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::contract::decode::StrVisitor;
use crate::error::ValidationError;

/// A ULID as it stands on the wire: 26 characters of Crockford base32.
///
/// The text is kept exactly as read (letter case included) so that a log
/// re-serializes byte for byte and ids compare as the Python library compares
/// them, as strings. It is `Copy`: 26 bytes inline, no allocation.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ulid([u8; Ulid::LEN]);

impl Ulid {
    /// The length of every ULID, in characters.
    pub const LEN: usize = 26;

    /// Checks `text` and keeps it as is.
    ///
    /// # Errors
    /// A [`ValidationError`] (for the field `""`) when `text` is not 26
    /// Crockford base32 characters or encodes more than 128 bits.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let bytes: [u8; Self::LEN] = text.as_bytes().try_into().map_err(|_| {
            ValidationError::new(
                "",
                format!(
                    "a ULID has {} characters, {text:?} has {}",
                    Self::LEN,
                    text.chars().count()
                ),
            )
        })?;
        if let Some(bad) = bytes.iter().find(|b| !is_crockford(**b)) {
            return Err(ValidationError::new(
                "",
                format!(
                    "{text:?} is not a ULID: {:?} is not a Crockford base32 digit",
                    char::from(*bad)
                ),
            ));
        }
        if bytes[0] > b'7' {
            return Err(ValidationError::new(
                "",
                format!("{text:?} is not a ULID: it overflows 128 bits"),
            ));
        }
        Ok(Self(bytes))
    }

    /// A fresh ULID for now (millisecond time, random tail), upper case.
    pub fn generate() -> Self {
        Self::from(ulid::Ulid::generate())
    }

    /// The ULID's text.
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored (checked in `parse`, or produced by
        // the `ulid` crate's encoder).
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl From<ulid::Ulid> for Ulid {
    fn from(value: ulid::Ulid) -> Self {
        let mut bytes = [0u8; Self::LEN];
        bytes.copy_from_slice(value.to_string().as_bytes());
        Self(bytes)
    }
}

/// Crockford base32 digits, either case: a table, since every event id and
/// causation id of a log goes through it.
const CROCKFORD: [bool; 256] = {
    let mut table = [false; 256];
    let digits = b"0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz";
    let mut i = 0;
    while i < digits.len() {
        table[digits[i] as usize] = true;
        i += 1;
    }
    table
};

fn is_crockford(b: u8) -> bool {
    CROCKFORD[usize::from(b)]
}

impl FromStr for Ulid {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Ulid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Ulid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ulid({})", self.as_str())
    }
}

impl Serialize for Ulid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Ulid {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(deserializer, "a ULID string", Ulid::parse)
    }
}

/// A string with at least one character.
///
/// Every free-text field of the contract (ids, names, actors) is one of these;
/// an empty string is rejected where it is read, so code holding a
/// `NonEmptyString` never checks again.
///
/// Short text (up to 24 bytes: ids, actors, lanes of prose) is kept inline;
/// longer text read while a log is read is shared by every event of that
/// reader that repeats it (a mission's feature slug): one copy instead of
/// one per event.
#[derive(Clone)]
pub struct NonEmptyString(Text);

// Sharing costs no room: the enum fits in the `CompactString`'s own niche.
const _: () = assert!(std::mem::size_of::<NonEmptyString>() == INLINE_BYTES);

/// The text of a [`NonEmptyString`]: inline or on the heap, or shared.
#[derive(Clone)]
enum Text {
    Own(CompactString),
    Shared(Arc<str>),
}

impl NonEmptyString {
    /// Wraps `text` if it is not empty.
    ///
    /// # Errors
    /// A [`ValidationError`] (for the field `""`) when `text` is empty.
    pub fn new(text: impl Into<String>) -> Result<Self, ValidationError> {
        let text: String = text.into();
        Self::from_str_checked(&text).map(|_| Self(Text::Own(CompactString::from(text))))
    }

    /// Checks and copies `text`; short text is kept inline, without a heap
    /// allocation.
    fn from_str_checked(text: &str) -> Result<Self, ValidationError> {
        if text.is_empty() {
            Err(ValidationError::new("", "must not be empty"))
        } else {
            Ok(Self(Text::Own(CompactString::new(text))))
        }
    }

    /// As [`from_str_checked`](Self::from_str_checked), sharing text too
    /// long to be inline with the earlier events of this thread's reader.
    pub(crate) fn read(text: &str) -> Result<Self, ValidationError> {
        if text.len() <= INLINE_BYTES {
            return Self::from_str_checked(text);
        }
        match SharedText::share(text) {
            Some(shared) => Ok(Self(Text::Shared(shared))),
            None => Self::from_str_checked(text),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Text::Own(text) => text,
            Text::Shared(text) => text,
        }
    }

    /// Whether the text is only white space (a rule for forced moves' reasons).
    pub fn is_blank(&self) -> bool {
        self.as_str().trim().is_empty()
    }

    /// The owned text.
    pub fn into_string(self) -> String {
        match self.0 {
            Text::Own(text) => text.into_string(),
            Text::Shared(text) => text.as_ref().to_owned(),
        }
    }
}

/// The longest text a `CompactString` keeps inline.
const INLINE_BYTES: usize = std::mem::size_of::<CompactString>();

/// The most texts one reader shares: past it, new texts are copied as
/// before and those already shared stay shared, so a log of unique long
/// strings costs no more than a bounded table.
const MAX_SHARED_TEXTS: usize = 1024;

/// Texts shared by the events one reader reads: every event of a mission
/// repeats its feature slug (28 bytes in spec-kitty's logs, one heap
/// allocation each). While a reader holds a [`SharedText`] guard, a
/// [`NonEmptyString`] longer than [`INLINE_BYTES`] that it reads is looked
/// up in its thread's table and shares the copy there; without one (an
/// event read on its own, a payload built in code) nothing changes.
pub(crate) struct SharedText {
    /// The table of a guard this one is nested in, given back on drop.
    outer: Option<HashSet<Arc<str>>>,
    /// The table belongs to the thread: the guard stays on it.
    _not_send: std::marker::PhantomData<*const ()>,
}

thread_local! {
    /// This thread's table, while a reader holds a guard.
    static SHARED: RefCell<Option<HashSet<Arc<str>>>> = const { RefCell::new(None) };
}

impl SharedText {
    /// Shares long texts among what this thread reads until the guard is
    /// dropped; the table is freed then (the events keep their texts).
    pub(crate) fn start() -> Self {
        let outer = SHARED.with(|shared| shared.borrow_mut().replace(HashSet::new()));
        Self {
            outer,
            _not_send: std::marker::PhantomData,
        }
    }

    /// `text`'s shared copy, made if there is room; `None` when no reader
    /// on this thread shares texts, or the table is full and `text` new.
    fn share(text: &str) -> Option<Arc<str>> {
        SHARED.with(|shared| {
            let mut shared = shared.try_borrow_mut().ok()?;
            let table = shared.as_mut()?;
            if let Some(known) = table.get(text) {
                return Some(Arc::clone(known));
            }
            if table.len() >= MAX_SHARED_TEXTS {
                return None;
            }
            let made: Arc<str> = Arc::from(text);
            table.insert(Arc::clone(&made));
            Some(made)
        })
    }
}

impl Drop for SharedText {
    fn drop(&mut self) {
        SHARED.with(|shared| *shared.borrow_mut() = self.outer.take());
    }
}

impl PartialEq for NonEmptyString {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for NonEmptyString {}

impl PartialOrd for NonEmptyString {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for NonEmptyString {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for NonEmptyString {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Serialize for NonEmptyString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl FromStr for NonEmptyString {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_str_checked(s)
    }
}

impl TryFrom<&str> for NonEmptyString {
    type Error = ValidationError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::from_str_checked(s)
    }
}

impl TryFrom<String> for NonEmptyString {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl AsRef<str> for NonEmptyString {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for NonEmptyString {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for NonEmptyString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for NonEmptyString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for NonEmptyString {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for NonEmptyString {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl<'de> Deserialize<'de> for NonEmptyString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(deserializer, "a non-empty string", NonEmptyString::read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SLUG: &str = "004-canonical-event-contract";

    fn read(text: &str) -> NonEmptyString {
        serde_json::from_str(&serde_json::to_string(text).unwrap()).unwrap()
    }

    fn shared(text: &NonEmptyString) -> Option<&Arc<str>> {
        match &text.0 {
            Text::Own(_) => None,
            Text::Shared(shared) => Some(shared),
        }
    }

    #[test]
    fn a_reader_shares_long_texts_and_only_those() {
        // No reader: every text its own copy.
        assert!(shared(&read(SLUG)).is_none());
        let guard = SharedText::start();
        let (first, second) = (read(SLUG), read(SLUG));
        assert!(Arc::ptr_eq(
            shared(&first).unwrap(),
            shared(&second).unwrap()
        ));
        assert_eq!(first, NonEmptyString::new(SLUG).unwrap());
        // 24 bytes fit inline: nothing to share.
        assert!(shared(&read(&"x".repeat(24))).is_none());
        assert!(shared(&read(&"x".repeat(25))).is_some());
        // A nested reader has its own table, and gives the outer one back.
        {
            let _inner = SharedText::start();
            assert!(!Arc::ptr_eq(
                shared(&read(SLUG)).unwrap(),
                shared(&first).unwrap()
            ));
        }
        assert!(Arc::ptr_eq(
            shared(&read(SLUG)).unwrap(),
            shared(&first).unwrap()
        ));
        drop(guard);
        assert!(shared(&read(SLUG)).is_none());
        // The events keep their texts after the reader is done.
        assert_eq!(first.as_str(), SLUG);
    }

    #[test]
    fn a_full_table_shares_what_it_has_and_copies_the_rest() {
        let _guard = SharedText::start();
        let long = |n: usize| format!("{SLUG}-{n}");
        let kept = read(&long(0));
        for n in 1..MAX_SHARED_TEXTS {
            assert!(shared(&read(&long(n))).is_some());
        }
        let past = read(&long(MAX_SHARED_TEXTS));
        assert!(shared(&past).is_none());
        assert_eq!(past.as_str(), long(MAX_SHARED_TEXTS));
        assert!(Arc::ptr_eq(
            shared(&read(&long(0))).unwrap(),
            shared(&kept).unwrap()
        ));
    }

    proptest! {
        /// A text read by a reader that shares is the text read without
        /// one: equal, ordered, hashed and written the same (texts drawn
        /// from a small pool, so that they repeat and are shared).
        #[test]
        fn shared_texts_are_the_texts_read_alone(
            pool in proptest::collection::vec(".{0,40}", 1..4),
            picks in proptest::collection::vec(0usize..4, 1..12),
        ) {
            let texts: Vec<&str> = picks.iter().map(|&at| pool[at % pool.len()].as_str()).collect();
            let decode = |text: &str| -> Result<NonEmptyString, String> {
                serde_json::from_value(text.into()).map_err(|e| e.to_string())
            };
            let hash = |text: &NonEmptyString| {
                use std::hash::{BuildHasher, BuildHasherDefault};
                BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(text)
            };
            let alone: Vec<_> = texts.iter().map(|text| decode(text)).collect();
            let others: Vec<NonEmptyString> = alone.iter().filter_map(|a| a.clone().ok()).collect();
            let _guard = SharedText::start();
            for (text, alone) in texts.iter().zip(&alone) {
                let read = decode(text);
                prop_assert_eq!(&read, alone);
                if let (Ok(read), Ok(alone)) = (read, alone) {
                    prop_assert_eq!(read.as_str(), *text);
                    prop_assert_eq!(hash(&read), hash(alone));
                    prop_assert_eq!(serde_json::to_string(&read).unwrap(), serde_json::to_string(alone).unwrap());
                    for other in &others {
                        prop_assert_eq!(read.cmp(other), alone.cmp(other));
                    }
                }
            }
        }
    }
}
