//! Account records as DynamoDB attribute maps, both ways.

use super::keys::{self, Key};
use crate::store::dynamodb::record::{n, s, Attributes};
use aws_sdk_dynamodb::types::AttributeValue;
use domain::accounts::{
    Account, AccountStoreError, Collection, CollectionId, CollectionName, Credential, CredentialId,
    CredentialKind, Email, Link, LinkId, LinkPurpose, Member, Membership, PasswordHash, Role,
    Scope, SecretDigest, SignInFailures, User, UserId,
};
use domain::model::Timestamp;
use std::collections::HashMap;

/// A stored record that does not read back: a bug or a hand-edited table.
fn malformed(what: &str, attribute: &str) -> AccountStoreError {
    AccountStoreError::Internal(format!("stored {what} has a missing or bad `{attribute}`").into())
}

pub fn text<'a>(
    attributes: &'a Attributes,
    name: &str,
    what: &str,
) -> Result<&'a str, AccountStoreError> {
    match attributes.get(name) {
        Some(AttributeValue::S(value)) => Ok(value),
        _ => Err(malformed(what, name)),
    }
}

fn optional_text<'a>(attributes: &'a Attributes, name: &str) -> Option<&'a str> {
    match attributes.get(name) {
        Some(AttributeValue::S(value)) => Some(value),
        _ => None,
    }
}

pub fn number(attributes: &Attributes, name: &str, what: &str) -> Result<i64, AccountStoreError> {
    match attributes.get(name) {
        Some(AttributeValue::N(value)) => value.parse().map_err(|_| malformed(what, name)),
        _ => Err(malformed(what, name)),
    }
}

