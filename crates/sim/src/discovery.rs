//! Discovery documents (`/api`, `/apis`, `/apis/{group}`, `/api/v1`,
//! `/apis/{group}/{version}`, `/version`), shaped like `wire/01`–`05` and built from
//! the resource table, plus the aggregated (apidiscovery.k8s.io/v2) form kubectl and
//! `Discovery::run_aggregated` ask for with an `Accept` header.

use serde::Serialize;

use super::resources::{GROUPS, RESOURCES, Resource};

/// The media type of aggregated discovery, requested and answered verbatim.
pub const AGGREGATED_V2: &str =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/// Whether the client prefers aggregated discovery: the first `Accept` entry the
/// simulator can serve decides, as content negotiation does.
pub fn wants_aggregated(accept: &str) -> bool {
    for entry in accept.split(',') {
        let mut parts = entry.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default();
        if media != "application/json" {
            if media == "*/*" || media == "application/*" {
                return false;
            }
            continue;
        }
        let params: Vec<(&str, &str)> = parts.filter_map(|p| p.split_once('=')).collect();
        let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        match (param("g"), param("v"), param("as")) {
            (None, None, None) => return false,
            (Some("apidiscovery.k8s.io"), Some("v2"), Some("APIGroupDiscoveryList")) => {
                return true;
            }
            // Tables, v2beta1 discovery and other views the simulator does not serve.
            _ => continue,
        }
    }
    false
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApiVersions {
    kind: &'static str,
    versions: [&'static str; 1],
    #[serde(rename = "serverAddressByClientCIDRs")]
    server_address_by_client_cidrs: [ServerAddress; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ServerAddress {
    #[serde(rename = "clientCIDR")]
    client_cidr: &'static str,
    server_address: String,
}

/// `/api` (`wire/01`): the core group's versions and where the server listens.
pub fn core_versions(server_address: &str) -> Vec<u8> {
    to_json(&ApiVersions {
        kind: "APIVersions",
        versions: ["v1"],
        server_address_by_client_cidrs: [ServerAddress {
            client_cidr: "0.0.0.0/0",
            server_address: server_address.to_string(),
        }],
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GroupVersionRef {
    group_version: String,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApiGroupBody {
    name: &'static str,
    versions: Vec<GroupVersionRef>,
    preferred_version: GroupVersionRef,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TypedGroup {
    kind: &'static str,
    api_version: &'static str,
    #[serde(flatten)]
    group: ApiGroupBody,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApiGroupList {
    kind: &'static str,
    api_version: &'static str,
    groups: Vec<ApiGroupBody>,
}

fn group_body(group: &'static str) -> ApiGroupBody {
    let version = RESOURCES
        .iter()
        .find(|r| r.group == group)
        .map(|r| r.version)
        .unwrap_or("v1");
    let reference = || GroupVersionRef {
        group_version: format!("{group}/{version}"),
        version,
    };
    ApiGroupBody {
        name: group,
        versions: vec![reference()],
        preferred_version: reference(),
    }
}

/// `/apis` (`wire/02`), restricted to the groups served.
pub fn groups() -> Vec<u8> {
    to_json(&ApiGroupList {
        kind: "APIGroupList",
        api_version: "v1",
        groups: GROUPS.iter().map(|g| group_body(g)).collect(),
    })
}

/// `/apis/{group}`.
pub fn group(group: &'static str) -> Vec<u8> {
    to_json(&TypedGroup {
        kind: "APIGroup",
        api_version: "v1",
        group: group_body(group),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApiResourceList {
    kind: &'static str,
    /// Absent on `/api/v1`, present on `/apis/…` (compare `wire/03` and `04`).
    #[serde(skip_serializing_if = "Option::is_none")]
    api_version: Option<&'static str>,
    group_version: String,
    resources: Vec<ApiResource>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ApiResource {
    name: &'static str,
    singular_name: &'static str,
    namespaced: bool,
    /// Only on subresources served from another group (`pods/eviction`).
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'static str>,
    kind: &'static str,
    verbs: &'static [&'static str],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    short_names: &'static [&'static str],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    categories: &'static [&'static str],
    #[serde(skip_serializing_if = "str::is_empty")]
    storage_version_hash: &'static str,
}

/// Subresources the simulator serves, as `wire/03` lists them. kubectl finds
/// `pods/eviction` here before it drains with evictions rather than deletes.
const SUBRESOURCES: &[(&str, &str, ApiResource)] = &[
    (
        "",
        "v1",
        ApiResource {
            name: "pods/eviction",
            singular_name: "",
            namespaced: true,
            group: Some("policy"),
            version: Some("v1"),
            kind: "Eviction",
            verbs: &["create"],
            short_names: &[],
            categories: &[],
            storage_version_hash: "",
        },
    ),
    (
        "",
        "v1",
        pod_subresource("pods/exec", "PodExecOptions", &["create", "get"]),
    ),
    ("", "v1", pod_subresource("pods/log", "Pod", &["get"])),
    (
        "",
        "v1",
        pod_subresource(
            "pods/portforward",
            "PodPortForwardOptions",
            &["create", "get"],
        ),
    ),
];

/// A pod subresource of the core group, as `wire/03` lists one.
const fn pod_subresource(
    name: &'static str,
    kind: &'static str,
    verbs: &'static [&'static str],
) -> ApiResource {
    ApiResource {
        name,
        singular_name: "",
        namespaced: true,
        group: None,
        version: None,
        kind,
        verbs,
        short_names: &[],
        categories: &[],
        storage_version_hash: "",
    }
}

/// `/api/v1` or `/apis/{group}/{version}`: the served resources, sorted by name
/// as the real server lists them.
pub fn resource_list(group: &str, version: &str) -> Vec<u8> {
    let mut resources: Vec<&Resource> = RESOURCES
        .iter()
        .filter(|r| r.group == group && r.version == version)
        .collect();
    resources.sort_by_key(|r| r.plural);
    to_json(&ApiResourceList {
        kind: "APIResourceList",
        api_version: (!group.is_empty()).then_some("v1"),
        group_version: if group.is_empty() {
            version.to_string()
        } else {
            format!("{group}/{version}")
        },
        resources: with_subresources(
            group,
            version,
            resources
                .into_iter()
                .map(|r| ApiResource {
                    name: r.plural,
                    singular_name: r.singular,
                    namespaced: r.namespaced,
                    group: None,
                    version: None,
                    kind: r.kind,
                    verbs: r.verbs,
                    short_names: r.short_names,
                    categories: r.categories,
                    storage_version_hash: r.storage_version_hash,
                })
                .collect(),
        ),
    })
}

/// Adds the served subresources of this group version, keeping the real
/// server's order by name (`pods` before `pods/eviction`).
fn with_subresources(
    group: &str,
    version: &str,
    mut entries: Vec<ApiResource>,
) -> Vec<ApiResource> {
    entries.extend(
        SUBRESOURCES
            .iter()
            .filter(|(g, v, _)| *g == group && *v == version)
            .map(|(_, _, entry)| entry.clone()),
    );
    entries.sort_by_key(|e| e.name);
    entries
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AggregatedList {
    kind: &'static str,
    api_version: &'static str,
    metadata: Empty,
    items: Vec<AggregatedGroup>,
}

#[derive(Serialize)]
struct Empty {}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AggregatedGroupMeta {
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'static str,
    creation_timestamp: Option<()>,
}

#[derive(Serialize)]
struct AggregatedGroup {
    metadata: AggregatedGroupMeta,
    versions: Vec<AggregatedVersion>,
}

#[derive(Serialize)]
struct AggregatedVersion {
    version: &'static str,
    resources: Vec<AggregatedResource>,
    freshness: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AggregatedResource {
    resource: &'static str,
    response_kind: ResponseKind,
    scope: &'static str,
    singular_resource: &'static str,
    verbs: &'static [&'static str],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    short_names: &'static [&'static str],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    categories: &'static [&'static str],
}

#[derive(Serialize)]
struct ResponseKind {
    group: &'static str,
    version: &'static str,
    kind: &'static str,
}

fn aggregated_group(group: &'static str) -> AggregatedGroup {
    let mut resources: Vec<&Resource> = RESOURCES.iter().filter(|r| r.group == group).collect();
    resources.sort_by_key(|r| r.plural);
    let version = resources.first().map(|r| r.version).unwrap_or("v1");
    AggregatedGroup {
        metadata: AggregatedGroupMeta {
            name: group,
            creation_timestamp: None,
        },
        versions: vec![AggregatedVersion {
            version,
            resources: resources
                .into_iter()
                .map(|r| AggregatedResource {
                    resource: r.plural,
                    response_kind: ResponseKind {
                        group: "",
                        version: "",
                        kind: r.kind,
                    },
                    scope: if r.namespaced {
                        "Namespaced"
                    } else {
                        "Cluster"
                    },
                    singular_resource: r.singular,
                    verbs: r.verbs,
                    short_names: r.short_names,
                    categories: r.categories,
                })
                .collect(),
            freshness: "Current",
        }],
    }
}

fn aggregated(groups: Vec<AggregatedGroup>) -> Vec<u8> {
    to_json(&AggregatedList {
        kind: "APIGroupDiscoveryList",
        api_version: "apidiscovery.k8s.io/v2",
        metadata: Empty {},
        items: groups,
    })
}

/// `/api` with aggregated discovery: the core group, unnamed.
pub fn aggregated_core() -> Vec<u8> {
    aggregated(vec![aggregated_group("")])
}

/// `/apis` with aggregated discovery.
pub fn aggregated_groups() -> Vec<u8> {
    aggregated(GROUPS.iter().map(|g| aggregated_group(g)).collect())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VersionInfo {
    major: &'static str,
    minor: &'static str,
    git_version: &'static str,
    git_commit: &'static str,
    git_tree_state: &'static str,
    build_date: &'static str,
    go_version: &'static str,
    compiler: &'static str,
    platform: &'static str,
}

/// `/version` (`wire/05`): the simulator speaks the protocol of the recorded
/// server, so it reports that server's version.
pub fn version() -> Vec<u8> {
    to_json(&VersionInfo {
        major: "1",
        minor: "32",
        git_version: "v1.32.6",
        git_commit: "e52b13b59e910bfa409eaa1e5280c4160b687bf8",
        git_tree_state: "clean",
        build_date: "2026-11-23T22:08:02Z",
        go_version: "go1.23.5",
        compiler: "gc",
        platform: "linux/amd64",
    })
}

#[derive(Serialize)]
struct RootPaths {
    paths: Vec<String>,
}

/// `/`: every path the server answers, sorted.
pub fn root_paths() -> Vec<u8> {
    let mut paths: Vec<String> = [
        "/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version",
    ]
    .map(str::to_string)
    .to_vec();
    for group in GROUPS {
        paths.push(format!("/apis/{group}"));
        if let Some(resource) = RESOURCES.iter().find(|r| r.group == *group) {
            paths.push(format!("/apis/{}", resource.api_version()));
        }
    }
    paths.sort();
    to_json(&RootPaths { paths })
}

fn to_json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests;
