use serde_json::{Value, json};

use super::*;

/// Whether every field of `slim` holds what `full` holds at the same place.
fn is_part_of(slim: &Value, full: &Value, path: &str) -> Result<(), String> {
    match (slim, full) {
        (Value::Object(s), Value::Object(f)) => {
            for (key, value) in s {
                let inner = format!("{path}/{key}");
                match f.get(key) {
                    Some(other) => is_part_of(value, other, &inner)?,
                    None => return Err(format!("{inner} is not in the full object")),
                }
            }
            Ok(())
        }
        (Value::Array(s), Value::Array(f)) if s.len() == f.len() => s
            .iter()
            .zip(f)
            .enumerate()
            .try_for_each(|(i, (a, b))| is_part_of(a, b, &format!("{path}/{i}"))),
        _ if slim == full => Ok(()),
        _ => Err(format!("{path}: {slim} differs from {full}")),
    }
}

#[test]
fn every_demo_pod_decodes_to_a_faithful_part_of_itself() {
    let objects = crate::demo::load().expect("the demo loads").objects;
    assert!(objects.pods.len() > 20);
    for full in &objects.pods {
        let full_json = serde_json::to_value(full).expect("serialises");
        let slim: Pod = serde_json::from_value(full_json.clone()).expect("decodes");
        let slim_json = serde_json::to_value(&slim).expect("serialises");
        if let Err(problem) = is_part_of(&slim_json, &full_json, "") {
            panic!("{:?}: {problem}", full.metadata.name);
        }
        // What every view reads comes through.
        assert_eq!(slim.metadata, full.metadata);
        let (spec, full_spec) = (slim.spec.as_ref(), full.spec.as_ref());
        assert_eq!(
            spec.map(|s| s.containers.len()),
            full_spec.map(|s| s.containers.len())
        );
        assert_eq!(
            spec.and_then(|s| s.node_name.clone()),
            full_spec.and_then(|s| s.node_name.clone())
        );
        let (status, full_status) = (slim.status.as_ref(), full.status.as_ref());
        assert_eq!(
            status.and_then(|s| s.conditions.clone()),
            full_status.and_then(|s| s.conditions.clone())
        );
        assert_eq!(
            status.and_then(|s| s.container_statuses.as_ref().map(|c| c.len())),
            full_status.and_then(|s| s.container_statuses.as_ref().map(|c| c.len()))
        );
    }
}

#[test]
fn managed_fields_are_skipped_while_decoding() {
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {
            "name": "web-1", "namespace": "shop",
            "managedFields": [{"manager": "kubectl", "operation": "Apply",
                "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {}}}],
        },
    }))
    .expect("decodes");
    assert_eq!(pod.metadata.name.as_deref(), Some("web-1"));
    assert_eq!(pod.metadata.managed_fields, None);
}

#[test]
fn nulls_read_as_absent_as_in_k8s_openapi() {
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "p", "labels": null},
        "spec": {"containers": null, "volumes": null, "nodeName": null},
        "status": {"containerStatuses": [{"name": "app", "image": null,
            "ready": null, "restartCount": null}]},
    }))
    .expect("decodes");
    let spec = pod.spec.as_ref().expect("a spec");
    assert!(spec.containers.is_empty());
    assert_eq!(spec.volumes, None);
    let status = &pod.status.as_ref().expect("a status").container_statuses;
    let first = &status.as_ref().expect("statuses")[0];
    assert_eq!(
        (first.image.as_str(), first.ready, first.restart_count),
        ("", false, 0)
    );
}

#[test]
fn lists_keep_no_spare_capacity() {
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "app"}]},
        "status": {"conditions": [{"type": "Ready", "status": "True"}],
            "containerStatuses": [{"name": "app"}]},
    }))
    .expect("decodes");
    let spec = pod.spec.as_ref().expect("a spec");
    let status = pod.status.as_ref().expect("a status");
    assert_eq!(spec.containers.capacity(), 1);
    assert_eq!(status.conditions.as_ref().map(Vec::capacity), Some(1));
    assert_eq!(
        status.container_statuses.as_ref().map(Vec::capacity),
        Some(1)
    );
}

#[test]
fn a_clone_shares_the_fields_until_one_is_changed() {
    let original: Pod =
        serde_json::from_value(json!({"metadata": {"name": "p", "namespace": "ns"}}))
            .expect("decodes");
    let mut copy = original.clone();
    assert!(std::ptr::eq(&*original, &*copy), "a clone is a new handle");
    copy.metadata.name = Some("q".into());
    assert_eq!(original.metadata.name.as_deref(), Some("p"));
    assert_eq!(copy.metadata.name.as_deref(), Some("q"));
}

