//! What the eviction API answers, budget by budget.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::json;

use super::*;
use crate::pdb::{budget_facts, pdbs_covering, scaled_value, selector_text};

fn web_pods(c: &mut Cluster, names: &[(&str, &str)]) {
    for (name, node) in names {
        c.pods.push(pod(pod_json("shop", name, node)));
    }
}

#[test]
fn percentages_round_up_like_the_disruption_controller() {
    let pct = |s: &str| IntOrString::String(s.into());
    assert_eq!(scaled_value(&pct("50%"), 3), Some(2));
    assert_eq!(scaled_value(&pct("33%"), 10), Some(4));
    assert_eq!(scaled_value(&pct("30%"), 10), Some(3));
    assert_eq!(scaled_value(&pct("0%"), 7), Some(0));
    assert_eq!(scaled_value(&IntOrString::Int(2), 10), Some(2));
    assert_eq!(scaled_value(&pct("half"), 10), None);

    let facts = |spec, expected| {
        budget_facts(&pdb("shop", "p", spec, (0, 0, expected, 0)))
            .resolved
            .unwrap_or_default()
    };
    assert_eq!(
        facts(json!({"minAvailable": 2}), 3),
        "2 pods must stay healthy"
    );
    assert_eq!(
        facts(json!({"minAvailable": 1}), 3),
        "1 pod must stay healthy"
    );
    assert_eq!(
        facts(json!({"minAvailable": "50%"}), 3),
        "minAvailable 50% of 3 expected pods = 2 (rounded up) must stay healthy"
    );
    assert_eq!(
        facts(json!({"maxUnavailable": 1}), 3),
        "at most 1 of 3 expected pods unavailable: 2 must stay healthy"
    );
    assert_eq!(
        facts(json!({"maxUnavailable": "50%"}), 3),
        "maxUnavailable 50% of 3 expected pods = 2 (rounded up): 1 must stay healthy"
    );
    assert_eq!(
        facts(json!({"maxUnavailable": 5}), 3),
        "at most 5 of 3 expected pods unavailable: 0 must stay healthy"
    );
}

#[test]
fn facts_show_spec_status_and_the_default_policy() {
    let f = budget_facts(&pdb(
        "shop",
        "web-pdb",
        json!({"maxUnavailable": "25%"}),
        (4, 3, 4, 1),
    ));
    assert_eq!(f.spec_text(), "maxUnavailable 25%");
    assert_eq!(f.min_available, None);
    assert_eq!(f.max_unavailable.as_deref(), Some("25%"));
    assert_eq!(
        (
            f.current_healthy,
            f.desired_healthy,
            f.expected_pods,
            f.disruptions_allowed
        ),
        (4, 3, 4, 1)
    );
    assert_eq!(f.unhealthy_pod_eviction_policy, "IfHealthyBudget");
    assert_eq!(f.selector, "app=web");
    assert!(!f.stale);
}

#[test]
fn selectors_follow_policy_v1() {
    let p = pod(pod_json("shop", "web-a", "n1"));
    let mut empty = pdb("shop", "all", json!({}), (1, 0, 1, 1));
    if let Some(spec) = empty.spec.as_mut() {
        spec.selector = Some(Default::default());
    }
    let mut missing = pdb("shop", "none", json!({}), (1, 0, 1, 1));
    if let Some(spec) = missing.spec.as_mut() {
        spec.selector = None;
    }
    let elsewhere = pdb("other", "web", json!({}), (1, 0, 1, 1));
    let mut expr = pdb("shop", "expr", json!({}), (1, 0, 1, 1));
    if let Some(spec) = expr.spec.as_mut() {
        spec.selector = serde_json::from_value(json!({"matchExpressions": [
            {"key": "app", "operator": "In", "values": ["web", "api"]},
            {"key": "canary", "operator": "DoesNotExist"}
        ]}))
        .ok();
    }
    let all = [&empty, &missing, &elsewhere, &expr];
    let names: Vec<_> = pdbs_covering(&p, &all)
        .iter()
        .map(|b| b.metadata.name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["all", "expr"]);
    assert_eq!(
        selector_text(empty.spec.as_ref().and_then(|s| s.selector.as_ref())),
        "<empty> (selects every pod in the namespace)"
    );
    assert_eq!(selector_text(None), "<unset> (selects no pods)");
    assert_eq!(
        selector_text(expr.spec.as_ref().and_then(|s| s.selector.as_ref())),
        "!canary,app in (api,web)"
    );
}

#[test]
fn zero_disruptions_allowed_blocks_with_the_servers_message() {
    let mut c = Cluster::with_nodes(&["n1"]);
    web_pods(&mut c, &[("web-a", "n1")]);
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"maxUnavailable": 0}),
        (3, 3, 3, 0),
    ));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "web-a Blocked | blocked by web-pdb: The disruption budget web-pdb needs 3 healthy pods and has 3 currently"
        ]
    );
    let check = plan.pods[0].pdb.as_ref().expect("checked");
    assert_eq!(check.outcome, PdbOutcome::Blocked);
    assert_eq!(
        check.kubectl_error.as_deref(),
        Some(
            "error when evicting pods/\"web-a\" -n \"shop\" (will retry after 5s): \
             Cannot evict pod as it would violate the pod's disruption budget."
        )
    );
    assert_eq!(plan.summary.outcome, Outcome::Blocked);
    assert!(!plan.summary.completes_now);
}

