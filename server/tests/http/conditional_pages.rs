//! Conditional GETs of the list and item pages: an `ETag` on the page, `304` without a body
//! (and without a new Content-Security-Policy) while nothing the page shows changed, and a
//! fresh page after any write to the collection's items or locations, for another visitor,
//! or at another URL. The forms are never answered 304.

use crate::common::TestServer;
use crate::locations::add as add_location;
use crate::sign_in::{closed, session_cookie, set_up, sign_in, PASSWORD};
use reqwest::{header, Response, StatusCode};
use serde_json::json;

/// A GET of `path`, as the signed-in `cookie` if one is given, sending `tag` as
/// `If-None-Match` if one is given.
async fn get_as_with(
    s: &TestServer,
    cookie: Option<&str>,
    path: &str,
    tag: Option<&str>,
) -> Response {
    let mut request = s.http.get(s.url(path));
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if let Some(tag) = tag {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    request.send().await.unwrap()
}

async fn get(s: &TestServer, path: &str, tag: Option<&str>) -> Response {
    get_as_with(s, None, path, tag).await
}

fn tag_of(response: &Response) -> String {
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "private, no-cache",
        "kept by the browser alone, and asked about each time"
    );
    let tag = response.headers()[header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(tag.starts_with("W/\""), "{tag}");
    tag
}

/// The page at `path` is answered 304 for `tag`, as a 304 should be.
async fn assert_not_modified(s: &TestServer, path: &str, tag: &str) {
    let again = get(s, path, Some(tag)).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
    assert_eq!(again.headers()[header::ETAG], tag);
    assert!(
        again
            .headers()
            .get(header::CONTENT_SECURITY_POLICY)
            .is_none(),
        "a new policy would replace the kept page's, whose scripts carry its own nonce"
    );
    assert!(again.bytes().await.unwrap().is_empty());
}

/// After a change, `tag` no longer matches: the page comes whole, with a new tag.
async fn assert_changed(s: &TestServer, path: &str, tag: &str, after: &str) -> String {
    let fresh = get(s, path, Some(tag)).await;
    assert_eq!(fresh.status(), StatusCode::OK, "{path} after {after}");
    let new_tag = tag_of(&fresh);
    assert_ne!(new_tag, tag, "{path} after {after}");
    assert!(fresh.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("'nonce-"));
    new_tag
}

#[tokio::test]
async fn the_list_and_item_pages_are_304_until_the_collection_changes() {
    let s = TestServer::start().await;
    let kettle = s.create("Kettle", "").await;
    let item_path = format!("/items/{}", kettle["id"].as_str().unwrap());
    let mut list = tag_of(&get(&s, "/", None).await);
    let mut item = tag_of(&get(&s, &item_path, None).await);
    assert_ne!(list, item);
    assert_not_modified(&s, "/", &list).await;
    assert_not_modified(&s, &item_path, &item).await;
    // Any of several tags, as a browser holding more than one copy may send.
    let several = format!("W/\"other\", {list}");
    assert_eq!(get(&s, "/", Some(&several)).await.status(), 304);

    // Each kind of write to the collection makes both pages new.
    let another = s.create("Toaster", "").await;
    list = assert_changed(&s, "/", &list, "a create").await;
    item = assert_changed(&s, &item_path, &item, "another item's create").await;

    let renamed = s
        .http
        .put(s.url(&item_path.replacen("/items", "/api/items", 1)))
        .json(&json!({"name": "Kettle, steel", "tags": ["kitchen"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    list = assert_changed(&s, "/", &list, "an update").await;
    item = assert_changed(&s, &item_path, &item, "its update").await;

    let shelf = add_location(&s, "Shelf", None).await;
    list = assert_changed(&s, "/", &list, "a new location").await;
    let moved = s
        .http
        .put(s.url(&format!("/api/locations/{}", shelf["id"].as_str().unwrap())))
        .json(&json!({"name": "Top shelf"}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    list = assert_changed(&s, "/", &list, "a location's rename").await;
    item = assert_changed(&s, &item_path, &item, "a location's rename").await;

    let deleted = s
        .http
        .delete(s.url(&format!("/api/items/{}", another["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    list = assert_changed(&s, "/", &list, "a delete").await;
    assert_changed(&s, &item_path, &item, "another item's delete").await;

    // Another URL is another page: a search, another page of the list.
    let search = get(&s, "/?q=kettle", Some(&list)).await;
    assert_eq!(search.status(), 200, "the list's tag is not the search's");
    let search = tag_of(&search);
    assert_not_modified(&s, "/?q=kettle", &search).await;
    assert_not_modified(&s, "/", &list).await;
}

#[tokio::test]
async fn forms_and_missing_items_are_never_304() {
    let s = TestServer::start().await;
    let kettle = s.create("Kettle", "").await;
    let id = kettle["id"].as_str().unwrap();
    let missing = "/items/00000000-0000-4000-8000-000000000000";
    for path in [
        "/items/new".to_owned(),
        format!("/items/{id}/edit"),
        missing.to_owned(),
    ] {
        let page = get(&s, &path, None).await;
        assert!(page.headers().get(header::ETAG).is_none(), "{path}");
        let again = get(&s, &path, Some("*")).await;
        assert_ne!(again.status(), 304, "{path}");
    }
}

#[tokio::test]
async fn a_page_is_each_visitors_own() {
    let s = closed().await;
    let first = session_cookie(&set_up(&s, "ann@example.org", PASSWORD).await);
    let second = session_cookie(&sign_in(&s, "ann@example.org", PASSWORD, "/").await);
    let mine = tag_of(&get_as_with(&s, Some(&first), "/", None).await);
    let theirs = tag_of(&get_as_with(&s, Some(&second), "/", None).await);
    assert_ne!(
        mine, theirs,
        "each session's page carries its own form token, so its own tag"
    );
    let offered = get_as_with(&s, Some(&second), "/", Some(&mine)).await;
    assert_eq!(offered.status(), 200);
    let kept = get_as_with(&s, Some(&first), "/", Some(&mine)).await;
    assert_eq!(kept.status(), 304);
    let anonymous = get(&s, "/", Some(&mine)).await;
    assert_eq!(
        anonymous.status(),
        303,
        "nobody else is answered 304: the guard sends them to sign in first"
    );
}

/// The `'nonce-…'` of a response's Content-Security-Policy.
fn policy_nonce(response: &Response) -> String {
    let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    let start = policy.find("'nonce-").expect("a nonce") + "'nonce-".len();
    policy[start..].split('\'').next().unwrap().to_owned()
}

/// A page asked for again without `If-None-Match` is sent as it was kept, with the nonce of
/// its own response in place of the first one's, until the collection's revision changes.
#[tokio::test]
async fn a_page_asked_again_is_sent_as_kept_with_a_nonce_of_its_own() {
    let s = TestServer::start().await;
    s.create("Kettle", "").await;
    let first = get(&s, "/", None).await;
    let first_nonce = policy_nonce(&first);
    let first_html = first.text().await.unwrap();
    assert!(first_html.contains(&format!("nonce=\"{first_nonce}\"")));

    // Behind the revision's back (its triggers gone), the name changes: only a render would
    // show it, so a page that still has the old name was sent as kept.
    let db = rusqlite::Connection::open(s.data_dir.path().join("shelf.db")).unwrap();
    db.execute_batch(
        "DROP TRIGGER revision_item_changed;
         UPDATE items SET name = 'Renamed unseen';",
    )
    .unwrap();
    let again = get(&s, "/", None).await;
    let again_nonce = policy_nonce(&again);
    assert_ne!(again_nonce, first_nonce, "each response has its own nonce");
    let again_html = again.text().await.unwrap();
    assert!(!again_html.contains("Renamed unseen"), "sent as kept");
    assert!(
        !again_html.contains(&first_nonce),
        "the kept page's nonce is replaced everywhere"
    );
    assert_eq!(again_html, first_html.replace(&first_nonce, &again_nonce));

    // A change the revision sees: rendered again.
    s.create("Toaster", "").await;
    let fresh = get(&s, "/", None).await.text().await.unwrap();
    assert!(fresh.contains("Toaster") && fresh.contains("Renamed unseen"));
}
