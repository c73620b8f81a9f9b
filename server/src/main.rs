//! `shelf`: configuration → store → router → serve until SIGTERM/SIGINT.

use clap::Parser;
use server::config::Config;
use server::shutdown::{self, Readiness};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    if let Err(message) = server::telemetry::init(config.log_format, &config.log_filter) {
        eprintln!("shelf: {message}");
        return ExitCode::FAILURE;
    }
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!(error = %message, "shelf stopped");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    let readiness = Readiness::default();
    let state = server::app_state(&config, readiness.clone())?;
    tokio::spawn(server::sweeper::run(
        state.photos.clone(),
        config.unattached_photo_max_age(),
    ));
    let app = server::routes::app(state, config.request_timeout());
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    tracing::info!(
        %addr,
        store = ?config.store,
        data_dir = %config.data_dir.display(),
        site_root = %config.site_root.display(),
        version = env!("CARGO_PKG_VERSION"),
        "shelf listening on http://{addr}"
    );
    shutdown::serve(
        listener,
        app,
        readiness,
        config.drain(),
        config.shutdown_timeout(),
    )
    .await
    .map_err(|e| format!("server error: {e}"))
}
