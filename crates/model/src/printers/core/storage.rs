//! PersistentVolumeClaim, PersistentVolume, StorageClass, CSIDriver and
//! VolumeAttachment.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::quantity::quantity_text;
use super::{annotation, field, flag, is_deleting, list, name, opt_text, text};
use crate::printers::{ColumnDef, ColumnType, age_column, age_text, col, name_column};

/// The beta annotation that still wins over `storageClassName`.
const BETA_STORAGE_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

pub fn pvc_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Status", ColumnType::String, 0, PVC_PHASE_DOC),
        col("Volume", ColumnType::String, 0, PVC_VOLUME_NAME_DOC),
        col("Capacity", ColumnType::String, 0, PVC_CAPACITY_DOC),
        col("Access Modes", ColumnType::String, 0, PVC_ACCESS_MODES_DOC),
        col(
            "StorageClass",
            ColumnType::String,
            0,
            "StorageClass of the pvc",
        ),
        col(
            "VolumeAttributesClass",
            ColumnType::String,
            0,
            "VolumeAttributesClass of the pvc",
        ),
        age_column(),
        col("VolumeMode", ColumnType::String, 1, PVC_VOLUME_MODE_DOC),
    ]
}

pub fn pvc_row(pvc: &Value, now: Timestamp) -> Vec<Value> {
    let phase = if is_deleting(pvc) {
        "Terminating"
    } else {
        text(pvc, "/status/phase")
    };
    let volume = text(pvc, "/spec/volumeName");
    // Capacity and access modes are the bound volume's: blank until bound.
    let (capacity, access_modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            quantity_text(field(pvc, "/status/capacity/storage")),
            access_modes(list(pvc, "/status/accessModes")),
        )
    };
    let class = annotation(pvc, BETA_STORAGE_CLASS)
        .or_else(|| opt_text(pvc, "/spec/storageClassName"))
        .unwrap_or_default();
    vec![
        json!(name(pvc)),
        json!(phase),
        json!(volume),
        json!(capacity),
        json!(access_modes),
        json!(class),
        json!(opt_text(pvc, "/spec/volumeAttributesClassName").unwrap_or("<unset>")),
        json!(age_text(pvc, now)),
        json!(opt_text(pvc, "/spec/volumeMode").unwrap_or("<unset>")),
    ]
}

pub fn pv_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Capacity", ColumnType::String, 0, PV_CAPACITY_DOC),
        col("Access Modes", ColumnType::String, 0, PV_ACCESS_MODES_DOC),
        col(
            "Reclaim Policy",
            ColumnType::String,
            0,
            PV_RECLAIM_POLICY_DOC,
        ),
        col("Status", ColumnType::String, 0, PV_PHASE_DOC),
        col("Claim", ColumnType::String, 0, PV_CLAIM_REF_DOC),
        col(
            "StorageClass",
            ColumnType::String,
            0,
            "StorageClass of the pv",
        ),
        col(
            "VolumeAttributesClass",
            ColumnType::String,
            0,
            "VolumeAttributesClass of the pv",
        ),
        col("Reason", ColumnType::String, 0, PV_REASON_DOC),
        age_column(),
        col("VolumeMode", ColumnType::String, 1, PV_VOLUME_MODE_DOC),
    ]
}

pub fn pv_row(pv: &Value, now: Timestamp) -> Vec<Value> {
    let claim = field(pv, "/spec/claimRef")
        .map(|claim| format!("{}/{}", text(claim, "/namespace"), text(claim, "/name")))
        .unwrap_or_default();
    let phase = if is_deleting(pv) {
        "Terminating"
    } else {
        text(pv, "/status/phase")
    };
    let class = annotation(pv, BETA_STORAGE_CLASS).unwrap_or(text(pv, "/spec/storageClassName"));
    vec![
        json!(name(pv)),
        json!(quantity_text(field(pv, "/spec/capacity/storage"))),
        json!(access_modes(list(pv, "/spec/accessModes"))),
        json!(text(pv, "/spec/persistentVolumeReclaimPolicy")),
        json!(phase),
        json!(claim),
        json!(class),
        json!(opt_text(pv, "/spec/volumeAttributesClassName").unwrap_or("<unset>")),
        json!(text(pv, "/status/reason")),
        json!(age_text(pv, now)),
        json!(opt_text(pv, "/spec/volumeMode").unwrap_or("<unset>")),
    ]
}

