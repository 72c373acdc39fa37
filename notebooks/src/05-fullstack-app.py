# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 05 · A Spring-style backend and a React frontend
#
# **In this chapter you will**
# 1. build the two images of a real web app — a Java REST backend (the shape of a Spring Boot service) and a
#    React frontend — and read their build logs;
# 2. see why a **multi-stage** build leaves the compilers behind: no JDK, no Node, no npm in what you ship;
# 3. put both containers on a **user-defined network**, where they find each other **by name**;
# 4. keep the backend's data in a **volume**, and use the app from this notebook through the frontend's port.
#
# The article's story: a developer builds a Spring Boot backend and a React frontend on a laptop, ships them as
# images, and a Linux server runs them unchanged. This chapter is the laptop half; chapter 06 runs it with Compose, chapter 08 ships it.

# %% [markdown] lang="ko"
# # 05 · Spring 스타일 백엔드와 React 프론트엔드
#
# **이 장에서 할 일**
# 1. 실제 웹 앱의 이미지 두 개를 빌드하고 빌드 로그를 읽습니다. Java REST 백엔드(Spring Boot 서비스의 모양)와 React
#    프론트엔드입니다.
# 2. **멀티 스테이지 빌드**(multi-stage build)가 왜 컴파일러를 뒤에 남겨 두는지 봅니다. 배포하는 이미지에는 JDK도, Node도, npm도
#    없습니다.
# 3. 두 컨테이너를 **사용자 정의 네트워크**(user-defined network)에 두고, 서로 **이름으로** 찾는 것을 봅니다.
# 4. 백엔드의 데이터를 **볼륨**(volume)에 두고, 프론트엔드의 포트를 통해 이 노트북에서 앱을 씁니다.
#
# 원문의 예: *"Window에서 제작한 Springboot 백엔드와 React 프론트엔드 환경을 도커 이미지로 제작하고 AWS 서버상에 해당 도커
# 이미지를 실행시키면, 서버는 스프링 혹은 리액트 환경이 없고 Linux 환경임에도 불구하고 제작했던 프로젝트들이 정상적으로 구동되는
# 시스템"*. 이 장은 그중 개발자의 컴퓨터 쪽 절반입니다. 06장에서는 Compose로 실행하고, 08장에서 이 이미지들을 서버로 보냅니다.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind
# (`purge=True`: the chapter's volume too, so the app starts with an empty todo list).

# %% [markdown] lang="ko"
# ## 장 시작하기
# 이 셀은 키트를 불러오고, 이 장을 예전에 실행하면서 남은 것을 모두 지웁니다(`purge=True`: 이 장의 볼륨까지 지우므로 앱은 빈
# 할 일 목록으로 시작합니다).

# %%
import json
import platform
import time
import urllib.request

import dockerlab as lab
from dockerlab.course import app_dir, app_tag
from dockerlab.course.pipeline import TEST_COMMAND
from dockerlab.display.buildlog import BuildLog
from dockerlab.display.containers import containers_table
from dockerlab.display.network import network_view
from dockerlab.exercises import ch05 as ex

ch = lab.start_chapter("05", "A Spring-style backend and a React frontend", lang="en")
ch.reset(purge=True)
info = lab.engine_info()

# %% lang="ko"
import json
import platform
import time
import urllib.request

import dockerlab as lab
from dockerlab.course import app_dir, app_tag
from dockerlab.course.pipeline import TEST_COMMAND
from dockerlab.display.buildlog import BuildLog
from dockerlab.display.containers import containers_table
from dockerlab.display.network import network_view
from dockerlab.exercises import ch05 as ex

ch = lab.start_chapter("05", "Spring 스타일 백엔드와 React 프론트엔드", lang="ko")
ch.reset(purge=True)
info = lab.engine_info()

# %% [markdown]
# ## 1. The app: two programs, two images
#
# ```
#  browser ──> frontend (nginx + React files) ──/api/──> backend (Java todo API) ──> /data (a volume)
#              port 8080, published on the host          port 8080, only on the network
# ```
#
# * **backend** — a todo REST API in Java 17, laid out like a Spring Boot app (`TodoApplication`,
#   `TodoController`, `TodoService`, `TodoRepository`): `GET/POST /api/todos`, `DELETE /api/todos/{id}`,
#   `GET /actuator/health`. It reads its settings from environment variables: `SERVER_PORT`, `DATA_DIR`.
# * **frontend** — a React app, compiled by Vite into plain HTML/JS files, served by **nginx**. nginx also
#   forwards `/api/…` to the backend named in `BACKEND_URL`.
#
# Each has a `Dockerfile` in `images/`. Here are the stages of the backend's — every `FROM` starts a new stage:

# %% [markdown] lang="ko"
# ## 1. 앱: 프로그램 두 개, 이미지 두 개
#
# ```
#  브라우저 ──> frontend (nginx + React 파일) ──/api/──> backend (Java 할 일 API) ──> /data (볼륨)
#              포트 8080, 호스트에 공개                  포트 8080, 네트워크 안에서만
# ```
#
# * **backend** — Java 17로 만든 할 일(todo) REST API로, Spring Boot 앱처럼 구성되어 있습니다(`TodoApplication`,
#   `TodoController`, `TodoService`, `TodoRepository`). `GET/POST /api/todos`, `DELETE /api/todos/{id}`,
#   `GET /actuator/health`를 제공합니다. 설정은 환경 변수 `SERVER_PORT`, `DATA_DIR`에서 읽습니다.
# * **frontend** — React 앱을 Vite로 평범한 HTML/JS 파일로 컴파일하고, **nginx**가 내줍니다. nginx는 `/api/…` 요청을
#   `BACKEND_URL`에 적힌 백엔드로 넘겨 주기도 합니다.
#
# 둘 다 `images/`에 `Dockerfile`이 있습니다. 백엔드 Dockerfile의 스테이지(stage)를 봅시다. `FROM`마다 새 스테이지가 시작됩니다.

