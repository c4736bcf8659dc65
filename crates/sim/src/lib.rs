//! A simulated Kubernetes API server: kubesight's demo cluster, and a test double
//! for any kube-rs client (kubesight's integration tests use it so). It speaks kube-apiserver's wire protocol for reads and
//! watches — discovery, get, paginated lists with label and field selectors,
//! watches with bookmarks, 410 Gone for expired resourceVersions, and the Status
//! bodies of every failure — so that the real kube-rs client runs against it
//! unchanged. `wire/` beside the design notes holds the recordings it follows.
//!
//! Objects live in a [`Simulator`], changed in-process through [`Simulator::apply`]
//! and [`Simulator::delete`] (by controllers and tests) and served over HTTP on
//! loopback by [`Simulator::serve`]. Faults are switched at runtime through
//! [`Simulator::faults`] and [`Simulator::compact_history`].
//!
//! # Example
//!
//! Start it on a free loopback port and point a kube `Client` at it:
//!
//! ```
//! use std::net::{Ipv4Addr, SocketAddr};
//! use std::sync::Arc;
//!
//! use k8s_openapi::api::core::v1::Pod;
//! use kube::{Api, Client, Config};
//! use kubesight_sim::Simulator;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // The built-in demo cluster; any `Objects`, or JSON objects through
//! // `Simulator::from_values`, will do.
//! let objects = kubesight_model::demo::load()?.objects;
//! let server = Arc::new(Simulator::new(objects))
//!     .serve(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
//!
//! let client = Client::try_from(Config::new(server.url().parse()?))?;
//! let pods: Api<Pod> = Api::namespaced(client, "shop");
//! let names: Vec<String> = pods
//!     .list(&Default::default())
//!     .await?
//!     .items
//!     .into_iter()
//!     .filter_map(|pod| pod.metadata.name)
//!     .collect();
//! assert!(names.iter().any(|name| name.starts_with("web-")));
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Known differences from a real server, all deliberate for now:
//! - writes: PATCH (merge, strategic merge for keyed lists, JSON patch), DELETE
//!   (graceful for pods) and evictions are served; create, update (PUT),
//!   deletecollection and apply patches answer 405 or 415, and subresources other
//!   than `pods/eviction`, `pods/log`, `pods/exec` and `pods/portforward`
//!   (status, attach, proxy, …) 404;
//! - `pods/log`, `pods/exec` and `pods/portforward` are served by a simulated
//!   kubelet: generated logs, a tiny shell, an HTTP responder behind declared
//!   ports; exec and port-forward speak WebSocket only (no SPDY);
//! - `pods/eviction` and `authorization.k8s.io` are not in discovery (the
//!   recorded discovery tests pin the served lists), so kubectl's drain, which
//!   looks for `pods/eviction` in `/api/v1`, deletes pods instead of evicting;
//! - JSON only: no protobuf, no server-side `Table` (so `kubectl get` prints NAME
//!   and AGE only), no gzip, no `?pretty`;
//! - inside stored objects, fields are written in alphabetical order (envelopes,
//!   Status bodies and watch lines keep the Go order);
//! - one history window serves both watch resumption and paging consistency,
//!   where a real server has its watch cache and etcd's compaction;
//! - bookmarks come every `bookmark_interval` (a real server: about a minute),
//!   and a watch without `timeoutSeconds` lasts `default_watch_timeout`;
//! - no authentication or authorization: 403s come from fault injection only.

mod access_review;
mod config;
mod continue_token;
mod controllers;
mod defaults;
mod delete;
mod discovery;
mod eviction;
mod exec;
mod faults;
mod field_selector;
mod filter;
mod get;
mod history;
mod http;
mod kubeconfig;
mod list;
mod log_writer;
mod logs;
mod metadata;
mod object;
mod patch;
mod patch_apply;
mod pod_io;
mod pod_runtime;
mod portforward;
mod protobuf;
mod query;
mod resources;
mod response;
mod route;
mod server;
mod shell;
mod status;
mod store;
mod table;
mod validate;
mod watch;
mod watch_events;
mod websocket;
mod write_request;

use std::net::SocketAddr;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

pub use config::SimConfig;
pub use controllers::{ControllersHandle, DEFAULT_SEED as DEFAULT_CONTROLLER_SEED};
pub use faults::{Failure, FailureRule, Faults};
pub use kubeconfig::kubeconfig_yaml;
pub use metadata::ApplyError;
pub use server::SimServer;

use kubesight_model::cluster::Objects;
use store::Store;

/// A simulated API server's state: its objects, their history, its faults.
pub struct Simulator {
    store: Store,
    faults: Faults,
    config: SimConfig,
}

impl Simulator {
    /// A simulator holding `objects`, with the default configuration.
    pub fn new(objects: Objects) -> Simulator {
        Simulator::with_config(objects, SimConfig::default())
    }

    /// A simulator holding `objects`. Objects keep the resourceVersions they
    /// carry (the global revision continues from the highest); missing uids,
    /// resourceVersions and creationTimestamps are filled in.
    pub fn with_config(objects: Objects, config: SimConfig) -> Simulator {
        Simulator::from_values(seed_values(&objects), config)
    }

    /// A simulator holding objects given as JSON (with `kind` and `apiVersion`);
    /// objects the simulator does not serve, or without a name, are left out.
    pub fn from_values(values: Vec<Value>, config: SimConfig) -> Simulator {
        let store = Store::new(
            values,
            config.history_window,
            config.watch_buffer,
            config.clock.clone(),
        );
        Simulator {
            store,
            faults: Faults::default(),
            config,
        }
    }

