# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 06 · Compose: the whole app in one file
#
# **In this chapter you will**
# 1. read chapter 05's app — backend, frontend, network, volume, healthcheck, start order — as one **`compose.yaml`**;
# 2. start it with one command (`docker compose up`), list it (`ps`), read its logs (`logs`) and use it;
# 3. see what Compose made on the engine: ordinary containers, a network and a volume, named after the **project**;
# 4. change the file and `up` again: Compose replaces only what changed, and the data stays;
# 5. take it all down (`down`, `down -v`);
# 6. edit the YAML yourself: a second frontend, and the API on another port.
#
# In chapter 05 it took eight cells to start the app, and every one of them had to be right. A team writes that down
# once — in a file that lives next to the code — and everybody starts the same app with one command. That file is a
# **compose file**; the program that reads it is **Docker Compose**.

# %% [markdown] lang="ko"
# # 06 · Compose: 앱 전체를 파일 하나로
#
# **이 장에서 할 일**
# 1. 05장의 앱(백엔드, 프론트엔드, 네트워크, 볼륨, 헬스체크, 시작 순서)을 **`compose.yaml`** 파일 하나로 읽습니다.
# 2. 명령 하나(`docker compose up`)로 시작하고, 목록을 보고(`ps`), 로그를 읽고(`logs`), 앱을 씁니다.
# 3. Compose가 엔진에 무엇을 만들었는지 봅니다. 평범한 컨테이너, 네트워크, 볼륨이고, 이름은 **프로젝트**(project)를 따릅니다.
# 4. 파일을 바꾸고 다시 `up`합니다. Compose는 바뀐 것만 교체하고, 데이터는 남습니다.
# 5. 모두 내립니다(`down`, `down -v`).
# 6. YAML을 직접 고칩니다. 두 번째 프론트엔드, 그리고 다른 포트의 API입니다.
#
# 05장에서는 앱을 시작하는 데 셀 여덟 개가 들었고, 하나하나가 다 맞아야 했습니다. 팀은 그것을 한 번 적어 둡니다. 코드 옆에 두는
# 파일에 적어 두면, 누구나 명령 하나로 같은 앱을 시작합니다. 그 파일이 **compose 파일**(compose file)이고, 그 파일을 읽는 프로그램이
# **Docker Compose**입니다.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit, removes anything an earlier run of this chapter left behind, and copies the course's
# compose file into your work folder, **`work/<you>/todo-app/`** (open it from JupyterLab's file browser).
# A re-run puts the original file back: your edits from a previous run are gone.

# %% [markdown] lang="ko"
# ## 장 시작하기
# 이 셀은 키트를 불러오고, 이 장을 예전에 실행하면서 남은 것을 모두 지우고, 과정의 compose 파일을 여러분의 작업 폴더
# **`work/<you>/todo-app/`에** 복사합니다(JupyterLab의 파일 브라우저에서 열어 보세요).
# 다시 실행하면 원래 파일로 돌아갑니다. 전에 실행하면서 고친 내용은 사라집니다.

# %%
import json
import time
from datetime import datetime
import urllib.error
import urllib.request

import yaml

import dockerlab as lab
from dockerlab import compose
from dockerlab.course import copy_compose_example
from dockerlab.display.containers import containers_table
from dockerlab.exercises import ch06 as ex

ch = lab.start_chapter("06", "Compose: the whole app in one file", lang="en")
ch.reset(purge=True)
folder = copy_compose_example()
print("Compose on this machine:", compose.tool())
print("your compose file:", folder / "compose.yaml")

# %% lang="ko"
import json
import time
from datetime import datetime
import urllib.error
import urllib.request

import yaml

import dockerlab as lab
from dockerlab import compose
from dockerlab.course import copy_compose_example
from dockerlab.display.containers import containers_table
from dockerlab.exercises import ch06 as ex

ch = lab.start_chapter("06", "Compose: 앱 전체를 파일 하나로", lang="ko")
ch.reset(purge=True)
folder = copy_compose_example()
print("이 컴퓨터의 Compose:", compose.tool())
print("내 compose 파일:", folder / "compose.yaml")

