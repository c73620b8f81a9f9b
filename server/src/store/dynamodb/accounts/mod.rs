//! The AWS account store: one DynamoDB table (`pk`, `sk`, TTL on `ttl`) beside the items
//! table. [`keys`] shows where each record lives.
//!
//! A signed-in request costs one `BatchGetItem` (its credential and its user, whose `roles`
//! map says where they belong); everything that changes two records at once (a membership,
//! seen from both sides; a used invite and the membership it grants; the first account and
//! the "set up" marker) is one `TransactWriteItems` whose conditions carry the rules (the
//! last owner stays, at most [`domain::accounts::MAX_MEMBERSHIPS`], a link works once). A change that read
//! first and found the record changed when it wrote is read again, a few times at most.
//!
//! # Layout
//! - [`keys`]: the table's keys and attribute names.
//! - `codec`: records ⇄ attribute maps.
//! - `transaction`: transactions whose failed conditions say what they mean.
//! - `membership`: the writes of one membership change.

mod codec;
pub mod keys;
mod membership;
mod transaction;

use super::batch;
use super::errors::account_error;
use super::expression::Expression;
use super::record::{n, s, Attributes};
use aws_sdk_dynamodb::types::{DeleteRequest, ReturnValue, WriteRequest};
use aws_sdk_dynamodb::Client;
use domain::accounts::{
    Account, AccountStore, AccountStoreError, Collection, CollectionId, Credential, CredentialId,
    Email, Link, LinkId, LinkPurpose, Member, PasswordHash, Role, SignInFailures, User, UserId,
};
use domain::model::Timestamp;
use keys::Key;
use membership::Change;
use std::collections::HashMap;
use std::time::Duration;
use transaction::{Outcome, Why, Writes};

type Result<T> = std::result::Result<T, AccountStoreError>;

/// How often a change that lost a race is read and tried again before it gives up (503).
const ATTEMPTS: usize = 4;

pub struct DynamoAccounts {
    client: Client,
    table: String,
}

impl DynamoAccounts {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    fn writes(&self) -> Writes<'_> {
        Writes {
            table: &self.table,
            steps: Vec::new(),
        }
    }

    async fn get(&self, key: Key) -> Result<Option<Attributes>> {
        self.client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .consistent_read(true)
            .send()
            .await
            .map(|output| output.item)
            .map_err(account_error)
    }

    /// One record, decoded.
    async fn read<T>(
        &self,
        key: Key,
        decode: impl Fn(&Attributes) -> Result<T>,
    ) -> Result<Option<T>> {
        self.get(key).await?.as_ref().map(decode).transpose()
    }

    /// The records under `partition` whose sort key starts with `prefix`, decoded.
    async fn read_all<T>(
        &self,
        partition: String,
        prefix: &str,
        decode: impl Fn(&Attributes) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.query(partition, prefix)
            .await?
            .iter()
            .map(decode)
            .collect()
    }

    /// Several records in one `BatchGetItem`, in the order of `keys` (`None`: not there).
    async fn get_many(&self, keys: Vec<Key>) -> Result<Vec<Option<Attributes>>> {
        let found = batch::get_all(&self.client, &self.table, keys.clone(), ATTEMPTS).await?;
        let same = |record: &Attributes, key: &Key| {
            record.get(keys::PK) == key.get(keys::PK) && record.get(keys::SK) == key.get(keys::SK)
        };
        Ok(keys
            .iter()
            .map(|key| found.iter().find(|record| same(record, key)).cloned())
            .collect())
    }

    /// Every record under `partition` whose sort key starts with `prefix`.
    async fn query(&self, partition: String, prefix: &str) -> Result<Vec<Attributes>> {
        let mut records = Vec::new();
        let mut start = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expression_attribute_names("#pk", keys::PK)
                .expression_attribute_names("#sk", keys::SK)
                .expression_attribute_values(":pk", s(partition.as_str()))
                .expression_attribute_values(":prefix", s(prefix))
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(account_error)?;
            records.extend(output.items.unwrap_or_default());
            start = output.last_evaluated_key;
            if start.is_none() {
                return Ok(records);
            }
        }
    }

    /// Deletes one record; whether it was there.
    async fn delete(&self, key: Key) -> Result<bool> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map(|output| output.attributes.is_some())
            .map_err(account_error)
    }

    /// Reads what a membership change depends on (the user, the collection, the current
    /// membership and the records of `extra_keys`), lets `plan` add its own writes and say the
    /// new role, then writes it all in one transaction; again if it lost a race.
    async fn change_membership(
        &self,
        collection: &CollectionId,
        user: &UserId,
        extra_keys: Vec<Key>,
        plan: impl Fn(Option<Role>, &[Option<Attributes>], &mut Writes<'_>) -> Result<Option<Role>>,
    ) -> Result<Option<Role>> {
        for _ in 0..ATTEMPTS {
            let mut wanted = vec![
                keys::user(user),
                keys::collection(collection),
                keys::member(collection, user),
            ];
            wanted.extend(extra_keys.iter().cloned());
            let records = self.get_many(wanted).await?;
            let (Some(user_record), Some(collection_record)) = (&records[0], &records[1]) else {
                return Err(AccountStoreError::NotFound);
            };
            let current = records[2].as_ref().map(codec::role).transpose()?;
            let mut writes = self.writes();
            let new = plan(current, &records[3..], &mut writes)?;
            if new != current {
                let change = Change {
                    collection: codec::collection(collection_record)?,
                    user: codec::user(user_record)?,
                    current,
                    new,
                };
                membership::writes(&mut writes, &change)?;
            }
            if writes.steps.is_empty() {
                return Ok(new);
            }
            match transaction::run(&self.client, writes.steps).await? {
                Outcome::Done => return Ok(new),
                Outcome::Retry => continue,
            }
        }
        Err(Why::Changed.into())
    }

    /// Runs writes that read nothing first: a lost race can only be a conflicting
    /// transaction, so the same writes are tried again.
    async fn write_all(&self, build: impl Fn(&mut Writes<'_>) -> Result<()>) -> Result<()> {
        for _ in 0..ATTEMPTS {
            let mut writes = self.writes();
            build(&mut writes)?;
            if transaction::run(&self.client, writes.steps).await? == Outcome::Done {
                return Ok(());
            }
        }
        Err(Why::Changed.into())
    }
}

fn claim(user: &User) -> Attributes {
    let mut record: Attributes = keys::email(&user.email);
    record.insert(keys::USER.to_owned(), s(user.id.to_string()));
    record
}

fn not_there() -> &'static str {
    "attribute_not_exists(#pk)"
}

