//! Revisions, diffs and undo patches on hand-made objects and on the demo.

use k8s_openapi::api::apps::v1::{ControllerRevision, Deployment, ReplicaSet, StatefulSet};
use serde_json::{Value, json};

use super::undo::{PatchType, UndoError, undo_patch};
use super::{Workload, revisions, rollout_doc};
use crate::cluster::Kind;
use crate::doc::ObjectRef;

fn now() -> jiff::Timestamp {
    "2026-11-23T12:00:00Z".parse().expect("an instant")
}

fn template(image: &str, hash: Option<&str>) -> Value {
    let mut labels = json!({"app": "web"});
    if let Some(hash) = hash {
        labels["pod-template-hash"] = json!(hash);
    }
    json!({"metadata": {"labels": labels}, "spec": {"containers": [{"name": "web", "image": image}]}})
}

fn deployment(image: &str, revision: &str, paused: bool) -> Deployment {
    serde_json::from_value(json!({
        "metadata": {"name": "web", "namespace": "ns", "uid": "d-uid",
            "annotations": {"deployment.kubernetes.io/revision": revision,
                "kubernetes.io/change-cause": "set image", "team": "shop"}},
        "spec": {"replicas": 3, "paused": paused, "selector": {"matchLabels": {"app": "web"}},
            "template": template(image, None)},
    }))
    .expect("a deployment")
}

fn replica_set(name: &str, revision: &str, image: &str, owner: &str, extra: Value) -> ReplicaSet {
    let mut annotations = json!({"deployment.kubernetes.io/revision": revision,
        "deployment.kubernetes.io/desired-replicas": "3"});
    if let (Some(map), Some(extra)) = (annotations.as_object_mut(), extra.as_object()) {
        map.extend(extra.clone());
    }
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": "ns", "uid": format!("{name}-uid"),
            "creationTimestamp": "2026-11-20T12:00:00Z", "annotations": annotations,
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                "uid": owner, "controller": true}]},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
            "template": template(image, Some(name))},
    }))
    .expect("a replica set")
}

#[test]
fn revisions_sort_numerically_and_only_owned_ones_count() {
    let d = deployment("web:10", "10", false);
    let sets = [
        replica_set("r10", "10", "web:10", "d-uid", json!({})),
        replica_set("r9", "9", "web:9", "d-uid", json!({})),
        replica_set("r2", "2", "web:2", "d-uid", json!({})),
        replica_set("bad", "x", "web:x", "d-uid", json!({})),
        replica_set("other", "1", "web:1", "other-uid", json!({})),
    ];
    let refs: Vec<&ReplicaSet> = sets.iter().collect();
    let list = revisions(Workload::Deployment(&d), &refs, &[]);
    let numbers: Vec<(i64, &str, bool)> = list
        .iter()
        .map(|r| (r.number, r.name.as_str(), r.current))
        .collect();
    assert_eq!(
        numbers,
        [(2, "r2", false), (9, "r9", false), (10, "r10", true)]
    );
    assert_eq!(list[0].images, ["web:2"]);
    assert_eq!(list[0].template, template("web:2", None));
}

#[test]
fn the_doc_diffs_two_revisions() {
    let d = deployment("web:3", "3", false);
    let sets = [
        replica_set("r1", "1", "web:1", "d-uid", json!({})),
        replica_set("r3", "3", "web:3", "d-uid", json!({})),
    ];
    let refs: Vec<&ReplicaSet> = sets.iter().collect();
    let text = rollout_doc(Workload::Deployment(&d), &refs, &[], Some((1, 3)), now()).to_text();
    let diff = &text[text.find("Diff of").expect("a diff section")..];
    let expected = r#"Diff of revision 1 → 3
--- revision 1 (r1)
+++ revision 3 (r3)
@@ -3,5 +3,5 @@
     app: web
 spec:
   containers:
-  - image: web:1
+  - image: web:3
     name: web
"#;
    assert_eq!(diff, expected);
    let missing = rollout_doc(Workload::Deployment(&d), &refs, &[], Some((2, 3)), now()).to_text();
    assert!(
        missing
            .ends_with("Diff of revision 2 → 3\nunable to find specified revision 2 in history\n")
    );
}

