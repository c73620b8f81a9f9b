//! Logs and request correlation.
//!
//! Every request gets an `x-request-id`: the caller's, if it is a sane token, else a new UUID.
//! It is echoed on the response and recorded on the request's span, and the JSON log format
//! prints the current span's fields on every line, so all lines of one request carry its id.

use crate::config::LogFormat;
use axum::body::Body;
use axum::http::{HeaderName, Request, Response};
use std::time::Duration;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{MakeSpan, OnResponse, TraceLayer};
use tracing::Span;
use tracing_subscriber::EnvFilter;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Longest caller-supplied request id kept; longer ones are replaced.
const MAX_REQUEST_ID_LEN: usize = 128;

/// Installs the global log subscriber.
pub fn init(format: LogFormat, filter: &str) -> Result<(), String> {
    let filter =
        EnvFilter::try_new(filter).map_err(|e| format!("invalid log filter {filter:?}: {e}"))?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let result = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
    result.map_err(|e| format!("cannot install the logger: {e}"))
}

/// Drops an incoming `x-request-id` that is not a short token of safe characters, so logs
/// never carry a caller's megabyte or control characters; a fresh id replaces it.
pub fn drop_unsafe_request_id(mut request: Request<Body>) -> Request<Body> {
    let safe = request
        .headers()
        .get(&REQUEST_ID_HEADER)
        .is_none_or(|value| {
            let bytes = value.as_bytes();
            !bytes.is_empty()
                && bytes.len() <= MAX_REQUEST_ID_LEN
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
        });
    if !safe {
        request.headers_mut().remove(&REQUEST_ID_HEADER);
    }
    request
}

pub fn set_request_id() -> SetRequestIdLayer<MakeRequestUuid> {
    SetRequestIdLayer::new(REQUEST_ID_HEADER, MakeRequestUuid)
}

pub fn propagate_request_id() -> PropagateRequestIdLayer {
    PropagateRequestIdLayer::new(REQUEST_ID_HEADER)
}

/// One span per request, named `request`, carrying the id, method and path.
pub fn trace_layer() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    RequestSpan,
    tower_http::trace::DefaultOnRequest,
    ResponseLog,
> {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_response(ResponseLog)
}

#[derive(Clone, Copy, Debug)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .and_then(|id| id.header_value().to_str().ok())
            .unwrap_or("-");
        tracing::info_span!(
            "request",
            request_id = %request_id,
            method = %request.method(),
            path = %request.uri().path(),
        )
    }
}

/// One line per response with its status and latency.
#[derive(Clone, Copy, Debug)]
pub struct ResponseLog;

impl<B> OnResponse<B> for ResponseLog {
    fn on_response(self, response: &Response<B>, latency: Duration, _span: &Span) {
        let status = response.status().as_u16();
        let latency_ms = latency.as_secs_f64() * 1000.0;
        if response.status().is_server_error() {
            tracing::error!(status, latency_ms, "response");
        } else {
            tracing::info!(status, latency_ms, "response");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(id: &[u8]) -> bool {
        let request = Request::builder()
            .header(&REQUEST_ID_HEADER, id)
            .body(Body::empty())
            .unwrap();
        drop_unsafe_request_id(request)
            .headers()
            .contains_key(&REQUEST_ID_HEADER)
    }

    #[test]
    fn keeps_ordinary_ids_and_drops_unsafe_ones() {
        assert!(kept(b"3f2c9a1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"));
        assert!(kept(b"Root=1-abc".strip_prefix(b"Root=").unwrap()));
        assert!(!kept(b"has space"));
        assert!(!kept(b"quote\"d"));
        assert!(!kept(&[b'a'; MAX_REQUEST_ID_LEN + 1]));
    }
}
