//! Liveness and readiness for load balancers and orchestrators.

use crate::shutdown::Readiness;
use app::store::SharedItemStore;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// `/healthz`: the process is up and serving HTTP. Never touches the store, so a slow
/// database does not get healthy instances killed.
pub async fn alive() -> &'static str {
    "ok"
}

/// `/readyz`: this instance should receive traffic: it is not shutting down and its store
/// answers.
pub async fn ready(
    State(readiness): State<Readiness>,
    State(store): State<SharedItemStore>,
) -> (StatusCode, Json<Value>) {
    if readiness.is_draining() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "draining"})),
        );
    }
    match store.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ready"}))),
        Err(error) => {
            tracing::error!(error = %error, cause = ?std::error::Error::source(&error), "readiness check: store unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "store unavailable"})),
            )
        }
    }
}
