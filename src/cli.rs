//! The command line: picks a source, then runs the TUI or a headless command.

use std::process::ExitCode;

use clap::Parser;
use jiff::Timestamp;

use crate::app::command::Command;
use crate::app::docs::{DocKind, describe};
use crate::app::{App, Flash};
use crate::clock::Clock;
use crate::config::keymap::Keymap;
use crate::config::paths;
use crate::config::theme::Theme;
use crate::source::{OpenError, Opened};

mod args;
mod ready;
pub use args::{
    CaptureArgs, Cli, ConnectArgs, DisplayArgs, RenderArgs, ScopeArgs, SimArgs, SourceArgs, Subcmd,
    ViewArg,
};
use ready::{Progress, not_ready, request_timeout, wait_until_ready};

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
    let mut cli = Cli::parse();
    if let Err(message) = cli.normalize() {
        eprintln!("kubesight: {message}");
        return ExitCode::from(2);
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("kubesight: {}", failure.message);
            }
            ExitCode::from(failure.code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    // A headless render only lists and draws once: on one thread, the decoding
    // of a big list is not handed between worker threads chunk by chunk.
    let mut builder = match cli.command {
        Some(Subcmd::Render(_)) => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = builder.enable_all().build().map_err(|e| Failure {
        code: 1,
        message: format!("cannot start the runtime: {e}"),
    })?;
    let config_dir = paths::config_dir();
    let result = runtime.block_on(async {
        match &cli.command {
            Some(Subcmd::Sim(args)) => run_sim(args).await,
            Some(Subcmd::Drain(args)) => {
                let code = crate::drain_cli::run_drain(&cli, args, config_dir.as_deref()).await?;
                if code == 0 {
                    Ok(())
                } else {
                    // The reason is already printed; only the code is left to give.
                    Err(Failure {
                        code,
                        message: String::new(),
                    })
                }
            }
            Some(Subcmd::Snapshot(args)) => {
                let app = build_ready_app(&cli, config_dir.as_deref()).await?;
                let message =
                    crate::cache::capture::write(&app.cache.stores, &args.output, app.clock.now())
                        .map_err(|message| Failure { code: 1, message })?;
                eprintln!("{message}");
                std::process::exit(0)
            }
            Some(Subcmd::Render(args)) => {
                let mut app = build_ready_app(&cli, config_dir.as_deref()).await?;
                let text = render_view(&mut app, args).await?;
                print!("{text}");
                // The process ends here, without dropping `app`: freeing every
                // cached object one by one and tearing down the watchers would
                // only delay the exit.
                use std::io::Write;
                std::io::stdout().flush().map_err(|e| Failure {
                    code: 1,
                    message: format!("cannot write the screen: {e}"),
                })?;
                std::process::exit(0)
            }
            None => {
                let _log_guard = init_logging();
                let app = build_app(&cli, config_dir.as_deref()).await?;
                let ended = crate::app::run::run(app).await.map_err(|e| Failure {
                    code: 1,
                    message: e.to_string(),
                })?;
                match ended {
                    crate::app::run::Ended::Quit => Ok(()),
                    // A shell's convention for a process ended by a signal.
                    crate::app::run::Ended::Signal(signal) => Err(Failure {
                        code: u8::try_from(128 + signal).unwrap_or(1),
                        message: String::new(),
                    }),
                }
            }
        }
    });
    // A credential plugin that never answered still holds a blocking thread:
    // leave without waiting for it.
    runtime.shutdown_background();
    result
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
        .clone()
        .serve(addr)
        .map_err(|e| Failure::input(format!("cannot listen on {addr}: {e}")))?;
    let _controllers = (!args.no_controllers)
        .then(|| sim.start_controllers(args.seed, crate::source::CONTROLLER_PERIOD));
    let url = server.url();
    println!(
        "kubesight sim: serving {count} objects at {url}; {}",
        if args.no_controllers {
            "controllers off".to_string()
        } else {
            format!("controllers running (seed {})", args.seed)
        }
    );
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

/// Applies the render flags to `app` and draws it.
pub async fn render_view(app: &mut App, args: &RenderArgs) -> Result<String, Failure> {
    use clap::ValueEnum;
    if args.view == "describe" {
        let target = args
            .target
            .as_deref()
            .ok_or_else(|| Failure::input("render describe needs KIND/NAME"))?;
        render_describe(app, target).await?;
        return finish_render(app, args);
    }
    let Ok(view) = ViewArg::from_str(&args.view, true) else {
        render_resource(app, &args.view, args.output.as_deref()).await?;
        return finish_render(app, args);
    };
    if args.output.is_some() {
        return Err(Failure::input(
            "-o applies to a kind's table (render deploy -o wide)",
        ));
    }
    let target = match &args.target {
        // A drain names nodes, not KIND/NAME.
        Some(_) if view == ViewArg::Drain => None,
        Some(text) => Some(
            crate::app::targets::resolve(&app.cache.stores, text, app.namespace.as_deref())
                .map_err(Failure::input)?,
        ),
        None => None,
    };
    let needs_target = |view: &str| {
        target
            .clone()
            .ok_or_else(|| Failure::input(format!("render {view} needs KIND/NAME")))
    };
    match view {
        ViewArg::Yaml => {
            let target = needs_target("yaml")?;
            // The cache keeps objects stripped; the view shows what the server has.
            let fetched = read_full(app, &target).await?;
            app.push_doc(DocKind::Yaml {
                target,
                show_managed_fields: false,
                fetched,
            });
        }
        ViewArg::Drain => {
            let Some(text) = &args.target else {
                return Err(Failure::input("render drain needs a NODE"));
            };
            let node = text.strip_prefix("node/").unwrap_or(text).to_string();
            let flags =
                crate::drain_args::parse_drain_command(args.drain_flags.as_deref().unwrap_or(""))
                    .map_err(|e| Failure::input(format!("--drain-flags: {e}")))?;
            let options = flags
                .options()
                .map_err(|e| Failure::input(format!("--drain-flags: {e}")))?;
            let mut nodes = vec![node];
            nodes.extend(flags.nodes);
            app.push_doc(DocKind::DrainPlan { nodes, options });
        }
        ViewArg::Pdb => app.push_doc(DocKind::Pdbs { pod: target }),
        ViewArg::Tree => match target {
            Some(target) => app.push_doc(DocKind::Tree {
                target,
                collapsed: Default::default(),
            }),
            None => app.push_doc(DocKind::Forest {
                collapsed: Default::default(),
            }),
        },
        ViewArg::Pod => {
            let target = pod_target(needs_target("pod")?)?;
            let fetched = read_full(app, &target).await?;
            app.push_doc(DocKind::PodDetail { target, fetched });
        }
        ViewArg::Events => app.push_doc(DocKind::Events { target }),
        ViewArg::Qos => match target {
            Some(target) => app.push_doc(DocKind::Qos {
                target: pod_target(target)?,
            }),
            None => app.push_doc(DocKind::QosByNode),
        },
        ViewArg::Probes => {
            let target = pod_target(needs_target("probes")?)?;
            app.push_doc(DocKind::Probes { target });
        }
        ViewArg::Rollout => {
            let object = needs_target("rollout")?;
            let target =
                crate::app::targets::workload_of(&app.cache.stores, &object).ok_or_else(|| {
                    Failure::input(format!(
                        "{} is not a Deployment, StatefulSet or DaemonSet, nor controlled by one",
                        describe(&object)
                    ))
                })?;
            app.push_doc(DocKind::Rollout {
                target,
                marked: None,
                diff: None,
            });
        }
        ViewArg::Pods if args.node.is_some() => {
            app.show(crate::app::views::Screen::pods(args.node.clone()));
        }
        // A ready app already shows every pod (its first screen): building the
        // rows again would double the work of a big cluster's first screen.
        ViewArg::Pods
            if app.stack_depth() == 1
                && matches!(
                    app.screen(),
                    crate::app::views::Screen::Pods { node: None, .. }
                ) => {}
        ViewArg::Pods => app.run_command(Command::Pods),
        ViewArg::Nodes if args.node.is_some() => {
            return Err(Failure::input("--node only applies to the pods view"));
        }
        ViewArg::Nodes => app.run_command(Command::Nodes),
    }
    finish_render(app, args)
}

/// The table of the kind `name` names, once its rows are all there.
async fn render_resource(app: &mut App, name: &str, output: Option<&str>) -> Result<(), Failure> {
    let wide = match output {
        None => false,
        Some("wide") => true,
        Some(other) => {
            return Err(Failure::input(format!(
                "-o {other:?}: render prints tables; only -o wide is taken"
            )));
        }
    };
    let mut results = app.tasks.take_receiver();
    await_discovery(app, &mut results).await?;
    app.open_resource_known(name).map_err(Failure::input)?;
    if wide {
        app.toggle_wide_now();
    }
    take_results_until(app, &mut results, |app, _| app.generic_listed())
        .await
        .map_err(|_| Failure {
            code: 1,
            message: format!("the {name} table did not arrive in time"),
        })?;
    if let Some(message) = app.generic_error() {
        return Err(Failure {
            code: 1,
            message: format!("cannot list {name}: {message}"),
        });
    }
    Ok(())
}

/// `render describe KIND/NAME`: any object described, found as `:describe`
/// finds it.
async fn render_describe(app: &mut App, target: &str) -> Result<(), Failure> {
    let mut results = app.tasks.take_receiver();
    await_discovery(app, &mut results).await?;
    let depth = app.stack_depth();
    app.run_command(Command::Describe(target.to_string()));
    take_results_until(app, &mut results, |app, result| {
        app.stack_depth() > depth
            || matches!(result, Some(crate::app::tasks::TaskResult::Found { .. }))
    })
    .await
    .map_err(|_| Failure {
        code: 1,
        message: format!("{target} was not read in time"),
    })?;
    if app.stack_depth() > depth {
        return Ok(());
    }
    Err(Failure {
        code: 1,
        message: app
            .flash
            .as_ref()
            .map(|f| f.text.clone())
            .unwrap_or_else(|| format!("cannot describe {target}")),
    })
}

type TaskResults = Option<tokio::sync::mpsc::UnboundedReceiver<crate::app::tasks::TaskResult>>;

/// A live server's discovery (custom resources among its kinds), before a
/// kind is named.
async fn await_discovery(app: &mut App, results: &mut TaskResults) -> Result<(), Failure> {
    if app.client.is_none() {
        return Ok(());
    }
    take_results_until(app, results, |_, result| {
        matches!(result, Some(crate::app::tasks::TaskResult::Discovered(_)))
    })
    .await
    .map_err(|_| Failure {
        code: 1,
        message: "the server's discovery did not answer".into(),
    })
}

/// Applies the app's task results as they arrive until `done` says so (it
/// is asked first with no result); `Err` after a minute.
async fn take_results_until(
    app: &mut App,
    results: &mut TaskResults,
    done: impl Fn(&App, Option<&crate::app::tasks::TaskResult>) -> bool,
) -> Result<(), tokio::time::error::Elapsed> {
    const DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);
    let pump = async {
        if done(app, None) {
            return;
        }
        let Some(receiver) = results.as_mut() else {
            return;
        };
        while let Some(result) = receiver.recv().await {
            app.update(crate::app::Action::Task(result.clone()));
            if done(app, Some(&result)) {
                return;
            }
        }
    };
    tokio::time::timeout(DEADLINE, pump).await
}

/// The filter and the size, then the screen as text.
fn finish_render(app: &mut App, args: &RenderArgs) -> Result<String, Failure> {
    if let Some(filter) = &args.filter {
        app.apply_filter_text(filter)
            .map_err(|e| Failure::input(format!("--filter {filter:?}: {e}")))?;
    }
    if args.width < 20 || (args.height < 6 && args.height != 0) {
        return Err(Failure::input(
            "--width must be at least 20 and --height at least 6 (or 0: the whole content)",
        ));
    }
    if args.height == 0 {
        return Ok(crate::render::render_whole(app, args.width));
    }
    Ok(crate::render::render_to_text(app, args.width, args.height))
}

/// The whole object from a live source's server (`None` from files, which
/// hold objects whole).
async fn read_full(
    app: &App,
    target: &crate::model::doc::ObjectRef,
) -> Result<Option<serde_json::Value>, Failure> {
    match app.client.clone() {
        Some(client) => crate::ops::fetch::fetch_object(client, target)
            .await
            .map(Some)
            .map_err(|message| Failure {
                code: 1,
                message: format!("cannot read {}: {message}", describe(target)),
            }),
        None => Ok(None),
    }
}

/// Themes, keymap and clock: everything the user configured, before any source.
struct Prepared {
    settings: crate::config::settings::Settings,
    theme: Theme,
    keymap: Keymap,
    fixed_now: Option<Timestamp>,
}

fn prepare(cli: &Cli, config_dir: Option<&std::path::Path>) -> Result<Prepared, Failure> {
    let theme = Theme::load(cli.display.theme.as_deref(), config_dir)
        .map_err(|e| Failure::input(e.to_string()))?;
    let keymap = Keymap::load(config_dir).map_err(|e| Failure::input(e.to_string()))?;
    let settings = crate::config::settings::Settings::load(config_dir)
        .map_err(|e| Failure::input(e.to_string()))?;
    let fixed_now = match &cli.source.connect.now {
        Some(text) => Some(text.parse::<Timestamp>().map_err(|e| {
            Failure::input(format!("--now {text:?} is not an RFC 3339 instant: {e}"))
        })?),
        None => None,
    };
    Ok(Prepared {
        settings,
        theme,
        keymap,
        fixed_now,
    })
}

/// Opens whichever source the flags name.
async fn open(cli: &Cli, clock: Clock) -> Result<Opened, Failure> {
    let source = &cli.source.connect;
    let only_namespace = cli.source.scope.namespace.clone();
    let opened = if source.demo {
        crate::source::open_demo(only_namespace, clock).await
    } else if let Some(path) = &source.snapshot {
        crate::source::open_snapshot(path)
    } else {
        crate::source::open_kubeconfig(
            source.kubeconfig.as_deref(),
            source.context.as_deref(),
            only_namespace,
            clock,
            request_timeout(cli)?,
            // Only the TUI has a screen to show while a plugin runs.
            cli.command.is_none(),
        )
        .await
    };
    opened.map_err(|e| match e {
        OpenError::Input(message) => Failure::input(message),
        OpenError::Other(message) => Failure { code: 1, message },
    })
}

/// Builds the app for `cli` without touching the terminal; user config comes from
/// `config_dir` (none: defaults only). A live source (the demo included) starts
/// its watchers on the current runtime, and the app shows its stores filling.
pub async fn build_app(cli: &Cli, config_dir: Option<&std::path::Path>) -> Result<App, Failure> {
    let prepared = prepare(cli, config_dir)?;
    let clock = prepared.fixed_now.map_or(Clock::System, Clock::Fixed);
    let opened = open(cli, clock.clone()).await?;
    let mut app = App::new(
        opened.cache,
        clock,
        prepared.theme,
        prepared.keymap,
        opened.info,
    );
    app.keep_alive.extend(opened.keep_alive);
    app.client = opened.client;
    app.discover_kinds();
    if let Some(pending) = opened.pending_client {
        app.tasks.spawn(async move {
            crate::app::tasks::TaskResult::Connected(crate::app::tasks::Connected(
                pending.await.ok().flatten(),
            ))
        });
    }
    app.settings = prepared.settings;
    app.readonly = cli.source.readonly;
    if let Some(ns) = &cli.source.scope.namespace {
        app.run_command(Command::Namespace(Some(ns.clone())));
    }
    if app.flash.is_none() {
        app.flash = Some(Flash {
            text: opened.note,
            is_error: false,
        });
    }
    Ok(app)
}

/// As [`build_app`], then waits until every store is listed (files are at once),
/// as `render` does.
pub async fn build_ready_app(
    cli: &Cli,
    config_dir: Option<&std::path::Path>,
) -> Result<App, Failure> {
    let deadline = request_timeout(cli)?;
    let mut app = build_app(cli, config_dir).await?;
    let ready = wait_until_ready(&app.cache, &app.source.label);
    match deadline {
        None => ready.await?,
        Some(deadline) => match tokio::time::timeout(deadline, ready).await {
            Ok(ready) => ready?,
            Err(_) => {
                Progress::new().clear();
                return Err(not_ready(&app.cache, &app.source.label, deadline));
            }
        },
    }
    app.refresh_all();
    crate::memory::release_free_memory();
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

/// Views about one pod refuse any other kind up front.
fn pod_target(
    target: crate::model::doc::ObjectRef,
) -> Result<crate::model::doc::ObjectRef, Failure> {
    if target.kind == crate::cache::Kind::Pod {
        Ok(target)
    } else {
        Err(Failure::input(format!(
            "this view is about a pod, not a {}",
            target.kind.name()
        )))
    }
}
