use super::*;

#[test]
fn hashes_are_stable_and_look_like_kubernetes_hashes() {
    let template = json!({"spec": {"containers": [{"name": "a", "image": "x:1"}]}, "metadata": {}});
    let reordered =
        json!({"metadata": {}, "spec": {"containers": [{"image": "x:1", "name": "a"}]}});
    let hash = template_hash(&template, 0);
    assert_eq!(hash, template_hash(&reordered, 0));
    assert!((8..=10).contains(&hash.len()), "{hash}");
    assert_ne!(hash, template_hash(&template, 1));
}

#[test]
fn surge_rounds_up_and_unavailable_rounds_down() {
    let deployment = json!({"spec": {"strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}}});
    assert_eq!(limits(&deployment, 3), (1, 0));
    assert_eq!(
        limits(
            &json!({"spec": {"strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}}}),
            3
        ),
        (0, 1)
    );
    assert_eq!(limits(&json!({}), 4), (1, 1));
}