/// `helper.GetAccessModesAsString`: always in the order RWO,ROX,RWX,RWOP,
/// whatever the order or repetitions of the list.
fn access_modes(modes: &[Value]) -> String {
    let has = |mode: &str| modes.iter().any(|m| m.as_str() == Some(mode));
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(mode, _)| has(mode))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

pub fn storage_class_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Provisioner", ColumnType::String, 0, PROVISIONER_DOC),
        col(
            "ReclaimPolicy",
            ColumnType::String,
            0,
            CLASS_RECLAIM_POLICY_DOC,
        ),
        col("VolumeBindingMode", ColumnType::String, 0, BINDING_MODE_DOC),
        col(
            "AllowVolumeExpansion",
            ColumnType::String,
            0,
            ALLOW_EXPANSION_DOC,
        ),
        age_column(),
    ]
}

pub fn storage_class_row(class: &Value, now: Timestamp) -> Vec<Value> {
    // storageutil.IsDefaultAnnotation: the GA annotation or the beta one.
    let is_default = [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|key| annotation(class, key) == Some("true"));
    let mut shown_name = name(class).to_string();
    if is_default {
        shown_name.push_str(" (default)");
    }
    vec![
        json!(shown_name),
        json!(text(class, "/provisioner")),
        json!(opt_text(class, "/reclaimPolicy").unwrap_or("Delete")),
        json!(opt_text(class, "/volumeBindingMode").unwrap_or("Immediate")),
        json!(flag(class, "/allowVolumeExpansion").unwrap_or(false)),
        json!(age_text(class, now)),
    ]
}

pub fn csi_driver_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "AttachRequired",
            ColumnType::Boolean,
            0,
            ATTACH_REQUIRED_DOC,
        ),
        col(
            "PodInfoOnMount",
            ColumnType::Boolean,
            0,
            POD_INFO_ON_MOUNT_DOC,
        ),
        col(
            "StorageCapacity",
            ColumnType::Boolean,
            0,
            STORAGE_CAPACITY_DOC,
        ),
        col("TokenRequests", ColumnType::String, 0, TOKEN_REQUESTS_DOC),
        col(
            "RequiresRepublish",
            ColumnType::Boolean,
            0,
            REQUIRES_REPUBLISH_DOC,
        ),
        col("Modes", ColumnType::String, 0, LIFECYCLE_MODES_DOC),
        age_column(),
    ]
}

pub fn csi_driver_row(driver: &Value, now: Timestamp) -> Vec<Value> {
    let modes = list(driver, "/spec/volumeLifecycleModes")
        .iter()
        .map(|mode| mode.as_str().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(",");
    // A present but empty tokenRequests list prints as "", not "<unset>".
    let token_requests = match field(driver, "/spec/tokenRequests") {
        None => "<unset>".to_string(),
        Some(_) => list(driver, "/spec/tokenRequests")
            .iter()
            .map(|request| text(request, "/audience"))
            .collect::<Vec<_>>()
            .join(","),
    };
    vec![
        json!(name(driver)),
        json!(flag(driver, "/spec/attachRequired").unwrap_or(true)),
        json!(flag(driver, "/spec/podInfoOnMount").unwrap_or(false)),
        json!(flag(driver, "/spec/storageCapacity").unwrap_or(false)),
        json!(token_requests),
        json!(flag(driver, "/spec/requiresRepublish").unwrap_or(false)),
        json!(if modes.is_empty() {
            "<none>".to_string()
        } else {
            modes
        }),
        json!(age_text(driver, now)),
    ]
}

pub fn volume_attachment_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        // printers.go gives Attacher the "name" format too.
        ColumnDef {
            format: "name".to_string(),
            ..col("Attacher", ColumnType::String, 0, ATTACHER_DOC)
        },
        col("PV", ColumnType::String, 0, ATTACHMENT_PV_DOC),
        col("Node", ColumnType::String, 0, ATTACHMENT_NODE_DOC),
        col("Attached", ColumnType::Boolean, 0, ATTACHED_DOC),
        age_column(),
    ]
}

