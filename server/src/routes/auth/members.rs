//! The members page's posts (owners: invite, revoke invites, change roles, remove members)
//! and the invite's (join signed in, or sign up and join).

use super::{cookie, device, render_page, signed_in, LinkQuery};
use crate::routes::api::access::visitor;
use crate::routes::pages::{in_both, NamedCollection};
use crate::state::AppState;
use app::collection_path::in_collection;
use app::pages::{AuthFeedback, MembersFeedback};
use axum::extract::{Form, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use domain::access::{Denied, Manage, Permit, Visitor};
use domain::accounts::{AccountStoreError, LinkError, LinkId, Role, SetupError, UserId};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    let forms = [
        ("/members/invites", post(invite)),
        ("/members/invites/{id}/revoke", post(revoke_invite)),
        ("/members/{user}/role", post(change_role)),
        ("/members/{user}/remove", post(remove)),
    ];
    forms
        .into_iter()
        .fold(Router::new(), |router, (path, handler)| {
            in_both(router, path, handler)
        })
        .route("/join", post(join))
        .route("/join/sign-up", post(sign_up))
}

/// An owner of the collection the request's path names (or of their default one), signed in
/// with a session; anyone else is sent to sign in, or refused.
struct Owner {
    permit: Permit<Manage>,
    visitor: Visitor,
    /// The members page these posts come from and go back to.
    page: String,
}

impl FromRequestParts<AppState> for Owner {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let visitor = visitor(parts);
        let Ok(named) = NamedCollection::of(parts) else {
            return Err((StatusCode::NOT_FOUND, "There is no such collection.").into_response());
        };
        let page = named.path("/members");
        if !matches!(visitor, Visitor::Session { .. }) {
            let query = serde_urlencoded::to_string([("next", &page)]).unwrap_or_default();
            return Err(Redirect::to(&format!("/sign-in?{query}")).into_response());
        }
        match state.gate.manage_in(&visitor, named.id()) {
            Ok(permit) => Ok(Self {
                permit,
                visitor,
                page,
            }),
            Err(Denied::NotFound) => {
                Err((StatusCode::NOT_FOUND, "There is no such collection.").into_response())
            }
            Err(_) => Err((StatusCode::FORBIDDEN, "Only owners manage members.").into_response()),
        }
    }
}

async fn page(
    state: &AppState,
    owner: Owner,
    feedback: MembersFeedback,
    status: StatusCode,
) -> Response {
    render_page(state, &owner.page, owner.visitor, feedback, status).await
}

