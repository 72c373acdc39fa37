"""Offline: containers, volumes, network and status displays from fake engine answers."""

from __future__ import annotations

import io

from rich.console import Console, Group

from dockerlab.display.containers import ContainersTable, container_row, containers_table
from dockerlab.display.network import NetworkView, network_members
from dockerlab.display.status import Status
from dockerlab.display.volumes import VolumesTable, volume_rows

KIT = {"org.dockerlab.kit": "1", "org.dockerlab.session": "alice", "org.dockerlab.chapter": "03"}


def text(renderable: object, width: int = 120) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(renderable)
    return out.getvalue()


INSPECTED = {
    "Id": "c1" * 32, "Name": "/alice-web",
    "Config": {"Image": "dockerlab/hello:1.0", "Labels": KIT},
    "State": {"Status": "running", "ExitCode": 0, "Health": {"Status": "healthy"}},
    "NetworkSettings": {"Ports": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "49153"}], "9000/tcp": None}},
}
SUMMARY = {
    "Id": "c2" * 32, "Names": ["/alice-db"], "Image": "postgres:16", "State": "exited",
    "Status": "Exited (137) 2 minutes ago", "Labels": dict(KIT, **{"org.dockerlab.chapter": "05"}),
    "Ports": [{"PrivatePort": 5432, "Type": "tcp"}],
    "Mounts": [{"Type": "volume", "Name": "alice-data", "Destination": "/var/lib/postgresql/data"}],
}
STARTING = {"Id": "c3" * 32, "Names": ["/alice-api"], "Image": "api", "State": "running",
            "Status": "Up 3 seconds (health: starting)", "Labels": KIT,
            "Ports": [{"IP": "127.0.0.1", "PrivatePort": 8080, "PublicPort": 32768, "Type": "tcp"}]}


class SdkLike:
    """Like a docker-py container: only ``attrs`` matters."""

    def __init__(self, attrs: dict) -> None:
        self.attrs = attrs


class KitLike:
    """Like dockerlab.containers.Container: ``.attrs`` delegates to the SDK object."""

    def __init__(self, attrs: dict) -> None:
        self.sdk = SdkLike(attrs)

    @property
    def attrs(self) -> dict:
        return self.sdk.attrs


def test_rows_from_inspect_and_summary_shapes() -> None:
    web = container_row(KitLike(INSPECTED))
    assert (web.name, web.image, web.status, web.health, web.chapter) == \
        ("alice-web", "dockerlab/hello:1.0", "running", "healthy", "03")
    assert web.ports == "127.0.0.1:49153->8080/tcp, 9000/tcp"
    db = container_row(SUMMARY)
    assert (db.name, db.status, db.detail, db.health, db.ports, db.chapter) == \
        ("alice-db", "exited", "code 137, 2 minutes ago", None, "5432/tcp", "05")
    api = container_row(SdkLike(STARTING))
    assert (api.health, api.detail, api.ports) == ("starting", "Up 3 seconds", "127.0.0.1:32768->8080/tcp")


def test_containers_table_columns() -> None:
    out = text(containers_table([KitLike(INSPECTED), SUMMARY, SdkLike(STARTING)]), width=160)
    header = next(line for line in out.splitlines() if "name" in line and "image" in line)
    assert [h for h in header.split() if h] == ["name", "image", "status", "health", "ports", "chapter"]
    web = next(line for line in out.splitlines() if "alice-web" in line)
    assert "running" in web and "healthy" in web and "127.0.0.1:49153->8080/tcp" in web and "03" in web
    db = next(line for line in out.splitlines() if "alice-db" in line)
    assert "exited (code 137, 2 minutes ago)" in db and "05" in db
    assert "starting" in next(line for line in out.splitlines() if "alice-api" in line)
    assert "No containers." in text(ContainersTable([]))


def test_volumes_table_says_who_uses_each_volume() -> None:
    volumes = [{"Name": "alice-data", "Mountpoint": "/var/lib/docker/volumes/alice-data/_data", "Labels": KIT},
               {"Name": "alice-spare", "Mountpoint": "/var/lib/docker/volumes/alice-spare/_data", "Labels": {}}]
    rows = volume_rows(volumes, [SUMMARY, STARTING])
    assert [(r.name, r.users, r.chapter) for r in rows] == [("alice-data", ("alice-db",), "03"),
                                                           ("alice-spare", (), None)]
    out = text(VolumesTable(rows))
    assert "/var/lib/docker/volumes/alice-data/_data" in out
    assert "alice-db" in next(line for line in out.splitlines() if "alice-data" in line)
    assert "nobody" in next(line for line in out.splitlines() if "alice-spare" in line)


