use super::*;
use serde_json::json;

fn now() -> Timestamp {
    "2026-11-23T12:00:00Z".parse().expect("valid time")
}

fn multi_container_pod() -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": "worker-0", "namespace": "jobs", "uid": "p1",
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "worker",
                                 "uid": "s1", "controller": true}]},
        "spec": {
            "nodeName": "node-a",
            "serviceAccountName": "runner",
            "priorityClassName": "batch-high",
            "initContainers": [
                {"name": "migrate", "image": "tools:1"},
                {"name": "proxy", "image": "envoy:1.30", "restartPolicy": "Always"}
            ],
            "containers": [
                {"name": "app", "image": "app:2",
                 "resources": {"requests": {"cpu": "100m"}}},
                {"name": "report", "image": "report:1"}
            ],
            "ephemeralContainers": [{"name": "debugger", "image": "busybox"}],
            "volumes": [
                {"name": "scratch", "emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}},
                {"name": "config", "configMap": {"name": "worker-config"}},
                {"name": "creds", "secret": {"secretName": "worker-creds"}},
                {"name": "data", "persistentVolumeClaim": {"claimName": "data-worker-0", "readOnly": true}},
                {"name": "logs", "hostPath": {"path": "/var/log", "type": "Directory"}}
            ]
        },
        "status": {
            "phase": "Running",
            "hostIP": "10.0.0.5",
            "podIPs": [{"ip": "10.244.1.7"}, {"ip": "fd00::7"}],
            "startTime": "2026-11-23T11:00:00Z",
            "conditions": [
                {"type": "Initialized", "status": "True", "lastTransitionTime": "2026-11-23T11:01:00Z"},
                {"type": "Ready", "status": "False", "reason": "ContainersNotReady",
                 "lastTransitionTime": "2026-11-23T11:50:00Z"}
            ],
            "initContainerStatuses": [
                {"name": "migrate", "image": "tools:1", "imageID": "", "ready": false, "restartCount": 0,
                 "state": {"terminated": {"exitCode": 0, "reason": "Completed",
                     "finishedAt": "2026-11-23T11:01:00Z"}}},
                {"name": "proxy", "image": "envoy:1.30", "imageID": "", "ready": true, "started": true,
                 "restartCount": 1,
                 "lastState": {"terminated": {"exitCode": 137, "signal": 9, "reason": "OOMKilled",
                     "finishedAt": "2026-11-23T11:30:00Z"}},
                 "state": {"running": {"startedAt": "2026-11-23T11:30:05Z"}}}
            ],
            "containerStatuses": [
                {"name": "app", "image": "app:2", "imageID": "", "ready": true, "restartCount": 0,
                 "state": {"running": {"startedAt": "2026-11-23T11:01:10Z"}}},
                {"name": "report", "image": "report:1", "imageID": "", "ready": false, "restartCount": 0,
                 "state": {"terminated": {"exitCode": 3, "reason": "Error",
                     "finishedAt": "2026-11-23T11:50:00Z"}}}
            ]
        }
    }))
    .expect("test pod must deserialize")
}

