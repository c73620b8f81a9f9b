//! Who sent a request, and the pages that sign people in and out.
//!
//! [`authenticate`] runs before every route that reads or changes data: it turns the session
//! cookie into a [`Visitor`] in the request's extensions (what the gate and the server
//! functions read), refuses cross-site changes made with the cookie, and forgets cookies that
//! no longer name a session. `Authorization: Bearer` carries an API token instead: a program's,
//! not a browser's, so no cross-site check applies to it.
//!
//! # Layout
//! - this file: the middleware, the page guard, and the sign-in, first-run and sign-out posts.
//! - `account`: the account page's posts (password, sessions, API tokens).
//! - `collections`: starting a new collection.
//! - `cookie`: the session cookie's name and attributes.
//! - `members`: the members page's posts and the invite's.
//! - `origin`: the same-origin check against cross-site request forgery.
//! - `sign_up`: open sign-up (`--sign-up open`).
//! - [`throttle`]: failed sign-ins per client address.

mod account;
mod collections;
mod cookie;
pub(super) use cookie::is_https;
mod members;
mod origin;
mod sign_up;
pub mod throttle;

use super::pages::render_page;
use crate::state::AppState;
use app::pages::AuthFeedback;
use axum::extract::{Form, FromRequest, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use domain::access::Visitor;
use domain::accounts::{LinkError, SetupError, SignInError};
use domain::model::FieldErrors;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-in", post(sign_in))
        .route("/sign-up", post(sign_up::sign_up))
        .route("/setup", post(set_up))
        .route("/sign-out", post(sign_out))
        .route("/set-password", post(set_password))
        .merge(account::router())
        .merge(collections::router())
        .merge(members::router())
}

/// Paths that never need to know who is asking: built assets, health, metrics.
fn is_anonymous_path(path: &str) -> bool {
    [
        "/pkg/",
        "/photo-worker/",
        "/favicon",
        "/healthz",
        "/readyz",
        "/metrics",
    ]
    .iter()
    .any(|prefix| path.starts_with(prefix))
}

/// The middleware: finds the visitor, and guards cookie-authenticated changes.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if is_anonymous_path(request.uri().path()) {
        return next.run(request).await;
    }
    let headers = request.headers();
    if let Some(authorization) = headers.get(header::AUTHORIZATION) {
        let bearer = authorization
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim);
        let visitor = match bearer {
            Some(token) => state.accounts.token(token).await,
            None => Ok(None),
        };
        return match visitor {
            Ok(Some(visitor)) => {
                request.extensions_mut().insert(visitor);
                next.run(request).await
            }
            Ok(None) => super::api::access::refusal_with(
                StatusCode::UNAUTHORIZED,
                "the API token is not valid: revoked, expired or mistyped",
            )
            .into_response(),
            Err(error) => {
                tracing::error!(error = %error, "token lookup failed");
                (StatusCode::SERVICE_UNAVAILABLE, "try again shortly").into_response()
            }
        };
    }
    let Some(cookie) = cookie::read(headers) else {
        request.extensions_mut().insert(Visitor::Anonymous);
        return next.run(request).await;
    };
    let visitor = match state.accounts.session(&cookie).await {
        Ok(visitor) => visitor,
        Err(error) => {
            tracing::error!(error = %error, "session lookup failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "try again shortly").into_response();
        }
    };
    let Some(visitor) = visitor else {
        // Signed out elsewhere, expired, or never ours: anonymous, and the browser forgets it.
        let clear = cookie::clear(request.headers());
        request.extensions_mut().insert(Visitor::Anonymous);
        let mut response = next.run(request).await;
        response.headers_mut().append(header::SET_COOKIE, clear);
        return response;
    };
    if origin::is_unsafe(request.method()) && !origin::is_same_origin(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-site request with the session cookie refused");
        return (
            StatusCode::FORBIDDEN,
            "This request came from another site and was refused.",
        )
            .into_response();
    }
    if origin::is_unsafe(request.method()) && !form_token_ok(&state, &request, &visitor) {
        tracing::warn!(path = %request.uri().path(), "form post without its session's form token refused");
        return (
            StatusCode::FORBIDDEN,
            "This form is out of date: go back, reload the page and try again.",
        )
            .into_response();
    }
    request.extensions_mut().insert(visitor);
    next.run(request).await
}

