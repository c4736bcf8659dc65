//! The kinds kubesight caches, declared once: the macro below generates the store,
//! writer and loaded-object collections so that adding a kind is one line.

use k8s_openapi::api::apps::v1::{
    ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet,
};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::runtime::reflector::store::{Store, Writer};

use super::loaded::LoadedPods;
use super::pod::Pod as CachedPod;

use super::relist;

/// The store key of a namespaced object (or a cluster-scoped one when
/// `namespace` is empty).
pub fn key<K>(namespace: &str, name: &str) -> kube::runtime::reflector::ObjectRef<K>
where
    K: kube::Resource<DynamicType = ()>,
{
    let key = kube::runtime::reflector::ObjectRef::new(name);
    if namespace.is_empty() {
        key
    } else {
        key.within(namespace)
    }
}

/// Starts one watch per kind; [`Writers::spawn_each`] calls it with every writer.
pub trait WatchSpawner {
    fn spawn<K: super::live::Watchable>(&self, kind: Kind, writer: Writer<K>);
}

macro_rules! cached_kinds {
    ($( $variant:ident : $ty:ty => $field:ident : $stored:ty, $api_version:literal ),* $(,)?) => {
        /// A kind kubesight caches.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind { $($variant),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            /// The `kind` field of objects of this kind.
            pub fn name(self) -> &'static str {
                match self { $(Kind::$variant => stringify!($variant)),* }
            }

            /// The `apiVersion` objects of this kind are served at.
            pub fn api_version(self) -> &'static str {
                match self { $(Kind::$variant => $api_version),* }
            }

            /// Looks a kind up by its `apiVersion` and `kind`.
            pub fn from_type(api_version: &str, kind: &str) -> Option<Kind> {
                $(if kind == stringify!($variant) && api_version == $api_version {
                    return Some(Kind::$variant);
                })*
                None
            }

            pub(crate) fn index(self) -> usize {
                self as usize
            }
        }

        /// Read handles on every store; cheap to clone.
        #[derive(Clone)]
        pub struct Stores {
            $(pub $field: Store<$stored>,)*
            /// Pods as loaded from files, in full: the cache keeps slim pods, and
            /// a snapshot's YAML view shows the object as saved. Empty for a live
            /// source, whose YAML view reads the server.
            loaded_pods: LoadedPods,
        }

        /// The write side of every store; owned by whichever source fills the cache.
        pub struct Writers {
            $(pub $field: Writer<$stored>,)*
            loaded_pods: LoadedPods,
        }

        impl Default for Writers {
            fn default() -> Self {
                Writers { $($field: Writer::default(),)* loaded_pods: LoadedPods::default() }
            }
        }

        impl Writers {
            pub fn readers(&self) -> Stores {
                Stores { $($field: self.$field.as_reader(),)* loaded_pods: self.loaded_pods.clone() }
            }

            /// Hands every writer to `spawner`, consuming the writers.
            pub fn spawn_each(self, spawner: &impl WatchSpawner) {
                $(spawner.spawn(Kind::$variant, self.$field);)*
            }

            /// Relists every kind; returns the kinds whose stores were replaced.
            pub(crate) fn replace_all(&mut self, objects: Objects) -> Vec<Kind> {
                self.loaded_pods.replace(&objects.pods);
                $(relist(&mut self.$field, objects.$field.into_iter().map(<$stored>::from).collect());)*
                Kind::ALL.to_vec()
            }
        }

        impl Stores {
            /// The cached pod `namespace/name`, looked up by key (not by scanning).
            pub fn pod(&self, namespace: &str, name: &str) -> Option<std::sync::Arc<CachedPod>> {
                self.pods.get(&key(namespace, name))
            }

            /// The cached object of `kind` named `name` in `namespace` (empty for
            /// cluster-scoped kinds), as JSON with its apiVersion and kind. A pod
            /// loaded from a file comes in full; a watched one as the cache keeps it.
            pub fn get_value(&self, kind: Kind, namespace: &str, name: &str) -> Option<serde_json::Value> {
                if kind == Kind::Pod {
                    if let Some(full) = self.loaded_pods.get(namespace, name) {
                        return Some(full);
                    }
                }
                let mut value = match kind {
                    $(Kind::$variant => {
                        self.$field.get(&key::<$stored>(namespace, name)).and_then(|o| serde_json::to_value(&*o).ok())
                    })*
                }?;
                if let Some(object) = value.as_object_mut() {
                    object.entry("apiVersion").or_insert_with(|| kind.api_version().into());
                    object.entry("kind").or_insert_with(|| kind.name().into());
                }
                Some(value)
            }
        }

        impl Stores {
            /// The namespaces holding an object of `kind` named `name` ("" for a
            /// cluster-scoped one), sorted.
            pub fn namespaces_of(&self, kind: Kind, name: &str) -> Vec<String> {
                let mut found: Vec<String> = match kind {
                    $(Kind::$variant => self.$field.state().iter()
                        .filter(|o| o.metadata.name.as_deref() == Some(name))
                        .map(|o| o.metadata.namespace.clone().unwrap_or_default())
                        .collect()),*
                };
                found.sort();
                found
            }
        }

        impl Kind {
            /// Where the API serves this kind (group, version, plural), for requests
            /// that are not typed, such as fetching any object in full.
            pub fn api_resource(self) -> kube::core::ApiResource {
                match self { $(Kind::$variant => kube::core::ApiResource::erase::<$ty>(&())),* }
            }

            /// Whether objects of this kind live in a namespace.
            pub fn namespaced(self) -> bool {
                match self {
                    $(Kind::$variant => std::any::TypeId::of::<<$ty as kube::Resource>::Scope>()
                        == std::any::TypeId::of::<k8s_openapi::NamespaceResourceScope>()),*
                }
            }
        }

        /// Typed objects loaded from somewhere, before they enter the stores.
        #[derive(Default, Debug, Clone)]
        pub struct Objects { $(pub $field: Vec<$ty>),* }

        impl Objects {
            /// Deserialises `value` as `kind` and keeps it; managedFields are dropped
            /// here because nothing shows them and they are half of a pod's bytes.
            pub(crate) fn push_value(&mut self, kind: Kind, value: serde_json::Value) -> Result<(), serde_path_to_error::Error<serde_json::Error>> {
                match kind {
                    $(Kind::$variant => {
                        let mut object: $ty = serde_path_to_error::deserialize(value)?;
                        object.metadata.managed_fields = None;
                        self.$field.push(object);
                    })*
                }
                Ok(())
            }

            pub fn count(&self, kind: Kind) -> usize {
                match kind { $(Kind::$variant => self.$field.len()),* }
            }

            pub fn total(&self) -> usize {
                Kind::ALL.iter().map(|k| self.count(*k)).sum()
            }
        }
    };
}

cached_kinds! {
    Pod: Pod => pods: CachedPod, "v1",
    Node: Node => nodes: Node, "v1",
    Namespace: Namespace => namespaces: Namespace, "v1",
    Deployment: Deployment => deployments: Deployment, "apps/v1",
    ReplicaSet: ReplicaSet => replica_sets: ReplicaSet, "apps/v1",
    StatefulSet: StatefulSet => stateful_sets: StatefulSet, "apps/v1",
    DaemonSet: DaemonSet => daemon_sets: DaemonSet, "apps/v1",
    Job: Job => jobs: Job, "batch/v1",
    CronJob: CronJob => cron_jobs: CronJob, "batch/v1",
    PodDisruptionBudget: PodDisruptionBudget => pod_disruption_budgets: PodDisruptionBudget, "policy/v1",
    Event: Event => events: Event, "v1",
    ControllerRevision: ControllerRevision => controller_revisions: ControllerRevision, "apps/v1",
}

impl Objects {
    /// The loaded pods as the cache holds them.
    pub fn cached_pods(&self) -> Vec<CachedPod> {
        self.pods.iter().map(CachedPod::from).collect()
    }
}
