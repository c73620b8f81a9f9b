//! The OpenAPI 3 description of the REST API, generated from the handlers' annotations.

use super::error::ErrorBody;
use super::items;
use app::model::{Item, Photo};
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Shelf API",
        description = "Items with photos. Errors are JSON: `{\"error\": \"…\", \"fields\": {\"name\": \"…\"}}`.",
    ),
    paths(items::list, items::create, items::get, items::update, items::delete, super::health),
    components(schemas(Item, Photo, ErrorBody, items::NewItemBody, items::ItemUpdateBody)),
    tags(
        (name = "items", description = "Create, list, read, replace and delete items"),
        (name = "health", description = "Is the API up"),
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