#[async_trait::async_trait]
impl AccountStore for DynamoAccounts {
    async fn has_users(&self) -> Result<bool> {
        Ok(self.get(keys::setup()).await?.is_some())
    }

    async fn create_first_owner(&self, user: &User, collection: &Collection) -> Result<()> {
        let mut writes = self.writes();
        let expression = Expression::new;
        writes.put(
            keys::setup(),
            Some(not_there()),
            expression(),
            Why::AlreadySetUp,
        )?;
        writes.put(
            claim(user),
            Some(not_there()),
            expression(),
            Why::EmailTaken,
        )?;
        let roles = HashMap::from([(
            collection.id.to_string(),
            codec::membership(collection, Role::Owner),
        )]);
        writes.put(
            codec::user_record(user, roles),
            Some(not_there()),
            expression(),
            Why::AlreadySetUp,
        )?;
        writes.put(
            codec::collection_record(collection, 1, 1),
            None,
            expression(),
            Why::AlreadySetUp,
        )?;
        writes.put(
            codec::member_record(&collection.id, user, Role::Owner),
            None,
            expression(),
            Why::AlreadySetUp,
        )?;
        match transaction::run(&self.client, writes.steps).await? {
            Outcome::Done => Ok(()),
            // Another first run is writing the same records at this very moment.
            Outcome::Retry => Err(AccountStoreError::AlreadySetUp),
        }
    }

    async fn create_user(&self, user: &User) -> Result<()> {
        self.write_all(|writes| {
            writes.put(
                claim(user),
                Some(not_there()),
                Expression::new(),
                Why::EmailTaken,
            )?;
            writes.put(
                codec::user_record(user, HashMap::new()),
                Some(not_there()),
                Expression::new(),
                Why::EmailTaken,
            )?;
            writes.put(keys::setup(), None, Expression::new(), Why::NotFound)
        })
        .await
    }

    async fn user(&self, id: &UserId) -> Result<Option<User>> {
        self.read(keys::user(id), codec::user).await
    }

