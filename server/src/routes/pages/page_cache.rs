//! Rendered list and item pages kept under their entity tag (see `conditional`), so the same
//! page asked for again without `If-None-Match` is sent without rendering it again: by
//! visitors under anonymous access (who share one viewer, so one page), and by clients that
//! keep no cache of their own. A browser revalidates instead, and gets its 304.
//!
//! A tag changes with everything its page shows, so a kept page is what a render would make
//! now, but for its scripts' nonce, which is each response's own: the kept page's nonce is
//! replaced with the response's. A nonce is 22 random characters made for its render, so no
//! other text of the page (written before it existed) contains it.
//!
//! Bounded in bytes ([`MOST_BYTES`], a page weighing its body), pages over [`LARGEST_PAGE`]
//! are not kept, and a page not asked for in [`IDLE`] goes. When full, the least recently
//! used page goes first ([`crate::revision_caches`]): every write makes new tags.

use crate::revision_caches;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::nonce::Nonce;
use std::sync::Arc;
use std::time::Duration;

/// All kept pages together, in bytes of HTML.
const MOST_BYTES: u64 = 32 * 1024 * 1024;
/// A page larger than this is sent but not kept (a list page of 50 cards is about 85 KB).
const LARGEST_PAGE: usize = 1024 * 1024;
const IDLE: Duration = Duration::from_secs(10 * 60);

#[derive(Clone)]
pub struct PageCache(moka::sync::Cache<String, Arc<Kept>>);

struct Kept {
    /// The render's own headers (its content type, …).
    headers: HeaderMap,
    html: String,
    /// The nonce the page was rendered with.
    nonce: Nonce,
}

impl Default for PageCache {
    fn default() -> Self {
        Self(revision_caches::weighed(
            MOST_BYTES,
            IDLE,
            |tag: &String, kept: &Arc<Kept>| tag.len() + kept.html.len(),
        ))
    }
}

impl PageCache {
    /// The page kept under `tag`, its scripts carrying `nonce`.
    pub fn page(&self, tag: &str, nonce: &Nonce) -> Option<Response> {
        let kept = self.0.get(tag);
        metrics::counter!("shelf_page_cache_total", "outcome" => if kept.is_some() { "hit" } else { "miss" })
            .increment(1);
        let kept = kept?;
        let mut page = kept.html.replace(&*kept.nonce, nonce).into_response();
        *page.headers_mut() = kept.headers.clone();
        Some(page)
    }

    /// `response`, kept under `tag` first if it is a whole page that can be sent again as it
    /// is: `200`, HTML, no cookie set, rendered with `nonce`.
    pub async fn keep(&self, tag: String, nonce: Nonce, response: Response) -> Response {
        let headers = response.headers();
        let html = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|value| value == HTML);
        if response.status() != StatusCode::OK || !html || headers.contains_key(header::SET_COOKIE)
        {
            return response;
        }
        let (parts, body) = response.into_parts();
        // The render is whole by now (pages render before they send); this only gathers it.
        let bytes = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::error!(error = %error, "a page's body failed");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
        if bytes.len() <= LARGEST_PAGE {
            if let Ok(html) = std::str::from_utf8(&bytes) {
                let kept = Kept {
                    headers: parts.headers.clone(),
                    html: html.to_owned(),
                    nonce,
                };
                self.0.insert(tag, Arc::new(kept));
            }
        }
        Response::from_parts(parts, Body::from(Bytes::clone(&bytes)))
    }
}

const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of `bytes` bytes of HTML, as a render sends it.
    fn rendered(nonce: &Nonce, bytes: usize) -> Response {
        let html = format!("<script nonce=\"{}\"></script>", &**nonce);
        let padded = format!("{html}{}", " ".repeat(bytes - html.len()));
        ([(header::CONTENT_TYPE, HTML)], padded).into_response()
    }

    #[tokio::test]
    async fn the_newest_page_is_kept_once_the_cache_is_full() {
        let cache = PageCache::default();
        // Three times as many pages as there is room for, each asked for three times, as a
        // page is after every write: every page but the first ask must be served kept.
        let pages = 3 * MOST_BYTES as usize / LARGEST_PAGE;
        let mut rendered_pages = 0;
        for page in 0..pages {
            let tag = format!("\"page-{page}\"");
            for _ in 0..3 {
                let nonce = Nonce::new();
                if cache.page(&tag, &nonce).is_none() {
                    rendered_pages += 1;
                    cache
                        .keep(
                            tag.clone(),
                            nonce.clone(),
                            rendered(&nonce, LARGEST_PAGE - 64),
                        )
                        .await;
                }
                // What moka decides about a new key (admit it, push another out) it does in
                // its pending tasks: run them, as time would.
                cache.0.run_pending_tasks();
            }
        }
        assert_eq!(rendered_pages, pages);
    }
}
