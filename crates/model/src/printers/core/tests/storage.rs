//! PersistentVolumeClaim, PersistentVolume, StorageClass, CSIDriver and
//! VolumeAttachment cells.

use serde_json::{Value, json};

use super::{cells, meta};

#[test]
fn claims_show_the_bound_volume() {
    let bound = json!({
        "metadata": meta("data-db-0", "2026-12-04T05:00:00Z"),
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": { "requests": { "storage": "10Gi" } },
            "storageClassName": "standard", "volumeMode": "Filesystem", "volumeName": "pvc-1f2e",
        },
        "status": { "phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": { "storage": "10240Mi" } },
    });
    assert_eq!(
        cells("", "PersistentVolumeClaim", bound),
        [
            "data-db-0",
            "Bound",
            "pvc-1f2e",
            "10Gi",
            "RWO",
            "standard",
            "<unset>",
            "60m",
            "Filesystem"
        ]
    );
    // Unbound: no capacity nor access modes, whatever was requested; the beta
    // annotation wins over storageClassName.
    let mut metadata = meta("scratch", "2026-12-04T05:00:00Z");
    metadata["annotations"] = json!({ "volume.beta.kubernetes.io/storage-class": "slow" });
    metadata["deletionTimestamp"] = json!("2026-12-04T05:59:00Z");
    let deleting = json!({
        "metadata": metadata,
        "spec": {
            "accessModes": ["ReadWriteMany"], "resources": { "requests": { "storage": "1Gi" } },
            "storageClassName": "fast", "volumeAttributesClassName": "gold",
        },
        "status": { "phase": "Pending" },
    });
    assert_eq!(
        cells("", "PersistentVolumeClaim", deleting),
        [
            "scratch",
            "Terminating",
            "",
            "",
            "",
            "slow",
            "gold",
            "60m",
            "<unset>"
        ]
    );
}

#[test]
fn volumes_show_claim_policy_and_modes() {
    let volume = json!({
        "metadata": { "name": "pvc-1f2e", "creationTimestamp": "2026-11-20T06:00:00Z" },
        "spec": {
            "capacity": { "storage": "10240Mi" },
            "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain",
            "storageClassName": "standard",
            "volumeMode": "Block",
            "claimRef": { "kind": "PersistentVolumeClaim", "namespace": "shop", "name": "data-db-0" },
            "hostPath": { "path": "/var/data" },
        },
        "status": { "phase": "Released", "reason": "ClaimDeleted" },
    });
    assert_eq!(
        cells("", "PersistentVolume", volume),
        [
            "pvc-1f2e",
            "10Gi",
            "RWO,RWX",
            "Retain",
            "Released",
            "shop/data-db-0",
            "standard",
            "<unset>",
            "ClaimDeleted",
            "14d",
            "Block"
        ]
    );
    assert_eq!(
        cells("", "PersistentVolume", json!({})),
        [
            "",
            "0",
            "",
            "",
            "",
            "",
            "",
            "<unset>",
            "",
            "<unknown>",
            "<unset>"
        ]
    );
}

#[test]
fn storage_classes_mark_the_default() {
    let class = |annotations: Value, extra: Value| {
        let mut object = json!({
            "metadata": { "name": "standard", "creationTimestamp": "2026-12-04T05:00:00Z", "annotations": annotations },
            "provisioner": "rancher.io/local-path",
        });
        object
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        cells("storage.k8s.io", "StorageClass", object)
    };
    assert_eq!(
        class(
            json!({ "storageclass.kubernetes.io/is-default-class": "true" }),
            json!({ "volumeBindingMode": "WaitForFirstConsumer" })
        ),
        json!([
            "standard (default)",
            "rancher.io/local-path",
            "Delete",
            "WaitForFirstConsumer",
            false,
            "60m"
        ])
        .as_array()
        .unwrap()
        .clone()
    );
    assert_eq!(
        class(
            json!({ "storageclass.beta.kubernetes.io/is-default-class": "true" }),
            json!({ "reclaimPolicy": "Retain", "allowVolumeExpansion": true })
        ),
        json!([
            "standard (default)",
            "rancher.io/local-path",
            "Retain",
            "Immediate",
            true,
            "60m"
        ])
        .as_array()
        .unwrap()
        .clone()
    );
    assert_eq!(
        class(
            json!({ "storageclass.kubernetes.io/is-default-class": "false" }),
            json!({})
        )[0],
        "standard"
    );
}

#[test]
fn csi_drivers_fill_go_defaults() {
    let driver = json!({
        "metadata": { "name": "ebs.csi.aws.com", "creationTimestamp": "2026-12-04T05:00:00Z" },
        "spec": {
            "attachRequired": true, "podInfoOnMount": false, "storageCapacity": true,
            "requiresRepublish": true, "fsGroupPolicy": "ReadWriteOnceWithFSType",
            "volumeLifecycleModes": ["Persistent", "Ephemeral"],
            "tokenRequests": [{ "audience": "sts.amazonaws.com", "expirationSeconds": 3600 }, { "audience": "" }],
        },
    });
    assert_eq!(
        Value::from(cells("storage.k8s.io", "CSIDriver", driver)),
        json!([
            "ebs.csi.aws.com",
            true,
            false,
            true,
            "sts.amazonaws.com,",
            true,
            "Persistent,Ephemeral",
            "60m"
        ])
    );
    let bare = json!({ "metadata": { "name": "hostpath.csi.k8s.io" }, "spec": {} });
    assert_eq!(
        Value::from(cells("storage.k8s.io", "CSIDriver", bare)),
        json!([
            "hostpath.csi.k8s.io",
            true,
            false,
            false,
            "<unset>",
            false,
            "<none>",
            "<unknown>"
        ])
    );
}

#[test]
fn volume_attachments_show_pv_node_and_state() {
    let attachment = json!({
        "metadata": { "name": "csi-3f1c9a", "creationTimestamp": "2026-12-04T05:00:00Z" },
        "spec": {
            "attacher": "ebs.csi.aws.com",
            "nodeName": "node-a",
            "source": { "persistentVolumeName": "pvc-1f2e" },
        },
        "status": { "attached": true, "attachmentMetadata": { "devicePath": "/dev/xvdba" } },
    });
    assert_eq!(
        Value::from(cells("storage.k8s.io", "VolumeAttachment", attachment)),
        json!([
            "csi-3f1c9a",
            "ebs.csi.aws.com",
            "pvc-1f2e",
            "node-a",
            true,
            "60m"
        ])
    );
    let inline = json!({
        "metadata": { "name": "csi-77aa", "creationTimestamp": "2026-12-04T05:00:00Z" },
        "spec": { "attacher": "ebs.csi.aws.com", "nodeName": "node-b", "source": { "inlineVolumeSpec": {} } },
    });
    assert_eq!(
        Value::from(cells("storage.k8s.io", "VolumeAttachment", inline)),
        json!(["csi-77aa", "ebs.csi.aws.com", "", "node-b", false, "60m"])
    );
}
