//! PATCH and DELETE through the real kube-rs client, compared with the
//! recordings of a real kube-apiserver (`wire/40`–`44`, bodies copied below).

#[path = "sim_support.rs"]
mod support;

use futures::StreamExt;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{Api, DeleteParams, Patch, PatchParams, WatchEvent, WatchParams};
use serde_json::json;

use kubesight::sim::{Failure, FailureRule};
use support::{serve_values, shop, within};

/// wire/42's message.
const CONFLICT: &str = "Operation cannot be fulfilled on pods \"web-cbf5d5586-9vs9j\": the object has been modified; please apply your changes to the latest version and try again";
/// wire/43's message (the cause is repeated four times in the body).
const INVALID: &str = "Pod \"web-cbf5d5586-9vs9j\" is invalid: metadata.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const WEB: &str = "web-cbf5d5586-9vs9j";

fn api_error(error: kube::Error) -> kube::core::Status {
    match error {
        kube::Error::Api(status) => *status,
        other => panic!("expected an API error, got {other}"),
    }
}

#[tokio::test]
async fn cordon_by_merge_patch_and_uncordon_by_strategic_patch_are_watched() {
    let running = serve_values(shop());
    let nodes: Api<Node> = Api::all(running.client.clone());
    let mut events = within("watch", nodes.watch(&WatchParams::default(), "0"))
        .await
        .expect("a watch")
        .boxed();
    let cordoned = within(
        "cordon",
        nodes.patch(
            "node-1",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"unschedulable": true}})),
        ),
    )
    .await
    .expect("cordoned");
    assert_eq!(cordoned.spec.and_then(|s| s.unschedulable), Some(true));
    let uncordoned = within(
        "uncordon",
        nodes.patch(
            "node-1",
            &PatchParams::default(),
            &Patch::Strategic(json!({"spec": {"unschedulable": null}})),
        ),
    )
    .await
    .expect("uncordoned");
    assert_eq!(uncordoned.spec.and_then(|s| s.unschedulable), None);
    let mut modified = Vec::new();
    while modified.len() < 2 {
        match within("an event", events.next()).await {
            Some(Ok(WatchEvent::Modified(node))) => {
                modified.push(node.spec.and_then(|s| s.unschedulable));
            }
            Some(Ok(_)) => {}
            other => panic!("the watch ended: {other:?}"),
        }
    }
    assert_eq!(modified, vec![Some(true), None]);
}

#[tokio::test]
async fn a_stale_resource_version_conflicts_and_a_bad_label_is_invalid() {
    let running = serve_values(shop());
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "wire");
    let stale = json!({"metadata": {"resourceVersion": "1", "labels": {"x": "y"}}});
    let error = within(
        "stale",
        pods.patch(WEB, &PatchParams::default(), &Patch::Merge(stale)),
    )
    .await
    .expect_err("a conflict");
    let error = api_error(error);
    assert_eq!(
        (error.code, error.reason.as_str(), error.message.as_str()),
        (409, "Conflict", CONFLICT)
    );

    let bad = json!({"metadata": {"labels": {"bad key!": "y"}}});
    let error = within(
        "invalid",
        pods.patch(WEB, &PatchParams::default(), &Patch::Merge(bad)),
    )
    .await
    .expect_err("invalid");
    let error = api_error(error);
    assert_eq!(
        (error.code, error.reason.as_str(), error.message.as_str()),
        (422, "Invalid", INVALID)
    );

    let labelled = within(
        "label",
        pods.patch(
            WEB,
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"touched": "yes"}}})),
        ),
    )
    .await
    .expect("labelled");
    assert_eq!(
        labelled
            .metadata
            .labels
            .and_then(|l| l.get("touched").cloned())
            .as_deref(),
        Some("yes")
    );
}

#[tokio::test]
async fn dry_run_patches_and_deletes_change_nothing() {
    let running = serve_values(shop());
    let before = running.sim.get("pods", "wire", WEB);
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "wire");
    let params = PatchParams {
        dry_run: true,
        ..PatchParams::default()
    };
    let answered = within(
        "dry patch",
        pods.patch(
            WEB,
            &params,
            &Patch::Merge(json!({"metadata": {"labels": {"x": "y"}}})),
        ),
    )
    .await
    .expect("answered");
    assert!(
        answered
            .metadata
            .labels
            .is_some_and(|l| l.contains_key("x"))
    );
    let delete = DeleteParams {
        dry_run: true,
        ..DeleteParams::default()
    };
    within("dry delete", pods.delete(WEB, &delete))
        .await
        .expect("answered");
    assert_eq!(running.sim.get("pods", "wire", WEB), before);
}

#[tokio::test]
async fn a_graceful_delete_marks_the_pod_until_finalized_and_grace_zero_removes_it() {
    let running = serve_values(shop());
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "wire");
    let deleted = within(
        "delete",
        pods.delete(
            WEB,
            &DeleteParams {
                grace_period_seconds: Some(30),
                ..DeleteParams::default()
            },
        ),
    )
    .await
    .expect("deleted");
    let pod = deleted.left().expect("the pod is returned (wire/44)");
    assert_eq!(pod.metadata.deletion_grace_period_seconds, Some(30));
    let stored = running.sim.get("pods", "wire", WEB).expect("the pod stays");
    assert_eq!(
        stored["metadata"]["deletionTimestamp"],
        "2026-11-23T12:00:30Z"
    );
    let early: jiff::Timestamp = "2026-11-23T12:00:29Z".parse().expect("a time");
    assert!(running.sim.finalize_deletions(early).is_empty());
    let late: jiff::Timestamp = "2026-11-23T12:00:30Z".parse().expect("a time");
    assert_eq!(
        running.sim.finalize_deletions(late),
        vec![format!("wire/{WEB}")]
    );
    assert!(running.sim.get("pods", "wire", WEB).is_none());

    let other = "web-cbf5d5586-kgvjw";
    within(
        "delete now",
        pods.delete(
            other,
            &DeleteParams {
                grace_period_seconds: Some(0),
                ..DeleteParams::default()
            },
        ),
    )
    .await
    .expect("deleted");
    assert!(running.sim.get("pods", "wire", other).is_none());
    let missing = within("missing", pods.delete("nope", &DeleteParams::default()))
        .await
        .expect_err("404");
    assert_eq!(api_error(missing).code, 404);
}

