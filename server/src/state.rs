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

#[derive(Clone, FromRef)]
pub struct AppState {
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
    #[from_ref(skip)]
    pub metrics: PrometheusHandle,
    /// Photos being shrunk on the server (forms posted without JavaScript) at the same time.
    #[from_ref(skip)]
    pub photo_workers: Arc<tokio::sync::Semaphore>,
    /// Form posts with photos being read and handled at the same time: each holds up to
    /// `form_upload_limit` bytes in memory, so their number is bounded too.
    #[from_ref(skip)]
    pub form_uploads: Arc<tokio::sync::Semaphore>,
    #[from_ref(skip)]
    pub form_upload_limit: usize,
    pub readiness: Readiness,
    /// `/readyz`'s last probe of the stores (at most one a second).
    pub store_probe: crate::routes::StoreProbe,
    /// Failed sign-ins per client address, on this instance.
    #[from_ref(skip)]
    pub sign_in_throttle: crate::routes::AddressThrottle,
    /// `--public-url`: the origin of the absolute URLs the API hands out, if configured.
    #[from_ref(skip)]
    pub public_url: Option<String>,
    /// Whether anyone may create an account at /sign-up (`--sign-up open`).
    #[from_ref(skip)]
    pub open_sign_up: bool,
    /// Accounts created at /sign-up per client address, on this instance: open sign-up
    /// without a bound would let one client fill the store.
    #[from_ref(skip)]
    pub sign_up_throttle: crate::routes::AddressThrottle,
    /// Whether the client address is the last one in `X-Forwarded-For` (behind the ALB).
    #[from_ref(skip)]
    pub trust_forwarded_for: bool,
    /// Writes and upload grants per client per minute, on this instance.
    #[from_ref(skip)]
    pub rate_limits: crate::routes::RateLimits,
    /// The pages' Content-Security-Policy (the photo store's origins in it).
    #[from_ref(skip)]
    pub page_policy: crate::routes::PagePolicy,
}
