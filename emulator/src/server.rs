//! The HTTP server (HTTP/1.1 and HTTP/2): its own accept loop, so a fault can close
//! one connection.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower::ServiceExt;

/// Closes the connection a request came on (a request extension).
#[derive(Clone)]
pub struct ConnKill(Arc<Notify>);

impl ConnKill {
    /// Asks the connection's task to close it now.
    pub fn fire(&self) {
        self.0.notify_one();
    }
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(listener: TcpListener, router: Router, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                // Out of descriptors and the like: keep serving the others.
                Err(_) => continue,
            },
            () = &mut shutdown => return,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        tokio::spawn(async move {
            let kill = ConnKill(Arc::new(Notify::new()));
            let for_requests = kill.clone();
            let service =
                hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                    request.extensions_mut().insert(for_requests.clone());
                    let router = router.clone();
                    async move {
                        let response = router.oneshot(request.map(Body::new)).await;
                        Ok::<_, Infallible>(response.unwrap_or_else(|never| match never {}))
                    }
                });
            // HTTP/1.1, or HTTP/2 when the client opens with its preface (as a
            // client does after choosing h2 by ALPN at a TLS front).
            let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            // Dropping the connection future closes the socket.
            tokio::select! {
                _ = connection => {}
                () = kill.0.notified() => {}
            }
        });
    }
}