#[test]
fn the_volume_sources_views_read_are_kept_and_the_rest_noted() {
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "p"},
        "spec": {"containers": [], "volumes": [
            {"name": "scratch", "emptyDir": {"medium": "Memory"}},
            {"name": "token", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}},
            {"name": "info", "downwardAPI": {"items": [{"path": "labels",
                "fieldRef": {"fieldPath": "metadata.labels"}}]}},
            {"name": "data", "csi": {"driver": "csi.example.com", "volumeAttributes": {"a": "b"}}},
        ]},
    }))
    .expect("decodes");
    let volumes = pod
        .spec
        .as_ref()
        .and_then(|s| s.volumes.as_deref())
        .expect("volumes");
    assert_eq!(
        volumes[0]
            .empty_dir
            .as_ref()
            .and_then(|e| e.medium.as_deref()),
        Some("Memory")
    );
    assert!(volumes[1].projected.is_some());
    assert_eq!(volumes[2].downward_api, Some(Present));
    assert_eq!(
        volumes[3].csi.as_ref().map(|c| c.driver.as_str()),
        Some("csi.example.com")
    );
}

#[test]
fn quantities_read_like_the_api_map() {
    let resources: ResourceRequirements = serde_json::from_value(json!({
        "requests": {"memory": "128Mi", "cpu": "100m"},
        "limits": {"memory": "256Mi"},
    }))
    .expect("decodes");
    let requests = resources.requests.as_ref().expect("requests");
    assert_eq!(requests.get("cpu").map(|q| q.0.as_str()), Some("100m"));
    assert_eq!(requests.get("gpu"), None);
    assert!(requests.contains_key("memory"));
    // Sorted by name, as the API server writes maps.
    assert_eq!(requests.keys().collect::<Vec<_>>(), ["cpu", "memory"]);
    let pairs: Vec<(String, String)> = requests
        .into_iter()
        .map(|(k, q)| (k.clone(), q.0.clone()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("cpu".into(), "100m".into()),
            ("memory".into(), "128Mi".into())
        ]
    );
    assert_eq!(
        serde_json::to_value(&resources).expect("serialises"),
        json!({"limits": {"memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}})
    );
}

#[test]
fn a_slim_pod_is_a_fraction_of_the_full_type() {
    // The point of this module: what one pod costs before any string.
    let slim = std::mem::size_of::<PodFields>() + std::mem::size_of::<Container>();
    let full = std::mem::size_of::<k8s_openapi::api::core::v1::Pod>()
        + std::mem::size_of::<k8s_openapi::api::core::v1::Container>();
    assert!(slim * 3 < full, "slim {slim} B, full {full} B");
}

/// A pod as a real API server sent it (`wire/22`), managedFields and all.
const RECORDED: &str = include_str!("recorded_pod.json");

#[test]
fn a_pod_from_a_real_server_keeps_what_views_read() {
    let full: k8s_openapi::api::core::v1::Pod =
        serde_json::from_str(RECORDED).expect("the recording decodes");
    let pod: Pod = serde_json::from_str(RECORDED).expect("the recording decodes slim");
    assert_eq!(pod.metadata.managed_fields, None);
    let mut expected_meta = full.metadata.clone();
    expected_meta.managed_fields = None;
    assert_eq!(pod.metadata, expected_meta);
    // The service-account volume: four projected sources, by kind and name.
    let volumes = pod
        .spec
        .as_ref()
        .and_then(|s| s.volumes.as_deref())
        .expect("volumes");
    let sources = volumes[0]
        .projected
        .as_ref()
        .and_then(|p| p.sources.as_deref())
        .expect("projected sources");
    assert_eq!(sources.len(), 4);
    assert!(sources[0].service_account_token.is_some());
    assert_eq!(
        sources[1].config_map.as_ref().map(|c| c.name.as_str()),
        Some("kube-root-ca.crt")
    );
    assert!(sources[2].downward_api.is_some());
    // `lastState: {}` is no previous run.
    let statuses = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_deref())
        .expect("statuses");
    assert_eq!(statuses[0].last_state, None);
    assert!(
        statuses[0]
            .state
            .as_ref()
            .is_some_and(|s| s.running.is_some())
    );
    assert_eq!(
        pod.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .map(Vec::len),
        Some(5)
    );
    // What `kubectl get pod` printed for it: 1/1 Running, no restarts.
    let summary = crate::pod::summarize(&pod);
    assert_eq!(
        (
            summary.ready,
            summary.total,
            summary.status.as_str(),
            summary.restarts
        ),
        (1, 1, "Running", 0)
    );
}

#[test]
fn a_state_with_content_is_kept() {
    let status: ContainerStatus = serde_json::from_value(json!({
        "name": "app",
        "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}},
    }))
    .expect("decodes");
    let terminated = status
        .last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .expect("the previous run");
    assert_eq!(
        (terminated.exit_code, terminated.reason.as_deref()),
        (137, Some("OOMKilled"))
    );
}
