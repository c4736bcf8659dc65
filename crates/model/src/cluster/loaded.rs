//! Pods as a snapshot file holds them, in full, beside the slim pods of the
//! cache: what the YAML view of a file shows.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use k8s_openapi::api::core::v1::Pod;
use serde_json::Value;

/// Full pods by (namespace, name), shared by the writers and every reader.
#[derive(Clone, Default)]
pub struct LoadedPods(Arc<RwLock<HashMap<(String, String), Value>>>);

impl LoadedPods {
    /// Replaces the kept pods by `pods`, as a relist replaces a store.
    pub fn replace(&self, pods: &[Pod]) {
        let kept: HashMap<(String, String), Value> = pods
            .iter()
            .filter_map(|pod| {
                let namespace = pod.metadata.namespace.clone().unwrap_or_default();
                let name = pod.metadata.name.clone()?;
                Some(((namespace, name), serde_json::to_value(pod).ok()?))
            })
            .collect();
        // A poisoned lock only means a reader panicked; the map is still whole.
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        *map = kept;
    }

    pub fn get(&self, namespace: &str, name: &str) -> Option<Value> {
        let map = self.0.read().unwrap_or_else(|e| e.into_inner());
        map.get(&(namespace.to_string(), name.to_string())).cloned()
    }
}
