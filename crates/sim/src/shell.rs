//! The tiny shell `pods/exec` runs in every simulated container: `echo`, `ls`
//! over a fixed small filesystem, `cat`, `hostname`, `env`, `pwd`, `true`,
//! `false`, `stty size`, `exit N` and `sh -c SCRIPT`, with quoting and `$VAR`
//! expansion. Unknown commands fail as busybox's `sh` does, with 127.

/// What one command line did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
    /// `exit` ran: the shell ends with `code`.
    pub exit: bool,
}

/// One shell session's state.
#[derive(Debug, Clone)]
pub struct Shell {
    hostname: String,
    env: Vec<(String, String)>,
    /// The terminal's last size as (width, height), from the resize channel.
    pub size: Option<(u16, u16)>,
    last_code: i32,
}

/// Names that start an interactive shell when run with no arguments.
pub const SHELLS: &[&str] = &["sh", "bash", "/bin/sh", "/bin/bash"];

impl Shell {
    /// A shell in pod `hostname` with the container's literal `env`.
    pub fn new(hostname: &str, container_env: &[(String, String)]) -> Shell {
        let mut env = vec![
            (
                "PATH".to_string(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
            ),
            ("HOSTNAME".to_string(), hostname.to_string()),
        ];
        env.extend(container_env.iter().cloned());
        for (name, value) in [
            ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
            ("KUBERNETES_SERVICE_PORT", "443"),
            ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
            ("HOME", "/root"),
        ] {
            env.push((name.to_string(), value.to_string()));
        }
        Shell {
            hostname: hostname.to_string(),
            env,
            size: None,
            last_code: 0,
        }
    }

    pub fn last_code(&self) -> i32 {
        self.last_code
    }

    /// Runs a command given as argv, as the container runtime execs it.
    pub fn run_argv(&mut self, argv: &[String]) -> Outcome {
        let outcome = self.command(argv);
        self.last_code = outcome.code;
        outcome
    }

    /// Runs a line of shell: commands separated by `;`.
    pub fn run_line(&mut self, line: &str) -> Outcome {
        let mut total = Outcome::default();
        for command in line.split(';') {
            let words = self.words(command);
            if words.is_empty() {
                continue;
            }
            let outcome = self.command(&words);
            total.stdout.push_str(&outcome.stdout);
            total.stderr.push_str(&outcome.stderr);
            total.code = outcome.code;
            self.last_code = outcome.code;
            if outcome.exit {
                total.exit = true;
                break;
            }
        }
        total
    }

    fn command(&mut self, argv: &[String]) -> Outcome {
        let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
        let out = |stdout: String| Outcome {
            stdout,
            ..Outcome::default()
        };
        let fail = |stderr: String, code: i32| Outcome {
            stderr,
            code,
            ..Outcome::default()
        };
        let Some(name) = argv.first() else {
            return Outcome::default();
        };
        match (name.as_str(), args.as_slice()) {
            ("echo", words) => out(format!("{}\n", words.join(" "))),
            ("true" | ":", _) => Outcome::default(),
            ("false", _) => fail(String::new(), 1),
            ("pwd", _) => out("/\n".to_string()),
            ("hostname", _) => out(format!("{}\n", self.hostname)),
            ("env" | "printenv", []) => out(self
                .env
                .iter()
                .map(|(name, value)| format!("{name}={value}\n"))
                .collect()),
            ("stty", ["size"]) => match self.size {
                Some((width, height)) => out(format!("{height} {width}\n")),
                None => fail("stty: standard input: Not a tty\n".to_string(), 1),
            },
            ("ls", paths) => ls(paths),
            ("cat", files) => self.cat(files),
            ("exit", code) => Outcome {
                code: code
                    .first()
                    .map_or(self.last_code, |c| c.parse::<i32>().unwrap_or(2) & 0xFF),
                exit: true,
                ..Outcome::default()
            },
            (shell, ["-c", script, ..]) if SHELLS.contains(&shell) => {
                let mut outcome = self.run_line(script);
                outcome.exit = false;
                outcome
            }
            (other, _) => fail(format!("sh: {other}: not found\n"), 127),
        }
    }

    fn cat(&self, files: &[&str]) -> Outcome {
        let mut outcome = Outcome::default();
        for file in files {
            match self.file(file) {
                Some(content) => outcome.stdout.push_str(&content),
                None => {
                    outcome.stderr.push_str(&format!(
                        "cat: can't open '{file}': No such file or directory\n"
                    ));
                    outcome.code = 1;
                }
            }
        }
        outcome
    }

    fn file(&self, path: &str) -> Option<String> {
        let content = match path {
            "/etc/hostname" => format!("{}\n", self.hostname),
            "/etc/hosts" => format!(
                "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.244.0.2\t{}\n",
                self.hostname
            ),
            "/etc/resolv.conf" => {
                "search svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
                    .to_string()
            }
            "/etc/os-release" => {
                "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n".to_string()
            }
            "/etc/passwd" => "root:x:0:0:root:/root:/bin/sh\n".to_string(),
            _ => return None,
        };
        Some(content)
    }

    /// Splits a command into words: whitespace-separated, `'…'` literal, `"…"`
    /// with `$VAR` expansion, `$VAR` and `$?` expanded outside quotes.
    fn words(&self, command: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut word = String::new();
        let mut in_word = false;
        let mut quote: Option<char> = None;
        let mut chars = command.chars().peekable();
        while let Some(c) = chars.next() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (None, '\'' | '"') => {
                    quote = Some(c);
                    in_word = true;
                }
                (Some('\'') | Some('"') | None, '$') if quote != Some('\'') => {
                    let mut name = String::new();
                    if chars.peek() == Some(&'?') {
                        chars.next();
                        word.push_str(&self.last_code.to_string());
                    } else {
                        while let Some(&n) = chars.peek() {
                            if n.is_ascii_alphanumeric() || n == '_' {
                                name.push(n);
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        if name.is_empty() {
                            word.push('$');
                        } else if let Some((_, value)) = self.env.iter().find(|(n, _)| *n == name) {
                            word.push_str(value);
                        }
                    }
                    in_word = true;
                }
                (None, c) if c.is_whitespace() => {
                    if in_word {
                        words.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                (_, c) => {
                    word.push(c);
                    in_word = true;
                }
            }
        }
        if in_word {
            words.push(word);
        }
        words
    }
}

/// `ls` over the fixed filesystem.
fn ls(paths: &[&str]) -> Outcome {
    let paths: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| !p.starts_with('-'))
        .collect();
    let paths = if paths.is_empty() { vec!["/"] } else { paths };
    let mut outcome = Outcome::default();
    for path in &paths {
        let path = path.trim_end_matches('/');
        let entries: &[&str] = match path {
            "" | "." => &[
                "bin", "dev", "etc", "home", "proc", "root", "sys", "tmp", "usr", "var",
            ],
            "/etc" => &["hostname", "hosts", "os-release", "passwd", "resolv.conf"],
            "/tmp" | "/home" | "/root" => &[],
            "/usr" => &["bin", "lib", "local", "sbin", "share"],
            "/var" => &["cache", "log", "run", "tmp"],
            "/bin" => &["cat", "echo", "env", "hostname", "ls", "sh", "stty"],
            "/etc/hostname" | "/etc/hosts" | "/etc/os-release" | "/etc/passwd"
            | "/etc/resolv.conf" => {
                outcome.stdout.push_str(&format!("{path}\n"));
                continue;
            }
            _ => {
                outcome
                    .stderr
                    .push_str(&format!("ls: {path}: No such file or directory\n"));
                outcome.code = 1;
                continue;
            }
        };
        if paths.len() > 1 {
            outcome.stdout.push_str(&format!("{path}:\n"));
        }
        for entry in entries {
            outcome.stdout.push_str(entry);
            outcome.stdout.push('\n');
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell() -> Shell {
        Shell::new("web-1", &[("GREETING".to_string(), "hi there".to_string())])
    }

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn commands_print_what_a_container_would() {
        let mut sh = shell();
        assert_eq!(sh.run_argv(&argv(&["echo", "a", "b"])).stdout, "a b\n");
        assert_eq!(
            sh.run_argv(&argv(&["cat", "/etc/hostname"])).stdout,
            "web-1\n"
        );
        assert_eq!(sh.run_argv(&argv(&["hostname"])).stdout, "web-1\n");
        let env = sh.run_argv(&argv(&["env"])).stdout;
        assert!(env.contains("HOSTNAME=web-1\n") && env.contains("GREETING=hi there\n"));
        assert!(env.contains("KUBERNETES_SERVICE_HOST=10.96.0.1\n"));
        assert!(
            sh.run_argv(&argv(&["ls", "/etc"]))
                .stdout
                .contains("hostname\n")
        );
        let missing = sh.run_argv(&argv(&["ls", "/nope"]));
        assert_eq!(
            (missing.code, missing.stderr.as_str()),
            (1, "ls: /nope: No such file or directory\n")
        );
    }

    #[test]
    fn unknown_commands_and_exit_codes() {
        let mut sh = shell();
        let unknown = sh.run_argv(&argv(&["frobnicate"]));
        assert_eq!(
            (unknown.code, unknown.stderr.as_str()),
            (127, "sh: frobnicate: not found\n")
        );
        let exit = sh.run_argv(&argv(&["sh", "-c", "echo one; exit 3; echo two"]));
        assert_eq!((exit.stdout.as_str(), exit.code), ("one\n", 3));
        assert!(!exit.exit, "sh -c ends its own shell, not the caller");
        let line = sh.run_line("exit 4");
        assert!(line.exit && line.code == 4);
    }

    #[test]
    fn quoting_and_expansion() {
        let mut sh = shell();
        assert_eq!(
            sh.run_line("echo \"$GREETING\" '$GREETING' $HOSTNAME")
                .stdout,
            "hi there $GREETING web-1\n"
        );
        sh.run_line("false");
        assert_eq!(sh.run_line("echo $?").stdout, "1\n");
        sh.size = Some((120, 40));
        assert_eq!(sh.run_line("stty size").stdout, "40 120\n");
    }
}
