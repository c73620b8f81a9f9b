//! The JSON REST API under `/api`, compatible with the old Python service.

pub mod access;
mod bulk;
mod error;
mod ids;
mod items;
mod json_body;
mod kept_lists;
mod locations;
mod openapi;
mod photos;
pub(crate) mod preconditions;
mod responses;
mod tags;

pub use error::{ApiError, ErrorBody};
pub use json_body::JSON_BODY_LIMIT;
pub use kept_lists::KeptLists;
pub use openapi::ApiDoc;

use crate::state::AppState;
use axum::routing::{any, delete, get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/items", get(items::list).post(items::create))
        .route("/api/items/bulk", post(bulk::change))
        .route(
            "/api/items/{id}",
            get(items::get).put(items::update).delete(items::delete),
        )
        .route("/api/items/{id}/photos", post(photos::attach))
        .route("/api/items/{id}/photos/uploads", post(photos::start_upload))
        .route("/api/items/{id}/photos/order", put(photos::reorder))
        .route("/api/items/{id}/photos/{photo_id}", delete(photos::remove))
        .route(
            "/api/locations",
            get(locations::list).post(locations::create),
        )
        .route(
            "/api/locations/{id}",
            get(locations::get)
                .put(locations::update)
                .delete(locations::delete),
        )
        .route("/api/tags", get(tags::list))
        .route("/api/tags/rename", post(tags::rename))
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/{*rest}", any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
}

/// The old service's health check, kept for its clients and monitors.
#[utoipa::path(get, path = "/api/health", tag = "health",
    responses((status = 200, description = "The API is up", body = Object, example = json!({"status": "healthy"}))))]
async fn health() -> Json<Value> {
    Json(json!({"status": "healthy"}))
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such API endpoint")
}

async fn method_not_allowed() -> ApiError {
    ApiError::refused(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "this method is not allowed on this endpoint",
        Default::default(),
    )
}