/// Whether a change made with the session cookie carries the session's form token, where one
/// is due: on the page routes the plain HTML forms post to. The API and server functions
/// (`/api/…`, JSON or fetch from our own pages) rely on the origin check alone, signed upload
/// URLs are their own authority, and the forms that sign people in act on no session.
fn form_token_ok(state: &AppState, request: &Request, visitor: &Visitor) -> bool {
    let path = request.uri().path();
    let exempt = path.starts_with("/api/")
        || path.starts_with("/uploads/")
        || matches!(
            path,
            "/sign-in" | "/sign-up" | "/setup" | "/set-password" | "/join/sign-up"
        );
    let Visitor::Session { session, .. } = visitor else {
        return true;
    };
    if exempt {
        return true;
    }
    let token = request
        .uri()
        .query()
        .and_then(|query| serde_urlencoded::from_str::<Vec<(String, String)>>(query).ok())
        .and_then(|pairs| pairs.into_iter().find(|(name, _)| name == "form_token"))
        .map(|(_, token)| token);
    token.is_some_and(|token| {
        state.signer.verify(
            app::server_fns::FORM_TOKEN_PURPOSE,
            session.as_uuid().as_bytes(),
            &token,
        )
    })
}

/// Pages of a collection, for visitors who may not read it: anonymous visitors go to sign in
/// (and come back afterwards), or to the first run while Shelf has no accounts.
pub async fn guard_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if request.method() == "GET" && matches!(path.as_str(), "/sign-in" | "/sign-up" | "/setup") {
        // Nobody to sign in as yet: the first run (whose owner also gets the items from
        // before accounts, so it comes before any sign-up); and only while that is so.
        let first_run = state.accounts.needs_setup().await.unwrap_or(false);
        return match (path.as_str(), first_run) {
            ("/sign-in" | "/sign-up", true) => Redirect::to("/setup").into_response(),
            ("/setup", false) => Redirect::to("/sign-in").into_response(),
            _ => next.run(request).await,
        };
    }
    let open = matches!(path.as_str(), "/set-password" | "/join" | "/sign-up")
        || request.method() != "GET";
    let visitor = request
        .extensions()
        .get::<Visitor>()
        .cloned()
        .unwrap_or(Visitor::Anonymous);
    if open || !matches!(visitor, Visitor::Anonymous) {
        return next.run(request).await;
    }
    // Anonymous access lets anonymous visitors read its one collection; a path naming
    // another gets them to sign in as anywhere else.
    let named = app::collection_path::named_collection(&path).and_then(Result::ok);
    if state.gate.read_in(&visitor, named.as_ref()).is_ok() {
        return next.run(request).await;
    }
    match state.accounts.needs_setup().await {
        Ok(true) => Redirect::to("/setup").into_response(),
        Ok(false) => {
            let next_path = request
                .uri()
                .path_and_query()
                .map_or("/", |path| path.as_str());
            let query = serde_urlencoded::to_string([("next", next_path)]).unwrap_or_default();
            Redirect::to(&format!("/sign-in?{query}")).into_response()
        }
        Err(error) => {
            tracing::error!(error = %error, "cannot tell whether Shelf is set up");
            (StatusCode::SERVICE_UNAVAILABLE, "try again shortly").into_response()
        }
    }
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn sign_in(State(state): State<AppState>, request: Request) -> Response {
    let address = throttle::client_address(&request, state.trust_forwarded_for);
    let headers = request.headers().clone();
    let Ok(Form(form)) = Form::<SignInForm>::from_request(request, &state).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let device = device(&headers);
    let result = match address {
        Some(address) if state.sign_in_throttle.is_blocked(address) => {
            Err(SignInError::Throttled {
                retry_after: throttle::WINDOW,
            })
        }
        _ => {
            state
                .accounts
                .sign_in(&form.email, &form.password, &device)
                .await
        }
    };
    if let (Err(SignInError::Wrong), Some(address)) = (&result, address) {
        state.sign_in_throttle.record(address);
    }
    match result {
        Ok(session) => signed_in(&state, &headers, &session.cookie, local_path(&form.next)),
        Err(error) => {
            let (status, notice) = match &error {
                SignInError::Wrong => (
                    StatusCode::UNAUTHORIZED,
                    "The email or the password is wrong.".to_owned(),
                ),
                SignInError::Throttled { retry_after } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "Too many failed sign-ins. Try again in {} minutes.",
                        retry_after.as_secs().div_ceil(60).max(1)
                    ),
                ),
                _ => {
                    tracing::error!(error = %error, "sign-in failed");
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "Signing in is not possible right now; try again in a moment.".to_owned(),
                    )
                }
            };
            let feedback = AuthFeedback {
                email: form.email,
                next: form.next,
                notice: Some(notice),
                ..Default::default()
            };
            let mut response =
                render_page(&state, "/sign-in", Visitor::Anonymous, feedback, status).await;
            if let SignInError::Throttled { retry_after } = error {
                if let Ok(value) = retry_after.as_secs().max(1).to_string().parse() {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
            }
            response
        }
    }
}

/// A new account's form: the first run's, and open sign-up's.
#[derive(Deserialize)]
struct SetupForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    collection: String,
}

/// Why a new account was not made, as its form says it: the status, the fields' errors, and a
/// notice about the whole form.
type AccountRefusal = (StatusCode, FieldErrors, Option<String>);

