//! A serde deserializer for plain JSON: the fast path of decoding a payload.
//!
//! A payload is decoded into its typed fields by serde; serde_json's reader
//! was half of that cost (its string scanning and number parsing). The text
//! of nearly every payload is plain: compact (the walk or the reader made
//! it so), no escape sequence, integers only. Over such text this reader
//! makes exactly the calls serde_json makes on the type's visitors — a
//! borrowed string, a `u64` for an integer, an `i64` for a negative one,
//! `none`/`some`, a map, a sequence, a unit variant — and at anything else
//! (white space, an escape, a fraction or exponent, `-0`, which serde_json
//! reads as a float, a type's unusual request) it fails, and [`from_str`]
//! answers `None`: the caller decodes with serde_json, which gives every
//! error and every unusual value exactly as before.

use std::cell::Cell;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};

use crate::contract::plain_text::{
    Declined, Key, UnitVariant, closing_quote, declined, failed, start_reading,
};

/// The deepest nesting the reader follows (serde_json's limit is 128).
const MAX_DEPTH: usize = 32;

/// `T` read from `json` when it is plain JSON and `T` reads from it as it
/// reads from serde_json; `None` to leave it to serde_json.
pub(crate) fn from_str<T: DeserializeOwned>(json: &str) -> Option<T> {
    #[cfg(test)]
    if SERDE_ONLY.get() {
        return None;
    }
    start_reading();
    let mut reader = Reader {
        bytes: json.as_bytes(),
        text: json,
        at: 0,
        depth: 0,
    };
    let value = T::deserialize(&mut reader).ok()?;
    // A failure a type caught and went on from could mean another path
    // through its visitors than serde_json's: leave it to serde_json.
    let whole = reader.at == json.len() && !failed();
    if whole {
        READ_WHOLE.set(Some((json.as_ptr() as usize, json.len())));
    }
    whole.then_some(value)
}

