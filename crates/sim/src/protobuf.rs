//! Just enough of Kubernetes' protobuf encoding to read the `DeleteOptions`
//! that client-go's typed clients send (kubectl's drain deletes pods so): the
//! `k8s\0` magic, the `runtime.Unknown` envelope, and the fields of
//! `meta.v1.DeleteOptions` the simulator honours. Everything else in
//! protobuf is left out: the simulator answers in JSON only.

use serde_json::{Map, Value, json};

pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";

const MAGIC: &[u8] = b"k8s\0";

/// One field of a protobuf message: its number and its value.
enum Field<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
}

/// The fields of a message, in order; `None` if it is malformed.
fn fields(mut bytes: &[u8]) -> Option<Vec<(u64, Field<'_>)>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let (key, rest) = varint(bytes)?;
        let (number, wire_type) = (key >> 3, key & 7);
        let (field, rest) = match wire_type {
            0 => {
                let (value, rest) = varint(rest)?;
                (Field::Varint(value), rest)
            }
            2 => {
                let (length, rest) = varint(rest)?;
                let length = usize::try_from(length).ok()?;
                let value = rest.get(..length)?;
                (Field::Bytes(value), rest.get(length..)?)
            }
            1 => (Field::Varint(0), rest.get(8..)?),
            5 => (Field::Varint(0), rest.get(4..)?),
            _ => return None,
        };
        out.push((number, field));
        bytes = rest;
    }
    Some(out)
}

fn varint(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (index, byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            return Some((value, bytes.get(index + 1..)?));
        }
    }
    None
}

fn text(bytes: &[u8]) -> Option<String> {
    String::from_utf8(bytes.to_vec()).ok()
}

/// A protobuf `DeleteOptions` as the JSON object it stands for; `None` if the
/// body is not one.
pub fn delete_options(body: &[u8]) -> Option<Value> {
    let envelope = fields(body.strip_prefix(MAGIC)?)?;
    // runtime.Unknown: field 2 holds the encoded object.
    let raw = envelope.iter().find_map(|(number, field)| match field {
        Field::Bytes(raw) if *number == 2 => Some(*raw),
        _ => None,
    })?;
    let mut options = Map::new();
    let mut dry_run = Vec::new();
    for (number, field) in fields(raw)? {
        match (number, field) {
            // A negative int64 is a ten-byte varint: reinterpreting its bits is
            // how protobuf means it.
            (1, Field::Varint(seconds)) => {
                options.insert("gracePeriodSeconds".into(), json!(seconds as i64));
            }
            (2, Field::Bytes(preconditions)) => {
                let mut map = Map::new();
                for (number, field) in fields(preconditions)? {
                    match (number, field) {
                        (1, Field::Bytes(uid)) => map.insert("uid".into(), json!(text(uid)?)),
                        (2, Field::Bytes(version)) => {
                            map.insert("resourceVersion".into(), json!(text(version)?))
                        }
                        _ => None,
                    };
                }
                options.insert("preconditions".into(), Value::Object(map));
            }
            (4, Field::Bytes(policy)) => {
                options.insert("propagationPolicy".into(), json!(text(policy)?));
            }
            (5, Field::Bytes(mode)) => dry_run.push(json!(text(mode)?)),
            _ => {}
        }
    }
    if !dry_run.is_empty() {
        options.insert("dryRun".into(), Value::Array(dry_run));
    }
    Some(Value::Object(options))
}

#[cfg(test)]
mod tests {
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
}
