//! Event cells, core/v1 and events.k8s.io/v1.

use serde_json::{Value, json};

use super::{cells, meta};

#[test]
fn core_events_as_printed_by_the_server() {
    let back_off = json!({
        "metadata": meta("web-7d4b9c-x2k.17f1a2b3c4d5e6f7", "2026-12-04T05:50:00Z"),
        "involvedObject": {
            "kind": "Pod", "namespace": "shop", "name": "web-7d4b9c-x2k",
            "apiVersion": "v1", "fieldPath": "spec.containers{web}",
        },
        "reason": "BackOff",
        "message": "Back-off restarting failed container web in pod web-7d4b9c-x2k\n",
        "source": { "component": "kubelet", "host": "node-a" },
        "firstTimestamp": "2026-12-04T05:50:00Z",
        "lastTimestamp": "2026-12-04T05:58:30Z",
        "count": 7,
        "type": "Warning",
        "eventTime": null,
        "reportingComponent": "kubelet",
        "reportingInstance": "node-a",
    });
    assert_eq!(
        Value::from(cells("", "Event", back_off)),
        json!([
            "90s",
            "Warning",
            "BackOff",
            "pod/web-7d4b9c-x2k",
            "spec.containers{web}",
            "kubelet, node-a",
            "Back-off restarting failed container web in pod web-7d4b9c-x2k",
            "10m",
            7,
            "web-7d4b9c-x2k.17f1a2b3c4d5e6f7"
        ])
    );

    // Recorded through events.k8s.io, read through core/v1: only eventTime,
    // no count, the source in the reporting fields.
    let scheduled = json!({
        "metadata": meta("web-1.17f1a2b3c4d5e6f8", "2026-12-04T05:59:15Z"),
        "involvedObject": { "kind": "Pod", "namespace": "shop", "name": "web-1" },
        "reason": "Scheduled",
        "message": "Successfully assigned shop/web-1 to node-b",
        "source": {},
        "firstTimestamp": null,
        "lastTimestamp": null,
        "type": "Normal",
        "eventTime": "2026-12-04T05:59:15.123456Z",
        "reportingComponent": "default-scheduler",
        "reportingInstance": "default-scheduler-cp-1",
    });
    assert_eq!(
        Value::from(cells("", "Event", scheduled.clone())),
        json!([
            "44s",
            "Normal",
            "Scheduled",
            "pod/web-1",
            "",
            "default-scheduler, default-scheduler-cp-1",
            "Successfully assigned shop/web-1 to node-b",
            "44s",
            1,
            "web-1.17f1a2b3c4d5e6f8"
        ])
    );

    let mut repeated = scheduled;
    repeated["series"] = json!({ "count": 12, "lastObservedTime": "2026-12-04T05:59:50.000000Z" });
    repeated["involvedObject"] = json!({ "kind": "ClusterRole" });
    repeated["source"] = json!({ "component": "rbac-checker" });
    let row = cells("", "Event", repeated);
    assert_eq!(row[0], "10s");
    assert_eq!(row[3], "clusterrole");
    assert_eq!(row[5], "rbac-checker, default-scheduler-cp-1");
    assert_eq!(row[8], 12);

    assert_eq!(
        Value::from(cells("", "Event", json!({}))),
        json!(["<unknown>", "", "", "", "", "", "", "<unknown>", 1, ""])
    );
}

#[test]
fn events_k8s_io_events_print_like_core_ones() {
    let pulling = json!({
        "metadata": meta("web-1.17f1a2b3c4d5e6f9", "2026-12-04T05:40:00Z"),
        "eventTime": "2026-12-04T05:40:00.000000Z",
        "series": { "count": 3, "lastObservedTime": "2026-12-04T05:58:00.000000Z" },
        "reportingController": "kubelet",
        "reportingInstance": "node-b",
        "action": "Pulling",
        "reason": "Pulling",
        "regarding": { "kind": "Pod", "namespace": "shop", "name": "web-1", "fieldPath": "spec.containers{app}" },
        "note": "Pulling image \"nginx:1.27\"",
        "type": "Normal",
    });
    assert_eq!(
        Value::from(cells("events.k8s.io", "Event", pulling)),
        json!([
            "2m",
            "Normal",
            "Pulling",
            "pod/web-1",
            "spec.containers{app}",
            "kubelet, node-b",
            "Pulling image \"nginx:1.27\"",
            "20m",
            3,
            "web-1.17f1a2b3c4d5e6f9"
        ])
    );

    // An event written through core/v1 keeps its old fields under deprecated*.
    let legacy = json!({
        "metadata": meta("node-a.17f1", "2026-12-04T03:00:00Z"),
        "eventTime": null,
        "reason": "NodeNotReady",
        "regarding": { "kind": "Node", "name": "node-a" },
        "note": "Node node-a status is now: NodeNotReady",
        "type": "Normal",
        "deprecatedSource": { "component": "node-controller" },
        "deprecatedFirstTimestamp": "2026-12-04T03:00:00Z",
        "deprecatedLastTimestamp": "2026-12-04T05:00:00Z",
        "deprecatedCount": 4,
    });
    assert_eq!(
        Value::from(cells("events.k8s.io", "Event", legacy)),
        json!([
            "60m",
            "Normal",
            "NodeNotReady",
            "node/node-a",
            "",
            "node-controller",
            "Node node-a status is now: NodeNotReady",
            "3h",
            4,
            "node-a.17f1"
        ])
    );
}
