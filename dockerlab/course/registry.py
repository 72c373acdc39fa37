"""A local image registry: the course's `dockerlab/registry:2.8` (CNCF distribution) in a kit container.

A registry is where servers fetch images from: `docker push` uploads an image's layers and manifest,
`docker pull` on another machine downloads them, and both sides end up with the same image ID.

    reg = registry.start()                     # <session>-registry on 127.0.0.1:<free port>
    reg.push("dockerlab/backend:1.0", "todo-backend", "v1")
    reg.catalog(), reg.tags("todo-backend"), reg.digest("todo-backend", "v1")

The kit's registry listens on 127.0.0.1 only, over plain HTTP, with no login: engines trust
registries on 127.0.0.0/8 without TLS. A production registry needs TLS and authentication.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

import docker
import docker.errors

from .. import docker_cli, refs
from ..containers import Container, find
from ..docker_run import run
from . import ensure_app
from ..cleanup import Failed
from ..engine import connect
from ..i18n import _
from ..image_info import ImageInfo
from ..errors import DockerlabError, EngineUnavailable, ImageMissing, NotFound, from_exception, translated
from ..streams import stream_error
from ..labels import name as namespaced, owned
from ..waiting import Http

__all__ = ["Registry", "PushResult", "start", "get", "find_registry", "stop", "push", "pull", "NAME", "PORT", "MANIFEST_TYPES"]

#: the container's short name (the kit prefixes the session)
NAME = "registry"
#: the port the registry listens on inside its container
PORT = 5000
#: the chapter whose reset removes it
CHAPTER = "08"
MANIFEST_TYPES = ", ".join([
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
])


@dataclass
class PushResult:
    """What `docker push` said: the reference pushed, its manifest digest and the progress lines."""

    ref: str
    digest: str
    lines: list[str] = field(default_factory=list)
    cli: docker_cli.CliCommand = docker_cli.CliCommand("")

    def __str__(self) -> str:
        return f"pushed {self.ref} ({self.digest})"


@dataclass
class Registry:
    """The learner's running registry: its container, host port and HTTP API."""

    container: Container

    @property
    def port(self) -> int:
        return self.container.host_port(PORT)

    @property
    def host(self) -> str:
        """``127.0.0.1:<port>``: the first part of an image name that lives in this registry."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def ref(self, repo: str, tag: str = "latest") -> str:
        """The full image name in this registry: ``127.0.0.1:<port>/<repo>:<tag>``."""
        return f"{self.host}/{repo}:{tag}"

    # -- the registry's HTTP API (what `docker push/pull` use underneath) --------------------------
    def _get(self, path: str, *, method: str = "GET", accept: str | None = None) -> tuple[int, dict, bytes]:
        req = urllib.request.Request(self.url + path, method=method)
        if accept:
            req.add_header("Accept", accept)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 (loopback only)
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers or {}), err.read() or b""
        except OSError as exc:
            raise DockerlabError(_("The registry at {url} does not answer ({error}).").format(url=self.url, error=exc),
                                 _("Run the cell that starts the registry again.")) from exc

    def catalog(self) -> list[str]:
        """The repositories it holds (GET /v2/_catalog)."""
        status, _headers, body = self._get("/v2/_catalog")
        return list(json.loads(body).get("repositories") or []) if status == 200 else []

    def tags(self, repo: str) -> list[str]:
        """The tags of one repository (GET /v2/<repo>/tags/list); [] when it has none."""
        status, _headers, body = self._get(f"/v2/{repo}/tags/list")
        return sorted(json.loads(body).get("tags") or []) if status == 200 else []

    def manifest(self, repo: str, tag: str) -> tuple[str, dict] | None:
        """(manifest digest, manifest) of repo:tag, or None when the registry does not have it."""
        status, headers, body = self._get(f"/v2/{repo}/manifests/{tag}", accept=MANIFEST_TYPES)
        if status != 200:
            return None
        digest = next((v for k, v in headers.items() if k.lower() == "docker-content-digest"), "")
        return digest, json.loads(body)

    def digest(self, repo: str, tag: str) -> str | None:
        """The manifest digest (sha256:…) the registry serves for repo:tag — what `docker pull` prints."""
        found = self.manifest(repo, tag)
        return found[0] if found else None

    def config_digest(self, repo: str, tag: str) -> str | None:
        """The digest of the image's config: it IS the image ID an engine shows after pulling it."""
        found = self.manifest(repo, tag)
        return ((found[1].get("config") or {}).get("digest")) if found else None

    def config(self, repo: str, tag: str) -> dict | None:
        """The image's config as the registry stores it (GET /v2/<repo>/blobs/<config digest>): its settings and
        labels, readable even when no engine has the image any more."""
        digest = self.config_digest(repo, tag)
        if not digest:
            return None
        status, _headers, body = self._get(f"/v2/{repo}/blobs/{digest}")
        return json.loads(body) if status == 200 else None

    @property
    def hosts(self) -> tuple[str, ...]:
        """Every spelling an engine on this machine may use for this registry: 127.0.0.1:<port>, localhost:<port>."""
        return (self.host, f"localhost:{self.port}")

    # -- push -----------------------------------------------------------------------------------
    def push(self, image: str, repo: str, tag: str = "latest", *, client: docker.DockerClient | None = None,
             on_line: Callable[[str], None] | None = None) -> PushResult:
        """Tag ``image`` as 127.0.0.1:<port>/repo:tag and push it (`docker tag` + `docker push`)."""
        client = client or connect()
        target = self.ref(repo, tag)
        found = refs.get(image, client)  # a short name is the learner's own image, as everywhere in the kit
        with translated(_("tagging {image} as {new}").format(image=image, new=target)):
            found.tag(f"{self.host}/{repo}", tag)
        return push(target, client=client, on_line=on_line)

    def __repr__(self) -> str:
        return f"<Registry {self.container.name} at {self.url}>"


