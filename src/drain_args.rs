//! `kubectl drain`'s flags, parsed once for both `kubesight drain NODE…` and the
//! TUI's `:drain NODE… [flags]` command.

use std::time::Duration;

use clap::{Args, Parser, ValueEnum};

use crate::model::drain::{DrainOptions, DryRun};

#[derive(Args, Debug, Clone, PartialEq, Eq)]
pub struct DrainFlags {
    /// The nodes to drain.
    #[arg(value_name = "NODE")]
    pub nodes: Vec<String>,
    /// Ignore DaemonSet-managed pods.
    #[arg(long)]
    pub ignore_daemonsets: bool,
    /// Continue even if there are pods using emptyDir (their data is lost).
    #[arg(long)]
    pub delete_emptydir_data: bool,
    /// Continue even if there are pods that do not declare a controller.
    #[arg(long)]
    pub force: bool,
    /// Seconds each pod gets to terminate; -1 uses the pod's own.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub grace_period: i64,
    /// How long to wait before giving up (e.g. 90s, 5m, 1h); 0s waits forever.
    #[arg(long, default_value = "0s")]
    pub timeout: String,
    /// Only pods this label selector selects are drained.
    #[arg(long, value_name = "SELECTOR")]
    pub pod_selector: Option<String>,
    /// Delete pods instead of evicting them: PodDisruptionBudgets are bypassed.
    #[arg(long)]
    pub disable_eviction: bool,
    /// Skip pods deleted longer than this many seconds ago (0: never).
    #[arg(long, default_value_t = 0)]
    pub skip_wait_for_delete_timeout: u64,
    /// Only show what would happen: client (our plan) or server (each eviction
    /// sent with dryRun=All, the API server's verdict shown).
    #[arg(long, value_name = "client|server|none", num_args = 0..=1, default_missing_value = "client")]
    pub dry_run: Option<DryRunArg>,
    /// kubesight: evictions in flight at once (a pod a budget blocks holds none).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_concurrent_evictions: u16,
    /// kubesight: nodes drained at once when several are named.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_concurrent_nodes: u16,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryRunArg {
    None,
    Client,
    Server,
}

impl DrainFlags {
    /// The options these flags mean, or what is wrong with them.
    pub fn options(&self) -> Result<DrainOptions, String> {
        let timeout = parse_go_duration(&self.timeout).map_err(|e| {
            format!(
                "invalid argument {:?} for \"--timeout\" flag: {e}",
                self.timeout
            )
        })?;
        let pod_selector = match &self.pod_selector {
            Some(text) => Some(
                crate::model::selector::parse(text)
                    .map_err(|e| format!("--pod-selector {text:?}: {e}"))?,
            ),
            None => None,
        };
        Ok(DrainOptions {
            ignore_daemonsets: self.ignore_daemonsets,
            delete_emptydir_data: self.delete_emptydir_data,
            force: self.force,
            grace_period: (self.grace_period >= 0).then_some(self.grace_period),
            timeout: (!timeout.is_zero()).then_some(timeout),
            pod_selector,
            disable_eviction: self.disable_eviction,
            skip_wait_for_delete_timeout: self.skip_wait_for_delete_timeout,
            max_concurrent_evictions: usize::from(self.max_concurrent_evictions),
            max_concurrent_nodes: usize::from(self.max_concurrent_nodes),
            dry_run: match self.dry_run {
                None | Some(DryRunArg::None) => DryRun::None,
                Some(DryRunArg::Client) => DryRun::Client,
                Some(DryRunArg::Server) => DryRun::Server,
            },
        })
    }
}

/// `:drain` in the TUI: the same flags after the command word.
#[derive(Parser, Debug)]
#[command(name = "drain", no_binary_name = true, disable_help_flag = true)]
struct DrainCommand {
    #[command(flatten)]
    flags: DrainFlags,
}

