//! The Shelf server: configuration, storage backends, HTTP routes and operations plumbing.
//! The binary (`src/main.rs`) only wires these together.
//!
//! # Layout
//! - [`config`]: flags and environment variables.
//! - [`store`]: storage backends: items in SQLite, photo files in a local folder.
//! - [`routes`]: pages, the REST API under `/api`, health checks, static assets, middleware.
//! - [`telemetry`]: JSON logs and request ids.
//! - [`shutdown`]: readiness and graceful shutdown.
//! - [`state`]: what handlers share.
//! - [`sweeper`]: deletes photo uploads that were never attached.

pub mod config;
pub mod routes;
pub mod shutdown;
pub mod state;
pub mod store;
pub mod sweeper;
pub mod telemetry;

use app::photo_store::SharedPhotoStore;
use app::photos::Photos;
use app::store::SharedItemStore;
use config::{Config, StoreKind};
use leptos::prelude::LeptosOptions;
use shutdown::Readiness;
use state::AppState;
use std::sync::Arc;
use store::local_photos::LocalPhotoStore;

/// Opens the configured stores and builds what the handlers share.
pub fn app_state(config: &Config, readiness: Readiness) -> Result<AppState, String> {
    let signer = store::secret::signer(config.upload_secret.as_deref(), &config.data_dir)?;
    let (store, files, local_photos) = match config.store {
        StoreKind::Embedded => {
            let local = Arc::new(
                LocalPhotoStore::open(&config.data_dir, signer.clone())
                    .map_err(|e| format!("cannot open the photo folder: {e}"))?,
            );
            let items = store::sqlite::SqliteStore::open(
                &config.data_dir,
                config.db_pool_size,
                local.clone(),
            )
            .map_err(|e| e.to_string())?;
            (
                Arc::new(items) as SharedItemStore,
                local.clone() as SharedPhotoStore,
                Some(local),
            )
        }
    };
    Ok(AppState {
        leptos_options: leptos_options(config),
        photos: Photos::new(store.clone(), files, signer, config.photo_limits()),
        store,
        local_photos,
        photo_workers: Arc::new(tokio::sync::Semaphore::new(usize::from(
            config.photo_workers,
        ))),
        form_uploads: Arc::new(tokio::sync::Semaphore::new(
            2 * usize::from(config.photo_workers),
        )),
        form_upload_limit: usize::try_from(config.form_upload_limit_bytes).unwrap_or(usize::MAX),
        readiness,
    })
}

/// Leptos' own settings, derived from ours: the binary needs no Cargo.toml at run time.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(app::OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .reload_port(config.reload_port)
        .build()
}
