"""Base images: pull one from a registry, or build a slim Debian one locally when no registry answers.

The local recipe is ``mmdebstrap --variant=minbase bookworm -`` streamed straight into the engine's
image import (``docker import``), with docs, man pages and locales left out: about 75 MB, like the
official ``debian:bookworm-slim``. The image is labelled with the recipe's hash, so the kit can tell
"built by me from today's recipe" from "built by me from an older one" from "not mine".
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import docker
import docker.errors
import requests.exceptions
from docker.auth import INDEX_NAME, resolve_repository_name
from docker.utils import parse_repository_tag

from .. import docker_cli
from . import RECIPE_LABEL, built_base_recipe
from ..engine import connect
from ..errors import BuildFailed, DockerlabError, ImageMissing, from_exception, translated
from ..i18n import N_, _
from ..streams import stream_error


__all__ = ["Progress", "NullProgress", "BaseRecipe", "BOOKWORM_SLIM", "RECIPES", "recipe_for", "BaseBuild",
           "build_base", "ensure_mmdebstrap", "registry_answers", "pull", "MERGED_USR_HOOKS"]

MERGED_USR_HOOKS = "/usr/share/mmdebstrap/hooks/merged-usr"
#: bump when the way the recipe is turned into an image changes in a way its options do not show
RECIPE_FORMAT = 2  # 2: the image carries only its recipe label (no kit/role label for everything built FROM it)
#: mmdebstrap's "I: …" lines, in the order it prints them: the bootstrap's steps for a progress bar
_BOOTSTRAP_STEPS = (N_("running apt-get update"), N_("downloading packages"), N_("extracting archives"),
                    N_("installing essential packages"), N_("running --customize-hook"),
                    N_("cleaning package lists"), N_("creating tarball"))  # matched in English, shown translated


class Progress(Protocol):
    """Where prepare and build_base report what they do (a terminal spinner, a notebook bar, a test list)."""

    def phase(self, name: str) -> None:
        """A new phase starts, e.g. "bootstrapping Debian"."""

    def update(self, detail: str = "", done: float | None = None, total: float | None = None) -> None:
        """More about the current phase: a detail line and, when known, how far it is."""

    def note(self, line: str) -> None:
        """A finished result the learner should keep seeing, e.g. "debian:bookworm-slim: up to date"."""

    def close(self) -> None:
        """Nothing more will come."""


class NullProgress:
    """A progress sink that shows nothing."""

    def phase(self, name: str) -> None:
        pass

    def update(self, detail: str = "", done: float | None = None, total: float | None = None) -> None:
        pass

    def note(self, line: str) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class BaseRecipe:
    """How the kit bootstraps a slim Debian image with mmdebstrap; its ``hash`` goes into the image's label."""

    suite: str = "bookworm"
    variant: str = "minbase"
    mirror: str = "http://deb.debian.org/debian"
    security_mirror: str = "http://deb.debian.org/debian-security"
    components: tuple[str, ...] = ("main",)
    include: tuple[str, ...] = ()
    path_exclude: tuple[str, ...] = ("/usr/share/man/*", "/usr/share/doc/*", "/usr/share/locale/*",
                                     "/usr/share/info/*", "/usr/share/lintian/*")
    path_include: tuple[str, ...] = ("/usr/share/doc/*/copyright",)
    apt_options: tuple[str, ...] = ('APT::Install-Recommends "false"',)
    cleanup: str = 'rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/*.log'
    cmd: tuple[str, ...] = ("bash",)
    env: tuple[str, ...] = ("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",)

    def sources(self) -> list[str]:
        """The apt sources the image gets: the suite, its updates and its security updates."""
        comps = " ".join(self.components)
        return [f"deb {self.mirror} {self.suite} {comps}", f"deb {self.mirror} {self.suite}-updates {comps}",
                f"deb {self.security_mirror} {self.suite}-security {comps}"]

    def mmdebstrap_args(self) -> list[str]:
        """The mmdebstrap command line (writing the image's tar to stdout)."""
        args = ["mmdebstrap", f"--variant={self.variant}", f"--hook-dir={MERGED_USR_HOOKS}"]
        if self.include:
            args.append("--include=" + ",".join(self.include))
        args += [f"--dpkgopt=path-exclude={p}" for p in self.path_exclude]
        args += [f"--dpkgopt=path-include={p}" for p in self.path_include]
        args += [f"--aptopt={o}" for o in self.apt_options]
        args.append(f"--customize-hook={self.cleanup}")
        return args + [self.suite, "-"] + self.sources()

    def changes(self) -> list[str]:
        """The Dockerfile-like instructions the import applies (CMD, ENV), labels aside."""
        return [f"ENV {e}" for e in self.env] + [f"CMD {json.dumps(list(self.cmd))}"]

    @property
    def hash(self) -> str:
        """sha256 of the command line and import changes: equal recipes give equal hashes on any machine."""
        canonical = json.dumps({"format": RECIPE_FORMAT, "mmdebstrap": self.mmdebstrap_args(),
                                "changes": self.changes()}, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def labels(self) -> dict[str, str]:
        """Only the recipe: a kit or role label here would be inherited by every image and build step FROM it."""
        return {RECIPE_LABEL: self.hash}

    def cli(self, tag: str) -> docker_cli.CliCommand:
        """The shell pipeline this recipe stands for: `mmdebstrap … | docker import … - tag`."""
        label = " ".join(f"{k}={v}" for k, v in self.labels().items())
        changes = self.changes() + [f"LABEL {label}"]
        imp = ["docker", "import"] + [a for c in changes for a in ("--change", c)] + ["-", tag]
        return docker_cli.CliCommand(docker_cli.join(self.mmdebstrap_args()) + " | " + docker_cli.join(imp))


BOOKWORM_SLIM = BaseRecipe()
#: base images the kit knows how to build without a registry
RECIPES: dict[str, BaseRecipe] = {"debian:bookworm-slim": BOOKWORM_SLIM}


def recipe_for(ref: str) -> BaseRecipe | None:
    """The kit's local recipe for a base image ('debian:bookworm-slim'), or None when it has none."""
    return RECIPES.get(ref) or RECIPES.get(ref.removeprefix("docker.io/").removeprefix("library/"))


@dataclass
class BaseBuild:
    """A base image the kit built: its tag, id, size, how long it took, and the recipe's hash."""

    tag: str
    id: str
    size: int
    seconds: float
    bytes_imported: int
    recipe_hash: str
    cli: docker_cli.CliCommand
    replaced: str | None = None
    log_tail: list[str] = field(default_factory=list)

    @property
    def size_mb(self) -> float:
        return self.size / 1e6


def ensure_mmdebstrap(progress: Progress | None = None) -> str:
    """The path of mmdebstrap, installing it with apt when missing (root on Debian); else a clear error."""
    found = shutil.which("mmdebstrap")
    if found:
        return found
    hint = ("Install it (`sudo apt-get install mmdebstrap` on Debian or Ubuntu) and run prepare again, "
            "or use a machine that reaches Docker Hub, where `prepare` pulls the official image.")
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise DockerlabError("No registry answers, and building the base image locally needs mmdebstrap, "
                             "which is not installed.", hint)
    (progress or NullProgress()).phase(_("installing mmdebstrap"))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "--no-install-recommends", "mmdebstrap"]
    done = subprocess.run(install, env=env, capture_output=True, text=True)
    if done.returncode != 0:  # a fresh machine may have no package lists yet
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, text=True)
        done = subprocess.run(install, env=env, capture_output=True, text=True)
    found = shutil.which("mmdebstrap")
    if done.returncode != 0 or not found:
        raise DockerlabError("Installing mmdebstrap with apt-get failed.", hint,
                             details=(done.stderr or done.stdout).strip().splitlines()[-6:])
    return found


