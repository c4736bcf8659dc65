//! The live source: one kube-rs watcher per kind feeding that kind's reflector
//! store, with bookmarks, managedFields dropped before storing, and an honest
//! freshness report. The initial state comes as a streaming list where the server
//! offers one, else in kubectl's pages. Falls back to the user's namespace when a
//! kind may not be listed cluster-wide.

use std::time::Duration;

use futures::StreamExt;
use jiff::SignedDuration;
use k8s_openapi::{ClusterResourceScope, NamespaceResourceScope};
use kube::runtime::reflector::store::Writer;
use kube::runtime::watcher::{self, DefaultBackoff, Event, watcher};
use kube::runtime::{WatchStreamExt, utils::Backoff};
use kube::{Api, Client, Resource};
use serde::de::DeserializeOwned;
use tokio::sync::watch;

use super::{ChangeNotifier, Freshness, FreshnessBoard, Kind, Scope, WatchSpawner, Writers};
use crate::clock::Clock;

/// Builds the API handle for a kind in a scope; only namespaced kinds can be
/// narrowed to a namespace.
pub trait ScopeApi {
    const NAMESPACED: bool;
    fn api<K>(client: Client, namespace: Option<&str>) -> Api<K>
    where
        K: Resource<Scope = Self, DynamicType = ()>;
}

impl ScopeApi for NamespaceResourceScope {
    const NAMESPACED: bool = true;
    fn api<K>(client: Client, namespace: Option<&str>) -> Api<K>
    where
        K: Resource<Scope = Self, DynamicType = ()>,
    {
        match namespace {
            Some(ns) => Api::namespaced(client, ns),
            None => Api::all(client),
        }
    }
}

impl ScopeApi for ClusterResourceScope {
    const NAMESPACED: bool = false;
    fn api<K>(client: Client, _: Option<&str>) -> Api<K>
    where
        K: Resource<Scope = Self, DynamicType = ()>,
    {
        Api::all(client)
    }
}

/// What a kind needs for kube-rs to watch it into a reflector store.
pub trait Watchable:
    Resource<DynamicType = (), Scope: ScopeApi>
    + Clone
    + DeserializeOwned
    + std::fmt::Debug
    + Send
    + Sync
    + 'static
{
}

impl<K> Watchable for K where
    K: Resource<DynamicType = (), Scope: ScopeApi>
        + Clone
        + DeserializeOwned
        + std::fmt::Debug
        + Send
        + Sync
        + 'static
{
}

/// How long to wait before asking again for a kind we may not read.
const FORBIDDEN_RETRY: Duration = Duration::from_secs(60);

/// What the live source needs to know about the user's scope.
#[derive(Clone)]
pub struct LiveSource {
    pub client: Client,
    /// `-n`: watch only this namespace.
    pub only_namespace: Option<String>,
    /// The namespace to fall back to when cluster-wide listing is forbidden (the
    /// context's namespace).
    pub fallback_namespace: String,
    pub freshness: FreshnessBoard,
    pub changes: ChangeNotifier,
    /// The app's clock, so "stale since" and "retrying in" read right on screen.
    pub clock: Clock,
    /// How a server that stopped answering is noticed.
    pub liveness: Liveness,
}

/// How the source notices a server that stopped answering. A watch on a quiet
/// cluster is silent for minutes and a stopped server keeps its connections
/// open, so silence proves nothing: every `interval`, `GET /version` must answer
/// within `timeout`, or every kind is marked stale and its watch restarted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Liveness {
    pub interval: Duration,
    pub timeout: Duration,
}

impl Default for Liveness {
    /// A frozen server is shown stale within 20 s.
    fn default() -> Self {
        Liveness {
            interval: Duration::from_secs(10),
            timeout: Duration::from_secs(10),
        }
    }
}

impl LiveSource {
    /// Starts a watcher for every kind, and the liveness probe, on the current
    /// tokio runtime.
    pub fn start(self, writers: Writers) {
        let (reconnect, _) = watch::channel(0u64);
        let watching = Watching {
            reconnect: reconnect.subscribe(),
            source: self.clone(),
        };
        writers.spawn_each(&watching);
        tokio::spawn(probe(self, reconnect));
    }
}

/// What each kind's watch task gets: the source, and the probe's signal to drop
/// its connection and start again (bumped when the server stops answering and
/// when it answers again).
struct Watching {
    source: LiveSource,
    reconnect: watch::Receiver<u64>,
}

impl WatchSpawner for Watching {
    fn spawn<K: Watchable>(&self, kind: Kind, writer: Writer<K>) {
        tokio::spawn(watch_kind(
            self.source.clone(),
            self.reconnect.clone(),
            kind,
            writer,
        ));
    }
}

