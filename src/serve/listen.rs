//! The dev server's accept loop: each connection served by hyper with a header-read timeout
//! (axum::serve sets none), and a stop that does not wait on clients: open connections are told
//! to finish, event streams end, and whatever is still open after a short grace is dropped.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// How long a client may take to send a request's headers (or the next request's, on a kept
/// connection) before the connection is closed: a page sends its headers at once, and a client
/// that trickles them would otherwise hold a connection open for ever.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// How long open connections get to finish once the server stops, before they are dropped.
pub const GRACE: Duration = Duration::from_millis(300);

/// A pause after a failed accept (too many open files, say), so that the loop does not spin.
const ACCEPT_RETRY: Duration = Duration::from_millis(50);

/// Serves `app` on `listener` until `stop` completes; then stops accepting, sets `stopping`
/// (event streams end on it, and every open connection is asked to close once its response is
/// sent), and hands back the connections still open.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    stop: impl Future<Output = ()>,
    stopping: &watch::Sender<bool>,
) -> Closing {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let mut connections = JoinSet::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let service = TowerToHyperService::new(app.clone());
                    let connection = http.serve_connection(TokioIo::new(stream), service);
                    let mut stopping = stopping.subscribe();
                    connections.spawn(async move {
                        let stopped = async move {
                            let _ = stopping.wait_for(|stop| *stop).await;
                        };
                        let mut connection = std::pin::pin!(connection);
                        tokio::select! {
                            _ = connection.as_mut() => {}
                            () = stopped => {
                                connection.as_mut().graceful_shutdown();
                                let _ = connection.await;
                            }
                        }
                    });
                }
                Err(_) => tokio::time::sleep(ACCEPT_RETRY).await,
            },
            // Reap finished connections as they end, so that the set holds only open ones.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    stopping.send_replace(true);
    Closing(connections)
}

/// The connections open when the server stopped, each told to close.
pub struct Closing(JoinSet<()>);

impl Closing {
    /// Waits at most [`GRACE`] for the connections to close, and drops those still open.
    pub async fn close(mut self) {
        let drained = async { while self.0.join_next().await.is_some() {} };
        let _ = tokio::time::timeout(GRACE, drained).await;
        self.0.abort_all();
    }
}
