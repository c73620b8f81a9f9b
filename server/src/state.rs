//! What every handler can reach.

use crate::shutdown::Readiness;
use app::store::SharedItemStore;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: SharedItemStore,
    pub readiness: Readiness,
}
