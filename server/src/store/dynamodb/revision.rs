//! Each collection's revision on DynamoDB: a record of its own in the items table, keyed
//! `revision#{collection}` (no item id has a `#`), outside every index, holding a random
//! number that each write to the collection's items or locations replaces, and when. The list
//! and item pages make their `ETag` from it (one strongly consistent `GetItem`), so a
//! revalidation costs that read instead of a render.
//!
//! A location write carries the new revision in its own transaction. An item write cannot:
//! it is one conditional `UpdateItem`/`PutItem`/`DeleteItem` whose returned item the caller
//! needs, which a transaction does not return. So the revision follows the write, as a second
//! call. In that order a page read between the two only gets a needless render later. Should
//! the second call fail (after the SDK's retries) or the process die between them, pages
//! browsers already hold may be answered 304 until the collection's next write or the next
//! window of signed photo URLs (an hour); that is logged and counted
//! (`shelf_revision_failures_total`), and the write itself stands.
//!
//! Pages read indexes, which DynamoDB keeps eventually consistent, and each instance keeps a
//! collection's tag counts for a while: right after a write a page may still show the
//! collection as it was. A tag made then would pin that page until the next write, so for
//! [`SETTLING`] after a revision no page gets one (they are rendered, as before revisions),
//! and an instance that sees a revision it had not seen drops its tag counts.

use super::errors::store_error;
use super::record;
use super::DynamoStore;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use aws_sdk_dynamodb::Client;
use domain::accounts::CollectionId;
use domain::item_store::StoreError;
use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const REVISION: &str = "revision";
/// When the revision was replaced: milliseconds since the Unix epoch, this instance's clock.
const CHANGED_AT: &str = "changed_at";
/// How long after a change pages get no tag: far longer than DynamoDB takes to bring an index
/// up to date (well under a second in normal operation), and clocks apart between instances.
pub(super) const SETTLING: Duration = Duration::from_secs(10);

fn key(collection: &CollectionId) -> String {
    format!("revision#{collection}")
}

/// A new revision: random, so that nothing can count up again to a value a browser holds.
fn fresh() -> AttributeValue {
    record::n(uuid::Uuid::new_v4().as_u64_pair().0)
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        })
}

/// The update that replaces a revision, with its names and values.
const REPLACE: &str = "SET #revision = :revision, #changed_at = :changed_at";

fn replacement_values() -> HashMap<String, AttributeValue> {
    HashMap::from([
        (":revision".to_owned(), fresh()),
        (":changed_at".to_owned(), record::n(now_millis())),
    ])
}

fn replacement_names() -> HashMap<String, String> {
    HashMap::from([
        ("#revision".to_owned(), REVISION.to_owned()),
        ("#changed_at".to_owned(), CHANGED_AT.to_owned()),
    ])
}

impl DynamoStore {
    /// The collection's revision for a page's tag: `None` while it is settling. 0 for a
    /// collection never written to since revisions were kept.
    pub(super) async fn settled_revision(
        &self,
        collection: &CollectionId,
    ) -> Result<Option<u64>, StoreError> {
        let record = self.read_record(key(collection)).await?;
        let number = |name: &str| {
            record
                .as_ref()
                .and_then(|record| record.get(name))
                .and_then(record::number)
                .unwrap_or(0)
        };
        let (revision, changed_at) = (number(REVISION), number(CHANGED_AT));
        if self.seen_revisions.get(collection) != Some(revision) {
            self.tag_counts.invalidate(collection);
            self.seen_revisions.insert(*collection, revision);
        }
        let age = Duration::from_millis(now_millis().saturating_sub(changed_at));
        let settled = age >= self.revision_settling;
        Ok(settled.then_some(revision))
    }

    /// After a write to the collection's items: a new revision (see the module's doc for
    /// why after, and what a failure here means).
    pub(super) async fn new_revision(&self, collection: &CollectionId) {
        if let Err(error) = replace(&self.client, &self.table, collection).await {
            metrics::counter!("shelf_revision_failures_total").increment(1);
            tracing::error!(
                error = %error,
                %collection,
                "the collection's revision was not changed after a write: its pages may be \
                 answered 304 with what they showed before until its next write"
            );
        }
    }

    /// The same, as one more write of a transaction.
    pub(super) fn new_revision_in_transaction(
        &self,
        collection: &CollectionId,
    ) -> Result<TransactWriteItem, StoreError> {
        let update = Update::builder()
            .table_name(&self.table)
            .key(record::ID, record::s(key(collection)))
            .update_expression(REPLACE)
            .set_expression_attribute_names(Some(replacement_names()))
            .set_expression_attribute_values(Some(replacement_values()))
            .build()
            .map_err(|e| StoreError::Internal(Box::new(e)))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }
}

/// Gives `collection` a new revision: after its items changed other than through the store
/// (`shelf migrate`), and for [`DynamoStore::new_revision`].
pub(super) async fn replace(
    client: &Client,
    table: &str,
    collection: &CollectionId,
) -> Result<(), StoreError> {
    client
        .update_item()
        .table_name(table)
        .key(record::ID, record::s(key(collection)))
        .update_expression(REPLACE)
        .set_expression_attribute_names(Some(replacement_names()))
        .set_expression_attribute_values(Some(replacement_values()))
        .send()
        .await
        .map(drop)
        .map_err(store_error)
}
