//! The server-rendered pages and the plain form posts behind them (no JavaScript involved).

use crate::common;

use common::TestServer;
use reqwest::header;
use serde_json::Value;

async fn html(s: &TestServer, path: &str) -> (u16, String) {
    let response = s.http.get(s.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn pages_render_items_with_their_text_escaped() {
    let s = TestServer::start().await;
    let (status, page) = html(&s, "/").await;
    assert_eq!(status, 200);
    assert!(page.contains("Your shelf is empty"));
    // What a search engine shows under the link.
    assert!(
        page.contains("<meta name=\"description\" content=\"Shelf keeps a record of your things"),
        "{page}"
    );

    let item = s
        .create("<script>alert(1)</script> & co", "line one\nline two")
        .await;
    let (_, list) = html(&s, "/").await;
    assert!(list.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(!list.contains("<script>alert(1)"));

    let (status, page) = html(&s, &format!("/items/{}", item["id"].as_str().unwrap())).await;
    assert_eq!(status, 200);
    assert!(page.contains("line one\nline two"));
    assert!(
        page.contains("<title>&lt;script&gt;"),
        "the title names the item"
    );

    // Raw-text elements (<title>, <textarea>) cannot be closed from inside.
    let sneaky = s
        .create(
            "</title><script>alert(1)</script>",
            "</textarea><script>alert(2)</script>",
        )
        .await;
    let id = sneaky["id"].as_str().unwrap();
    for path in [format!("/items/{id}"), format!("/items/{id}/edit")] {
        let (_, page) = html(&s, &path).await;
        assert!(!page.contains("<script>alert("), "{path} lets markup out");
    }
}

#[tokio::test]
async fn missing_pages_are_404() {
    let s = TestServer::start().await;
    for path in [
        "/items/0b6b7c1e-35a4-4d3e-9b1f-2f6a8f0c9d11",
        "/items/not-an-id",
        "/nope",
        "/items/not-an-id/edit",
    ] {
        let (status, page) = html(&s, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(page.contains("Nothing here"), "{path}");
    }
    let (status, _) = html(&s, "/?cursor=tampered").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn plain_create_redirects_to_the_item_or_shows_the_form_again() {
    let s = TestServer::start().await;
    let invalid = s
        .post_form(
            "/items/new",
            &[
                ("id", ""),
                ("name", " "),
                ("description", "kept <b>safe</b>"),
            ],
        )
        .await;
    assert_eq!(invalid.status(), 422);
    let page = invalid.text().await.unwrap();
    assert!(page.contains("Name is required."));
    assert!(
        page.contains("kept &lt;b&gt;safe&lt;/b&gt;"),
        "the input is shown again, escaped"
    );

    let id = "01J0000000000000000000000A";
    let created = s
        .post_form(
            "/items/new",
            &[
                ("id", id),
                ("name", "Typewriter"),
                ("description", "a\r\nb"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    assert_eq!(created.headers()[header::LOCATION], format!("/items/{id}"));
    let item: Value = s.get_json(&format!("/api/items/{id}")).await;
    assert_eq!(
        item["description"], "a\nb",
        "CRLF from the textarea is stored as LF"
    );

    // The same form posted twice (a double click) creates one item.
    let again = s
        .post_form(
            "/items/new",
            &[
                ("id", id),
                ("name", "Typewriter"),
                ("description", "a\r\nb"),
            ],
        )
        .await;
    assert_eq!(again.status(), 303);
    // The same form reused with other content is refused and says so.
    let reused = s
        .post_form("/items/new", &[("id", id), ("name", "Something else")])
        .await;
    assert_eq!(reused.status(), 409);
    assert!(reused
        .text()
        .await
        .unwrap()
        .contains("This form was already used"));
    let all: Vec<Value> = s.get_json("/api/items").await;
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn plain_edit_detects_a_stale_version() {
    let s = TestServer::start().await;
    let item = s.create("Desk", "Oak").await;
    let id = item["id"].as_str().unwrap();
    let edit = format!("/items/{id}/edit");

    let saved = s
        .post_form(
            &edit,
            &[
                ("version", "1"),
                ("name", "Desk v2"),
                ("description", "Oak"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(saved.headers()[header::LOCATION], format!("/items/{id}"));

    let stale = s
        .post_form(
            &edit,
            &[
                ("version", "1"),
                ("name", "Mine"),
                ("description", "Mine too"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let page = stale.text().await.unwrap();
    assert!(page.contains("Someone else changed this item"));
    assert!(page.contains("Desk v2"), "shows the stored version");
    assert!(page.contains("value=\"Mine\""), "keeps the user's input");
    assert!(
        page.contains("name=\"version\" value=\"2\""),
        "saving again overwrites knowingly"
    );

    let tampered = s
        .post_form(&edit, &[("version", "x"), ("name", "Mine")])
        .await;
    assert_eq!(tampered.status(), 422);

    s.http
        .delete(s.url(&format!("/api/items/{id}")))
        .send()
        .await
        .unwrap();
    let gone = s
        .post_form(&edit, &[("version", "2"), ("name", "Mine")])
        .await;
    assert_eq!(gone.status(), 404);
    let page = gone.text().await.unwrap();
    assert!(page.contains("This item no longer exists") && page.contains("value=\"Mine\""));
}

#[tokio::test]
async fn plain_delete_redirects_to_the_list() {
    let s = TestServer::start().await;
    let item = s.create("Old shoe", "").await;
    let id = item["id"].as_str().unwrap();
    let deleted = s
        .post_form(&format!("/items/{id}/delete"), &[] as &[(&str, &str)])
        .await;
    assert_eq!(deleted.status(), 303);
    assert_eq!(deleted.headers()[header::LOCATION], "/");
    assert_eq!(
        s.http
            .get(s.url(&format!("/api/items/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // Deleting again (a second click) lands on the list as well.
    assert_eq!(
        s.post_form(&format!("/items/{id}/delete"), &[] as &[(&str, &str)])
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let s = TestServer::start().await;
    for path in ["/", "/api/items"] {
        let response = s.http.get(s.url(path)).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
}

/// The item form without photos is a few kB: a URL-encoded post past the JSON bodies' limit is
/// refused before it is read whole (it used to be read, up to the photo forms' 64 MiB, and only
/// then found too long).
#[tokio::test]
async fn an_item_form_without_photos_gets_the_small_body_limit() {
    let s = TestServer::start().await;
    let padding = "x".repeat(server::routes::api::JSON_BODY_LIMIT + 1);
    for path in [
        "/items/new",
        "/items/00000000-0000-4000-8000-000000000000/edit",
    ] {
        let response = s
            .post_form(path, &[("name", "Lamp"), ("description", &padding)])
            .await;
        assert_eq!(response.status(), 413, "{path}");
        assert!(response.text().await.unwrap().contains("64 KiB"));
    }
    let fits = s
        .post_form("/items/new", &[("name", "Lamp"), ("description", "A lamp")])
        .await;
    assert_eq!(fits.status(), 303, "a real form still passes");
}

/// Every response has its own browsing context, the camera for our pages only, and over
/// HTTPS (as the ALB says it) HSTS; over plain HTTP, where browsers ignore it, no HSTS.
#[tokio::test]
async fn responses_isolate_the_window_limit_features_and_pin_https() {
    let s = TestServer::start().await;
    for path in ["/", "/api/items", "/healthz", "/no-such-page"] {
        let plain = s.http.get(s.url(path)).send().await.unwrap();
        let headers = plain.headers();
        assert_eq!(
            headers["cross-origin-opener-policy"], "same-origin",
            "{path}"
        );
        let features = headers["permissions-policy"].to_str().unwrap();
        assert!(features.contains("camera=(self)") && features.contains("geolocation=()"));
        assert_eq!(headers["x-frame-options"], "DENY");
        assert!(!headers.contains_key("strict-transport-security"), "{path}");
        let https = s
            .http
            .get(s.url(path))
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .unwrap();
        assert_eq!(
            https.headers()["strict-transport-security"],
            "max-age=31536000"
        );
    }
}

/// Pages run under a nonce-based policy (a new nonce each response, on every script Leptos
/// writes); everything else under one that allows nothing; the photo worker under its own.
#[tokio::test]
async fn pages_scripts_carry_the_nonce_of_a_strict_content_security_policy() {
    let s = TestServer::start().await;
    let nonce_of = |policy: &str| {
        policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no nonce in {policy}"))
    };
    let mut nonces = Vec::new();
    for path in ["/", "/items/new", "/no-such-page", "refused /items/new"] {
        let page = match path.strip_prefix("refused ") {
            // A refused form post renders its page again, outside Leptos' routes.
            Some(form) => s.post_form(form, &[("name", "")]).await,
            None => s.http.get(s.url(path)).send().await.unwrap(),
        };
        let policy = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        for part in [
            "default-src 'none'",
            "'strict-dynamic'",
            "'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "style-src 'self'",
        ] {
            assert!(policy.contains(part), "{path}: {policy} lacks {part}");
        }
        assert!(
            !policy.contains("'unsafe-eval'") && !policy.contains("script-src 'unsafe-inline'")
        );
        let nonce = nonce_of(&policy);
        let html = page.text().await.unwrap();
        let scripts = html.matches("<script").count();
        assert!(scripts > 0, "{path}: no scripts");
        assert_eq!(
            html.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts,
            "{path}: every script carries the nonce"
        );
        nonces.push(nonce);
    }
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a new nonce each response");

    for path in ["/api/items", "/healthz"] {
        let response = s.http.get(s.url(path)).send().await.unwrap();
        assert!(response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'"));
    }
    let worker = s
        .http
        .get(s.url("/photo-worker/worker.js"))
        .send()
        .await
        .unwrap();
    let policy = worker.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{policy}"
    );
}
