"""Building an image the way `docker build` does, with the log read as it streams (see :mod:`dockerlab.streams`).

Everything a build makes belongs to the learner: the image carries the kit's labels, and what a multi-stage
(or a failed) build leaves besides it — each earlier stage's image, the last image a failed build made — gets
a small labelled child (``org.dockerlab.role=stage``), so ``reset`` removes it with the rest and ``leaks()``
sees it, while it stays the next build's cache until then. Every step's container runs with a memory limit
and, where the engine allows, a pids limit (:mod:`dockerlab.limits`). The `docker build` line in ``.cli``
makes the same image.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import docker
import docker.errors
from docker.models.images import Image

from . import buildcontext, docker_cli, hostca, limits, refs
from .engine import connect
from .errors import BadInput, BuildFailed, DiskFull, DockerlabError, from_exception, translated
from .i18n import _
from .labels import CHAPTER, KIT, ROLE, SESSION, current_chapter, kit_labels, session_id
from .podman import is_podman, with_kit_label_line
from .streams import BuildStep, BuildStream

__all__ = ["BuildResult", "BuildStep", "build", "STAGE_OF", "shown_output", "offline_line", "reset_hook"]

#: label on a build's leftover stage images (their labelled child): the image they were built for
STAGE_OF = "org.dockerlab.stage-of"
#: how many lines of the failing step's output the error message shows (all of them are in ``err.output``)
SHOWN_LINES = 30
#: Podman's words for a RUN step whose command failed (Docker: "The command '…' returned a non-zero code: N")
_PODMAN_RUN_FAILED = re.compile(r'^building at STEP "(?P<step>[^"]*)": while running runtime: exit status (?P<code>\d+)$')
_ERRORISH = re.compile(r"(?i)(\berror\b|\bfatal\b|\bfailed\b|denied|not found|no such|cannot|can't|\bE: |ERR!)")
#: what a download in a RUN step says when the network is out of reach: apt, pip, npm, curl and wget's words
_OFFLINE = re.compile(r"(?i)(temporary failure resolving|could not resolve|could not connect to|unable to connect to|"
                      r"failed to establish a new connection|name or service not known|network is unreachable|"
                      r"EAI_AGAIN|getaddrinfo ENOTFOUND|unable to resolve host|connection timed out)")


@dataclass
class BuildResult:
    """What a build did: the image, its steps (cache hits and misses), the log, the time, the `docker build` line."""

    tag: str
    image: Image | None
    steps: list[BuildStep]
    log: list[str]
    seconds: float
    cli: docker_cli.CliCommand
    error: str | None = None
    stage_images: list[str] = field(default_factory=list)
    limits: dict[str, Any] = field(default_factory=dict)
    context: str = ""

    @property
    def id(self) -> str:
        return self.image.id if self.image is not None else ""

    @property
    def cached_steps(self) -> list[int]:
        return [s.number for s in self.steps if s.cached]

    @property
    def rebuilt_steps(self) -> list[int]:
        return [s.number for s in self.steps if not s.cached and not s.is_from]

    @property
    def fully_cached(self) -> bool:
        return not self.rebuilt_steps


def shown_output(output: list[str], limit: int = SHOWN_LINES) -> list[str]:
    """The failing step's output as the error shows it: all of it when short, else the lines that look like the
    cause (error, failed, denied, not found…) from earlier on, then its last lines."""
    if len(output) <= limit:
        return list(output)
    tail = output[-(limit - 6):]
    earlier = [line for line in output[:-(limit - 6)] if _ERRORISH.search(line)][:5]
    skipped = len(output) - len(tail) - len(earlier)
    return earlier + [_("… {count} more line(s): err.output has the whole output").format(count=skipped)] + tail


def offline_line(output: list[str]) -> str | None:
    """The line of a failed step's output that says a download could not reach its server (a package mirror, PyPI,
    npm: the machine is offline, or the address is wrong); None when no line says so."""
    return next((line.strip() for line in output if _OFFLINE.search(line)), None)


def in_dockers_words(error: str) -> str:
    """A build error the way Docker says it: Podman's ``building at STEP "RUN …": while running runtime: exit status
    7`` becomes ``The command '…' returned a non-zero code: 7``, so the hints read one wording."""
    m = _PODMAN_RUN_FAILED.match(error.strip())
    if not m:
        return error
    command = m.group("step").removeprefix("RUN ").strip()
    return f"The command '{command}' returned a non-zero code: {m.group('code')}"


def _hint_for(error: str, output: list[str], limits_used: Mapping[str, Any]) -> str:
    low = error.lower()
    text = "\n".join(output).lower()
    if "no space left on device" in low + text:  # the step failed because the engine's disk is full
        return _("The engine's disk is full. ") + _(DiskFull.default_hint)
    if "unknown instruction" in low:
        return _("Check the spelling of the instruction on that line (FROM, RUN, COPY, CMD, …).")
    if "returned a non-zero code" in low:
        if "cannot fork" in text or "fork: retry" in text or "resource temporarily unavailable" in text:
            return _("The step started more processes than a build step may ({pids} at once): look for a loop that "
                     "starts programs without waiting for them.").format(pids=limits_used.get("pids"))
        if low.rstrip().endswith("code: 137"):
            return _("The step was killed, most likely for using more than the build's memory limit ({memory}): "
                     "build with mem_limit='4g', or make the step use less.").format(memory=limits_used.get("memory"))
        if offline_line(output):
            return _("That step downloads from a server (a package mirror, PyPI, npm…) the engine cannot reach from "
                     "here. If the address is right, check this machine's network (in a class without one, ask your "
                     "teacher), then build again.")
        if "permission denied" in text:
            return _("A program or script in that RUN step may not be executed: give it the executable mode "
                     "(`chmod +x` in git, `RUN chmod +x …`, or files={'x.sh': (text, 0o755)}).")
        if not output:
            return _("The command in that RUN step failed without printing anything: run it by hand in a container "
                     "of the image before it (`docker run --rm -it <image> sh`) to see why.")
        return _("The command in that RUN step failed: its output is just above. Fix the cause and build again.")
    if "pull access denied" in low or ("not found" in low and "manifest" in low) or "no such host" in low \
            or "failed to resolve" in low or "dial tcp" in low:
        return _("The base image is not on this engine and no registry gives it: run `python -m dockerlab prepare` "
                 "for the course's base images, or build the base image first.")
    if "no source files" in low or "no such file" in low or "not found" in low:
        return _("A file named in COPY/ADD is not in the build context: check the path and .dockerignore.")
    return _(BuildFailed.default_hint)


def _start(api: Any, context: Any, params: dict[str, Any], timeout: int) -> tuple[Any, Any]:
    """POST /build (what docker-py's ``api.build`` does, plus the parameters it has no keyword for)."""
    headers = {"Content-Type": "application/tar"}
    api._set_auth_headers(headers)
    response = api._post(api._url("/build"), data=context, params=params, headers=headers, stream=True,
                         timeout=timeout)
    return response, api._stream_helper(response, decode=True)


def _close(response: Any, chunks: Any) -> None:
    """Stop reading a build and close its HTTP response, so the engine cancels the build (Ctrl-C, a callback
    raising). Closing the generator alone is not enough while something holds its frame (a traceback)."""
    for close in (getattr(chunks, "close", None), getattr(response, "close", None)):
        try:
            if close is not None:
                close()
        except Exception:  # noqa: BLE001 - on the way out with the learner's exception already
            pass


def _adopt(client: docker.DockerClient, leftovers: list[str], keep: str, tag: str,
           labels: Mapping[str, str], memory: int) -> list[str]:
    """Give each untagged image this build left besides ``keep`` a labelled child (see the module's text);
    then remove the learner's leftovers of earlier builds of ``tag`` that this one no longer uses."""
    if not leftovers:  # a one-stage build (the usual case) leaves nothing: no engine call at all
        return []
    api = client.api
    stage_labels = {k: v for k, v in labels.items() if k in (KIT, SESSION, CHAPTER)}
    stage_labels.update({ROLE: "course-stage" if labels.get(ROLE) == "course" else "stage", STAGE_OF: tag})
    label_line = " ".join(f"{k}={json.dumps(v)}" for k, v in sorted(stage_labels.items()))
    adopted: list[str] = []
    for short in dict.fromkeys(leftovers):
        try:
            attrs = api.inspect_image(short)
        except docker.errors.ImageNotFound:
            continue
        if attrs.get("RepoTags") or (keep and attrs["Id"] in (keep, f"sha256:{keep}")):
            continue  # a named image (a base, a course image) or the build's own result
        dockerfile = f"FROM {attrs['Id']}\nLABEL {label_line}\n"
        adopted += [c for c in _quiet_build(api, dockerfile, memory)]
    wanted = [f"{KIT}", f"{STAGE_OF}={tag}", f"{ROLE}={stage_labels[ROLE]}"]
    if SESSION in stage_labels:
        wanted.append(f"{SESSION}={stage_labels[SESSION]}")
    for old in api.images(filters={"label": wanted, "dangling": True}):
        if old["Id"] not in adopted:
            try:
                api.remove_image(old["Id"])  # and its untagged parents no other image uses
            except docker.errors.APIError:
                pass  # another build uses it right now: the next one cleans it
    return adopted


def _quiet_build(api: Any, dockerfile: str, memory: int) -> list[str]:
    """A FROM + LABEL build (its step containers are created, never started: still under the build's memory limit,
    like every container the kit makes)."""
    import io
    import tarfile

    data = dockerfile.encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    made: list[str] = []
    for chunk in api.build(fileobj=buf, custom_context=True, rm=True, forcerm=True, decode=True,
                           container_limits={"memory": memory, "memswap": memory}):
        aux = chunk.get("aux") if isinstance(chunk, dict) else None
        if isinstance(aux, dict) and aux.get("ID"):
            made.append(str(aux["ID"]))
    return made


#: the classic builder reused a cached layer that another session's reset removed while the build ran (two learners'
#: builds share the cache on one engine; removing an image also removes its untagged parents that no other image
#: has as parent yet): "failed to get digest sha256:…: open …/imagedb/content/sha256/…: no such file or directory",
#: or, when the next step commits on it, "failed to set parent sha256:…: unknown parent image ID sha256:…", or, when a
#: RUN step's cache probe reads the children of its parent image and one of them was just removed (the step had not
#: started: the log ends at its "Step N/M" line), 'unable to find image "sha256:…"'.
#: Transient: the same build again makes the layer anew — up to twice more (CI's busiest run met it twice in a row: the
#: same shared layer reused and removed again while other stages' resets ran).
BUILD_ATTEMPTS = 3
CACHE_LOST = re.compile(r"failed to get digest sha256:[0-9a-f]+|No such image: sha256:[0-9a-f]+"
                        r"|unknown parent image ID sha256:[0-9a-f]+|unable to find image \"sha256:[0-9a-f]+\"",
                        re.IGNORECASE)


def _stream_build(client: docker.DockerClient, tar: Any, params: dict[str, Any], timeout: int, stream: BuildStream,
                  tag: str, labels: Mapping[str, str], memory: int) -> None:
    """One build on the engine, its log fed to ``stream`` (an engine error ends up in ``stream.error``). On Ctrl-C or
    a callback raising, the engine's build is stopped, what it made is adopted, and the exception goes on."""
    response = chunks = None
    read_to_the_end = False
    try:
        response, chunks = _start(client.api, tar, params, timeout)
        for chunk in chunks:
            stream.feed(chunk)
            if stream.error is not None:
                break
        read_to_the_end = True  # or to the engine's error: either way the engine's build is over
        stream.close()
    except docker.errors.APIError as exc:
        stream.fail(str(exc.explanation or exc))
    except BaseException as exc:  # Ctrl-C or a callback raising: the engine stops; what it made is adopted
        _close(response, chunks)
        read_to_the_end = True
        _adopt_quietly(client, stream.stage_images + [s.image for s in stream.steps[-1:] if s.image], "", tag,
                       labels, memory)
        if isinstance(exc, DockerlabError) or not isinstance(exc, Exception):
            raise
        raise from_exception(exc, _("building {image}").format(image=tag), client=client) from exc
    finally:
        if not read_to_the_end:
            _close(response, chunks)


def build(tag: str, path: str | os.PathLike[str] | None = None, *, dockerfile: str | None = None,
          dockerfile_path: str | os.PathLike[str] | None = None,
          files: Mapping[str, buildcontext.FileContent] | None = None, chapter: str | None = None,
          role: str | None = None, buildargs: Mapping[str, str] | None = None, target: str | None = None,
          nocache: bool = False, trust_host_ca: bool | None = None, labels: Mapping[str, str] | None = None,
          mem_limit: str = limits.BUILD_MEMORY, pids_limit: int = limits.BUILD_PIDS,
          on_line: Callable[[str], None] | None = None, on_step: Callable[[BuildStep], None] | None = None,
          platform: str | None = None, client: docker.DockerClient | None = None,
          timeout: int = 1800, tag_as_given: bool = False) -> BuildResult:
    """Build an image (like `docker build -t tag path`), streaming the log; raises BuildFailed with the step's output.

    ``path`` is the context folder (``dockerfile_path``: a Dockerfile other than its ``Dockerfile``, like ``-f``);
    ``dockerfile`` is a Dockerfile's text instead (``files`` the rest of the context: text, bytes, a Path, or
    ``(content, mode)``). Build stages may take the host's CA bundle from ``dockerlab/host-ca:1.0`` (see
    :mod:`dockerlab.hostca`; ``trust_host_ca=False`` leaves it empty); a final stage that does is refused.
    ``platform`` ("linux/arm64") builds for another CPU architecture (`--platform`).
    ``tag_as_given``: the tag is a name another tool chose (Compose's ``<project>_<service>``), not the learner's.
    """
    tag = refs.valid(tag) if role == "course" or tag_as_given else refs.own(tag)  # as given: a name Compose chose
    if not isinstance(pids_limit, int) or isinstance(pids_limit, bool) or pids_limit <= 0:
        raise BadInput(_("pids_limit must be a whole number > 0, not {value}.").format(value=repr(pids_limit)),
                       _("Example: pids_limit=1024."))
    memory = limits.memory_bytes(mem_limit)
    session = session_id()
    context = buildcontext.prepare(tag, session, chapter if chapter is not None else current_chapter(), path=path,
                                   dockerfile=dockerfile, dockerfile_path=dockerfile_path, files=files)
    hostca.check_final_stage(context.text, target)
    client = client or connect()
    if hostca.uses_ca_image(context.text):
        hostca.ensure_ca_image(client, trust_host_ca)
    # role "learner" by default: an image built FROM a course image would otherwise inherit role=course, and
    # reset (which keeps course images) would leave it behind. Course images are shared by all chapters: no
    # chapter label, or their ID would depend on which chapter built them.
    all_labels = kit_labels(chapter if role != "course" else "", role=role or "learner", session=role != "course",
                            extra=dict(labels or {}))
    cgroup = limits.build_cgroup(client, session, pids_limit)
    used = {"memory": mem_limit, "pids": cgroup.pids_limit, "pids_why": cgroup.why}
    tar, dockerfile_name = context.tar()
    api_labels = all_labels
    if is_podman(client):  # Podman applies API labels in random order (a rebuild would miss the cache): one sorted
        text, api_labels = with_kit_label_line(None, context.text, all_labels, target)  # LABEL line in the target
        outside = context.folder.parent / f".{context.folder.name}.podman-dockerfile"  # sent under a name of its own
        tar, dockerfile_name = dataclasses.replace(context, dockerfile=outside, text=text).tar()
    args = dict(buildargs or {})
    params: dict[str, Any] = {"t": tag, "q": False, "nocache": nocache, "rm": True, "forcerm": True, "pull": False,
                              "dockerfile": dockerfile_name, "memory": memory, "memswap": memory,
                              "labels": json.dumps(api_labels)}
    proxies = getattr(client.api, "_proxy_configs", None)
    for key, value in (proxies.get_environment() if proxies is not None else {}).items():
        args.setdefault(key, value)  # like the CLI: proxies from ~/.docker/config.json become build args
    if args:
        params["buildargs"] = json.dumps(args)
    if target:
        params["target"] = target
    if platform:
        params["platform"] = platform
    if cgroup.parent:
        params["cgroupparent"] = cgroup.parent
    cli = docker_cli.build_command(
        tag, str(context.folder), dockerfile=None if context.dockerfile_in_context == "Dockerfile"
        else str(context.dockerfile), target=target, buildargs=buildargs, nocache=nocache, labels=all_labels,
        memory=mem_limit, cgroup_parent=cgroup.parent, platform=platform)
    for attempt in range(1, BUILD_ATTEMPTS + 1):  # again only when a layer it reused vanished under it (CACHE_LOST)
        stream = BuildStream(kit_label_steps=len(api_labels) + (api_labels is not all_labels), on_line=on_line,
                             on_step=on_step)
        _stream_build(client, tar, params, timeout, stream, tag, all_labels, memory)
        if stream.error is None or attempt == BUILD_ATTEMPTS or not CACHE_LOST.search(stream.error):
            break
        _adopt_quietly(client, stream.stage_images, "", tag, all_labels, memory)
        if on_line is not None:
            on_line(_("(A layer this build reused from the cache was removed meanwhile, by another build's clean-up: "
                      "building again.)"))
        tar.seek(0)
    seconds = round(time.monotonic() - stream.started, 3)
    leftovers = stream.stage_images
    if stream.error is not None:  # every stage that finished is a leftover, and so is the last image it made
        last = next((s.image for s in reversed(stream.steps) if s.image), None)
        _adopt_quietly(client, leftovers + ([last] if last else []), "", tag, all_labels, memory)
        failed = stream.failed_step
        error = in_dockers_words(stream.error)
        m = re.search(r"line (\d+)", error)
        where = failed.label if failed else (
            _("Dockerfile line {n}").format(n=m.group(1)) if m else _("the Dockerfile"))
        output = failed.output if failed else []
        raise BuildFailed(_("Building {image} failed at {where}: {error}").format(
                              image=tag, where=where, error=error),
                          _hint_for(error, output, used),
                          step=where, log_tail=shown_output(output) or stream.log[-12:], output=output,
                          log=stream.log)
    with translated(_("reading the image {image}").format(image=tag), client):
        image = client.images.get(stream.image_id or tag)
    leftovers = leftovers[:-1]  # the last stage built is the image itself (its kit-label steps on top)
    _adopt_quietly(client, leftovers, image.id, tag, all_labels, memory)
    return BuildResult(tag=tag, image=image, steps=stream.steps, log=stream.log, seconds=seconds, cli=cli,
                       stage_images=leftovers, limits=used, context=str(context.folder))


def _adopt_quietly(client: docker.DockerClient, leftovers: list[str], keep: str, tag: str,
                   labels: Mapping[str, str], memory: int) -> None:
    """Adopt a build's leftovers; a failure here must not hide the build's own outcome."""
    try:
        _adopt(client, leftovers, keep, tag, labels, memory)
    except (docker.errors.DockerException, OSError):
        pass


def reset_hook(chapter: str | None, _client: docker.DockerClient | None = None) -> list[str]:
    """On reset: the learner's written build contexts go (the chapter's, or all), and their build cgroup (empty
    between builds; the next build makes it again). Files on this machine, not engine resources: nothing to report."""
    session = session_id()
    buildcontext.remove_contexts(session, chapter)
    limits.remove_build_cgroups(session)
    return []
