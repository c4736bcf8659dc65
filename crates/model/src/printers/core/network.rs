//! Service, Endpoints, EndpointSlice, Ingress, IngressClass and NetworkPolicy.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{
    field, format_label_selector, format_labels, integer, list, list_with_more, map, name,
    opt_text, text,
};
use crate::printers::{ColumnDef, ColumnType, age_column, age_text, col, name_column};

pub fn service_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Type", ColumnType::String, 0, SERVICE_TYPE_DOC),
        col("Cluster-IP", ColumnType::String, 0, SERVICE_CLUSTER_IP_DOC),
        col(
            "External-IP",
            ColumnType::String,
            0,
            SERVICE_EXTERNAL_IPS_DOC,
        ),
        col("Port(s)", ColumnType::String, 0, SERVICE_PORTS_DOC),
        age_column(),
        col("Selector", ColumnType::String, 1, SERVICE_SELECTOR_DOC),
    ]
}

pub fn service_row(svc: &Value, now: Timestamp) -> Vec<Value> {
    // CLUSTER-IP reads clusterIPs, not clusterIP: the API server fills the
    // former from the latter on every write.
    let internal_ip = list(svc, "/spec/clusterIPs")
        .first()
        .map_or("<none>", |ip| ip.as_str().unwrap_or_default());
    let mut ports = service_ports(list(svc, "/spec/ports"));
    if ports.is_empty() {
        ports = "<none>".to_string();
    }
    vec![
        json!(name(svc)),
        json!(text(svc, "/spec/type")),
        json!(internal_ip),
        json!(external_ip(svc)),
        json!(ports),
        json!(age_text(svc, now)),
        json!(format_labels(map(svc, "/spec/selector"))),
    ]
}

/// `getServiceExternalIP` with `wide` set, as the server prints.
fn external_ip(svc: &Value) -> String {
    let external_ips = strings(list(svc, "/spec/externalIPs"));
    match text(svc, "/spec/type") {
        "ClusterIP" | "NodePort" if !external_ips.is_empty() => external_ips.join(","),
        "ClusterIP" | "NodePort" => "<none>".to_string(),
        "LoadBalancer" => {
            let lb_ips = load_balancer_addresses(list(svc, "/status/loadBalancer/ingress"));
            if !external_ips.is_empty() {
                let mut results: Vec<&str> = Vec::new();
                if !lb_ips.is_empty() {
                    results.extend(lb_ips.split(','));
                }
                results.extend(external_ips.iter().map(String::as_str));
                return results.join(",");
            }
            if lb_ips.is_empty() {
                "<pending>".to_string()
            } else {
                lb_ips
            }
        }
        "ExternalName" => text(svc, "/spec/externalName").to_string(),
        _ => "<unknown>".to_string(),
    }
}

/// `loadBalancerStatusStringer` (and its Ingress twin) with `wide` set: each
/// ingress point's IP, else its hostname, sorted and deduplicated.
fn load_balancer_addresses(ingress: &[Value]) -> String {
    let addresses: BTreeSet<&str> = ingress
        .iter()
        .filter_map(|point| {
            let ip = text(point, "/ip");
            let hostname = text(point, "/hostname");
            if !ip.is_empty() {
                Some(ip)
            } else if !hostname.is_empty() {
                Some(hostname)
            } else {
                None
            }
        })
        .collect();
    addresses.into_iter().collect::<Vec<_>>().join(",")
}

