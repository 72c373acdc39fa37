"""A CI/CD pipeline in a notebook: checkout → build → test → package → push → deploy → verify (→ rollback).

Each step is a small function that drives the real engines: the builder compiles the backend (the Dockerfile's
``build`` stage), its tests run in a container of that stage, the runtime image is tagged with a version
made from the sources' content, pushed to the learner's registry (:mod:`dockerlab.course.registry`), pulled
by the "cloud server" (:mod:`dockerlab.course.cloud_server`) and started there. A release whose health check fails
on the server is replaced by the previous release automatically. Every run is recorded (``runs.json``
in the pipeline's workspace, :mod:`dockerlab.course.pipeline_runs`); :mod:`dockerlab.display.pipeline` shows a run as a step table.

    pipe = Pipeline(registry=reg, server=cloud)
    run = pipe.run()          # a PipelineRun: .status, .failed_at, .version, .deployed (display.pipeline shows it)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import docker
import docker.errors

from . import registry as registry_mod
from ..containers import Container
from ..docker_run import run as run_container
from . import app_dir
from ..cleanup import Failed
from ..errors import BuildFailed, DockerlabError, EngineUnavailable
from ..i18n import _
from ..images import build
from ..labels import name as namespaced, session_id
from ..polling import poll
from .pipeline_runs import PipelineRun, Step, load_runs, save_run, workspace_dir

__all__ = ["Pipeline", "server_release", "server_container", "find_server_client", "git_describe", "source_hash",
           "reset_hook", "RELEASE_LABEL", "CHAPTER", "STEPS"]

CHAPTER = "11"
#: the label on the server's container that says which release it runs
RELEASE_LABEL = "org.dockerlab.release"
#: the steps of a run, in order (rollback only runs when verify fails)
STEPS = ("checkout", "build", "test", "package", "push", "deploy", "verify", "rollback")
#: the tests, in a container of the build stage (WORKDIR /src: classes/ holds the app's classes and the tests'), and
#: how long they may take (about 1 s)
TEST_COMMAND = ["java", "-XX:TieredStopAtLevel=1", "-cp", "classes", "org.dockerlab.todo.tests.AllTests"]
TEST_TIMEOUT = 300
#: the health check the server's deployment uses: the app must answer on port 8080, the port the deployment
#: publishes (the image's own script would follow the image's SERVER_PORT wherever it points)
SERVER_HEALTHCHECK = {"test": ["CMD-SHELL", "SERVER_PORT=8080 /usr/local/bin/healthcheck"],
                      "interval": 1, "timeout": 5, "retries": 3,
                      "start_period": 8}  # seconds; failures count after 8 s, or once it was healthy
# (the backend answers 1.5 s after its start, also with 30 busy processes beside it: 8 s leaves room, and a release
# that never answers is called unhealthy after about 11 s instead of 23: its probe is refused at once. The timeout is
# for a probe that cannot even start on a busy server (chapter 10 saw healthy replicas called unhealthy with 2 s).)


def source_hash(folder: Path) -> str:
    """A hash of the sources' content (paths and bytes): the same sources always give the same version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == "runs.json":
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def git_describe(folder: Path) -> str | None:
    """`git describe --always --dirty` where the folder is in a git checkout (for information)."""
    try:
        done = subprocess.run(["git", "-C", str(folder), "describe", "--always", "--dirty"], capture_output=True,
                              text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def server_container(client: docker.DockerClient, app: str = "todo") -> Container | None:
    """The app's container on the server, or None."""
    try:
        return Container(client.containers.get(namespaced(app)))
    except docker.errors.NotFound:
        return None


def server_release(client: docker.DockerClient, app: str = "todo") -> str | None:
    """The release the server's app container runs (its label), or None when none runs."""
    c = server_container(client, app)
    if c is None or c.status != "running":
        return None
    return c.labels.get(RELEASE_LABEL)


# ---------------------------------------------------------------------------------------------- pipeline
class Pipeline:
    """The learner's pipeline for the backend: a workspace with its sources, a registry, a server."""

    def __init__(self, *, registry: registry_mod.Registry, server_client: docker.DockerClient,
                 app: str = "backend", repo: str = "todo-backend", deployment: str = "todo",
                 base_version: str = "1.0.0", health_timeout: float = 90,
                 say: Callable[[str], None] | None = print) -> None:
        self.registry = registry
        self.server = server_client
        self.app = app
        self.repo = repo
        self.deployment = deployment
        self.base_version = base_version
        self.health_timeout = health_timeout
        self.say = say or (lambda _m: None)

    # -- the workspace -----------------------------------------------------------------------------
    @property
    def workspace(self) -> Path:
        """The sources the pipeline builds (a copy of images/backend that you may edit)."""
        return workspace_dir() / "src"

    def checkout(self, *, fresh: bool = False) -> Path:
        """Copy the backend's sources into the workspace (again, with fresh=True: your edits are lost)."""
        if fresh and self.workspace.exists():
            shutil.rmtree(self.workspace)
        if not self.workspace.exists():
            shutil.copytree(app_dir(self.app), self.workspace,
                            ignore=shutil.ignore_patterns("*.class", "*.jar"))
        return self.workspace

    def changed_files(self) -> list[str]:
        """Workspace files that differ from the course's original sources."""
        original = app_dir(self.app)
        changed = []
        for path in sorted(p for p in self.workspace.rglob("*") if p.is_file()):
            rel = path.relative_to(self.workspace)
            other = original / rel
            if not other.exists() or other.read_bytes() != path.read_bytes():
                changed.append(rel.as_posix())
        for path in original.rglob("*"):
            if path.is_file() and not (self.workspace / path.relative_to(original)).exists():
                changed.append(path.relative_to(original).as_posix() + " (deleted)")
        return changed

    def version(self) -> str:
        """`<base>-<7 hex>` from the sources' content: like `git describe`, but for files you edit here."""
        return f"{self.base_version}-{source_hash(self.workspace)[:7]}"

    # -- steps ---------------------------------------------------------------------------------------
    def _build(self, version: str, target: str | None) -> str:
        tag = f"todo-ci:{version}" if target is None else f"todo-ci:{version}-{target}"
        result = build(tag, self.workspace, target=target, buildargs={"APP_VERSION": version}, chapter=CHAPTER)
        cached = len(result.cached_steps)
        return _("{tag} ({cached}/{total} steps from cache)").format(tag=result.tag, cached=cached,
                                                                     total=len(result.steps))

    def _test(self, version: str, record: PipelineRun) -> str:
        """The tests, in a container of the build stage's image (`docker run --rm todo-ci:<version>-build java …
        AllTests`): its exit code is the verdict, its output the detail."""
        with run_container("ci-tests", f"todo-ci:{version}-build", TEST_COMMAND, chapter=CHAPTER) as tests:
            code = tests.wait(timeout=TEST_TIMEOUT)
            output = tests.logs().splitlines()  # the container goes when the block ends (`docker rm -f -v`)
        verdict = _test_verdict(output)
        if code != 0:
            record.log_tail = output[-40:]
            raise _StepFailed(verdict or _("the tests exited with code {code}").format(code=code))
        return verdict or _("the tests passed")

    def _push(self, version: str) -> str:
        pushed = self.registry.push(f"{_image_repo()}/todo-ci:{version}", self.repo, version)
        return f"{pushed.ref} {pushed.digest[:19]}…"

    def release_ref(self, version: str) -> str:
        """``host/repo@sha256:…``: the release by its digest — exactly the image that was pushed (a tag can be moved
        to another image later; a digest cannot)."""
        digest = self.registry.digest(self.repo, version)
        if not digest:
            raise _StepFailed(_("the registry has no {repo}:{version} to deploy").format(repo=self.repo,
                                                                                        version=version))
        return f"{self.registry.host}/{self.repo}@{digest}"

    def deploy(self, version: str) -> Container:
        """Pull release ``version`` from the registry **by its digest** on the server and run it there as the app
        (replacing it): `docker pull host/repo@sha256:…`, `docker run … host/repo@sha256:…`."""
        ref = self.release_ref(version)
        registry_mod.pull(ref, client=self.server)
        old = server_container(self.server, self.deployment)
        if old is not None:
            old.remove()
        return run_container(self.deployment, ref, ports={8080: None}, restart="unless-stopped",
                             healthcheck=SERVER_HEALTHCHECK, labels={RELEASE_LABEL: version},
                             chapter=CHAPTER, client=self.server)

    def verify(self, container: Container, version: str) -> tuple[bool, str]:
        """Wait for the server's health check to say healthy (or unhealthy); then ask /api/info."""
        started = time.monotonic()

        def verdict() -> str | None:
            """'healthy', or why not in the learner's words (None: not decided yet)."""
            container.reload()
            if container.status in ("exited", "dead"):
                return _("the container stopped (exit code {code})").format(code=container.exit_code)
            if container.health == "unhealthy":  # the engine's word first, in every language (chapter 11 reads it)
                last = container.health_log[-1].exit_code if container.health_log else None
                return _("unhealthy after {seconds:.1f} s (health check exit code {code})").format(
                    seconds=time.monotonic() - started, code=last)
            return "healthy" if container.health == "healthy" else None

        said = poll(verdict, timeout=self.health_timeout)
        if said != "healthy":
            return False, said or _("not healthy within {seconds:.0f} s").format(seconds=self.health_timeout)
        try:
            with urllib.request.urlopen(container.url(8080, "/api/info"), timeout=5) as resp:  # noqa: S310
                info = json.loads(resp.read())
        except (OSError, ValueError) as exc:
            return False, _("healthy, but GET /api/info failed: {error}").format(error=exc)
        if info.get("version") != version:
            return False, _("healthy, but /api/info says version {version!r}").format(version=info.get("version"))
        return True, _("healthy after {seconds:.1f} s; /api/info says {version}").format(
            seconds=time.monotonic() - started, version=info["version"])

    # -- a run ---------------------------------------------------------------------------------------
    def run(self, *, note: str = "") -> PipelineRun:
        """Run every step in order; stop at the first failure; roll back when the new release is not healthy."""
        self.checkout()
        runs = load_runs()
        record = PipelineRun(number=(runs[-1].number + 1) if runs else 1, version=self.version(),
                             source_hash=source_hash(self.workspace), note=note,
                             started=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                             steps=[Step(name) for name in STEPS])
        record.server_before = server_release(self.server, self.deployment)
        version = record.version
        deployed: Container | None = None

        def step(name: str, action: Callable[[], str]) -> bool:
            s = record.step(name)
            s.status = "running"
            self.say(f"▶ {name} …")
            started = time.monotonic()
            try:
                s.detail = action()
                s.status = "ok"
            except BuildFailed as err:
                s.status = "failed"
                record.log_tail = list(err.log_tail)
                s.detail = _build_failure(err)
            except _StepFailed as err:
                s.status = "failed"
                s.detail = str(err)
            except DockerlabError as err:
                s.status = "failed"
                s.detail = err.what.splitlines()[0][-300:]
            s.seconds = round(time.monotonic() - started, 2)
            if s.status == "failed":
                record.status, record.failed_at = "failed", name
            return s.status == "ok"

        def do_deploy() -> str:
            nonlocal deployed
            deployed = self.deploy(version)
            if record.server_before:
                return _("{image} on the server, replacing {release}").format(image=deployed.image,
                                                                              release=record.server_before)
            return _("{image} on the server, the first release there").format(image=deployed.image)

        def do_verify() -> str:
            assert deployed is not None
            ok, detail = self.verify(deployed, version)
            if not ok:
                raise _StepFailed(detail)
            return detail

        ok = (step("checkout", lambda: _("{count} Java files; version {version}").format(
                   count=len(list(self.workspace.rglob("*.java"))), version=version))
              and step("build", lambda: self._build(version, "build"))
              and step("test", lambda: self._test(version, record))
              and step("package", lambda: self._build(version, None))
              and step("push", lambda: self._push(version))
              and step("deploy", do_deploy)
              and step("verify", do_verify))
        if ok:
            record.status, record.deployed = "ok", version
        elif record.failed_at == "verify":
            previous = record.server_before

            def do_rollback() -> str:
                if previous is None:
                    if deployed is not None:
                        deployed.remove()
                    return _("no earlier release to go back to: the bad one was removed")
                good = self.deploy(previous)
                healthy, detail = self.verify(good, previous)
                if not healthy:
                    raise _StepFailed(_("the previous release {release} is not healthy either: {detail}").format(
                        release=previous, detail=detail))
                return _("back to {release}: {detail}").format(release=previous, detail=detail)

            record.rolled_back = step("rollback", do_rollback)
            record.status, record.failed_at = "failed", "verify"
        record.server_after = server_release(self.server, self.deployment)
        save_run(record)
        self.say(record.summary())
        return record

    @property
    def runs(self) -> list[PipelineRun]:
        return load_runs()


def _build_failure(err: BuildFailed) -> str:
    """The line that says why a build failed: the step and the engine's error."""
    return (f"{err.step}: " if err.step else "") + err.what.splitlines()[0][-240:]


def _test_verdict(output: list[str]) -> str:
    """The tests' own verdict: the first failing tests and the closing tally (`N passed, N failed`), or ""."""
    fails = [line.strip() for line in output if line.strip().startswith("FAIL ")]
    tally = [line.strip() for line in output if line.strip().endswith(" failed") and " passed, " in line]
    return "; ".join(fails[:2] + tally[-1:])[:300]


class _StepFailed(Exception):
    """A step's own check failed (not an engine error)."""


def _image_repo() -> str:
    return session_id()


def reset_hook(chapter: str | None, client: docker.DockerClient) -> list[str]:
    """Chapter 11's reset: stop the registry and the cloud server it started, forget the workspace."""
    if chapter not in (None, CHAPTER):
        return []
    done: list[str] = []
    try:
        done += registry_mod.stop(client)
    except EngineUnavailable:
        pass  # no engine answers: no registry of ours can be running there
    except DockerlabError as err:
        done.append(Failed(_("could not remove the registry: {error}").format(error=err.what)))
    try:
        from . import cloud_server

        server = cloud_server.cloud()
        if server.folder.exists():
            done += server.stop(log=lambda _m: None)
    except DockerlabError as err:
        done.append(Failed(_("could not stop the {server}: {error}").format(server=_("cloud server"),
                                                                             error=err.what)))
    folder = workspace_dir()
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
        done.append(_("deleted the pipeline workspace {folder}").format(folder=folder))
    return done


def find_server_client() -> docker.DockerClient | None:
    """A client for the learner's cloud server when it runs, else None."""
    from . import cloud_server

    if not cloud_server.cloud().folder.exists():  # never started: do not create anything by asking
        return None
    try:
        return cloud_server.client(timeout=30) if cloud_server.running() else None
    except DockerlabError:
        return None
