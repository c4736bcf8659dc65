//! One accepted local connection, bridged to the current pod over its own
//! `pods/portforward` WebSocket, with bytes counted as they pass.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::watch;

use super::Shared;

/// Where new connections go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// To this pod's port.
    Ready { pod: String, port: u16 },
    /// No pod yet: connections wait for one.
    Waiting,
    /// The target is gone for good.
    Broken,
}

/// How long a connection accepted while reconnecting waits for a new pod.
const WAIT_FOR_POD: Duration = Duration::from_secs(10);

/// Carries one connection until either side closes, the kubelet reports an
/// error, or the route moves away from the pod it was bridged to.
pub async fn connection(
    client: kube::Client,
    shared: Arc<Shared>,
    mut route: watch::Receiver<Route>,
    tcp: TcpStream,
) {
    let (pod, port) = loop {
        let current = route.borrow_and_update().clone();
        match current {
            Route::Ready { pod, port } => break (pod, port),
            Route::Broken => return,
            Route::Waiting => match tokio::time::timeout(WAIT_FOR_POD, route.changed()).await {
                Ok(Ok(())) => continue,
                _ => return,
            },
        }
    };
    let pods: Api<Pod> = Api::namespaced(client, shared.target.namespace());
    let mut forwarder = match pods.portforward(&pod, &[port]).await {
        Ok(forwarder) => forwarder,
        Err(error) => {
            shared.state().last_error = Some(error.to_string());
            return;
        }
    };
    let (Some(stream), Some(errors)) = (forwarder.take_stream(port), forwarder.take_error(port))
    else {
        forwarder.abort();
        return;
    };
    shared.open.fetch_add(1, Ordering::Relaxed);
    let mut local = Counted::new(tcp, shared.bytes_out.clone());
    let mut remote = Counted::new(stream, shared.bytes_in.clone());
    let kubelet_error = async {
        match errors.await {
            Some(message) => message,
            // The error channel closed quietly: nothing to report.
            None => std::future::pending().await,
        }
    };
    let moved = async {
        loop {
            if route.changed().await.is_err() {
                return;
            }
            let still_here = matches!(&*route.borrow(), Route::Ready { pod: p, .. } if *p == pod);
            if !still_here {
                return;
            }
        }
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut local, &mut remote) => {}
        message = kubelet_error => shared.state().last_error = Some(message),
        () = moved => {}
    }
    forwarder.abort();
    shared.open.fetch_sub(1, Ordering::Relaxed);
}

/// A stream whose reads are added to a counter.
struct Counted<S> {
    inner: S,
    read: Arc<AtomicU64>,
}

impl<S> Counted<S> {
    fn new(inner: S, read: Arc<AtomicU64>) -> Self {
        Counted { inner, read }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Counted<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        let read = buf.filled().len().saturating_sub(before);
        self.read.fetch_add(read as u64, Ordering::Relaxed);
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Counted<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