    /// Creates or replaces an object given as JSON with `kind` and `apiVersion`,
    /// stamping a new resourceVersion; open watches see ADDED or MODIFIED.
    /// Returns the stored object.
    pub fn apply(&self, object: Value) -> Result<Value, ApplyError> {
        self.store.apply(object)
    }

    /// [`Simulator::apply`] for a typed object (`k8s_openapi` types serialise
    /// their `kind` and `apiVersion`).
    pub fn apply_object<K: Serialize>(&self, object: &K) -> Result<Value, ApplyError> {
        let value = serde_json::to_value(object).map_err(|_| ApplyError::NotAnObject)?;
        self.store.apply(value)
    }

    /// Deletes an object; open watches see DELETED with its final state, which
    /// is returned. `resource` is a plural, kind, singular or short name
    /// (`pods`, `Pod`, `po`); `namespace` is ignored for cluster-scoped kinds.
    pub fn delete(&self, resource: &str, namespace: &str, name: &str) -> Option<Value> {
        let resource = resources::lookup(resource)?;
        self.store.delete(resource, namespace, name)
    }

    /// Removes every pod whose graceful deletion (`deletionTimestamp`) has
    /// passed by `now`, as the kubelet does once a pod's containers stopped;
    /// watchers see DELETED. Returns `namespace/name` of the pods removed.
    pub fn finalize_deletions(&self, now: jiff::Timestamp) -> Vec<String> {
        match resources::lookup("pods") {
            Some(pods) => delete::finalize_deletions(&self.store, pods, now),
            None => Vec::new(),
        }
    }

    /// One object, with `kind` and `apiVersion`.
    pub fn get(&self, resource: &str, namespace: &str, name: &str) -> Option<Value> {
        let resource = resources::lookup(resource)?;
        let body = self.store.get(resource, namespace, name)?;
        Some(object::with_type(resource, &body))
    }

    /// Every object of a resource (in `namespace`, or all), in etcd key order,
    /// with `kind` and `apiVersion`.
    pub fn list(&self, resource: &str, namespace: Option<&str>) -> Vec<Value> {
        match resources::lookup(resource) {
            Some(resource) => self.store.list(resource, namespace),
            None => Vec::new(),
        }
    }

    /// The current global resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.store.revision()
    }

    /// The oldest resourceVersion a watch or a continue token may still start
    /// from; anything older is answered with 410 Gone.
    pub fn oldest_resource_version(&self) -> u64 {
        self.store.compacted_through()
    }

    /// Forgets the history up to now, as an etcd compaction does: watches and
    /// continue tokens from any older resourceVersion get 410 Gone.
    pub fn compact_history(&self) {
        self.store.compact();
    }

    /// Runtime fault switches: failing requests, latency, severed watches.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// One pass of every controller at `now`, in a fixed order: scheduler,
    /// kubelets, ReplicaSet, Deployment and disruption controllers, then the
    /// kubelets' confirmation of expired graceful deletions. Uses
    /// [`DEFAULT_CONTROLLER_SEED`]; see [`Simulator::reconcile_with_seed`].
    pub fn reconcile(&self, now: jiff::Timestamp) {
        controllers::reconcile(self, now, controllers::DEFAULT_SEED);
    }

    /// [`Simulator::reconcile`] drawing names from `seed`: the same seed and
    /// the same passes and writes give the same names and states.
    pub fn reconcile_with_seed(&self, now: jiff::Timestamp, seed: u64) {
        controllers::reconcile(self, now, seed);
    }

    /// Runs [`Simulator::reconcile_with_seed`] every `period` at the
    /// configured clock's `now`, on the current tokio runtime, until the
    /// handle is dropped.
    pub fn start_controllers(
        self: Arc<Self>,
        seed: u64,
        period: std::time::Duration,
    ) -> ControllersHandle {
        ControllersHandle::start(self, seed, period)
    }

    /// Serves the simulator on `addr`, which must be a loopback address (port 0
    /// picks a free port), on the current tokio runtime.
    pub fn serve(self: Arc<Self>, addr: SocketAddr) -> std::io::Result<SimServer> {
        SimServer::start(self, addr)
    }
}

/// Every object of `objects` as JSON, typed.
fn seed_values(objects: &Objects) -> Vec<Value> {
    let mut values = Vec::with_capacity(objects.total());
    push_serialized(&mut values, &objects.namespaces);
    push_serialized(&mut values, &objects.nodes);
    push_serialized(&mut values, &objects.pods);
    push_serialized(&mut values, &objects.deployments);
    push_serialized(&mut values, &objects.replica_sets);
    push_serialized(&mut values, &objects.stateful_sets);
    push_serialized(&mut values, &objects.daemon_sets);
    push_serialized(&mut values, &objects.jobs);
    push_serialized(&mut values, &objects.cron_jobs);
    push_serialized(&mut values, &objects.pod_disruption_budgets);
    push_serialized(&mut values, &objects.events);
    push_serialized(&mut values, &objects.controller_revisions);
    values.extend(objects.others.iter().cloned());
    values
}

fn push_serialized<K: Serialize>(values: &mut Vec<Value>, objects: &[K]) {
    for object in objects {
        match serde_json::to_value(object) {
            Ok(value) => values.push(value),
            Err(error) => tracing::warn!("simulator: cannot serialise a seed object: {error}"),
        }
    }
}
