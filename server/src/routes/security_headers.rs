//! Headers every response carries unless a handler chose otherwise: no MIME sniffing, no
//! framing (the delete form must not be clickjackable), no leaking URLs to other sites, a
//! browsing context of its own (no other site's window can reach ours), the camera for our own
//! pages only (the photo picker) and no other powerful feature; a Content-Security-Policy
//! (pages get theirs with the nonce made here for their scripts: `page_policy`); and over
//! HTTPS, HSTS.

use super::auth::is_https;
use super::page_policy::{self, PagePolicy};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// A year, the value browsers' preload lists ask for; no `includeSubDomains`: other hosts
/// under the same domain are not ours to commit.
const HSTS: &str = "max-age=31536000";

const FIXED: [(header::HeaderName, &str); 5] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "same-origin"),
    (
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
    (
        header::HeaderName::from_static("permissions-policy"),
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    ),
];

/// What responses other than pages run under (JSON, photos, files, errors): nothing at all.
const NOTHING: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The photo worker's own policy (a worker's comes with its script): its module, and compiling
/// and fetching its wasm, from here.
const PHOTO_WORKER: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
                            connect-src 'self'; base-uri 'none'";

pub async fn add(State(pages): State<PagePolicy>, request: Request, next: Next) -> Response {
    let https = is_https(request.headers());
    let worker = request.uri().path().starts_with("/photo-worker/");
    // Any request may end in a page (a refused form post shows its form again), so each gets a
    // nonce; making one is a few random bytes.
    let nonce = leptos::nonce::Nonce::new();
    let mut response = page_policy::with_nonce(nonce.clone(), next.run(request)).await;
    let status = response.status();
    let headers = response.headers_mut();
    // A 304 keeps the page the browser holds, whose scripts carry that response's nonce: a
    // policy here would replace that page's, and its scripts would be refused.
    if status != StatusCode::NOT_MODIFIED {
        let policy = if is_html(headers) {
            HeaderValue::from_str(&pages.with_nonce(&nonce)).ok()
        } else if worker {
            Some(HeaderValue::from_static(PHOTO_WORKER))
        } else {
            Some(HeaderValue::from_static(NOTHING))
        };
        // A policy the server was configured into that is not a valid header value (an
        // origin with a newline) leaves the page with the strictest one rather than none.
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            policy.unwrap_or(HeaderValue::from_static(NOTHING)),
        );
    }
    for (name, value) in FIXED {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    // Browsers ignore HSTS over plain HTTP, so only say it where it counts.
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

/// Pages are the only HTML Shelf serves: Leptos renders every one of them.
fn is_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}
