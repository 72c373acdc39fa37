"""`dockerlab doctor`: is this machine ready for the course? Each failed line ends with a Hint.

``doctor()`` returns the findings; :mod:`dockerlab.display.doctor` shows them as a table (``lab.doctor()`` does both).
"""

from __future__ import annotations

import os
import platform
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass, field

import docker

from . import BASE_IMAGES, COURSE_IMAGES, built_base_recipe
from ..engine import connect, engine_address, engine_info
from ..errors import DockerlabError
from ..i18n import N_, _

__all__ = ["Finding", "Report", "doctor"]


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool | None  # None: information, neither good nor bad
    detail: str
    hint: str = ""

    @property
    def text(self) -> str:
        return self.detail + (" " + _("Hint: {hint}").format(hint=self.hint) if not self.ok and self.hint else "")

    @property
    def label(self) -> str:
        """The check's name in the learner's language."""
        return _(self.check)


@dataclass
class Report:
    """The findings, in order; ``str()`` gives one plain line each."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def engine_ok(self) -> bool:
        return any(f.check == "engine" and f.ok for f in self.findings)

    @property
    def ok(self) -> bool:
        return all(f.ok is not False for f in self.findings)

    def add(self, check: str, ok: bool | None, detail: str, hint: str = "") -> None:
        self.findings.append(Finding(check, ok, detail, hint))

    def __str__(self) -> str:
        return "\n".join(f"{'ok ' if f.ok else 'ERR' if f.ok is False else '   '} {f.label}: {f.text}"
                         for f in self.findings)


def _registry_reachable(url: str, timeout: float = 3) -> bool:
    try:
        urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 (fixed, known URLs)
        return True
    except urllib.error.HTTPError:
        return True  # 401 from a registry is an answer
    except Exception:
        return False


def doctor(client: docker.DockerClient | None = None, *, check_registry: bool = True) -> Report:
    """Check the engine and the course's needs; returns a report that renders as a table."""
    report = Report()
    address = engine_address()
    report.add(N_("client"), None, f"docker-py {docker.__version__}, Python {platform.python_version()}, "
               f"{platform.system()} {platform.machine()}")
    try:
        client = client or connect()
        info = engine_info(client)
    except DockerlabError as err:
        report.add(N_("engine"), False, err.what, err.hint)
        return report
    address = info.address  # the engine this client talks to (an explicit client may not be DOCKER_HOST's)
    report.add(N_("engine"), True, _("{kind} {version} at {address} (API {api}, client speaks {client_api}); "
                                     "{running} running of {containers} containers").format(
        kind=info.kind, version=info.server_version, address=address, api=info.api_version,
        client_api=info.client_api_version, running=info.containers_running, containers=info.containers))
    report.add(N_("kernel"), None, _("{os}, kernel {kernel}, {arch}").format(os=info.os, kernel=info.kernel,
                                                                           arch=info.architecture))
    report.add(N_("storage driver"), info.storage_driver in ("overlay2", "overlay", "btrfs", "zfs", "fuse-overlayfs",
                                                             "vfs", "overlayfs") or None,
               info.storage_driver, _("Layers are easiest to see with overlay2."))
    report.add(N_("cgroups"), None, f"cgroup v{info.cgroup_version}")
    from ..labels import naming

    rule = naming()
    report.add(N_("engine kind"), None,
               (_("rootless (runs as an ordinary user; ports below 1024 need extra set-up)") if info.rootless else
                _("rootful (its daemon runs as root)"))
               + "; " + (_("shared: names are prefixed") if rule.prefixed else _("own: names are plain"))
               + f" ({rule.reason})")
    if info.memory_limit and info.pids_limit:
        report.add(N_("limits"), True, _("the engine enforces --memory and --pids-limit"))
    else:
        dropped = _(" and ").join(n for n, ok in (("--memory", info.memory_limit), ("--pids-limit", info.pids_limit))
                               if not ok)
        why = _(" (a rootless engine on cgroup v1)") if info.rootless and info.cgroup_version == "1" else ""
        report.add(N_("limits"), None, _("the engine accepts but does not enforce {dropped}{why}: a runaway container "
                                         "is held back only by the machine's own limits (docs/classroom.md).").format(
            dropped=dropped, why=why))
    report.add(N_("root inside"), None,
               _("is your own user on the host (rootless engine)") if info.rootless else
               _("is an unprivileged uid on the host (user namespaces)") if info.userns else
               _("is root on the host (rootful engine, no user namespaces): whoever may use this engine is root here"))
    report.add(N_("image store"), None, _("containerd (an image ID is its manifest's digest)") if info.image_store ==
               "containerd" else _("classic (an image ID is its config's digest)"))
    if address.startswith("unix://") and os.path.isdir(info.docker_root_dir):
        free = shutil.disk_usage(info.docker_root_dir).free / 2**30
        report.add(N_("free disk"), free >= 3, _("{free:.1f} GiB free in {root}").format(free=free,
                                                                                       root=info.docker_root_dir),
                   _("The course's images need about 2 GiB: free some space (`docker system prune` removes "
                     "unused data of all projects — read what it lists first)."))
    else:
        report.add(N_("free disk"), None, _("engine data root {root} (not on this machine)").format(
            root=info.docker_root_dir))
    if check_registry:
        hub = _registry_reachable("https://registry-1.docker.io/v2/")
        report.add(N_("registry"), None if not hub else True,
                   _("Docker Hub answers: `prepare` pulls official base images.") if hub else
                   _("No public registry answers: `prepare` builds base images locally from Debian's packages."))
    for ref in BASE_IMAGES + COURSE_IMAGES:
        try:
            img = client.images.get(ref)
        except docker.errors.ImageNotFound:
            if ref in BASE_IMAGES:
                report.add(N_("base image"), False, _("{ref} is missing.").format(ref=ref),
                           _("Run `python -m dockerlab prepare`."))
            else:  # the chapters build these when they need them
                report.add(N_("course image"), None, _("{ref} not built yet (the chapters build it, or "
                                                       "`python -m dockerlab prepare --apps` now).").format(ref=ref))
            continue
        except Exception as exc:  # noqa: BLE001 - a doctor reports, it does not crash
            report.add(N_("image"), False, f"{ref}: {exc}", _("Run `python -m dockerlab doctor` again."))
            continue
        labels = img.labels or {}
        recipe = built_base_recipe(labels)
        if recipe:
            origin = _("built locally by the kit (recipe {recipe})").format(recipe=recipe[:12])
        elif labels.get("org.dockerlab.role") == "course":
            origin = _("built by the kit from the course's images/ folder")
        else:
            origin = _("pulled or built elsewhere")
        size = (img.attrs.get("Size") or 0) / 1e6
        report.add(N_("base image") if ref in BASE_IMAGES else N_("course image"), True,
                   f"{ref}: {size:.0f} MB, {origin}")
    return report
