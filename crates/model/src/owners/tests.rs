use super::*;
use crate::cluster::pod::Pod;
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use serde_json::json;

fn now() -> Timestamp {
    "2026-11-23T12:00:00Z".parse().expect("valid time")
}

fn from<K: serde::de::DeserializeOwned>(value: serde_json::Value) -> K {
    serde_json::from_value(value).expect("test object must deserialize")
}

fn owner(kind: &str, api: &str, name: &str, uid: &str, controller: bool) -> serde_json::Value {
    json!({"apiVersion": api, "kind": kind, "name": name, "uid": uid, "controller": controller})
}

fn meta(name: &str, uid: &str, owners: Vec<serde_json::Value>) -> serde_json::Value {
    json!({"name": name, "namespace": "shop", "uid": uid,
           "creationTimestamp": "2026-11-23T11:00:00Z", "ownerReferences": owners})
}

fn pod(name: &str, uid: &str, owners: Vec<serde_json::Value>) -> Pod {
    from(json!({
        "metadata": meta(name, uid, owners),
        "spec": {"containers": [{"name": "app"}]},
        "status": {"phase": "Running", "containerStatuses": [{"name": "app", "image": "x", "imageID": "",
            "ready": true, "restartCount": 0, "state": {"running": {}}}]}
    }))
}

fn rs(name: &str, uid: &str, owners: Vec<serde_json::Value>) -> ReplicaSet {
    from(
        json!({"metadata": meta(name, uid, owners), "spec": {"replicas": 2, "selector": {}},
                "status": {"replicas": 2, "readyReplicas": 1}}),
    )
}

fn deployment(name: &str, uid: &str) -> Deployment {
    from(json!({"metadata": meta(name, uid, vec![]),
                "spec": {"replicas": 2, "selector": {}, "template": {}},
                "status": {"readyReplicas": 2}}))
}

fn web() -> Inventory {
    let mut inv = Inventory::default();
    inv.add(&deployment("web", "d1"));
    inv.add(&rs(
        "web-a",
        "r1",
        vec![owner("Deployment", "apps/v1", "web", "d1", true)],
    ));
    inv.add(&pod(
        "web-a-1",
        "p1",
        vec![owner("ReplicaSet", "apps/v1", "web-a", "r1", true)],
    ));
    inv.add(&pod(
        "web-a-2",
        "p2",
        vec![owner("ReplicaSet", "apps/v1", "web-a", "r1", true)],
    ));
    inv
}

#[test]
fn deployment_replica_set_pods_with_box_drawing() {
    let tree = namespace_forest(&web(), Some("shop"), &HashSet::new(), now());
    assert_eq!(
        tree.doc.to_text(),
        "Namespace shop\n\
        NAME                 READY  STATUS   AGE  NOTES\n\
        Deployment/web       2/2             60m\n\
        └─ ReplicaSet/web-a  1/2             60m\n\
        \u{20}  ├─ Pod/web-a-1    1/1    Running  60m\n\
        \u{20}  └─ Pod/web-a-2    1/1    Running  60m\n"
    );
    assert_eq!(tree.lines.len(), tree.doc.lines.len());
    assert_eq!(tree.toggle_uid(2), Some("d1"));
    assert_eq!(tree.toggle_uid(4), None, "a leaf has nothing to collapse");
    assert_eq!(tree.lines[4].as_ref().map(|l| l.uid.as_str()), Some("p1"));
    assert_eq!(
        tree.doc.lines[0].target,
        Some(ObjectRef::new(Kind::Namespace, "", "shop"))
    );
    assert_eq!(
        tree.doc.lines[5].target,
        Some(ObjectRef::new(Kind::Pod, "shop", "web-a-2"))
    );
    assert_eq!(tree.doc.lines[2].spans[1].tone, Tone::Good);
    assert_eq!(tree.doc.lines[3].spans[1].tone, Tone::Warning);
}

#[test]
fn collapsed_node_hides_and_counts_descendants() {
    let collapsed: HashSet<String> = ["d1".to_string()].into();
    let tree = namespace_forest(&web(), Some("shop"), &collapsed, now());
    assert_eq!(
        tree.doc.to_text(),
        "Namespace shop\n\
        NAME                   READY  STATUS  AGE  NOTES\n\
        ▸ Deployment/web (+3)  2/2            60m\n"
    );
    assert_eq!(
        tree.lines[2],
        Some(TreeLine {
            uid: "d1".into(),
            children: 1,
            collapsed: true
        })
    );
    // Collapsing a leaf changes nothing.
    let leaf: HashSet<String> = ["p1".to_string()].into();
    assert_eq!(
        namespace_forest(&web(), Some("shop"), &leaf, now()).doc,
        namespace_forest(&web(), Some("shop"), &HashSet::new(), now()).doc
    );
}

