//! The command line: picks a source, then runs the TUI or a headless command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::Timestamp;

use crate::app::command::Command;
use crate::app::{App, Flash, SourceInfo};
use crate::cache::snapshot;
use crate::cache::{Cache, new_cache};
use crate::clock::Clock;
use crate::config::keymap::Keymap;
use crate::config::paths;
use crate::config::theme::Theme;

#[derive(Parser, Debug)]
#[command(
    name = "kubesight",
    version,
    about = "A terminal explorer for Kubernetes clusters"
)]
pub struct Cli {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub display: DisplayArgs,
    #[command(subcommand)]
    pub command: Option<Subcmd>,
}

#[derive(Args, Debug, Clone)]
pub struct SourceArgs {
    /// Open the built-in demo cluster (no cluster needed).
    #[arg(long, global = true, conflicts_with = "snapshot")]
    pub demo: bool,
    /// Browse a saved cluster: a YAML/JSON file or a directory of them.
    #[arg(long, global = true, value_name = "PATH")]
    pub snapshot: Option<PathBuf>,
    /// The kubeconfig context to use (live clusters).
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// Path to the kubeconfig file (live clusters).
    #[arg(long, global = true, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Only this namespace.
    #[arg(short = 'n', long, global = true, value_name = "NS")]
    pub namespace: Option<String>,
    /// Every namespace (the default).
    #[arg(
        short = 'A',
        long = "all-namespaces",
        global = true,
        conflicts_with = "namespace"
    )]
    pub all_namespaces: bool,
    /// Never send a write request.
    #[arg(long, global = true)]
    pub readonly: bool,
}

#[derive(Args, Debug, Clone)]
pub struct DisplayArgs {
    /// Colour theme: a built-in (default, light) or themes/NAME.yaml in the config dir.
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Pretend it is this instant (RFC 3339), for reproducible ages.
    #[arg(long, global = true, value_name = "RFC3339")]
    pub now: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Subcmd {
    /// Print one view as plain text and exit.
    Render(RenderArgs),
    /// Run the simulated API server on loopback, for kubectl or other clients.
    Sim(SimArgs),
}

#[derive(Args, Debug)]
pub struct SimArgs {
    /// Loopback port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Write a kubeconfig for the simulator here (context `kubesight-sim`).
    #[arg(long, value_name = "FILE")]
    pub write_kubeconfig: Option<PathBuf>,
    /// Serve a generated cluster of this many pods instead of the demo cluster.
    #[arg(long, value_name = "N")]
    pub pods: Option<usize>,
    /// Nodes of the generated cluster.
    #[arg(long, value_name = "M", default_value_t = 50)]
    pub nodes: usize,
    /// Seed of the generated cluster: the same seed, the same cluster.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// The view to draw.
    pub view: ViewArg,
    /// Screen width in columns.
    #[arg(long, default_value_t = 120)]
    pub width: u16,
    /// Screen height in rows.
    #[arg(long, default_value_t = 30)]
    pub height: u16,
    /// The `/` filter: a name fragment or a label selector.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// For `pods`: only the pods bound to this node (enter on a node).
    #[arg(long, value_name = "NODE")]
    pub node: Option<String>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewArg {
    Pods,
    Nodes,
}

/// A failure and the exit code it maps to: 2 for bad input (flags, files), 1 for
/// everything else.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    fn input(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("kubesight: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure {
            code: 1,
            message: format!("cannot start the runtime: {e}"),
        })?;
    let config_dir = paths::config_dir();
    runtime.block_on(async {
        match &cli.command {
            Some(Subcmd::Sim(args)) => run_sim(args).await,
            Some(Subcmd::Render(args)) => {
                let mut app = build_app_async(&cli, config_dir.as_deref()).await?;
                wait_until_ready(&app.cache, &app.source.label).await?;
                app.refresh_all();
                let text = render_view(&mut app, args)?;
                print!("{text}");
                Ok(())
            }
            None => {
                let _log_guard = init_logging();
                let app = build_app_async(&cli, config_dir.as_deref()).await?;
                crate::app::run::run(app).await.map_err(|e| Failure {
                    code: 1,
                    message: e.to_string(),
                })
            }
        }
    })
}

