//! `/metrics` of the real binary (its own process, so nothing else counts into it): requests by
//! route pattern and status, store calls by outcome, upload events, build info.

use crate::common;

use common::{put_variant, start_upload, upload_request, variants, ShelfProcess};
use serde_json::{json, Value};
use std::collections::HashMap;

/// `name{labels}` → value, for every sample of a Prometheus text page.
fn samples(text: &str) -> HashMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').expect("a sample line");
            (series.to_owned(), value.parse().expect("a number"))
        })
        .collect()
}

fn sample(all: &HashMap<String, f64>, series: &str) -> f64 {
    *all.get(series)
        .unwrap_or_else(|| panic!("no {series} in /metrics"))
}

#[tokio::test]
async fn requests_store_calls_and_uploads_are_counted() {
    let data_dir = tempfile::tempdir().unwrap();
    let shelf = ShelfProcess::start(data_dir.path(), &[], &[]);
    let http = &shelf.http;
    let url = |path: &str| format!("{}{path}", shelf.base);

    let created = http
        .post(url("/api/items"))
        .json(&json!({"name": "Metered"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let item: Value = created.json().await.unwrap();
    let id = item["id"].as_str().unwrap();
    for _ in 0..2 {
        assert_eq!(shelf.get(&format!("/api/items/{id}")).await.status(), 200);
    }
    let stale = http
        .put(url(&format!("/api/items/{id}")))
        .header("if-match", "\"7\"")
        .json(&json!({"name": "Lost"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    assert_eq!(shelf.get(&format!("/items/{id}")).await.status(), 200);
    assert_eq!(shelf.get("/no/such/page").await.status(), 404);
    assert_eq!(shelf.get("/pkg/no-such-file.js").await.status(), 404);

    // One upload refused, one started, uploaded and attached (twice: the retry is no event).
    let uploads = url(&format!("/api/items/{id}/photos/uploads"));
    let mut bad = upload_request(variants());
    bad["display"]["width"] = json!(0);
    let refused = http.post(&uploads).json(&bad).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let grant = start_upload(http, &shelf.base, id).await;
    for (name, variant) in [
        ("display", &variants().display),
        ("thumb", &variants().thumb),
    ] {
        let status = put_variant(http, &grant, name, variant.bytes.clone()).await;
        assert_eq!(status, 200, "{name}");
    }
    for expected in [201, 200] {
        let attach = http
            .post(url(&format!("/api/items/{id}/photos")))
            .json(&json!({"upload_id": grant["upload_id"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(attach.status(), expected);
    }

    // The main address does not serve it: no path trick reaches it through a proxy.
    for path in ["/metrics", "//metrics", "/metrics/", "/%6detrics"] {
        assert_eq!(shelf.get(path).await.status(), 404, "{path}");
    }
    let response = shelf.metrics().await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.unwrap();
    let all = samples(&text);

    let get_item = r#"method="GET",route="/api/items/{id}",status="200""#;
    assert_eq!(
        sample(&all, &format!("shelf_http_requests_total{{{get_item}}}")),
        2.0
    );
    assert_eq!(
        sample(
            &all,
            &format!("shelf_http_request_duration_seconds_count{{{get_item}}}")
        ),
        2.0
    );
    assert_eq!(
        sample(
            &all,
            &format!("shelf_http_request_duration_seconds_bucket{{{get_item},le=\"+Inf\"}}")
        ),
        2.0
    );
    assert_eq!(
        sample(
            &all,
            r#"shelf_http_requests_total{method="POST",route="/api/items",status="201"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            &all,
            r#"shelf_http_requests_total{method="PUT",route="/api/items/{id}",status="412"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            &all,
            r#"shelf_http_requests_total{method="GET",route="unmatched",status="404"}"#
        ),
        5.0,
        "/no/such/page and the four tries at /metrics on the main address"
    );
    assert_eq!(
        sample(
            &all,
            r#"shelf_http_requests_total{method="GET",route="/pkg/{*file}",status="404"}"#
        ),
        1.0,
        "the asset folders are routes with a pattern too"
    );
    assert!(
        !text.contains(id),
        "series are labelled by route pattern, never by a raw path"
    );

    let store = |labels: &str| {
        sample(
            &all,
            &format!("shelf_store_call_duration_seconds_count{{{labels}}}"),
        )
    };
    assert_eq!(
        store(r#"store="items",operation="create",outcome="ok""#),
        1.0
    );
    assert_eq!(
        store(r#"store="items",operation="update",outcome="refused""#),
        1.0,
        "a version conflict is the store saying no"
    );
    assert_eq!(
        store(r#"store="photos",operation="upload_target",outcome="ok""#),
        2.0,
        "one upload URL per variant"
    );
    assert_eq!(
        store(r#"store="items",operation="attach_photo",outcome="ok""#),
        1.0,
        "the retried attach is answered from the item's record"
    );

    // The app's own share: the request's time minus what its store calls took, for API
    // handlers and for pages, whose data Leptos loads in tasks of their own.
    let all_store_calls: f64 = all
        .iter()
        .filter(|(series, _)| series.starts_with("shelf_store_call_duration_seconds_sum"))
        .map(|(_, seconds)| seconds)
        .sum();
    for labels in [get_item, r#"method="GET",route="/items/{id}",status="200""#] {
        let requests = sample(
            &all,
            &format!("shelf_http_request_duration_seconds_sum{{{labels}}}"),
        );
        let own = sample(
            &all,
            &format!("shelf_http_request_app_duration_seconds_sum{{{labels}}}"),
        );
        let waited = requests - own;
        assert!(
            waited > 0.0 && waited <= all_store_calls,
            "{labels}: {requests} s in all, {own} s its own, store calls {all_store_calls} s"
        );
    }

    for (event, count) in [("started", 1.0), ("attached", 1.0), ("refused", 1.0)] {
        assert_eq!(
            sample(&all, &format!("shelf_uploads_total{{event=\"{event}\"}}")),
            count,
            "{event}"
        );
    }

    let version = std::process::Command::new(env!("CARGO_BIN_EXE_shelf"))
        .arg("--version")
        .output()
        .unwrap();
    let version = String::from_utf8(version.stdout).unwrap();
    let (number, commit) = version
        .trim()
        .trim_start_matches("shelf ")
        .split_once(' ')
        .unwrap();
    let commit = commit.trim_matches(['(', ')']);
    assert_eq!(
        sample(
            &all,
            &format!("shelf_build_info{{version=\"{number}\",commit=\"{commit}\"}}")
        ),
        1.0
    );
}
