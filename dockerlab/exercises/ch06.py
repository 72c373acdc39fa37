"""Chapter 06 exercises: edit compose.yaml — a second frontend, the API on port 9090 — and `up`; the checks read the
engine (the project's containers, found by Compose's own labels), so `docker compose up` in a terminal counts too."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import yaml

from ..checks import HTTP_TIMEOUT, Incorrect, NotAttempted, Problem, runs_course_image, state_words
from ..compose import PROJECT_LABEL, SERVICE_LABEL, project_name
from ..containers import Container
from ..course import work_folder
from ..engine import connect
from ..errors import translated
from ..i18n import N_, _
from ..polling import poll
from ..labels import owned

__all__ = ["q1", "q2", "PROJECT", "project_containers"]

#: the chapter's project: ``compose.Project("todo", …)`` → the Compose project ``<session>-todo`` (``todo`` on your own
#: engine)
PROJECT = "todo"


def project_containers(project: str | None = None) -> dict[str, list[Container]]:
    """Service → the containers of the Compose project (running or not), as the engine lists them."""
    client = connect()
    name = project or project_name(PROJECT)
    with translated(_("listing the containers of the Compose project {name}").format(name=name), client):
        found = client.containers.list(all=True, filters={"label": [f"{PROJECT_LABEL}={name}"]}, ignore_removed=True)
    out: dict[str, list[Container]] = {}
    for sdk in found:
        if (sdk.labels or {}).get("com.docker.compose.oneoff") == "True":
            continue
        out.setdefault(sdk.labels.get(SERVICE_LABEL, "?"), []).append(Container(sdk))
    return out


def _other_projects_with(service: str) -> list[str]:
    """This learner's Compose projects other than the chapter's that have ``service`` (another project name):
    made by the kit for this session, or named with this learner's prefix (plain `docker compose -p …`)."""
    client = connect()
    with translated(_("listing Compose projects"), client):
        found = client.containers.list(all=True, filters={"label": [f"{SERVICE_LABEL}={service}"]}, ignore_removed=True)
    prefix = project_name("x")[:-1]  # "alice-" on a shared engine, "" on the learner's own
    projects = {c.labels.get(PROJECT_LABEL, "") for c in found
                if owned(c.labels) or (c.labels.get(PROJECT_LABEL, "").startswith(prefix))}
    return sorted(projects - {project_name(PROJECT), ""})


def _your_file() -> dict:
    """The services of the learner's compose.yaml (the chapter's copy in the work folder), as written; {} when it is
    not there or not YAML yet. Only to say "saved but not started": the checks judge what runs."""
    try:
        text = (work_folder("todo-app") / "compose.yaml").read_text()
        services = (yaml.safe_load(text) or {}).get("services") or {}
    except (OSError, yaml.YAMLError, AttributeError):
        return {}
    return services if isinstance(services, dict) else {}


def _written_env(service: str) -> dict[str, str]:
    """The environment ``service`` has in the learner's file (mapping or list form), as strings."""
    spec = _your_file().get(service)
    env = spec.get("environment") if isinstance(spec, dict) else None
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env if isinstance(item, str) and "=" in item)
    return {str(k): str(v) for k, v in env.items()} if isinstance(env, dict) else {}


def _not_up_yet(project: str) -> str:
    return _("Your compose.yaml has it, but the project '{project}' on the engine does not: the file is saved but not "
             "started. Run `app.up()` (or `docker compose -p {project} up -d` in that folder).").format(project=project)


def _is_frontend(c: Container) -> bool:
    return runs_course_image(c, "frontend")


def _project(project: str) -> dict[str, list[Container]]:
    services = project_containers(project)
    if not services:
        raise NotAttempted(_("There is no Compose project named '{project}' on the engine: run the chapter's cells "
                             "(`app.up()`), or `docker compose -p {project} up -d` in a terminal.").format(
                                 project=project))
    return services


def _one(services: dict[str, list[Container]], service: str, project: str) -> Container:
    containers = services.get(service) or []
    if not containers:
        raise Incorrect(_("The project '{project}' has no '{service}' service running: it is in the chapter's file — "
                          "did an edit remove or rename it?").format(project=project, service=service))
    c = containers[0]
    c.reload()
    if c.status != "running":
        raise Incorrect(_("'{service}' of '{project}' is {state}, not running: read its log with "
                          "`app.logs('{service}')` (or `docker compose -p {project} logs {service}`), then "
                          "`app.up()` starts it again.").format(service=service, project=project, state=state_words(c)))
    return c


