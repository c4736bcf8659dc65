//! The drain's view of pods: one kube watcher per namespace the drained pods
//! live in (a user who may only list some namespaces can still drain), merged
//! into one stream and folded into a snapshot. A watch rather than kubectl's
//! 1 s polling GETs (`waitForDelete`): a pod's disappearance is seen the moment
//! the server reports it, replacements (new pods of the same controller, on
//! other nodes) are seen without listing namespaces repeatedly, and the
//! watcher's relist after a dropped connection or a 410 rebuilds the snapshot,
//! so a deletion missed while disconnected is still noticed.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::cache::pod::Pod;
use futures::stream::{BoxStream, SelectAll, StreamExt};
use kube::Api;
use kube::runtime::WatchStreamExt;
use kube::runtime::watcher::{self, Event};

type Key = (String, String);

/// Pods of the watched namespaces as the server last reported them.
#[derive(Default)]
pub struct Snapshot {
    pods: HashMap<Key, Pod>,
    /// Namespaces whose initial list is complete: only there does an absent
    /// pod mean a gone pod.
    ready: HashSet<String>,
    /// A relist in progress, per namespace, swapped in at `InitDone`.
    relisting: HashMap<String, HashMap<Key, Pod>>,
}

impl Snapshot {
    pub fn is_ready(&self, namespace: &str) -> bool {
        self.ready.contains(namespace)
    }

    pub fn get(&self, namespace: &str, name: &str) -> Option<&Pod> {
        self.pods.get(&(namespace.to_string(), name.to_string()))
    }

    pub fn pods(&self) -> impl Iterator<Item = &Pod> {
        self.pods.values()
    }

    /// A listed snapshot of `pods` in `namespace`, for tests.
    #[cfg(test)]
    pub fn listed(namespace: &str, pods: Vec<Pod>) -> Snapshot {
        let mut snapshot = Snapshot::default();
        snapshot.apply(namespace, Event::Init);
        for pod in pods {
            snapshot.apply(namespace, Event::InitApply(pod));
        }
        snapshot.apply(namespace, Event::InitDone);
        snapshot
    }

    fn apply(&mut self, namespace: &str, event: Event<Pod>) {
        match event {
            Event::Init => {
                self.relisting.insert(namespace.to_string(), HashMap::new());
            }
            Event::InitApply(pod) => {
                if let Some(key) = key_of(&pod) {
                    self.relisting
                        .entry(namespace.to_string())
                        .or_default()
                        .insert(key, pod);
                }
            }
            Event::InitDone => {
                let fresh = self.relisting.remove(namespace).unwrap_or_default();
                self.pods.retain(|(ns, _), _| ns != namespace);
                self.pods.extend(fresh);
                self.ready.insert(namespace.to_string());
            }
            Event::Apply(pod) => {
                if let Some(key) = key_of(&pod) {
                    self.pods.insert(key, pod);
                }
            }
            Event::Delete(pod) => {
                if let Some(key) = key_of(&pod) {
                    self.pods.remove(&key);
                }
            }
        }
    }
}

fn key_of(pod: &Pod) -> Option<Key> {
    Some((pod.metadata.namespace.clone()?, pod.metadata.name.clone()?))
}

type Tagged = (String, Result<Event<Pod>, watcher::Error>);

/// The merged watch and its snapshot.
pub struct PodWatch {
    streams: SelectAll<BoxStream<'static, Tagged>>,
    snapshot: Snapshot,
}

impl PodWatch {
    /// Starts one watcher per namespace (they connect when first polled).
    pub fn start(client: &kube::Client, namespaces: &BTreeSet<String>) -> PodWatch {
        let mut streams = SelectAll::new();
        for namespace in namespaces {
            let api: Api<Pod> = Api::namespaced(client.clone(), namespace);
            let tag = namespace.clone();
            let stream = watcher(api).map(move |event| (tag.clone(), event)).boxed();
            streams.push(stream);
        }
        PodWatch {
            streams,
            snapshot: Snapshot::default(),
        }
    }

    /// Waits for the next change and folds it in, or returns the namespace
    /// and error of a failed watch (the watcher retries with backoff).
    /// Pending forever once every stream has ended.
    pub async fn next(&mut self) -> Option<(String, String)> {
        match self.streams.next().await {
            Some((namespace, Ok(event))) => {
                self.snapshot.apply(&namespace, event);
                None
            }
            Some((namespace, Err(error))) => {
                tracing::debug!("drain: pod watch in {namespace}: {error}");
                Some((namespace, error.to_string()))
            }
            None => std::future::pending().await,
        }
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }
}

fn watcher(api: Api<Pod>) -> BoxStream<'static, Result<Event<Pod>, watcher::Error>> {
    watcher::watcher(api, watcher::Config::default())
        .default_backoff()
        .boxed()
}

/// The namespaces of a set of pods, for [`PodWatch::start`].
pub fn namespaces<'a>(keys: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    keys.map(str::to_string).collect()
}
