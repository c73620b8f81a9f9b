//! Liveness and readiness for load balancers and orchestrators.

use crate::shutdown::Readiness;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::item_store::SharedItemStore;
use domain::photos::Photos;
use serde_json::{json, Value};

/// `/healthz`: the process is up and serving HTTP. Never touches the store, so a slow
/// database does not get healthy instances killed.
pub async fn alive() -> &'static str {
    "ok"
}

/// `/readyz`: this instance should receive traffic: it is not shutting down and its stores
/// answer.
pub async fn ready(
    State(readiness): State<Readiness>,
    State(store): State<SharedItemStore>,
    State(photos): State<Photos>,
) -> (StatusCode, Json<Value>) {
    if readiness.is_draining() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "draining"})),
        );
    }
    match store.ping().await {
        Ok(()) => {}
        Err(error) => {
            tracing::error!(error = %error, cause = ?std::error::Error::source(&error), "readiness check: store unreachable");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "store unavailable"})),
            );
        }
    }
    if let Err(error) = photos.files().ping().await {
        tracing::error!(error = %error, cause = ?std::error::Error::source(&error), "readiness check: photo store unreachable");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "photo store unavailable"})),
        );
    }
    (StatusCode::OK, Json(json!({"status": "ready"})))
}
