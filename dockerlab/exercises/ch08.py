"""Chapter 08 exercises: push to the registry, deploy on the cloud server from it, and choose where to run."""

from __future__ import annotations

import urllib.error
import urllib.request

import docker

from ..checks import HTTP_TIMEOUT, AnswerProblem, Incorrect, NotAttempted, Problem, engine_name, state_words
from ..containers import find
from ..engine import connect
from ..i18n import N_, _
from ..course.registry import find_registry
from ..course.cloud_server import LABEL, cloud

__all__ = ["q1", "q2", "q3", "BACKEND_TITLE", "DEMO_REPOS"]

#: the OCI title label every image built from images/backend carries (course image or the learner's own build)
BACKEND_TITLE = "dockerlab todo backend"
#: repositories the chapter's own cells push (not the learner's answer)
DEMO_REPOS = ("todo-api", "dockerlab/backend", "dockerlab/frontend")


def _is_backend(image_id: str, client: docker.DockerClient) -> bool | None:
    """True/False when the engine knows the image; None when it does not have it."""
    try:
        image = client.images.get(image_id)
    except docker.errors.ImageNotFound:
        return None
    except docker.errors.DockerException:
        return None
    return (image.labels or {}).get("org.opencontainers.image.title") == BACKEND_TITLE


def _repo_digests(image_id: str, client: docker.DockerClient) -> list[str]:
    """``<registry>/<repo>@sha256:…`` for every registry the engine pulled (or pushed) this image from: none for an
    image that arrived by `docker load`."""
    try:
        return list(client.images.get(image_id).attrs.get("RepoDigests") or [])
    except docker.errors.DockerException:
        return []


def _repo_and_tag(name: str) -> tuple[str, str]:
    """'todo-backend:v1' → ('todo-backend', 'v1'); a name without a tag is :latest, as `docker pull` takes it."""
    repo, colon, tag = name.rpartition(":")
    return (repo, tag) if colon and "/" not in tag else (name, "latest")


def _registry_host(name: str, hosts: tuple[str, ...]) -> str | None:
    """The registry host ``name`` starts with ('127.0.0.1:5000' of '127.0.0.1:5000/todo-backend:v1'), if it is one of
    ``hosts`` (a host ending in ':' stands for any port)."""
    host = name.split("/", 1)[0] if "/" in name else ""
    return host if any(host == h or (h.endswith(":") and host.startswith(h)) for h in hosts) else None


def _http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT) as resp:  # noqa: S310 (loopback only)
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return 0


class PushBackend(Problem):
    title = N_("Exercise 1: push your backend image as todo-backend:v1")
    hints = (
        N_("The registry's `push(image, repo, tag)` tags and pushes in one go; so do `docker tag` + `docker push`."),
        N_("reg.push(todo_api.tag, 'todo-backend', 'v1') — or the course image 'dockerlab/backend:1.0'."),
    )

    def inspect(self) -> str:
        reg = find_registry()
        if reg is None:
            raise NotAttempted(_("Your registry is not running: run the chapter's registry cell (section 4) first."))
        repos = reg.catalog()
        if "todo-backend" not in repos:
            mine = [r for r in repos if r not in DEMO_REPOS]
            if mine:
                raise Incorrect(_("The registry holds {repos}, but no repository named todo-backend.").format(
                    repos=", ".join(mine)))
            raise NotAttempted(_("The registry has no todo-backend repository yet: push your image, then check "
                                 "again."))
        tags = reg.tags("todo-backend")
        if "v1" not in tags:
            raise Incorrect(_("todo-backend is in the registry with the tag(s) {tags}, but not v1.").format(
                tags=", ".join(tags) or _("none")))
        config = reg.config_digest("todo-backend", "v1") or ""
        stored = reg.config("todo-backend", "v1")  # read from the registry: the local copy may be gone after a push
        labels = ((stored or {}).get("config") or {}).get("Labels") or {}
        is_backend = labels.get("org.opencontainers.image.title") == BACKEND_TITLE if stored is not None \
            else _is_backend(config, connect())
        if is_backend is None:
            raise Incorrect(_("The registry could not show the image under todo-backend:v1: push it again."))
        if not is_backend:
            raise Incorrect(_("The image under todo-backend:v1 is not the backend (its title label says otherwise): "
                              "push an image built from images/backend."))
        digest = reg.digest("todo-backend", "v1")
        return _("todo-backend:v1 is in your registry: manifest {digest}, image ID {id}… — any engine that pulls it "
                 "gets exactly this image.").format(digest=digest, id=config[:19])


