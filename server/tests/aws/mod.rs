//! The AWS backend on local servers: DynamoDB on `moto_server`, S3 on `s3s-fs` (which, unlike
//! moto, really checks pre-signed signatures, sizes, types and expiry). The test command
//! (`server/tests/with-aws-servers.sh`, run by `make unit-test`) starts both on 127.0.0.1 and
//! passes their URLs in `SHELF_TEST_MOTO_URL` and `SHELF_TEST_S3_URL`. Every test gets its
//! own table and bucket, so tests run in parallel and see only their own data.

#![allow(dead_code)] // each test binary uses a different part of this module

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use domain::photo_store::PhotoUrls;
use server::store::aws::AwsCalls;
use server::store::dynamodb::accounts::DynamoAccounts;
use server::store::dynamodb::DynamoStore;
use server::store::s3::get_urls::{GetUrls, Presigner};
use server::store::s3::S3PhotoStore;
use std::sync::Arc;

/// The keys s3s-fs is started with (moto takes any).
pub const ACCESS_KEY: &str = "shelf-test";
pub const SECRET_KEY: &str = "shelf-test-secret-key";
pub const REGION: &str = "us-east-1";

fn endpoint(variable: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| {
        panic!(
            "{variable} is not set: run the AWS tests through `make unit-test` or \
             `bash server/tests/with-aws-servers.sh cargo test ...`, which start moto_server \
             and s3s-fs on 127.0.0.1"
        )
    })
}

pub fn dynamodb_url() -> String {
    endpoint("SHELF_TEST_MOTO_URL")
}

pub fn s3_url() -> String {
    endpoint("SHELF_TEST_S3_URL")
}

fn credentials() -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(Credentials::new(
        ACCESS_KEY, SECRET_KEY, None, None, "tests",
    ))
}

pub fn sdk_config(endpoint: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(credentials())
        .endpoint_url(endpoint)
        .retry_config(server::store::aws::retry_config())
        .timeout_config(server::store::aws::timeout_config())
        .build()
}

/// A name no other test uses, valid for tables and buckets.
pub fn unique_name(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

/// A fresh table on moto, and the store over it with its call counter.
pub async fn item_store(urls: Arc<dyn PhotoUrls>) -> (Arc<DynamoStore>, Arc<AwsCalls>, String) {
    item_store_with(urls, |store| store).await
}

/// The same, `configure`d.
pub async fn item_store_with(
    urls: Arc<dyn PhotoUrls>,
    configure: impl FnOnce(DynamoStore) -> DynamoStore,
) -> (Arc<DynamoStore>, Arc<AwsCalls>, String) {
    let calls = Arc::new(AwsCalls::default());
    let client = server::store::aws::dynamodb_client(&sdk_config(&dynamodb_url()), &calls);
    let table = unique_name("items");
    server::store::dynamodb::table::create(&client, &table)
        .await
        .expect("table created on moto");
    (
        Arc::new(configure(DynamoStore::new(client, table.clone(), urls))),
        calls,
        table,
    )
}

/// A fresh bucket on s3s-fs, photo URLs pre-signed.
pub async fn photo_store() -> Arc<S3PhotoStore> {
    let endpoint = &s3_url();
    let calls = Arc::new(AwsCalls::default());
    let client = server::store::aws::s3_client(&sdk_config(endpoint), Some(endpoint), &calls);
    let bucket = unique_name("photos");
    let presigner = Presigner::start(
        format!("{endpoint}/{bucket}"),
        REGION.to_owned(),
        credentials(),
    )
    .await
    .expect("presigner");
    let store = Arc::new(S3PhotoStore::new(
        client,
        bucket,
        GetUrls::Presigned(presigner),
    ));
    store.create_bucket().await.expect("bucket created");
    store
}

/// A fresh accounts table on moto, and the store over it with its call counter.
pub async fn account_store() -> (Arc<DynamoAccounts>, Arc<AwsCalls>) {
    let calls = Arc::new(AwsCalls::default());
    let client = server::store::aws::dynamodb_client(&sdk_config(&dynamodb_url()), &calls);
    let table = unique_name("accounts");
    server::store::dynamodb::table::create_accounts(&client, &table)
        .await
        .expect("accounts table created on moto");
    (Arc::new(DynamoAccounts::new(client, table)), calls)
}

/// The environment of a `shelf` process on the AWS backend over the local servers, with its
/// own tables and bucket (`shelf create-table` makes them).
pub fn shelf_env() -> Vec<(String, String)> {
    [
        ("SHELF_STORE", "aws".to_owned()),
        ("SHELF_DYNAMODB_TABLE", unique_name("items")),
        ("SHELF_DYNAMODB_ACCOUNTS_TABLE", unique_name("accounts")),
        ("SHELF_S3_BUCKET", unique_name("photos")),
        (
            "SHELF_UPLOAD_SECRET",
            "an upload secret of 32+ characters!".to_owned(),
        ),
        ("AWS_REGION", REGION.to_owned()),
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY.to_owned()),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.to_owned()),
        ("AWS_ENDPOINT_URL_DYNAMODB", dynamodb_url()),
        ("AWS_ENDPOINT_URL_S3", s3_url()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}
