//! Graceful shutdown: readiness fails first, then the listener closes, then in-flight
//! requests finish (up to a deadline).
//!
//! The order matters behind a load balancer: while `/readyz` fails the balancer stops routing
//! new requests here, but requests already routed are still served, so a rolling deploy drops
//! nothing.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;
use tower_http::normalize_path::NormalizePath;

/// Whether the instance should still receive new traffic. Cloned into the app state.
#[derive(Clone, Debug, Default)]
pub struct Readiness {
    draining: Arc<AtomicBool>,
}

impl Readiness {
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }
}

/// Bounds on connections, for when no load balancer stands in front (slowloris: clients
/// that open connections and send their headers a byte at a time).
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// Connections served at once; the next is accepted once one closes (the rest wait in
    /// the kernel's backlog).
    pub max_connections: usize,
    /// A request's headers must arrive within this time, else the connection is closed. It
    /// also ends an idle keep-alive connection, so behind a load balancer it must outlast
    /// the balancer's idle timeout (the ALB's is 60 s).
    pub header_read_timeout: Duration,
}

/// Serves `app` until SIGTERM or SIGINT, then shuts down gracefully.
pub async fn serve(
    listener: TcpListener,
    app: NormalizePath<Router>,
    readiness: Readiness,
    drain: Duration,
    deadline: Duration,
    limits: ConnectionLimits,
) -> std::io::Result<()> {
    let (closing_tx, mut closing) = watch::channel(false);
    tokio::spawn(async move {
        let signal = termination_signal().await;
        readiness.start_draining();
        tracing::info!(
            signal,
            drain_secs = drain.as_secs(),
            "shutting down: readiness now fails"
        );
        tokio::time::sleep(drain).await;
        tracing::info!("closing the listener; finishing in-flight requests");
        let _ = closing_tx.send(true);
    });
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let connections = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            _ = closing.wait_for(|closing| *closing) => break,
        };
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, usually: wait for some to close.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = closing.wait_for(|closing| *closing) => break,
        };
        // Responses are written as headers then body; with Nagle's algorithm on, a small
        // body waits for the client's delayed ACK of the headers: 40 ms on Linux (seen by
        // the load test on favicon.svg and photos).
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(%error, "cannot set TCP_NODELAY");
        }
        let app = app.clone();
        // The peer's address reaches handlers (the per-address limits), as axum's
        // `ConnectInfo` would bring it.
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request.map(Body::new))
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(tcp), service)
            .into_owned();
        let connection = connections.watch(connection);
        metrics::gauge!("shelf_open_connections").increment(1.0);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(error = %error, "connection ended with an error");
            }
            metrics::gauge!("shelf_open_connections").decrement(1.0);
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = connections.shutdown() => {
            tracing::info!("shut down cleanly");
        }
        () = tokio::time::sleep(deadline) => {
            tracing::warn!(deadline_secs = deadline.as_secs(), "in-flight requests outlived the deadline; exiting anyway");
        }
    }
    Ok(())
}

async fn termination_signal() -> &'static str {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => "SIGINT",
        () = terminate => "SIGTERM",
    }
}