/// Asks the server for its version every `interval`. An API error is an answer;
/// a timeout or a failed connection is not.
async fn probe(source: LiveSource, reconnect: watch::Sender<u64>) {
    let Liveness { interval, timeout } = source.liveness;
    let mut silent_since: Option<jiff::Timestamp> = None;
    loop {
        tokio::time::sleep(interval).await;
        let asked = source.clock.now();
        let answered = match tokio::time::timeout(timeout, source.client.apiserver_version()).await
        {
            Ok(Ok(_)) | Ok(Err(kube::Error::Api(_))) => true,
            Ok(Err(error)) => {
                tracing::debug!(%error, "liveness probe failed");
                false
            }
            Err(_) => false,
        };
        if answered {
            if silent_since.take().is_some() {
                tracing::info!("the API server answers again; reconnecting");
                // Watches stuck on the silent server start over now, not after
                // their backoff.
                reconnect.send_modify(|n| *n = n.wrapping_add(1));
            }
            continue;
        }
        let first = silent_since.is_none();
        let since = *silent_since.get_or_insert(asked);
        let silent = source.clock.now().duration_since(since);
        let reason = format!(
            "the API server has not answered for {}s (GET /version)",
            silent.as_secs().max(timeout.as_secs() as i64)
        );
        if first {
            tracing::warn!(%reason, "the API server stopped answering");
        }
        for kind in Kind::ALL {
            source.freshness.update(*kind, |s| {
                let since = match &s.freshness {
                    Freshness::Live | Freshness::Syncing { .. } => since,
                    Freshness::Stale { since, .. } => *since,
                    Freshness::Static | Freshness::Forbidden { .. } => return,
                };
                s.freshness = Freshness::Stale {
                    since,
                    reason: reason.clone(),
                };
            });
            source.changes.notify(*kind);
        }
        if first {
            // Their streams are as silent as the probe; new ones wait in line
            // for the server and list afresh when it is back.
            reconnect.send_modify(|n| *n = n.wrapping_add(1));
        }
    }
}

/// How a kind's current objects are read before watching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InitialList {
    /// One watch that sends every object as ADDED, then a bookmark
    /// (`sendInitialEvents`, Kubernetes 1.32's default). Objects are decoded while
    /// the server is still sending, where a paginated list waits for each page.
    Streaming,
    /// kubectl's paginated list (pages of 500), for servers that refuse streaming.
    Paginated,
}

impl InitialList {
    fn config(self) -> watcher::Config {
        match self {
            InitialList::Streaming => watcher::Config::default().streaming_lists(),
            InitialList::Paginated => watcher::Config::default(),
        }
    }
}

enum Outcome {
    Forbidden(String),
    /// The server refused a streaming list: a 422 naming `sendInitialEvents` or
    /// `resourceVersionMatch` (WatchList off, or older than 1.27), or an ERROR
    /// event with a 500 before the first bookmark (a 1.32 server on etcd older
    /// than 3.5.13: `the required storage feature RequestWatchProgress is
    /// disabled`).
    StreamingRefused(String),
    /// A list or watch failed; the store keeps its last contents, marked stale.
    Failed,
    /// The liveness probe asked for a new connection.
    Reconnect,
    Ended,
}

async fn watch_kind<K: Watchable>(
    source: LiveSource,
    mut reconnect: watch::Receiver<u64>,
    kind: Kind,
    mut writer: Writer<K>,
) {
    let namespaced = <K::Scope as ScopeApi>::NAMESPACED;
    let mut scope = match (&source.only_namespace, namespaced) {
        (Some(ns), true) => Scope::Namespace(ns.clone()),
        _ => Scope::Cluster,
    };
    source.freshness.update(kind, |s| s.scope = scope.clone());
    // kube-rs's default backoff (0.8 s doubling to 30 s, with jitter), reset by a
    // successful list.
    let mut backoff = DefaultBackoff::default();
    let mut initial = InitialList::Streaming;
    loop {
        reconnect.mark_unchanged();
        let outcome = tokio::select! {
            outcome = run_watch(&source, kind, &scope, initial, &mut writer, &mut backoff) => outcome,
            _ = reconnect.changed() => Outcome::Reconnect,
        };
        match outcome {
            Outcome::Reconnect => backoff.reset(),
            Outcome::StreamingRefused(reason) => {
                // One line for the whole source: every kind meets the same refusal.
                static LOGGED: std::sync::Once = std::sync::Once::new();
                LOGGED.call_once(|| {
                    tracing::info!(%reason, "streaming lists refused; listing in pages");
                });
                initial = InitialList::Paginated;
            }
            Outcome::Forbidden(reason) if namespaced && scope == Scope::Cluster => {
                tracing::info!(kind = kind.name(), %reason, "cluster-wide list forbidden; watching one namespace");
                scope = Scope::Namespace(source.fallback_namespace.clone());
                let narrowed = format!(
                    "cannot list cluster-wide ({reason}); showing namespace {}",
                    source.fallback_namespace
                );
                source.freshness.update(kind, |s| {
                    s.scope = scope.clone();
                    s.narrowed = Some(narrowed);
                });
            }
            Outcome::Forbidden(reason) => {
                source.freshness.update(kind, |s| {
                    s.freshness = Freshness::Forbidden { reason };
                    s.retry_at = None;
                });
                source.changes.notify(kind);
                tokio::time::sleep(FORBIDDEN_RETRY).await;
            }
            Outcome::Failed => {
                // The next attempt starts a fresh watcher: its list ends in a
                // clear "live again", where a silently resumed watch would not.
                let delay = backoff.next().unwrap_or(Duration::from_secs(30));
                let retry_at = SignedDuration::try_from(delay)
                    .ok()
                    .and_then(|d| source.clock.now().checked_add(d).ok());
                source.freshness.update(kind, |s| s.retry_at = retry_at);
                source.changes.notify(kind);
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    // The server answers again: no need to wait out the backoff.
                    _ = reconnect.changed() => backoff.reset(),
                }
            }
            Outcome::Ended => return,
        }
    }
}

