//! The items table as Shelf expects it: `shelf create-table` makes it for local use (moto,
//! DynamoDB Local); in AWS, Terraform owns it and must match these definitions.

use super::record;
use crate::store::aws::Provisioned;
use anyhow::Context;
use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType,
};
use aws_sdk_dynamodb::Client;

/// Creates the table keyed by `id` with the list index (all attributes projected, so a list
/// page is one `Query`), on-demand billing; an existing table is left as it is.
pub async fn create(client: &Client, table: &str) -> anyhow::Result<Provisioned> {
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
    };
    let string_attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
    };
    let index = GlobalSecondaryIndex::builder()
        .index_name(record::LIST_INDEX)
        .key_schema(key(record::LIST_PARTITION, KeyType::Hash)?)
        .key_schema(key(record::LIST_SORT, KeyType::Range)?)
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()?;
    let result = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(record::ID, KeyType::Hash)?)
        .attribute_definitions(string_attribute(record::ID)?)
        .attribute_definitions(string_attribute(record::LIST_PARTITION)?)
        .attribute_definitions(string_attribute(record::LIST_SORT)?)
        .global_secondary_indexes(index)
        .send()
        .await;
    match result {
        Ok(_) => {
            client
                .wait_until_table_exists()
                .table_name(table)
                .wait(std::time::Duration::from_secs(120))
                .await
                .with_context(|| format!("table {table} did not become active"))?;
            Ok(Provisioned::Created)
        }
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_in_use_exception()) =>
        {
            Ok(Provisioned::AlreadyExisted)
        }
        Err(error) => Err(error).with_context(|| format!("cannot create table {table}")),
    }
}
