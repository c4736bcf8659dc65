use serde_json::json;

use super::*;
use crate::resources;

fn pod(namespace: &str, name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "namespace": namespace, "labels": {"app": "web"}},
           "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
}

fn pods() -> &'static Resource {
    resources::lookup("pods").unwrap_or(&RESOURCES[0])
}

fn store(seed: Vec<Value>, window: usize) -> Store {
    let fixed = Clock::Fixed("2026-11-23T12:00:00Z".parse().unwrap_or_default());
    Store::new(seed, window, 16, fixed)
}

fn names_at(store: &Store, at: Option<u64>) -> Result<Vec<String>, TooOld> {
    store.read_scope(pods(), "", "", at, |_, objects| {
        in_scope(objects, "").map(|(k, _)| k.clone()).collect()
    })
}

#[test]
fn seeding_fills_identity_and_keeps_resource_versions() {
    let mut kept = pod("a", "kept");
    kept["metadata"]["resourceVersion"] = json!("40");
    let nameless = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {}});
    let s = store(vec![kept, pod("a", "fresh"), nameless], 10);
    assert_eq!(s.revision(), 41);
    let fresh = s.get(pods(), "a", "fresh").unwrap_or_default();
    assert_eq!(fresh["metadata"]["resourceVersion"], "41");
    assert_eq!(
        fresh["metadata"]["creationTimestamp"],
        "2026-11-23T12:00:00Z"
    );
    assert!(
        fresh["metadata"]["uid"]
            .as_str()
            .is_some_and(|u| u.len() == 36)
    );
    assert!(fresh.get("kind").is_none(), "bodies are stored untyped");
    assert_eq!(s.compacted_through(), 41);
}

#[test]
fn every_write_bumps_the_global_revision() {
    let s = store(vec![], 10);
    let created = s.apply(pod("a", "p")).unwrap_or_default();
    assert_eq!(created["metadata"]["resourceVersion"], "1");
    assert_eq!(created["kind"], "Pod");
    let uid = created["metadata"]["uid"].clone();
    let mut changed = pod("a", "p");
    changed["metadata"]["uid"] = json!("someone-elses");
    changed["metadata"]["labels"]["app"] = json!("api");
    let updated = s.apply(changed).unwrap_or_default();
    assert_eq!(updated["metadata"]["resourceVersion"], "2");
    assert_eq!(updated["metadata"]["uid"], uid, "an update keeps the uid");
    let deleted = s.delete(pods(), "a", "p").unwrap_or_default();
    assert_eq!(deleted["metadata"]["resourceVersion"], "3");
    assert!(s.get(pods(), "a", "p").is_none());
    assert!(s.delete(pods(), "a", "p").is_none());
}

#[test]
fn an_update_that_changes_nothing_is_not_written() {
    let s = store(vec![], 10);
    let created = s.apply(pod("a", "p")).unwrap_or_default();
    let again = s.apply(pod("a", "p")).unwrap_or_default();
    assert_eq!(again, created);
    assert_eq!(s.revision(), 1);
}

#[test]
fn workloads_count_spec_changes_in_their_generation() {
    let s = store(vec![], 10);
    let deployment = |replicas: i64, ready: i64| {
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": "web", "namespace": "shop"},
               "spec": {"replicas": replicas}, "status": {"readyReplicas": ready}})
    };
    let generation = |v: Value| v["metadata"]["generation"].as_i64();
    assert_eq!(
        generation(s.apply(deployment(1, 0)).unwrap_or_default()),
        Some(1)
    );
    assert_eq!(
        generation(s.apply(deployment(1, 1)).unwrap_or_default()),
        Some(1)
    );
    assert_eq!(
        generation(s.apply(deployment(3, 1)).unwrap_or_default()),
        Some(2)
    );
    let created = s.apply(pod("a", "p")).unwrap_or_default();
    assert!(created["metadata"].get("generation").is_none());
}

#[test]
fn refuses_what_it_cannot_store() {
    let s = store(vec![], 10);
    assert_eq!(s.apply(json!([])), Err(ApplyError::NotAnObject));
    assert!(matches!(
        s.apply(json!({"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "x"}})),
        Err(ApplyError::UnknownType { .. })
    ));
    assert_eq!(
        s.apply(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {}})),
        Err(ApplyError::MissingName)
    );
    let generated = s
        .apply(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "web-"}}))
        .unwrap_or_default();
    let name = object::name(&generated);
    assert!(name.starts_with("web-") && name.len() == 9, "{name}");
    assert_eq!(object::namespace(&generated), "default");
}

#[test]
fn old_revisions_are_reconstructed_from_the_history() {
    let s = store(vec![pod("a", "one"), pod("a", "two")], 10);
    let before = s.revision();
    assert!(s.apply(pod("a", "three")).is_ok());
    assert!(s.delete(pods(), "a", "one").is_some());
    assert_eq!(
        names_at(&s, None),
        Ok(vec!["a/three".into(), "a/two".into()])
    );
    assert_eq!(
        names_at(&s, Some(before)),
        Ok(vec!["a/one".into(), "a/two".into()])
    );
    s.compact();
    assert_eq!(
        names_at(&s, Some(before)),
        Err(TooOld {
            requested: before,
            oldest: before + 2
        })
    );
}

#[test]
fn subscriptions_replay_only_their_scope() {
    let s = store(vec![], 10);
    assert!(s.apply(pod("a", "one")).is_ok());
    assert!(s.apply(pod("b", "two")).is_ok());
    let subscription = s.subscribe(pods(), "b/", WatchStart::After(0));
    let keys: Vec<String> = subscription
        .map(|sub| sub.replay.iter().map(|c| c.key.clone()).collect())
        .unwrap_or_default();
    assert_eq!(keys, vec!["b/two".to_string()]);
}
