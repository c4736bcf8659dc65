//! The resources the simulator serves, declared once. Discovery documents, routing,
//! `kind`/`apiVersion` of served objects and field selectors all read this table, so
//! a resource is added in one place. Values (verbs, short names, categories, storage
//! version hashes) are the ones kube-apiserver v1.32 publishes (see `wire/03`, `04`).

use kubesight_model::cluster::Kind;

/// Every verb a fully served resource has on a real API server.
use kubesight_model::api_catalog::ALL_VERBS;

/// Namespaces cannot be deleted as a collection.
const NAMESPACE_VERBS: &[&str] = &[
    "create", "delete", "get", "list", "patch", "update", "watch",
];

/// How an unsupported field selector is reported. The wording differs by kind on
/// the real server because each group registers its own conversion function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldLabelErrorStyle {
    /// Core kinds with their own conversion: `field label not supported: spec.foo`.
    NotSupported,
    /// The default conversion: `"spec.foo" is not a known field selector: only
    /// "metadata.name", "metadata.namespace"`.
    DefaultConversion,
    /// apps/v1 StatefulSet: `field label not supported for appsv1.StatefulSet: spec.foo`.
    StatefulSet,
    /// batch/v1 Job: `field label "spec.foo" not supported for batchv1.Job`.
    Job,
}

impl FieldLabelErrorStyle {
    pub fn message(self, label: &str) -> String {
        match self {
            FieldLabelErrorStyle::NotSupported => format!("field label not supported: {label}"),
            FieldLabelErrorStyle::DefaultConversion => format!(
                "{label:?} is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
            ),
            FieldLabelErrorStyle::StatefulSet => {
                format!("field label not supported for appsv1.StatefulSet: {label}")
            }
            FieldLabelErrorStyle::Job => {
                format!("field label {label:?} not supported for batchv1.Job")
            }
        }
    }
}

/// A field a field selector may name, and where its value lives in the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLabel {
    pub name: &'static str,
    /// Paths tried in order; the first one present gives the value (events fall
    /// back from `source.component` to `reportingComponent`).
    pub paths: &'static [&'static [&'static str]],
    /// The value of a missing field, as the Go struct's zero value prints it.
    pub default: &'static str,
}

macro_rules! field_label {
    ($name:literal, [$($seg:literal),+]) => {
        FieldLabel { name: $name, paths: &[&[$($seg),+]], default: "" }
    };
    ($name:literal, [$($seg:literal),+], default $default:literal) => {
        FieldLabel { name: $name, paths: &[&[$($seg),+]], default: $default }
    };
}

const METADATA_NAME: FieldLabel = field_label!("metadata.name", ["metadata", "name"]);
const METADATA_NAMESPACE: FieldLabel =
    field_label!("metadata.namespace", ["metadata", "namespace"]);

const POD_FIELDS: &[FieldLabel] = &[
    METADATA_NAME,
    METADATA_NAMESPACE,
    field_label!("spec.nodeName", ["spec", "nodeName"]),
    field_label!("spec.restartPolicy", ["spec", "restartPolicy"]),
    field_label!("spec.schedulerName", ["spec", "schedulerName"]),
    field_label!("spec.serviceAccountName", ["spec", "serviceAccountName"]),
    field_label!("spec.hostNetwork", ["spec", "hostNetwork"], default "false"),
    field_label!("status.phase", ["status", "phase"]),
    field_label!("status.podIP", ["status", "podIP"]),
    field_label!("status.nominatedNodeName", ["status", "nominatedNodeName"]),
];

const NODE_FIELDS: &[FieldLabel] = &[
    METADATA_NAME,
    field_label!("spec.unschedulable", ["spec", "unschedulable"], default "false"),
];

const NAMESPACE_FIELDS: &[FieldLabel] = &[
    METADATA_NAME,
    field_label!("status.phase", ["status", "phase"]),
];

