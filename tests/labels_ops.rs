//! Label and annotation edits through the simulator over HTTP with a real kube
//! client: the merge patch with its resourceVersion precondition, the 409 that
//! keeps the user's edit, the 422, several nodes at once, the orphan warning
//! before relabelling a ReplicaSet's pod, and readonly sending nothing.

#[path = "sim_support.rs"]
mod support;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Node;
use kube::Api;
use kube::api::{Patch, PatchParams};
use kubesight::cache::pod::Pod;
use serde_json::json;

use kubesight::cache::Kind;
use kubesight::model::doc::ObjectRef;
use kubesight::model::labels_edit::{
    LabelEdit, LabelField, conflict_doc, controller_selector, has_errors, selector_impact, validate,
};
use kubesight::ops::labels::{LabelOpError, apply, apply_many};
use kubesight::ops::{READONLY_REFUSAL, WriteGate};
use support::{serve_demo, within};

const POD: &str = "api-xc8k88h8p5-glkvf";

fn labels_of(pod: &Pod) -> BTreeMap<String, String> {
    pod.metadata.labels.clone().unwrap_or_default()
}

fn rv_of(pod: &Pod) -> String {
    pod.metadata.resource_version.clone().unwrap_or_default()
}

#[tokio::test]
async fn a_stale_resource_version_conflicts_keeps_the_edit_and_reapplies() {
    let running = serve_demo();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let opened = within("get", pods.get(POD)).await.expect("the pod");
    let base = labels_of(&opened);
    let base_rv = rv_of(&opened);

    // Someone else changes the pod after the editor opened.
    within(
        "other writer",
        pods.patch(
            POD,
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"tier": "cache", "owner": "ops"}}})),
        ),
    )
    .await
    .expect("the other write");

    let mut edit = LabelEdit::new(LabelField::Labels);
    edit.set("tier", "frontend");
    edit.remove("version");
    let target = ObjectRef::new(Kind::Pod, "shop", POD);
    let gate = WriteGate::new(false);
    let error = within(
        "stale apply",
        apply(&running.client, &gate, &target, &edit, &base_rv),
    )
    .await
    .expect_err("a conflict");
    let LabelOpError::Conflict {
        server_labels,
        server_annotations: _,
        server_resource_version,
        message,
    } = error
    else {
        panic!("expected a conflict, got {error:?}");
    };
    assert_eq!(
        message,
        format!(
            "Operation cannot be fulfilled on pods \"{POD}\": the object has been modified; please apply your changes to the latest version and try again"
        )
    );
    let now = within("get", pods.get(POD)).await.expect("the pod");
    assert_eq!(server_resource_version, rv_of(&now));
    assert_ne!(server_resource_version, base_rv);
    assert_eq!(server_labels, labels_of(&now));
    // The server still has its own change, not ours.
    assert_eq!(server_labels.get("tier").map(String::as_str), Some("cache"));
    assert_eq!(
        server_labels.get("version").map(String::as_str),
        Some("3.8.2")
    );

    let doc = conflict_doc(
        &target,
        &edit,
        &base,
        &server_labels,
        &server_resource_version,
    );
    assert_eq!(
        doc.to_text(),
        format!(
            "Pod shop/{POD} changed on the server (now resourceVersion {server_resource_version})\n\
             + owner=ops\n\
             ~ tier: backend → cache\n\
             \n\
             Your edit (kept)\n\
             set tier=frontend\n\
             remove version\n\
             \n\
             Re-applying overwrites the server's change of tier.\n\
             Re-apply to send your edit against resourceVersion {server_resource_version}.\n"
        )
    );

    // The same edit, against the new resourceVersion, goes through.
    let applied = within(
        "re-apply",
        apply(
            &running.client,
            &gate,
            &target,
            &edit,
            &server_resource_version,
        ),
    )
    .await
    .expect("re-applied");
    let after = within("get", pods.get(POD)).await.expect("the pod");
    let expected: BTreeMap<String, String> = [
        ("app", "api"),
        ("env", "prod"),
        ("owner", "ops"),
        ("pod-template-hash", "xc8k88h8p5"),
        ("tier", "frontend"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(labels_of(&after), expected);
    assert_eq!(applied.labels, expected);
    assert_eq!(applied.resource_version, rv_of(&after));
}

#[tokio::test]
async fn an_invalid_key_gets_the_servers_422_message() {
    let running = serve_demo();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let before = within("get", pods.get(POD)).await.expect("the pod");
    let mut edit = LabelEdit::new(LabelField::Labels);
    edit.set("bad key!", "y");
    // Our validation refuses it first, with the server's words…
    assert!(has_errors(&validate(&edit, &labels_of(&before))));
    // …and the server, if asked anyway, says the same.
    let target = ObjectRef::new(Kind::Pod, "shop", POD);
    let error = within(
        "invalid apply",
        apply(&running.client, &WriteGate::new(false), &target, &edit, ""),
    )
    .await
    .expect_err("invalid");
    assert_eq!(
        error,
        LabelOpError::Invalid {
            message: format!(
                "Pod \"{POD}\" is invalid: metadata.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
            )
        }
    );
    let after = within("get", pods.get(POD)).await.expect("the pod");
    assert_eq!(rv_of(&after), rv_of(&before));
}

#[tokio::test]
async fn five_nodes_are_labelled_at_once() {
    let running = serve_demo();
    let nodes: Api<Node> = Api::all(running.client.clone());
    let listed = within("list", nodes.list(&Default::default()))
        .await
        .expect("the nodes");
    assert_eq!(listed.items.len(), 5);
    let targets: Vec<(ObjectRef, String)> = listed
        .items
        .iter()
        .map(|n| {
            (
                ObjectRef::new(Kind::Node, "", n.metadata.name.clone().unwrap_or_default()),
                n.metadata.resource_version.clone().unwrap_or_default(),
            )
        })
        .collect();
    let mut edit = LabelEdit::new(LabelField::Labels);
    edit.set("pool", "batch");
    let results = within(
        "apply many",
        apply_many(&running.client, &WriteGate::new(false), &targets, &edit),
    )
    .await
    .expect("not refused");
    assert_eq!(results.len(), 5);
    for ((target, result), node) in results.iter().zip(&listed.items) {
        let applied = result.as_ref().expect("each node labelled");
        let now = within("get", nodes.get(&target.name))
            .await
            .expect("the node");
        assert_eq!(
            now.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("pool"))
                .map(String::as_str),
            Some("batch"),
            "{}",
            target.name
        );
        assert_eq!(
            applied.resource_version,
            now.metadata.resource_version.clone().unwrap_or_default()
        );
        // Only the one label was added.
        let mut expected = node.metadata.labels.clone().unwrap_or_default();
        expected.insert("pool".into(), "batch".into());
        assert_eq!(now.metadata.labels.clone().unwrap_or_default(), expected);
    }
}

