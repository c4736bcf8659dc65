//! Live sync against the simulator, in one run: (a) one raw paginated list of all
//! pods with kube-rs (fetch and decode, then drop), (b) the `kubesight` binary from
//! start until its first screen is printed (every store listed), (c) resident
//! memory once every store is ready. Targets: (b) ≤ 1.2 × (a); (c) ≤ 100 MiB at
//! 10k pods and ≤ 400 MiB at 50k. Run: `cargo bench --bench live_sync`.
//!
//! (a) is measured twice. Warm: in this process, after a warm-up list, with its
//! heap already paged in and its connection open. Cold: a fresh process that
//! does only the list, from exec to exit, which is what (b) pays too (exec, a
//! new connection, and every page of its heap faulted in for the first time).
//!
//! The simulator runs as its own process (`kubesight sim`), so its memory is not
//! counted; (c) is measured in a child process running the same library path as
//! `kubesight render`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};

const SIZES: &[(usize, usize)] = &[(10_000, 200), (50_000, 500)];
const RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(position) = args.iter().position(|a| a == "--child-list") {
        let kubeconfig = args
            .get(position + 1)
            .map(PathBuf::from)
            .unwrap_or_default();
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let client = client(&runtime, &kubeconfig);
        let (_, listed) = raw_list(&runtime, &client);
        println!("{listed}");
        return;
    }
    if let Some(position) = args.iter().position(|a| a == "--child-ready") {
        let kubeconfig = args
            .get(position + 1)
            .map(PathBuf::from)
            .unwrap_or_default();
        child_ready(&kubeconfig);
        return;
    }
    println!(
        "| pods | nodes | (a) raw list, warm, median | (a) raw list, cold process, median | (b) kubesight first screen, median | (b)/(a) warm | (b)/(a) cold | (c) RSS when ready |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    // KUBESIGHT_BENCH_SIZES=10000x200,50000x500 picks the clusters to measure.
    let sizes: Vec<(usize, usize)> = match std::env::var("KUBESIGHT_BENCH_SIZES") {
        Ok(spec) => spec
            .split(',')
            .filter_map(|s| s.split_once('x'))
            .filter_map(|(p, n)| Some((p.trim().parse().ok()?, n.trim().parse().ok()?)))
            .collect(),
        Err(_) => SIZES.to_vec(),
    };
    for (pods, nodes) in sizes {
        measure(pods, nodes);
    }
}

struct Sim(Child);

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn kubesight() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kubesight"))
}

fn start_sim(pods: usize, nodes: usize, kubeconfig: &Path) -> Sim {
    let child = kubesight()
        .args([
            "sim",
            "--pods",
            &pods.to_string(),
            "--nodes",
            &nodes.to_string(),
            "--seed",
            "1",
            // A still cluster: the API server alone, no controller churn.
            "--no-controllers",
        ])
        .arg("--write-kubeconfig")
        .arg(kubeconfig)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("kubesight sim starts");
    let sim = Sim(child);
    let deadline = Instant::now() + Duration::from_secs(300);
    while !kubeconfig.exists() {
        assert!(
            Instant::now() < deadline,
            "the simulator never wrote its kubeconfig"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    sim
}

fn client(runtime: &tokio::runtime::Runtime, kubeconfig: &Path) -> kube::Client {
    runtime.block_on(async {
        let config = kube::config::Kubeconfig::read_from(kubeconfig).expect("kubeconfig");
        let config = kube::Config::from_custom_kubeconfig(config, &Default::default())
            .await
            .expect("config");
        kube::Client::try_from(config).expect("client")
    })
}

/// (a): every pod, in pages of 500 as client-go and kube's watcher do, decoded.
fn raw_list(runtime: &tokio::runtime::Runtime, client: &kube::Client) -> (Duration, usize) {
    runtime.block_on(async {
        let api: Api<Pod> = Api::all(client.clone());
        let started = Instant::now();
        let mut params = ListParams::default().limit(500);
        let mut count = 0;
        loop {
            let page = api.list(&params).await.expect("a page");
            count += page.items.len();
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(token) => params = params.continue_token(&token),
                None => break,
            }
        }
        (started.elapsed(), count)
    })
}

/// (a), cold: a fresh process that lists every pod and exits, from exec to exit.
fn cold_list(kubeconfig: &Path, pods: usize) -> Duration {
    let started = Instant::now();
    let output = Command::new(std::env::current_exe().expect("this benchmark"))
        .arg("--child-list")
        .arg(kubeconfig)
        .output()
        .expect("the list child runs");
    let took = started.elapsed();
    let listed = String::from_utf8_lossy(&output.stdout).trim().to_string();
    assert_eq!(listed, pods.to_string(), "the cold list saw every pod");
    took
}

/// (b): the real binary, from exec to its first screen on stdout.
fn first_screen(kubeconfig: &Path) -> Duration {
    let started = Instant::now();
    let output = kubesight()
        .args([
            "render",
            "pods",
            "--width",
            "200",
            "--height",
            "60",
            "--kubeconfig",
        ])
        .arg(kubeconfig)
        .env(
            "XDG_CONFIG_HOME",
            std::env::temp_dir().join("kubesight-bench-no-config"),
        )
        .output()
        .expect("kubesight render runs");
    let took = started.elapsed();
    assert!(
        output.status.success(),
        "render failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    took
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn measure(pods: usize, nodes: usize) {
    let dir = std::env::temp_dir().join(format!("kubesight-bench-{}-{pods}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let kubeconfig = dir.join("kubeconfig");
    let _sim = start_sim(pods, nodes, &kubeconfig);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let client = client(&runtime, &kubeconfig);
    // Warm up: the simulator's first serialisations, the page cache for the binary.
    let (_, listed) = raw_list(&runtime, &client);
    assert_eq!(listed, pods, "the simulator serves every pod");
    first_screen(&kubeconfig);

    let raw = median((0..RUNS).map(|_| raw_list(&runtime, &client).0).collect());
    let cold = median((0..RUNS).map(|_| cold_list(&kubeconfig, pods)).collect());
    let screen = median((0..RUNS).map(|_| first_screen(&kubeconfig)).collect());
    let rss = Command::new(std::env::current_exe().expect("this benchmark"))
        .arg("--child-ready")
        .arg(&kubeconfig)
        .output()
        .expect("the memory child runs");
    let rss = String::from_utf8_lossy(&rss.stdout).trim().to_string();
    println!(
        "| {pods} | {nodes} | {:.0} ms | {:.0} ms | {:.0} ms | {:.2} | {:.2} | {rss} |",
        raw.as_secs_f64() * 1000.0,
        cold.as_secs_f64() * 1000.0,
        screen.as_secs_f64() * 1000.0,
        screen.as_secs_f64() / raw.as_secs_f64(),
        screen.as_secs_f64() / cold.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// (c), in a fresh process: the live app as `kubesight render` builds it, every
/// store listed, then this process's resident set.
fn child_ready(kubeconfig: &Path) {
    use clap::Parser;
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let path = kubeconfig.to_string_lossy().to_string();
    let cli =
        kubesight::cli::Cli::try_parse_from(["kubesight", "--kubeconfig", &path]).expect("flags");
    let app = runtime
        .block_on(kubesight::cli::build_ready_app(&cli, None))
        .unwrap_or_else(|f| panic!("{}", f.message));
    // Let the allocator settle after the initial lists' transient buffers.
    std::thread::sleep(Duration::from_millis(500));
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let rss_kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    println!(
        "{:.0} MiB ({} pods cached)",
        rss_kib as f64 / 1024.0,
        app.cache.stores.pods.state().len()
    );
}
