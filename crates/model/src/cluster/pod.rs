//! The pod as the cache holds it: every field a kubesight view reads, and nothing
//! else.
//!
//! `k8s_openapi`'s `Pod` is 2.4 KiB before any of its strings, a `Container` 2.3
//! KiB and a `Volume` 3.3 KiB, because every optional field of the API is held
//! inline. A cache of 50,000 of them costs about 9 KiB a pod and most of the time
//! of an initial list goes to moving those structs around. These types keep the
//! API's field names and shapes (so model code reads `pod.spec`,
//! `container.resources`, `status.container_statuses` as usual), decode straight
//! from the watch stream, drop the fields no view shows, and box what is rare and
//! large. The YAML view reads full objects from the server, never from here.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{
    ConfigMapVolumeSource, ContainerPort, ContainerState, EmptyDirVolumeSource,
    HostPathVolumeSource, ImageVolumeSource, NFSVolumeSource, PersistentVolumeClaimVolumeSource,
    PodCondition, PodIP, Probe, SecretVolumeSource, Toleration,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};
use serde::{Deserialize, Deserializer, Serialize};

mod quantities;
pub use quantities::Quantities;

/// A pod: a shared handle on its fields. The reflector clones every object it
/// stores; for a pod that is now a reference count, not thousands of bytes of
/// strings and maps. Reads go through `Deref` (`pod.metadata`, `pod.spec`);
/// the rare write copies the fields first if they are shared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pod(Arc<PodFields>);

/// Metadata in full (but managedFields), and the parts of spec and status views
/// read.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodFields {
    #[serde(default, deserialize_with = "metadata_without_managed_fields")]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<PodSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PodStatus>,
}

impl std::ops::Deref for Pod {
    type Target = PodFields;

    fn deref(&self) -> &PodFields {
        &self.0
    }
}

impl std::ops::DerefMut for Pod {
    fn deref_mut(&mut self) -> &mut PodFields {
        Arc::make_mut(&mut self.0)
    }
}

impl<'de> Deserialize<'de> for Pod {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Pod, D::Error> {
        PodFields::deserialize(deserializer).map(|fields| Pod(Arc::new(fields)))
    }
}

impl Serialize for Pod {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl k8s_openapi::Resource for Pod {
    const API_VERSION: &'static str = "v1";
    const GROUP: &'static str = "";
    const KIND: &'static str = "Pod";
    const VERSION: &'static str = "v1";
    const URL_PATH_SEGMENT: &'static str = "pods";
    type Scope = k8s_openapi::NamespaceResourceScope;
}

impl k8s_openapi::ListableResource for Pod {
    const LIST_KIND: &'static str = "PodList";
}

impl k8s_openapi::Metadata for Pod {
    type Ty = ObjectMeta;

    fn metadata(&self) -> &ObjectMeta {
        &self.0.metadata
    }

    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut Arc::make_mut(&mut self.0).metadata
    }
}

impl From<k8s_openapi::api::core::v1::Pod> for Pod {
    fn from(full: k8s_openapi::api::core::v1::Pod) -> Pod {
        Pod::from(&full)
    }
}

impl From<&k8s_openapi::api::core::v1::Pod> for Pod {
    /// The same fields a watch would decode, through the same serde path.
    fn from(full: &k8s_openapi::api::core::v1::Pod) -> Pod {
        serde_json::to_value(full)
            .and_then(serde_json::from_value)
            .unwrap_or_else(|_| {
                Pod(Arc::new(PodFields {
                    metadata: full.metadata.clone(),
                    ..PodFields::default()
                }))
            })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    #[serde(default, deserialize_with = "shrunk_or_empty")]
    pub containers: Vec<Container>,
    #[serde(
        default,
        deserialize_with = "shrunk",
        skip_serializing_if = "Option::is_none"
    )]
    pub init_containers: Option<Vec<Container>>,
    /// Ephemeral containers share every field read here with containers.
    #[serde(
        default,
        deserialize_with = "shrunk",
        skip_serializing_if = "Option::is_none"
    )]
    pub ephemeral_containers: Option<Vec<Container>>,
    #[serde(
        default,
        deserialize_with = "shrunk",
        skip_serializing_if = "Option::is_none"
    )]
    pub volumes: Option<Vec<Volume>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<BTreeMap<String, String>>,
    #[serde(
        default,
        deserialize_with = "shrunk",
        skip_serializing_if = "Option::is_none"
    )]
    pub tolerations: Option<Vec<Toleration>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overhead: Option<Quantities>,
    /// Pod-level resources, which decide the QoS class when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Box<ResourceRequirements>>,
}

/// Requests and limits (resource claims are not read).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct ResourceRequirements {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Quantities>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Quantities>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(
        default,
        deserialize_with = "shrunk",
        skip_serializing_if = "Option::is_none"
    )]
    pub ports: Option<Vec<ContainerPort>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Box<Probe>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Box<Probe>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Box<Probe>>,
    /// `Always` on an init container makes it a sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
}

/// A volume: its name and which source it has. Sources a view details are kept
/// (boxed: a pod has few volumes and most sources are absent); the rest are
/// only noted as present.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<Box<EmptyDirVolumeSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<Box<ConfigMapVolumeSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Box<SecretVolumeSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim: Option<Box<PersistentVolumeClaimVolumeSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<Box<HostPathVolumeSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projected: Option<Box<ProjectedVolumeSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csi: Option<Box<CsiSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nfs: Option<Box<NFSVolumeSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Box<ImageVolumeSource>>,
    #[serde(
        default,
        rename = "downwardAPI",
        skip_serializing_if = "Option::is_none"
    )]
    pub downward_api: Option<Present>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral: Option<Present>,
}

