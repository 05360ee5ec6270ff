//! Rehber on a real port, one server per test (as `rehber serve` runs it, through
//! `rehber_web::listener::serve`): requests go over TCP through the HTTP parser, the problem
//! listener and the peer address, exactly as a client's do. The server stops when the last
//! handle to it is dropped.

use axum::body::Body;
use axum::body::Bytes;
use axum::http::{Request, Response};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rehber_app::App;
use rehber_web::{WebConfig, router};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::oneshot;

#[derive(Clone)]
pub struct TestServer {
    pub app: App,
    pub addr: SocketAddr,
    client: Client<HttpConnector, Body>,
    _stop: Arc<oneshot::Sender<()>>,
    _relay: Arc<Relay>,
}

/// The server's event relay, stopped with the server.
struct Relay(tokio::task::JoinHandle<()>);

impl Drop for Relay {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl TestServer {
    /// Serves `app` with the default web settings on a free port of 127.0.0.1.
    pub fn spawn(app: &App) -> TestServer {
        TestServer::spawn_with(app, WebConfig::default())
    }

    pub fn spawn_with(app: &App, config: WebConfig) -> TestServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        tokio::spawn(rehber_web::listener::serve(
            listener,
            router(app.clone(), config),
            shutdown,
        ));
        // As `rehber serve` does: on PostgreSQL, events from every instance reach this one.
        let relaying = app.clone();
        let relay = tokio::spawn(async move { relaying.relay_events().await });
        TestServer {
            app: app.clone(),
            addr,
            client: Client::builder(TokioExecutor::new()).build_http(),
            _stop: Arc::new(stop),
            _relay: Arc::new(Relay(relay)),
        }
    }

    /// Sends `request` (its URI a path and query) and reads the whole response.
    pub async fn send(&self, request: Request<Body>) -> Response<Bytes> {
        self.try_send(request).await.unwrap()
    }

    /// [`send`](Self::send), or the client's error: a server that answers before reading
    /// a whole body (a refusal of its size) may close the connection while the client still
    /// writes it, and the client then sees a broken pipe instead of the answer.
    pub async fn try_send(
        &self,
        request: Request<Body>,
    ) -> Result<Response<Bytes>, hyper_util::client::legacy::Error> {
        let (mut parts, body) = request.into_parts();
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        parts.uri = format!("http://{}{path}", self.addr).parse().unwrap();
        let response = self
            .client
            .request(Request::from_parts(parts, body))
            .await?;
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        Ok(Response::from_parts(parts, bytes))
    }

    /// Sends `request` and returns the answer's head with its body still streaming (an
    /// event stream).
    pub async fn open(&self, request: Request<Body>) -> Response<Body> {
        let (mut parts, body) = request.into_parts();
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        parts.uri = format!("http://{}{path}", self.addr).parse().unwrap();
        self.client
            .request(Request::from_parts(parts, body))
            .await
            .unwrap()
            .map(Body::new)
    }
}
