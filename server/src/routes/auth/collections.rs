//! `POST /collections`: a signed-in user starts a collection they own, and lands on it.

use super::account::SignedIn;
use super::render_page;
use crate::state::AppState;
use app::collection_path::in_collection;
use app::pages::CollectionFeedback;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use domain::access::Visitor;
use domain::accounts::{AccountStoreError, CollectionName, MAX_MEMBERSHIPS};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/collections", post(create))
}

#[derive(Deserialize)]
struct NewCollectionForm {
    #[serde(default)]
    name: String,
}

async fn create(
    State(state): State<AppState>,
    SignedIn { account, session }: SignedIn,
    Form(form): Form<NewCollectionForm>,
) -> Response {
    let refused = match CollectionName::parse(&form.name) {
        Err(message) => (StatusCode::UNPROCESSABLE_ENTITY, message),
        Ok(name) => match state.accounts.create_collection(&account.id, name).await {
            Ok(collection) => {
                let home = in_collection(Some(&collection.id.to_string()), "/");
                return Redirect::to(&home).into_response();
            }
            Err(AccountStoreError::TooManyMembers { .. }) => (
                StatusCode::CONFLICT,
                format!(
                    "You are in the most collections allowed ({MAX_MEMBERSHIPS}): leave one first."
                ),
            ),
            Err(error) => {
                tracing::error!(error = %error, "collection not created");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The collection could not be created right now; try again in a moment."
                        .to_owned(),
                )
            }
        },
    };
    let (status, message) = refused;
    let feedback = CollectionFeedback {
        name: form.name,
        error: Some(message),
    };
    let visitor = Visitor::Session { account, session };
    render_page(&state, "/collections/new", visitor, feedback, status).await
}
