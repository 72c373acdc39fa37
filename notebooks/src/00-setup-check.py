# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 00 · Setup check: meet your Docker engine
#
# **In this chapter you will**
# 1. check that your machine is ready for the course (`doctor`);
# 2. see the two halves of Docker: the **client** you type into and the **engine** (daemon) that runs containers;
# 3. put a Python call next to the `docker` command that does the same thing;
# 4. run your first container.
#
# Every chapter has the same shape: *objectives → explanation → live cells → exercises → checks → recap*.
# Run the cells from top to bottom with **Shift+Enter**.

# %% [markdown] lang="ko"
# # 00 · 설정 확인: 내 Docker 엔진과 만나기
#
# **이 장에서 할 일**
# 1. 내 컴퓨터가 이 과정을 진행할 준비가 되었는지 확인합니다(`doctor`).
# 2. Docker의 두 부분을 살펴봅니다. 명령을 입력하는 **클라이언트**(client)와 컨테이너를 실제로 실행하는 **엔진(engine)**, 곧 데몬(daemon)입니다.
# 3. 같은 일을 하는 `docker` 명령과 Python 호출을 나란히 놓고 봅니다.
# 4. 첫 번째 컨테이너를 실행합니다.
#
# 모든 장은 같은 순서로 진행됩니다: *목표 → 설명 → 라이브 셀 → 연습 문제 → 확인 → 정리*.
# 셀은 위에서부터 차례로 **Shift+Enter**로 실행합니다.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind.
# If you restart the kernel, run it again and carry on from where you were.

# %% [markdown] lang="ko"
# ## 장 시작하기
# 이 셀은 키트(kit)를 불러오고, 이 장을 예전에 실행하면서 남은 것을 모두 지웁니다.
# 커널을 다시 시작했다면 이 셀을 다시 실행한 뒤 하던 곳에서 이어 가면 됩니다.

# %%
import grp
import os
import platform
import pwd
import shutil
import subprocess

import dockerlab as lab
from dockerlab.exercises import ch00 as ex

ch = lab.start_chapter("00", "Setup check", lang="en")
ch.reset()

# %% lang="ko"
import grp
import os
import platform
import pwd
import shutil
import subprocess

import dockerlab as lab
from dockerlab.exercises import ch00 as ex

ch = lab.start_chapter("00", "설정 확인", lang="ko")
ch.reset()

# %% [markdown]
# ## 1. Is everything ready? — `doctor`
# `doctor` asks the engine about itself and checks what the course needs.
# A line with ✘ ends with a **Hint** that says what to do.

# %% [markdown] lang="ko"
# ## 1. 준비가 다 되었을까요? — `doctor`
# `doctor`는 엔진에게 엔진 자신에 대해 묻고, 이 과정에 필요한 것을 확인합니다.
# ✘ 표시가 있는 줄은 무엇을 하면 되는지 알려 주는 **힌트**(Hint)로 끝납니다.

# %%
report = lab.doctor()
report

# %%
assert report.engine_ok, "No engine answers: follow the hint in the table above."

# %% lang="ko"
assert report.engine_ok, "응답하는 엔진이 없습니다. 위 표의 힌트를 따라 하세요."

# %% [markdown]
# ## 2. Docker is a client and an engine
# *Docker is an open-source platform that runs applications in **containers**. The program that actually
# runs them is the **Docker Engine**, a background service (daemon) called `dockerd`.*
#
# The `docker` command you type is only a **client**: it sends requests to the engine over a socket
# (here `unix:///var/run/docker.sock`). This notebook is a client too: the `dockerlab` kit uses the official
# Python SDK (`docker` on PyPI), which speaks the same API.
#
# ```
#  you ──> docker CLI ─┐
#                      ├──>  Docker Engine (dockerd) ──> containers
#  notebook ─> SDK ────┘        (the daemon)
# ```
#
# Let us ask the engine who it is, through the SDK:

# %% [markdown] lang="ko"
# ## 2. Docker는 클라이언트와 엔진으로 이루어져 있습니다
# 원문은 이렇게 말합니다: *"Docker"란 컨테이너를 활용한 오픈소스 가상화 플랫폼이다. … 정확히는 **Docker Engine**이 그 역할은 한다.*
# 곧 Docker는 애플리케이션을 **컨테이너(container)** 안에서 실행하는 오픈 소스 플랫폼이고, 컨테이너를 실제로
# 실행하는 프로그램은 **Docker 엔진**(Docker Engine)입니다. 엔진은 `dockerd`라는 이름의 백그라운드 서비스, 곧 데몬입니다.
#
# 우리가 입력하는 `docker` 명령은 **클라이언트**일 뿐입니다. 클라이언트는 소켓(여기서는 `unix:///var/run/docker.sock`)을
# 통해 엔진에 요청을 보냅니다. 이 노트북도 클라이언트입니다. `dockerlab` 키트는 같은 API를 사용하는 공식 Python
# SDK(PyPI의 `docker` 패키지)를 씁니다.
#
# ```
#  나 ──────> docker CLI ─┐
#                         ├──>  Docker 엔진 (dockerd) ──> 컨테이너
#  노트북 ──> SDK ────────┘        (데몬)
# ```
#
# SDK를 통해 엔진에게 누구인지 물어봅시다.

# %%
client = lab.connect()
version = client.version()
print("Engine version :", version["Version"])
print("API version    :", version["ApiVersion"], "(the SDK agreed on", client.api.api_version + ")")  # the SDK itself
print("OS / arch      :", version["Os"], "/", version["Arch"])

# %% lang="ko"
client = lab.connect()
version = client.version()
print("엔진 버전      :", version["Version"])
print("API 버전       :", version["ApiVersion"], "(SDK가 합의한 버전:", client.api.api_version + ")")  # SDK 자체
print("OS / 아키텍처  :", version["Os"], "/", version["Arch"])

# %% [markdown]
# The same question from the `docker` CLI is `docker version`. If the CLI is installed here, this cell runs it,
# so you can see that both clients talk to **the same engine**:

# %% [markdown] lang="ko"
# `docker` CLI로 같은 질문을 하려면 `docker version`을 입력합니다. 이 컴퓨터에 CLI가 설치되어 있으면 이 셀이
# 직접 실행하므로, 두 클라이언트가 **같은 엔진**과 이야기한다는 것을 확인할 수 있습니다.

# %%
info = lab.engine_info()
print("$", info.cli)
if shutil.which("docker"):
    cli = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True)
    print("docker CLI says the engine is", cli.stdout.strip() or cli.stderr.strip())
    if cli.returncode == 0:
        assert cli.stdout.strip() == version["Version"], "CLI and SDK should see the same engine"
else:
    print("(no docker CLI on this machine — the SDK is enough for this course)")

# %% lang="ko"
info = lab.engine_info()
print("$", info.cli)
if shutil.which("docker"):
    cli = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True)
    print("docker CLI가 알려 준 엔진 버전:", cli.stdout.strip() or cli.stderr.strip())
    if cli.returncode == 0:
        assert cli.stdout.strip() == version["Version"], "CLI와 SDK는 같은 엔진을 보아야 합니다"
else:
    print("(이 컴퓨터에는 docker CLI가 없습니다 — 이 과정은 SDK만으로 충분합니다)")

# %% [markdown]
# `docker info` tells more: which **storage driver** stacks image layers, how many containers exist,
# and where the engine keeps its data.

# %% [markdown] lang="ko"
# `docker info`는 더 많은 것을 알려 줍니다. 이미지 레이어를 쌓는 **스토리지 드라이버**(storage driver)가 무엇인지,
# 컨테이너가 몇 개 있는지, 엔진이 데이터를 어디에 보관하는지 등입니다.

# %%
print("storage driver :", info.storage_driver)
print("containers     :", info.containers, "of which running:", info.containers_running)
print("data root      :", info.docker_root_dir)
print("cgroup version :", info.cgroup_version, "| rootless:", info.rootless)
assert info.storage_driver and info.server_version

# %% lang="ko"
print("스토리지 드라이버 :", info.storage_driver)
print("컨테이너          :", info.containers, "중 실행 중:", info.containers_running)
print("데이터 루트       :", info.docker_root_dir)
print("cgroup 버전       :", info.cgroup_version, "| rootless:", info.rootless)
assert info.storage_driver and info.server_version