thread_local! {
    /// The text the last successful [`from_str`] of this thread read: all
    /// of it plain JSON (where it lies, and its length).
    static READ_WHOLE: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

/// Forgets which text [`from_str`] last read whole.
pub(crate) fn forget_read() {
    READ_WHOLE.set(None);
}

/// Whether the last successful [`from_str`] since [`forget_read`] read
/// this very text (not an equal one elsewhere): then it is plain JSON,
/// which every token of it was checked to be.
pub(crate) fn was_read_whole(json: &str) -> bool {
    READ_WHOLE.get() == Some((json.as_ptr() as usize, json.len()))
}

#[cfg(test)]
thread_local! {
    /// Turns the reader off, for tests comparing it with serde_json.
    static SERDE_ONLY: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with the reader off: every decoding through serde_json.
#[cfg(test)]
pub(crate) fn serde_only<R>(f: impl FnOnce() -> R) -> R {
    SERDE_ONLY.set(true);
    let result = f();
    SERDE_ONLY.set(false);
    result
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn fail<T>(&self) -> Result<T, Declined> {
        declined()
    }

    fn peek(&self) -> Result<u8, Declined> {
        match self.bytes.get(self.at) {
            Some(&byte) => Ok(byte),
            None => self.fail(),
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), Declined> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(())
        } else {
            self.fail()
        }
    }

    /// A string with no escape and no control character, borrowed.
    fn string(&mut self) -> Result<&'a str, Declined> {
        if self.peek()? != b'"' {
            return self.fail();
        }
        let start = self.at + 1;
        let Some(end) = closing_quote(self.bytes, start) else {
            return self.fail();
        };
        self.at = end + 1;
        match self.text.get(start..end) {
            Some(text) => Ok(text),
            None => self.fail(),
        }
    }

    /// An integer of at most 18 digits: serde_json's `u64`, or its `i64`
    /// for a negative one (`-0` it reads as a float: declined).
    fn number<V: Visitor<'a>>(&mut self, visitor: V) -> Result<V::Value, Declined> {
        let negative = self.bytes[self.at] == b'-';
        let start = self.at + usize::from(negative);
        let digits = self.bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = start + digits;
        if digits == 0
            || digits > 18
            || (digits > 1 && self.bytes[start] == b'0')
            || matches!(self.bytes.get(end), Some(b'.' | b'e' | b'E'))
        {
            return self.fail();
        }
        let Ok(value) = self.text[start..end].parse::<i64>() else {
            return self.fail();
        };
        self.at = end;
        match (negative, value) {
            (false, _) => visitor.visit_u64(value.unsigned_abs()),
            (true, 0) => self.fail(),
            (true, _) => visitor.visit_i64(-value),
        }
    }

    fn enter(&mut self) -> Result<(), Declined> {
        if self.depth == MAX_DEPTH {
            return self.fail();
        }
        self.depth += 1;
        self.at += 1;
        Ok(())
    }

    /// After a container's last element: its closing byte.
    fn leave(&mut self, close: u8) -> Result<(), Declined> {
        if self.peek()? != close {
            return self.fail();
        }
        self.depth -= 1;
        self.at += 1;
        Ok(())
    }

    /// Skips a value, as serde_json's `ignore_value` does.
    fn skip(&mut self) -> Result<(), Declined> {
        de::Deserializer::deserialize_any(self, de::IgnoredAny).map(drop)
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        match self.peek()? {
            b'n' => {
                self.literal("null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.literal("true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal("false")?;
                visitor.visit_bool(false)
            }
            b'-' | b'0'..=b'9' => self.number(visitor),
            b'"' => visitor.visit_borrowed_str(self.string()?),
            b'[' => self.deserialize_seq(visitor),
            b'{' => self.deserialize_map(visitor),
            _ => self.fail(),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        match self.peek()? {
            b't' | b'f' => self.deserialize_any(visitor),
            _ => self.fail(),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        match self.peek()? {
            b'-' | b'0'..=b'9' => self.number(visitor),
            _ => self.fail(),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        visitor.visit_borrowed_str(self.string()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        if self.peek()? == b'n' {
            self.literal("null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.literal("null")?;
        visitor.visit_unit()
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        if self.peek()? != b'[' {
            return self.fail();
        }
        self.enter()?;
        let value = visitor.visit_seq(Elements {
            reader: &mut *self,
            first: true,
        })?;
        self.leave(b']')?;
        Ok(value)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        if self.peek()? != b'{' {
            return self.fail();
        }
        self.enter()?;
        let value = visitor.visit_map(Elements {
            reader: &mut *self,
            first: true,
        })?;
        self.leave(b'}')?;
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Declined> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Declined> {
        // A unit variant, written as its name; serde_json's other forms
        // are left to it.
        let name = self.string()?;
        visitor.visit_enum(UnitVariant { name })
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.skip()?;
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Declined> {
        // serde_json's raw values travel as a newtype of this name.
        if name.starts_with("$serde_json") {
            return self.fail();
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Declined> {
        // serde_json hands a string to this as bytes.
        declined()
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        // serde_json reads these as 128-bit numbers.
        self.deserialize_bytes(visitor)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.deserialize_bytes(visitor)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 u8 u16 u32 f32 f64 char unit_struct tuple tuple_struct
    }
}

/// The elements of an array or the entries of an object.
struct Elements<'r, 'a> {
    reader: &'r mut Reader<'a>,
    first: bool,
}

impl Elements<'_, '_> {
    /// Whether another element follows (past its comma).
    fn more(&mut self, close: u8) -> Result<bool, Declined> {
        let byte = self.reader.peek()?;
        if byte == close {
            return Ok(false);
        }
        if !std::mem::take(&mut self.first) {
            if byte != b',' {
                return self.reader.fail();
            }
            self.reader.at += 1;
        }
        Ok(true)
    }
}

impl<'de> de::SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Declined;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Declined> {
        if !self.more(b']')? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

impl<'de> de::MapAccess<'de> for Elements<'_, 'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Declined> {
        if !self.more(b'}')? {
            return Ok(None);
        }
        let key = self.reader.string()?;
        if self.reader.peek()? != b':' {
            return self.reader.fail();
        }
        self.reader.at += 1;
        seed.deserialize(Key(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Declined> {
        seed.deserialize(&mut *self.reader)
    }
}
