//! Rollout progress as `kubectl rollout status` words it
//! (kubectl pkg/polymorphichelpers/rollout_status.go), and a Deployment's
//! rolling-update fenceposts as the controller resolves them.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// `intstr.GetScaledValueFromIntOrPercent` (apimachinery util/intstr): a percentage of `total`, rounded up
/// or down; an integer as is.
pub fn scaled_value(value: &IntOrString, total: i32, round_up: bool) -> Result<i32, String> {
    match value {
        IntOrString::Int(n) => Ok(*n),
        IntOrString::String(text) => {
            let percent: i64 = text
                .strip_suffix('%')
                .ok_or("invalid value for IntOrString: invalid type: string is not a percentage")?
                .parse()
                .map_err(|_| format!("invalid value for IntOrString: invalid value {text:?}"))?;
            let product = percent * i64::from(total);
            let scaled = if round_up {
                (product + 99).div_euclid(100)
            } else {
                product.div_euclid(100)
            };
            Ok(scaled as i32)
        }
    }
}

/// `ResolveFenceposts` (pkg/controller/deployment/util/deployment_util.go):
/// maxSurge rounds up, maxUnavailable down, and when both come to 0
/// maxUnavailable becomes 1. Absent values are the API defaults (25%).
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), String> {
    let default = IntOrString::String("25%".into());
    let surge = scaled_value(max_surge.unwrap_or(&default), desired, true)?;
    let unavailable = scaled_value(max_unavailable.unwrap_or(&default), desired, false)?;
    if surge == 0 && unavailable == 0 {
        return Ok((0, 1));
    }
    Ok((surge, unavailable))
}

/// The rollout status line and whether the rollout is done; `Err` for kubectl's
/// error cases (deadline exceeded, status for OnDelete).
pub type RolloutStatus = Result<(String, bool), String>;

/// `DeploymentStatusViewer.Status`.
pub fn deployment_status(d: &Deployment) -> RolloutStatus {
    let name = d.metadata.name.as_deref().unwrap_or("");
    let generation = d.metadata.generation.unwrap_or(0);
    let Some(status) = &d.status else {
        return Ok((
            "Waiting for deployment spec update to be observed...".into(),
            false,
        ));
    };
    if generation > status.observed_generation.unwrap_or(0) {
        return Ok((
            "Waiting for deployment spec update to be observed...".into(),
            false,
        ));
    }
    let progressing = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_.as_deref() == Some("Progressing"));
    if progressing.is_some_and(|c| c.reason.as_deref() == Some("ProgressDeadlineExceeded")) {
        return Err(format!(
            "deployment {name:?} exceeded its progress deadline"
        ));
    }
    let updated = status.updated_replicas.unwrap_or(0);
    let replicas = status.replicas.unwrap_or(0);
    let available = status.available_replicas.unwrap_or(0);
    if let Some(desired) = d.spec.replicas
        && updated < desired
    {
        return Ok((
            format!(
                "Waiting for deployment {name:?} rollout to finish: {updated} out of {desired} new replicas have been updated..."
            ),
            false,
        ));
    }
    if replicas > updated {
        return Ok((
            format!(
                "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...",
                replicas - updated
            ),
            false,
        ));
    }
    if available < updated {
        return Ok((
            format!(
                "Waiting for deployment {name:?} rollout to finish: {available} of {updated} updated replicas are available..."
            ),
            false,
        ));
    }
    Ok((format!("deployment {name:?} successfully rolled out"), true))
}

/// `DaemonSetStatusViewer.Status`.
pub fn daemon_set_status(ds: &DaemonSet) -> RolloutStatus {
    let name = ds.metadata.name.as_deref().unwrap_or("");
    let strategy = ds
        .spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("RollingUpdate");
    if strategy != "RollingUpdate" {
        return Err("rollout status is only available for RollingUpdate strategy type".into());
    }
    let Some(status) = &ds.status else {
        return Ok((
            "Waiting for daemon set spec update to be observed...".into(),
            false,
        ));
    };
    if ds.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
        return Ok((
            "Waiting for daemon set spec update to be observed...".into(),
            false,
        ));
    }
    let desired = status.desired_number_scheduled;
    let updated = status.updated_number_scheduled.unwrap_or(0);
    let available = status.number_available.unwrap_or(0);
    if updated < desired {
        return Ok((
            format!(
                "Waiting for daemon set {name:?} rollout to finish: {updated} out of {desired} new pods have been updated..."
            ),
            false,
        ));
    }
    if available < desired {
        return Ok((
            format!(
                "Waiting for daemon set {name:?} rollout to finish: {available} of {desired} updated pods are available..."
            ),
            false,
        ));
    }
    Ok((format!("daemon set {name:?} successfully rolled out"), true))
}

