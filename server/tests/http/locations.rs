//! Locations over HTTP: `/api/locations` (the tree, creates, renames, moves, deletes that say
//! where the contents go), items filed in them, and `GET /api/items?in=`. The tree's rules on
//! both backends are the store conformance suite's.

use crate::common::{error_fields, TestServer};
use reqwest::header;
use serde_json::{json, Value};

async fn add(s: &TestServer, name: &str, parent: Option<&Value>) -> Value {
    let body = json!({"name": name, "parent": parent.map(|p| p["id"].clone())});
    let created = s
        .http
        .post(s.url("/api/locations"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{name}");
    assert!(created.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/api/locations/"));
    created.json().await.unwrap()
}

fn names(page: &[Value]) -> Vec<&str> {
    page.iter()
        .map(|item| item["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn locations_nest_hold_items_and_move() {
    let s = TestServer::start().await;
    let house = add(&s, "House", None).await;
    let garage = add(&s, "Garage", Some(&house)).await;
    let shelf = add(&s, "Shelf 2", Some(&garage)).await;
    let shed = add(&s, "Shed", None).await;
    let filed = s
        .post_item(json!({"name": "Drill", "location": shelf["id"]}))
        .await;
    assert_eq!(filed.status(), 201);
    let drill: Value = filed.json().await.unwrap();
    assert_eq!(drill["location"], shelf["id"]);
    s.post_item(json!({"name": "Kettle"})).await;

    let tree: Vec<Value> = s.get_json("/api/locations").await;
    let rows: Vec<(&str, &str, u64)> = tree
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap(),
                l["path"].as_str().unwrap(),
                l["items"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("House", "House", 1),
            ("Garage", "House › Garage", 1),
            ("Shelf 2", "House › Garage › Shelf 2", 1),
            ("Shed", "Shed", 0),
        ]
    );
    let within: Vec<Value> = s
        .get_json(&format!("/api/items?in={}", house["id"].as_str().unwrap()))
        .await;
    assert_eq!(names(&within), ["Drill"]);
    let found: Vec<Value> = s.get_json("/api/items?q=garage").await;
    assert_eq!(names(&found), ["Drill"], "found by its place's name");

    // Moved, with what is inside it; never into itself (422 naming `parent`); a stale If-Match
    // is 412.
    let garage_path = format!("/api/locations/{}", garage["id"].as_str().unwrap());
    let into_itself = s
        .http
        .put(s.url(&garage_path))
        .json(&json!({"parent": shelf["id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(into_itself.status(), 422);
    assert!(error_fields(into_itself).await["parent"].is_string());
    let moved = s
        .http
        .put(s.url(&garage_path))
        .header("if-match", "\"1\"")
        .json(&json!({"parent": shed["id"], "name": "Workshop"}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    assert_eq!(moved.headers()[header::ETAG], "\"2\"");
    let stale = s
        .http
        .put(s.url(&garage_path))
        .header("if-match", "\"1\"")
        .json(&json!({"name": "Again"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    let within: Vec<Value> = s
        .get_json(&format!("/api/items?in={}", shed["id"].as_str().unwrap()))
        .await;
    assert_eq!(names(&within), ["Drill"]);
    let found: Vec<Value> = s.get_json("/api/items?q=workshop%20drill").await;
    assert_eq!(names(&found), ["Drill"]);

    // An old client's PUT keeps the item where it is; null takes it out.
    let item_path = format!("/api/items/{}", drill["id"].as_str().unwrap());
    let kept: Value = s
        .http
        .put(s.url(&item_path))
        .json(&json!({"name": "Drill"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(kept["location"], shelf["id"]);

    for (query, field) in [
        ("in=garage", "in"),
        ("in=00000000-0000-4000-8000-000000000000", "in"),
    ] {
        let response = s
            .http
            .get(s.url(&format!("/api/items?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{query}");
        assert!(error_fields(response).await[field].is_string());
    }
    let unknown = s
        .post_item(json!({"name": "Lost", "location": "00000000-0000-4000-8000-000000000000"}))
        .await;
    assert_eq!(unknown.status(), 422);
    assert!(error_fields(unknown).await["location"].is_string());
}

#[tokio::test]
async fn deleting_a_location_asks_where_its_contents_go() {
    let s = TestServer::start().await;
    let garage = add(&s, "Garage", None).await;
    let shelf = add(&s, "Shelf", Some(&garage)).await;
    let shed = add(&s, "Shed", None).await;
    for name in ["Drill", "Saw"] {
        s.post_item(json!({"name": name, "location": garage["id"]}))
            .await;
    }
    let path = format!("/api/locations/{}", garage["id"].as_str().unwrap());
    let refused = s.http.delete(s.url(&path)).send().await.unwrap();
    assert_eq!(refused.status(), 409);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("2 item(s) and 1 location(s)"),
        "{body}"
    );
    let into_itself = s
        .http
        .delete(s.url(&format!(
            "{path}?contents_to={}",
            shelf["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(into_itself.status(), 422);
    let deleted = s
        .http
        .delete(s.url(&format!(
            "{path}?contents_to={}",
            shed["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    let report: Value = deleted.json().await.unwrap();
    assert_eq!(report, json!({"changed": 2, "failed": [], "more": false}));
    assert_eq!(s.http.get(s.url(&path)).send().await.unwrap().status(), 404);
    let tree: Vec<Value> = s.get_json("/api/locations").await;
    let paths: Vec<&str> = tree.iter().map(|l| l["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["Shed", "Shed › Shelf"]);
    let within: Vec<Value> = s
        .get_json(&format!("/api/items?in={}", shed["id"].as_str().unwrap()))
        .await;
    assert_eq!(names(&within), ["Saw", "Drill"]);
}
