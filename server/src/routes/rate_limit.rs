//! Per-client limits on writes and on upload grants, on this instance: every unsafe request
//! (POST, PUT, PATCH, DELETE) counts against its client address and, when signed in, its
//! account; a request for upload URLs counts against the grant limit instead (one for each
//! photo it asks for). Writes are counted per minute; grants per 15 minutes, the life of their
//! upload URLs, so the limit is also the most uploads one client can have waiting. Over a limit: 429 with `Retry-After`
//! until the client's window is over. Fixed windows; memory is bounded: at most
//! [`TRACKED_CLIENTS`] clients per limit, each forgotten a window after its last request.
//!
//! Photo PUTs to `/uploads` do not count: each needs a grant, which did.

use crate::routes::auth::throttle::client_address;
use crate::state::AppState;
use app::server_fns::{GrantAllowance, RequestPhotoUploads};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::access::Visitor;
use domain::accounts::UserId;
use leptos::server_fn::ServerFn;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const TRACKED_CLIENTS: u64 = 100_000;

/// Who a write is counted against.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Client {
    Address(IpAddr),
    Account(UserId),
}

/// One limit: so many requests per client per window.
#[derive(Clone)]
pub struct Limit {
    most: u32,
    window: Duration,
    windows: moka::sync::Cache<Client, Arc<Mutex<Window>>>,
}

struct Window {
    started: Instant,
    count: u32,
}

impl Limit {
    /// At most `most` requests per client each `window`.
    pub fn new(most: u32, window: Duration) -> Self {
        Self {
            most,
            window,
            windows: moka::sync::Cache::builder()
                .max_capacity(TRACKED_CLIENTS)
                .time_to_idle(window)
                .build(),
        }
    }

    /// Counts `count` requests of `client`, unless its window has not that many left (then none
    /// is counted): then how long until its next window starts.
    fn admit(&self, client: Client, count: u32, now: Instant) -> Result<(), Duration> {
        let window = self.windows.get_with(client, || {
            Arc::new(Mutex::new(Window {
                started: now,
                count: 0,
            }))
        });
        let mut window = window
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if now.duration_since(window.started) >= self.window {
            *window = Window {
                started: now,
                count: 0,
            };
        }
        if self.most.saturating_sub(window.count) < count {
            return Err(self.window - now.duration_since(window.started));
        }
        window.count += count;
        Ok(())
    }
}

/// The two limits of an instance.
#[derive(Clone)]
pub struct RateLimits {
    pub writes: Limit,
    pub grants: Limit,
}

pub async fn limit(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !unsafe_method || path.starts_with(crate::store::local_photos::UPLOAD_PREFIX) {
        return next.run(request).await;
    }
    // The page's request for several photos' upload URLs is counted by its server function,
    // which knows how many it asks for: each client is charged for all of them or none.
    let counted_later = path == RequestPhotoUploads::PATH;
    let limit = if is_grant(path) {
        &state.rate_limits.grants
    } else {
        &state.rate_limits.writes
    };
    let mut clients = Vec::with_capacity(2);
    if let Some(address) = client_address(&request, state.trust_forwarded_for) {
        clients.push(Client::Address(address));
    }
    if let Some(Visitor::Session { account, .. } | Visitor::Token { account, .. }) =
        request.extensions().get::<Visitor>()
    {
        clients.push(Client::Account(account.id));
    }
    if counted_later {
        let limit = limit.clone();
        let charge = move |grants| {
            clients
                .iter()
                .try_for_each(|client| limit.admit(client.clone(), grants, Instant::now()))
        };
        request
            .extensions_mut()
            .insert(GrantAllowance(Arc::new(charge)));
    } else {
        let now = Instant::now();
        for client in clients {
            if let Err(wait) = limit.admit(client, 1, now) {
                return too_many(wait);
            }
        }
    }
    next.run(request).await
}

/// A request for upload URLs: the REST route, or the page's server function (which counts
/// its photos through the [`GrantAllowance`] it is given).
fn is_grant(path: &str) -> bool {
    path.ends_with("/photos/uploads") || path == RequestPhotoUploads::PATH
}

fn too_many(wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        Json(serde_json::json!({
            "error": format!("too many requests from this client; retry in {seconds} s")
        })),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, seconds.max(1).into());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_window_and_waits_for_the_next() {
        const WINDOW: Duration = Duration::from_secs(60);
        let limit = Limit::new(3, WINDOW);
        let (one, other) = (
            Client::Address("192.0.2.1".parse().unwrap()),
            Client::Address("192.0.2.2".parse().unwrap()),
        );
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limit.admit(one.clone(), 1, start), Ok(()));
        }
        let wait = limit
            .admit(one.clone(), 1, start + Duration::from_secs(20))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(40));
        assert_eq!(limit.admit(other, 1, start), Ok(()), "clients count apart");
        assert_eq!(
            limit.admit(one, 1, start + WINDOW),
            Ok(()),
            "a new window, a new count"
        );
    }

    #[test]
    fn several_are_counted_all_or_none() {
        let limit = Limit::new(5, Duration::from_secs(60));
        let one = Client::Address("192.0.2.1".parse().unwrap());
        let start = Instant::now();
        assert_eq!(limit.admit(one.clone(), 3, start), Ok(()));
        assert!(limit.admit(one.clone(), 3, start).is_err(), "two were left");
        assert_eq!(limit.admit(one.clone(), 2, start), Ok(()), "none was taken");
        assert!(limit.admit(one, 1, start).is_err());
    }

    #[test]
    fn grants_are_told_apart_from_other_writes() {
        assert!(is_grant("/api/items/abc/photos/uploads"));
        assert!(is_grant(RequestPhotoUploads::PATH));
        assert!(!is_grant("/api/items/abc/photos"));
        assert!(!is_grant("/api/items"));
    }
}
