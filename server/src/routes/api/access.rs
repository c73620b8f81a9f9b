//! The gate's answer as extractors: a handler that takes [`Reading`] or [`Editing`] runs only
//! for a visitor who may, in the collection the request works in, and gets the permit the
//! item store asks for. A refusal is the API's error: 401 with `WWW-Authenticate` when
//! credentials might help, 403 for a role that does not allow it, 404 for a collection the
//! visitor is not in.

use super::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use domain::access::{Denied, Edit, Permit, Read, Visitor};
use domain::model::FieldErrors;

/// A permit to read the request's collection.
pub struct Reading(pub Permit<Read>);

/// A permit to change it.
pub struct Editing(pub Permit<Edit>);

/// Who sent the request: what authentication put in its extensions, or nobody.
pub fn visitor(parts: &Parts) -> Visitor {
    parts
        .extensions
        .get::<Visitor>()
        .cloned()
        .unwrap_or(Visitor::Anonymous)
}

/// A refusal with its own message (a 401 carries `WWW-Authenticate`).
pub fn refusal_with(status: StatusCode, message: &str) -> ApiError {
    ApiError::refused(status, message, FieldErrors::new())
}

/// The API's answer to a refusal.
pub fn refusal(denied: Denied) -> ApiError {
    let status = match denied {
        Denied::SignInNeeded => StatusCode::UNAUTHORIZED,
        Denied::Forbidden => StatusCode::FORBIDDEN,
        Denied::NotFound => StatusCode::NOT_FOUND,
    };
    ApiError::refused(status, denied.to_string(), FieldErrors::new())
}

impl FromRequestParts<AppState> for Reading {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        state
            .gate
            .read_in(&visitor(parts), None)
            .map(Self)
            .map_err(refusal)
    }
}

impl FromRequestParts<AppState> for Editing {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        state
            .gate
            .edit_in(&visitor(parts), None)
            .map(Self)
            .map_err(refusal)
    }
}
