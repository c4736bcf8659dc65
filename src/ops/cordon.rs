//! Cordon and uncordon: `spec.unschedulable` set by a patch, as `kubectl cordon`
//! does (`k8s.io/kubectl/pkg/drain/cordon.go`): read the node first and leave it
//! alone when it already has the wanted value ("already cordoned"), otherwise
//! send `{"spec":{"unschedulable":true}}` (uncordon: `null`, which removes the
//! field, as kubectl's two-way patch of `false` does). A server dry run sends
//! the same patch with `dryRun=All` (`wire/60`).

use k8s_openapi::api::core::v1::Node;
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::json;

use super::{Refused, WriteGate};

/// What happened to one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CordonOutcome {
    /// The patch was accepted (dry run: would be).
    Changed,
    /// The node already had the wanted value; nothing was sent.
    Unchanged,
    /// The server refused, with its message.
    Failed(String),
}

/// One node's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeResult {
    /// The node's name.
    pub node: String,
    /// What happened to it.
    pub outcome: CordonOutcome,
}

/// Cordons (`true`) or uncordons (`false`) each node in turn; refused with no
/// request sent in readonly mode.
pub async fn set_unschedulable(
    client: &kube::Client,
    gate: &WriteGate,
    nodes: &[String],
    unschedulable: bool,
) -> Result<Vec<NodeResult>, Refused> {
    gate.check()?;
    let mut results = Vec::with_capacity(nodes.len());
    for node in nodes {
        let outcome = set_one(client, gate, node, unschedulable, false).await?;
        results.push(NodeResult {
            node: node.clone(),
            outcome,
        });
    }
    Ok(results)
}

/// One node; `dry_run` sends the patch with `dryRun=All`.
pub async fn set_one(
    client: &kube::Client,
    gate: &WriteGate,
    node: &str,
    unschedulable: bool,
    dry_run: bool,
) -> Result<CordonOutcome, Refused> {
    gate.check()?;
    let api: Api<Node> = Api::all(client.clone());
    let current = match api.get(node).await {
        Ok(current) => current,
        Err(error) => return Ok(CordonOutcome::Failed(server_message(&error))),
    };
    let is_unschedulable = current
        .spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false);
    if is_unschedulable == unschedulable {
        return Ok(CordonOutcome::Unchanged);
    }
    let value = if unschedulable {
        json!(true)
    } else {
        json!(null)
    };
    let patch = json!({"spec": {"unschedulable": value}});
    let params = PatchParams {
        dry_run,
        ..PatchParams::default()
    };
    Ok(
        match api.patch(node, &params, &Patch::Merge(&patch)).await {
            Ok(_) => CordonOutcome::Changed,
            Err(error) => CordonOutcome::Failed(server_message(&error)),
        },
    )
}

/// The server's own message for an API error, else the client's description.
pub fn server_message(error: &kube::Error) -> String {
    match error {
        kube::Error::Api(status) if !status.message.is_empty() => status.message.clone(),
        other => other.to_string(),
    }
}
