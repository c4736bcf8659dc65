//! Evictions and SelfSubjectAccessReviews through the real kube-rs client, and
//! raw exchanges compared with the recordings of a real kube-apiserver
//! (`wire/30`–`34`, `wire/50`; bodies copied below).

#[path = "sim_support.rs"]
mod support;

use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, EvictParams, PostParams};
use serde_json::{Value, json};

use support::{
    body_text, client_for, content_type, json_of, pod, serve_demo, serve_values, shop, within,
};

/// wire/30, wire/31, wire/32, wire/33 (= wire/34) as a non-curl client gets them.
const EVICT_429: &str = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Cannot evict pod as it would violate the pod's disruption budget.","reason":"TooManyRequests","details":{"causes":[{"reason":"DisruptionBudget","message":"The disruption budget web-pdb needs 3 healthy pods and has 3 currently"}]},"code":429}"#;
const EVICT_404: &str = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"nope\" not found","reason":"NotFound","details":{"name":"nope","kind":"pods"},"code":404}"#;
const EVICT_500: &str = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.","code":500}"#;
const EVICT_201: &str =
    r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}"#;

const WEB: &str = "web-cbf5d5586-9vs9j";
const OTHER_WEB: &str = "web-cbf5d5586-kgvjw";

/// A pod of [`shop`] that is Running and Ready, so budgets guard it.
fn ready_pod(namespace: &str, name: &str) -> Value {
    let mut pod = pod(namespace, name, &[("app", "web")], "node-1", "Running");
    pod["status"]["conditions"] = json!([{"type": "Ready", "status": "True"}]);
    pod
}

fn budget(name: &str, allowed: i64, current: i64, desired: i64) -> Value {
    json!({
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": name, "namespace": "wire", "generation": 1},
        "spec": {"minAvailable": desired, "selector": {"matchLabels": {"app": "web"}}},
        "status": {"observedGeneration": 1, "disruptionsAllowed": allowed,
                   "currentHealthy": current, "desiredHealthy": desired, "expectedPods": 3},
    })
}

/// The shop with its web pods ready, plus `extra` objects.
fn ready_shop(extra: Vec<Value>) -> Vec<Value> {
    let mut objects: Vec<Value> = shop()
        .into_iter()
        .map(
            |o| match (o["kind"].as_str(), o["metadata"]["name"].as_str()) {
                (Some("Pod"), Some(name))
                    if name.starts_with("web-") && name != "web-cbf5d5586-lncg4" =>
                {
                    ready_pod("wire", name)
                }
                _ => o,
            },
        )
        .collect();
    objects.extend(extra);
    objects
}

async fn raw_evict(client: &kube::Client, name: &str, query: &str) -> (u16, String, String) {
    let body = json!({"apiVersion": "policy/v1", "kind": "Eviction",
                      "metadata": {"name": name, "namespace": "wire"}});
    let path = format!("/api/v1/namespaces/wire/pods/{name}/eviction{query}");
    let request = http::Request::post(path.as_str())
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(kube::client::Body::from(body.to_string().into_bytes()))
        .expect("a valid request");
    let response = within(&path, client.send(request))
        .await
        .expect("a response");
    let code = response.status().as_u16();
    let content_type = content_type(&response);
    (code, content_type, body_text(response).await)
}

/// A client that does not retry 429s itself (kube's default retry would, and
/// a budget that allows nothing would keep it retrying).
fn no_retry(running: &support::Running) -> kube::Client {
    client_for(&running.server.url(), false)
}

