//! The ids in API paths, as extractors: a path id that cannot be an id is a 404 whose
//! `fields` say why, before a handler runs.

use super::error::ApiError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use domain::model::{ItemId, PhotoId};

/// The `{id}` of `/api/items/{id}…`.
#[derive(Debug)]
pub struct ItemIdPath(pub ItemId);

/// The `{id}` and `{photo_id}` of `/api/items/{id}/photos/{photo_id}`.
#[derive(Debug)]
pub struct PhotoIdPath(pub ItemId, pub PhotoId);

impl<S: Send + Sync> FromRequestParts<S> for ItemIdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::item_not_found().with_field("id", e.body_text()))?;
        Ok(Self(parse_item_id(&raw)?))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PhotoIdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path((item, photo)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::photo_not_found())?;
        let item = parse_item_id(&item)?;
        let photo = PhotoId::parse(&photo)
            .map_err(|e| ApiError::photo_not_found().with_field("photo_id", e.to_string()))?;
        Ok(Self(item, photo))
    }
}

/// An id that cannot exist is simply not found, but the body says why.
fn parse_item_id(raw: &str) -> Result<ItemId, ApiError> {
    ItemId::parse(raw).map_err(|e| ApiError::item_not_found().with_field("id", e.to_string()))
}