def _published_on_loopback(c: Container, service: str) -> int:
    bindings = ((c.attrs.get("NetworkSettings") or {}).get("Ports") or {}).get("8080/tcp") or []  # with its address
    if not bindings:
        raise Incorrect(_("'{service}' publishes no host port for its port 8080: nobody outside could open it. "
                          "Add `ports: [\"127.0.0.1::8080\"]`.").format(service=service))
    host_ip = bindings[0].get("HostIp") or "0.0.0.0"
    if host_ip not in ("127.0.0.1", "::1"):
        raise Incorrect(_("'{service}' publishes 8080 on every network of the machine ({address}): write the "
                          "address, \"127.0.0.1::8080\".").format(service=service, address=host_ip))
    return int(bindings[0]["HostPort"])


def _backend_port(backend: Container) -> str:
    return backend.env.get("SERVER_PORT", "8080").strip() or "8080"


def _names_of(backend: Container, network: str) -> set[str]:
    """Every name the backend answers to on ``network``: the service name, its container name, aliases."""
    endpoint = ((backend.attrs.get("NetworkSettings") or {}).get("Networks") or {}).get(network) or {}
    return {backend.labels.get(SERVICE_LABEL, ""), backend.name, *(endpoint.get("Aliases") or [])} - {""}


def _through(port: int, path: str = "/api/todos", wait: float = 12) -> tuple[int, bytes]:
    """GET through a frontend's host port; a 502 is retried a little (nginx re-resolves the backend every 10 s)."""
    answers: list[tuple[int, bytes]] = []

    def answered() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=HTTP_TIMEOUT) as resp:  # noqa: S310
                answers.append((resp.status, resp.read()))
        except urllib.error.HTTPError as err:
            answers.append((err.code, err.read() or b""))
        except OSError as exc:
            answers.append((0, str(exc).encode()))
        return answers[-1][0] not in (0, 502, 503, 504)

    poll(answered, timeout=wait, interval=0.5)
    return answers[-1]


def _reaches_backend(c: Container, service: str, backend: Container) -> str:
    """Check that ``c`` (a frontend) is on a network with the backend and that BACKEND_URL names it; the URL."""
    mine, theirs = set(c.networks), set(backend.networks)
    shared = mine & theirs
    if not shared:
        raise Incorrect(_("'{service}' is on {mine}, the backend only on {theirs}: from there it cannot find the "
                          "backend. Give it the backend's network (`networks: [todo-net]`).").format(
                              service=service, mine=", ".join(sorted(mine)) or _("no network"),
                              theirs=", ".join(sorted(theirs))))
    url = c.env.get("BACKEND_URL", "")
    host = url.split("://", 1)[-1].split("/", 1)[0]
    hostname, _colon, port = host.partition(":")
    names = set().union(*(_names_of(backend, net) for net in shared))
    if hostname not in names:
        raise Incorrect(_("'{service}' has BACKEND_URL={url!r}: on the network the backend is called {names}.").format(
            service=service, url=url, names=_(" or ").join(repr(n) for n in sorted(names))))
    wanted = _backend_port(backend)
    if (port or "80") != wanted:
        raise Incorrect(_("'{service}' has BACKEND_URL={url!r}, but the backend listens on port {port} (its "
                          "SERVER_PORT): requests through it would fail.").format(
                              service=service, url=url, port=wanted))
    return url


def _through_failed(service: str, port: int, status: int, body: bytes) -> str:
    return _("GET /api/todos through {service} (port {port}) answered {status}: {body}").format(
        service=service, port=port, status=status or _("nothing"), body=body[:120].decode("utf-8", "replace"))


