"""Images: build from a folder or a Dockerfile string with the log streamed live, each step's
cache hit or miss recorded; tags, history, remove.

docker-py's ``images.build`` returns only at the end, so the kit streams the low-level
``api.build(decode=True)`` and watches both ``error`` and ``errorDetail``.
"""

from __future__ import annotations

import builtins
import io
import os
import re
import tarfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docker
import docker.errors
from docker.models.images import Image
from docker.utils.build import exclude_paths

from . import docker_cli
from .engine import connect
from .errors import BadInput, BuildFailed, DiskFull, ImageMissing, from_exception, translated
from .image_info import ImageInfo
from .labels import image_repo, kit_labels

__all__ = ["BuildStep", "BuildResult", "build", "history", "tag", "remove", "exists", "inspect", "list", "host_ca_bundle",
           "image_repo_tag"]

HOST_CA_PATHS = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt")
#: where the course's Dockerfiles expect the host's CA bundle in their build context
CA_CONTEXT_PATH = "certs/host-ca.crt"

# Docker: "Step 2/5 : RUN make"; Podman: "STEP 2/5: RUN make", multi-stage "[1/2] STEP 2/5: …" (numbered per stage)
_STEP_RE = re.compile(r"^(\[\d+/\d+\] )?(?:Step|STEP) (\d+)/(\d+)\s?: ?(.*)$")
#: a label the kit passed through the API, which both builders turn into a step of their own at the end
_KIT_LABEL_STEP = re.compile(r'^LABEL "?org\.dockerlab\.')
_CACHE_RE = re.compile(r"^\s*-+> Using cache")


@dataclass
class BuildStep:
    """One Dockerfile instruction as the builder ran it."""

    number: int
    total: int
    instruction: str
    cached: bool = False
    seconds: float = 0.0
    output: list[str] = field(default_factory=list)
    failed: bool = False

    @property
    def label(self) -> str:
        return f"Step {self.number}/{self.total} : {self.instruction}"


@dataclass
class BuildResult:
    """What a build did: the image, its steps (cache hits and misses), the log and the time."""

    tag: str
    image: Image | None
    steps: list[BuildStep]
    log: list[str]
    seconds: float
    cli: docker_cli.CliCommand
    error: str | None = None

    @property
    def id(self) -> str:
        return self.image.id if self.image is not None else ""

    @property
    def cached_steps(self) -> list[int]:
        return [s.number for s in self.steps if s.cached]

    @property
    def rebuilt_steps(self) -> list[int]:
        return [s.number for s in self.steps if not s.cached and not s.instruction.upper().startswith("FROM")]

    @property
    def fully_cached(self) -> bool:
        return not self.rebuilt_steps


def host_ca_bundle() -> Path | None:
    """The host's CA bundle (the one SSL_CERT_FILE / REQUESTS_CA_BUNDLE name, else the system's)."""
    for env in ("DOCKERLAB_CA_BUNDLE", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "PIP_CERT"):
        value = os.environ.get(env)
        if value and Path(value).is_file():
            return Path(value)
    for path in HOST_CA_PATHS:
        if Path(path).is_file():
            return Path(path)
    return None


def _want_host_ca(trust_host_ca: bool | None) -> Path | None:
    """None means "auto": trust the host's bundle whenever it has one (DOCKERLAB_TRUST_HOST_CA=0 turns it off).

    The course's Dockerfiles use it in build stages only, so the final image never holds it; on a network that
    re-signs HTTPS (corporate proxies, these labs) it is what lets `npm ci` inside a build reach the registry.
    """
    if trust_host_ca is False:
        return None
    if trust_host_ca is None and os.environ.get("DOCKERLAB_TRUST_HOST_CA", "auto") == "0":
        return None
    return host_ca_bundle()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def _context_tar(path: Path | None, dockerfile: str | None, files: Mapping[str, str | bytes],
                 ca: Path | None) -> io.BytesIO:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        if path is not None:
            ignore = path / ".dockerignore"
            excludes = [line.strip() for line in ignore.read_text().splitlines()
                        if line.strip() and not line.startswith("#")] if ignore.exists() else []
            for rel in sorted(exclude_paths(str(path), excludes)):
                if rel == CA_CONTEXT_PATH:
                    continue
                info = tar.gettarinfo(str(path / rel), arcname=rel)
                info.mtime = 0  # identical content → identical cache key, whatever the checkout time
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                if info.isfile():
                    with open(path / rel, "rb") as fh:
                        tar.addfile(info, fh)
                else:
                    tar.addfile(info)
        if dockerfile is not None:
            _add_bytes(tar, "Dockerfile", dockerfile.encode())
        for rel, content in files.items():
            _add_bytes(tar, rel, content.encode() if isinstance(content, str) else content)
        if ca is not None:
            _add_bytes(tar, CA_CONTEXT_PATH, ca.read_bytes())
    buf.seek(0)
    return buf


