"""Bad set-ups of the services stop `make` with a message, never a hang.

Each test runs dev/services.sh on its own ports and folder, so the services
the suite itself uses are left alone.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "dev" / "services.sh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def services(request):
    """Runs dev/services.sh with its own folder and ports; stops all at the end."""
    # Under the project (not pytest's private tmp) so that the postgres user
    # that runs initdb can reach it.
    folder = ROOT / ".services" / "selftest" / request.node.name[:40]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = dict(os.environ)
    env.update(
        SERVICES_DIR=str(folder),
        PG_PORT=str(_free_port()),
        REDIS_PORT=str(_free_port()),
        SOLR_PORT=str(_free_port()),
        SOLR_LIB=str(ROOT / ".services" / "solr-lib"),
        PG_DATABASES="ckan_check",
    )
    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(SCRIPT), *args],
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=180,
        )

    run.env = env  # type: ignore[attr-defined]
    yield run
    run("stop")
    shutil.rmtree(folder, ignore_errors=True)


def test_a_port_already_taken_is_reported(services):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(services.env["REDIS_PORT"])))
        taken.listen()
        result = services("start", "redis")
    assert result.returncode == 1
    assert "already taken" in result.stderr
    assert services.env["REDIS_PORT"] in result.stderr


def test_postgresql_that_cannot_start_is_reported_with_its_log(services):
    assert services("start", "pg").returncode == 0
    assert services("stop", "pg").returncode == 0
    conf = Path(services.env["SERVICES_DIR"]) / "pg" / "data" / "postgresql.conf"
    with conf.open("a") as handle:
        handle.write("shared_buffers = banana\n")
    result = services("start", "pg")
    assert result.returncode == 1
    assert "PostgreSQL did not start" in result.stderr
    assert "banana" in result.stderr  # the tail of its log says why


@pytest.mark.skipif(
    not (ROOT / ".services" / "solr-lib" / ".complete").exists(),
    reason="Solr's jars are fetched by `make services`",
)
def test_a_solr_core_that_fails_to_load_is_reported(services, tmp_path):
    conf = tmp_path / "broken-conf"
    shutil.copytree(ROOT / "dev" / "solr" / "conf", conf)
    config = conf / "solrconfig.xml"
    config.write_text(
        config.read_text().replace(
            "</config>",
            '<requestHandler name="/x" class="solr.NoSuchHandler"/></config>',
        )
    )
    result = services("start", "solr", SOLR_CONF=str(conf))
    assert result.returncode == 1
    assert "Solr stopped while starting" in result.stderr
    assert "core ckan did not load" in result.stderr
