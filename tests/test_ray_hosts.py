"""The Ray engine on a cluster started as docs/ray.md tells (`ray start --head`, `ray start
--address` on another host, token authentication), each node on a host of its own: two network
namespaces of this machine with their own addresses, joined by a virtual cable. The head has no
CPU, so the two workers of the run, which claimline starts from the head's host, both run on the
other host; the output is the local engine's, byte for byte.

Making network namespaces needs root and iproute2 (`.ci/run` installs it); elsewhere this skips.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
BIN = Path(sys.executable).parent
HEAD_IP, WORKER_IP = "10.231.0.1", "10.231.0.2"
HEAD_ADDRESS = f"{HEAD_IP}:6379"
WAIT_S = 90


class Host(NamedTuple):
    namespace: str
    address: str
    ray_dir: Path  # the node's --temp-dir: its sessions and logs


class TwoHostCluster(NamedTuple):
    head: Host
    worker: Host
    env: dict[str, str]  # what a shell on either host needs: the token, and token mode


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


def _on(host: Host, *command: str | Path) -> list[str]:
    return ["ip", "netns", "exec", host.namespace, *map(str, command)]


@pytest.fixture(scope="module")
def two_hosts() -> Iterator[tuple[str, str]]:
    """Two network namespaces joined by a veth pair; yields their names."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("network namespaces need root and iproute2")
    tag = f"cl{os.getpid() % 100000}"
    head, worker = f"{tag}h", f"{tag}w"
    try:
        _ip("netns", "add", head)
        _ip("netns", "add", worker)
        _ip("link", "add", f"{tag}a", "type", "veth", "peer", "name", f"{tag}b")
        for link, namespace, address in ((f"{tag}a", head, HEAD_IP), (f"{tag}b", worker, WORKER_IP)):
            _ip("link", "set", link, "netns", namespace)
            _ip("-n", namespace, "addr", "add", f"{address}/24", "dev", link)
            _ip("-n", namespace, "link", "set", link, "up")
            _ip("-n", namespace, "link", "set", "lo", "up")
    except subprocess.CalledProcessError as exc:
        _remove_namespaces(head, worker)
        pytest.skip(f"cannot make network namespaces here: {exc.stderr.strip()}")
    try:
        yield head, worker
    finally:
        _remove_namespaces(head, worker)


def _remove_namespaces(*names: str) -> None:
    for name in names:
        subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)


@pytest.fixture(scope="module")
def two_host_cluster(two_hosts: tuple[str, str]) -> Iterator[TwoHostCluster]:
    """A head node (no CPU) on the first host and a worker node (two CPUs) on the second, both
    started with `ray start --block` and a fresh token, stopped after the tests."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("RAY_")}
    env |= {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(16),
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}"}
    head = Host(two_hosts[0], HEAD_IP, Path(tempfile.mkdtemp(prefix="rayh", dir="/tmp")))
    worker = Host(two_hosts[1], WORKER_IP, Path(tempfile.mkdtemp(prefix="rayw", dir="/tmp")))
    common = ["--disable-usage-stats", "--block"]
    nodes: list[subprocess.Popen[bytes]] = []
    try:
        nodes.append(_start_node(head, env, "--head", "--port=6379", "--num-cpus=0", "--include-dashboard=false",
                                 *common))
        _wait_for(lambda: _ray_status(head, env).returncode == 0, "the head node to start", nodes)
        nodes.append(_start_node(worker, env, f"--address={HEAD_ADDRESS}", "--num-cpus=2", *common))
        _wait_for(lambda: _ray_status(head, env).stdout.count(" node_") == 2, "the worker node to join", nodes)
        yield TwoHostCluster(head, worker, env)
    finally:
        for node in reversed(nodes):
            _stop(node)
        for host in (head, worker):
            _kill_left_over(host.ray_dir)
            shutil.rmtree(host.ray_dir, ignore_errors=True)


def _start_node(host: Host, env: dict[str, str], *options: str) -> subprocess.Popen[bytes]:
    log = open(host.ray_dir / "ray_start.log", "wb")  # noqa: SIM115 (the node writes to it until stopped)
    return subprocess.Popen(
        _on(host, BIN / "ray", "start", f"--node-ip-address={host.address}", f"--temp-dir={host.ray_dir}",
            *options),
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _ray_status(host: Host, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_on(host, BIN / "ray", "status", f"--address={HEAD_ADDRESS}"), env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def _wait_for(ready: Callable[[], bool], what: str, nodes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not ready():
        exited = [node.args for node in nodes if node.poll() is not None]
        if exited or time.monotonic() > deadline:
            pytest.fail(f"waited in vain for {what}; exited: {exited}")
        time.sleep(1)


def _stop(node: subprocess.Popen[bytes]) -> None:
    """`ray start --block` stops its node's processes on Ctrl-C; kill its session if it does not."""
    if node.poll() is None:
        node.send_signal(signal.SIGINT)
        try:
            node.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(node.pid, signal.SIGKILL)
            node.wait()


def _kill_left_over(ray_dir: Path) -> None:
    """Any process of this node still running (every Ray process names its session folder)."""
    subprocess.run(["pkill", "-KILL", "-f", str(ray_dir)], capture_output=True, check=False)


def _claimline_on(host: Host, env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_on(host, BIN / "claimline", *args), env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def _ran_a_worker(host: Host) -> bool:
    """Whether a claimline worker (a Ray Data actor of ArticleReader) ran on the host."""
    return any("ArticleReader" in log.read_text(encoding="utf-8", errors="replace")
               for log in host.ray_dir.glob("session_*/logs/worker-*.out"))


@pytest.mark.slow
def test_extract_across_two_hosts_equals_local(tmp_path: Path, two_host_cluster: TwoHostCluster) -> None:
    head, worker, env = two_host_cluster
    corpus = [EXAMPLES, "--manifest", EXAMPLES / "manifest.csv"]
    local = subprocess.run([BIN / "claimline", "extract", *corpus, "-o", tmp_path / "local.jsonl"],
                           env=env, capture_output=True, text=True, timeout=600, check=False)
    assert local.returncode == 0, local.stderr
    remote = _claimline_on(head, env, "extract", *corpus, "-o", tmp_path / "ray.jsonl", "--engine", "ray",
                           "--ray-address", HEAD_ADDRESS, "--workers", "2")
    assert remote.returncode == 0, remote.stderr
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert (tmp_path / "local.jsonl").read_text(encoding="utf-8").count("\n") > 20
    assert _ran_a_worker(worker) and not _ran_a_worker(head)


@pytest.mark.slow
def test_without_token_mode_the_other_host_is_told_what_to_set(
    tmp_path: Path, two_host_cluster: TwoHostCluster
) -> None:
    """What a shell on the worker's host has before it follows the docs: the token, not the mode."""
    _, worker, env = two_host_cluster
    shell = {key: value for key, value in env.items() if key != "RAY_AUTH_MODE"}
    shell["RAY_gcs_server_port_wait_time_s"] = "2"  # Ray retries once a second, 20 s by default
    refused = _claimline_on(worker, shell, "extract", EXAMPLES / "wire.jsonl", "-o", tmp_path / "ray.jsonl",
                            "--engine", "ray", "--ray-address", HEAD_ADDRESS)
    assert refused.returncode == 2
    assert "RAY_AUTH_MODE=token" in " ".join(refused.stderr.split())
    assert not (tmp_path / "ray.jsonl").exists()
