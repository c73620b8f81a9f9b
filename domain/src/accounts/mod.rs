//! Accounts: who may read and change which collection.
//!
//! Users sign in with an email and a password. Every item belongs to one collection; a user
//! may belong to several, each with a [`Role`]. Without features this is what the browser
//! needs to check a sign-up form as the user types; `server` adds password hashing, the
//! secrets behind sessions, tokens and links, and the storage boundary.
//!
//! # Layout
//! - [`Email`], [`NewPassword`]: account names and the rules a password follows.
//! - [`Role`], [`Action`]: what each member may do.
//! - [`Collection`], [`Membership`], [`Account`]: where a user belongs.
//! - ids: [`UserId`], [`CollectionId`], [`CredentialId`], [`LinkId`].
//! - (server) `passwords`: Argon2id hashing, bounded in concurrency.
//! - (server) `secret`: random secrets, their digests, and the strings clients hold.
//! - (server) `credential`, `link`: sessions, API tokens, invites and password links.
//! - (server) `store`: the storage trait ([`AccountStore`]).
//! - (server) `service`: first run, sign-in, sessions and sign-out ([`Accounts`]).

mod account;
mod collection;
#[cfg(feature = "server")]
mod credential;
mod email;
mod ids;
#[cfg(feature = "server")]
mod link;
mod password;
#[cfg(feature = "server")]
mod passwords;
mod role;
#[cfg(feature = "server")]
mod secret;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
mod store;

pub use account::{Account, MAX_MEMBERSHIPS};
pub use collection::{Collection, CollectionName, Membership, COLLECTION_NAME_MAX_CHARS};
#[cfg(feature = "server")]
pub use credential::{label, Credential, CredentialKind, Scope, LABEL_MAX_CHARS};
pub use email::{Email, EMAIL_MAX_BYTES};
pub use ids::{CollectionId, CredentialId, LinkId, UserId};
#[cfg(feature = "server")]
pub use link::{Link, LinkPurpose};
pub use password::{NewPassword, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
#[cfg(feature = "server")]
pub use passwords::{HashingError, PasswordHash, Passwords};
pub use role::{Action, Role};
#[cfg(feature = "server")]
pub use secret::{Secret, SecretDigest, SecretToken};
#[cfg(feature = "server")]
pub use service::{
    AccountSettings, Accounts, ChangePasswordError, LinkError, NewSession, SetupError, SignInError,
    TokenError, INVITE_TTL, MAX_TOKENS, PASSWORD_LINK_TTL, TOKEN_PREFIX,
};
#[cfg(feature = "server")]
pub use store::{
    AccountStore, AccountStoreError, Member, SharedAccountStore, SignInFailures, User,
};
