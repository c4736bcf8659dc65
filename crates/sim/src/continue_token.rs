//! Continue tokens, encoded as etcd3's store encodes them: unpadded URL-safe base64 of
//! `{"v":"meta.k8s.io/v1","rv":N,"start":"/<key after the list prefix>\u0000"}`
//! (decode the tokens of `wire/10` to see one). Clients treat them as opaque; the
//! byte-for-byte format only matters to someone comparing responses by eye.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

const TOKEN_VERSION: &str = "meta.k8s.io/v1";

/// A decoded token: where the next page starts and at which resourceVersion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContinueToken {
    /// The list's resourceVersion; `-1` asks for the latest one (handed out after
    /// the original version expired).
    pub resource_version: i64,
    /// The first key (relative to the list's scope) the next page may hold.
    pub start_key: String,
}

/// Encodes a token whose next page starts at `start_key` (relative to the list's
/// scope); after a page ending at key `k` that is `k` followed by a NUL, the
/// smallest key after `k`, exactly as etcd3's store does.
pub fn encode(resource_version: i64, start_key: &str) -> String {
    // Written by hand so the fields keep etcd's order (v, rv, start).
    let json = format!(
        r#"{{"v":"{TOKEN_VERSION}","rv":{resource_version},"start":{}}}"#,
        serde_json::Value::String(format!("/{start_key}"))
    );
    URL_SAFE_NO_PAD.encode(json)
}

/// The start key of the page after the one ending at `last_key`.
pub fn key_after(last_key: &str) -> String {
    format!("{last_key}\u{0}")
}

#[derive(Deserialize)]
struct WireToken {
    #[serde(default)]
    v: String,
    #[serde(default)]
    rv: i64,
    #[serde(default)]
    start: String,
}

/// Decodes a token as `storage.DecodeContinue` does, with its error messages (the
/// caller prefixes them with `invalid continue token: `).
pub fn decode(token: &str) -> Result<ContinueToken, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|e| format!("continue key is not valid: {e}"))?;
    let wire: WireToken =
        serde_json::from_slice(&bytes).map_err(|e| format!("continue key is not valid: {e}"))?;
    if wire.v != TOKEN_VERSION {
        return Err(format!(
            "continue key is not valid: server does not recognize this encoded version {}",
            wire.v
        ));
    }
    if wire.rv == 0 {
        return Err("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)".to_string());
    }
    if wire.start.is_empty() {
        return Err(
            "continue key is not valid: encoded start key empty (version meta.k8s.io/v1)"
                .to_string(),
        );
    }
    let key = if wire.start.starts_with('/') {
        wire.start.clone()
    } else {
        format!("/{}", wire.start)
    };
    // A start key that path.Clean would change could climb out of the list's
    // prefix; the real server refuses those, and so do we.
    if !is_clean_path(&key) {
        return Err(format!("continue key is not valid: {}", wire.start));
    }
    Ok(ContinueToken {
        resource_version: wire.rv,
        start_key: key[1..].to_string(),
    })
}

/// Whether Go's `path.Clean` leaves this absolute path unchanged.
fn is_clean_path(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    if path.ends_with('/') {
        return false;
    }
    path[1..]
        .split('/')
        .all(|segment| !segment.is_empty() && segment != "." && segment != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token `wire/10` received for the namespaced list of three pods.
    const RECORDED: &str = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDk5MTcsInN0YXJ0IjoiL3dlYi1jYmY1ZDU1ODYta2d2andcdTAwMDAifQ";

    #[test]
    fn encodes_byte_for_byte_like_the_real_server() {
        assert_eq!(encode(49917, &key_after("web-cbf5d5586-kgvjw")), RECORDED);
    }

    #[test]
    fn decodes_the_recorded_token() {
        assert_eq!(
            decode(RECORDED),
            Ok(ContinueToken {
                resource_version: 49917,
                start_key: "web-cbf5d5586-kgvjw\u{0}".to_string(),
            })
        );
    }

    #[test]
    fn round_trips_keys_across_namespaces() {
        let token = encode(7, &key_after("hs-drain/node-agent-gddwl"));
        let decoded = decode(&token).map(|t| t.start_key);
        assert_eq!(decoded, Ok("hs-drain/node-agent-gddwl\u{0}".to_string()));
        assert_eq!(
            decode(&encode(-1, "a/b\u{0}")),
            Ok(ContinueToken {
                resource_version: -1,
                start_key: "a/b\u{0}".to_string()
            })
        );
    }

    #[test]
    fn rejects_what_decode_continue_rejects() {
        assert!(
            decode("!!!")
                .err()
                .is_some_and(|e| e.starts_with("continue key is not valid: "))
        );
        let zero_rv = URL_SAFE_NO_PAD.encode(r#"{"v":"meta.k8s.io/v1","rv":0,"start":"/a"}"#);
        assert_eq!(
            decode(&zero_rv),
            Err("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)".to_string())
        );
        let empty = URL_SAFE_NO_PAD.encode(r#"{"v":"meta.k8s.io/v1","rv":3,"start":""}"#);
        assert_eq!(
            decode(&empty),
            Err(
                "continue key is not valid: encoded start key empty (version meta.k8s.io/v1)"
                    .to_string()
            )
        );
        let traversal =
            URL_SAFE_NO_PAD.encode(r#"{"v":"meta.k8s.io/v1","rv":3,"start":"/../secrets"}"#);
        assert_eq!(
            decode(&traversal),
            Err("continue key is not valid: /../secrets".to_string())
        );
        let other = URL_SAFE_NO_PAD.encode(r#"{"v":"v9","rv":3,"start":"/a"}"#);
        assert_eq!(
            decode(&other),
            Err(
                "continue key is not valid: server does not recognize this encoded version v9"
                    .to_string()
            )
        );
    }
}
