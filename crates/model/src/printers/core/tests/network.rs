//! Service, Endpoints, EndpointSlice, Ingress, IngressClass and NetworkPolicy
//! cells.

use serde_json::{Value, json};

use super::{cells, meta};

#[test]
fn service_types_external_ips_and_ports() {
    let load_balancer = json!({
        "metadata": meta("edge", "2026-12-01T06:00:00Z"),
        "spec": {
            "type": "LoadBalancer", "clusterIP": "10.96.0.20", "clusterIPs": ["10.96.0.20"],
            "ports": [
                { "name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080, "nodePort": 30080 },
                { "name": "dns", "protocol": "UDP", "port": 53, "targetPort": 53, "nodePort": 30053 },
            ],
            "selector": { "tier": "edge", "app": "gw" },
        },
        "status": { "loadBalancer": {} },
    });
    assert_eq!(
        cells("", "Service", load_balancer.clone()),
        [
            "edge",
            "LoadBalancer",
            "10.96.0.20",
            "<pending>",
            "80:30080/TCP,53:30053/UDP",
            "3d",
            "app=gw,tier=edge"
        ]
    );

    let mut provisioned = load_balancer.clone();
    provisioned["status"]["loadBalancer"]["ingress"] =
        json!([{ "hostname": "lb.example.com" }, { "ip": "203.0.113.7" }, { "ip": "203.0.113.7" }]);
    assert_eq!(
        cells("", "Service", provisioned.clone())[3],
        "203.0.113.7,lb.example.com"
    );
    provisioned["spec"]["externalIPs"] = json!(["198.51.100.1"]);
    assert_eq!(
        cells("", "Service", provisioned)[3],
        "203.0.113.7,lb.example.com,198.51.100.1"
    );

    let external_name = json!({
        "metadata": meta("db", "2026-12-04T05:59:00Z"),
        "spec": { "type": "ExternalName", "externalName": "db.example.com", "sessionAffinity": "None" },
    });
    assert_eq!(
        cells("", "Service", external_name),
        [
            "db",
            "ExternalName",
            "<none>",
            "db.example.com",
            "<none>",
            "60s",
            "<none>"
        ]
    );

    let headless = json!({
        "metadata": meta("pg", "2026-12-04T04:00:00Z"),
        "spec": {
            "type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"],
            "externalIPs": ["192.0.2.1", "192.0.2.2"],
            "ports": [{ "protocol": "TCP", "port": 5432, "targetPort": 5432 }],
            "selector": { "app": "pg" },
        },
    });
    assert_eq!(
        cells("", "Service", headless),
        [
            "pg",
            "ClusterIP",
            "None",
            "192.0.2.1,192.0.2.2",
            "5432/TCP",
            "120m",
            "app=pg"
        ]
    );
}

#[test]
fn endpoints_show_three_addresses_then_a_count() {
    let endpoints = json!({
        "metadata": meta("web", "2026-12-04T05:00:00Z"),
        "subsets": [
            {
                "addresses": [{ "ip": "10.0.0.1" }, { "ip": "10.0.0.2" }],
                "notReadyAddresses": [{ "ip": "10.0.0.9" }],
                "ports": [
                    { "name": "http", "port": 8080, "protocol": "TCP" },
                    { "name": "metrics", "port": 9090, "protocol": "TCP" },
                ],
            },
            { "addresses": [{ "ip": "10.0.0.3" }], "ports": [{ "name": "http", "port": 8080 }] },
        ],
    });
    assert_eq!(
        cells("", "Endpoints", endpoints),
        [
            "web",
            "10.0.0.1:8080,10.0.0.2:8080,10.0.0.1:9090 + 2 more...",
            "60m"
        ]
    );
    let endpoint =
        |subsets: Value| cells("", "Endpoints", json!({ "subsets": subsets }))[1].clone();
    assert_eq!(
        endpoint(json!([{ "addresses": [{ "ip": "fd00::5" }], "ports": [{ "port": 53 }] }])),
        "[fd00::5]:53"
    );
    // A headless service without ports: bare addresses.
    assert_eq!(
        endpoint(json!([{ "addresses": [{ "ip": "10.0.0.1" }, { "ip": "10.0.0.2" }] }])),
        "10.0.0.1,10.0.0.2"
    );
    assert_eq!(
        endpoint(
            json!([{ "notReadyAddresses": [{ "ip": "10.0.0.1" }], "ports": [{ "port": 80 }] }])
        ),
        ""
    );
    assert_eq!(endpoint(json!([])), "<none>");
}

