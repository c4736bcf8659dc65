//! Read access to one kind's objects, whichever source fills them: the app's
//! watch reflectors behind [`Store::new`], or a fixed set in tests, benchmarks and
//! anything else that holds objects without watching ([`Store::fixed`]). Views
//! only ever read, so this is all the model needs to know about a store.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::Metadata;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Where one object lives: its namespace (none when cluster-scoped) and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey {
    pub namespace: Option<String>,
    pub name: String,
}

/// The store key of a namespaced object (or a cluster-scoped one when
/// `namespace` is empty).
pub fn key(namespace: &str, name: &str) -> ObjectKey {
    ObjectKey {
        namespace: (!namespace.is_empty()).then(|| namespace.to_string()),
        name: name.to_string(),
    }
}

/// What a store must answer: every object, or one by key.
pub trait StoreRead<K>: Send + Sync {
    fn state(&self) -> Vec<Arc<K>>;
    fn get(&self, key: &ObjectKey) -> Option<Arc<K>>;
}

/// A read handle on one kind's objects; cheap to clone.
pub struct Store<K>(Arc<dyn StoreRead<K>>);

impl<K> Clone for Store<K> {
    fn clone(&self) -> Self {
        Store(self.0.clone())
    }
}

impl<K> Store<K> {
    /// A handle on a store kept elsewhere (a reflector).
    pub fn new(reader: impl StoreRead<K> + 'static) -> Self {
        Store(Arc::new(reader))
    }

    /// Every object, in no particular order.
    pub fn state(&self) -> Vec<Arc<K>> {
        self.0.state()
    }

    pub fn get(&self, key: &ObjectKey) -> Option<Arc<K>> {
        self.0.get(key)
    }
}

impl<K> Store<K>
where
    K: Metadata<Ty = ObjectMeta> + Send + Sync + 'static,
{
    /// A store holding exactly `objects`, keyed as a reflector keys them.
    pub fn fixed(objects: Vec<K>) -> Self {
        let map: BTreeMap<ObjectKey, Arc<K>> = objects
            .into_iter()
            .map(|object| {
                let meta = object.metadata();
                let key = ObjectKey {
                    namespace: meta.namespace.clone(),
                    name: meta.name.clone().unwrap_or_default(),
                };
                (key, Arc::new(object))
            })
            .collect();
        Store(Arc::new(Fixed(map)))
    }
}

struct Fixed<K>(BTreeMap<ObjectKey, Arc<K>>);

impl<K: Send + Sync> StoreRead<K> for Fixed<K> {
    fn state(&self) -> Vec<Arc<K>> {
        self.0.values().cloned().collect()
    }

    fn get(&self, key: &ObjectKey) -> Option<Arc<K>> {
        self.0.get(key).cloned()
    }
}
