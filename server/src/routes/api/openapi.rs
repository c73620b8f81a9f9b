//! The OpenAPI 3 description of the REST API, generated from the handlers' annotations.

use super::error::ErrorBody;
use super::{items, photos};
use axum::Json;
use domain::model::{Item, Photo};
use domain::photos::{UploadGrant, UploadInstruction, UploadRequest, VariantSpec};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Shelf API",
        description = "Items with photos. Errors are JSON: `{\"error\": \"…\", \"fields\": {\"name\": \"…\"}}`.",
    ),
    paths(
        items::list, items::create, items::get, items::update, items::delete,
        photos::start_upload, photos::attach, photos::remove, photos::reorder,
        super::health,
    ),
    components(schemas(
        Item, Photo, ErrorBody, items::NewItemBody, items::ItemUpdateBody,
        UploadRequest, VariantSpec, UploadGrant, UploadInstruction, photos::AttachBody,
        photos::OrderBody,
    )),
    tags(
        (name = "items", description = "Create, list, read, replace and delete items"),
        (name = "photos", description = "Upload photos straight to storage, attach, remove and reorder them"),
        (name = "health", description = "Is the API up"),
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
