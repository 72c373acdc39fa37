"""Chapter 05 exercises: a second frontend on the same network, the backend on another port, and the runtime stage of
a multi-stage build written by the learner."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import re

from ..checks import (HTTP_TIMEOUT, Incorrect, NotAttempted, Problem, course_container, course_image_id,
                      image_ref, start_failure)
from ..containers import Container, find
from ..course import app_dir, app_tag
from ..docker_run import run
from ..errors import ContainerExited, DockerlabError, ImageMissing, ReadyTimeout
from ..i18n import N_, _
from ..images import inspect as inspect_image
from ..labels import ROLE, name as namespaced
from ..waiting import Http

__all__ = ["q1", "q2", "q3", "NETWORK", "BACKEND", "BUILD_STAGES", "SLIM_TAG", "SIZE_LIMIT_MB"]

#: the chapter's network and backend container (short names; the kit adds the session)
NETWORK = "todo-net"
BACKEND = "backend"


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT) as resp:  # noqa: S310 (loopback only)
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read() or b""
    except OSError as exc:
        return 0, str(exc).encode()


def _published(c: Container, port: int, what: str) -> int:
    if f"{port}/tcp" not in c.ports:
        shown = ", ".join(c.ports) or _("none")
        raise Incorrect(_("{what} does not publish its port {port} on the host (published: {shown}): you could not "
                          "open it from your browser.").format(what=what, port=port, shown=shown))
    return c.ports[f"{port}/tcp"]


class SecondFrontend(Problem):
    title = N_("Exercise 1: a second frontend for the same backend")
    hints = (
        N_("It is the same `lab.run` as the chapter's frontend, with another name: the network and BACKEND_URL stay."),
        N_("network='todo-net', env={'BACKEND_URL': f'http://{lab.name(\"backend\")}:8080'}, ports={8080: None}."),
    )

    def inspect(self) -> str:
        c = course_container("frontend2", "frontend", running=True)
        backend = find(BACKEND)
        if backend is None or backend.reload().status != "running":
            raise Incorrect(_("The chapter's backend container is not running: run the section 3 cells again, then "
                              "check again."))
        networks = c.networks
        net = namespaced(NETWORK)
        if net not in networks:
            raise Incorrect(_("frontend2 is on the network(s) {networks}, not on {net}: from there it cannot find the "
                              "backend by its name.").format(networks=", ".join(networks) or _("none"), net=net))
        url = c.env.get("BACKEND_URL", "")
        expected_host = backend.name
        if not url:
            raise Incorrect(_("frontend2 has no BACKEND_URL variable: nginx then looks for a host called 'backend', "
                              "which is not your backend's name."))
        host = url.split("://", 1)[-1].split("/", 1)[0]
        hostname, _colon, port = host.partition(":")
        if hostname != expected_host:
            raise Incorrect(_("BACKEND_URL names the host {host!r}; on the network your backend container is called "
                              "{expected!r}.").format(host=hostname, expected=expected_host))
        if port != "8080":
            raise Incorrect(_("BACKEND_URL names port {port}, but the backend listens on its port inside the network, "
                              "whatever the host publishes.").format(port=port or _("80 (none given)")))
        hport = _published(c, 8080, "frontend2")
        status, body = _get(f"http://127.0.0.1:{hport}/api/todos")
        if status != 200:
            raise Incorrect(_("GET /api/todos through frontend2 (port {port}) answered {status}: {body}").format(
                port=hport, status=status or _("nothing"), body=body[:120].decode("utf-8", "replace")))
        try:
            todos = json.loads(body)
        except ValueError:
            raise Incorrect(_("GET /api/todos through frontend2 did not answer JSON: is BACKEND_URL right?")) from None
        return _("frontend2 on port {port} reaches {backend} by name and lists {count} todo(s): two frontends, one "
                 "backend, one network.").format(port=hport, backend=expected_host, count=len(todos))


class BackendPort9090(Problem):
    title = N_("Exercise 2: the backend on port 9090")
    hints = (
        N_("The backend reads the port it listens on from the environment variable SERVER_PORT."),
        N_("Publish the port the app listens on inside the container: ports={9090: None}; name the container "
           "'backend9090'; wait with lab.Http('/actuator/health', 9090)."),
    )

    def inspect(self) -> str:
        c = course_container("backend9090", "backend", running=True)
        port = c.env.get("SERVER_PORT")
        if port is None:
            raise Incorrect(_("backend9090 has no SERVER_PORT variable: the app then listens on its default port."))
        if port.strip() != "9090":
            raise Incorrect(_("SERVER_PORT is {value!r} in backend9090, so the app listens on {port} inside the "
                              "container.").format(value=port, port=port.strip()))
        hport = _published(c, 9090, "backend9090")
        status, body = _get(f"http://127.0.0.1:{hport}/actuator/health")
        if status != 200:
            raise Incorrect(_("GET /actuator/health on host port {port} answered {status}; is the app up yet? "
                              "(lab.run(..., wait=…) waits for it)").format(port=hport, status=status or _("nothing")))
        return _("The app listens on 9090 inside, published on host port {port}: the port is configuration, the image "
                 "is unchanged.").format(port=hport)


#: exercise 3: the learner's image, and the most it may weigh (the chapter's runtime image is ~110 MB, the JDK ~400)
SLIM_TAG = "backend-slim:v1"
SIZE_LIMIT_MB = 150
#: what must not be shipped: compilers and build tools
_BUILD_TOOLS = ("javac", "jar", "jlink", "node", "nodejs", "npm", "gcc")


def _build_stages() -> str:
    """The backend's Dockerfile up to (not including) its runtime stage: the stages jdk and build."""
    text = (app_dir("backend") / "Dockerfile").read_text()
    at = re.search(r"^FROM \S+ AS runtime\b", text, re.M | re.I)
    if at is None:
        raise RuntimeError("images/backend/Dockerfile has no runtime stage")
    head = text[:at.start()]
    return head[:head.rfind("\n# ---")] + "\n" if "\n# ---" in head else head


