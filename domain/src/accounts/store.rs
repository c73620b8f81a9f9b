//! The account storage boundary: users, collections, memberships, credentials, one-time links
//! and failed sign-ins. SQLite and DynamoDB implement it in the server crate, and one
//! conformance suite runs against both.
//!
//! Every method is one atomic operation: where two records must change together (a user and
//! their email's claim, a membership seen from both sides, a used invite and the membership it
//! grants) the backend writes them in one transaction.

use super::{
    Account, Collection, CollectionId, Credential, CredentialId, Email, Link, LinkId, PasswordHash,
    Role, UserId,
};
use crate::item_store::BackendError;
use crate::model::Timestamp;
use std::sync::Arc;
use std::time::Duration;

pub type SharedAccountStore = Arc<dyn AccountStore>;

/// A user as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    /// `None` until the user follows the set-password link they were given.
    pub password: Option<PasswordHash>,
    pub created_at: Timestamp,
}

/// One member of a collection, for its members page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub user: UserId,
    pub email: Email,
    pub role: Role,
}

/// Failed sign-ins for one email within the current window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignInFailures {
    pub count: u32,
    /// When the count starts again from zero.
    pub window_ends: Timestamp,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountStoreError {
    #[error("an account with this email already exists")]
    EmailTaken,
    /// `create_first_owner` when there already are users.
    #[error("Shelf already has accounts")]
    AlreadySetUp,
    #[error("no such user, collection, member or link")]
    NotFound,
    /// The change would leave the collection without an owner.
    #[error("a collection must keep at least one owner")]
    LastOwner,
    /// The change would pass [`super::MAX_MEMBERSHIPS`].
    #[error("at most {max} members per collection and collections per user")]
    TooManyMembers { max: usize },
    /// The link was used, revoked or has expired meanwhile.
    #[error("this link was used, revoked or has expired")]
    LinkUnusable,
    #[error("store unavailable")]
    Unavailable(#[source] BackendError),
    #[error("store failure")]
    Internal(#[source] BackendError),
}

#[async_trait::async_trait]
pub trait AccountStore: Send + Sync {
    /// Whether any user exists: a fresh install shows the first-run page until one does.
    async fn has_users(&self) -> Result<bool, AccountStoreError>;

    /// The first account and its collection, only while there are no users
    /// ([`AccountStoreError::AlreadySetUp`] otherwise, even when two instances race). The
    /// collection may already exist without members (see [`Self::ensure_collection`]): it
    /// gets the given name and its first owner.
    async fn create_first_owner(
        &self,
        user: &User,
        collection: &Collection,
    ) -> Result<(), AccountStoreError>;

    async fn create_user(&self, user: &User) -> Result<(), AccountStoreError>;
    async fn user(&self, id: &UserId) -> Result<Option<User>, AccountStoreError>;
    async fn user_by_email(&self, email: &Email) -> Result<Option<User>, AccountStoreError>;
    async fn set_password(&self, id: &UserId, hash: &PasswordHash)
        -> Result<(), AccountStoreError>;
    /// The user and their memberships.
    async fn account(&self, id: &UserId) -> Result<Option<Account>, AccountStoreError>;

    /// A new collection with `owner` as its owner.
    async fn create_collection(
        &self,
        collection: &Collection,
        owner: &UserId,
    ) -> Result<(), AccountStoreError>;
    /// Creates the collection without members unless it exists (the one anonymous access
    /// names); existing, it is left as it is.
    async fn ensure_collection(&self, collection: &Collection) -> Result<(), AccountStoreError>;
    async fn collection(&self, id: &CollectionId) -> Result<Option<Collection>, AccountStoreError>;
    /// Sorted by email.
    async fn members(&self, id: &CollectionId) -> Result<Vec<Member>, AccountStoreError>;
    /// Adds `user` to the collection as `role`, or changes their role.
    async fn set_role(
        &self,
        collection: &CollectionId,
        user: &UserId,
        role: Role,
    ) -> Result<(), AccountStoreError>;
    async fn remove_member(
        &self,
        collection: &CollectionId,
        user: &UserId,
    ) -> Result<(), AccountStoreError>;

    async fn create_credential(&self, credential: &Credential) -> Result<(), AccountStoreError>;
    /// The credential and its user's account, in one read: what every signed-in request
    /// looks up.
    async fn credential(
        &self,
        user: &UserId,
        id: &CredentialId,
    ) -> Result<Option<(Credential, Account)>, AccountStoreError>;
    /// Newest first.
    async fn credentials(&self, user: &UserId) -> Result<Vec<Credential>, AccountStoreError>;
    /// Records a use; a credential deleted meanwhile stays deleted.
    async fn touch_credential(
        &self,
        user: &UserId,
        id: &CredentialId,
        last_used_at: Timestamp,
        expires_at: Option<Timestamp>,
    ) -> Result<(), AccountStoreError>;
    /// Whether there was one to delete.
    async fn delete_credential(
        &self,
        user: &UserId,
        id: &CredentialId,
    ) -> Result<bool, AccountStoreError>;
    /// Deletes every session of the user but `keep` ("sign out everywhere else"); API tokens
    /// stay. Returns how many went.
    async fn delete_sessions(
        &self,
        user: &UserId,
        keep: Option<&CredentialId>,
    ) -> Result<usize, AccountStoreError>;

    async fn create_link(&self, link: &Link) -> Result<(), AccountStoreError>;
    async fn invite(
        &self,
        collection: &CollectionId,
        id: &LinkId,
    ) -> Result<Option<Link>, AccountStoreError>;
    /// A collection's invites that have not been used or revoked, newest first (expired ones
    /// included until their store drops them).
    async fn invites(&self, collection: &CollectionId) -> Result<Vec<Link>, AccountStoreError>;
    async fn password_link(
        &self,
        user: &UserId,
        id: &LinkId,
    ) -> Result<Option<Link>, AccountStoreError>;
    /// Uses the invite (it is gone afterwards) and makes `user` a member with its role, or
    /// keeps their role if it is higher. Returns the role they have now.
    async fn redeem_invite(
        &self,
        collection: &CollectionId,
        id: &LinkId,
        user: &UserId,
        now: Timestamp,
    ) -> Result<Role, AccountStoreError>;
    /// Whether there was one to revoke.
    async fn revoke_invite(
        &self,
        collection: &CollectionId,
        id: &LinkId,
    ) -> Result<bool, AccountStoreError>;
    /// Uses the password link and sets the password, together.
    async fn redeem_password_link(
        &self,
        user: &UserId,
        id: &LinkId,
        hash: &PasswordHash,
        now: Timestamp,
    ) -> Result<(), AccountStoreError>;

    /// Counts one failed sign-in for `email`: the count in the current window of `window`
    /// (a new window starts after the last one ends).
    async fn record_sign_in_failure(
        &self,
        email: &Email,
        now: Timestamp,
        window: Duration,
    ) -> Result<SignInFailures, AccountStoreError>;
    /// The current window's failures, if it has not ended by `now`.
    async fn sign_in_failures(
        &self,
        email: &Email,
        now: Timestamp,
    ) -> Result<Option<SignInFailures>, AccountStoreError>;
    async fn clear_sign_in_failures(&self, email: &Email) -> Result<(), AccountStoreError>;

    /// Whether the backend answers: the readiness check.
    async fn ping(&self) -> Result<(), AccountStoreError>;
}
