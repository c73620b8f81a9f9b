//! The accounts table's keys and attribute names.
//!
//! One table, `pk` + `sk`, several kinds of record. What one request needs sits under one
//! partition, so every lookup is a keyed read:
//!
//! | record | `pk` | `sk` |
//! |---|---|---|
//! | user (email, password, `roles`: collection → role and name) | `user#{id}` | `user` |
//! | session or API token | `user#{id}` | `credential#{id}` |
//! | password link | `user#{id}` | `password-link#{id}` |
//! | an email's claim (one account per email) | `email#{email}` | `email` |
//! | collection (name, `members` and `owners` counts) | `collection#{id}` | `collection` |
//! | member (role, email) | `collection#{id}` | `member#{user}` |
//! | invite | `collection#{id}` | `invite#{id}` |
//! | failed sign-ins of an email | `sign-in#{email}` | `failures` |
//! | "someone has an account" (first run is over) | `setup` | `setup` |
//!
//! A membership is kept on both sides (the member record and the user's `roles` map) and
//! every change writes both in one transaction: a signed-in request reads the user record
//! and its credential in one `BatchGetItem`, and the members page is one `Query`.

use super::super::record::s;
use aws_sdk_dynamodb::types::AttributeValue;
use domain::accounts::{CollectionId, CredentialId, Email, LinkId, UserId};
use std::collections::HashMap;

pub const PK: &str = "pk";
pub const SK: &str = "sk";
/// Epoch seconds after which DynamoDB deletes the record (the table's TTL attribute).
pub const TTL: &str = "ttl";

pub const EMAIL: &str = "email";
pub const PASSWORD: &str = "password";
pub const CREATED_AT: &str = "created_at";
pub const ROLES: &str = "roles";
pub const ROLE: &str = "role";
pub const NAME: &str = "name";
pub const USER: &str = "user";
pub const MEMBERS: &str = "members";
pub const OWNERS: &str = "owners";
pub const KIND: &str = "kind";
pub const DIGEST: &str = "digest";
pub const DEVICE: &str = "device";
pub const COLLECTION: &str = "collection";
pub const SCOPE: &str = "scope";
pub const LAST_USED_AT: &str = "last_used_at";
pub const EXPIRES_AT: &str = "expires_at";
pub const CREATED_BY: &str = "created_by";
pub const COUNT: &str = "count";
pub const WINDOW_ENDS: &str = "window_ends";

pub const CREDENTIAL_PREFIX: &str = "credential#";
pub const MEMBER_PREFIX: &str = "member#";
pub const INVITE_PREFIX: &str = "invite#";

pub type Key = HashMap<String, AttributeValue>;

fn key(pk: String, sk: impl Into<String>) -> Key {
    HashMap::from([(PK.to_owned(), s(pk)), (SK.to_owned(), s(sk))])
}

pub fn user_partition(id: &UserId) -> String {
    format!("user#{id}")
}

pub fn collection_partition(id: &CollectionId) -> String {
    format!("collection#{id}")
}

pub fn user(id: &UserId) -> Key {
    key(user_partition(id), "user")
}

pub fn credential(user: &UserId, id: &CredentialId) -> Key {
    key(user_partition(user), format!("{CREDENTIAL_PREFIX}{id}"))
}

pub fn password_link(user: &UserId, id: &LinkId) -> Key {
    key(user_partition(user), format!("password-link#{id}"))
}

pub fn email(email: &Email) -> Key {
    key(format!("email#{email}"), "email")
}

pub fn collection(id: &CollectionId) -> Key {
    key(collection_partition(id), "collection")
}

pub fn member(collection: &CollectionId, user: &UserId) -> Key {
    key(
        collection_partition(collection),
        format!("{MEMBER_PREFIX}{user}"),
    )
}

pub fn invite(collection: &CollectionId, id: &LinkId) -> Key {
    key(
        collection_partition(collection),
        format!("{INVITE_PREFIX}{id}"),
    )
}

pub fn sign_in_failures(email: &Email) -> Key {
    key(format!("sign-in#{email}"), "failures")
}

pub fn setup() -> Key {
    key("setup".to_owned(), "setup")
}
