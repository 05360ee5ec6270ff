//! Security headers on every response, request ids, and the client address used for login
//! rate limiting.

use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;

/// The Content-Security-Policy: scripts and styles only from Rehber itself (no inline
/// script), no framing, forms only to Rehber.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// Adds the security headers to every response.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// A short random id to correlate an error message with the log.
pub fn new_request_id() -> String {
    let now = jiff::Timestamp::now().as_nanosecond();
    format!(
        "{:x}",
        (now as u64) ^ u64::from(std::process::id()).rotate_left(32)
    )
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop when Rehber is
/// configured to trust its reverse proxy.
pub fn client_address(
    headers: &axum::http::HeaderMap,
    peer: Option<&ConnectInfo<SocketAddr>>,
    trust_proxy: bool,
) -> String {
    let forwarded = headers
        .get("x-forwarded-for")
        .filter(|_| trust_proxy)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(first) = forwarded {
        return first.to_string();
    }
    peer.map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The address this request reached Rehber at (`https://crm.example.com`), for links that
/// leave the browser (a calendar feed): the `Host` header, behind a trusted proxy its
/// `X-Forwarded-Host` and `X-Forwarded-Proto`; `https` when cookies are marked secure. A
/// host with anything but the characters of a host name and port is not used.
pub fn public_origin(headers: &axum::http::HeaderMap, config: &crate::WebConfig) -> String {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let forwarded = |name: &str| header(name).filter(|_| config.trust_proxy);
    let host = forwarded("x-forwarded-host")
        .or_else(|| header("host"))
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let scheme = match forwarded("x-forwarded-proto") {
        Some("https") => "https",
        Some("http") => "http",
        _ if config.secure_cookies => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod origin_tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_origin_comes_from_the_host_and_from_a_proxy_only_when_trusted() {
        let direct = crate::WebConfig::default();
        let behind = crate::WebConfig {
            trust_proxy: true,
            ..crate::WebConfig::default()
        };
        let sent = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-host", "crm.example.com"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(public_origin(&sent, &direct), "http://127.0.0.1:8080");
        assert_eq!(public_origin(&sent, &behind), "https://crm.example.com");
        let odd = headers(&[("host", "evil.example/<script>")]);
        assert_eq!(public_origin(&odd, &direct), "http://localhost");
    }
}
