//! The web UI: server-rendered Leptos pages, their server functions, and the plain form posts
//! that make every page work without JavaScript.

mod access;
mod bulk_forms;
mod conditional;
mod location_forms;
mod page_cache;
mod photo_forms;
mod submission;
mod tag_forms;

use crate::state::AppState;
use access::FormEditing;
pub use access::{in_both, NamedCollection};
use app::{shell, App};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use domain::access::{Edit, Permit, Visitor};
use domain::item_form::{FormFeedback, ItemForm, SaveOutcome};
use domain::item_store::StoreError;
use domain::model::{FieldErrors, ItemId};
use domain::photo_store::PhotoStoreError;
use domain::photos::PhotoError;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
pub use page_cache::PageCache;
use std::sync::OnceLock;
use submission::{process_photos, PostedFile, Submission};

pub fn router(state: &AppState) -> Router<AppState> {
    let options = state.leptos_options.clone();
    let context = page_context(state);
    let forms = [
        ("/items/new", post(create).layer(form_limit(state))),
        ("/items/{id}/edit", post(update).layer(form_limit(state))),
        ("/items/{id}/delete", post(delete)),
        (
            "/items/{id}/photos/{photo}/{op}",
            post(photo_forms::change_photo),
        ),
        ("/tags/rename", post(tag_forms::rename)),
        ("/bulk", post(bulk_forms::change)),
        ("/locations/new", post(location_forms::create)),
        ("/locations/{id}/{op}", post(location_forms::change)),
    ];
    forms
        .into_iter()
        .fold(Router::new(), |router, (path, handler)| {
            in_both(router, path, handler)
        })
        .leptos_routes_with_context(state, route_list(), context.clone(), move || {
            shell(options.clone())
        })
        // Inside the guard: the visitor it admitted is who the page's tag is made for.
        .route_layer(axum::middleware::from_fn_with_state(
            conditional::PageTags::new(state),
            conditional::answer,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::auth::guard_pages,
        ))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
}

/// The app's routes, generated once per process. Generating them sets a process-global flag
/// that keeps every resource from loading meanwhile (leptos-rs/leptos#4773), so a page being
/// rendered by a router already serving would wait for its data forever. The binary builds one
/// router; the tests build one per test server, concurrently, which made page renders hang.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// What pages and server functions find in Leptos context.
fn page_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let (store, locations, photos, signer, gate, accounts) = (
        state.store.clone(),
        state.locations.clone(),
        state.photos.clone(),
        state.signer.clone(),
        state.gate.clone(),
        state.accounts.clone(),
    );
    let open_sign_up = state.open_sign_up;
    move || {
        if open_sign_up {
            provide_context(app::pages::OpenSignUp);
        }
        // The nonce the middleware puts in the page's policy header, in place of the one
        // Leptos made for this render.
        if let Some(nonce) = super::page_policy::current_nonce() {
            provide_context(nonce);
        }
        provide_context(gate.clone());
        provide_context(accounts.clone());
        provide_context(store.clone());
        provide_context(locations.clone());
        provide_context(photos.clone());
        provide_context(signer.clone());
    }
}

/// Forms with photos carry the originals, so they get a larger body limit than the rest.
fn form_limit(state: &AppState) -> DefaultBodyLimit {
    DefaultBodyLimit::max(state.form_upload_limit)
}

/// `POST /items/new` without JavaScript.
async fn create(
    State(state): State<AppState>,
    FormEditing {
        permit: access,
        visitor,
        named,
    }: FormEditing,
    submission: Submission,
) -> Response {
    let Submission {
        form,
        files,
        permit,
    } = submission;
    let page = Page {
        state: &state,
        path: "/items/new".to_owned(),
        visitor,
        named,
    };
    let photos = match prepare_photos(&state, &access, &form, files, None).await {
        Ok(photos) => photos,
        Err(PhotoRefusal::Invalid(errors)) => {
            return page.respond(form, Ok(SaveOutcome::Invalid(errors))).await
        }
        Err(PhotoRefusal::Store(error)) => return page.respond(form, Err(error)).await,
    };
    let outcome = domain::item_form::create(&*state.store, &access, &form).await;
    let outcome = add_photos(&state, &access, outcome, photos).await;
    drop(permit);
    page.respond(form, outcome).await
}

/// `POST /items/{id}/edit` without JavaScript.
async fn update(
    State(state): State<AppState>,
    Path(ItemPath { id }): Path<ItemPath>,
    FormEditing {
        permit: access,
        visitor,
        named,
    }: FormEditing,
    submission: Submission,
) -> Response {
    let Submission {
        form,
        files,
        permit,
    } = submission;
    let page = Page {
        state: &state,
        path: format!("/items/{id}/edit"),
        visitor,
        named,
    };
    let photos = match prepare_photos(&state, &access, &form, files, ItemId::parse(&id).ok()).await
    {
        Ok(photos) => photos,
        Err(PhotoRefusal::Invalid(errors)) => {
            return page.respond(form, Ok(SaveOutcome::Invalid(errors))).await
        }
        Err(PhotoRefusal::Store(error)) => return page.respond(form, Err(error)).await,
    };
    let outcome = domain::item_form::update(&*state.store, &access, &id, &form).await;
    let outcome = add_photos(&state, &access, outcome, photos).await;
    drop(permit);
    page.respond(form, outcome).await
}

