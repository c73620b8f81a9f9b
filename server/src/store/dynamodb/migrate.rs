//! `shelf migrate`: gives items written by the old service what Shelf's format adds (their
//! collection, list index keys, `version`, `updated_at`, an empty photo map), so they show up
//! in that collection's lists. Items of Shelf before accounts (no collection, in the one list
//! partition `items`) are moved into the collection too.
//!
//! Safe to run while either service serves traffic, and as often as wanted:
//! - it finds old items with a `Scan` filtered on the missing attributes (an administrative
//!   pass; the app itself never scans), so a second run finds nothing left to do;
//! - each item is one `UpdateItem` that only *adds* attributes (`if_not_exists`), conditional
//!   on the item still existing with the `created_at` that was read, so it never undoes a
//!   concurrent edit or resurrects a deleted item, and it does not bump `version` (clients'
//!   ETags stay valid);
//! - progress is printed after every page with the id to resume after, should it be stopped.

use super::record::{self, Attributes};
use anyhow::Context;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use domain::accounts::CollectionId;
use std::collections::HashMap;

/// What a migration pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MigrationReport {
    /// Items the scan returned as lacking something (the filter ran server-side).
    pub examined: u64,
    pub migrated: u64,
    /// Deleted or changed between the scan and the write: left alone (a rerun looks again).
    pub skipped: u64,
    /// Items whose `id` or `created_at` Shelf cannot read: left alone, named in the output.
    pub unreadable: Vec<String>,
}

/// Migrates every old item of `table`, reading `page_size` items per `Scan` page, starting
/// after the item id `resume_after` if given; `progress` hears about each page and the id to
/// resume after.
pub async fn run(
    client: &Client,
    table: &str,
    collection: &CollectionId,
    resume_after: Option<&str>,
    page_size: u16,
    mut progress: impl FnMut(&MigrationReport, Option<&str>),
) -> anyhow::Result<MigrationReport> {
    let mut report = MigrationReport::default();
    let mut start: Option<Attributes> =
        resume_after.map(|id| HashMap::from([(record::ID.to_owned(), record::s(id))]));
    loop {
        let page = client
            .scan()
            .table_name(table)
            .limit(i32::from(page_size.max(1)))
            .consistent_read(true)
            .set_exclusive_start_key(start.take())
            // Records that are not items (locations, revisions) have a `#` in their key.
            .filter_expression(
                "(attribute_not_exists(#sk) OR attribute_not_exists(#version) \
                 OR attribute_not_exists(#photos) OR attribute_not_exists(#updated_at) \
                 OR attribute_not_exists(#collection)) AND NOT contains(#id, :hash)",
            )
            .expression_attribute_values(":hash", record::s("#"))
            .projection_expression("#id, #created_at")
            .expression_attribute_names("#id", record::ID)
            .expression_attribute_names("#created_at", record::CREATED_AT)
            .expression_attribute_names("#sk", record::LIST_SORT)
            .expression_attribute_names("#version", record::VERSION)
            .expression_attribute_names("#photos", record::PHOTOS)
            .expression_attribute_names("#updated_at", record::UPDATED_AT)
            .expression_attribute_names("#collection", record::COLLECTION)
            .send()
            .await
            .context("scan failed")?;
        let migrated_before = report.migrated;
        for item in page.items() {
            report.examined += 1;
            match migrate_one(client, table, collection, item).await? {
                Outcome::Migrated => report.migrated += 1,
                Outcome::Skipped => report.skipped += 1,
                Outcome::Unreadable(id) => report.unreadable.push(id),
            }
        }
        // The collection's pages now show the items it took in: before the progress line
        // that would let a stopped run resume after them.
        if report.migrated > migrated_before {
            super::revision::replace(client, table, collection)
                .await
                .context("the collection's revision")?;
        }
        let resume = page
            .last_evaluated_key()
            .and_then(|key| key.get(record::ID))
            .and_then(|id| id.as_s().ok())
            .map(String::as_str);
        progress(&report, resume);
        match page.last_evaluated_key() {
            Some(key) => start = Some(key.clone()),
            None => return Ok(report),
        }
    }
}

enum Outcome {
    Migrated,
    Skipped,
    Unreadable(String),
}

async fn migrate_one(
    client: &Client,
    table: &str,
    collection: &CollectionId,
    item: &Attributes,
) -> anyhow::Result<Outcome> {
    let raw_id = item
        .get(record::ID)
        .and_then(|v| v.as_s().ok())
        .cloned()
        .unwrap_or_default();
    let raw_created = item.get(record::CREATED_AT).and_then(|v| v.as_s().ok());
    let parsed = (
        domain::model::ItemId::parse(&raw_id),
        raw_created.and_then(|raw| record::parse_time(raw)),
    );
    let (Ok(id), Some(created_at), Some(raw_created)) = (parsed.0, parsed.1, raw_created) else {
        return Ok(Outcome::Unreadable(raw_id));
    };
    // The key as the old service stored it: a canonical id may be spelled differently.
    let key = record::s(raw_id.clone());
    let result = client
        .update_item()
        .table_name(table)
        .key(record::ID, key)
        .update_expression(
            "SET #pk = :pk, #sk = :sk, #version = if_not_exists(#version, :one), \
             #photos = if_not_exists(#photos, :no_photos), \
             #updated_at = if_not_exists(#updated_at, :created_rfc3339), \
             #collection = :collection",
        )
        .condition_expression(
            "attribute_exists(#id) AND #created_at = :created_at \
             AND (attribute_not_exists(#collection) OR #collection = :collection)",
        )
        .expression_attribute_names("#id", record::ID)
        .expression_attribute_names("#created_at", record::CREATED_AT)
        .expression_attribute_names("#pk", record::LIST_PARTITION)
        .expression_attribute_names("#sk", record::LIST_SORT)
        .expression_attribute_names("#version", record::VERSION)
        .expression_attribute_names("#photos", record::PHOTOS)
        .expression_attribute_names("#updated_at", record::UPDATED_AT)
        .expression_attribute_names("#collection", record::COLLECTION)
        .expression_attribute_values(":collection", record::s(collection.to_string()))
        .expression_attribute_values(":pk", record::s(record::list_partition(collection)))
        .expression_attribute_values(":sk", record::s(record::list_sort_key(created_at, &id)))
        .expression_attribute_values(":one", record::n(1))
        .expression_attribute_values(":no_photos", AttributeValue::M(HashMap::new()))
        .expression_attribute_values(":created_rfc3339", record::s(created_at.to_rfc3339()))
        .expression_attribute_values(":created_at", record::s(raw_created))
        .send()
        .await;
    match result {
        Ok(_) => Ok(Outcome::Migrated),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
        {
            Ok(Outcome::Skipped)
        }
        Err(error) => Err(error).with_context(|| format!("cannot migrate item {raw_id}")),
    }
}