/// `makePortString`: `port/protocol`, `port:nodePort/protocol` with a node port.
fn service_ports(ports: &[Value]) -> String {
    ports
        .iter()
        .map(|port| {
            let number = integer(port, "/port").unwrap_or_default();
            let protocol = text(port, "/protocol");
            match integer(port, "/nodePort").unwrap_or_default() {
                node_port if node_port > 0 => format!("{number}:{node_port}/{protocol}"),
                _ => format!("{number}/{protocol}"),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn strings(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|item| item.as_str().unwrap_or_default().to_string())
        .collect()
}

pub fn endpoints_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Endpoints", ColumnType::String, 0, ENDPOINTS_SUBSETS_DOC),
        age_column(),
    ]
}

pub fn endpoints_row(endpoints: &Value, now: Timestamp) -> Vec<Value> {
    vec![
        json!(name(endpoints)),
        json!(format_endpoints(list(endpoints, "/subsets"))),
        json!(age_text(endpoints, now)),
    ]
}

/// `formatEndpoints` for all ports: ready addresses only, at most three shown.
fn format_endpoints(subsets: &[Value]) -> String {
    const MAX: usize = 3;
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    let mut shown: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for subset in subsets {
        let addresses = list(subset, "/addresses");
        let ports = list(subset, "/ports");
        // A headless service may have no ports: its addresses stand alone.
        if ports.is_empty() {
            count += addresses.len();
            for address in addresses {
                if shown.len() == MAX {
                    more = true;
                    break;
                }
                shown.push(text(address, "/ip").to_string());
            }
            continue;
        }
        for port in ports {
            count += addresses.len();
            let number = integer(port, "/port").unwrap_or_default();
            for address in addresses {
                if shown.len() == MAX {
                    more = true;
                    break;
                }
                shown.push(join_host_port(text(address, "/ip"), number));
            }
        }
    }
    let joined = shown.join(",");
    if more {
        return format!("{joined} + {} more...", count.saturating_sub(MAX));
    }
    joined
}

/// Go's `net.JoinHostPort`: brackets around a host with a colon (IPv6).
fn join_host_port(host: &str, port: i64) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

pub fn endpoint_slice_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("AddressType", ColumnType::String, 0, SLICE_ADDRESS_TYPE_DOC),
        col("Ports", ColumnType::String, 0, SLICE_PORTS_DOC),
        col("Endpoints", ColumnType::String, 0, SLICE_ENDPOINTS_DOC),
        age_column(),
    ]
}

pub fn endpoint_slice_row(slice: &Value, now: Timestamp) -> Vec<Value> {
    vec![
        json!(name(slice)),
        json!(text(slice, "/addressType")),
        json!(discovery_ports(list(slice, "/ports"))),
        json!(discovery_endpoints(list(slice, "/endpoints"))),
        json!(age_text(slice, now)),
    ]
}

/// `formatDiscoveryPorts`: the port number, else its name, else `*`.
fn discovery_ports(ports: &[Value]) -> String {
    const MAX: usize = 3;
    let shown: Vec<String> = ports
        .iter()
        .take(MAX)
        .map(
            |port| match (integer(port, "/port"), opt_text(port, "/name")) {
                (Some(number), _) => number.to_string(),
                (None, Some(name)) => name.to_string(),
                (None, None) => "*".to_string(),
            },
        )
        .collect();
    list_with_more(&shown, ports.len() > MAX, ports.len(), MAX)
}

/// `formatDiscoveryEndpoints`: every address of every endpoint, ready or not.
fn discovery_endpoints(endpoints: &[Value]) -> String {
    const MAX: usize = 3;
    let addresses: Vec<String> = endpoints
        .iter()
        .flat_map(|endpoint| strings(list(endpoint, "/addresses")))
        .collect();
    let shown = &addresses[..addresses.len().min(MAX)];
    list_with_more(shown, addresses.len() > MAX, addresses.len(), MAX)
}

pub fn ingress_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Class",
            ColumnType::String,
            0,
            "The name of the IngressClass resource that should be used for additional configuration",
        ),
        col(
            "Hosts",
            ColumnType::String,
            0,
            "Hosts that incoming requests are matched against before the ingress rule",
        ),
        col(
            "Address",
            ColumnType::String,
            0,
            "Address is a list containing ingress points for the load-balancer",
        ),
        col(
            "Ports",
            ColumnType::String,
            0,
            "Ports of TLS configurations that open",
        ),
        age_column(),
    ]
}

