//! The kinds kubesight caches, declared once in [`for_each_cached_kind!`]: the model
//! expands it into the kind enum, the read side of the stores and the loaded-object
//! collections; the app expands the same list into the writers that fill the stores.
//! Adding a kind is one line.

use super::Store;
use super::loaded::{LoadedPods, OtherObjects};
use super::pod::Pod as CachedPod;
use super::store::key;

/// Calls `$callback!` with every cached kind as `Variant: FullType => field:
/// StoredType, "apiVersion"`, so that each crate generates its part from one list.
#[macro_export]
macro_rules! for_each_cached_kind {
    ($callback:ident) => {
        $callback! {
            Pod: ::k8s_openapi::api::core::v1::Pod => pods: $crate::cluster::pod::Pod, "v1",
            Node: ::k8s_openapi::api::core::v1::Node => nodes: ::k8s_openapi::api::core::v1::Node, "v1",
            Namespace: ::k8s_openapi::api::core::v1::Namespace => namespaces: ::k8s_openapi::api::core::v1::Namespace, "v1",
            Deployment: ::k8s_openapi::api::apps::v1::Deployment => deployments: ::k8s_openapi::api::apps::v1::Deployment, "apps/v1",
            ReplicaSet: ::k8s_openapi::api::apps::v1::ReplicaSet => replica_sets: ::k8s_openapi::api::apps::v1::ReplicaSet, "apps/v1",
            StatefulSet: ::k8s_openapi::api::apps::v1::StatefulSet => stateful_sets: ::k8s_openapi::api::apps::v1::StatefulSet, "apps/v1",
            DaemonSet: ::k8s_openapi::api::apps::v1::DaemonSet => daemon_sets: ::k8s_openapi::api::apps::v1::DaemonSet, "apps/v1",
            Job: ::k8s_openapi::api::batch::v1::Job => jobs: ::k8s_openapi::api::batch::v1::Job, "batch/v1",
            CronJob: ::k8s_openapi::api::batch::v1::CronJob => cron_jobs: ::k8s_openapi::api::batch::v1::CronJob, "batch/v1",
            PodDisruptionBudget: ::k8s_openapi::api::policy::v1::PodDisruptionBudget => pod_disruption_budgets: ::k8s_openapi::api::policy::v1::PodDisruptionBudget, "policy/v1",
            Event: ::k8s_openapi::api::core::v1::Event => events: ::k8s_openapi::api::core::v1::Event, "v1",
            ControllerRevision: ::k8s_openapi::api::apps::v1::ControllerRevision => controller_revisions: ::k8s_openapi::api::apps::v1::ControllerRevision, "apps/v1",
        }
    };
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

            /// The kind's position in [`Kind::ALL`], for per-kind tables and sets.
            pub fn index(self) -> usize {
                self as usize
            }

            /// The resource's plural, as in its URL path (`pods`, `replicasets`).
            pub fn plural(self) -> &'static str {
                match self { $(Kind::$variant => <$ty as k8s_openapi::Resource>::URL_PATH_SEGMENT),* }
            }

            /// Whether objects of this kind live in a namespace.
            pub fn namespaced(self) -> bool {
                match self {
                    $(Kind::$variant => std::any::TypeId::of::<<$ty as k8s_openapi::Resource>::Scope>()
                        == std::any::TypeId::of::<k8s_openapi::NamespaceResourceScope>()),*
                }
            }
        }

        /// Read handles on every store; cheap to clone.
        #[derive(Clone)]
        pub struct Stores {
            $(pub $field: Store<$stored>,)*
            /// Pods as loaded from files, in full: the cache keeps slim pods, and
            /// a snapshot's YAML view shows the object as saved. Empty for a live
            /// source, whose YAML view reads the server.
            pub loaded_pods: LoadedPods,
            /// Objects of kinds without a store, as loaded from files (a live
            /// source streams those kinds' Tables instead).
            pub others: OtherObjects,
        }

        impl Stores {
            /// Stores holding exactly `objects`, as after a relist; nothing watches
            /// them. For tests, benchmarks and one-shot renders.
            pub fn from_objects(objects: Objects) -> Stores {
                let loaded_pods = LoadedPods::default();
                loaded_pods.replace(&objects.pods);
                Stores {
                    $($field: Store::fixed(objects.$field.into_iter().map(<$stored>::from).collect()),)*
                    loaded_pods,
                    others: {
                        let others = OtherObjects::default();
                        others.replace(objects.others);
                        others
                    },
                }
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
                        self.$field.get(&key(namespace, name)).and_then(|o| serde_json::to_value(&*o).ok())
                    })*
                }?;
                if let Some(object) = value.as_object_mut() {
                    object.entry("apiVersion").or_insert_with(|| kind.api_version().into());
                    object.entry("kind").or_insert_with(|| kind.name().into());
                }
                Some(value)
            }

            /// Every object of `kind` as JSON with its apiVersion and kind, handed
            /// to `each` one at a time (a snapshot of 50,000 pods is never held
            /// as JSON all at once). Pods loaded from files come in full.
            pub fn for_each_value(&self, kind: Kind, mut each: impl FnMut(serde_json::Value)) {
                match kind {
                    $(Kind::$variant => {
                        for object in self.$field.state() {
                            let namespace = object.metadata.namespace.as_deref().unwrap_or("");
                            let name = object.metadata.name.as_deref().unwrap_or("");
                            let full = if kind == Kind::Pod {
                                self.loaded_pods.get(namespace, name)
                            } else {
                                None
                            };
                            let Some(mut value) = full.or_else(|| serde_json::to_value(&*object).ok()) else {
                                continue;
                            };
                            if let Some(fields) = value.as_object_mut() {
                                fields.entry("apiVersion").or_insert_with(|| kind.api_version().into());
                                fields.entry("kind").or_insert_with(|| kind.name().into());
                            }
                            each(value);
                        }
                    })*
                }
            }

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

        /// Typed objects loaded from somewhere, before they enter the stores;
        /// objects of every other kind as JSON (`others`), for the generic
        /// tables.
        #[derive(Default, Debug, Clone)]
        pub struct Objects {
            $(pub $field: Vec<$ty>,)*
            pub others: Vec<serde_json::Value>,
        }

        impl Objects {
            /// Deserialises `value` as `kind` and keeps it; managedFields are dropped
            /// here because nothing shows them and they are half of a pod's bytes.
            pub fn push_value(&mut self, kind: Kind, value: serde_json::Value) -> Result<(), serde_path_to_error::Error<serde_json::Error>> {
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
                Kind::ALL.iter().map(|k| self.count(*k)).sum::<usize>() + self.others.len()
            }
        }
    };
}

crate::for_each_cached_kind!(cached_kinds);

impl Stores {
    /// The cached pod `namespace/name`, looked up by key (not by scanning).
    pub fn pod(&self, namespace: &str, name: &str) -> Option<std::sync::Arc<CachedPod>> {
        self.pods.get(&key(namespace, name))
    }
}

impl Objects {
    /// The loaded pods as the cache holds them.
    pub fn cached_pods(&self) -> Vec<CachedPod> {
        self.pods.iter().map(CachedPod::from).collect()
    }
}
