"""A real classroom for tests: JupyterHub on this machine with N learner accounts, driven through its REST API.

    from hubkit import ClassroomHub
    with ClassroomHub(learners=3) as hub:               # root only: creates/reuses users dlab-l1..dlab-l3
        hub.start_servers()                              # all learners log in and start their servers, in parallel
        k = hub.kernel("dlab-l1")                         # a kernel in that learner's own JupyterLab
        k.run("import dockerlab as lab; print(lab.naming())")
        hub.terminal("dlab-l1", "docker ps")              # the learner's terminal (same DOCKER_HOST)
        hub.token("dlab-teacher"), hub.url                # e.g. for a browser: f"{hub.url}/hub/login"

Set-up is `dockerlab.course.classroom.setup` (idempotent: the second run reuses users and the install) and the hub is
`dockerlab.course.hub.Hub`, started on free ports with its pid files and log in ``<DOCKERLAB_STATE>/hub`` (so
`python -m dockerlab classroom stop` finds it too); ``close()`` stops the learners' servers, their engines and the
hub by pid, and gives back the class file a teacher had. Users are the kit's: every name starts with ``dlab-``.
Passwords are set afresh for these test users (root-only), tokens come from the hub's login API
(``POST /hub/api/users/NAME/tokens`` with the user name and password).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ports import free_port_block

ROOT = Path(__file__).resolve().parent.parent
TEACHER = os.environ.get("DOCKERLAB_HUB_TEACHER", "dlab-teacher")


@dataclass
class ExecResult:
    stdout: str
    error: str | None  # "EName: value" when the cell raised
    data: list[dict] = field(default_factory=list)

    def check(self) -> str:
        if self.error:
            raise AssertionError(f"the cell raised {self.error}\n--- output ---\n{self.stdout[-3000:]}")
        return self.stdout


class Kernel:
    """A kernel in a learner's JupyterLab, spoken to over its websocket (the Jupyter messaging protocol)."""

    def __init__(self, base: str, token: str, kernel_id: str) -> None:
        self.base, self.token, self.id = base, token, kernel_id
        self.session = uuid.uuid4().hex

    def _connect(self):
        """A fresh channels connection per cell: an idle one is closed by the server's websocket ping timeout while
        the test works with other learners (the kernel and its state live on; only the connection is new)."""
        import websocket

        ws_url = self.base.replace("http", "ws", 1) + f"/api/kernels/{self.id}/channels"
        return websocket.create_connection(ws_url, timeout=900, header=[f"Authorization: token {self.token}"])

    def run(self, code: str, timeout: float = 900) -> ExecResult:
        ws = self._connect()
        try:
            return self._run(ws, code, timeout)
        finally:
            ws.close()

    def _run(self, ws, code: str, timeout: float) -> ExecResult:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": self.session, "username": "test",
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out, error, data = [], None, []
        replied = idle = False
        deadline = time.monotonic() + timeout
        while not (replied and idle):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the cell did not finish within {timeout:.0f} s:\n{code[:300]}")
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                data.append(content.get("data", {}))
                out.append(content.get("data", {}).get("text/plain", "") + "\n")
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"
                out.append("\n".join(content.get("traceback", [])))
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
            elif kind == "execute_reply":
                replied = True
        return ExecResult("".join(out), error, data)

    def close(self) -> None:
        _request("DELETE", f"{self.base}/api/kernels/{self.id}", self.token, ok=(204, 404))