def resolve(ref: str, client: docker.DockerClient) -> str:
    """A learner's short tag ('hello:v1') means their own image ('alice/hello:v1') when it exists."""
    if "/" in ref or "@" in ref:
        return ref
    try:
        mine = image_repo_tag(image_repo(ref.split(":")[0]) + (":" + ref.split(":", 1)[1] if ":" in ref else ""))
        client.images.get(mine)
        return mine
    except Exception:
        return ref


def image_repo_tag(tag: str) -> str:
    if not isinstance(tag, str) or not re.match(
            r"^(?:[a-z0-9.-]+:\d+/)?[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_.-]{1,128})?$", tag):  # [registry:port/]repo[:tag]
        raise BadInput(f"{tag!r} is not a valid image tag.", "Use lowercase like 'alice/hello:v1'.")
    return tag if ":" in tag.rsplit("/", 1)[-1] else f"{tag}:latest"


def build(tag: str, path: str | os.PathLike[str] | None = None, *, dockerfile: str | None = None,
          files: Mapping[str, str | bytes] | None = None, chapter: str | None = None, role: str | None = None,
          buildargs: Mapping[str, str] | None = None, target: str | None = None, nocache: bool = False,
          trust_host_ca: bool | None = None, labels: Mapping[str, str] | None = None,
          on_line: Callable[[str], None] | None = None, on_step: Callable[[BuildStep], None] | None = None,
          client: docker.DockerClient | None = None, timeout: int = 1800) -> BuildResult:
    """Build an image (like `docker build -t tag path`), streaming the log; raises BuildFailed with the step.

    ``dockerfile`` is the Dockerfile's text (with ``files`` as the rest of the context) or, with ``path``,
    its text replaces ``path/Dockerfile``. ``trust_host_ca`` puts the host's CA bundle in the build
    context as ``certs/host-ca.crt`` for build stages (never copied to the final image by the course's Dockerfiles).
    """
    if isinstance(tag, str) and "/" not in tag and role != "course":
        repo, sep, version = tag.partition(":")
        tag = image_repo(repo) + sep + version
    tag = image_repo_tag(tag)
    context: Path | None = None
    if path is not None:
        context = Path(path).expanduser()
        if not context.is_dir():
            raise BuildFailed(f"The build context {context} does not exist (or is not a folder).",
                              "Pass the folder that holds the Dockerfile, e.g. 'images/hello'.",
                              step="build context")
        if dockerfile is None and not (context / "Dockerfile").is_file():
            raise BuildFailed(f"There is no Dockerfile in {context}.", "Add one, or pass dockerfile='FROM …'.",
                              step="build context")
    elif dockerfile is None:
        raise BadInput("build needs a folder (path=…) or a Dockerfile text (dockerfile=…).")
    if dockerfile is not None and (not isinstance(dockerfile, str) or not dockerfile.strip()):
        raise BuildFailed("The Dockerfile is empty: there is nothing to build.",
                          "Start it with a FROM line, e.g. 'FROM debian:bookworm-slim'.", step="Dockerfile")
    client = client or connect()
    # role "learner" by default: an image built FROM a course image would otherwise inherit role=course,
    # and reset (which keeps course images) would leave it behind
    # course images are shared by all chapters: no chapter label, or their ID would depend on which chapter built them
    all_labels = kit_labels(chapter if role != "course" else "", role=role or "learner", session=role != "course",
                            extra=dict(labels or {}))
    ca = _want_host_ca(trust_host_ca)
    cli = docker_cli.build_command(tag, str(path) if path is not None else "-", target=target, buildargs=buildargs,
                                 nocache=nocache, labels={"org.dockerlab.kit": "1"})
    tar = _context_tar(context, dockerfile, files or {}, ca)
    steps: list[BuildStep] = []
    log: list[str] = []
    started = time.monotonic()
    step_started = started
    image_id: str | None = None
    error: str | None = None
    # Docker's builder turns each label passed through the API into one more "LABEL …" step at the end:
    # kit plumbing, not the learner's Dockerfile. Those steps are left out, and left out of "Step n/total".
    plumbing = sum(1 for key in all_labels if key.startswith("org.dockerlab."))
    open_step = in_plumbing = staged = False

    def close_step() -> None:
        nonlocal open_step
        if steps and open_step:
            steps[-1].seconds = round(time.monotonic() - step_started, 3)
            if on_step:
                on_step(steps[-1])
        open_step = False

    api = client.api  # the build's own HTTP timeout: the shared client's is not touched (other threads use it)
    stream = None
    read_to_the_end = False
    try:
        stream = api.build(fileobj=tar, custom_context=True, tag=tag, rm=True, forcerm=True, decode=True,
                           labels=all_labels, buildargs=dict(buildargs or {}), target=target, nocache=nocache,
                           timeout=timeout)
        for chunk in stream:
            if "error" in chunk or "errorDetail" in chunk:
                error = (chunk.get("errorDetail") or {}).get("message") or chunk.get("error") or "build failed"
                break
            if "aux" in chunk and isinstance(chunk["aux"], dict) and chunk["aux"].get("ID"):
                image_id = chunk["aux"]["ID"]
            text = chunk.get("stream")
            if not text:
                continue
            for line in text.rstrip("\n").split("\n"):
                line = line.rstrip("\r")
                if not line.strip():
                    continue
                log.append(line)
                if on_line:
                    on_line(line)
                m = _STEP_RE.match(line.strip())
                if m:
                    close_step()
                    step_started = time.monotonic()
                    instruction = m.group(4).strip()
                    in_plumbing = bool(_KIT_LABEL_STEP.match(instruction))
                    if not in_plumbing:
                        number, total = int(m.group(2)), int(m.group(3)) - plumbing
                        if m.group(1):  # Podman's stages count from 1 each: number the steps through the build
                            staged = True
                            number, total = len(steps) + 1, len(steps) + 1
                        steps.append(BuildStep(number, max(total, number), instruction))
                        open_step = True
                elif line.startswith(("Removing intermediate container", "Successfully ", "COMMIT ")):
                    pass
                elif re.fullmatch(r"[0-9a-f]{64}", line.strip()):  # Podman ends with the bare image id
                    image_id = image_id or line.strip()
                elif in_plumbing:
                    pass
                elif _CACHE_RE.match(line) and steps:
                    steps[-1].cached = True
                elif steps and not line.startswith((" ---> ", "--> ")):
                    steps[-1].output.append(line)
                ms = re.match(r"^Successfully built ([0-9a-f]+)", line)
                if ms and not image_id:
                    image_id = ms.group(1)
        read_to_the_end = True  # or to the engine's error: either way the engine's build is over
        close_step()
        if staged:
            for step in steps:
                step.total = len(steps)
    except docker.errors.APIError as exc:
        error = str(exc.explanation or exc)
    except Exception as exc:
        raise from_exception(exc, f"building {tag}", client=client) from exc
    finally:
        if stream is not None and not read_to_the_end:
            _abandon(stream)  # Ctrl-C (or on_line raising) mid-build: the engine must stop building too
    seconds = round(time.monotonic() - started, 3)
    if error is not None:
        failed = steps[-1] if steps else None
        if failed:
            failed.failed = True
        m = re.search(r"line (\d+)", error)
        where = failed.label if failed else (f"Dockerfile line {m.group(1)}" if m else "the Dockerfile")
        raise BuildFailed(f"Building {tag} failed at {where}: {error.strip()}",
                          _hint_for(error, log[-12:]), step=where, log_tail=log[-12:])
    with translated(f"reading the image {tag}", client):
        image = client.images.get(image_id or tag)
    return BuildResult(tag=tag, image=image, steps=steps, log=log, seconds=seconds, cli=cli)


