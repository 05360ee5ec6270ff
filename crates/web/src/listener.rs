//! The TCP listener Rehber serves on: every connection's bytes pass through [`ProblemIo`],
//! which turns the HTTP parser's own refusals into problem documents.
//!
//! Some requests never reach the router: hyper answers an address of 64 KiB or more (414),
//! a head over its buffer (431) and a malformed request line or header (400) itself, with a
//! status line and an empty body. [`ProblemIo`] recognises such a head as hyper writes it (a
//! 400, 414 or 431 with `content-length: 0` and no `content-type`; every response of the
//! router carries a body type) and writes a problem document in its place, in the language
//! of the `Accept-Language` header it saw on the way in.
//!
//! It must not change any other byte: everything else is passed through as it is.

use crate::i18n::Lang;
use crate::problem::layer_problem_body;
use axum::http::StatusCode;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Serves `router` on `listener` until `shutdown` resolves: through [`ProblemListener`], so
/// even the requests the HTTP parser refuses before the router sees them (an address of
/// 64 KiB) get a problem document, and with each connection's peer address available to the
/// router (sign-in throttling, the audit log). `rehber serve` and the web tests serve the
/// same way.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    use axum::serve::ListenerExt;
    let listener = ProblemListener(listener).tap_io(|_| {});
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// A TCP listener whose connections answer parser refusals with problem documents.
pub struct ProblemListener(pub TcpListener);