#[test]
fn multi_container_pod_groups_containers_and_explains_states() {
    let doc = pod_detail_doc(
        &multi_container_pod(),
        FullSpec::Unavailable,
        &Inventory::default(),
        [],
        now(),
    );
    assert_eq!(doc.title, "Pod jobs/worker-0");
    assert_eq!(
        doc.to_text(),
        "Pod worker-0\n\
        Namespace:       jobs\n\
        Node:            node-a (10.0.0.5)\n\
        Start Time:      2026-11-23T11:00:00Z (60m ago)\n\
        Status:          Error\n\
        Ready:           2/3\n\
        Restarts:        1 (30m ago)\n\
        IPs:             10.244.1.7, fd00::7\n\
        Service Account: runner\n\
        QoS Class:       Burstable\n\
        Priority Class:  batch-high\n\
        Priority:        <none>\n\
        Controlled By:   StatefulSet/worker\n\
        Labels:          <none>\n\
        Annotations:     <none>\n\
        \n\
        Init Containers\n\
        migrate\n\
        \u{20} Image:       tools:1\n\
        \u{20} State:       Terminated: Completed (exit code 0), finished 59m ago\n\
        \u{20} Ready:       False\n\
        \u{20} Restarts:    0\n\
        \u{20} Environment: (not in the cache: open the YAML view)\n\
        \u{20} Mounts:      (not in the cache: open the YAML view)\n\
        \n\
        Sidecar Containers\n\
        proxy\n\
        \u{20} Image:            envoy:1.30\n\
        \u{20} State:            Running for 29m\n\
        \u{20} Ready:            True\n\
        \u{20} Restarts:         1\n\
        \u{20} Last Termination: OOMKilled (exit code 137, signal 9), finished 30m ago\n\
        \u{20} Environment:      (not in the cache: open the YAML view)\n\
        \u{20} Mounts:           (not in the cache: open the YAML view)\n\
        \n\
        Containers\n\
        app\n\
        \u{20} Image:       app:2\n\
        \u{20} Requests:    cpu: 100m\n\
        \u{20} State:       Running for 58m\n\
        \u{20} Ready:       True\n\
        \u{20} Restarts:    0\n\
        \u{20} Environment: (not in the cache: open the YAML view)\n\
        \u{20} Mounts:      (not in the cache: open the YAML view)\n\
        \n\
        report\n\
        \u{20} Image:       report:1\n\
        \u{20} State:       Terminated: Error (exit code 3), finished 10m ago\n\
        \u{20} Ready:       False\n\
        \u{20} Restarts:    0\n\
        \u{20} Environment: (not in the cache: open the YAML view)\n\
        \u{20} Mounts:      (not in the cache: open the YAML view)\n\
        \n\
        Ephemeral Containers\n\
        debugger\n\
        \u{20} Image: busybox\n\
        \u{20} State: <unknown>\n\
        \n\
        Scheduling\n\
        Node-Selectors: <none>\n\
        Tolerations:    <none>\n\
        Affinity:       (not in the cache)\n\
        \n\
        Conditions\n\
        TYPE         STATUS  REASON              SINCE\n\
        Initialized  True                        59m\n\
        Ready        False   ContainersNotReady  10m\n\
        \n\
        Volumes\n\
        NAME     TYPE                   SOURCE\n\
        scratch  EmptyDir               medium Memory, size limit 1Gi\n\
        config   ConfigMap              worker-config\n\
        creds    Secret                 worker-creds\n\
        data     PersistentVolumeClaim  data-worker-0 (read-only)\n\
        logs     HostPath               /var/log (Directory)\n\
        \n\
        Owners\n\
        └─ controlled by StatefulSet/worker (not found: dangling)\n\
        \n\
        Events\n\
        <none>\n"
    );
}

#[test]
fn events_are_the_pods_own_in_describe_format() {
    let pod = multi_container_pod();
    let event = |name: &str, uid: &str, last: &str| -> Event {
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "jobs"},
            "involvedObject": {"kind": "Pod", "namespace": "jobs", "name": "worker-0", "uid": uid},
            "type": "Warning", "reason": "BackOff", "message": "Back-off restarting failed container",
            "count": 5, "firstTimestamp": "2026-11-23T11:10:00Z", "lastTimestamp": last,
            "source": {"component": "kubelet"}
        }))
        .expect("event")
    };
    let events = [
        event("mine", "p1", "2026-11-23T11:57:00Z"),
        event("previous-pod-same-name", "p0", "2026-11-23T11:58:00Z"),
    ];
    let doc = pod_detail_doc(
        &pod,
        FullSpec::Unavailable,
        &Inventory::default(),
        &events,
        now(),
    );
    let text = doc.to_text();
    let section = text.split("\nEvents\n").nth(1).expect("events section");
    assert_eq!(
        section,
        "TYPE     REASON   AGE               FROM     MESSAGE\n\
        Warning  BackOff  3m (x5 over 50m)  kubelet  Back-off restarting failed container\n"
    );
}

