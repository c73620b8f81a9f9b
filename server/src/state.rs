//! What every handler can reach.

use crate::shutdown::Readiness;
use crate::store::local_photos::LocalPhotoStore;
use axum::extract::FromRef;
use domain::access::Gate;
use domain::accounts::Accounts;
use domain::item_store::SharedItemStore;
use domain::location_store::SharedLocationStore;
use domain::photos::{Photos, Signer};
use leptos::prelude::LeptosOptions;
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;

/// Shared by every request. Handlers and middleware take it by value (axum's `State`), so
/// it is one `Arc`: cloning the struct itself, with its many `Arc`s and caches, took about a
/// sixth of the CPU of `GET /api/items/{id}` in atomic reference counts (perf, 2026-12-06).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The parts handlers extract on their own (`State<SharedItemStore>`, …).
macro_rules! parts {
    ($($field:ident: $part:ty),* $(,)?) => {
        $(
            impl FromRef<AppState> for $part {
                fn from_ref(state: &AppState) -> Self {
                    state.$field.clone()
                }
            }
        )*
    };
}

parts! {
    leptos_options: LeptosOptions,
    store: SharedItemStore,
    locations: SharedLocationStore,
    accounts: Accounts,
    gate: Gate,
    photos: Photos,
    signer: Signer,
    local_photos: Option<Arc<LocalPhotoStore>>,
    readiness: Readiness,
    store_probe: crate::routes::StoreProbe,
}

pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub store: SharedItemStore,
    /// The collections' locations: the item store's other side (same file, same table).
    pub locations: SharedLocationStore,
    /// Sign-in, sessions and the account store.
    pub accounts: Accounts,
    /// The one authorisation check every entry point asks.
    pub gate: Gate,
    pub photos: Photos,
    /// The server's secret at work: signs upload tickets and URLs (inside `photos`) and list
    /// cursors.
    pub signer: Signer,
    /// The embedded photo store, whose upload and media routes the app serves itself; `None`
    /// when photos live elsewhere.
    pub local_photos: Option<Arc<LocalPhotoStore>>,
    /// The process's Prometheus recorder, rendered by `/metrics`.
    pub metrics: PrometheusHandle,
    /// Photos being shrunk on the server (forms posted without JavaScript) at the same time.
    pub photo_workers: Arc<tokio::sync::Semaphore>,
    /// Form posts with photos being read and handled at the same time: each holds up to
    /// `form_upload_limit` bytes in memory, so their number is bounded too.
    pub form_uploads: Arc<tokio::sync::Semaphore>,
    pub form_upload_limit: usize,
    pub readiness: Readiness,
    /// `/readyz`'s last probe of the stores (at most one a second).
    pub store_probe: crate::routes::StoreProbe,
    /// Failed sign-ins per client address, on this instance.
    pub sign_in_throttle: crate::routes::AddressThrottle,
    /// `--public-url`: the origin of the absolute URLs the API hands out, if configured.
    pub public_url: Option<String>,
    /// Whether anyone may create an account at /sign-up (`--sign-up open`).
    pub open_sign_up: bool,
    /// Accounts created at /sign-up per client address, on this instance: open sign-up
    /// without a bound would let one client fill the store.
    pub sign_up_throttle: crate::routes::AddressThrottle,
    /// Whether the client address is the last one in `X-Forwarded-For` (behind the ALB).
    pub trust_forwarded_for: bool,
    /// Writes and upload grants per client per minute, on this instance.
    pub rate_limits: crate::routes::RateLimits,
    /// The pages' Content-Security-Policy (the photo store's origins in it).
    pub page_policy: crate::routes::PagePolicy,
    /// The list and item pages rendered, by their entity tag.
    pub page_cache: crate::routes::PageCache,
    /// Pages of `GET /api/items` as sent, by the collection's revision; off on a store whose
    /// revision is a call of its own (DynamoDB), where keeping them would double the calls
    /// of every list.
    pub kept_lists: crate::routes::api::KeptLists,
}
