//! The gate's answer for plain form posts: the handler runs only for a visitor who may change
//! the collection; anyone else gets a short page saying why, with the status the API would
//! answer.

use crate::routes::api::access::visitor;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::{Denied, Edit, Permit, Visitor};

/// A permit to change the request's collection, and who holds it (a re-rendered form page
/// loads its data as them).
pub struct FormEditing {
    pub permit: Permit<Edit>,
    pub visitor: Visitor,
}

impl FromRequestParts<AppState> for FormEditing {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let visitor = visitor(parts);
        match state.gate.edit_default(&visitor) {
            Ok(permit) => Ok(Self { permit, visitor }),
            Err(denied) => Err(refusal(denied)),
        }
    }
}

fn refusal(denied: Denied) -> Response {
    let (status, message) = match denied {
        Denied::SignInNeeded => (StatusCode::UNAUTHORIZED, "Sign in to change items."),
        Denied::Forbidden => (
            StatusCode::FORBIDDEN,
            "Your role in this collection does not allow changes.",
        ),
        Denied::NotFound => (StatusCode::NOT_FOUND, "There is no such collection."),
    };
    (status, message).into_response()
}
