"""Engine tier: volumes keep data across containers; containers on one network find each other by name."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab import networks, volumes
from corekit import BASE, HTTP_SERVER, http_get_command

pytestmark = pytest.mark.engine


def test_volume_outlives_its_containers(session, engine_client):
    writer = lab.run("writer", BASE, ["sh", "-c", "echo kept > /data/note.txt"], volumes={"notes": "/data"})
    assert writer.sdk.wait(timeout=30)["StatusCode"] == 0
    assert volumes.users("notes") == [f"{session}-writer"]
    writer.remove()
    reader = lab.run("reader", BASE, ["cat", "/data/note.txt"], volumes={"notes": "/data:ro"})
    reader.sdk.wait(timeout=30)
    assert reader.logs() == "kept\n"
    assert f"-v {session}-notes:/data:ro" in reader.cli
    vol = volumes.get("notes")
    assert vol.labels["org.dockerlab.session"] == session
    report = lab.reset()
    assert [v.name for v in report.kept_volumes] == [f"{session}-notes"]
    assert engine_client.volumes.get(f"{session}-notes")  # a plain reset keeps the learner's data
    said = []
    lab.reset(purge_volumes=True, say=said.append)
    assert said and f"{session}-notes" in said[0]
    assert lab.leaks() == []


def test_bind_mount_of_a_host_folder(session, engine_client, tmp_path):
    (tmp_path / "in.txt").write_text("from the host\n")
    c = lab.run("bind", BASE, ["sh", "-c", "cat /src/in.txt; touch /src/x 2>/dev/null || echo read-only"],
                volumes={str(tmp_path): "/src:ro"})
    c.sdk.wait(timeout=30)
    assert c.logs() == "from the host\nread-only\n"
    assert not (tmp_path / "x").exists()
    lab.reset()


def test_containers_find_each_other_by_name_on_a_network(session, engine_client):
    net = networks.create("appnet")
    assert net.name == f"{session}-appnet" and net.labels["org.dockerlab.session"] == session
    api = lab.run("api", BASE, HTTP_SERVER, network="appnet", aliases=["backend"], wait="log:Listening", timeout=30)
    client = lab.run("client", BASE, ["sleep", "300"], network="appnet")
    by_name = client.exec(["getent", "hosts", api.name])
    by_alias = client.exec(["getent", "hosts", "backend"])
    assert by_name.ok and by_alias.ok
    assert by_name.output.split()[0] == by_alias.output.split()[0] == api.ip(f"{session}-appnet")
    answer = client.exec(http_get_command("backend"))
    assert answer.ok and answer.output.strip() == f"hello from {api.attrs['Config']['Hostname']}"
    members = {m["name"] for m in networks.members("appnet")}
    assert members == {api.name, client.name}
    # the default bridge has no name service: a container there cannot resolve the api by name
    outsider = lab.run("outsider", BASE, ["sleep", "300"])
    assert not outsider.exec(["getent", "hosts", api.name]).ok
    report = lab.reset()
    kinds = [r.kind for r in report.removed]
    assert kinds.index("network") > max(i for i, k in enumerate(kinds) if k == "container")
    assert lab.leaks() == []