class SecondFrontend(Problem):
    title = N_("Exercise 1: a second frontend in compose.yaml")
    hints = (
        N_("Copy the `frontend:` block inside `services:` and rename the copy `frontend2:` — same indentation (two "
           "spaces before the service name). Keep `frontend` too. Then `app.up()`."),
        N_("frontend2 needs the same `image:`, `environment: BACKEND_URL: http://backend:8080`, `networks: "
           "[todo-net]` and its own `ports: [\"127.0.0.1::8080\"]` (the empty host port means a free one: no clash "
           "with frontend)."),
    )

    def inspect(self) -> str:
        project = project_name(PROJECT)
        services = project_containers(project)
        if "frontend2" not in services:
            elsewhere = _other_projects_with("frontend2")
            if elsewhere:
                raise NotAttempted(_("A frontend2 runs in the Compose project {others}, but the check looks at your "
                                     "project '{project}': start it with `app.up()` (or `docker compose -p {project} "
                                     "up -d`).").format(others=", ".join(elsewhere), project=project))
            _project(project)  # none at all: Not attempted
            if "frontend" not in services:
                raise Incorrect(_("The project '{project}' has no 'frontend' and no 'frontend2': the exercise adds a "
                                  "second frontend beside the first.").format(project=project))
            if "frontend2" in _your_file():
                raise NotAttempted(f"frontend2: {_not_up_yet(project)}")
            raise NotAttempted(_("The project '{project}' has no service 'frontend2' yet: add it to compose.yaml, "
                                 "then `app.up()`.").format(project=project))
        c = _one(services, "frontend2", project)
        if not _is_frontend(c):
            raise Incorrect(_("frontend2 runs {image!r}, not the course's frontend image.").format(image=c.image))
        if "frontend" not in services:
            raise Incorrect(_("frontend2 is there but 'frontend' is gone: the exercise asks for a second frontend, "
                              "beside the first (copy the block, do not rename it)."))
        _one(services, "frontend", project)
        backend = _one(services, "backend", project)
        url = _reaches_backend(c, "frontend2", backend)
        port = _published_on_loopback(c, "frontend2")
        status, body = _through(port)
        if status != 200:
            raise Incorrect(_through_failed("frontend2", port, status, body))
        try:
            todos = json.loads(body)
        except ValueError:
            raise Incorrect(_("GET /api/todos through frontend2 did not answer JSON.")) from None
        return _("frontend2 on 127.0.0.1:{port} reaches the backend ({url}) and lists {count} todo(s): two frontends, "
                 "one backend, one file.").format(port=port, url=url, count=len(todos))


class ApiOn9090(Problem):
    title = N_("Exercise 2: the API on port 9090")
    hints = (
        N_("Two kinds of lines depend on the backend's port: the backend's own `SERVER_PORT`, and every `BACKEND_URL` "
           "that points at it. Change them all, then `app.up()`."),
        N_("`SERVER_PORT: \"9090\"` under backend's environment, and `BACKEND_URL: http://backend:9090` in frontend "
           "(and frontend2 if you made it). The backend's healthcheck script follows SERVER_PORT by itself."),
    )

    def inspect(self) -> str:
        project = project_name(PROJECT)
        services = _project(project)
        backend = _one(services, "backend", project)
        port = _backend_port(backend)
        if port == "8080":
            written = _written_env("backend").get("SERVER_PORT", "8080").strip()
            if written not in ("8080", ""):
                raise NotAttempted(f"SERVER_PORT={written}: {_not_up_yet(project)}")
            raise NotAttempted(_("The backend of '{project}' still listens on 8080, as the chapter's file says: "
                                 "change its SERVER_PORT in compose.yaml, then `app.up()`.").format(project=project))
        if port != "9090":
            raise Incorrect(_("The backend's SERVER_PORT is {port}, not 9090.").format(port=port))
        if backend.health == "unhealthy":
            raise Incorrect(_("The backend runs but is unhealthy: does a healthcheck of yours still ask port 8080? "
                              "(The image's own check follows SERVER_PORT.)"))
        frontends = {name: cs for name, cs in services.items() if cs and _is_frontend(cs[0])}
        if not frontends:
            raise Incorrect(_("The project '{project}' has no frontend left: only the API listens now.").format(
                project=project))
        shown = []
        for service in sorted(frontends):
            c = _one(services, service, project)
            _reaches_backend(c, service, backend)
            host_port = _published_on_loopback(c, service)
            status, body = _through(host_port)
            if status != 200:
                raise Incorrect(_through_failed(service, host_port, status, body))
            shown.append(service)
        return _("The API listens on 9090 inside the network, and {services} find it there: one change, made "
                 "everywhere it matters.").format(services=", ".join(shown))


q1 = SecondFrontend()
q2 = ApiOn9090()
