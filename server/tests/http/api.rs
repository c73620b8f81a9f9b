//! The REST API, row by row of `docs/api.md`, over real HTTP against the real router.

use crate::common;

use common::{error_fields, TestServer};
use futures::future::join_all;
use reqwest::header;
use serde_json::{json, Value};

#[tokio::test]
async fn health_and_openapi() {
    let s = TestServer::start().await;
    let health: Value = s.get_json("/api/health").await;
    assert_eq!(health, json!({"status": "healthy"}));

    let alive = s.http.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(alive.status(), 200);
    let ready = s.http.get(s.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().await.unwrap()["status"], "ready");

    let doc: Value = s.get_json("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/items",
        "/api/items/{id}",
        "/api/items/{id}/photos",
        "/api/items/{id}/photos/uploads",
        "/api/items/{id}/photos/order",
        "/api/items/{id}/photos/{photo_id}",
        "/api/health",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} undocumented");
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = &operation["responses"];
            let refused = responses["401"].is_object() && responses["403"].is_object();
            assert_eq!(refused, path != "/api/health", "{method} {path}: 401/403");
        }
    }
    let photo = &doc["components"]["schemas"]["Photo"]["properties"];
    for field in [
        "id",
        "width",
        "height",
        "bytes",
        "url",
        "thumb_url",
        "placeholder",
    ] {
        assert!(photo[field].is_object(), "Photo.{field} undocumented");
    }
    let uploads = &doc["paths"]["/api/items/{id}/photos/uploads"]["post"]["responses"];
    for status in ["201", "404", "409", "413", "415", "422"] {
        assert!(uploads[status].is_object(), "uploads {status} undocumented");
    }
    let item = &doc["components"]["schemas"]["Item"]["properties"];
    for field in [
        "id",
        "name",
        "description",
        "created_at",
        "updated_at",
        "version",
        "photos",
    ] {
        assert!(item[field].is_object(), "Item.{field} undocumented");
    }
    assert!(doc["paths"]["/api/items/{id}"]["put"]["responses"]["412"].is_object());
}

#[tokio::test]
async fn create_returns_the_item_with_location_and_etag() {
    let s = TestServer::start().await;
    let response = s
        .post_item(json!({"name": "  Brass lamp ", "description": "Dented shade"}))
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let etag = response.headers()[header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    let item: Value = response.json().await.unwrap();
    assert_eq!(item["name"], "Brass lamp", "name is trimmed");
    assert_eq!(item["description"], "Dented shade");
    assert_eq!(item["version"], 1);
    assert_eq!(item["photos"], json!([]));
    assert_eq!(etag, "\"1\"");
    assert_eq!(
        location,
        format!("/api/items/{}", item["id"].as_str().unwrap())
    );
    assert_eq!(item["created_at"], item["updated_at"]);
    let created = item["created_at"].as_str().unwrap();
    assert!(
        created.ends_with('Z') && created.len() == 27,
        "RFC 3339 UTC with micros: {created}"
    );

    let fetched: Value = s.get_json(&location).await;
    assert_eq!(fetched, item);
}

#[tokio::test]
async fn description_is_optional() {
    let s = TestServer::start().await;
    let response = s.post_item(json!({"name": "Chair"})).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.json::<Value>().await.unwrap()["description"], "");
}