# %% [markdown]
# ## 1. The app as a file
# Here is the whole file. Read it from the top; the table below says which `docker run` option each line replaces.

# %% [markdown] lang="ko"
# ## 1. 파일로 쓴 앱
# 파일 전체입니다. 위에서부터 읽어 보세요. 아래 표는 각 줄이 어떤 `docker run` 옵션을 대신하는지 알려 줍니다.

# %%
print((folder / "compose.yaml").read_text())

# %% [markdown]
# | in `compose.yaml` | what chapter 05 typed |
# |---|---|
# | `services:` `backend:` / `frontend:` | one `docker run` each; the service name is also its **name on the network** |
# | `image: …` | the image argument of `docker run` |
# | `environment:` | `-e SERVER_PORT=8080`, `-e BACKEND_URL=…` |
# | `volumes: - todo-data:/data` + the top-level `volumes: todo-data:` | `docker volume create` + `-v todo-data:/data` |
# | `networks: - todo-net` + the top-level `networks: todo-net:` | `docker network create` + `--network todo-net` |
# | `ports: - "127.0.0.1::8080"` | `-p 127.0.0.1::8080` (a free host port, on this machine only) |
# | `healthcheck:` | `--health-cmd … --health-interval 2s …` |
# | `depends_on: backend: condition: service_healthy` | *nothing*: in chapter 05 **you** waited for the backend before starting the frontend |
#
# YAML is indentation: two spaces per level, a list item starts with `- `. A file is only text, so Python reads it
# like any other YAML — two services, one network, one volume:

# %% [markdown] lang="ko"
# | `compose.yaml`에서 | 05장에서 입력한 것 |
# |---|---|
# | `services:` `backend:` / `frontend:` | 각각 `docker run` 하나. 서비스 이름은 **네트워크에서의 이름**이기도 합니다 |
# | `image: …` | `docker run`의 이미지 인자 |
# | `environment:` | `-e SERVER_PORT=8080`, `-e BACKEND_URL=…` |
# | `volumes: - todo-data:/data` + 최상위 `volumes: todo-data:` | `docker volume create` + `-v todo-data:/data` |
# | `networks: - todo-net` + 최상위 `networks: todo-net:` | `docker network create` + `--network todo-net` |
# | `ports: - "127.0.0.1::8080"` | `-p 127.0.0.1::8080`(이 컴퓨터에서만 쓰는 빈 호스트 포트) |
# | `healthcheck:` | `--health-cmd … --health-interval 2s …` |
# | `depends_on: backend: condition: service_healthy` | *없음*: 05장에서는 프론트엔드를 시작하기 전에 **여러분이** 백엔드를 기다렸습니다 |
#
# YAML은 들여쓰기가 전부입니다. 한 단계에 공백 두 칸이고, 목록 항목은 `- `로 시작합니다. 파일은 텍스트일 뿐이므로 Python도 다른
# YAML처럼 읽습니다. 서비스 둘, 네트워크 하나, 볼륨 하나입니다.

# %%
spec = yaml.safe_load((folder / "compose.yaml").read_text())
print("services:", list(spec["services"]), "| networks:", list(spec["networks"]), "| volumes:", list(spec["volumes"]))
assert set(spec["services"]) == {"backend", "frontend"} and list(spec["volumes"]) == ["todo-data"]
assert spec["services"]["frontend"]["depends_on"]["backend"]["condition"] == "service_healthy"

# %% [markdown]
# ### How Compose reads it
# `docker compose config` prints the file the way Compose understands it: variables filled in, short forms written
# out in full. `${REGISTRY:-}` means "the variable `REGISTRY`, or nothing if it is not set" — empty here, so the
# images are the course's own. (Chapter 08 sets it to a registry's address, and the same file deploys elsewhere.)
#
# The kit's `compose.Project` runs the real Compose program — `docker compose` (version 2, a plugin of the `docker`
# CLI) where your machine has it, else `docker-compose` (version 1, Debian's package). Both read the same file.
# A **project name** keeps your app apart from everybody else's: every name Compose makes starts with it.

