use super::*;
use serde_json::json;

fn now() -> Timestamp {
    "2026-11-23T12:00:00Z".parse().expect("valid time")
}

fn event(value: serde_json::Value) -> Event {
    serde_json::from_value(value).expect("test event must deserialize")
}

fn core(name: &str, count: i32, first: &str, last: &str) -> Event {
    event(json!({
        "metadata": {"name": name, "namespace": "shop"},
        "involvedObject": {"kind": "Pod", "apiVersion": "v1", "namespace": "shop", "name": "web-1", "uid": "u1"},
        "type": "Normal", "reason": "Pulled", "message": format!(" {name} "),
        "count": count, "firstTimestamp": first, "lastTimestamp": last,
        "source": {"component": "kubelet"}
    }))
}

#[test]
fn core_v1_counts_and_ages() {
    let e = core("a", 3, "2026-11-23T11:50:00Z", "2026-11-23T11:55:00Z");
    assert_eq!(count(&e), 3);
    assert_eq!(first_seen(&e, now()), "10m");
    assert_eq!(last_seen(&e, now()), "5m");
    assert_eq!(describe_age(&e, now()), "5m (x3 over 10m)");
    let single = core("b", 1, "2026-11-23T11:59:15Z", "2026-11-23T11:59:15Z");
    assert_eq!(describe_age(&single, now()), "45s");
}

#[test]
fn series_and_event_time_follow_kubectl() {
    // events.k8s.io-style: no first/lastTimestamp, no count; eventTime + series.
    let e = event(json!({
        "metadata": {"name": "s", "namespace": "shop"},
        "involvedObject": {"kind": "Pod", "name": "web-1"},
        "type": "Warning", "reason": "BackOff",
        "eventTime": "2026-11-23T11:00:00.000000Z",
        "series": {"count": 12, "lastObservedTime": "2026-11-23T11:58:00.000000Z"},
        "reportingComponent": "kubelet"
    }));
    assert_eq!(count(&e), 12);
    assert_eq!(first_seen(&e, now()), "60m");
    assert_eq!(last_seen(&e, now()), "2m");
    assert_eq!(describe_age(&e, now()), "2m (x12 over 60m)");
    // A new-API singleton: count 1, LAST SEEN falls back to FIRST SEEN.
    let single = event(json!({
        "metadata": {"name": "n"}, "involvedObject": {},
        "eventTime": "2026-11-23T11:59:00.000000Z"
    }));
    assert_eq!(
        (count(&single), last_seen(&single, now())),
        (1, "60s".to_string())
    );
    // Nothing at all: kubectl's <unknown>.
    let bare = event(json!({"metadata": {"name": "x"}, "involvedObject": {}}));
    assert_eq!(first_seen(&bare, now()), "<unknown>");
    assert_eq!(last_seen(&bare, now()), "<unknown>");
    assert_eq!(describe_age(&bare, now()), "<unknown>");
    // A series without lastObservedTime prints <unknown> for LAST SEEN.
    let odd = event(json!({"metadata": {"name": "o"}, "involvedObject": {},
        "lastTimestamp": "2026-11-23T11:59:00Z", "series": {"count": 2}}));
    assert_eq!(last_seen(&odd, now()), "<unknown>");
}

#[test]
fn sorted_most_recent_last_by_series_then_last_then_event_time() {
    let old = core("old", 1, "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z");
    let new = core("new", 1, "2026-11-23T11:00:00Z", "2026-11-23T11:59:00Z");
    let series = event(
        json!({"metadata": {"name": "series", "namespace": "shop"}, "involvedObject": {},
        "lastTimestamp": "2026-11-23T09:00:00Z",
        "series": {"count": 2, "lastObservedTime": "2026-11-23T11:30:00.000000Z"}}),
    );
    let timeless =
        event(json!({"metadata": {"name": "timeless", "namespace": "shop"}, "involvedObject": {}}));
    let only_event_time = event(
        json!({"metadata": {"name": "et", "namespace": "shop"}, "involvedObject": {},
        "eventTime": "2026-11-23T10:30:00.000000Z"}),
    );
    let all = [new, old, series, timeless, only_event_time];
    let names: Vec<_> = namespace_events(&all, Some("shop"))
        .iter()
        .map(|e| e.metadata.name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["timeless", "old", "et", "series", "new"]);
}

#[test]
fn matches_by_uid_then_by_kind_namespace_name() {
    let target = ObjectRef::new(crate::cluster::Kind::Pod, "shop", "web-1");
    let by_uid = core("a", 1, "2026-11-23T11:00:00Z", "2026-11-23T11:00:00Z");
    // Same name, different uid: an earlier pod of that name.
    let mut earlier = by_uid.clone();
    earlier.involved_object.uid = Some("old-uid".into());
    let mut no_uid = by_uid.clone();
    no_uid.involved_object.uid = None;
    let mut other_kind = no_uid.clone();
    other_kind.involved_object.kind = Some("Node".into());
    assert!(is_about(&by_uid, &target, Some("u1")));
    assert!(!is_about(&earlier, &target, Some("u1")));
    assert!(is_about(&no_uid, &target, Some("u1")));
    assert!(is_about(&by_uid, &target, None));
    assert!(!is_about(&other_kind, &target, Some("u1")));
}