/// `StatefulSetStatusViewer.Status`.
pub fn stateful_set_status(sts: &StatefulSet) -> RolloutStatus {
    let spec = &sts.spec;
    let strategy = spec.update_strategy.as_ref();
    if strategy
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("RollingUpdate")
        != "RollingUpdate"
    {
        return Err("rollout status is only available for RollingUpdate strategy type".into());
    }
    let waiting = Ok((
        "Waiting for statefulset spec update to be observed...".into(),
        false,
    ));
    let Some(status) = &sts.status else {
        return waiting;
    };
    let observed = status.observed_generation.unwrap_or(0);
    if observed == 0 || sts.metadata.generation.unwrap_or(0) > observed {
        return waiting;
    }
    let replicas = spec.replicas;
    let ready = status.ready_replicas.unwrap_or(0);
    if let Some(replicas) = replicas
        && ready < replicas
    {
        return Ok((
            format!("Waiting for {} pods to be ready...", replicas - ready),
            false,
        ));
    }
    let updated = status.updated_replicas.unwrap_or(0);
    if let Some(rolling) = strategy.and_then(|s| s.rolling_update.as_ref()) {
        if let (Some(replicas), Some(partition)) = (replicas, rolling.partition)
            && updated < replicas - partition
        {
            return Ok((
                format!(
                    "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...",
                    replicas - partition
                ),
                false,
            ));
        }
        return Ok((
            format!("partitioned roll out complete: {updated} new pods have been updated..."),
            true,
        ));
    }
    let update = status.update_revision.as_deref().unwrap_or("");
    let current = status.current_revision.as_deref().unwrap_or("");
    if update != current {
        return Ok((
            format!(
                "waiting for statefulset rolling update to complete {updated} pods at revision {update}..."
            ),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {current}...",
            status.current_replicas.unwrap_or(0)
        ),
        true,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> IntOrString {
        IntOrString::String(text.into())
    }

    #[test]
    fn fenceposts_round_like_the_deployment_controller() {
        // (maxSurge, maxUnavailable, desired replicas, resolved fenceposts)
        type Case = (Option<IntOrString>, Option<IntOrString>, i32, (i32, i32));
        let cases: &[Case] = &[
            // 25% of 3: surge 0.75 → 1, unavailable 0.75 → 0.
            (Some(s("25%")), Some(s("25%")), 3, (1, 0)),
            (None, None, 3, (1, 0)),
            (Some(s("25%")), Some(s("25%")), 10, (3, 2)),
            (Some(s("25%")), Some(s("25%")), 4, (1, 1)),
            (
                Some(IntOrString::Int(2)),
                Some(IntOrString::Int(0)),
                10,
                (2, 0),
            ),
            // Both resolve to 0: unavailable becomes 1.
            (
                Some(IntOrString::Int(0)),
                Some(IntOrString::Int(0)),
                3,
                (0, 1),
            ),
            (Some(s("0%")), Some(s("10%")), 5, (0, 1)),
            (Some(s("100%")), Some(s("0%")), 1, (1, 0)),
            (Some(s("30%")), Some(s("30%")), 0, (0, 1)),
        ];
        for (surge, unavailable, desired, expected) in cases {
            assert_eq!(
                resolve_fenceposts(surge.as_ref(), unavailable.as_ref(), *desired),
                Ok(*expected),
                "{surge:?} {unavailable:?} of {desired}"
            );
        }
        assert_eq!(
            resolve_fenceposts(Some(&s("25")), None, 3),
            Err("invalid value for IntOrString: invalid type: string is not a percentage".into())
        );
    }
}