# %% [markdown]
# ## 3. Where does an engine come from?
# The next parts of this series install Docker and deploy to a cloud server. In short:
#
# | your machine | how to get an engine |
# |---|---|
# | macOS / Windows | install **Docker Desktop**; it runs the engine in a small Linux VM for you |
# | Debian / Ubuntu | `sudo apt-get install docker.io` (or Docker's own `docker-ce`); then either use it with `sudo`, add yourself to the `docker` group (read the warning below), or run **rootless Docker** (`dockerd-rootless-setuptool.sh install`) |
# | a cloud VM (AWS, GCP, …) | the same Linux packages; you then reach it from your laptop with `DOCKER_HOST=ssh://user@server` |
# | this course's set-up (`./lab start`) | root on Debian: installs `docker.io` and starts `dockerd` for you |
#
# Whatever you choose, the kit finds it the way the CLI does: `DOCKER_HOST` first, then the CLI's *context*.
#
# **The `docker` group is root.** A usual (*rootful*) engine runs as root, and it does what anyone who may write to
# its socket asks — for example `docker run -v /:/host …`, a container with the host's whole disk in it, as root.
# So `usermod -aG docker alice` gives alice root on that machine, with no password asked. That is fine on your own
# laptop; on a shared server give the group only to people who may be root anyway, or run **rootless Docker**: an
# engine that belongs to one user, whose containers can do no more than that user.
#
# Which kind is yours? The engine says it (`docker info` → *Security Options*: `rootless`, `userns`), and when the
# socket is on this machine we can look at who may use it:

# %% [markdown] lang="ko"
# ## 3. 엔진은 어디에서 올까요?
# 이 시리즈의 다음 편에서는 Docker를 설치하고 클라우드 서버에 배포합니다. 원문의 마지막 문장처럼요: *2부에서 부터는 실제 도커를
# 설치하고 AWS에 배포하여 운영하는 방법에 대해 서술할 예정 :)* 간단히 정리하면 다음과 같습니다.
#
# | 내 컴퓨터 | 엔진을 얻는 방법 |
# |---|---|
# | macOS / Windows | **Docker Desktop**을 설치합니다. 작은 Linux VM 안에서 엔진을 대신 실행해 줍니다 |
# | Debian / Ubuntu | `sudo apt-get install docker.io`(또는 Docker의 `docker-ce`)를 설치한 뒤, `sudo`로 쓰거나, 자신을 `docker` 그룹에 추가하거나(아래 경고를 꼭 읽으세요), **rootless Docker**(`dockerd-rootless-setuptool.sh install`)로 실행합니다 |
# | 클라우드 VM (AWS, GCP, …) | 같은 Linux 패키지를 설치하고, 노트북에서는 `DOCKER_HOST=ssh://user@server`로 접속합니다 |
# | 이 과정의 설정 (`./lab start`) | Debian에서 root라면 `docker.io`를 설치하고 `dockerd`를 대신 시작합니다 |
#
# 어떤 방법을 고르든 키트는 CLI와 같은 방식으로 엔진을 찾습니다. 먼저 `DOCKER_HOST`, 그다음 CLI의 *컨텍스트*(context)입니다.
#
# **`docker` 그룹은 곧 root입니다.** 보통의(*rootful*) 엔진은 root로 실행되고, 소켓에 쓸 수 있는 사람이라면 누구의
# 요청이든 들어줍니다. 예를 들어 `docker run -v /:/host …`는 호스트의 디스크 전체를 root 권한으로 담은 컨테이너를 만듭니다.
# 따라서 `usermod -aG docker alice`는 비밀번호를 묻지도 않고 alice에게 그 컴퓨터의 root 권한을 주는 셈입니다. 내 노트북이라면
# 괜찮지만, 공유 서버에서는 어차피 root가 되어도 되는 사람에게만 그룹을 주거나 **rootless Docker**를 실행하세요. rootless
# 엔진은 한 사용자의 것이고, 그 컨테이너는 그 사용자가 할 수 있는 일 이상을 하지 못합니다.
#
# 내 엔진은 어느 쪽일까요? 엔진이 알려 줍니다(`docker info` → *Security Options*: `rootless`, `userns`). 소켓이 이 컴퓨터에
# 있다면 누가 그 소켓을 쓸 수 있는지도 직접 살펴볼 수 있습니다.

