//! The label editor's cases, one test each: kubectl label's syntax, validation,
//! the impact warnings and the patches. Over 500 lines on purpose: splitting
//! would scatter the shared demo fixtures.

use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::cluster::Kind;
use crate::doc::ObjectRef;
use crate::table::Tone;

const NAME_RULE: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const PREFIX_RULE: &str = "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn messages(edit: &LabelEdit, current: &BTreeMap<String, String>) -> Vec<(Severity, String)> {
    validate(edit, current)
        .into_iter()
        .map(|p| (p.severity, p.message))
        .collect()
}

fn set_label(key: &str, value: &str) -> LabelEdit {
    let mut edit = LabelEdit::new(LabelField::Labels);
    edit.set(key, value);
    edit
}

#[test]
fn label_keys_valid_and_invalid_with_the_servers_messages() {
    let long = "a".repeat(63);
    for valid in [
        "app",
        "a",
        "A-b_c.9",
        "example.com/x",
        "app.kubernetes.io/name",
        long.as_str(),
    ] {
        assert_eq!(
            messages(&set_label(valid, "v"), &BTreeMap::new()).len(),
            if valid.contains("kubernetes.io") {
                1
            } else {
                0
            },
            "{valid}"
        );
        assert!(
            !has_errors(&validate(&set_label(valid, "v"), &BTreeMap::new())),
            "{valid}"
        );
    }
    let too_long = "a".repeat(64);
    let table: Vec<(&str, Vec<String>)> = vec![
        (
            "-app",
            vec![format!(
                "metadata.labels: Invalid value: \"-app\": name part {NAME_RULE}"
            )],
        ),
        (
            "app-",
            vec![format!(
                "metadata.labels: Invalid value: \"app-\": name part {NAME_RULE}"
            )],
        ),
        (
            "bad key!",
            vec![format!(
                "metadata.labels: Invalid value: \"bad key!\": name part {NAME_RULE}"
            )],
        ),
        (
            "",
            vec![
                "metadata.labels: Invalid value: \"\": name part must be non-empty".to_string(),
                format!("metadata.labels: Invalid value: \"\": name part {NAME_RULE}"),
            ],
        ),
        (
            "a/b/c",
            vec![format!(
                "metadata.labels: Invalid value: \"a/b/c\": a qualified name {NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            )],
        ),
        (
            "/name",
            vec![
                "metadata.labels: Invalid value: \"/name\": prefix part must be non-empty"
                    .to_string(),
            ],
        ),
        (
            "Example.com/x",
            vec![format!(
                "metadata.labels: Invalid value: \"Example.com/x\": {PREFIX_RULE}"
            )],
        ),
        (
            too_long.as_str(),
            vec![format!(
                "metadata.labels: Invalid value: \"{too_long}\": name part must be no more than 63 characters"
            )],
        ),
    ];
    for (key, expected) in table {
        let got = messages(&set_label(key, "v"), &BTreeMap::new());
        let want: Vec<(Severity, String)> =
            expected.into_iter().map(|m| (Severity::Error, m)).collect();
        assert_eq!(got, want, "key {key:?}");
    }
}

#[test]
fn label_values_valid_and_invalid_with_the_servers_messages() {
    let long = "x".repeat(63);
    for valid in ["", "v1", "my_value", "1.2.3", long.as_str()] {
        assert_eq!(
            messages(&set_label("k", valid), &BTreeMap::new()),
            vec![],
            "{valid:?}"
        );
    }
    let too_long = "x".repeat(64);
    let table: Vec<(&str, Vec<String>)> = vec![
        (
            "-v",
            vec![format!(
                "metadata.labels: Invalid value: \"-v\": {VALUE_RULE}"
            )],
        ),
        (
            "v-",
            vec![format!(
                "metadata.labels: Invalid value: \"v-\": {VALUE_RULE}"
            )],
        ),
        (
            "a b",
            vec![format!(
                "metadata.labels: Invalid value: \"a b\": {VALUE_RULE}"
            )],
        ),
        (
            "a/b",
            vec![format!(
                "metadata.labels: Invalid value: \"a/b\": {VALUE_RULE}"
            )],
        ),
        (
            too_long.as_str(),
            vec![format!(
                "metadata.labels: Invalid value: \"{too_long}\": must be no more than 63 characters"
            )],
        ),
    ];
    for (value, expected) in table {
        let got = messages(&set_label("k", value), &BTreeMap::new());
        let want: Vec<(Severity, String)> =
            expected.into_iter().map(|m| (Severity::Error, m)).collect();
        assert_eq!(got, want, "value {value:?}");
    }
}

#[test]
fn annotations_keys_are_case_insensitive_values_free_and_the_total_is_capped() {
    let mut edit = LabelEdit::new(LabelField::Annotations);
    edit.set("Example.COM/Note", "any text at all: / ! é");
    assert_eq!(messages(&edit, &BTreeMap::new()), vec![]);

    let mut bad = LabelEdit::new(LabelField::Annotations);
    bad.set("bad key!", "x");
    assert_eq!(
        messages(&bad, &BTreeMap::new()),
        vec![(
            Severity::Error,
            format!("metadata.annotations: Invalid value: \"bad key!\": name part {NAME_RULE}")
        )]
    );

    // 262144 bytes in all (key "a" + value, plus the stored "b"="c") is allowed;
    // one byte more is refused.
    let current = map(&[("b", "c")]);
    let mut at_limit = LabelEdit::new(LabelField::Annotations);
    at_limit.set("a", "v".repeat(TOTAL_ANNOTATION_SIZE_LIMIT - 3));
    assert_eq!(annotations_size(&at_limit.apply(&current)), 262144);
    assert_eq!(messages(&at_limit, &current), vec![]);
    let mut over = LabelEdit::new(LabelField::Annotations);
    over.set("a", "v".repeat(TOTAL_ANNOTATION_SIZE_LIMIT - 2));
    assert_eq!(
        messages(&over, &current),
        vec![(
            Severity::Error,
            "metadata.annotations: Too long: may not be more than 262144 bytes".to_string()
        )]
    );
    // Removing the big annotation brings it back under the limit.
    let big = map(&[("a", &"v".repeat(TOTAL_ANNOTATION_SIZE_LIMIT))]);
    let mut shrink = LabelEdit::new(LabelField::Annotations);
    shrink.remove("a");
    assert_eq!(messages(&shrink, &big), vec![]);
}

#[test]
fn reserved_prefixes_warn_without_blocking() {
    for (key, reserved) in [
        ("kubernetes.io/hostname", true),
        ("node-role.kubernetes.io/worker", true),
        ("k8s.io/x", true),
        ("sub.K8S.io/x", true),
        ("example.com/x", false),
        ("kubernetes.io.example.com/x", false),
        ("mykubernetes.io/x", false),
        ("kubernetes.io", false),
    ] {
        assert_eq!(is_reserved(key), reserved, "{key}");
    }
    let mut edit = LabelEdit::new(LabelField::Labels);
    edit.remove("node-role.kubernetes.io/worker");
    let problems = validate(&edit, &map(&[("node-role.kubernetes.io/worker", "")]));
    assert_eq!(
        problems,
        vec![Problem {
            severity: Severity::Warning,
            message: "label \"node-role.kubernetes.io/worker\": the kubernetes.io/ and k8s.io/ prefixes are reserved for Kubernetes core components".to_string()
        }]
    );
    assert!(!has_errors(&problems));
}

#[test]
fn the_merge_patch_sets_removes_and_carries_the_precondition() {
    let mut edit = LabelEdit::new(LabelField::Labels);
    edit.set("tier", "frontend");
    edit.remove("gone");
    edit.set("tier", "backend");
    assert_eq!(
        merge_patch(&edit, "1984188"),
        json!({"metadata": {"resourceVersion": "1984188", "labels": {"tier": "backend", "gone": null}}})
    );
    let mut note = LabelEdit::new(LabelField::Annotations);
    note.set("note", "");
    assert_eq!(
        merge_patch(&note, ""),
        json!({"metadata": {"annotations": {"note": ""}}})
    );
    assert_eq!(
        edit.apply(&map(&[("gone", "x"), ("app", "web")])),
        map(&[("app", "web"), ("tier", "backend")])
    );
    assert!(edit.is_noop_for(&map(&[("tier", "backend")])));
    assert!(!edit.is_noop_for(&map(&[("tier", "backend"), ("gone", "")])));
}

fn pod_target(name: &str, current: BTreeMap<String, String>) -> EditTarget {
    EditTarget {
        object: ObjectRef::new(Kind::Pod, "shop", name),
        current,
        resource_version: "7".into(),
    }
}

#[test]
fn the_editor_doc_shows_added_changed_removed_and_problems() {
    let mut editor = LabelEditor::new(
        LabelField::Labels,
        vec![pod_target(
            "web-1",
            map(&[("app", "web"), ("tier", "frontend"), ("old", "x")]),
        )],
    );
    editor.edit.set("app", "web-debug");
    editor.edit.remove("old");
    editor.edit.set("team", "shop");
    editor.edit.set("bad key!", "v");
    editor.edit.set("kubernetes.io/x", "y");
    let doc = label_editor_doc(&editor);
    assert_eq!(doc.title, "Labels of Pod shop/web-1");
    assert_eq!(
        doc.to_text(),
        format!(
            "Labels of Pod shop/web-1\n\
             \x20  KEY              VALUE\n\
             ~  app              web → web-debug\n\
             +  bad key!         v\n\
             +  kubernetes.io/x  y\n\
             -  old              x\n\
             +  team             shop\n\
             \x20  tier             frontend\n\
             \n\
             5 pending changes.\n\
             \n\
             Problems\n\
             error: metadata.labels: Invalid value: \"bad key!\": name part {NAME_RULE}\n\
             warning: label \"kubernetes.io/x\": the kubernetes.io/ and k8s.io/ prefixes are reserved for Kubernetes core components\n"
        )
    );
    assert_eq!(doc.lines[2].spans[0].tone, Tone::Warning);
    assert_eq!(doc.lines[5].spans[2].tone, Tone::Bad);
    assert_eq!(doc.lines[6].spans[1].tone, Tone::Good);
    assert_eq!(doc.lines[7].spans[2].tone, Tone::Normal);
    assert!(!editor.can_apply());
    editor.edit.revert("bad key!");
    assert!(editor.can_apply());
}

#[test]
fn five_nodes_at_once_summarise_differing_values() {
    let targets: Vec<EditTarget> = (1..=5)
        .map(|i| {
            let mut current = map(&[("kubernetes.io/hostname", &format!("worker-{i}"))]);
            if i <= 3 {
                current.insert("pool".into(), "general".into());
            }
            if i == 5 {
                current.insert("team".into(), "ml".into());
            }
            EditTarget {
                object: ObjectRef::new(Kind::Node, "", format!("worker-{i}")),
                current,
                resource_version: format!("{i}"),
            }
        })
        .collect();
    let mut editor = LabelEditor::new(LabelField::Labels, targets);
    editor.edit.set("team", "ml");
    assert_eq!(
        label_editor_doc(&editor).to_text(),
        "Labels of 5 Nodes\n\
         \x20  KEY                     VALUE\n\
         \x20  kubernetes.io/hostname  (5 values)\n\
         \x20  pool                    general (3 of 5)\n\
         ~  team                    ml (1 of 5) → ml\n\
         \n\
         1 pending change; 4 of 5 objects would change.\n\
         \n\
         Objects\n\
         Node worker-1\n\
         Node worker-2\n\
         Node worker-3\n\
         Node worker-4\n\
         Node worker-5\n"
    );
    let doc = label_editor_doc(&editor);
    assert_eq!(doc.lines[13].spans[0].tone, Tone::Muted);
    assert_eq!(
        doc.lines[9].target,
        Some(ObjectRef::new(Kind::Node, "", "worker-1"))
    );
    assert_eq!(editor.changed_targets().len(), 4);
}

#[test]
fn an_empty_editor_says_so() {
    let editor = LabelEditor::new(
        LabelField::Annotations,
        vec![pod_target("bare", BTreeMap::new())],
    );
    assert_eq!(
        label_editor_doc(&editor).to_text(),
        "Annotations of Pod shop/bare\nNo annotations.\n\nNo pending changes.\n"
    );
    assert!(!editor.can_apply());
}

#[test]
fn the_conflict_shows_what_the_server_changed_and_keeps_the_edit() {
    let base = map(&[("app", "web"), ("tier", "frontend"), ("old", "x")]);
    let server = map(&[("app", "web"), ("tier", "backend"), ("canary", "true")]);
    let diff = conflict_diff(&base, &server);
    assert_eq!(
        diff,
        ConflictDiff {
            added: vec![("canary".into(), "true".into())],
            changed: vec![("tier".into(), "frontend".into(), "backend".into())],
            removed: vec![("old".into(), "x".into())],
        }
    );
    let mut edit = LabelEdit::new(LabelField::Labels);
    edit.set("tier", "cache");
    edit.remove("app");
    let doc = conflict_doc(
        &ObjectRef::new(Kind::Pod, "shop", "web-1"),
        &edit,
        &base,
        &server,
        "42",
    );
    assert_eq!(doc.title, "Conflict: Pod shop/web-1");
    assert_eq!(
        doc.to_text(),
        "Pod shop/web-1 changed on the server (now resourceVersion 42)\n\
         + canary=true\n\
         ~ tier: frontend → backend\n\
         - old=x\n\
         \n\
         Your edit (kept)\n\
         set tier=cache\n\
         remove app\n\
         \n\
         Re-applying overwrites the server's change of tier.\n\
         Re-apply to send your edit against resourceVersion 42.\n"
    );
    assert_eq!(doc.lines[2].spans[0].tone, Tone::Warning);
    let unchanged = conflict_doc(
        &ObjectRef::new(Kind::Node, "", "worker-1"),
        &edit,
        &base,
        &base,
        "43",
    );
    assert_eq!(
        unchanged.lines[1].text(),
        "Its labels are unchanged; another part of the object changed."
    );
}

fn demo_stores() -> crate::cluster::Stores {
    crate::cluster::Stores::from_objects(crate::demo::load().expect("demo").objects)
}

#[test]
fn changing_app_on_a_replica_set_pod_warns_of_the_orphan_and_the_budget() {
    let stores = demo_stores();
    let pod = stores
        .pods
        .state()
        .into_iter()
        .find(|p| p.metadata.name.as_deref() == Some("api-xc8k88h8p5-glkvf"))
        .expect("the demo pod");
    let controller = controller_selector(&pod, &stores).expect("its ReplicaSet");
    assert_eq!(
        (controller.kind, controller.name.as_str()),
        (Kind::ReplicaSet, "api-xc8k88h8p5")
    );
    let pdbs_arc = stores.pod_disruption_budgets.state();
    let pdbs: Vec<_> = pdbs_arc.iter().map(|p| p.as_ref()).collect();
    let services = vec![
        ServiceSelector {
            name: "api".into(),
            selector: map(&[("app", "api")]),
        },
        ServiceSelector {
            name: "api-debug".into(),
            selector: map(&[("app", "api-debug")]),
        },
        ServiceSelector {
            name: "headless-no-selector".into(),
            selector: BTreeMap::new(),
        },
    ];
    let mut edit = LabelEdit::new(LabelField::Labels);
    edit.set("app", "api-debug");
    let before = pod.metadata.labels.clone().unwrap_or_default();
    let after = edit.apply(&before);
    assert_eq!(
        selector_impact(&pod, &after, Some(&controller), &pdbs, &services),
        vec![
            "Pod api-xc8k88h8p5-glkvf would stop matching the selector of its ReplicaSet api-xc8k88h8p5 (app=api,pod-template-hash=xc8k88h8p5): the ReplicaSet would orphan the pod (it keeps running) and create a replacement".to_string(),
            "Pod api-xc8k88h8p5-glkvf would no longer be covered by PodDisruptionBudget api-pdb (app=api)".to_string(),
            "Pod api-xc8k88h8p5-glkvf would stop matching Service api (app=api) and stop receiving its traffic".to_string(),
            "Pod api-xc8k88h8p5-glkvf would start matching Service api-debug (app=api-debug) and receive its traffic".to_string(),
        ]
    );
    // A label no selector mentions changes nothing.
    let mut harmless = LabelEdit::new(LabelField::Labels);
    harmless.set("debug", "true");
    assert_eq!(
        selector_impact(
            &pod,
            &harmless.apply(&before),
            Some(&controller),
            &pdbs,
            &services
        ),
        Vec::<String>::new()
    );
}

#[test]
fn a_pod_without_a_cached_controller_has_none() {
    let stores = demo_stores();
    let pod: crate::cluster::pod::Pod = serde_json::from_value(json!({
        "metadata": {"name": "p", "namespace": "shop", "labels": {"app": "api"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "name": "api-xc8k88h8p5", "uid": "not-the-uid", "controller": true}]}
    }))
    .expect("a pod");
    assert_eq!(controller_selector(&pod, &stores), None);
}

#[test]
fn rebasing_after_a_conflict_keeps_the_edit_and_shows_the_servers_values() {
    let mut editor = LabelEditor::new(
        LabelField::Labels,
        vec![pod_target(
            "web-1",
            map(&[("app", "web"), ("tier", "frontend")]),
        )],
    );
    editor.edit.set("tier", "cache");
    let web = ObjectRef::new(Kind::Pod, "shop", "web-1");
    assert!(editor.rebase(&web, map(&[("app", "web"), ("tier", "backend")]), "43"));
    assert!(!editor.rebase(
        &ObjectRef::new(Kind::Pod, "shop", "other"),
        BTreeMap::new(),
        "1"
    ));
    assert_eq!(editor.targets[0].resource_version, "43");
    assert_eq!(
        label_editor_doc(&editor).to_text(),
        "Labels of Pod shop/web-1\n\
         \x20  KEY   VALUE\n\
         \x20  app   web\n\
         ~  tier  backend → cache\n\
         \n\
         1 pending change.\n"
    );
}

#[test]
fn removing_a_key_only_just_added_leaves_no_row_and_no_change() {
    let mut editor = LabelEditor::new(
        LabelField::Labels,
        vec![pod_target("web-1", map(&[("app", "web")]))],
    );
    editor.edit.set("foo", "bar");
    assert!(editor.rows().iter().any(|r| r.key == "foo"));
    editor.remove("foo");
    let keys: Vec<String> = editor.rows().into_iter().map(|r| r.key).collect();
    assert_eq!(keys, ["app"], "no ghost row for foo");
    assert!(editor.edit.changes.is_empty());
    // A key the object has is removed for real.
    editor.remove("app");
    assert_eq!(editor.rows()[0].state, EntryState::Removed);
}
