//! Attempts per client address, on this instance: failed sign-ins (a guesser spreading tries
//! over many emails is slowed here, as one trying many passwords for one email is by the
//! per-account count in the store) and open sign-ups (one client cannot fill the store).
//! Memory is bounded: at most `TRACKED_ADDRESSES` addresses, each forgotten after `WINDOW`
//! without an attempt.

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// How long an address's failures are remembered after its last one.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
const TRACKED_ADDRESSES: u64 = 100_000;

#[derive(Clone)]
pub struct AddressThrottle {
    attempts: moka::sync::Cache<IpAddr, u32>,
    limit: u32,
}

impl AddressThrottle {
    /// Failed sign-ins from one address before further tries wait.
    pub const SIGN_IN_FAILURES: u32 = 50;
    /// Accounts made at /sign-up from one address before further ones wait.
    pub const SIGN_UPS: u32 = 10;

    pub fn sign_ins() -> Self {
        Self::new(Self::SIGN_IN_FAILURES)
    }

    pub fn sign_ups() -> Self {
        Self::new(Self::SIGN_UPS)
    }

    fn new(limit: u32) -> Self {
        Self {
            attempts: moka::sync::Cache::builder()
                .max_capacity(TRACKED_ADDRESSES)
                .time_to_live(WINDOW)
                .build(),
            limit,
        }
    }

    pub fn is_blocked(&self, address: IpAddr) -> bool {
        self.attempts
            .get(&address)
            .is_some_and(|count| count >= self.limit)
    }

    pub fn record(&self, address: IpAddr) {
        let count = self.attempts.get(&address).unwrap_or(0);
        self.attempts.insert(address, count.saturating_add(1));
    }
}

/// The client's address: the peer's, or behind a trusted proxy (the ALB) the last address it
/// appended to `X-Forwarded-For` (earlier ones are whatever the client sent).
pub fn client_address<B>(request: &Request<B>, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for {
        if let Some(address) = forwarded_for(request.headers()) {
            return Some(address);
        }
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip())
}

fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(','))
        .last()
        .and_then(|address| address.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_blocked_after_its_limit_only() {
        let throttle = AddressThrottle::sign_ins();
        let (one, other): (IpAddr, IpAddr) =
            ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        for _ in 0..AddressThrottle::SIGN_IN_FAILURES {
            assert!(!throttle.is_blocked(one));
            throttle.record(one);
        }
        assert!(throttle.is_blocked(one));
        assert!(!throttle.is_blocked(other));
    }

    #[test]
    fn the_proxy_appended_address_counts_only_when_trusted() {
        let mut request = Request::new(());
        request.headers_mut().append(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let peer: SocketAddr = "10.0.0.5:41000".parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        assert_eq!(
            client_address(&request, true),
            Some("198.51.100.7".parse().unwrap())
        );
        assert_eq!(client_address(&request, false), Some(peer.ip()));
    }
}
