//! Just enough of Kubernetes' protobuf encoding to read the `DeleteOptions`
//! that client-go's typed clients send (kubectl's drain deletes pods so): the
//! `k8s\0` magic, the `runtime.Unknown` envelope, and the fields of
//! `meta.v1.DeleteOptions` the simulator honours, declared as prost messages with
//! the tags of Kubernetes' `generated.proto`. Everything else in protobuf is left
//! out: the simulator answers in JSON only.

use prost::Message as _;
use serde_json::{Map, Value};

pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";

const MAGIC: &[u8] = b"k8s\0";

/// `runtime.Unknown`, the envelope of every protobuf body after the magic.
#[derive(Clone, PartialEq, prost::Message)]
struct Unknown {
    #[prost(message, optional, tag = "1")]
    type_meta: Option<TypeMeta>,
    /// The encoded object.
    #[prost(bytes = "vec", optional, tag = "2")]
    raw: Option<Vec<u8>>,
    #[prost(string, optional, tag = "3")]
    content_encoding: Option<String>,
    #[prost(string, optional, tag = "4")]
    content_type: Option<String>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct TypeMeta {
    #[prost(string, optional, tag = "1")]
    api_version: Option<String>,
    #[prost(string, optional, tag = "2")]
    kind: Option<String>,
}

/// `meta.v1.DeleteOptions`, the fields the simulator honours (prost skips the
/// others).
#[derive(Clone, PartialEq, prost::Message)]
struct DeleteOptions {
    #[prost(int64, optional, tag = "1")]
    grace_period_seconds: Option<i64>,
    #[prost(message, optional, tag = "2")]
    preconditions: Option<Preconditions>,
    #[prost(string, optional, tag = "4")]
    propagation_policy: Option<String>,
    #[prost(string, repeated, tag = "5")]
    dry_run: Vec<String>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct Preconditions {
    #[prost(string, optional, tag = "1")]
    uid: Option<String>,
    #[prost(string, optional, tag = "2")]
    resource_version: Option<String>,
}

/// A protobuf `DeleteOptions` as the JSON object it stands for; `None` if the
/// body is not one.
pub fn delete_options(body: &[u8]) -> Option<Value> {
    let envelope = Unknown::decode(body.strip_prefix(MAGIC)?).ok()?;
    let decoded = DeleteOptions::decode(envelope.raw?.as_slice()).ok()?;
    let mut options = Map::new();
    if let Some(seconds) = decoded.grace_period_seconds {
        options.insert("gracePeriodSeconds".into(), Value::from(seconds));
    }
    if let Some(preconditions) = decoded.preconditions {
        let mut map = Map::new();
        if let Some(uid) = preconditions.uid {
            map.insert("uid".into(), Value::String(uid));
        }
        if let Some(version) = preconditions.resource_version {
            map.insert("resourceVersion".into(), Value::String(version));
        }
        options.insert("preconditions".into(), Value::Object(map));
    }
    if let Some(policy) = decoded.propagation_policy {
        options.insert("propagationPolicy".into(), Value::String(policy));
    }
    if !decoded.dry_run.is_empty() {
        options.insert(
            "dryRun".into(),
            Value::Array(decoded.dry_run.into_iter().map(Value::String).collect()),
        );
    }
    Some(Value::Object(options))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_grace_period_and_dry_run() {
        // DeleteOptions{gracePeriodSeconds: 5, dryRun: ["All"]} in runtime.Unknown.
        let inner = [0x08, 0x05, 0x2a, 0x03, b'A', b'l', b'l'];
        let mut body = MAGIC.to_vec();
        body.extend([0x12, inner.len() as u8]);
        body.extend(inner);
        assert_eq!(
            delete_options(&body),
            Some(json!({"gracePeriodSeconds": 5, "dryRun": ["All"]}))
        );
        assert_eq!(delete_options(b"{}"), None);
    }

    #[test]
    fn reads_negative_grace_preconditions_and_policy() {
        // gracePeriodSeconds: -1 is a ten-byte varint; preconditions {uid: "abc",
        // resourceVersion: "7"}; propagationPolicy: "Foreground"; an unknown field
        // 9 that must be skipped.
        let mut inner = vec![
            0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ];
        inner.extend([0x12, 8, 0x0a, 3, b'a', b'b', b'c', 0x12, 1, b'7']);
        inner.extend([0x22, 10]);
        inner.extend(b"Foreground");
        inner.extend([0x48, 0x01]);
        let mut body = MAGIC.to_vec();
        body.extend([0x12, inner.len() as u8]);
        body.extend(inner);
        assert_eq!(
            delete_options(&body),
            Some(json!({
                "gracePeriodSeconds": -1,
                "preconditions": {"uid": "abc", "resourceVersion": "7"},
                "propagationPolicy": "Foreground"
            }))
        );
        // A truncated body is no DeleteOptions.
        assert_eq!(delete_options(&body[..body.len() - 3]), None);
    }
}