#: the last line of a push: "<tag>: digest: sha256:… size: N"
_PUSHED_DIGEST = re.compile(r"digest: (sha256:[0-9a-f]{64})")


def push(ref: str, *, client: docker.DockerClient | None = None,
         on_line: Callable[[str], None] | None = None) -> PushResult:
    """`docker push <ref>`: stream the progress, raise with the registry's message when it fails."""
    client = client or connect()
    repo, _sep, tag = ref.rpartition(":")
    lines: list[str] = []
    digest = ""
    try:
        for chunk in client.images.push(repo, tag=tag, stream=True, decode=True):
            msg = stream_error(chunk)
            if msg is not None:
                raise DockerlabError(_("Pushing {ref} failed: {error}").format(ref=ref, error=msg),
                                     _("Is the registry running (its cell above) and is the name 127.0.0.1:<port>/…?"),
                                     details=lines[-8:])
            aux = chunk.get("aux") or {}
            if aux.get("Digest"):
                digest = aux["Digest"]
            status = chunk.get("status")
            said = _PUSHED_DIGEST.search(str(status or ""))
            if said and not digest:  # Podman sends no aux, only the line `docker push` prints last
                digest = said.group(1)
            if status and "progress" not in chunk:
                line = f"{chunk['id']}: {status}" if chunk.get("id") else status
                lines.append(line)
                if on_line:
                    on_line(line)
    except DockerlabError:
        raise
    except (docker.errors.DockerException, OSError) as exc:
        raise from_exception(exc, _("pushing {ref}").format(ref=ref)) from exc
    return PushResult(ref, digest, lines, docker_cli.simple("push", ref))


def pull(ref: str, *, client: docker.DockerClient) -> ImageInfo:
    """`docker pull <ref>` on the engine ``client`` talks to; the image as that engine describes it, or the
    registry's own words when it fails. ``ref`` names a tag (``host/repo:tag``) or a digest
    (``host/repo@sha256:…``: exactly that image)."""
    repo, tag = (ref, None) if "@" in ref else (ref.rpartition(":")[0], ref.rpartition(":")[2])
    with translated(_("pulling {ref}").format(ref=ref), client):
        for chunk in client.api.pull(repo, tag=tag, stream=True, decode=True):
            msg = stream_error(chunk)
            if msg is not None:
                raise ImageMissing(_("Pulling {ref} failed: {error}").format(ref=ref, error=msg),
                                   _("Is the registry running (its cell above), and was the image pushed to it?"))
        return ImageInfo(client.images.get(ref))


def find_registry(client: docker.DockerClient | None = None) -> Registry | None:
    """The learner's registry when it runs, else None."""
    c = find(NAME, client)
    if c is None or c.status != "running":
        return None
    return Registry(c)


def get(client: docker.DockerClient | None = None) -> Registry:
    reg = find_registry(client)
    if reg is None:
        raise NotFound(_("Your registry ({name}) is not running.").format(name=namespaced(NAME)),
                       _("Run the cell that starts it first."))
    return reg


def start(*, chapter: str | None = None, client: docker.DockerClient | None = None,
          timeout: float = 30) -> Registry:
    """Run the registry (or reuse the running one) on 127.0.0.1:<free port> — like
    `docker run -d -p 127.0.0.1::5000 dockerlab/registry:2.8`."""
    client = client or connect()
    existing = find_registry(client)
    if existing is not None:
        return existing
    image = ensure_app("registry")
    c = run(NAME, image, ports={PORT: None}, chapter=chapter, client=client, wait=Http("/v2/", PORT),
            timeout=timeout)
    return Registry(c)


def _untag_registry_images(client: docker.DockerClient, port: int) -> list[str]:
    """Remove the tags that name this registry (127.0.0.1:<port>/…) on the engine: they point nowhere now."""
    removed: list[str] = []
    prefixes = (f"127.0.0.1:{port}/", f"localhost:{port}/")
    try:  # the low-level list: one call, no per-image inspect that races with others removing images
        listed = client.api.images()
    except docker.errors.DockerException:
        return removed
    for img in listed:
        for tag in img.get("RepoTags") or []:
            if tag.startswith(prefixes):
                try:
                    client.images.remove(tag, noprune=True)
                    removed.append(tag)
                except docker.errors.APIError:
                    pass
    return removed


def stop(client: docker.DockerClient | None = None) -> list[str]:
    """Remove the learner's registry container and the tags that named it; returns what it did."""
    client = client or connect()
    try:
        with translated(_("looking for container {name}").format(name=namespaced(NAME)), client):
            sdk = client.containers.get(namespaced(NAME))
    except NotFound:
        return []
    labels = sdk.labels or {}
    if not owned(labels):
        return []
    done = []
    bindings = ((sdk.attrs.get("NetworkSettings") or {}).get("Ports") or {}).get(f"{PORT}/tcp") or []
    if bindings:
        tags = _untag_registry_images(client, int(bindings[0]["HostPort"]))
        if tags:
            done.append(_("untagged {images}").format(images=", ".join(tags)))
    sdk.remove(force=True, v=True)
    done.append(_("removed the registry {name}").format(name=sdk.name))
    return done


def reset_hook(chapter: str | None, client: docker.DockerClient) -> list[str]:
    if chapter not in (None, CHAPTER):
        return []
    try:
        return stop(client)
    except EngineUnavailable:
        return []  # no engine answers: no registry of ours can be running there
    except DockerlabError as err:
        return [Failed(_("could not remove the registry: {error}").format(error=err.what))]
    except docker.errors.DockerException as exc:
        return [Failed(_("could not remove the registry: {error}").format(error=exc))]