fn parsed<T>(
    attributes: &Attributes,
    name: &str,
    what: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, AccountStoreError> {
    parse(text(attributes, name, what)?).map_err(|_| malformed(what, name))
}

fn time(attributes: &Attributes, name: &str, what: &str) -> Result<Timestamp, AccountStoreError> {
    Timestamp::from_micros(number(attributes, name, what)?).ok_or_else(|| malformed(what, name))
}

fn optional_time(
    attributes: &Attributes,
    name: &str,
    what: &str,
) -> Result<Option<Timestamp>, AccountStoreError> {
    match attributes.get(name) {
        None | Some(AttributeValue::Null(_)) => Ok(None),
        Some(_) => time(attributes, name, what).map(Some),
    }
}

fn digest(attributes: &Attributes, what: &str) -> Result<SecretDigest, AccountStoreError> {
    parsed(attributes, keys::DIGEST, what, |hex| {
        SecretDigest::from_hex(hex).ok_or_else(String::new)
    })
}

pub fn micros(time: Timestamp) -> AttributeValue {
    n(time.as_micros())
}

/// DynamoDB's TTL is in epoch seconds; it deletes within a few days of it, so readers still
/// check `expires_at` themselves.
pub fn ttl(time: Timestamp) -> AttributeValue {
    n(time.as_micros().div_euclid(1_000_000) + 1)
}

fn with_key(key: Key, mut attributes: Attributes) -> Attributes {
    attributes.extend(key);
    attributes
}

pub fn membership(collection: &Collection, role: Role) -> AttributeValue {
    AttributeValue::M(HashMap::from([
        (keys::ROLE.to_owned(), s(role.as_str())),
        (keys::NAME.to_owned(), s(collection.name.as_str())),
    ]))
}

pub fn user_record(user: &User, roles: HashMap<String, AttributeValue>) -> Attributes {
    let mut attributes = HashMap::from([
        (keys::EMAIL.to_owned(), s(user.email.as_str())),
        (keys::CREATED_AT.to_owned(), micros(user.created_at)),
        (keys::ROLES.to_owned(), AttributeValue::M(roles)),
    ]);
    if let Some(hash) = &user.password {
        attributes.insert(keys::PASSWORD.to_owned(), s(hash.as_phc()));
    }
    with_key(keys::user(&user.id), attributes)
}

pub fn user_id_from_partition(
    attributes: &Attributes,
    what: &str,
) -> Result<UserId, AccountStoreError> {
    parsed(attributes, keys::PK, what, |pk| {
        UserId::parse(pk.strip_prefix("user#").unwrap_or_default())
    })
}

pub fn user(attributes: &Attributes) -> Result<User, AccountStoreError> {
    let password = match optional_text(attributes, keys::PASSWORD) {
        None => None,
        Some(phc) => Some(
            PasswordHash::from_phc(phc.to_owned())
                .ok_or_else(|| malformed("user", keys::PASSWORD))?,
        ),
    };
    Ok(User {
        id: user_id_from_partition(attributes, "user")?,
        email: parsed(attributes, keys::EMAIL, "user", Email::parse)?,
        password,
        created_at: time(attributes, keys::CREATED_AT, "user")?,
    })
}

pub fn account(attributes: &Attributes) -> Result<Account, AccountStoreError> {
    let user = user(attributes)?;
    let Some(AttributeValue::M(roles)) = attributes.get(keys::ROLES) else {
        return Err(malformed("user", keys::ROLES));
    };
    let mut memberships = roles
        .iter()
        .map(|(id, value)| {
            let AttributeValue::M(entry) = value else {
                return Err(malformed("user", keys::ROLES));
            };
            Ok(Membership {
                collection: Collection {
                    id: CollectionId::parse(id).map_err(|_| malformed("user", keys::ROLES))?,
                    name: parsed(entry, keys::NAME, "membership", CollectionName::parse)?,
                },
                role: parsed(entry, keys::ROLE, "membership", Role::parse)?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    memberships.sort_by(|a, b| {
        (a.collection.name.as_str(), a.collection.id)
            .cmp(&(b.collection.name.as_str(), b.collection.id))
    });
    Ok(Account {
        id: user.id,
        email: user.email,
        memberships,
    })
}

pub fn collection_record(collection: &Collection, members: usize, owners: usize) -> Attributes {
    with_key(
        keys::collection(&collection.id),
        HashMap::from([
            (keys::NAME.to_owned(), s(collection.name.as_str())),
            (keys::CREATED_AT.to_owned(), micros(Timestamp::now())),
            (keys::MEMBERS.to_owned(), n(members)),
            (keys::OWNERS.to_owned(), n(owners)),
        ]),
    )
}

pub fn collection(attributes: &Attributes) -> Result<Collection, AccountStoreError> {
    Ok(Collection {
        id: parsed(attributes, keys::PK, "collection", |pk| {
            CollectionId::parse(pk.strip_prefix("collection#").unwrap_or_default())
        })?,
        name: parsed(attributes, keys::NAME, "collection", CollectionName::parse)?,
    })
}

pub fn member_record(collection: &CollectionId, user: &User, role: Role) -> Attributes {
    with_key(
        keys::member(collection, &user.id),
        HashMap::from([
            (keys::ROLE.to_owned(), s(role.as_str())),
            (keys::EMAIL.to_owned(), s(user.email.as_str())),
        ]),
    )
}

pub fn role(attributes: &Attributes) -> Result<Role, AccountStoreError> {
    parsed(attributes, keys::ROLE, "member", Role::parse)
}

pub fn member(attributes: &Attributes) -> Result<Member, AccountStoreError> {
    Ok(Member {
        user: parsed(attributes, keys::SK, "member", |sk| {
            UserId::parse(sk.strip_prefix(keys::MEMBER_PREFIX).unwrap_or_default())
        })?,
        email: parsed(attributes, keys::EMAIL, "member", Email::parse)?,
        role: role(attributes)?,
    })
}

pub fn credential_record(credential: &Credential) -> Attributes {
    let mut attributes = HashMap::from([
        (keys::DIGEST.to_owned(), s(credential.digest.to_hex())),
        (keys::CREATED_AT.to_owned(), micros(credential.created_at)),
        (
            keys::LAST_USED_AT.to_owned(),
            micros(credential.last_used_at),
        ),
    ]);
    match &credential.kind {
        CredentialKind::Session { device } => {
            attributes.insert(keys::KIND.to_owned(), s("session"));
            attributes.insert(keys::DEVICE.to_owned(), s(device.as_str()));
        }
        CredentialKind::Token {
            name,
            collection,
            scope,
        } => {
            attributes.insert(keys::KIND.to_owned(), s("token"));
            attributes.insert(keys::NAME.to_owned(), s(name.as_str()));
            attributes.insert(keys::COLLECTION.to_owned(), s(collection.to_string()));
            attributes.insert(keys::SCOPE.to_owned(), s(scope.as_str()));
        }
    }
    if let Some(expires) = credential.expires_at {
        attributes.insert(keys::EXPIRES_AT.to_owned(), micros(expires));
        attributes.insert(keys::TTL.to_owned(), ttl(expires));
    }
    with_key(
        keys::credential(&credential.user, &credential.id),
        attributes,
    )
}

pub fn credential(attributes: &Attributes) -> Result<Credential, AccountStoreError> {
    const WHAT: &str = "credential";
    let kind = match text(attributes, keys::KIND, WHAT)? {
        "session" => CredentialKind::Session {
            device: optional_text(attributes, keys::DEVICE)
                .unwrap_or_default()
                .to_owned(),
        },
        _ => CredentialKind::Token {
            name: optional_text(attributes, keys::NAME)
                .unwrap_or_default()
                .to_owned(),
            collection: parsed(attributes, keys::COLLECTION, WHAT, CollectionId::parse)?,
            scope: parsed(attributes, keys::SCOPE, WHAT, Scope::parse)?,
        },
    };
    Ok(Credential {
        id: parsed(attributes, keys::SK, WHAT, |sk| {
            CredentialId::parse(sk.strip_prefix(keys::CREDENTIAL_PREFIX).unwrap_or_default())
        })?,
        user: user_id_from_partition(attributes, WHAT)?,
        digest: digest(attributes, WHAT)?,
        kind,
        created_at: time(attributes, keys::CREATED_AT, WHAT)?,
        last_used_at: time(attributes, keys::LAST_USED_AT, WHAT)?,
        expires_at: optional_time(attributes, keys::EXPIRES_AT, WHAT)?,
    })
}

pub fn link_key(link: &Link) -> Key {
    match link.purpose {
        LinkPurpose::Invite { collection, .. } => keys::invite(&collection, &link.id),
        LinkPurpose::SetPassword { user } => keys::password_link(&user, &link.id),
    }
}

pub fn link_record(link: &Link) -> Attributes {
    let mut attributes = HashMap::from([
        (keys::DIGEST.to_owned(), s(link.digest.to_hex())),
        (keys::CREATED_AT.to_owned(), micros(link.created_at)),
        (keys::EXPIRES_AT.to_owned(), micros(link.expires_at)),
        (keys::TTL.to_owned(), ttl(link.expires_at)),
    ]);
    if let LinkPurpose::Invite { role, .. } = link.purpose {
        attributes.insert(keys::ROLE.to_owned(), s(role.as_str()));
    }
    if let Some(creator) = link.created_by {
        attributes.insert(keys::CREATED_BY.to_owned(), s(creator.to_string()));
    }
    with_key(link_key(link), attributes)
}

pub fn link(attributes: &Attributes) -> Result<Link, AccountStoreError> {
    const WHAT: &str = "link";
    let pk = text(attributes, keys::PK, WHAT)?;
    let sk = text(attributes, keys::SK, WHAT)?;
    let bad = || malformed(WHAT, keys::SK);
    let (purpose, id) = if let Some(id) = sk.strip_prefix(keys::INVITE_PREFIX) {
        let collection = pk.strip_prefix("collection#").ok_or_else(bad)?;
        let purpose = LinkPurpose::Invite {
            collection: CollectionId::parse(collection).map_err(|_| bad())?,
            role: parsed(attributes, keys::ROLE, WHAT, Role::parse)?,
        };
        (purpose, id)
    } else {
        let id = sk.strip_prefix("password-link#").ok_or_else(bad)?;
        let purpose = LinkPurpose::SetPassword {
            user: user_id_from_partition(attributes, WHAT)?,
        };
        (purpose, id)
    };
    let created_by = match optional_text(attributes, keys::CREATED_BY) {
        None => None,
        Some(raw) => Some(UserId::parse(raw).map_err(|_| malformed(WHAT, keys::CREATED_BY))?),
    };
    Ok(Link {
        id: LinkId::parse(id).map_err(|_| bad())?,
        digest: digest(attributes, WHAT)?,
        purpose,
        created_by,
        created_at: time(attributes, keys::CREATED_AT, WHAT)?,
        expires_at: time(attributes, keys::EXPIRES_AT, WHAT)?,
    })
}

pub fn failures(attributes: &Attributes) -> Result<SignInFailures, AccountStoreError> {
    let count = number(attributes, keys::COUNT, "sign-in failures")?;
    Ok(SignInFailures {
        count: u32::try_from(count).unwrap_or(u32::MAX),
        window_ends: time(attributes, keys::WINDOW_ENDS, "sign-in failures")?,
    })
}

pub fn s_role(role: Role) -> AttributeValue {
    s(role.as_str())
}