const EVENT_FIELDS: &[FieldLabel] = &[
    METADATA_NAME,
    METADATA_NAMESPACE,
    field_label!("involvedObject.kind", ["involvedObject", "kind"]),
    field_label!("involvedObject.namespace", ["involvedObject", "namespace"]),
    field_label!("involvedObject.name", ["involvedObject", "name"]),
    field_label!("involvedObject.uid", ["involvedObject", "uid"]),
    field_label!(
        "involvedObject.apiVersion",
        ["involvedObject", "apiVersion"]
    ),
    field_label!(
        "involvedObject.resourceVersion",
        ["involvedObject", "resourceVersion"]
    ),
    field_label!("involvedObject.fieldPath", ["involvedObject", "fieldPath"]),
    field_label!("reason", ["reason"]),
    field_label!("reportingComponent", ["reportingComponent"]),
    FieldLabel {
        name: "source",
        paths: &[&["source", "component"], &["reportingComponent"]],
        default: "",
    },
    field_label!("type", ["type"]),
];

const JOB_FIELDS: &[FieldLabel] = &[
    METADATA_NAME,
    METADATA_NAMESPACE,
    field_label!("status.successful", ["status", "succeeded"], default "0"),
];

/// StatefulSets accept `status.successful` (a quirk of apps/v1) but carry no such
/// field, so it always reads as empty.
const STATEFUL_SET_FIELDS: &[FieldLabel] = &[
    METADATA_NAME,
    METADATA_NAMESPACE,
    FieldLabel {
        name: "status.successful",
        paths: &[],
        default: "",
    },
];

const DEFAULT_FIELDS: &[FieldLabel] = &[METADATA_NAME, METADATA_NAMESPACE];

const CLUSTER_FIELDS: &[FieldLabel] = &[METADATA_NAME];

/// A resource served with every verb and the generic field labels: what most
/// kinds are.
macro_rules! served {
    ($plural:literal, $singular:literal, $group:literal, $version:literal, $kind:literal,
     namespaced: $namespaced:literal, short: [$($short:literal),*],
     categories: [$($category:literal),*], hash: $hash:literal, labels: $style:ident) => {
        Resource {
            plural: $plural,
            singular: $singular,
            group: $group,
            version: $version,
            kind: $kind,
            namespaced: $namespaced,
            verbs: ALL_VERBS,
            short_names: &[$($short),*],
            categories: &[$($category),*],
            // base64 of the first 8 bytes of sha256("group/version/Kind"),
            // as the API server derives it.
            storage_version_hash: $hash,
            field_labels: if $namespaced { DEFAULT_FIELDS } else { CLUSTER_FIELDS },
            field_label_errors: FieldLabelErrorStyle::$style,
            bookmark_body: "",
            tracks_generation: false,
            cached_kind: None,
        }
    };
}

/// One served resource.
#[derive(Debug, PartialEq, Eq)]
pub struct Resource {
    pub plural: &'static str,
    pub singular: &'static str,
    /// `""` for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub verbs: &'static [&'static str],
    pub short_names: &'static [&'static str],
    pub categories: &'static [&'static str],
    pub storage_version_hash: &'static str,
    pub field_labels: &'static [FieldLabel],
    pub field_label_errors: FieldLabelErrorStyle,
    /// What an empty object of this kind serialises to besides `metadata`, as a
    /// Go zero value does: bookmarks carry it (`wire/20`). Only recorded shapes are
    /// reproduced; other kinds send `metadata` alone.
    pub bookmark_body: &'static str,
    /// Whether `metadata.generation` counts spec changes (workloads and PDBs do;
    /// pods, nodes, namespaces, events and revisions do not in v1.32).
    pub tracks_generation: bool,
    /// The kind kubesight caches from this resource; `None` for resources served
    /// only for ops (Services, read when a port-forward resolves its target).
    pub cached_kind: Option<Kind>,
}

impl Resource {
    /// `v1` or `apps/v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `pods` or `deployments.apps`, as the API server names a resource in messages.
    pub fn qualified_name(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }

    pub fn field_label(&self, name: &str) -> Option<&'static FieldLabel> {
        self.field_labels.iter().find(|label| label.name == name)
    }

    /// Position in [`RESOURCES`], used to index per-resource storage.
    pub fn index(&self) -> usize {
        RESOURCES
            .iter()
            .position(|r| r.plural == self.plural && r.group == self.group)
            .unwrap_or_default()
    }
}

