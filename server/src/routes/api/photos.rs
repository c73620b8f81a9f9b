//! `/api/items/{id}/photos…`: ask for upload URLs, attach an uploaded photo, remove one,
//! reorder them.

use super::access::Editing;
use super::error::{ApiError, ErrorBody};
use super::ids::{ItemIdPath, PhotoIdPath};
use super::json_body::JsonObject;
use super::preconditions::expected_version;
use super::responses::{insert_etag, item_response, PublicOrigin};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::item_store::Attached;
use domain::model::{FieldErrors, Item, Photo, PhotoId};
use domain::photos::{Photos, UploadGrant, UploadRequest};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// Body of `POST /api/items/{id}/photos`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachBody {
    /// The `upload_id` from the upload request, once both variants are uploaded.
    upload_id: String,
}

/// Body of `PUT /api/items/{id}/photos/order`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    /// Every photo id of the item, once each; the first becomes the cover.
    #[schema(value_type = Vec<uuid::Uuid>)]
    order: Vec<String>,
}

/// Ask where to upload a new photo's two JPEG variants.
#[utoipa::path(post, path = "/api/items/{id}/photos/uploads", tag = "photos",
    request_body = UploadRequest,
    params(("id" = String, Path, description = "The item's id")),
    responses(
        (status = 201, description = "Pre-signed upload URLs (PUT each file with the headers given) and the id to attach with", body = UploadGrant),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 404, description = "No such item", body = ErrorBody),
        (status = 409, description = "The item already has the most photos allowed", body = ErrorBody),
        (status = 413, description = "A variant is larger than the limit, or the body too large", body = ErrorBody),
        (status = 415, description = "A variant is not image/jpeg, or the body not JSON", body = ErrorBody),
        (status = 422, description = "Invalid sizes, dimensions or placeholder", body = ErrorBody),
    ))]
pub async fn start_upload(
    Editing(permit): Editing,
    State(photos): State<Photos>,
    PublicOrigin(origin): PublicOrigin,
    ItemIdPath(id): ItemIdPath,
    JsonObject(body): JsonObject,
) -> Result<Response, ApiError> {
    let request: UploadRequest = typed_body(body)?;
    let mut grant = photos.start_upload(&permit, &id, &request).await?;
    // The embedded store's URLs are the app's own; API clients get them absolute.
    for instruction in [&mut grant.display, &mut grant.thumb] {
        if instruction.url.starts_with('/') {
            instruction.url = format!("{origin}{}", instruction.url);
        }
    }
    Ok((StatusCode::CREATED, Json(grant)).into_response())
}

/// Attach an uploaded photo to the item, after the server has checked the uploaded files.
#[utoipa::path(post, path = "/api/items/{id}/photos", tag = "photos", request_body = AttachBody,
    params(
        ("id" = String, Path, description = "The item's id"),
        ("If-Match" = Option<String>, Header, pattern = r#"^(\*|(W/)?"[^"]*"|[0-9]+)$"#, description = "Only attach to this version of the item"),
    ),
    responses(
        (status = 201, description = "Attached; `ETag` is the item's new version", body = Photo),
        (status = 200, description = "Already attached by an earlier request", body = Photo),
        (status = 400, description = "Malformed JSON or `If-Match`", body = ErrorBody),
        (status = 404, description = "No such item", body = ErrorBody),
        (status = 409, description = "The item already has the most photos allowed", body = ErrorBody),
        (status = 412, description = "The item changed since that version", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Bad or expired upload id, or the uploaded files are missing, of the wrong size, or not the promised JPEGs", body = ErrorBody),
    ))]
pub async fn attach(
    Editing(permit): Editing,
    State(photos): State<Photos>,
    headers: HeaderMap,
    ItemIdPath(id): ItemIdPath,
    JsonObject(body): JsonObject,
) -> Result<Response, ApiError> {
    let expected = expected_version(&headers)?;
    let body: AttachBody = typed_body(body)?;
    let (attached, photo_id) = photos
        .attach(&permit, &id, &body.upload_id, expected)
        .await?;
    let (status, item) = match attached {
        Attached::New(item) => (StatusCode::CREATED, item),
        Attached::Existing(item) => (StatusCode::OK, item),
    };
    let photo = item
        .photos
        .iter()
        .find(|p| p.id == photo_id)
        .ok_or_else(ApiError::photo_not_found)?;
    let mut response = (status, Json(photo)).into_response();
    insert_etag(&mut response, item.version);
    Ok(response)
}

/// Remove a photo from the item and delete its files.
#[utoipa::path(delete, path = "/api/items/{id}/photos/{photo_id}", tag = "photos",
    params(
        ("id" = String, Path, description = "The item's id"),
        ("photo_id" = String, Path, description = "The photo's id"),
        ("If-Match" = Option<String>, Header, pattern = r#"^(\*|(W/)?"[^"]*"|[0-9]+)$"#, description = "Only if the item is at this version"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Malformed `If-Match`", body = ErrorBody),
        (status = 404, description = "No such item or photo", body = ErrorBody),
        (status = 412, description = "The item changed since that version", body = ErrorBody),
    ))]
pub async fn remove(
    Editing(permit): Editing,
    State(photos): State<Photos>,
    headers: HeaderMap,
    PhotoIdPath(id, photo): PhotoIdPath,
) -> Result<Response, ApiError> {
    let item = photos
        .remove(&permit, &id, &photo, expected_version(&headers)?)
        .await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    insert_etag(&mut response, item.version);
    Ok(response)
}

/// Put the item's photos in a new order; the first is the cover.
#[utoipa::path(put, path = "/api/items/{id}/photos/order", tag = "photos", request_body = OrderBody,
    params(
        ("id" = String, Path, description = "The item's id"),
        ("If-Match" = Option<String>, Header, pattern = r#"^(\*|(W/)?"[^"]*"|[0-9]+)$"#, description = "Only if the item is at this version"),
    ),
    responses(
        (status = 200, description = "The item with its photos in the new order", body = Item),
        (status = 400, description = "Malformed JSON or `If-Match`", body = ErrorBody),
        (status = 404, description = "No such item", body = ErrorBody),
        (status = 412, description = "The item changed since that version", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "The order is not exactly the item's photos", body = ErrorBody),
    ))]
pub async fn reorder(
    Editing(permit): Editing,
    State(photos): State<Photos>,
    headers: HeaderMap,
    ItemIdPath(id): ItemIdPath,
    JsonObject(body): JsonObject,
) -> Result<Response, ApiError> {
    let expected = expected_version(&headers)?;
    let body: OrderBody = typed_body(body)?;
    let order = body
        .order
        .iter()
        .map(|raw| PhotoId::parse(raw))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            ApiError::invalid_fields(FieldErrors::from([("order".into(), e.to_string())]))
        })?;
    let item = photos.reorder(&permit, &id, &order, expected).await?;
    Ok(item_response(StatusCode::OK, item))
}

/// Deserialises a JSON object into `T`, naming the field at fault (`display.bytes`) in a 422.
fn typed_body<T: DeserializeOwned>(body: Map<String, Value>) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(Value::Object(body)).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "body".to_owned() } else { path };
        ApiError::invalid_fields(FieldErrors::from([(field, error.inner().to_string())]))
    })
}
