//! The items table as Shelf expects it: `shelf create-table` makes it for local use (moto,
//! DynamoDB Local); in AWS, Terraform owns it and must match these definitions.

use super::accounts::keys as accounts;
use super::record;
use crate::store::aws::Provisioned;
use anyhow::Context;
use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::error::{BuildError, SdkError};
use aws_sdk_dynamodb::operation::create_table::{CreateTableError, CreateTableOutput};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_dynamodb::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

/// Creates the table keyed by `id` with the list index (all attributes projected, so a list
/// page is one `Query`) and the search index (names and descriptions only), on-demand
/// billing; an existing table is left as it is.
pub async fn create(client: &Client, table: &str) -> anyhow::Result<Provisioned> {
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
    let search = GlobalSecondaryIndex::builder()
        .index_name(record::SEARCH_INDEX)
        .key_schema(key(record::LIST_PARTITION, KeyType::Hash)?)
        .key_schema(key(record::LIST_SORT, KeyType::Range)?)
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::Include)
                .set_non_key_attributes(Some(record::SEARCH_PROJECTED.map(str::to_owned).to_vec()))
                .build(),
        )
        .build()?;
    let request = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(record::ID, KeyType::Hash)?)
        .attribute_definitions(string_attribute(record::ID)?)
        .attribute_definitions(string_attribute(record::LIST_PARTITION)?)
        .attribute_definitions(string_attribute(record::LIST_SORT)?)
        .global_secondary_indexes(index)
        .global_secondary_indexes(search);
    created(client, table, request.send().await).await
}

/// Creates the accounts table (`pk` + `sk`, on-demand, no index) with DynamoDB's TTL on `ttl`,
/// which drops expired sessions, links and sign-in counts; an existing table is left as it is.
pub async fn create_accounts(client: &Client, table: &str) -> anyhow::Result<Provisioned> {
    let request = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(accounts::PK, KeyType::Hash)?)
        .key_schema(key(accounts::SK, KeyType::Range)?)
        .attribute_definitions(string_attribute(accounts::PK)?)
        .attribute_definitions(string_attribute(accounts::SK)?);
    let provisioned = created(client, table, request.send().await).await?;
    if provisioned == Provisioned::Created {
        client
            .update_time_to_live()
            .table_name(table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(accounts::TTL)
                    .enabled(true)
                    .build()?,
            )
            .send()
            .await
            .with_context(|| format!("cannot turn on TTL for table {table}"))?;
    }
    Ok(provisioned)
}

fn key(name: &str, kind: KeyType) -> Result<KeySchemaElement, BuildError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
}

fn string_attribute(name: &str) -> Result<AttributeDefinition, BuildError> {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
}

/// Waits for a new table to become active; a table that already existed is fine.
async fn created(
    client: &Client,
    table: &str,
    result: Result<CreateTableOutput, SdkError<CreateTableError, HttpResponse>>,
) -> anyhow::Result<Provisioned> {
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
