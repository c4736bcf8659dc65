//! The write side of the stores: one kube-rs reflector writer per cached kind,
//! expanded from the model's one list of kinds. Views read the same reflectors
//! through the model's [`Stores`], behind [`Reflected`].

use std::sync::Arc;

use kube::runtime::reflector::ObjectRef;
use kube::runtime::reflector::store::{Store as ReflectorStore, Writer};

use super::relist;
use kubesight_model::cluster::pod::Pod as CachedPod;
use kubesight_model::cluster::{
    Kind, LoadedPods, ObjectKey, Objects, OtherObjects, Store, StoreRead, Stores,
};
use kubesight_model::snapshot::{FullPod, Snapshot};

/// Starts one watch per kind; [`Writers::spawn_each`] calls it with every writer.
pub trait WatchSpawner {
    fn spawn<K: super::live::Watchable>(&self, kind: Kind, writer: Writer<K>);
}

/// A reflector's store as the model reads it.
struct Reflected<K: kube::Resource<DynamicType = ()> + 'static>(ReflectorStore<K>);

impl<K> StoreRead<K> for Reflected<K>
where
    K: kube::Resource<DynamicType = ()> + Clone + Send + Sync + 'static,
{
    fn state(&self) -> Vec<Arc<K>> {
        self.0.state()
    }

    fn get(&self, key: &ObjectKey) -> Option<Arc<K>> {
        let mut reference = ObjectRef::new(&key.name);
        if let Some(namespace) = &key.namespace {
            reference = reference.within(namespace);
        }
        self.0.get(&reference)
    }
}

fn reader<K>(writer: &Writer<K>) -> Store<K>
where
    K: kube::Resource<DynamicType = ()> + Clone + Send + Sync + 'static,
{
    Store::new(Reflected(writer.as_reader()))
}

macro_rules! writers {
    ($( $variant:ident : $ty:ty => $field:ident : $stored:ty, $api_version:literal ),* $(,)?) => {
        /// The write side of every store; owned by whichever source fills the cache.
        pub struct Writers {
            $(pub $field: Writer<$stored>,)*
            loaded_pods: LoadedPods,
            others: OtherObjects,
        }

        impl Default for Writers {
            fn default() -> Self {
                Writers {
                    $($field: Writer::default(),)*
                    loaded_pods: LoadedPods::default(),
                    others: OtherObjects::default(),
                }
            }
        }

        impl Writers {
            pub fn readers(&self) -> Stores {
                Stores {
                    $($field: reader(&self.$field),)*
                    loaded_pods: self.loaded_pods.clone(),
                    others: self.others.clone(),
                }
            }

            /// Hands every writer to `spawner`, consuming the writers.
            pub fn spawn_each(self, spawner: &impl WatchSpawner) {
                $(spawner.spawn(Kind::$variant, self.$field);)*
            }

            /// Relists every kind; returns the kinds whose stores were replaced.
            pub(crate) fn replace_all(&mut self, objects: Objects) -> Vec<Kind> {
                self.loaded_pods.replace(&objects.pods);
                self.others.replace(objects.others);
                $(relist(&mut self.$field, objects.$field.into_iter().map(<$stored>::from).collect());)*
                Kind::ALL.to_vec()
            }

            /// Relists every kind from a snapshot loaded slim: its pods are
            /// already in the cache's form, their full objects kept as text.
            pub(crate) fn replace_all_loaded(&mut self, snapshot: Snapshot) -> Vec<Kind> {
                let Snapshot { mut objects, mut slim_pods, mut full_pods, .. } = snapshot;
                // Pods loaded in full, if any, join the slim ones.
                for pod in std::mem::take(&mut objects.pods) {
                    if let (Some(name), Ok(json)) = (pod.metadata.name.clone(), serde_json::to_string(&pod)) {
                        full_pods.push(FullPod {
                            namespace: pod.metadata.namespace.clone().unwrap_or_default(),
                            name,
                            json: json.into_boxed_str(),
                        });
                    }
                    slim_pods.push(CachedPod::from(&pod));
                }
                let replaced = self.replace_all(objects);
                self.loaded_pods.replace_json(full_pods);
                relist(&mut self.pods, slim_pods);
                replaced
            }
        }

        /// Where the API serves `kind` (group, version, plural), for requests that
        /// are not typed, such as fetching any object in full.
        pub fn api_resource(kind: Kind) -> kube::core::ApiResource {
            match kind { $(Kind::$variant => kube::core::ApiResource::erase::<$ty>(&())),* }
        }
    };
}

kubesight_model::for_each_cached_kind!(writers);
