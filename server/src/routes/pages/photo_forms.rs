//! `POST /items/{id}/photos/{photo}/{op}`: the edit page's photo buttons without JavaScript.
//! Each changes one thing and sends the browser back to the edit page (post/redirect/get).

use super::access::FormEditing;
use crate::state::AppState;
use app::components::PhotoOp;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::model::{ItemId, PhotoId};
use domain::photos::PhotoError;

/// The route's item, photo and operation (and, under `/c/{collection}`, the collection, which
/// [`FormEditing`] reads).
#[derive(serde::Deserialize)]
pub struct PhotoPath {
    id: String,
    photo: String,
    op: String,
}

pub async fn change_photo(
    State(state): State<AppState>,
    Path(PhotoPath { id, photo, op }): Path<PhotoPath>,
    FormEditing { permit, named, .. }: FormEditing,
) -> Response {
    let (Ok(item), Ok(photo), Some(op)) = (
        ItemId::parse(&id),
        PhotoId::parse(&photo),
        PhotoOp::parse(&op),
    ) else {
        return (StatusCode::NOT_FOUND, "There is no such photo.").into_response();
    };
    let result = match op {
        PhotoOp::Remove => state.photos.remove(&permit, &item, &photo, None).await,
        PhotoOp::Move(to) => state.photos.move_photo(&permit, &item, &photo, to).await,
    };
    match result {
        Ok(_) | Err(PhotoError::PhotoNotFound) => {
            Redirect::to(&named.path(&format!("/items/{item}/edit"))).into_response()
        }
        Err(PhotoError::ItemNotFound) => {
            (StatusCode::NOT_FOUND, "This item no longer exists.").into_response()
        }
        Err(PhotoError::VersionConflict { .. }) => (
            StatusCode::CONFLICT,
            "The photos were changed meanwhile. Go back, reload the page and try again.",
        )
            .into_response(),
        Err(error) => {
            tracing::error!(error = %error, "photo change from a form post failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "The photo could not be changed right now. Go back and try again.",
            )
                .into_response()
        }
    }
}
