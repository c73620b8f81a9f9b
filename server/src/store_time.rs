//! How long each request waits on its stores, so that `/metrics` can tell the app's own time
//! from the backend's (`shelf_http_request_app_duration_seconds`): on a slow backend (moto,
//! or DynamoDB across a region) the request histogram alone cannot say whether Shelf is slow.
//!
//! The request middleware runs the request inside [`measure`]; every timed store call made
//! inside it adds its duration with [`add`]. Leptos loads a page's data in tasks it spawns
//! through `any_spawner`, and tokio's task-locals do not follow a spawned task, so
//! [`install_executor`] makes every task spawned that way carry the measurement of whoever
//! spawned it.

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

tokio::task_local! {
    /// Nanoseconds spent in store calls by the request this task works for.
    static STORE_NANOS: Arc<AtomicU64>;
}

/// Runs `request` and returns its output with the time its store calls took, summed. Calls
/// that overlap (a page loading two things at once) are each counted in full.
pub async fn measure<F: Future>(request: F) -> (F::Output, Duration) {
    let nanos = Arc::new(AtomicU64::new(0));
    let output = STORE_NANOS.scope(nanos.clone(), request).await;
    (output, Duration::from_nanos(nanos.load(Ordering::Relaxed)))
}

/// Counts `elapsed` against the request being measured, if any (the sweeper's calls belong
/// to none).
pub fn add(elapsed: Duration) {
    let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
    let _ = STORE_NANOS.try_with(|total| total.fetch_add(nanos, Ordering::Relaxed));
}

/// Makes Leptos spawn its tasks on tokio, as `leptos_axum` would, but inside the spawning
/// request's measurement. The first executor installed in a process wins, so this must run
/// before `leptos_axum` installs its own (it does so when its router is built); later calls
/// change nothing.
pub fn install_executor() {
    let _ = Executor::init_custom_executor(InheritMeasurement);
}

struct InheritMeasurement;

impl CustomExecutor for InheritMeasurement {
    fn spawn(&self, task: PinnedFuture<()>) {
        match STORE_NANOS.try_with(Arc::clone) {
            Ok(nanos) => tokio::spawn(STORE_NANOS.scope(nanos, task)),
            Err(_) => tokio::spawn(task),
        };
    }

    fn spawn_local(&self, task: PinnedLocalFuture<()>) {
        match STORE_NANOS.try_with(Arc::clone) {
            Ok(nanos) => tokio::task::spawn_local(STORE_NANOS.scope(nanos, task)),
            Err(_) => tokio::task::spawn_local(task),
        };
    }

    fn poll_local(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn calls_inside_a_measurement_and_its_spawned_tasks_are_summed() {
        install_executor();
        let ((), waited) = measure(async {
            add(Duration::from_millis(3));
            let (done, finished) = tokio::sync::oneshot::channel();
            Executor::spawn(async move {
                add(Duration::from_millis(4));
                let _ = done.send(());
            });
            finished.await.expect("the spawned task ran");
        })
        .await;
        assert_eq!(waited, Duration::from_millis(7));
    }

    #[tokio::test]
    async fn calls_outside_any_measurement_count_nowhere() {
        add(Duration::from_secs(1));
        let ((), waited) = measure(async {}).await;
        assert_eq!(waited, Duration::ZERO);
    }
}