#[tokio::test]
async fn create_with_a_client_id_is_idempotent() {
    let s = TestServer::start().await;
    let id = "0b6b7c1e-35a4-4d3e-9b1f-2f6a8f0c9d11";
    let body = json!({"id": id, "name": "Kettle", "description": "Blue"});
    let first = s.post_item(body.clone()).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["id"], id);

    let again = s.post_item(body).await;
    assert_eq!(again.status(), 200, "a retry returns the existing item");
    assert_eq!(again.json::<Value>().await.unwrap(), first);

    let different = s
        .post_item(json!({"id": id, "name": "Teapot", "description": "Blue"}))
        .await;
    assert_eq!(different.status(), 409);
    assert!(error_fields(different).await["id"].is_string());

    // Same id in another spelling is the same item.
    let upper = s
        .post_item(json!({"id": id.to_uppercase(), "name": "Kettle", "description": "Blue"}))
        .await;
    assert_eq!(upper.status(), 200);

    let all: Vec<Value> = s.get_json("/api/items").await;
    assert_eq!(all.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_with_one_id_make_one_item() {
    let s = TestServer::start().await;
    let body = json!({"id": "01HZX3NDEKTSV4RRFFQ69G5FAV", "name": "Race", "description": ""});
    let responses = join_all((0..16).map(|_| s.post_item(body.clone()))).await;
    let responses: Vec<_> = responses.into_iter().collect();
    let created = responses.iter().filter(|r| r.status() == 201).count();
    let existing = responses.iter().filter(|r| r.status() == 200).count();
    assert_eq!((created, existing), (1, 15));
}

#[tokio::test]
async fn invalid_creates_name_the_field() {
    let s = TestServer::start().await;
    let cases = [
        (json!({"name": ""}), "name"),
        (json!({"name": "   "}), "name"),
        (json!({"name": "x".repeat(10_000)}), "name"),
        (json!({"name": "two\nlines"}), "name"),
        (json!({"name": 42}), "name"),
        (json!({"description": "no name"}), "name"),
        (
            json!({"name": "ok", "description": "d".repeat(501)}),
            "description",
        ),
        (
            json!({"name": "ok", "description": ["not", "text"]}),
            "description",
        ),
        (json!({"name": "ok", "colour": "red"}), "colour"),
        (json!({"name": "ok", "id": "not-an-id"}), "id"),
        (json!({"name": "ok", "id": 7}), "id"),
    ];
    for (body, field) in cases {
        let response = s.post_item(body.clone()).await;
        assert_eq!(response.status(), 422, "{body}");
        let fields = error_fields(response).await;
        assert!(
            fields[field].is_string(),
            "{body} should blame {field}: {fields}"
        );
    }
    // Every problem is reported at once.
    let fields = error_fields(
        s.post_item(json!({"name": "", "description": "d".repeat(501), "x": 1}))
            .await,
    )
    .await;
    assert_eq!(fields.as_object().unwrap().len(), 3, "{fields}");

    let all: Vec<Value> = s.get_json("/api/items").await;
    assert!(all.is_empty(), "nothing invalid was stored");
}

#[tokio::test]
async fn malformed_bodies_get_clear_4xx() {
    let s = TestServer::start().await;
    let post = |body: Vec<u8>, content_type: Option<&'static str>| {
        let mut request = s.http.post(s.url("/api/items")).body(body);
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        request.send()
    };
    let json_ct = Some("application/json");
    let cases: Vec<(Vec<u8>, Option<&'static str>, u16)> = vec![
        (b"{\"name\": ".to_vec(), json_ct, 400),
        (b"".to_vec(), json_ct, 400),
        (b"{\"name\": \"\xff\xfe\"}".to_vec(), json_ct, 400),
        (b"[\"name\"]".to_vec(), json_ct, 422),
        (b"\"just a string\"".to_vec(), json_ct, 422),
        (b"{\"name\": \"ok\"}".to_vec(), Some("text/plain"), 415),
        (
            b"name=ok".to_vec(),
            Some("application/x-www-form-urlencoded"),
            415,
        ),
        (b"{\"name\": \"ok\"}".to_vec(), None, 415),
        (
            [b"{\"name\": \"".as_slice(), &vec![b'a'; 200_000], b"\"}"].concat(),
            json_ct,
            413,
        ),
        (
            format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
            json_ct,
            400,
        ),
    ];
    for (body, content_type, status) in cases {
        let preview = String::from_utf8_lossy(&body[..body.len().min(40)]).into_owned();
        let response = post(body, content_type).await.unwrap();
        assert_eq!(response.status(), status, "{preview:?} as {content_type:?}");
        let error: Value = response.json().await.expect("JSON error body");
        assert!(
            error["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{error}"
        );
    }
}

#[tokio::test]
async fn get_reports_etag_and_honours_if_none_match() {
    let s = TestServer::start().await;
    let item = s.create("Radio", "").await;
    let url = s.url(&format!("/api/items/{}", item["id"].as_str().unwrap()));
    let response = s.http.get(&url).send().await.unwrap();
    assert_eq!(response.headers()[header::ETAG], "\"1\"");
    let unchanged = s
        .http
        .get(&url)
        .header(header::IF_NONE_MATCH, "\"1\"")
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304);
    let changed = s
        .http
        .get(&url)
        .header(header::IF_NONE_MATCH, "\"0\"")
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
}

