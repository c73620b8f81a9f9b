//! The sweeper: every so often, deletes uploaded photo files that no item points to once they
//! are older than the configured age (uploads never attached, files whose deletion failed).
//! Safe to run on every instance at once: deleting what another instance just deleted is not
//! an error, and nothing young enough to be attached is touched.

use domain::photos::Photos;
use std::time::Duration;

/// Longest pause between sweeps.
const MAX_INTERVAL: Duration = Duration::from_secs(60 * 60);

/// Sweeps forever: once shortly after start, then every quarter of `max_age` (at most hourly),
/// so nothing outlives `max_age` by more than that.
pub async fn run(photos: Photos, max_age: Duration) {
    let interval = (max_age / 4).min(MAX_INTERVAL);
    tokio::time::sleep(Duration::from_secs(10)).await;
    loop {
        match photos.sweep(max_age).await {
            Ok(report) if report.deleted > 0 => tracing::info!(
                examined = report.examined,
                deleted = report.deleted,
                "swept unattached photo uploads"
            ),
            Ok(_) => {}
            Err(error) => tracing::warn!(error = %error, "photo sweep failed; will retry"),
        }
        tokio::time::sleep(interval).await;
    }
}
