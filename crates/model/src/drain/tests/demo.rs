//! The plan and the budget view on the demo cluster, as a user reads them.

use super::*;
use crate::cluster::Kind;
use crate::doc::ObjectRef;
use crate::pdb::{pdb_doc, pdb_views};
use crate::table::Tone;

fn demo() -> crate::cluster::Objects {
    crate::demo::load().expect("demo cluster").objects
}

fn plan_demo(drain: &[&str], options: &DrainOptions) -> DrainPlan {
    let o = demo();
    let c = Cluster {
        pods: o.cached_pods(),
        nodes: o.nodes,
        pdbs: o.pod_disruption_budgets,
        daemon_sets: o.daemon_sets,
    };
    c.plan(drain, options)
}

#[test]
fn worker_1_plan_text() {
    let options = DrainOptions {
        ignore_daemonsets: true,
        delete_emptydir_data: true,
        ..Default::default()
    };
    let plan = plan_demo(&["worker-1"], &options);
    let doc = drain_plan_doc(&plan, &options, now());
    assert_eq!(
        doc.to_text(),
        concat!(
            "Drain plan\n",
            "Command: kubectl drain worker-1 --ignore-daemonsets --delete-emptydir-data\n",
            "Outcome: refused: 1 pod refused, 1 node refused by kubectl\n",
            "Evict:   14\n",
            "Skip:    1\n",
            "Blocked: 1\n",
            "Refused: 1\n",
            "\n",
            "Node worker-1\n",
            "node/worker-1\n",
            "error: unable to drain node \"worker-1\" due to error: cannot delete Pods that declare no controller (use --force to override): default/debug-shell, continuing command...\n",
            "NAMESPACE    NAME                         VERDICT  PDB           REASON\n",
            "batch        migrate-once-86vds           evict    -             Failed: the eviction deletes it without consulting budgets\n",
            "batch        report-20261123-2zrbs        evict    -             Succeeded: the eviction deletes it without consulting budgets\n",
            "data         etl-worker-pd9zp8nlhh-qnh69  evict    -             Failed: the eviction deletes it without consulting budgets\n",
            "data         etl-worker-pd9zp8nlhh-tc4lb  evict    -             emptyDir data is deleted: scratch (--delete-emptydir-data); Pending: the eviction deletes it without consulting budgets\n",
            "data         postgres-0                   blocked  postgres-pdb  emptyDir data is deleted: dshm (--delete-emptydir-data); blocked by postgres-pdb: The disruption budget postgres-pdb needs 3 healthy pods and has 3 currently\n",
            "default      debug-shell                  refused  -             Pods that declare no controller (use --force to override)\n",
            "default      hello-2fcjkv646l-7mx2v       evict    -             no PodDisruptionBudget selects it\n",
            "default      hello-2fcjkv646l-xhlwh       evict    -             already terminating: the eviction deletes it without consulting budgets\n",
            "kube-system  coredns-b58r7j8lxm-qnvcl     evict    -             no PodDisruptionBudget selects it\n",
            "kube-system  node-exporter-jmx9t          skip     -             DaemonSet-managed: ignored (--ignore-daemonsets)\n",
            "shop         api-xc8k88h8p5-xxz5s         evict    api-pdb       emptyDir data is deleted: logs (--delete-emptydir-data); api-pdb allows 2 disruptions now; this eviction uses one (1 left)\n",
            "shop         cart-klljm5vv4f-qkcsg        evict    -             emptyDir data is deleted: assets (--delete-emptydir-data); no PodDisruptionBudget selects it\n",
            "shop         catalog-ds52qfgsqw-jr745     evict    -             no PodDisruptionBudget selects it\n",
            "shop         checkout-rkdqqgxvcs-wmjb5    evict    -             no PodDisruptionBudget selects it\n",
            "shop         orders-wmgrk6fqqs-btxtv      evict    -             Pending: the eviction deletes it without consulting budgets\n",
            "shop         payments-v5z6r2wb7c-npxvp    evict    -             no PodDisruptionBudget selects it\n",
            "shop         web-45dmd5frnr-sdlsm         evict    web-pdb       emptyDir data is deleted: cache, run (--delete-emptydir-data); web-pdb allows 1 disruption now; this eviction uses one (0 left)\n",
            "\n",
            "PodDisruptionBudgets\n",
            "NAMESPACE  NAME          SPEC                HEALTHY/DESIRED  EXPECTED  ALLOWED  UNHEALTHY POD POLICY\n",
            "data       postgres-pdb  maxUnavailable 0    3/3              3         0        IfHealthyBudget\n",
            "shop       api-pdb       maxUnavailable 50%  3/1              3         2        AlwaysAllow\n",
            "shop       web-pdb       minAvailable 2      3/2              3         1        IfHealthyBudget\n",
            "\n",
            "Capacity\n",
            "Schedulable nodes: cp-1, worker-4\n",
            "All 11 recreated pods fit (first fit, largest first).\n",
            "NAMESPACE    NAME                         REQUESTS                FITS ON\n",
            "data         postgres-0                   cpu 1, memory 2Gi       worker-4\n",
            "shop         api-xc8k88h8p5-xxz5s         cpu 550m, memory 576Mi  worker-4\n",
            "data         etl-worker-pd9zp8nlhh-tc4lb  cpu 500m, memory 512Mi  worker-4\n",
            "shop         orders-wmgrk6fqqs-btxtv      cpu 300m, memory 384Mi  worker-4\n",
            "shop         payments-v5z6r2wb7c-npxvp    cpu 250m, memory 256Mi  worker-4\n",
            "shop         checkout-rkdqqgxvcs-wmjb5    cpu 200m, memory 256Mi  worker-4\n",
            "shop         cart-klljm5vv4f-qkcsg        cpu 150m, memory 192Mi  worker-4\n",
            "shop         web-45dmd5frnr-sdlsm         cpu 100m, memory 128Mi  worker-4\n",
            "kube-system  coredns-b58r7j8lxm-qnvcl     cpu 100m, memory 70Mi   cp-1\n",
            "default      hello-2fcjkv646l-7mx2v       no requests             worker-4\n",
            "shop         catalog-ds52qfgsqw-jr745     no requests             worker-4\n",
        )
    );
}