# %% [markdown] lang="ko"
# ### Compose가 파일을 읽는 방식
# `docker compose config`는 Compose가 이해한 모양 그대로 파일을 출력합니다. 변수는 채워지고, 짧은 형식은 전부 풀어 씁니다.
# `${REGISTRY:-}`는 "변수 `REGISTRY`, 설정되어 있지 않으면 빈 값"이라는 뜻입니다. 여기서는 비어 있으므로 이미지는 과정의
# 이미지입니다. (08장에서는 이 변수를 레지스트리 주소로 정하고, 같은 파일로 다른 곳에 배포합니다.)
#
# 키트의 `compose.Project`는 진짜 Compose 프로그램을 실행합니다. 컴퓨터에 `docker compose`(버전 2, `docker` CLI의 플러그인)가
# 있으면 그것을, 없으면 `docker-compose`(버전 1, Debian의 패키지)를 씁니다. 둘 다 같은 파일을 읽습니다.
# **프로젝트 이름**은 여러분의 앱을 다른 사람의 앱과 떼어 놓습니다. Compose가 만드는 모든 이름이 프로젝트 이름으로 시작합니다.

# %%
app = compose.Project("todo", folder)
config = app.config()
print(app.cli)
print("project name:", app.name)
for name, service in config["services"].items():
    print(f"{name:>9}: image {service['image']}")
assert config["services"]["backend"]["image"] == "dockerlab/backend:1.0"  # ${REGISTRY:-} was empty

# %% lang="ko"
app = compose.Project("todo", folder)
config = app.config()
print(app.cli)
print("프로젝트 이름:", app.name)
for name, service in config["services"].items():
    print(f"{name:>9}: 이미지 {service['image']}")
assert config["services"]["backend"]["image"] == "dockerlab/backend:1.0"  # ${REGISTRY:-}는 비어 있었습니다

# %% [markdown]
# ## 2. `up`: the whole app, one command
# `docker compose up -d` creates the network and the volume, then the containers — in the order `depends_on` asks:
# the frontend only once the backend's healthcheck passes. `-d` (detached) gives the terminal back, as `docker run -d`.
#
# The kit adds a second, small file next to yours, `.dockerlab.yaml`: Compose merges it over yours (`-f compose.yaml
# -f .dockerlab.yaml`). It gives everything Compose makes the kit's labels, so the chapter's reset finds and removes
# it, and the kit's memory and pids limits. Run the printed command in a terminal and you get exactly the same.

# %% [markdown] lang="ko"
# ## 2. `up`: 명령 하나로 앱 전체를
# `docker compose up -d`는 네트워크와 볼륨을 만든 다음, `depends_on`이 요구하는 순서대로 컨테이너를 만듭니다. 프론트엔드는 백엔드의
# 헬스체크가 통과한 뒤에야 만듭니다. `-d`(detached)는 `docker run -d`처럼 터미널을 바로 돌려줍니다.
#
# 키트는 여러분의 파일 옆에 작은 파일 `.dockerlab.yaml`을 하나 더 둡니다. Compose는 그것을 여러분의 파일 위에 합칩니다(`-f
# compose.yaml -f .dockerlab.yaml`). 이 파일은 Compose가 만드는 모든 것에 키트의 레이블을 붙여 이 장의 초기화가 찾아서 지울 수 있게
# 하고, 키트의 메모리 제한과 PID 제한을 줍니다. 출력된 명령을 터미널에서 실행해도 똑같은 결과가 나옵니다.

# %%
started = time.monotonic()
app.up()
print(app.cli)
print(f"up and healthy after {time.monotonic() - started:.1f} s")
print((folder / compose.OVERRIDE_FILE).read_text())

# %% lang="ko"
started = time.monotonic()
app.up()
print(app.cli)
print(f"{time.monotonic() - started:.1f}초 만에 올라와 정상(healthy)이 되었습니다")
print((folder / compose.OVERRIDE_FILE).read_text())

# %% [markdown]
# `docker compose ps` lists the project's containers. Each one is an ordinary container: the table is the kit's
# usual one.

