"""The `docker …` command a kit call stands for, so a learner links each cell to the CLI."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping

__all__ = ["CliCommand", "join", "shell_healthcheck", "service_create_command"]


def join(args: Iterable[str]) -> str:
    return " ".join(shlex.quote(str(a)) for a in args)


class CliCommand(str):
    """A `docker …` command line; prints as itself and shows as code in a notebook."""

    def _repr_markdown_(self) -> str:
        return f"```console\n$ {self}\n```"

    def __rich__(self) -> str:
        return f"[bold]$[/bold] {self}"


def _labels(labels: Mapping[str, str] | None) -> list[str]:
    """Every label, so the command makes exactly what the kit made (reset finds it the same way)."""
    args: list[str] = []
    for key, value in (labels or {}).items():
        args += ["--label", f"{key}={value}"]
    return args


def run_command(*, name: str, image: str, command: str | list[str] | None = None,
                ports: Mapping[str, tuple[str, int | None]] | None = None,
                env: Mapping[str, str] | None = None, mounts: Iterable[tuple[str, str, bool]] = (),
                network: str | None = None, read_only: bool = False, tmpfs: Mapping[str, str] | None = None,
                user: str | None = None, restart: str | None = None, mem_limit: str | None = None,
                pids_limit: int | None = None, labels: Mapping[str, str] | None = None,
                workdir: str | None = None, entrypoint: str | list[str] | None = None,
                hostname: str | None = None, healthcheck: Mapping[str, object] | None = None,
                aliases: Iterable[str] = (), volumes: Mapping[str, Mapping[str, str]] | None = None,
                read_only_binds: Iterable[tuple[str, str]] = ()) -> CliCommand:
    """`docker run -d …` with everything the kit sets; ``volumes`` (name → labels) are the named volumes the kit
    creates first, so the line starts with their `docker volume create` (the engine would make them unlabelled)."""
    before = [volume_create_command(vol, vol_labels) for vol, vol_labels in (volumes or {}).items()]
    args = ["docker", "run", "-d", "--name", name]
    for cport, (host_ip, host_port) in (ports or {}).items():
        port, _, proto = cport.partition("/")
        args += ["-p", f"{host_ip}:{host_port or ''}:{port}{'/' + proto if proto and proto != 'tcp' else ''}"]
    for key, value in (env or {}).items():
        args += ["-e", f"{key}={value}"]
    for source, target, ro in mounts:
        args += ["-v", f"{source}:{target}{':ro' if ro else ''}"]
    for source, target in read_only_binds:
        args += ["--mount", f"type=bind,source={source},target={target},readonly"]
    if network:
        args += ["--network", network]
    for alias in aliases:
        args += ["--network-alias", alias]
    if read_only:
        args.append("--read-only")
    for path, opts in (tmpfs or {}).items():
        args += ["--tmpfs", f"{path}:{opts}" if opts else path]
    if user:
        args += ["--user", user]
    if restart:
        args += ["--restart", restart]
    if mem_limit:
        args += ["--memory", mem_limit]
    if pids_limit:
        args += ["--pids-limit", str(pids_limit)]
    args += _health(healthcheck)
    if workdir:
        args += ["-w", workdir]
    if hostname:
        args += ["--hostname", hostname]
    entry_rest: list[str] = []
    if entrypoint is not None:  # --entrypoint takes one program; the rest of a list goes before the command
        entry = shlex.split(entrypoint) if isinstance(entrypoint, str) else list(entrypoint)
        args += ["--entrypoint", entry[0] if entry else ""]
        entry_rest = entry[1:]
    args += _labels(labels)
    args.append(image)
    args += entry_rest
    if command:
        args += shlex.split(command) if isinstance(command, str) else list(command)
    return CliCommand(" && ".join([*before, join(args)]))


def volume_create_command(name: str, labels: Mapping[str, str]) -> CliCommand:
    return CliCommand(join(["docker", "volume", "create", *_labels(labels), name]))


def network_create_command(name: str, labels: Mapping[str, str], *, driver: str = "bridge",
                           attachable: bool = False) -> CliCommand:
    attach = ["--attachable"] if attachable else []
    return CliCommand(join(["docker", "network", "create", "--driver", driver, *attach, *_labels(labels), name]))


def shell_healthcheck(healthcheck: Mapping[str, object] | None) -> dict[str, object] | None:
    """The healthcheck as `--health-cmd` makes it: an exec-form test (``["CMD", "prog", "arg"]``) becomes the
    shell form (``["CMD-SHELL", "prog arg"]``), so the kit's container and its `docker` twin are the same."""
    if not healthcheck:
        return None
    data = dict(healthcheck)
    key = "test" if "test" in data else "Test" if "Test" in data else None
    test = data.get(key) if key else None
    if isinstance(test, str):
        data[key] = ["CMD-SHELL", test]  # type: ignore[index]
    elif isinstance(test, (list, tuple)) and test and test[0] == "CMD":
        data[key] = ["CMD-SHELL", join(str(t) for t in test[1:])]  # type: ignore[index]
    return data