pub fn volume_attachment_row(attachment: &Value, now: Timestamp) -> Vec<Value> {
    vec![
        json!(name(attachment)),
        json!(text(attachment, "/spec/attacher")),
        json!(text(attachment, "/spec/source/persistentVolumeName")),
        json!(text(attachment, "/spec/nodeName")),
        json!(flag(attachment, "/status/attached").unwrap_or(false)),
        json!(age_text(attachment, now)),
    ]
}

// SwaggerDoc strings of k8s.io/api v0.32, as printers.go reads them:
// PersistentVolume(Claim) from core/v1, the rest from storage/v1.

/// `PersistentVolumeSpec.capacity`
const PV_CAPACITY_DOC: &str = "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity";
/// `PersistentVolumeSpec.accessModes`
const PV_ACCESS_MODES_DOC: &str = "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes";
/// `PersistentVolumeSpec.persistentVolumeReclaimPolicy`
const PV_RECLAIM_POLICY_DOC: &str = "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming";
/// `PersistentVolumeSpec.claimRef`
const PV_CLAIM_REF_DOC: &str = "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding";
/// `PersistentVolumeSpec.volumeMode`
const PV_VOLUME_MODE_DOC: &str = "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.";
/// `PersistentVolumeStatus.phase`
const PV_PHASE_DOC: &str = "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase";
/// `PersistentVolumeStatus.reason`
const PV_REASON_DOC: &str = "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.";
/// `PersistentVolumeClaimStatus.phase`
const PVC_PHASE_DOC: &str = "phase represents the current phase of PersistentVolumeClaim.";
/// `PersistentVolumeClaimStatus.capacity`
const PVC_CAPACITY_DOC: &str = "capacity represents the actual resources of the underlying volume.";
/// `PersistentVolumeClaimStatus.accessModes`
const PVC_ACCESS_MODES_DOC: &str = "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1";
/// `PersistentVolumeClaimSpec.volumeName`
const PVC_VOLUME_NAME_DOC: &str =
    "volumeName is the binding reference to the PersistentVolume backing this claim.";
/// `PersistentVolumeClaimSpec.volumeMode`
const PVC_VOLUME_MODE_DOC: &str = "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.";
/// `StorageClass.provisioner`
const PROVISIONER_DOC: &str = "provisioner indicates the type of the provisioner.";
/// `StorageClass.reclaimPolicy`
const CLASS_RECLAIM_POLICY_DOC: &str = "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.";
/// `StorageClass.volumeBindingMode`
const BINDING_MODE_DOC: &str = "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.";
/// `StorageClass.allowVolumeExpansion`
const ALLOW_EXPANSION_DOC: &str =
    "allowVolumeExpansion shows whether the storage class allow volume expand.";
/// `VolumeAttachmentSpec.attacher`
const ATTACHER_DOC: &str = "attacher indicates the name of the volume driver that MUST handle this request. This is the name returned by GetPluginName().";
/// `VolumeAttachmentSource.persistentVolumeName`
const ATTACHMENT_PV_DOC: &str =
    "persistentVolumeName represents the name of the persistent volume to attach.";
/// `VolumeAttachmentSpec.nodeName`
const ATTACHMENT_NODE_DOC: &str =
    "nodeName represents the node that the volume should be attached to.";