# %% [markdown] lang="ko"
# `docker compose ps`는 프로젝트의 컨테이너를 나열합니다. 하나하나가 평범한 컨테이너이므로, 표도 키트의 평소 표입니다.

# %%
containers = app.ps()
print(app.cli)
backend, frontend = app.container("backend"), app.container("frontend")
assert {c.labels[compose.SERVICE_LABEL] for c in containers} == {"backend", "frontend"}
assert backend.health == "healthy" and frontend.status == "running"
containers_table(containers, title=f"Compose project {app.name}")

# %% lang="ko"
containers = app.ps()
print(app.cli)
backend, frontend = app.container("backend"), app.container("frontend")
assert {c.labels[compose.SERVICE_LABEL] for c in containers} == {"backend", "frontend"}
assert backend.health == "healthy" and frontend.status == "running"
containers_table(containers, title=f"Compose 프로젝트 {app.name}")

# %% [markdown]
# **The start order, measured.** The engine keeps the backend's health-check results with their times
# (`docker inspect`'s `State.Health.Log`, read here from `.inspect()`, the same JSON). The frontend started only
# **after** the backend's first successful check — Compose waited, as `depends_on` asked.

# %% [markdown] lang="ko"
# **시작 순서를 재어 봅니다.** 엔진은 백엔드의 헬스체크 결과를 시각과 함께 보관합니다(`docker inspect`의 `State.Health.Log`.
# 여기서는 같은 JSON을 주는 `.inspect()`로 읽습니다). 프론트엔드는 백엔드의 첫 번째 성공한 확인 **뒤에야** 시작했습니다.
# `depends_on`이 요구한 대로 Compose가 기다린 것입니다.

# %%
def instant(stamp: str) -> datetime:
    """An engine timestamp ('2026-11-30T06:18:18.98012345Z', UTC, nanoseconds) as a datetime."""
    head, _, fraction = stamp.rstrip("Z").partition(".")
    return datetime.fromisoformat(f"{head}.{(fraction + '000000')[:6]}+00:00")


backend_state, frontend_state = backend.inspect()["State"], frontend.inspect()["State"]  # `docker inspect`
first_ok = next(entry for entry in backend_state["Health"]["Log"] if entry["ExitCode"] == 0)
frontend_started = instant(frontend_state["StartedAt"])
print("backend started       :", instant(backend_state["StartedAt"]).time())
print("backend first healthy :", instant(first_ok["End"]).time())
print("frontend started      :", frontend_started.time())
assert frontend_started > instant(first_ok["Start"])  # depends_on: condition: service_healthy

# %% lang="ko"
def instant(stamp: str) -> datetime:
    """엔진의 타임스탬프('2026-11-30T06:18:18.98012345Z', UTC, 나노초)를 datetime으로."""
    head, _, fraction = stamp.rstrip("Z").partition(".")
    return datetime.fromisoformat(f"{head}.{(fraction + '000000')[:6]}+00:00")


backend_state, frontend_state = backend.inspect()["State"], frontend.inspect()["State"]  # `docker inspect`
first_ok = next(entry for entry in backend_state["Health"]["Log"] if entry["ExitCode"] == 0)
frontend_started = instant(frontend_state["StartedAt"])
print("백엔드 시작          :", instant(backend_state["StartedAt"]).time())
print("백엔드 첫 정상 확인  :", instant(first_ok["End"]).time())
print("프론트엔드 시작      :", frontend_started.time())
assert frontend_started > instant(first_ok["Start"])  # depends_on: condition: service_healthy

# %% [markdown]
# ## 3. What Compose made
# Compose is a client: it only asks the engine for the same things you asked for in chapter 05, with names built from
# the project (`<project>_<service>_1` for Compose 1, `<project>-<service>-1` for Compose 2) and labels of its own
# (`com.docker.compose.project`, `com.docker.compose.service`). The kit's `leaks` finds all of it by the kit's labels:

# %% [markdown] lang="ko"
# ## 3. Compose가 만든 것
# Compose는 클라이언트입니다. 05장에서 여러분이 요청한 것과 똑같은 것을 엔진에 요청할 뿐이고, 이름은 프로젝트에서 만들며(Compose
# 1은 `<project>_<service>_1`, Compose 2는 `<project>-<service>-1`) 자기 레이블(`com.docker.compose.project`,
# `com.docker.compose.service`)을 붙입니다. 키트의 `leaks`는 키트의 레이블로 그 모두를 찾습니다.

# %%
made = lab.leaks(chapter="06")
for resource in made:
    print(f"{resource.kind:>9}  {resource.name}")
assert {r.kind for r in made} >= {"container", "network", "volume"}
print("backend's labels:", {k: v for k, v in backend.labels.items() if k.startswith("com.docker.compose.")
                            and k.split(".")[-1] in ("project", "service")})

# %% lang="ko"
made = lab.leaks(chapter="06")
for resource in made:
    print(f"{resource.kind:>9}  {resource.name}")
assert {r.kind for r in made} >= {"container", "network", "volume"}
print("백엔드의 레이블:", {k: v for k, v in backend.labels.items() if k.startswith("com.docker.compose.")
                           and k.split(".")[-1] in ("project", "service")})

# %% [markdown]
# On the project's network, each **service name** is a name in Docker's DNS: the frontend finds the backend as
# `backend` — which is why `BACKEND_URL` in the file can say `http://backend:8080` for every learner at once.

# %% [markdown] lang="ko"
# 프로젝트의 네트워크에서는 **서비스 이름**이 저마다 Docker DNS의 이름입니다. 프론트엔드는 백엔드를 `backend`라는 이름으로 찾습니다.
# 그래서 파일의 `BACKEND_URL`은 모든 학습자에게 한꺼번에 `http://backend:8080`이라고 쓸 수 있습니다.

# %%
resolved = frontend.exec(["getent", "hosts", "backend"])
network = backend.networks[0]
print("$", resolved.cli)
print(resolved.output.strip(), "| backend's address on", network, "is", backend.ip(network))
assert resolved.ok and resolved.output.split()[0] == backend.ip(network)

# %% lang="ko"
resolved = frontend.exec(["getent", "hosts", "backend"])
network = backend.networks[0]
print("$", resolved.cli)
print(resolved.output.strip(), "| 네트워크", network, "→ 백엔드 주소", backend.ip(network))
assert resolved.ok and resolved.output.split()[0] == backend.ip(network)

# %% [markdown]
# ## 4. Use the app
# As in chapter 05, everything goes through the frontend's published port.

# %% [markdown] lang="ko"
# ## 4. 앱 쓰기
# 05장에서처럼 모든 요청은 프론트엔드의 공개된 포트를 거칩니다.

# %%
def http(method: str, url: str, body: dict | None = None) -> tuple[int, bytes]:
    """One HTTP request from the notebook: (status, body)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read()


api = frontend.url(8080, "/api/todos")
print("Open the todo app:", frontend.url(8080, "/"))
for title in ("write compose.yaml", "docker compose up", "docker compose down"):
    status, _ = http("POST", api, {"title": title})
    assert status == 201
status, body = http("GET", api)
print("GET /api/todos ->", status, body.decode())
assert [t["title"] for t in json.loads(body)] == ["write compose.yaml", "docker compose up", "docker compose down"]

# %% lang="ko"
def http(method: str, url: str, body: dict | None = None) -> tuple[int, bytes]:
    """노트북에서 보내는 HTTP 요청 하나: (상태, 본문)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read()


api = frontend.url(8080, "/api/todos")
print("할 일 앱 열기:", frontend.url(8080, "/"))
for title in ("write compose.yaml", "docker compose up", "docker compose down"):
    status, _ = http("POST", api, {"title": title})
    assert status == 201
status, body = http("GET", api)
print("GET /api/todos ->", status, body.decode())
assert [t["title"] for t in json.loads(body)] == ["write compose.yaml", "docker compose up", "docker compose down"]

