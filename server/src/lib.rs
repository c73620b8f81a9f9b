//! The Shelf server: configuration, storage backends, HTTP routes and operations plumbing.
//! The binary (`src/main.rs`) only wires these together.
//!
//! # Layout
//! - [`config`]: flags and environment variables.
//! - [`store`]: storage backends implementing `app::store::ItemStore` (SQLite).
//! - [`routes`]: pages, the REST API under `/api`, health checks, static assets, middleware.
//! - [`telemetry`]: JSON logs and request ids.
//! - [`shutdown`]: readiness and graceful shutdown.
//! - [`state`]: what handlers share.

pub mod config;
pub mod routes;
pub mod shutdown;
pub mod state;
pub mod store;
pub mod telemetry;

use app::store::SharedItemStore;
use config::{Config, StoreKind};
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// Opens the configured store.
pub fn open_store(config: &Config) -> Result<SharedItemStore, String> {
    match config.store {
        StoreKind::Embedded => {
            store::sqlite::SqliteStore::open(&config.data_dir, config.db_pool_size)
                .map(|store| Arc::new(store) as SharedItemStore)
                .map_err(|e| e.to_string())
        }
    }
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
