//! The location pages' forms without JavaScript: add, rename, move, delete. Each done one
//! redirects (post/redirect/get) to the page that shows it; a refused one answers with the
//! page again, saying why.

use super::access::FormEditing;
use super::{log_store_error, render_page, NamedCollection};
use crate::state::AppState;
use app::pages::LocationFeedback;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::access::Visitor;
use domain::location_store::{LocationChange, LocationError};
use domain::model::{LocationId, LocationName};
use domain::organise;

#[derive(serde::Deserialize)]
pub struct NewLocationForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent: String,
}

#[derive(serde::Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    contents_to: String,
}

/// The route's location and form (and, under `/c/{collection}`, the collection, which
/// [`FormEditing`] reads).
#[derive(serde::Deserialize)]
pub struct LocationPath {
    id: String,
    op: String,
}

/// Where a refused form's page is, and who sees it.
struct Answer<'a> {
    state: &'a AppState,
    visitor: Visitor,
    named: NamedCollection,
}

impl Answer<'_> {
    async fn refused(self, page: &str, feedback: LocationFeedback, status: StatusCode) -> Response {
        let path = self.named.path(page);
        render_page(self.state, &path, self.visitor, feedback, status).await
    }

    async fn error(self, page: &str, error: LocationError) -> Response {
        let status = match &error {
            LocationError::NotFound => StatusCode::NOT_FOUND,
            LocationError::VersionConflict { .. } | LocationError::IdTaken => StatusCode::CONFLICT,
            LocationError::HasLocationsInside | LocationError::NotEmpty { .. } => {
                StatusCode::CONFLICT
            }
            LocationError::Move(_) | LocationError::TooMany => StatusCode::UNPROCESSABLE_ENTITY,
            LocationError::Store(store) => {
                log_store_error(store);
                StatusCode::SERVICE_UNAVAILABLE
            }
        };
        let message = match &error {
            LocationError::VersionConflict { .. } => {
                "Someone changed this location meanwhile; here it is as it is now.".to_owned()
            }
            LocationError::Store(_) => "The server could not do this right now; try again.".into(),
            other => capitalised(&other.to_string()),
        };
        let feedback = LocationFeedback {
            error: Some(message),
            report: None,
        };
        self.refused(page, feedback, status).await
    }
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// An optional location id from a form: blank is none; anything else must be an id.
fn optional_id(raw: &str) -> Result<Option<LocationId>, String> {
    match raw.trim() {
        "" => Ok(None),
        raw => LocationId::parse(raw).map(Some).map_err(|e| e.to_string()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    FormEditing {
        permit,
        visitor,
        named,
    }: FormEditing,
    Form(form): Form<NewLocationForm>,
) -> Response {
    let answer = Answer {
        state: &state,
        visitor,
        named,
    };
    let parent = optional_id(&form.parent);
    let back = match &parent {
        Ok(Some(parent)) => format!("/locations/{parent}"),
        _ => "/locations".to_owned(),
    };
    let id = match form.id.trim() {
        "" => Ok(LocationId::generate()),
        raw => LocationId::parse(raw).map_err(|e| e.to_string()),
    };
    let (id, name, parent) = match (id, LocationName::parse(&form.name), parent) {
        (Ok(id), Ok(name), Ok(parent)) => (id, name, parent),
        (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => {
            let feedback = LocationFeedback {
                error: Some(error),
                report: None,
            };
            return answer
                .refused(&back, feedback, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    match state
        .locations
        .create_location(&permit, id, name, parent)
        .await
    {
        Ok(location) => {
            Redirect::to(&named.path(&format!("/locations/{}", location.id))).into_response()
        }
        Err(error) => answer.error(&back, error).await,
    }
}

/// `POST /locations/{id}/{rename|move|delete}`.
pub async fn change(
    State(state): State<AppState>,
    Path(LocationPath { id, op }): Path<LocationPath>,
    FormEditing {
        permit,
        visitor,
        named,
    }: FormEditing,
    Form(form): Form<ChangeForm>,
) -> Response {
    let answer = Answer {
        state: &state,
        visitor,
        named,
    };
    let Ok(id) = LocationId::parse(&id) else {
        return (StatusCode::NOT_FOUND, "There is no such location.").into_response();
    };
    let page = format!("/locations/{id}");
    let version = form.version.trim().parse::<u64>().ok();
    let invalid = |message: String| LocationFeedback {
        error: Some(message),
        report: None,
    };
    let change = match op.as_str() {
        "rename" => match LocationName::parse(&form.name) {
            Ok(name) => LocationChange {
                name: Some(name),
                ..LocationChange::default()
            },
            Err(error) => {
                return answer
                    .refused(&page, invalid(error), StatusCode::UNPROCESSABLE_ENTITY)
                    .await
            }
        },
        "move" => match optional_id(&form.parent) {
            Ok(parent) => LocationChange {
                parent: Some(parent),
                ..LocationChange::default()
            },
            Err(error) => {
                return answer
                    .refused(&page, invalid(error), StatusCode::UNPROCESSABLE_ENTITY)
                    .await
            }
        },
        "delete" => return delete(answer, &permit, id, &form.contents_to, version).await,
        _ => return (StatusCode::NOT_FOUND, "There is no such form.").into_response(),
    };
    match state
        .locations
        .change_location(&permit, &id, change, version)
        .await
    {
        Ok(_) => Redirect::to(&named.path(&page)).into_response(),
        Err(error) => answer.error(&page, error).await,
    }
}

async fn delete(
    answer: Answer<'_>,
    permit: &domain::access::Permit<domain::access::Edit>,
    id: LocationId,
    contents_to: &str,
    version: Option<u64>,
) -> Response {
    let page = format!("/locations/{id}");
    let contents_to = match contents_to.trim() {
        "" => None,
        "none" => Some(None),
        raw => match LocationId::parse(raw) {
            Ok(destination) => Some(Some(destination)),
            Err(error) => {
                let feedback = LocationFeedback {
                    error: Some(error.to_string()),
                    report: None,
                };
                return answer
                    .refused(&page, feedback, StatusCode::UNPROCESSABLE_ENTITY)
                    .await;
            }
        },
    };
    let state = answer.state;
    let parent = state
        .locations
        .locations(&permit.read())
        .await
        .ok()
        .and_then(|all| all.into_iter().find(|l| l.id == id))
        .and_then(|location| location.parent);
    match organise::delete_location(
        &*state.store,
        &*state.locations,
        permit,
        &id,
        contents_to,
        version,
    )
    .await
    {
        Ok(report) if report.failed.is_empty() && !report.more => {
            let back = match parent {
                Some(parent) => format!("/locations/{parent}"),
                None => "/locations".to_owned(),
            };
            Redirect::to(&answer.named.path(&back)).into_response()
        }
        Ok(report) => {
            let feedback = LocationFeedback {
                error: None,
                report: Some(report),
            };
            answer.refused(&page, feedback, StatusCode::CONFLICT).await
        }
        Err(error) => answer.error(&page, error).await,
    }
}
