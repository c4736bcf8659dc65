//! The flags and subcommands, as clap parses them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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

/// Where the cluster comes from and what may be done to it. Each subcommand
/// takes the part of these that means something to it, after its name or
/// before it (`kubesight --context prod snapshot -o prod.yaml`).
#[derive(Args, Debug, Clone, Default)]
pub struct SourceArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Never send a write request.
    #[arg(long)]
    pub readonly: bool,
}

/// Which cluster: the demo, a saved one, or a kubeconfig context.
#[derive(Args, Debug, Clone, Default, PartialEq)]
pub struct ConnectArgs {
    /// Open the built-in demo cluster (no cluster needed).
    #[arg(long, conflicts_with = "snapshot")]
    pub demo: bool,
    /// Browse a saved cluster: a YAML/JSON file or a directory of them.
    #[arg(long, value_name = "PATH")]
    pub snapshot: Option<PathBuf>,
    /// The kubeconfig context to use (live clusters).
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// Path to the kubeconfig file (live clusters).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// How long to wait for the API server (and a credential plugin) before
    /// giving up (kubectl's flag: 30s, 2m, or seconds; 0 waits for ever)
    /// [default: 60s].
    #[arg(long, value_name = "DURATION")]
    pub request_timeout: Option<String>,
    /// Pretend it is this instant (RFC 3339), for reproducible ages.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

/// Which namespaces.
#[derive(Args, Debug, Clone, Default, PartialEq)]
pub struct ScopeArgs {
    /// Only this namespace.
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,
    /// Every namespace (the default).
    #[arg(short = 'A', long = "all-namespaces", conflicts_with = "namespace")]
    pub all_namespaces: bool,
}

#[derive(Args, Debug, Clone, Default, PartialEq)]
pub struct DisplayArgs {
    /// Colour theme: a built-in (default, light) or themes/NAME.yaml in the config dir.
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
}

impl ConnectArgs {
    /// These flags, with `later`'s (given after the subcommand) where it has them.
    fn merged(&self, later: &ConnectArgs) -> ConnectArgs {
        ConnectArgs {
            demo: self.demo || later.demo,
            snapshot: later.snapshot.clone().or_else(|| self.snapshot.clone()),
            context: later.context.clone().or_else(|| self.context.clone()),
            kubeconfig: later.kubeconfig.clone().or_else(|| self.kubeconfig.clone()),
            request_timeout: later
                .request_timeout
                .clone()
                .or_else(|| self.request_timeout.clone()),
            now: later.now.clone().or_else(|| self.now.clone()),
        }
    }
}

impl ScopeArgs {
    fn merged(&self, later: &ScopeArgs) -> ScopeArgs {
        ScopeArgs {
            namespace: later.namespace.clone().or_else(|| self.namespace.clone()),
            all_namespaces: self.all_namespaces || later.all_namespaces,
        }
    }
}

impl Cli {
    /// Folds the flags a subcommand was given into [`Cli::source`], so the rest
    /// of the program reads one place; a flag that means nothing to the
    /// subcommand (given before its name) is refused rather than ignored.
    pub fn normalize(&mut self) -> Result<(), String> {
        let Some(command) = &self.command else {
            return Ok(());
        };
        let (name, connect, scope, readonly, theme) = match command {
            Subcmd::Sim(_) => ("sim", None, None, None, None),
            Subcmd::Render(args) => (
                "render",
                Some(&args.source.connect),
                Some(&args.source.scope),
                Some(args.source.readonly),
                Some(&args.display.theme),
            ),
            Subcmd::Snapshot(args) => (
                "snapshot",
                Some(&args.connect),
                Some(&args.scope),
                None,
                None,
            ),
            Subcmd::Drain(args) => (
                "drain",
                Some(&args.connect),
                None,
                Some(args.readonly),
                None,
            ),
        };
        let mut unused: Vec<&str> = Vec::new();
        if theme.is_none() && self.display.theme.is_some() {
            unused.push("--theme");
        }
        if connect.is_none() && self.source.connect != ConnectArgs::default() {
            unused.push("--demo/--snapshot/--context/--kubeconfig/--request-timeout/--now");
        }
        if scope.is_none() && self.source.scope != ScopeArgs::default() {
            unused.push("-n/-A");
        }
        if readonly.is_none() && self.source.readonly {
            unused.push("--readonly");
        }
        if !unused.is_empty() {
            return Err(format!(
                "{} means nothing to `kubesight {name}` (see kubesight {name} --help)",
                unused.join(", ")
            ));
        }
        if let Some(connect) = connect {
            self.source.connect = self.source.connect.merged(connect);
        }
        if let Some(scope) = scope {
            self.source.scope = self.source.scope.merged(scope);
        }
        self.source.readonly |= readonly.unwrap_or(false);
        if let Some(Some(theme)) = theme {
            self.display.theme = Some(theme.clone());
        }
        let merged = &self.source;
        if merged.connect.demo && merged.connect.snapshot.is_some() {
            return Err("--demo and --snapshot name two sources: choose one".into());
        }
        if merged.scope.all_namespaces && merged.scope.namespace.is_some() {
            return Err("-n and -A name two scopes: choose one".into());
        }
        Ok(())
    }
}

#[derive(Subcommand, Debug)]
pub enum Subcmd {
    /// Print one view as plain text and exit.
    Render(RenderArgs),
    /// Run the simulated API server on loopback, for kubectl or other clients.
    Sim(SimArgs),
    /// Drain nodes as kubectl does, showing each pod's fate; --dry-run shows the
    /// plan. Exit codes: 0 done (or would be), 1 error, 2 bad input, 3 blocked by
    /// a PodDisruptionBudget or timed out, 4 refused (flags needed), 5 --readonly.
    Drain(crate::drain_cli::DrainArgs),
    /// Save what the cache holds (every kind kubesight reads, managedFields
    /// dropped, Secret values redacted) as one YAML `kind: List` that --snapshot
    /// loads: `kubesight --context prod snapshot -o prod.yaml`.
    Snapshot(CaptureArgs),
}

#[derive(Args, Debug)]
pub struct CaptureArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// The file to write.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: PathBuf,
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
    /// Serve a still cluster: no scheduler, kubelet or other controllers (for
    /// benchmarks that must measure the API server alone).
    #[arg(long)]
    pub no_controllers: bool,
    /// Seed of the generated cluster and of the controllers: the same seed and
    /// the same requests give the same cluster.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// The TUI's flags: render draws the screen the TUI would.
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub display: DisplayArgs,
    /// The view to draw: pods, nodes, yaml, tree, pod, events, qos, probes,
    /// rollout, drain, pdb, describe (any KIND/NAME); or the table of any kind by any name kubectl takes
    /// (deploy, svc, cm, widgets.example.com), with -o wide for every column.
    #[arg(value_name = "VIEW")]
    pub view: String,
    /// For a kind's table: `wide` shows kubectl's -o wide columns.
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<String>,
    /// The object the view is about, as KIND/NAME (pod/web-1, deploy/web, node/n1);
    /// a namespaced object is looked up in -n, else wherever the one of that name is.
    #[arg(value_name = "KIND/NAME")]
    pub target: Option<String>,
    /// Screen width in columns.
    #[arg(long, default_value_t = 120)]
    pub width: u16,
    /// Screen height in rows; 0 fits the whole content (no padding rows), for
    /// scripts that grep every line.
    #[arg(long, default_value_t = 30)]
    pub height: u16,
    /// The `/` filter: a name fragment or a label selector.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// For `pods`: only the pods bound to this node (enter on a node).
    #[arg(long, value_name = "NODE")]
    pub node: Option<String>,
    /// For `drain`: kubectl drain flags, e.g. "--ignore-daemonsets --force".
    #[arg(long, value_name = "FLAGS", allow_hyphen_values = true)]
    pub drain_flags: Option<String>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewArg {
    Pods,
    Nodes,
    /// The object as YAML (a live source reads it in full first).
    Yaml,
    /// The ownership tree of an object; without one, every tree of the namespace.
    Tree,
    /// A pod in detail (containers, conditions, volumes, owners, events).
    Pod,
    /// An object's events; without one, the namespace's.
    Events,
    /// A pod's QoS class and why; without a pod, every pod by node in the order
    /// the kubelet evicts under memory pressure.
    Qos,
    /// A pod's probes and their recent failures.
    Probes,
    /// A workload's rollout history and status (a pod: its workload's).
    Rollout,
    /// The drain plan of a node (NODE or node/NODE), with --drain-flags.
    Drain,
    /// PodDisruptionBudgets; with pod/NAME, those covering the pod.
    Pdb,
}
