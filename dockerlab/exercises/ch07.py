"""Chapter 07 exercises: diagnose and fix a container that keeps exiting (its log says why), and a job the kernel kills
for crossing its memory limit. ``set_up()`` makes both broken containers; the checks read the engine."""

from __future__ import annotations


from ..checks import Incorrect, NotAttempted, Problem, start_failure, state_words
from ..containers import Container, find
from ..docker_run import run
from ..engine import connect
from ..i18n import N_, _
from ..images import build, resolve
from ..polling import poll
from ..labels import image_repo, name as engine_name

__all__ = ["q1", "q2", "set_up", "APP", "JOB", "APP_IMAGE", "JOB_IMAGE", "JOB_LIMIT"]

APP = "todo-report"
JOB = "nightly-report"
APP_IMAGE = "todo-report:1.0"
JOB_IMAGE = "nightly-report:1.0"
#: the set-up's memory limit for the job: far below the ~120 MiB it needs
JOB_LIMIT = "32m"
_JOB_LIMIT_BYTES = 32 * 2**20

APP_SCRIPT = r"""#!/bin/bash
# todo-report: a small service that needs a database address before it can start.
echo "todo-report 1.0 starting"
if [ -z "${DATABASE_URL:-}" ]; then
  echo "config error: DATABASE_URL is not set (for example postgres://todo@db:5432/todo)" >&2
  exit 1
fi
case "$DATABASE_URL" in
  postgres://*) ;;
  *) echo "config error: DATABASE_URL must start with postgres:// (got '$DATABASE_URL')" >&2; exit 2 ;;
esac
echo "using the database at ${DATABASE_URL#*@}"
touch /tmp/ready
echo "ready: serving reports"
trap 'echo "stopping"; exit 0' TERM
while true; do sleep 1 & wait $!; done
"""
APP_DOCKERFILE = """FROM debian:bookworm-slim
COPY todo-report.sh /usr/local/bin/todo-report.sh
HEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD test -f /tmp/ready
CMD ["bash", "/usr/local/bin/todo-report.sh"]
"""
JOB_DOCKERFILE = """FROM debian:bookworm-slim
CMD ["bash", "-c", "set -eo pipefail; echo 'nightly report: loading 120 MB of data'; \
head -c 120m /dev/zero | tail > /dev/null; echo 'report done'"]
"""


def set_up() -> None:
    """Build the two images and start the two broken containers (the chapter's set-up cell)."""
    build(APP_IMAGE, dockerfile=APP_DOCKERFILE, files={"todo-report.sh": APP_SCRIPT})
    build(JOB_IMAGE, dockerfile=JOB_DOCKERFILE)
    app = run(APP, APP_IMAGE, restart="on-failure")
    job = run(JOB, JOB_IMAGE, mem_limit=JOB_LIMIT)
    # long enough to see it keep exiting, and the job end
    poll(lambda: app.reload().restart_count >= 2 and job.reload().status != "running", timeout=30)


def _set_up_container(name: str) -> Container:
    """The set-up's container ``name`` as the engine sees it now; Not attempted (with the way back) when it is gone."""
    c = find(name)
    if c is None:
        raise NotAttempted(_("There is no container named '{name}': run the exercises' set-up cell (`ex.set_up()`) — "
                             "it makes the broken containers — then diagnose and fix it.").format(name=engine_name(name)))
    return c


def _never_started(c: Container, *, settled: bool) -> None:
    """A container that was created but could not start: the learner's command, said in their words (each word of an
    exec form is its own string), never as the engine's fault."""
    if c.status != "created":
        return
    error = (c.attrs.get("State") or {}).get("Error") or ""
    if error:
        raise start_failure(error, c.name)
    if settled:
        raise Incorrect(_("{name} is {state}: start it (`docker start {name}`), or run it again.").format(
            name=c.name, state=state_words(c)))


def _fixed_elsewhere(c: Container) -> str:
    """' (name) runs from the same image …' when the learner fixed a copy under another name; else ''."""
    try:
        others = connect().containers.list(filters={"ancestor": c.image_id, "status": "running"})
    except Exception:
        return ""
    names = sorted(o.name for o in others if o.id != c.id and o.name.startswith(engine_name("x")[:-1]))
    if not names:
        return ""
    return _(" ({names} runs from the same image, but the check looks at the container named '{name}': remove it and "
             "run your fix under that name.)").format(names=", ".join(names), name=c.name)


def _image_id(short: str) -> str | None:
    try:
        return connect().images.get(resolve(short, connect())).id
    except Exception:
        return None


def _runs_image(c: Container, short: str, what: str) -> None:
    wanted = _image_id(short)
    if wanted is None:
        raise NotAttempted(_("The image {image} is not there: run the exercises' set-up cell (ex.set_up()) "
                             "first.").format(image=f"{image_repo(short.split(':')[0])}:{short.split(':')[1]}"))
    if c.image_id != wanted:
        raise Incorrect(_("{name} runs {image!r}, not {wanted}: fix the {what}, keep its image.").format(
            name=c.name, image=c.image, wanted=short, what=what))


def _last_error_line(c: Container) -> str:
    lines = [line for line in c.log_lines(tail=20) if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or [_("(nothing)")])[-1]


