//! The `:` command line.

/// A parsed `:` command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Pods,
    Nodes,
    /// `None` is every namespace.
    Namespace(Option<String>),
    Help,
    Quit,
    /// `:qos`: pods by node in memory-pressure eviction order.
    QosByNode,
    /// `:rollout [KIND/NAME]`: a workload's rollout (the selected one's without a name).
    Rollout(Option<String>),
    /// `:yaml [KIND/NAME]`
    Yaml(Option<String>),
    /// `:tree [KIND/NAME]`: an object's ownership tree, or the namespace's forest.
    Tree(Option<String>),
    /// `:events [KIND/NAME]`: an object's events, or the namespace's.
    Events(Option<String>),
    /// `:drain [NODE…] [kubectl drain flags]`: the plan with those options.
    Drain(crate::drain_args::DrainFlags),
    /// `:drain` alone: the drain started from here, else the plan of the
    /// selected nodes.
    DrainShow,
    /// `:pdb [pod/NAME]`: every PodDisruptionBudget, or those covering a pod.
    Pdb(Option<String>),
    /// `:logs [KIND/NAME] [kubectl logs flags]`
    Logs(String),
    /// `:shell [pod/NAME] [-c CONTAINER]`: a shell in the chosen container.
    Shell {
        pod: Option<String>,
        container: Option<String>,
    },
    /// `:pf`: the forwards; `:pf KIND/NAME REMOTE [LOCAL]` starts one.
    PortForward(Option<(String, String, Option<u16>)>),
    /// `:snapshot FILE`: what the cache holds, saved for `--snapshot`.
    Snapshot(String),
    /// `:deploy`, `:svc`, `:widgets.example.com`: the table of any kind, by
    /// any name kubectl takes (resolved against the cluster's resources).
    Resource(String),
    /// `:api` (`:resources`): every resource the cluster serves.
    ApiResources,
    /// `:describe KIND/NAME`: any object described.
    Describe(String),
}

/// The commands' own names, for completion.
pub const NAMES: &[&str] = &[
    "pods", "nodes", "ns", "tree", "events", "qos", "rollout", "drain", "logs", "shell", "pf",
    "pdb", "yaml", "snapshot", "api", "describe", "help", "quit",
];

const COMMANDS: &str = "pods, nodes, ns NAME, ns all, tree [KIND/NAME], events [KIND/NAME], qos, rollout [KIND/NAME], drain [NODE…] [flags], logs [KIND/NAME] [flags], shell [pod/NAME] [-c CONTAINER], pf [KIND/NAME REMOTE [LOCAL]], pdb [pod/NAME], yaml [KIND/NAME], snapshot FILE, help, q";