#[tokio::test]
async fn list_pages_have_tags_that_change_with_their_items() {
    let s = TestServer::start().await;
    let radio = s.create("Radio", "").await;
    let lamp = s.create("Lamp", "").await;
    let list = |query: &'static str, tag: Option<String>| {
        let mut request = s.http.get(s.url(&format!("/api/items{query}")));
        if let Some(tag) = tag {
            request = request.header(header::IF_NONE_MATCH, tag);
        }
        async move {
            let response = request.send().await.unwrap();
            let tag = response.headers()[header::ETAG]
                .to_str()
                .unwrap()
                .to_owned();
            let link = response.headers().contains_key(header::LINK);
            (
                response.status().as_u16(),
                tag,
                link,
                response.text().await.unwrap(),
            )
        }
    };
    let (status, tag, _, body) = list("", None).await;
    assert_eq!(status, 200, "{body}");
    assert!(tag.starts_with("W/\"p"), "{tag}");
    let (status, same, _, body) = list("", Some(tag.clone())).await;
    assert_eq!(
        (status, same.as_str(), body.as_str()),
        (304, tag.as_str(), "")
    );
    assert_eq!(list("", Some(format!("\"x\", {tag}"))).await.0, 304);

    // Another page of the same items has a tag of its own, and its 304 keeps the next link.
    let (_, first_only, link, _) = list("?limit=1", None).await;
    assert_ne!(first_only, tag);
    assert_eq!(
        list("?limit=1", Some(first_only.clone())).await,
        (304, first_only, link, String::new())
    );
    assert!(link, "one of two items: a next page");

    let radio_url = s.url(&format!("/api/items/{}", radio["id"].as_str().unwrap()));
    let renamed = s
        .http
        .put(&radio_url)
        .json(&json!({"name": "Radio set", "description": ""}));
    assert_eq!(renamed.send().await.unwrap().status(), 200);
    let (status, after_rename, _, body) = list("", Some(tag.clone())).await;
    assert_eq!(status, 200);
    assert_ne!(after_rename, tag);
    assert!(body.contains("Radio set"));

    let lamp_url = s.url(&format!("/api/items/{}", lamp["id"].as_str().unwrap()));
    assert_eq!(s.http.delete(&lamp_url).send().await.unwrap().status(), 204);
    let (status, after_delete, ..) = list("", Some(after_rename.clone())).await;
    assert_eq!(status, 200);
    assert_ne!(after_delete, after_rename);

    s.create("Kettle", "").await;
    let (status, after_create, ..) = list("", Some(after_delete.clone())).await;
    assert_eq!(status, 200);
    assert_ne!(after_create, after_delete);
}

