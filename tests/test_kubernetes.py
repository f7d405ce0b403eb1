"""deploy/kubernetes/: valid against the Kubernetes schemas (kubernetes-validate bundles them: offline),
and wired to the app: probes on /readyz and /healthz, the secret key from a Secret, non-root, read-only."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from app import create_app
from tests.serving import ROOT

MANIFESTS = sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml"))
KUBERNETES = "1.37.0"  # the newest schema the pinned kubernetes-validate bundles; 1.30 is the oldest still in use


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text())
    return document


def by_kind() -> dict[str, dict[str, Any]]:
    return {doc["kind"]: doc for doc in map(load, MANIFESTS)}


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
@pytest.mark.parametrize("version", [KUBERNETES, "1.30.0"])
def test_every_manifest_is_valid_against_the_kubernetes_schema(path, version):
    kubernetes_validate.validate(load(path), version, strict=True)  # raises on any unknown or wrong field


def test_the_validator_does_refuse_a_wrong_manifest():
    broken = copy.deepcopy(by_kind()["Deployment"])
    broken["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["port"] = [8000]
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)
    broken["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}  # a typo: strict catches unknown fields
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


def test_the_deployment_probes_the_health_endpoints_the_app_answers():
    manifests = by_kind()
    pod = manifests["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    env = {item["name"]: item for item in container["env"]}
    public_url = env["PUBLIC_URL"]["value"]
    app = create_app({"TESTING": True, "PUBLIC_URL": public_url})
    client = app.test_client()
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz"), ("startupProbe", "/readyz")):
        get = container[probe]["httpGet"]
        assert get["path"] == path and get["port"] == container["ports"][0]["name"]
        host = {h["name"]: h["value"] for h in get["httpHeaders"]}["Host"]
        assert public_url == f"https://{host}"  # the Host the app accepts outside debug
        assert client.get(path, headers={"Host": host}).status_code == 200, probe


def test_the_deployment_runs_as_the_production_settings_say():
    manifests = by_kind()
    pod = manifests["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    env = {item["name"]: item for item in container["env"]}
    assert env["SECRET_KEY"]["valueFrom"]["secretKeyRef"]["key"] == "SECRET_KEY" and "value" not in env["SECRET_KEY"]
    assert env["REQUIRE_SIGNED_CONTENT"]["value"] == "1" and env["TRUSTED_PROXIES"]["value"] == "1"
    assert env["PUBLIC_URL"]["value"].startswith("https://")
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] == 10001
    assert "USER 10001" in (ROOT / "Containerfile").read_text()  # the image's user is the pod's
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert pod["automountServiceAccountToken"] is False
    assert {"cpu", "memory"} <= set(container["resources"]["requests"]) and "memory" in container["resources"]["limits"]


def test_the_service_and_autoscaler_point_at_the_deployment():
    manifests = by_kind()
    deployment = manifests["Deployment"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    service = manifests["Service"]["spec"]
    assert service["selector"].items() <= labels.items() and service["sessionAffinity"] == "None"
    assert service["ports"][0]["targetPort"] == deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["name"]
    target = manifests["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert manifests["HorizontalPodAutoscaler"]["spec"]["minReplicas"] >= 2  # losing one pod loses no patient
    assert manifests["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
