//! [`define_event_types!`](crate::define_event_types): every event type and
//! its payload, declared once.
//!
//! The macro lives in this crate, not in a crate of its own, so that its
//! expansion can name what it needs through `$crate` — serde included, which
//! a downstream crate then needs no dependency on, whatever name it gives
//! this crate in its `Cargo.toml`. That is why the payloads' serde code is
//! written out here rather than derived: serde's derive names the `serde`
//! crate itself, which a downstream crate may not have.

/// Declares event types and their payloads, once each.
///
/// ```text
/// spec_kitty_events::define_event_types! {
///     /// Every payload this crate can decode.
///     pub enum KnownPayload;
///
///     /// Payload of `MissionStarted`.
///     #[event_type(MissionStarted, const MISSION_STARTED)]
///     pub struct MissionStartedPayload {
///         /// The mission being started.
///         mission_id: NonEmptyString,
///         /// Extra labels; absent on the wire means empty.
///         #[serde(default)]
///         labels: Vec<NonEmptyString>,
///     }
///     check = mission_started_rules;
/// }
/// ```
///
/// Each field takes doc comments first, then optionally `#[serde(default)]`
/// (absent on the wire means the type's default; an absent `Option` field is
/// `None` without it). The optional `check` function has the signature
/// `fn(&MissionStartedPayloadFields) -> Result<(), ValidationError>` and holds
/// the cross-field rules.
///
/// # What it generates
///
/// For each event type (here `MissionStarted`, constant `MISSION_STARTED`,
/// payload `MissionStartedPayload`):
///
/// - `pub const MISSION_STARTED: &str = "MissionStarted"`, the wire name;
/// - `MissionStartedPayload`, with private fields and one getter per field:
///   `&T` for a field of type `T`, `Option<&T>` for an `Option<T>`, `&[T]`
///   for a `Vec<T>`; `into_fields` gives the fields back;
/// - `MissionStartedPayloadFields`, the same fields, public and unchecked:
///   what a payload is built from (`MissionStartedPayload::try_from(fields)`,
///   which runs `check`) and decoded through;
/// - serde for both: a payload is read from a JSON object only (unknown
///   fields ignored, a repeated field an error), and written with its fields
///   in declaration order;
/// - `impl EventPayload for MissionStartedPayload`, tying the payload to its
///   event type, so it can only be emitted under `MissionStarted`;
/// - `impl From<MissionStartedPayload> for KnownPayload`.
///
/// Once for the whole declaration, the enum (here `KnownPayload`), which is
/// `#[non_exhaustive]` (a new event type is not a breaking change), with one
/// variant per event type, `EVENT_TYPES` (every wire name, in declaration
/// order), `decode(event_type, payload_json)` — the single decoding path for
/// untrusted payloads — and `event_type()`.
///
/// [`example_generated`](crate::example_generated) shows the items of a small
/// declaration as the documentation renders them.
///
/// # Dependencies
///
/// The expansion names this crate through `$crate` only: a crate that invokes
/// the macro needs no `serde` (or any other crate) of its own, and may rename
/// this one in its `Cargo.toml`.
///
/// # Example
///
/// ```
/// use spec_kitty_events::ValidationError;
/// use spec_kitty_events::contract::{Event, EventPayload, NonEmptyString};
///
/// spec_kitty_events::define_event_types! {
///     /// The payloads of a note-taking extension.
///     pub enum NotePayload;
///
///     /// Someone wrote a note on a mission.
///     #[event_type(NoteAdded, const NOTE_ADDED)]
///     pub struct NoteAddedPayload {
///         /// The note.
///         text: NonEmptyString,
///         /// Labels; absent on the wire means none.
///         #[serde(default)]
///         labels: Vec<NonEmptyString>,
///         /// Who wrote it, when known.
///         author: Option<NonEmptyString>,
///     }
///     check = short_enough;
/// }
///
/// fn short_enough(fields: &NoteAddedPayloadFields) -> Result<(), ValidationError> {
///     if fields.text.as_str().len() > 280 {
///         return Err(ValidationError::new("text", "a note has at most 280 bytes"));
///     }
///     Ok(())
/// }
///
/// assert_eq!(NOTE_ADDED, "NoteAdded");
/// let note = NotePayload::decode(NOTE_ADDED, r#"{"text":"ship it"}"#)?;
/// let Some(NotePayload::NoteAdded(note)) = note else { panic!("a NoteAdded payload") };
/// assert!(note.labels().is_empty());
/// assert_eq!(note.author(), None);
/// let long = format!(r#"{{"text":"{}"}}"#, "x".repeat(300));
/// assert_eq!(NotePayload::decode(NOTE_ADDED, &long).unwrap_err().field(), "payload.text");
/// assert_eq!(NotePayload::decode(NOTE_ADDED, r#"{"text":""}"#).unwrap_err().field(), "payload.text");
/// assert_eq!(NotePayload::decode(NOTE_ADDED, "{}").unwrap_err().field(), "payload.text");
///
/// // The event type comes from the payload's type: it cannot be mislabelled.
/// let payload = NoteAddedPayload::try_from(NoteAddedPayloadFields {
///     text: "ship it".parse()?,
///     labels: vec![],
///     author: None,
/// })?;
/// let event = Event::builder(&payload)
///     .aggregate_id("M1")
///     .node_id("cli")
///     .lamport_clock(1)
///     .project_uuid("00000000-0000-0000-0000-000000000001".parse()?)
///     .correlation_id("01JKQ4V7C00000000000000C0R".parse()?)
///     .build()?;
/// assert_eq!(event.event_type(), NoteAddedPayload::EVENT_TYPE);
/// assert_eq!(event.payload().json(), r#"{"text":"ship it","labels":[],"author":null}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[macro_export]
macro_rules! define_event_types {
    (
        $(#[$enum_meta:meta])*
        $enum_vis:vis enum $Enum:ident;

        $(
            $(#[doc = $doc:literal])*
            #[event_type($EventType:ident, const $CONST:ident)]
            $vis:vis struct $Payload:ident { $($body:tt)* }
            $(check = $check:path;)?
        )+
    ) => {
        $(
            $crate::__define_event_type! {
                @munch
                head [
                    enum $Enum;
                    docs [$(#[doc = $doc])*];
                    event_type $EventType, const $CONST;
                    vis [$vis];
                    payload $Payload;
                    check [$($check)?];
                ]
                fields []
                rest [$($body)*]
            }
        )+

        $(#[$enum_meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        $enum_vis enum $Enum {
            $(
                #[doc = ::core::concat!("A decoded `", ::core::stringify!($EventType), "` payload.")]
                $EventType($Payload),
            )+
        }

        impl $Enum {
            /// Every event type this enum decodes, in declaration order.
            pub const EVENT_TYPES: &'static [&'static str] = &[$($CONST),+];

            /// Decodes an untrusted payload (a JSON object's text) by its
            /// `event_type`.
            ///
            /// `Ok(None)` means the event type is not one of this enum's; an
            /// error names the field that broke a rule.
            ///
            /// # Errors
            /// A [`ValidationError`]($crate::ValidationError) naming the
            /// payload field (`payload.…`) and the rule it broke.
            pub fn decode(
                event_type: &str,
                payload_json: &str,
            ) -> ::core::result::Result<::core::option::Option<Self>, $crate::ValidationError> {
                match event_type {
                    $(
                        $CONST => <$Payload as $crate::contract::EventPayload>::decode(payload_json)
                            .map(|payload| ::core::option::Option::Some(Self::$EventType(payload))),
                    )+
                    _ => ::core::result::Result::Ok(::core::option::Option::None),
                }
            }

            /// The `event_type` this payload is emitted under.
            pub fn event_type(&self) -> &'static str {
                match self {
                    $(Self::$EventType(_) => $CONST,)+
                }
            }
        }
    };
}

/// One event type of [`define_event_types!`]: reads the fields one at a
/// time (to tell `Option<T>` and `Vec<T>` fields by their type's tokens),
/// then writes the items.
#[doc(hidden)]
#[macro_export]
macro_rules! __define_event_type {
    // A field of type `Option<T>`: its getter returns `Option<&T>`.
    (@munch head [$($head:tt)*] fields [$($fields:tt)*] rest [
        $(#[doc = $fdoc:literal])*
        $(#[serde($attr:ident)])?
        $field:ident : Option<$inner:ty> $(, $($rest:tt)*)?
    ]) => {
        $crate::__define_event_type! {
            @munch head [$($head)*]
            fields [$($fields)* {
                docs [$(#[doc = $fdoc])*] default [$($attr)?] name $field
                type [::core::option::Option<$inner>] getter [option $inner]
            }]
            rest [$($($rest)*)?]
        }
    };
    // A field of type `Vec<T>`: its getter returns `&[T]`.
    (@munch head [$($head:tt)*] fields [$($fields:tt)*] rest [
        $(#[doc = $fdoc:literal])*
        $(#[serde($attr:ident)])?
        $field:ident : Vec<$inner:ty> $(, $($rest:tt)*)?
    ]) => {
        $crate::__define_event_type! {
            @munch head [$($head)*]
            fields [$($fields)* {
                docs [$(#[doc = $fdoc])*] default [$($attr)?] name $field
                type [$crate::__private::Vec<$inner>] getter [slice $inner]
            }]
            rest [$($($rest)*)?]
        }
    };
    // Any other field: its getter returns `&T`.
    (@munch head [$($head:tt)*] fields [$($fields:tt)*] rest [
        $(#[doc = $fdoc:literal])*
        $(#[serde($attr:ident)])?
        $field:ident : $fty:ty $(, $($rest:tt)*)?
    ]) => {
        $crate::__define_event_type! {
            @munch head [$($head)*]
            fields [$($fields)* {
                docs [$(#[doc = $fdoc])*] default [$($attr)?] name $field
                type [$fty] getter [reference $fty]
            }]
            rest [$($($rest)*)?]
        }
    };
    // Every field read: write the items.
    (@munch
        head [
            enum $Enum:ident;
            docs [$($doc:tt)*];
            event_type $EventType:ident, const $CONST:ident;
            vis [$vis:vis];
            payload $Payload:ident;
            check [$($check:path)?];
        ]
        fields [$({
            docs [$($fdoc:tt)*] default [$($attr:ident)?] name $field:ident
            type [$fty:ty] getter [$($getter:tt)*]
        })*]
        rest []
    ) => {
        $crate::__private::paste! {
            #[doc = "The `event_type` of [`" $Payload "`] on the wire: `\"" $EventType "\"`."]
            pub const $CONST: &str = ::core::stringify!($EventType);

            $($doc)*
            ///
            /// Built from its
            #[doc = "[`" $Payload Fields "`]"]
            /// with `try_from`, or decoded from JSON; either way every field
            /// rule and every cross-field rule holds.
            #[derive(Debug, Clone, PartialEq, Eq)]
            $vis struct $Payload {
                $($field: $fty,)*
            }

            #[doc = "The fields of a [`" $Payload "`], before its cross-field rules are checked."]
            ///
            /// Each field type validates itself; `try_from` checks the rest.
            #[derive(Debug, Clone, PartialEq, Eq)]
            $vis struct [<$Payload Fields>] {
                $(
                    $($fdoc)*
                    pub $field: $fty,
                )*
            }

            impl $Payload {
                $(
                    $crate::__define_event_type!(@getter [$($getter)*] [$($fdoc)*] $field);
                )*

                /// Gives the fields back, for a caller that wants to change one
                /// and build a new, re-checked payload.
                pub fn into_fields(self) -> [<$Payload Fields>] {
                    [<$Payload Fields>] { $($field: self.$field,)* }
                }
            }

            impl ::core::convert::TryFrom<[<$Payload Fields>]> for $Payload {
                type Error = $crate::ValidationError;

                fn try_from(
                    fields: [<$Payload Fields>],
                ) -> ::core::result::Result<Self, Self::Error> {
                    $($check(&fields)?;)?
                    ::core::result::Result::Ok(Self { $($field: fields.$field,)* })
                }
            }

            $crate::__define_event_type!(@serialize $Payload { $($field)* });
            $crate::__define_event_type!(@serialize [<$Payload Fields>] { $($field)* });

            impl<'de> $crate::__private::serde::Deserialize<'de> for [<$Payload Fields>] {
                fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
                where
                    D: $crate::__private::serde::Deserializer<'de>,
                {
                    use $crate::__private::serde::de::{Error as _, MapAccess, Visitor};

                    // The field names, read without allocating; anything
                    // else is ignored.
                    #[allow(non_camel_case_types)]
                    enum Key {
                        $($field,)*
                        Unknown,
                    }

                    struct KeyVisitor;

                    impl<'de> Visitor<'de> for KeyVisitor {
                        type Value = Key;

                        fn expecting(
                            &self,
                            f: &mut ::core::fmt::Formatter<'_>,
                        ) -> ::core::fmt::Result {
                            f.write_str("a field name")
                        }

                        fn visit_str<E: $crate::__private::serde::de::Error>(
                            self,
                            name: &str,
                        ) -> ::core::result::Result<Key, E> {
                            ::core::result::Result::Ok(match name {
                                $(::core::stringify!($field) => Key::$field,)*
                                _ => Key::Unknown,
                            })
                        }
                    }

                    impl<'de> $crate::__private::serde::Deserialize<'de> for Key {
                        fn deserialize<K>(deserializer: K) -> ::core::result::Result<Self, K::Error>
                        where
                            K: $crate::__private::serde::Deserializer<'de>,
                        {
                            deserializer.deserialize_identifier(KeyVisitor)
                        }
                    }

                    struct FieldsVisitor;

                    impl<'de> Visitor<'de> for FieldsVisitor {
                        type Value = [<$Payload Fields>];

                        fn expecting(
                            &self,
                            f: &mut ::core::fmt::Formatter<'_>,
                        ) -> ::core::fmt::Result {
                            f.write_str("a JSON object")
                        }

                        fn visit_map<A: MapAccess<'de>>(
                            self,
                            mut map: A,
                        ) -> ::core::result::Result<Self::Value, A::Error> {
                            $(let mut $field: ::core::option::Option<$fty> = ::core::option::Option::None;)*
                            while let ::core::option::Option::Some(key) = map.next_key::<Key>()? {
                                match key {
                                    $(
                                        Key::$field => {
                                            if $field.is_some() {
                                                return ::core::result::Result::Err(
                                                    A::Error::duplicate_field(::core::stringify!($field)),
                                                );
                                            }
                                            $field = ::core::option::Option::Some(map.next_value()?);
                                        }
                                    )*
                                    Key::Unknown => {
                                        map.next_value::<$crate::__private::serde::de::IgnoredAny>()?;
                                    }
                                }
                            }
                            ::core::result::Result::Ok([<$Payload Fields>] {
                                $(
                                    $field: match $field {
                                        ::core::option::Option::Some(value) => value,
                                        ::core::option::Option::None => $crate::__define_event_type!(
                                            @missing [$($attr)?] $field
                                        ),
                                    },
                                )*
                            })
                        }
                    }

                    deserializer.deserialize_struct(
                        ::core::stringify!([<$Payload Fields>]),
                        &[$(::core::stringify!($field)),*],
                        FieldsVisitor,
                    )
                }
            }

            impl<'de> $crate::__private::serde::Deserialize<'de> for $Payload {
                fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
                where
                    D: $crate::__private::serde::Deserializer<'de>,
                {
                    let fields = <[<$Payload Fields>] as $crate::__private::serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                    Self::try_from(fields)
                        .map_err(<D::Error as $crate::__private::serde::de::Error>::custom)
                }
            }

            impl $crate::contract::EventPayload for $Payload {
                const EVENT_TYPE: &'static str = $CONST;
                type Fields = [<$Payload Fields>];

                fn from_fields(
                    fields: Self::Fields,
                ) -> ::core::result::Result<Self, $crate::ValidationError> {
                    Self::try_from(fields)
                }
            }

            impl ::core::convert::From<$Payload> for $Enum {
                fn from(payload: $Payload) -> Self {
                    Self::$EventType(payload)
                }
            }
        }
    };
    (@getter [option $inner:ty] [$($fdoc:tt)*] $field:ident) => {
        $($fdoc)*
        pub fn $field(&self) -> ::core::option::Option<&$inner> {
            self.$field.as_ref()
        }
    };
    (@getter [slice $inner:ty] [$($fdoc:tt)*] $field:ident) => {
        $($fdoc)*
        pub fn $field(&self) -> &[$inner] {
            &self.$field
        }
    };
    (@getter [reference $fty:ty] [$($fdoc:tt)*] $field:ident) => {
        $($fdoc)*
        pub fn $field(&self) -> &$fty {
            &self.$field
        }
    };
    // A field absent from the JSON: `#[serde(default)]` gives the default.
    (@missing [default] $field:ident) => {
        ::core::default::Default::default()
    };
    // Otherwise an `Option` is `None` and anything else an error.
    (@missing [] $field:ident) => {
        $crate::__private::missing_field(::core::stringify!($field))?
    };
    (@serialize $Struct:ident { $($field:ident)* }) => {
        impl $crate::__private::serde::Serialize for $Struct {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                use $crate::__private::serde::ser::SerializeStruct as _;
                const FIELDS: &[&str] = &[$(::core::stringify!($field)),*];
                let mut out = serializer.serialize_struct(::core::stringify!($Struct), FIELDS.len())?;
                $(out.serialize_field(::core::stringify!($field), &self.$field)?;)*
                out.end()
            }
        }
    };
}

/// What the expansion of [`define_event_types!`] names through `$crate`.
#[doc(hidden)]
pub mod __private {
    pub use paste::paste;
    pub use serde;
    pub use std::vec::Vec;

    use serde::de::{Deserialize, Deserializer, Error, Visitor};

    /// The value of a field absent from the JSON: `None` for an `Option`,
    /// an error "missing field `name`" for anything else (as serde's derive
    /// does it).
    pub fn missing_field<'de, T: Deserialize<'de>, E: Error>(name: &'static str) -> Result<T, E> {
        T::deserialize(MissingField::<E>(name, std::marker::PhantomData))
    }

    struct MissingField<E>(&'static str, std::marker::PhantomData<E>);

    impl<'de, E: Error> Deserializer<'de> for MissingField<E> {
        type Error = E;

        fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
            Err(E::missing_field(self.0))
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
            visitor.visit_none()
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf unit unit_struct newtype_struct seq tuple
            tuple_struct map struct enum identifier ignored_any
        }
    }
}
