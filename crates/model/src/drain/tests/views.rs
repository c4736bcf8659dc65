//! The `:pdb` view on hand-made budgets, and the plan read from the cache's stores.

use serde_json::json;

use super::*;
use crate::pdb::{pdb_doc, pdb_views};
use crate::table::Tone;

#[test]
fn the_pdb_view_names_the_nodes_a_budget_blocks() {
    let mut c = Cluster::with_nodes(&["n1", "n2"]);
    for (name, node) in [("web-a", "n1"), ("web-b", "n1"), ("web-c", "n2")] {
        c.pods.push(pod(pod_json("shop", name, node)));
    }
    let mut sick = pod_json("shop", "web-d", "n2");
    sick["status"]["conditions"] = json!([{"type": "Ready", "status": "False"}]);
    c.pods.push(pod(sick));
    let mut api = pod_json("shop", "api-a", "n2");
    api["metadata"]["labels"] = json!({"app": "api", "tier": "edge"});
    c.pods.push(pod(api));
    // One disruption allowed: n1 holds two pods that need one each, n2 one
    // (web-d is unready and the budget is met, so it needs none).
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"minAvailable": 2}),
        (3, 2, 4, 1),
    ));
    // Two budgets over api-a: any drain of n2 fails on it.
    let mut api1 = pdb("shop", "api-1", json!({"maxUnavailable": 1}), (1, 0, 1, 1));
    let mut api2 = pdb("shop", "api-2", json!({"maxUnavailable": 1}), (1, 0, 1, 1));
    for (b, expr) in [
        (
            &mut api1,
            json!({"key": "app", "operator": "In", "values": ["api"]}),
        ),
        (&mut api2, json!({"key": "tier", "operator": "Exists"})),
    ] {
        if let Some(spec) = b.spec.as_mut() {
            spec.selector = serde_json::from_value(json!({"matchExpressions": [expr]})).ok();
        }
    }
    c.pdbs.extend([api1, api2]);
    c.pdbs.push(pdb(
        "other",
        "idle",
        json!({"minAvailable": "50%"}),
        (0, 0, 0, 0),
    ));
    let pdbs: Vec<_> = c.pdbs.iter().collect();
    let pods: Vec<_> = c.pods.iter().collect();
    let views = pdb_views(&pdbs, &pods);
    let blocks: Vec<(String, Vec<String>)> = views
        .iter()
        .map(|v| (v.facts.name.clone(), v.blocks_nodes.clone()))
        .collect();
    assert_eq!(
        blocks,
        [
            ("idle".to_string(), vec![]),
            ("api-1".to_string(), vec!["n2".to_string()]),
            ("api-2".to_string(), vec!["n2".to_string()]),
            ("web-pdb".to_string(), vec!["n1".to_string()]),
        ]
    );
    let doc = pdb_doc(&views[..1], now());
    assert_eq!(
        doc.to_text(),
        concat!(
            "other/idle\n",
            "Selector:                      app=web\n",
            "Spec:                          minAvailable 50%\n",
            "Resolved:                      minAvailable 50% of 0 expected pods = 0 (rounded up) must stay healthy\n",
            "Healthy:                       0 current / 0 desired (0 expected)\n",
            "Allowed disruptions:           0\n",
            "Unhealthy pod eviction policy: IfHealthyBudget\n",
            "Selects no pods.\n",
        )
    );
    let doc = pdb_doc(&views[3..], now());
    assert_eq!(
        doc.to_text(),
        concat!(
            "shop/web-pdb\n",
            "Selector:                      app=web\n",
            "Spec:                          minAvailable 2\n",
            "Resolved:                      2 pods must stay healthy\n",
            "Healthy:                       3 current / 2 desired (4 expected)\n",
            "Allowed disruptions:           1\n",
            "Unhealthy pod eviction policy: IfHealthyBudget\n",
            "POD    NODE  HEALTH\n",
            "web-a  n1    Ready\n",
            "web-b  n1    Ready\n",
            "web-c  n2    Ready\n",
            "web-d  n2    NotReady\n",
            "Blocks drain of node n1\n",
        )
    );
    let last = doc.lines.last().expect("line");
    assert_eq!(
        last.target,
        Some(crate::doc::ObjectRef::new(
            crate::cluster::Kind::Node,
            "",
            "n1"
        ))
    );
    assert_eq!(doc.lines[11].spans[2].tone, Tone::Warning);
    assert_eq!(pdb_doc(&[], now()).to_text(), "No PodDisruptionBudgets.\n");
}

#[test]
fn plans_and_counts_read_from_the_stores() {
    let objects = crate::demo::load().expect("demo").objects;
    let stores = crate::cluster::Stores::from_objects(objects);
    let drain = vec!["worker-3".to_string()];
    let options = DrainOptions {
        ignore_daemonsets: true,
        delete_emptydir_data: true,
        ..Default::default()
    };
    let plan = plan_from_stores(&stores, &drain, &options, now());
    assert_eq!(
        rows(&plan),
        [
            "node-exporter-pwr5k Skip | DaemonSet-managed: ignored (--ignore-daemonsets)",
            "api-xc8k88h8p5-lz6x8 Evict | emptyDir data is deleted: logs (--delete-emptydir-data); \
             already terminating: the eviction deletes it without consulting budgets",
        ]
    );
    let counts = counts_from_stores(&stores, now());
    assert_eq!(
        counts.get("worker-3"),
        Some(&DrainCounts {
            emptydir: 1,
            daemonset: 1,
            ..Default::default()
        })
    );
}
