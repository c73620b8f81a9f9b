//! The embedded account store: the `users`, `collections`, `memberships`, `credentials`,
//! `links` and `sign_in_failures` tables of the same database as the items.
//!
//! Changes that check before they write (the last owner, the membership limits, a link still
//! unused) run in `BEGIN IMMEDIATE` transactions, so the check and the write see the same
//! state even with several writers.

use super::{Failure, SqliteStore};
use domain::accounts::{
    Account, AccountStore, AccountStoreError, Collection, CollectionId, CollectionName, Credential,
    CredentialId, CredentialKind, Email, Link, LinkId, LinkPurpose, Member, Membership,
    PasswordHash, Role, Scope, SecretDigest, SignInFailures, User, UserId, MAX_MEMBERSHIPS,
};
use domain::item_store::BackendError;
use domain::model::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};
use std::time::Duration;

impl Failure for AccountStoreError {
    fn unavailable(error: BackendError) -> Self {
        AccountStoreError::Unavailable(error)
    }
    fn internal(error: BackendError) -> Self {
        AccountStoreError::Internal(error)
    }
}

type Result<T> = std::result::Result<T, AccountStoreError>;

fn db_error(error: rusqlite::Error) -> AccountStoreError {
    AccountStoreError::from_db(error)
}

fn begin(conn: &mut Connection) -> Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db_error)
}

/// A column that must parse as one of the domain's types; a row that does not is corrupt.
fn parsed<T>(
    row: &Row<'_>,
    index: usize,
    parse: impl FnOnce(&str) -> std::result::Result<T, String>,
) -> rusqlite::Result<T> {
    let raw: String = row.get(index)?;
    parse(&raw).map_err(|message| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            message.into(),
        )
    })
}

fn timestamp(row: &Row<'_>, index: usize) -> rusqlite::Result<Timestamp> {
    let micros: i64 = row.get(index)?;
    Timestamp::from_micros(micros).ok_or(rusqlite::Error::IntegralValueOutOfRange(index, micros))
}

fn optional_timestamp(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<Timestamp>> {
    match row.get::<_, Option<i64>>(index)? {
        None => Ok(None),
        Some(_) => timestamp(row, index).map(Some),
    }
}

fn digest(row: &Row<'_>, index: usize) -> rusqlite::Result<SecretDigest> {
    parsed(row, index, |hex| {
        SecretDigest::from_hex(hex).ok_or_else(|| "not a SHA-256 digest".to_owned())
    })
}

fn after(now: Timestamp, window: Duration) -> i64 {
    now.as_micros()
        .saturating_add(i64::try_from(window.as_micros()).unwrap_or(i64::MAX))
}

const USER_COLUMNS: &str = "id, email, password, created_at";

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    let password: Option<String> = row.get(2)?;
    Ok(User {
        id: parsed(row, 0, UserId::parse)?,
        email: parsed(row, 1, Email::parse)?,
        password: match password {
            None => None,
            Some(phc) => Some(PasswordHash::from_phc(phc).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    2,
                    rusqlite::types::Type::Text,
                    "not a PHC string".into(),
                )
            })?),
        },
        created_at: timestamp(row, 3)?,
    })
}

const CREDENTIAL_COLUMNS: &str = "id, user_id, digest, kind, device, name, collection_id, scope, \
                                  created_at, last_used_at, expires_at";

fn credential_from_row(row: &Row<'_>) -> rusqlite::Result<Credential> {
    let kind: String = row.get(3)?;
    let kind = if kind == "session" {
        CredentialKind::Session {
            device: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
        }
    } else {
        CredentialKind::Token {
            name: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
            collection: parsed(row, 6, CollectionId::parse)?,
            scope: parsed(row, 7, Scope::parse)?,
        }
    };
    Ok(Credential {
        id: parsed(row, 0, CredentialId::parse)?,
        user: parsed(row, 1, UserId::parse)?,
        digest: digest(row, 2)?,
        kind,
        created_at: timestamp(row, 8)?,
        last_used_at: timestamp(row, 9)?,
        expires_at: optional_timestamp(row, 10)?,
    })
}