# %% [markdown]
# ## 5. `logs`: every service's log in one place
# `docker compose logs` puts the services' logs side by side, each line with its service's name in front
# (`--tail 3`: the last three lines of each). In a terminal, `docker compose logs -f` keeps following them.

# %% [markdown] lang="ko"
# ## 5. `logs`: 모든 서비스의 로그를 한곳에서
# `docker compose logs`는 서비스들의 로그를 나란히 보여 주고, 줄마다 앞에 서비스 이름을 붙입니다(`--tail 3`: 서비스마다 마지막
# 세 줄). 터미널에서 `docker compose logs -f`를 쓰면 계속 따라갑니다.

# %%
print(app.logs(tail=3))
print(app.cli)
assert "POST /api/todos" in app.logs("backend")

# %% [markdown]
# ## 6. Change the file, `up` again
# Configuration lives in the file now. Give the backend a version number: add `APP_VERSION: "1.1.0"` under its
# `environment:` (this cell edits the file; you could do it in JupyterLab's editor). Then `up` again: Compose compares
# each service with what runs and **replaces only the containers whose configuration changed**.

# %% [markdown] lang="ko"
# ## 6. 파일을 바꾸고 다시 `up`하기
# 이제 설정은 파일에 있습니다. 백엔드에 버전 번호를 줍시다. `environment:` 아래에 `APP_VERSION: "1.1.0"`을 더합니다(이 셀이 파일을
# 고칩니다. JupyterLab의 편집기에서 고쳐도 됩니다). 그다음 다시 `up`합니다. Compose는 서비스마다 지금 실행 중인 것과 비교해서
# **설정이 바뀐 컨테이너만 교체합니다**.

# %%
compose_file = folder / "compose.yaml"
compose_file.write_text(compose_file.read_text().replace("      DATA_DIR: /data\n",
                                                         '      DATA_DIR: /data\n      APP_VERSION: "1.1.0"\n'))
before = {c.labels[compose.SERVICE_LABEL]: c.id for c in app.ps()}
app.up()
after = {c.labels[compose.SERVICE_LABEL]: c.id for c in app.ps()}
for service in before:
    print(f"{service:>9}: {'replaced' if before[service] != after[service] else 'kept'}")
assert before["backend"] != after["backend"]  # a new container for the changed service

# %% lang="ko"
compose_file = folder / "compose.yaml"
compose_file.write_text(compose_file.read_text().replace("      DATA_DIR: /data\n",
                                                         '      DATA_DIR: /data\n      APP_VERSION: "1.1.0"\n'))
before = {c.labels[compose.SERVICE_LABEL]: c.id for c in app.ps()}
app.up()
after = {c.labels[compose.SERVICE_LABEL]: c.id for c in app.ps()}
for service in before:
    print(f"{service:>9}: {'교체됨' if before[service] != after[service] else '그대로'}")
assert before["backend"] != after["backend"]  # 바뀐 서비스에는 새 컨테이너

# %% [markdown]
# The new backend container mounted the **same volume**, so the todos are still there, and the app reports its new
# version. (nginx in the frontend looks the name `backend` up again every 10 s, so the first answers may take a moment.)

# %% [markdown] lang="ko"
# 새 백엔드 컨테이너는 **같은 볼륨**을 마운트했으므로 할 일은 그대로 있고, 앱은 새 버전을 알려 줍니다. (프론트엔드의 nginx는
# 10초마다 `backend`라는 이름을 다시 찾으므로, 처음 몇 번의 답은 잠깐 걸릴 수 있습니다.)

# %%
def get_json(url: str, tries: int = 60) -> object:
    """GET a JSON answer, retrying while nginx still points at the replaced container (502)."""
    for _ in range(tries):
        try:
            return json.loads(http("GET", url)[1])
        except (urllib.error.HTTPError, OSError):
            time.sleep(0.5)
    raise AssertionError(f"{url} never answered")


frontend = app.container("frontend")
info = get_json(frontend.url(8080, "/api/info"))
todos = get_json(frontend.url(8080, "/api/todos"))
print(info)
print([t["title"] for t in todos])
assert info["version"] == "1.1.0" and len(todos) == 3  # a new container, the same data