#[test]
fn deployment_undo_builds_kubectls_json_patch() {
    let d = deployment("web:3", "3", false);
    let sets = [
        replica_set(
            "r1",
            "1",
            "web:1",
            "d-uid",
            json!({"kubernetes.io/change-cause": "first",
            "deployment.kubernetes.io/revision-history": "4,5"}),
        ),
        replica_set("r2", "2", "web:2", "d-uid", json!({})),
        replica_set("r3", "3", "web:3", "d-uid", json!({})),
    ];
    let refs: Vec<&ReplicaSet> = sets.iter().collect();
    let patch = undo_patch(Workload::Deployment(&d), &refs, &[], 1).expect("a patch");
    assert_eq!(patch.patch_type, PatchType::Json);
    assert_eq!(patch.revision, 1);
    assert_eq!(
        patch.body,
        json!([
            {"op": "replace", "path": "/spec/template", "value": template("web:1", None)},
            {"op": "replace", "path": "/metadata/annotations", "value": {
                "deployment.kubernetes.io/revision": "3",
                "kubernetes.io/change-cause": "first"}},
        ])
    );
    // 0: the second highest revision.
    let previous = undo_patch(Workload::Deployment(&d), &refs, &[], 0).expect("a patch");
    assert_eq!(previous.revision, 2);
    let err = |d: &Deployment, to| {
        undo_patch(Workload::Deployment(d), &refs, &[], to)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(err(&d, 7), "unable to find specified revision 7 in history");
    assert_eq!(
        err(&d, 3),
        "skipped rollback (current template already matches revision 3)"
    );
    assert_eq!(
        err(&deployment("web:3", "3", true), 1),
        "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"
    );
    let only = [replica_set("r3", "3", "web:3", "d-uid", json!({}))];
    let only: Vec<&ReplicaSet> = only.iter().collect();
    assert_eq!(
        undo_patch(Workload::Deployment(&d), &only, &[], 0),
        Err(UndoError::NoHistory("web".into()))
    );
}

#[test]
fn stateful_set_undo_sends_the_revision_data() {
    let sts: StatefulSet = serde_json::from_value(json!({
        "metadata": {"name": "db", "namespace": "ns", "uid": "s-uid"},
        "spec": {"selector": {"matchLabels": {"app": "db"}}, "template": template("db:2", None)},
    }))
    .expect("a statefulset");
    let cr = |name: &str, revision: i64, image: &str| -> ControllerRevision {
        let mut t = template(image, None);
        t["$patch"] = json!("replace");
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "ns", "ownerReferences": [{"apiVersion": "apps/v1",
                "kind": "StatefulSet", "name": "db", "uid": "s-uid", "controller": true}]},
            "revision": revision, "data": {"spec": {"template": t}},
        }))
        .expect("a controller revision")
    };
    let crs = [cr("db-2", 2, "db:2"), cr("db-1", 1, "db:1")];
    let refs: Vec<&ControllerRevision> = crs.iter().collect();
    let patch = undo_patch(Workload::StatefulSet(&sts), &[], &refs, 0).expect("a patch");
    assert_eq!(patch.patch_type, PatchType::StrategicMerge);
    assert_eq!(patch.revision, 1);
    assert_eq!(patch.body, crs[1].data.0);
    assert_eq!(
        undo_patch(Workload::StatefulSet(&sts), &[], &refs, 2),
        Err(UndoError::Skipped(2))
    );
    assert_eq!(
        undo_patch(Workload::StatefulSet(&sts), &[], &refs[..1], 0),
        Err(UndoError::NoLastRevision)
    );
    assert_eq!(
        undo_patch(Workload::StatefulSet(&sts), &[], &refs, 5),
        Err(UndoError::RevisionNotFound(5))
    );
}

