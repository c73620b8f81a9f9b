//! `GET /media/{key}`: the embedded store's photos, as a CDN would serve them. Keys are parsed
//! into validated ids before any file is touched, so no path outside the photo folder can be
//! named; and a photo never changes once attached, so browsers may keep it for a year.

use crate::store::local_photos::LocalPhotoStore;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::model::PhotoKey;
use std::sync::Arc;
use tokio_util::io::ReaderStream;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub async fn photo(
    State(local): State<Option<Arc<LocalPhotoStore>>>,
    Path(raw_key): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (Some(local), Some(key)) = (local, PhotoKey::parse(&raw_key)) else {
        return StatusCode::NOT_FOUND.into_response();
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
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    if let Ok(value) = HeaderValue::try_from(etag) {
        headers.insert(header::ETAG, value);
    }
    response
}