#[test]
fn endpoint_slices_list_ports_and_addresses() {
    let slice = json!({
        "metadata": meta("web-x7k2p", "2026-12-04T05:00:00Z"),
        "addressType": "IPv4",
        "ports": [
            { "name": "http", "port": 8080, "protocol": "TCP" },
            { "name": "grpc", "protocol": "TCP" },
            {},
            { "port": 9090 },
        ],
        "endpoints": [
            { "addresses": ["10.0.0.1"], "conditions": { "ready": true } },
            { "addresses": ["10.0.0.2"], "conditions": { "ready": false } },
            { "addresses": ["10.0.0.3", "10.0.0.4"] },
        ],
    });
    assert_eq!(
        cells("discovery.k8s.io", "EndpointSlice", slice),
        [
            "web-x7k2p",
            "IPv4",
            "8080,grpc,* + 1 more...",
            "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...",
            "60m"
        ]
    );
    let empty = json!({
        "metadata": meta("idle", "2026-12-04T05:00:00Z"),
        "addressType": "IPv6", "ports": [], "endpoints": [],
    });
    assert_eq!(
        cells("discovery.k8s.io", "EndpointSlice", empty),
        ["idle", "IPv6", "<unset>", "<unset>", "60m"]
    );
}

#[test]
fn ingresses_show_class_hosts_address_and_ports() {
    let ingress = json!({
        "metadata": meta("shop", "2026-12-02T06:00:00Z"),
        "spec": {
            "ingressClassName": "nginx",
            "tls": [{ "hosts": ["shop.example.com"], "secretName": "shop-tls" }],
            "rules": [
                { "host": "shop.example.com" },
                { "http": { "paths": [] } },
                { "host": "api.example.com" },
                { "host": "cdn.example.com" },
                { "host": "img.example.com" },
            ],
        },
        "status": { "loadBalancer": { "ingress": [
            { "ip": "192.0.2.10" },
            { "hostname": "ingress.example.net" },
        ] } },
    });
    assert_eq!(
        cells("networking.k8s.io", "Ingress", ingress),
        [
            "shop",
            "nginx",
            "shop.example.com,api.example.com,cdn.example.com + 2 more...",
            "192.0.2.10,ingress.example.net",
            "80, 443",
            "2d"
        ]
    );
    let bare = json!({
        "metadata": meta("catch-all", "2026-12-02T06:00:00Z"),
        "spec": { "defaultBackend": {} },
    });
    assert_eq!(
        cells("networking.k8s.io", "Ingress", bare),
        ["catch-all", "<none>", "*", "", "80", "2d"]
    );
}

#[test]
fn ingress_classes_show_their_parameters() {
    let class = |parameters: Value| {
        let object = json!({
            "metadata": { "name": "nginx", "creationTimestamp": "2026-12-04T05:00:00Z" },
            "spec": { "controller": "k8s.io/ingress-nginx", "parameters": parameters },
        });
        cells("networking.k8s.io", "IngressClass", object)
    };
    assert_eq!(
        class(
            json!({ "apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external-lb" })
        ),
        [
            "nginx",
            "k8s.io/ingress-nginx",
            "IngressParameters.k8s.example.com/external-lb",
            "60m"
        ]
    );
    assert_eq!(
        class(
            json!({ "kind": "ConfigMap", "name": "nginx-conf", "namespace": "ingress", "scope": "Namespace" })
        )[2],
        "ConfigMap/nginx-conf"
    );
    assert_eq!(class(Value::Null)[2], "<none>");
}

#[test]
fn network_policies_show_their_pod_selector() {
    let policy = |selector: Value| {
        let object = json!({
            "metadata": meta("db-ingress", "2026-12-04T05:00:00Z"),
            "spec": { "podSelector": selector, "policyTypes": ["Ingress"] },
        });
        cells("networking.k8s.io", "NetworkPolicy", object)
    };
    assert_eq!(
        policy(json!({
            "matchLabels": { "tier": "data", "app": "db" },
            "matchExpressions": [
                { "key": "env", "operator": "In", "values": ["staging", "prod"] },
                { "key": "canary", "operator": "DoesNotExist" },
            ],
        })),
        [
            "db-ingress",
            "app=db,!canary,env in (prod,staging),tier=data",
            "60m"
        ]
    );
    assert_eq!(policy(json!({}))[1], "<none>");
    assert_eq!(policy(Value::Null)[1], "<none>");
    assert_eq!(
        policy(
            json!({ "matchExpressions": [{ "key": "app", "operator": "Matches", "values": ["x"] }] })
        )[1],
        "<error>"
    );
}
