//! Loading a big saved cluster: a generated cluster of 100,000 pods on 500 nodes
//! written as one JSON `kind: List` (and as YAML), then the `kubesight` binary from
//! exec to exit rendering the pods view of it, with the peak resident memory of
//! that process (getrusage's ru_maxrss of the child). Target for the JSON file:
//! ≤ 10 s and ≤ 1 GiB on the 2-core machine. Run: `cargo bench --bench
//! snapshot_load` (the release binary; medians of 3).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kubesight::cache::Objects;

const PODS: usize = 100_000;
const NODES: usize = 500;
const RUNS: usize = 3;
const NOW: &str = "2026-11-23T12:00:00Z";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(position) = args.iter().position(|a| a == "--child-generate") {
        let dir = Path::new(&args[position + 1]);
        let now = NOW.parse().expect("an instant");
        let objects = kubesight::synthetic::cluster(PODS, NODES, 1, now);
        write_list(&objects, &dir.join("cluster.json"), false);
        write_list(&objects, &dir.join("cluster.yaml"), true);
        return;
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    // Generated in a child: this process stays small, so the children it
    // starts (whose peak memory counts from before their exec) are measured
    // alone.
    let generated = Command::new(std::env::current_exe().expect("this benchmark"))
        .args(["--child-generate", dir.path().to_str().expect("utf-8")])
        .status()
        .expect("the generator runs");
    assert!(generated.success());
    let json = dir.path().join("cluster.json");
    let yaml = dir.path().join("cluster.yaml");
    for (label, path) in [("JSON", &json), ("YAML", &yaml)] {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let mut times = Vec::new();
        let mut peaks = Vec::new();
        for _ in 0..RUNS {
            let (took, peak) = render(path);
            times.push(took);
            peaks.push(peak);
        }
        times.sort();
        peaks.sort();
        println!(
            "{label}: {PODS} pods, {:.0} MiB file: render pods {:.2} s (runs {:.2}–{:.2}), peak RSS {} MiB (runs {}–{})",
            size as f64 / (1024.0 * 1024.0),
            times[RUNS / 2].as_secs_f64(),
            times[0].as_secs_f64(),
            times[RUNS - 1].as_secs_f64(),
            peaks[RUNS / 2] / 1024,
            peaks[0] / 1024,
            peaks[RUNS - 1] / 1024,
        );
    }
}

/// The objects as one `kind: List`, every item with its kind and apiVersion, as
/// `kubectl get … -o json|yaml` writes it.
fn write_list(objects: &Objects, path: &Path, yaml: bool) {
    let mut items = Vec::new();
    let mut push = |kind: &str, api_version: &str, value: serde_json::Value| {
        let mut value = value;
        if let Some(fields) = value.as_object_mut() {
            fields.insert("kind".into(), kind.into());
            fields.insert("apiVersion".into(), api_version.into());
        }
        items.push(value);
    };
    for node in &objects.nodes {
        push("Node", "v1", serde_json::to_value(node).expect("a node"));
    }
    for pod in &objects.pods {
        push("Pod", "v1", serde_json::to_value(pod).expect("a pod"));
    }
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items});
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("a file"));
    if yaml {
        let text = serde_saphyr::to_string(&list).expect("YAML");
        file.write_all(text.as_bytes()).expect("written");
    } else {
        serde_json::to_writer(&mut file, &list).expect("written");
    }
}

/// The binary from exec to exit, and its peak resident memory in KiB.
fn render(path: &Path) -> (Duration, i64) {
    let home = tempfile::tempdir().expect("a temp dir");
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_kubesight"))
        .args(["--snapshot", path.to_str().expect("utf-8"), "--now", NOW])
        .args(["render", "pods", "--width", "120", "--height", "30"])
        .env("XDG_CONFIG_HOME", home.path())
        .env("XDG_STATE_HOME", home.path())
        .stdout(Stdio::null())
        .spawn()
        .expect("kubesight runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: wait4 fills the status and usage of the child it reaps, which is
    // this one (std never waits for it: the handle is dropped unwaited).
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::wait4(pid, &mut status, 0, &mut usage), pid);
        usage
    };
    let took = started.elapsed();
    drop(child);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "render failed with status {status}"
    );
    (took, usage.ru_maxrss)
}
