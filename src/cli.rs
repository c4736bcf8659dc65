//! The command line: picks a source, then runs the TUI or a headless command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::Timestamp;

use crate::app::command::Command;
use crate::app::{App, Flash, SourceInfo};
use crate::cache::snapshot::{self, Snapshot};
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
    match &cli.command {
        Some(Subcmd::Render(args)) => {
            let mut app = build_app(&cli)?;
            let text = render_view(&mut app, args)?;
            print!("{text}");
            Ok(())
        }
        None => {
            let _log_guard = init_logging();
            let app = build_app(&cli)?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| Failure {
                    code: 1,
                    message: format!("cannot start the runtime: {e}"),
                })?;
            runtime
                .block_on(crate::app::run::run(app))
                .map_err(|e| Failure {
                    code: 1,
                    message: e.to_string(),
                })
        }
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

fn load_source(source: &SourceArgs) -> Result<(Snapshot, SourceInfo, Option<Timestamp>), Failure> {
    if source.demo {
        let snapshot = crate::demo::load().map_err(|e| Failure {
            code: 1,
            message: format!("the demo cluster is broken: {e}"),
        })?;
        let info = SourceInfo {
            label: "demo snapshot".into(),
            context: "demo".into(),
        };
        return Ok((snapshot, info, Some(crate::demo::captured_at())));
    }
    if let Some(path) = &source.snapshot {
        let snapshot = snapshot::load_path(path).map_err(|e| Failure::input(e.to_string()))?;
        let info = SourceInfo {
            label: format!("snapshot {}", path.display()),
            context: "snapshot".into(),
        };
        return Ok((snapshot, info, None));
    }
    Err(Failure::input(
        "live clusters are not supported yet; use --demo for the built-in cluster or --snapshot PATH for a saved one",
    ))
}

/// Builds the app for `cli` without touching the terminal: shared by the TUI and
/// the headless commands. User config comes from the platform's config dir.
pub fn build_app(cli: &Cli) -> Result<App, Failure> {
    build_app_with_config(cli, paths::config_dir().as_deref())
}

/// As [`build_app`], with user config read from `config_dir` (none: defaults only).
pub fn build_app_with_config(
    cli: &Cli,
    config_dir: Option<&std::path::Path>,
) -> Result<App, Failure> {
    let theme = Theme::load(cli.display.theme.as_deref(), config_dir)
        .map_err(|e| Failure::input(e.to_string()))?;
    let keymap = Keymap::load(config_dir).map_err(|e| Failure::input(e.to_string()))?;
    let fixed_now = match &cli.display.now {
        Some(text) => Some(text.parse::<Timestamp>().map_err(|e| {
            Failure::input(format!("--now {text:?} is not an RFC 3339 instant: {e}"))
        })?),
        None => None,
    };
    let (snapshot, info, replay_from) = load_source(&cli.source)?;
    let clock = match (fixed_now, replay_from) {
        (Some(now), _) => Clock::Fixed(now),
        (None, Some(anchor)) => Clock::replay_from(anchor),
        (None, None) => Clock::System,
    };
    let summary = snapshot.summary();
    tracing::info!(%summary, "snapshot loaded");
    let (cache, mut writers): (Cache, _) = new_cache();
    cache.replace_all(&mut writers, snapshot.objects);
    let mut app = App::new(cache, clock, theme, keymap, info);
    if let Some(ns) = &cli.source.namespace {
        app.run_command(Command::Namespace(Some(ns.clone())));
    }
    if app.flash.is_none() {
        app.flash = Some(Flash {
            text: summary,
            is_error: false,
        });
    }
    Ok(app)
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