BUILD_STAGES = _build_stages()


class RuntimeStage(Problem):
    title = N_("Exercise 3: write the runtime stage")
    hints = (
        N_("A new FROM starts a fresh, small stage; `COPY --from=<stage> <path> <path>` takes only what you name from "
           "an earlier stage: the Java runtime of the jdk stage and the jar of the build stage."),
        N_("FROM debian:bookworm-slim AS runtime; COPY --from=jdk /opt/java /opt/java; COPY --from=build /src/app.jar "
           "/app/app.jar; a user that owns /data; ENTRYPOINT [\"/opt/java/bin/java\", \"-jar\", \"/app/app.jar\"]."),
    )

    def inspect(self) -> str:
        ref = image_ref(SLIM_TAG)
        try:
            image = inspect_image(ref)
        except ImageMissing:
            raise NotAttempted(_("There is no image {ref} yet: build it in the cell above (or `docker build -t {ref} "
                                 "…`).").format(ref=ref)) from None
        if image.id == course_image_id("backend"):
            raise Incorrect(_("{ref} is the chapter's own image {course} under another name (same ID {id}): build your "
                              "own runtime stage.").format(ref=ref, course=app_tag("backend"), id=image.short_id))
        shipped = self._build_tools(image.id)
        if shipped:
            raise Incorrect(_("{ref} ships build tools: {tools}. The runtime stage should start FROM a small base and "
                              "COPY --from the build stages only what runs the app.").format(
                                  ref=ref, tools=", ".join(shipped)))
        size_mb = image.size / 1e6
        if size_mb > SIZE_LIMIT_MB:
            raise Incorrect(_("{ref} weighs {size:.0f} MB, over {limit} MB: copy only the small jlinked runtime "
                              "(/opt/java) and the jar, not a whole JDK or the build folder.").format(
                                  ref=ref, size=size_mb, limit=SIZE_LIMIT_MB))
        status = self._serve(image.id)
        return _("{ref}: {size:.0f} MB, no compiler and no node inside, and the app answers {status}: the build tools "
                 "stayed in the build stages.").format(ref=ref, size=size_mb, status=status)

    @staticmethod
    def _build_tools(image_id: str) -> list[str]:
        """The build tools found anywhere in the image's files (not only on the PATH)."""
        names = " -o ".join(f"-name {tool}" for tool in _BUILD_TOOLS)
        try:
            probe = run("slim-probe", image_id, ["-c", f"find / -xdev \\( {names} \\) ! -type d 2>/dev/null; true"],
                        entrypoint=["sh"], labels={ROLE: "check"}, healthcheck={"test": ["NONE"]})
        except DockerlabError as err:
            raise start_failure(err, _("A shell in your image")) from None
        with probe:  # removed when the block ends
            probe.wait(timeout=60)
            found = probe.logs().split()
        return sorted({path.rsplit("/", 1)[-1] for path in found})

    @staticmethod
    def _serve(image_id: str) -> str:
        """Run the image as it is; the answer of GET /actuator/health."""
        try:
            c = run("slim-check", image_id, ports={8080: None}, labels={ROLE: "check"},
                    wait=Http("/actuator/health", 8080), timeout=90)
        except (ContainerExited, ReadyTimeout) as err:
            raise Incorrect(_("A container from your image did not answer GET /actuator/health: {what} ").format(
                what=err.what) + " | ".join(err.details[-4:])) from None
        except DockerlabError as err:
            raise start_failure(err, _("A container from your image")) from None
        try:
            status, body = _get(c.url(8080, "/actuator/health"))
        finally:
            c.remove()
        return f"{status} {body.decode('utf-8', 'replace').strip()[:60]}"


q1 = SecondFrontend()
q2 = BackendPort9090()
q3 = RuntimeStage()
