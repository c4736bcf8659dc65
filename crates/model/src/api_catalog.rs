//! Which resources there are and how a user names them: `:deploy`,
//! `:deployments`, `:deployment`, `:Deployment`, `:deployments.apps`. The
//! built-in kinds are known here; a live cluster's discovery adds what it
//! serves (custom resources among them).

/// One resource as discovery describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResource {
    /// `""` for the core group.
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub singular: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
    pub verbs: Vec<String>,
}

impl ApiResource {
    /// `v1`, `apps/v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `deployments.apps`, `pods`: unambiguous, as kubectl accepts it.
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// The collection's path, in one namespace or all.
    pub fn path(&self, namespace: Option<&str>) -> String {
        let base = if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        };
        match namespace.filter(|_| self.namespaced) {
            Some(ns) => format!("{base}/namespaces/{ns}/{}", self.plural),
            None => format!("{base}/{}", self.plural),
        }
    }

    /// Whether `name` names this resource, as kubectl resolves it: plural,
    /// singular, short name or kind (any case), optionally `.group`.
    pub fn answers_to(&self, name: &str) -> bool {
        let (bare, group) = match name.split_once('.') {
            Some((bare, group)) => (bare, Some(group)),
            None => (name, None),
        };
        if group.is_some_and(|g| g != self.group && !self.group.starts_with(&format!("{g}."))) {
            return false;
        }
        let bare = bare.to_lowercase();
        bare == self.plural
            || bare == self.singular
            || bare == self.kind.to_lowercase()
            || self.short_names.contains(&bare)
    }
}

/// Every resource known, in discovery's order.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    resources: Vec<ApiResource>,
}

/// The verbs of a resource that supports them all, as discovery lists them.
pub const ALL_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// (group, version, kind, plural, namespaced, short names)
type Builtin = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static [&'static str],
);

const BUILTIN: &[Builtin] = &[
    ("", "v1", "Pod", "pods", true, &["po"]),
    ("", "v1", "Node", "nodes", false, &["no"]),
    ("", "v1", "Namespace", "namespaces", false, &["ns"]),
    ("", "v1", "Service", "services", true, &["svc"]),
    ("", "v1", "Endpoints", "endpoints", true, &["ep"]),
    ("", "v1", "ConfigMap", "configmaps", true, &["cm"]),
    ("", "v1", "Secret", "secrets", true, &[]),
    ("", "v1", "ServiceAccount", "serviceaccounts", true, &["sa"]),
    (
        "",
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        true,
        &["pvc"],
    ),
    (
        "",
        "v1",
        "PersistentVolume",
        "persistentvolumes",
        false,
        &["pv"],
    ),
    (
        "",
        "v1",
        "ResourceQuota",
        "resourcequotas",
        true,
        &["quota"],
    ),
    ("", "v1", "LimitRange", "limitranges", true, &["limits"]),
    (
        "",
        "v1",
        "ReplicationController",
        "replicationcontrollers",
        true,
        &["rc"],
    ),
    ("", "v1", "Event", "events", true, &["ev"]),
    ("apps", "v1", "Deployment", "deployments", true, &["deploy"]),
    ("apps", "v1", "ReplicaSet", "replicasets", true, &["rs"]),
    ("apps", "v1", "StatefulSet", "statefulsets", true, &["sts"]),
    ("apps", "v1", "DaemonSet", "daemonsets", true, &["ds"]),
    (
        "apps",
        "v1",
        "ControllerRevision",
        "controllerrevisions",
        true,
        &[],
    ),
    ("batch", "v1", "Job", "jobs", true, &[]),
    ("batch", "v1", "CronJob", "cronjobs", true, &["cj"]),
    (
        "autoscaling",
        "v2",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        true,
        &["hpa"],
    ),
    (
        "policy",
        "v1",
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        true,
        &["pdb"],
    ),
    (
        "networking.k8s.io",
        "v1",
        "Ingress",
        "ingresses",
        true,
        &["ing"],
    ),
    (
        "networking.k8s.io",
        "v1",
        "IngressClass",
        "ingressclasses",
        false,
        &[],
    ),
    (
        "networking.k8s.io",
        "v1",
        "NetworkPolicy",
        "networkpolicies",
        true,
        &["netpol"],
    ),
    (
        "discovery.k8s.io",
        "v1",
        "EndpointSlice",
        "endpointslices",
        true,
        &[],
    ),
    (
        "storage.k8s.io",
        "v1",
        "StorageClass",
        "storageclasses",
        false,
        &["sc"],
    ),
    (
        "storage.k8s.io",
        "v1",
        "CSIDriver",
        "csidrivers",
        false,
        &[],
    ),
    (
        "storage.k8s.io",
        "v1",
        "VolumeAttachment",
        "volumeattachments",
        false,
        &[],
    ),
    (
        "scheduling.k8s.io",
        "v1",
        "PriorityClass",
        "priorityclasses",
        false,
        &["pc"],
    ),
    ("coordination.k8s.io", "v1", "Lease", "leases", true, &[]),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "Role",
        "roles",
        true,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "RoleBinding",
        "rolebindings",
        true,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRole",
        "clusterroles",
        false,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        false,
        &[],
    ),
    (
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        false,
        &["crd", "crds"],
    ),
];

