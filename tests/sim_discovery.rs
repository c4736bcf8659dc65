//! Discovery through the real kube-rs client: legacy and aggregated discovery find
//! every kind kubesight caches, `/version` reports the recorded server, and a client
//! built from the simulator's kubeconfig reaches it.

#[path = "sim_support.rs"]
mod support;

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ListParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::GroupVersionKind;
use kube::discovery::{Discovery, Scope, verbs};

use kubesight::cache::Kind;
use kubesight::sim::kubeconfig_yaml;
use support::{serve_demo, within};

/// (apiVersion, kind, plural, namespaced) of everything a discovery found.
fn served(discovery: &Discovery) -> BTreeSet<(String, String, String, bool)> {
    discovery
        .groups()
        .flat_map(|group| group.recommended_resources())
        .map(|(resource, caps)| {
            (
                resource.api_version,
                resource.kind,
                resource.plural,
                caps.scope == Scope::Namespaced,
            )
        })
        .collect()
}

#[tokio::test]
async fn discovery_finds_every_cached_kind() {
    let running = serve_demo();
    let discovery = within("discovery", Discovery::new(running.client.clone()).run())
        .await
        .expect("discovery succeeds");
    let groups: Vec<&str> = discovery
        .groups_alphabetical()
        .iter()
        .map(|g| g.name())
        .collect();
    for group in [
        "",
        "apps",
        "batch",
        "policy",
        "networking.k8s.io",
        "apiextensions.k8s.io",
    ] {
        assert!(groups.contains(&group), "{group} in {groups:?}");
    }
    for kind in Kind::ALL {
        let (group, version) = kind.api_version().split_once('/').unwrap_or(("", "v1"));
        let gvk = GroupVersionKind::gvk(group, version, kind.name());
        let (resource, caps) = discovery
            .resolve_gvk(&gvk)
            .unwrap_or_else(|| panic!("{kind:?} is discoverable"));
        assert!(caps.supports_operation(verbs::LIST), "{kind:?} lists");
        assert!(caps.supports_operation(verbs::WATCH), "{kind:?} watches");
        let cluster_scoped = matches!(kind, Kind::Node | Kind::Namespace);
        assert_eq!(caps.scope == Scope::Cluster, cluster_scoped, "{kind:?}");
        assert!(!resource.plural.is_empty());
    }
    // Exactly the kinds the app knows by name: each `:NAME` has a table.
    let known: BTreeSet<(String, String, String, bool)> =
        kubesight::model::api_catalog::Catalog::builtin()
            .all()
            .iter()
            .map(|r| {
                (
                    r.api_version(),
                    r.kind.clone(),
                    r.plural.clone(),
                    r.namespaced,
                )
            })
            .collect();
    assert_eq!(served(&discovery), known);
}

#[tokio::test]
async fn aggregated_discovery_agrees_with_legacy_discovery() {
    let running = serve_demo();
    let legacy = within("discovery", Discovery::new(running.client.clone()).run())
        .await
        .expect("legacy discovery");
    let aggregated = within(
        "aggregated discovery",
        Discovery::new(running.client.clone()).run_aggregated(),
    )
    .await
    .expect("aggregated discovery");
    assert_eq!(served(&aggregated), served(&legacy));
}

#[tokio::test]
async fn version_is_the_recorded_servers() {
    let running = serve_demo();
    let info = within("version", running.client.apiserver_version())
        .await
        .expect("/version answers");
    assert_eq!(
        (
            info.major.as_str(),
            info.minor.as_str(),
            info.git_version.as_str()
        ),
        ("1", "32", "v1.32.6")
    );
    assert_eq!(info.platform, "linux/amd64");
}

#[tokio::test]
async fn a_client_from_the_kubeconfig_reaches_the_simulator() {
    let running = serve_demo();
    let yaml = kubeconfig_yaml(&running.server.url(), "kubesight-sim");
    let kubeconfig = Kubeconfig::from_yaml(&yaml).expect("the kubeconfig parses");
    let config = within(
        "kubeconfig",
        kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default()),
    )
    .await
    .expect("kube-rs accepts the kubeconfig");
    assert_eq!(config.default_namespace, "default");
    let client = kube::Client::try_from(config).expect("a client");
    let namespaces = within(
        "listing namespaces",
        Api::<Namespace>::all(client).list(&ListParams::default()),
    )
    .await
    .expect("namespaces list");
    let names: Vec<String> = namespaces
        .items
        .iter()
        .map(|n| n.metadata.name.clone().unwrap_or_default())
        .collect();
    let expected: Vec<String> = running
        .sim
        .list("namespaces", None)
        .iter()
        .map(|n| {
            n["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(names, expected);
    assert!(names.contains(&"shop".to_string()), "{names:?}");
}

#[tokio::test]
async fn shutdown_releases_the_port() {
    let running = serve_demo();
    let addr = running.server.addr();
    within("shutdown", running.server.shutdown()).await;
    let refused = within("connecting", tokio::net::TcpStream::connect(addr)).await;
    assert!(refused.is_err(), "nothing listens on {addr} after shutdown");
}
