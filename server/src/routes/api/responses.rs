//! Pieces of responses the handlers share: a versioned thing (an item, a location) with its
//! `ETag`, a page of items' `ETag`, and the origin for absolute URLs.

use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::model::Item;
use serde::Serialize;
use std::hash::{Hash, Hasher};

/// `item` as JSON with its `ETag`.
pub fn item_response(status: StatusCode, item: Item) -> Response {
    versioned_response(status, &item, item.version)
}

/// `body` as JSON with the `ETag` of its `version` (an item's, a location's).
pub fn versioned_response(status: StatusCode, body: &impl Serialize, version: u64) -> Response {
    let mut response = (status, Json(body)).into_response();
    insert_etag(&mut response, version);
    response
}

/// The `ETag` of `version`, as `If-Match` expects it back.
pub fn insert_etag(response: &mut Response, version: u64) {
    if let Ok(value) = HeaderValue::try_from(format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
}

/// The `ETag` of a page of items: a hash of what its JSON is made of (each item's id and
/// version, which every change to an item raises, its photos' URLs, which are signed for a
/// time, and where the next page starts). Computed from the page as read, before anything is
/// serialised, so answering `If-None-Match` with 304 costs the store read and no more. Weak:
/// the same items always give the same JSON, but nothing promises its bytes.
pub fn page_tag(items: &[Item], next: Option<&str>) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    for item in items {
        (item.id.as_str(), item.version).hash(&mut hasher);
        for photo in &item.photos {
            (&photo.url, &photo.thumb_url).hash(&mut hasher);
        }
    }
    next.hash(&mut hasher);
    format!("W/\"p{:016x}\"", hasher.finish())
}

/// The origin of the absolute URLs the API hands out (`Link`, upload URLs): `--public-url`
/// when set; otherwise the one the client used, from its `Host` (and behind a load balancer
/// `X-Forwarded-Proto`), which the client chooses.
pub struct PublicOrigin(pub String);

impl FromRequestParts<AppState> for PublicOrigin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(match &state.public_url {
            Some(url) => url.clone(),
            None => origin(&parts.headers),
        }))
    }
}

/// `scheme://host` the client used.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()));
    let Some(host) = host else {
        return String::new();
    };
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_follows_the_forwarded_scheme() {
        let mut headers = HeaderMap::new();
        assert_eq!(origin(&headers), "");
        headers.insert(header::HOST, HeaderValue::from_static("shelf.example:8080"));
        assert_eq!(origin(&headers), "http://shelf.example:8080");
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(origin(&headers), "https://shelf.example:8080");
    }
}