# %%
print("The kit talks to:", info.address)
print("rootless engine:", info.rootless, "| user namespaces:", info.userns)
socket_path = info.address[len("unix://"):] if info.address.startswith("unix://") else None
if socket_path and os.path.exists(socket_path) and platform.release() == info.kernel:
    st = os.stat(socket_path)
    owner = pwd.getpwuid(st.st_uid).pw_name
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:  # a rootless engine's socket group is one of its owner's subordinate ids: it has no name
        group = str(st.st_gid)
    print(f"{socket_path}: owner {owner}, group {group}, mode {oct(st.st_mode & 0o777)}")
    if not info.rootless:
        # a rootful engine's socket belongs to root: its group (if it may write) is as powerful as root
        assert st.st_uid == 0
        may_write = "may" if st.st_mode & 0o020 else "may not"
        print(f"→ a rootful engine: root and members of the group '{group}' ({may_write} write) command it — "
              "treat both as root on this machine.")
    else:
        print(f"→ a rootless engine: it belongs to {owner}, and its containers cannot do more than {owner} can.")
else:
    print("(the engine's socket is not on this machine, e.g. Docker Desktop's VM or a remote server)")

# %% lang="ko"
print("키트가 이야기하는 엔진:", info.address)
print("rootless 엔진:", info.rootless, "| 사용자 네임스페이스:", info.userns)
socket_path = info.address[len("unix://"):] if info.address.startswith("unix://") else None
if socket_path and os.path.exists(socket_path) and platform.release() == info.kernel:
    st = os.stat(socket_path)
    owner = pwd.getpwuid(st.st_uid).pw_name
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:  # rootless 엔진 소켓의 그룹은 소유자의 하위 ID(subordinate id) 중 하나라서 이름이 없습니다
        group = str(st.st_gid)
    print(f"{socket_path}: 소유자 {owner}, 그룹 {group}, 권한 {oct(st.st_mode & 0o777)}")
    if not info.rootless:
        # rootful 엔진의 소켓은 root의 것입니다. 그 그룹이 쓸 수 있다면 그룹은 root만큼 강력합니다
        assert st.st_uid == 0
        may_write = "쓸 수 있습니다" if st.st_mode & 0o020 else "쓸 수 없습니다"
        print(f"→ rootful 엔진입니다: root와 '{group}' 그룹의 구성원(소켓에 {may_write})이 엔진에 명령합니다. "
              "둘 다 이 컴퓨터의 root로 여기세요.")
    else:
        print(f"→ rootless 엔진입니다: {owner}의 것이며, 그 컨테이너는 {owner}가 할 수 있는 일 이상을 하지 못합니다.")
else:
    print("(엔진의 소켓이 이 컴퓨터에 없습니다. 예: Docker Desktop의 VM이나 원격 서버)")

# %% [markdown]
# ## 4. Your first container
# An **image** is a packaged program with everything it needs; a **container** is that program running.
# The course's `hello` image prints a greeting and exits. First we make sure the image is on your engine
# (it is built from `images/hello/`; chapter 02 explains builds):

# %% [markdown] lang="ko"
# ## 4. 첫 번째 컨테이너
# **이미지**(image)는 프로그램과 그 프로그램에 필요한 모든 것을 하나로 묶은 것이고, **컨테이너**(container)는 그 프로그램이
# 실행되고 있는 모습입니다. 이 과정의 `hello` 이미지는 인사말을 출력하고 끝납니다. 먼저 이미지가 내 엔진에 있는지
# 확인합니다(`images/hello/`로부터 빌드되며, 빌드는 02장에서 설명합니다).

# %%
from dockerlab.course import ensure_app

hello_image = ensure_app("hello")
hello_image