# %%
def stages(app: str) -> list[str]:
    """The FROM lines of a course Dockerfile: one per build stage."""
    text = (app_dir(app) / "Dockerfile").read_text()
    return [line for line in text.splitlines() if line.startswith("FROM ")]


for app in ("backend", "frontend"):
    print(f"images/{app}/Dockerfile")
    for line in stages(app):
        print("   ", line)
assert len(stages("backend")) >= 2 and len(stages("frontend")) >= 2  # both are multi-stage builds

# %% lang="ko"
def stages(app: str) -> list[str]:
    """과정 Dockerfile의 FROM 줄들: 빌드 스테이지마다 하나."""
    text = (app_dir(app) / "Dockerfile").read_text()
    return [line for line in text.splitlines() if line.startswith("FROM ")]


for app in ("backend", "frontend"):
    print(f"images/{app}/Dockerfile")
    for line in stages(app):
        print("   ", line)
assert len(stages("backend")) >= 2 and len(stages("frontend")) >= 2  # 둘 다 멀티 스테이지 빌드입니다

# %% [markdown]
# ## 2. Build both images
# `lab.build` is `docker build`: it sends the folder (the *build context*) to the engine, which runs the
# Dockerfile step by step. Each step either **runs** or is **taken from the cache** when nothing it depends on
# changed. The course images are probably built already, so most steps say `CACHED` — the log still shows
# every step, with the last lines of output of the steps that ran.
# (A first build takes a few minutes: it installs a JDK and Node inside the build stages.)

# %% [markdown] lang="ko"
# ## 2. 두 이미지 빌드하기
# `lab.build`는 `docker build`입니다. 폴더(*빌드 컨텍스트*)를 엔진에 보내고, 엔진이 Dockerfile을 단계별로 실행합니다. 각 단계는
# **실행되거나**, 그 단계가 기대는 것이 하나도 바뀌지 않았다면 **캐시에서 가져옵니다**. 과정 이미지는 아마 이미 빌드되어 있을
# 테니 대부분의 단계가 `CACHED`라고 나옵니다. 그래도 로그는 모든 단계를 보여 주고, 실행된 단계는 출력의 마지막 몇 줄도 보여 줍니다.
# (첫 빌드는 몇 분 걸립니다. 빌드 스테이지 안에 JDK와 Node를 설치하기 때문입니다.)

# %%
backend_build = lab.build(app_tag("backend"), app_dir("backend"), role="course")
assert backend_build.image is not None
BuildLog(backend_build)

# %%
frontend_build = lab.build(app_tag("frontend"), app_dir("frontend"), role="course")
assert frontend_build.image is not None
BuildLog(frontend_build)

# %% [markdown]
# The backend's Dockerfile has three stages: `jdk`, `build` and `runtime`. Its unit tests are compiled in `build`,
# but no stage runs them. The kit's **classic builder** builds every stage of a Dockerfile, in order, up to the
# target: a `test` stage would run on every build of the image, even after a one-line change. **BuildKit** (`docker
# build` on Docker 23+) builds only the stages the target needs and would skip it. So the tests run in a container
# of the build stage instead: section 3 does it, and so does chapter 11's pipeline for every release.

# %% [markdown] lang="ko"
# 백엔드의 Dockerfile에는 스테이지가 세 개 있습니다. `jdk`, `build`, `runtime`입니다. 앱의 단위 테스트는 `build`에서 컴파일되지만,
# 테스트를 실행하는 스테이지는 없습니다. 키트의 **클래식 빌더**는 대상(target)까지 Dockerfile의 모든 스테이지를 차례로 빌드합니다.
# 그래서 `test` 스테이지가 있으면 한 줄만 고쳐도 이미지를 빌드할 때마다 테스트가 실행됩니다. **BuildKit**(Docker 23 이상의 `docker
# build`)은 대상에 필요한 스테이지만 빌드하므로 그 스테이지를 건너뛸 것입니다. 그래서 테스트는 빌드 스테이지의 컨테이너에서
# 실행합니다. 3절에서 해 보고, 11장의 파이프라인도 릴리스마다 그렇게 합니다.

# %% [markdown]
# The full log is in `backend_build.log`. Its last lines are the runtime stage: a small Debian, a user, the
# Java runtime copied **from another stage** (`COPY --from=jdk`), and the app's jar last:

# %% [markdown] lang="ko"
# 전체 로그는 `backend_build.log`에 있습니다. 마지막 줄들이 runtime 스테이지입니다. 작은 Debian, 사용자 하나, **다른 스테이지에서**
# 복사한 Java 런타임(`COPY --from=jdk`), 그리고 맨 마지막에 앱의 jar입니다.

# %%
print("\n".join(backend_build.log[-14:]))