/// `kubesight sim`: serves until interrupted.
async fn run_sim(args: &SimArgs) -> Result<(), Failure> {
    let now = Timestamp::now();
    let objects = match args.pods {
        Some(pods) => crate::synthetic::cluster(pods, args.nodes, args.seed, now),
        None => crate::demo::rebased(now).map_err(|e| Failure {
            code: 1,
            message: format!("the demo cluster is broken: {e}"),
        })?,
    };
    let count = objects.total();
    let sim = std::sync::Arc::new(crate::sim::Simulator::new(objects));
    let addr = std::net::SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, args.port));
    let server = sim
        .serve(addr)
        .map_err(|e| Failure::input(format!("cannot listen on {addr}: {e}")))?;
    let url = server.url();
    println!("kubesight sim: serving {count} objects at {url}");
    if let Some(path) = &args.write_kubeconfig {
        std::fs::write(path, crate::sim::kubeconfig_yaml(&url, SIM_CONTEXT))
            .map_err(|e| Failure::input(format!("cannot write {}: {e}", path.display())))?;
        println!(
            "kubeconfig written to {} (context {SIM_CONTEXT})",
            path.display()
        );
        println!("try: kubectl --kubeconfig {} get pods -A", path.display());
    }
    println!("ctrl-c stops");
    tokio::signal::ctrl_c().await.map_err(|e| Failure {
        code: 1,
        message: format!("cannot wait for ctrl-c: {e}"),
    })?;
    server.shutdown().await;
    Ok(())
}

const SIM_CONTEXT: &str = "kubesight-sim";