def _health(healthcheck: Mapping[str, object] | None) -> list[str]:
    """docker-py's healthcheck dict (test, interval/timeout/start_period in ns, retries) as `--health-*` flags."""
    if not healthcheck:
        return []
    test = healthcheck.get("test") or healthcheck.get("Test")
    if isinstance(test, str):
        test = ["CMD-SHELL", test]
    args: list[str] = []
    if isinstance(test, (list, tuple)) and test:
        if test[0] == "NONE":
            return ["--no-healthcheck"]
        cmd = test[1] if test[0] == "CMD-SHELL" and len(test) > 1 else join(str(t) for t in test[1:])
        args += ["--health-cmd", cmd]
    for key, api_key, flag in (("interval", "Interval", "--health-interval"), ("timeout", "Timeout", "--health-timeout"),
                               ("start_period", "StartPeriod", "--health-start-period")):
        value = healthcheck.get(key, healthcheck.get(api_key))
        if isinstance(value, int) and value > 0:
            args += [flag, _seconds(value)]
    retries = healthcheck.get("retries", healthcheck.get("Retries"))
    if retries:
        args += ["--health-retries", str(retries)]
    return args


def build_command(tag: str, context: str, *, dockerfile: str | None = None, target: str | None = None,
                  buildargs: Mapping[str, str] | None = None, nocache: bool = False,
                  labels: Mapping[str, str] | None = None, memory: str | None = None,
                  cgroup_parent: str | None = None, platform: str | None = None) -> CliCommand:
    """`docker build …` as the kit runs it: intermediate containers always removed (``--force-rm``), the step
    containers' memory limit (and the cgroup whose pids limit they share), every label."""
    args = ["docker", "build", "-t", tag]
    if platform:
        args += ["--platform", platform]
    if dockerfile:
        args += ["-f", dockerfile]
    if target:
        args += ["--target", target]
    for key, value in (buildargs or {}).items():
        args += ["--build-arg", f"{key}={value}"]
    if nocache:
        args.append("--no-cache")
    args.append("--force-rm")
    if memory:
        args += ["--memory", memory, "--memory-swap", memory]
    if cgroup_parent:
        args += ["--cgroup-parent", cgroup_parent]
    args += _labels(labels)
    args.append(context)
    return CliCommand(join(args))


def simple(*args: str) -> CliCommand:
    """`docker <args>` for the operations whose command is just their arguments."""
    return CliCommand(join(["docker", *args]))


def _seconds(ns: int) -> str:
    return f"{ns / 1e9:g}s"


def service_create_command(*, name: str, image: str, replicas: int, command: list[str] | None,
                           labels: Mapping[str, str], env: Mapping[str, str], tmpfs: Iterable[str], memory: str,
                           pids_limit: int, restart_delay_ns: int, update_parallelism: int, update_order: str,
                           failure_action: str, monitor_ns: int, rollback_order: str = "stop-first",
                           healthcheck: Mapping[str, object] | None, networks: Iterable[str] = (),
                           endpoint_mode: str = "vip") -> CliCommand:
    """`docker service create …` with every setting the kit gives the service (its exact twin)."""
    args = ["docker", "service", "create", "--name", name, "--replicas", str(replicas)]
    for key, value in labels.items():
        args += ["--label", f"{key}={value}"]
    for key, value in labels.items():
        args += ["--container-label", f"{key}={value}"]
    for key, value in env.items():
        args += ["--env", f"{key}={value}"]
    for target in tmpfs:
        args += ["--mount", f"type=tmpfs,target={target}"]
    args += ["--limit-memory", memory, "--limit-pids", str(pids_limit),
             "--restart-condition", "any", "--restart-delay", _seconds(restart_delay_ns),
             "--update-parallelism", str(update_parallelism), "--update-delay", "0s", "--update-order", update_order,
             "--update-failure-action", failure_action, "--update-monitor", _seconds(monitor_ns),
             "--rollback-parallelism", str(update_parallelism), "--rollback-delay", "0s",
             "--rollback-order", rollback_order, "--rollback-monitor", _seconds(monitor_ns),
             "--rollback-failure-action", "continue", "--endpoint-mode", endpoint_mode, "--no-resolve-image"]
    for network in networks:
        args += ["--network", network]
    args += _health(healthcheck)
    args.append(image)
    args += command or []
    return CliCommand(join(args))