const LINK_COLUMNS: &str = "owner_id, id, digest, kind, role, created_by, created_at, expires_at";

fn link_from_row(row: &Row<'_>) -> rusqlite::Result<Link> {
    let kind: String = row.get(3)?;
    let purpose = if kind == "invite" {
        LinkPurpose::Invite {
            collection: parsed(row, 0, CollectionId::parse)?,
            role: parsed(row, 4, Role::parse)?,
        }
    } else {
        LinkPurpose::SetPassword {
            user: parsed(row, 0, UserId::parse)?,
        }
    };
    let created_by: Option<String> = row.get(5)?;
    Ok(Link {
        id: parsed(row, 1, LinkId::parse)?,
        digest: digest(row, 2)?,
        purpose,
        created_by: match created_by {
            None => None,
            Some(_) => Some(parsed(row, 5, UserId::parse)?),
        },
        created_at: timestamp(row, 6)?,
        expires_at: timestamp(row, 7)?,
    })
}

fn select_user(conn: &Connection, id: &UserId) -> Result<Option<User>> {
    conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))
        .and_then(|mut select| select.query_row([id.to_string()], user_from_row).optional())
        .map_err(db_error)
}

fn insert_user(conn: &Connection, user: &User) -> Result<()> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO users (id, email, password, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
        )
        .and_then(|mut insert| {
            insert.execute(params![
                user.id.to_string(),
                user.email.as_str(),
                user.password.as_ref().map(PasswordHash::as_phc),
                user.created_at.as_micros(),
            ])
        })
        .map_err(db_error)?;
    if inserted == 0 {
        return Err(AccountStoreError::EmailTaken);
    }
    Ok(())
}

fn insert_collection(conn: &Connection, collection: &Collection) -> Result<usize> {
    conn.prepare_cached(
        "INSERT INTO collections (id, name, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
    )
    .and_then(|mut insert| {
        insert.execute(params![
            collection.id.to_string(),
            collection.name.as_str(),
            Timestamp::now().as_micros(),
        ])
    })
    .map_err(db_error)
}