#[tokio::test]
async fn unknown_and_invalid_ids_are_404() {
    let s = TestServer::start().await;
    let missing = s
        .http
        .get(s.url("/api/items/0b6b7c1e-35a4-4d3e-9b1f-2f6a8f0c9d11"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.json::<Value>().await.unwrap()["error"],
        "item not found"
    );

    for bad in ["nope", "%FF%FE", "..%2F..%2Fetc", &"a".repeat(5000)] {
        let response = s
            .http
            .get(s.url(&format!("/api/items/{bad}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{bad}");
        assert!(error_fields(response).await["id"].is_string());
    }
    for method in [reqwest::Method::PUT, reqwest::Method::DELETE] {
        let response = s
            .http
            .request(method.clone(), s.url("/api/items/nope"))
            .json(&json!({"name": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method}");
    }
}

#[tokio::test]
async fn update_bumps_the_version_and_checks_if_match() {
    let s = TestServer::start().await;
    let item = s.create("Clock", "Ticks").await;
    let url = s.url(&format!("/api/items/{}", item["id"].as_str().unwrap()));

    let response = s
        .http
        .put(&url)
        .header(header::IF_MATCH, "\"1\"")
        .json(&json!({"name": "Wall clock", "description": "Ticks loudly"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::ETAG], "\"2\"");
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["name"], "Wall clock");
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["created_at"], item["created_at"]);
    assert!(updated["updated_at"].as_str() > item["updated_at"].as_str());

    // A stale If-Match loses and changes nothing.
    let stale = s
        .http
        .put(&url)
        .header(header::IF_MATCH, "\"1\"")
        .json(&json!({"name": "Lost update"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    let now: Value = s.get_json_url(&url).await;
    assert_eq!(now["name"], "Wall clock");

    // Weak and foreign tags never match.
    for tag in ["W/\"2\"", "\"abc\""] {
        let response = s
            .http
            .put(&url)
            .header(header::IF_MATCH, tag)
            .json(&json!({"name": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 412, "{tag}");
    }
    // Several tags are refused explicitly.
    let several = s
        .http
        .put(&url)
        .header(header::IF_MATCH, "\"1\", \"2\"")
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(several.status(), 400);

    // Without a precondition the write is unconditional.
    let blind = s
        .http
        .put(&url)
        .json(&json!({"name": "Cuckoo clock"}))
        .send()
        .await
        .unwrap();
    assert_eq!(blind.status(), 200);
    let blind: Value = blind.json().await.unwrap();
    assert_eq!(blind["version"], 3);
    assert_eq!(
        blind["description"], "",
        "PUT replaces: a missing description empties it"
    );
}

#[tokio::test]
async fn update_accepts_the_item_it_returned() {
    let s = TestServer::start().await;
    let mut item = s.create("Vase", "").await;
    let url = s.url(&format!("/api/items/{}", item["id"].as_str().unwrap()));
    item["name"] = json!("Tall vase");
    let response = s.http.put(&url).json(&item).send().await.unwrap();
    assert_eq!(
        response.status(),
        200,
        "a GET body sent back is a valid PUT body"
    );
    // Its version acts as the precondition: sending the same (now stale) body again fails.
    let again = s.http.put(&url).json(&item).send().await.unwrap();
    assert_eq!(again.status(), 412);

    let mut other = item.clone();
    other["id"] = json!("0b6b7c1e-35a4-4d3e-9b1f-2f6a8f0c9d11");
    let moved = s.http.put(&url).json(&other).send().await.unwrap();
    assert_eq!(moved.status(), 422);
    assert!(error_fields(moved).await["id"].is_string());

    let invalid = s
        .http
        .put(&url)
        .json(&json!({"name": "", "extra": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), 422);
    let fields = error_fields(invalid).await;
    assert!(
        fields["name"].is_string() && fields["extra"].is_string(),
        "{fields}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_of_one_version_have_one_winner() {
    let s = TestServer::start().await;
    let item = s.create("Contested", "").await;
    let url = s.url(&format!("/api/items/{}", item["id"].as_str().unwrap()));
    let attempts = (0..20).map(|i| {
        s.http
            .put(&url)
            .header(header::IF_MATCH, "\"1\"")
            .json(&json!({"name": format!("Writer {i}")}))
            .send()
    });
    let responses = join_all(attempts).await;
    let statuses: Vec<u16> = responses
        .iter()
        .map(|r| r.as_ref().unwrap().status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 412).count(),
        19,
        "{statuses:?}"
    );
    let now: Value = s.get_json_url(&url).await;
    assert_eq!(now["version"], 2);
}

#[tokio::test]
async fn delete_removes_and_checks_if_match() {
    let s = TestServer::start().await;
    let item = s.create("Old shoe", "").await;
    let url = s.url(&format!("/api/items/{}", item["id"].as_str().unwrap()));
    let stale = s
        .http
        .delete(&url)
        .header(header::IF_MATCH, "\"9\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    let deleted = s.http.delete(&url).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    assert!(deleted.bytes().await.unwrap().is_empty());
    assert_eq!(s.http.get(&url).send().await.unwrap().status(), 404);
    assert_eq!(s.http.delete(&url).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn list_pages_newest_first_with_link_headers() {
    let s = TestServer::start().await;
    let empty = s.http.get(s.url("/api/items")).send().await.unwrap();
    assert!(empty.headers().get(header::LINK).is_none());
    assert_eq!(empty.json::<Value>().await.unwrap(), json!([]));

    let mut names = Vec::new();
    for i in 0..7 {
        names.push(format!("Item {i}"));
        s.create(&names[i], "").await;
    }
    names.reverse();

    let mut seen = Vec::new();
    let mut next = Some(s.url("/api/items?limit=3"));
    let mut pages = 0;
    while let Some(url) = next {
        let response = s.http.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200);
        next = response.headers().get(header::LINK).map(|link| {
            let link = link.to_str().unwrap();
            assert!(link.ends_with("; rel=\"next\""), "{link}");
            link[1..link.find('>').unwrap()].to_owned()
        });
        let page: Vec<Value> = response.json().await.unwrap();
        assert!(page.len() <= 3);
        seen.extend(
            page.into_iter()
                .map(|item| item["name"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        assert!(pages <= 4, "paging must end");
    }
    assert_eq!(seen, names, "every item once, newest first");
    assert_eq!(pages, 3);

    let default: Vec<Value> = s.get_json("/api/items").await;
    assert_eq!(default.len(), 7);
}

#[tokio::test]
async fn list_rejects_bad_limits_and_cursors() {
    let s = TestServer::start().await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=-5", "limit"),
        ("cursor=garbage", "cursor"),
        ("cursor=%FF", "cursor"),
    ] {
        let response = s
            .http
            .get(s.url(&format!("/api/items?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{query}");
        assert!(error_fields(response).await[field].is_string(), "{query}");
    }
}

/// Cursors are signed: a real one pages on, the same position without its signature, or
/// with another position under its signature, is refused.
#[tokio::test]
async fn cursors_are_tamper_evident() {
    let s = TestServer::start().await;
    for i in 0..3 {
        s.create(&format!("Paged {i}"), "").await;
    }
    let first = s
        .http
        .get(s.url("/api/items?limit=1"))
        .send()
        .await
        .unwrap();
    let link = first.headers()[header::LINK].to_str().unwrap().to_owned();
    let token = link
        .split("cursor=")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap()
        .to_owned();
    let (position, signature) = token.split_once('.').expect("position.signature");
    let status = |query: String| {
        let url = s.url(&format!("/api/items?limit=1&cursor={query}"));
        let http = s.http.clone();
        async move { http.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status(token.clone()).await, 200);
    assert_eq!(status(position.to_owned()).await, 400);
    let mut other = position.to_owned();
    let last = other.pop().unwrap();
    other.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(status(format!("{other}.{signature}")).await, 400);
}

#[tokio::test]
async fn a_trailing_slash_is_the_same_path() {
    let s = TestServer::start().await;
    let item = s.create("Slashed", "").await;
    let listed: Vec<Value> = s.get_json("/api/items/").await;
    assert_eq!(listed.len(), 1);
    let one: Value = s
        .get_json(&format!("/api/items/{}/", item["id"].as_str().unwrap()))
        .await;
    assert_eq!(one, item);
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let s = TestServer::start().await;
    let echoed = s
        .http
        .get(s.url("/api/health"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "abc-123");
    let generated = s.http.get(s.url("/api/health")).send().await.unwrap();
    let id = generated.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let unsafe_id = s
        .http
        .get(s.url("/api/health"))
        .header("x-request-id", "a b\"c")
        .send()
        .await
        .unwrap();
    assert_ne!(unsafe_id.headers()["x-request-id"], "a b\"c");
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json() {
    let s = TestServer::start().await;
    let missing = s.http.get(s.url("/api/nothing/here")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.json::<Value>().await.unwrap()["error"].is_string());
    let patch = s.http.patch(s.url("/api/items")).send().await.unwrap();
    assert_eq!(patch.status(), 405);
    assert!(patch.json::<Value>().await.unwrap()["error"].is_string());
}

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    let s = TestServer::start().await;
    for i in 0..30 {
        s.create(
            &format!("Compressible item {i}"),
            &"the same words again ".repeat(20),
        )
        .await;
    }
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let response = raw
        .get(s.url("/api/items"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
}

/// The item store's pings so far, as `/metrics` counts them (all servers of this process).
async fn item_store_pings(s: &TestServer) -> f64 {
    let text = s.metrics.render();
    text.lines()
        .filter(|line| line.starts_with("shelf_store_call_duration_seconds_count{"))
        .filter(|line| line.contains("operation=\"ping\"") && line.contains("store=\"items\""))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// A flood of readiness checks costs the stores one probe a second, not one per check, so it
/// cannot make the stores (or their throttling) turn the checks red.
#[tokio::test]
async fn readiness_checks_share_one_store_probe_a_second() {
    let s = TestServer::start().await;
    let before = item_store_pings(&s).await;
    let checks = join_all((0..30).map(|_| s.http.get(s.url("/readyz")).send())).await;
    assert!(checks.iter().all(|r| r.as_ref().unwrap().status() == 200));
    let probes = item_store_pings(&s).await - before;
    // Other tests of this process may check their own servers meanwhile: a little slack.
    assert!(probes <= 3.0, "30 checks made {probes} probes");
}

/// With `--public-url`, the absolute URLs the API hands out (the next page's `Link`, upload
/// URLs) are made with it, whatever `Host` the client sends; without it they follow `Host`.
#[tokio::test]
async fn absolute_urls_come_from_the_public_url_not_the_clients_host() {
    let s = TestServer::start_with(&["--public-url", "https://shelf.example.com/"]).await;
    let item = s.create("Lamp", "").await;
    s.create("Chair", "").await;
    let forged = |path: &str| s.http.get(s.url(path)).header(header::HOST, "evil.example");
    let page = forged("/api/items?limit=1").send().await.unwrap();
    let link = page.headers()[header::LINK].to_str().unwrap();
    assert!(
        link.starts_with("<https://shelf.example.com/api/items?"),
        "{link}"
    );
    let grant = s
        .http
        .post(s.url(&format!(
            "/api/items/{}/photos/uploads",
            item["id"].as_str().unwrap()
        )))
        .header(header::HOST, "evil.example")
        .json(&common::upload_request(common::variants()))
        .send()
        .await
        .unwrap();
    let grant: Value = grant.json().await.unwrap();
    let url = grant["display"]["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://shelf.example.com/uploads/"),
        "{url}"
    );

    let plain = TestServer::start().await;
    plain.create("Lamp", "").await;
    plain.create("Chair", "").await;
    let page = plain
        .http
        .get(plain.url("/api/items?limit=1"))
        .header(header::HOST, "shelf.local:8080")
        .send()
        .await
        .unwrap();
    let link = page.headers()[header::LINK].to_str().unwrap();
    assert!(
        link.starts_with("<http://shelf.local:8080/api/items?"),
        "{link}"
    );
}
