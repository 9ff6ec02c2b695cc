//! Serving the router over TCP: `axum::serve`'s loop, with the one thing it lacks, a time
//! limit on a request's headers. hyper cuts a connection whose headers have not all arrived
//! within `limits.header_read_timeout_secs` (its `header_read_timeout`, which needs a timer:
//! `axum::serve` sets none, so a client trickling its headers held a task and a socket for as
//! long as it liked; scripts/faults `slow`). Connections are HTTP/1.1 or HTTP/2 (hyper-util's
//! `auto`), each request carries its peer's address (`ConnectInfo`, as the rate limits
//! read it), and on shutdown the listener closes while requests in flight get
//! `DRAIN` to finish.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower::Service;

/// How long requests in flight may take to finish once shutdown is asked for.
const DRAIN: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // out of file descriptors, say: wait, do not spin
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // small responses go out at once (as axum::serve does)
        let _ = stream.set_nodelay(true);
        // the router as hyper calls it, each request with its peer's address
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            router.clone().call(req.map(Body::new))
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let watched = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = watched.await {
                tracing::debug!(peer = %peer, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {
            tracing::warn!(seconds = DRAIN.as_secs(), "requests still in flight after the drain; stopping");
        }
    }
}