#[test]
fn demo_crash_looping_pod() {
    let snapshot = crate::demo::load().expect("demo loads");
    let objects = &snapshot.objects;
    let pods = objects.cached_pods();
    let pod = pods
        .iter()
        .find(|p| p.metadata.name.as_deref() == Some("payments-v5z6r2wb7c-npxvp"))
        .expect("demo pod");
    let full = objects
        .pods
        .iter()
        .find(|p| p.metadata.name.as_deref() == Some("payments-v5z6r2wb7c-npxvp"))
        .expect("demo pod");
    let doc = pod_detail_doc(
        pod,
        FullSpec::Read(full),
        &Inventory::from_objects(objects),
        &objects.events,
        now(),
    );
    assert_eq!(
        doc.to_text(),
        "Pod payments-v5z6r2wb7c-npxvp\n\
        Namespace:       shop\n\
        Node:            worker-1 (10.0.0.11)\n\
        Start Time:      2026-11-23T11:33:25Z (26m ago)\n\
        Status:          CrashLoopBackOff\n\
        Ready:           0/1\n\
        Restarts:        7 (5m ago)\n\
        IPs:             10.244.1.22\n\
        Service Account: default\n\
        QoS Class:       Guaranteed\n\
        Priority Class:  <none>\n\
        Priority:        0\n\
        Controlled By:   ReplicaSet/payments-v5z6r2wb7c\n\
        Labels:          app=payments\n\
        \u{20}                env=prod\n\
        \u{20}                legacy=true\n\
        \u{20}                pod-template-hash=v5z6r2wb7c\n\
        \u{20}                tier=backend\n\
        \u{20}                version=1.13.0\n\
        Annotations:     <none>\n\
        \n\
        Containers\n\
        app\n\
        \u{20} Image:            registry.example.com/shop/payments:1.13.0\n\
        \u{20} Ports:            8080/TCP (http)\n\
        \u{20} Limits:           cpu: 250m, memory: 256Mi\n\
        \u{20} Requests:         cpu: 250m, memory: 256Mi\n\
        \u{20} State:            Waiting: CrashLoopBackOff\n\
        \u{20} Message:          back-off 5m0s restarting failed container=app pod=payments-v5z6r2wb7c-npxvp_shop(e455f0b9-8170-4452-af55-881535a0c4bf)\n\
        \u{20} Ready:            False\n\
        \u{20} Restarts:         7\n\
        \u{20} Last Termination: Error (exit code 1), finished 5m ago\n\
        \u{20} Environment:      PAYMENT_PROVIDER_URL: https://psp.example.net/v2\n\
        \u{20} Mounts:           /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-p5dgq (ro)\n\
        \n\
        Scheduling\n\
        Node-Selectors: <none>\n\
        Tolerations:    node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n\
        \u{20}               node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n\
        Affinity:       <none>\n\
        \n\
        Conditions\n\
        TYPE                       STATUS  REASON              SINCE\n\
        PodReadyToStartContainers  True                        26m\n\
        Initialized                True                        26m\n\
        Ready                      False   ContainersNotReady  26m\n\
        ContainersReady            False   ContainersNotReady  26m\n\
        PodScheduled               True                        26m\n\
        \n\
        Volumes\n\
        NAME                   TYPE       SOURCE\n\
        kube-api-access-p5dgq  Projected  service account token, configMap kube-root-ca.crt, downward API\n\
        \n\
        Owners\n\
        └─ controlled by ReplicaSet/payments-v5z6r2wb7c\n\
        \u{20}  └─ controlled by Deployment/payments\n\
        \n\
        Events\n\
        TYPE     REASON     AGE                  FROM               MESSAGE\n\
        Normal   Scheduled  26m                  default-scheduler  Successfully assigned shop/payments-v5z6r2wb7c-npxvp to worker-1\n\
        Normal   Created    10m (x8 over 26m)    kubelet            spec.containers{app}: Created container: app\n\
        Normal   Pulled     10m (x8 over 26m)    kubelet            spec.containers{app}: Container image \"registry.example.com/shop/payments:1.13.0\" already present on machine\n\
        Normal   Started    10m (x8 over 26m)    kubelet            spec.containers{app}: Started container app\n\
        Normal   Killing    5m4s (x6 over 26m)   kubelet            spec.containers{app}: Container app failed liveness probe, will be restarted\n\
        Warning  Unhealthy  5m4s (x14 over 26m)  kubelet            spec.containers{app}: Liveness probe failed: Get \"http://10.244.1.22:8080/healthz\": dial tcp 10.244.1.22:8080: connect: connection refused\n\
        Warning  BackOff    6s (x97 over 25m)    kubelet            spec.containers{app}: Back-off restarting failed container app in pod payments-v5z6r2wb7c-npxvp_shop(e455f0b9-8170-4452-af55-881535a0c4bf)\n"
    );
    // The owner chain links to both owners.
    let owners: Vec<_> = doc
        .lines
        .iter()
        .filter_map(|l| l.target.as_ref())
        .map(|t| (t.kind, t.name.as_str()))
        .collect();
    assert_eq!(
        owners,
        [
            (Kind::ReplicaSet, "payments-v5z6r2wb7c"),
            (Kind::Deployment, "payments")
        ]
    );
}