# %% [markdown]
# ## 3. Multi-stage: why the shipped image has no JDK and no Node
#
# Compiling needs big tools: the JDK (`javac`, `jar`) for Java, Node and npm (plus ~100 MB of
# `node_modules`) for React. Running needs much less: a Java *runtime*, and for the frontend just nginx and
# the compiled files. A multi-stage Dockerfile builds in a fat **build stage**, then starts a fresh
# **runtime stage** and copies only the results across. Everything else stays behind.
#
# Let us build *only* the backend's build stage (`--target build`, as your own image), and compare sizes.
# The steps are cached from the build above, so this is quick.

# %% [markdown] lang="ko"
# ## 3. 멀티 스테이지: 배포하는 이미지에 JDK도 Node도 없는 이유
#
# 컴파일에는 큰 도구가 필요합니다. Java에는 JDK(`javac`, `jar`)가, React에는 Node와 npm(그리고 100 MB쯤 되는 `node_modules`)이
# 필요합니다. 실행에는 훨씬 적게 듭니다. Java *런타임*, 그리고 프론트엔드에는 nginx와 컴파일된 파일만 있으면 됩니다. 멀티 스테이지
# Dockerfile은 무거운 **빌드 스테이지**에서 빌드한 뒤, 새 **런타임 스테이지**를 시작해 결과물만 건너 복사합니다. 나머지는 모두
# 뒤에 남습니다.
#
# 백엔드의 빌드 스테이지*만* 빌드해서(`--target build`, 여러분의 이미지로) 크기를 비교해 봅시다. 위의 빌드에서 단계들이
# 캐시되어 있으므로 금방 끝납니다.

# %%
backend_stage = lab.build("backend-build-stage", app_dir("backend"), target="build")
print("$", backend_stage.cli)

MB = 1e6
build_size, runtime_size = lab.images.inspect(backend_stage.tag).size, lab.images.inspect(backend_build.tag).size
print(f"{'app':<10}{'build stage':>14}{'runtime image':>16}{'left behind':>14}")
print(f"{'backend':<10}{build_size / MB:>11.0f} MB{runtime_size / MB:>13.0f} MB{(build_size - runtime_size) / MB:>11.0f} MB")
assert runtime_size < build_size  # the runtime image is the smaller one

# %% lang="ko"
backend_stage = lab.build("backend-build-stage", app_dir("backend"), target="build")
print("$", backend_stage.cli)

MB = 1e6
build_size, runtime_size = lab.images.inspect(backend_stage.tag).size, lab.images.inspect(backend_build.tag).size
print(f"{'앱':<10}{'빌드 스테이지':>14}{'런타임 이미지':>16}{'남겨 둔 것':>14}")
print(f"{'backend':<10}{build_size / MB:>11.0f} MB{runtime_size / MB:>13.0f} MB{(build_size - runtime_size) / MB:>11.0f} MB")
assert runtime_size < build_size  # 런타임 이미지가 더 작습니다

# %% [markdown]
# The build stage is an image like any other, and it holds the compiled tests too (in `/src/classes`): a container
# of it runs them. `AllTests` prints a line per test and a closing tally, and its exit code is the verdict (0: every
# test passed). This is the `test` step of chapter 11's pipeline.

# %% [markdown] lang="ko"
# 빌드 스테이지도 여느 이미지와 같고, 컴파일된 테스트도 들어 있습니다(`/src/classes`). 그 컨테이너가 테스트를 실행합니다.
# `AllTests`는 테스트마다 한 줄, 마지막에 합계를 출력하고, 종료 코드가 판정입니다(0: 모든 테스트 통과). 11장 파이프라인의
# `test` 단계가 바로 이것입니다.

# %%
tests = lab.run("backend-tests", backend_stage.tag, TEST_COMMAND)
print("$", tests.cli)
exit_code = tests.wait(timeout=120)
print("\n".join(tests.logs().splitlines()[-3:]))
assert exit_code == 0  # every test passed: the build stage's image runs the tests

# %% [markdown]
# The frontend's build stage holds one more thing that must never ship: to reach npm through a proxy that re-signs
# HTTPS, it takes the host's CA bundle (from the kit's image `dockerlab/host-ca:1.0`). So the kit refuses to make
# that stage a final image — one more reason the runtime stage starts from a clean base and copies only `dist/`:

# %% [markdown] lang="ko"
# 프론트엔드의 빌드 스테이지에는 절대 배포하면 안 되는 것이 하나 더 있습니다. HTTPS를 다시 서명하는 프록시를 거쳐 npm에 닿으려고
# 호스트의 CA 번들을 받아 둡니다(키트의 이미지 `dockerlab/host-ca:1.0`에서). 그래서 키트는 그 스테이지를 최종 이미지로 만들기를
# 거부합니다. 런타임 스테이지가 깨끗한 베이스에서 시작해 `dist/`만 복사하는 이유가 하나 더 생긴 셈입니다.

# %%
try:
    lab.build("frontend-build-stage", app_dir("frontend"), target="build")
    refused = None
except lab.BadInput as err:
    refused = err
print(refused)
assert refused is not None and "CA bundle" in str(refused)  # a stage with the host's CA is never a final image

# %% lang="ko"
try:
    lab.build("frontend-build-stage", app_dir("frontend"), target="build")
    refused = None
except lab.BadInput as err:
    refused = err
print(refused)
assert refused is not None and "CA 번들" in str(refused)  # 호스트의 CA가 든 스테이지는 절대 최종 이미지가 되지 않습니다