# %% lang="ko"
def get_json(url: str, tries: int = 60) -> object:
    """JSON 답을 GET합니다. nginx가 아직 교체된 컨테이너를 가리키는 동안(502)은 다시 시도합니다."""
    for _ in range(tries):
        try:
            return json.loads(http("GET", url)[1])
        except (urllib.error.HTTPError, OSError):
            time.sleep(0.5)
    raise AssertionError(f"{url}이(가) 끝내 답하지 않았습니다")


frontend = app.container("frontend")
info = get_json(frontend.url(8080, "/api/info"))
todos = get_json(frontend.url(8080, "/api/todos"))
print(info)
print([t["title"] for t in todos])
assert info["version"] == "1.1.0" and len(todos) == 3  # 새 컨테이너, 같은 데이터

# %% [markdown]
# ## 7. `down`, and `down -v`
# `docker compose down` stops and removes the project's containers and its network. The **volume stays**: it holds
# data, and Compose never deletes data unless you say `-v`.

# %% [markdown] lang="ko"
# ## 7. `down`, 그리고 `down -v`
# `docker compose down`은 프로젝트의 컨테이너와 네트워크를 멈추고 지웁니다. **볼륨은 남습니다**. 볼륨에는 데이터가 있고, Compose는
# `-v`라고 말하지 않는 한 데이터를 절대 지우지 않습니다.

# %%
print(app.down())
print(app.cli)
left = {(r.kind, r.name) for r in lab.leaks(chapter="06")}
print("still there:", left)
assert app.ps() == [] and {kind for kind, _ in left} == {"volume"}

# %% lang="ko"
print(app.down())
print(app.cli)
left = {(r.kind, r.name) for r in lab.leaks(chapter="06")}
print("아직 남은 것:", left)
assert app.ps() == [] and {kind for kind, _ in left} == {"volume"}

# %% [markdown]
# `up` again, and the todos are back — the new containers found the volume. These containers are the ones the
# exercises below start from.

# %% [markdown] lang="ko"
# 다시 `up`하면 할 일이 돌아옵니다. 새 컨테이너들이 볼륨을 찾았습니다. 아래 연습 문제는 이 컨테이너들에서 시작합니다.

# %%
app.up()
frontend = app.container("frontend")
todos = get_json(frontend.url(8080, "/api/todos"))
print(len(todos), "todos after down and up:", [t["title"] for t in todos])
assert len(todos) == 3

# %% lang="ko"
app.up()
frontend = app.container("frontend")
todos = get_json(frontend.url(8080, "/api/todos"))
print(len(todos), "개의 할 일이 down과 up 뒤에도 남아 있습니다:", [t["title"] for t in todos])
assert len(todos) == 3

# %% [markdown]
# ## Exercises
# Both exercises change **your `compose.yaml`** (its path is printed below: open it from the file browser on the left,
# edit, save with Ctrl+S) and then start the change with `app.up()` — or `docker compose -p <project> up -d` in a
# terminal, in that folder (the project name is printed below too). The checks read what runs on the engine.

# %% [markdown] lang="ko"
# ## 연습 문제
# 두 연습 모두 **여러분의 `compose.yaml`을** 고치고(경로는 아래에 출력됩니다. 왼쪽 파일 브라우저에서 열어 고치고 Ctrl+S로
# 저장하세요), 그 변경을 `app.up()`으로 시작합니다. 터미널이라면 그 폴더에서 `docker compose -p <project> up -d`입니다(프로젝트
# 이름도 아래에 출력됩니다). 확인은 엔진에서 실행 중인 것을 읽습니다.

# %%
print("your project:", app.name, "| your file:", compose_file)

# %% lang="ko"
print("내 프로젝트:", app.name, "| 내 파일:", compose_file)

# %% [markdown]
# ### Exercise 1 — a second frontend
# Add a service **`frontend2`** to the file: the same image as `frontend`, on the network `todo-net`, talking to the
# **same backend**, its port 8080 published on a free port of 127.0.0.1. Keep `frontend` as it is. Then `up`.

