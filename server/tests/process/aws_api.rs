//! The `shelf` binary on the AWS backend (DynamoDB on moto_server, S3 on s3s-fs), driven over
//! HTTP like a client: items the old Python service wrote (by boto3, as it did) are read,
//! updated and deleted, listed after `shelf migrate`; a photo goes through the pre-signed
//! upload flow; `/metrics` shows one DynamoDB call per API request.

use crate::aws;
use crate::common;

use common::{put_variant, start_upload, variants, ShelfProcess};
use serde_json::{json, Value};
use std::process::Command;

struct Shelf {
    env: Vec<(String, String)>,
    data: tempfile::TempDir,
}

impl Shelf {
    fn new() -> Self {
        Self {
            env: aws::shelf_env(),
            data: tempfile::tempdir().unwrap(),
        }
    }

    fn var(&self, name: &str) -> &str {
        &self.env.iter().find(|(k, _)| k == name).unwrap().1
    }

    /// Runs a `shelf` subcommand to completion; its standard output.
    fn command(&self, args: &[&str]) -> String {
        let output = Command::new(env!("CARGO_BIN_EXE_shelf"))
            .args(["--log-format", "text"])
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "shelf {args:?} failed: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }
}

fn old_service_items(table: &str, count: usize) -> Vec<String> {
    let python =
        std::env::var("SHELF_TEST_PYTHON").expect("SHELF_TEST_PYTHON (the venv with boto3)");
    let output = Command::new(python)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/old_service_items.py"
        ))
        .args([&aws::dynamodb_url(), table, &count.to_string()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The DynamoDB calls so far, by operation.
fn dynamodb_call_counts(metrics: &str) -> impl Iterator<Item = (&str, u64)> {
    metrics.lines().filter_map(|line| {
        let rest = line.strip_prefix("shelf_aws_calls_total{service=\"DynamoDB\",operation=\"")?;
        let (operation, count) = rest.split_once("\"} ")?;
        Some((operation, count.parse().ok()?))
    })
}

fn dynamodb_calls(metrics: &str, operation: &str) -> u64 {
    dynamodb_call_counts(metrics)
        .filter(|(name, _)| *name == operation)
        .map(|(_, count)| count)
        .sum()
}

/// Every DynamoDB call so far, of any operation.
fn all_dynamodb_calls(metrics: &str) -> u64 {
    dynamodb_call_counts(metrics).map(|(_, count)| count).sum()
}

#[tokio::test]
async fn old_items_photos_and_call_counts_through_the_api() {
    let shelf = Shelf::new();
    let created = shelf.command(&["create-table"]);
    assert!(created.contains("Created"), "{created}");
    let old_ids = old_service_items(shelf.var("SHELF_DYNAMODB_TABLE"), 5);

    let server = ShelfProcess::start(shelf.data.path(), &[], &shelf.env);
    let base = server.base.clone();
    let http = &server.http;
    let metrics = || async { server.metrics().await.text().await.unwrap() };

    // Read at once, as the old service wrote it.
    let before = metrics().await;
    let response = server.get(&format!("/api/items/{}", old_ids[0])).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], "\"1\"");
    let item: Value = response.json().await.unwrap();
    assert_eq!(item["name"], "Old item 0");
    assert_eq!(item["created_at"], "2025-11-26T10:11:12.123456Z");
    assert_eq!(item["photos"], json!([]));
    let after = metrics().await;
    assert_eq!(
        dynamodb_calls(&after, "GetItem") - dynamodb_calls(&before, "GetItem"),
        1
    );

    // Updated with its version, stale versions refused.
    let update = |id: &str, etag: &str, name: &str| {
        http.put(format!("{base}/api/items/{id}"))
            .header("if-match", etag)
            .json(&json!({"name": name, "description": "edited by Shelf"}))
            .send()
    };
    let response = update(&old_ids[1], "\"1\"", "Edited").await.unwrap();
    assert_eq!(response.status(), 200);
    let response = update(&old_ids[1], "\"1\"", "Stale").await.unwrap();
    assert_eq!(response.status(), 412);

    // Listed once migrated, newest first, the edit kept.
    let migrated = shelf.command(&["migrate"]);
    assert!(migrated.contains("done: 5 items migrated"), "{migrated}");
    assert!(shelf
        .command(&["migrate"])
        .contains("done: 0 items migrated"));
    let before = metrics().await;
    let listed: Vec<Value> = server.get("/api/items?limit=3").await.json().await.unwrap();
    let names: Vec<&str> = listed.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Old item 4", "Old item 3", "Old item 2"]);
    let after = metrics().await;
    assert_eq!(
        dynamodb_calls(&after, "Query") - dynamodb_calls(&before, "Query"),
        1
    );
    assert_eq!(
        all_dynamodb_calls(&after) - all_dynamodb_calls(&before),
        1,
        "and nothing else: no revision read to keep the page by"
    );
    assert_eq!(dynamodb_calls(&after, "Scan"), 0, "the app never scans");

    // Deleted.
    let response = http
        .delete(format!("{base}/api/items/{}", old_ids[2]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let response = server.get(&format!("/api/items/{}", old_ids[2])).await;
    assert_eq!(response.status(), 404);

    // A photo on an old item: pre-signed PUTs straight to S3, then attach.
    let item = &old_ids[3];
    let grant = start_upload(http, &base, item).await;
    for (name, variant) in [
        ("display", &variants().display),
        ("thumb", &variants().thumb),
    ] {
        let url = grant[name]["url"].as_str().unwrap();
        assert!(url.starts_with(&aws::s3_url()), "{url}");
        let status = put_variant(http, &grant, name, variant.bytes.clone()).await;
        assert_eq!(status, 200, "{name} upload");
    }
    let response = http
        .post(format!("{base}/api/items/{item}/photos"))
        .json(&json!({"upload_id": grant["upload_id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let attached: Value = response.json().await.unwrap();
    let photo_url = attached["url"].as_str().unwrap().to_owned();
    let photo = http.get(&photo_url).send().await.unwrap();
    assert_eq!(photo.status(), 200, "{photo_url}");
    assert_eq!(photo.bytes().await.unwrap(), variants().display.bytes);

    // Deleting the item deletes its objects.
    let response = http
        .delete(format!("{base}/api/items/{item}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(http.get(&photo_url).send().await.unwrap().status(), 404);
}

/// DynamoDB answering every call with `ThrottlingException`, the way it does under overload:
/// the SDK retries (3 attempts in all), then the API answers 503 with `Retry-After` and a JSON
/// error, and the process stays up.
#[tokio::test]
async fn throttling_becomes_503_with_retry_after_after_the_sdks_retries() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    let requests = Arc::new(AtomicU64::new(0));
    let counted = requests.clone();
    let throttled = axum::Router::new().fallback(move || {
        counted.fetch_add(1, Ordering::SeqCst);
        async {
            (
                axum::http::StatusCode::BAD_REQUEST,
                [("content-type", "application/x-amz-json-1.0")],
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}"#,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let overloaded = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, throttled).await });

    let mut shelf = Shelf::new();
    for (name, value) in shelf.env.iter_mut() {
        if name == "AWS_ENDPOINT_URL_DYNAMODB" {
            *value = overloaded.clone();
        }
    }
    let server = ShelfProcess::start(shelf.data.path(), &[], &shelf.env);
    let ready = server.get("/readyz").await;
    assert_eq!(
        ready.status(),
        503,
        "not ready while the table cannot be reached"
    );

    let before = requests.load(Ordering::SeqCst);
    let id = uuid::Uuid::new_v4();
    let response = server.get(&format!("/api/items/{id}")).await;
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("retry"), "{body}");
    assert_eq!(
        requests.load(Ordering::SeqCst) - before,
        3,
        "three attempts, then give up"
    );
    let response = server.get("/healthz").await;
    assert_eq!(response.status(), 200, "still alive");
}