#[test]
fn namespace_table_and_describe_section() {
    let warn = event(json!({
        "metadata": {"name": "w", "namespace": "shop"},
        "involvedObject": {"kind": "Pod", "apiVersion": "v1", "namespace": "shop", "name": "web-1",
            "fieldPath": "spec.containers{app}"},
        "type": "Warning", "reason": "Unhealthy", "message": "Readiness probe failed",
        "count": 4, "firstTimestamp": "2026-11-23T11:40:00Z", "lastTimestamp": "2026-11-23T11:58:00Z",
        "source": {"component": "kubelet", "host": "w1"}
    }));
    let normal = core("n", 1, "2026-11-23T11:30:00Z", "2026-11-23T11:30:00Z");
    let doc = namespace_events_doc([&warn, &normal], Some("shop"), now());
    assert_eq!(
        doc.to_text(),
        "TYPE     REASON     OBJECT     COUNT  FIRST SEEN  LAST SEEN  MESSAGE\n\
         Normal   Pulled     Pod/web-1  1      30m         30m        n\n\
         Warning  Unhealthy  Pod/web-1  4      20m         2m         Readiness probe failed\n"
    );
    assert_eq!(doc.lines[2].spans[0].tone, Tone::Warning);
    assert_eq!(doc.lines[1].spans[0].tone, Tone::Normal);
    assert_eq!(
        doc.lines[2].target,
        Some(ObjectRef::new(crate::cluster::Kind::Pod, "shop", "web-1"))
    );

    let mut describe = Doc::new("d");
    describe_events(
        &mut describe,
        &namespace_events([&warn, &normal], None),
        now(),
    );
    assert_eq!(
        describe.to_text(),
        "Events\n\
        TYPE     REASON     AGE               FROM     MESSAGE\n\
        Normal   Pulled     30m               kubelet  n\n\
        Warning  Unhealthy  2m (x4 over 20m)  kubelet  spec.containers{app}: Readiness probe failed\n"
    );
}

#[test]
fn demo_events_of_the_default_namespace() {
    let snapshot = crate::demo::load().expect("demo loads");
    let doc = namespace_events_doc(&snapshot.objects.events, Some("default"), now());
    assert_eq!(
        doc.to_text(),
        "TYPE     REASON                     OBJECT                       COUNT  FIRST SEEN  LAST SEEN  MESSAGE\n\
        Normal   NodeNotSchedulable         Node/worker-2                1      3h12m       3h12m      Node worker-2 status is now: NodeNotSchedulable\n\
        Warning  EvictionThresholdMet       Node/worker-1                1      40m         40m        Attempting to reclaim memory\n\
        Normal   NodeHasInsufficientMemory  Node/worker-1                1      40m         40m        Node worker-1 status is now: NodeHasInsufficientMemory\n\
        Normal   Scheduled                  Pod/debug-shell              1      35m         35m        Successfully assigned default/debug-shell to worker-1\n\
        Normal   Pulling                    Pod/debug-shell              1      35m         35m        Pulling image \"nicolaka/netshoot:v0.13\"\n\
        Normal   Pulled                     Pod/debug-shell              1      35m         35m        Successfully pulled image \"nicolaka/netshoot:v0.13\" in 4.127s (4.127s including waiting). Image size: 204175883 bytes.\n\
        Normal   Created                    Pod/debug-shell              1      35m         35m        Created container: debug-shell\n\
        Normal   Started                    Pod/debug-shell              1      35m         35m        Started container debug-shell\n\
        Normal   NodeHasSufficientMemory    Node/worker-1                1      34m         34m        Node worker-1 status is now: NodeHasSufficientMemory\n\
        Normal   NodeNotReady               Node/worker-3                1      24m         24m        Node worker-3 status is now: NodeNotReady\n\
        Normal   Killing                    Pod/hello-2fcjkv646l-xhlwh   1      50s         50s        Stopping container hello\n\
        Normal   SuccessfulDelete           ReplicaSet/hello-2fcjkv646l  1      50s         50s        Deleted pod: hello-2fcjkv646l-xhlwh\n\
        Normal   ScalingReplicaSet          Deployment/hello             1      50s         50s        Scaled down replica set hello-2fcjkv646l from 3 to 2\n"
    );
}

#[test]
fn object_view_keeps_only_that_object_without_object_column() {
    let mine = core("mine", 2, "2026-11-23T11:00:00Z", "2026-11-23T11:30:00Z");
    let mut other = core("other", 1, "2026-11-23T11:00:00Z", "2026-11-23T11:00:00Z");
    other.involved_object.uid = Some("u2".into());
    let target = ObjectRef::new(crate::cluster::Kind::Pod, "shop", "web-1");
    let doc = object_events_doc([&mine, &other], &target, Some("u1"), now());
    assert_eq!(doc.title, "Events: Pod shop/web-1");
    assert_eq!(
        doc.to_text(),
        "TYPE    REASON  COUNT  FIRST SEEN  LAST SEEN  MESSAGE\n\
         Normal  Pulled  2      60m         30m        mine\n"
    );
}
