//! Conditional GETs of the pages that only show: a collection's list and an item's page.
//! They carry an `ETag` and `Cache-Control: private, no-cache`, so a browser asks again each
//! time with `If-None-Match`, and gets `304 Not Modified` while nothing it shows changed,
//! without the page being rendered.
//!
//! What such a page shows is the viewer (the header: who, in which collections, with which
//! role, and the session's form token), the collection's items and locations, and photo
//! URLs signed for a window of time, all for the URL asked for. The tag is made from exactly
//! those: the viewer as the page would make it, the collection's revision (one read: every
//! write to the collection's items or locations changes it, see
//! [`domain::item_store::ItemStore::revision`]), the URL the photo store hands out now, the
//! request's path and query, and what this build and its configuration render differently.
//! A backend that has no revision (`None`) would get its pages rendered every time; both
//! of Shelf's keep one.
//!
//! A GET's page is also kept under its tag (`page_cache`), for whoever asks again without
//! `If-None-Match`.
//!
//! The forms are left out: the new-item form carries an id of its own per render, and an
//! edit form is the one page that must show the latest version before a save.

use super::super::api::preconditions::if_none_match_names;
use super::super::page_policy::current_nonce;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::access::Visitor;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Private: the page is the viewer's own. No-cache: kept, but asked about before each use.
const CACHE_CONTROL: &str = "private, no-cache";

/// What the middleware works with: the app, and what its build and configuration add to
/// every tag (made once, when the routes are).
#[derive(Clone)]
pub struct PageTags {
    state: AppState,
    build: u64,
}

impl PageTags {
    pub fn new(state: &AppState) -> Self {
        Self {
            state: state.clone(),
            build: build_fingerprint(state),
        }
    }

    /// The page's entity tag, or `None` when it cannot be made cheaply (no revision, or the
    /// store did not answer: the page is then rendered, and says what went wrong).
    async fn page_tag(&self, visitor: &Visitor, uri: &Uri) -> Option<String> {
        let state = &self.state;
        let (viewer, permit) = app::server_fns::viewer_with_permit(
            visitor,
            uri.path(),
            Some(&state.gate),
            Some(&state.signer),
        );
        let permit = permit?;
        let revision = state.store.revision(&permit).await.ok()??;
        let mut hasher = DefaultHasher::new();
        self.build.hash(&mut hasher);
        serde_json::to_string(&viewer).ok()?.hash(&mut hasher);
        (permit.collection().to_string(), revision).hash(&mut hasher);
        state.photos.files().url_probe().hash(&mut hasher);
        uri.path_and_query().map(|p| p.as_str()).hash(&mut hasher);
        Some(format!("W/\"v{:016x}\"", hasher.finish()))
    }
}

pub async fn answer(State(tags): State<PageTags>, request: Request, next: Next) -> Response {
    let state = &tags.state;
    let shows_only = matches!(*request.method(), Method::GET | Method::HEAD)
        && is_list_or_item(request.uri().path());
    let tag = if shows_only {
        let visitor = request.extensions().get::<Visitor>().cloned();
        let uri = request.uri().clone();
        tags.page_tag(&visitor.unwrap_or(Visitor::Anonymous), &uri)
            .await
    } else {
        None
    };
    let Some((tag, header_value)) =
        tag.and_then(|tag| HeaderValue::try_from(&tag).ok().map(|value| (tag, value)))
    else {
        return next.run(request).await;
    };
    // Only a GET's page is kept and sent again whole (a HEAD's has no body to keep).
    let nonce = current_nonce().filter(|_| request.method() == Method::GET);
    let mut response = if if_none_match_names(request.headers(), &tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else if let Some(kept) = nonce
        .as_ref()
        .and_then(|nonce| state.page_cache.page(&tag, nonce))
    {
        kept
    } else {
        let response = next.run(request).await;
        match nonce {
            Some(nonce) => state.page_cache.keep(tag, nonce, response).await,
            None => response,
        }
    };
    // A page that says "not found" or "not allowed" is not one to keep.
    if matches!(response.status(), StatusCode::OK | StatusCode::NOT_MODIFIED) {
        let headers = response.headers_mut();
        headers.insert(header::ETAG, header_value);
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
    }
    response
}

/// `/`, `/items/{id}`, and the same under `/c/{collection}`.
fn is_list_or_item(path: &str) -> bool {
    let rest = match path.strip_prefix("/c/") {
        Some(rest) => rest.split_once('/').map_or("", |(_, rest)| rest),
        None => path.strip_prefix('/').unwrap_or(path),
    };
    let mut segments = rest.split('/');
    match (segments.next(), segments.next(), segments.next()) {
        (Some(""), None, None) => true,
        (Some("items"), Some(id), None) => !id.is_empty() && id != "new",
        _ => false,
    }
}

/// What makes this build and configuration render the same data differently: the code, the
/// site's assets, the photo limits the forms follow, whether sign-up is open. A debug build
/// also adds its process: a rebuilt binary in development may differ under the same commit.
fn build_fingerprint(state: &AppState) -> u64 {
    let mut hasher = DefaultHasher::new();
    (env!("SHELF_GIT_COMMIT"), env!("CARGO_PKG_VERSION")).hash(&mut hasher);
    state.leptos_options.output_name.hash(&mut hasher);
    format!("{:?}", state.photos.limits()).hash(&mut hasher);
    state.open_sign_up.hash(&mut hasher);
    if cfg!(debug_assertions) {
        (std::process::id(), std::time::SystemTime::now()).hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::is_list_or_item;

    #[test]
    fn only_the_list_and_item_pages_are_conditional() {
        for path in ["/", "/c/abc", "/c/abc/", "/items/x1", "/c/abc/items/x1"] {
            assert!(is_list_or_item(path), "{path}");
        }
        let others = [
            "/items/new",
            "/items/x1/edit",
            "/c/abc/items/new",
            "/c/abc/items/x1/edit",
            "/items/",
            "/locations",
            "/c/abc/tags",
            "/members",
            "/sign-in",
        ];
        for path in others {
            assert!(!is_list_or_item(path), "{path}");
        }
    }
}
