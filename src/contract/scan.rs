//! One walk over an envelope's text for the shape nearly every line has:
//! the fast path of reading an event.
//!
//! serde_json reads a line field by field through visitors, captures the
//! payload's text by scanning it, and the typed decoding reads that text
//! again: most of what reading a log costs. This walks the top-level object
//! once, borrowing each value's text. It answers only where its answer is
//! certainly serde's: a string with an escape sequence or a control
//! character, a number that is not a plain integer, a key twice, a value of
//! an unexpected type, nesting deeper than [`MAX_DEPTH`] — anything odd —
//! and it declines (`None`), and the line goes through serde, which gives
//! every error and every unusual value exactly as it always has.

use crate::contract::plain_text::{Compact, closing_quote};

/// The deepest nesting inside a value that the walk follows; deeper, it
/// declines (serde_json's own limit is 128).
const MAX_DEPTH: usize = 32;

/// The most digits of an integer the walk reads: any 18 digits fit an
/// `i64`, so no integer it takes is out of range anywhere.
const MAX_DIGITS: usize = 18;

/// The top-level values of an envelope, borrowed from its line; `None` for a
/// field that is absent (or, for the optional ones, `null`, which serde
/// reads as absent too).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Envelope<'a> {
    pub(super) event_id: Option<&'a str>,
    pub(super) event_type: Option<&'a str>,
    pub(super) aggregate_id: Option<&'a str>,
    /// The payload object's text as written, and whether it has white space
    /// between its tokens.
    pub(super) payload: Option<PayloadText<'a>>,
    pub(super) timestamp: Option<&'a str>,
    pub(super) build_id: Option<&'a str>,
    pub(super) node_id: Option<&'a str>,
    pub(super) lamport_clock: Option<u64>,
    pub(super) causation_id: Option<&'a str>,
    pub(super) project_uuid: Option<&'a str>,
    pub(super) project_slug: Option<&'a str>,
    pub(super) correlation_id: Option<&'a str>,
    pub(super) schema_version: Option<&'a str>,
    pub(super) data_tier: Option<u64>,
}

/// A payload object's text, checked to be JSON the walk fully understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PayloadText<'a> {
    /// From its `{` to its `}`.
    pub(super) text: &'a str,
    /// The text without the white space between its tokens, when it has
    /// some: what serde's reader of a payload stores
    /// (`strip_white_space`), made in the same walk.
    pub(super) compact: Option<String>,
    /// Whether the walk checked the text as JSON; when not (a compact
    /// payload, only skimmed for its end), [`is_plain_json`] must hold of
    /// it, or the typed decoding must have read all of it as plain JSON.
    pub(super) checked: bool,
}

/// Whether `text` is one JSON value the walk fully understands.
pub(super) fn is_plain_json(text: &str) -> bool {
    let mut walk = Walk::new(text);
    walk.value(0).is_some() && walk.at == text.len()
}

/// The envelope of `line`, a JSON object and nothing after it but white
/// space; `None` wherever serde's reading could differ, or fail.
pub(super) fn scan_envelope(line: &str) -> Option<Envelope<'_>> {
    let mut walk = Walk::new(line);
    let mut envelope = Envelope::default();
    let mut seen: u16 = 0;
    walk.white_space();
    walk.expect(b'{')?;
    walk.white_space();
    if walk.peek()? != b'}' {
        // The field expected next, in the order this crate and the Python
        // library write them: compared whole, it needs no scan for its end.
        // spec-kitty's sorted keys start with `aggregate_id`, and follow
        // their own order.
        let mut expected = 0;
        let mut sorted = false;
        loop {
            let field = match FIELDS.get(expected) {
                Some(name) if walk.quoted(name) => Some(expected),
                _ => field_index(walk.string()?),
            };
            sorted |= seen == 0 && field == Some(2);
            expected = match field {
                Some(index) if sorted => AFTER_SORTED[index],
                Some(index) => index + 1,
                None => 0,
            };
            walk.white_space();
            walk.expect(b':')?;
            walk.white_space();
            if let Some(index) = field {
                let bit = 1 << index;
                if seen & bit != 0 {
                    // serde refuses a field given twice.
                    return None;
                }
                seen |= bit;
            }
            walk.field(field, &mut envelope)?;
            walk.white_space();
            match walk.next()? {
                b',' => walk.white_space(),
                b'}' => break,
                _ => return None,
            }
        }
    } else {
        walk.at += 1;
    }
    walk.white_space();
    (walk.at == walk.bytes.len()).then_some(envelope)
}