fn account_refusal(error: SetupError) -> AccountRefusal {
    match error {
        SetupError::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        error => {
            tracing::error!(error = %error, "account not made");
            let notice = "The account could not be created right now; try again in a moment.";
            (
                StatusCode::SERVICE_UNAVAILABLE,
                FieldErrors::new(),
                Some(notice.to_owned()),
            )
        }
    }
}

/// The new-account page at `path` again, with the input (never the password) and why not.
async fn account_form_again(
    state: &AppState,
    path: &str,
    form: SetupForm,
    (status, errors, notice): AccountRefusal,
) -> Response {
    let feedback = AuthFeedback {
        email: form.email,
        collection: form.collection,
        errors,
        notice,
        ..Default::default()
    };
    render_page(state, path, Visitor::Anonymous, feedback, status).await
}

async fn set_up(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SetupForm>,
) -> Response {
    let device = device(&headers);
    let result = state
        .accounts
        .set_up(&form.email, &form.password, &form.collection, &device)
        .await;
    match result {
        Ok(session) => signed_in(&state, &headers, &session.cookie, "/"),
        Err(SetupError::AlreadySetUp) => Redirect::to("/sign-in").into_response(),
        Err(error) => account_form_again(&state, "/setup", form, account_refusal(error)).await,
    }
}

#[derive(Deserialize)]
pub(super) struct LinkQuery {
    #[serde(default)]
    pub(super) token: String,
}

#[derive(Deserialize)]
struct SetPasswordForm {
    #[serde(default)]
    password: String,
}

async fn set_password(
    State(state): State<AppState>,
    Query(LinkQuery { token }): Query<LinkQuery>,
    headers: HeaderMap,
    Form(form): Form<SetPasswordForm>,
) -> Response {
    let device = device(&headers);
    let result = state
        .accounts
        .set_password_with_link(&token, &form.password, &device)
        .await;
    let (status, feedback) = match result {
        Ok(session) => return signed_in(&state, &headers, &session.cookie, "/"),
        Err(LinkError::Unusable) => (StatusCode::NOT_FOUND, AuthFeedback::default()),
        Err(LinkError::Invalid(message)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            AuthFeedback {
                errors: FieldErrors::from([("password".to_owned(), message)]),
                ..Default::default()
            },
        ),
        Err(error) => {
            tracing::error!(error = %error, "setting a password failed");
            let notice = "The password could not be set right now; try again in a moment.";
            (
                StatusCode::SERVICE_UNAVAILABLE,
                AuthFeedback {
                    notice: Some(notice.to_owned()),
                    ..Default::default()
                },
            )
        }
    };
    let path = format!(
        "/set-password?{}",
        serde_urlencoded::to_string([("token", &token)]).unwrap_or_default()
    );
    render_page(&state, &path, Visitor::Anonymous, feedback, status).await
}

async fn sign_out(State(state): State<AppState>, request: Request) -> Response {
    if let Some(Visitor::Session { account, session }) = request.extensions().get::<Visitor>() {
        if let Err(error) = state.accounts.sign_out(&account.id, session).await {
            tracing::error!(error = %error, "sign-out failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "Signing out failed; try again.",
            )
                .into_response();
        }
    }
    let mut response = Redirect::to("/sign-in").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookie::clear(request.headers()));
    response
}

/// The answer to a successful sign-in: the new session's cookie (a new id every time, so a
/// cookie planted before sign-in is worth nothing after) and a redirect.
fn signed_in(state: &AppState, headers: &HeaderMap, session: &str, to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    let max_age = state.accounts.settings().session_max;
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookie::set(headers, session, max_age));
    response
}

/// Where to go after signing in: a path of this site, never another site (`//evil.example`
/// and `/\evil.example` are other sites to a browser).
fn local_path(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if local {
        next
    } else {
        "/"
    }
}

/// A short name for the browser a session was made in, from its User-Agent: "Firefox on
/// Android". Only for the list of sessions, so rough is fine.
fn device(headers: &HeaderMap) -> String {
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(token, _)| agent.contains(token))
    .map_or("A browser", |(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(token, _)| agent.contains(token))
    .map(|(_, name)| *name);
    match system {
        Some(system) => format!("{browser} on {system}"),
        None => browser.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        for ok in ["/", "/items/abc", "/items/new?x=1"] {
            assert_eq!(local_path(ok), ok);
        }
        for other in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "items",
        ] {
            assert_eq!(local_path(other), "/", "{other}");
        }
    }

    #[test]
    fn devices_are_named_roughly() {
        let mut headers = HeaderMap::new();
        let firefox = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0";
        headers.insert(header::USER_AGENT, firefox.parse().unwrap());
        assert_eq!(device(&headers), "Firefox on Android");
        let chrome =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";
        headers.insert(header::USER_AGENT, chrome.parse().unwrap());
        assert_eq!(device(&headers), "Chrome on Linux");
        assert_eq!(device(&HeaderMap::new()), "A browser");
    }
}