# %% [markdown]
# Sizes are one thing; let us **look inside**. A container from the build stage has the Java compiler:

# %% [markdown] lang="ko"
# 크기만 볼 것이 아니라 **안을 들여다봅시다**. 빌드 스테이지로 만든 컨테이너에는 Java 컴파일러가 있습니다.

# %%
jdk = lab.run("jdk-stage", backend_stage.tag, ["javac", "-version"])
jdk.wait(timeout=60)
print(jdk.cli)
print(jdk.logs().strip())
assert "javac 17" in jdk.logs()

# %% [markdown]
# Now start the real app. First a **user-defined network** (`docker network create`): containers on it
# find each other by name through Docker's own DNS server. Then a **volume** for the backend's data, and the
# backend itself — **without publishing its port**: it gets no port on the host, so your browser (and every other
# machine) cannot reach it; the frontend will, over the network.

# %% [markdown] lang="ko"
# 이제 진짜 앱을 시작합니다. 먼저 **사용자 정의 네트워크**(`docker network create`)를 만듭니다. 그 위의 컨테이너들은 Docker 자체의
# DNS 서버를 통해 서로 이름으로 찾습니다. 그다음 백엔드 데이터를 담을 **볼륨**, 그리고 백엔드 자체를 **포트를 공개하지 않고**
# 실행합니다. 호스트에 포트가 생기지 않으므로 브라우저(와 다른 모든 컴퓨터)는 백엔드에 닿을 수 없습니다. 프론트엔드는 네트워크를
# 통해 닿습니다.

# %%
net = lab.networks.create("todo-net")
print(net.cli)
data = lab.volumes.create("todo-data")
print(data.cli)

backend = lab.run("backend", app_tag("backend"), network="todo-net", volumes={"todo-data": "/data"},
                  wait="log:Started TodoApplication")
print(backend.cli)
print(backend.logs().strip().splitlines()[-1])
assert backend.status == "running"
assert "8080/tcp" not in backend.ports  # not published: no port on the host

# %% lang="ko"
net = lab.networks.create("todo-net")
print(net.cli)
data = lab.volumes.create("todo-data")
print(data.cli)

backend = lab.run("backend", app_tag("backend"), network="todo-net", volumes={"todo-data": "/data"},
                  wait="log:Started TodoApplication")
print(backend.cli)
print(backend.logs().strip().splitlines()[-1])
assert backend.status == "running"
assert "8080/tcp" not in backend.ports  # 공개하지 않음: 호스트에 포트가 없습니다

# %% [markdown]
# Careful: *unpublished* does not mean *unreachable*. On Linux the host itself sits on every bridge network the
# engine makes (it is the network's gateway), so a program **on the engine's host** can still open the container's
# own IP address directly. Publishing only adds a port on the host's addresses; it is not a firewall. (With Docker
# Desktop or a rootless engine, the bridge lives inside a VM or a namespace of its own, and the host cannot.)

# %% [markdown] lang="ko"
# 주의하세요. *공개하지 않았다*는 것이 *닿을 수 없다*는 뜻은 아닙니다. Linux에서는 엔진이 만드는 모든 브리지 네트워크에 호스트
# 자신이 들어 있습니다(호스트가 네트워크의 게이트웨이입니다). 그래서 **엔진의 호스트에서 실행되는** 프로그램은 컨테이너의 IP 주소로
# 바로 접속할 수 있습니다. 포트 공개는 호스트의 주소에 포트를 더할 뿐이고, 방화벽이 아닙니다. (Docker Desktop이나 rootless
# 엔진에서는 브리지가 VM이나 별도의 네임스페이스 안에 있어서 호스트가 닿을 수 없습니다.)

# %%
backend_ip = backend.ip(lab.name("todo-net"))
on_engine_host = info.address.startswith("unix://") and platform.release() == info.kernel and not info.rootless
print(f"backend on the network: {backend_ip}:8080, published on the host: nowhere")
if on_engine_host:
    with urllib.request.urlopen(f"http://{backend_ip}:8080/actuator/health", timeout=5) as resp:
        direct = resp.status, resp.read().decode()
    print(f"GET http://{backend_ip}:8080/actuator/health from this notebook →", *direct)
    assert direct[0] == 200  # the host reaches an unpublished container by its bridge IP
else:
    print("(this notebook does not run on the engine's host network: the bridge is out of its reach)")

# %% lang="ko"
backend_ip = backend.ip(lab.name("todo-net"))
on_engine_host = info.address.startswith("unix://") and platform.release() == info.kernel and not info.rootless
print(f"네트워크의 백엔드: {backend_ip}:8080, 호스트에 공개된 곳: 없음")
if on_engine_host:
    with urllib.request.urlopen(f"http://{backend_ip}:8080/actuator/health", timeout=5) as resp:
        direct = resp.status, resp.read().decode()
    print(f"이 노트북에서 GET http://{backend_ip}:8080/actuator/health →", *direct)
    assert direct[0] == 200  # 호스트는 공개하지 않은 컨테이너에도 브리지 IP로 닿습니다
else:
    print("(이 노트북은 엔진 호스트의 네트워크에서 실행되지 않습니다: 브리지에 닿을 수 없습니다)")

# %% [markdown]
# Inside the runtime image: `java` is there (a trimmed runtime made by `jlink`, holding only the two Java
# modules the app uses), but **no `javac`**. The exit code of `command -v` says whether a program exists.