def _request(method: str, url: str, token: str | None = None, body: dict | None = None,
             ok: tuple[int, ...] = (200, 201, 202, 204), timeout: float = 60) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", f"token {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (the local hub)
            raw = resp.read()
            status = resp.status
    except urllib.error.HTTPError as err:
        raw, status = err.read(), err.code
    if status not in ok:
        raise AssertionError(f"{method} {url} answered {status}: {raw[:500]!r}")
    return json.loads(raw) if raw.strip() else {}


class ClassroomHub:
    """JupyterHub for ``learners`` kit users (dlab-l1…) plus the teacher, on free ports; a context manager."""

    def __init__(self, learners: int | list[str] = 3, *, bundle: str | None = None, prefix: str = "dlab-l",
                 state: Path | None = None) -> None:
        from dockerlab.course.classroom import Installation

        self.learners = [f"{prefix}{i}" for i in range(1, learners + 1)] if isinstance(learners, int) else learners
        self.teacher = TEACHER
        assert all(u.startswith("dlab-") for u in [*self.learners, self.teacher]), "test users must be the kit's (dlab-…)"
        self.bundle = bundle
        from dockerlab.daemon import state_dir

        self.inst = Installation()
        self.state = state or state_dir()  # the hub's log and pid files: <state>/hub (CI keeps them)
        self._class_before = self.inst.class_file.read_bytes() if self.inst.class_file.exists() else None
        self.passwords: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        self.hub = None
        self.url = ""
        self.log = self.state / "hub" / "jupyterhub.log"

    # -- life cycle ------------------------------------------------------------------------------------------
    def __enter__(self) -> ClassroomHub:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        from dockerlab.course.classroom import ClassList, setup
        from dockerlab.course.hub import Hub

        setup(ClassList(self.learners, self.teacher), source=ROOT, inst=self.inst, bundle=self.bundle, log=lambda _: None)
        for user in [*self.learners, self.teacher]:  # known passwords for the kit's test users (root-only)
            self.passwords[user] = uuid.uuid4().hex
            subprocess.run(["chpasswd"], input=f"{user}:{self.passwords[user]}\n", text=True, check=True)
        self.hub = Hub(self.inst, self.state / "hub")
        self.url = self.hub.start(port=free_port_block(3), idle_timeout=3600, log=lambda _: None)
        self._give_back_class_file()  # the hub keeps its own class (hub.json); the machine's class file is the teacher's

    def close(self) -> None:
        if self.hub is not None:
            for user in list(self.tokens):
                try:
                    self.stop_server(user)
                except Exception:
                    pass
            self.hub.stop(log=lambda _: None)
        self._give_back_class_file()

    def _give_back_class_file(self) -> None:
        if self._class_before is not None:  # a teacher's own class on this machine is theirs again
            self.inst.class_file.write_bytes(self._class_before)

    # -- learners --------------------------------------------------------------------------------------------
    def login(self, user: str) -> str:
        """Log in through the hub's REST API with the user's password; returns an API token."""
        if user not in self.tokens:
            answer = _request("POST", f"{self.url}/hub/api/users/{user}/tokens",
                              body={"auth": {"username": user, "password": self.passwords[user]},
                                    "note": "dockerlab tests", "expires_in": 7200})
            self.tokens[user] = answer["token"]
        return self.tokens[user]

    def token(self, user: str) -> str:
        return self.login(user)

    def server_url(self, user: str) -> str:
        return f"{self.url}/user/{user}"

    def start_server(self, user: str, timeout: float = 300) -> dict:
        """Start the learner's server (their engine first) and wait until it is ready; the hub's user model."""
        token = self.login(user)
        _request("POST", f"{self.url}/hub/api/users/{user}/server", token, ok=(201, 202, 400))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = _request("GET", f"{self.url}/hub/api/users/{user}", token)
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready"):
                return model
            if not server and time.monotonic() > deadline - timeout + 20:
                pending = model.get("pending")
                if pending is None:
                    raise AssertionError(f"{user}'s server stopped while starting; hub log: {self.log}")
            time.sleep(1)
        raise TimeoutError(f"{user}'s server was not ready within {timeout:.0f} s; hub log: {self.log}")

    def start_servers(self, users: list[str] | None = None) -> dict[str, dict]:
        users = users or self.learners
        with ThreadPoolExecutor(len(users)) as pool:
            return dict(zip(users, pool.map(self.start_server, users)))

    def stop_server(self, user: str, timeout: float = 90) -> None:
        token = self.login(user)
        _request("DELETE", f"{self.url}/hub/api/users/{user}/server", token, ok=(202, 204, 400))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = _request("GET", f"{self.url}/hub/api/users/{user}", token)
            if not model.get("servers") and not model.get("pending"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{user}'s server did not stop within {timeout:.0f} s")

    def kernel(self, user: str) -> Kernel:
        """A new python3 kernel in the learner's own JupyterLab."""
        token = self.login(user)
        kid = _request("POST", f"{self.server_url(user)}/api/kernels", token, body={"name": "python3"})["id"]
        return Kernel(self.server_url(user), token, kid)

    def terminal(self, user: str, command: str, timeout: float = 120) -> str:
        """Run ``command`` in a Jupyter terminal of the learner (their shell, their environment); its output."""
        import websocket

        token = self.login(user)
        base = self.server_url(user)
        name = _request("POST", f"{base}/api/terminals", token)["name"]
        ws = websocket.create_connection(base.replace("http", "ws", 1) + f"/terminals/websocket/{name}", timeout=timeout,
                                         header=[f"Authorization: token {token}"])
        marker = uuid.uuid4().hex[:12]
        try:  # the quotes keep the echoed command line from matching the marker the shell prints at the end
            ws.send(json.dumps(["stdin", f"{command}; echo dlab''{marker}-rc=$?\r"]))
            out = ""
            deadline = time.monotonic() + timeout
            while not re.search(f"dlab{marker}-rc=\\d+", out) and time.monotonic() < deadline:
                kind, *rest = json.loads(ws.recv())
                if kind == "stdout":
                    out += rest[0]
            return out
        finally:
            ws.close()
            _request("DELETE", f"{base}/api/terminals/{name}", token, ok=(204, 404))

    def engine_address(self, user: str) -> str:
        import pwd

        return f"unix:///run/user/{pwd.getpwnam(user).pw_uid}/docker.sock"

    def ready_record(self, user: str) -> dict:
        """What the learner's server wrote when its engine was ready (engine start and bundle import times)."""
        import pwd

        path = Path(pwd.getpwnam(user).pw_dir) / ".local/state/dockerlab/rootless/ready.json"
        return json.loads(path.read_text())


def open_logged_in(page, url: str, user: str, password: str, attempts: int = 6):
    """Open ``url`` on the hub as ``user`` (the hub sends the page to its login form first, then back); the page that
    shows it. Chromium drops a request when Docker adds or removes a network interface (net::ERR_NETWORK_CHANGED,
    even on loopback; the other stages do that all the time): a navigation or login that failed is tried again in a
    new page of the same browser context (its cookies kept), since the failed one is still busy with its error page."""
    from playwright.sync_api import Error as PlaywrightError

    errors: list[str] = []
    for _ in range(attempts):
        try:
            page.goto(url, wait_until="domcontentloaded")
            if "/hub/login" not in page.url:
                return page
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", password)
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_load_state("domcontentloaded")
        except PlaywrightError as exc:
            errors.append(str(exc).splitlines()[0])
            fresh = page.context.new_page()
            page.close()
            page = fresh
    why = "; ".join(errors[-6:]) or "the hub kept asking to log in"
    raise AssertionError(f"{url} never opened as {user}: {why}")