/// A projected volume: which sources it combines (a service account token, the
/// cluster's CA bundle…). Four sources in `k8s-openapi`'s type are 3 KiB; every
/// pod of a real cluster has one.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct ProjectedVolumeSource {
    #[serde(
        default,
        deserialize_with = "shrunk",
        skip_serializing_if = "Option::is_none"
    )]
    pub sources: Option<Vec<VolumeProjection>>,
}

/// One source of a projected volume, by kind; ConfigMaps and Secrets by name.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeProjection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_token: Option<Present>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<NamedSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<NamedSource>,
    #[serde(
        default,
        rename = "downwardAPI",
        skip_serializing_if = "Option::is_none"
    )]
    pub downward_api: Option<Present>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_trust_bundle: Option<Present>,
}

/// A ConfigMap or Secret a volume reads, by name.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct NamedSource {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
}

/// A CSI volume, by its driver.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct CsiSource {
    #[serde(default, deserialize_with = "null_as_default")]
    pub driver: String,
}

/// A field whose presence is all that is read; its contents are skipped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Present;

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Present, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Present)
    }
}

impl Serialize for Present {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        serializer.serialize_map(Some(0))?.end()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(
        default,
        deserialize_with = "shrunk",
        skip_serializing_if = "Option::is_none"
    )]
    pub conditions: Option<Vec<PodCondition>>,
    #[serde(
        default,
        deserialize_with = "shrunk",
        skip_serializing_if = "Option::is_none"
    )]
    pub container_statuses: Option<Vec<ContainerStatus>>,
    #[serde(
        default,
        deserialize_with = "shrunk",
        skip_serializing_if = "Option::is_none"
    )]
    pub init_container_statuses: Option<Vec<ContainerStatus>>,
    #[serde(
        default,
        deserialize_with = "shrunk",
        skip_serializing_if = "Option::is_none"
    )]
    pub ephemeral_container_statuses: Option<Vec<ContainerStatus>>,
    #[serde(default, rename = "podIP", skip_serializing_if = "Option::is_none")]
    pub pod_ip: Option<String>,
    #[serde(
        default,
        rename = "podIPs",
        deserialize_with = "shrunk",
        skip_serializing_if = "Option::is_none"
    )]
    pub pod_ips: Option<Vec<PodIP>>,
    #[serde(default, rename = "hostIP", skip_serializing_if = "Option::is_none")]
    pub host_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qos_class: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStatus {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub image: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub ready: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub restart_count: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<bool>,
    #[serde(
        default,
        deserialize_with = "state",
        skip_serializing_if = "Option::is_none"
    )]
    pub state: Option<Box<ContainerState>>,
    /// `{}` from the server (no previous run) reads as absent.
    #[serde(
        default,
        deserialize_with = "state",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_state: Option<Box<ContainerState>>,
}

/// ObjectMeta as the server sends it (lists shrunk to fit), but for
/// managedFields, which no view reads and which are often half of a pod's bytes:
/// they are skipped while decoding instead of built and then dropped.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MetadataFields {
    annotations: Option<BTreeMap<String, String>>,
    creation_timestamp: Option<Time>,
    deletion_grace_period_seconds: Option<i64>,
    deletion_timestamp: Option<Time>,
    #[serde(default, deserialize_with = "shrunk")]
    finalizers: Option<Vec<String>>,
    generate_name: Option<String>,
    generation: Option<i64>,
    labels: Option<BTreeMap<String, String>>,
    name: Option<String>,
    namespace: Option<String>,
    #[serde(default, deserialize_with = "shrunk")]
    owner_references: Option<Vec<OwnerReference>>,
    resource_version: Option<String>,
    self_link: Option<String>,
    uid: Option<String>,
}

fn metadata_without_managed_fields<'de, D>(deserializer: D) -> Result<ObjectMeta, D::Error>
where
    D: Deserializer<'de>,
{
    let Some(m) = Option::<MetadataFields>::deserialize(deserializer)? else {
        return Ok(ObjectMeta::default());
    };
    Ok(ObjectMeta {
        annotations: m.annotations,
        creation_timestamp: m.creation_timestamp,
        deletion_grace_period_seconds: m.deletion_grace_period_seconds,
        deletion_timestamp: m.deletion_timestamp,
        finalizers: m.finalizers,
        generate_name: m.generate_name,
        generation: m.generation,
        labels: m.labels,
        managed_fields: None,
        name: m.name,
        namespace: m.namespace,
        owner_references: m.owner_references,
        resource_version: m.resource_version,
        self_link: m.self_link,
        uid: m.uid,
    })
}

/// A container state; an empty one (`lastState: {}`, what the server sends for a
/// container that has not restarted) is not kept.
fn state<'de, D>(deserializer: D) -> Result<Option<Box<ContainerState>>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::<ContainerState>::deserialize(deserializer)?
        .filter(|s| s.running.is_some() || s.terminated.is_some() || s.waiting.is_some())
        .map(Box::new))
}

/// A list, without the spare capacity serde's growth leaves: a pod's one
/// container would otherwise hold room for four.
fn shrunk<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(
        Option::<Vec<T>>::deserialize(deserializer)?.map(|mut list| {
            list.shrink_to_fit();
            list
        }),
    )
}

fn shrunk_or_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    shrunk(deserializer).map(Option::unwrap_or_default)
}

/// A required field the server may still send as `null` (as k8s-openapi reads it).
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

#[cfg(test)]
mod tests;
