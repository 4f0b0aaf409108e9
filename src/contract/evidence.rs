//! What a work package carries into `done`, and what a forced move carries.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::contract::decode::{object, objects};
use crate::contract::ids::NonEmptyString;
use crate::error::ValidationError;

/// Evidence that a work package is really done: where it changed, how it was
/// verified, and who approved it.
///
/// One pointer wide, and shared: most `WPStatusChanged` payloads carry none,
/// each event keeps its decoded payload, and a work package's state holds the
/// evidence of the event that moved it to `done`. Evidence is never changed
/// once made, so a clone shares it instead of copying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneEvidence(Arc<EvidenceParts>);

impl<'de> Deserialize<'de> for DoneEvidence {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields: DoneEvidenceFields = object(deserializer)?;
        fields.try_into().map_err(serde::de::Error::custom)
    }
}

impl Serialize for DoneEvidence {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct EvidenceParts {
    repos: Vec<RepoEvidence>,
    verification: Vec<VerificationEntry>,
    review: ReviewVerdict,
}

#[derive(Deserialize)]
struct DoneEvidenceFields {
    // Checked while `repos` is read, so the error's path ends in `repos`.
    #[serde(deserialize_with = "non_empty_repos")]
    repos: Vec<RepoEvidence>,
    #[serde(default, deserialize_with = "objects")]
    verification: Vec<VerificationEntry>,
    #[serde(deserialize_with = "object")]
    review: ReviewVerdict,
}

fn non_empty_repos<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<RepoEvidence>, D::Error> {
    let repos: Vec<RepoEvidence> = objects(deserializer)?;
    if repos.is_empty() {
        return Err(serde::de::Error::custom(
            "done evidence names at least one repository",
        ));
    }
    Ok(repos)
}

impl TryFrom<DoneEvidenceFields> for DoneEvidence {
    type Error = ValidationError;
    fn try_from(f: DoneEvidenceFields) -> Result<Self, Self::Error> {
        DoneEvidence::new(f.repos, f.verification, f.review)
    }
}

impl DoneEvidence {
    /// Evidence over at least one repository.
    ///
    /// # Errors
    /// A [`ValidationError`] for `repos` when it is empty.
    pub fn new(
        repos: Vec<RepoEvidence>,
        verification: Vec<VerificationEntry>,
        review: ReviewVerdict,
    ) -> Result<Self, ValidationError> {
        if repos.is_empty() {
            return Err(ValidationError::new(
                "repos",
                "done evidence names at least one repository",
            ));
        }
        Ok(Self(Arc::new(EvidenceParts {
            repos,
            verification,
            review,
        })))
    }

    /// The repositories that changed (at least one).
    pub fn repos(&self) -> &[RepoEvidence] {
        &self.0.repos
    }

    /// The verification steps that were run.
    pub fn verification(&self) -> &[VerificationEntry] {
        &self.0.verification
    }

    /// The review verdict.
    pub fn review(&self) -> &ReviewVerdict {
        &self.0.review
    }
}

/// The changes a work package made in one repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoEvidence {
    /// Repository identifier.
    pub repo: NonEmptyString,
    /// Branch name.
    pub branch: NonEmptyString,
    /// Commit SHA or reference.
    pub commit: NonEmptyString,
    /// Files modified, when recorded.
    #[serde(default)]
    pub files_touched: Option<Vec<NonEmptyString>>,
}

/// One verification step (a test run, a lint) and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationEntry {
    /// The command that was run.
    pub command: NonEmptyString,
    /// Its outcome.
    pub result: NonEmptyString,
    /// A human-readable summary.
    #[serde(default)]
    pub summary: Option<NonEmptyString>,
}

/// A reviewer's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewVerdict {
    /// Who reviewed.
    pub reviewer: NonEmptyString,
    /// The verdict.
    pub verdict: NonEmptyString,
    /// A URL or reference for the review.
    #[serde(default)]
    pub reference: Option<NonEmptyString>,
}

/// Who forced a move past the transition matrix, and why.
///
/// `force` is always `true` on the wire; the type has no way to say otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForceMetadata {
    force: AlwaysTrue,
    actor: NonEmptyString,
    reason: NonEmptyString,
}

impl<'de> Deserialize<'de> for ForceMetadata {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields: ForceMetadataFields = object(deserializer)?;
        fields.try_into().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct AlwaysTrue(bool);

#[derive(Deserialize)]
struct ForceMetadataFields {
    #[serde(default = "yes")]
    force: bool,
    actor: NonEmptyString,
    reason: NonEmptyString,
}

fn yes() -> bool {
    true
}

impl TryFrom<ForceMetadataFields> for ForceMetadata {
    type Error = ValidationError;
    fn try_from(f: ForceMetadataFields) -> Result<Self, Self::Error> {
        if !f.force {
            return Err(ValidationError::new(
                "force",
                "force metadata has force = true",
            ));
        }
        Self::new(f.actor, f.reason)
    }
}

impl ForceMetadata {
    /// `actor` forces a move because of `reason`, which must not be blank.
    ///
    /// # Errors
    /// A [`ValidationError`] for `reason` when it is only white space.
    pub fn new(actor: NonEmptyString, reason: NonEmptyString) -> Result<Self, ValidationError> {
        if reason.is_blank() {
            return Err(ValidationError::new(
                "reason",
                "a forced move needs a non-blank reason",
            ));
        }
        Ok(Self {
            force: AlwaysTrue(true),
            actor,
            reason,
        })
    }

    /// Who forced the move.
    pub fn actor(&self) -> &NonEmptyString {
        &self.actor
    }

    /// Why (never blank).
    pub fn reason(&self) -> &NonEmptyString {
        &self.reason
    }
}
