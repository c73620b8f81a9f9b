//! `GET /metrics`: Prometheus text format; the metrics are listed in [`crate::metrics`].

use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let mut text = state.metrics.render();
    text.push_str(&format!(
        "# HELP shelf_build_info The running version.\n\
         # TYPE shelf_build_info gauge\n\
         shelf_build_info{{version=\"{}\",commit=\"{}\"}} 1\n",
        env!("CARGO_PKG_VERSION"),
        env!("SHELF_GIT_COMMIT")
    ));
    if let Some(calls) = &state.aws_calls {
        text.push_str(&calls.render());
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
}