#[tokio::test]
async fn injected_403_refuses_writes() {
    let running = serve_values(shop());
    running.sim.faults().fail(
        FailureRule::new(
            "/api/v1/nodes",
            Failure::Forbidden {
                user: "nobody".into(),
            },
        )
        .verb("patch"),
    );
    let nodes: Api<Node> = Api::all(running.client.clone());
    let error = within(
        "refused",
        nodes.patch(
            "node-1",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"unschedulable": true}})),
        ),
    )
    .await
    .expect_err("403");
    assert_eq!(api_error(error).code, 403);
    assert!(
        running
            .sim
            .get("nodes", "", "node-1")
            .is_some_and(|n| n["spec"]["unschedulable"].is_null())
    );
}

/// wire/42 as a non-curl client receives it.
const CONFLICT_BODY: &str = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on pods \"web-cbf5d5586-9vs9j\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"web-cbf5d5586-9vs9j","kind":"pods"},"code":409}"#;
/// wire/43's cause, which the recorded body carries four times.
const INVALID_CAUSE: &str = r#"{"reason":"FieldValueInvalid","message":"Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')","field":"metadata.labels"}"#;

async fn raw_write(
    client: &kube::Client,
    method: http::Method,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, String, String) {
    let request = http::Request::builder()
        .method(method)
        .uri(path)
        .header(http::header::CONTENT_TYPE, content_type)
        .body(kube::client::Body::from(body.as_bytes().to_vec()))
        .expect("a valid request");
    let response = within(path, client.send(request))
        .await
        .expect("a response");
    let code = response.status().as_u16();
    let content_type = support::content_type(&response);
    (code, content_type, support::body_text(response).await)
}

#[tokio::test]
async fn write_failures_match_the_recordings() {
    let running = serve_values(shop());
    let client = &running.client;
    let path = format!("/api/v1/namespaces/wire/pods/{WEB}");
    let merge = "application/merge-patch+json";
    let json_type = "application/json".to_string();
    let stale = r#"{"metadata":{"resourceVersion":"1","labels":{"x":"y"}}}"#;
    assert_eq!(
        raw_write(client, http::Method::PATCH, &path, merge, stale).await,
        (409, json_type.clone(), CONFLICT_BODY.to_string())
    );
    let causes = [INVALID_CAUSE; 4].join(",");
    let invalid_body = format!(
        r#"{{"kind":"Status","apiVersion":"v1","metadata":{{}},"status":"Failure","message":{},"reason":"Invalid","details":{{"name":"{WEB}","kind":"Pod","causes":[{causes}]}},"code":422}}"#,
        serde_json::to_string(INVALID).expect("a string")
    );
    let bad = r#"{"metadata":{"labels":{"bad key!":"y"}}}"#;
    assert_eq!(
        raw_write(client, http::Method::PATCH, &path, merge, bad).await,
        (422, json_type.clone(), invalid_body)
    );
    let (code, _, body) =
        raw_write(client, http::Method::PATCH, &path, "application/json", "{}").await;
    assert_eq!(code, 415);
    assert_eq!(support::json_of(&body)["reason"], "UnsupportedMediaType");
    let (code, _, body) = raw_write(
        client,
        http::Method::PATCH,
        "/api/v1/nodes/nope",
        merge,
        "{}",
    )
    .await;
    assert_eq!(
        (code, support::json_of(&body)["message"].clone()),
        (404, json!("nodes \"nope\" not found"))
    );
}

#[tokio::test]
async fn delete_answers_match_the_recordings() {
    let running = serve_values(shop());
    let client = &running.client;
    // wire/44: 200 with the pod, marked for deletion.
    let path = format!("/api/v1/namespaces/wire/pods/{WEB}");
    let (code, content_type, body) = raw_write(
        client,
        http::Method::DELETE,
        &path,
        "application/json",
        r#"{"gracePeriodSeconds":30}"#,
    )
    .await;
    let pod = support::json_of(&body);
    assert_eq!((code, content_type.as_str()), (200, "application/json"));
    assert_eq!(
        (&pod["kind"], &pod["metadata"]["deletionGracePeriodSeconds"]),
        (&json!("Pod"), &json!(30))
    );
    // A precondition on another uid conflicts.
    let other = "/api/v1/namespaces/wire/pods/web-cbf5d5586-kgvjw";
    let (code, _, body) = raw_write(
        client,
        http::Method::DELETE,
        other,
        "application/json",
        r#"{"preconditions":{"uid":"nope"}}"#,
    )
    .await;
    assert_eq!(code, 409);
    assert!(
        support::json_of(&body)["message"]
            .as_str()
            .is_some_and(|m| m.contains("Precondition failed: UID in precondition: nope"))
    );
    // Kinds other than pods and namespaces answer with a Success Status.
    let (code, _, body) =
        raw_write(client, http::Method::DELETE, "/api/v1/nodes/node-2", "", "").await;
    let status = support::json_of(&body);
    assert_eq!(
        (code, &status["status"], &status["details"]["kind"]),
        (200, &json!("Success"), &json!("nodes"))
    );
    assert!(running.sim.get("nodes", "", "node-2").is_none());
}
