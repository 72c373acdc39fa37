"""The `dockerlab` program: `python -m dockerlab doctor | engine start|stop|status | prepare | reset [--chapter N]
[--purge] | status | progress | podman start|stop|status` (the `docker …` command lines a kit call stands for are in :mod:`dockerlab.docker_cli`)."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console

from .errors import DockerlabError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dockerlab", description="A Jupyter-native kit for teaching Docker.")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("doctor", help="check the engine and the course's needs")
    eng = sub.add_parser("engine", help="start/stop the dockerd the kit runs (root on Debian)")
    eng.add_argument("action", choices=["start", "stop", "status", "ensure"])
    prep = sub.add_parser("prepare", help="make sure the course's base images exist")
    prep.add_argument("--apps", action="store_true", help="also build the course's app images")
    prep.add_argument("--force", action="store_true", help="rebuild the local base image even if it is current")
    reset = sub.add_parser("reset", help="remove what the kit created for you (by label only)")
    reset.add_argument("--chapter", default=None)
    reset.add_argument("--purge", action="store_true", help="remove the kit's volumes (your data) too")
    reset.add_argument("--session", default=None, help="another learner id (teachers)")
    sub.add_parser("status", help="the kit's containers, volumes and networks")
    pod = sub.add_parser("podman", help="start/stop Podman's Docker-compatible service in the kit's state folder")
    pod.add_argument("action", choices=["start", "stop", "status"])
    prog = sub.add_parser("progress", help="your exercises (done / tried / not started); --class: the whole class")
    prog.add_argument("--class", dest="whole_class", action="store_true",
                      help="every learner's progress (teachers: reads the learners' homes)")
    prog.add_argument("--homes", default="/home", help="the folder that holds the learners' homes (default /home)")
    prog.add_argument("--learners", default=None, help="a class list: a file with one user name per line")
    prog.add_argument("--csv", metavar="FILE", help="also write the class grid as CSV")
    prog.add_argument("--json", metavar="FILE", help="also write the class grid as JSON")
    prog.add_argument("--html", metavar="FILE", help="also write the class grid as a static HTML page")
    prog.add_argument("--watch", type=float, nargs="?", const=5.0, default=None, metavar="SECONDS",
                      help="keep the class grid on screen, re-read every SECONDS (default 5)")
    prog.add_argument("--share", metavar="USER", help="(root) let --group read USER's progress folder")
    prog.add_argument("--group", default="dockerlab-teachers", help="the teachers' group (default dockerlab-teachers)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console()
    try:
        if args.cmd == "doctor":
            from .display.doctor import doctor

            report = doctor()
            console.print(report)
            return 0 if report.engine_ok else 1
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
                console.print(f"kit's dockerd: {'pid ' + str(pid) if pid else 'not running'} "
                              f"(pid file {daemon.pidfile}); "
                              + (f"an engine {'answers' if answers else 'does not answer'} at {address}"
                                 if answers is not None else f"the kit talks to {address}"), highlight=False)
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

            report = reset(args.chapter, purge_volumes=args.purge, session=args.session, say=console.print)
            console.print(str(report))
            return 0 if not report.other or all("could not" not in o for o in report.other) else 1
        if args.cmd == "podman":
            from .podman import PodmanService

            service = PodmanService()
            if args.action == "start":
                address = service.start(log=console.print)
                console.print(f"Podman answers Docker's API at {address}. Use it with:\n  export DOCKER_HOST={address}",
                              highlight=False)
            elif args.action == "stop":
                if not service.stop(log=console.print):
                    console.print("No Podman service of the kit's runs.")
            else:
                pid = service.pid()
                console.print(f"kit's Podman service: {'pid ' + str(pid) if pid else 'not running'}; "
                              f"{'answers' if pid and service.answers() else 'no answer'} at {service.address} "
                              f"(log: {service.logfile})", highlight=False)
            return 0
        if args.cmd == "progress":
            from .progress_cli import progress_command

            return progress_command(args, console)
        if args.cmd == "status":
            from .display.status import status

            console.print(status())
            return 0
    except DockerlabError as err:
        console.print(f"[bold red]{type(err).__name__}[/]: {err.message}", highlight=False)
        return 2
    except KeyboardInterrupt:
        console.print("Interrupted.")
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
