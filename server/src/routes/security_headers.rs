//! Headers every response carries unless a handler chose otherwise: no MIME sniffing, no
//! framing (the delete form must not be clickjackable), no leaking URLs to other sites, a
//! browsing context of its own (no other site's window can reach ours), the camera for our own
//! pages only (the photo picker) and no other powerful feature; a Content-Security-Policy
//! (pages bring their own, with a nonce: `app::content_policy`); and over HTTPS, HSTS.

use super::auth::is_https;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
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

pub async fn add(request: Request, next: Next) -> Response {
    let https = is_https(request.headers());
    let worker = request.uri().path().starts_with("/photo-worker/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // Pages set their own, with the response's nonce.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = if worker { PHOTO_WORKER } else { NOTHING };
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
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
