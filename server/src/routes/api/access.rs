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
use domain::access::{Denied, Edit, Gate, Permit, Read, Visitor};
use domain::accounts::CollectionId;
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

/// The gate's decision in the request's collection (the visitor's default one: a token's, the
/// signed-in user's first, or the one anonymous access names).
fn decide<A>(
    parts: &Parts,
    gate: &Gate,
    decide: impl FnOnce(&Gate, &Visitor, &CollectionId) -> Result<Permit<A>, Denied>,
) -> Result<Permit<A>, ApiError> {
    let visitor = visitor(parts);
    let decision = match gate.default_collection(&visitor) {
        Some(collection) => decide(gate, &visitor, &collection),
        None if matches!(visitor, Visitor::Anonymous) => Err(Denied::SignInNeeded),
        None => Err(Denied::NotFound),
    };
    decision.map_err(refusal)
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
        decide(parts, &state.gate, Gate::read).map(Self)
    }
}

impl FromRequestParts<AppState> for Editing {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        decide(parts, &state.gate, Gate::edit).map(Self)
    }
}
