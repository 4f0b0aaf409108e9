//! `__define_event_type!`: the items of one event type, for
//! [`define_event_types!`](crate::define_event_types).

/// One event type of [`define_event_types!`](crate::define_event_types): reads the fields one at a
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
            event_type $EventType:ident, const $CONST:ident, wire [$($Wire:ident)?];
            versions [$($version:ident)*];
            layout [$($layout:ident)?];
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
            #[doc = "The `event_type` of [`" $Payload "`] on the wire."]
            pub const $CONST: &str = $crate::__define_event_type!(@wire $EventType [$($Wire)?]);

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
                /// The payload's field names on the wire, in declaration order.
                pub const FIELD_NAMES: &'static [&'static str] = &[$(::core::stringify!($field)),*];

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
                    <Self as ::core::convert::TryFrom<[<$Payload Fields>]>>::try_from(fields)
                        .map_err(<D::Error as $crate::__private::serde::de::Error>::custom)
                }
            }

            impl $crate::contract::EventPayload for $Payload {
                const EVENT_TYPE: &'static str = $CONST;
                const VERSIONS: &'static [$crate::contract::ContractVersion] =
                    &[$($crate::contract::ContractVersion::$version),*];
                type Fields = [<$Payload Fields>];

                fn from_fields(
                    fields: Self::Fields,
                ) -> ::core::result::Result<Self, $crate::ValidationError> {
                    <Self as ::core::convert::TryFrom<[<$Payload Fields>]>>::try_from(fields)
                }
            }

            $crate::__define_event_type!(@layout [$($layout)?] $Payload);

            impl ::core::convert::From<$Payload> for $Enum {
                fn from(payload: $Payload) -> Self {
                    Self::$EventType($crate::__define_event_type!(@into_variant [$($layout)?] payload))
                }
            }
        }
    };
    // The wire name: the declaration's own, unless `wire` names another.
    (@wire $EventType:ident []) => { ::core::stringify!($EventType) };
    (@wire $EventType:ident [$Wire:ident]) => { ::core::stringify!($Wire) };
    // The enum variant's field: the payload itself, or a box of it under
    // `#[variant(boxed)]`.
    // (An unknown layout is refused once, by `@layout`, and read as none.)
    (@variant [boxed] $Payload:ident) => { $crate::__private::Box<$Payload> };
    (@variant [$($layout:ident)?] $Payload:ident) => { $Payload };
    (@into_variant [boxed] $payload:ident) => { $crate::__private::Box::new($payload) };
    (@into_variant [$($layout:ident)?] $payload:ident) => { $payload };
    (@layout [$(boxed)?] $Payload:ident) => {};
    (@layout [$layout:ident] $Payload:ident) => {
        ::core::compile_error!(::core::concat!(
            "`#[variant(", ::core::stringify!($layout), ")]` on `", ::core::stringify!($Payload),
            "`: the one variant layout is `boxed`"
        ));
    };
    // Whether a declaration holds under `version`: all versions when it
    // names none.
    (@in_versions $v:ident []) => { true };
    (@in_versions $v:ident [$($version:ident)+]) => {
        ::core::matches!($v, $($crate::contract::ContractVersion::$version)|+)
    };
    // Unknown keys refused under the versions the declaration is strict in.
    (@strict $v:ident [] $Payload:ident $json:ident) => {
        ::core::result::Result::<(), $crate::ValidationError>::Ok(())
    };
    (@strict $v:ident [$($strict:ident)+] $Payload:ident $json:ident) => {
        if ::core::matches!($v, $($crate::contract::ContractVersion::$strict)|+) {
            $crate::__private::deny_unknown_keys($json, <$Payload>::FIELD_NAMES)
        } else {
            ::core::result::Result::Ok(())
        }
    };
    // A decoding error, tagged with the version when the declaration is
    // one version's own.
    (@tag $error:ident $v:ident []) => { $error };
    (@tag $error:ident $v:ident [$($version:ident)+]) => { $error.under($v) };
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