#[test]
fn plan_doc_tones_and_links() {
    let options = DrainOptions {
        ignore_daemonsets: true,
        delete_emptydir_data: true,
        ..Default::default()
    };
    let doc = drain_plan_doc(&plan_demo(&["worker-1"], &options), &options, now());
    let line = |start: &str| {
        doc.lines
            .iter()
            .find(|l| l.text().starts_with(start))
            .expect("line")
    };
    let verdict = |start: &str| line(start).spans[2].tone;
    assert_eq!(verdict("data         postgres-0 "), Tone::Warning);
    assert_eq!(verdict("default      debug-shell "), Tone::Bad);
    assert_eq!(verdict("kube-system  node-exporter-jmx9t "), Tone::Muted);
    assert_eq!(verdict("shop         web-45dmd5frnr-sdlsm "), Tone::Good);
    assert_eq!(
        line("default      debug-shell ").target,
        Some(ObjectRef::new(Kind::Pod, "default", "debug-shell"))
    );
    assert_eq!(
        line("node/worker-1").target,
        Some(ObjectRef::new(Kind::Node, "", "worker-1"))
    );
    assert!(line("Node worker-1").heading);
    assert_eq!(line("error: unable to drain").spans[0].tone, Tone::Bad);
}

#[test]
fn draining_two_demo_nodes_shares_their_budgets() {
    let options = DrainOptions {
        ignore_daemonsets: true,
        delete_emptydir_data: true,
        force: true,
        ..Default::default()
    };
    let plan = plan_demo(&["worker-1", "worker-4"], &options);
    let budgeted: Vec<String> = plan
        .pods
        .iter()
        .filter(|p| p.pdb.as_ref().is_some_and(|c| !c.matching.is_empty()))
        .map(|p| {
            format!(
                "{} {} {:?}: {}",
                p.node,
                p.name,
                p.verdict,
                p.pdb.as_ref().map(|c| c.explanation.as_str()).unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        budgeted,
        [
            "worker-1 postgres-0 Blocked: blocked by postgres-pdb: The disruption budget postgres-pdb needs 3 healthy pods and has 3 currently",
            "worker-1 api-xc8k88h8p5-xxz5s Evict: api-pdb allows 2 disruptions now; this eviction uses one (1 left)",
            "worker-1 web-45dmd5frnr-sdlsm Evict: web-pdb allows 1 disruption now; this eviction uses one (0 left)",
            "worker-4 postgres-1 Blocked: blocked by postgres-pdb: The disruption budget postgres-pdb needs 3 healthy pods and has 3 currently",
            "worker-4 api-xc8k88h8p5-glkvf Evict: api-pdb allows 2 disruptions now; this eviction uses one (0 left)",
            "worker-4 api-xc8k88h8p5-gr5qs Blocked: waits for replacements: api-pdb allows 2 disruptions now, used by shop/api-xc8k88h8p5-xxz5s, shop/api-xc8k88h8p5-glkvf",
            "worker-4 web-45dmd5frnr-wrwmb Blocked: waits for replacements: web-pdb allows 1 disruption now, used by shop/web-45dmd5frnr-sdlsm",
        ]
    );
    assert_eq!(
        (
            plan.summary.blocked,
            plan.summary.refused,
            plan.summary.outcome
        ),
        (4, 0, Outcome::Blocked)
    );
    // Only cp-1 stays schedulable (worker-2 is cordoned, worker-3 NotReady).
    assert_eq!(plan.capacity.nodes, ["cp-1"]);
}

#[test]
fn pdb_view_text() {
    let o = demo();
    let pdbs: Vec<_> = o.pod_disruption_budgets.iter().collect();
    let pods = o.cached_pods();
    let pods: Vec<_> = pods.iter().collect();
    let doc = pdb_doc(&pdb_views(&pdbs, &pods), now());
    assert_eq!(
        doc.to_text(),
        concat!(
            "data/postgres-pdb\n",
            "Selector:                      app=postgres\n",
            "Spec:                          maxUnavailable 0\n",
            "Resolved:                      at most 0 of 3 expected pods unavailable: 3 must stay healthy\n",
            "Healthy:                       3 current / 3 desired (3 expected)\n",
            "Allowed disruptions:           0\n",
            "Unhealthy pod eviction policy: IfHealthyBudget\n",
            "POD         NODE      HEALTH\n",
            "postgres-0  worker-1  Ready\n",
            "postgres-1  worker-4  Ready\n",
            "postgres-2  worker-2  Ready\n",
            "Blocks drain of node worker-1\n",
            "Blocks drain of node worker-2\n",
            "Blocks drain of node worker-4\n",
            "\n",
            "shop/api-pdb\n",
            "Selector:                      app=api\n",
            "Spec:                          maxUnavailable 50%\n",
            "Resolved:                      maxUnavailable 50% of 3 expected pods = 2 (rounded up): 1 must stay healthy\n",
            "Healthy:                       3 current / 1 desired (3 expected)\n",
            "Allowed disruptions:           2\n",
            "Unhealthy pod eviction policy: AlwaysAllow\n",
            "POD                   NODE      HEALTH\n",
            "api-xc8k88h8p5-glkvf  worker-4  Ready\n",
            "api-xc8k88h8p5-gr5qs  worker-4  Ready\n",
            "api-xc8k88h8p5-lz6x8  worker-3  NotReady\n",
            "api-xc8k88h8p5-xxz5s  worker-1  Ready\n",
            "\n",
            "shop/web-pdb\n",
            "Selector:                      app=web\n",
            "Spec:                          minAvailable 2\n",
            "Resolved:                      2 pods must stay healthy\n",
            "Healthy:                       3 current / 2 desired (3 expected)\n",
            "Allowed disruptions:           1\n",
            "Unhealthy pod eviction policy: IfHealthyBudget\n",
            "POD                   NODE      HEALTH\n",
            "web-45dmd5frnr-m9ghv  worker-2  Ready\n",
            "web-45dmd5frnr-sdlsm  worker-1  Ready\n",
            "web-45dmd5frnr-wrwmb  worker-4  Ready\n",
        )
    );
}
