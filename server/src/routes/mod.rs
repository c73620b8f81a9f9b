//! The HTTP surface: pages, REST API, health checks, static assets, the embedded photo store's
//! signed uploads (`/uploads`) and photos (`/media`), and the middleware around them.

pub mod api;
mod auth;

pub use auth::throttle::AddressThrottle;
pub use health::StoreProbe;
mod health;
mod media;
mod metrics;
mod page_policy;
pub use page_policy::PagePolicy;
pub(crate) mod pages;
pub use pages::PageCache;
mod rate_limit;
pub use rate_limit::{Limit, RateLimits};
mod security_headers;
mod uploads;

use crate::state::AppState;
use crate::telemetry;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Router;
use std::path::Path;
use std::time::Duration;
use tower::{Layer, ServiceBuilder};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::normalize_path::{NormalizePath, NormalizePathLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// Largest request body of JSON, plain form posts and server function calls. Photo uploads
/// stream past it (their size is signed), and forms with photos have their own limit.
const BODY_LIMIT: usize = api::JSON_BODY_LIMIT;

/// What the metrics listener serves: `/metrics` and nothing else.
pub fn metrics_app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics::metrics))
        .with_state(state)
}

/// The whole application, ready to serve.
///
/// A trailing slash is trimmed before routing (`/api/items/` is `/api/items`), as the old
/// service's framework redirected it; path normalisation has to wrap the router to act
/// before a route is chosen.
pub fn app(state: AppState, request_timeout: Duration) -> NormalizePath<Router> {
    crate::store_time::install_executor();
    NormalizePathLayer::trim_trailing_slash().layer(router(state, request_timeout))
}

fn router(state: AppState, request_timeout: Duration) -> Router {
    let site_root = Path::new(&*state.leptos_options.site_root);
    let assets = built_assets(site_root);
    let page_policy = state.page_policy.clone();

    Router::new()
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .merge(api::router())
        .route("/uploads/{*key}", put(uploads::upload))
        .route("/media/{*key}", get(media::photo))
        // Routes with patterns (not nested services) so that metrics name them; the
        // pattern keeps each to its own folder of the site.
        .route_service(
            &format!("/{}/{{*file}}", state.leptos_options.site_pkg_dir),
            assets.clone(),
        )
        .route_service("/photo-worker/{*file}", assets)
        .merge(auth::router())
        .merge(pages::router(&state))
        // Inside authentication, so that signed-in writes count against their account too.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
        .layer(
            // Outermost first: every response, even a timeout or a caught panic, gets the
            // request id and a log line.
            ServiceBuilder::new()
                .map_request(telemetry::drop_unsafe_request_id)
                .layer(telemetry::set_request_id())
                .layer(telemetry::propagate_request_id())
                .layer(telemetry::trace_layer())
                .layer(axum::middleware::from_fn(crate::metrics::track_requests))
                .layer(axum::middleware::from_fn_with_state(
                    page_policy,
                    security_headers::add,
                ))
                .map_response(retry_after_on_503)
                .layer(CatchPanicLayer::custom(panic_response))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    request_timeout,
                ))
                .layer(CompressionLayer::new()),
        )
}

/// Files of the site folder, by their path under it. The wasm, JS and CSS keep their names
/// across builds, so browsers must revalidate them (cheap: ServeDir answers 304 to
/// If-Modified-Since); brotli or gzip twins are sent as they are to browsers that accept them.
fn built_assets(dir: &Path) -> tower_http::set_header::SetResponseHeader<ServeDir, HeaderValue> {
    ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
}

/// Seconds a client should wait before retrying a 503.
const RETRY_AFTER_SECS: &str = "1";

/// Every 503 says when to retry, whoever answered it: the API, a page or a form post whose
/// store is down, an upload, the request queue.
fn retry_after_on_503<B>(mut response: axum::http::Response<B>) -> axum::http::Response<B> {
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .entry(header::RETRY_AFTER)
            .or_insert(HeaderValue::from_static(RETRY_AFTER_SECS));
    }
    response
}

/// A handler panicked: the panic message goes to the log (by the panic hook), the client
/// gets a generic 500.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::Json(serde_json::json!({"error": "internal error"})),
    )
        .into_response()
}