pub static RESOURCES: &[Resource] = &[
    Resource {
        plural: "events",
        singular: "event",
        group: "",
        version: "v1",
        kind: "Event",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &["ev"],
        categories: &[],
        storage_version_hash: "r2yiGXH7wu8=",
        field_labels: EVENT_FIELDS,
        field_label_errors: FieldLabelErrorStyle::NotSupported,
        bookmark_body: "",
        tracks_generation: false,
        cached_kind: Some(Kind::Event),
    },
    Resource {
        plural: "namespaces",
        singular: "namespace",
        group: "",
        version: "v1",
        kind: "Namespace",
        namespaced: false,
        verbs: NAMESPACE_VERBS,
        short_names: &["ns"],
        categories: &[],
        storage_version_hash: "Q3oi5N2YM8M=",
        field_labels: NAMESPACE_FIELDS,
        field_label_errors: FieldLabelErrorStyle::NotSupported,
        bookmark_body: r#""spec":{},"status":{}"#,
        tracks_generation: false,
        cached_kind: Some(Kind::Namespace),
    },
    Resource {
        plural: "nodes",
        singular: "node",
        group: "",
        version: "v1",
        kind: "Node",
        namespaced: false,
        verbs: ALL_VERBS,
        short_names: &["no"],
        categories: &[],
        storage_version_hash: "XwShjMxG9Fs=",
        field_labels: NODE_FIELDS,
        field_label_errors: FieldLabelErrorStyle::NotSupported,
        bookmark_body: "",
        tracks_generation: false,
        cached_kind: Some(Kind::Node),
    },
    Resource {
        plural: "pods",
        singular: "pod",
        group: "",
        version: "v1",
        kind: "Pod",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &["po"],
        categories: &["all"],
        storage_version_hash: "xPOwRZ+Yhw8=",
        field_labels: POD_FIELDS,
        field_label_errors: FieldLabelErrorStyle::NotSupported,
        bookmark_body: r#""spec":{"containers":null},"status":{}"#,
        tracks_generation: false,
        cached_kind: Some(Kind::Pod),
    },
    Resource {
        plural: "services",
        singular: "service",
        group: "",
        version: "v1",
        kind: "Service",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &["svc"],
        categories: &["all"],
        storage_version_hash: "0/CO1lhkEBI=",
        // Only the generic metadata labels are modelled; the real server also
        // accepts a few spec fields for Services.
        field_labels: DEFAULT_FIELDS,
        field_label_errors: FieldLabelErrorStyle::NotSupported,
        bookmark_body: "",
        tracks_generation: false,
        cached_kind: None,
    },
    Resource {
        plural: "controllerrevisions",
        singular: "controllerrevision",
        group: "apps",
        version: "v1",
        kind: "ControllerRevision",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &[],
        categories: &[],
        storage_version_hash: "85nkx63pcBU=",
        field_labels: DEFAULT_FIELDS,
        field_label_errors: FieldLabelErrorStyle::DefaultConversion,
        bookmark_body: "",
        tracks_generation: false,
        cached_kind: Some(Kind::ControllerRevision),
    },
    Resource {
        plural: "daemonsets",
        singular: "daemonset",
        group: "apps",
        version: "v1",
        kind: "DaemonSet",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &["ds"],
        categories: &["all"],
        storage_version_hash: "dd7pWHUlMKQ=",
        field_labels: DEFAULT_FIELDS,
        field_label_errors: FieldLabelErrorStyle::DefaultConversion,
        bookmark_body: "",
        tracks_generation: true,
        cached_kind: Some(Kind::DaemonSet),
    },
    Resource {
        plural: "deployments",
        singular: "deployment",
        group: "apps",
        version: "v1",
        kind: "Deployment",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &["deploy"],
        categories: &["all"],
        storage_version_hash: "8aSe+NMegvE=",
        field_labels: DEFAULT_FIELDS,
        field_label_errors: FieldLabelErrorStyle::DefaultConversion,
        bookmark_body: "",
        tracks_generation: true,
        cached_kind: Some(Kind::Deployment),
    },
    Resource {
        plural: "replicasets",
        singular: "replicaset",
        group: "apps",
        version: "v1",
        kind: "ReplicaSet",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &["rs"],
        categories: &["all"],
        storage_version_hash: "P1RzHs8/mWQ=",
        field_labels: DEFAULT_FIELDS,
        field_label_errors: FieldLabelErrorStyle::DefaultConversion,
        bookmark_body: "",
        tracks_generation: true,
        cached_kind: Some(Kind::ReplicaSet),
    },
    Resource {
        plural: "statefulsets",
        singular: "statefulset",
        group: "apps",
        version: "v1",
        kind: "StatefulSet",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &["sts"],
        categories: &["all"],
        storage_version_hash: "H+vl74LkKdo=",
        field_labels: STATEFUL_SET_FIELDS,
        field_label_errors: FieldLabelErrorStyle::StatefulSet,
        bookmark_body: "",
        tracks_generation: true,
        cached_kind: Some(Kind::StatefulSet),
    },
    Resource {
        plural: "cronjobs",
        singular: "cronjob",
        group: "batch",
        version: "v1",
        kind: "CronJob",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &["cj"],
        categories: &["all"],
        storage_version_hash: "sd5LIXh4Fjs=",
        field_labels: DEFAULT_FIELDS,
        field_label_errors: FieldLabelErrorStyle::DefaultConversion,
        bookmark_body: "",
        tracks_generation: true,
        cached_kind: Some(Kind::CronJob),
    },
    Resource {
        plural: "jobs",
        singular: "job",
        group: "batch",
        version: "v1",
        kind: "Job",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &[],
        categories: &["all"],
        storage_version_hash: "mudhfqk/qZY=",
        field_labels: JOB_FIELDS,
        field_label_errors: FieldLabelErrorStyle::Job,
        bookmark_body: "",
        tracks_generation: true,
        cached_kind: Some(Kind::Job),
    },
    Resource {
        plural: "poddisruptionbudgets",
        singular: "poddisruptionbudget",
        group: "policy",
        version: "v1",
        kind: "PodDisruptionBudget",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &["pdb"],
        categories: &[],
        storage_version_hash: "EVWiDmWqyJw=",
        field_labels: DEFAULT_FIELDS,
        field_label_errors: FieldLabelErrorStyle::DefaultConversion,
        bookmark_body: "",
        tracks_generation: true,
        cached_kind: Some(Kind::PodDisruptionBudget),
    },
    // Served for listing and printing (`kubectl get`, the app's generic
    // tables); kubesight keeps no dedicated store of them.
    served!("configmaps", "configmap", "", "v1", "ConfigMap", namespaced: true, short: ["cm"], categories: [], hash: "qFsyl6wFWjQ=", labels: NotSupported),
    served!("secrets", "secret", "", "v1", "Secret", namespaced: true, short: [], categories: [], hash: "S6u1pOWzb84=", labels: NotSupported),
    served!("serviceaccounts", "serviceaccount", "", "v1", "ServiceAccount", namespaced: true, short: ["sa"], categories: [], hash: "pbx9ZvyFpBE=", labels: NotSupported),
    served!("endpoints", "endpoints", "", "v1", "Endpoints", namespaced: true, short: ["ep"], categories: [], hash: "fWeeMqaN/OA=", labels: NotSupported),
    served!("persistentvolumeclaims", "persistentvolumeclaim", "", "v1", "PersistentVolumeClaim", namespaced: true, short: ["pvc"], categories: [], hash: "QWTyNDq0dC4=", labels: NotSupported),
    served!("persistentvolumes", "persistentvolume", "", "v1", "PersistentVolume", namespaced: false, short: ["pv"], categories: [], hash: "HN/zwEC+JgM=", labels: NotSupported),
    served!("resourcequotas", "resourcequota", "", "v1", "ResourceQuota", namespaced: true, short: ["quota"], categories: [], hash: "8uhSgffRX6w=", labels: NotSupported),
    served!("limitranges", "limitrange", "", "v1", "LimitRange", namespaced: true, short: ["limits"], categories: [], hash: "EBKMFVe6cwo=", labels: NotSupported),
    served!("replicationcontrollers", "replicationcontroller", "", "v1", "ReplicationController", namespaced: true, short: ["rc"], categories: ["all"], hash: "Jond2If31h0=", labels: NotSupported),
    served!("horizontalpodautoscalers", "horizontalpodautoscaler", "autoscaling", "v2", "HorizontalPodAutoscaler", namespaced: true, short: ["hpa"], categories: ["all"], hash: "qwQve8ut294=", labels: DefaultConversion),
    served!("ingresses", "ingress", "networking.k8s.io", "v1", "Ingress", namespaced: true, short: ["ing"], categories: [], hash: "39NQlfNR+bo=", labels: DefaultConversion),
    served!("ingressclasses", "ingressclass", "networking.k8s.io", "v1", "IngressClass", namespaced: false, short: [], categories: [], hash: "l/iqIbDgFyQ=", labels: DefaultConversion),
    served!("networkpolicies", "networkpolicy", "networking.k8s.io", "v1", "NetworkPolicy", namespaced: true, short: ["netpol"], categories: [], hash: "YpfwF18m1G8=", labels: DefaultConversion),
    served!("endpointslices", "endpointslice", "discovery.k8s.io", "v1", "EndpointSlice", namespaced: true, short: [], categories: [], hash: "qgS0xkrxYAI=", labels: DefaultConversion),
    served!("storageclasses", "storageclass", "storage.k8s.io", "v1", "StorageClass", namespaced: false, short: ["sc"], categories: [], hash: "K+m6uJwbjGY=", labels: DefaultConversion),
    served!("csidrivers", "csidriver", "storage.k8s.io", "v1", "CSIDriver", namespaced: false, short: [], categories: [], hash: "hL6j/rwBV5w=", labels: DefaultConversion),
    served!("volumeattachments", "volumeattachment", "storage.k8s.io", "v1", "VolumeAttachment", namespaced: false, short: [], categories: [], hash: "tJx/ezt6UDU=", labels: DefaultConversion),
    served!("priorityclasses", "priorityclass", "scheduling.k8s.io", "v1", "PriorityClass", namespaced: false, short: ["pc"], categories: [], hash: "1QwjyaZjj3Y=", labels: DefaultConversion),
    served!("leases", "lease", "coordination.k8s.io", "v1", "Lease", namespaced: true, short: [], categories: [], hash: "gqkMMb/YqFM=", labels: DefaultConversion),
    served!("roles", "role", "rbac.authorization.k8s.io", "v1", "Role", namespaced: true, short: [], categories: [], hash: "7FuwZcIIItM=", labels: DefaultConversion),
    served!("rolebindings", "rolebinding", "rbac.authorization.k8s.io", "v1", "RoleBinding", namespaced: true, short: [], categories: [], hash: "eGsCzGH6b1g=", labels: DefaultConversion),
    served!("clusterroles", "clusterrole", "rbac.authorization.k8s.io", "v1", "ClusterRole", namespaced: false, short: [], categories: [], hash: "bYE5ZWDrJ44=", labels: DefaultConversion),
    served!("clusterrolebindings", "clusterrolebinding", "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", namespaced: false, short: [], categories: [], hash: "48tpQ8gZHFc=", labels: DefaultConversion),
    served!("customresourcedefinitions", "customresourcedefinition", "apiextensions.k8s.io", "v1", "CustomResourceDefinition", namespaced: false, short: ["crd", "crds"], categories: ["api-extensions"], hash: "M5uH+AlWATY=", labels: DefaultConversion),
];

/// API groups other than core, in the order `/apis` lists them (the real server's
/// order, restricted to what is served).
pub const GROUPS: &[&str] = &[
    "apps",
    "autoscaling",
    "batch",
    "networking.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "apiextensions.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
];

/// The resource served at `group/version` under `plural`.
pub fn find(group: &str, version: &str, plural: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}

/// The resource whose objects have this `apiVersion` and `kind`.
pub fn for_type(api_version: &str, kind: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|r| r.kind == kind && r.api_version() == api_version)
}

/// Looks a resource up the way a caller names it: plural (`pods`), kind (`Pod`),
/// singular (`pod`), short name (`po`) or qualified plural (`deployments.apps`).
pub fn lookup(name: &str) -> Option<&'static Resource> {
    RESOURCES.iter().find(|r| {
        r.plural == name
            || r.kind == name
            || r.singular == name
            || r.short_names.contains(&name)
            || r.qualified_name() == name
    })
}

#[cfg(test)]
mod tests;
