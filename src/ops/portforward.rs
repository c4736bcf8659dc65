//! Port-forwards (`shift-f`, `:pf`): a registry of local listeners on
//! 127.0.0.1, each bridging every accepted TCP connection to a pod port over
//! kube's `pods/portforward` WebSocket, as `kubectl port-forward` does (one
//! WebSocket per connection, as kube-rs's `pod_portforward_bind` example).
//!
//! Each forward watches its current pod. When that pod goes away (deleted,
//! terminating, or no longer ready), a forward made through a Service or a
//! Deployment looks for another ready pod and carries on; one made to a bare
//! pod is marked Broken and stops listening, so new connections are refused
//! and it is never shown as active when it is not.

mod bridge;
mod resolve;
mod supervise;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::net::TcpListener;

pub use crate::model::forwards::{ForwardId, ForwardStatus, ForwardTarget, Health, RemotePort};

use super::{Refused, WriteGate};

/// Why a forward could not be started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForwardError {
    /// `--readonly`: a port-forward creates `pods/portforward`, a write.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// Something else listens on the requested local port.
    #[error("local port {0} is in use")]
    PortInUse(u16),
    /// The local port could not be bound for another reason.
    #[error("cannot listen on 127.0.0.1:{port}: {reason}")]
    Bind { port: u16, reason: String },
    /// The target or its port could not be resolved (kubectl's wording).
    #[error("{0}")]
    Resolve(String),
}

/// The forwards of this session; cheap to clone, shared with the UI.
#[derive(Clone, Default)]
pub struct Forwards {
    registry: Arc<Mutex<Registry>>,
}

impl std::fmt::Debug for Forwards {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forwards")
            .field("forwards", &self.lock().entries.len())
            .finish()
    }
}

#[derive(Default)]
struct Registry {
    next: u64,
    entries: BTreeMap<ForwardId, Entry>,
}

struct Entry {
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

/// What a forward's tasks report and the snapshot reads.
struct Shared {
    id: ForwardId,
    local_port: u16,
    remote: RemotePort,
    target: ForwardTarget,
    started: jiff::Timestamp,
    state: Mutex<State>,
    open: AtomicU64,
    total: AtomicU64,
    bytes_in: Arc<AtomicU64>,
    bytes_out: Arc<AtomicU64>,
}

struct State {
    pod: Option<String>,
    remote_port: Option<u16>,
    health: Health,
    last_error: Option<String>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn status(&self) -> ForwardStatus {
        let state = self.state();
        ForwardStatus {
            id: self.id,
            local_port: self.local_port,
            remote: self.remote.clone(),
            remote_port: state.remote_port,
            target: self.target.clone(),
            pod: state.pod.clone(),
            open_connections: self.open.load(Ordering::Relaxed),
            total_connections: self.total.load(Ordering::Relaxed),
            bytes_in: self.bytes_in.load(Ordering::Relaxed),
            bytes_out: self.bytes_out.load(Ordering::Relaxed),
            health: state.health.clone(),
            started: self.started,
            last_error: state.last_error.clone(),
        }
    }
}

impl Forwards {
    /// An empty registry.
    pub fn new() -> Self {
        Forwards::default()
    }

    /// Binds 127.0.0.1:`local_port` (a free port when `None` or 0), resolves
    /// `target` and `remote` to a pod port, and starts forwarding.
    pub async fn start(
        &self,
        client: kube::Client,
        gate: &WriteGate,
        target: ForwardTarget,
        remote: RemotePort,
        local_port: Option<u16>,
    ) -> Result<ForwardId, ForwardError> {
        gate.check()?;
        let requested = local_port.unwrap_or(0);
        let listener = TcpListener::bind(("127.0.0.1", requested))
            .await
            .map_err(|error| bind_error(requested, &error))?;
        let bound = listener
            .local_addr()
            .map_err(|error| bind_error(requested, &error))?
            .port();
        let resolved = resolve::resolve(&client, &target, &remote, None).await?;
        let mut registry = self.lock();
        registry.next += 1;
        let id = ForwardId(registry.next);
        let shared = Arc::new(Shared {
            id,
            local_port: bound,
            remote: remote.clone(),
            target,
            started: jiff::Timestamp::now(),
            state: Mutex::new(State {
                pod: Some(resolved.pod.clone()),
                remote_port: Some(resolved.port),
                health: Health::Active,
                last_error: None,
            }),
            open: AtomicU64::new(0),
            total: AtomicU64::new(0),
            bytes_in: Arc::new(AtomicU64::new(0)),
            bytes_out: Arc::new(AtomicU64::new(0)),
        });
        let task = tokio::spawn(supervise::run(client, shared.clone(), listener, resolved));
        registry.entries.insert(id, Entry { shared, task });
        Ok(id)
    }

    /// Stops a forward: closes its listener and its connections. `false` when
    /// no such forward exists.
    pub fn stop(&self, id: ForwardId) -> bool {
        match self.lock().entries.remove(&id) {
            Some(entry) => {
                entry.task.abort();
                true
            }
            None => false,
        }
    }

    /// Stops every forward (on quit).
    pub fn stop_all(&self) {
        for (_, entry) in std::mem::take(&mut self.lock().entries) {
            entry.task.abort();
        }
    }

    /// Every forward as it is now, in the order they were started.
    pub fn snapshot(&self) -> Vec<ForwardStatus> {
        self.lock()
            .entries
            .values()
            .map(|entry| entry.shared.status())
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn bind_error(port: u16, error: &std::io::Error) -> ForwardError {
    if error.kind() == std::io::ErrorKind::AddrInUse {
        ForwardError::PortInUse(port)
    } else {
        ForwardError::Bind {
            port,
            reason: error.to_string(),
        }
    }
}
