//! Each collection's revision on DynamoDB: a record of its own in the items table, keyed
//! `revision#{collection}` (no item id has a `#`), outside every index, holding a random
//! number that each write to the collection's items or locations replaces. The list and item
//! pages make their `ETag` from it (one strongly consistent `GetItem`), so a revalidation
//! costs that read instead of a render.
//!
//! A location write carries the new revision in its own transaction. An item write cannot:
//! it is one conditional `UpdateItem`/`PutItem`/`DeleteItem` whose returned item the caller
//! needs, which a transaction does not return. So the revision follows the write, as a second
//! call. In that order a page read between the two only gets a needless render later. Should
//! the second call fail (after the SDK's retries) or the process die between them, pages
//! browsers already hold may be answered 304 until the collection's next write or the next
//! window of signed photo URLs (an hour); that is logged and counted
//! (`shelf_revision_failures_total`), and the write itself stands.

use super::errors::store_error;
use super::record;
use super::DynamoStore;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use aws_sdk_dynamodb::Client;
use domain::accounts::CollectionId;
use domain::item_store::StoreError;

const REVISION: &str = "revision";

fn key(collection: &CollectionId) -> String {
    format!("revision#{collection}")
}

/// A new revision: random, so that nothing can count up again to a value a browser holds.
fn fresh() -> aws_sdk_dynamodb::types::AttributeValue {
    record::n(uuid::Uuid::new_v4().as_u64_pair().0)
}

impl DynamoStore {
    /// The collection's revision; 0 for one never written to since revisions were kept.
    pub(super) async fn read_revision(&self, collection: &CollectionId) -> Result<u64, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(record::ID, record::s(key(collection)))
            .consistent_read(true)
            .projection_expression("#revision")
            .expression_attribute_names("#revision", REVISION)
            .send()
            .await
            .map_err(store_error)?;
        Ok(output
            .item()
            .and_then(|item| item.get(REVISION))
            .and_then(|value| value.as_n().ok())
            .and_then(|value| value.parse().ok())
            .unwrap_or(0))
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
            .update_expression("SET #revision = :revision")
            .expression_attribute_names("#revision", REVISION)
            .expression_attribute_values(":revision", fresh())
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
        .update_expression("SET #revision = :revision")
        .expression_attribute_names("#revision", REVISION)
        .expression_attribute_values(":revision", fresh())
        .send()
        .await
        .map(drop)
        .map_err(store_error)
}