class WebOnCloud(Problem):
    title = N_("Exercise 2: run `web` on the cloud server from the registry image")
    hints = (
        N_("Pull on the cloud server (`registry.pull(ref, client=cloud)`) then `lab.run(..., client=cloud)`: "
           "the client decides which engine runs it."),
        N_("lab.run('web', reg.ref('todo-backend', 'v1'), client=cloud, ports={8080: None}, "
           "wait='log:Started TodoApplication') — after pulling that reference on the cloud server."),
    )

    def inspect(self) -> str:
        server = cloud()
        if not server.running():
            raise NotAttempted(_("The {server} is not running: run the chapter's cell that starts it "
                                 "(section 2).").format(server=_(LABEL)))
        client = server.client(timeout=20)
        try:
            return self._inspect(client)
        finally:
            client.close()

    def _inspect(self, client: docker.DockerClient) -> str:
        web = find("web", client)
        if web is None:
            if find("web") is not None:
                raise Incorrect(_("There is a 'web' container on your local engine, but none on the {server}: which "
                                  "engine runs a container depends on the client you pass.").format(server=_(LABEL)))
            raise NotAttempted(_("There is no container named '{name}' on the {server} yet.").format(
                name=engine_name("web"), server=_(LABEL)))
        web.reload()
        if web.status != "running":
            raise Incorrect(_("'{name}' on the {server} is {state}, not running: read its logs (`docker logs {name}` "
                              "against the {server}).").format(name=web.name, server=_(LABEL), state=state_words(web)))
        ref = (web.attrs.get("Config") or {}).get("Image", "")
        reg = find_registry()
        hosts = reg.hosts if reg else ("127.0.0.1:", "localhost:")
        if not _is_backend(web.image_id, client):
            raise Incorrect(_("web runs {ref!r}, which is not the backend image.").format(ref=ref))
        # the image was pulled from the registry when the engine recorded its digest there (RepoDigests): whatever
        # name web was run by — host/repo:tag, host/repo@sha256:… (by digest), or the image's ID
        pulled = [d for d in _repo_digests(web.image_id, client) if _registry_host(d, hosts)]
        named = _registry_host(ref, hosts)
        if not pulled:
            if named is None:
                raise Incorrect(_("web runs {ref!r}, an image that reached the {server} another way (a file, or a local "
                                  "build), not one pulled from your registry.").format(ref=ref, server=_(LABEL)))
            where = reg.ref(*_repo_and_tag(ref[len(named) + 1:])) if reg else ref
            raise Incorrect(_("web's image carries the registry's name ({ref}) but was never pulled from it: it "
                              "reached the {server} by file (docker load) and a tag. Pull it: `docker pull {name}` "
                              "against the {server}.").format(ref=ref, server=_(LABEL), name=where))
        if reg is not None and named is not None and "@" not in ref:
            repo, tag = _repo_and_tag(ref[len(named) + 1:])
            served = {reg.config_digest(repo, tag), reg.digest(repo, tag)} - {None}
            if served and web.image_id not in served:
                raise Incorrect(_("web's image is not the one the registry now serves under {name}: pull "
                                  "again.").format(name=f"{repo}:{tag}"))
        ports = (web.attrs.get("NetworkSettings") or {}).get("Ports") or {}
        bindings = ports.get("8080/tcp") or []
        if not bindings:
            raise Incorrect(_("web does not publish the API's port 8080: nobody could reach it."))
        port = int(bindings[0]["HostPort"])
        status = _http_status(f"http://127.0.0.1:{port}/actuator/health")
        if status != 200:
            raise Incorrect(_("GET /actuator/health on web's port {port} answered {status}: is it up yet?").format(
                port=port, status=status or _("nothing")))
        return _("web runs {ref} on the {server}, pulled from your registry, and answers on port {port}: a deploy is "
                 "a pull and a run.").format(ref=ref, server=_(LABEL), port=port)


class WhereToRun(AnswerProblem):
    title = N_("Exercise 3: on-premise, private cloud or public cloud?")
    hints = (
        N_("Look at three things in the story: who would buy and run the servers, how the load changes, and "
           "whether any rule forces the data to stay in their own building."),
        N_("Paying per hour for machines that appear in minutes suits an uneven load and a team with no servers."),
    )
    placeholder = "____"
    answer = "public cloud"
    choices = ("on-premise", "private cloud", "public cloud")

    def example(self) -> object:
        return "private cloud"

    #: the same choices as a Korean learner may write them
    KOREAN = {"온프레미스": "on premise", "프라이빗 클라우드": "private cloud", "퍼블릭 클라우드": "public cloud"}

    def normalize(self, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower().replace("-", " ").replace("_", " ").replace("  ", " ")
            return self.KOREAN.get(value, value)
        return value

    def inspect(self) -> str:
        given = self._given
        if isinstance(given, str) and given.strip() and given != self.placeholder and \
                self.normalize(given) not in {self.normalize(c) for c in self.choices}:
            raise Incorrect(_("{given!r} is not one of the choices: {choices}.").format(
                given=given, choices=", ".join(repr(c) for c in self.choices)))
        return super().inspect()

    def why_wrong(self, given: object) -> str:
        if self.normalize(given) == "on premise":
            return _("On-premise means buying servers up front and running a server room, sized for the ticket-sale "
                     "peak — for a two-person team with no servers, that is the costliest fit.")
        return _("A private cloud is cloud-style infrastructure run for one organisation — someone still owns and "
                 "runs its capacity, sized for the peak. Nothing here requires keeping data in-house.")

    def why_right(self) -> str:
        return _("Public cloud: no hardware to buy, pay per use, and extra servers for the few peak hours. "
                 "The same image runs there as on your laptop.")


q1 = PushBackend()
q2 = WebOnCloud()
q3 = WhereToRun()
