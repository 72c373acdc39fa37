"""The host's CA bundle, for builds and development containers — never inside a final image.

On a network that re-signs HTTPS (a proxy, these labs) `npm ci`, `pip install` or `curl https://…`
inside a container fail unless they trust the host's CA bundle. The kit offers it two ways, neither
of which can put it in an image by accident:

- **Builds**: the bundle is in a tiny image of its own, ``dockerlab/host-ca:1.0`` (one file,
  ``/host-ca.crt``; empty when the option is off), never in the build context — so ``COPY . .`` cannot
  pick it up. A build stage takes it by name: ``COPY --from=dockerlab/host-ca:1.0 /host-ca.crt /tmp/``.
  The kit refuses a Dockerfile whose final stage (or a stage it is built FROM) copies it.
- **Running containers** (``run(..., trust_host_ca=True)``): the bundle is bind-mounted read-only at
  ``/etc/dockerlab/host-ca.crt`` (``--mount type=bind,…,readonly``) and the usual variables point at it; a
  bind mount is never part of an image, not even of one made with `docker commit`.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import os
import posixpath
import tarfile
from pathlib import Path

import docker
import docker.errors

from .dockerfile import final_stage, stage_named, stages
from .errors import BadInput, DockerlabError, translated
from .i18n import _
from .labels import KIT, ROLE
from .limits import BUILD_MEMORY, memory_bytes
from .streams import stream_error

__all__ = ["CA_IMAGE", "CA_FILE", "CONTAINER_PATH", "CA_ENV", "host_ca_bundle", "wanted", "ca_bytes",
           "ensure_ca_image", "uses_ca_image", "check_final_stage", "container_trust"]

CA_IMAGE = "dockerlab/host-ca:1.0"
#: where the bundle is in the CA image
CA_FILE = "/host-ca.crt"
#: where a development container sees the bundle (bind-mounted, read-only)
CONTAINER_PATH = "/etc/dockerlab/host-ca.crt"
#: the variables the usual tools read their CA bundle from: Node adds it to its own, the others use it instead
CA_ENV = ("NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "PIP_CERT",
          "GIT_SSL_CAINFO")
#: label on the CA image: the sha256 of the bundle it holds (so the kit rebuilds it only when the bundle changes)
CONTENT_LABEL = "org.dockerlab.host-ca.sha256"
HOST_CA_PATHS = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt")


def host_ca_bundle() -> Path | None:
    """The host's CA bundle (the one DOCKERLAB_CA_BUNDLE / SSL_CERT_FILE / … name, else the system's), if any."""
    for env in ("DOCKERLAB_CA_BUNDLE", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "PIP_CERT"):
        value = os.environ.get(env)
        if value and Path(value).is_file():
            return Path(value)
    for path in HOST_CA_PATHS:
        if Path(path).is_file():
            return Path(path)
    return None


def wanted(trust_host_ca: bool | None = None) -> Path | None:
    """The bundle to trust: None means "auto" — the host's, unless DOCKERLAB_TRUST_HOST_CA=0; False: none."""
    if trust_host_ca is False:
        return None
    if trust_host_ca is None and os.environ.get("DOCKERLAB_TRUST_HOST_CA", "auto") == "0":
        return None
    return host_ca_bundle()


def ca_bytes(trust_host_ca: bool | None = None) -> bytes:
    """What the CA image should hold: the host's bundle, or nothing when the option is off."""
    bundle = wanted(trust_host_ca)
    return bundle.read_bytes() if bundle is not None else b""


def ensure_ca_image(client: docker.DockerClient, trust_host_ca: bool | None = None) -> bool:
    """Make ``dockerlab/host-ca:1.0`` hold the bundle the option asks for; True when it had to be (re)built."""
    data = ca_bytes(trust_host_ca)
    digest = hashlib.sha256(data).hexdigest()
    try:
        labels = (client.api.inspect_image(CA_IMAGE).get("Config") or {}).get("Labels") or {}
        if labels.get(CONTENT_LABEL) == digest:
            return False
    except docker.errors.ImageNotFound:
        pass
    dockerfile = f"FROM scratch\nCOPY host-ca.crt {CA_FILE}\n".encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, content in (("Dockerfile", dockerfile), ("host-ca.crt", data)):
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(content), 0o644
            tar.addfile(info, io.BytesIO(content))
    buf.seek(0)
    # shared by every learner on the engine, like the base image: role "base", no session
    labels = {KIT: "1", ROLE: "base", CONTENT_LABEL: digest}
    with translated(_("building {image}").format(image=CA_IMAGE), client):
        memory = memory_bytes(BUILD_MEMORY)  # its COPY and LABEL steps' containers, like every build step's
        for chunk in client.api.build(fileobj=buf, custom_context=True, tag=CA_IMAGE, rm=True, forcerm=True,
                                      decode=True, labels=labels,
                                      container_limits={"memory": memory, "memswap": memory}):
            error = stream_error(chunk)
            if error:
                raise DockerlabError(
                    _("Building {image} (the host's CA bundle for build stages) failed: {error}").format(
                        image=CA_IMAGE, error=error),
                    _("Check the engine's free disk space with `python -m dockerlab doctor`."))
    return True


