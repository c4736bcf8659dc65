//! Serving a simulator over HTTP/1.1 on loopback. Each connection runs in its own
//! task; all of them belong to the accept loop's task set, so stopping the server
//! (explicitly or by dropping its handle) closes every connection, watches included.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use super::Simulator;
use super::http::handle;

/// A running simulator server; stops when dropped.
pub struct SimServer {
    addr: SocketAddr,
    sim: Arc<Simulator>,
    accept_loop: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SimServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl SimServer {
    /// Binds `addr` (loopback only; port 0 picks a free port) and serves `sim` on
    /// the current tokio runtime.
    pub(crate) fn start(sim: Arc<Simulator>, addr: SocketAddr) -> io::Result<SimServer> {
        if !addr.ip().is_loopback() {
            // The simulator has no authentication: it must not be reachable from
            // other machines.
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the simulated API server only listens on loopback, not {addr}"),
            ));
        }
        let runtime = tokio::runtime::Handle::try_current().map_err(|e| {
            io::Error::other(format!(
                "the simulator must be served within a tokio runtime: {e}"
            ))
        })?;
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let listener = {
            let _entered = runtime.enter();
            TcpListener::from_std(listener)?
        };
        let accept_loop = runtime.spawn(accept_connections(sim.clone(), listener, addr));
        Ok(SimServer {
            addr,
            sim,
            accept_loop: Some(accept_loop),
        })
    }

    /// Restarts the server as a kube-apiserver restart looks to its clients: every
    /// connection closes, the port refuses connections for `downtime`, and the
    /// watch cache comes back empty, so a watch resuming from an older
    /// resourceVersion gets 410 Gone and relists. Objects and resourceVersions
    /// survive, as they live in etcd.
    pub async fn restart(&mut self, downtime: std::time::Duration) -> io::Result<()> {
        if let Some(accept_loop) = self.accept_loop.take() {
            accept_loop.abort();
            let _ = accept_loop.await;
        }
        self.sim.compact_history();
        tokio::time::sleep(downtime).await;
        let listener = std::net::TcpListener::bind(self.addr)?;
        listener.set_nonblocking(true)?;
        let listener = TcpListener::from_std(listener)?;
        self.accept_loop = Some(tokio::spawn(accept_connections(
            self.sim.clone(),
            listener,
            self.addr,
        )));
        Ok(())
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, the server URL for a kubeconfig or `kube::Config`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, closes every open connection, and waits until the port
    /// is released.
    pub async fn shutdown(mut self) {
        if let Some(accept_loop) = self.accept_loop.take() {
            accept_loop.abort();
            // Cancellation is the expected outcome; the task holds nothing else.
            let _ = accept_loop.await;
        }
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        if let Some(accept_loop) = self.accept_loop.take() {
            accept_loop.abort();
        }
    }
}

async fn accept_connections(sim: Arc<Simulator>, listener: TcpListener, addr: SocketAddr) {
    let server_address: Arc<str> = Arc::from(addr.to_string());
    // Dropped with this task, which aborts every connection still open.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else {
                    // Out of file descriptors and the like: keep serving the
                    // connections already open and try again shortly.
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                };
                let sim = sim.clone();
                let server_address = server_address.clone();
                connections.spawn(async move {
                    let service = service_fn(move |request| {
                        handle(sim.clone(), server_address.clone(), request)
                    });
                    // A client that goes away mid-response is routine.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        // exec and port-forward switch to WebSocket.
                        .with_upgrades()
                        .await;
                });
            }
            Some(_finished) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}
