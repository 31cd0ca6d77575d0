//! One client connection's bounds outside hyper's reach: a write that waits on a client
//! that does not read, and the answer to a connection that found no free slot.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use ivs_participant_token::ServiceError;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

use crate::respond::{other, request_id};

/// A stream whose writes may wait for the peer at most `timeout` between two that make
/// progress (nginx's `send_timeout`), then fail with `TimedOut`, which ends the
/// connection. hyper has a header-read timeout but none for writes, so a client that
/// pipelines requests and never reads the answers would otherwise hold its connection
/// (and its slot) for as long as it likes.
#[derive(Debug)]
pub(crate) struct WriteDeadline<S> {
    inner: S,
    timeout: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> WriteDeadline<S> {
    pub(crate) fn new(inner: S, timeout: Duration) -> WriteDeadline<S> {
        WriteDeadline {
            inner,
            timeout,
            stalled: None,
        }
    }

    /// Passes on a write's result; a write that is pending starts (or goes on with) the
    /// deadline, and one that completes clears it.
    fn bounded<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match poll {
            Poll::Ready(r) => {
                self.stalled = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                let timeout = self.timeout;
                let sleep = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client read nothing within the write timeout",
                    ))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteDeadline<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.bounded(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.bounded(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.bounded(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.bounded(cx, poll)
    }
}

/// The error a connection gets when every slot stayed taken: 503, in the service's form.
pub(crate) const SERVICE_UNAVAILABLE: (&str, u16) = ("ServiceUnavailableException", 503);

/// The whole HTTP answer to a connection refused for want of a slot, closing it.
fn refusal(max_connections: usize) -> Vec<u8> {
    let e: ServiceError = other(
        SERVICE_UNAVAILABLE.0,
        SERVICE_UNAVAILABLE.1,
        format!("the server is serving its maximum of {max_connections} connections; try again"),
    );
    let http = e.to_http();
    let mut head = format!("HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: {}\r\nx-amzn-RequestId: {}\r\n", http.body.len(), request_id());
    for (k, v) in &http.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(http.body.as_bytes());
    bytes
}

/// Refuses a connection at once, when even the wait for a slot is full: one write that
/// never waits (a fresh socket's buffer takes it whole), then the connection is dropped.
pub(crate) fn refuse_now(stream: TcpStream, max_connections: usize) {
    // tokio's `try_write` knows no readiness yet for a socket it has never polled; the
    // socket itself (non-blocking) takes the write or refuses it at once.
    if let Ok(mut socket) = stream.into_std() {
        let _ = std::io::Write::write(&mut socket, &refusal(max_connections));
    }
}

/// Refuses a connection that waited its header timeout for a slot: the 503 is written
/// (within `write_timeout`), the writing side closed, and what the client had sent is
/// read and dropped for at most a second, so that it reads the answer rather than a
/// reset.
pub(crate) async fn refuse(mut stream: TcpStream, max_connections: usize, write_timeout: Duration) {
    let answer = refusal(max_connections);
    let written = tokio::time::timeout(write_timeout, async {
        stream.write_all(&answer).await?;
        stream.shutdown().await
    })
    .await;
    if !matches!(written, Ok(Ok(()))) {
        return;
    }
    let mut sink = [0u8; 4096];
    let mut left = 64 * 1024usize;
    let drain = async {
        while left > 0 {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), drain).await;
}
