//! What the macros' expansion reaches through `$crate`.

/// What the expansion of [`define_event_types!`](crate::define_event_types) names
/// through `$crate`.
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