fn api_code(result: Result<impl std::fmt::Debug, kube::Error>) -> (u16, String) {
    match result {
        Err(kube::Error::Api(status)) => (status.code, status.message),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn eviction_bodies_match_the_recordings() {
    let running = serve_values(ready_shop(vec![budget("web-pdb", 0, 3, 3)]));
    let client = &no_retry(&running);
    let json = "application/json".to_string();
    assert_eq!(
        raw_evict(client, WEB, "").await,
        (429, json.clone(), EVICT_429.into())
    );
    assert_eq!(
        raw_evict(client, "nope", "").await,
        (404, json.clone(), EVICT_404.into())
    );
    // A Pending pod is evicted without consulting the budget (`canIgnorePDB`).
    let pending = "web-cbf5d5586-lncg4";
    assert_eq!(
        raw_evict(client, pending, "?dryRun=All").await,
        (201, json.clone(), EVICT_201.into())
    );
    assert!(
        running.sim.get("pods", "wire", pending).is_some(),
        "dry run keeps the pod"
    );
    assert_eq!(
        raw_evict(client, pending, "").await,
        (201, json.clone(), EVICT_201.into())
    );
    let evicted = running.sim.get("pods", "wire", pending);
    assert!(
        evicted.is_some_and(|p| p["metadata"]["deletionTimestamp"].is_string()),
        "evicted: terminating"
    );

    running
        .sim
        .apply(budget("web-pdb-2", 1, 3, 2))
        .expect("a second budget");
    assert_eq!(
        raw_evict(client, WEB, "").await,
        (500, json, EVICT_500.into())
    );
}

#[tokio::test]
async fn a_budget_allowing_one_disruption_is_consumed() {
    let running = serve_values(ready_shop(vec![budget("web-pdb", 1, 3, 2)]));
    let pods: Api<Pod> = Api::namespaced(no_retry(&running), "wire");
    within("evict", pods.evict(WEB, &EvictParams::default()))
        .await
        .expect("201");
    let evicted = running
        .sim
        .get("pods", "wire", WEB)
        .expect("terminating, not gone");
    assert!(evicted["metadata"]["deletionTimestamp"].is_string());
    let pdb = running
        .sim
        .get("poddisruptionbudgets", "wire", "web-pdb")
        .expect("the budget");
    assert_eq!(pdb["status"]["disruptionsAllowed"], 0);
    assert!(pdb["status"]["disruptedPods"][WEB].is_string());
    assert_eq!(pdb["status"]["conditions"][0]["reason"], "InsufficientPods");

    let (code, message) =
        api_code(within("evict", pods.evict(OTHER_WEB, &EvictParams::default())).await);
    assert_eq!(
        (code, message.as_str()),
        (
            429,
            "Cannot evict pod as it would violate the pod's disruption budget."
        )
    );
    // A terminating pod is deleted again without consulting the budget.
    within("evict again", pods.evict(WEB, &EvictParams::default()))
        .await
        .expect("201");
}

#[tokio::test]
async fn dry_run_evictions_change_nothing() {
    let running = serve_values(ready_shop(vec![budget("web-pdb", 1, 3, 2)]));
    let before = (
        running.sim.get("pods", "wire", WEB),
        running.sim.get("poddisruptionbudgets", "wire", "web-pdb"),
    );
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "wire");
    let params = EvictParams {
        delete_options: Some(DeleteParams {
            dry_run: true,
            ..DeleteParams::default()
        }),
        post_options: PostParams {
            dry_run: true,
            ..PostParams::default()
        },
    };
    within("dry evict", pods.evict(WEB, &params))
        .await
        .expect("201");
    let after = (
        running.sim.get("pods", "wire", WEB),
        running.sim.get("poddisruptionbudgets", "wire", "web-pdb"),
    );
    assert_eq!(before, after);
}

#[tokio::test]
async fn the_demo_postgres_budget_blocks_evictions() {
    let running = serve_demo();
    let pods: Api<Pod> = Api::namespaced(no_retry(&running), "data");
    let (code, message) =
        api_code(within("evict", pods.evict("postgres-0", &EvictParams::default())).await);
    assert_eq!(code, 429, "{message}");
    assert!(
        running
            .sim
            .get("pods", "data", "postgres-0")
            .is_some_and(|p| p["metadata"]["deletionTimestamp"].is_null())
    );
}

#[tokio::test]
async fn an_unready_pod_goes_when_the_budget_is_healthy() {
    let mut objects = ready_shop(vec![budget("web-pdb", 0, 3, 3)]);
    objects.push(pod(
        "wire",
        "web-unready",
        &[("app", "web")],
        "node-1",
        "Running",
    ));
    let running = serve_values(objects);
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "wire");
    within("evict", pods.evict("web-unready", &EvictParams::default()))
        .await
        .expect("201");
    let pdb = running
        .sim
        .get("poddisruptionbudgets", "wire", "web-pdb")
        .expect("the budget");
    assert_eq!(pdb["status"]["disruptionsAllowed"], 0, "nothing consumed");
}

fn review(verb: &str, resource: &str, subresource: &str) -> SelfSubjectAccessReview {
    SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                namespace: Some("wire".into()),
                verb: Some(verb.into()),
                resource: Some(resource.into()),
                subresource: (!subresource.is_empty()).then(|| subresource.into()),
                ..ResourceAttributes::default()
            }),
            ..SelfSubjectAccessReviewSpec::default()
        },
        ..SelfSubjectAccessReview::default()
    }
}

#[tokio::test]
async fn access_reviews_allow_unless_denied() {
    let running = serve_values(shop());
    let reviews: Api<SelfSubjectAccessReview> = Api::all(running.client.clone());
    let allowed = within(
        "review",
        reviews.create(
            &PostParams::default(),
            &review("create", "pods", "eviction"),
        ),
    )
    .await
    .expect("201");
    assert_eq!(allowed.status.map(|s| s.allowed), Some(true));
    assert_eq!(
        allowed
            .spec
            .resource_attributes
            .and_then(|a| a.subresource)
            .as_deref(),
        Some("eviction")
    );

    running.sim.faults().deny("delete", "pods", "wire");
    let denied = within(
        "review",
        reviews.create(&PostParams::default(), &review("delete", "pods", "")),
    )
    .await
    .expect("201");
    assert_eq!(denied.status.map(|s| s.allowed), Some(false));
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "wire");
    let (code, _) = api_code(within("refused", pods.delete(WEB, &DeleteParams::default())).await);
    assert_eq!(code, 403);
    assert!(running.sim.get("pods", "wire", WEB).is_some());
}

#[tokio::test]
async fn access_review_body_matches_wire_50() {
    let running = serve_values(shop());
    let body = r#"{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"create","resource":"pods","subresource":"eviction","namespace":"wire"}}}"#;
    let request = http::Request::post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(kube::client::Body::from(body.as_bytes().to_vec()))
        .expect("a valid request");
    let response = within("ssar", running.client.send(request))
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 201);
    // wire/50 without its managedFields (the simulator records none).
    assert_eq!(
        json_of(&body_text(response).await),
        json!({"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1",
               "metadata":{"creationTimestamp":null},
               "spec":{"resourceAttributes":{"namespace":"wire","verb":"create","resource":"pods","subresource":"eviction"}},
               "status":{"allowed":true}})
    );
}
