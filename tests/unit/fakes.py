"""A small fake of the docker-py client surface the kit uses, for the offline tier.

It keeps containers, images, volumes and networks in dicts, filters by label the way the
engine does, records every removal in ``engine.calls`` (so tests can assert the order), and
raises docker-py's own exception classes with the engine's real message texts.

    fake = FakeClient()
    web = dockerlab.run("web", "debian:bookworm-slim", client=fake)
    fake.engine.calls  # [("create", ...), ("start", ...)]
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import tarfile
from collections.abc import Callable, Iterable, Iterator, Sequence

import docker.errors
import requests

from dockerlab.exec_output import EXEC_MARK, START_MARK

__all__ = ["FakeClient", "FakeEngine", "api_error", "docker_build_chunks", "podman_build_chunks", "layer_tar"]

_ids = itertools.count(1)


def _new_id(seed: str = "") -> str:
    return hashlib.sha256(f"{seed}-{next(_ids)}".encode()).hexdigest()


def api_error(status: int, explanation: str, cls: type = docker.errors.APIError) -> docker.errors.APIError:
    """An APIError as docker-py raises it for an engine answer with ``status``."""
    resp = requests.Response()
    resp.status_code = status
    resp.reason = {400: "Bad Request", 404: "Not Found", 409: "Conflict", 500: "Internal Server Error"}.get(status, "")
    resp.url = "http+docker://localhost/v1.41/fake"
    return cls(f"{status} Server Error", response=resp, explanation=explanation)


def _matches(labels: dict | None, filters: dict | None) -> bool:
    labels = labels or {}
    for want in (filters or {}).get("label", []):
        key, eq, value = want.partition("=")
        if key not in labels or (eq and labels[key] != value):
            return False
    return True


def layer_tar(files: dict[str, bytes]) -> bytes:
    """A layer as the engine stores it: an uncompressed tar of paths (its sha256 is the layer's diff id)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


#: one history row of a layered fake image: (CreatedBy, the layer's tar or None for a config-only row[, Comment])
LayerRow = tuple


class FakeImage:
    """An image; with ``layers`` (base first) it has real layer tars: history, RootFS and `docker save` follow."""

    def __init__(self, engine: FakeEngine, tags: list[str], labels: dict | None = None, user: str = "",
                 layers: Sequence[LayerRow] = ()) -> None:
        self.engine = engine
        self.id = "sha256:" + _new_id("image")
        self.tags = list(tags)
        self.labels = dict(labels or {})
        self.parent = ""  # the image this one was built on or committed from (the engine's Parent)
        self.layers = [(row[0], row[1], row[2] if len(row) > 2 else "") for row in layers]
        self.attrs = {"Id": self.id, "RepoTags": self.tags, "Size": 80_000_000,
                      "Config": {"Labels": self.labels, "User": user}}
        if self.layers:
            self.attrs["RootFS"] = {"Type": "layers", "Layers": [_digest(t) for _, t, _ in self.layers if t is not None]}

    @property
    def short_id(self) -> str:
        return self.id[:19]

    def history(self) -> list[dict]:
        """`docker history`: newest row first; only the top row names an image (the others are `<missing>`)."""
        if not self.layers:
            return [{"Id": self.id, "CreatedBy": "/bin/sh -c #(nop) CMD [\"sh\"]", "Size": 0}]
        rows = [{"Id": "<missing>", "CreatedBy": created_by, "Comment": comment, "Size": len(tar) if tar else 0,
                 "Created": n} for n, (created_by, tar, comment) in enumerate(self.layers, 1)]
        rows[-1]["Id"] = self.id
        return list(reversed(rows))

    def save_chunks(self, chunk_size: int) -> Iterator[bytes]:
        """`docker save` of this image (the classic layout: one folder with a layer.tar per layer)."""
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for _, layer, _ in self.layers:
                if layer is None:
                    continue
                info = tarfile.TarInfo(f"{hashlib.sha256(layer).hexdigest()}/layer.tar")
                info.size = len(layer)
                tar.addfile(info, io.BytesIO(layer))
        data = buf.getvalue()
        return (data[i:i + chunk_size] for i in range(0, len(data), chunk_size))

    def tag(self, repo: str, tag: str | None = None) -> bool:
        self.tags.append(f"{repo}:{tag or 'latest'}")
        return True


def _binds(volumes: object) -> list[str]:
    """docker-py's ``volumes``: a list of "src:dst[:mode]" (as the kit sends them) or a dict of binds."""
    if isinstance(volumes, dict):
        return [f"{src}:{v['bind']}:{v['mode']}" for src, v in volumes.items()]
    return list(volumes or [])


def _split_bind(bind: str) -> tuple[str, str, str]:
    src, dst, *mode = bind.split(":")
    return src, dst, (mode or ["rw"])[0]


class FakeContainer:
    def __init__(self, client: FakeClient, name: str, image: str, command: object, kwargs: dict) -> None:
        self.client = client
        self.kwargs = kwargs
        self.id = _new_id(name)
        self.name = name
        self.labels = dict(kwargs.get("labels") or {})
        image_obj = client.engine.find_image(image)
        ports = {k: [{"HostIp": ip, "HostPort": ""}] for k, (ip, _p) in (kwargs.get("ports") or {}).items()}
        self._wanted_ports = dict(kwargs.get("ports") or {})
        self.attrs: dict = {
            "Id": self.id,
            "Name": "/" + name,
            "Image": image_obj.id if image_obj else "sha256:" + "0" * 64,
            "Config": {"Image": image, "Labels": self.labels, "Cmd": command, "User": kwargs.get("user") or "",
                       "Env": [f"{k}={v}" for k, v in (kwargs.get("environment") or {}).items()],
                       "Healthcheck": kwargs.get("healthcheck")},
            "State": {"Status": "created", "ExitCode": 0, "Running": False, "Pid": 0},
            "RestartCount": 0,
            "Mounts": [{"Type": "volume" if not src.startswith("/") else "bind", "Source": src,
                        "Name": None if src.startswith("/") else src, "Destination": dst, "RW": mode != "ro"}
                       for src, dst, mode in (_split_bind(b) for b in _binds(kwargs.get("volumes")))],
            "HostConfig": {
                "Privileged": bool(kwargs.get("privileged")),
                "Memory": kwargs.get("mem_limit"),
                "PidsLimit": kwargs.get("pids_limit"),
                "Binds": _binds(kwargs.get("volumes")),
                "PortBindings": {k: [{"HostIp": ip, "HostPort": str(p or "")}]
                                 for k, (ip, p) in (kwargs.get("ports") or {}).items()},
                "ReadonlyRootfs": bool(kwargs.get("read_only")),
                "Tmpfs": dict(kwargs.get("tmpfs") or {}),
                "RestartPolicy": dict(kwargs.get("restart_policy") or {"Name": "no", "MaximumRetryCount": 0}),
            },
            "NetworkSettings": {"Ports": ports, "Networks": {kwargs.get("network") or "bridge": {"IPAddress": "172.17.0.9"}}},
        }
        self.log_text = client.engine.logs_for.get(name, "")

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def status(self) -> str:
        return self.attrs["State"]["Status"]

    def _gone(self) -> bool:
        return self.id not in self.client.engine.containers

    def export(self, chunk_size: int = 2 << 20) -> Iterator[bytes]:
        self.client.engine.check_up()
        self.client.engine.calls.append(("export", self.name))
        yield from (b"root filesystem ", b"of " + self.name.encode())

    def reload(self) -> None:
        self.client.engine.check_up()
        if self._gone():
            raise api_error(404, f"No such container: {self.id}", docker.errors.NotFound)

    def start(self) -> None:
        engine = self.client.engine
        engine.check_up()
        engine.calls.append(("start", self.name))
        for key, (ip, port) in self._wanted_ports.items():
            if port is None:
                port = engine.next_port()
            taken = engine.taken_ports.get((ip, port))
            if taken and taken != self.id:
                raise api_error(500, f"driver failed programming external connectivity on endpoint {self.name} "
                                     f"({_new_id('ep')}): Bind for {ip}:{port} failed: port is already allocated")
            if port in engine.host_busy_ports:
                raise api_error(500, f"driver failed programming external connectivity on endpoint {self.name} "
                                     f"({_new_id('ep')}): Error starting userland proxy: listen tcp4 {ip}:{port}: "
                                     "bind: address already in use")
            engine.taken_ports[(ip, port)] = self.id
            self.attrs["NetworkSettings"]["Ports"][key] = [{"HostIp": ip, "HostPort": str(port)}]
        exits = engine.exit_codes.get(self.name)
        if exits is None:
            self.attrs["State"].update(Status="running", Running=True, Pid=4242)
        else:
            self.attrs["State"].update(Status="exited", Running=False, ExitCode=exits)

    def stop(self, timeout: int = 10) -> None:
        self.client.engine.check_up()
        self.client.engine.calls.append(("stop", self.name))
        self.attrs["State"].update(Status="exited", Running=False)

    def kill(self, signal: str = "SIGKILL") -> None:
        self.stop()

    def remove(self, force: bool = False, v: bool = False) -> None:
        self.client.api.remove_container(self.id, force=force, v=v)

    def logs(self, **kwargs: object) -> bytes:
        self.client.engine.check_up()
        return self.log_text.encode()

    def wait(self, **kwargs: object) -> dict:
        self.attrs["State"].update(Status="exited", Running=False)
        return {"StatusCode": self.attrs["State"]["ExitCode"]}

    def stats(self, stream: bool = True, **kwargs: object) -> dict:
        """`docker stats --no-stream` on cgroup v1: usage counts the file cache, total_inactive_file is droppable."""
        return {"memory_stats": {"usage": 9 * 2**20, "limit": 512 * 2**20,
                                 "stats": {"total_inactive_file": 2**20}}, "pids_stats": {"current": 3}}

    def diff(self) -> list[dict]:
        """`docker diff`: what the test put in ``engine.diffs[name]``, else one added file."""
        return list(self.client.engine.diffs.get(self.name, [{"Kind": 1, "Path": "/tmp/new"}]))

    def summary(self) -> dict:
        """The container as `docker ps` (GET /containers/json) lists it."""
        state = self.attrs["State"]["Status"]
        return {"Id": self.id, "Names": ["/" + self.name], "Image": self.attrs["Config"]["Image"], "State": state,
                "Status": "Up 1 second" if state == "running" else f"Exited ({self.attrs['State']['ExitCode']}) "
                          "1 second ago", "Labels": self.labels, "Ports": []}


class FakeVolume:
    def __init__(self, client: FakeClient, name: str, labels: dict | None) -> None:
        self.client = client
        self.name = self.id = name
        self.attrs = {"Name": name, "Labels": dict(labels or {}), "Driver": "local"}

    def remove(self, force: bool = False) -> None:
        self.client.api.remove_volume(self.name, force=force)


class FakeNetwork:
    def __init__(self, client: FakeClient, name: str, labels: dict | None) -> None:
        self.client = client
        self.name = name
        self.id = _new_id(name)
        self.attrs = {"Name": name, "Id": self.id, "Labels": dict(labels or {}), "Containers": {}}

    def remove(self) -> None:
        self.client.api.remove_network(self.id)


class FakeEngine:
    """The state behind a FakeClient; tests set its knobs (build_chunks, exit_codes, up…)."""

    def __init__(self) -> None:
        self.up = True
        self.containers: dict[str, FakeContainer] = {}
        self.images: dict[str, FakeImage] = {}
        self.volumes: dict[str, FakeVolume] = {}
        self.networks: dict[str, FakeNetwork] = {}
        self.services: dict[str, FakeService] = {}
        self.swarm = False
        self.swarm_answer = ""  # GET /swarm's 503 text instead of the usual ones (a worker's, a locked swarm's)
        self.calls: list[tuple] = []
        self.taken_ports: dict[tuple[str, int], str] = {}
        self.host_busy_ports: set[int] = set()
        self.exit_codes: dict[str, int] = {}
        self.logs_for: dict[str, str] = {}
        self.diffs: dict[str, list[dict]] = {}
        self.build_chunks: Iterable[dict] | Callable[[dict], Iterable[dict]] = ()
        self.build_kwargs: dict = {}
        self.quiet_build_limits: list[dict] = []  # container_limits of the kit's small FROM + LABEL builds
        self.last_build_stream: Iterator[dict] | None = None
        self.exec_output: bytes | list[bytes] = b""
        self.exec_kept_output = b""  # what a shell line's file in the container's /dev/shm holds
        self.exec_code = 0
        self._ports = itertools.count(32768)

    def next_port(self) -> int:
        return next(self._ports)

    def check_up(self) -> None:
        if not self.up:
            raise requests.exceptions.ConnectionError(
                "('Connection aborted.', FileNotFoundError(2, 'No such file or directory'))")

    def add_image(self, *tags: str, labels: dict | None = None, user: str = "",
                  layers: Sequence[LayerRow] = ()) -> FakeImage:
        img = FakeImage(self, list(tags), labels, user, layers)
        self.images[img.id] = img
        return img

    def find_image(self, ref: str) -> FakeImage | None:
        full = ref if ":" in ref.rsplit("/", 1)[-1] or ref.startswith("sha256:") else f"{ref}:latest"
        for img in self.images.values():
            if ref in (img.id, img.short_id) or full in img.tags or ref in img.tags:
                return img
            if len(ref) >= 12 and img.id.removeprefix("sha256:").startswith(ref):  # as a build's log names it
                return img
        return None

    def find_container(self, ref: str) -> FakeContainer | None:
        for c in self.containers.values():
            if ref in (c.id, c.name, c.short_id):
                return c
        return None


class _Containers:
    def __init__(self, client: FakeClient) -> None:
        self.client = client

    def get(self, ref: str) -> FakeContainer:
        self.client.engine.check_up()
        found = self.client.engine.find_container(ref)
        if found is None:
            raise api_error(404, f"No such container: {ref}", docker.errors.NotFound)
        return found

    def create(self, image: str, command: object = None, **kwargs: object) -> FakeContainer:
        engine = self.client.engine
        engine.check_up()
        name = str(kwargs.get("name"))
        if engine.find_image(image) is None:
            raise api_error(404, f"No such image: {image}", docker.errors.ImageNotFound)
        if engine.find_container(name):
            raise api_error(409, f'Conflict. The container name "/{name}" is already in use by container '
                                 f'"{engine.find_container(name).id}". You have to remove (or rename) that container '
                                 "to be able to reuse that name.")
        c = FakeContainer(self.client, name, image, command, dict(kwargs))
        engine.containers[c.id] = c
        engine.calls.append(("create", name))
        return c

    def list(self, all: bool = False, filters: dict | None = None, **kwargs: object) -> list[FakeContainer]:
        self.client.engine.check_up()
        out = [c for c in self.client.engine.containers.values()
               if (all or c.status == "running") and _matches(c.labels, filters)]
        volume = (filters or {}).get("volume")
        if volume:
            out = [c for c in out if any(b.startswith(volume + ":") for b in c.attrs["HostConfig"]["Binds"])]
        return out


class _Images:
    def __init__(self, client: FakeClient) -> None:
        self.client = client

    def get(self, ref: str) -> FakeImage:
        self.client.engine.check_up()
        img = self.client.engine.find_image(ref)
        if img is None:
            raise api_error(404, f"No such image: {ref}", docker.errors.ImageNotFound)
        return img

    def list(self, filters: dict | None = None, **kwargs: object) -> list[FakeImage]:
        self.client.engine.check_up()
        return [i for i in self.client.engine.images.values() if _matches(i.labels, filters)]

    def remove(self, ref: str, force: bool = False) -> None:
        img = self.get(ref)
        self.client.api.remove_image(img.id, force=force)


class _Volumes:
    def __init__(self, client: FakeClient) -> None:
        self.client = client

    def get(self, name: str) -> FakeVolume:
        self.client.engine.check_up()
        if name not in self.client.engine.volumes:
            raise api_error(404, f"get {name}: no such volume", docker.errors.NotFound)
        return self.client.engine.volumes[name]

    def create(self, name: str, labels: dict | None = None, **kwargs: object) -> FakeVolume:
        self.client.engine.check_up()
        vol = self.client.engine.volumes.setdefault(name, FakeVolume(self.client, name, labels))
        self.client.engine.calls.append(("create_volume", name))
        return vol

    def list(self, filters: dict | None = None) -> list[FakeVolume]:
        self.client.engine.check_up()
        return [v for v in self.client.engine.volumes.values() if _matches(v.attrs["Labels"], filters)]


class _Networks:
    def __init__(self, client: FakeClient) -> None:
        self.client = client

    def list(self, names: list[str] | None = None, filters: dict | None = None, **kwargs: object) -> list[FakeNetwork]:
        self.client.engine.check_up()
        return [n for n in self.client.engine.networks.values()
                if (not names or any(w in n.name for w in names)) and _matches(n.attrs["Labels"], filters)]

    def get(self, nid: str) -> FakeNetwork:
        self.client.engine.check_up()
        for n in self.client.engine.networks.values():
            if nid in (n.id, n.name):
                return n
        raise api_error(404, f"network {nid} not found", docker.errors.NotFound)

    def create(self, name: str, driver: str = "bridge", labels: dict | None = None, **kwargs: object) -> FakeNetwork:
        self.client.engine.check_up()
        net = FakeNetwork(self.client, name, labels)
        self.client.engine.networks[net.id] = net
        self.client.engine.calls.append(("create_network", name))
        return net


class FakeService:
    def __init__(self, client: FakeClient, name: str, labels: dict | None) -> None:
        self.client = client
        self.name = name
        self.id = _new_id(name)
        self.attrs = {"ID": self.id, "Spec": {"Name": name, "Labels": dict(labels or {})}}

    def remove(self) -> bool:
        self.client.engine.check_up()
        self.client.engine.calls.append(("remove_service", self.name))
        del self.client.engine.services[self.id]
        return True


class _Services:
    def __init__(self, client: FakeClient) -> None:
        self.client = client

    def list(self, filters: dict | None = None, **kwargs: object) -> list[FakeService]:
        self.client.engine.check_up()
        return [s for s in self.client.engine.services.values() if _matches(s.attrs["Spec"]["Labels"], filters)]

    def get(self, sid: str) -> FakeService:
        for s in self.client.engine.services.values():
            if sid in (s.id, s.name):
                return s
        raise api_error(404, f"service {sid} not found", docker.errors.NotFound)

    def create(self, image: str, name: str, labels: dict | None = None, **kwargs: object) -> FakeService:
        svc = FakeService(self.client, name, labels)
        self.client.engine.services[svc.id] = svc
        return svc


class FakeAPI:
    """The low-level ``client.api`` part: build stream, exec, removals by id."""

    def __init__(self, client: FakeClient) -> None:
        self.client = client
        self.api_version = "1.41"
        self.timeout = 30
        self.base_url = "http+docker://localhost"
        self._dockerlab_address = "unix:///fake/docker.sock"
        self._execs: list[object] = []  # each exec's command, by id

    @property
    def engine(self) -> FakeEngine:
        return self.client.engine

    def inspect_swarm(self) -> dict:
        """`GET /swarm` as Docker 20.10 answers it: the swarm on a manager, 503 elsewhere (``swarm_answer``: another
        503 text, e.g. a worker's)."""
        self.engine.check_up()
        self.engine.calls.append(("inspect_swarm",))
        if self.engine.swarm_answer:
            raise api_error(503, self.engine.swarm_answer)
        if not self.engine.swarm:
            raise api_error(503, 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" '
                                 "to connect this node to swarm and try again.")
        return {"ID": "fake-swarm", "Spec": {"Labels": {}}}

    def build(self, **kwargs: object) -> Iterator[dict]:
        """docker-py's ``api.build`` (the kit's small helper builds): an untagged image, at once."""
        self.engine.check_up()
        self.engine.calls.append(("quiet_build", kwargs.get("tag")))
        self.engine.quiet_build_limits.append(dict(kwargs.get("container_limits") or {}))  # type: ignore[arg-type]
        img = self.engine.add_image(*([str(kwargs["tag"])] if kwargs.get("tag") else []),
                                    labels=dict(kwargs.get("labels") or {}))  # type: ignore[arg-type]
        return iter([{"aux": {"ID": img.id}}])

    # -- POST /build, as the kit sends it: the request's parameters, then the engine's stream ------------
    def _set_auth_headers(self, headers: dict) -> None:
        pass

    def _post(self, url: str, data: object = None, params: dict | None = None, **kwargs: object) -> dict:
        self.engine.check_up()
        assert url == "/build", url
        params = dict(params or {})
        kw = {"tag": params.get("t"), "rm": params.get("rm"), "forcerm": params.get("forcerm"),
              "labels": json.loads(params.get("labels") or "{}"), "buildargs": json.loads(params.get("buildargs") or "{}"),
              "target": params.get("target"), "nocache": params.get("nocache"), "dockerfile": params.get("dockerfile"),
              "memory": params.get("memory"), "memswap": params.get("memswap"), "cgroupparent": params.get("cgroupparent")}
        self.engine.build_kwargs = kw
        self.engine.build_timeout = kwargs.get("timeout")
        self.engine.build_context = data.getvalue() if hasattr(data, "getvalue") else b""  # type: ignore[union-attr]
        return {"kwargs": kw}

    def _stream_helper(self, response: dict, decode: bool = True) -> Iterator[dict]:
        stream = self._build(response["kwargs"])
        self.engine.last_build_stream = stream
        return stream

    def _build(self, kwargs: dict) -> Iterator[dict]:
        chunks = self.engine.build_chunks
        chunks = chunks(kwargs) if callable(chunks) else chunks
        ok = True
        for chunk in chunks:
            if "error" in chunk:
                ok = False
            yield chunk
        if ok:
            img = self.engine.add_image(str(kwargs.get("tag")), labels=dict(kwargs.get("labels") or {}))
            yield {"aux": {"ID": img.id}}

    def _image(self, ref: str) -> FakeImage:
        self.engine.check_up()
        img = self.engine.find_image(ref)
        if img is None:
            raise api_error(404, f"No such image: {ref}", docker.errors.ImageNotFound)
        return img

    def history(self, image: str) -> list[dict]:
        return self._image(image).history()

    def inspect_image(self, image: str) -> dict:
        return self._image(image).attrs

    def images(self, name: str | None = None, quiet: bool = False, all: bool = False,
               filters: dict | None = None) -> list[dict]:
        """`docker images` (GET /images/json): one summary per image (``dangling``: untagged ones only)."""
        self.engine.check_up()
        dangling = (filters or {}).get("dangling")
        flt = {k: v for k, v in (filters or {}).items() if k != "dangling"}
        return [{"Id": i.id, "RepoTags": list(i.tags), "Labels": dict(i.labels), "Size": i.attrs["Size"]}
                for i in self.engine.images.values() if _matches(i.labels, flt) and (not dangling or not i.tags)]

    def get_image(self, image: str, chunk_size: int = 2 << 20) -> Iterator[bytes]:
        img = self._image(image)
        self.engine.calls.append(("save", (img.tags or [img.id])[0]))
        return img.save_chunks(chunk_size or 2 << 20)

    def containers(self, all: bool = False, filters: dict | None = None, **kwargs: object) -> list[dict]:
        """`docker ps` (GET /containers/json): summaries, running ones only unless ``all``."""
        return [c.summary() for c in self.client.containers.list(all=all, filters=filters)]

    def inspect_container(self, container: str) -> dict:
        return self.client.containers.get(container).attrs

    def _url(self, path: str) -> str:
        return path

    def _get(self, url: str, **kwargs: object) -> str:
        self.engine.check_up()
        self.engine.calls.append(("get", url, kwargs.get("timeout")))
        return "OK"

    def _result(self, response: str, json: bool = False) -> str:
        return response

    def exec_create(self, cid: str, cmd: object, **kwargs: object) -> dict:
        self.engine.check_up()
        if self.engine.find_container(cid) is None:
            raise api_error(404, f"No such container: {cid}", docker.errors.NotFound)
        self.engine.calls.append(("exec", cid, cmd))
        self._execs.append(cmd)
        return {"Id": f"exec-{len(self._execs)}"}

    def exec_start(self, eid: str, **kwargs: object) -> bytes:
        """``engine.exec_output``; a list gives one answer per exec, in turn (the last one stays). A shell line or a
        list the kit wrapped to keep its output (dockerlab.exec_output) answers with the mark and the exit code after
        it, as sh would."""
        answers = self.engine.exec_output
        out = (answers.pop(0) if len(answers) > 1 else answers[0]) if isinstance(answers, list) else answers
        cmd = self._execs[int(eid.split("-")[1]) - 1]
        script = cmd[2] if isinstance(cmd, list) and len(cmd) >= 3 and cmd[1] == "-c" else ""
        if script.endswith('exit "$rc"') and out:  # the wrapped line ran; an empty answer stands for a lost one
            return START_MARK + out + EXEC_MARK + str(self.engine.exec_code).encode()
        if script.startswith("test -f /dev/shm/.dockerlab-exec-"):  # a lost answer read again: the line's output
            return START_MARK + self.engine.exec_kept_output + EXEC_MARK + b"0"
        return out

    def exec_inspect(self, eid: str) -> dict:
        return {"ExitCode": self.engine.exec_code}

    def import_image(self, src: object = None, repository: str | None = None, tag: str | None = None,
                     changes: list | None = None) -> dict:
        """`docker import`: reads the whole archive; LABEL lines of ``changes`` become the image's labels."""
        self.engine.check_up()
        data = b"".join(src) if not hasattr(src, "read") else src.read()  # type: ignore[union-attr, arg-type]
        labels = dict(pair.split("=", 1) for c in changes or [] if c.startswith("LABEL ") for pair in c[6:].split())
        name = repository if tag or ":" in str(repository).rpartition("/")[2] else f"{repository}:latest"
        img = self.engine.add_image(f"{name}:{tag}" if tag else name, labels=labels)  # the repository may carry the tag
        self.engine.calls.append(("import_image", img.tags[0], len(data), list(changes or [])))
        return json.dumps({"status": img.id}) + "\n"  # the engine's answer: one JSON status line

    def remove_container(self, cid: str, force: bool = False, v: bool = False) -> None:
        self.engine.check_up()
        c = self.engine.find_container(cid)
        if c is None:
            raise api_error(404, f"No such container: {cid}", docker.errors.NotFound)
        self.engine.calls.append(("remove_container", c.name, {"force": force, "v": v}))
        self.engine.taken_ports = {k: v for k, v in self.engine.taken_ports.items() if v != c.id}
        del self.engine.containers[c.id]

    def remove_network(self, nid: str) -> None:
        self.engine.check_up()
        net = self.client.networks.get(nid)
        self.engine.calls.append(("remove_network", net.name))
        del self.engine.networks[net.id]

    def remove_image(self, iid: str, force: bool = False) -> None:
        self.engine.check_up()
        img = self.client.images.get(iid)
        if any(other.parent == img.id for other in self.engine.images.values()):  # even with force
            raise api_error(409, f"conflict: unable to delete {img.short_id[7:]} (cannot be forced) - image has "
                                 "dependent child images")
        self.engine.calls.append(("remove_image", (img.tags or [img.id])[0]))
        del self.engine.images[img.id]

    def remove_volume(self, name: str, force: bool = False) -> None:
        self.engine.check_up()
        if name not in self.engine.volumes:
            raise api_error(404, f"get {name}: no such volume", docker.errors.NotFound)
        self.engine.calls.append(("remove_volume", name))
        del self.engine.volumes[name]

    def disconnect_container_from_network(self, cid: str, net: str) -> None:
        self.engine.calls.append(("disconnect", cid, net))

    def connect_container_to_network(self, cid: str, net: str, aliases: list | None = None) -> None:
        self.engine.calls.append(("connect", cid, net, tuple(aliases or ())))


class FakeClient:
    """What ``docker.DockerClient`` offers the kit, backed by a FakeEngine."""

    def __init__(self, engine: FakeEngine | None = None) -> None:
        self.engine = engine or FakeEngine()
        self.api = FakeAPI(self)
        self.containers = _Containers(self)
        self.images = _Images(self)
        self.volumes = _Volumes(self)
        self.networks = _Networks(self)
        self.services = _Services(self)

    def ping(self) -> bool:
        self.engine.check_up()
        return True

    def info(self) -> dict:
        self.engine.check_up()
        self.engine.calls.append(("info",))
        return {"Swarm": {"LocalNodeState": "active" if self.engine.swarm else "inactive"}, "Driver": "overlay2", "OperatingSystem": "Fake OS",
                "KernelVersion": "6.1", "Architecture": "x86_64", "CgroupVersion": "2", "SecurityOptions": [],
                "DockerRootDir": "/var/lib/docker", "ContainersRunning": 0, "Containers": 0, "Images": 0}

    def version(self) -> dict:
        self.engine.check_up()
        return {"Version": "20.10.24+fake", "ApiVersion": "1.41"}

    def close(self) -> None:
        pass


def docker_build_chunks(steps: list[tuple[str, list[str] | str]], *, labels: dict | None = None,
                        error: str | None = None) -> list[dict]:
    """The chunks Docker's legacy builder streams for ``steps`` [(instruction, output lines | "cache")].

    The engine appends one ``LABEL`` step per label passed through the API; ``error`` stops after the last step.
    """
    label_steps = [f"LABEL {k}={v}" for k, v in (labels or {}).items()] if error is None else []
    total = len(steps) + len(labels or {})
    chunks: list[dict] = []
    everything = list(steps) + [(ls, []) for ls in label_steps]
    for n, (instruction, out) in enumerate(everything, 1):
        chunks += [{"stream": f"Step {n}/{total} : {instruction}"}, {"stream": "\n"}]
        if instruction.startswith("FROM"):
            chunks.append({"stream": " ---> f8e4cbac6643\n"})
            continue
        if out == "cache":
            chunks += [{"stream": " ---> Using cache\n"}, {"stream": f" ---> {_new_id()[:12]}\n"}]
            continue
        cid = _new_id()[:12]
        chunks.append({"stream": f" ---> Running in {cid}\n"})
        chunks += [{"stream": line + "\n"} for line in out]
        chunks.append({"stream": f"Removing intermediate container {cid}\n"})
        if error is None or n < len(everything):
            chunks.append({"stream": f" ---> {_new_id()[:12]}\n"})
    if error is not None:
        chunks.append({"errorDetail": {"code": 1, "message": error}, "error": error})
    else:
        chunks += [{"stream": "Successfully built 6f338e6eb272\n"}]
    return chunks


def podman_build_chunks(steps: list[tuple[str, list[str] | str]], *, labels: dict | None = None,
                        stages: list[int] | None = None) -> list[dict]:
    """Podman (buildah) through the compat API, as it streams (Podman 4.3): "STEP n/m: …", "--> Using cache <id>",
    "--> <id>", "COMMIT …" and the bare image id. The labels passed through the API become ``LABEL "k"="v"`` steps
    at the end, counted in the totals. ``stages``: how many of ``steps`` each stage of a multi-stage build has; each
    stage is then numbered from 1, its lines prefixed "[i/n] "."""
    stages = stages or [len(steps)]
    label_steps = [(f'LABEL "{k}"="{v}"', []) for k, v in (labels or {}).items()]
    chunks: list[dict] = []
    at = 0
    for i, size in enumerate(stages, 1):
        own = list(steps[at:at + size]) + (label_steps if i == len(stages) else [])
        at += size
        prefix = f"[{i}/{len(stages)}] " if len(stages) > 1 else ""
        for n, (instruction, out) in enumerate(own, 1):
            chunks.append({"stream": f"{prefix}STEP {n}/{len(own)}: {instruction}\n"})
            if instruction.startswith("FROM"):
                continue
            if out == "cache":
                chunks.append({"stream": f"--> Using cache {_new_id()}\n"})
            else:
                chunks += [{"stream": line + "\n"} for line in out]
            chunks.append({"stream": f"--> {_new_id()[:12]}\n"})
    image = _new_id()
    chunks += [{"stream": f"{prefix}COMMIT docker.io/library/fake:1\n"}, {"stream": f"--> {image[:11]}\n"},
               {"stream": "Successfully tagged docker.io/library/fake:1\n"}, {"stream": f"{image}\n"}]
    return chunks
