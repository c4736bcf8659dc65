//! Raw exchanges compared with the recordings of a real kube-apiserver v1.32.6
//! (`wire/` beside the design notes; the bodies used here are copied in below):
//! status codes, content types, headers and bodies, ignoring only what differs by
//! nature (uids, timestamps, resourceVersions, the server address).

#[path = "sim_support.rs"]
mod support;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http_body_util::BodyExt;
use serde_json::{Value, json};

use kubesight::sim::{Failure, FailureRule};
use support::{body_text, content_type, json_of, pod, raw_get, serve_values, shop, within};

/// wire/01 (`/api`).
const API: &str = r#"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]}"#;
/// The JSON body of a recorded exchange (`tests/wire/`, copied from the
/// shared recordings).
fn recorded(file: &str) -> Value {
    let path = format!("{}/tests/wire/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let start = text.find("\n{").expect("a JSON body") + 1;
    json_of(&text[start..])
}

/// Each entry the simulator serves is the recorded one of that name, and the
/// entries kubesight relies on are all served.
fn served_as_recorded(served: &Value, recorded: &Value, required: &[&str]) {
    let served = served.as_array().expect("served entries");
    let recorded = recorded.as_array().expect("recorded entries");
    for entry in served {
        let real = recorded
            .iter()
            .find(|r| r["name"] == entry["name"])
            .unwrap_or_else(|| panic!("{} is not in the recording", entry["name"]));
        assert_eq!(entry, real);
    }
    for name in required {
        assert!(
            served.iter().any(|e| e["name"] == *name),
            "{name} is not served"
        );
    }
}

/// wire/05 (`/version`).
const VERSION: &str = r#"{"major":"1","minor":"32","gitVersion":"v1.32.6","gitCommit":"e52b13b59e910bfa409eaa1e5280c4160b687bf8","gitTreeState":"clean","buildDate":"2026-11-23T22:08:02Z","goVersion":"go1.23.5","compiler":"gc","platform":"linux/amd64"}"#;
/// wire/14, wire/15 and wire/51, byte for byte as a non-curl client receives
/// them (the server indents only for curl).
const BAD_SELECTOR: &str = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"unable to parse requirement: found '=', expected: identifier","reason":"BadRequest","code":400}"#;
const GET_MISSING: &str = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"nope\" not found","reason":"NotFound","details":{"name":"nope","kind":"pods"},"code":404}"#;
const FORBIDDEN: &str = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \"nobody\" cannot list resource \"pods\" in API group \"\" at the cluster scope","reason":"Forbidden","details":{"kind":"pods"},"code":403}"#;
/// wire/20's closing bookmark, with the revision left out.
const INITIAL_EVENTS_END: &str = r#"{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"REVISION","creationTimestamp":null,"annotations":{"k8s.io/initial-events-end":"true","kubernetes.io/initial-events-list-blueprint":"eyJraW5kIjoiUG9kTGlzdCIsImFwaVZlcnNpb24iOiJ2MSIsIm1ldGFkYXRhIjp7fSwiaXRlbXMiOm51bGx9Cg=="}},"spec":{"containers":null},"status":{}}"#;
/// wire/20's periodic bookmark, likewise.
const PERIODIC_BOOKMARK: &str = r#"{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"REVISION","creationTimestamp":null},"spec":{"containers":null},"status":{}}"#;

async fn get_json(client: &kube::Client, path: &str) -> (u16, String, Value) {
    let response = raw_get(client, path).await;
    let code = response.status().as_u16();
    let content_type = content_type(&response);
    (code, content_type, json_of(&body_text(response).await))
}

