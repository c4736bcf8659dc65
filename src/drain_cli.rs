//! `kubesight drain NODE… [kubectl drain flags]`: the plan (`--dry-run`,
//! `--dry-run=client`), the API server's verdict (`--dry-run=server`), or the
//! drain itself, printed one event per line as it happens.
//!
//! Exit codes: 0 the drain completed (or would, now); 1 an error (an eviction the
//! server refused, a lost connection, interrupted); 2 bad input; 3 blocked: a
//! PodDisruptionBudget holds pods back now (dry run) or the drain timed out;
//! 4 refused: kubectl would refuse a node (flags such as --ignore-daemonsets or
//! --force are needed, or the node does not exist); 5 refused by --readonly.

use clap::{Args, ValueEnum};

use crate::app::drain_session::{job_from_plan, start_refusal};
use crate::cli::{Cli, Failure, build_ready_app};
use crate::drain_args::DrainFlags;
use crate::model::drain::{DryRun, Outcome, drain_plan_doc, plan_from_stores};
use crate::model::drain_event::{DrainEventKind, DrainOutcome, DrainSummary};
use crate::model::drain_timeline::event_line;

pub const EXIT_ERROR: u8 = 1;
pub const EXIT_BLOCKED: u8 = 3;
pub const EXIT_REFUSED: u8 = 4;
pub const EXIT_READONLY: u8 = 5;

#[derive(Args, Debug)]
pub struct DrainArgs {
    #[command(flatten)]
    pub connect: crate::cli::ConnectArgs,
    /// Never send a write request: the drain stops before cordoning (exit 5).
    #[arg(long)]
    pub readonly: bool,
    #[command(flatten)]
    pub flags: DrainFlags,
    /// How to print the plan: text, or json (the plan as data).
    #[arg(short = 'o', long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Text,
    Json,
}

/// Runs the command; returns the exit code.
pub async fn run_drain(
    cli: &Cli,
    args: &DrainArgs,
    config_dir: Option<&std::path::Path>,
) -> Result<u8, Failure> {
    let options = args.flags.options().map_err(input)?;
    if args.flags.nodes.is_empty() {
        return Err(input("drain needs at least one NODE".to_string()));
    }
    let app = build_ready_app(cli, config_dir).await?;
    let now = app.clock.now();
    let plan = plan_from_stores(&app.cache.stores, &args.flags.nodes, &options, now);
    if options.dry_run == DryRun::Client {
        match args.output {
            Output::Text => print!("{}", drain_plan_doc(&plan, &options, now).to_text()),
            Output::Json => println!(
                "{}",
                serde_json::to_string_pretty(&plan).map_err(|e| Failure {
                    code: EXIT_ERROR,
                    message: format!("cannot print the plan: {e}"),
                })?
            ),
        }
        return Ok(match plan.summary.outcome {
            Outcome::Completes => 0,
            Outcome::Blocked => EXIT_BLOCKED,
            Outcome::Refused => EXIT_REFUSED,
        });
    }
    if args.output == Output::Json {
        return Err(input(
            "-o json prints the plan: use it with --dry-run (or --dry-run=client)".to_string(),
        ));
    }
    // A server dry run still sends requests (with dryRun=All): --readonly refuses
    // it too, before anything is sent.
    if app.readonly {
        eprintln!("{}", crate::ops::READONLY_REFUSAL);
        return Ok(EXIT_READONLY);
    }
    if let Some(refusal) = start_refusal(&plan) {
        for node in &plan.nodes {
            if let Some(line) = node.kubectl_error() {
                eprintln!("{line}");
            }
        }
        eprintln!("kubesight: {refusal}");
        return Ok(EXIT_REFUSED);
    }
    let Some(client) = app.client.clone() else {
        return Err(input(
            "a snapshot cannot be drained: connect to a cluster (or --demo)".to_string(),
        ));
    };
    for node in &plan.nodes {
        if let Some(warning) = &node.warning {
            eprintln!("Warning: {warning}");
        }
    }
    let job = job_from_plan(&plan, &app.cache.stores, &options);
    let gate = crate::ops::WriteGate::new(app.readonly);
    let (handle, mut events) = crate::ops::drain::start(client, gate, app.clock.clone(), job)
        .map_err(|refused| Failure {
            code: EXIT_READONLY,
            message: refused.to_string(),
        })?;
    let mut code = EXIT_ERROR;
    let mut interrupted = false;
    loop {
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else { break };
                println!("{}", event_line(&event));
                if let DrainEventKind::Summary(summary) = &event.kind {
                    code = exit_code(summary);
                }
            }
            _ = tokio::signal::ctrl_c(), if !interrupted => {
                interrupted = true;
                eprintln!("interrupted: cancelling the drain (the nodes stay cordoned)");
                handle.cancel();
            }
        }
    }
    handle.join().await;
    // The app (and a demo's simulator) is dropped only after the last event.
    drop(app);
    Ok(code)
}

/// The exit code a drain's summary means, in every mode: a server dry run whose
/// budget refused a pod is blocked, as a timed-out drain is.
fn exit_code(summary: &DrainSummary) -> u8 {
    match summary.outcome {
        DrainOutcome::Completed if !summary.failed.is_empty() => EXIT_ERROR,
        DrainOutcome::Completed if !summary.remaining.is_empty() => EXIT_BLOCKED,
        DrainOutcome::Completed => 0,
        DrainOutcome::TimedOut => EXIT_BLOCKED,
        DrainOutcome::Cancelled => EXIT_ERROR,
    }
}

fn input(message: String) -> Failure {
    Failure { code: 2, message }
}
