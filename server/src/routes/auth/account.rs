//! The account page's posts: change the password, end sessions, make and revoke API tokens.
//! Each needs a signed-in browser (cross-site posts are already refused by the middleware).

use super::render_page;
use crate::state::AppState;
use app::pages::AccountFeedback;
use axum::extract::{Form, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use domain::access::Visitor;
use domain::accounts::{
    Account, ChangePasswordError, CollectionId, CredentialId, Scope, TokenError,
};
use domain::model::FieldErrors;
use serde::Deserialize;
use std::time::Duration;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/password", post(change_password))
        .route("/account/sign-out-everywhere", post(sign_out_everywhere))
        .route("/account/credentials/{id}/revoke", post(revoke))
        .route("/account/tokens", post(create_token))
}

/// A request signed in with a session (not a token: these are a person's own settings); any
/// other is sent to sign in.
pub(super) struct SignedIn {
    pub account: Account,
    pub session: CredentialId,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        match parts.extensions.get::<Visitor>() {
            Some(Visitor::Session { account, session }) => Ok(Self {
                account: account.clone(),
                session: *session,
            }),
            _ => Err(Redirect::to("/sign-in?next=%2Faccount").into_response()),
        }
    }
}

async fn page(
    state: &AppState,
    account: Account,
    session: CredentialId,
    feedback: AccountFeedback,
    status: StatusCode,
) -> Response {
    let visitor = Visitor::Session { account, session };
    render_page(state, "/account", visitor, feedback, status).await
}

fn unavailable(error: impl std::fmt::Display) -> AccountFeedback {
    tracing::error!(error = %error, "account change failed");
    AccountFeedback {
        notice: Some("That did not work right now; try again in a moment.".into()),
        ..Default::default()
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
}

async fn change_password(
    State(state): State<AppState>,
    SignedIn { account, session }: SignedIn,
    Form(form): Form<PasswordForm>,
) -> Response {
    let result = state
        .accounts
        .change_password(&account.id, &session, &form.current, &form.password)
        .await;
    let field = |name: &str, message: String| AccountFeedback {
        errors: FieldErrors::from([(name.to_owned(), message)]),
        ..Default::default()
    };
    let (status, feedback) = match result {
        Ok(()) => (
            StatusCode::OK,
            AccountFeedback {
                notice: Some("Password changed. Your other sessions have ended.".into()),
                done: true,
                ..Default::default()
            },
        ),
        Err(ChangePasswordError::WrongPassword) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            field("current", "This is not your current password.".into()),
        ),
        Err(ChangePasswordError::Invalid(message)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, field("password", message))
        }
        Err(error) => (StatusCode::SERVICE_UNAVAILABLE, unavailable(error)),
    };
    page(&state, account, session, feedback, status).await
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    SignedIn { account, session }: SignedIn,
) -> Response {
    match state
        .accounts
        .sign_out_everywhere(&account.id, Some(&session))
        .await
    {
        Ok(_) => Redirect::to("/account").into_response(),
        Err(error) => {
            let feedback = unavailable(error);
            page(
                &state,
                account,
                session,
                feedback,
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
    }
}

async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedIn { account, session }: SignedIn,
) -> Response {
    let Ok(id) = CredentialId::parse(&id) else {
        return Redirect::to("/account").into_response();
    };
    match state.accounts.revoke(&account.id, &id).await {
        Ok(_) => Redirect::to("/account").into_response(),
        Err(error) => {
            let feedback = unavailable(error);
            page(
                &state,
                account,
                session,
                feedback,
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    collection: String,
    #[serde(default)]
    scope: String,
    /// 0: never.
    #[serde(default)]
    expires_days: String,
}

async fn create_token(
    State(state): State<AppState>,
    SignedIn { account, session }: SignedIn,
    Form(form): Form<TokenForm>,
) -> Response {
    let refused = |field: &str, message: &str| AccountFeedback {
        errors: FieldErrors::from([(field.to_owned(), message.to_owned())]),
        ..Default::default()
    };
    let (Ok(collection), Ok(scope), Ok(days)) = (
        CollectionId::parse(&form.collection),
        Scope::parse(&form.scope),
        form.expires_days.trim().parse::<u64>(),
    ) else {
        let feedback = refused(
            "name",
            "The form was incomplete; pick a collection, a scope and an expiry.",
        );
        return page(
            &state,
            account,
            session,
            feedback,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if days > 3650 {
        let feedback = refused("name", "A token expires within ten years, or never.");
        return page(
            &state,
            account,
            session,
            feedback,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let lifetime = (days > 0).then(|| Duration::from_secs(days * 24 * 3600));
    let result = state
        .accounts
        .create_token(&account, &form.name, &collection, scope, lifetime)
        .await;
    let (status, feedback) = match result {
        Ok((token, _)) => (
            StatusCode::CREATED,
            AccountFeedback {
                new_token: Some(token),
                ..Default::default()
            },
        ),
        Err(TokenError::Invalid(field, message)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, refused(field, &message))
        }
        Err(error) => (StatusCode::SERVICE_UNAVAILABLE, unavailable(error)),
    };
    page(&state, account, session, feedback, status).await
}
