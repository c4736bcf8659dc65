//! The core printers against Tables a real kube-apiserver v1.32 returned
//! (`shared/wire/71`, `74`); realistic objects of every other kind in the
//! submodules.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::PRINTERS;
use crate::printers::{ColumnDef, Printer, builtin};

/// One recorded exchange: the server's `date` header and its JSON body.
struct Exchange {
    date: Timestamp,
    body: Value,
}

/// Every exchange of a `shared/wire/` file, in order.
fn exchanges(file: &str) -> Vec<Exchange> {
    let path = format!("{}/../../tests/wire/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.split("\n### ")
        .filter_map(|section| {
            let date = section.lines().find_map(|l| l.strip_prefix("date: "))?;
            let date = jiff::fmt::rfc2822::DateTimeParser::new()
                .parse_timestamp(date)
                .expect("an RFC 2822 date header");
            let start = section.find("\n{")? + 1;
            let body = serde_json::Deserializer::from_str(&section[start..])
                .into_iter::<Value>()
                .next()
                .expect("a body")
                .expect("JSON");
            Some(Exchange { date, body })
        })
        .collect()
}

fn recorded_columns(table: &Value) -> Vec<ColumnDef> {
    serde_json::from_value(table["columnDefinitions"].clone()).expect("columnDefinitions")
}

fn printer(group: &str, kind: &str) -> &'static Printer {
    builtin(group, kind).unwrap_or_else(|| panic!("no printer for {group}/{kind}"))
}

fn now() -> Timestamp {
    "2026-12-04T06:00:00Z".parse().unwrap()
}

/// The cells of `object` as the printer for `group`/`kind` makes them.
fn cells(group: &str, kind: &str, object: Value) -> Vec<Value> {
    let printer = printer(group, kind);
    let row = (printer.row)(&object, now());
    assert_eq!(
        row.len(),
        (printer.columns)().len(),
        "{kind}: one cell per column"
    );
    row
}

/// A column as `name:type:priority`, with `:name` appended for the name format.
fn shape(columns: &[ColumnDef]) -> Vec<String> {
    columns
        .iter()
        .map(|c| {
            let kind = serde_json::to_value(c.kind).unwrap();
            let mut s = format!("{}:{}:{}", c.name, kind.as_str().unwrap(), c.priority);
            if !c.format.is_empty() {
                s = format!("{s}:{}", c.format);
            }
            s
        })
        .collect()
}

fn meta(name: &str, created: &str) -> Value {
    json!({ "name": name, "namespace": "shop", "uid": "0b6f", "creationTimestamp": created })
}

#[test]
fn service_columns_match_the_recorded_table() {
    let table = crate::printers::tests::recorded("71-table-list-services-includeObject.txt");
    let service = printer("", "Service");
    assert_eq!((service.columns)(), recorded_columns(&table));
}

#[test]
fn service_cells_match_the_recorded_rows() {
    let exchange = &exchanges("71-table-list-services-includeObject.txt")[0];
    let rows = exchange.body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let service = printer("", "Service");
    for row in rows {
        // The server's date header is the `now` its ages were computed at.
        let cells = (service.row)(&row["object"], exchange.date);
        assert_eq!(
            Value::from(cells),
            row["cells"],
            "{}",
            row["object"]["metadata"]["name"]
        );
    }
}

#[test]
fn config_map_and_secret_columns_match_the_recorded_tables() {
    let exchanges = exchanges("74-table-list-configmaps-secrets.txt");
    assert_eq!(exchanges.len(), 2);
    let config_maps = printer("", "ConfigMap");
    let secrets = printer("", "Secret");
    assert_eq!(
        (config_maps.columns)(),
        recorded_columns(&exchanges[0].body)
    );
    assert_eq!((secrets.columns)(), recorded_columns(&exchanges[1].body));
}

/// The recorded rows carry only metadata; their managedFields name the data
/// keys the server counted, so the objects are rebuilt from those.
#[test]
fn config_map_and_secret_cells_match_the_recorded_rows() {
    fn rebuilt(row: &Value, extra: Value) -> Value {
        let metadata = &row["object"]["metadata"];
        let data: serde_json::Map<String, Value> = metadata["managedFields"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|entry| entry["fieldsV1"]["f:data"].as_object())
            .flat_map(|keys| keys.keys())
            .filter_map(|key| key.strip_prefix("f:"))
            .map(|key| (key.to_string(), json!("ZHVtbXk=")))
            .collect();
        let mut object = json!({ "metadata": metadata, "data": data });
        object
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        object
    }
    let exchanges = exchanges("74-table-list-configmaps-secrets.txt");
    for (exchange, kind, extra) in [
        (&exchanges[0], "ConfigMap", json!({})),
        (&exchanges[1], "Secret", json!({ "type": "Opaque" })),
    ] {
        let printer = printer("", kind);
        let rows = exchange.body["rows"].as_array().unwrap();
        assert!(!rows.is_empty());
        for row in rows {
            let cells = (printer.row)(&rebuilt(row, extra.clone()), exchange.date);
            assert_eq!(Value::from(cells), row["cells"]);
        }
    }
}

