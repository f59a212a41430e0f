"""The Ray engine on a cluster of two nodes: the pipeline runs on a node other than the one the
command talks to, and the output is still the local engine's, byte for byte.

Both nodes run on this machine (Ray's own `cluster_utils.Cluster`), each with its own raylet and
object store, as two machines would; the head node has no CPU, so every worker of the run is
placed on the second node."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
CLAIMLINE = str(Path(sys.executable).parent / "claimline")


@pytest.fixture(scope="module")
def two_node_cluster() -> Iterator[str]:
    """The head node (no CPU) and one worker node of two CPUs; yields the head's address."""
    cluster_utils = pytest.importorskip("ray.cluster_utils")
    cluster = cluster_utils.Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    try:
        cluster.add_node(num_cpus=2)
        cluster.wait_for_nodes()
        yield str(cluster.address)
    finally:
        cluster.shutdown()


def _claimline(*args: str | Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RAY_ADDRESS": ""}
    return subprocess.run([CLAIMLINE, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=env, check=False)


@pytest.mark.slow
def test_extract_on_a_second_node_equals_local(tmp_path: Path, two_node_cluster: str) -> None:
    corpus = [EXAMPLES, "--manifest", EXAMPLES / "manifest.csv"]
    local = _claimline("extract", *corpus, "-o", tmp_path / "local.jsonl")
    assert local.returncode == 0, local.stderr
    remote = _claimline("extract", *corpus, "-o", tmp_path / "ray.jsonl", "--engine", "ray",
                        "--ray-address", two_node_cluster, "--workers", "2")
    assert remote.returncode == 0, remote.stderr
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert (tmp_path / "local.jsonl").read_text(encoding="utf-8").count("\n") > 20


@pytest.mark.slow
def test_ingest_on_a_second_node_stores_what_local_ingest_stores(tmp_path: Path, two_node_cluster: str) -> None:
    from claimline.store import open_store

    corpus = [EXAMPLES, "--manifest", EXAMPLES / "manifest.csv"]
    stored = {}
    for engine, extra in (("local", []), ("ray", ["--ray-address", two_node_cluster])):
        db = tmp_path / f"{engine}.db"
        result = _claimline("ingest", *corpus, "--db", db, "--engine", engine, *extra)
        assert result.returncode == 0, result.stderr
        with open_store(db) as store:
            stored[engine] = ([a.doc_id for a in store.documents()], [e.to_record() for e in store.events()])
    assert stored["ray"] == stored["local"]
    assert len(stored["ray"][1]) > 20
