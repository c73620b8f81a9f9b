//! Bulk changes over HTTP: `POST /api/items/bulk` (named items at the versions seen, or every
//! result of a list query; an item edited since it was picked reported, not overwritten; every
//! malformed body a 422 naming the field), and the same without JavaScript: the list's boxes
//! and bar, the page that counts and names the items, the post and what it answers. What each
//! backend does item by item is the store conformance suite's (both backends).

use crate::common::{error_fields, TestServer};
use serde_json::{json, Value};

async fn add_location(s: &TestServer, name: &str) -> String {
    let location = crate::locations::add(s, name, None).await;
    location["id"].as_str().unwrap().to_owned()
}

async fn tagged(s: &TestServer, name: &str, tags: &[&str]) -> Value {
    let created = s.post_item(json!({"name": name, "tags": tags})).await;
    assert_eq!(created.status(), 201);
    created.json().await.unwrap()
}

fn pick(item: &Value) -> String {
    format!("{}.{}", item["id"].as_str().unwrap(), item["version"])
}

async fn bulk(s: &TestServer, body: Value) -> reqwest::Response {
    s.http
        .post(s.url("/api/items/bulk"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn item(s: &TestServer, item: &Value) -> Value {
    s.get_json(&format!("/api/items/{}", item["id"].as_str().unwrap()))
        .await
}

#[tokio::test]
async fn the_api_moves_tags_and_deletes_reporting_items_changed_since_they_were_seen() {
    let s = TestServer::start().await;
    let garage = add_location(&s, "Garage").await;
    let drill = tagged(&s, "Drill", &["tools"]).await;
    let saw = tagged(&s, "Saw", &["tools"]).await;
    let lamp = tagged(&s, "Lamp", &[]).await;

    // Someone edits the saw after it was picked: the move leaves it, and says so.
    let path = format!("/api/items/{}", saw["id"].as_str().unwrap());
    let edit = s
        .http
        .put(s.url(&path))
        .json(&json!({"name": "Saw", "description": "Sharpened"}));
    assert_eq!(edit.send().await.unwrap().status(), 200);
    let moved = bulk(
        &s,
        json!({"items": [pick(&drill), pick(&saw)], "action": "move", "to": garage}),
    )
    .await;
    assert_eq!(moved.status(), 200);
    let report: Value = moved.json().await.unwrap();
    assert_eq!(
        report,
        json!({"changed": 1, "unchanged": 0, "more": false, "failed": [{
            "id": saw["id"], "name": "Saw",
            "reason": "changed by someone else since it was selected",
        }]})
    );
    assert_eq!(item(&s, &drill).await["location"], json!(garage));
    let saw_now = item(&s, &saw).await;
    assert_eq!(
        (&saw_now["location"], &saw_now["description"]),
        (&Value::Null, &json!("Sharpened"))
    );

    // Every item tagged "tools" (the query as GET /api/items takes it) gets "Workshop" and
    // loses "tools".
    let retagged = bulk(
        &s,
        json!({"matching": {"tag": ["TOOLS"]}, "action": "tag",
               "add_tags": ["Workshop"], "remove_tags": ["tools"]}),
    )
    .await;
    assert_eq!(retagged.status(), 200);
    let report: Value = retagged.json().await.unwrap();
    assert_eq!(
        (&report["changed"], &report["failed"]),
        (&json!(2), &json!([]))
    );
    for it in [&drill, &saw] {
        assert_eq!(item(&s, it).await["tags"], json!(["Workshop"]));
    }
    assert_eq!(item(&s, &lamp).await["tags"], json!([]));

    // Out of any location, by bare id (as it is now); the lamp was in none already.
    let unfiled = bulk(
        &s,
        json!({"items": [drill["id"], lamp["id"]], "action": "move", "to": null}),
    )
    .await;
    let report: Value = unfiled.json().await.unwrap();
    assert_eq!(
        (&report["changed"], &report["unchanged"]),
        (&json!(1), &json!(1))
    );

    // Every result of a search, deleted; an id that never existed is listed, not an error.
    let deleted = bulk(&s, json!({"matching": {"q": "drill"}, "action": "delete"})).await;
    let report: Value = deleted.json().await.unwrap();
    assert_eq!(
        (&report["changed"], &report["failed"]),
        (&json!(1), &json!([]))
    );
    let gone = s
        .http
        .get(s.url(&format!("/api/items/{}", drill["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
    let ghost = "0193f0a4-6f1e-7c2a-9d3b-5a8e2f1c4b7d.1";
    let report: Value = bulk(&s, json!({"items": [ghost], "action": "delete"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["failed"][0]["reason"], "no longer exists");
}

#[tokio::test]
async fn malformed_bulk_changes_are_422_naming_the_field_and_change_nothing() {
    let s = TestServer::start().await;
    let lamp = tagged(&s, "Lamp", &[]).await;
    let id = lamp["id"].clone();
    let twenty_one: Vec<String> = (0..21).map(|i| format!("tag {i}")).collect();
    let many: Vec<String> = (0..1001)
        .map(|i| format!("0193f0a4-6f1e-7c2a-9d3b-{i:012}"))
        .collect();
    for (body, field) in [
        (json!({"items": [id], "action": "move"}), "to"),
        (json!({"items": [id]}), "action"),
        (json!({"items": [id], "action": "paint"}), "action"),
        (json!({"action": "delete"}), "items"),
        (json!({"items": [], "action": "delete"}), "items"),
        (json!({"items": many, "action": "delete"}), "items"),
        (json!({"items": ["nope"], "action": "delete"}), "items"),
        (
            json!({"items": [format!("{}.x", id.as_str().unwrap())], "action": "delete"}),
            "items",
        ),
        (
            json!({"items": [id], "matching": {}, "action": "delete"}),
            "matching",
        ),
        (json!({"items": [id], "action": "delete", "to": null}), "to"),
        (json!({"items": [id], "action": "tag", "to": null}), "to"),
        (
            json!({"items": [id], "action": "move", "to": null, "add_tags": ["a"]}),
            "add_tags",
        ),
        (
            json!({"items": [id], "action": "move", "to": "somewhere"}),
            "to",
        ),
        (
            json!({"items": [id], "action": "move", "to": "0193f0a4-6f1e-7c2a-9d3b-5a8e2f1c4b7d"}),
            "to",
        ),
        (json!({"items": [id], "action": "tag"}), "add_tags"),
        (
            json!({"items": [id], "action": "tag", "add_tags": ["a,b"]}),
            "add_tags",
        ),
        (
            json!({"items": [id], "action": "tag", "remove_tags": [7]}),
            "remove_tags",
        ),
        (
            json!({"items": [id], "action": "tag", "add_tags": twenty_one}),
            "add_tags",
        ),
        (
            json!({"items": [id], "action": "delete", "extra": 1}),
            "extra",
        ),
        (
            json!({"matching": {"q": "x".repeat(201)}, "action": "delete"}),
            "matching.q",
        ),
        (
            json!({"matching": {"in": "nowhere"}, "action": "delete"}),
            "matching.in",
        ),
        (
            json!({"matching": {"colour": "red"}, "action": "delete"}),
            "matching.colour",
        ),
        (json!({"matching": "all", "action": "delete"}), "matching"),
    ] {
        let response = bulk(&s, body.clone()).await;
        assert_eq!(response.status(), 422, "{body}");
        let fields = error_fields(response).await;
        assert!(fields.get(field).is_some(), "{body}: {fields}");
    }
    assert_eq!(item(&s, &lamp).await, lamp);
}

#[tokio::test]
async fn pages_pick_count_and_change_items_without_javascript() {
    let s = TestServer::start().await;
    let shed = add_location(&s, "Shed").await;
    let drill = tagged(&s, "Drill", &["tools"]).await;
    let saw = tagged(&s, "Saw", &["tools"]).await;
    tagged(&s, "Lamp", &[]).await;

    // The list: a selection form and a box per card tied to it, each at the version shown.
    let list = s.html("/?tag=tools").await;
    assert!(list.contains(r#"<form id="bulk""#), "{list}");
    assert!(list.contains(r#"action="/bulk""#), "{list}");
    let drill_box = format!(r#"form="bulk" name="item" value="{}""#, pick(&drill));
    assert!(list.contains(&drill_box), "{list}");
    assert!(list.contains(r#"name="tag" value="tools""#), "{list}");

    // The bar's GET: the page names and counts what would change.
    let query = format!(
        "/bulk?action=move&item={}&item={}",
        pick(&drill),
        pick(&saw)
    );
    let confirm = s.html(&query).await;
    assert!(confirm.contains("Move 2 items"), "{confirm}");
    assert!(
        confirm.contains("<li>Drill") && confirm.contains("<li>Saw"),
        "{confirm}"
    );
    assert!(confirm.contains(r#"<option value="none">"#), "{confirm}");
    let everything = s.html("/bulk?action=delete&all=1&tag=tools").await;
    assert!(everything.contains("Delete 2 items"), "{everything}");
    let nothing = s.html("/bulk?action=tag").await;
    assert!(nothing.contains("No items are selected"), "{nothing}");

    // The saw is edited meanwhile: the post moves the drill and names the saw.
    let path = format!("/api/items/{}", saw["id"].as_str().unwrap());
    let edit = s
        .http
        .put(s.url(&path))
        .json(&json!({"name": "Saw", "description": "New blade"}));
    assert_eq!(edit.send().await.unwrap().status(), 200);
    let form = [
        ("action", "move".to_owned()),
        ("item", pick(&drill)),
        ("item", pick(&saw)),
        ("to", shed.clone()),
        ("tag", "tools".to_owned()),
    ];
    let posted = s.post_form("/bulk", &form).await;
    assert_eq!(posted.status(), 200);
    let page = posted.text().await.unwrap();
    assert!(page.contains("Moved to Shed: 1 item."), "{page}");
    assert!(
        page.contains("Saw<!></a> — <!>changed by someone else since it was selected"),
        "{page}"
    );
    assert!(page.contains(r#"href="/?tag=tools""#), "{page}");
    assert_eq!(item(&s, &drill).await["location"], json!(shed));

    // Refused as a whole: the form again with the reason, nothing changed.
    let drill_now = item(&s, &drill).await;
    let refused = s
        .post_form(
            "/bulk",
            &[("action", "tag"), ("item", &pick(&drill_now)), ("tags", "")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Name at least one tag to add or remove."),
        "{page}"
    );
    assert!(page.contains("Add tags to 1 item"), "{page}");
    assert_eq!(item(&s, &drill).await, drill_now);

    // Untagging offers the tags the picked items have, to tick.
    let untag = s
        .html(&format!("/bulk?action=untag&item={}", pick(&drill_now)))
        .await;
    assert!(
        untag.contains(r#"name="remove" value="tools""#) && untag.contains("tools (1 item)"),
        "{untag}"
    );
    let untagged = s
        .post_form(
            "/bulk",
            &[
                ("action", "untag"),
                ("item", &pick(&drill_now)),
                ("remove", "tools"),
            ],
        )
        .await;
    let page = untagged.text().await.unwrap();
    assert!(page.contains("Took away “tools”: 1 item."), "{page}");
    let drill_now = item(&s, &drill).await;
    assert_eq!(drill_now["tags"], json!([]));

    // Two items with eleven tags each: all 22 ticked are taken away, though no item could
    // hold that many.
    let mut eleven = Vec::new();
    for half in ["a", "b"] {
        let tags: Vec<String> = (0..11).map(|i| format!("{half}{i}")).collect();
        let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
        eleven.push(tagged(&s, &format!("Box {half}"), &tags).await);
    }
    let mut form: Vec<(&str, String)> = vec![("action", "untag".to_owned())];
    form.extend(eleven.iter().map(|box_| ("item", pick(box_))));
    for half in ["a", "b"] {
        form.extend((0..11).map(|i| ("remove", format!("{half}{i}"))));
    }
    let untagged = s.post_form("/bulk", &form).await;
    assert_eq!(untagged.status(), 200);
    let page = untagged.text().await.unwrap();
    assert!(page.contains(": 2 items."), "{page}");
    for box_ in &eleven {
        assert_eq!(item(&s, box_).await["tags"], json!([]));
    }

    let deleted = s
        .post_form(
            "/bulk",
            &[("action", "delete"), ("item", &pick(&drill_now))],
        )
        .await;
    let page = deleted.text().await.unwrap();
    assert!(page.contains("Deleted: 1 item."), "{page}");
}