#[tokio::test]
async fn relabelling_a_replica_set_pod_warns_of_the_orphan_first() {
    let running = serve_demo();
    let (cache, mut writers) = kubesight::cache::new_cache();
    cache.replace_all(&mut writers, support::demo_objects());
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let pod = within("get", pods.get(POD)).await.expect("the pod");
    let controller = controller_selector(&pod, &cache.stores).expect("its ReplicaSet");
    let pdbs_arc = cache.stores.pod_disruption_budgets.state();
    let pdbs: Vec<_> = pdbs_arc.iter().map(|p| p.as_ref()).collect();
    let mut edit = LabelEdit::new(LabelField::Labels);
    edit.set("app", "api-canary");
    let after = edit.apply(&labels_of(&pod));
    assert_eq!(
        selector_impact(&pod, &after, Some(&controller), &pdbs, &[]),
        vec![
            format!(
                "Pod {POD} would stop matching the selector of its ReplicaSet api-xc8k88h8p5 (app=api,pod-template-hash=xc8k88h8p5): the ReplicaSet would orphan the pod (it keeps running) and create a replacement"
            ),
            format!(
                "Pod {POD} would no longer be covered by PodDisruptionBudget api-pdb (app=api)"
            ),
        ]
    );
    // Warnings do not block: the user may go ahead.
    assert!(!has_errors(&validate(&edit, &labels_of(&pod))));
    let target = ObjectRef::new(Kind::Pod, "shop", POD);
    within(
        "apply",
        apply(
            &running.client,
            &WriteGate::new(false),
            &target,
            &edit,
            &rv_of(&pod),
        ),
    )
    .await
    .expect("applied");
    let now = within("get", pods.get(POD)).await.expect("the pod");
    assert_eq!(
        labels_of(&now).get("app").map(String::as_str),
        Some("api-canary")
    );
}

#[tokio::test]
async fn readonly_sends_no_write() {
    let running = serve_demo();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let before = within("get", pods.get(POD)).await.expect("the pod");
    let revision = running.sim.resource_version();
    let gate = WriteGate::new(true);
    let mut edit = LabelEdit::new(LabelField::Annotations);
    edit.set("note", "hello");
    let target = ObjectRef::new(Kind::Pod, "shop", POD);
    let error = within(
        "refused",
        apply(&running.client, &gate, &target, &edit, &rv_of(&before)),
    )
    .await
    .expect_err("refused");
    assert_eq!(error.to_string(), READONLY_REFUSAL);
    assert_eq!(
        error.to_string(),
        "refused: kubesight is running with --readonly"
    );
    assert!(matches!(error, LabelOpError::Refused(_)));
    let many = within(
        "refused many",
        apply_many(&running.client, &gate, &[(target, rv_of(&before))], &edit),
    )
    .await
    .expect_err("refused");
    assert_eq!(many.to_string(), READONLY_REFUSAL);
    assert_eq!(running.sim.resource_version(), revision);
    let after = within("get", pods.get(POD)).await.expect("the pod");
    assert_eq!(rv_of(&after), rv_of(&before));
    assert_eq!(after.metadata.annotations, before.metadata.annotations);
}

#[tokio::test]
async fn annotations_over_256_kib_are_refused_by_us_and_by_the_server() {
    let running = serve_demo();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let before = within("get", pods.get(POD)).await.expect("the pod");
    let current = before.metadata.annotations.clone().unwrap_or_default();
    let mut edit = LabelEdit::new(LabelField::Annotations);
    edit.set("big", "x".repeat(262_144));
    let problems: Vec<String> = validate(&edit, &current)
        .into_iter()
        .map(|p| p.message)
        .collect();
    assert_eq!(
        problems,
        vec!["metadata.annotations: Too long: may not be more than 262144 bytes".to_string()]
    );
    let target = ObjectRef::new(Kind::Pod, "shop", POD);
    let error = within(
        "too big",
        apply(
            &running.client,
            &WriteGate::new(false),
            &target,
            &edit,
            &rv_of(&before),
        ),
    )
    .await
    .expect_err("invalid");
    assert_eq!(
        error,
        LabelOpError::Invalid {
            message: format!(
                "Pod \"{POD}\" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes"
            )
        }
    );
    let after = within("get", pods.get(POD)).await.expect("the pod");
    assert_eq!(rv_of(&after), rv_of(&before));
}