# %% [markdown] lang="ko"
# 런타임 이미지 안에는 `java`가 있지만(앱이 쓰는 Java 모듈 두 개만 담아 `jlink`로 줄인 런타임), **`javac`는 없습니다**. 프로그램이
# 있는지는 `command -v`의 종료 코드가 알려 줍니다.

# %%
for program in ("java", "javac", "jar"):
    found = backend.exec(f"command -v {program}")
    print(f"{program:>6}: {found.output.strip() or 'not in this image'}")
print(backend.exec("java --list-modules").output)
assert backend.exec("command -v java").ok
assert not backend.exec("command -v javac").ok and not backend.exec("command -v jar").ok  # no JDK shipped

# %% lang="ko"
for program in ("java", "javac", "jar"):
    found = backend.exec(f"command -v {program}")
    print(f"{program:>6}: {found.output.strip() or '이 이미지에 없음'}")
print(backend.exec("java --list-modules").output)
assert backend.exec("command -v java").ok
assert not backend.exec("command -v javac").ok and not backend.exec("command -v jar").ok  # JDK는 배포하지 않았습니다

# %% [markdown]
# Now the frontend, on the same network. `BACKEND_URL` tells nginx where the API is: the backend
# container's **name** (with your session in front: `lab.name("backend")`) and the port it listens on
# *inside* the network. The frontend's port 8080 is published on a free host port.

# %% [markdown] lang="ko"
# 이제 같은 네트워크에 프론트엔드를 띄웁니다. `BACKEND_URL`은 nginx에게 API가 어디 있는지 알려 줍니다. 백엔드 컨테이너의
# **이름**(여러 학습자가 엔진을 함께 쓸 때는 세션 이름이 앞에 붙습니다: `lab.name("backend")`)과 네트워크 *안에서* 기다리는 포트입니다.
# 프론트엔드의 포트 8080은 호스트의 빈 포트에 공개합니다.

# %%
BACKEND_URL = f"http://{lab.name('backend')}:8080"
frontend = lab.run("frontend", app_tag("frontend"), network="todo-net", env={"BACKEND_URL": BACKEND_URL},
                   ports={8080: None}, wait=lab.Http("/", 8080))
print(frontend.cli)
print(frontend.logs().strip().splitlines()[0])

# %%
for program in ("nginx", "node", "npm"):
    found = frontend.exec(f"command -v {program}")
    print(f"{program:>6}: {found.output.strip() or 'not in this image'}")
assert frontend.exec("command -v nginx").ok
assert not frontend.exec("command -v node").ok and not frontend.exec("command -v npm").ok  # no Node shipped

# %% lang="ko"
for program in ("nginx", "node", "npm"):
    found = frontend.exec(f"command -v {program}")
    print(f"{program:>6}: {found.output.strip() or '이 이미지에 없음'}")
assert frontend.exec("command -v nginx").ok
assert not frontend.exec("command -v node").ok and not frontend.exec("command -v npm").ok  # Node는 배포하지 않았습니다

# %% [markdown]
# ## 4. Names on a user-defined network
# How does nginx find `BACKEND_URL`'s host? Docker runs a small DNS server (127.0.0.11) for every user-defined
# network. Ask it from **inside** the frontend with `getent hosts`, and compare with the backend's address:

# %% [markdown] lang="ko"
# ## 4. 사용자 정의 네트워크의 이름
# nginx는 `BACKEND_URL`의 호스트를 어떻게 찾을까요? Docker는 사용자 정의 네트워크마다 작은 DNS 서버(127.0.0.11)를 실행합니다.
# 프론트엔드 **안에서** `getent hosts`로 물어보고, 백엔드의 주소와 비교해 봅시다.

# %%
resolved = frontend.exec(["getent", "hosts", lab.name("backend")])
print("$", resolved.cli)
print(resolved.output.strip())
backend_ip = backend.ip(lab.name("todo-net"))
print("backend's address on the network:", backend_ip)
assert resolved.ok and resolved.output.split()[0] == backend_ip

# %% lang="ko"
resolved = frontend.exec(["getent", "hosts", lab.name("backend")])
print("$", resolved.cli)
print(resolved.output.strip())
backend_ip = backend.ip(lab.name("todo-net"))
print("네트워크에서 백엔드의 주소:", backend_ip)
assert resolved.ok and resolved.output.split()[0] == backend_ip

# %% [markdown]
# The network's members, as `docker network inspect` lists them, and the two containers:

# %% [markdown] lang="ko"
# `docker network inspect`가 나열하는 네트워크의 구성원과, 두 컨테이너입니다.

# %%
members = lab.networks.members("todo-net")
assert {lab.name("backend"), lab.name("frontend")} <= {m["name"] for m in members}
network_view("todo-net")

# %%
containers_table([backend, frontend], title="The app's containers")

# %% lang="ko"
containers_table([backend, frontend], title="앱의 컨테이너")

# %% [markdown]
# ## 5. Use the app
# Everything goes through the **frontend's** published port, as a browser would: nginx serves the React page at
# `/`, and forwards `/api/…` to the backend over the network. First the page itself:

# %% [markdown] lang="ko"
# ## 5. 앱 쓰기
# 모든 요청은 브라우저가 하듯 **프론트엔드의** 공개된 포트를 거칩니다. nginx가 `/`에서 React 페이지를 내주고, `/api/…`는
# 네트워크를 통해 백엔드로 넘깁니다. 먼저 페이지부터 봅시다.

