//! `GET /api/items` kept as sent (the embedded store): the same page asked for again is the
//! kept one, with its `ETag` and `Link`, until the collection's revision changes; another
//! query or another origin has a page of its own.

use crate::common::TestServer;
use reqwest::{header, Response, StatusCode};

async fn get(s: &TestServer, path: &str, headers: &[(header::HeaderName, &str)]) -> Response {
    let mut request = s.http.get(s.url(path));
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    request.send().await.unwrap()
}

/// Status, `ETag`, `Link` and body.
async fn parts(response: Response) -> (StatusCode, String, String, String) {
    let header = |name| {
        response
            .headers()
            .get(name)
            .map(|value: &header::HeaderValue| value.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (tag, link) = (header(header::ETAG), header(header::LINK));
    (response.status(), tag, link, response.text().await.unwrap())
}

#[tokio::test]
async fn a_list_asked_again_is_sent_as_kept_until_the_collection_changes() {
    let s = TestServer::start().await;
    s.create("Kettle", "").await;
    s.create("Lamp", "").await;
    let path = "/api/items?limit=1";
    let first = parts(get(&s, path, &[]).await).await;
    assert_eq!(first.0, StatusCode::OK);
    assert!(first.1.starts_with("W/\""), "{first:?}");
    assert!(first.2.contains("rel=\"next\""), "{first:?}");
    assert!(first.3.contains("Lamp"), "newest first: {first:?}");

    // Behind the revision's back (its trigger gone), every name changes: only a page read
    // from the store would show it, so a page without it was sent as kept.
    let db = rusqlite::Connection::open(s.data_dir.path().join("shelf.db")).unwrap();
    db.execute_batch(
        "DROP TRIGGER revision_item_changed;
         UPDATE items SET name = 'Renamed unseen';",
    )
    .unwrap();
    assert_eq!(parts(get(&s, path, &[]).await).await, first, "sent as kept");
    let revalidated = parts(get(&s, path, &[(header::IF_NONE_MATCH, &first.1)]).await).await;
    assert_eq!(
        revalidated,
        (
            StatusCode::NOT_MODIFIED,
            first.1.clone(),
            first.2.clone(),
            String::new()
        ),
        "a kept page answers If-None-Match as a read one does"
    );

    // Another query is a page of its own, read now.
    let all = parts(get(&s, "/api/items", &[]).await).await;
    assert_eq!(all.3.matches("Renamed unseen").count(), 2, "{all:?}");
    assert!(all.2.is_empty(), "one page, no next: {all:?}");
    // So is another origin: its `Link` names that origin.
    let elsewhere = parts(get(&s, path, &[(header::HOST, "other.example")]).await).await;
    assert!(
        elsewhere.2.starts_with("<http://other.example/api/items?"),
        "{elsewhere:?}"
    );
    assert!(elsewhere.3.contains("Renamed unseen"), "{elsewhere:?}");

    // A write the revision sees: the page is read again.
    s.create("Toaster", "").await;
    let fresh = parts(get(&s, path, &[(header::IF_NONE_MATCH, &first.1)]).await).await;
    assert_eq!(fresh.0, StatusCode::OK);
    assert_ne!(fresh.1, first.1);
    assert!(fresh.3.contains("Toaster"), "{fresh:?}");
}

/// A bad query is answered with its error each time, and never kept in a page's place.
#[tokio::test]
async fn a_refused_list_is_not_kept() {
    let s = TestServer::start().await;
    s.create("Kettle", "").await;
    for _ in 0..2 {
        let refused = parts(get(&s, "/api/items?cursor=forged", &[]).await).await;
        assert_eq!(refused.0, StatusCode::BAD_REQUEST, "{refused:?}");
        assert!(refused.3.contains("cursor"), "{refused:?}");
    }
}