/// The envelope's fields, as [`field_index`] numbers them.
pub(super) const FIELDS: [&str; 14] = [
    "event_id",
    "event_type",
    "aggregate_id",
    "payload",
    "timestamp",
    "build_id",
    "node_id",
    "lamport_clock",
    "causation_id",
    "project_uuid",
    "project_slug",
    "correlation_id",
    "schema_version",
    "data_tier",
];

/// The field that follows each of [`FIELDS`] in sorted order (past the
/// last, none).
pub(super) const AFTER_SORTED: [usize; 14] = [1, 7, 5, 10, 14, 8, 3, 6, 11, 12, 9, 13, 4, 0];

/// The envelope's field named `key`, as [`Walk::field`] numbers them.
fn field_index(key: &str) -> Option<usize> {
    Some(match key {
        "event_id" => 0,
        "event_type" => 1,
        "aggregate_id" => 2,
        "payload" => 3,
        "timestamp" => 4,
        "build_id" => 5,
        "node_id" => 6,
        "lamport_clock" => 7,
        "causation_id" => 8,
        "project_uuid" => 9,
        "project_slug" => 10,
        "correlation_id" => 11,
        "schema_version" => 12,
        "data_tier" => 13,
        _ => return None,
    })
}

/// A position in a line being walked.
struct Walk<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// Inside the payload: where its text not yet copied starts, and its
    /// compact copy, begun at the first white space.
    compacting: Option<(usize, Compact)>,
    /// The keys of the objects open at this point, to find one written
    /// twice (serde's reader then compacts through a `Value`, which keeps
    /// one of them).
    keys: [&'a str; MAX_OPEN_KEYS],
    open_keys: usize,
    /// Whether the payload holds what `strip_white_space` leaves to that
    /// round trip: a key twice in one object, `-0`, more open keys than
    /// [`MAX_OPEN_KEYS`]. Only a payload with white space goes that way.
    not_strippable: bool,
}

/// The most keys of open objects the walk follows, as `strip_white_space`.
const MAX_OPEN_KEYS: usize = 64;