# %%
def http(method: str, url: str, body: dict | None = None) -> tuple[int, bytes]:
    """One HTTP request from the notebook: (status, body)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read()


status, page = http("GET", frontend.url(8080, "/"))
print(status, page.decode()[:300])
assert status == 200 and b'id="root"' in page  # React mounts the app into <div id="root">

# %% lang="ko"
def http(method: str, url: str, body: dict | None = None) -> tuple[int, bytes]:
    """노트북에서 보내는 HTTP 요청 하나: (상태, 본문)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read()


status, page = http("GET", frontend.url(8080, "/"))
print(status, page.decode()[:300])
assert status == 200 and b'id="root"' in page  # React는 앱을 <div id="root">에 붙입니다

# %% [markdown]
# Open the app in your browser (on the course machine, or through the teacher's port forwarding):

# %% [markdown] lang="ko"
# 브라우저에서 앱을 열어 보세요(수업용 컴퓨터에서, 또는 강사의 포트 포워딩을 통해).

# %%
print("Open the todo app:", frontend.url(8080, "/"))

# %% lang="ko"
print("할 일 앱 열기:", frontend.url(8080, "/"))

# %% [markdown]
# Now the API, through the frontend: list (empty: a fresh volume), add three todos, delete one, list again.

# %% [markdown] lang="ko"
# 이제 프론트엔드를 거쳐 API를 씁니다. 목록을 보고(새 볼륨이라 비어 있습니다), 할 일 세 개를 더하고, 하나를 지우고, 다시 목록을 봅니다.

# %%
api = frontend.url(8080, "/api/todos")
status, body = http("GET", api)
print("GET    /api/todos ->", status, body.decode())
assert status == 200 and json.loads(body) == []

added = []
for title in ("build the images", "run them on a network", "ship them to a server"):
    status, body = http("POST", api, {"title": title})
    added.append(json.loads(body))
    print("POST   /api/todos ->", status, body.decode())
    assert status == 201

status, _ = http("DELETE", f"{api}/{added[0]['id']}")
print(f"DELETE /api/todos/{added[0]['id']} ->", status)
assert status == 204

status, body = http("GET", api)
todos = json.loads(body)
print("GET    /api/todos ->", status, body.decode())
assert [t["title"] for t in todos] == ["run them on a network", "ship them to a server"]

# %% [markdown]
# The backend's log shows each request arriving **from the frontend's address** on the network — not from
# the notebook: the notebook only ever talked to nginx.

# %% [markdown] lang="ko"
# 백엔드의 로그를 보면 요청마다 노트북이 아니라 네트워크의 **프론트엔드 주소에서** 왔습니다. 노트북은 nginx하고만 이야기했습니다.

# %%
frontend_ip = frontend.ip(lab.name("todo-net"))
api_lines = [line for line in backend.logs().splitlines() if "/api/todos" in line]
print("\n".join(api_lines[-4:]))
assert api_lines and all(line.endswith(f"from {frontend_ip}") for line in api_lines)

# %% [markdown]
# ## 6. The data lives in the volume
# Remove the backend container and start a new one from the same image, with the same volume. The todos are
# still there: they were written to `/data`, which is the volume, not the container's own layer.

# %% [markdown] lang="ko"
# ## 6. 데이터는 볼륨에 있습니다
# 백엔드 컨테이너를 지우고 같은 이미지와 같은 볼륨으로 새 컨테이너를 시작합니다. 할 일은 그대로 있습니다. 할 일은 `/data`에
# 쓰였고, `/data`는 컨테이너 자신의 레이어가 아니라 볼륨이기 때문입니다. 원문의 말대로 *"이미지를 실행시켰을때 부터 만들어지는
# 모든 데이터는 컨테이너안에 쌓이거나, volume 설정을 했을 시 호스트의 저장소에 쌓이게 된다."*

# %%
backend.remove()
backend = lab.run("backend", app_tag("backend"), network="todo-net", volumes={"todo-data": "/data"},
                  wait="log:Started TodoApplication")
print([line for line in backend.logs().splitlines() if "Loaded" in line][0])
body = None
for attempt in range(120):  # nginx may still hold the old container's address for up to 10 s
    try:
        status, body = http("GET", api)
        break
    except OSError:  # 502 Bad Gateway while the name points to the removed container
        time.sleep(0.5)
assert body is not None, "the frontend never reached the new backend container"
assert [t["title"] for t in json.loads(body)] == ["run them on a network", "ship them to a server"]
print("after a new backend container:", body.decode())

# %% lang="ko"
backend.remove()
backend = lab.run("backend", app_tag("backend"), network="todo-net", volumes={"todo-data": "/data"},
                  wait="log:Started TodoApplication")
print([line for line in backend.logs().splitlines() if "Loaded" in line][0])
body = None
for attempt in range(120):  # nginx는 최대 10초 동안 예전 컨테이너의 주소를 쥐고 있을 수 있습니다
    try:
        status, body = http("GET", api)
        break
    except OSError:  # 이름이 지워진 컨테이너를 가리키는 동안은 502 Bad Gateway
        time.sleep(0.5)
assert body is not None, "프론트엔드가 새 백엔드 컨테이너에 끝내 닿지 못했습니다"
assert [t["title"] for t in json.loads(body)] == ["run them on a network", "ship them to a server"]
print("새 백엔드 컨테이너에서:", body.decode())