/// A live source renders once every store is listed (however long a big first
/// list takes), and fails at the first store that cannot be read at all.
async fn wait_until_ready(cache: &Cache, server: &str) -> Result<(), Failure> {
    loop {
        if cache.freshness.all_ready() {
            return Ok(());
        }
        let failed = cache
            .freshness
            .snapshot()
            .into_iter()
            .find_map(|(kind, s)| match s.freshness {
                crate::cache::Freshness::Stale { reason, .. } => Some((kind, reason)),
                _ => None,
            });
        if let Some((kind, reason)) = failed {
            return Err(Failure {
                code: 1,
                message: format!("cannot read {} from {server}: {reason}", kind.name()),
            });
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Applies the render flags to `app` and draws it.
pub fn render_view(app: &mut App, args: &RenderArgs) -> Result<String, Failure> {
    match args.view {
        ViewArg::Pods if args.node.is_some() => {
            app.show(crate::app::views::Screen::pods(args.node.clone()));
        }
        ViewArg::Pods => app.run_command(Command::Pods),
        ViewArg::Nodes if args.node.is_some() => {
            return Err(Failure::input("--node only applies to the pods view"));
        }
        ViewArg::Nodes => app.run_command(Command::Nodes),
    }
    if let Some(filter) = &args.filter {
        app.apply_filter_text(filter)
            .map_err(|e| Failure::input(format!("--filter {filter:?}: {e}")))?;
    }
    if args.width < 20 || args.height < 6 {
        return Err(Failure::input(
            "--width must be at least 20 and --height at least 6",
        ));
    }
    Ok(crate::render::render_to_text(app, args.width, args.height))
}

/// A source, opened: its cache (filled, or filling for a live source) and what
/// the header says about it.
pub struct Opened {
    pub cache: Cache,
    pub info: SourceInfo,
    /// For a saved cluster shown as if just captured: the capture instant.
    pub replay_from: Option<Timestamp>,
    /// Shown in the footer at startup.
    pub note: String,
}

/// Opens `--demo` or `--snapshot`; `None` when the source is a live cluster.
fn open_files(source: &SourceArgs) -> Result<Option<Opened>, Failure> {
    let (snapshot, info, replay_from) = if source.demo {
        let snapshot = crate::demo::load().map_err(|e| Failure {
            code: 1,
            message: format!("the demo cluster is broken: {e}"),
        })?;
        let info = SourceInfo {
            label: "demo snapshot".into(),
            context: "demo".into(),
        };
        (snapshot, info, Some(crate::demo::captured_at()))
    } else if let Some(path) = &source.snapshot {
        let snapshot = snapshot::load_path(path).map_err(|e| Failure::input(e.to_string()))?;
        let info = SourceInfo {
            label: format!("snapshot {}", path.display()),
            context: "snapshot".into(),
        };
        (snapshot, info, None)
    } else {
        return Ok(None);
    };
    let note = snapshot.summary();
    tracing::info!(%note, "snapshot loaded");
    let (cache, mut writers) = new_cache();
    cache.replace_all(&mut writers, snapshot.objects);
    Ok(Some(Opened {
        cache,
        info,
        replay_from,
        note,
    }))
}

/// Connects to the kubeconfig's cluster and starts a watcher per kind.
async fn open_live(source: &SourceArgs, clock: Clock) -> Result<Opened, Failure> {
    let connection =
        crate::cache::connect::connect(source.kubeconfig.as_deref(), source.context.as_deref())
            .await
            .map_err(Failure::input)?;
    let (cache, writers) =
        crate::cache::new_cache_with(crate::cache::Freshness::Syncing { objects: 0 });
    let live = crate::cache::live::LiveSource {
        client: connection.client,
        only_namespace: source.namespace.clone(),
        fallback_namespace: source.namespace.clone().unwrap_or(connection.namespace),
        freshness: cache.freshness.clone(),
        changes: cache.changes.clone(),
        clock,
    };
    live.start(writers);
    let note = format!(
        "watching {} (context {})",
        connection.server, connection.context
    );
    let info = SourceInfo {
        label: connection.server,
        context: connection.context,
    };
    Ok(Opened {
        cache,
        info,
        replay_from: None,
        note,
    })
}

/// Themes, keymap and clock: everything the user configured, before any source.
struct Prepared {
    theme: Theme,
    keymap: Keymap,
    fixed_now: Option<Timestamp>,
}

fn prepare(cli: &Cli, config_dir: Option<&std::path::Path>) -> Result<Prepared, Failure> {
    let theme = Theme::load(cli.display.theme.as_deref(), config_dir)
        .map_err(|e| Failure::input(e.to_string()))?;
    let keymap = Keymap::load(config_dir).map_err(|e| Failure::input(e.to_string()))?;
    let fixed_now = match &cli.display.now {
        Some(text) => Some(text.parse::<Timestamp>().map_err(|e| {
            Failure::input(format!("--now {text:?} is not an RFC 3339 instant: {e}"))
        })?),
        None => None,
    };
    Ok(Prepared {
        theme,
        keymap,
        fixed_now,
    })
}

fn app_from(cli: &Cli, prepared: Prepared, opened: Opened) -> App {
    let clock = match (prepared.fixed_now, opened.replay_from) {
        (Some(now), _) => Clock::Fixed(now),
        (None, Some(anchor)) => Clock::replay_from(anchor),
        (None, None) => Clock::System,
    };
    let mut app = App::new(
        opened.cache,
        clock,
        prepared.theme,
        prepared.keymap,
        opened.info,
    );
    if let Some(ns) = &cli.source.namespace {
        app.run_command(Command::Namespace(Some(ns.clone())));
    }
    if app.flash.is_none() {
        app.flash = Some(Flash {
            text: opened.note,
            is_error: false,
        });
    }
    app
}

/// Builds the app for `cli` from files (`--demo`, `--snapshot`) without touching
/// the terminal or the network; user config comes from `config_dir` (none:
/// defaults only). Live sources need [`build_app_async`].
pub fn build_app_with_config(
    cli: &Cli,
    config_dir: Option<&std::path::Path>,
) -> Result<App, Failure> {
    let prepared = prepare(cli, config_dir)?;
    let opened = open_files(&cli.source)?.ok_or_else(|| {
        Failure::input("a live cluster needs the async builder (build_app_async)")
    })?;
    Ok(app_from(cli, prepared, opened))
}

/// Builds the app for any source; a live one starts its watchers on the current
/// runtime and the app shows its stores filling.
pub async fn build_app_async(
    cli: &Cli,
    config_dir: Option<&std::path::Path>,
) -> Result<App, Failure> {
    let prepared = prepare(cli, config_dir)?;
    let opened = match open_files(&cli.source)? {
        Some(opened) => opened,
        None => {
            let clock = prepared.fixed_now.map_or(Clock::System, Clock::Fixed);
            open_live(&cli.source, clock).await?
        }
    };
    Ok(app_from(cli, prepared, opened))
}

/// Logs go to a file in the state dir: never to the terminal the TUI draws on.
fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = paths::state_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::never(&dir, "kubesight.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("KUBESIGHT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