def _abandon(stream: object) -> None:
    """Stop reading a build stream and close its HTTP response, so the engine cancels the build.

    Closing the generator alone is not enough: its response stays open as long as anything (such as
    the traceback IPython keeps after a Ctrl-C) holds the frame, and the engine builds on to the end.
    """
    frame = getattr(stream, "gi_frame", None)
    response = frame.f_locals.get("response") if frame is not None else None
    for close in (getattr(stream, "close", None), getattr(response, "close", None)):
        try:
            if close is not None:
                close()
        except Exception:  # best effort: we are already on the way out with the learner's exception
            pass


def _hint_for(error: str, log_tail: Sequence[str] = ()) -> str:
    low = error.lower()
    if "no space left on device" in (low + " ".join(log_tail).lower()):  # the step failed because the disk is full
        return "The engine's disk is full. " + DiskFull.default_hint
    if "unknown instruction" in low:
        return "Check the spelling of the instruction on that line (FROM, RUN, COPY, CMD, …)."
    if "returned a non-zero code" in low:
        return "The command in that RUN step failed: read its output above, fix it and build again."
    if "pull access denied" in low or "not found" in low and "manifest" in low or "no such host" in low \
            or "failed to resolve" in low or "dial tcp" in low:
        return ("The base image is not on this engine and no registry gives it: run `python -m dockerlab prepare` "
                "for the course's base images, or build the base image first.")
    if "no source files" in low or "no such file" in low or "not found" in low:
        return "A file named in COPY/ADD is not in the build context: check the path and .dockerignore."
    return "Fix the Dockerfile line named above and build again; the last log lines show why it failed."


