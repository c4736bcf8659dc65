//! The one shared state: a kube-rs reflector store per kind. Every source (saved
//! snapshots now, live watchers and the simulator later) fills the very same stores
//! through their [`Writer`]s, and views read them without touching the network.

pub mod capture;
pub mod connect;
pub mod live;
mod notify;
pub mod snapshot;
mod writers;

pub use kubesight_model::cluster::{
    Freshness, FreshnessBoard, Kind, KindStatus, Objects, Scope, Stores, freshness, key, pod,
};
pub use notify::{ChangeNotifier, KindSet};
pub use writers::{WatchSpawner, Writers, api_resource};

use kube::runtime::watcher;

/// Readers for the views, the notifier they wait on, and how fresh each store is.
#[derive(Clone)]
pub struct Cache {
    pub stores: Stores,
    pub changes: ChangeNotifier,
    pub freshness: FreshnessBoard,
}

/// Creates an empty cache and the writers that fill it. `initial` is what every
/// store's freshness starts as: `Static` for files, `Syncing` for a live source.
pub fn new_cache_with(initial: Freshness) -> (Cache, Writers) {
    let writers = Writers::default();
    let cache = Cache {
        stores: writers.readers(),
        changes: ChangeNotifier::default(),
        freshness: FreshnessBoard::new(initial),
    };
    (cache, writers)
}

/// An empty cache for objects loaded from files.
pub fn new_cache() -> (Cache, Writers) {
    new_cache_with(Freshness::Static)
}

impl Cache {
    /// Loads a snapshot read with [`snapshot::load_path`] (pods already slim),
    /// replacing whatever each store held.
    pub fn replace_with_snapshot(&self, writers: &mut Writers, loaded: snapshot::Snapshot) {
        for kind in writers.replace_all_loaded(loaded) {
            self.changes.notify(kind);
        }
    }

    /// Loads a complete set of objects, replacing whatever each store held, as a
    /// watcher's initial list does (Init, InitApply…, InitDone). Readers see each
    /// kind switch from the old contents to the new in one step.
    pub fn replace_all(&self, writers: &mut Writers, objects: Objects) {
        let changed = writers.replace_all(objects);
        for kind in changed {
            self.changes.notify(kind);
        }
    }
}

/// Feeds `objects` into `writer` as a complete relist.
pub(crate) fn relist<K>(writer: &mut kube::runtime::reflector::store::Writer<K>, objects: Vec<K>)
where
    K: kube::Resource + Clone + 'static,
    K::DynamicType: Eq + std::hash::Hash + Clone + Default,
{
    writer.apply_watcher_event(&watcher::Event::Init);
    for object in objects {
        writer.apply_watcher_event(&watcher::Event::InitApply(object));
    }
    writer.apply_watcher_event(&watcher::Event::InitDone);
}