NET = {"Name": "alice-shop", "Driver": "bridge", "IPAM": {"Config": [{"Subnet": "172.20.0.0/16",
                                                                        "Gateway": "172.20.0.1"}]},
       "Containers": {"aaaaaaaaaaaa1111": {"Name": "alice-web", "IPv4Address": "172.20.0.2/16"},
                      "bbbbbbbbbbbb2222": {"Name": "alice-db", "IPv4Address": "172.20.0.3/16"}}}


def fake_inspect(cid: str) -> dict:
    aliases = {"aaaaaaaaaaaa1111": ["web", "aaaaaaaaaaaa"], "bbbbbbbbbbbb2222": ["db", "database", "bbbbbbbbbbbb"]}
    return {"NetworkSettings": {"Networks": {"alice-shop": {"Aliases": aliases[cid]}}}}


def test_network_view_lists_members_addresses_and_aliases() -> None:
    members = network_members(NET, fake_inspect)
    assert [(m.name, m.ipv4, m.aliases) for m in members] == [("alice-db", "172.20.0.3", ("db", "database")),
                                                            ("alice-web", "172.20.0.2", ("web",))]
    out = text(NetworkView.from_attrs(NET, fake_inspect))
    assert "Network alice-shop (bridge) — subnet 172.20.0.0/16, gateway 172.20.0.1" in out
    db = next(line for line in out.splitlines() if line.strip().startswith("alice-db"))
    assert "172.20.0.3" in db and "alice-db, db, database" in db
    assert "No containers on it." in text(NetworkView("empty", []))


def test_status_is_a_group_that_shows_in_notebooks() -> None:
    view = Status(containers_table([SUMMARY]), NetworkView.from_attrs(NET, fake_inspect))
    assert isinstance(view, Group)
    bundle = view._repr_mimebundle_()
    assert "alice-db" in bundle["text/plain"] and "alice-shop" in bundle["text/html"]


LONG = {"Id": "c4" * 32, "Names": ["/jupyter-averylongname-1a2b3c-frontend"],
        "Image": "jupyter-averylongname-1a2b3c/frontend-dev:2.0.1", "State": "running",
        "Status": "Up 3 minutes (health: starting)", "Labels": KIT,
        "Ports": [{"IP": "127.0.0.1", "PrivatePort": 8080, "PublicPort": 32768, "Type": "tcp"},
                  {"IP": "127.0.0.1", "PrivatePort": 9090, "PublicPort": 32769, "Type": "tcp"}]}


def test_an_80_column_terminal_never_cuts_a_value_in_two():
    """Names, images, ports, paths stay whole on one line (as cards when the columns do not fit)."""
    values = ["jupyter-averylongname-1a2b3c-frontend", "jupyter-averylongname-1a2b3c/frontend-dev:2.0.1",
              "127.0.0.1:32768->8080/tcp", "127.0.0.1:32769->9090/tcp", "alice-web", "dockerlab/hello:1.0",
              "127.0.0.1:49153->8080/tcp"]
    for width in (80, 120):
        lines = text(containers_table([LONG, INSPECTED]), width=width).splitlines()
        for value in values:
            assert any(value in line for line in lines), (width, value)
    assert "image" in text(containers_table([LONG]), width=80)  # the card names what each value is
    vols = VolumesTable(volume_rows([{"Name": "jupyter-averylongname-1a2b3c-todos", "Labels": KIT,
                                      "Mountpoint": "/var/lib/docker/volumes/jupyter-averylongname-1a2b3c-todos/_data"}],
                                    [LONG | {"Mounts": [{"Type": "volume", "Name": "jupyter-averylongname-1a2b3c-todos",
                                                         "Destination": "/data"}]}]))
    lines = text(vols, width=80).splitlines()
    for value in ("/var/lib/docker/volumes/jupyter-averylongname-1a2b3c-todos/_data",
                  "jupyter-averylongname-1a2b3c-frontend"):
        assert any(value in line for line in lines), value
