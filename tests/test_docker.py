"""The production deployment in docker/ is consistent (Docker cannot run here)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"


def _compose() -> dict:
    return yaml.safe_load((DOCKER / "docker-compose.yml").read_text())


def test_every_service_referenced_is_defined():
    compose = _compose()
    services = compose["services"]
    for name, service in services.items():
        depends = service.get("depends_on", {})
        for dependency in depends:
            assert dependency in services, f"{name} depends on undefined {dependency}"
        for link in service.get("links", []):
            assert link.split(":")[0] in services


def test_named_volumes_are_declared():
    compose = _compose()
    declared = set(compose.get("volumes", {}))
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (DOCKER / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in declared, f"{name} uses undeclared volume {source}"


def test_the_stack_has_what_production_needs():
    services = _compose()["services"]
    assert {"ckan", "db", "solr", "redis", "worker"} <= set(services)
    assert services["solr"]["image"].startswith("ckan/ckan-solr:")
    commands = {name: " ".join(s.get("command", [])) for name, s in services.items()}
    assert "harvester gather-consumer" in commands["harvest-gather"]
    assert "harvester fetch-consumer" in commands["harvest-fetch"]
    # Scaling the fetch consumers out needs no fixed name or host port on them.
    assert "container_name" not in services["harvest-fetch"]
    assert "ports" not in services["harvest-fetch"]


def test_image_builds_from_files_that_exist():
    compose = _compose()
    build = compose["services"]["ckan"]["build"]
    context = (DOCKER / build["context"]).resolve()
    dockerfile = context / build["dockerfile"]
    text = dockerfile.read_text()
    assert re.search(r"^FROM ckan/ckan-base:2\.12\b", text, re.MULTILINE)
    for line in text.splitlines():
        if line.startswith("COPY "):
            *sources, _target = line.split()[1:]
            for source in sources:
                assert (context / source).exists(), f"COPY source {source} is missing"


def test_env_example_defines_what_compose_interpolates():
    text = (DOCKER / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{([A-Z_]+)(?::-[^}]*)?\}", text))
    env = (DOCKER / ".env.example").read_text()
    defined = set(re.findall(r"^([A-Z_]+)=", env, re.MULTILINE))
    assert used <= defined, f"not in .env.example: {sorted(used - defined)}"
