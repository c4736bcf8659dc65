use serde_json::{Value, json};

use super::*;

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_default()
}

#[test]
fn core_resources_read_like_wire_03() {
    let list = parse(&resource_list("", "v1"));
    assert_eq!(list["kind"], "APIResourceList");
    assert_eq!(list["groupVersion"], "v1");
    assert!(list.get("apiVersion").is_none());
    let names: Vec<&str> = list["resources"]
        .as_array()
        .map(|r| r.iter().filter_map(|e| e["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        vec![
            "configmaps",
            "endpoints",
            "events",
            "limitranges",
            "namespaces",
            "nodes",
            "persistentvolumeclaims",
            "persistentvolumes",
            "pods",
            "pods/eviction",
            "pods/exec",
            "pods/log",
            "pods/portforward",
            "replicationcontrollers",
            "resourcequotas",
            "secrets",
            "serviceaccounts",
            "services",
        ],
        "sorted by name, as wire/03"
    );
    let entry = |name: &str| {
        list["resources"]
            .as_array()
            .and_then(|r| r.iter().find(|e| e["name"] == name))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        entry("pods/log"),
        json!({"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]})
    );
    // As recorded: a subresource served from another group names it.
    assert_eq!(
        entry("pods/eviction"),
        json!({"name":"pods/eviction","singularName":"","namespaced":true,"group":"policy",
               "version":"v1","kind":"Eviction","verbs":["create"]})
    );
    assert_eq!(
        entry("pods"),
        json!({"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod",
               "verbs":["create","delete","deletecollection","get","list","patch","update","watch"],
               "shortNames":["po"],"categories":["all"],"storageVersionHash":"xPOwRZ+Yhw8="})
    );
}

#[test]
fn group_resources_carry_an_api_version() {
    let list = parse(&resource_list("apps", "v1"));
    assert_eq!(list["apiVersion"], "v1");
    assert_eq!(list["groupVersion"], "apps/v1");
    assert_eq!(list["resources"][0]["name"], "controllerrevisions");
    assert!(list["resources"][0].get("shortNames").is_none());
}

#[test]
fn negotiates_aggregated_discovery() {
    assert!(wants_aggregated(AGGREGATED_V2));
    assert!(wants_aggregated(
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
    ));
    assert!(!wants_aggregated("application/json, */*"));
    assert!(!wants_aggregated(""));
    assert!(!wants_aggregated(
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
    ));
}

#[test]
fn aggregated_documents_name_scopes() {
    let core = parse(&aggregated_core());
    assert_eq!(core["kind"], "APIGroupDiscoveryList");
    let nodes = core["items"][0]["versions"][0]["resources"]
        .as_array()
        .and_then(|r| r.iter().find(|e| e["resource"] == "nodes"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(nodes["resource"], "nodes");
    assert_eq!(nodes["scope"], "Cluster");
    let groups = parse(&aggregated_groups());
    assert_eq!(groups["items"][0]["metadata"]["name"], "apps");
}