#[test]
fn demo_deployment_with_three_revisions() {
    let snapshot = crate::demo::load().expect("the demo loads");
    let objects = &snapshot.objects;
    let web = objects
        .deployments
        .iter()
        .find(|d| d.metadata.name.as_deref() == Some("web"))
        .expect("the web deployment");
    let sets: Vec<&ReplicaSet> = objects.replica_sets.iter().collect();
    let doc = rollout_doc(Workload::Deployment(web), &sets, &[], Some((1, 3)), now());
    let expected = r#"Deployment shop/web

History
REVISION  CURRENT  NAME            READY  AGE   IMAGES        CHANGE-CAUSE
1                  web-bjc5wmv6c4  0/0    18d   nginx:1.25.4  <none>
2                  web-4flbwqdldr  0/0    9d    nginx:1.27.0  kubectl set image deployment/web web=nginx:1.27.0
3         *        web-45dmd5frnr  3/3    2d3h  nginx:1.27.1  kubectl set image deployment/web web=nginx:1.27.1

Status
deployment "web" successfully rolled out
Desired:   3
Updated:   3
Ready:     3
Available: 3
Total:     3
Strategy:  RollingUpdate, maxSurge 25% → 1, maxUnavailable 25% → 0 (of 3 replicas)

Conditions
TYPE         STATUS  REASON                    UPDATED  MESSAGE
Available    True    MinimumReplicasAvailable  2d3h     Deployment has minimum availability.
Progressing  True    NewReplicaSetAvailable    2d3h     ReplicaSet "web-45dmd5frnr" has successfully progressed.

Diff of revision 1 → 3
--- revision 1 (web-bjc5wmv6c4)
+++ revision 3 (web-45dmd5frnr)
@@ -3,10 +3,10 @@
     app: web
     env: prod
     tier: frontend
-    version: "1.25.4"
+    version: "1.27.1"
 spec:
   containers:
-  - image: nginx:1.25.4
+  - image: nginx:1.27.1
     imagePullPolicy: IfNotPresent
     livenessProbe:
       failureThreshold: 3
"#;
    assert_eq!(doc.to_text(), expected);
    assert_eq!(
        doc.lines[0].target.as_ref().map(|t| t.name.as_str()),
        Some("web")
    );
    assert_eq!(
        doc.lines[4].target.as_ref().map(|t| t.name.as_str()),
        Some("web-bjc5wmv6c4")
    );
}

#[test]
fn the_cache_readers_match_the_slice_builders() {
    let snapshot = crate::demo::load().expect("the demo loads");
    let objects = snapshot.objects.clone();
    let stores = &crate::cluster::Stores::from_objects(snapshot.objects);
    let web = objects
        .deployments
        .iter()
        .find(|d| d.metadata.name.as_deref() == Some("web"))
        .expect("the web deployment");
    let sets: Vec<&ReplicaSet> = objects.replica_sets.iter().collect();
    let target = ObjectRef::new(Kind::Deployment, "shop", "web");
    assert_eq!(
        super::rollout_doc_in(stores, &target, Some((1, 3)), now()),
        Some(rollout_doc(
            Workload::Deployment(web),
            &sets,
            &[],
            Some((1, 3)),
            now()
        ))
    );
    let postgres = ObjectRef::new(Kind::StatefulSet, "data", "postgres");
    let doc = super::rollout_doc_in(stores, &postgres, None, now()).expect("the statefulset");
    assert_eq!(
        doc.lines[4].text(),
        "1                  postgres-qlmsrf8jnk  -      33d   postgres:16.4  <none>"
    );
    assert_eq!(
        super::rollout_doc_in(
            stores,
            &ObjectRef::new(Kind::Pod, "shop", "web"),
            None,
            now()
        ),
        None
    );

    let pods = objects.cached_pods();
    let pod = pods
        .iter()
        .find(|p| p.metadata.name.as_deref() == Some("payments-v5z6r2wb7c-npxvp"))
        .expect("the pod");
    let events: Vec<&k8s_openapi::api::core::v1::Event> = objects.events.iter().collect();
    assert_eq!(
        crate::probes::probes_doc_in(stores, "shop", "payments-v5z6r2wb7c-npxvp", now()),
        Some(crate::probes::probes_doc(pod, &events, now()))
    );
    assert_eq!(
        crate::qos_explain::qos_doc_in(stores, "shop", "payments-v5z6r2wb7c-npxvp", now()),
        Some(crate::qos_explain::qos_doc(pod, now()))
    );
    assert_eq!(
        crate::qos_explain::qos_doc_in(stores, "shop", "nope", now()),
        None
    );
    let pods: Vec<_> = pods.iter().collect();
    let nodes: Vec<_> = objects.nodes.iter().collect();
    assert_eq!(
        crate::qos_explain::qos_by_node_in(stores, now()),
        crate::qos_explain::qos_by_node_doc(&pods, &nodes, now())
    );
}
