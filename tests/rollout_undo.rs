//! `kubectl rollout undo` through the simulator over HTTP: the Deployment gets
//! the earlier revision's template (JSON patch), the deployment controller then
//! rolls it out as a new revision; a StatefulSet gets its ControllerRevision back
//! (strategic merge patch); read-only mode sends nothing.

#[path = "sim_support.rs"]
mod support;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use kubesight::model::rollout::undo::{PatchType, UndoError};
use kubesight::ops::rollout_undo::{UndoKind, UndoOpError, UndoOutcome, undo};
use support::{client_for, serve_demo, within};

fn at(seconds: i64) -> Timestamp {
    kubesight::demo::captured_at() + SignedDuration::from_secs(seconds)
}

/// A ReplicaSet's pod template without its `pod-template-hash` label.
fn template_without_hash(replica_set: &Value) -> Value {
    let mut template = replica_set["spec"]["template"].clone();
    if let Some(labels) = template["metadata"]["labels"].as_object_mut() {
        labels.remove("pod-template-hash");
    }
    template
}

fn revision(object: &Value) -> &str {
    object["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn undo_restores_revision_one_and_the_controller_rolls_it_out_as_revision_four() {
    let running = serve_demo();
    let sim = &running.sim;
    let old_rs = sim
        .get("replicasets", "shop", "web-bjc5wmv6c4")
        .expect("revision 1's ReplicaSet");
    assert_eq!(revision(&old_rs), "1");

    let outcome = within(
        "the undo",
        undo(
            &running.client,
            false,
            UndoKind::Deployment,
            "shop",
            "web",
            1,
        ),
    )
    .await
    .expect("the undo succeeds");
    let UndoOutcome::RolledBack(patch) = outcome else {
        panic!("expected a rollback, got {outcome:?}");
    };
    assert_eq!(patch.patch_type, PatchType::Json);
    assert_eq!(patch.revision, 1);

    let deployment = sim
        .get("deployments", "shop", "web")
        .expect("the deployment");
    assert_eq!(
        deployment["spec"]["template"],
        template_without_hash(&old_rs)
    );
    assert_eq!(
        deployment["spec"]["template"]["spec"]["containers"][0]["image"],
        "nginx:1.25.4"
    );
    // kubectl keeps the Deployment's revision and copies the ReplicaSet's other
    // annotations: revision 1 had no change-cause, so the old one is gone.
    assert_eq!(
        deployment["metadata"]["annotations"],
        json!({"deployment.kubernetes.io/revision": "3"})
    );

    for second in 1..=40 {
        sim.reconcile(at(second));
    }
    let deployment = sim
        .get("deployments", "shop", "web")
        .expect("the deployment");
    assert_eq!(revision(&deployment), "4");
    let promoted = sim
        .get("replicasets", "shop", "web-bjc5wmv6c4")
        .expect("the ReplicaSet of revision 1 is reused");
    assert_eq!(revision(&promoted), "4");
    assert_eq!(
        template_without_hash(&promoted),
        template_without_hash(&old_rs)
    );
    assert_eq!(
        deployment["spec"]["template"],
        template_without_hash(&promoted)
    );
    assert_eq!(promoted["spec"]["replicas"], 3);
    let newest = sim
        .get("replicasets", "shop", "web-45dmd5frnr")
        .expect("revision 3's ReplicaSet");
    assert_eq!(newest["spec"]["replicas"], 0);
}

#[tokio::test]
async fn undo_to_the_current_or_a_missing_revision_sends_no_patch() {
    let running = serve_demo();
    let before = running.sim.resource_version();
    let outcome = within(
        "the undo",
        undo(
            &running.client,
            false,
            UndoKind::Deployment,
            "shop",
            "web",
            3,
        ),
    )
    .await
    .expect("a skip is not an error");
    assert_eq!(
        outcome,
        UndoOutcome::Skipped(
            "skipped rollback (current template already matches revision 3)".into()
        )
    );
    let error = within(
        "the undo",
        undo(
            &running.client,
            false,
            UndoKind::Deployment,
            "shop",
            "web",
            7,
        ),
    )
    .await
    .expect_err("revision 7 does not exist");
    assert!(matches!(
        error,
        UndoOpError::Refused(UndoError::RevisionNotFound(7))
    ));
    assert_eq!(
        error.to_string(),
        "unable to find specified revision 7 in history"
    );
    assert_eq!(running.sim.resource_version(), before);
}

#[tokio::test]
async fn readonly_mode_sends_no_request() {
    let running = serve_demo();
    let before = running.sim.get("deployments", "shop", "web");
    let error = undo(
        &running.client,
        true,
        UndoKind::Deployment,
        "shop",
        "web",
        1,
    )
    .await
    .expect_err("read-only refuses");
    assert!(matches!(error, UndoOpError::ReadOnly));
    assert_eq!(running.sim.get("deployments", "shop", "web"), before);
    // A client for a port nothing listens on: any request would fail with a
    // connection error instead of the read-only refusal.
    let nowhere = client_for("http://127.0.0.1:9", false);
    let error = within(
        "the refusal",
        undo(&nowhere, true, UndoKind::StatefulSet, "data", "postgres", 1),
    )
    .await
    .expect_err("read-only refuses");
    assert_eq!(
        error.to_string(),
        "read-only mode: rollout undo is disabled"
    );
}

#[tokio::test]
async fn statefulset_undo_sends_the_revision_as_a_strategic_merge_patch() {
    let running = serve_demo();
    let sim = &running.sim;
    let revision_one = sim
        .get("controllerrevisions", "data", "postgres-qlmsrf8jnk")
        .expect("revision 1");
    let outcome = within(
        "the undo",
        undo(
            &running.client,
            false,
            UndoKind::StatefulSet,
            "data",
            "postgres",
            0,
        ),
    )
    .await
    .expect("the undo succeeds");
    let UndoOutcome::RolledBack(patch) = outcome else {
        panic!("expected a rollback, got {outcome:?}");
    };
    assert_eq!(patch.patch_type, PatchType::StrategicMerge);
    assert_eq!(patch.revision, 1);
    let mut expected = revision_one["data"]["spec"]["template"].clone();
    if let Some(map) = expected.as_object_mut() {
        map.remove("$patch");
    }
    let sts = sim
        .get("statefulsets", "data", "postgres")
        .expect("the statefulset");
    assert_eq!(sts["spec"]["template"], expected);
    assert_eq!(
        sts["spec"]["template"]["spec"]["containers"][0]["image"],
        "postgres:16.4"
    );
}
