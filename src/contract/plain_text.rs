//! The pieces of plain JSON text that the envelope's walk
//! ([`scan`](super::scan)) and the payload's plain reader
//! ([`plain_json`](super::plain_json)) share: where a string ends, and the
//! plain reader's failure, keys and unit variants; and the walk's compact
//! copy of a payload.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Visitor};

/// A payload's compact copy, made of the runs of text between its gaps of
/// white space.
///
/// A run is a few bytes (`"key":` or `"value",`): copying it with a call
/// to `memcpy` of its length cost more than the rest of the walk over it.
/// A run of at most [`RUN_COPY`] bytes is copied as that many bytes at
/// once, the bytes past the run overwritten by the next run or cut off at
/// the end; the buffer, sized at the first gap, has that much room past
/// the longest copy the payload could need.
#[derive(Default)]
pub(super) struct Compact {
    bytes: Vec<u8>,
    len: usize,
}

/// The bytes [`Compact`] copies at once.
const RUN_COPY: usize = 32;

impl Compact {
    /// Appends `line[run]`, a run of the payload, which goes on to the end
    /// of `line` at most.
    #[inline]
    pub(super) fn push(&mut self, line: &[u8], run: std::ops::Range<usize>) {
        let length = run.len();
        let at = self.len;
        let from = line.get(run.start..run.start + RUN_COPY);
        match (from, self.bytes.get_mut(at..at + RUN_COPY)) {
            (Some(from), Some(to)) if length <= RUN_COPY => to.copy_from_slice(from),
            _ => self.push_exactly(line, run),
        }
        self.len = at + length;
    }

    /// [`push`](Self::push) of a run too long to copy at once, near the
    /// end of the line, or the first (which makes the buffer).
    #[cold]
    fn push_exactly(&mut self, line: &[u8], run: std::ops::Range<usize>) {
        if self.bytes.is_empty() {
            // The payload is at most the rest of the line: one allocation.
            self.bytes = vec![0; line.len() - run.start + RUN_COPY];
        }
        // The copy is never longer than the payload walked so far, so the
        // buffer has room for the run.
        let at = self.len;
        self.bytes[at..at + run.len()].copy_from_slice(&line[run]);
    }

    /// The copy as text: runs of a `str` cut next to ASCII bytes, so
    /// always UTF-8.
    pub(super) fn into_string(mut self) -> Option<String> {
        self.bytes.truncate(self.len);
        String::from_utf8(self.bytes).ok()
    }
}

/// The index of the quote that closes the string whose text starts at
/// `start`; `None` at a backslash or a control character (below U+0020)
/// before it, or at the end of `bytes`.
#[inline]
pub(super) fn closing_quote(bytes: &[u8], start: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Bytes below `n` in `word`, flagged by their high bit: exact for the
    // lowest flagged byte, which is all that is used.
    let below = |word: u64, n: u64| word.wrapping_sub(ONES * n) & !word & HIGHS;
    let mut at = start;
    // Eight bytes at a time: most strings of a log are ids and names with
    // nothing to stop at but their closing quote.
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let stops = below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1)
            | below(word, 0x20);
        if stops != 0 {
            at += (stops.trailing_zeros() / 8) as usize;
            break;
        }
        at += 8;
    }
    loop {
        match *bytes.get(at)? {
            b'"' => return Some(at),
            b'\\' | 0..=0x1f => return None,
            _ => at += 1,
        }
    }
}

thread_local! {
    /// Whether the reader, or a visitor it called, failed during this
    /// [`from_str`], even if the type went on.
    static FAILED: Cell<bool> = const { Cell::new(false) };
}

/// Fails: the one way every failure of the reader is made.
pub(super) fn declined<T>() -> Result<T, Declined> {
    FAILED.set(true);
    Err(Declined)
}

/// Starts a read: no failure yet.
pub(super) fn start_reading() {
    FAILED.set(false);
}

/// Whether the read, or a visitor it called, failed since it started.
pub(super) fn failed() -> bool {
    FAILED.get()
}

/// The reader's failure: it carries no message, since serde_json reads the
/// text again to say what was wrong.
#[derive(Debug)]
pub(crate) struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not plain JSON")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<M: fmt::Display>(_: M) -> Self {
        // Every error a visitor makes comes here.
        FAILED.set(true);
        Declined
    }
}

/// An object's key: serde_json hands it to most requests as a borrowed
/// string; those it treats otherwise (numbers, `bool`s, options, bytes,
/// newtypes, enums) are declined.
pub(super) struct Key<'a>(pub(super) &'a str);

/// Methods of a deserializer that decline.
macro_rules! decline {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Declined> {
            declined()
        })*
    };
}

impl<'de> de::Deserializer<'de> for Key<'de> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        visitor.visit_borrowed_str(self.0)
    }

    decline! {
        deserialize_bool deserialize_option deserialize_bytes deserialize_byte_buf
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, Declined> {
        declined()
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Declined> {
        declined()
    }

    serde::forward_to_deserialize_any! {
        char str string unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// A unit variant, read from its name.
pub(super) struct UnitVariant<'a> {
    pub(super) name: &'a str,
}

impl<'de> de::EnumAccess<'de> for UnitVariant<'de> {
    type Error = Declined;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Declined> {
        let name = de::value::BorrowedStrDeserializer::<Declined>::new(self.name);
        let variant = seed.deserialize(name)?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'de> {
    type Error = Declined;

    fn unit_variant(self) -> Result<(), Declined> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Declined> {
        declined()
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Declined> {
        declined()
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Declined> {
        declined()
    }
}
