//! Writes and upload grants per client per minute: over the limit, 429 with `Retry-After`;
//! reads go on; each address counts apart, and a signed-in account counts across addresses;
//! a request for several photos' upload URLs counts each photo.

use crate::common::{upload_request, variants, TestServer};
use crate::sign_in::{session_cookie, set_up, PASSWORD};
use serde_json::{json, Value};

async fn create_from(s: &TestServer, address: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = s
        .http
        .post(s.url("/api/items"))
        .header("x-forwarded-for", address)
        .header("sec-fetch-site", "same-origin")
        .json(&json!({"name": "Counted", "description": ""}));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// A 429 with a `Retry-After` within the limit's window (seconds); its body.
async fn throttled(response: reqwest::Response, window: u64) -> String {
    assert_eq!(response.status(), 429);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=window).contains(&wait), "{wait}");
    response.text().await.unwrap()
}

/// A 429 with a `Retry-After` within the limit's window (seconds) and a JSON message.
async fn assert_throttled(response: reqwest::Response, window: u64) {
    let body: Value = serde_json::from_str(&throttled(response, window).await).unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("too many"),
        "{body}"
    );
}

#[tokio::test]
async fn writes_and_grants_are_limited_per_client_address() {
    let s = TestServer::start_with(&[
        "--trust-forwarded-for",
        "--writes-per-minute",
        "5",
        "--pending-uploads-per-client",
        "2",
    ])
    .await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let created = create_from(&s, "198.51.100.1", None).await;
        assert_eq!(created.status(), 201, "write {n}");
        ids.push(
            created.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_throttled(create_from(&s, "198.51.100.1", None).await, 60).await;
    // Reads are not limited; another address has its own count.
    let list = s
        .http
        .get(s.url("/api/items"))
        .header("x-forwarded-for", "198.51.100.1")
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    assert_eq!(create_from(&s, "198.51.100.2", None).await.status(), 201);

    // Upload grants have their own, stricter count (the address's writes are used up).
    let grant = || async {
        s.http
            .post(s.url(&format!("/api/items/{}/photos/uploads", ids[0])))
            .header("x-forwarded-for", "198.51.100.1")
            .json(&upload_request(variants()))
            .send()
            .await
            .unwrap()
    };
    for n in 0..2 {
        assert_eq!(grant().await.status(), 201, "grant {n}");
    }
    // Per 15 minutes, the life of the upload URLs.
    assert_throttled(grant().await, 900).await;
}

#[tokio::test]
async fn a_signed_in_account_counts_across_addresses() {
    let s = TestServer::start_with(&[
        "--anonymous-access",
        "none",
        "--trust-forwarded-for",
        "--writes-per-minute",
        "5",
    ])
    .await;
    let cookie = session_cookie(&set_up(&s, "ann@example.org", PASSWORD).await);
    for n in 0..5 {
        let created = create_from(&s, &format!("203.0.113.{n}"), Some(&cookie)).await;
        assert_eq!(created.status(), 201, "write {n}");
    }
    assert_throttled(create_from(&s, "203.0.113.99", Some(&cookie)).await, 60).await;
}

#[tokio::test]
async fn a_request_for_several_photos_counts_each_against_the_grant_limit() {
    let s = TestServer::start_with(&["--pending-uploads-per-client", "3"]).await;
    let item = s.create("Counted", "").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let s = &s;
    let batch = |photos: usize| {
        let body = json!({"item_id": item, "requests": vec![upload_request(variants()); photos]});
        async move {
            s.call_server_fn::<app::server_fns::RequestPhotoUploads>(&body)
                .await
        }
    };
    let granted: Vec<Value> = batch(2).await.json().await.unwrap();
    assert!(granted.iter().all(|g| g["Ok"].is_object()), "{granted:?}");
    // One grant is left: two more are refused together, and none of them is counted.
    let refused = |response| async move {
        let body = throttled(response, 900).await;
        assert!(body.contains("Too many photos"), "{body}");
    };
    refused(batch(2).await).await;
    let last: Vec<Value> = batch(1).await.json().await.unwrap();
    assert!(last[0]["Ok"].is_object(), "{last:?}");
    refused(batch(1).await).await;
}
