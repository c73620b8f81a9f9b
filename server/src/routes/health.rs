//! Liveness and readiness for load balancers and orchestrators.

use crate::shutdown::Readiness;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::accounts::Accounts;
use domain::item_store::SharedItemStore;
use domain::photos::Photos;
use serde_json::{json, Value};
use std::future::Future;
use std::time::Duration;
use tokio::time::timeout;

/// `/healthz`: the process is up and serving HTTP. Never touches the store, so a slow
/// database does not get healthy instances killed.
pub async fn alive() -> &'static str {
    "ok"
}

/// How long `/readyz` waits for each store. A store that has not answered by then counts as
/// down: a load balancer's check must get an answer before its own timeout (the ALB's is
/// 5 s), or a hung backend would look like a hung instance.
const STORE_CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// `/readyz`: this instance should receive traffic: it is not shutting down and its stores
/// answer, in time.
pub async fn ready(
    State(readiness): State<Readiness>,
    State(store): State<SharedItemStore>,
    State(photos): State<Photos>,
    State(accounts): State<Accounts>,
) -> (StatusCode, Json<Value>) {
    if readiness.is_draining() {
        return unready("draining");
    }
    if let Err(status) = answers("store", store.ping()).await {
        return unready(&status);
    }
    if let Err(status) = answers("photo store", photos.files().ping()).await {
        return unready(&status);
    }
    if let Err(status) = answers("account store", accounts.store().ping()).await {
        return unready(&status);
    }
    (StatusCode::OK, Json(json!({"status": "ready"})))
}

/// `Ok` if `ping` succeeds within [`STORE_CHECK_TIMEOUT`]; otherwise logs why and returns the
/// status to report.
async fn answers<E: std::error::Error>(
    store: &'static str,
    ping: impl Future<Output = Result<(), E>>,
) -> Result<(), String> {
    match timeout(STORE_CHECK_TIMEOUT, ping).await {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(error)) => {
            tracing::error!(error = %error, cause = ?error.source(), "readiness check: {store} unreachable");
        }
        Err(_) => tracing::error!("readiness check: the {store} did not answer in time"),
    }
    Err(format!("{store} unavailable"))
}

fn unready(status: &str) -> (StatusCode, Json<Value>) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "status": status })),
    )
}