fn select_account(conn: &Connection, id: &UserId) -> Result<Option<Account>> {
    let Some(user) = select_user(conn, id)? else {
        return Ok(None);
    };
    let memberships = conn
        .prepare_cached(
            "SELECT c.id, c.name, m.role FROM memberships m JOIN collections c
             ON c.id = m.collection_id WHERE m.user_id = ?1 ORDER BY c.name, c.id",
        )
        .and_then(|mut select| {
            select
                .query_map([id.to_string()], |row| {
                    Ok(Membership {
                        collection: Collection {
                            id: parsed(row, 0, CollectionId::parse)?,
                            name: parsed(row, 1, CollectionName::parse)?,
                        },
                        role: parsed(row, 2, Role::parse)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(db_error)?;
    Ok(Some(Account {
        id: user.id,
        email: user.email,
        memberships,
    }))
}

fn role_of(conn: &Connection, collection: &CollectionId, user: &UserId) -> Result<Option<Role>> {
    conn.prepare_cached("SELECT role FROM memberships WHERE collection_id = ?1 AND user_id = ?2")
        .and_then(|mut select| {
            select
                .query_row([collection.to_string(), user.to_string()], |row| {
                    parsed(row, 0, Role::parse)
                })
                .optional()
        })
        .map_err(db_error)
}

fn count(conn: &Connection, sql: &str, id: &str) -> Result<usize> {
    conn.prepare_cached(sql)
        .and_then(|mut select| select.query_row([id], |row| row.get::<_, i64>(0)))
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
        .map_err(db_error)
}

/// The membership rules every change checks: the collection keeps an owner, and neither side
/// passes [`MAX_MEMBERSHIPS`].
fn check_change(
    conn: &Connection,
    collection: &CollectionId,
    user: &UserId,
    current: Option<Role>,
    new: Option<Role>,
) -> Result<()> {
    if current == Some(Role::Owner) && new != Some(Role::Owner) {
        let owners = count(
            conn,
            "SELECT count(*) FROM memberships WHERE collection_id = ?1 AND role = 'owner'",
            &collection.to_string(),
        )?;
        if owners <= 1 {
            return Err(AccountStoreError::LastOwner);
        }
    }
    if current.is_none() && new.is_some() {
        let members = count(
            conn,
            "SELECT count(*) FROM memberships WHERE collection_id = ?1",
            &collection.to_string(),
        )?;
        let memberships = count(
            conn,
            "SELECT count(*) FROM memberships WHERE user_id = ?1",
            &user.to_string(),
        )?;
        if members >= MAX_MEMBERSHIPS || memberships >= MAX_MEMBERSHIPS {
            return Err(AccountStoreError::TooManyMembers {
                max: MAX_MEMBERSHIPS,
            });
        }
    }
    Ok(())
}

fn upsert_membership(
    conn: &Connection,
    collection: &CollectionId,
    user: &UserId,
    role: Role,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO memberships (collection_id, user_id, role) VALUES (?1, ?2, ?3)
         ON CONFLICT (collection_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .and_then(|mut upsert| {
        upsert.execute(params![
            collection.to_string(),
            user.to_string(),
            role.as_str()
        ])
    })
    .map(drop)
    .map_err(db_error)
}

fn exists(conn: &Connection, sql: &str, id: &str) -> Result<bool> {
    count(conn, sql, id).map(|n| n > 0)
}

fn any_user(conn: &Connection) -> Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |row| row.get(0))
        .map_err(db_error)
}

/// A link of `kind` under `owner`, if it is there and not expired at `now`.
fn usable_link(
    conn: &Connection,
    owner: &str,
    id: &LinkId,
    kind: &str,
    now: Timestamp,
) -> Result<Link> {
    let link = select_link(conn, owner, id, kind)?.ok_or(AccountStoreError::LinkUnusable)?;
    if link.is_expired(now) {
        return Err(AccountStoreError::LinkUnusable);
    }
    Ok(link)
}

fn select_link(conn: &Connection, owner: &str, id: &LinkId, kind: &str) -> Result<Option<Link>> {
    conn.prepare_cached(&format!(
        "SELECT {LINK_COLUMNS} FROM links WHERE owner_id = ?1 AND id = ?2 AND kind = ?3"
    ))
    .and_then(|mut select| {
        select
            .query_row(params![owner, id.to_string(), kind], link_from_row)
            .optional()
    })
    .map_err(db_error)
}

fn delete_link(conn: &Connection, owner: &str, id: &LinkId, kind: &str) -> Result<bool> {
    conn.prepare_cached("DELETE FROM links WHERE owner_id = ?1 AND id = ?2 AND kind = ?3")
        .and_then(|mut delete| delete.execute(params![owner, id.to_string(), kind]))
        .map(|deleted| deleted > 0)
        .map_err(db_error)
}

#[async_trait::async_trait]
impl AccountStore for SqliteStore {
    async fn has_users(&self) -> Result<bool> {
        self.with_conn(|conn, _| any_user(conn)).await
    }

    async fn create_first_owner(&self, user: &User, collection: &Collection) -> Result<()> {
        let (user, collection) = (user.clone(), collection.clone());
        self.with_conn(move |conn, _| {
            let tx = begin(conn)?;
            if any_user(&tx)? {
                return Err(AccountStoreError::AlreadySetUp);
            }
            insert_user(&tx, &user)?;
            insert_collection(&tx, &collection)?;
            // The collection may exist without members (the one anonymous access names, made
            // by `shelf migrate` or `users add`): it takes the name the owner chose.
            tx.prepare_cached("UPDATE collections SET name = ?2 WHERE id = ?1")
                .and_then(|mut rename| {
                    rename.execute([
                        collection.id.to_string(),
                        collection.name.as_str().to_owned(),
                    ])
                })
                .map_err(db_error)?;
            upsert_membership(&tx, &collection.id, &user.id, Role::Owner)?;
            tx.commit().map_err(db_error)
        })
        .await
    }

    async fn create_user(&self, user: &User) -> Result<()> {
        let user = user.clone();
        self.with_conn(move |conn, _| insert_user(conn, &user))
            .await
    }

    async fn user(&self, id: &UserId) -> Result<Option<User>> {
        let id = *id;
        self.with_conn(move |conn, _| select_user(conn, &id)).await
    }

    async fn user_by_email(&self, email: &Email) -> Result<Option<User>> {
        let email = email.clone();
        self.with_conn(move |conn, _| {
            conn.prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE email = ?1"
            ))
            .and_then(|mut select| select.query_row([email.as_str()], user_from_row).optional())
            .map_err(db_error)
        })
        .await
    }

    async fn set_password(&self, id: &UserId, hash: &PasswordHash) -> Result<()> {
        let (id, hash) = (*id, hash.clone());
        self.with_conn(move |conn, _| {
            let updated = conn
                .prepare_cached("UPDATE users SET password = ?2 WHERE id = ?1")
                .and_then(|mut update| update.execute(params![id.to_string(), hash.as_phc()]))
                .map_err(db_error)?;
            if updated == 0 {
                return Err(AccountStoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    async fn account(&self, id: &UserId) -> Result<Option<Account>> {
        let id = *id;
        self.with_conn(move |conn, _| select_account(conn, &id))
            .await
    }

    async fn create_collection(&self, collection: &Collection, owner: &UserId) -> Result<()> {
        let (collection, owner) = (collection.clone(), *owner);
        self.with_conn(move |conn, _| {
            let tx = begin(conn)?;
            if select_user(&tx, &owner)?.is_none() {
                return Err(AccountStoreError::NotFound);
            }
            check_change(&tx, &collection.id, &owner, None, Some(Role::Owner))?;
            insert_collection(&tx, &collection)?;
            upsert_membership(&tx, &collection.id, &owner, Role::Owner)?;
            tx.commit().map_err(db_error)
        })
        .await
    }

    async fn ensure_collection(&self, collection: &Collection) -> Result<()> {
        let collection = collection.clone();
        self.with_conn(move |conn, _| insert_collection(conn, &collection).map(drop))
            .await
    }

    async fn collection(&self, id: &CollectionId) -> Result<Option<Collection>> {
        let id = *id;
        self.with_conn(move |conn, _| {
            conn.prepare_cached("SELECT id, name FROM collections WHERE id = ?1")
                .and_then(|mut select| {
                    select
                        .query_row([id.to_string()], |row| {
                            Ok(Collection {
                                id: parsed(row, 0, CollectionId::parse)?,
                                name: parsed(row, 1, CollectionName::parse)?,
                            })
                        })
                        .optional()
                })
                .map_err(db_error)
        })
        .await
    }

    async fn members(&self, id: &CollectionId) -> Result<Vec<Member>> {
        let id = *id;
        self.with_conn(move |conn, _| {
            conn.prepare_cached(
                "SELECT u.id, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.collection_id = ?1 ORDER BY u.email",
            )
            .and_then(|mut select| {
                select
                    .query_map([id.to_string()], |row| {
                        Ok(Member {
                            user: parsed(row, 0, UserId::parse)?,
                            email: parsed(row, 1, Email::parse)?,
                            role: parsed(row, 2, Role::parse)?,
                        })
                    })?
                    .collect()
            })
            .map_err(db_error)
        })
        .await
    }

    async fn set_role(&self, collection: &CollectionId, user: &UserId, role: Role) -> Result<()> {
        let (collection, user) = (*collection, *user);
        self.with_conn(move |conn, _| {
            let tx = begin(conn)?;
            let known = exists(
                &tx,
                "SELECT count(*) FROM collections WHERE id = ?1",
                &collection.to_string(),
            )? && select_user(&tx, &user)?.is_some();
            if !known {
                return Err(AccountStoreError::NotFound);
            }
            let current = role_of(&tx, &collection, &user)?;
            check_change(&tx, &collection, &user, current, Some(role))?;
            upsert_membership(&tx, &collection, &user, role)?;
            tx.commit().map_err(db_error)
        })
        .await
    }

    async fn remove_member(&self, collection: &CollectionId, user: &UserId) -> Result<()> {
        let (collection, user) = (*collection, *user);
        self.with_conn(move |conn, _| {
            let tx = begin(conn)?;
            let current = role_of(&tx, &collection, &user)?.ok_or(AccountStoreError::NotFound)?;
            check_change(&tx, &collection, &user, Some(current), None)?;
            tx.prepare_cached("DELETE FROM memberships WHERE collection_id = ?1 AND user_id = ?2")
                .and_then(|mut delete| delete.execute([collection.to_string(), user.to_string()]))
                .map_err(db_error)?;
            tx.commit().map_err(db_error)
        })
        .await
    }

    async fn create_credential(&self, credential: &Credential) -> Result<()> {
        let credential = credential.clone();
        self.with_conn(move |conn, _| {
            let (kind, device, name, collection, scope) = match &credential.kind {
                CredentialKind::Session { device } => {
                    ("session", Some(device.clone()), None, None, None)
                }
                CredentialKind::Token {
                    name,
                    collection,
                    scope,
                } => (
                    "token",
                    None,
                    Some(name.clone()),
                    Some(collection.to_string()),
                    Some(scope.as_str()),
                ),
            };
            let tx = begin(conn)?;
            // Expired credentials of the same user go now: SQLite has no TTL of its own.
            tx.prepare_cached("DELETE FROM credentials WHERE user_id = ?1 AND expires_at <= ?2")
                .and_then(|mut delete| {
                    delete.execute(params![
                        credential.user.to_string(),
                        credential.created_at.as_micros()
                    ])
                })
                .map_err(db_error)?;
            tx.prepare_cached(&format!(
                "INSERT INTO credentials ({CREDENTIAL_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ))
            .and_then(|mut insert| {
                insert.execute(params![
                    credential.id.to_string(),
                    credential.user.to_string(),
                    credential.digest.to_hex(),
                    kind,
                    device,
                    name,
                    collection,
                    scope,
                    credential.created_at.as_micros(),
                    credential.last_used_at.as_micros(),
                    credential.expires_at.map(Timestamp::as_micros),
                ])
            })
            .map_err(|error| match error.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => AccountStoreError::NotFound,
                _ => db_error(error),
            })?;
            tx.commit().map_err(db_error)
        })
        .await
    }

    async fn credential(
        &self,
        user: &UserId,
        id: &CredentialId,
    ) -> Result<Option<(Credential, Account)>> {
        let (user, id) = (*user, *id);
        self.with_conn(move |conn, _| {
            let credential = conn
                .prepare_cached(&format!(
                    "SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE user_id = ?1 AND id = ?2"
                ))
                .and_then(|mut select| {
                    select
                        .query_row([user.to_string(), id.to_string()], credential_from_row)
                        .optional()
                })
                .map_err(db_error)?;
            let Some(credential) = credential else {
                return Ok(None);
            };
            Ok(select_account(conn, &user)?.map(|account| (credential, account)))
        })
        .await
    }

    async fn credentials(&self, user: &UserId) -> Result<Vec<Credential>> {
        let user = *user;
        self.with_conn(move |conn, _| {
            conn.prepare_cached(&format!(
                "SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE user_id = ?1
                 ORDER BY created_at DESC, id"
            ))
            .and_then(|mut select| {
                select
                    .query_map([user.to_string()], credential_from_row)?
                    .collect()
            })
            .map_err(db_error)
        })
        .await
    }

    async fn touch_credential(
        &self,
        user: &UserId,
        id: &CredentialId,
        last_used_at: Timestamp,
        expires_at: Option<Timestamp>,
    ) -> Result<()> {
        let (user, id) = (*user, *id);
        self.with_conn(move |conn, _| {
            conn.prepare_cached(
                "UPDATE credentials SET last_used_at = ?3, expires_at = ?4
                 WHERE user_id = ?1 AND id = ?2",
            )
            .and_then(|mut update| {
                update.execute(params![
                    user.to_string(),
                    id.to_string(),
                    last_used_at.as_micros(),
                    expires_at.map(Timestamp::as_micros),
                ])
            })
            .map(drop)
            .map_err(db_error)
        })
        .await
    }

    async fn delete_credential(&self, user: &UserId, id: &CredentialId) -> Result<bool> {
        let (user, id) = (*user, *id);
        self.with_conn(move |conn, _| {
            conn.prepare_cached("DELETE FROM credentials WHERE user_id = ?1 AND id = ?2")
                .and_then(|mut delete| delete.execute([user.to_string(), id.to_string()]))
                .map(|deleted| deleted > 0)
                .map_err(db_error)
        })
        .await
    }

    async fn delete_sessions(&self, user: &UserId, keep: Option<&CredentialId>) -> Result<usize> {
        let (user, keep) = (*user, keep.map(ToString::to_string));
        self.with_conn(move |conn, _| {
            conn.prepare_cached(
                "DELETE FROM credentials WHERE user_id = ?1 AND kind = 'session'
                 AND (?2 IS NULL OR id <> ?2)",
            )
            .and_then(|mut delete| delete.execute(params![user.to_string(), keep]))
            .map_err(db_error)
        })
        .await
    }

    async fn create_link(&self, link: &Link) -> Result<()> {
        let link = link.clone();
        self.with_conn(move |conn, _| {
            let (kind, role) = match link.purpose {
                LinkPurpose::Invite { role, .. } => ("invite", Some(role.as_str())),
                LinkPurpose::SetPassword { .. } => ("set_password", None),
            };
            let tx = begin(conn)?;
            tx.prepare_cached("DELETE FROM links WHERE owner_id = ?1 AND expires_at <= ?2")
                .and_then(|mut delete| {
                    delete.execute(params![
                        link.owner().to_string(),
                        link.created_at.as_micros()
                    ])
                })
                .map_err(db_error)?;
            tx.prepare_cached(&format!(
                "INSERT INTO links ({LINK_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ))
            .and_then(|mut insert| {
                insert.execute(params![
                    link.owner().to_string(),
                    link.id.to_string(),
                    link.digest.to_hex(),
                    kind,
                    role,
                    link.created_by.map(|user| user.to_string()),
                    link.created_at.as_micros(),
                    link.expires_at.as_micros(),
                ])
            })
            .map_err(db_error)?;
            tx.commit().map_err(db_error)
        })
        .await
    }

    async fn invite(&self, collection: &CollectionId, id: &LinkId) -> Result<Option<Link>> {
        let (collection, id) = (*collection, *id);
        self.with_conn(move |conn, _| select_link(conn, &collection.to_string(), &id, "invite"))
            .await
    }

    async fn invites(&self, collection: &CollectionId) -> Result<Vec<Link>> {
        let collection = *collection;
        self.with_conn(move |conn, _| {
            conn.prepare_cached(&format!(
                "SELECT {LINK_COLUMNS} FROM links WHERE owner_id = ?1 AND kind = 'invite'
                 ORDER BY created_at DESC, id"
            ))
            .and_then(|mut select| {
                select
                    .query_map([collection.to_string()], link_from_row)?
                    .collect()
            })
            .map_err(db_error)
        })
        .await
    }

    async fn password_link(&self, user: &UserId, id: &LinkId) -> Result<Option<Link>> {
        let (user, id) = (*user, *id);
        self.with_conn(move |conn, _| select_link(conn, &user.to_string(), &id, "set_password"))
            .await
    }

    async fn redeem_invite(
        &self,
        collection: &CollectionId,
        id: &LinkId,
        user: &UserId,
        now: Timestamp,
    ) -> Result<Role> {
        let (collection, id, user) = (*collection, *id, *user);
        self.with_conn(move |conn, _| {
            let tx = begin(conn)?;
            let owner = collection.to_string();
            let link = usable_link(&tx, &owner, &id, "invite", now)?;
            let LinkPurpose::Invite { role: invited, .. } = link.purpose else {
                return Err(AccountStoreError::LinkUnusable);
            };
            if select_user(&tx, &user)?.is_none() {
                return Err(AccountStoreError::NotFound);
            }
            let current = role_of(&tx, &collection, &user)?;
            let role = current.map_or(invited, |current| current.max(invited));
            check_change(&tx, &collection, &user, current, Some(role))?;
            delete_link(&tx, &owner, &id, "invite")?;
            upsert_membership(&tx, &collection, &user, role)?;
            tx.commit().map_err(db_error)?;
            Ok(role)
        })
        .await
    }

    async fn revoke_invite(&self, collection: &CollectionId, id: &LinkId) -> Result<bool> {
        let (collection, id) = (*collection, *id);
        self.with_conn(move |conn, _| delete_link(conn, &collection.to_string(), &id, "invite"))
            .await
    }

    async fn redeem_password_link(
        &self,
        user: &UserId,
        id: &LinkId,
        hash: &PasswordHash,
        now: Timestamp,
    ) -> Result<()> {
        let (user, id, hash) = (*user, *id, hash.clone());
        self.with_conn(move |conn, _| {
            let tx = begin(conn)?;
            let owner = user.to_string();
            usable_link(&tx, &owner, &id, "set_password", now)?;
            delete_link(&tx, &owner, &id, "set_password")?;
            tx.prepare_cached("UPDATE users SET password = ?2 WHERE id = ?1")
                .and_then(|mut update| update.execute(params![owner, hash.as_phc()]))
                .map_err(db_error)?;
            tx.commit().map_err(db_error)
        })
        .await
    }

    async fn record_sign_in_failure(
        &self,
        email: &Email,
        now: Timestamp,
        window: Duration,
    ) -> Result<SignInFailures> {
        let email = email.clone();
        self.with_conn(move |conn, _| {
            conn.prepare_cached(
                "INSERT INTO sign_in_failures (email, count, window_ends) VALUES (?1, 1, ?3)
                 ON CONFLICT (email) DO UPDATE SET
                     count = CASE WHEN window_ends <= ?2 THEN 1 ELSE count + 1 END,
                     window_ends = CASE WHEN window_ends <= ?2 THEN ?3 ELSE window_ends END
                 RETURNING count, window_ends",
            )
            .and_then(|mut upsert| {
                upsert.query_row(
                    params![email.as_str(), now.as_micros(), after(now, window)],
                    failures_from_row,
                )
            })
            .map_err(db_error)
        })
        .await
    }

    async fn sign_in_failures(
        &self,
        email: &Email,
        now: Timestamp,
    ) -> Result<Option<SignInFailures>> {
        let email = email.clone();
        self.with_conn(move |conn, _| {
            conn.prepare_cached(
                "SELECT count, window_ends FROM sign_in_failures
                 WHERE email = ?1 AND window_ends > ?2",
            )
            .and_then(|mut select| {
                select
                    .query_row(params![email.as_str(), now.as_micros()], failures_from_row)
                    .optional()
            })
            .map_err(db_error)
        })
        .await
    }

    async fn clear_sign_in_failures(&self, email: &Email) -> Result<()> {
        let email = email.clone();
        self.with_conn(move |conn, _| {
            conn.prepare_cached("DELETE FROM sign_in_failures WHERE email = ?1")
                .and_then(|mut delete| delete.execute([email.as_str()]))
                .map(drop)
                .map_err(db_error)
        })
        .await
    }

    async fn ping(&self) -> Result<()> {
        self.with_conn(|conn, _| {
            conn.query_row("SELECT count(*) FROM users LIMIT 1", [], |_| Ok(()))
                .map_err(db_error)
        })
        .await
    }
}

fn failures_from_row(row: &Row<'_>) -> rusqlite::Result<SignInFailures> {
    let count: i64 = row.get(0)?;
    Ok(SignInFailures {
        count: u32::try_from(count).unwrap_or(u32::MAX),
        window_ends: timestamp(row, 1)?,
    })
}
