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
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
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

/// How long a probe of the stores answers `/readyz` before the next one: a flood of checks
/// (or a backend that throttles) costs the stores at most one probe per second per instance,
/// and cannot by itself turn the checks red.
const PROBE_EVERY: Duration = Duration::from_secs(1);

/// The last probe of the stores and when it was made. Checks arriving while a probe runs wait
/// for it rather than start their own.
#[derive(Clone, Default)]
pub struct StoreProbe(Arc<Mutex<Option<Probed>>>);

/// When a probe was made, and what it found.
type Probed = (Instant, Result<(), String>);

impl StoreProbe {
    /// The latest probe's answer if it is fresh; otherwise a new probe's.
    async fn answer<F: Future<Output = Result<(), String>>>(
        &self,
        probe: impl FnOnce() -> F,
    ) -> Result<(), String> {
        let mut last = self.0.lock().await;
        if let Some((at, answer)) = last.as_ref() {
            if at.elapsed() < PROBE_EVERY {
                return answer.clone();
            }
        }
        let answer = probe().await;
        *last = Some((Instant::now(), answer.clone()));
        answer
    }
}

/// `/readyz`: this instance should receive traffic: it is not shutting down and its stores
/// answer, in time (asked at once, each within [`STORE_CHECK_TIMEOUT`], at most once per
/// [`PROBE_EVERY`]).
pub async fn ready(
    State(readiness): State<Readiness>,
    State(probe): State<StoreProbe>,
    State(store): State<SharedItemStore>,
    State(photos): State<Photos>,
    State(accounts): State<Accounts>,
) -> (StatusCode, Json<Value>) {
    if readiness.is_draining() {
        return unready("draining");
    }
    let stores = || async {
        let (items, files, accounts) = tokio::join!(
            answers("store", store.ping()),
            answers("photo store", photos.files().ping()),
            answers("account store", accounts.store().ping()),
        );
        items.and(files).and(accounts)
    };
    match probe.answer(stores).await {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ready"}))),
        Err(status) => unready(&status),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn checks_share_one_probe_per_second() {
        let probe = StoreProbe::default();
        let probes = Arc::new(AtomicU32::new(0));
        let check = || {
            let (probe, probes) = (probe.clone(), probes.clone());
            async move {
                probe
                    .answer(|| async {
                        probes.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Err("store unavailable".to_owned())
                    })
                    .await
            }
        };
        let answers = futures_util::future::join_all((0..50).map(|_| check())).await;
        assert!(answers.iter().all(|answer| answer.is_err()));
        assert_eq!(
            probes.load(Ordering::SeqCst),
            1,
            "50 checks at once: one probe"
        );
        tokio::time::sleep(PROBE_EVERY).await;
        let _ = check().await;
        assert_eq!(
            probes.load(Ordering::SeqCst),
            2,
            "a stale answer is probed again"
        );
    }
}
