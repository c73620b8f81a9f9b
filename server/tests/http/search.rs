//! Search over HTTP: `GET /api/items?q=` and the list page's search box, without JavaScript.
//! What matches and in which order is the store conformance suite's (both backends); this is
//! the wire: the parameter, its errors, paging that keeps the search, the page's form.

use crate::common::{error_fields, TestServer};
use reqwest::header;
use serde_json::Value;

async fn catalogue(s: &TestServer) {
    for (name, description) in [
        ("Cordless Screwdriver", "Blue case, 20 bits"),
        ("Café table", "Round, marble top"),
        ("Screwdriver set", "Flat and Phillips"),
        ("Hammer", "Claw"),
    ] {
        s.create(name, description).await;
    }
}

fn names(page: &[Value]) -> Vec<&str> {
    page.iter()
        .map(|item| item["name"].as_str().unwrap())
        .collect()
}

/// The next page's URL from a response's `Link`, if any.
fn next_link(response: &reqwest::Response) -> Option<String> {
    let link = response.headers().get(header::LINK)?.to_str().unwrap();
    Some(link[1..link.find('>').unwrap()].to_owned())
}

#[tokio::test]
async fn the_api_searches_with_q_and_pages_keep_the_search() {
    let s = TestServer::start().await;
    catalogue(&s).await;
    let found: Vec<Value> = s.get_json("/api/items?q=Screwdiver").await;
    assert_eq!(names(&found), ["Screwdriver set", "Cordless Screwdriver"]);
    let found: Vec<Value> = s.get_json("/api/items?q=CAFE%20marb").await;
    assert_eq!(names(&found), ["Café table"]);
    let found: Vec<Value> = s.get_json("/api/items?q=xylophone").await;
    assert!(found.is_empty());
    // Blank is no search: the whole list, newest first.
    let all: Vec<Value> = s.get_json("/api/items?q=%20").await;
    assert_eq!(all.len(), 4);

    // The search goes on in the next page's link, as typed.
    let mut url = Some(s.url("/api/items?q=Scre%3F&limit=1"));
    let mut seen = Vec::new();
    while let Some(next) = url.take() {
        let response = s.http.get(&next).send().await.unwrap();
        assert_eq!(response.status(), 200);
        url = next_link(&response);
        if let Some(link) = &url {
            assert!(
                link.contains("/api/items?q=Scre%3F&limit=1&cursor="),
                "{link}"
            );
        }
        let page: Vec<Value> = response.json().await.unwrap();
        seen.extend(names(&page).into_iter().map(str::to_owned));
        assert!(seen.len() <= 2, "paging must end");
    }
    assert_eq!(seen, ["Screwdriver set", "Cordless Screwdriver"]);
}

#[tokio::test]
async fn bad_searches_and_cursors_of_the_other_kind_are_400_naming_the_field() {
    let s = TestServer::start().await;
    catalogue(&s).await;
    let list = s
        .http
        .get(s.url("/api/items?limit=1"))
        .send()
        .await
        .unwrap();
    let list_next = next_link(&list).unwrap();
    let list_cursor = list_next.split("cursor=").nth(1).unwrap().to_owned();
    let search = s
        .http
        .get(s.url("/api/items?q=scre&limit=1"))
        .send()
        .await
        .unwrap();
    let search_next = next_link(&search).unwrap();
    let search_cursor = search_next.split("cursor=").nth(1).unwrap().to_owned();
    let long = "a".repeat(201);
    for (query, field) in [
        (format!("q={long}"), "q"),
        ("q=a+b+c+d+e+f+g+h+i".to_owned(), "q"),
        (format!("q=scre&cursor={list_cursor}"), "cursor"),
        (format!("cursor={search_cursor}"), "cursor"),
    ] {
        let response = s
            .http
            .get(s.url(&format!("/api/items?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{query}");
        let fields = error_fields(response).await;
        assert!(fields[field].is_string(), "{query}: {fields}");
    }
}

#[tokio::test]
async fn the_list_page_searches_as_a_plain_get_form() {
    let s = TestServer::start().await;
    catalogue(&s).await;
    let page = s.http.get(s.url("/")).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(
        html.contains(r#"role="search" method="get" action="/""#),
        "{html}"
    );
    assert!(html.contains(r#"name="q""#));

    let page = s.http.get(s.url("/?q=screwdiver")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Cordless Screwdriver") && html.contains("Screwdriver set"));
    assert!(
        !html.contains("Café table") && !html.contains(">Hammer<"),
        "{html}"
    );
    assert!(
        html.contains(r#"value="screwdiver""#),
        "the box keeps the search"
    );
    assert!(
        html.contains("<title>“screwdiver”"),
        "the title names the search"
    );

    let page = s.http.get(s.url("/?q=xylophone")).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("Nothing matches"), "{html}");

    let long = "a".repeat(201);
    let page = s
        .http
        .get(s.url(&format!("/?q={long}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 400);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("at most 200 characters"));
}
