"""The `dockerlab` program: `python -m dockerlab doctor | engine start|stop|status [--rootless] | prepare | reset
[--chapter N] [--purge] | status | progress | podman start|stop|status | bundle export|import|verify FILE |
classroom setup|start|stop|status | catalogs [--check]` (the `docker …` command lines a kit call stands for are in :mod:`dockerlab.docker_cli`)."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.markup import escape

from .errors import BadInput, DockerlabError
from .i18n import _

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dockerlab", description=_("A Jupyter-native kit for teaching Docker."))
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("doctor", help=_("check the engine and the course's needs"))
    eng = sub.add_parser("engine", help=_("start/stop the dockerd the kit runs (root on Debian)"))
    eng.add_argument("action", choices=["start", "stop", "status", "ensure"])
    eng.add_argument("--rootless", action="store_true",
                     help=_("your own rootless engine (as an ordinary user, no root needed; see docs/classroom.md)"))
    prep = sub.add_parser("prepare", help=_("make sure the course's base images exist"))
    prep.add_argument("--apps", action="store_true", help=_("also build the course's app images"))
    prep.add_argument("--force", action="store_true", help=_("rebuild the local base image even if it is current"))
    reset = sub.add_parser("reset", help=_("remove what the kit created for you (by label only)"))
    reset.add_argument("--chapter", default=None)
    reset.add_argument("--purge", action="store_true", help=_("remove the kit's volumes (your data) too"))
    reset.add_argument("--session", default=None, help=_("another learner id (teachers)"))
    sub.add_parser("status", help=_("the kit's containers, volumes and networks"))
    cat = sub.add_parser("catalogs", help=_("compile the kit's message catalogs (.po → .mo; ./lab setup does)"))
    cat.add_argument("--check", action="store_true", help=_("only say which compiled catalogs are missing or stale"))
    pod = sub.add_parser("podman", help=_("start/stop Podman's Docker-compatible service in the kit's state folder"))
    pod.add_argument("action", choices=["start", "stop", "status"])
    bun = sub.add_parser("bundle", help=_("course images in one file, for classes without network (export/import)"))
    bun.add_argument("action", choices=["export", "import", "verify"])
    bun.add_argument("file")
    bun.add_argument("--images", default=None, help=_("export only these course images, e.g. hello,notes"))
    bun.add_argument("--learners", action="store_true", help=_("import into every running learner engine (root)"))
    cls = sub.add_parser("classroom", help=_("JupyterHub and an engine per learner on this machine (root)"))
    cls.add_argument("action", choices=["setup", "start", "stop", "status"])
    cls.add_argument("class_list", nargs="?", help=_("setup: a file with one learner user name per line"))
    cls.add_argument("--teacher", default=None, help=_("setup: the teacher's user name (the hub's admin)"))
    cls.add_argument("--bundle", default=None, help=_("setup: a course bundle each learner's engine imports at login"))
    cls.add_argument("--lang", choices=["en", "ko"], default=None,
                     help=_("setup: the class's language (default: DOCKERLAB_LANG, else the locale, else en)"))
    cls.add_argument("--port", type=int, default=8000, help=_("start: the hub's port"))
    cls.add_argument("--ip", default="127.0.0.1", help=_("start: the hub's address (0.0.0.0 for the whole room)"))
    cls.add_argument("--idle-timeout", type=int, default=3600, help=_("start: stop servers idle this long (s)"))
    prog = sub.add_parser("progress", help=_("your exercises (done / tried / not started); --class: the whole class"))
    prog.add_argument("--class", dest="whole_class", action="store_true",
                      help=_("every learner's progress (teachers: reads the learners' homes)"))
    prog.add_argument("--homes", default="/home", help=_("the folder that holds the learners' homes (default /home)"))
    prog.add_argument("--learners", default=None, help=_("a class list: a file with one user name per line"))
    prog.add_argument("--csv", metavar="FILE", help=_("also write the class grid as CSV"))
    prog.add_argument("--json", metavar="FILE", help=_("also write the class grid as JSON"))
    prog.add_argument("--html", metavar="FILE", help=_("also write the class grid as a static HTML page"))
    prog.add_argument("--watch", type=float, nargs="?", const=5.0, default=None, metavar="SECONDS",
                      help=_("keep the class grid on screen, re-read every SECONDS (default 5)"))
    prog.add_argument("--share", metavar="USER", help=_("(root) let --group read USER's progress folder"))
    prog.add_argument("--group", default="dlab-teachers", help=_("the teachers' group (default dlab-teachers)"))
    return p


def _rootless_engine(action: str, console: Console) -> int:
    from .rootless import RootlessEngine

    engine = RootlessEngine()
    log = lambda text: console.print(escape(text), highlight=False)  # noqa: E731
    if action in ("start", "ensure"):
        address = engine.start(log=log)
        console.print(_("Use it from a terminal: export DOCKER_HOST={address}").format(address=address),
                      highlight=False)
    elif action == "stop":
        engine.stop(log=log)
    else:
        console.print(engine.status(), highlight=False)
        return 0 if engine.pid() else 3
    return 0


def _bundle(args: argparse.Namespace, console: Console) -> int:
    from .course import bundle

    if args.action == "export":
        apps = [a.strip() for a in args.images.split(",") if a.strip()] if args.images else None
        bundle.export_bundle(args.file, apps=apps, log=console.print)
    elif args.action == "verify":
        manifest = bundle.verify(args.file)
        console.print(_("{path}: intact; dockerlab {kit}, {images}").format(
            path=args.file, kit=manifest.kit, images=", ".join(i["ref"] for i in manifest.images)), highlight=False)
    elif args.learners:
        from .course.hub import import_for_learners

        import_for_learners(args.file, log=console.print)
    else:
        bundle.import_bundle(args.file, log=console.print)
    return 0


def _classroom(args: argparse.Namespace, console: Console) -> int:
    from .course.classroom import Installation, read_class_list, setup
    from .course.hub import Hub

    log = lambda text: console.print(text, highlight=False)  # noqa: E731
    if args.action == "setup":
        if not args.class_list:
            raise BadInput(_("`classroom setup` needs the class list: a file with one user name per line."),
                           _("e.g. `./lab classroom setup class.txt --teacher teacher`"))
        from dataclasses import replace

        from .i18n import language

        klass = replace(read_class_list(args.class_list, args.teacher), lang=args.lang or language())
        setup(klass, bundle=args.bundle, log=log)
    elif args.action == "start":
        Hub(Installation()).start(port=args.port, ip=args.ip, idle_timeout=args.idle_timeout, log=log)
    elif args.action == "stop":
        Hub(Installation()).stop(log=log)
    else:
        log(Hub(Installation()).status())
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["classroom", "learner-server"]:  # the hub starts each learner's server through this
        from .course.hub import learner_server

        return learner_server(argv[2:])
    args = _parser().parse_args(argv)
    console = Console()
    try:
        if args.cmd == "doctor":
            from .display.doctor import doctor

            report = doctor()
            console.print(report)
            return 0 if report.engine_ok else 1
        if args.cmd == "catalogs":
            from .i18n import main as catalogs

            return catalogs(["compile", *(["--check"] if args.check else [])])
        if args.cmd == "bundle":
            return _bundle(args, console)
        if args.cmd == "classroom":
            return _classroom(args, console)
        if args.cmd == "engine" and args.rootless:
            return _rootless_engine(args.action, console)
        if args.cmd == "engine":
            from .daemon import ensure_engine, main_daemon

            daemon = main_daemon()
            if args.action == "start":
                daemon.start(log=console.print)
            elif args.action == "ensure":
                ensure_engine(log=console.print)
            elif args.action == "stop":
                daemon.stop(log=console.print)
            else:
                from .daemon import Daemon
                from .engine import engine_address

                pid = daemon.pid()
                address = engine_address()
                used = Daemon(socket=address[len("unix://"):]) if address.startswith("unix://") else None
                answers = used.answers() if used is not None else None
                state = _("pid {pid}").format(pid=pid) if pid else _("not running")
                talks = _("the kit talks to {address}") if answers is None else \
                    _("an engine answers at {address}") if answers else _("no engine answers at {address}")
                console.print(_("kit's dockerd: {state} (pid file {path}); {engine}").format(
                    state=state, path=daemon.pidfile, engine=talks.format(address=address)), highlight=False)
            return 0
        if args.cmd == "prepare":
            from .course.prepare import prepare
            from .display.prepare import RichProgress

            sink = RichProgress(console)
            try:
                prepare(apps=args.apps, force=args.force, progress=sink)
            finally:
                sink.close()
            return 0
        if args.cmd == "reset":
            from .chapter import reset

            done = reset(args.chapter, purge_volumes=args.purge, session=args.session, say=console.print)
            console.print(str(done))
            return 1 if done.failed else 0  # a line that says something could not be done, in any language
        if args.cmd == "podman":
            from .podman import PodmanService

            service = PodmanService()
            if args.action == "start":
                address = service.start(log=console.print)
                console.print(_("Podman answers Docker's API at {address}. Use it with:").format(address=address)
                              + f"\n  export DOCKER_HOST={address}", highlight=False)
            elif args.action == "stop":
                if not service.stop(log=console.print):
                    console.print(_("No Podman service of the kit's runs."))
            else:
                pid = service.pid()
                state = _("pid {pid}").format(pid=pid) if pid else _("not running")
                answer = _("answers at {address}") if pid and service.answers() else _("no answer at {address}")
                console.print(_("kit's Podman service: {state}; {answer} (log: {path})").format(
                    state=state, answer=answer.format(address=service.address), path=service.logfile), highlight=False)
            return 0
        if args.cmd == "progress":
            from .progress_cli import progress_command

            return progress_command(args, console)
        if args.cmd == "status":
            from .display.status import status

            console.print(status())
            return 0
    except DockerlabError as err:
        console.print(f"[bold red]{type(err).__name__}[/]: {escape(err.message)}", highlight=False)
        return 2
    except KeyboardInterrupt:
        console.print(_("Interrupted."))
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