async fn run_watch<K>(
    source: &LiveSource,
    kind: Kind,
    scope: &Scope,
    initial: InitialList,
    writer: &mut Writer<K>,
    backoff: &mut DefaultBackoff,
) -> Outcome
where
    K: Watchable,
{
    let namespace = match scope {
        Scope::Namespace(ns) => Some(ns.as_str()),
        Scope::Cluster => None,
    };
    let api: Api<K> = <K::Scope as ScopeApi>::api(source.client.clone(), namespace);
    let stream = watcher(api, initial.config())
        .modify(|object: &mut K| object.meta_mut().managed_fields = None);
    let mut stream = std::pin::pin!(stream);
    let mut listed = 0usize;
    let mut initial_done = false;
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => {
                if matches!(event, Event::InitDone) {
                    backoff.reset();
                    initial_done = true;
                }
                let changed = track(&source.freshness, kind, &event, &mut listed);
                writer.apply_watcher_event(&event);
                if changed {
                    source.changes.notify(kind);
                }
            }
            Err(error) => {
                if let Some(reason) = forbidden(&error) {
                    return Outcome::Forbidden(reason);
                }
                if initial == InitialList::Streaming
                    && let Some(reason) = streaming_refused(&error, initial_done)
                {
                    return Outcome::StreamingRefused(reason);
                }
                let reason = describe(&error);
                tracing::warn!(kind = kind.name(), %reason, "watch failed");
                source.freshness.update(kind, |s| {
                    let since = match &s.freshness {
                        Freshness::Stale { since, .. } => *since,
                        _ => source.clock.now(),
                    };
                    s.freshness = Freshness::Stale { since, reason };
                });
                return Outcome::Failed;
            }
        }
    }
    Outcome::Ended
}

/// Updates freshness for one watcher event; returns whether the store's visible
/// contents change (the store only swaps in a relist at `InitDone`).
fn track<K>(freshness: &FreshnessBoard, kind: Kind, event: &Event<K>, listed: &mut usize) -> bool {
    match event {
        Event::Init => {
            *listed = 0;
            freshness.update(kind, |s| {
                // A relist after a failure still shows the old data: stay stale.
                if !matches!(s.freshness, Freshness::Stale { .. }) {
                    s.freshness = Freshness::Syncing { objects: 0 };
                }
            });
            false
        }
        Event::InitApply(_) => {
            *listed += 1;
            let objects = *listed;
            // Progress for the header, without taking the lock for every object.
            if objects % 500 == 0 {
                freshness.update(kind, |s| {
                    if let Freshness::Syncing { objects: n } = &mut s.freshness {
                        *n = objects;
                    }
                });
            }
            objects % 500 == 0
        }
        Event::InitDone | Event::Apply(_) | Event::Delete(_) => {
            freshness.update(kind, |s| {
                s.freshness = Freshness::Live;
                s.retry_at = None;
                s.listed = true;
            });
            true
        }
    }
}

fn api_status(error: &watcher::Error) -> Option<&kube::core::Status> {
    match error {
        watcher::Error::InitialListFailed(kube::Error::Api(status))
        | watcher::Error::WatchStartFailed(kube::Error::Api(status))
        | watcher::Error::WatchFailed(kube::Error::Api(status)) => Some(status),
        watcher::Error::WatchError(status) => Some(status),
        _ => None,
    }
}

/// Whether the server refused the streaming list itself, so that kubectl's
/// pages will do: a 422 (or a 400 from a proxy in front of an older server) for
/// the watch's own options, or a 500 before the initial events were complete
/// (what a server without watch progress support answers, as an ERROR event).
fn streaming_refused(error: &watcher::Error, initial_done: bool) -> Option<String> {
    api_status(error)
        .filter(|s| s.code == 422 || s.code == 400 || (s.code == 500 && !initial_done))
        .map(|s| s.message.clone())
}

fn forbidden(error: &watcher::Error) -> Option<String> {
    api_status(error)
        .filter(|s| s.code == 403)
        .map(|s| s.message.clone())
}

/// One line for the header: what failed, and the innermost cause (the server's
/// message for API errors, "Connection refused" for a dead server).
pub fn describe(error: &watcher::Error) -> String {
    let what = match error {
        watcher::Error::InitialListFailed(_) => "list failed",
        watcher::Error::WatchStartFailed(_) | watcher::Error::WatchFailed(_) => "watch failed",
        watcher::Error::WatchError(_) => "watch error",
        _ => "watch failed",
    };
    if let Some(status) = api_status(error) {
        return format!("{what}: {} ({})", status.message, status.code);
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    format!("{what}: {cause}")
}
