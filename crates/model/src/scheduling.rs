//! Pure scheduling predicates, as the kube-scheduler's filter plugins decide them:
//! taints against tolerations (`TaintToleration`, with
//! `k8s.io/api/core/v1/toleration.go` `ToleratesTaint`), `nodeSelector`
//! (`NodeAffinity`'s nodeSelector half) and resource fit (`NodeResourcesFit`).

use std::collections::BTreeMap;

use crate::cluster::pod::Pod;
use k8s_openapi::api::core::v1::{Node, Taint, Toleration};

use super::quantity::parse_milli;
use super::resources::Requests;

/// `Toleration.ToleratesTaint`: an empty effect matches every effect, an empty
/// key with `Exists` matches every key, `Equal` (or no operator) compares values.
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    if let Some(effect) = toleration.effect.as_deref().filter(|e| !e.is_empty())
        && effect != taint.effect
    {
        return false;
    }
    if let Some(key) = toleration.key.as_deref().filter(|k| !k.is_empty())
        && key != taint.key
    {
        return false;
    }
    match toleration.operator.as_deref() {
        Some("Exists") => true,
        None | Some("") | Some("Equal") => {
            toleration.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("")
        }
        // Operators this version of the API does not know tolerate nothing.
        Some(_) => false,
    }
}

/// The first taint with effect NoSchedule or NoExecute that none of `pod`'s
/// tolerations tolerates (`FindMatchingUntoleratedTaint`); PreferNoSchedule
/// only scores, it never filters.
pub fn untolerated_taint<'n>(node: &'n Node, pod: &Pod) -> Option<&'n Taint> {
    let tolerations: &[Toleration] = pod
        .spec
        .as_ref()
        .and_then(|s| s.tolerations.as_deref())
        .unwrap_or(&[]);
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or(&[])
        .iter()
        .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
        .find(|taint| !tolerations.iter().any(|t| tolerates(t, taint)))
}

/// Whether every `nodeSelector` entry of `pod` is a label of `node`.
pub fn node_selector_matches(node: &Node, pod: &Pod) -> bool {
    let Some(selector) = pod.spec.as_ref().and_then(|s| s.node_selector.as_ref()) else {
        return true;
    };
    let labels = node.metadata.labels.as_ref();
    selector
        .iter()
        .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
}

/// A node's allocatable resources in milli-units (`pods` too: 110 pods is 110000).
pub fn allocatable(node: &Node) -> Requests {
    node.status
        .as_ref()
        .and_then(|s| s.allocatable.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|(k, q)| parse_milli(&q.0).ok().map(|v| (k.clone(), v)))
        .collect()
}

/// The resources (sorted by name) of which `free` holds less than `requests`
/// asks for; zero requests never fail, as in `NodeResourcesFit`.
pub fn insufficient(requests: &Requests, free: &Requests) -> Vec<String> {
    requests
        .iter()
        .filter(|(name, want)| **want > 0 && **want > free.get(*name).copied().unwrap_or(0))
        .map(|(name, _)| name.clone())
        .collect()
}

/// `free` minus `used`, per resource of `free`.
pub fn subtract(free: &mut Requests, used: &Requests) {
    for (name, amount) in used {
        if let Some(slot) = free.get_mut(name) {
            *slot -= amount;
        } else {
            free.insert(name.clone(), -amount);
        }
    }
}

/// Resources as a sorted map, for callers that build them by hand.
pub fn requests_of(pairs: &[(&str, i128)]) -> Requests {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect::<BTreeMap<_, _>>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn toleration(v: serde_json::Value) -> Toleration {
        serde_json::from_value(v).expect("toleration")
    }

    fn taint(key: &str, value: Option<&str>, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: value.map(String::from),
            effect: effect.into(),
            time_added: None,
        }
    }

    #[test]
    fn toleration_matching_follows_the_api_rules() {
        let t = taint("dedicated", Some("gpu"), "NoSchedule");
        assert!(tolerates(
            &toleration(json!({"key": "dedicated", "value": "gpu"})),
            &t
        ));
        assert!(tolerates(
            &toleration(
                json!({"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"})
            ),
            &t
        ));
        assert!(!tolerates(
            &toleration(json!({"key": "dedicated", "value": "cpu"})),
            &t
        ));
        assert!(!tolerates(
            &toleration(json!({"key": "dedicated", "value": "gpu", "effect": "NoExecute"})),
            &t
        ));
        assert!(tolerates(
            &toleration(json!({"key": "dedicated", "operator": "Exists"})),
            &t
        ));
        assert!(tolerates(&toleration(json!({"operator": "Exists"})), &t));
        assert!(!tolerates(
            &toleration(json!({"key": "other", "operator": "Exists"})),
            &t
        ));
        // `ToleratesTaint` skips the key check for an empty key, whatever the
        // operator (validation is what forbids an empty key with Equal).
        assert!(tolerates(&toleration(json!({"value": "gpu"})), &t));
        assert!(!tolerates(&toleration(json!({"value": "cpu"})), &t));
    }

    #[test]
    fn prefer_no_schedule_never_filters() {
        let node: Node =
            serde_json::from_value(json!({"metadata": {"name": "n"}, "spec": {"taints": [
                {"key": "soft", "effect": "PreferNoSchedule"},
                {"key": "hard", "value": "x", "effect": "NoExecute"}
            ]}}))
            .expect("node");
        let pod: Pod =
            serde_json::from_value(json!({"metadata": {"name": "p"}, "spec": {"containers": []}}))
                .expect("pod");
        assert_eq!(
            untolerated_taint(&node, &pod).map(|t| t.key.as_str()),
            Some("hard")
        );
    }

    #[test]
    fn insufficient_lists_every_short_resource() {
        let want = requests_of(&[("cpu", 500), ("memory", 10), ("nvidia.com/gpu", 0)]);
        let free = requests_of(&[("cpu", 400), ("memory", 10)]);
        assert_eq!(insufficient(&want, &free), vec!["cpu".to_string()]);
        let mut f = free.clone();
        subtract(&mut f, &requests_of(&[("cpu", 100), ("pods", 1000)]));
        assert_eq!(
            f,
            requests_of(&[("cpu", 300), ("memory", 10), ("pods", -1000)])
        );
    }
}