impl Catalog {
    /// The built-in kinds every cluster serves.
    pub fn builtin() -> Catalog {
        Catalog {
            resources: BUILTIN
                .iter()
                .map(
                    |(group, version, kind, plural, namespaced, short)| ApiResource {
                        group: group.to_string(),
                        version: version.to_string(),
                        kind: kind.to_string(),
                        plural: plural.to_string(),
                        singular: kind.to_lowercase(),
                        namespaced: *namespaced,
                        short_names: short.iter().map(|s| s.to_string()).collect(),
                        verbs: ALL_VERBS.iter().map(|v| v.to_string()).collect(),
                    },
                )
                .collect(),
        }
    }

    /// Adds (or replaces) what a cluster's discovery or a snapshot shows.
    pub fn add(&mut self, resource: ApiResource) {
        match self
            .resources
            .iter_mut()
            .find(|r| r.group == resource.group && r.plural == resource.plural)
        {
            Some(known) => *known = resource,
            None => self.resources.push(resource),
        }
    }

    pub fn all(&self) -> &[ApiResource] {
        &self.resources
    }

    /// The resource `name` names; core and well-known groups win a tie, as
    /// kubectl's priority of groups makes them.
    pub fn resolve(&self, name: &str) -> Option<&ApiResource> {
        self.resources.iter().find(|r| r.answers_to(name))
    }

    /// The resource of objects with this apiVersion and kind.
    pub fn of_type(&self, api_version: &str, kind: &str) -> Option<&ApiResource> {
        self.resources
            .iter()
            .find(|r| r.kind == kind && r.api_version() == api_version)
    }

    /// Names beginning with `prefix`, for completion: plurals and short names.
    pub fn complete(&self, prefix: &str) -> Vec<String> {
        let prefix = prefix.to_lowercase();
        let mut names: Vec<String> = self
            .resources
            .iter()
            .flat_map(|r| std::iter::once(r.plural.clone()).chain(r.short_names.iter().cloned()))
            .filter(|n| n.starts_with(&prefix))
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_is_named_as_kubectl_names_it() {
        let catalog = Catalog::builtin();
        for name in [
            "deploy",
            "deployments",
            "deployment",
            "Deployment",
            "deployments.apps",
            "deploy.apps",
        ] {
            assert_eq!(
                catalog.resolve(name).map(|r| r.kind.as_str()),
                Some("Deployment"),
                "{name}"
            );
        }
        assert_eq!(
            catalog.resolve("svc").map(|r| r.plural.as_str()),
            Some("services")
        );
        assert_eq!(
            catalog.resolve("cm").map(|r| r.plural.as_str()),
            Some("configmaps")
        );
        assert_eq!(catalog.resolve("deployments.batch"), None, "wrong group");
        assert_eq!(catalog.resolve("gizmos"), None);
        let hpa = catalog.resolve("hpa").expect("hpa");
        assert_eq!(
            hpa.path(Some("shop")),
            "/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers"
        );
        let pv = catalog.resolve("pv").expect("pv");
        assert_eq!(
            pv.path(Some("shop")),
            "/api/v1/persistentvolumes",
            "cluster-scoped"
        );
    }

    #[test]
    fn discovered_custom_resources_join_and_complete() {
        let mut catalog = Catalog::builtin();
        catalog.add(ApiResource {
            group: "example.com".into(),
            version: "v1".into(),
            kind: "Widget".into(),
            plural: "widgets".into(),
            singular: "widget".into(),
            namespaced: true,
            short_names: vec!["wg".into()],
            verbs: vec!["get".into(), "list".into(), "watch".into()],
        });
        for name in ["widgets.example.com", "widget", "wg", "Widget"] {
            assert_eq!(
                catalog.resolve(name).map(|r| r.plural.as_str()),
                Some("widgets")
            );
        }
        assert_eq!(catalog.complete("de"), ["deploy", "deployments"]);
        assert!(catalog.complete("w").contains(&"widgets".to_string()));
    }
}
