//! Prometheus metrics, served at `GET /metrics` on the main port.
//!
//! Code anywhere (the `app` crate included) records through the `metrics` facade; this module
//! installs the process-wide Prometheus recorder that keeps the numbers and renders them.
//!
//! | metric | labels | what |
//! |---|---|---|
//! | `shelf_http_requests_total` | `method`, `route`, `status` | responses sent |
//! | `shelf_http_request_duration_seconds` | `method`, `route`, `status` | histogram |
//! | `shelf_http_request_app_duration_seconds` | `method`, `route`, `status` | the same minus the store calls made for it: Shelf's own share |
//! | `shelf_store_call_duration_seconds` | `store`, `operation`, `outcome` | histogram of item-store (`items`) and photo-store (`photos`) calls |
//! | `shelf_uploads_total` | `event` = `started` / `attached` / `refused` | photo uploads |
//! | `shelf_aws_calls_total` | `service`, `operation` | AWS operations sent (`aws` store) |
//! | `shelf_build_info` | `version`, `commit` | always 1 |
//!
//! `route` is the route's pattern (`/api/items/{id}`, `/pkg/{*file}`), never the raw path, so
//! the number of series stays bounded whatever clients request; what no route matched (the
//! fallback: files at the site's root, 404 pages) is `unmatched`.

use crate::store_time;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Latency buckets (seconds): from the app's own share of an API call (~0.1 ms) to the
/// request timeout (30 s).
const LATENCY_BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0, 30.0,
];

/// How often histogram samples are folded into their buckets even when nobody scrapes.
const UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed on first use. One per process because the `metrics`
/// facade has one global recorder; servers started in one test process share it.
pub fn recorder() -> PrometheusHandle {
    RECORDER
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .expect("the bucket list is not empty")
                .build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("another metrics recorder was installed first: /metrics is empty");
            }
            describe();
            metrics::gauge!(
                "shelf_build_info",
                "version" => env!("CARGO_PKG_VERSION"),
                "commit" => env!("SHELF_GIT_COMMIT"),
            )
            .set(1);
            handle
        })
        .clone()
}

/// Folds histogram samples into buckets every few seconds, so memory stays flat between
/// scrapes. Runs until the process ends.
pub async fn upkeep(recorder: PrometheusHandle) {
    let mut interval = tokio::time::interval(UPKEEP_INTERVAL);
    loop {
        interval.tick().await;
        recorder.run_upkeep();
    }
}

fn describe() {
    metrics::describe_counter!("shelf_http_requests_total", "HTTP responses sent.");
    metrics::describe_histogram!(
        "shelf_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "Time from request to response headers."
    );
    metrics::describe_histogram!(
        "shelf_http_request_app_duration_seconds",
        metrics::Unit::Seconds,
        "Time from request to response headers minus the store calls made for it (never below 0)."
    );
    metrics::describe_histogram!(
        "shelf_store_call_duration_seconds",
        metrics::Unit::Seconds,
        "Item-store and photo-store calls, by outcome (ok, refused, unavailable, failed)."
    );
    metrics::describe_counter!(
        "shelf_aws_calls_total",
        "AWS operations sent, by service and operation (once per operation, not per retry)."
    );
    metrics::describe_gauge!("shelf_build_info", "The running version; always 1.");
    metrics::describe_counter!(
        "shelf_page_cache_total",
        "List and item pages asked for without If-None-Match: sent as kept (hit) or rendered (miss)."
    );
    metrics::describe_counter!(
        "shelf_list_cache_total",
        "Pages of GET /api/items (embedded store): sent as kept (hit) or read from the store (miss)."
    );
    metrics::describe_counter!(
        "shelf_revision_failures_total",
        "Item writes after which the collection's revision could not be replaced (DynamoDB)."
    );
    metrics::describe_counter!(
        "shelf_uploads_total",
        "Photo uploads started (URLs granted), attached, and refused for bad input."
    );
}

/// Middleware: counts and times every response by route pattern, method and status, and
/// how much of that time was Shelf's own (not waiting on a store).
pub async fn track_requests(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = request.method().to_string();
    let started = Instant::now();
    let (response, waiting_on_stores) = store_time::measure(next.run(request)).await;
    let elapsed = started.elapsed();
    let labels = [
        ("method", method),
        ("route", route),
        ("status", response.status().as_u16().to_string()),
    ];
    metrics::counter!("shelf_http_requests_total", &labels).increment(1);
    metrics::histogram!("shelf_http_request_duration_seconds", &labels)
        .record(elapsed.as_secs_f64());
    metrics::histogram!("shelf_http_request_app_duration_seconds", &labels)
        .record(elapsed.saturating_sub(waiting_on_stores).as_secs_f64());
    response
}

/// Times one store call and records it with its outcome.
pub async fn time_store_call<T, E: Outcome>(
    store: &'static str,
    operation: &'static str,
    call: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, E> {
    let started = Instant::now();
    let result = call.await;
    let elapsed = started.elapsed();
    store_time::add(elapsed);
    let outcome = match &result {
        Ok(_) => "ok",
        Err(error) => error.outcome(),
    };
    metrics::histogram!(
        "shelf_store_call_duration_seconds",
        "store" => store,
        "operation" => operation,
        "outcome" => outcome,
    )
    .record(elapsed.as_secs_f64());
    result
}

/// How a store error is counted: `refused` (the store answered no: not found, conflict,
/// limits), `unavailable` (worth retrying) or `failed`.
pub trait Outcome {
    fn outcome(&self) -> &'static str;
}

impl Outcome for domain::item_store::StoreError {
    fn outcome(&self) -> &'static str {
        match self {
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "failed",
            _ => "refused",
        }
    }
}

impl Outcome for domain::photo_store::PhotoStoreError {
    fn outcome(&self) -> &'static str {
        match self {
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "failed",
            Self::OutOfSpace { .. } => "refused",
        }
    }
}