def _bootstrap_step(line: str) -> int | None:
    low = line.lower()
    for i, step in enumerate(_BOOTSTRAP_STEPS):
        if step in low:
            return i
    return None


def build_base(tag: str = "debian:bookworm-slim", recipe: BaseRecipe | None = None, *,
               progress: Progress | None = None, client: docker.DockerClient | None = None,
               chunk: int = 1 << 20) -> BaseBuild:
    """Bootstrap Debian with mmdebstrap and import it as ``tag`` (like `mmdebstrap … | docker import - tag`).

    The tag moves to the new image only once mmdebstrap has succeeded, so a failed build leaves the
    engine as it was. A previous kit-built image the tag pointed to is removed when nothing uses it.
    """
    recipe = recipe or recipe_for(tag) or BOOKWORM_SLIM
    progress = progress or NullProgress()
    client = client or connect()
    repo, version = parse_repository_tag(tag)
    version = version or "latest"
    ensure_mmdebstrap(progress)
    if not os.path.isdir(MERGED_USR_HOOKS):
        raise DockerlabError(f"This mmdebstrap has no merged-usr hooks ({MERGED_USR_HOOKS}): it is too old.",
                             "Install mmdebstrap 1.0 or newer (Debian 12 has 1.3).")
    with translated(f"looking for the image {tag}"):
        try:
            old: str | None = client.api.inspect_image(tag)["Id"]
        except docker.errors.ImageNotFound:
            old = None
    started = time.monotonic()
    progress.phase(_("bootstrapping Debian"))
    progress.update(f"mmdebstrap {recipe.suite} ({recipe.variant})", 0, len(_BOOTSTRAP_STEPS))
    tail: collections.deque[str] = collections.deque(maxlen=15)
    proc = subprocess.Popen(recipe.mmdebstrap_args(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, LC_ALL="C.UTF-8"))
    assert proc.stdout is not None and proc.stderr is not None
    stderr = proc.stderr

    def read_stderr() -> None:
        for raw in stderr:
            line = raw.decode(errors="replace").rstrip()
            tail.append(line)
            step = _bootstrap_step(line)
            if step is not None and step < len(_BOOTSTRAP_STEPS) - 1:
                progress.update(_(_BOOTSTRAP_STEPS[step]), step + 1, len(_BOOTSTRAP_STEPS))

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    imported = 0
    image_id: str | None = None
    try:
        first = proc.stdout.read(chunk)  # mmdebstrap writes the tar only at its end
        if first:
            progress.phase(_("importing"))

            def body() -> Iterator[bytes]:
                nonlocal imported
                block = first
                while block:
                    imported += len(block)
                    progress.update(_("{size:.1f} MB imported").format(size=imported / 1e6), imported, None)
                    yield block
                    block = proc.stdout.read(chunk)  # type: ignore[union-attr]

            changes = recipe.changes() + ["LABEL " + " ".join(f"{k}={v}" for k, v in recipe.labels().items())]
            api = client.api  # `docker import -`, with a timeout for this request only (others use the client too)
            answer = api._result(api._post(api._url("/images/create"), data=body(), timeout=600,
                                           params={"repo": None, "tag": None, "fromSrc": "-", "changes": changes},
                                           headers={"Content-Type": "application/tar", "Transfer-Encoding": "chunked"}))
            status = json.loads(str(answer).strip().splitlines()[-1]).get("status", "")
            image_id = status if status.startswith("sha256:") else None
        rc = proc.wait()
        reader.join(timeout=5)
        if rc != 0 or image_id is None:
            raise BuildFailed(f"Building the base image {tag} with mmdebstrap failed (exit code {rc}).",
                              "Read mmdebstrap's last lines above: it needs to reach the Debian mirror "
                              f"({recipe.mirror}) and, run without root, user namespaces; fix that (network, "
                              "proxy, or run as root), then run prepare again.",
                              step="mmdebstrap", log_tail=list(tail))
        progress.phase(_("tagging"))
        with translated(f"tagging the new base image as {tag}"):
            client.api.tag(image_id, repo, version, force=True)
    except BaseException as exc:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)
        if image_id is not None:  # imported but never tagged: leave nothing behind
            _remove_quietly(client, image_id)
        if isinstance(exc, (docker.errors.DockerException, requests.exceptions.RequestException)):
            raise BuildFailed(f"Importing the base image {tag} into the engine failed: {from_exception(exc).what}",
                              "Check the engine's free disk space (`python -m dockerlab doctor`), then run "
                              "prepare again.", step="import", log_tail=list(tail)) from exc
        raise
    finally:
        proc.stdout.close()
    replaced = None
    if old and old != image_id and _is_kit_base(client, old) and _remove_quietly(client, old):
        replaced = old
    with translated(f"reading the image {tag}"):
        size = int(client.api.inspect_image(image_id)["Size"])
    return BaseBuild(tag=f"{repo}:{version}", id=image_id, size=size, seconds=round(time.monotonic() - started, 1),
                     bytes_imported=imported, recipe_hash=recipe.hash, cli=recipe.cli(f"{repo}:{version}"),
                     replaced=replaced, log_tail=list(tail))