impl<'a> Walk<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            at: 0,
            compacting: None,
            keys: [""; MAX_OPEN_KEYS],
            open_keys: 0,
            not_strippable: false,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    /// Skips JSON's white space (the four bytes serde_json skips); inside
    /// the payload, copies the text before it to the compact copy.
    #[inline]
    fn white_space(&mut self) {
        if let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.gap();
        }
    }

    /// [`white_space`](Self::white_space) where there is some.
    fn gap(&mut self) {
        let start = self.at;
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
        if let Some((run, compact)) = &mut self.compacting {
            compact.push(self.bytes, *run..start);
            *run = self.at;
        }
    }

    /// The value of the field numbered `index` by [`field_index`] (an
    /// unknown field for `None`), into `envelope`.
    fn field(&mut self, index: Option<usize>, envelope: &mut Envelope<'a>) -> Option<()> {
        match index {
            Some(0) => envelope.event_id = Some(self.string()?),
            Some(1) => envelope.event_type = Some(self.string()?),
            Some(2) => envelope.aggregate_id = Some(self.string()?),
            Some(3) => envelope.payload = Some(self.payload()?),
            Some(4) => envelope.timestamp = Some(self.string()?),
            Some(5) => envelope.build_id = self.string_or_null()?,
            Some(6) => envelope.node_id = Some(self.string()?),
            Some(7) => envelope.lamport_clock = self.integer_or_null()?,
            Some(8) => envelope.causation_id = self.string_or_null()?,
            Some(9) => envelope.project_uuid = Some(self.string()?),
            Some(10) => envelope.project_slug = self.string_or_null()?,
            Some(11) => envelope.correlation_id = Some(self.string()?),
            Some(12) => envelope.schema_version = Some(self.string()?),
            Some(13) => envelope.data_tier = Some(self.integer()?),
            // serde skips a field it does not know, once its value reads.
            _ => self.value(0)?,
        }
        Some(())
    }

    /// A string with no escape sequence and no control character, whose
    /// text is its value; the walk is on its opening quote.
    fn string(&mut self) -> Option<&'a str> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at + 1;
        let end = closing_quote(self.bytes, start)?;
        self.at = end + 1;
        // Both ends sit next to a quote, an ASCII byte: char boundaries.
        self.text.get(start..end)
    }

    /// Whether the walk is on the string `"name"`, which it then passes.
    fn quoted(&mut self, name: &str) -> bool {
        let end = self.at + name.len() + 1;
        let here = self.bytes.get(self.at..=end);
        let found = here.is_some_and(|here| {
            here[0] == b'"'
                && here[end - self.at] == b'"'
                && &here[1..end - self.at] == name.as_bytes()
        });
        if found {
            self.at = end + 1;
        }
        found
    }

    fn string_or_null(&mut self) -> Option<Option<&'a str>> {
        if self.peek()? == b'n' {
            self.literal("null")?;
            Some(None)
        } else {
            self.string().map(Some)
        }
    }

    /// A non-negative integer of at most [`MAX_DIGITS`] digits, with no
    /// leading zero, fraction or exponent.
    fn integer(&mut self) -> Option<u64> {
        let start = self.at;
        let digits = self.bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 || digits > MAX_DIGITS || (digits > 1 && self.bytes[start] == b'0') {
            return None;
        }
        self.at += digits;
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            return None;
        }
        self.text.get(start..self.at)?.parse().ok()
    }

    fn integer_or_null(&mut self) -> Option<Option<u64>> {
        if self.peek()? == b'n' {
            self.literal("null")?;
            Some(None)
        } else {
            self.integer().map(Some)
        }
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        if !self.bytes.get(self.at..)?.starts_with(word.as_bytes()) {
            return None;
        }
        self.at += word.len();
        Some(())
    }

    /// A payload: an object, and its compact copy if it has white space.
    fn payload(&mut self) -> Option<PayloadText<'a>> {
        if self.peek()? != b'{' {
            return None;
        }
        let start = self.at;
        if self.skim() {
            return Some(PayloadText {
                text: self.text.get(start..self.at)?,
                compact: None,
                checked: false,
            });
        }
        self.at = start;
        self.compacting = Some((start, Compact::default()));
        self.not_strippable = false;
        self.value(0)?;
        let (run, mut compact) = self.compacting.take()?;
        let spaced = run != start;
        if spaced && self.not_strippable {
            return None;
        }
        let compact = if spaced {
            compact.push(self.bytes, run..self.at);
            Some(compact.into_string()?)
        } else {
            None
        };
        Some(PayloadText {
            text: self.text.get(start..self.at)?,
            compact,
            checked: true,
        })
    }

    /// Passes a compact value without checking it: strings to their
    /// closing quote, brackets counted, nothing else looked at. `false`
    /// where it cannot (white space, which needs compacting, an escape,
    /// nesting past [`MAX_DEPTH`], the end of the line), the walk then
    /// checking the value from its start.
    fn skim(&mut self) -> bool {
        let mut depth = 0;
        while let Some(&byte) = self.bytes.get(self.at) {
            match byte {
                b'"' => match closing_quote(self.bytes, self.at + 1) {
                    Some(end) => self.at = end + 1,
                    None => return false,
                },
                b'{' | b'[' if depth == MAX_DEPTH => return false,
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' => {
                    self.at += 1;
                    depth -= 1;
                    if depth == 0 {
                        return true;
                    }
                }
                b' ' | b'\n' | b'\r' | b'\t' => return false,
                _ => self.at += 1,
            }
        }
        false
    }

    /// Notes `key` among the keys of the innermost open object, whose
    /// keys start at `first`.
    fn key(&mut self, key: &'a str, first: usize) {
        if self.open_keys == MAX_OPEN_KEYS || self.keys[first..self.open_keys].contains(&key) {
            self.not_strippable = true;
        } else {
            self.keys[self.open_keys] = key;
            self.open_keys += 1;
        }
    }

    /// Any JSON value the walk understands, `depth` levels inside the
    /// value it started with.
    fn value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(drop),
            b'-' => {
                self.at += 1;
                self.not_strippable |= self.integer()? == 0;
                Some(())
            }
            b'0'..=b'9' => self.integer().map(drop),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            _ => None,
        }
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        if depth == MAX_DEPTH {
            return None;
        }
        self.at += 1;
        self.white_space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        let first = self.open_keys;
        loop {
            let key = self.string()?;
            self.key(key, first);
            self.white_space();
            self.expect(b':')?;
            self.white_space();
            self.value(depth + 1)?;
            self.white_space();
            match self.next()? {
                b',' => self.white_space(),
                b'}' => {
                    self.open_keys = first;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth == MAX_DEPTH {
            return None;
        }
        self.at += 1;
        self.white_space();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        loop {
            self.value(depth + 1)?;
            self.white_space();
            match self.next()? {
                b',' => self.white_space(),
                b']' => return Some(()),
                _ => return None,
            }
        }
    }
}
