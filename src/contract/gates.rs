//! CI gates: the field types of `GatePassed` / `GateFailed` payloads.
//!
//! Which of the two a GitHub check run produces is
//! [`map_check_run_conclusion`](crate::contract::map_check_run_conclusion).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::contract::decode::StrVisitor;
use crate::error::ValidationError;

/// The kind of gate; only CI gates exist so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum GateType {
    /// A continuous-integration check (`"ci"`).
    #[default]
    #[serde(rename = "ci")]
    Ci,
}

/// The CI provider; only GitHub so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum ExternalProvider {
    /// GitHub check runs (`"github"`).
    #[default]
    #[serde(rename = "github")]
    Github,
}

/// The one conclusion a passed gate can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PassedConclusion {
    /// `"success"`.
    #[default]
    Success,
}

/// The conclusions of a failed gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailedConclusion {
    /// `"failure"`.
    Failure,
    /// `"timed_out"`.
    TimedOut,
    /// `"cancelled"`.
    Cancelled,
    /// `"action_required"`.
    ActionRequired,
}

/// An integer greater than zero (check-run ids, PR numbers).
///
/// Only a JSON integer is read: `"42"` (a string) and `4.2` are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct PositiveInt(u64);

impl PositiveInt {
    /// `value` if it is greater than zero.
    ///
    /// # Errors
    /// A [`ValidationError`] (field `""`) for zero.
    pub fn new(value: u64) -> Result<Self, ValidationError> {
        if value == 0 {
            Err(ValidationError::new("", "must be greater than 0"))
        } else {
            Ok(Self(value))
        }
    }

    /// The number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for PositiveInt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = PositiveInt;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer greater than 0")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<PositiveInt, E> {
                PositiveInt::new(v).map_err(|e| E::custom(e.message()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<PositiveInt, E> {
                u64::try_from(v)
                    .ok()
                    .and_then(|v| PositiveInt::new(v).ok())
                    .ok_or_else(|| E::custom("must be greater than 0"))
            }
        }
        deserializer.deserialize_u64(Visitor)
    }
}

/// An absolute `http` or `https` URL with a host, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct HttpUrl(String);

impl HttpUrl {
    /// Checks `text` is an http(s) URL with a host.
    ///
    /// # Errors
    /// A [`ValidationError`] (field `""`) saying what is missing.
    pub fn new(text: impl Into<String>) -> Result<Self, ValidationError> {
        let text = text.into();
        let url = url::Url::parse(&text)
            .map_err(|e| ValidationError::new("", format!("{text:?} is not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ValidationError::new(
                "",
                format!("{text:?} is not an http(s) URL"),
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(ValidationError::new("", format!("{text:?} has no host")));
        }
        Ok(Self(text))
    }

    /// The URL as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(deserializer, "a string", |text| HttpUrl::new(text))
    }
}
