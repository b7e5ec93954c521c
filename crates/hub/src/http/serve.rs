//! The server: an accept loop over HTTP/1.1 that holds against hostile clients.
//!
//! - A client has [`ServeOptions::header_timeout`] to send a request's headers, which may be at
//!   most [`MAX_HEADER_BYTES`]; a body that stops arriving for [`ServeOptions::body_timeout`] is
//!   dropped. A slow client loses its connection; the others keep working.
//! - Open connections are capped in all and per client address: past the cap a connection is
//!   answered `503 busy` and closed at once.
//! - The few answers the HTTP parser writes itself (a header too large, a request that does not
//!   parse) are rewritten on their way out into the API's `{code, message}` shape with the
//!   protocol header ([`Answers`]).

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

use super::{imports, router, PROTOCOL_HEADER, PROTOCOL_VERSION};
use crate::Hub;

/// The most a request's line and headers may hold, in bytes.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// How the server guards itself. [`ServeOptions::new`] gives the defaults `optout serve` uses.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where uploaded lists are kept while they are imported: a folder of the hub's own.
    pub upload_dir: PathBuf,
    /// How long a client may take to send a request's headers, and to start the next request
    /// on a kept-alive connection.
    pub header_timeout: Duration,
    /// How long a request body may stop arriving before the request is dropped.
    pub body_timeout: Duration,
    /// Open connections at most, in all.
    pub max_connections: usize,
    /// Open connections at most from one address.
    pub max_connections_per_client: usize,
    /// Imports that may run at once; more are answered `429 busy`.
    pub max_imports: usize,
    /// The hub's public address (`https://hub.example.org`) when it sits behind a proxy: the URL
    /// Twilio signs its callbacks with. Without it, the address the request came to.
    pub public_url: Option<String>,
}

impl ServeOptions {
    /// The defaults, with uploads in `upload_dir`.
    pub fn new(upload_dir: PathBuf) -> ServeOptions {
        ServeOptions {
            upload_dir,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_connections_per_client: 256,
            max_imports: 2,
            public_url: None,
        }
    }
}

/// Serves the API on `listener` until `shutdown` completes, with the defaults and uploads in an
/// `uploads` folder beside the hub's SQLite file (or one of this process's own in the system's
/// temporary folder, for PostgreSQL).
///
/// # Errors
/// The listener's I/O errors; the upload folder that cannot be made.
pub async fn serve(
    hub: Hub,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    static SERVERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let uploads = hub.data_dir().map(|dir| dir.join("uploads")).unwrap_or_else(|| {
        let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        std::env::temp_dir().join(format!("optout-uploads-{}-{n}", std::process::id()))
    });
    serve_with(hub, listener, ServeOptions::new(uploads), shutdown).await
}

/// Serves the API on `listener` with `options` until `shutdown` completes; connections open
/// then may finish their requests.
///
/// # Errors
/// The listener's I/O errors; the upload folder that cannot be made.
pub async fn serve_with(
    hub: Hub,
    listener: TcpListener,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    imports::prepare(&options.upload_dir).map_err(std::io::Error::other)?;
    let app = router(hub, &options);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(options.header_timeout).max_header_size(MAX_HEADER_BYTES);
    let open = Arc::new(Open::default());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, a connection reset before it was taken: wait and go on.
                    tracing::warn!(target: "optout::http", "accept: {error}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = open.take(peer.ip(), &options) else {
            tokio::spawn(turn_away(stream));
            continue;
        };
        let body_timeout = options.body_timeout;
        let app = app.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            let request = request.map(|body| Body::new(tower_http::timeout::TimeoutBody::new(body_timeout, body)));
            app.clone().oneshot(request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(Answers::new(stream)), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(target: "optout::http", "connection from {peer}: {error}");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The connections open, in all and by client address.
#[derive(Default)]
struct Open {
    by_client: Mutex<HashMap<IpAddr, usize>>,
}

/// One open connection, counted until dropped.
struct Slot {
    open: Arc<Open>,
    client: IpAddr,
}

impl Open {
    fn take(self: &Arc<Open>, client: IpAddr, options: &ServeOptions) -> Option<Slot> {
        let mut by_client = self.by_client.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let all: usize = by_client.values().sum();
        let theirs = by_client.entry(client).or_default();
        if all >= options.max_connections || *theirs >= options.max_connections_per_client {
            return None;
        }
        *theirs += 1;
        Some(Slot { open: self.clone(), client })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut by_client = self.open.by_client.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = by_client.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                by_client.remove(&self.client);
            }
        }
    }
}

/// An answer in the API's shape, written straight to a connection.
fn raw_answer(status: u16, reason: &str, code: &str, message: &str) -> Vec<u8> {
    let body = serde_json::json!({ "code": code, "message": message }).to_string();
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n{PROTOCOL_HEADER}: {PROTOCOL_VERSION}\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Answers a connection over the cap and closes it, giving a client that does not read a
/// second at most.
async fn turn_away(mut stream: TcpStream) {
    let answer = raw_answer(503, "Service Unavailable", "busy", "too many connections are open; try again shortly");
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&answer)).await;
}

/// A connection whose answers written by the HTTP parser itself (without the protocol header:
/// every answer of the API's has it) leave in the API's shape.
///
/// It says it cannot write vectors, so each answer reaches it as one buffer that starts with
/// its status line.
struct Answers {
    stream: TcpStream,
    /// A rewritten answer still to be written, and how much of it is.
    pending: Option<(Vec<u8>, usize)>,
}

impl Answers {
    fn new(stream: TcpStream) -> Answers {
        Answers { stream, pending: None }
    }

    /// Writes what is pending; ready once nothing is.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        while let Some((bytes, written)) = &mut self.pending {
            let n = std::task::ready!(Pin::new(&mut self.stream).poll_write(cx, &bytes[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()));
            }
            *written += n;
            if *written == bytes.len() {
                self.pending = None;
            }
        }
        Poll::Ready(Ok(()))
    }
}

/// The API's shape of an answer the HTTP parser wrote: `buf` when it is one.
fn parsers_answer(buf: &[u8]) -> Option<Vec<u8>> {
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&buf[..head_end]).ok()?;
    let status_line = head.strip_prefix("HTTP/1.1 ")?.lines().next()?;
    if head.to_ascii_lowercase().contains(PROTOCOL_HEADER) {
        return None;
    }
    let (status, reason) = status_line.split_once(' ').unwrap_or((status_line, ""));
    let status: u16 = status.parse().ok()?;
    let (code, message) = match status {
        431 => ("too_large", format!("the request's headers are over {} KiB", MAX_HEADER_BYTES / 1024)),
        408 => ("timeout", "the request's headers came too slowly".to_owned()),
        _ => ("bad_request", "the request is not HTTP this server can read".to_owned()),
    };
    Some(raw_answer(status, reason, code, &message))
}

impl AsyncRead for Answers {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Answers {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        std::task::ready!(self.drain(cx))?;
        if let Some(answer) = parsers_answer(buf) {
            self.pending = Some((answer, 0));
            // Taken whole: what is left of it goes out on the next write or flush.
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        std::task::ready!(self.drain(cx))?;
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        std::task::ready!(self.drain(cx))?;
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        false
    }
}
