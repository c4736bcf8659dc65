//! Reaching a cluster: kubeconfig handling is kube-rs's (`KUBECONFIG` with several
//! files, contexts, exec credential plugins), with kubectl's flags on top.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use kube::config::{ExecInteractiveMode, KubeConfigOptions, Kubeconfig};
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

/// A kubeconfig context read and checked, its client not built yet: building it
/// runs the context's credential plugin, which may take a while.
pub struct Prepared {
    config: Config,
    pub context: String,
    pub server: String,
    /// The context's exec credential plugin, if any.
    pub plugin: Option<Plugin>,
}

/// An exec credential plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plugin {
    pub command: String,
    /// `interactiveMode: Never`: it cannot want the terminal, so the TUI may
    /// start while it runs.
    pub never_interactive: bool,
}

/// Reads the kubeconfig (`--kubeconfig`, else `KUBECONFIG`, else
/// `~/.kube/config`) and checks `context` (else the current context), without
/// running any plugin; [`build`] makes the clients. Errors are one line for the
/// user.
pub async fn prepare(kubeconfig: Option<&Path>, context: Option<&str>) -> Result<Prepared, String> {
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
    let plugin = credential_plugin(&kubeconfig, &context_name);
    let config = Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| format!("kubeconfig context {context_name:?}: {e}"))?;
    Ok(Prepared {
        server: config.cluster_url.to_string(),
        config,
        context: context_name,
        plugin,
    })
}

/// Whether to tell a terminal what a slow plugin is waited for (not while the
/// TUI owns it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    OnTerminal,
    Never,
}

/// Builds the clients, running the credential plugin on a blocking thread with a
/// deadline.
pub async fn build(
    prepared: Prepared,
    plugin_deadline: Option<Duration>,
    notice: Notice,
) -> Result<Connection, String> {
    let Prepared {
        config,
        context,
        plugin,
        ..
    } = prepared;
    let build = tokio::task::spawn_blocking(move || from_config(config, context));
    let build = async {
        build
            .await
            .unwrap_or_else(|e| Err(format!("the client could not be built: {e}")))
    };
    let Some(plugin) = plugin else {
        return build.await;
    };
    let command = plugin.command;
    let waiting = async {
        tokio::time::sleep(PLUGIN_NOTICE).await;
        if notice == Notice::OnTerminal && std::io::stderr().is_terminal() {
            eprintln!("kubesight: waiting for the credential plugin {command} (ctrl-c stops)");
        }
        std::future::pending::<()>().await;
    };
    let build = async {
        tokio::select! {
            built = build => built,
            () = waiting => unreachable!("waiting never ends"),
        }
    };
    match plugin_deadline {
        None => build.await,
        Some(deadline) => tokio::time::timeout(deadline, build)
            .await
            .unwrap_or_else(|_| {
                Err(format!(
                    "the credential plugin {command} did not answer within {}s (--request-timeout)",
                    deadline.as_secs_f64()
                ))
            }),
    }
}

/// After this long, a terminal is told what kubesight waits for.
const PLUGIN_NOTICE: Duration = Duration::from_secs(1);

/// The exec credential plugin of `context`'s user, if it has one.
fn credential_plugin(kubeconfig: &Kubeconfig, context: &str) -> Option<Plugin> {
    let user = kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == context)?
        .context
        .as_ref()?
        .user
        .clone()?;
    let exec = kubeconfig
        .auth_infos
        .iter()
        .find(|a| a.name == user)?
        .auth_info
        .as_ref()?
        .exec
        .as_ref()?;
    Some(Plugin {
        command: exec.command.clone()?,
        never_interactive: matches!(exec.interactive_mode, Some(ExecInteractiveMode::Never)),
    })
}

/// A client's build error in the user's words: a failed credential plugin is
/// named with its exit status and what it wrote on stderr.
fn build_error(server: &str, error: kube::Error) -> String {
    match error {
        kube::Error::Auth(kube::client::AuthError::AuthExecRun { out, .. }) => {
            // What the plugin said comes first: it is what the user acts on.
            // (kube's `cmd` is the whole Command, environment included.)
            let stderr = String::from_utf8_lossy(&out.stderr);
            let said = stderr.trim();
            let said = if said.is_empty() { "no message" } else { said };
            format!("the credential plugin failed: {said} ({})", out.status)
        }
        kube::Error::Auth(kube::client::AuthError::AuthExecStart(e)) => {
            format!("the credential plugin could not be started: {e}")
        }
        other => format!("cannot create a client for {server}: {other}"),
    }
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
    let client = Client::try_from(config).map_err(|e| build_error(&server, e))?;
    Ok(Connection {
        client,
        ops_config,
        context,
        namespace,
        server,
    })
}
