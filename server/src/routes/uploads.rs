//! `PUT /uploads/{key}`: the embedded store's stand-in for an S3 pre-signed PUT. The body is
//! streamed to disk (never held in memory) and lands atomically, or not at all.

use crate::store::local_photos::{
    is_outage, LocalPhotoStore, UploadRequestParts, WriteError, CHECKSUM_HEADER,
};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::item_store::SharedItemStore;
use domain::model::PhotoKey;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use std::time::SystemTime;

#[derive(Debug, Deserialize)]
pub struct SignedQuery {
    expires: Option<String>,
    signature: Option<String>,
}

/// The body of a 503 (the router adds its `Retry-After`): the item or the disk is out of
/// reach for now.
const TRY_AGAIN: &str = "try again shortly";

pub async fn upload(
    State(local): State<Option<Arc<LocalPhotoStore>>>,
    State(items): State<SharedItemStore>,
    Path(raw_key): Path<String>,
    Query(query): Query<SignedQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (Some(local), Some(key)) = (local, PhotoKey::parse(&raw_key)) else {
        return refuse(StatusCode::NOT_FOUND, "no such upload URL");
    };
    let content_length = match headers.get(header::CONTENT_LENGTH) {
        None => None,
        Some(value) => match value.to_str().ok().and_then(|v| v.parse::<u64>().ok()) {
            Some(length) => Some(length),
            None => return refuse(StatusCode::BAD_REQUEST, "Content-Length is not a number"),
        },
    };
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let parts = UploadRequestParts {
        expires: query.expires,
        signature: query.signature,
        content_length,
        content_type: text(header::CONTENT_TYPE.as_str()),
        sha256: text(CHECKSUM_HEADER),
    };
    if let Err(refusal) = local.check_upload(&key, &parts, SystemTime::now()) {
        return refuse(refusal.status(), &refusal.to_string());
    }
    // Said before any file is touched (the upload could not replace an attached photo anyway:
    // uploads wait elsewhere, and attaching never replaces a file). No item is fine, as for
    // S3: a new item's form uploads before it creates the item (`docs/uploads.md` step 3),
    // and the photo of an item deleted since the URL was issued only waits for the sweeper.
    match items.find_anywhere(&key.item).await {
        Ok(Some(item)) if item.photos.iter().any(|p| p.id == key.photo) => {
            return refuse(
                StatusCode::CONFLICT,
                "this photo is already attached and cannot be replaced",
            );
        }
        Ok(_) => {}
        Err(error) => {
            tracing::error!(error = %error, "upload: cannot read the item");
            return refuse(StatusCode::SERVICE_UNAVAILABLE, TRY_AGAIN);
        }
    }
    let expected = parts.content_length.unwrap_or_default();
    let sha256 = parts.sha256.unwrap_or_default();
    match local
        .write_upload(&key, body.into_data_stream(), expected, &sha256)
        .await
    {
        Ok(()) => StatusCode::OK.into_response(),
        Err(
            error @ (WriteError::TooLong { .. }
            | WriteError::TooShort { .. }
            | WriteError::OtherContent),
        ) => refuse(StatusCode::BAD_REQUEST, &error.to_string()),
        Err(error @ WriteError::OutOfSpace { .. }) => {
            tracing::warn!(error = %error, "upload refused: disk space floor reached");
            refuse(
                StatusCode::INSUFFICIENT_STORAGE,
                "the server has no room for more photos right now",
            )
        }
        Err(error @ WriteError::Interrupted(_)) => {
            tracing::info!(error = %error, "upload interrupted");
            refuse(StatusCode::BAD_REQUEST, &error.to_string())
        }
        Err(WriteError::Disk(error)) => {
            tracing::error!(error = %error, "upload: cannot write the photo");
            if is_outage(&error) {
                refuse(StatusCode::SERVICE_UNAVAILABLE, TRY_AGAIN)
            } else {
                refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
            }
        }
    }
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}
