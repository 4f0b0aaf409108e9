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
/// A declaration holds under every contract version unless it names its
/// versions: `#[versions(V3)]` after `#[event_type(…)]`. Two declarations may
/// share a wire name, each for its own versions: the later one names it with
/// `wire`, as in `#[event_type(WPStatusChangedV3, const WP_STATUS_CHANGED_V3,
/// wire WPStatusChanged)]` (variant and constant of its own, wire name
/// `WPStatusChanged`). An event is decoded by the first declaration of its
/// wire name that holds under the version it was written under.
///
/// `#[strict(V3)]` (after `#[versions]`, if any) refuses, under the versions
/// it names, a payload holding a field the declaration does not have; other
/// versions ignore unknown fields.
///
/// `#[variant(boxed)]` (last, after `#[strict]`, if any) makes the enum's
/// variant hold its payload in a `Box`. An enum is as large as its largest
/// variant, so boxing the few large, rare payloads keeps every value of the
/// enum, the common ones included, at the size of the largest unboxed one.
/// Matching and field access reach the payload through the box; building
/// the variant takes `From` (`NotePayload::from(payload)`), which boxes.
///
/// ```
/// use spec_kitty_events::contract::NonEmptyString;
///
/// spec_kitty_events::define_event_types! {
///     /// Notes: a small one, and a large, rare one.
///     pub enum NotePayload;
///
///     /// A short note.
///     #[event_type(NoteAdded, const NOTE_ADDED)]
///     pub struct NoteAddedPayload {
///         /// The note.
///         text: NonEmptyString,
///     }
///
///     /// A note with every detail.
///     #[event_type(NoteDetailed, const NOTE_DETAILED)]
///     #[variant(boxed)]
///     pub struct NoteDetailedPayload {
///         /// The note.
///         text: NonEmptyString,
///         /// Who wrote it, where, and why.
///         details: [NonEmptyString; 8],
///     }
/// }
///
/// // 24 bytes of text, a box: far less than the 216 of the detailed note.
/// assert!(size_of::<NotePayload>() <= 32);
/// assert_eq!(size_of::<NoteDetailedPayload>(), 9 * 24);
/// let json = r#"{"text":"t","details":["a","b","c","d","e","f","g","h"]}"#;
/// let Some(NotePayload::NoteDetailed(note)) = NotePayload::decode(NOTE_DETAILED, json)? else {
///     panic!("a NoteDetailed payload")
/// };
/// let note: Box<NoteDetailedPayload> = note;
/// assert_eq!(note.details()[7].as_str(), "h");
/// assert_eq!(NotePayload::from(*note.clone()), NotePayload::NoteDetailed(note));
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
///
/// ```
/// use spec_kitty_events::contract::{ContractVersion, NonEmptyString};
///
/// spec_kitty_events::define_event_types! {
///     /// A note event whose payload changed in schema 3.0.0.
///     pub enum NotePayload;
///
///     /// The 0.4 note: `author` is its name for the writer.
///     #[event_type(NoteAdded, const NOTE_ADDED)]
///     #[versions(V1)]
///     pub struct NoteAddedPayload {
///         /// Who wrote it.
///         author: NonEmptyString,
///     }
///
///     /// The 3.0.0 note: `writer`, and no unknown fields.
///     #[event_type(NoteAddedV3, const NOTE_ADDED_V3, wire NoteAdded)]
///     #[versions(V3)]
///     #[strict(V3)]
///     pub struct NoteAddedPayloadV3 {
///         /// Who wrote it.
///         writer: NonEmptyString,
///     }
/// }
///
/// assert_eq!(NOTE_ADDED_V3, "NoteAdded");
/// let old = NotePayload::decode_under(ContractVersion::V1, NOTE_ADDED, r#"{"author":"a","x":1}"#)?;
/// assert!(matches!(old, Some(NotePayload::NoteAdded(_))));
/// let new = NotePayload::decode_under(ContractVersion::V3, NOTE_ADDED, r#"{"writer":"a"}"#)?;
/// assert!(matches!(new, Some(NotePayload::NoteAddedV3(_))));
/// let extra = NotePayload::decode_under(ContractVersion::V3, NOTE_ADDED, r#"{"writer":"a","x":1}"#);
/// let error = extra.unwrap_err();
/// assert_eq!(error.field(), "payload.x");
/// assert_eq!(error.version(), Some(ContractVersion::V3));
/// assert_eq!(NotePayload::EVENT_TYPES, ["NoteAdded"]);
/// assert_eq!(NotePayload::DECLARATIONS.len(), 2);
/// # Ok::<(), spec_kitty_events::ValidationError>(())
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
/// - `impl From<MissionStartedPayload> for KnownPayload`, which boxes the
///   payload under `#[variant(boxed)]`.
///
/// Once for the whole declaration, the enum (here `KnownPayload`), which is
/// `#[non_exhaustive]` (a new event type is not a breaking change), with one
/// variant per declaration (holding the payload, or a `Box` of it under
/// `#[variant(boxed)]`), `DECLARATIONS` (every wire name with its
/// versions), `EVENT_TYPES` (the wire names of the 0.4 contract, in
/// declaration order), `decode(event_type, payload_json)` — the single decoding path for
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
///     .project_uuid("00000000-0000-0000-0000-000000000001")
///     .correlation_id("01JKQ4V7C00000000000000C0R")
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
            #[event_type($EventType:ident, const $CONST:ident $(, wire $Wire:ident)?)]
            $(#[versions($($version:ident),+)])?
            $(#[strict($($strict:ident),+)])?
            $(#[variant($layout:ident)])?
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
                    event_type $EventType, const $CONST, wire [$($Wire)?];
                    versions [$($($version)+)?];
                    layout [$($layout)?];
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
                #[doc = ::core::concat!("A decoded [`", ::core::stringify!($Payload), "`].")]
                $EventType($crate::__define_event_type!(@variant [$($layout)?] $Payload)),
            )+
        }

        impl $Enum {
            /// Every declaration's wire name, with the contract versions it
            /// holds under (empty: every version), in declaration order; a
            /// name declared for several versions appears once per
            /// declaration.
            pub const DECLARATIONS: &'static [(&'static str, &'static [$crate::contract::ContractVersion])] = &[
                $(($CONST, &[$($($crate::contract::ContractVersion::$version),+)?]),)+
            ];

            /// The event types decoded under the 0.4 contract
            /// ([`ContractVersion::V1`]($crate::contract::ContractVersion::V1)),
            /// in declaration order: every event type of an enum whose
            /// declarations name no versions.
            /// [`DECLARATIONS`](Self::DECLARATIONS) has those of every version.
            pub const EVENT_TYPES: &'static [&'static str] = {
                const V1: $crate::contract::ContractVersion = $crate::contract::ContractVersion::V1;
                const DECLARATIONS: &[(&str, &[$crate::contract::ContractVersion])] = &[
                    $(($CONST, &[$($($crate::contract::ContractVersion::$version),+)?]),)+
                ];
                const COUNT: usize = $crate::__private::count_under(DECLARATIONS, V1);
                const NAMES: [&str; COUNT] = $crate::__private::names_under(DECLARATIONS, V1);
                &NAMES
            };

            /// Decodes an untrusted payload (a JSON object's text) by its
            /// `event_type`, under the 0.4 contract
            /// ([`ContractVersion::V1`]($crate::contract::ContractVersion::V1));
            /// [`decode_under`](Self::decode_under) names the version.
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
                Self::decode_under($crate::contract::ContractVersion::V1, event_type, payload_json)
            }

            /// Decodes an untrusted payload by its `event_type` under the
            /// contract `version` it was written under: the first
            /// declaration of that wire name whose `#[versions(…)]` include
            /// `version` (a declaration without `#[versions]` holds under
            /// every version).
            ///
            /// `Ok(None)` means no declaration covers the event type under
            /// `version`. The error of a declaration that names its versions
            /// carries `version` ([`ValidationError::version`]($crate::ValidationError::version)):
            /// the rule broken is that version's own.
            ///
            /// # Errors
            /// A [`ValidationError`]($crate::ValidationError) naming the
            /// payload field (`payload.…`) and the rule it broke.
            pub fn decode_under(
                version: $crate::contract::ContractVersion,
                event_type: &str,
                payload_json: &str,
            ) -> ::core::result::Result<::core::option::Option<Self>, $crate::ValidationError> {
                let _ = version;
                match event_type {
                    $(
                        $CONST if $crate::__define_event_type!(@in_versions version [$($($version)+)?]) =>
                            $crate::__define_event_type!(@strict version [$($($strict)+)?] $Payload payload_json)
                            .and_then(|()| <$Payload as $crate::contract::EventPayload>::decode(payload_json))
                                .map(|payload| ::core::option::Option::Some(Self::$EventType(
                                    $crate::__define_event_type!(@into_variant [$($layout)?] payload)
                                )))
                                .map_err(|error| $crate::__define_event_type!(
                                    @tag error version [$($($version)+)?]
                                )),
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

mod event_type;
mod private;

#[doc(hidden)]
pub use private::__private;
