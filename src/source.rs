//! Opening a source: saved files, a live cluster, or the built-in demo, which is
//! the simulated API server on loopback reached through the live source exactly
//! like any cluster.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::app::SourceInfo;
use crate::cache::connect::{self, Connection};
use crate::cache::live::{LiveSource, Liveness};
use crate::cache::snapshot;
use crate::cache::{Cache, Freshness, new_cache, new_cache_with};
use crate::clock::Clock;
use crate::sim::{DEFAULT_CONTROLLER_SEED, SimConfig, Simulator};

/// How often the simulator's controllers reconcile.
pub const CONTROLLER_PERIOD: Duration = Duration::from_millis(500);

/// Why a source could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The user's input is wrong: a path, a kubeconfig, a context.
    Input(String),
    /// Anything else.
    Other(String),
}

/// A source, opened: its cache (filled, or filling for a live source) and what
/// the header says about it.
pub struct Opened {
    pub cache: Cache,
    pub info: SourceInfo,
    /// Shown in the footer at startup.
    pub note: String,
    /// An in-process simulator and its controllers, kept running as long as
    /// whoever holds these.
    pub keep_alive: Vec<Box<dyn std::any::Any + Send>>,
    /// The API client of a live source, for the requests the user asks for.
    pub client: Option<kube::Client>,
    /// A client still being built in the background (a credential plugin runs):
    /// it arrives here, or `None` if building it failed.
    pub pending_client: Option<tokio::sync::oneshot::Receiver<Option<kube::Client>>>,
}

/// A saved cluster, loaded completely before anything is shown.
pub fn open_snapshot(path: &Path) -> Result<Opened, OpenError> {
    let snapshot = snapshot::load_path(path).map_err(|e| OpenError::Input(e.to_string()))?;
    let note = snapshot.summary();
    tracing::info!(%note, "snapshot loaded");
    let (cache, mut writers) = new_cache();
    cache.replace_with_snapshot(&mut writers, snapshot);
    let info = SourceInfo {
        label: format!("snapshot {}", path.display()),
        context: "snapshot".into(),
    };
    Ok(Opened {
        cache,
        info,
        note,
        keep_alive: Vec::new(),
        client: None,
        pending_client: None,
    })
}

/// A live cluster: a watcher per kind starts on the current runtime; the stores
/// fill while the app already runs.
pub fn open_live(connection: Connection, only_namespace: Option<String>, clock: Clock) -> Opened {
    let (cache, writers) = new_cache_with(Freshness::Syncing { objects: 0 });
    let note = format!(
        "watching {} (context {})",
        connection.server, connection.context
    );
    let info = SourceInfo {
        label: connection.server.clone(),
        context: connection.context.clone(),
    };
    let client = start_watching(connection, only_namespace, clock, &cache, writers);
    Opened {
        cache,
        info,
        note,
        keep_alive: Vec::new(),
        client,
        pending_client: None,
    }
}

/// Starts the watchers into `cache`; the client for the user's requests.
fn start_watching(
    connection: Connection,
    only_namespace: Option<String>,
    clock: Clock,
    cache: &Cache,
    writers: crate::cache::Writers,
) -> Option<kube::Client> {
    LiveSource {
        client: connection.client.clone(),
        fallback_namespace: only_namespace
            .clone()
            .unwrap_or(connection.namespace.clone()),
        only_namespace,
        freshness: cache.freshness.clone(),
        changes: cache.changes.clone(),
        clock,
        liveness: Liveness::default(),
    }
    .start(writers);
    connection.ops_client()
}

/// The kubeconfig's cluster (`--kubeconfig`, `--context`). With `background`
/// (the TUI), a context whose credential plugin can never want the terminal
/// (`interactiveMode: Never`) gets its client built in the background: the screen
/// is up at once (syncing), `q` works while the plugin runs, and a plugin that
/// fails or times out is the stores' reason on screen. Any other plugin may
/// prompt, so it runs before the TUI takes the terminal.
pub async fn open_kubeconfig(
    kubeconfig: Option<&Path>,
    context: Option<&str>,
    only_namespace: Option<String>,
    clock: Clock,
    plugin_deadline: Option<Duration>,
    background: bool,
) -> Result<Opened, OpenError> {
    let prepared = connect::prepare(kubeconfig, context)
        .await
        .map_err(OpenError::Input)?;
    let in_background = prepared
        .plugin
        .clone()
        .filter(|p| background && p.never_interactive);
    let Some(plugin) = in_background else {
        let connection = connect::build(prepared, plugin_deadline, connect::Notice::OnTerminal)
            .await
            .map_err(OpenError::Input)?;
        return Ok(open_live(connection, only_namespace, clock));
    };
    let (cache, writers) = new_cache_with(Freshness::Syncing { objects: 0 });
    let info = SourceInfo {
        label: prepared.server.clone(),
        context: prepared.context.clone(),
    };
    let note = format!(
        "waiting for the credential plugin {} (context {})",
        plugin.command, prepared.context
    );
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let watching = cache.clone();
    tokio::spawn(async move {
        match connect::build(prepared, plugin_deadline, connect::Notice::Never).await {
            Ok(connection) => {
                let client = start_watching(connection, only_namespace, clock, &watching, writers);
                let _ = sender.send(client);
            }
            Err(reason) => {
                tracing::warn!(%reason, "cannot connect");
                let since = clock.now();
                for kind in crate::cache::Kind::ALL {
                    watching.freshness.update(*kind, |s| {
                        s.freshness = Freshness::Stale {
                            since,
                            reason: reason.clone(),
                        };
                    });
                    watching.changes.notify(*kind);
                }
                let _ = sender.send(None);
            }
        }
    });
    Ok(Opened {
        cache,
        info,
        note,
        keep_alive: Vec::new(),
        client: None,
        pending_client: Some(receiver),
    })
}

/// The demo: the demo cluster moved to `clock`'s now, served by the simulator on
/// a free loopback port, and watched through the live source. Its controllers run
/// on a moving clock; a fixed one (`--now`) freezes the cluster, which is what
/// makes headless renders of the demo reproducible.
pub async fn open_demo(only_namespace: Option<String>, clock: Clock) -> Result<Opened, OpenError> {
    let objects = crate::demo::rebased(clock.now())
        .map_err(|e| OpenError::Other(format!("the demo cluster is broken: {e}")))?;
    let count = objects.total();
    let config = SimConfig {
        clock: clock.clone(),
        ..SimConfig::default()
    };
    let simulator = Arc::new(Simulator::with_config(objects, config));
    let server = simulator
        .clone()
        .serve(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .map_err(|e| OpenError::Other(format!("cannot start the demo simulator: {e}")))?;
    let url = server
        .url()
        .parse()
        .map_err(|e| OpenError::Other(format!("the demo simulator's address: {e}")))?;
    let connection =
        connect::from_config(kube::Config::new(url), "demo".into()).map_err(OpenError::Other)?;
    let mut opened = open_live(connection, only_namespace, clock.clone());
    opened.info = SourceInfo {
        label: "built-in simulator".into(),
        context: "demo".into(),
    };
    opened.note = format!("demo: {count} objects served by the built-in simulated API server");
    opened.keep_alive.push(Box::new(server));
    if let Clock::System = clock {
        let controllers = simulator.start_controllers(DEFAULT_CONTROLLER_SEED, CONTROLLER_PERIOD);
        opened.keep_alive.push(Box::new(controllers));
    }
    Ok(opened)
}