def _is_kit_base(client: docker.DockerClient, image_id: str) -> bool:
    try:
        attrs = client.api.inspect_image(image_id)
    except docker.errors.DockerException:
        return False
    labels = (attrs.get("Config") or {}).get("Labels") or {}
    return built_base_recipe(labels) is not None and not attrs.get("RepoTags")


def _remove_quietly(client: docker.DockerClient, image_id: str) -> bool:
    """Remove an untagged image the kit made; False when something still uses it (then it stays)."""
    try:
        client.api.remove_image(image_id, noprune=False)
        return True
    except docker.errors.DockerException:
        return False


def _answers(url: str, timeout: float) -> bool:
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 (registry /v2/ endpoints)
        return True
    except urllib.error.HTTPError:
        return True  # 401 Unauthorized is a registry answering
    except Exception:
        return False


def registry_answers(ref: str, client: docker.DockerClient | None = None, timeout: float = 3.0) -> bool:
    """Does a registry that serves ``ref`` answer from here (the engine's mirrors count), within ``timeout``?"""
    repo, _tag = parse_repository_tag(ref)
    index, _name = resolve_repository_name(repo)
    if index in (INDEX_NAME, "index.docker.io", "docker.io"):
        urls = ["https://registry-1.docker.io/v2/"]
        try:
            mirrors = ((client or connect()).info().get("RegistryConfig") or {}).get("Mirrors") or []
            urls = [m.rstrip("/") + "/v2/" for m in mirrors] + urls
        except Exception:  # noqa: BLE001 - no mirrors known is fine
            pass
    else:
        urls = [f"https://{index}/v2/", f"http://{index}/v2/"]
    result: list[bool] = []

    def probe() -> None:
        result.append(any(_answers(u, timeout) for u in urls))

    worker = threading.Thread(target=probe, daemon=True)  # DNS look-ups ignore urllib's timeout
    worker.start()
    worker.join(timeout * len(urls) + 1)
    return bool(result and result[0])