#[test]
fn orphans_dangling_owners_and_unwatched_owners() {
    let mut inv = Inventory::default();
    inv.add(&pod("bare", "p0", vec![]));
    inv.add(&pod(
        "left",
        "p1",
        vec![owner("ReplicaSet", "apps/v1", "gone", "r9", true)],
    ));
    inv.add(&pod(
        "rolled",
        "p2",
        vec![owner(
            "Rollout",
            "argoproj.io/v1alpha1",
            "canary",
            "x1",
            true,
        )],
    ));
    // A uid that exists, but on an object of another name: the collector's GET by
    // name finds nothing, so it is dangling too.
    inv.add(&rs("real", "r1", vec![]));
    inv.add(&pod(
        "misnamed",
        "p3",
        vec![owner("ReplicaSet", "apps/v1", "other", "r1", true)],
    ));
    let tree = namespace_forest(&inv, Some("shop"), &HashSet::new(), now());
    assert_eq!(
        tree.doc.to_text(),
        "Namespace shop\n\
        NAME             READY  STATUS   AGE  NOTES\n\
        ReplicaSet/real  1/2             60m  orphan: no controller\n\
        Pod/bare         1/1    Running  60m  orphan: no controller\n\
        Pod/left         1/1    Running  60m  dangling owner ReplicaSet/gone\n\
        Pod/misnamed     1/1    Running  60m  dangling owner ReplicaSet/other\n\
        Pod/rolled       1/1    Running  60m  owner Rollout/canary not watched\n"
    );
    assert_eq!(tree.doc.lines[4].spans[4].tone, Tone::Warning);
    assert_eq!(tree.doc.lines[6].spans[4].tone, Tone::Muted);
}

#[test]
fn plain_owner_edges_are_dashed_and_multiple_owners_show_once_expanded() {
    let mut inv = Inventory::default();
    inv.add(&deployment("a", "d1"));
    inv.add(&deployment("b", "d2"));
    inv.add(&rs(
        "shared",
        "r1",
        vec![
            owner("Deployment", "apps/v1", "a", "d1", true),
            owner("Deployment", "apps/v1", "b", "d2", false),
        ],
    ));
    inv.add(&pod(
        "p",
        "p1",
        vec![owner("ReplicaSet", "apps/v1", "shared", "r1", true)],
    ));
    let tree = namespace_forest(&inv, Some("shop"), &HashSet::new(), now());
    assert_eq!(
        tree.doc.to_text(),
        "Namespace shop\n\
        NAME                  READY  STATUS   AGE  NOTES\n\
        Deployment/a          2/2             60m\n\
        └─ ReplicaSet/shared  1/2             60m\n\
        \u{20}  └─ Pod/p           1/1    Running  60m\n\
        Deployment/b          2/2             60m\n\
        └┄ ReplicaSet/shared  1/2             60m  shown above\n\
        \n\
        ─ controller   ┄ owner, not controller\n"
    );
}

#[test]
fn cycles_terminate_and_are_flagged() {
    let mut inv = Inventory::default();
    inv.add(&rs(
        "x",
        "r1",
        vec![owner("ReplicaSet", "apps/v1", "y", "r2", true)],
    ));
    inv.add(&rs(
        "y",
        "r2",
        vec![owner("ReplicaSet", "apps/v1", "x", "r1", true)],
    ));
    inv.add(&pod(
        "self",
        "p1",
        vec![owner("Pod", "v1", "self", "p1", true)],
    ));
    let tree = namespace_forest(&inv, Some("shop"), &HashSet::new(), now());
    assert_eq!(
        tree.doc.to_text(),
        "Namespace shop\n\
        NAME                READY  STATUS   AGE  NOTES\n\
        ReplicaSet/x        1/2             60m  owners form a cycle\n\
        └─ ReplicaSet/y     1/2             60m\n\
        \u{20}  └─ ReplicaSet/x  1/2             60m  cycle: owns its own owner\n\
        Pod/self            1/1    Running  60m  owners form a cycle\n\
        └─ Pod/self         1/1    Running  60m  cycle: owns its own owner\n"
    );
    let up = tree_for(
        &inv,
        &ObjectRef::new(Kind::ReplicaSet, "shop", "y"),
        &HashSet::new(),
        now(),
    )
    .expect("found");
    assert_eq!(up.doc.lines.len(), 5);
    // A collapsed member of a cycle still counts each hidden object once.
    let collapsed: HashSet<String> = ["r1".to_string()].into();
    let tree = namespace_forest(&inv, Some("shop"), &collapsed, now());
    assert_eq!(
        tree.doc.lines[2].text().split("  ").next(),
        Some("▸ ReplicaSet/x (+1)")
    );
}