#[test]
fn more_than_one_budget_is_refused_with_the_500_message() {
    let mut c = Cluster::with_nodes(&["n1"]);
    web_pods(&mut c, &[("web-a", "n1")]);
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"minAvailable": 1}),
        (3, 1, 3, 2),
    ));
    c.pdbs.push(pdb(
        "shop",
        "all-pdb",
        json!({"minAvailable": 1}),
        (3, 1, 3, 2),
    ));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "web-a Refused | This pod has more than one PodDisruptionBudget, which the eviction subresource \
          does not support. (all-pdb, web-pdb)"
        ]
    );
    let check = plan.pods[0].pdb.as_ref().expect("checked");
    assert_eq!(check.matching, ["all-pdb", "web-pdb"]);
    assert_eq!(check.budget, None);
    assert_eq!(
        check.kubectl_error.as_deref(),
        Some(
            "error when evicting pods/\"web-a\" -n \"shop\": This pod has more than one \
             PodDisruptionBudget, which the eviction subresource does not support."
        )
    );
    assert_eq!(plan.summary.outcome, Outcome::Refused);
}

#[test]
fn several_pods_share_the_allowed_disruptions_and_the_rest_wait() {
    let mut c = Cluster::with_nodes(&["n1"]);
    web_pods(&mut c, &[("web-a", "n1"), ("web-b", "n1"), ("web-c", "n1")]);
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"maxUnavailable": "50%"}),
        (4, 2, 4, 2),
    ));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "web-a Evict | web-pdb allows 2 disruptions now; this eviction uses one (1 left)",
            "web-b Evict | web-pdb allows 2 disruptions now; this eviction uses one (0 left)",
            "web-c Blocked | waits for replacements: web-pdb allows 2 disruptions now, used by shop/web-a, shop/web-b",
        ]
    );
    assert_eq!(
        plan.pods[2].pdb.as_ref().map(|c| c.outcome),
        Some(PdbOutcome::WaitsForReplacements)
    );
    assert_eq!(
        (
            plan.summary.evict,
            plan.summary.blocked,
            plan.summary.outcome
        ),
        (2, 1, Outcome::Blocked)
    );
}

#[test]
fn budgets_are_shared_across_the_drained_nodes() {
    let mut c = Cluster::with_nodes(&["n1", "n2", "n3"]);
    web_pods(&mut c, &[("web-b", "n2"), ("web-a", "n1"), ("web-c", "n3")]);
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"minAvailable": 2}),
        (3, 2, 3, 1),
    ));
    let plan = c.plan(&["n2", "n1"], &DrainOptions::default());
    // kubectl drains the nodes in the order given.
    assert_eq!(
        rows(&plan),
        [
            "web-b Evict | web-pdb allows 1 disruption now; this eviction uses one (0 left)",
            "web-a Blocked | waits for replacements: web-pdb allows 1 disruption now, used by shop/web-b",
        ]
    );
    assert_eq!(
        plan.nodes
            .iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>(),
        ["n2", "n1"]
    );
}

fn unready(name: &str) -> Pod {
    let mut v = pod_json("shop", name, "n1");
    v["status"]["conditions"] = json!([{"type": "Ready", "status": "False"}]);
    pod(v)
}

#[test]
fn unhealthy_pods_with_if_healthy_budget_go_only_while_the_budget_is_met() {
    let mut c = Cluster::with_nodes(&["n1"]);
    c.pods.push(unready("web-a"));
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"minAvailable": 2}),
        (2, 2, 3, 0),
    ));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "web-a Evict | not Ready: web-pdb (IfHealthyBudget) is met (2/2 healthy), so it goes without using a disruption"
        ]
    );
    let check = plan.pods[0].pdb.as_ref().expect("checked");
    assert!(!check.healthy);
    assert_eq!(check.outcome, PdbOutcome::UnhealthyMayGo);

    c.pdbs[0] = pdb("shop", "web-pdb", json!({"minAvailable": 2}), (1, 2, 3, 0));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "web-a Blocked | blocked by web-pdb: The disruption budget web-pdb needs 2 healthy pods and has 1 currently"
        ]
    );
}

#[test]
fn unhealthy_pods_with_always_allow_go_even_when_the_budget_is_not_met() {
    let mut c = Cluster::with_nodes(&["n1"]);
    c.pods.push(unready("web-a"));
    c.pods.push(pod(pod_json("shop", "web-b", "n1")));
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"minAvailable": 2, "unhealthyPodEvictionPolicy": "AlwaysAllow"}),
        (1, 2, 3, 0),
    ));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "web-a Evict | not Ready: web-pdb (AlwaysAllow) lets it go without using a disruption",
            "web-b Blocked | blocked by web-pdb: The disruption budget web-pdb needs 2 healthy pods and has 1 currently",
        ]
    );
}