/// Why posted photos were not taken.
enum PhotoRefusal {
    Invalid(FieldErrors),
    Store(StoreError),
}

/// Checks what can be checked before the slow part, then shrinks the posted photos. Nothing is
/// saved if any of it fails: the page comes back with the reasons. `item` is the item being
/// edited, whose photos count towards the limit.
async fn prepare_photos(
    state: &AppState,
    access: &Permit<Edit>,
    form: &ItemForm,
    files: Vec<PostedFile>,
    item: Option<ItemId>,
) -> Result<Vec<imaging::Processed>, PhotoRefusal> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    // A page without JavaScript cannot keep picked files when it comes back with an error.
    let pick_again = "Pick the photos again: they were not kept because the form had errors.";
    if let Err(mut errors) = form.draft() {
        errors.insert("photos".into(), pick_again.into());
        return Err(PhotoRefusal::Invalid(errors));
    }
    let existing = match item {
        Some(item) => match state.store.get(&access.read(), &item).await {
            Ok(item) => item.map_or(0, |item| item.photos.len()),
            Err(error) => return Err(PhotoRefusal::Store(error)),
        },
        None => 0,
    };
    let max = state.photos.limits().max_per_item;
    if existing + files.len() > max {
        let message = format!(
            "An item can have at most {max} photos; this one would have {}.",
            existing + files.len()
        );
        return Err(PhotoRefusal::Invalid(FieldErrors::from([(
            "photos".into(),
            message,
        )])));
    }
    process_photos(state, files)
        .await
        .map_err(PhotoRefusal::Invalid)
}

/// After the item is saved, its new photos are stored and attached, in the order picked.
async fn add_photos(
    state: &AppState,
    access: &Permit<Edit>,
    outcome: Result<SaveOutcome, StoreError>,
    photos: Vec<imaging::Processed>,
) -> Result<SaveOutcome, StoreError> {
    let Ok(SaveOutcome::Saved(mut item)) = outcome else {
        return outcome;
    };
    let (mut failed, mut out_of_space) = (0, false);
    for photo in photos {
        match state.photos.add_processed(access, &item.id, photo).await {
            Ok(latest) => item = latest,
            Err(error) => {
                tracing::error!(error = %error, item = %item.id, "photo from a form post not stored");
                out_of_space |=
                    matches!(error, PhotoError::Files(PhotoStoreError::OutOfSpace { .. }));
                failed += 1;
            }
        }
    }
    if failed > 0 {
        let why = if out_of_space {
            ": the server has no room for more photos right now"
        } else {
            ""
        };
        return Ok(SaveOutcome::Failed(format!(
            "The item was saved, but {failed} photo(s) could not be stored{why}."
        )));
    }
    Ok(SaveOutcome::Saved(item))
}

/// `POST /items/{id}/delete` without JavaScript: back to the list, deleted or already gone.
async fn delete(
    State(state): State<AppState>,
    Path(ItemPath { id }): Path<ItemPath>,
    FormEditing { permit, named, .. }: FormEditing,
) -> Response {
    match domain::item_form::delete(&state.photos, &permit, &id).await {
        Ok(_) => Redirect::to(&named.path("/")).into_response(),
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

/// The page a form post answers with when it does not redirect.
struct Page<'a> {
    state: &'a AppState,
    /// The form's own page, rendered again (in `named`).
    path: String,
    /// Who posted: the page loads its data as them.
    visitor: Visitor,
    named: NamedCollection,
}

/// An item route's id; under `/c/{collection}` the path also holds the collection, which
/// [`FormEditing`] reads.
#[derive(serde::Deserialize)]
pub(super) struct ItemPath {
    id: String,
}

impl Page<'_> {
    /// Saved: redirect to the item (post/redirect/get). Otherwise: the same form again, with
    /// the user's input and the reason, and a status that says what happened.
    async fn respond(self, form: ItemForm, outcome: Result<SaveOutcome, StoreError>) -> Response {
        let outcome = outcome.unwrap_or_else(|error| {
            log_store_error(&error);
            SaveOutcome::Failed("The server could not save right now.".into())
        });
        let status = match &outcome {
            SaveOutcome::Saved(item) => {
                return Redirect::to(&self.named.path(&format!("/items/{}", item.id)))
                    .into_response()
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
        let path = self.named.path(&self.path);
        render_page(self.state, &path, self.visitor, feedback, status).await
    }
}

/// Renders the page at `path` for `visitor` with `feedback` in its context (what a refused
/// form post shows: the input and the reasons), answered with `status`.
pub async fn render_page<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    path: &str,
    visitor: Visitor,
    feedback: T,
    status: StatusCode,
) -> Response {
    let context = page_context(state);
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            context();
            provide_context(feedback.clone());
        },
        move || shell(options.clone()),
    );
    let Ok(mut request) = Request::get(path).body(Body::empty()) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    request.extensions_mut().insert(visitor);
    let mut response = render(request).await;
    *response.status_mut() = status;
    response
}

fn log_store_error(error: &StoreError) {
    tracing::error!(error = %error, cause = ?std::error::Error::source(error), "form post failed");
}