def _is_ca_ref(ref: str) -> bool:
    name = ref.strip().lower()
    return name in (CA_IMAGE, CA_IMAGE.split(":")[0], "docker.io/" + CA_IMAGE) or name.startswith(
        CA_IMAGE.split(":")[0] + "@")


def uses_ca_image(dockerfile: str) -> bool:
    """Does the Dockerfile name the CA image (in a FROM or a ``COPY --from=``)?"""
    for stage in stages(dockerfile):
        if _is_ca_ref(stage.base) or any(_is_ca_ref(ref) for ref in stage.copies_from()):
            return True
    return False


def _landing(workdir: str, source: str, dest: str, path: str) -> str:
    """Where ``path`` (taken by COPY's ``source``) lands when the COPY says ``dest``."""
    dest = dest if dest.startswith("/") else posixpath.join(workdir or "/", dest)
    plain = posixpath.normpath("/" + source.lstrip("/"))
    if any(c in source for c in "*?[") or plain == path:  # the file itself (or a wildcard that takes it)
        return posixpath.join(dest, posixpath.basename(path)) if dest.endswith("/") or plain != path else dest
    return posixpath.normpath(posixpath.join(dest, posixpath.relpath(path, plain)))  # a folder's content


def _covers(source: str, path: str) -> bool:
    """Does COPY's ``source`` (maybe a folder, maybe with a wildcard) take the file ``path``?"""
    source = posixpath.normpath("/" + source.lstrip("/")) if source not in ("", ".", "./") else "/"
    if any(c in source for c in "*?["):
        return fnmatch.fnmatch(path, source) or fnmatch.fnmatch(posixpath.dirname(path), source)
    return source == "/" or path == source or path.startswith(source.rstrip("/") + "/")


def ca_paths(dockerfile: str) -> dict[int, set[str]]:
    """For each stage (by index): where the host's CA bundle is in it — taken from the CA image, inherited from
    the stage it is built FROM, or copied from another stage that had it."""
    all_stages = stages(dockerfile)
    found: dict[int, set[str]] = {}
    for stage in all_stages:
        parent = stage_named(all_stages, stage.base, stage.index)
        paths = set(found.get(parent.index, set())) if parent is not None else set()
        if _is_ca_ref(stage.base):
            paths.add(CA_FILE)
        workdir = "/"
        for ins in stage.instructions:
            if ins.keyword == "WORKDIR":
                workdir = posixpath.join(workdir, ins.args.strip())
            if ins.keyword not in ("COPY", "ADD") or not ins.flags().get("from") or len(ins.words()) < 2:
                continue
            ref = ins.flags()["from"]
            *sources, dest = ins.words()
            origin = stage_named(all_stages, ref, stage.index)
            had = {CA_FILE} if _is_ca_ref(ref) or (origin is not None and _is_ca_ref(origin.base)) else \
                found.get(origin.index, set()) if origin is not None else set()
            for source in sources:
                for path in had:
                    if _covers(source, path):
                        paths.add(_landing(workdir, source, dest, path))
        found[stage.index] = paths
    return found


def check_final_stage(dockerfile: str, target: str | None = None) -> None:
    """Refuse a Dockerfile whose final stage (``target``'s) would hold the host's CA bundle: taken from the CA image,
    or from a stage that took it (a copy of its folder, a ``FROM`` that stage)."""
    all_stages = stages(dockerfile)
    final = final_stage(all_stages, target)
    if final is None:
        return
    holds = ca_paths(dockerfile).get(final.index) or set()
    if holds:
        raise BadInput(_("The Dockerfile puts the host's CA bundle ({image}) in its final stage (at {paths}): it "
                         "would end up in the image you ship.").format(image=CA_IMAGE, paths=", ".join(sorted(holds))),
                       _("Take it in a build stage only (`COPY --from=dockerlab/host-ca:1.0 /host-ca.crt "
                         "/tmp/host-ca.crt` there), start the final stage FROM a clean base, and copy only what "
                         "the build made (not the folder that holds the bundle)."))


def container_trust(trust_host_ca: bool | None = True) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """([(host bundle, path inside)], environment) that make a running container trust the host's CA bundle.

    It is a read-only bind mount of the `--mount` kind: unlike `-v`, that declares no volume in the container's
    settings, so even an image made from it with `docker commit` holds only an empty mount point.
    """
    bundle = wanted(trust_host_ca)
    if bundle is None:
        if trust_host_ca:
            raise BadInput(_("trust_host_ca=True, but this machine has no CA bundle the kit can find."),
                           _("Point DOCKERLAB_CA_BUNDLE at your CA bundle (a .crt/.pem file)."))
        return [], {}
    return [(str(bundle.resolve()), CONTAINER_PATH)], {name: CONTAINER_PATH for name in CA_ENV}