# %% [markdown]
# nginx found the **new** container by the same name, with no restart of the frontend: names, not addresses, wire
# the app together. But that is not automatic. Docker's DNS always answers with the name's *current* address; nginx,
# though, looks a name up **once, when it starts**, and keeps that address — unless told otherwise. Two lines of the
# frontend's configuration (`images/frontend/docker/nginx.conf.template`) tell it: a `resolver` with `valid=10s`
# (ask Docker's DNS at 127.0.0.11 again after 10 s), and a `proxy_pass` to a *variable*, which makes nginx resolve
# the name at request time. Without them, the frontend would answer 502 until you restarted it.

# %% [markdown] lang="ko"
# 프론트엔드를 다시 시작하지 않았는데도 nginx는 같은 이름으로 **새** 컨테이너를 찾았습니다. 앱을 이어 주는 것은 주소가 아니라
# 이름입니다. 하지만 저절로 되는 일은 아닙니다. Docker의 DNS는 언제나 그 이름의 *현재* 주소로 답하지만, nginx는 따로 말해 주지
# 않으면 이름을 **시작할 때 한 번만** 찾아보고 그 주소를 계속 씁니다. 프론트엔드 설정(`images/frontend/docker/nginx.conf.template`)의
# 두 줄이 nginx에게 알려 줍니다. `valid=10s`가 붙은 `resolver`(10초가 지나면 127.0.0.11의 Docker DNS에 다시 묻습니다)와,
# *변수*로 가는 `proxy_pass`(nginx가 요청을 받을 때 이름을 찾게 합니다)입니다. 이 두 줄이 없으면 프론트엔드는 다시 시작할 때까지
# 502로 답했을 것입니다.

# %%
conf = frontend.exec(["grep", "-E", r"^\s*(resolver|set \$backend|proxy_pass) ", "/tmp/nginx/nginx.conf"]).output
print(conf)
assert "valid=10s" in conf and "proxy_pass $backend;" in conf  # what makes nginx follow a replaced container

# %% lang="ko"
conf = frontend.exec(["grep", "-E", r"^\s*(resolver|set \$backend|proxy_pass) ", "/tmp/nginx/nginx.conf"]).output
print(conf)
assert "valid=10s" in conf and "proxy_pass $backend;" in conf  # nginx가 교체된 컨테이너를 따라가게 하는 것

# %% [markdown]
# ## Exercises
# ### Exercise 1 — a second frontend for the same backend
# Run a second frontend container named **`frontend2`** from `dockerlab/frontend:1.0`, on the network
# `todo-net`, talking to the **same backend**, with its port 8080 published on a free host port.
# The check looks at the engine: the network, `BACKEND_URL`, the port, and an HTTP call through it.

# %% [markdown] lang="ko"
# ## 연습 문제
# ### 연습 1 — 같은 백엔드를 쓰는 두 번째 프론트엔드
# `dockerlab/frontend:1.0`으로 **`frontend2`라는** 두 번째 프론트엔드 컨테이너를 실행하세요. 네트워크는 `todo-net`, 이야기하는
# 상대는 **같은 백엔드**이고, 포트 8080은 호스트의 빈 포트에 공개합니다.
# 확인은 엔진을 살펴봅니다. 네트워크, `BACKEND_URL`, 포트, 그리고 그 포트를 통한 HTTP 호출입니다.

# %%
### BEGIN SOLUTION
frontend2 = lab.run("frontend2", app_tag("frontend"), network="todo-net",
                    env={"BACKEND_URL": f"http://{lab.name('backend')}:8080"},
                    ports={8080: None}, wait=lab.Http("/", 8080))
print(frontend2.url())
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — the backend on port 9090
# Ops wants the API on port **9090**. Don't rebuild anything: the backend reads its port from the environment
# variable **`SERVER_PORT`**. Run a container named **`backend9090`** from `dockerlab/backend:1.0` that listens on
# 9090 *inside*, and publish that port on a free host port. (It needs no network and no volume.)

# %% [markdown] lang="ko"
# ### 연습 2 — 포트 9090의 백엔드
# 운영팀이 API를 포트 **9090**에서 원합니다. 아무것도 다시 빌드하지 마세요. 백엔드는 포트를 환경 변수 **`SERVER_PORT`에서**
# 읽습니다. `dockerlab/backend:1.0`으로 **`backend9090`이라는** 컨테이너를 실행해 *안에서는* 9090에서 기다리게 하고, 그 포트를 호스트의
# 빈 포트에 공개하세요. (네트워크도 볼륨도 필요 없습니다.)

# %%
### BEGIN SOLUTION
api9090 = lab.run("backend9090", app_tag("backend"), env={"SERVER_PORT": "9090"},
                  ports={9090: None}, wait=lab.Http("/actuator/health", 9090))
print(api9090.url(9090, "/api/info"))
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ### Exercise 3 — write the runtime stage
# Here is the backend's Dockerfile **without its last stage**: the stages `jdk` (a JDK, and a small Java runtime made
# by `jlink` in `/opt/java`) and `build` (compiles the app into `/src/app.jar`). Write the missing **runtime
# stage** yourself, in `runtime_stage`, and build the whole Dockerfile as **`backend-slim:v1`** with the backend's
# folder as the build context (`app_dir("backend")`; with the CLI: `docker build -f <your Dockerfile> -t
# backend-slim:v1 images/backend`).
#
# The check runs your image: the app must answer `GET /actuator/health` on port 8080 (it keeps its data in `/data`,
# which its user must be able to write), and the image must hold **no compiler and no `node`**, and weigh less than
# **150 MB**.

