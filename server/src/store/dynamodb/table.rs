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
    AttributeDefinition, BillingMode, CreateGlobalSecondaryIndexAction,
    DeleteGlobalSecondaryIndexAction, GlobalSecondaryIndex, GlobalSecondaryIndexDescription,
    GlobalSecondaryIndexUpdate, IndexStatus, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_dynamodb::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

/// Creates the table keyed by `id` with the list index (all attributes projected, so a list
/// page is one `Query`) and the search index (names, descriptions and tags only), on-demand
/// billing. An existing table gets whichever of its indexes it lacks, and an index whose
/// projection is not the one expected (the search index of a version before tags) is
/// replaced; what was done is returned.
pub async fn create(client: &Client, table: &str) -> anyhow::Result<Provisioned> {
    let indexes = indexes()?;
    let mut request = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(record::ID, KeyType::Hash)?)
        .set_attribute_definitions(Some(index_attributes()?));
    for index in &indexes {
        request = request.global_secondary_indexes(index.clone());
    }
    let provisioned = created(client, table, request.send().await).await?;
    if provisioned == Provisioned::AlreadyExisted {
        for index in indexes {
            reconcile(client, table, index).await?;
        }
    }
    Ok(provisioned)
}

/// The table's indexes as Shelf reads them.
fn indexes() -> Result<Vec<GlobalSecondaryIndex>, BuildError> {
    let list = GlobalSecondaryIndex::builder()
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
    Ok(vec![list, search])
}

/// The attributes the table's keys and its indexes' keys are made of.
fn index_attributes() -> Result<Vec<AttributeDefinition>, BuildError> {
    [record::ID, record::LIST_PARTITION, record::LIST_SORT]
        .into_iter()
        .map(string_attribute)
        .collect()
}

/// Gives an existing table the index `wanted`: created if missing, replaced (deleted, then
/// created) if its projection differs. DynamoDB changes one index per `UpdateTable` and
/// builds it from the items already there (backfilling), which this waits for.
async fn reconcile(
    client: &Client,
    table: &str,
    wanted: GlobalSecondaryIndex,
) -> anyhow::Result<()> {
    let name = wanted.index_name().to_owned();
    if let Some(existing) = described_index(client, table, &name).await? {
        if same_projection(existing.projection(), wanted.projection()) {
            return Ok(());
        }
        println!("index {name} of table {table}: replacing it (its projection changed)");
        client
            .update_table()
            .table_name(table)
            .global_secondary_index_updates(
                GlobalSecondaryIndexUpdate::builder()
                    .delete(
                        DeleteGlobalSecondaryIndexAction::builder()
                            .index_name(&name)
                            .build()?,
                    )
                    .build(),
            )
            .send()
            .await
            .with_context(|| format!("cannot delete index {name} of table {table}"))?;
        wait_for_index(client, table, &name, IndexWanted::Gone).await?;
    }
    println!("index {name} of table {table}: creating it");
    let create = CreateGlobalSecondaryIndexAction::builder()
        .index_name(&name)
        .set_key_schema(Some(wanted.key_schema().to_vec()))
        .set_projection(wanted.projection().cloned())
        .build()?;
    client
        .update_table()
        .table_name(table)
        .set_attribute_definitions(Some(index_attributes()?))
        .global_secondary_index_updates(
            GlobalSecondaryIndexUpdate::builder().create(create).build(),
        )
        .send()
        .await
        .with_context(|| format!("cannot create index {name} of table {table}"))?;
    wait_for_index(client, table, &name, IndexWanted::Active).await
}

/// The table's index `name` as DynamoDB describes it now, if it has one.
async fn described_index(
    client: &Client,
    table: &str,
    name: &str,
) -> anyhow::Result<Option<GlobalSecondaryIndexDescription>> {
    let described = client
        .describe_table()
        .table_name(table)
        .send()
        .await
        .with_context(|| format!("cannot describe table {table}"))?;
    Ok(described
        .table()
        .map(|t| t.global_secondary_indexes())
        .unwrap_or_default()
        .iter()
        .find(|index| index.index_name() == Some(name))
        .cloned())
}

/// Whether two projections hold the same attributes (in any order).
fn same_projection(a: Option<&Projection>, b: Option<&Projection>) -> bool {
    let attributes = |p: Option<&Projection>| {
        let mut names: Vec<String> = p
            .map(|p| p.non_key_attributes().to_vec())
            .unwrap_or_default();
        names.sort();
        (p.and_then(|p| p.projection_type().cloned()), names)
    };
    attributes(a) == attributes(b)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum IndexWanted {
    Active,
    Gone,
}

/// How long an index may take to be built or dropped; a large table's backfill takes longer,
/// and is then left to finish on its own (Shelf's search waits for the index to be active).
const INDEX_WAIT: std::time::Duration = std::time::Duration::from_secs(600);

/// Polls the table until the index `name` is active (or gone).
async fn wait_for_index(
    client: &Client,
    table: &str,
    name: &str,
    wanted: IndexWanted,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    loop {
        let done = match (wanted, described_index(client, table, name).await?) {
            (IndexWanted::Gone, None) => true,
            (IndexWanted::Active, Some(index)) => {
                index.index_status() == Some(&IndexStatus::Active)
            }
            _ => false,
        };
        if done {
            return Ok(());
        }
        if started.elapsed() > INDEX_WAIT {
            anyhow::bail!("index {name} of table {table} is still changing; run this again later");
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
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