#[tokio::test]
async fn discovery_matches_wire_01_to_05() {
    let running = serve_values(shop());
    let client = &running.client;

    let (code, content_type, api) = get_json(client, "/api").await;
    assert_eq!((code, content_type.as_str()), (200, "application/json"));
    let mut expected = json_of(API);
    expected["serverAddressByClientCIDRs"][0]["serverAddress"] =
        json!(running.server.addr().to_string());
    assert_eq!(api, expected);

    let (_, _, apis) = get_json(client, "/apis").await;
    assert_eq!(
        (&apis["kind"], &apis["apiVersion"]),
        (&json!("APIGroupList"), &json!("v1"))
    );
    // A group is served at its preferred version (the recording's
    // autoscaling also lists v1), in the real server's order.
    let real_groups = recorded("02-discovery-apis.txt")["groups"].clone();
    let served_groups = apis["groups"].as_array().expect("groups");
    let order = |name: &Value| {
        real_groups
            .as_array()
            .and_then(|g| g.iter().position(|r| r["name"] == *name))
            .unwrap_or_else(|| panic!("{name} is not in the recording"))
    };
    let positions: Vec<usize> = served_groups.iter().map(|g| order(&g["name"])).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    for group in served_groups {
        let real = &real_groups[order(&group["name"])];
        assert_eq!(group["preferredVersion"], real["preferredVersion"]);
        assert_eq!(group["versions"][0], real["preferredVersion"]);
    }

    let (_, _, core) = get_json(client, "/api/v1").await;
    assert_eq!(core["kind"], "APIResourceList");
    assert_eq!(core["groupVersion"], "v1");
    assert!(
        core.get("apiVersion").is_none(),
        "as recorded, /api/v1 has no apiVersion"
    );
    served_as_recorded(
        &core["resources"],
        &recorded("03-discovery-api-v1.txt")["resources"],
        &[
            "events",
            "namespaces",
            "nodes",
            "pods",
            "pods/eviction",
            "pods/exec",
            "pods/log",
            "pods/portforward",
            "services",
            "configmaps",
            "secrets",
        ],
    );

    let (_, _, apps) = get_json(client, "/apis/apps/v1").await;
    assert_eq!(
        (&apps["apiVersion"], &apps["groupVersion"]),
        (&json!("v1"), &json!("apps/v1"))
    );
    served_as_recorded(
        &apps["resources"],
        &recorded("04-discovery-apps-v1.txt")["resources"],
        &[
            "controllerrevisions",
            "daemonsets",
            "deployments",
            "replicasets",
            "statefulsets",
        ],
    );

    let response = raw_get(client, "/version").await;
    assert_eq!(response.status(), 200);
    assert_eq!(body_text(response).await, VERSION);
}

#[tokio::test]
async fn headers_are_the_servers() {
    let running = serve_values(shop());
    let response = raw_get(&running.client, "/api/v1/namespaces/wire/pods").await;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header("content-type"), "application/json");
    assert_eq!(header("cache-control"), "no-cache, private");
    assert_eq!(header("audit-id").len(), 36, "a UUID per request");
    assert!(!header("date").is_empty());
}

