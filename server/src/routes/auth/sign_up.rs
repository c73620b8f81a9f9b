//! `POST /sign-up` with `--sign-up open`: anyone makes an account, which owns a new collection
//! of its own, and is signed in. At most `AddressThrottle::SIGN_UPS` tries per client address
//! and window on each instance, so one client cannot fill the store.

use super::{device, render_page, signed_in, throttle};
use crate::state::AppState;
use app::pages::AuthFeedback;
use axum::extract::{Form, FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::access::Visitor;
use domain::accounts::SetupError;
use domain::model::FieldErrors;
use serde::Deserialize;

#[derive(Deserialize)]
struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    collection: String,
}

pub async fn sign_up(State(state): State<AppState>, request: Request) -> Response {
    if !state.open_sign_up {
        return (
            StatusCode::NOT_FOUND,
            "Accounts are made by invite only here: ask an owner for an invite link.",
        )
            .into_response();
    }
    if state.accounts.needs_setup().await.unwrap_or(false) {
        // The first account is the owner's, made by the first run.
        return Redirect::to("/setup").into_response();
    }
    let address = throttle::client_address(&request, state.trust_forwarded_for);
    let headers = request.headers().clone();
    let Ok(Form(form)) = Form::<SignUpForm>::from_request(request, &state).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let blocked = address.is_some_and(|address| state.sign_up_throttle.is_blocked(address));
    let result = if blocked {
        None
    } else {
        if let Some(address) = address {
            state.sign_up_throttle.record(address);
        }
        let device = device(&headers);
        let accounts = &state.accounts;
        Some(
            accounts
                .sign_up(&form.email, &form.password, &form.collection, &device)
                .await,
        )
    };
    let (status, errors, notice) = match result {
        Some(Ok(session)) => return signed_in(&state, &headers, &session.cookie, "/"),
        Some(Err(SetupError::Invalid(errors))) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        None => {
            let minutes = throttle::WINDOW.as_secs().div_ceil(60);
            let notice = format!(
                "Too many accounts were made from your address. Try again in {minutes} minutes."
            );
            (
                StatusCode::TOO_MANY_REQUESTS,
                FieldErrors::new(),
                Some(notice),
            )
        }
        Some(Err(error)) => {
            tracing::error!(error = %error, "sign-up failed");
            let notice = "The account could not be made right now; try again in a moment.";
            (
                StatusCode::SERVICE_UNAVAILABLE,
                FieldErrors::new(),
                Some(notice.to_owned()),
            )
        }
    };
    let feedback = AuthFeedback {
        email: form.email,
        collection: form.collection,
        errors,
        notice,
        ..Default::default()
    };
    let mut response = render_page(&state, "/sign-up", Visitor::Anonymous, feedback, status).await;
    if status == StatusCode::TOO_MANY_REQUESTS {
        if let Ok(value) = throttle::WINDOW.as_secs().to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    response
}
