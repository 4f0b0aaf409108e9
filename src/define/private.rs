//! What the macros' expansion reaches through `$crate`.

/// What the expansion of [`define_event_types!`](crate::define_event_types) names
/// through `$crate`.
#[doc(hidden)]
pub mod __private {
    pub use paste::paste;
    pub use serde;
    pub use std::boxed::Box;
    pub use std::vec::Vec;

    use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, Visitor};

    use crate::ValidationError;
    use crate::contract::ContractVersion;

    /// Whether a declaration holding under `versions` (empty: all) holds
    /// under `version`.
    pub const fn holds_under(versions: &[ContractVersion], version: ContractVersion) -> bool {
        if versions.is_empty() {
            return true;
        }
        let mut i = 0;
        while i < versions.len() {
            if versions[i] as u8 == version as u8 {
                return true;
            }
            i += 1;
        }
        false
    }

    /// How many declarations hold under `version`.
    pub const fn count_under(
        declarations: &[(&'static str, &[ContractVersion])],
        version: ContractVersion,
    ) -> usize {
        let (mut i, mut count) = (0, 0);
        while i < declarations.len() {
            if holds_under(declarations[i].1, version) {
                count += 1;
            }
            i += 1;
        }
        count
    }

    /// The wire names of the declarations that hold under `version`, in
    /// order; `N` is their [`count_under`].
    pub const fn names_under<const N: usize>(
        declarations: &[(&'static str, &[ContractVersion])],
        version: ContractVersion,
    ) -> [&'static str; N] {
        let mut names = [""; N];
        let (mut i, mut j) = (0, 0);
        while i < declarations.len() {
            if holds_under(declarations[i].1, version) && j < N {
                names[j] = declarations[i].0;
                j += 1;
            }
            i += 1;
        }
        names
    }

    /// Refuses a payload object holding a key that is not one of `fields`:
    /// the rule of a declaration that is `#[strict(…)]` under the version
    /// being decoded. The error names the key (`payload.<key>`).
    ///
    /// # Errors
    /// A [`ValidationError`] for the first unknown key, or for a payload
    /// that is not a JSON object.
    pub fn deny_unknown_keys(payload_json: &str, fields: &[&str]) -> Result<(), ValidationError> {
        let keys: std::collections::BTreeMap<String, IgnoredAny> =
            serde_json::from_str(payload_json).map_err(|e| {
                ValidationError::new("payload", format!("must be a JSON object: {e}"))
            })?;
        match keys.keys().find(|key| !fields.contains(&key.as_str())) {
            None => Ok(()),
            Some(key) => Err(ValidationError::new(
                format!("payload.{key}"),
                format!(
                    "unknown field `{key}`, expected one of {}",
                    fields.join(", ")
                ),
            )),
        }
    }

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
