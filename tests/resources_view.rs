//! `:NAME`: the table of any kind, streamed from the simulator's server-side
//! Tables over HTTP, with kubectl's columns; `o` for -o wide; `:api`.

mod common;

use std::time::Duration;

use common::{LiveApp, footer, table_rows};
use kubesight::app::{Action, Mode};
use kubesight::config::keymap::KeyAction;

fn command(live: &mut LiveApp, text: &str) {
    live.press(KeyAction::Command);
    live.type_text(text);
    let _inside = live.runtime.enter();
    live.update(Action::PromptSubmit);
}

/// Waits until the screen shows `wanted`.
fn wait_for(live: &mut LiveApp, wanted: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let text = live.screen(160, 40);
        if text.contains(wanted) {
            return text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never showed {wanted:?}:\n{text}"
        );
        live.try_finish_task(Duration::from_millis(100));
        live.update(Action::Tick);
    }
}

#[test]
fn deployments_by_any_name_with_kubectls_columns_and_wide_on_o() {
    let mut live = LiveApp::new(&[]);
    command(&mut live, "deploy");
    let text = wait_for(&mut live, "deployments(all)[13] ");
    let titles = text.lines().nth(2).unwrap_or_default();
    assert!(
        titles.contains("NAMESPACE↑   NAME         READY  UP-TO-DATE  AVAILABLE  AGE"),
        "{text}"
    );
    let rows = table_rows(&text);
    assert!(
        rows.iter()
            .any(|r| r.split_whitespace().collect::<Vec<_>>()[..5]
                == ["shop", "web", "3/3", "3", "3"]),
        "{text}"
    );

    live.press(KeyAction::Wide);
    let wide = wait_for(&mut live, "CONTAINERS");
    assert!(
        wide.contains("IMAGES") && wide.contains("SELECTOR"),
        "{wide}"
    );
    assert!(
        wide.contains("nginx:1.27.1") && wide.contains("app=web"),
        "{wide}"
    );

    // Scoped to a namespace, the NAMESPACE column goes, as without -A.
    command(&mut live, "ns shop");
    let shop = wait_for(&mut live, "deployments(shop)");
    assert!(!shop.contains("NAMESPACE"), "{shop}");

    for name in ["deployments", "Deployment", "deployments.apps"] {
        command(&mut live, name);
        wait_for(&mut live, "deployments(shop)");
    }
}

#[test]
fn services_secrets_and_an_unknown_name() {
    let mut live = LiveApp::new(&[]);
    command(&mut live, "svc");
    let text = wait_for(&mut live, "9153/TCP");
    assert!(
        text.contains("TYPE") && text.contains("CLUSTER-IP") && text.contains("PORT(S)"),
        "{text}"
    );
    assert!(text.contains("53/UDP,53/TCP,9153/TCP"), "{text}");

    command(&mut live, "secrets");
    let secrets = wait_for(&mut live, "kubernetes.io/tls");
    assert!(secrets.contains("kubernetes.io/tls"), "{secrets}");

    // A name the cluster does not serve yet: the server is asked again (a
    // CRD may have been created since), then the name is refused.
    command(&mut live, "gizmos");
    assert_eq!(live.app.mode, Mode::Normal);
    assert_eq!(
        footer(&live.screen(160, 40)),
        "gizmos: asking the server which resources it serves…"
    );
    let refused = wait_for(&mut live, "unknown command or resource \"gizmos\"");
    assert!(footer(&refused).contains(":api lists"), "{refused}");

    command(&mut live, "api");
    let api = live.screen(160, 60);
    assert!(
        api.lines().any(|l| {
            let words: Vec<&str> = l.trim_matches('│').split_whitespace().collect();
            words.starts_with(&["deployments", "deploy", "apps/v1", "true", "Deployment"])
        }),
        "{api}"
    );
    assert!(!footer(&api).contains("unknown"), "{api}");
}