# %% [markdown] lang="ko"
# ### 연습 3 — 런타임 스테이지 쓰기
# 아래는 **마지막 스테이지를 뺀** 백엔드의 Dockerfile입니다. 스테이지는 `jdk`(JDK, 그리고 `jlink`로 `/opt/java`에 만든 작은 Java
# 런타임)와 `build`(앱을 `/src/app.jar`로 컴파일)입니다. 빠진 **런타임 스테이지**를 `runtime_stage`에 직접 쓰고, 백엔드의
# 폴더를 빌드 컨텍스트로 삼아(`app_dir("backend")`; CLI로는 `docker build -f <여러분의 Dockerfile> -t backend-slim:v1 images/backend`)
# Dockerfile 전체를 **`backend-slim:v1`로** 빌드하세요.
#
# 확인은 여러분의 이미지를 실행합니다. 앱이 포트 8080에서 `GET /actuator/health`에 답해야 하고(데이터는 `/data`에 두므로, 앱의
# 사용자가 그곳에 쓸 수 있어야 합니다), 이미지에는 **컴파일러도 `node`도 없어야** 하며, 크기는 **150 MB**보다 작아야 합니다.

# %%
print(ex.BUILD_STAGES[-600:])

# %%
runtime_stage = "____"
### BEGIN SOLUTION
runtime_stage = """
FROM debian:bookworm-slim AS runtime
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app \\
 && mkdir -p /data && chown app /data
COPY --from=jdk /opt/java /opt/java
COPY --from=build /src/app.jar /app/app.jar
USER app
EXPOSE 8080
ENTRYPOINT ["/opt/java/bin/java", "-jar", "/app/app.jar"]
"""
slim = lab.build("backend-slim:v1", app_dir("backend"), dockerfile=ex.BUILD_STAGES + runtime_stage)
BuildLog(slim)
### END SOLUTION

# %%
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.hint(2)
# ex.q3.solution()

# %% [markdown]
# ## Recap
# - A **multi-stage** Dockerfile compiles in a fat build stage and ships a slim runtime stage: the backend image
#   has a Java runtime but no `javac`; the frontend image has nginx and the built files, but no Node and no npm.
#   You wrote one yourself: `FROM` a small base, then `COPY --from=<stage>` only what runs the app.
# - On a **user-defined network**, containers reach each other **by name** (Docker's DNS, 127.0.0.11). nginx follows
#   a replaced container only because its config re-resolves the name (`resolver … valid=10s`).
# - Only the frontend publishes a port. The backend has no host port — but on Linux the engine's host can still open
#   its bridge IP: not publishing is not a firewall.
# - Settings come from **environment variables** (`BACKEND_URL`, `SERVER_PORT`): one image, many configurations.
# - The data lives in a **volume**: a new backend container finds the old todos.
#
# Next, chapter 06 describes this whole app in one Compose file; chapter 08 ships these images to another server — by file and through a registry — and shows they run
# there unchanged.
#
# ## Clean up
# This removes the containers, the network, your build-stage images and (with `purge=True`) the todo volume.

# %% [markdown] lang="ko"
# ## 정리
# - **멀티 스테이지** Dockerfile은 무거운 빌드 스테이지에서 컴파일하고, 가벼운 런타임 스테이지를 배포합니다. 백엔드 이미지에는
#   Java 런타임은 있지만 `javac`는 없고, 프론트엔드 이미지에는 nginx와 빌드된 파일은 있지만 Node도 npm도 없습니다.
#   여러분도 하나 써 보았습니다. 작은 베이스에서 `FROM`하고, 앱을 실행하는 데 필요한 것만 `COPY --from=<stage>`로 가져옵니다.
# - **사용자 정의 네트워크**에서 컨테이너들은 서로 **이름으로** 닿습니다(Docker의 DNS, 127.0.0.11). nginx가 교체된 컨테이너를
#   따라가는 것은 설정이 이름을 다시 찾기 때문일 뿐입니다(`resolver … valid=10s`).
# - 포트를 공개하는 것은 프론트엔드뿐입니다. 백엔드에는 호스트 포트가 없지만, Linux에서는 엔진의 호스트가 여전히 그 브리지 IP로
#   접속할 수 있습니다. 공개하지 않는 것은 방화벽이 아닙니다.
# - 설정은 **환경 변수**(`BACKEND_URL`, `SERVER_PORT`)에서 옵니다. 이미지 하나로 여러 설정을 만듭니다.
# - 데이터는 **볼륨**에 있습니다. 새 백엔드 컨테이너가 예전의 할 일을 찾습니다.
#
# 다음 06장에서는 이 앱 전체를 Compose 파일 하나로 기술하고, 08장에서는 이 이미지들을 파일로, 그리고 레지스트리를
# 통해 다른 서버로 보내고, 그곳에서도 그대로 실행되는 것을 봅니다.
#
# ## 뒷정리
# 컨테이너, 네트워크, 빌드 스테이지 이미지, 그리고 (`purge=True`로) 할 일 볼륨을 지웁니다.

# %%
ch.reset(purge=True)
assert lab.leaks(chapter="05") == []
