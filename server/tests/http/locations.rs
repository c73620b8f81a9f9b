//! Locations over HTTP: `/api/locations` (the tree, creates, renames, moves, deletes that say
//! where the contents go), items filed in them, and `GET /api/items?in=`. The tree's rules on
//! both backends are the store conformance suite's.

use crate::common::{error_fields, TestServer};
use reqwest::header;
use serde_json::{json, Value};

/// A location made over REST (in `parent`, or at the top).
pub async fn add(s: &TestServer, name: &str, parent: Option<&Value>) -> Value {
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
    assert_eq!(
        report,
        json!({"changed": 2, "unchanged": 0, "failed": [], "more": false})
    );
    assert_eq!(s.http.get(s.url(&path)).send().await.unwrap().status(), 404);
    let tree: Vec<Value> = s.get_json("/api/locations").await;
    let paths: Vec<&str> = tree.iter().map(|l| l["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["Shed", "Shed › Shelf"]);
    let within: Vec<Value> = s
        .get_json(&format!("/api/items?in={}", shed["id"].as_str().unwrap()))
        .await;
    assert_eq!(names(&within), ["Saw", "Drill"]);
}

#[tokio::test]
async fn the_location_pages_work_as_plain_forms() {
    let s = TestServer::start().await;
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let s = &s;
        async move { s.http.post(s.url(&path)).form(&form).send().await.unwrap() }
    };
    let house_id = "0193f0a4-6f1e-7c2a-9d3b-5a8e2f1c4b70";
    let created = post(
        "/locations/new".into(),
        vec![("id", house_id.into()), ("name", "House".into())],
    )
    .await;
    assert_eq!(created.status(), 303);
    assert_eq!(
        created.headers()[header::LOCATION],
        format!("/locations/{house_id}")
    );
    // Posted twice (a double click), it is one location.
    let again = post(
        "/locations/new".into(),
        vec![("id", house_id.into()), ("name", "House".into())],
    )
    .await;
    assert_eq!(again.status(), 303);
    let garage = post(
        "/locations/new".into(),
        vec![("name", "Garage".into()), ("parent", house_id.into())],
    )
    .await;
    assert_eq!(garage.status(), 303);
    let garage_page = garage.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let garage_id = garage_page.rsplit('/').next().unwrap().to_owned();
    let refused = post("/locations/new".into(), vec![("name", " ".into())]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("A location needs a name."));

    s.post_item(json!({"name": "Drill", "location": garage_id}))
        .await;
    let page = s.html(&garage_page).await;
    assert!(
        page.contains(r#"aria-label="Breadcrumb""#) && page.contains(">House<"),
        "{page}"
    );
    assert!(
        page.contains(">Drill<") && page.contains("1 item"),
        "{page}"
    );
    let list = s.html("/locations").await;
    assert!(
        list.contains(">Garage<") && list.contains("1 item"),
        "{list}"
    );

    // Into itself: the page again, saying why.
    let into_itself = post(
        format!("/locations/{house_id}/move"),
        vec![("version", "1".into()), ("parent", garage_id.clone())],
    )
    .await;
    assert_eq!(into_itself.status(), 422);
    assert!(into_itself
        .text()
        .await
        .unwrap()
        .contains("cannot be moved into itself"));
    let stale = post(
        format!("/locations/{garage_id}/rename"),
        vec![("version", "7".into()), ("name", "Workshop".into())],
    )
    .await;
    assert_eq!(stale.status(), 409);
    let renamed = post(
        format!("/locations/{garage_id}/rename"),
        vec![("version", "1".into()), ("name", "Workshop".into())],
    )
    .await;
    assert_eq!(renamed.status(), 303);

    // A location that holds things asks where they go; then it goes, back to its parent.
    let refused = post(
        format!("/locations/{house_id}/delete"),
        vec![("version", "1".into())],
    )
    .await;
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.unwrap().contains("say where they go"));
    let deleted = post(
        format!("/locations/{garage_id}/delete"),
        vec![("version", "2".into()), ("contents_to", house_id.into())],
    )
    .await;
    assert_eq!(deleted.status(), 303);
    assert_eq!(
        deleted.headers()[header::LOCATION],
        format!("/locations/{house_id}")
    );
    let items: Vec<Value> = s.get_json(&format!("/api/items?in={house_id}")).await;
    assert_eq!(names(&items), ["Drill"]);
    let item_page = s
        .html(&format!("/items/{}", items[0]["id"].as_str().unwrap()))
        .await;
    assert!(
        item_page.contains(r#"aria-label="Where it is""#),
        "{item_page}"
    );
    assert!(
        item_page.contains(&format!(r#"href="/locations/{house_id}""#)),
        "{item_page}"
    );
}