/// After a change: back to the page (post/redirect/get), or the page with why not.
async fn after(state: &AppState, owner: Owner, result: Result<(), AccountStoreError>) -> Response {
    let (status, notice) = match result {
        Ok(()) => return Redirect::to(&owner.page).into_response(),
        Err(AccountStoreError::LastOwner) => (
            StatusCode::CONFLICT,
            "A collection must keep an owner: make someone else an owner first.",
        ),
        Err(AccountStoreError::TooManyMembers { .. }) => (
            StatusCode::CONFLICT,
            "The collection has the most members allowed (50).",
        ),
        Err(AccountStoreError::NotFound) => (
            StatusCode::NOT_FOUND,
            "That member is not in the collection.",
        ),
        Err(error) => {
            tracing::error!(error = %error, "member change failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "That did not work right now; try again in a moment.",
            )
        }
    };
    let feedback = MembersFeedback {
        notice: Some(notice.to_owned()),
        ..Default::default()
    };
    page(state, owner, feedback, status).await
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

async fn invite(
    State(state): State<AppState>,
    owner: Owner,
    Form(form): Form<RoleForm>,
) -> Response {
    let Ok(role) = Role::parse(&form.role) else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    let Some(account) = owner.visitor.account() else {
        return StatusCode::FORBIDDEN.into_response();
    };
    match state
        .accounts
        .create_invite(&owner.permit, role, &account.id)
        .await
    {
        Ok(token) => {
            let feedback = MembersFeedback {
                new_invite: Some(format!("/join?token={token}")),
                ..Default::default()
            };
            page(&state, owner, feedback, StatusCode::CREATED).await
        }
        Err(error) => after(&state, owner, Err(error)).await,
    }
}

async fn revoke_invite(
    State(state): State<AppState>,
    Path(InvitePath { id }): Path<InvitePath>,
    owner: Owner,
) -> Response {
    let Ok(id) = LinkId::parse(&id) else {
        return Redirect::to(&owner.page).into_response();
    };
    let result = state
        .accounts
        .revoke_invite(&owner.permit, &id)
        .await
        .map(drop);
    after(&state, owner, result).await
}

async fn change_role(
    State(state): State<AppState>,
    Path(MemberPath { user }): Path<MemberPath>,
    owner: Owner,
    Form(form): Form<RoleForm>,
) -> Response {
    let (Ok(user), Ok(role)) = (UserId::parse(&user), Role::parse(&form.role)) else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    let result = state.accounts.set_role(&owner.permit, &user, role).await;
    after(&state, owner, result).await
}

async fn remove(
    State(state): State<AppState>,
    Path(MemberPath { user }): Path<MemberPath>,
    owner: Owner,
) -> Response {
    let Ok(user) = UserId::parse(&user) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let result = state.accounts.remove_member(&owner.permit, &user).await;
    after(&state, owner, result).await
}

/// The paths' ids (under `/c/{collection}` the path also holds the collection, which
/// [`Owner`] reads).
#[derive(Deserialize)]
struct InvitePath {
    id: String,
}

#[derive(Deserialize)]
struct MemberPath {
    user: String,
}

/// Signed in: joins the invite's collection.
async fn join(
    State(state): State<AppState>,
    Query(LinkQuery { token }): Query<LinkQuery>,
    request: Request,
) -> Response {
    let Some(Visitor::Session { account, .. }) = request.extensions().get::<Visitor>() else {
        return Redirect::to("/sign-in").into_response();
    };
    match state.accounts.accept_invite(&token, &account.id).await {
        Ok(collection) => {
            Redirect::to(&in_collection(Some(&collection.to_string()), "/")).into_response()
        }
        Err(LinkError::Unusable) => (
            StatusCode::NOT_FOUND,
            "This invite does not work: used, revoked or expired.",
        )
            .into_response(),
        Err(error) => {
            tracing::error!(error = %error, "joining failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Joining did not work right now; try again.",
            )
                .into_response()
        }
    }
}

#[derive(Deserialize)]
struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// Not signed in: a new account from the invite, in its collection, signed in.
async fn sign_up(
    State(state): State<AppState>,
    Query(LinkQuery { token }): Query<LinkQuery>,
    headers: HeaderMap,
    Form(form): Form<SignUpForm>,
) -> Response {
    let result = state
        .accounts
        .sign_up_with_invite(&token, &form.email, &form.password, &device(&headers))
        .await;
    let (status, feedback) = match result {
        Ok(session) => return signed_in(&state, &headers, &session.cookie, "/"),
        Err(SetupError::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            AuthFeedback {
                email: form.email,
                errors,
                ..Default::default()
            },
        ),
        Err(SetupError::InviteUnusable) => (StatusCode::NOT_FOUND, AuthFeedback::default()),
        Err(error) => {
            tracing::error!(error = %error, "sign-up failed");
            let notice = "The account could not be made right now; try again in a moment.";
            (
                StatusCode::SERVICE_UNAVAILABLE,
                AuthFeedback {
                    notice: Some(notice.to_owned()),
                    ..Default::default()
                },
            )
        }
    };
    let mut response = render_page(
        &state,
        &format!("/join?token={token}"),
        Visitor::Anonymous,
        feedback,
        status,
    )
    .await;
    // A failed sign-up leaves no session behind.
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookie::clear(&headers));
    response
}
