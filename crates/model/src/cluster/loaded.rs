//! Pods as a snapshot file holds them, in full, beside the slim pods of the
//! cache: what the YAML view of a file shows.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use k8s_openapi::api::core::v1::Pod;
use serde_json::Value;

use crate::snapshot::FullPod;

/// Full pods by (namespace, name), as compact JSON text (a fifth of a parsed
/// tree's size), shared by the writers and every reader.
#[derive(Clone, Default)]
pub struct LoadedPods(Arc<RwLock<PodTexts>>);

/// Compact JSON by (namespace, name).
type PodTexts = HashMap<(String, String), Box<str>>;

impl LoadedPods {
    /// Replaces the kept pods by `pods`, as a relist replaces a store.
    pub fn replace(&self, pods: &[Pod]) {
        self.replace_json(pods.iter().filter_map(|pod| {
            Some(FullPod {
                namespace: pod.metadata.namespace.clone().unwrap_or_default(),
                name: pod.metadata.name.clone()?,
                json: serde_json::to_string(pod).ok()?.into_boxed_str(),
            })
        }));
    }

    /// Replaces the kept pods by pods already in JSON.
    pub fn replace_json(&self, pods: impl IntoIterator<Item = FullPod>) {
        let kept: PodTexts = pods
            .into_iter()
            .map(|pod| ((pod.namespace, pod.name), pod.json))
            .collect();
        // A poisoned lock only means a reader panicked; the map is still whole.
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        *map = kept;
    }

    pub fn get(&self, namespace: &str, name: &str) -> Option<Value> {
        let map = self.0.read().unwrap_or_else(|e| e.into_inner());
        let json = map.get(&(namespace.to_string(), name.to_string()))?;
        serde_json::from_str(json).ok()
    }
}

/// Objects of kinds without a store of their own, as loaded from files: the
/// generic tables print them. Shared by the writers and every reader, and
/// replaced whole when the files are loaded again.
#[derive(Clone, Default)]
pub struct OtherObjects(Arc<RwLock<Arc<[serde_json::Value]>>>);

impl OtherObjects {
    pub fn replace(&self, objects: Vec<serde_json::Value>) {
        *self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = objects.into();
    }

    /// Every object kept, cheaply (a reference count).
    pub fn all(&self) -> Arc<[serde_json::Value]> {
        self.0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}
