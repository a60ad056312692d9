//! The HTTP transport: hyper-util's pooled client over rustls, with the environment's
//! proxy settings.
//!
//! Why not reqwest, which this crate used first: reqwest puts every request through a
//! redirect layer that turns the URL into text and parses it again, twice a request,
//! even with redirects off. On the C ABI's loopback benchmark that was about a fifth
//! of the instructions of a whole call (callgrind). The API never redirects, so that
//! layer bought nothing; the pool, the connector and the TLS below it are the same
//! crates reqwest uses (hyper-util, hyper-rustls, rustls with ring, webpki roots).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, USER_AGENT};
use http::{Request, Response, Uri};
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpStream;

use crate::http::NoAnswer;
use crate::roots::ExtraRoots;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A pooled HTTP/1.1 and HTTP/2 client. Cheap to clone (clones share the pool).
#[derive(Clone)]
pub(crate) struct Transport {
    client: hyper_util::client::legacy::Client<HttpsConnector<Connect>, Full<Bytes>>,
    user_agent: HeaderValue,
}

impl Transport {
    /// A transport whose connections are given `connect_timeout` to open (TCP, and
    /// the proxy's CONNECT when there is one), sending `user_agent` on every request,
    /// and trusting the public roots and `extra_roots`.
    pub(crate) fn new(
        connect_timeout: Duration,
        user_agent: &'static str,
        extra_roots: Option<&ExtraRoots>,
    ) -> Transport {
        let mut tcp = HttpConnector::new();
        // https URLs go through TLS above this connector.
        tcp.enforce_http(false);
        // Requests are small and answered at once: Nagle's delay would only add latency.
        tcp.set_nodelay(true);
        tcp.set_connect_timeout(Some(connect_timeout));
        let proxies = Matcher::from_env();
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("ring's provider supports the default TLS versions")
        .with_root_certificates(ExtraRoots::with_public_roots(extra_roots))
        .with_no_client_auth();
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(Connect {
                tcp,
                proxies: Arc::new(proxies),
            });
        let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(https);
        Transport {
            client,
            user_agent: HeaderValue::from_static(user_agent),
        }
    }

    /// Sends `request` and reads the whole answer, all within `timeout`.
    pub(crate) async fn send(
        &self,
        mut request: Request<Full<Bytes>>,
        timeout: Duration,
    ) -> Result<Response<Bytes>, NoAnswer> {
        request
            .headers_mut()
            .insert(USER_AGENT, self.user_agent.clone());
        let exchange = async {
            let response = self.client.request(request).await.map_err(|e| {
                let sent = !e.is_connect();
                network(&e, sent)
            })?;
            let (parts, body) = response.into_parts();
            // The connection was used: a failure now may follow an applied request.
            let body = body.collect().await.map_err(|e| network(&e, true))?;
            Ok(Response::from_parts(parts, body.to_bytes()))
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .unwrap_or(Err(NoAnswer::Timeout))
    }
}

/// The error of an exchange that got no answer, with the whole chain of causes
/// (refused, reset, closed before the answer).
fn network(e: &(dyn std::error::Error + 'static), sent: bool) -> NoAnswer {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    NoAnswer::Network { message, sent }
}

/// Opens TCP connections, directly or through a CONNECT tunnel of the proxy that
/// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` choose for the host.
#[derive(Clone)]
pub(crate) struct Connect {
    tcp: HttpConnector,
    proxies: Arc<Matcher>,
}

impl tower_service::Service<Uri> for Connect {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let mut tcp = self.tcp.clone();
        let Some(proxy) = self.proxies.intercept(&dst) else {
            return Box::pin(async move { Ok(tcp.call(dst).await?) });
        };
        if proxy.uri().scheme_str() != Some("http") {
            let why = format!(
                "the proxy {} is not an http:// proxy; only http:// proxies (CONNECT) are supported",
                proxy.uri()
            );
            return Box::pin(async move { Err(why.into()) });
        }
        let mut tunnel = Tunnel::new(proxy.uri().clone(), tcp);
        if let Some(auth) = proxy.basic_auth() {
            tunnel = tunnel.with_auth(auth.clone());
        }
        Box::pin(async move { Ok(tunnel.call(dst).await?) })
    }
}