def exists(ref: str, client: docker.DockerClient | None = None) -> bool:
    client = client or connect()
    try:
        with translated(f"looking for image {ref}", client):
            client.images.get(ref)
        return True
    except ImageMissing:
        return False


def get(ref: str, client: docker.DockerClient | None = None) -> Image:
    client = client or connect()
    with translated(f"looking for image {ref}", client):
        return client.images.get(ref)


def get_resolved(ref: str, client: docker.DockerClient | None = None) -> Image:
    client = client or connect()
    return get(resolve(ref, client), client)


def history(ref: str, client: docker.DockerClient | None = None) -> list[dict]:
    """The image's layers, newest first, as `docker history` lists them."""
    with translated(f"reading the history of {ref}", client):
        return get_resolved(ref, client).history()


def tag(ref: str, new_tag: str, client: docker.DockerClient | None = None) -> docker_cli.CliCommand:
    """Give an image another name (like `docker tag`); short names mean the learner's own, as in build()."""
    client = client or connect()
    ref = resolve(ref, client)
    new_tag = image_repo_tag(new_tag if "/" in new_tag else image_repo(new_tag.split(":")[0])
                             + (":" + new_tag.split(":", 1)[1] if ":" in new_tag else ""))
    repo, _, version = new_tag.rpartition(":")
    with translated(f"tagging {ref} as {new_tag}", client):
        get(ref, client).tag(repo, version)
    return docker_cli.simple("tag", ref, new_tag)


def remove(ref: str, client: docker.DockerClient | None = None, *, force: bool = False) -> None:
    client = client or connect()
    try:
        client.images.remove(ref, force=force)
    except docker.errors.ImageNotFound:
        pass
    except Exception as exc:
        raise from_exception(exc, f"removing image {ref}", client=client) from exc


def inspect(ref: str, client: docker.DockerClient | None = None) -> ImageInfo:
    """The image ``ref`` (your short tag or any name) as the engine describes it: `docker image inspect`."""
    return ImageInfo(get_resolved(ref, client))


def list(name: str | None = None, client: docker.DockerClient | None = None) -> builtins.list[ImageInfo]:  # noqa: A001
    """The images of repository ``name`` (your short name, e.g. 'greeter', means your own), or all: `docker images`."""
    client = client or connect()
    repo = image_repo(name) if name and "/" not in name and ":" not in name else name
    with translated("listing images", client):
        return [ImageInfo(i) for i in client.images.list(name=repo)]