# %% [markdown] lang="ko"
# ### 연습 1 — 두 번째 프론트엔드
# 파일에 서비스 **`frontend2`를** 더하세요. `frontend`와 같은 이미지, 네트워크는 `todo-net`, 이야기하는 상대는 **같은 백엔드**이고,
# 포트 8080은 127.0.0.1의 빈 포트에 공개합니다. `frontend`는 그대로 두세요. 그다음 `up`합니다.

# %%
### BEGIN SOLUTION
FRONTEND2 = """
  frontend2:
    image: ${REGISTRY:-}dockerlab/frontend:1.0
    environment:
      BACKEND_URL: http://backend:8080
    ports:
      - "127.0.0.1::8080"
    networks:
      - todo-net
    depends_on:
      backend:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "/usr/local/bin/healthcheck"]
      interval: 2s
      timeout: 3s
      retries: 3
"""
text = compose_file.read_text()
compose_file.write_text(text.replace("\nvolumes:\n", FRONTEND2 + "\nvolumes:\n", 1))
app.up()
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — the API on port 9090
# Ops wants the backend to listen on port **9090**. Change it in the file — the backend reads its port from
# `SERVER_PORT` — and everywhere else the old port matters, so the app keeps working. Then `up`.

# %% [markdown] lang="ko"
# ### 연습 2 — 포트 9090의 API
# 운영팀이 백엔드를 포트 **9090**에서 기다리게 하기를 원합니다. 파일에서 바꾸세요. 백엔드는 포트를 `SERVER_PORT`에서 읽습니다.
# 그리고 앱이 계속 동작하도록 예전 포트가 쓰이는 다른 모든 곳도 바꾸세요. 그다음 `up`합니다.

# %%
### BEGIN SOLUTION
text = compose_file.read_text()
text = text.replace('SERVER_PORT: "8080"', 'SERVER_PORT: "9090"').replace("http://backend:8080", "http://backend:9090")
compose_file.write_text(text)
app.up()
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ## Recap
# - A **compose file** describes an app: its services (image, environment, ports, volumes, networks, healthcheck) and
#   their order (`depends_on: condition: service_healthy`). It lives next to the code, in version control.
# - `docker compose up -d` makes it real; `ps`, `logs` show it; `up` again after an edit replaces only what changed;
#   `down` removes containers and networks, `down -v` the volumes too.
# - Compose asks the engine for ordinary containers, networks and volumes, named after the **project**; on the
#   project's network each service is reachable by its **service name**.
# - Variables (`${REGISTRY:-}`) let one file run in several places: chapter 08 deploys this very file on another server.
#
# ## Clean up
# `down -v` removes the project, its network and its volume; the reset removes whatever else the chapter made.

# %% [markdown] lang="ko"
# ## 정리
# - **compose 파일**은 앱을 기술합니다. 서비스(이미지, 환경 변수, 포트, 볼륨, 네트워크, 헬스체크)와 그 순서(`depends_on:
#   condition: service_healthy`)입니다. 코드 옆, 버전 관리 안에 둡니다.
# - `docker compose up -d`가 그것을 실제로 만들고, `ps`와 `logs`가 보여 줍니다. 고친 뒤 다시 `up`하면 바뀐 것만 교체합니다.
#   `down`은 컨테이너와 네트워크를, `down -v`는 볼륨까지 지웁니다.
# - Compose는 엔진에 평범한 컨테이너, 네트워크, 볼륨을 요청하고, 이름은 **프로젝트**를 따릅니다. 프로젝트의 네트워크에서는 서비스마다
#   **서비스 이름**으로 닿을 수 있습니다.
# - 변수(`${REGISTRY:-}`) 덕분에 파일 하나가 여러 곳에서 실행됩니다. 08장은 바로 이 파일을 다른 서버에 배포합니다.
#
# ## 뒷정리
# `down -v`는 프로젝트와 그 네트워크, 볼륨을 지우고, 초기화는 이 장이 만든 나머지를 지웁니다.

# %%
print(app.down(volumes=True))
ch.reset(purge=True)
assert lab.leaks(chapter="06") == []