/// `VolumeAttachmentStatus.attached`
const ATTACHED_DOC: &str = "attached indicates the volume is successfully attached. This field must only be set by the entity completing the attach operation, i.e. the external-attacher.";
/// `CSIDriverSpec.attachRequired`
const ATTACH_REQUIRED_DOC: &str = "attachRequired indicates this CSI volume driver requires an attach operation (because it implements the CSI ControllerPublishVolume() method), and that the Kubernetes attach detach controller should call the attach volume interface which checks the volumeattachment status and waits until the volume is attached before proceeding to mounting. The CSI external-attacher coordinates with CSI volume driver and updates the volumeattachment status when the attach operation is complete. If the CSIDriverRegistry feature gate is enabled and the value is specified to false, the attach operation will be skipped. Otherwise the attach operation will be called.\n\nThis field is immutable.";
/// `CSIDriverSpec.podInfoOnMount`
const POD_INFO_ON_MOUNT_DOC: &str = "podInfoOnMount indicates this CSI volume driver requires additional pod information (like podName, podUID, etc.) during mount operations, if set to true. If set to false, pod information will not be passed on mount. Default is false.\n\nThe CSI driver specifies podInfoOnMount as part of driver deployment. If true, Kubelet will pass pod information as VolumeContext in the CSI NodePublishVolume() calls. The CSI driver is responsible for parsing and validating the information passed in as VolumeContext.\n\nThe following VolumeContext will be passed if podInfoOnMount is set to true. This list might grow, but the prefix will be used. \"csi.storage.k8s.io/pod.name\": pod.Name \"csi.storage.k8s.io/pod.namespace\": pod.Namespace \"csi.storage.k8s.io/pod.uid\": string(pod.UID) \"csi.storage.k8s.io/ephemeral\": \"true\" if the volume is an ephemeral inline volume\n                                defined by a CSIVolumeSource, otherwise \"false\"\n\n\"csi.storage.k8s.io/ephemeral\" is a new feature in Kubernetes 1.16. It is only required for drivers which support both the \"Persistent\" and \"Ephemeral\" VolumeLifecycleMode. Other drivers can leave pod info disabled and/or ignore this field. As Kubernetes 1.15 doesn't support this field, drivers can only support one mode when deployed on such a cluster and the deployment determines which mode that is, for example via a command line parameter of the driver.\n\nThis field was immutable in Kubernetes < 1.29 and now is mutable.";
/// `CSIDriverSpec.storageCapacity`
const STORAGE_CAPACITY_DOC: &str = "storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report by creating CSIStorageCapacity objects with capacity information, if set to true.\n\nThe check can be enabled immediately when deploying a driver. In that case, provisioning new volumes with late binding will pause until the driver deployment has published some suitable CSIStorageCapacity object.\n\nAlternatively, the driver can be deployed with the field unset or false and it can be flipped later when storage capacity information has been published.\n\nThis field was immutable in Kubernetes <= 1.22 and now is mutable.";
/// `CSIDriverSpec.tokenRequests`
const TOKEN_REQUESTS_DOC: &str = "tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for to do necessary authentication. Kubelet will pass the tokens in VolumeContext in the CSI NodePublishVolume calls. The CSI driver should parse and validate the following VolumeContext: \"csi.storage.k8s.io/serviceAccount.tokens\": {\n  \"<audience>\": {\n    \"token\": <token>,\n    \"expirationTimestamp\": <expiration timestamp in RFC3339>,\n  },\n  ...\n}\n\nNote: Audience in each TokenRequest should be different and at most one token is empty string. To receive a new token after expiry, RequiresRepublish can be used to trigger NodePublishVolume periodically.";
/// `CSIDriverSpec.requiresRepublish`
const REQUIRES_REPUBLISH_DOC: &str = "requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume. This field defaults to false.\n\nNote: After a successful initial NodePublishVolume call, subsequent calls to NodePublishVolume should only update the contents of the volume. New mount points will not be seen by a running container.";
/// `CSIDriverSpec.volumeLifecycleModes`
const LIFECYCLE_MODES_DOC: &str = "volumeLifecycleModes defines what kind of volumes this CSI volume driver supports. The default if the list is empty is \"Persistent\", which is the usage defined by the CSI specification and implemented in Kubernetes via the usual PV/PVC mechanism.\n\nThe other mode is \"Ephemeral\". In this mode, volumes are defined inline inside the pod spec with CSIVolumeSource and their lifecycle is tied to the lifecycle of that pod. A driver has to be aware of this because it is only going to get a NodePublishVolume call for such a volume.\n\nFor more information about implementing this mode, see https://kubernetes-csi.github.io/docs/ephemeral-local-volumes.html A driver can support one or more of these modes and more modes may be added in the future.\n\nThis field is beta. This field is immutable.";