def _settle(c: Container, seconds: float = 6) -> Container:
    """Let a just-started container leave 'starting' (health) / 'created' for a few seconds."""
    poll(lambda: c.reload().status != "created" and c.health != "starting", timeout=seconds)
    return c


class KeepsExiting(Problem):
    title = N_("Exercise 1: why does todo-report keep exiting?")
    hints = (
        N_("Ask the engine how it ends: `lab.inspect('todo-report', '{{.State.ExitCode}} {{.RestartCount}}')`, then "
           "read the last lines it wrote: `lab.container('todo-report').logs(tail=3)` (or `docker logs --tail 3 …`)."),
        N_("Its log names a setting it needs, with an example value. Settings reach a container as environment "
           "variables: run it again with `env={...}`, the same image and `restart=\"on-failure\"`."),
    )

    def inspect(self) -> str:
        c = _set_up_container(APP)
        _runs_image(c, APP_IMAGE, _("container's settings"))
        _never_started(c, settled=False)
        _settle(c)
        _never_started(c, settled=True)
        url = c.env.get("DATABASE_URL") or ""
        state = c.attrs.get("State") or {}
        running = c.status == "running" and not state.get("Restarting")
        if not url and not running:
            raise NotAttempted(_("{name} still keeps exiting (exit code {code}, restarted {count} time(s)): find out "
                                 "why from its log, then run it again.").format(
                                     name=c.name, code=state.get("ExitCode"), count=c.restart_count)
                               + _fixed_elsewhere(c))
        if c.status == "exited" and state.get("ExitCode") == 0:
            raise Incorrect(_("{name} is stopped (exit code 0: it was stopped, it did not crash). Start it again and "
                              "leave it running.").format(name=c.name))
        if not running:
            raise Incorrect(_("{name} still keeps exiting: exit code {code}, restarted {count} time(s). Its log's last "
                              "error: {line!r}").format(name=c.name, code=state.get("ExitCode"), count=c.restart_count,
                                                        line=_last_error_line(c)))
        if c.restart_policy != "on-failure":
            raise Incorrect(_("{name} runs, with the restart policy {policy!r}: keep 'on-failure', as the set-up had "
                              "it.").format(name=c.name, policy=c.restart_policy))
        if c.health != "healthy":
            raise Incorrect(_("{name} runs but is {health}: it never said it was ready. Does it still run the image's "
                              "own program (no command of yours instead)?").format(
                                  name=c.name, health=c.health or _("without a healthcheck")))
        return _("{name} runs and is healthy ({url}@…): its exit code and the 'config error' line of its log told you "
                 "what was missing — the program's own error, not Docker's.").format(name=c.name, url=url.split("@")[0])


class JobKilledForMemory(Problem):
    title = N_("Exercise 2: the nightly report dies")
    hints = (
        N_("A job that ends with exit code 137 was killed. Ask who killed it: "
           "`lab.inspect('nightly-report', '{{.State.OOMKilled}} {{.HostConfig.Memory}}')`."),
        N_("The kernel killed it for crossing its memory limit (OOMKilled). Run it again with a limit that fits what it "
           "loads (about 120 MB): `lab.run('nightly-report', 'nightly-report:1.0', mem_limit='256m')`, then `.wait()`."),
    )

    def inspect(self) -> str:
        c = _set_up_container(JOB)
        _runs_image(c, JOB_IMAGE, _("job's limit"))
        _never_started(c, settled=True)
        limit = int(c.host_config.get("Memory") or 0)
        state = c.attrs.get("State") or {}
        if limit == _JOB_LIMIT_BYTES:
            raise NotAttempted(_("{name} still has the set-up's {limit} limit (it ended with exit code {code}): find "
                                 "out what ends it, then run it again.").format(
                                     name=c.name, limit=JOB_LIMIT, code=state.get("ExitCode")))
        if limit == 0:
            raise Incorrect(_("{name} has no memory limit at all now: a job that grows would take the whole machine. "
                              "Give it a limit that fits what it needs.").format(name=c.name))
        if c.status in ("running", "created", "restarting"):
            try:
                c.wait(timeout=20)
            except Exception:
                raise Incorrect(_("{name} is still {status}: wait for the job to end (`.wait()`), then check "
                                  "again.").format(name=c.name, status=c.status)) from None
            state = c.attrs.get("State") or {}
        if c.oom_killed:
            raise Incorrect(_("{name} was killed again for crossing its memory limit of {mib} MiB (the kernel's OOM "
                              "killer, exit code 137): the job needs more than that.").format(name=c.name,
                                                                                            mib=limit // 2**20))
        if state.get("ExitCode") != 0:
            raise Incorrect(_("{name} ended with exit code {code}: its log's last line is {line!r}.").format(
                name=c.name, code=state.get("ExitCode"), line=_last_error_line(c)))
        if "report done" not in c.logs():
            raise Incorrect(_("{name} ended without writing 'report done': does it run the image's own program?")
                            .format(name=c.name))
        return _("{name} finished (exit code 0) within its {mib} MiB limit: the OOMKilled flag and exit code 137 said "
                 "the kernel had killed it; a limit that fits fixed it, and the limit still protects the machine.").format(
                     name=c.name, mib=limit // 2**20)


q1 = KeepsExiting()
q2 = JobKilledForMemory()
