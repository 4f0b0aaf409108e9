//! The declarative macro that defines every spec-kitty event type once.
//!
//! [`define_event_types!`] takes, for each event type, its name, the name of
//! its constant and its payload's fields, and writes everything the rest of
//! `spec-kitty-events` needs from that one declaration:
//!
//! - the constant holding the wire name (`pub const MISSION_STARTED: &str = "MissionStarted"`);
//! - the payload struct, with private fields, one accessor per field, serde
//!   (de)serialization and the payload's cross-field rules checked on every
//!   construction path;
//! - a `…Fields` struct with public fields: the unchecked input a payload is
//!   built from (`Payload::try_from(fields)`), and what it is decoded through;
//! - the link from payload type to event type (`impl EventPayload`), so a
//!   payload can only ever be emitted under its own `event_type`;
//! - one enum over all declared payloads with `decode(event_type, payload_json)`,
//!   the single decoding path for untrusted payloads.
//!
//! Field-level rules live in the field types (non-empty strings, lanes,
//! positive integers …), which validate while they deserialize; cross-field
//! rules live in an optional `check = path;` function over the `…Fields`
//! struct.
//!
//! The generated code names `::serde` and `::spec_kitty_events`, so a crate
//! that invokes the macro depends on both.

#![no_std]

#[doc(hidden)]
pub mod __private {
    pub use paste::paste;
}

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
/// Each field takes doc comments first, then `#[serde(...)]` attributes. The
/// optional `check` function has the signature
/// `fn(&MissionStartedPayloadFields) -> Result<(), FieldError>`.
///
/// A runnable example, defining an event type outside this crate, is in the
/// documentation of `spec_kitty_events::event_types`.
#[macro_export]
macro_rules! define_event_types {
    (
        $(#[$enum_meta:meta])*
        $enum_vis:vis enum $Enum:ident;

        $(
            $(#[doc = $doc:literal])*
            #[event_type($EventType:ident, const $CONST:ident)]
            $vis:vis struct $Payload:ident {
                $(
                    $(#[doc = $fdoc:literal])*
                    $(#[serde($($fserde:tt)*)])*
                    $field:ident : $fty:ty
                ),* $(,)?
            }
            $(check = $check:path;)?
        )+
    ) => {
        $crate::__private::paste! {
            $(
                #[doc = "The `event_type` of [`" $Payload "`] on the wire: `\"" $EventType "\"`."]
                pub const $CONST: &str = stringify!($EventType);

                $(#[doc = $doc])*
                ///
                /// Built from its
                #[doc = "[`" $Payload Fields "`]"]
                /// with `try_from`, or decoded from JSON; either way every field
                /// rule and every cross-field rule holds.
                #[derive(Debug, Clone, PartialEq, Eq, ::serde::Serialize)]
                $vis struct $Payload {
                    $(
                        $(#[serde($($fserde)*)])*
                        $field: $fty,
                    )*
                }

                #[doc = "The fields of a [`" $Payload "`], before its cross-field rules are checked."]
                ///
                /// Each field type validates itself; `try_from` checks the rest.
                #[derive(Debug, Clone, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
                $vis struct [<$Payload Fields>] {
                    $(
                        $(#[doc = $fdoc])*
                        $(#[serde($($fserde)*)])*
                        pub $field: $fty,
                    )*
                }

                impl $Payload {
                    $(
                        $(#[doc = $fdoc])*
                        pub fn $field(&self) -> &$fty {
                            &self.$field
                        }
                    )*

                    /// Gives the fields back, for a caller that wants to change one
                    /// and build a new, re-checked payload.
                    pub fn into_fields(self) -> [<$Payload Fields>] {
                        [<$Payload Fields>] { $($field: self.$field,)* }
                    }
                }

                impl ::core::convert::TryFrom<[<$Payload Fields>]> for $Payload {
                    type Error = ::spec_kitty_events::payload::FieldError;

                    fn try_from(
                        fields: [<$Payload Fields>],
                    ) -> ::core::result::Result<Self, Self::Error> {
                        $($check(&fields)?;)?
                        ::core::result::Result::Ok(Self { $($field: fields.$field,)* })
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for $Payload {
                    fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
                    where
                        D: ::serde::Deserializer<'de>,
                    {
                        let fields = <::spec_kitty_events::payload::ObjectOnly<[<$Payload Fields>]>
                            as ::serde::Deserialize>::deserialize(deserializer)?;
                        Self::try_from(fields.0).map_err(<D::Error as ::serde::de::Error>::custom)
                    }
                }

                impl ::spec_kitty_events::payload::EventPayload for $Payload {
                    const EVENT_TYPE: &'static str = $CONST;
                    type Fields = [<$Payload Fields>];

                    fn from_fields(
                        fields: Self::Fields,
                    ) -> ::core::result::Result<Self, ::spec_kitty_events::payload::FieldError> {
                        Self::try_from(fields)
                    }
                }

                impl ::core::convert::From<$Payload> for $Enum {
                    fn from(payload: $Payload) -> Self {
                        Self::$EventType(payload)
                    }
                }
            )+

            $(#[$enum_meta])*
            #[derive(Debug, Clone, PartialEq, Eq)]
            $enum_vis enum $Enum {
                $(
                    #[doc = "A decoded `" $EventType "` payload."]
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
                pub fn decode(
                    event_type: &str,
                    payload_json: &str,
                ) -> ::core::result::Result<
                    ::core::option::Option<Self>,
                    ::spec_kitty_events::payload::PayloadError,
                > {
                    match event_type {
                        $(
                            $CONST => <$Payload as ::spec_kitty_events::payload::EventPayload>
                                ::decode(payload_json)
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
        }
    };
}