pub fn parse(input: &str) -> Result<Command, String> {
    let words: Vec<&str> = input.split_whitespace().collect();
    match words.as_slice() {
        ["pods" | "pod" | "po"] => Ok(Command::Pods),
        ["nodes" | "node" | "no"] => Ok(Command::Nodes),
        ["ns" | "namespace", "all" | "-A"] => Ok(Command::Namespace(None)),
        ["ns" | "namespace", name] => {
            let errs = crate::model::validation::dns1123_subdomain_errors(name);
            if errs.is_empty() {
                Ok(Command::Namespace(Some((*name).to_string())))
            } else {
                Err(format!(
                    "{name:?} is not a namespace name: {}",
                    errs.join("; ")
                ))
            }
        }
        ["ns" | "namespace"] => Err("usage: :ns NAME or :ns all".to_string()),
        ["help" | "?"] => Ok(Command::Help),
        ["snapshot", file] => Ok(Command::Snapshot((*file).to_string())),
        ["snapshot", ..] => Err("usage: :snapshot FILE".to_string()),
        ["qos"] => Ok(Command::QosByNode),
        ["rollout"] => Ok(Command::Rollout(None)),
        ["rollout", target] => Ok(Command::Rollout(Some((*target).to_string()))),
        ["tree"] => Ok(Command::Tree(None)),
        ["tree", target] => Ok(Command::Tree(Some((*target).to_string()))),
        ["events" | "ev"] => Ok(Command::Events(None)),
        ["events" | "ev", target] => Ok(Command::Events(Some((*target).to_string()))),
        ["drain"] => Ok(Command::DrainShow),
        ["drain", ..] => {
            let rest = input.trim_start().trim_start_matches("drain");
            crate::drain_args::parse_drain_command(rest)
                .map(Command::Drain)
                .map_err(|e| format!(":drain: {e}"))
        }
        ["logs" | "log", ..] => {
            let rest = input.trim_start();
            let rest = rest.split_once(char::is_whitespace).map_or("", |(_, r)| r);
            crate::app::log_session::parse_logs_command(rest)
                .map(|_| Command::Logs(rest.to_string()))
                .map_err(|e| format!(":logs: {e}"))
        }
        ["shell" | "exec", rest @ ..] => parse_shell(rest),
        ["pf" | "port-forward"] => Ok(Command::PortForward(None)),
        ["pf" | "port-forward", target, remote] => Ok(Command::PortForward(Some((
            (*target).to_string(),
            (*remote).to_string(),
            None,
        )))),
        ["pf" | "port-forward", target, remote, local] => match local.parse::<u16>() {
            Ok(local) => Ok(Command::PortForward(Some((
                (*target).to_string(),
                (*remote).to_string(),
                Some(local),
            )))),
            Err(_) => Err(format!("{local:?} is not a local port number")),
        },
        ["pdb" | "pdbs"] => Ok(Command::Pdb(None)),
        ["pdb" | "pdbs", target] => Ok(Command::Pdb(Some((*target).to_string()))),
        ["describe", target] if target.contains('/') => {
            Ok(Command::Describe((*target).to_string()))
        }
        ["describe", ..] => {
            Err("usage: :describe KIND/NAME (deploy/web, svc/api, widget/gizmo)".into())
        }
        ["yaml"] => Ok(Command::Yaml(None)),
        ["yaml", target] => Ok(Command::Yaml(Some((*target).to_string()))),
        ["q" | "q!" | "quit" | "exit"] => Ok(Command::Quit),
        ["api" | "resources" | "api-resources"] => Ok(Command::ApiResources),
        // Any other single word may name a kind; the app resolves it.
        [name]
            if name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-')) =>
        {
            Ok(Command::Resource((*name).to_string()))
        }
        [] => Err(format!("type a command: {COMMANDS}")),
        _ => Err(format!(
            "unknown command {:?}; commands: {COMMANDS}",
            input.trim()
        )),
    }
}

/// The words after `:shell`: an optional pod and `-c CONTAINER`, in any order.
fn parse_shell(words: &[&str]) -> Result<Command, String> {
    let (mut pod, mut container) = (None, None);
    let mut words = words.iter();
    while let Some(word) = words.next() {
        match *word {
            "-c" | "--container" => match words.next() {
                Some(name) => container = Some((*name).to_string()),
                None => return Err(":shell: -c needs a container name".to_string()),
            },
            flag if flag.starts_with('-') => {
                return Err(format!(":shell: unknown flag {flag:?} (only -c CONTAINER)"));
            }
            name if pod.is_none() => pod = Some(name.to_string()),
            extra => return Err(format!(":shell: unexpected {extra:?}")),
        }
    }
    Ok(Command::Shell { pod, container })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        assert_eq!(parse("pods"), Ok(Command::Pods));
        assert_eq!(parse(" no "), Ok(Command::Nodes));
        assert_eq!(
            parse("ns shop"),
            Ok(Command::Namespace(Some("shop".into())))
        );
        assert_eq!(parse("ns all"), Ok(Command::Namespace(None)));
        assert_eq!(parse("q"), Ok(Command::Quit));
        assert!(parse("ns Bad_Name").is_err());
        assert_eq!(parse("deploy"), Ok(Command::Resource("deploy".into())));
        assert!(parse("deploy web").unwrap_err().contains("unknown command"));
    }

    #[test]
    fn shell_takes_a_pod_and_a_container() {
        assert_eq!(
            parse("shell pod/web-1 -c sidecar"),
            Ok(Command::Shell {
                pod: Some("pod/web-1".into()),
                container: Some("sidecar".into())
            })
        );
        assert_eq!(
            parse("shell -c app"),
            Ok(Command::Shell {
                pod: None,
                container: Some("app".into())
            })
        );
        assert_eq!(
            parse("shell -c"),
            Err(":shell: -c needs a container name".into())
        );
    }
}
