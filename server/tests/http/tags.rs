//! Tags and quantities over HTTP: the REST fields and their errors, an old client's `PUT`
//! that keeps them, `?tag=` with paging, `/api/tags` and renames; and the pages without
//! JavaScript: the form's fields, the chips, the list filtered by a tag link. Which items a
//! filter keeps, in which order, is the store conformance suite's (both backends).

use crate::common::{error_fields, TestServer};
use reqwest::header;
use serde_json::{json, Value};

fn names(page: &[Value]) -> Vec<&str> {
    page.iter()
        .map(|item| item["name"].as_str().unwrap())
        .collect()
}

async fn tagged(s: &TestServer, name: &str, tags: &[&str]) -> Value {
    let created = s.post_item(json!({"name": name, "tags": tags})).await;
    assert_eq!(created.status(), 201);
    created.json().await.unwrap()
}

#[tokio::test]
async fn items_carry_tags_and_a_quantity_and_old_clients_keep_them() {
    let s = TestServer::start().await;
    let created = s
        .post_item(
            json!({"name": "Drill", "tags": ["power tools", "Garage", "garage"], "quantity": 2}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let item: Value = created.json().await.unwrap();
    assert_eq!(item["tags"], json!(["Garage", "power tools"]));
    assert_eq!(item["quantity"], 2);
    let id = item["id"].as_str().unwrap().to_owned();
    let path = format!("/api/items/{id}");

    // An old client replaces the name and description only: tags and quantity stay.
    let old = s
        .http
        .put(s.url(&path))
        .json(&json!({"name": "Cordless drill", "description": "18 V"}))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 200);
    let item: Value = old.json().await.unwrap();
    assert_eq!(
        (&item["name"], &item["tags"], &item["quantity"]),
        (
            &json!("Cordless drill"),
            &json!(["Garage", "power tools"]),
            &json!(2)
        )
    );
    // What a client read, sent back with changes, changes them; null removes the quantity.
    let mut back = item.clone();
    back["tags"] = json!(["Workshop"]);
    back["quantity"] = Value::Null;
    let put = s.http.put(s.url(&path)).json(&back).send().await.unwrap();
    assert_eq!(put.status(), 200);
    let item: Value = put.json().await.unwrap();
    assert_eq!(
        (&item["tags"], &item["quantity"]),
        (&json!(["Workshop"]), &Value::Null)
    );
    let read: Value = s.get_json(&path).await;
    assert_eq!(read, item);
}

#[tokio::test]
async fn bad_tags_and_quantities_are_422_naming_the_field() {
    let s = TestServer::start().await;
    let many: Vec<String> = (0..21).map(|i| format!("tag {i}")).collect();
    for (body, field) in [
        (json!({"name": "A", "tags": ["a,b"]}), "tags"),
        (json!({"name": "A", "tags": [""]}), "tags"),
        (json!({"name": "A", "tags": "garage"}), "tags"),
        (json!({"name": "A", "tags": [5]}), "tags"),
        (json!({"name": "A", "tags": many}), "tags"),
        (json!({"name": "A", "tags": ["x".repeat(41)]}), "tags"),
        (json!({"name": "A", "quantity": -1}), "quantity"),
        (json!({"name": "A", "quantity": 1_000_001}), "quantity"),
        (json!({"name": "A", "quantity": 1.5}), "quantity"),
        (json!({"name": "A", "quantity": "3"}), "quantity"),
    ] {
        let response = s.post_item(body.clone()).await;
        assert_eq!(response.status(), 422, "{body}");
        let fields = error_fields(response).await;
        assert!(fields[field].is_string(), "{body}: {fields}");
    }
    let all: Vec<Value> = s.get_json("/api/items").await;
    assert!(all.is_empty(), "nothing was created");
}

#[tokio::test]
async fn the_api_filters_by_tags_and_pages_keep_them() {
    let s = TestServer::start().await;
    tagged(&s, "Drill", &["garage", "power tools"]).await;
    tagged(&s, "Saw", &["Garage"]).await;
    tagged(&s, "Whisk", &["kitchen"]).await;
    tagged(&s, "Sander", &["garage", "POWER TOOLS"]).await;

    let found: Vec<Value> = s.get_json("/api/items?tag=GARAGE").await;
    assert_eq!(names(&found), ["Sander", "Saw", "Drill"]);
    let found: Vec<Value> = s.get_json("/api/items?tag=garage&tag=power-tools").await;
    assert_eq!(names(&found), ["Sander", "Drill"]);
    let found: Vec<Value> = s.get_json("/api/items?tag=garage&q=sa").await;
    assert_eq!(names(&found), ["Sander", "Saw"]);

    // The next page's link keeps the tags.
    let first = s
        .http
        .get(s.url("/api/items?tag=garage&tag=power%20tools&limit=1"))
        .send()
        .await
        .unwrap();
    let link = first.headers()[header::LINK].to_str().unwrap().to_owned();
    assert!(
        link.contains("/api/items?tag=garage&tag=power+tools&limit=1&cursor="),
        "{link}"
    );
    let next = &link[1..link.find('>').unwrap()];
    let second: Vec<Value> = s.get_json_url(next).await;
    assert_eq!(names(&second), ["Drill"]);

    let eleven: String = (0..11).map(|i| format!("tag=t{i}&")).collect();
    for query in [eleven.as_str(), "tag=a%2Cb", "tag=%21%21"] {
        let response = s
            .http
            .get(s.url(&format!("/api/items?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{query}");
        assert!(error_fields(response).await["tag"].is_string(), "{query}");
    }
}

#[tokio::test]
async fn tags_are_listed_with_counts_and_renamed_everywhere() {
    let s = TestServer::start().await;
    tagged(&s, "Drill", &["tools", "red"]).await;
    tagged(&s, "Saw", &["Tools", "Workshop"]).await;
    tagged(&s, "Whisk", &["kitchen"]).await;
    let tags: Value = s.get_json("/api/tags").await;
    assert_eq!(
        tags,
        json!([
            {"tag": "Tools", "items": 2},
            {"tag": "kitchen", "items": 1},
            {"tag": "red", "items": 1},
            {"tag": "Workshop", "items": 1},
        ])
    );
    let renamed = s
        .http
        .post(s.url("/api/tags/rename"))
        .json(&json!({"from": "TOOLS", "to": "Workshop"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    let report: Value = renamed.json().await.unwrap();
    assert_eq!(
        report,
        json!({"changed": 2, "unchanged": 0, "failed": [], "more": false})
    );
    let tags: Value = s.get_json("/api/tags").await;
    assert_eq!(tags[0], json!({"tag": "Workshop", "items": 2}));

    for body in [
        json!({"from": "tools"}),
        json!({"from": "", "to": "x"}),
        json!({"from": "a", "to": "b,c"}),
        json!({"from": "a", "to": "b", "extra": 1}),
    ] {
        let response = s
            .http
            .post(s.url("/api/tags/rename"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{body}");
    }
}

#[tokio::test]
async fn pages_take_tags_and_a_quantity_and_filter_by_tag_links() {
    let s = TestServer::start().await;
    tagged(&s, "Whisk", &["kitchen"]).await;
    let invalid = s
        .http
        .post(s.url("/items/new"))
        .form(&[
            ("id", ""),
            ("name", "Drill"),
            ("tags", "garage, a\u{7}b"),
            ("quantity", "lots"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), 422);
    let page = invalid.text().await.unwrap();
    assert!(
        page.contains("must not contain commas or control characters"),
        "{page}"
    );
    assert!(page.contains("Quantity must be a whole number"), "{page}");

    let id = "01J0000000000000000000000T";
    let created = s
        .http
        .post(s.url("/items/new"))
        .form(&[
            ("id", id),
            ("name", "Drill"),
            ("tags", "garage, Power tools"),
            ("quantity", "3"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    let item: Value = s.get_json(&format!("/api/items/{id}")).await;
    assert_eq!(
        (&item["tags"], &item["quantity"]),
        (&json!(["garage", "Power tools"]), &json!(3))
    );

    // The item's page shows them; its edit form holds them.
    let html = s.html(&format!("/items/{id}")).await;
    assert!(html.contains(r#"href="/?tag=Power+tools""#), "{html}");
    assert!(html.contains("Quantity"), "{html}");
    let html = s.html(&format!("/items/{id}/edit")).await;
    assert!(html.contains(r#"value="garage, Power tools""#), "{html}");
    assert!(
        html.contains(r#"name="quantity""#) && html.contains(r#"value="3""#),
        "{html}"
    );

    // The list offers the tags as filter links; following one keeps only its items.
    let html = s.html("/").await;
    assert!(html.contains(r#"aria-label="Filter by tag""#), "{html}");
    assert!(html.contains(r#"href="/?tag=kitchen""#), "{html}");
    let html = s.html("/?tag=kitchen").await;
    assert!(
        html.contains(">Whisk<") && !html.contains(">Drill<"),
        "{html}"
    );
    assert!(html.contains("Stop filtering by"), "{html}");
    // The search box keeps the chosen tag.
    assert!(
        html.contains(r#"type="hidden" name="tag" value="kitchen""#),
        "{html}"
    );
}

#[tokio::test]
async fn the_tags_page_lists_and_renames_without_javascript() {
    let s = TestServer::start().await;
    tagged(&s, "Drill", &["tools"]).await;
    tagged(&s, "Saw", &["Tools", "workshop"]).await;
    let html = s.html("/tags").await;
    assert!(
        html.contains(r#"href="/?tag=Tools""#) && html.contains("2 items"),
        "{html}"
    );
    assert!(html.contains(r#"action="/tags/rename""#), "{html}");

    let renamed = s
        .http
        .post(s.url("/tags/rename"))
        .form(&[("from", "Tools"), ("to", "Workshop")])
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    let html = renamed.text().await.unwrap();
    assert!(
        html.contains("Renamed “Tools” to “Workshop” on 2 items."),
        "{html}"
    );
    let tags: Value = s.get_json("/api/tags").await;
    assert_eq!(tags, json!([{"tag": "Workshop", "items": 2}]));

    let refused = s
        .http
        .post(s.url("/tags/rename"))
        .form(&[("from", "workshop"), ("to", "a, b")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("must not contain commas"));
}