#[test]
fn duplicate_uids_are_flagged_and_both_drawn() {
    let mut inv = Inventory::default();
    inv.add(&rs("one", "dup", vec![]));
    inv.add(&rs("two", "dup", vec![]));
    inv.add(&pod(
        "p",
        "p1",
        vec![owner("ReplicaSet", "apps/v1", "two", "dup", true)],
    ));
    let tree = namespace_forest(&inv, Some("shop"), &HashSet::new(), now());
    assert_eq!(
        tree.doc.to_text(),
        "Namespace shop\n\
        NAME            READY  STATUS   AGE  NOTES\n\
        ReplicaSet/one  1/2             60m  duplicate uid; orphan: no controller\n\
        ReplicaSet/two  1/2             60m  duplicate uid; orphan: no controller\n\
        └─ Pod/p        1/1    Running  60m\n"
    );
}

#[test]
fn tree_for_walks_up_then_down_and_ignores_other_trees() {
    let mut inv = web();
    inv.add(&pod("unrelated", "p9", vec![]));
    let tree = tree_for(
        &inv,
        &ObjectRef::new(Kind::Pod, "shop", "web-a-2"),
        &HashSet::new(),
        now(),
    )
    .expect("found");
    assert_eq!(tree.doc.title, "Owners: Pod shop/web-a-2");
    assert_eq!(tree.doc.lines.len(), 6);
    assert_eq!(
        tree.doc.lines[2].text().trim_end(),
        "Deployment/web       2/2             60m"
    );
    assert!(
        tree_for(
            &inv,
            &ObjectRef::new(Kind::Pod, "shop", "nope"),
            &HashSet::new(),
            now()
        )
        .is_none()
    );
}

#[test]
fn owner_chain_follows_controllers_to_the_root() {
    let inv = web();
    let refs: Vec<OwnerReference> = vec![from(owner("ReplicaSet", "apps/v1", "web-a", "r1", true))];
    let chain = owner_chain(&inv, "shop", &refs);
    let names: Vec<_> = chain
        .iter()
        .map(|l| format!("{}/{}", l.kind, l.name))
        .collect();
    assert_eq!(names, ["ReplicaSet/web-a", "Deployment/web"]);
    let mut doc = Doc::new("t");
    write_chain(
        &mut doc,
        &owner_chain(
            &inv,
            "shop",
            &[from(owner("ReplicaSet", "apps/v1", "gone", "r9", true))],
        ),
    );
    assert_eq!(
        doc.to_text(),
        "└─ controlled by ReplicaSet/gone (not found: dangling)\n"
    );
}

fn demo_inventory() -> Inventory {
    let snapshot = crate::demo::load().expect("demo loads");
    Inventory::from_objects(&snapshot.objects)
}

#[test]
fn demo_forest_of_batch() {
    let tree = namespace_forest(&demo_inventory(), Some("batch"), &HashSet::new(), now());
    assert_eq!(
        tree.doc.to_text(),
        "Namespace batch\n\
        NAME                             READY  STATUS               AGE  NOTES\n\
        CronJob/cleanup                         Suspended, 0 active  34d\n\
        CronJob/report                          0 active             38d\n\
        └─ Job/report-20261123           1/1    Complete             60m\n\
        \u{20}  └─ Pod/report-20261123-2zrbs  0/1    Completed            60m\n\
        Job/migrate-once                 0/1    Failed               30m  orphan: no controller\n\
        └─ Pod/migrate-once-86vds        0/1    Error                30m\n\
        Pod/bulk-import                  0/1    SchedulingGated      50m  orphan: no controller\n"
    );
}

