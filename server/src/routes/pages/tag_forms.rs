//! `POST /tags/rename`: the tags page's rename form without JavaScript. The page comes back
//! saying what changed (and what could not), or why the rename was refused.

use super::access::FormEditing;
use super::{log_store_error, render_page};
use crate::state::AppState;
use app::pages::TagsFeedback;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::model::Tag;
use domain::organise;

#[derive(serde::Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub async fn rename(
    State(state): State<AppState>,
    FormEditing {
        permit,
        visitor,
        named,
    }: FormEditing,
    Form(form): Form<RenameForm>,
) -> Response {
    let page = named.path("/tags");
    let (from, to) = match (Tag::parse(&form.from), Tag::parse(&form.to)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(error), _) | (_, Err(error)) => {
            let feedback = TagsFeedback {
                error: Some(error),
                ..TagsFeedback::default()
            };
            return render_page(
                &state,
                &page,
                visitor,
                feedback,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let (feedback, status) = match organise::rename_tag(&*state.store, &permit, &from, &to).await {
        Ok(report) => (
            TagsFeedback {
                renamed: Some((from.to_string(), to.to_string())),
                report: Some(report),
                error: None,
            },
            StatusCode::OK,
        ),
        Err(error) => {
            log_store_error(&error);
            let feedback = TagsFeedback {
                error: Some("The tag could not be renamed right now; try again.".into()),
                ..TagsFeedback::default()
            };
            (feedback, StatusCode::SERVICE_UNAVAILABLE)
        }
    };
    render_page(&state, &page, visitor, feedback, status).await
}
