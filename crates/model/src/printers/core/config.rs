//! ConfigMap, Secret, ServiceAccount, Namespace, ResourceQuota, LimitRange,
//! Lease and PriorityClass.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::quantity::quantity_text;
use super::{flag, integer, len_of, map, name, opt_text, text, timestamp};
use crate::printers::{ColumnDef, ColumnType, age_column, age_text, col, name_column};

pub fn config_map_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Data", ColumnType::String, 0, CONFIG_MAP_DATA_DOC),
        age_column(),
    ]
}

pub fn config_map_row(config_map: &Value, now: Timestamp) -> Vec<Value> {
    let entries = len_of(config_map, "/data") + len_of(config_map, "/binaryData");
    vec![
        json!(name(config_map)),
        json!(entries),
        json!(age_text(config_map, now)),
    ]
}

pub fn secret_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Type", ColumnType::String, 0, SECRET_TYPE_DOC),
        col("Data", ColumnType::String, 0, SECRET_DATA_DOC),
        age_column(),
    ]
}

/// Only the number of keys: a Table never carries a secret's values.
pub fn secret_row(secret: &Value, now: Timestamp) -> Vec<Value> {
    vec![
        json!(name(secret)),
        json!(text(secret, "/type")),
        json!(len_of(secret, "/data")),
        json!(age_text(secret, now)),
    ]
}

pub fn service_account_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Secrets",
            ColumnType::String,
            0,
            SERVICE_ACCOUNT_SECRETS_DOC,
        ),
        age_column(),
    ]
}

pub fn service_account_row(account: &Value, now: Timestamp) -> Vec<Value> {
    vec![
        json!(name(account)),
        json!(len_of(account, "/secrets")),
        json!(age_text(account, now)),
    ]
}

pub fn namespace_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Status",
            ColumnType::String,
            0,
            "The status of the namespace",
        ),
        age_column(),
    ]
}

pub fn namespace_row(namespace: &Value, now: Timestamp) -> Vec<Value> {
    vec![
        json!(name(namespace)),
        json!(text(namespace, "/status/phase")),
        json!(age_text(namespace, now)),
    ]
}

pub fn resource_quota_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Request",
            ColumnType::String,
            0,
            "Request represents a minimum amount of cpu/memory that a container may consume.",
        ),
        col(
            "Limit",
            ColumnType::String,
            0,
            "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
        ),
        age_column(),
    ]
}

/// `used/hard` for every resource in `status.hard`, sorted by name; the
/// `limits.*` ones go to LIMIT, all others to REQUEST.
pub fn resource_quota_row(quota: &Value, now: Timestamp) -> Vec<Value> {
    let used = map(quota, "/status/used");
    let mut resources: Vec<(&String, &Value)> =
        map(quota, "/status/hard").into_iter().flatten().collect();
    resources.sort_by(|a, b| a.0.cmp(b.0));
    let mut requests: Vec<String> = Vec::new();
    let mut limits: Vec<String> = Vec::new();
    for (resource, hard) in resources {
        let used = quantity_text(used.and_then(|u| u.get(resource)).filter(|v| !v.is_null()));
        let entry = format!("{resource}: {used}/{}", quantity_text(Some(hard)));
        let mut pieces = resource.split('.');
        let is_limit = pieces.next() == Some("limits") && pieces.next().is_some();
        if is_limit {
            limits.push(entry);
        } else {
            requests.push(entry);
        }
    }
    vec![
        json!(name(quota)),
        json!(requests.join(", ")),
        json!(limits.join(", ")),
        json!(age_text(quota, now)),
    ]
}

/// LimitRange has no printer: the API server answers with its default
/// Table (`rest.NewDefaultTableConvertor`), Name and Created At.
pub fn limit_range_columns() -> Vec<ColumnDef> {
    crate::printers::default_columns()
}

/// Created At is the creationTimestamp written as Go's RFC 3339 in UTC,
/// whole seconds; Go's zero time when there is none.
pub fn limit_range_row(limit_range: &Value, _now: Timestamp) -> Vec<Value> {
    let created = timestamp(limit_range, "/metadata/creationTimestamp").map_or_else(
        || "0001-01-01T00:00:00Z".to_string(),
        |at| at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    );
    vec![json!(name(limit_range)), json!(created)]
}

pub fn lease_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Holder", ColumnType::String, 0, HOLDER_IDENTITY_DOC),
        age_column(),
    ]
}

pub fn lease_row(lease: &Value, now: Timestamp) -> Vec<Value> {
    vec![
        json!(name(lease)),
        json!(text(lease, "/spec/holderIdentity")),
        json!(age_text(lease, now)),
    ]
}

pub fn priority_class_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Value", ColumnType::Integer, 0, PRIORITY_VALUE_DOC),
        col("Global-Default", ColumnType::Boolean, 0, GLOBAL_DEFAULT_DOC),
        age_column(),
        col(
            "PreemptionPolicy",
            ColumnType::String,
            0,
            PREEMPTION_POLICY_DOC,
        ),
    ]
}

pub fn priority_class_row(class: &Value, now: Timestamp) -> Vec<Value> {
    vec![
        json!(name(class)),
        json!(integer(class, "/value").unwrap_or_default()),
        json!(flag(class, "/globalDefault").unwrap_or(false)),
        json!(age_text(class, now)),
        json!(opt_text(class, "/preemptionPolicy").unwrap_or_default()),
    ]
}

// SwaggerDoc strings of k8s.io/api v0.32, as printers.go reads them:
// ConfigMap, Secret and ServiceAccount from core/v1, PriorityClass from
// scheduling/v1, LeaseSpec from coordination/v1.

/// `ConfigMap.data`
const CONFIG_MAP_DATA_DOC: &str = "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.";
/// `Secret.type`
const SECRET_TYPE_DOC: &str = "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types";
/// `Secret.data`
const SECRET_DATA_DOC: &str = "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4";
/// `ServiceAccount.secrets`
const SERVICE_ACCOUNT_SECRETS_DOC: &str = "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret";
/// `PriorityClass.value`
const PRIORITY_VALUE_DOC: &str = "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.";
/// `PriorityClass.globalDefault`
const GLOBAL_DEFAULT_DOC: &str = "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.";
/// `PriorityClass.preemptionPolicy`
const PREEMPTION_POLICY_DOC: &str = "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.";
/// `LeaseSpec.holderIdentity`
const HOLDER_IDENTITY_DOC: &str = "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.";
