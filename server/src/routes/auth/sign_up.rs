//! `POST /sign-up` with `--sign-up open`: anyone makes an account, which owns a new collection
//! of its own, and is signed in. At most `AddressThrottle::SIGN_UPS` tries per client address
//! and window on each instance, so one client cannot fill the store.

use super::{account_form_again, account_refusal, device, signed_in, throttle, SetupForm};
use crate::state::AppState;
use axum::extract::{Form, FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::model::FieldErrors;

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
    let Ok(Form(form)) = Form::<SetupForm>::from_request(request, &state).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    if address.is_some_and(|address| state.sign_up_throttle.is_blocked(address)) {
        let minutes = throttle::WINDOW.as_secs().div_ceil(60);
        let notice = format!(
            "Too many accounts were made from your address. Try again in {minutes} minutes."
        );
        let refusal = (
            StatusCode::TOO_MANY_REQUESTS,
            FieldErrors::new(),
            Some(notice),
        );
        let mut response = account_form_again(&state, "/sign-up", form, refusal).await;
        if let Ok(value) = throttle::WINDOW.as_secs().to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    if let Some(address) = address {
        // Every try counts, valid or not: each may cost a password hash.
        state.sign_up_throttle.record(address);
    }
    let result = state
        .accounts
        .sign_up(
            &form.email,
            &form.password,
            &form.collection,
            &device(&headers),
        )
        .await;
    match result {
        Ok(session) => signed_in(&state, &headers, &session.cookie, "/"),
        Err(error) => account_form_again(&state, "/sign-up", form, account_refusal(error)).await,
    }
}
