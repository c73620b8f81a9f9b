//! Sessions and API tokens: the two credentials a user holds, stored alike.

use super::{CollectionId, CredentialId, SecretDigest, UserId};
use crate::model::Timestamp;
use serde::{Deserialize, Serialize};

/// What an API token may do, at most (never more than its user's current role).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Read,
    ReadWrite,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::ReadWrite => "read_write",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "read" => Ok(Scope::Read),
            "read_write" => Ok(Scope::ReadWrite),
            _ => Err("Scope must be read or read_write.".into()),
        }
    }
}

/// Longest token name and device description, in characters.
pub const LABEL_MAX_CHARS: usize = 60;

/// A stored credential. The client holds its secret; the store only its digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    pub id: CredentialId,
    pub user: UserId,
    pub digest: SecretDigest,
    pub kind: CredentialKind,
    pub created_at: Timestamp,
    /// Updated at most every few minutes, not on every request (a write per request would
    /// double what each one costs).
    pub last_used_at: Timestamp,
    /// When it stops working; `None` for a token without expiry. For a session this is the
    /// earlier of its absolute end and its idle end, moved on each recorded use.
    pub expires_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialKind {
    /// A browser's sign-in. `device` is a short description from its User-Agent.
    Session { device: String },
    /// A program's key to one collection.
    Token {
        name: String,
        collection: CollectionId,
        scope: Scope,
    },
}

impl Credential {
    pub fn is_session(&self) -> bool {
        matches!(self.kind, CredentialKind::Session { .. })
    }

    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|expires| expires <= now)
    }
}

/// A short, printable label (a token's name, a session's device): control characters
/// dropped, white space collapsed, cut at [`LABEL_MAX_CHARS`].
pub fn label(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(LABEL_MAX_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_one_short_line() {
        assert_eq!(label("  Firefox \n on\tLinux "), "Firefox on Linux");
        assert_eq!(label(&"x".repeat(100)).chars().count(), LABEL_MAX_CHARS);
        assert_eq!(label("a\u{7}b"), "ab");
    }

    #[test]
    fn scopes_parse_from_their_names() {
        for scope in [Scope::Read, Scope::ReadWrite] {
            assert_eq!(Scope::parse(scope.as_str()), Ok(scope));
        }
        assert!(Scope::parse("write").is_err());
    }
}