    async fn user_by_email(&self, email: &Email) -> Result<Option<User>> {
        let Some(claim) = self.get(keys::email(email)).await? else {
            return Ok(None);
        };
        let id = UserId::parse(codec::text(&claim, keys::USER, "email claim")?)
            .map_err(|e| AccountStoreError::Internal(e.into()))?;
        self.user(&id).await
    }

    async fn set_password(&self, id: &UserId, hash: &PasswordHash) -> Result<()> {
        use aws_sdk_dynamodb::operation::update_item::UpdateItemError::ConditionalCheckFailedException as Failed;
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::user(id)))
            .update_expression("SET #password = :password")
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#pk", keys::PK)
            .expression_attribute_names("#password", keys::PASSWORD)
            .expression_attribute_values(":password", s(hash.as_phc()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(error) if matches!(error.as_service_error(), Some(Failed(_))) => {
                Err(AccountStoreError::NotFound)
            }
            Err(error) => Err(account_error(error)),
        }
    }

    async fn account(&self, id: &UserId) -> Result<Option<Account>> {
        self.read(keys::user(id), codec::account).await
    }

    async fn create_collection(&self, collection: &Collection, owner: &UserId) -> Result<()> {
        let user = self.user(owner).await?.ok_or(AccountStoreError::NotFound)?;
        self.write_all(|writes| {
            writes.put(
                codec::collection_record(collection, 1, 1),
                Some(not_there()),
                Expression::new(),
                Why::NotFound,
            )?;
            writes.put(
                codec::member_record(&collection.id, &user, Role::Owner),
                Some(not_there()),
                Expression::new(),
                Why::NotFound,
            )?;
            membership::add_to_user(writes, collection, &user.id, Role::Owner, true)
        })
        .await
    }

    async fn ensure_collection(&self, collection: &Collection) -> Result<()> {
        use aws_sdk_dynamodb::operation::put_item::PutItemError::ConditionalCheckFailedException as Failed;
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(codec::collection_record(collection, 0, 0)))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", keys::PK)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(error) if matches!(error.as_service_error(), Some(Failed(_))) => Ok(()),
            Err(error) => Err(account_error(error)),
        }
    }

    async fn collection(&self, id: &CollectionId) -> Result<Option<Collection>> {
        self.read(keys::collection(id), codec::collection).await
    }

    async fn members(&self, id: &CollectionId) -> Result<Vec<Member>> {
        let mut members = self
            .read_all(
                keys::collection_partition(id),
                keys::MEMBER_PREFIX,
                codec::member,
            )
            .await?;
        members.sort_by(|a, b| a.email.cmp(&b.email));
        Ok(members)
    }

    async fn set_role(&self, collection: &CollectionId, user: &UserId, role: Role) -> Result<()> {
        self.change_membership(collection, user, Vec::new(), |_, _, _| Ok(Some(role)))
            .await
            .map(drop)
    }

    async fn remove_member(&self, collection: &CollectionId, user: &UserId) -> Result<()> {
        self.change_membership(
            collection,
            user,
            Vec::new(),
            |current, _, _| match current {
                Some(_) => Ok(None),
                None => Err(AccountStoreError::NotFound),
            },
        )
        .await
        .map(drop)
    }

    async fn create_credential(&self, credential: &Credential) -> Result<()> {
        self.write_all(|writes| {
            writes.check(
                keys::user(&credential.user),
                "attribute_exists(#pk)",
                Why::NotFound,
            )?;
            writes.put(
                codec::credential_record(credential),
                None,
                Expression::new(),
                Why::NotFound,
            )
        })
        .await
    }

    async fn credential(
        &self,
        user: &UserId,
        id: &CredentialId,
    ) -> Result<Option<(Credential, Account)>> {
        let records = self
            .get_many(vec![keys::user(user), keys::credential(user, id)])
            .await?;
        match (&records[0], &records[1]) {
            (Some(user), Some(credential)) => Ok(Some((
                codec::credential(credential)?,
                codec::account(user)?,
            ))),
            _ => Ok(None),
        }
    }

    async fn credentials(&self, user: &UserId) -> Result<Vec<Credential>> {
        let mut credentials = self
            .read_all(
                keys::user_partition(user),
                keys::CREDENTIAL_PREFIX,
                codec::credential,
            )
            .await?;
        credentials.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        Ok(credentials)
    }

    async fn touch_credential(
        &self,
        user: &UserId,
        id: &CredentialId,
        last_used_at: Timestamp,
        expires_at: Option<Timestamp>,
    ) -> Result<()> {
        use aws_sdk_dynamodb::operation::update_item::UpdateItemError::ConditionalCheckFailedException as Failed;
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::credential(user, id)))
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#pk", keys::PK)
            .expression_attribute_names("#used", keys::LAST_USED_AT)
            .expression_attribute_names("#expires", keys::EXPIRES_AT)
            .expression_attribute_names("#ttl", keys::TTL)
            .expression_attribute_values(":used", codec::micros(last_used_at));
        request = match expires_at {
            Some(expires) => request
                .update_expression("SET #used = :used, #expires = :expires, #ttl = :ttl")
                .expression_attribute_values(":expires", codec::micros(expires))
                .expression_attribute_values(":ttl", codec::ttl(expires)),
            None => request.update_expression("SET #used = :used REMOVE #expires, #ttl"),
        };
        match request.send().await {
            Ok(_) => Ok(()),
            // Deleted meanwhile (signed out): it stays deleted.
            Err(error) if matches!(error.as_service_error(), Some(Failed(_))) => Ok(()),
            Err(error) => Err(account_error(error)),
        }
    }

    async fn delete_credential(&self, user: &UserId, id: &CredentialId) -> Result<bool> {
        self.delete(keys::credential(user, id)).await
    }

    async fn delete_sessions(&self, user: &UserId, keep: Option<&CredentialId>) -> Result<usize> {
        let doomed: Vec<Key> = self
            .credentials(user)
            .await?
            .into_iter()
            .filter(|credential| credential.is_session() && Some(&credential.id) != keep)
            .map(|credential| keys::credential(user, &credential.id))
            .collect();
        // BatchWriteItem takes 25 requests at a time and may hand some back to retry.
        for chunk in doomed.chunks(25) {
            let mut requests: Vec<WriteRequest> = chunk
                .iter()
                .map(|key| {
                    DeleteRequest::builder()
                        .set_key(Some(key.clone()))
                        .build()
                        .map(|delete| WriteRequest::builder().delete_request(delete).build())
                        .map_err(|e| AccountStoreError::Internal(Box::new(e)))
                })
                .collect::<Result<_>>()?;
            for _ in 0..ATTEMPTS {
                if requests.is_empty() {
                    break;
                }
                let output = self
                    .client
                    .batch_write_item()
                    .request_items(&self.table, requests)
                    .send()
                    .await
                    .map_err(account_error)?;
                requests = output
                    .unprocessed_items
                    .and_then(|mut left| left.remove(&self.table))
                    .unwrap_or_default();
            }
            if !requests.is_empty() {
                return Err(Why::Changed.into());
            }
        }
        Ok(doomed.len())
    }

    async fn create_link(&self, link: &Link) -> Result<()> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(codec::link_record(link)))
            .send()
            .await
            .map(drop)
            .map_err(account_error)
    }

    async fn invite(&self, collection: &CollectionId, id: &LinkId) -> Result<Option<Link>> {
        self.read(keys::invite(collection, id), codec::link).await
    }

    async fn invites(&self, collection: &CollectionId) -> Result<Vec<Link>> {
        let mut links = self
            .read_all(
                keys::collection_partition(collection),
                keys::INVITE_PREFIX,
                codec::link,
            )
            .await?;
        links.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        Ok(links)
    }

    async fn password_link(&self, user: &UserId, id: &LinkId) -> Result<Option<Link>> {
        self.read(keys::password_link(user, id), codec::link).await
    }

    async fn redeem_invite(
        &self,
        collection: &CollectionId,
        id: &LinkId,
        user: &UserId,
        now: Timestamp,
    ) -> Result<Role> {
        let invite_key = keys::invite(collection, id);
        let role = self
            .change_membership(
                collection,
                user,
                vec![invite_key.clone()],
                |current, extra, writes| {
                    let link = extra[0]
                        .as_ref()
                        .map(codec::link)
                        .transpose()?
                        .filter(|link| !link.is_expired(now))
                        .ok_or(AccountStoreError::LinkUnusable)?;
                    let LinkPurpose::Invite { role: invited, .. } = link.purpose else {
                        return Err(AccountStoreError::LinkUnusable);
                    };
                    writes.delete(
                        invite_key.clone(),
                        "attribute_exists(#pk) AND #expires > :now",
                        Expression::new()
                            .name("#expires", keys::EXPIRES_AT)
                            .value(":now", codec::micros(now)),
                        Why::LinkUnusable,
                    )?;
                    Ok(Some(
                        current.map_or(invited, |current| current.max(invited)),
                    ))
                },
            )
            .await?;
        role.ok_or(AccountStoreError::LinkUnusable)
    }

    async fn revoke_invite(&self, collection: &CollectionId, id: &LinkId) -> Result<bool> {
        self.delete(keys::invite(collection, id)).await
    }

    async fn redeem_password_link(
        &self,
        user: &UserId,
        id: &LinkId,
        hash: &PasswordHash,
        now: Timestamp,
    ) -> Result<()> {
        self.write_all(|writes| {
            writes.delete(
                keys::password_link(user, id),
                "attribute_exists(#pk) AND #expires > :now",
                Expression::new()
                    .name("#expires", keys::EXPIRES_AT)
                    .value(":now", codec::micros(now)),
                Why::LinkUnusable,
            )?;
            writes.update(
                keys::user(user),
                "SET #password = :password",
                "attribute_exists(#pk)",
                Expression::new()
                    .name("#password", keys::PASSWORD)
                    .value(":password", s(hash.as_phc())),
                Why::NotFound,
            )
        })
        .await
    }

    async fn record_sign_in_failure(
        &self,
        email: &Email,
        now: Timestamp,
        window: Duration,
    ) -> Result<SignInFailures> {
        use aws_sdk_dynamodb::operation::put_item::PutItemError::ConditionalCheckFailedException as PutFailed;
        use aws_sdk_dynamodb::operation::update_item::UpdateItemError::ConditionalCheckFailedException as UpdateFailed;
        let micros = i64::try_from(window.as_micros()).unwrap_or(i64::MAX);
        let window_ends =
            Timestamp::from_micros(now.as_micros().saturating_add(micros)).unwrap_or(now);
        for _ in 0..ATTEMPTS {
            // Within the current window: one more.
            let counted = self
                .client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(keys::sign_in_failures(email)))
                .update_expression("ADD #count :one")
                .condition_expression("#ends > :now")
                .expression_attribute_names("#count", keys::COUNT)
                .expression_attribute_names("#ends", keys::WINDOW_ENDS)
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":now", codec::micros(now))
                .return_values(ReturnValue::AllNew)
                .send()
                .await;
            match counted {
                Ok(output) => return codec::failures(&output.attributes.unwrap_or_default()),
                Err(error) if matches!(error.as_service_error(), Some(UpdateFailed(_))) => {}
                Err(error) => return Err(account_error(error)),
            }
            // No window, or it ended: the first failure of a new one.
            let mut record: Attributes = keys::sign_in_failures(email);
            record.insert(keys::COUNT.to_owned(), n(1));
            record.insert(keys::WINDOW_ENDS.to_owned(), codec::micros(window_ends));
            record.insert(keys::TTL.to_owned(), codec::ttl(window_ends));
            let started = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(record))
                .condition_expression("attribute_not_exists(#pk) OR #ends <= :now")
                .expression_attribute_names("#pk", keys::PK)
                .expression_attribute_names("#ends", keys::WINDOW_ENDS)
                .expression_attribute_values(":now", codec::micros(now))
                .send()
                .await;
            match started {
                Ok(_) => {
                    return Ok(SignInFailures {
                        count: 1,
                        window_ends,
                    })
                }
                // Another instance started the new window first: count in it.
                Err(error) if matches!(error.as_service_error(), Some(PutFailed(_))) => {}
                Err(error) => return Err(account_error(error)),
            }
        }
        Err(Why::Changed.into())
    }

    async fn sign_in_failures(
        &self,
        email: &Email,
        now: Timestamp,
    ) -> Result<Option<SignInFailures>> {
        let Some(record) = self.get(keys::sign_in_failures(email)).await? else {
            return Ok(None);
        };
        let failures = codec::failures(&record)?;
        Ok((failures.window_ends > now).then_some(failures))
    }

    async fn clear_sign_in_failures(&self, email: &Email) -> Result<()> {
        self.delete(keys::sign_in_failures(email)).await.map(drop)
    }

    async fn ping(&self) -> Result<()> {
        self.get(keys::setup()).await.map(drop)
    }
}
