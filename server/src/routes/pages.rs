//! The web UI: server-rendered Leptos pages, their server functions, and the plain form posts
//! that make every page work without JavaScript.

use crate::state::AppState;
use app::forms::{FormFeedback, ItemForm, SaveOutcome};
use app::store::StoreError;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};

pub fn router(state: &AppState) -> Router<AppState> {
    let options = state.leptos_options.clone();
    let context = page_context(state);
    Router::new()
        .route("/items/new", post(create))
        .route("/items/{id}/edit", post(update))
        .route("/items/{id}/delete", post(delete))
        .leptos_routes_with_context(
            state,
            generate_route_list(App),
            context.clone(),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
}

/// What pages and server functions find in Leptos context.
fn page_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let (store, photos) = (state.store.clone(), state.photos.clone());
    move || {
        provide_context(store.clone());
        provide_context(photos.clone());
    }
}

/// `POST /items/new` without JavaScript.
async fn create(State(state): State<AppState>, Form(form): Form<ItemForm>) -> Response {
    let outcome = app::actions::create(&*state.store, &form).await;
    respond(&state, "/items/new".into(), form, outcome).await
}

/// `POST /items/{id}/edit` without JavaScript.
async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<ItemForm>,
) -> Response {
    let outcome = app::actions::update(&*state.store, &id, &form).await;
    respond(&state, format!("/items/{id}/edit"), form, outcome).await
}

/// `POST /items/{id}/delete` without JavaScript: back to the list, deleted or already gone.
async fn delete(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match app::actions::delete(&state.photos, &id).await {
        Ok(_) => Redirect::to("/").into_response(),
        Err(error) => {
            log_store_error(&error);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "The item could not be deleted right now. Go back and try again.",
            )
                .into_response()
        }
    }
}

/// Saved: redirect to the item (post/redirect/get). Otherwise: the same form again, with the
/// user's input and the reason, and a status that says what happened.
async fn respond(
    state: &AppState,
    form_path: String,
    form: ItemForm,
    outcome: Result<SaveOutcome, StoreError>,
) -> Response {
    let outcome = outcome.unwrap_or_else(|error| {
        log_store_error(&error);
        SaveOutcome::Failed("The server could not save right now.".into())
    });
    let status = match &outcome {
        SaveOutcome::Saved(item) => {
            return Redirect::to(&format!("/items/{}", item.id)).into_response()
        }
        SaveOutcome::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        SaveOutcome::Conflict(_) | SaveOutcome::AlreadyCreated(_) => StatusCode::CONFLICT,
        SaveOutcome::Missing => StatusCode::NOT_FOUND,
        SaveOutcome::Failed(_) => StatusCode::SERVICE_UNAVAILABLE,
    };
    let feedback = FormFeedback {
        form,
        outcome: Some(outcome),
    };
    let context = page_context(state);
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            context();
            provide_context(feedback.clone());
        },
        move || shell(options.clone()),
    );
    let Ok(request) = Request::get(form_path).body(Body::empty()) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let mut response = render(request).await;
    *response.status_mut() = status;
    response
}

fn log_store_error(error: &StoreError) {
    tracing::error!(error = %error, cause = ?std::error::Error::source(error), "form post failed");
}
