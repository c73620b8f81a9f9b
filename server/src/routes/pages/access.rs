//! The gate's answer for plain form posts: the handler runs only for a visitor who may change
//! the collection the post's path names (`/c/{collection}/…`, or the visitor's default one
//! without it); anyone else gets a short page saying why, with the status the API would
//! answer.

use crate::routes::api::access::visitor;
use crate::state::AppState;
use app::collection_path::{in_collection, named_collection};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use axum::Router;
use domain::access::{Denied, Edit, Permit, Visitor};
use domain::accounts::CollectionId;

/// Routes `path` both as the default collection's and under `/c/{collection}`: a form posts
/// to its page's own path, which may or may not name the collection.
pub fn in_both(
    router: Router<AppState>,
    path: &str,
    handler: MethodRouter<AppState>,
) -> Router<AppState> {
    router
        .route(path, handler.clone())
        .route(&format!("/c/{{collection}}{path}"), handler)
}

/// The collection a page route's path names, if it names one: where its redirects and the
/// pages it renders again stay.
#[derive(Clone, Copy, Debug, Default)]
pub struct NamedCollection(Option<CollectionId>);

impl NamedCollection {
    /// What `parts`' path names; a name that cannot be a collection is one that does not
    /// exist.
    pub fn of(parts: &Parts) -> Result<Self, Denied> {
        match named_collection(parts.uri.path()) {
            None => Ok(Self(None)),
            Some(Ok(id)) => Ok(Self(Some(id))),
            Some(Err(())) => Err(Denied::NotFound),
        }
    }

    pub fn id(&self) -> Option<&CollectionId> {
        self.0.as_ref()
    }

    /// `path` in the same collection as the request.
    pub fn path(&self, path: &str) -> String {
        in_collection(self.0.map(|id| id.to_string()).as_deref(), path)
    }
}

/// A permit to change the request's collection, and who holds it (a re-rendered form page
/// loads its data as them).
pub struct FormEditing {
    pub permit: Permit<Edit>,
    pub visitor: Visitor,
    pub named: NamedCollection,
}

impl FromRequestParts<AppState> for FormEditing {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let visitor = visitor(parts);
        let decided = NamedCollection::of(parts).and_then(|named| {
            let permit = state.gate.edit_in(&visitor, named.id())?;
            Ok((permit, named))
        });
        match decided {
            Ok((permit, named)) => Ok(Self {
                permit,
                visitor,
                named,
            }),
            Err(denied) => Err(refusal(denied)),
        }
    }
}

fn refusal(denied: Denied) -> Response {
    let (status, message) = match denied {
        Denied::SignInNeeded => (StatusCode::UNAUTHORIZED, "Sign in to change items."),
        Denied::Forbidden => (
            StatusCode::FORBIDDEN,
            "Your role in this collection does not allow changes.",
        ),
        Denied::NotFound => (StatusCode::NOT_FOUND, "There is no such collection."),
    };
    (status, message).into_response()
}
