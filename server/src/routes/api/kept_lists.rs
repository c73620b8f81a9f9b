//! Pages of `GET /api/items` kept as sent, so the same page asked for again costs one read of
//! the collection's revision instead of the page's store read, its photo URLs' signatures and
//! its JSON: together most of the route's CPU (perf, 2026-12-06, `docs/performance.md`).
//!
//! A kept page is found by everything its bytes depend on:
//! - the collection and its revision, which every write to its items or locations replaces
//!   ([`domain::item_store::ItemStore::revision`]);
//! - the URL the photo store makes now for a key no photo has
//!   ([`domain::photo_store::PhotoUrls::url_probe`]): a new signing window, new credentials
//!   or another address make new photo URLs, so a kept page never carries expired ones;
//! - the origin its `Link` names, and the request's query.
//!
//! The revision is read before the page. A write between the two then files the newer page
//! under the older revision, which nobody reads any more; never an older page under a newer
//! revision.
//!
//! Only for a store whose revision costs less than the page: the embedded one, a read of the
//! same SQLite file. On DynamoDB it would be a second call per list, where the list is one,
//! so there no page is kept ([`KeptLists::off`]).
//!
//! Whether kept or not, a page whose tag `If-None-Match` names is answered 304 without its
//! JSON being made.
//!
//! Bounded in bytes ([`MOST_BYTES`]); a page not asked for in [`IDLE`] goes. When full, the
//! least recently used page goes first ([`crate::revision_caches`]).

use super::error::ApiError;
use super::preconditions::if_none_match_tag;
use crate::revision_caches;
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::access::{Permit, Read};
use domain::accounts::CollectionId;
use domain::item_store::{ItemStore, StoreError};
use domain::model::Item;
use domain::photo_store::PhotoUrls;
use std::sync::Arc;
use std::time::Duration;

/// All kept pages together, in bytes of JSON (a page of 50 items is about 25 KB).
const MOST_BYTES: u64 = 16 * 1024 * 1024;
const IDLE: Duration = Duration::from_secs(10 * 60);

/// The kept pages, or none ([`KeptLists::off`]).
#[derive(Clone)]
pub struct KeptLists(Option<moka::sync::Cache<ListKey, Arc<ListAnswer>>>);

/// What a page's bytes depend on (see the module's documentation).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ListKey {
    collection: CollectionId,
    revision: u64,
    photo_urls: String,
    origin: String,
    query: String,
}

impl ListKey {
    fn weight(&self) -> usize {
        self.photo_urls.len() + self.origin.len() + self.query.len()
    }
}

/// A page of `GET /api/items` as sent: its JSON, its `ETag` and its `Link` to the next page.
pub struct ListAnswer {
    json: Bytes,
    tag: String,
    link: Option<HeaderValue>,
}

impl KeptLists {
    /// Keeping pages: for a store whose revision costs less than a page.
    pub fn keeping() -> Self {
        Self(Some(revision_caches::weighed(
            MOST_BYTES,
            IDLE,
            |key: &ListKey, answer: &Arc<ListAnswer>| key.weight() + answer.json.len(),
        )))
    }

    /// Keeping none: for a store whose revision is a call of its own.
    pub fn off() -> Self {
        Self(None)
    }

    /// The key of the page `query` asks for, made before the page is read. `None` when no
    /// page is kept, when the store has no revision for it, or when it could not read it (the
    /// page's own read then answers).
    pub async fn key(
        &self,
        store: &dyn ItemStore,
        urls: &dyn PhotoUrls,
        permit: &Permit<Read>,
        origin: &str,
        query: &str,
    ) -> Option<ListKey> {
        self.0.as_ref()?;
        let revision = store.revision(permit).await.ok()??;
        Some(ListKey {
            collection: *permit.collection(),
            revision,
            photo_urls: urls.url_probe(),
            origin: origin.to_owned(),
            query: query.to_owned(),
        })
    }

    pub fn get(&self, key: &ListKey) -> Option<Arc<ListAnswer>> {
        let kept = self.0.as_ref()?.get(key);
        metrics::counter!("shelf_list_cache_total", "outcome" => if kept.is_some() { "hit" } else { "miss" })
            .increment(1);
        kept
    }

    /// Keeps `answer` under `key`, and gives it back to be sent.
    pub fn keep(&self, key: ListKey, answer: ListAnswer) -> Arc<ListAnswer> {
        let answer = Arc::new(answer);
        if let Some(kept) = &self.0 {
            kept.insert(key, answer.clone());
        }
        answer
    }
}

impl ListAnswer {
    /// The page of `items`, tagged `tag`, with a `Link` to the next page if there is one.
    pub fn new(items: &[Item], tag: String, link: Option<HeaderValue>) -> Result<Self, ApiError> {
        Ok(Self {
            json: list_json(items)?,
            tag,
            link,
        })
    }

    /// The page, or `304 Not Modified` if `If-None-Match` names its tag.
    pub fn respond(&self, request: &HeaderMap) -> Result<Response, ApiError> {
        list_response(request, &self.tag, self.link.as_ref(), || {
            Ok(self.json.clone())
        })
    }
}

/// A page of the list tagged `tag`: `304 Not Modified` if `If-None-Match` names the tag, and
/// then `json` is never called; otherwise the JSON it makes. Both carry the tag and `link`.
pub fn list_response(
    request: &HeaderMap,
    tag: &str,
    link: Option<&HeaderValue>,
    json: impl FnOnce() -> Result<Bytes, ApiError>,
) -> Result<Response, ApiError> {
    let mut response = if if_none_match_tag(request, tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            json()?,
        )
            .into_response()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::try_from(tag) {
        headers.insert(header::ETAG, value);
    }
    if let Some(link) = link {
        headers.insert(header::LINK, link.clone());
    }
    Ok(response)
}

/// The items as the list's JSON.
pub fn list_json(items: &[Item]) -> Result<Bytes, ApiError> {
    // Items are structs of strings and numbers, so this does not fail; if it ever did, it
    // would be Shelf's fault, and a 500 that logs why.
    serde_json::to_vec(items)
        .map(Bytes::from)
        .map_err(|error| ApiError::from(StoreError::Internal(Box::new(error))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_page_is_kept_once_the_cache_is_full() {
        let kept = KeptLists::keeping();
        let collection = CollectionId::from_uuid(uuid::Uuid::nil());
        let page_bytes = 64 * 1024;
        // Three times as many revisions as there is room for pages of, each page asked for
        // three times: every ask but a revision's first must find its page kept.
        let revisions = 3 * MOST_BYTES / page_bytes as u64;
        let key = |revision| ListKey {
            collection,
            revision,
            photo_urls: "/media/probe".into(),
            origin: "http://127.0.0.1".into(),
            query: String::new(),
        };
        let mut made = 0;
        for revision in 0..revisions {
            for _ in 0..3 {
                if kept.get(&key(revision)).is_none() {
                    made += 1;
                    let answer = ListAnswer {
                        json: Bytes::from(vec![b' '; page_bytes]),
                        tag: format!("\"{revision}\""),
                        link: None,
                    };
                    kept.keep(key(revision), answer);
                }
                // What moka decides about a new key (admit it, push another out) it does in
                // its pending tasks: run them, as time would.
                kept.0.as_ref().unwrap().run_pending_tasks();
            }
        }
        assert_eq!(made, revisions);
    }
}
