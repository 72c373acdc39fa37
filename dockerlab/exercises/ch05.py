"""Chapter 05 exercises: a second frontend on the same network, and the backend on another port."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from ..checks import Incorrect, Problem, course_container
from ..containers import Container, find
from ..labels import name as namespaced

__all__ = ["q1", "q2", "NETWORK", "BACKEND"]

#: the chapter's network and backend container (short names; the kit adds the session)
NETWORK = "todo-net"
BACKEND = "backend"


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 (loopback only)
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read() or b""
    except OSError as exc:
        return 0, str(exc).encode()


def _published(c: Container, port: int, what: str) -> int:
    if f"{port}/tcp" not in c.ports:
        shown = ", ".join(c.ports) or "none"
        raise Incorrect(f"{what} does not publish its port {port} on the host (published: {shown}): "
                        "you could not open it from your browser.")
    return c.ports[f"{port}/tcp"]


class SecondFrontend(Problem):
    title = "Exercise 1: a second frontend for the same backend"
    hints = (
        "It is the same `lab.run` as the chapter's frontend, with another name: the network and BACKEND_URL stay.",
        "network='todo-net', env={'BACKEND_URL': f'http://{lab.name(\"backend\")}:8080'}, ports={8080: None}.",
    )

    def inspect(self) -> str:
        c = course_container("frontend2", "frontend", running=True)
        backend = find(BACKEND)
        if backend is None or backend.reload().status != "running":
            raise Incorrect("The chapter's backend container is not running: run the section 3 cells again, "
                            "then check again.")
        networks = c.networks
        net = namespaced(NETWORK)
        if net not in networks:
            raise Incorrect(f"frontend2 is on the network(s) {', '.join(networks) or 'none'}, not on {net}: "
                            "from there it cannot find the backend by its name.")
        url = c.env.get("BACKEND_URL", "")
        expected_host = backend.name
        if not url:
            raise Incorrect("frontend2 has no BACKEND_URL variable: nginx then looks for a host called 'backend', "
                            "which is not your backend's name.")
        host = url.split("://", 1)[-1].split("/", 1)[0]
        hostname, _, port = host.partition(":")
        if hostname != expected_host:
            raise Incorrect(f"BACKEND_URL names the host {hostname!r}; on the network your backend container is "
                            f"called {expected_host!r}.")
        if port != "8080":
            raise Incorrect(f"BACKEND_URL names port {port or '80 (none given)'}, but the backend listens on its "
                            "port inside the network, whatever the host publishes.")
        hport = _published(c, 8080, "frontend2")
        status, body = _get(f"http://127.0.0.1:{hport}/api/todos")
        if status != 200:
            raise Incorrect(f"GET /api/todos through frontend2 (port {hport}) answered {status or 'nothing'}: "
                            f"{body[:120].decode('utf-8', 'replace')}")
        try:
            todos = json.loads(body)
        except ValueError:
            raise Incorrect("GET /api/todos through frontend2 did not answer JSON: is BACKEND_URL right?") from None
        return (f"frontend2 on port {hport} reaches {expected_host} by name and lists {len(todos)} todo(s): "
                "two frontends, one backend, one network.")


class BackendPort9090(Problem):
    title = "Exercise 2: the backend on port 9090"
    hints = (
        "The backend reads the port it listens on from the environment variable SERVER_PORT.",
        "Publish the port the app listens on inside the container: ports={9090: None}; name the container "
        "'backend9090'; wait with lab.Http('/actuator/health', 9090).",
    )

    def inspect(self) -> str:
        c = course_container("backend9090", "backend", running=True)
        port = c.env.get("SERVER_PORT")
        if port is None:
            raise Incorrect("backend9090 has no SERVER_PORT variable: the app then listens on its default port.")
        if port.strip() != "9090":
            raise Incorrect(f"SERVER_PORT is {port!r} in backend9090, so the app listens on {port.strip()} "
                            "inside the container.")
        hport = _published(c, 9090, "backend9090")
        status, body = _get(f"http://127.0.0.1:{hport}/actuator/health")
        if status != 200:
            raise Incorrect(f"GET /actuator/health on host port {hport} answered {status or 'nothing'}; "
                            "is the app up yet? (lab.run(..., wait=…) waits for it)")
        return (f"The app listens on 9090 inside, published on host port {hport}: the port is configuration, "
                "the image is unchanged.")


q1 = SecondFrontend()
q2 = BackendPort9090()
