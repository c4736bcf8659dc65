//! Lists and gets through the real kube-rs client: paging with limit/continue over a
//! consistent snapshot, label and field selectors, and the Status of every failure
//! (404, 400, 410) as the recorded server sends it.

#[path = "sim_support.rs"]
mod support;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{Api, ListParams, ObjectList};

use support::{names, pod, serve_demo, serve_values, shop, stored_pod_keys, within};

fn keys(pods: &[Pod]) -> Vec<String> {
    pods.iter()
        .map(|p| {
            format!(
                "{}/{}",
                p.metadata.namespace.clone().unwrap_or_default(),
                p.metadata.name.clone().unwrap_or_default()
            )
        })
        .collect()
}

async fn list(api: &Api<Pod>, params: &ListParams) -> Result<ObjectList<Pod>, kube::Error> {
    within("a list", api.list(params)).await
}

fn api_status(result: Result<impl std::fmt::Debug, kube::Error>) -> kube::core::Status {
    match result {
        Err(kube::Error::Api(status)) => *status,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn paging_returns_every_pod_once_in_key_order() {
    let running = serve_demo();
    let api = Api::<Pod>::all(running.client.clone());
    let total = stored_pod_keys(&running.sim).len();
    assert!(total > 40, "the demo has {total} pods");
    let mut seen = Vec::new();
    let mut params = ListParams::default().limit(7);
    let mut pages = 0;
    loop {
        let page = list(&api, &params).await.expect("a page");
        pages += 1;
        seen.extend(keys(&page.items));
        let remaining = page.metadata.remaining_item_count;
        match page.metadata.continue_ {
            Some(token) if !token.is_empty() => {
                assert_eq!(page.items.len(), 7);
                assert_eq!(remaining, Some((total - seen.len()) as i64));
                params = params.continue_token(&token);
            }
            _ => {
                assert_eq!(remaining, None);
                break;
            }
        }
    }
    assert_eq!(pages, total.div_ceil(7));
    assert_eq!(
        seen,
        stored_pod_keys(&running.sim),
        "no duplicates, no gaps"
    );
}

#[tokio::test]
async fn later_pages_read_the_first_pages_snapshot() {
    let running = serve_demo();
    let api = Api::<Pod>::all(running.client.clone());
    let before = stored_pod_keys(&running.sim);
    let first = list(&api, &ListParams::default().limit(10))
        .await
        .expect("the first page");
    let snapshot_version = first.metadata.resource_version.clone();
    // Change the cluster under the pager: a pod that sorts first, a deletion on a
    // later page, and an update.
    assert!(
        running
            .sim
            .apply(pod("aaa", "early-bird", &[], "", "Pending"))
            .is_ok()
    );
    let doomed: Vec<&str> = before[20].splitn(2, '/').collect();
    assert!(running.sim.delete("pods", doomed[0], doomed[1]).is_some());
    let mut seen = keys(&first.items);
    let mut token = first.metadata.continue_.clone();
    while let Some(next) = token.filter(|t| !t.is_empty()) {
        let page = list(&api, &ListParams::default().limit(10).continue_token(&next))
            .await
            .expect("a later page");
        assert_eq!(page.metadata.resource_version, snapshot_version);
        seen.extend(keys(&page.items));
        token = page.metadata.continue_;
    }
    assert_eq!(seen, before, "the pages form the snapshot of the first");
    let fresh = list(&api, &ListParams::default())
        .await
        .expect("a fresh list");
    assert_eq!(keys(&fresh.items), stored_pod_keys(&running.sim));
    assert_ne!(keys(&fresh.items), before);
}

#[tokio::test]
async fn an_expired_continue_token_is_410_with_a_token_to_resume() {
    let running = serve_demo();
    let api = Api::<Pod>::all(running.client.clone());
    let first = list(&api, &ListParams::default().limit(10))
        .await
        .expect("page 1");
    let token = first.metadata.continue_.clone().expect("a continue token");
    assert!(
        running
            .sim
            .apply(pod("aaa", "new", &[], "", "Pending"))
            .is_ok()
    );
    running.sim.compact_history();
    let status = api_status(
        list(
            &api,
            &ListParams::default().limit(10).continue_token(&token),
        )
        .await,
    );
    assert_eq!((status.code, status.reason.as_str()), (410, "Expired"));
    assert!(status.message.starts_with(
        "The provided continue parameter is too old to display a consistent list result."
    ));
    // The Status carries a token that continues at the latest resourceVersion.
    let resume = status
        .metadata
        .and_then(|m| m.continue_)
        .expect("a fresh token in the Status");
    let rest = list(&api, &ListParams::default().continue_token(&resume))
        .await
        .expect("the inconsistent remainder");
    assert_eq!(
        rest.metadata.resource_version,
        Some(running.sim.resource_version().to_string())
    );
    let mut seen = keys(&first.items);
    seen.extend(keys(&rest.items));
    let mut expected = stored_pod_keys(&running.sim);
    expected.retain(|k| k != "aaa/new");
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn label_selectors_select() {
    let running = serve_values(shop());
    let api = Api::<Pod>::all(running.client.clone());
    let web = list(&api, &ListParams::default().labels("app=web"))
        .await
        .expect("app=web");
    assert_eq!(
        names(&web.items),
        vec![
            "web-cbf5d5586-9vs9j",
            "web-cbf5d5586-kgvjw",
            "web-cbf5d5586-lncg4"
        ]
    );
    let not_web = list(&api, &ListParams::default().labels("app notin (web)"))
        .await
        .expect("notin");
    assert_eq!(names(&not_web.items), vec!["db-0"]);
    let none = list(&api, &ListParams::default().labels("tier"))
        .await
        .expect("exists");
    assert!(none.items.is_empty());
}

#[tokio::test]
async fn field_selectors_select() {
    let running = serve_values(shop());
    let api = Api::<Pod>::all(running.client.clone());
    let on_node_1 = list(&api, &ListParams::default().fields("spec.nodeName=node-1"))
        .await
        .expect("by node");
    assert_eq!(
        names(&on_node_1.items),
        vec!["web-cbf5d5586-9vs9j", "web-cbf5d5586-lncg4"]
    );
    let running_elsewhere = list(
        &api,
        &ListParams::default().fields("status.phase==Running,spec.nodeName!=node-1"),
    )
    .await
    .expect("by phase and node");
    assert_eq!(
        names(&running_elsewhere.items),
        vec!["db-0", "web-cbf5d5586-kgvjw"]
    );
    let by_namespace = list(
        &api,
        &ListParams::default().fields("metadata.namespace=data"),
    )
    .await
    .expect("by namespace");
    assert_eq!(names(&by_namespace.items), vec!["db-0"]);
    let by_name = Api::<Pod>::namespaced(running.client.clone(), "wire")
        .list(&ListParams::default().fields("metadata.name=web-cbf5d5586-kgvjw"))
        .await
        .expect("by name");
    assert_eq!(names(&by_name.items), vec!["web-cbf5d5586-kgvjw"]);
    // A limited, selected page announces more without counting it (wire/13).
    let limited = list(
        &api,
        &ListParams::default()
            .fields("spec.nodeName=node-1")
            .limit(1),
    )
    .await
    .expect("limited");
    assert_eq!(limited.items.len(), 1);
    assert!(limited.metadata.continue_.is_some());
    assert_eq!(limited.metadata.remaining_item_count, None);
}

#[tokio::test]
async fn get_missing_is_the_recorded_404() {
    let running = serve_values(shop());
    let pods = Api::<Pod>::namespaced(running.client.clone(), "wire");
    let status = api_status(within("get", pods.get("nope")).await);
    assert_eq!(status.code, 404);
    assert_eq!(status.reason, "NotFound");
    assert_eq!(status.message, "pods \"nope\" not found");
    let details = status.details.expect("details");
    assert_eq!(
        (details.name.as_str(), details.kind.as_str()),
        ("nope", "pods")
    );
    let deployments = Api::<Deployment>::namespaced(running.client.clone(), "wire");
    let status = api_status(within("get", deployments.get("nope")).await);
    assert_eq!(status.message, "deployments.apps \"nope\" not found");
    assert_eq!(status.details.map(|d| d.group), Some("apps".to_string()));
}

#[tokio::test]
async fn get_returns_the_stored_object() {
    let running = serve_values(shop());
    let pod = within(
        "get",
        Api::<Pod>::namespaced(running.client.clone(), "wire").get("web-cbf5d5586-kgvjw"),
    )
    .await
    .expect("the pod");
    let stored = running
        .sim
        .get("pods", "wire", "web-cbf5d5586-kgvjw")
        .expect("stored");
    assert_eq!(
        pod.metadata.resource_version.as_deref(),
        stored["metadata"]["resourceVersion"].as_str()
    );
    assert_eq!(
        pod.metadata.uid.as_deref(),
        stored["metadata"]["uid"].as_str()
    );
    let node = within(
        "get node",
        Api::<Node>::all(running.client.clone()).get("node-2"),
    )
    .await
    .expect("a cluster-scoped object");
    assert_eq!(node.metadata.name.as_deref(), Some("node-2"));
}

#[tokio::test]
async fn a_bad_label_selector_is_the_recorded_400() {
    let running = serve_values(shop());
    let api = Api::<Pod>::all(running.client.clone());
    let status = api_status(list(&api, &ListParams::default().labels("app===x")).await);
    assert_eq!(
        (status.code, status.reason.as_str(), status.message.as_str()),
        (
            400,
            "BadRequest",
            "unable to parse requirement: found '=', expected: identifier"
        )
    );
}

#[tokio::test]
async fn unsupported_fields_are_400() {
    let running = serve_values(shop());
    let pods = Api::<Pod>::all(running.client.clone());
    let status = api_status(list(&pods, &ListParams::default().fields("spec.foo=bar")).await);
    assert_eq!(
        (status.code, status.message.as_str()),
        (400, "field label not supported: spec.foo")
    );
    let deployments = Api::<Deployment>::all(running.client.clone());
    let status = api_status(
        within(
            "list",
            deployments.list(&ListParams::default().fields("spec.replicas=1")),
        )
        .await,
    );
    assert_eq!(
        status.message,
        r#""spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace""#
    );
}

#[tokio::test]
async fn exact_lists_of_compacted_versions_are_410() {
    let running = serve_values(shop());
    let api = Api::<Pod>::all(running.client.clone());
    let old = running.sim.resource_version().to_string();
    assert!(running.sim.delete("pods", "data", "db-0").is_some());
    let at_old = list(
        &api,
        &ListParams::default()
            .at(&old)
            .matching(kube::api::VersionMatch::Exact),
    )
    .await
    .expect("an exact list within the history");
    assert_eq!(
        at_old.items.len(),
        4,
        "the deleted pod is still in that snapshot"
    );
    running.sim.compact_history();
    let status = api_status(
        list(
            &api,
            &ListParams::default()
                .at(&old)
                .matching(kube::api::VersionMatch::Exact),
        )
        .await,
    );
    assert_eq!(
        (status.code, status.message.as_str()),
        (410, "The resourceVersion for the provided list is too old.")
    );
}

#[tokio::test]
async fn a_future_resource_version_times_out_as_504() {
    let running = serve_values(shop());
    let future = (running.sim.resource_version() + 100).to_string();
    let params = ListParams::default()
        .at(&future)
        .matching(kube::api::VersionMatch::NotOlderThan);
    // kube-rs retries 504s; a client without retries sees the Status.
    let client = support::client_for(&running.server.url(), false);
    let status = api_status(list(&Api::<Pod>::all(client), &params).await);
    assert_eq!(status.code, 504);
    assert_eq!(status.reason, "Timeout");
    assert!(
        status
            .message
            .starts_with("Timeout: Too large resource version: ")
    );
}