#[tokio::test]
async fn a_limited_list_matches_wire_10() {
    let running = serve_values(shop());
    let response = raw_get(&running.client, "/api/v1/namespaces/wire/pods?limit=2").await;
    assert_eq!(
        (response.status().as_u16(), content_type(&response).as_str()),
        (200, "application/json")
    );
    let text = body_text(response).await;
    let revision = running.sim.resource_version();
    assert!(
        text.starts_with(&format!(
            r#"{{"kind":"PodList","apiVersion":"v1","metadata":{{"resourceVersion":"{revision}","continue":""#
        )),
        "fields in the server's order: {}",
        &text[..120.min(text.len())]
    );
    let list = json_of(&text);
    assert_eq!(list["metadata"]["remainingItemCount"], 1);
    let token = list["metadata"]["continue"].as_str().unwrap_or_default();
    let decoded = URL_SAFE_NO_PAD
        .decode(token)
        .expect("base64url without padding");
    assert_eq!(
        String::from_utf8(decoded).expect("UTF-8"),
        format!(r#"{{"v":"meta.k8s.io/v1","rv":{revision},"start":"/web-cbf5d5586-kgvjw\u0000"}}"#)
    );
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    for item in items {
        assert!(item.get("kind").is_none() && item.get("apiVersion").is_none());
        for field in [
            "name",
            "namespace",
            "uid",
            "resourceVersion",
            "creationTimestamp",
        ] {
            assert!(item["metadata"][field].is_string(), "metadata.{field}");
        }
    }
    assert_eq!(items[0]["metadata"]["name"], "web-cbf5d5586-9vs9j");

    let next = format!("/api/v1/namespaces/wire/pods?limit=2&continue={token}");
    let (code, _, last) = get_json(&running.client, &next).await;
    assert_eq!(code, 200);
    assert_eq!(
        last["metadata"],
        json!({"resourceVersion": revision.to_string()})
    );
    assert_eq!(last["items"][0]["metadata"]["name"], "web-cbf5d5586-lncg4");
}

#[tokio::test]
async fn a_selected_page_matches_wire_13() {
    let running = serve_values(shop());
    let path = "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1&limit=1";
    let (code, _, list) = get_json(&running.client, path).await;
    assert_eq!(code, 200);
    let metadata = list["metadata"].as_object().expect("metadata");
    let keys: Vec<&String> = metadata.keys().collect();
    assert_eq!(
        keys,
        vec!["continue", "resourceVersion"],
        "no remainingItemCount"
    );
    assert_eq!(list["items"][0]["spec"]["nodeName"], "node-1");
}

#[tokio::test]
async fn failures_match_wire_14_15_and_51_byte_for_byte() {
    let running = serve_values(shop());
    let client = &running.client;

    let response = raw_get(client, "/api/v1/pods?labelSelector=app%3D%3D%3Dx").await;
    assert_eq!(
        (response.status().as_u16(), content_type(&response).as_str()),
        (400, "application/json")
    );
    assert_eq!(body_text(response).await, BAD_SELECTOR);

    let response = raw_get(client, "/api/v1/namespaces/wire/pods/nope").await;
    assert_eq!(response.status(), 404);
    assert_eq!(body_text(response).await, GET_MISSING);

    running.sim.faults().fail(FailureRule::new(
        "/api/v1/pods",
        Failure::Forbidden {
            user: "nobody".to_string(),
        },
    ));
    let response = raw_get(client, "/api/v1/pods?limit=1").await;
    assert_eq!(response.status(), 403);
    assert_eq!(
        response
            .headers()
            .get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert_eq!(body_text(response).await, FORBIDDEN);
}

#[tokio::test]
async fn unknown_paths_are_404_statuses() {
    let running = serve_values(shop());
    for path in [
        "/foo",
        "/api/v1/podtemplates",
        "/apis/certificates.k8s.io/v1",
        "/api/v1/namespaces/wire/pods/x/attach",
    ] {
        let (code, content_type, status) = get_json(&running.client, path).await;
        assert_eq!(
            (code, content_type.as_str()),
            (404, "application/json"),
            "{path}"
        );
        assert_eq!(
            status,
            json!({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                   "message":"the server could not find the requested resource",
                   "reason":"NotFound","details":{},"code":404}),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_watch_from_a_compacted_version_matches_wire_21() {
    let running = serve_values(shop());
    let oldest = running.sim.oldest_resource_version();
    let path = "/api/v1/namespaces/wire/pods?watch=1&resourceVersion=1&timeoutSeconds=3";
    let response = raw_get(&running.client, path).await;
    assert_eq!(
        (response.status().as_u16(), content_type(&response).as_str()),
        (200, "application/json")
    );
    assert_eq!(
        body_text(response).await,
        format!(
            "{{\"type\":\"ERROR\",\"object\":{{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{{}},\"status\":\"Failure\",\"message\":\"too old resource version: 1 ({oldest})\",\"reason\":\"Expired\",\"code\":410}}}}\n"
        )
    );
}

/// Reads a streamed body line by line.
struct Lines {
    body: kube::client::Body,
    buffer: Vec<u8>,
}

impl Lines {
    async fn next(&mut self) -> Option<Value> {
        loop {
            if let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                return Some(json_of(std::str::from_utf8(&line).expect("UTF-8")));
            }
            let frame = within("a watch line", self.body.frame()).await?.ok()?;
            if let Ok(data) = frame.into_data() {
                self.buffer.extend_from_slice(&data);
            }
        }
    }
}

async fn watch_lines(client: &kube::Client, path: &str) -> Lines {
    let response = raw_get(client, path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(content_type(&response), "application/json");
    Lines {
        body: response.into_body(),
        buffer: Vec::new(),
    }
}

fn with_revision(template: &str, revision: u64) -> Value {
    json_of(&template.replace("REVISION", &revision.to_string()))
}

async fn streams_like_wire_20(path: &str) {
    let running = serve_values(shop());
    let mut lines = watch_lines(&running.client, path).await;
    for expected in [
        "web-cbf5d5586-9vs9j",
        "web-cbf5d5586-kgvjw",
        "web-cbf5d5586-lncg4",
    ] {
        let event = lines.next().await.expect("an ADDED event");
        assert_eq!(event["type"], "ADDED");
        let object = &event["object"];
        assert_eq!(
            (&object["kind"], &object["apiVersion"]),
            (&json!("Pod"), &json!("v1"))
        );
        assert_eq!(object["metadata"]["name"], expected);
    }
    let revision = running.sim.resource_version();
    let bookmark = lines.next().await.expect("the closing bookmark");
    assert_eq!(bookmark["type"], "BOOKMARK");
    assert_eq!(
        bookmark["object"],
        with_revision(INITIAL_EVENTS_END, revision)
    );

    let touched = pod(
        "wire",
        "web-cbf5d5586-9vs9j",
        &[("app", "web"), ("touched", "yes")],
        "node-1",
        "Running",
    );
    assert!(running.sim.apply(touched).is_ok());
    // A periodic bookmark may come first on a slow machine; it still carries the
    // revision before the update.
    let modified = loop {
        let event = lines.next().await.expect("the update");
        if event["type"] != "BOOKMARK" {
            break event;
        }
        assert_eq!(event["object"], with_revision(PERIODIC_BOOKMARK, revision));
    };
    assert_eq!(modified["type"], "MODIFIED");
    assert_eq!(modified["object"]["metadata"]["labels"]["touched"], "yes");
    let bookmark = lines.next().await.expect("a periodic bookmark");
    assert_eq!(bookmark["type"], "BOOKMARK");
    assert_eq!(
        bookmark["object"],
        with_revision(PERIODIC_BOOKMARK, running.sim.resource_version())
    );
}

#[tokio::test]
async fn a_watch_without_resource_version_matches_wire_20() {
    streams_like_wire_20(
        "/api/v1/namespaces/wire/pods?watch=1&allowWatchBookmarks=true&resourceVersion=&timeoutSeconds=5",
    )
    .await;
}

#[tokio::test]
async fn a_streaming_list_matches_wire_22() {
    streams_like_wire_20(
        "/api/v1/namespaces/wire/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=5",
    )
    .await;
}

#[tokio::test]
async fn invalid_list_options_are_422() {
    let running = serve_values(shop());
    let (code, _, status) = get_json(
        &running.client,
        "/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=Exact",
    )
    .await;
    assert_eq!(code, 422);
    assert_eq!(status["reason"], "Invalid");
    assert_eq!(status["details"]["group"], "meta.k8s.io");
    assert_eq!(status["details"]["kind"], "ListOptions");
    assert_eq!(
        status["details"]["causes"][0],
        json!({"reason": "FieldValueForbidden",
               "message": "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
               "field": "resourceVersionMatch"})
    );
}