#[test]
fn pending_and_stale_budgets() {
    let mut c = Cluster::with_nodes(&["n1"]);
    let mut pending = pod_json("shop", "web-a", "n1");
    pending["status"]["phase"] = json!("Pending");
    c.pods.push(pod(pending));
    c.pods.push(pod(pod_json("shop", "web-b", "n1")));
    let mut stale = pdb("shop", "web-pdb", json!({"minAvailable": 1}), (3, 1, 3, 2));
    stale.metadata.generation = Some(2);
    c.pdbs.push(stale);
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "web-a Evict | Pending: the eviction deletes it without consulting budgets",
            "web-b Blocked | The disruption budget web-pdb is still being processed by the server.",
        ]
    );
}

#[test]
fn the_plan_serializes_with_lower_camel_case_names() {
    let mut c = Cluster::with_nodes(&["n1"]);
    web_pods(&mut c, &[("web-a", "n1")]);
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"minAvailable": 1}),
        (1, 1, 1, 0),
    ));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    let v = serde_json::to_value(&plan).expect("json");
    assert_eq!(
        v["summary"],
        json!({"evict": 0, "skip": 0, "blocked": 1, "refused": 0, "refusedNodes": 0,
               "completesNow": false, "outcome": "blocked"})
    );
    assert_eq!(v["pods"][0]["verdict"], json!("blocked"));
    assert_eq!(v["pods"][0]["kubectlStatus"], json!("okay"));
    assert_eq!(v["pods"][0]["pdb"]["outcome"], json!("blocked"));
    assert_eq!(
        v["pods"][0]["pdb"]["budget"]["disruptionsAllowed"],
        json!(0)
    );
    assert_eq!(
        v["pods"][0]["pdb"]["budget"]["unhealthyPodEvictionPolicy"],
        json!("IfHealthyBudget")
    );
    assert_eq!(v["capacity"]["placements"][0]["node"], json!(null));
    assert_eq!(
        v["capacity"]["placements"][0]["reason"],
        json!("no schedulable node remains")
    );
}

#[test]
fn the_budget_index_finds_every_kind_of_selector() {
    let mut c = Cluster::with_nodes(&["n1"]);
    let mut front = pod_json("shop", "web-front", "n1");
    front["metadata"]["labels"] = json!({"app": "web", "tier": "front"});
    let mut other = pod_json("other", "x", "n1");
    other["metadata"]["labels"] = json!({"z": "1"});
    c.pods.extend([
        pod(front),
        pod(pod_json("shop", "web-plain", "n1")),
        pod(other),
    ]);
    // Filed under its first label (app=web) but needing tier=front too.
    let mut two = pdb("shop", "two-labels", json!({}), (3, 1, 3, 2));
    if let Some(spec) = two.spec.as_mut() {
        spec.selector =
            serde_json::from_value(json!({"matchLabels": {"tier": "front", "app": "web"}})).ok();
    }
    // No matchLabels at all: selects every pod of its namespace.
    let mut everything = pdb("other", "everything", json!({}), (3, 1, 3, 2));
    if let Some(spec) = everything.spec.as_mut() {
        spec.selector = Some(Default::default());
    }
    c.pdbs.extend([two, everything]);
    let plan = c.plan(&["n1"], &DrainOptions::default());
    let matching: Vec<(String, Vec<String>)> = plan
        .pods
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.pdb
                    .as_ref()
                    .map(|c| c.matching.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        matching,
        [
            ("x".to_string(), vec!["everything".to_string()]),
            ("web-front".to_string(), vec!["two-labels".to_string()]),
            ("web-plain".to_string(), vec![]),
        ]
    );
}

#[test]
fn a_negative_budget_is_forbidden() {
    let mut c = Cluster::with_nodes(&["n1"]);
    web_pods(&mut c, &[("web-a", "n1")]);
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"minAvailable": 1}),
        (1, 1, 1, -1),
    ));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "web-a Refused | poddisruptionbudget.policy \"web-pdb\" is forbidden: pdb disruptions allowed is negative"
        ]
    );
    assert_eq!(
        plan.pods[0]
            .pdb
            .as_ref()
            .and_then(|c| c.kubectl_error.as_deref()),
        Some(
            "error when evicting pods/\"web-a\" -n \"shop\": poddisruptionbudget.policy \"web-pdb\" \
             is forbidden: pdb disruptions allowed is negative"
        )
    );
}

#[test]
fn an_unready_pod_under_a_budget_wanting_nobody_uses_a_disruption() {
    // IfHealthyBudget needs desiredHealthy > 0 to let an unready pod go for free.
    let mut c = Cluster::with_nodes(&["n1"]);
    let mut v = pod_json("shop", "web-a", "n1");
    v["status"]["conditions"] = json!([{"type": "Ready", "status": "False"}]);
    c.pods.push(pod(v));
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"maxUnavailable": "100%"}),
        (0, 0, 1, 0),
    ));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "web-a Blocked | blocked by web-pdb: The disruption budget web-pdb needs 0 healthy pods and has 0 currently"
        ]
    );
}