impl axum::serve::Listener for ProblemListener {
    type Io = ProblemIo<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.0).await;
        (ProblemIo::new(stream), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// One connection's stream, watched for hyper's bare refusals.
pub struct ProblemIo<T> {
    inner: T,
    language: LanguageSniffer,
    replacing: Option<Replacement>,
}

/// A problem document being written in place of a bare refusal of `consumed` bytes.
struct Replacement {
    bytes: Vec<u8>,
    written: usize,
    consumed: usize,
}

impl<T> ProblemIo<T> {
    pub fn new(inner: T) -> Self {
        ProblemIo {
            inner,
            language: LanguageSniffer::default(),
            replacing: None,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for ProblemIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.inner).poll_read(cx, buf))?;
        let fresh = &buf.filled()[before..];
        self.language.feed(fresh);
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for ProblemIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.replacing.is_none() {
            match bare_refusal(buf) {
                Some((status, head_len)) => {
                    let lang = self.language.lang();
                    self.replacing = Some(Replacement {
                        bytes: problem_response(lang, status),
                        written: 0,
                        consumed: head_len,
                    });
                }
                None => {
                    // A response of the router: the next request's head starts afresh.
                    self.language.reset();
                    return Pin::new(&mut self.inner).poll_write(cx, buf);
                }
            }
        }
        let this = &mut *self;
        let Some(replacement) = this.replacing.as_mut() else {
            return Poll::Ready(Ok(0));
        };
        while replacement.written < replacement.bytes.len() {
            let rest = &replacement.bytes[replacement.written..];
            let n = ready!(Pin::new(&mut this.inner).poll_write(cx, rest))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            replacement.written += n;
        }
        let consumed = replacement.consumed.min(buf.len());
        this.replacing = None;
        Poll::Ready(Ok(consumed))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The status and head length of a refusal hyper wrote itself: `HTTP/1.x` 400, 414 or 431,
/// a complete head in this write, `content-length: 0` and no `content-type`.
fn bare_refusal(buf: &[u8]) -> Option<(StatusCode, usize)> {
    if !(buf.starts_with(b"HTTP/1.1 ") || buf.starts_with(b"HTTP/1.0 ")) {
        return None;
    }
    let status = match buf.get(9..13)? {
        b"400 " => StatusCode::BAD_REQUEST,
        b"414 " => StatusCode::URI_TOO_LONG,
        b"431 " => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        _ => return None,
    };
    let head_len = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = buf[..head_len].to_ascii_lowercase();
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    (has(b"\r\ncontent-length: 0\r\n") && !has(b"\r\ncontent-type:")).then_some((status, head_len))
}

/// A whole HTTP/1.1 response carrying the problem document of `status`; the connection
/// closes after it, as hyper's own refusal would.
fn problem_response(lang: Lang, status: StatusCode) -> Vec<u8> {
    let body = serde_json::to_vec(&layer_problem_body(lang, status)).unwrap_or_default();
    let mut response = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\n\
         connection: close\r\nx-content-type-options: nosniff\r\n\
         content-security-policy: {}\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len(),
        crate::security::CSP,
    )
    .into_bytes();
    response.extend_from_slice(&body);
    response
}

/// Finds the `Accept-Language` header in the bytes of a request head as they arrive,
/// across reads, without keeping the head.
#[derive(Debug, Default)]
struct LanguageSniffer {
    /// The last bytes of the previous read, so a header name split between reads is found.
    carry: Vec<u8>,
    /// The header's value once seen (at most 100 bytes).
    value: Option<String>,
}

const HEADER: &[u8] = b"\naccept-language:";

impl LanguageSniffer {
    fn feed(&mut self, bytes: &[u8]) {
        if self.value.is_some() || bytes.is_empty() {
            return;
        }
        let mut window = std::mem::take(&mut self.carry);
        window.extend_from_slice(bytes);
        let lower = window.to_ascii_lowercase();
        if let Some(at) = lower.windows(HEADER.len()).position(|w| w == HEADER) {
            let start = at + HEADER.len();
            let rest = &window[start..];
            let end = rest
                .iter()
                .position(|b| *b == b'\r' || *b == b'\n')
                .unwrap_or(rest.len())
                .min(100);
            self.value = Some(String::from_utf8_lossy(&rest[..end]).trim().to_string());
        } else {
            let keep = window.len().min(HEADER.len() + 100);
            self.carry = window[window.len() - keep..].to_vec();
        }
    }

    fn reset(&mut self) {
        self.carry.clear();
        self.value = None;
    }

    fn lang(&self) -> Lang {
        Lang::from_accept_language(self.value.as_deref())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn only_hypers_bare_refusals_are_recognised() {
        let bare = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        assert_eq!(
            bare_refusal(bare),
            Some((StatusCode::URI_TOO_LONG, bare.len()))
        );
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(bare_refusal(ours), None);
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(bare_refusal(ok), None);
        assert_eq!(bare_refusal(b"{\"HTTP/1.1 400 \""), None);
    }

    #[test]
    fn the_language_is_found_across_reads() {
        let mut sniffer = LanguageSniffer::default();
        sniffer.feed(b"GET /x HTTP/1.1\r\nHost: a\r\nAccept-Lang");
        sniffer.feed(b"uage: en-GB,en;q=0.9\r\n\r\n");
        assert_eq!(sniffer.lang(), Lang::En);
        sniffer.reset();
        assert_eq!(sniffer.lang(), Lang::Tr);
    }

    #[tokio::test]
    async fn a_bare_refusal_is_written_as_a_problem_document_and_nothing_else_changes() {
        let (client, server) = tokio::io::duplex(64 * 1024);
        let mut io = ProblemIo::new(server);
        let mut client = client;
        client
            .write_all(b"GET /a HTTP/1.1\r\naccept-language: en\r\n\r\n")
            .await
            .unwrap();
        let mut request = [0u8; 64];
        let n = io.read(&mut request).await.unwrap();
        assert!(n > 0);
        io.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
            .await
            .unwrap();
        client
            .write_all(b"GET /b HTTP/1.1\r\naccept-language: en\r\n\r\n")
            .await
            .unwrap();
        let _ = io.read(&mut request).await.unwrap();
        let bare = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\r\n";
        let consumed = io.write(bare).await.unwrap();
        assert_eq!(consumed, bare.len());
        io.shutdown().await.unwrap();
        let mut answer = String::new();
        client.read_to_string(&mut answer).await.unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"),
            "{answer}"
        );
        let refusal = &answer["HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".len()..];
        assert!(
            refusal.starts_with("HTTP/1.1 414 URI Too Long\r\n"),
            "{refusal}"
        );
        assert!(refusal.contains("content-type: application/problem+json\r\n"));
        let body = refusal.split("\r\n\r\n").nth(1).unwrap();
        let problem: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(problem["status"], 414);
        assert_eq!(problem["title"], "The address is too long");
    }
}