def pull(ref: str, *, progress: Progress | None = None, client: docker.DockerClient | None = None,
         stall_timeout: float = 30) -> str:
    """Pull ``ref`` (like `docker pull`), showing bytes downloaded; gives up when the registry is silent for
    ``stall_timeout`` seconds. Returns the image id."""
    progress = progress or NullProgress()
    client = client or connect()
    repo, version = parse_repository_tag(ref)
    progress.phase(_("pulling {image}").format(image=ref))
    layers: dict[str, tuple[int, int]] = {}
    api = client.api
    try:
        # `docker pull`, silent for at most stall_timeout s: a timeout for this request only (the shared client's
        # stays as it is: other threads use it)
        response = api._post(api._url("/images/create"), params={"fromImage": repo, "tag": version or "latest"},
                             stream=True, timeout=stall_timeout)
        api._raise_for_status(response)
        for msg in api._stream_helper(response, decode=True):
            err = stream_error(msg)
            if err is not None:
                raise ImageMissing(f"Pulling {ref} failed: {err}", _missing_hint(ref))
            detail = msg.get("progressDetail") or {}
            if msg.get("id") and detail.get("total"):
                layers[msg["id"]] = (int(detail.get("current", 0)), int(detail["total"]))
                done, total = sum(c for c, _t in layers.values()), sum(t for _c, t in layers.values())
                progress.update(_("{done:.1f} of {total:.1f} MB").format(done=done / 1e6, total=total / 1e6),
                                done, total)
    except DockerlabError:
        raise
    except (requests.exceptions.RequestException, docker.errors.DockerException) as exc:
        raise ImageMissing(f"Pulling {ref} failed: {from_exception(exc).what}", _missing_hint(ref)) from exc
    with translated(f"reading the image {ref}"):
        return str(api.inspect_image(ref)["Id"])


def _missing_hint(ref: str) -> str:
    return (f"Check the image name {ref!r} in the Dockerfile's FROM line; if it is right, run prepare on a "
            f"machine that reaches its registry and copy it here (`docker save {ref} | docker load`).")


def labels_of(ref: str, client: docker.DockerClient) -> Mapping[str, str] | None:
    """The image's labels ({} when it has none), or None when the engine has no such image."""
    try:
        attrs = client.api.inspect_image(ref)
    except docker.errors.ImageNotFound:
        return None
    except Exception as exc:  # noqa: BLE001
        raise from_exception(exc, f"looking for the image {ref}") from exc
    return dict((attrs.get("Config") or {}).get("Labels") or {})