/// Parses the words after `:drain`, honouring single and double quotes so a
/// selector may contain spaces.
pub fn parse_drain_command(input: &str) -> Result<DrainFlags, String> {
    let words = split_words(input)?;
    DrainCommand::try_parse_from(words)
        .map(|c| c.flags)
        .map_err(|e| clap_message(&e))
}

/// clap's first line is the message; the usage after it is noise in a prompt.
pub fn clap_message(error: &clap::Error) -> String {
    error
        .to_string()
        .lines()
        .next()
        .unwrap_or("invalid flags")
        .trim_start_matches("error: ")
        .to_string()
}

fn split_words(input: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in input.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return Err("unclosed quote".to_string());
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

/// A Go `time.Duration` string as kubectl's `--timeout` takes it: `0`, `90s`,
/// `5m`, `1h30m`, `1.5h`, `300ms`.
pub fn parse_go_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    if text.is_empty() {
        return Err("empty duration".into());
    }
    let mut total = 0f64;
    let mut rest = text;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("missing unit in duration {text:?}"))?;
        let number: f64 = rest[..number_end]
            .parse()
            .map_err(|_| format!("invalid duration {text:?}"))?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds = match &rest[..unit_end] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "us" | "µs" => 0.000_001,
            "ns" => 0.000_000_001,
            unit => return Err(format!("unknown unit {unit:?} in duration {text:?}")),
        };
        total += number * seconds;
        rest = &rest[unit_end..];
    }
    Ok(Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_go_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_go_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_go_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_go_duration("300ms"), Ok(Duration::from_millis(300)));
        assert_eq!(
            parse_go_duration("5"),
            Err("missing unit in duration \"5\"".to_string())
        );
        assert_eq!(
            parse_go_duration("5d"),
            Err("unknown unit \"d\" in duration \"5d\"".to_string())
        );
    }

    #[test]
    fn pacing_flags_are_kubesights_own_and_at_least_one() {
        let flags = parse_drain_command("n1 n2 --max-concurrent-nodes 2").expect("valid");
        let options = flags.options().expect("valid");
        assert_eq!(
            (
                options.max_concurrent_nodes,
                options.max_concurrent_evictions
            ),
            (2, 10)
        );
        assert_eq!(options.flags(), ["--max-concurrent-nodes=2"]);
        let error = parse_drain_command("n1 --max-concurrent-evictions 0").expect_err("zero");
        assert!(
            error.starts_with("invalid value '0' for '--max-concurrent-evictions"),
            "{error}"
        );
    }

    #[test]
    fn the_command_takes_kubectls_flags_and_quoted_selectors() {
        let flags = parse_drain_command(
            "worker-1 worker-2 --ignore-daemonsets --grace-period=5 --timeout 2m --pod-selector 'app in (web, api)' --dry-run",
        )
        .expect("valid flags");
        assert_eq!(flags.nodes, ["worker-1", "worker-2"]);
        let options = flags.options().expect("valid options");
        assert!(options.ignore_daemonsets && !options.force);
        assert_eq!(options.grace_period, Some(5));
        assert_eq!(options.timeout, Some(Duration::from_secs(120)));
        assert_eq!(options.dry_run, DryRun::Client);
        assert_eq!(
            options.flags(),
            [
                "--ignore-daemonsets",
                "--grace-period=5",
                "--timeout=2m0s",
                "--pod-selector=app in (api,web)",
                "--dry-run=client"
            ]
        );
    }

    #[test]
    fn bad_flags_are_refused_with_the_reason() {
        let error = parse_drain_command("n1 --frobnicate").expect_err("an unknown flag");
        assert_eq!(error, "unexpected argument '--frobnicate' found");
        let flags = parse_drain_command("n1 --pod-selector 'app in'").expect("parses");
        assert!(
            flags
                .options()
                .expect_err("a bad selector")
                .starts_with("--pod-selector")
        );
        assert_eq!(split_words("a 'b"), Err("unclosed quote".to_string()));
    }
}
