//! The live drain: cordon each node, evict (or delete) the pods a drain plan
//! chose, wait until they are gone, and report every step as a [`DrainEvent`]
//! on a channel. It runs as a tokio task and can be cancelled at any moment;
//! the plan itself (which pods, why) is computed elsewhere.
//!
//! Semantics follow `k8s.io/kubectl/pkg/drain/drain.go`: evictions through
//! `policy/v1`, 404 = already gone, 429 = blocked by a PodDisruptionBudget and
//! retried, any other error terminal for that pod; a pod is gone when it no
//! longer exists or its name now belongs to a new uid (`waitForDelete`). Where
//! we differ: retries back off exponentially (kubectl waits a flat 5 s), a
//! blocked pod holds no concurrency slot while it waits, and a server dry run
//! reports each pod's verdict once instead of retrying a 429 until the timeout.
//!
//! The client must not retry 429 itself (`kube::Config::default_retry =
//! false`), or budget blocks are retried invisibly inside kube's retry layer.

use std::time::Duration;

use crate::cache::pod::Pod;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::{Refused, WriteGate};
use crate::clock::Clock;

pub use crate::model::drain_event::{
    DrainEvent, DrainEventKind, DrainOutcome, DrainSummary, PodKey, go_duration,
};

/// The controller that owns a pod, to recognise its replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControllerRef {
    /// The controller's kind (ReplicaSet, StatefulSet, …).
    pub kind: String,
    /// The controller's name.
    pub name: String,
    /// The controller's uid: replacements carry the same one.
    pub uid: String,
}

/// One pod the plan decided to evict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodToEvict {
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's name.
    pub name: String,
    /// The pod's uid: the same name with another uid is a new pod.
    pub uid: String,
    /// The node it runs on (its drain group).
    pub node: String,
    /// Its controlling owner, if any.
    pub controller: Option<ControllerRef>,
}

impl PodToEvict {
    /// From a pod object; `None` when it lacks a namespace, name or uid.
    pub fn from_pod(pod: &Pod) -> Option<PodToEvict> {
        let meta = &pod.metadata;
        let controller = meta
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true))
            .map(|o| ControllerRef {
                kind: o.kind.clone(),
                name: o.name.clone(),
                uid: o.uid.clone(),
            });
        Some(PodToEvict {
            namespace: meta.namespace.clone()?,
            name: meta.name.clone()?,
            uid: meta.uid.clone()?,
            node: pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.clone())
                .unwrap_or_default(),
            controller,
        })
    }

    /// Its namespace/name key.
    pub fn key(&self) -> PodKey {
        PodKey::new(&self.namespace, &self.name)
    }
}

/// `kubectl drain` flags the executor honours, plus its own pacing.
#[derive(Debug, Clone, PartialEq)]
pub struct DrainOptions {
    /// `--grace-period`: `None` or negative uses each pod's own.
    pub grace_period: Option<i64>,
    /// `--timeout`: for the whole drain; `None` waits forever.
    pub timeout: Option<Duration>,
    /// `--disable-eviction`: DELETE instead of evicting (bypasses PDBs).
    pub disable_eviction: bool,
    /// `--dry-run=server`: every write with `dryRun=All`; nothing changes.
    pub dry_run_server: bool,
    /// Eviction or delete requests in flight at once (at least 1).
    pub max_concurrent_evictions: usize,
    /// Nodes drained at once (at least 1).
    pub max_concurrent_nodes: usize,
    /// First wait after a 429; doubles on every further 429 of that pod.
    pub retry_initial: Duration,
    /// The longest wait between attempts.
    pub retry_cap: Duration,
    /// After the last pod is gone, how long to keep reporting replacements.
    pub follow_replacements: Duration,
}

impl Default for DrainOptions {
    fn default() -> Self {
        DrainOptions {
            grace_period: None,
            timeout: None,
            disable_eviction: false,
            dry_run_server: false,
            max_concurrent_evictions: 10,
            max_concurrent_nodes: 1,
            retry_initial: Duration::from_secs(1),
            retry_cap: Duration::from_secs(16),
            follow_replacements: Duration::ZERO,
        }
    }
}

/// What to drain: nodes (cordoned in this order) and the pods to remove.
/// A pod whose node is not listed is still removed, without a cordon.
#[derive(Debug, Clone, PartialEq)]
pub struct DrainJob {
    /// Nodes to cordon and drain, in order.
    pub nodes: Vec<String>,
    /// Pods to evict, as the drain plan chose them.
    pub pods: Vec<PodToEvict>,
    /// Flags and pacing.
    pub options: DrainOptions,
}

/// A running drain: cancel it, or wait for it to end.
pub struct DrainHandle {
    cancel: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl DrainHandle {
    /// Stops the drain promptly: no further request is sent, nodes stay
    /// cordoned, and a `Cancelled` then a `Summary` event follow.
    pub fn cancel(&self) {
        self.cancel.send_replace(true);
    }

    /// Whether the drain has ended (its `Summary` was sent).
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }

    /// Waits until the drain has ended.
    pub async fn join(self) {
        if let Err(error) = self.task.await {
            tracing::warn!("drain task ended abnormally: {error}");
        }
    }
}

/// Starts the drain on the current tokio runtime. In readonly mode it is
/// refused before any request (not even a read) is sent.
pub fn start(
    client: kube::Client,
    gate: WriteGate,
    clock: Clock,
    job: DrainJob,
) -> Result<(DrainHandle, mpsc::UnboundedReceiver<DrainEvent>), Refused> {
    gate.check()?;
    let (events, receiver) = mpsc::unbounded_channel();
    let (cancel, cancelled) = watch::channel(false);
    let task = tokio::spawn(super::drain_run::run(
        client, gate, clock, job, events, cancelled,
    ));
    Ok((DrainHandle { cancel, task }, receiver))
}