#[test]
fn demo_tree_of_one_deployment() {
    let tree = tree_for(
        &demo_inventory(),
        &ObjectRef::new(Kind::Deployment, "shop", "web"),
        &HashSet::new(),
        now(),
    )
    .expect("web exists");
    assert_eq!(
        tree.doc.to_text(),
        "Namespace shop\n\
        NAME                            READY  STATUS   AGE   NOTES\n\
        Deployment/web                  3/3             18d\n\
        ├─ ReplicaSet/web-45dmd5frnr    3/3             2d3h\n\
        │  ├─ Pod/web-45dmd5frnr-m9ghv  1/1    Running  2d3h\n\
        │  ├─ Pod/web-45dmd5frnr-sdlsm  1/1    Running  2d3h\n\
        │  └─ Pod/web-45dmd5frnr-wrwmb  1/1    Running  2d3h\n\
        ├─ ReplicaSet/web-4flbwqdldr    0/0             9d\n\
        └─ ReplicaSet/web-bjc5wmv6c4    0/0             18d\n"
    );
}

#[test]
fn demo_forest_of_kube_system_hangs_mirror_pods_from_their_node() {
    let tree = namespace_forest(
        &demo_inventory(),
        Some("kube-system"),
        &HashSet::new(),
        now(),
    );
    assert_eq!(
        tree.doc.to_text(),
        "Namespace kube-system\n\
        NAME                                            READY  STATUS      AGE  NOTES\n\
        Deployment/coredns                              2/2                41d\n\
        ├─ ReplicaSet/coredns-b58r7j8lxm                2/2                15d\n\
        │  ├─ Pod/coredns-b58r7j8lxm-m9g74              1/1    Running     15d\n\
        │  └─ Pod/coredns-b58r7j8lxm-qnvcl              1/1    Running     15d\n\
        └─ ReplicaSet/coredns-smm2cc5dqx                0/0                41d\n\
        DaemonSet/node-exporter                         4/5                39d\n\
        ├─ Pod/node-exporter-7j4pl                      1/1    Running     10d\n\
        ├─ Pod/node-exporter-cgdwh                      1/1    Running     10d\n\
        ├─ Pod/node-exporter-jmx9t                      1/1    Running     10d\n\
        ├─ Pod/node-exporter-pwr5k                      1/1    Running     10d\n\
        ├─ Pod/node-exporter-wgldj                      1/1    Running     10d\n\
        ├─ ControllerRevision/node-exporter-t94vxrclml         revision 2  10d\n\
        └─ ControllerRevision/node-exporter-vxw8bgjxk8         revision 1  39d\n\
        \n\
        Cluster-scoped owners\n\
        NAME                                 READY  STATUS   AGE  NOTES\n\
        Node/cp-1                                   Ready    41d\n\
        ├─ Pod/etcd-cp-1                     1/1    Running  15d\n\
        ├─ Pod/kube-apiserver-cp-1           1/1    Running  15d\n\
        ├─ Pod/kube-controller-manager-cp-1  1/1    Running  15d\n\
        └─ Pod/kube-scheduler-cp-1           1/1    Running  15d\n"
    );
}

#[test]
fn deep_chains_and_diamond_lattices_stay_linear() {
    // 1,000 replica sets each owned by the previous: no recursion to overflow.
    let mut inv = Inventory::default();
    inv.add(&rs("c0", "c0", vec![]));
    for i in 1..1000 {
        let parent = format!("c{}", i - 1);
        inv.add(&rs(
            &format!("c{i}"),
            &format!("c{i}"),
            vec![owner("ReplicaSet", "apps/v1", &parent, &parent, true)],
        ));
    }
    let tree = namespace_forest(&inv, Some("shop"), &HashSet::new(), now());
    assert_eq!(tree.doc.lines.len(), 1002);
    // 40 levels of two objects, each owned by both of the level above: drawn
    // naively that is 2^40 lines; each object expands once, so 2 + 2 per level.
    let mut inv = Inventory::default();
    inv.add(&deployment("top", "top"));
    for level in 0..40 {
        for side in ["a", "b"] {
            let owners = if level == 0 {
                vec![owner("Deployment", "apps/v1", "top", "top", true)]
            } else {
                let up = level - 1;
                vec![
                    owner(
                        "ReplicaSet",
                        "apps/v1",
                        &format!("l{up}a"),
                        &format!("l{up}a"),
                        true,
                    ),
                    owner(
                        "ReplicaSet",
                        "apps/v1",
                        &format!("l{up}b"),
                        &format!("l{up}b"),
                        false,
                    ),
                ]
            };
            let name = format!("l{level}{side}");
            inv.add(&rs(&name, &name, owners));
        }
    }
    let tree = namespace_forest(&inv, Some("shop"), &HashSet::new(), now());
    // Heading, header, the deployment, level 0's two, then per later level two
    // expanded plus two "shown above", and the legend (blank + line).
    assert_eq!(tree.doc.lines.len(), 2 + 1 + 2 + 39 * 4 + 2);
}
