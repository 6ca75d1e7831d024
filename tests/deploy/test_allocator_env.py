"""The allocator environment (jemalloc, PYTHONMALLOC=malloc, pyarrow on malloc) is the same in every deployment
file and in the benchmark servers' default (benchmarks/st_client.PRODUCTION_ENV), and a server started with it
really runs on jemalloc and answers a page session."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks.st_client import PRODUCTION_ENV, burst, free_port, start_server, stop_server

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"


def _dockerfile_env() -> dict[str, str]:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            env.update(re.findall(r'(\w+)="?([^"\s]*)"?', line[4:]))
    return env


def _systemd_env() -> dict[str, str]:
    text = (DEPLOY / "systemd" / "cdi-explorer@.service").read_text(encoding="utf-8")
    return dict(re.findall(r'^Environment="?(\w+)=([^"\s]*)"?$', text, flags=re.M))


def _k8s_env() -> dict[str, str]:
    text = (DEPLOY / "k8s" / "cdi-explorer.yaml").read_text(encoding="utf-8")
    return dict(re.findall(r'-\s*\{?name:\s*(\w+),?\s*value:\s*"([^"]*)"', text))


@pytest.mark.parametrize("read", [_dockerfile_env, _systemd_env, _k8s_env], ids=["docker", "systemd", "k8s"])
def test_deployments_set_the_allocator_environment(read):
    env = read()
    for key, value in PRODUCTION_ENV.items():
        assert key in env, f"{key} missing"
        if key == "LD_PRELOAD":                 # the library's path differs between the image and a host
            assert env[key].endswith("/libjemalloc.so.2")
        else:
            assert env[key] == value, key


def test_dockerfile_installs_jemalloc():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "libjemalloc2" in text
    assert _dockerfile_env()["LD_PRELOAD"] in text.split("\nENV ", 1)[0]   # the preloaded path is made before ENV


def test_a_server_with_the_production_environment_runs_on_jemalloc(tmp_path):
    if not Path(PRODUCTION_ENV["LD_PRELOAD"]).is_file():
        pytest.skip("libjemalloc2 is not installed here (apt-get install libjemalloc2)")
    port = free_port()
    with open(tmp_path / "server.log", "w") as log:
        proc = start_server(port, log)
    try:
        assert "libjemalloc" in Path(f"/proc/{proc.pid}/maps").read_text()
        environ = Path(f"/proc/{proc.pid}/environ").read_bytes().split(b"\0")
        assert b"PYTHONMALLOC=malloc" in environ and b"ARROW_DEFAULT_MEMORY_POOL=system" in environ
        # in a thread of its own: the browser tests leave an event loop running in the main thread, where
        # asyncio.run() refuses to start another
        with ThreadPoolExecutor(max_workers=1) as pool:
            res = pool.submit(asyncio.run, burst(port, 2, "", "")).result()
        assert not res["errors"], res["errors"]
    finally:
        stop_server(proc)