#[test]
fn environment_references_mounts_affinity_and_tolerations_as_describe_words_them() {
    let value = json!({
        "metadata": {"name": "web-1", "namespace": "shop", "uid": "w1",
            "labels": {"app": "web"}, "annotations": {"team": "shop"}},
        "spec": {
            "nodeName": "node-a",
            "nodeSelector": {"disktype": "ssd"},
            "tolerations": [
                {"operator": "Exists"},
                {"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"},
                {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                 "effect": "NoExecute", "tolerationSeconds": 300}
            ],
            "affinity": {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                        {"matchExpressions": [
                            {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64", "arm64"]},
                            {"key": "spot", "operator": "DoesNotExist"}]},
                        {"matchExpressions": [{"key": "zone", "operator": "Exists"}]}
                    ]},
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {"weight": 10, "preference": {"matchExpressions": [
                            {"key": "zone", "operator": "In", "values": ["a"]}]}}]
                },
                "podAntiAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": [
                        {"labelSelector": {"matchLabels": {"app": "web"}},
                         "topologyKey": "kubernetes.io/hostname"}]
                }
            },
            "containers": [{
                "name": "web", "image": "nginx",
                "ports": [{"containerPort": 80, "name": "http", "protocol": "TCP"},
                          {"containerPort": 53, "protocol": "UDP", "hostPort": 5353}],
                "resources": {"limits": {"cpu": "500m", "memory": "256Mi"},
                              "requests": {"cpu": "100m"}},
                "env": [
                    {"name": "MODE", "value": "prod"},
                    {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                    {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}},
                    {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
                    {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
                    {"name": "THEME", "valueFrom": {"configMapKeyRef": {"name": "ui", "key": "theme", "optional": true}}}
                ],
                "envFrom": [{"configMapRef": {"name": "web-env"}},
                            {"secretRef": {"name": "web-secrets"}, "prefix": "S_"}],
                "volumeMounts": [
                    {"name": "conf", "mountPath": "/etc/nginx/nginx.conf", "subPath": "nginx.conf", "readOnly": true},
                    {"name": "cache", "mountPath": "/var/cache"}
                ]
            }]
        },
        "status": {"phase": "Running", "containerStatuses": [
            {"name": "web", "image": "nginx", "imageID": "", "ready": true, "restartCount": 0,
             "state": {"running": {"startedAt": "2026-11-23T11:00:00Z"}}}]}
    });
    let slim: Pod = serde_json::from_value(value.clone()).expect("a slim pod");
    let full: k8s_openapi::api::core::v1::Pod = serde_json::from_value(value).expect("a pod");
    let text = pod_detail_doc(
        &slim,
        FullSpec::Read(&full),
        &Inventory::default(),
        [],
        now(),
    )
    .to_text();
    let section = |from: &str, to: &str| -> String {
        let start = text
            .find(from)
            .unwrap_or_else(|| panic!("no {from:?} in\n{text}"));
        let end = text[start..].find(to).map_or(text.len(), |e| start + e);
        text[start..end].to_string()
    };
    assert_eq!(
        section("Labels:", "\n\n"),
        "Labels:          app=web\nAnnotations:     team: shop"
    );
    assert_eq!(
        section("  Ports:", "  State:"),
        "  Ports:                      80/TCP (http), 53/UDP (host 5353)\n\
        \u{20} Limits:                     cpu: 500m, memory: 256Mi\n\
        \u{20} Requests:                   cpu: 100m\n"
    );
    assert_eq!(
        section("  Environment:", "\n\n"),
        "  Environment:                MODE: prod\n\
        \u{20}                             POD_NAME: web-1 (v1:metadata.name)\n\
        \u{20}                             APP: web (v1:metadata.labels['app'])\n\
        \u{20}                             CPU: 500m (limits.cpu)\n\
        \u{20}                             PASSWORD: <set to the key 'password' in secret 'db'>  Optional: false\n\
        \u{20}                             THEME: <set to the key 'theme' of config map 'ui'>  Optional: true\n\
        \u{20} Environment Variables from: web-env  ConfigMap  Optional: false\n\
        \u{20}                             web-secrets  Secret with prefix 'S_'  Optional: false\n\
        \u{20} Mounts:                     /etc/nginx/nginx.conf from conf (ro,path = \"nginx.conf\")\n\
        \u{20}                             /var/cache from cache (rw)"
    );
    assert_eq!(
        section("Scheduling\n", "\n\n"),
        "Scheduling\n\
        Node-Selectors: disktype=ssd\n\
        Tolerations:    op=Exists\n\
        \u{20}               dedicated=web:NoSchedule\n\
        \u{20}               node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n\
        Affinity:       node, required: kubernetes.io/arch in (amd64,arm64), !spot or zone\n\
        \u{20}               node, preferred (weight 10): zone in (a)\n\
        \u{20}               pod anti-affinity, required: pods app=web, per kubernetes.io/hostname"
    );
}
