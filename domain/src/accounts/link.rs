//! One-time links: invites to a collection, and links that set a user's password.

use super::{CollectionId, LinkId, Role, SecretDigest, UserId};
use crate::model::Timestamp;

/// A stored link. The URL holds its secret; the store keeps the digest. A link is deleted
/// when it is used or revoked, so it works once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub id: LinkId,
    pub digest: SecretDigest,
    pub purpose: LinkPurpose,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Whoever follows it joins `collection` as `role` (signing up first if need be).
    Invite {
        collection: CollectionId,
        role: Role,
    },
    /// Whoever follows it sets `user`'s password: a reset, or the first password of an
    /// account made on the command line.
    SetPassword { user: UserId },
}

impl Link {
    /// The id the link is stored under: its collection's for an invite, its user's for a
    /// password link. The URL carries it, so finding the link is one keyed read.
    pub fn owner(&self) -> uuid::Uuid {
        match self.purpose {
            LinkPurpose::Invite { collection, .. } => collection.as_uuid(),
            LinkPurpose::SetPassword { user } => user.as_uuid(),
        }
    }

    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at <= now
    }
}