#[test]
fn every_kind_has_one_printer() {
    let kinds = [
        ("", "Service"),
        ("", "Endpoints"),
        ("", "ConfigMap"),
        ("", "Secret"),
        ("", "ServiceAccount"),
        ("", "Namespace"),
        ("", "PersistentVolumeClaim"),
        ("", "PersistentVolume"),
        ("", "ResourceQuota"),
        ("", "LimitRange"),
        ("", "Event"),
        ("discovery.k8s.io", "EndpointSlice"),
        ("networking.k8s.io", "Ingress"),
        ("networking.k8s.io", "IngressClass"),
        ("networking.k8s.io", "NetworkPolicy"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("coordination.k8s.io", "Lease"),
        ("events.k8s.io", "Event"),
    ];
    assert_eq!(PRINTERS.len(), kinds.len());
    for (group, kind) in kinds {
        let count = PRINTERS
            .iter()
            .filter(|p| p.group == group && p.kind == kind)
            .count();
        assert_eq!(count, 1, "{group}/{kind}");
        printer(group, kind);
    }
}

#[test]
fn columns_are_those_of_printers_go() {
    let expected: &[(&str, &str, &[&str])] = &[
        (
            "",
            "Endpoints",
            &["Name:string:0:name", "Endpoints:string:0", "Age:string:0"],
        ),
        (
            "",
            "ServiceAccount",
            &["Name:string:0:name", "Secrets:string:0", "Age:string:0"],
        ),
        (
            "",
            "Namespace",
            &["Name:string:0:name", "Status:string:0", "Age:string:0"],
        ),
        (
            "",
            "PersistentVolumeClaim",
            &[
                "Name:string:0:name",
                "Status:string:0",
                "Volume:string:0",
                "Capacity:string:0",
                "Access Modes:string:0",
                "StorageClass:string:0",
                "VolumeAttributesClass:string:0",
                "Age:string:0",
                "VolumeMode:string:1",
            ],
        ),
        (
            "",
            "PersistentVolume",
            &[
                "Name:string:0:name",
                "Capacity:string:0",
                "Access Modes:string:0",
                "Reclaim Policy:string:0",
                "Status:string:0",
                "Claim:string:0",
                "StorageClass:string:0",
                "VolumeAttributesClass:string:0",
                "Reason:string:0",
                "Age:string:0",
                "VolumeMode:string:1",
            ],
        ),
        (
            "",
            "ResourceQuota",
            &[
                "Name:string:0:name",
                "Request:string:0",
                "Limit:string:0",
                "Age:string:0",
            ],
        ),
        (
            "",
            "LimitRange",
            &["Name:string:0:name", "Created At:date:0"],
        ),
        (
            "discovery.k8s.io",
            "EndpointSlice",
            &[
                "Name:string:0:name",
                "AddressType:string:0",
                "Ports:string:0",
                "Endpoints:string:0",
                "Age:string:0",
            ],
        ),
        (
            "networking.k8s.io",
            "Ingress",
            &[
                "Name:string:0:name",
                "Class:string:0",
                "Hosts:string:0",
                "Address:string:0",
                "Ports:string:0",
                "Age:string:0",
            ],
        ),
        (
            "networking.k8s.io",
            "IngressClass",
            &[
                "Name:string:0:name",
                "Controller:string:0",
                "Parameters:string:0",
                "Age:string:0",
            ],
        ),
        (
            "networking.k8s.io",
            "NetworkPolicy",
            &[
                "Name:string:0:name",
                "Pod-Selector:string:0",
                "Age:string:0",
            ],
        ),
        (
            "storage.k8s.io",
            "StorageClass",
            &[
                "Name:string:0:name",
                "Provisioner:string:0",
                "ReclaimPolicy:string:0",
                "VolumeBindingMode:string:0",
                "AllowVolumeExpansion:string:0",
                "Age:string:0",
            ],
        ),
        (
            "storage.k8s.io",
            "CSIDriver",
            &[
                "Name:string:0:name",
                "AttachRequired:boolean:0",
                "PodInfoOnMount:boolean:0",
                "StorageCapacity:boolean:0",
                "TokenRequests:string:0",
                "RequiresRepublish:boolean:0",
                "Modes:string:0",
                "Age:string:0",
            ],
        ),
        (
            "storage.k8s.io",
            "VolumeAttachment",
            &[
                "Name:string:0:name",
                "Attacher:string:0:name",
                "PV:string:0",
                "Node:string:0",
                "Attached:boolean:0",
                "Age:string:0",
            ],
        ),
        (
            "scheduling.k8s.io",
            "PriorityClass",
            &[
                "Name:string:0:name",
                "Value:integer:0",
                "Global-Default:boolean:0",
                "Age:string:0",
                "PreemptionPolicy:string:0",
            ],
        ),
        (
            "coordination.k8s.io",
            "Lease",
            &["Name:string:0:name", "Holder:string:0", "Age:string:0"],
        ),
    ];
    for (group, kind, want) in expected {
        assert_eq!(
            shape(&(printer(group, kind).columns)()),
            *want,
            "{group}/{kind}"
        );
    }
    let events = [
        "Last Seen:string:0",
        "Type:string:0",
        "Reason:string:0",
        "Object:string:0",
        "Subobject:string:1",
        "Source:string:1",
        "Message:string:0",
        "First Seen:string:1",
        "Count:string:1",
        "Name:string:1:name",
    ];
    assert_eq!(shape(&(printer("", "Event").columns)()), events);
    assert_eq!(
        (printer("", "Event").columns)(),
        (printer("events.k8s.io", "Event").columns)()
    );
}

#[test]
fn descriptions_are_the_swagger_docs_printers_go_names() {
    let description = |group, kind, column: &str| {
        (printer(group, kind).columns)()
            .into_iter()
            .find(|c| c.name == column)
            .unwrap_or_else(|| panic!("{kind} has no {column}"))
            .description
    };
    assert_eq!(
        description("", "Event", "Last Seen"),
        "The time at which the most recent occurrence of this event was recorded."
    );
    assert_eq!(
        description("", "PersistentVolumeClaim", "Volume"),
        "volumeName is the binding reference to the PersistentVolume backing this claim."
    );
    assert_eq!(
        description("", "Namespace", "Status"),
        "The status of the namespace"
    );
    assert_eq!(
        description("storage.k8s.io", "StorageClass", "Provisioner"),
        "provisioner indicates the type of the provisioner."
    );
    assert!(
        description("storage.k8s.io", "CSIDriver", "AttachRequired").ends_with(
            "Otherwise the attach operation will be called.\n\nThis field is immutable."
        )
    );
    assert!(
        description("networking.k8s.io", "NetworkPolicy", "Pod-Selector")
            .starts_with("Selects the pods to which this NetworkPolicy object applies.  The array")
    );
    for printer in PRINTERS {
        for column in (printer.columns)() {
            assert!(
                !column.description.is_empty(),
                "{}: {}",
                printer.kind,
                column.name
            );
        }
    }
}

#[test]
fn printers_survive_objects_of_any_shape() {
    let odd = [
        json!(null),
        json!([]),
        json!("text"),
        json!({}),
        json!({
            "metadata": { "name": 5, "annotations": [], "creationTimestamp": "yesterday" },
            "spec": { "ports": "80", "type": 3, "clusterIPs": [null], "selector": [1],
                      "rules": [1, "a"], "capacity": { "storage": {} }, "accessModes": [7],
                      "podSelector": { "matchLabels": [] }, "tokenRequests": {} },
            "status": { "hard": { "cpu": [] }, "used": 1, "loadBalancer": { "ingress": {} } },
            "subsets": [{ "addresses": [{}], "ports": [{ "port": "x" }] }],
            "endpoints": [{ "addresses": [null] }], "ports": [null],
            "series": [], "involvedObject": "pod", "regarding": 1, "count": "many",
            "data": "x", "secrets": 2, "value": "high",
        }),
    ];
    for printer in PRINTERS {
        let width = (printer.columns)().len();
        for object in &odd {
            let row = (printer.row)(object, now());
            assert_eq!(row.len(), width, "{}: {object}", printer.kind);
        }
    }
}

mod config;
mod events;
mod network;
mod storage;