pub fn ingress_row(ingress: &Value, now: Timestamp) -> Vec<Value> {
    let class = opt_text(ingress, "/spec/ingressClassName").unwrap_or("<none>");
    let ports = if list(ingress, "/spec/tls").is_empty() {
        "80"
    } else {
        "80, 443"
    };
    vec![
        json!(name(ingress)),
        json!(class),
        json!(format_hosts(list(ingress, "/spec/rules"))),
        json!(load_balancer_addresses(list(
            ingress,
            "/status/loadBalancer/ingress"
        ))),
        json!(ports),
        json!(age_text(ingress, now)),
    ]
}

/// `formatHosts`: the first three hosts (rules without one skipped), `*`
/// when none; the `+ N more` counts rules, not hosts, as kubectl does.
fn format_hosts(rules: &[Value]) -> String {
    const MAX: usize = 3;
    let mut shown: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in rules {
        if shown.len() == MAX {
            more = true;
        }
        let host = text(rule, "/host");
        if !more && !host.is_empty() {
            shown.push(host);
        }
    }
    if shown.is_empty() {
        return "*".to_string();
    }
    let joined = shown.join(",");
    if more {
        return format!("{joined} + {} more...", rules.len().saturating_sub(MAX));
    }
    joined
}

pub fn ingress_class_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Controller",
            ColumnType::String,
            0,
            "Controller that is responsible for handling this class",
        ),
        col(
            "Parameters",
            ColumnType::String,
            0,
            "A reference to a resource with additional parameters",
        ),
        age_column(),
    ]
}

pub fn ingress_class_row(class: &Value, now: Timestamp) -> Vec<Value> {
    let parameters = match field(class, "/spec/parameters") {
        None => "<none>".to_string(),
        Some(parameters) => {
            let mut reference = text(parameters, "/kind").to_string();
            // An apiGroup that is present, even empty, is printed with its dot.
            if let Some(group) = opt_text(parameters, "/apiGroup") {
                reference = format!("{reference}.{group}");
            }
            format!("{reference}/{}", text(parameters, "/name"))
        }
    };
    vec![
        json!(name(class)),
        json!(text(class, "/spec/controller")),
        json!(parameters),
        json!(age_text(class, now)),
    ]
}

pub fn network_policy_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Pod-Selector", ColumnType::String, 0, POD_SELECTOR_DOC),
        age_column(),
    ]
}

pub fn network_policy_row(policy: &Value, now: Timestamp) -> Vec<Value> {
    // podSelector is a struct, not a pointer, in Go: absent reads as empty.
    let empty = json!({});
    let selector = field(policy, "/spec/podSelector").unwrap_or(&empty);
    vec![
        json!(name(policy)),
        json!(format_label_selector(Some(selector))),
        json!(age_text(policy, now)),
    ]
}

// SwaggerDoc strings of k8s.io/api v0.32, as printers.go reads them:
// ServiceSpec and Endpoints from core/v1, EndpointSlice from discovery/v1beta1,
// NetworkPolicySpec from extensions/v1beta1.

/// `ServiceSpec.type`
const SERVICE_TYPE_DOC: &str = "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types";
/// `ServiceSpec.clusterIP`
const SERVICE_CLUSTER_IP_DOC: &str = "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";
/// `ServiceSpec.externalIPs`
const SERVICE_EXTERNAL_IPS_DOC: &str = "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.";
/// `ServiceSpec.ports`
const SERVICE_PORTS_DOC: &str = "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";
/// `ServiceSpec.selector`
const SERVICE_SELECTOR_DOC: &str = "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/";
/// `Endpoints.subsets`
const ENDPOINTS_SUBSETS_DOC: &str = "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.";
/// `EndpointSlice.addressType`
const SLICE_ADDRESS_TYPE_DOC: &str = "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.";
/// `EndpointSlice.ports`
const SLICE_PORTS_DOC: &str = "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports.";
/// `EndpointSlice.endpoints`
const SLICE_ENDPOINTS_DOC: &str = "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.";
/// `NetworkPolicySpec.podSelector`
const POD_SELECTOR_DOC: &str = "Selects the pods to which this NetworkPolicy object applies.  The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods.  In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.";
