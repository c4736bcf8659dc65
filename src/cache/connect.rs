//! Reaching a cluster: kubeconfig handling is kube-rs's (`KUBECONFIG` with several
//! files, contexts, exec credential plugins), with kubectl's flags on top.

use std::path::Path;

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

/// A client and what the header says about it.
pub struct Connection {
    pub client: Client,
    /// For the requests the user asks for: without kube's own retry layer, which
    /// would silently retry a PodDisruptionBudget's 429 instead of letting the
    /// drain report it and back off visibly. Built after the watches start (see
    /// [`Connection::ops_client`]).
    ops_config: Config,
    pub context: String,
    /// The context's namespace (`default` when it names none).
    pub namespace: String,
    pub server: String,
}

/// Loads the kubeconfig (`--kubeconfig`, else `KUBECONFIG`, else `~/.kube/config`)
/// and builds a client for `context` (else the current context). Errors are one
/// line for the user.
pub async fn connect(
    kubeconfig: Option<&Path>,
    context: Option<&str>,
) -> Result<Connection, String> {
    let kubeconfig = match kubeconfig {
        Some(path) => Kubeconfig::read_from(path).map_err(|e| {
            format!(
                "cannot read kubeconfig {}: {}",
                path.display(),
                first_line(&e)
            )
        })?,
        None => Kubeconfig::read().map_err(|e| {
            format!(
                "cannot read kubeconfig: {} (set KUBECONFIG, pass --kubeconfig, or try --demo)",
                first_line(&e)
            )
        })?,
    };
    let context_name = context
        .map(str::to_string)
        .or_else(|| kubeconfig.current_context.clone())
        .ok_or("the kubeconfig has no current context; pass --context NAME")?;
    if !kubeconfig.contexts.iter().any(|c| c.name == context_name) {
        let known: Vec<&str> = kubeconfig
            .contexts
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        return Err(format!(
            "no context {context_name:?} in the kubeconfig (contexts: {})",
            known.join(", ")
        ));
    }
    let options = KubeConfigOptions {
        context: Some(context_name.clone()),
        ..Default::default()
    };
    let config = Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| format!("kubeconfig context {context_name:?}: {e}"))?;
    from_config(config, context_name)
}

/// Parser errors come with a source snippet on the following lines; one line is
/// enough here.
fn first_line(error: &impl std::fmt::Display) -> String {
    let text = error.to_string();
    text.lines().next().unwrap_or_default().trim().to_string()
}

impl Connection {
    /// The client for user requests. Building a client loads the system's root
    /// certificates (a few milliseconds), so it is built once the watches are
    /// already listing. It cannot fail where the watch client did not: the
    /// configs differ only in the retry layer.
    pub fn ops_client(&self) -> Option<Client> {
        Client::try_from(self.ops_config.clone()).ok()
    }
}

/// A client for an already-built config (the demo simulator uses this).
pub fn from_config(config: Config, context: String) -> Result<Connection, String> {
    let namespace = config.default_namespace.clone();
    let server = config.cluster_url.to_string();
    let mut ops_config = config.clone();
    ops_config.default_retry = false;
    let client = Client::try_from(config)
        .map_err(|e| format!("cannot create a client for {server}: {e}"))?;
    Ok(Connection {
        client,
        ops_config,
        context,
        namespace,
        server,
    })
}