# %% [markdown]
# Now run it. `lab.run` is `docker run -d`; the `.cli` attribute shows the exact command it stands for.
# Container names get your session id in front (so classmates sharing one engine never clash).

# %% [markdown] lang="ko"
# 이제 실행해 봅시다. `lab.run`은 `docker run -d`에 해당하고, `.cli` 속성은 이 호출에 해당하는 정확한 명령을 보여 줍니다.
# 여러 학습자가 엔진 하나를 함께 쓸 때는 컨테이너 이름 앞에 세션 ID가 붙어서 서로 부딪히지 않습니다.

# %%
demo = lab.run("demo-hello", hello_image)
exit_code = demo.wait()  # `docker wait`: until its program ends; its exit code
print(demo.cli)
print(demo.logs())
assert exit_code == 0 and "Hello" in demo.logs()

# %% lang="ko"
demo = lab.run("demo-hello", hello_image)
exit_code = demo.wait()  # `docker wait`: 프로그램이 끝날 때까지 기다리고, 종료 코드를 돌려줍니다
print(demo.cli)
print(demo.logs())
assert exit_code == 0 and "Hello" in demo.logs()

# %% [markdown]
# ## Exercises
# ### Exercise 1 — ask the engine its version
# Put the engine's version (a string like `"20.10.24"`) into `server_version`, **using the SDK** — not by typing it.

# %% [markdown] lang="ko"
# ## 연습 문제
# ### 연습 1 — 엔진에게 버전 묻기
# 엔진의 버전(`"20.10.24"` 같은 문자열)을 `server_version`에 넣으세요. 직접 입력하지 말고 **SDK를 사용해서** 알아내야 합니다.

# %%
server_version = "____"
### BEGIN SOLUTION
server_version = lab.connect().version()["Version"]
### END SOLUTION

# %%
ex.q1.check(server_version)

# %% [markdown]
# Stuck? Uncomment one line at a time:

# %% [markdown] lang="ko"
# 막혔나요? 한 번에 한 줄씩 주석을 풀어 보세요.

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — run your first container
# Run a container named **`first`** from the image `dockerlab/hello:1.0`, and wait until its program has finished.
# The check looks at the engine, not at your code.

# %% [markdown] lang="ko"
# ### 연습 2 — 첫 번째 컨테이너 실행하기
# 이미지 `dockerlab/hello:1.0`으로 **`first`라는** 이름의 컨테이너를 실행하고, 그 프로그램이 끝날 때까지 기다리세요.
# 확인(check)은 여러분의 코드가 아니라 엔진을 살펴봅니다.

# %%
### BEGIN SOLUTION
first = lab.run("first", "dockerlab/hello:1.0")
first.wait()
print(first.logs())
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown]
# ## Recap
# - The **engine** (`dockerd`) runs containers; the `docker` CLI and this notebook are **clients** of its API.
# - `lab.doctor()` checks your set-up; every ✘ comes with a hint.
# - Whoever may use a rootful engine's socket (root, and the `docker` group) is root on that machine; a rootless
#   engine belongs to one user.
# - Every `lab.…` call shows the `docker …` command it stands for: you can do the same at work from a terminal.
#
# ## Clean up
# This removes the containers this chapter made for you (and only those: the kit finds them by label).

# %% [markdown] lang="ko"
# ## 정리
# - **엔진**(`dockerd`)이 컨테이너를 실행합니다. `docker` CLI와 이 노트북은 엔진 API의 **클라이언트**입니다.
# - `lab.doctor()`는 설정을 확인하고, ✘ 표시마다 힌트를 줍니다.
# - rootful 엔진의 소켓을 쓸 수 있는 사람(root와 `docker` 그룹)은 그 컴퓨터의 root와 같습니다. rootless 엔진은 한 사용자의 것입니다.
# - `lab.…` 호출은 모두 그에 해당하는 `docker …` 명령을 보여 줍니다. 회사에서는 터미널에서 같은 일을 할 수 있습니다.
#
# ## 뒷정리
# 이 장에서 여러분을 위해 만든 컨테이너를 지웁니다(그것만 지웁니다. 키트는 레이블(label)로 찾습니다).

# %%
ch.reset()
assert lab.leaks(chapter="00") == []
