//! Who may do what without credentials: `--anonymous-access none` (the default) refuses every
//! entry point with 401 (and the API says how to authenticate), `read` lets the old clients
//! read but not change, `edit` lets them do both. Every entry point: REST, upload grants, plain
//! form posts, server functions.

use crate::common::TestServer;
use leptos::server_fn::ServerFn;
use serde_json::json;

/// A server function's URL, as the hydrated page calls it.
fn server_fn_url<F: ServerFn>(server: &TestServer) -> String {
    server.url(F::PATH)
}

async fn create_by_server_fn(server: &TestServer) -> reqwest::Response {
    server
        .http
        .post(server_fn_url::<app::server_fns::CreateItem>(server))
        .form(&[
            ("form[id]", ""),
            ("form[name]", "Lamp"),
            ("form[description]", ""),
        ])
        .send()
        .await
        .unwrap()
}

async fn create_by_form(server: &TestServer) -> reqwest::Response {
    server
        .http
        .post(server.url("/items/new"))
        .form(&[("name", "Lamp"), ("description", "")])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn without_anonymous_access_every_entry_point_asks_for_credentials() {
    let s = TestServer::start_with(&["--anonymous-access", "none"]).await;
    let id = uuid::Uuid::new_v4();
    let api = [
        s.http.get(s.url("/api/items")),
        s.http.get(s.url(&format!("/api/items/{id}"))),
        s.http
            .post(s.url("/api/items"))
            .json(&json!({"name": "Lamp"})),
        s.http
            .put(s.url(&format!("/api/items/{id}")))
            .json(&json!({"name": "Lamp"})),
        s.http.delete(s.url(&format!("/api/items/{id}"))),
        s.http
            .post(s.url(&format!("/api/items/{id}/photos/uploads")))
            .json(&json!({})),
    ];
    for request in api {
        let response = request.send().await.unwrap();
        let url = response.url().to_string();
        assert_eq!(response.status(), 401, "{url}");
        let challenge = response.headers()["www-authenticate"].to_str().unwrap();
        assert!(challenge.starts_with("Bearer"), "{url}: {challenge}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(
            body["error"].as_str().unwrap().contains("sign in"),
            "{url}: {body}"
        );
    }
    assert_eq!(create_by_form(&s).await.status(), 401);
    assert_eq!(create_by_server_fn(&s).await.status(), 401);
    let list = s
        .http
        .post(server_fn_url::<app::server_fns::ListItems>(&s))
        .form(&[("cursor", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 401);
}

#[tokio::test]
async fn anonymous_read_access_reads_and_changes_nothing() {
    let writer = TestServer::start_with(&["--anonymous-access", "read"]).await;
    let listed = writer
        .http
        .get(writer.url("/api/items"))
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
    let created = writer
        .http
        .post(writer.url("/api/items"))
        .json(&json!({"name": "Lamp"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 401, "read access does not create");
    assert_eq!(create_by_form(&writer).await.status(), 401);
    assert_eq!(create_by_server_fn(&writer).await.status(), 401);
    let items: Vec<serde_json::Value> = writer.get_json("/api/items").await;
    assert!(items.is_empty(), "nothing was created: {items:?}");
}

#[tokio::test]
async fn anonymous_edit_access_is_the_old_services_behaviour() {
    let s = TestServer::start_with(&["--anonymous-access", "edit"]).await;
    assert_eq!(create_by_form(&s).await.status(), 303);
    assert_eq!(create_by_server_fn(&s).await.status(), 200);
    let item = s.create("Kettle", "").await;
    let id = item["id"].as_str().unwrap();
    let deleted = s
        .http
        .delete(s.url(&format!("/api/items/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let items: Vec<serde_json::Value> = s.get_json("/api/items").await;
    assert_eq!(items.len(), 2, "the form's and the server function's lamps");
}