#[test]
fn a_secrets_values_show_only_decoded_on_x() {
    let mut live = LiveApp::new(&[]);
    command(&mut live, "secrets");
    wait_for(&mut live, "kubernetes.io/tls");
    live.press(KeyAction::Filter);
    live.type_text("api-db");
    live.update(Action::PromptSubmit);

    live.press(KeyAction::Yaml);
    let yaml = wait_for(&mut live, "password:");
    assert!(
        yaml.contains("<withheld: x shows the values decoded>"),
        "{yaml}"
    );
    assert!(!yaml.contains("bm90LWEtcmVhbC1wYXNzd29yZC1hcGk="), "{yaml}");
    assert!(!yaml.contains("not-a-real-password-api"), "{yaml}");
    live.press(KeyAction::Back);

    live.press(KeyAction::Decode);
    let decoded = wait_for(&mut live, "not-a-real-password-api");
    assert!(decoded.contains("username: shop_api"), "{decoded}");
    assert!(
        decoded.contains("decoded values: shown because x was pressed"),
        "{decoded}"
    );

    // Nothing to decode in another kind.
    command(&mut live, "cm");
    wait_for(&mut live, "configmaps(all)[9] ");
    live.press(KeyAction::Decode);
    assert_eq!(
        footer(&live.screen(160, 40)),
        "x decodes Secrets; configmaps has nothing to decode"
    );
}

#[test]
fn enter_on_a_service_or_a_claim_shows_its_pods() {
    let mut live = LiveApp::new(&[]);
    command(&mut live, "svc");
    wait_for(&mut live, "9153/TCP");
    live.press(KeyAction::Filter);
    live.type_text("web-public");
    live.update(Action::PromptSubmit);
    live.press(KeyAction::Select);
    let pods = live.screen(160, 40);
    assert!(pods.contains("Pods of Service shop/web-public"), "{pods}");
    assert!(pods.contains("3 pods in shop, selector app=web"), "{pods}");
    assert_eq!(
        pods.matches("web-45dmd5frnr-").count(),
        3,
        "the Service's pods, no other:\n{pods}"
    );
    // Each line opens its pod.
    live.press(KeyAction::Down);
    live.press(KeyAction::Down);
    live.press(KeyAction::Select);
    let detail = live.screen(160, 40);
    assert!(detail.contains("Pod shop/web-45dmd5frnr-"), "{detail}");

    command(&mut live, "pvc");
    wait_for(&mut live, "search-data");
    live.press(KeyAction::Filter);
    live.type_text("data-postgres-1");
    live.update(Action::PromptSubmit);
    live.press(KeyAction::Select);
    let claim = live.screen(160, 40);
    assert!(
        claim.contains("1 pods in data, mounting claim data-postgres-1"),
        "{claim}"
    );
    assert!(
        claim.contains("postgres-1") && !claim.contains("postgres-0"),
        "{claim}"
    );
}

#[test]
fn d_describes_a_row_of_any_kind() {
    let mut live = LiveApp::new(&[]);
    command(&mut live, "ing");
    wait_for(&mut live, "shop.example.com");
    live.press(KeyAction::Diff);
    let described = wait_for(&mut live, "ingressClassName: nginx");
    assert!(
        described.contains("describe Ingress shop/web"),
        "{described}"
    );
    assert!(described.contains("Created:"), "{described}");

    command(&mut live, "secrets");
    wait_for(&mut live, "kubernetes.io/tls");
    live.press(KeyAction::Filter);
    live.type_text("api-db");
    live.update(Action::PromptSubmit);
    live.press(KeyAction::Diff);
    let secret = wait_for(&mut live, "bytes");
    assert!(secret.contains("password:"), "{secret}");
    assert!(!secret.contains("not-a-real-password-api"), "{secret}");
}

#[test]
fn describe_finds_an_object_by_kind_and_name() {
    let mut live = LiveApp::new(&[]);
    command(&mut live, "describe hpa/web");
    let described = wait_for(&mut live, "scaleTargetRef:");
    assert!(
        described.contains("describe HorizontalPodAutoscaler shop/web"),
        "{described}"
    );

    command(&mut live, "describe cm/kube-root-ca.crt");
    let several = wait_for(&mut live, "several namespaces");
    assert!(
        footer(&several).contains("choose one with :ns"),
        "{several}"
    );

    command(&mut live, "ns shop");
    command(&mut live, "describe cm/kube-root-ca.crt");
    let one = wait_for(&mut live, "ca.crt:");
    assert!(
        one.contains("describe ConfigMap shop/kube-root-ca.crt"),
        "{one}"
    );
}
