//! `GET /media/{key}?expires=…&signature=…`: the embedded store's photos, as a CDN would
//! serve them. Keys are parsed into validated ids before any file is touched, so no path
//! outside the photo folder can be named; the URL's signature must be the one the server made
//! for that photo when it put it on a page or in a JSON answer, and unexpired, so a photo is
//! readable only by whoever the gate let read its item, for as long as the URL lasts. The
//! bytes behind a key never change once attached, so browsers may keep them until then.

use crate::store::local_photos::LocalPhotoStore;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::model::PhotoKey;
use serde::Deserialize;
use std::sync::Arc;
use tokio_util::io::ReaderStream;

#[derive(Deserialize)]
pub struct MediaQuery {
    expires: Option<String>,
    signature: Option<String>,
}

pub async fn photo(
    State(local): State<Option<Arc<LocalPhotoStore>>>,
    Path(raw_key): Path<String>,
    Query(query): Query<MediaQuery>,
    headers: HeaderMap,
) -> Response {
    let (Some(local), Some(key)) = (local, PhotoKey::parse(&raw_key)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let left = match local.check_media(&key, query.expires.as_deref(), query.signature.as_deref()) {
        Ok(left) => left,
        Err(refusal) => return (StatusCode::FORBIDDEN, refusal.to_string()).into_response(),
    };
    let Ok(file) = tokio::fs::File::open(local.path(&key)).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(meta) = file.metadata().await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // Strong: the bytes behind a key never change once attached.
    let etag = format!("\"{}-{}-{}\"", key.photo, key.variant.name(), meta.len());
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if cached {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = Body::from_stream(ReaderStream::new(file)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(meta.len()));
        response
    };
    let headers = response.headers_mut();
    // Private: a shared cache must not serve it to someone without the URL's permission.
    let cache = format!("private, max-age={}, immutable", left.as_secs());
    if let Ok(value) = HeaderValue::try_from(cache) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    if let Ok(value) = HeaderValue::try_from(etag) {
        headers.insert(header::ETAG, value);
    }
    response
}
