# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 10 · Orchestration: replicas, self-healing, scaling, rolling updates
#
# *"Using containers well needs orchestration."* *"Kubernetes manages and schedules containers on nodes and provides
# clustering."* — this chapter shows what that means, with a real orchestrator on your own engine.
#
# **In this chapter you will**
# 1. turn on **Docker Swarm** on one node and run a **service** with 3 replicas;
# 2. kill a replica, make one sick — and watch the orchestrator replace them (**self-healing**);
# 3. **scale** up and down;
# 4. roll out a new version while a client keeps calling the service, and count its failed requests
#    (**rolling update**, zero downtime);
# 5. **roll back** by hand, and watch a broken release roll itself back;
# 6. read the engine's **event stream** as a timeline;
# 7. read the **Kubernetes** manifests that would do the same — and where Kubernetes behaves differently;
# 8. try each step yourself on a service of your own, `web`.
#
# Chapter 09 showed what one engine does for one container. Run the cells from top to bottom with **Shift+Enter**;
# the whole chapter takes about four minutes.

# %% [markdown] lang="ko"
# # 10 · 오케스트레이션: 레플리카, 자가 복구, 스케일링, 롤링 업데이트
#
# *"결국 이러한 도커 컨테이너를 충분히 활용 하기 위해서는 쿠버네티스같은 오케스트레이션 기술운용이 반드시 필요하다."*
# *"쿠버네티스는 노드들을 생성에서 노드마다 컨테이너들을 관리하고 예약해주며 클러스터링을 제공하는 시스템이다."* — 이 장은
# 그 말이 무슨 뜻인지 여러분의 엔진 위에서 진짜 오케스트레이터로 보여 줍니다.
#
# **이 장에서 할 일**
# 1. 노드 하나에서 **Docker 스웜**(Swarm)을 켜고, 레플리카(replica) 3개짜리 **서비스**(service)를 실행합니다.
# 2. 레플리카 하나를 죽이고, 하나를 아프게 만들고, 오케스트레이터가 그것들을 교체하는 것(**자가 복구(self-healing)**)을
#    지켜봅니다.
# 3. 레플리카 수를 늘리고 줄입니다(**스케일링(scaling)**).
# 4. 클라이언트가 서비스를 계속 부르는 동안 새 버전을 내보내고, 실패한 요청 수를 셉니다(**롤링 업데이트(rolling
#    update)**, 무중단).
# 5. 손으로 **롤백**(rollback)하고, 망가진 릴리스가 스스로 롤백되는 것을 지켜봅니다.
# 6. 엔진의 **이벤트 스트림**을 타임라인으로 읽습니다.
# 7. 같은 일을 하는 **쿠버네티스(Kubernetes)** 매니페스트를 읽고, 쿠버네티스가 다르게 동작하는 곳을 봅니다.
# 8. 각 단계를 여러분의 서비스 `web`으로 직접 해 봅니다.
#
# 09장은 엔진 하나가 컨테이너 하나에 해 주는 일을 보여 주었습니다. 셀을 위에서 아래로 **Shift+Enter**로 실행하세요.
# 장 전체에 4분쯤 걸립니다.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind (if an earlier run turned
# Swarm mode on, the reset turns it off again).

# %% [markdown] lang="ko"
# ## 장 시작하기
# 이 셀은 키트를 불러오고, 이 장을 예전에 실행하면서 남은 것을 지웁니다(예전 실행이 스웜 모드를 켰다면 초기화가 다시 끕니다).

# %%
import json
import time

import yaml

import dockerlab as lab
from dockerlab import events, services, swarm
from dockerlab.course import ensure_app, kubernetes
from dockerlab.display.timeline import Timeline
from dockerlab.exercises import ch10 as ex

ch = lab.start_chapter("10", "Orchestration", lang="en")
ch.reset()
prefix = lab.name("x")[:-1]  # the session's prefix on a shared engine ("alice-"), "" on your own

# %% lang="ko"
import json
import time

import yaml

import dockerlab as lab
from dockerlab import events, services, swarm
from dockerlab.course import ensure_app, kubernetes
from dockerlab.display.timeline import Timeline
from dockerlab.exercises import ch10 as ex

ch = lab.start_chapter("10", "오케스트레이션", lang="ko")
ch.reset()
prefix = lab.name("x")[:-1]  # 공유 엔진에서는 세션의 접두사("alice-"), 내 엔진에서는 ""

# %% [markdown]
# A recorder listens to the engine's events from now on (chapter 09 introduced it); section 7 shows what it heard.

# %% [markdown] lang="ko"
# 지금부터 녹화기가 엔진의 이벤트를 듣습니다(09장에서 소개했습니다). 7절에서 무엇을 들었는지 보여 줍니다.

# %%
recorder = events.Recorder(chapter="10", service_prefix=prefix, strip_prefix=prefix).start()
assert recorder.running

# %% [markdown]
# ## 1. An orchestrator on one node: Docker Swarm
# A restart policy watches **one container on one machine**. An orchestrator manages a **cluster**: several machines
# (**nodes**) that it treats as one pool. You no longer say "run this container"; you declare a **service** —
# *"keep 3 copies of this image running, healthy"* — and the orchestrator's **scheduler** decides which node runs each
# copy (a **task**), replaces what fails, and moves work away from a node that goes down. Kubernetes does this with
# *pods* on *nodes*; Docker's own orchestrator, **Swarm mode**, is built into every engine, so we can use a real one
# right here, with one node.
#
# The next cell turns Swarm mode on (`docker swarm init`) — only if your engine is not in a swarm already. It listens on
# 127.0.0.1 only. The chapter's reset turns it off again, if it turned it on.

# %% [markdown] lang="ko"
# ## 1. 노드 하나의 오케스트레이터: Docker 스웜
# 재시작 정책은 **컴퓨터 한 대의 컨테이너 하나**를 지켜봅니다. 오케스트레이터는 **클러스터**(cluster)를 관리합니다.
# 여러 컴퓨터(**노드(node)**)를 하나의 풀(pool)처럼 다룹니다. 이제 "이 컨테이너를 실행해"라고 말하지 않고 **서비스**를
# 선언합니다. *"이 이미지의 복제본 3개를 정상 상태로 계속 실행해 둬."* 그러면 오케스트레이터의 **스케줄러**가 복제본
# (**태스크(task)**)마다 어느 노드에서 실행할지 정하고, 실패한 것을 교체하고, 죽은 노드의 일을 다른 노드로 옮깁니다.
# 쿠버네티스는 이것을 *노드* 위의 *파드*(pod)로 합니다. Docker 자체의 오케스트레이터인 **스웜 모드**(Swarm mode)는 모든
# 엔진에 들어 있으므로, 여기서 노드 하나로 진짜 오케스트레이터를 쓸 수 있습니다.
#
# 다음 셀은 스웜 모드를 켭니다(`docker swarm init`). 엔진이 이미 스웜에 들어 있지 않을 때만입니다. 127.0.0.1에서만
# 듣습니다. 이 장의 초기화는, 이 장이 켰다면 다시 끕니다.

# %%
info = swarm.ensure_swarm(chapter="10")
print("$", info.cli)
print("turned on by this chapter:", info.created_by_kit)
print("$ docker node ls")
for node in swarm.nodes():
    print(f"node {node.id}: {node.hostname}, role {node.role}, availability {node.availability}, "
          f"state {node.state}, {node.cpus:g} CPUs")
assert swarm.swarm_active() and len(swarm.nodes()) >= 1  # S13: a cluster (of one node)

# %% lang="ko"
info = swarm.ensure_swarm(chapter="10")
print("$", info.cli)
print("이 장이 켰는가:", info.created_by_kit)
print("$ docker node ls")
for node in swarm.nodes():
    print(f"노드 {node.id}: {node.hostname}, 역할 {node.role}, 가용성 {node.availability}, "
          f"상태 {node.state}, CPU {node.cpus:g}개")
assert swarm.swarm_active() and len(swarm.nodes()) >= 1  # S13: (노드 하나짜리) 클러스터

# %% [markdown]
# ## 2. A service with 3 replicas
# ### Two versions of the app
# For a rolling update we need two versions. They are the course's backend with a different `APP_VERSION` — the app
# reports it at `GET /api/info`. Each build adds one small layer.

# %% [markdown] lang="ko"
# ## 2. 레플리카 3개짜리 서비스
# ### 앱의 두 버전
# 롤링 업데이트를 하려면 버전이 두 개 필요합니다. 과정의 백엔드에 `APP_VERSION`만 다르게 준 것입니다. 앱은 그 값을
# `GET /api/info`에서 알려 줍니다. 빌드마다 작은 레이어가 하나씩 붙습니다.

# %%
backend_image = ensure_app("backend")
for version in ("1", "2"):
    built = lab.build(f"todo:v{version}", dockerfile=f"FROM {backend_image}\nENV APP_VERSION={version}.0.0\n")
    print(f"{built.tag}: built in {built.seconds} s")

# %% lang="ko"
backend_image = ensure_app("backend")
for version in ("1", "2"):
    built = lab.build(f"todo:v{version}", dockerfile=f"FROM {backend_image}\nENV APP_VERSION={version}.0.0\n")
    print(f"{built.tag}: {built.seconds}초에 빌드했습니다")

# %% [markdown]
# ### A network for the service, and the service
# Services talk over an **overlay** network: a network that spans every node of the swarm (here, one). The service
# gets a **name** on it — `docker service create --network todo-net` — so a client on the same network reaches "the
# service", whichever tasks run it. (`--attachable` lets ordinary containers join, like the client in section 5.)
#
# `services.create` is `docker service create`. We ask for **3 replicas** of `todo:v1`, a healthcheck (the image's
# own, plus "sick if `/tmp/sick` exists", so we can make one replica sick later), a memory limit, and an update policy:
# one task at a time, start the new one before stopping the old one, roll back by itself if the update fails.
#
# The healthcheck runs every second; **3 failed checks in a row** make a task unhealthy, and one check may take up to
# 5 s. Under an orchestrator an unhealthy task is replaced, so a check that gives up too soon would replace healthy
# replicas whenever the machine is busy for a moment — as a class's shared server often is.
#
# **Ports:** a Swarm service publishes ports on *every* network interface of the host (its "ingress" network), and
# this course keeps ports on 127.0.0.1. So we publish nothing: cells reach the service from inside the network.
#
# **How a client reaches "the service"** (section 5 uses it): normally through one **virtual IP** (VIP) that the
# kernel's load balancer, **IPVS**, spreads over the healthy tasks. Some kernels come without IPVS (small cloud VMs,
# some CI machines); there a VIP answers nothing, and the service lets DNS hand out its tasks' own addresses instead
# (`--endpoint-mode dnsrr`, "DNS round robin"). A throw-away container on the network asks its kernel which it is.

# %% [markdown] lang="ko"
# ### 서비스를 위한 네트워크, 그리고 서비스
# 서비스끼리는 **오버레이(overlay)** 네트워크로 이야기합니다. 스웜의 모든 노드(여기서는 하나)에 걸친 네트워크입니다.
# 서비스는 그 네트워크에서 **이름**을 얻습니다(`docker service create --network todo-net`). 그래서 같은 네트워크의
# 클라이언트는 어느 태스크가 실행하든 "그 서비스"에 닿습니다. (`--attachable`을 주면 5절의 클라이언트처럼 평범한
# 컨테이너도 들어올 수 있습니다.)
#
# `services.create`는 `docker service create`입니다. `todo:v1`의 **레플리카 3개**, 헬스체크(이미지 자체의 것에 더해
# "`/tmp/sick`이 있으면 아픔": 나중에 레플리카 하나를 아프게 만들 수 있도록), 메모리 제한, 그리고 업데이트 정책을
# 요청합니다. 한 번에 태스크 하나씩, 옛것을 멈추기 전에 새것을 먼저 시작하고, 업데이트가 실패하면 스스로 롤백합니다.
#
# 헬스체크는 1초마다 돌고, **연속 3번 실패**하면 태스크가 비정상이 되며, 한 번의 검사는 5초까지 걸려도 됩니다.
# 오케스트레이터 아래에서 비정상 태스크는 교체되므로, 너무 빨리 포기하는 검사는 컴퓨터가 잠깐만 바빠도 멀쩡한
# 레플리카를 교체하게 됩니다. 수업에서 함께 쓰는 서버는 자주 그렇게 바쁩니다.
#
# **포트:** 스웜 서비스는 호스트의 *모든* 네트워크 인터페이스(그 "ingress" 네트워크)에 포트를 공개하는데, 이 과정은
# 포트를 127.0.0.1에만 둡니다. 그래서 아무것도 공개하지 않고, 셀은 네트워크 안에서 서비스에 닿습니다.
#
# **클라이언트가 "그 서비스"에 닿는 방법**(5절에서 씁니다): 보통은 **가상 IP**(VIP) 하나를 거치고, 커널의 로드 밸런서
# **IPVS**가 연결을 정상 태스크들에 나눠 줍니다. IPVS가 없는 커널도 있습니다(작은 클라우드 VM, 일부 CI 컴퓨터). 거기서는
# VIP가 아무것도 답하지 않으므로, 서비스는 DNS가 태스크들의 주소를 직접 내주게 합니다(`--endpoint-mode dnsrr`,
# "DNS 라운드 로빈"). 네트워크에 잠깐 띄운 컨테이너가 자기 커널에게 어느 쪽인지 묻습니다.

# %%
network = lab.networks.create("todo-net", driver="overlay", attachable=True)
print(network.cli)
ipvs_probe = lab.run("ipvs-probe", "debian:bookworm-slim", ["test", "-e", "/proc/net/ip_vs"], network="todo-net")
ENDPOINT_MODE = "vip" if ipvs_probe.wait() == 0 else "dnsrr"
print("IPVS in this kernel:", ENDPOINT_MODE == "vip", "→ endpoint mode", ENDPOINT_MODE)
HEALTH = {"test": ["CMD-SHELL", "/usr/local/bin/healthcheck && test ! -e /tmp/sick"],
          "interval": 1.0, "timeout": 5.0, "retries": 3, "start_period": 30.0}  # failures count once it was healthy
started = time.monotonic()
todo = services.create("todo", "todo:v1", replicas=3, healthcheck=HEALTH, tmpfs=["/data"], networks=["todo-net"],
                       endpoint_mode=ENDPOINT_MODE)
print(todo.cli)
print(f"3 replicas running and healthy after {time.monotonic() - started:.1f} s")
for row in todo.task_rows():
    print(row)
assert len(todo.tasks(running=True)) == 3  # S13: three replicas

# %% lang="ko"
network = lab.networks.create("todo-net", driver="overlay", attachable=True)
print(network.cli)
ipvs_probe = lab.run("ipvs-probe", "debian:bookworm-slim", ["test", "-e", "/proc/net/ip_vs"], network="todo-net")
ENDPOINT_MODE = "vip" if ipvs_probe.wait() == 0 else "dnsrr"
print("이 커널의 IPVS:", ENDPOINT_MODE == "vip", "→ 엔드포인트 모드", ENDPOINT_MODE)
HEALTH = {"test": ["CMD-SHELL", "/usr/local/bin/healthcheck && test ! -e /tmp/sick"],
          "interval": 1.0, "timeout": 5.0, "retries": 3, "start_period": 30.0}  # 한 번 정상이 된 뒤부터 실패를 셉니다
started = time.monotonic()
todo = services.create("todo", "todo:v1", replicas=3, healthcheck=HEALTH, tmpfs=["/data"], networks=["todo-net"],
                       endpoint_mode=ENDPOINT_MODE)
print(todo.cli)
print(f"{time.monotonic() - started:.1f}초 뒤 레플리카 3개가 실행 중이고 정상입니다")
for row in todo.task_rows():
    print(row)
assert len(todo.tasks(running=True)) == 3  # S13: 레플리카 셋

# %% [markdown]
# The tasks are ordinary containers on this engine, named `<service>.<slot>.<task id>`. Each replica has its own
# hostname; we ask each one `GET /api/info` from inside (bash can open a TCP connection by itself).

# %% [markdown] lang="ko"
# 태스크는 이 엔진의 평범한 컨테이너이고, 이름은 `<service>.<slot>.<task id>`입니다. 레플리카마다 호스트 이름이 따로
# 있습니다. 각각에게 안에서 `GET /api/info`를 묻습니다(bash는 혼자서도 TCP 연결을 열 수 있습니다).

# %%
INFO = "exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET /api/info HTTP/1.0\\r\\n\\r\\n' >&3; tail -n 1 <&3"


def ask_replicas(service: services.Service) -> list[dict]:
    """GET /api/info from every running replica of ``service``."""
    return [json.loads(c.exec(["bash", "-c", INFO]).output) for c in service.containers()]


answers = ask_replicas(todo)
for answer in answers:
    print(answer)
assert len({a["hostname"] for a in answers}) == 3 and {a["version"] for a in answers} == {"1.0.0"}

# %% lang="ko"
INFO = "exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET /api/info HTTP/1.0\\r\\n\\r\\n' >&3; tail -n 1 <&3"


def ask_replicas(service: services.Service) -> list[dict]:
    """``service``의 실행 중인 레플리카 모두에게 GET /api/info를 묻습니다."""
    return [json.loads(c.exec(["bash", "-c", INFO]).output) for c in service.containers()]


answers = ask_replicas(todo)
for answer in answers:
    print(answer)
assert len({a["hostname"] for a in answers}) == 3 and {a["version"] for a in answers} == {"1.0.0"}

# %% [markdown]
# ### Try it — a service of your own
# Create a service named **`web`** running **`todo:v1`** with **2 replicas** (give it the chapter's `HEALTH` and a
# tmpfs at `/data`, as `todo` has). The next exercises all work on `web`.

# %% [markdown] lang="ko"
# ### 해 보기 — 나만의 서비스
# **`todo:v1`을** 실행하는 **`web`이라는** 서비스를 **레플리카 2개**로 만드세요(`todo`처럼 이 장의 `HEALTH`와 `/data`의
# tmpfs를 주세요). 다음 연습들은 모두 `web`으로 합니다.

# %%
### BEGIN SOLUTION
web = services.create("web", "todo:v1", replicas=2, healthcheck=HEALTH, tmpfs=["/data"])
print(web.cli)
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ## 3. Self-healing
# ### Kill a replica: the orchestrator replaces it
# We kill one task's container (`docker kill`). For a plain container, chapter 09 showed that a kill is final. For a
# service, the orchestrator sees **2 running where 3 were declared** and schedules a new task — a **new container**,
# not a restart of the old one.
#
# The new task takes the killed one's **slot** (`todo.1`, `todo.2`, `todo.3`): `docker service ps` shows the slot's
# history, the killed task `failed` (exit 137, the kill) and beside it its replacement, `running`.

# %% [markdown] lang="ko"
# ## 3. 자가 복구
# ### 레플리카를 죽이면 오케스트레이터가 교체합니다
# 태스크 하나의 컨테이너를 죽입니다(`docker kill`). 평범한 컨테이너라면, 09장에서 보았듯이 kill이 끝입니다. 서비스에서는
# 오케스트레이터가 **3개를 선언했는데 2개만 실행 중**인 것을 보고 새 태스크를 배치합니다. 옛 컨테이너의 재시작이 아니라
# **새 컨테이너**입니다.
#
# 새 태스크는 죽은 태스크의 **슬롯**(`todo.1`, `todo.2`, `todo.3`)을 이어받습니다. `docker service ps`는 그 슬롯의 이력을
# 보여 줍니다. 죽인 태스크는 `failed`(종료 코드 137, kill 때문)이고, 그 옆에 교체된 태스크가 `running`입니다.

# %%
victim = todo.containers()[0]
victim.kill()
print("$ docker kill", victim.name)
started = time.monotonic()
after = todo.wait_replaced(victim.id, timeout=120)  # one listing per poll: 3 running, the victim not among them
new = todo.replacement(victim.id)  # the running container in the victim's slot
print(f"back to 3 running after {time.monotonic() - started:.1f} s; its slot runs a new container:", new[:12])
print(f"$ docker service ps {todo.name}")
for row in todo.task_rows():
    print(row)
assert len(after) == 3 and victim.id not in after and new in after  # S13: a killed replica replaced

# %% lang="ko"
victim = todo.containers()[0]
victim.kill()
print("$ docker kill", victim.name)
started = time.monotonic()
after = todo.wait_replaced(victim.id, timeout=120)  # 폴링마다 목록 하나: 3개 실행 중, 그중에 죽인 것은 없음
new = todo.replacement(victim.id)  # 죽인 컨테이너의 슬롯에서 실행 중인 컨테이너
print(f"{time.monotonic() - started:.1f}초 뒤 다시 3개 실행 중; 그 슬롯에서 새 컨테이너가 실행됩니다:", new[:12])
print(f"$ docker service ps {todo.name}")
for row in todo.task_rows():
    print(row)
assert len(after) == 3 and victim.id not in after and new in after  # S13: 죽인 레플리카가 교체되었습니다

# %% [markdown]
# ### A sick replica is replaced too
# In chapter 09 the engine left an unhealthy container running. Under an orchestrator, an unhealthy task is a failed
# task: Swarm stops it and starts a fresh one. We make one replica sick.

# %% [markdown] lang="ko"
# ### 아픈 레플리카도 교체됩니다
# 09장에서 엔진은 비정상 컨테이너를 그대로 돌게 두었습니다. 오케스트레이터 아래에서는 비정상 태스크가 곧 실패한
# 태스크입니다. 스웜은 그것을 멈추고 새것을 시작합니다. 레플리카 하나를 아프게 만듭니다.

# %%
sick = todo.containers()[0]
sick.exec("touch /tmp/sick")
started = time.monotonic()
running = todo.wait_replaced(sick.id, timeout=120)
print(f"the sick replica was replaced after {time.monotonic() - started:.1f} s")
assert sick.id not in running and len(running) == 3  # S15: health + orchestrator = replacement

# %% lang="ko"
sick = todo.containers()[0]
sick.exec("touch /tmp/sick")
started = time.monotonic()
running = todo.wait_replaced(sick.id, timeout=120)
print(f"{time.monotonic() - started:.1f}초 뒤 아픈 레플리카가 교체되었습니다")
assert sick.id not in running and len(running) == 3  # S15: 헬스체크 + 오케스트레이터 = 교체

# %% [markdown]
# ### Try it — kill one of `web`'s replicas
# Kill one of the containers of **your** service `web` (as above, or `docker kill` in a terminal: `docker ps` lists
# them as `web.<slot>.<id>`), and let the orchestrator replace it.

# %% [markdown] lang="ko"
# ### 해 보기 — `web`의 레플리카 하나 죽이기
# **여러분의** 서비스 `web`의 컨테이너 하나를 죽이고(위처럼, 또는 터미널에서 `docker kill`: `docker ps`에는
# `web.<slot>.<id>`로 보입니다), 오케스트레이터가 교체하게 두세요.

# %%
### BEGIN SOLUTION
web = services.get("web")
victim = web.containers()[0]
victim.kill()
web.wait_replaced(victim.id, timeout=120)
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown]
# ## 4. Scale up, scale down
# More users? Ask for more replicas: `docker service scale`. The spec changes; the orchestrator starts (or stops) tasks
# until the running count matches.

# %% [markdown] lang="ko"
# ## 4. 늘리고 줄이기
# 사용자가 늘었나요? 레플리카를 더 요청합니다: `docker service scale`. 스펙이 바뀌면 오케스트레이터는 실행 중인 수가
# 맞을 때까지 태스크를 시작(또는 중지)합니다.

# %%
started = time.monotonic()
todo.scale(5)
print(todo.cli, f"→ {len(todo.tasks(running=True))} running after {time.monotonic() - started:.1f} s")
assert len(todo.tasks(running=True)) == 5
started = time.monotonic()
todo.scale(3)
print(todo.cli, f"→ {len(todo.tasks(running=True))} running after {time.monotonic() - started:.1f} s")
assert todo.replicas == 3 and len(todo.tasks(running=True)) == 3  # S15: scaling

# %% lang="ko"
started = time.monotonic()
todo.scale(5)
print(todo.cli, f"→ {time.monotonic() - started:.1f}초 뒤 {len(todo.tasks(running=True))}개 실행 중")
assert len(todo.tasks(running=True)) == 5
started = time.monotonic()
todo.scale(3)
print(todo.cli, f"→ {time.monotonic() - started:.1f}초 뒤 {len(todo.tasks(running=True))}개 실행 중")
assert todo.replicas == 3 and len(todo.tasks(running=True)) == 3  # S15: 스케일링

# %% [markdown]
# ### Try it — scale `web` to 3
# Busier times: scale your service `web` to **3** replicas.

# %% [markdown] lang="ko"
# ### 해 보기 — `web`을 3개로 늘리기
# 바빠졌습니다. 서비스 `web`을 레플리카 **3개**로 늘리세요.

# %%
### BEGIN SOLUTION
services.get("web").scale(3)
### END SOLUTION

# %%
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown]
# ## 5. A rolling update, with a client watching
# `docker service update --image todo:v2` replaces the tasks **one at a time**: start a v2 task, wait until it is
# healthy, stop a v1 task, next. During the update both versions serve — the service should never go down. Let us
# not take that on trust: a **client** container on `todo-net` calls the service by its name, `GET /api/info`, over
# and over, and counts the answers (by version) and the **failed requests**: a refused or broken connection, or no
# answer within 10 s (a slow answer on a busy machine is not an outage; a missing one is).

# %% [markdown] lang="ko"
# ## 5. 클라이언트가 지켜보는 롤링 업데이트
# `docker service update --image todo:v2`는 태스크를 **하나씩** 교체합니다. v2 태스크를 시작하고, 정상이 될 때까지
# 기다리고, v1 태스크를 멈추고, 다음으로 넘어갑니다. 업데이트하는 동안 두 버전이 함께 서비스하므로 서비스가 멈추는 일은
# 없어야 합니다. 그 말을 그냥 믿지 맙시다. `todo-net`의 **클라이언트** 컨테이너가 서비스를 이름으로 불러
# `GET /api/info`를 계속 보내고, 답을 (버전별로) 세고 **실패한 요청**도 셉니다. 실패란 연결이 거부되거나 끊기거나,
# 10초 안에 답이 없는 것입니다(바쁜 머신에서 느린 답은 중단이 아니지만, 오지 않는 답은 중단입니다).

# %%
LOOP = r"""
ok=0; failed=0; v1=0; v2=0
while [ ! -e /tmp/stop ]; do
  answer=$(timeout 10 bash -c 'exec 3<>/dev/tcp/'"$SERVICE"'/8080 && printf "GET /api/info HTTP/1.0\r\n\r\n" >&3 && cat <&3' 2>&1)
  if [[ $answer == "HTTP/1.1 200"* ]]; then
    ok=$((ok+1)); if [[ $answer == *'"version":"2.0.0"'* ]]; then v2=$((v2+1)); else v1=$((v1+1)); fi
  else
    failed=$((failed+1)); echo "failed at $(date +%T): ${answer:0:80}"
  fi
  sleep 0.02
done
echo "requests ok=$ok failed=$failed v1=$v1 v2=$v2"
"""
client_box = lab.run("client", "debian:bookworm-slim", ["bash", "-c", LOOP], network="todo-net",
                     env={"SERVICE": todo.name})
print(client_box.cli)

# %% [markdown]
# The client calls the service by its **name**. What the name resolves to depends on the endpoint mode chosen in
# section 2: one virtual IP in front of all tasks, or the tasks' own addresses.

# %% [markdown] lang="ko"
# 클라이언트는 서비스를 **이름**으로 부릅니다. 그 이름이 무엇으로 풀리는지는 2절에서 고른 엔드포인트 모드에 달려
# 있습니다. 모든 태스크 앞의 가상 IP 하나이거나, 태스크들 자신의 주소입니다.

# %%
addresses = sorted({line.split()[0] for line in client_box.exec(["getent", "ahostsv4", todo.name]).output.splitlines()})
tasks = sorted(c.ip(network.name) for c in todo.containers())
print(f"{todo.name} resolves to {addresses}; the tasks' own addresses are {tasks}")
if todo.endpoint_mode == "vip":
    print("→ one virtual IP: IPVS in the kernel spreads the connections over the healthy tasks")
    assert len(addresses) == 1 and addresses[0] not in tasks
else:
    print("→ DNS round robin: this kernel has no IPVS, so Docker's DNS answers with the running tasks themselves")
    assert set(addresses) == set(tasks)

# %% lang="ko"
addresses = sorted({line.split()[0] for line in client_box.exec(["getent", "ahostsv4", todo.name]).output.splitlines()})
tasks = sorted(c.ip(network.name) for c in todo.containers())
print(f"{todo.name}은(는) {addresses}(으)로 풀립니다; 태스크들 자신의 주소는 {tasks}")
if todo.endpoint_mode == "vip":
    print("→ 가상 IP 하나: 커널의 IPVS가 연결을 정상 태스크들에 나눠 줍니다")
    assert len(addresses) == 1 and addresses[0] not in tasks
else:
    print("→ DNS 라운드 로빈: 이 커널에는 IPVS가 없어서 Docker의 DNS가 실행 중인 태스크들로 직접 답합니다")
    assert set(addresses) == set(tasks)

# %% [markdown]
# Now the update, while the client keeps calling. We watch which versions run, every few tenths of a second.

# %% [markdown] lang="ko"
# 이제 클라이언트가 계속 부르는 동안 업데이트합니다. 몇십분의 1초마다 어느 버전들이 실행 중인지 지켜봅니다.

# %%
time.sleep(2)  # a few requests before the update
started = time.monotonic()
todo.update_image("todo:v2", wait=False)
print(todo.cli)
seen = []
while todo.update_state != "completed" or time.monotonic() - started < 1:
    images = sorted(r["image"].split(":")[-1] for r in todo.task_rows() if r["state"] == "running")
    if not seen or seen[-1] != images:
        seen.append(images)
        print(f"{time.monotonic() - started:5.1f} s  running: {' '.join(images)}")
    assert time.monotonic() - started < 180
    time.sleep(0.3)
todo.wait_running(image=todo.image)
print(f"update {todo.update_state} after {time.monotonic() - started:.1f} s")
time.sleep(2)  # a few requests after it
client_box.exec("touch /tmp/stop")
assert client_box.wait(timeout=30) == 0
log = client_box.logs().strip().splitlines()
summary = log[-1]
print(summary)
print("\n".join(line for line in log if line.startswith("failed at")))  # each failed request, if any: when and what
counts = dict(item.split("=") for item in summary.split()[1:])
assert any("v1" in s and "v2" in s for s in seen)  # both versions served during the update
assert int(counts["failed"]) == 0 and int(counts["v1"]) > 0 and int(counts["v2"]) > 0  # S13: zero downtime
assert {a["version"] for a in ask_replicas(todo)} == {"2.0.0"}  # S13: a rolling update

# %% lang="ko"
time.sleep(2)  # 업데이트 전에 요청 몇 개
started = time.monotonic()
todo.update_image("todo:v2", wait=False)
print(todo.cli)
seen = []
while todo.update_state != "completed" or time.monotonic() - started < 1:
    images = sorted(r["image"].split(":")[-1] for r in todo.task_rows() if r["state"] == "running")
    if not seen or seen[-1] != images:
        seen.append(images)
        print(f"{time.monotonic() - started:5.1f}초  실행 중: {' '.join(images)}")
    assert time.monotonic() - started < 180
    time.sleep(0.3)
todo.wait_running(image=todo.image)
print(f"{time.monotonic() - started:.1f}초 뒤 업데이트 {todo.update_state}")
time.sleep(2)  # 업데이트 뒤에 요청 몇 개
client_box.exec("touch /tmp/stop")
assert client_box.wait(timeout=30) == 0
log = client_box.logs().strip().splitlines()
summary = log[-1]
print(summary)
print("\n".join(line for line in log if line.startswith("failed at")))  # 실패한 요청이 있었다면 하나하나: 언제, 어떤 답
counts = dict(item.split("=") for item in summary.split()[1:])
assert any("v1" in s and "v2" in s for s in seen)  # 업데이트 중에 두 버전이 함께 서비스했습니다
assert int(counts["failed"]) == 0 and int(counts["v1"]) > 0 and int(counts["v2"]) > 0  # S13: 무중단
assert {a["version"] for a in ask_replicas(todo)} == {"2.0.0"}  # S13: 롤링 업데이트

# %% [markdown]
# Every request got an answer — first from v1, then from both, then from v2 — while every task was replaced. That is
# what `--update-order start-first` and the healthcheck buy: a new task takes requests only once it is healthy, and an
# old one is stopped only after that.
#
# ### Try it — update `web` to v2
# Roll your service `web` out to **`todo:v2`**.

# %% [markdown] lang="ko"
# 모든 태스크가 교체되는 동안 모든 요청이 답을 받았습니다. 처음에는 v1에서, 다음에는 둘 다에서, 마지막에는 v2에서.
# `--update-order start-first`와 헬스체크 덕분입니다. 새 태스크는 정상이 된 뒤에야 요청을 받고, 옛 태스크는 그다음에야
# 멈춥니다.
#
# ### 해 보기 — `web`을 v2로 업데이트하기
# 서비스 `web`을 **`todo:v2`로** 내보내세요.

# %%
### BEGIN SOLUTION
services.get("web").update_image("todo:v2")
### END SOLUTION

# %%
ex.q4.check()

# %%
# ex.q4.hint()
# ex.q4.solution()

# %% [markdown]
# ## 6. Roll back
# v2 turned out to be a bad idea? `docker service rollback` returns the service to the spec it had **before its last
# change** — here, v1 — one task at a time. The kit's services roll back stop-first (`--rollback-order stop-first`):
# in each slot the current task stops before the one it goes back to starts, while the other replicas serve. A
# start-first rollback would keep every slot serving, but Swarm has a known race there (moby/moby#41804): a task of a
# bad release that fails by itself while its replacement starts is refilled by the restart policy as well, and the
# service keeps one replica too many.

# %% [markdown] lang="ko"
# ## 6. 롤백
# v2가 잘못된 선택이었나요? `docker service rollback`은 서비스를 **마지막 변경 전**의 스펙(여기서는 v1)으로 되돌립니다.
# 태스크 하나씩. 키트의 서비스는 stop-first로 롤백합니다(`--rollback-order stop-first`). 슬롯마다 지금 태스크가 먼저
# 멈추고 되돌아갈 태스크가 시작되며, 그동안 다른 레플리카가 서비스합니다. start-first로 롤백하면 모든 슬롯이 계속
# 서비스하지만, 스웜에는 거기에 알려진 경쟁 상태가 있습니다(moby/moby#41804). 나쁜 릴리스의 태스크가 교체 태스크가
# 시작되는 사이에 스스로 실패하면 재시작 정책도 그 슬롯을 다시 채워서, 서비스에 레플리카가 하나 더 남습니다.

# %%
started = time.monotonic()
state = todo.rollback()
print(todo.cli)
print(f"{state} after {time.monotonic() - started:.1f} s; the service runs {todo.image.split('/')[-1]}")
assert todo.image.endswith("todo:v1") and state == "rollback_completed"
assert {a["version"] for a in ask_replicas(todo)} == {"1.0.0"}  # S13: rolled back

# %% lang="ko"
started = time.monotonic()
state = todo.rollback()
print(todo.cli)
print(f"{time.monotonic() - started:.1f}초 뒤 {state}; 서비스는 {todo.image.split('/')[-1]}을(를) 실행합니다")
assert todo.image.endswith("todo:v1") and state == "rollback_completed"
assert {a["version"] for a in ask_replicas(todo)} == {"1.0.0"}  # S13: 롤백되었습니다

# %% [markdown]
# ### A broken release rolls itself back — in Swarm
# The service was created with `--update-failure-action rollback`. We release a **broken** version: an image whose
# program stops at once with a configuration error. Its first task fails, the orchestrator stops the update and rolls
# back to v1 by itself — nobody had to press a button.
#
# (Kubernetes does **not** do this by itself: a Deployment whose new pods fail keeps its old pods serving, stalls the
# rollout, and after `progressDeadlineSeconds` marks it as failed — and waits. Someone, or a CD tool, runs
# `kubectl rollout undo`. Section 8 shows the two side by side.)

# %% [markdown] lang="ko"
# ### 망가진 릴리스는 스스로 롤백됩니다 — 스웜에서는
# 서비스는 `--update-failure-action rollback`으로 만들었습니다. **망가진** 버전을 내보냅니다. 프로그램이 설정 오류로 곧바로
# 멈추는 이미지입니다. 첫 태스크가 실패하면 오케스트레이터는 업데이트를 멈추고 스스로 v1으로 롤백합니다. 아무도 버튼을
# 누를 필요가 없습니다.
#
# (쿠버네티스는 이것을 스스로 하지 **않습니다**. 새 파드가 실패하는 Deployment는 옛 파드로 계속 서비스하면서 롤아웃을
# 멈추고, `progressDeadlineSeconds`가 지나면 실패로 표시한 뒤 기다립니다. 사람이나 CD 도구가 `kubectl rollout undo`를
# 실행합니다. 8절에서 둘을 나란히 보여 줍니다.)

# %%
broken = lab.build("todo:v3-broken", dockerfile=f"FROM {backend_image}\nENV APP_VERSION=3.0.0\n"
                   "ENTRYPOINT [\"sh\", \"-c\", \"echo 'config error: DATABASE_URL is not set' >&2; exit 1\"]\n")
started = time.monotonic()
state = todo.update_image("todo:v3-broken")
print(todo.cli)
print(f"update ended as '{state}' after {time.monotonic() - started:.1f} s; the service runs",
      todo.image.split("/")[-1])
print("message:", todo.update_message)
assert state == "rollback_completed" and todo.image.endswith("todo:v1")
assert {a["version"] for a in ask_replicas(todo)} == {"1.0.0"}  # S15: an automatic rollback

# %% lang="ko"
broken = lab.build("todo:v3-broken", dockerfile=f"FROM {backend_image}\nENV APP_VERSION=3.0.0\n"
                   "ENTRYPOINT [\"sh\", \"-c\", \"echo 'config error: DATABASE_URL is not set' >&2; exit 1\"]\n")
started = time.monotonic()
state = todo.update_image("todo:v3-broken")
print(todo.cli)
print(f"{time.monotonic() - started:.1f}초 뒤 업데이트가 '{state}'(으)로 끝났습니다; 서비스가 실행하는 것:",
      todo.image.split("/")[-1])
print("메시지:", todo.update_message)
assert state == "rollback_completed" and todo.image.endswith("todo:v1")
assert {a["version"] for a in ask_replicas(todo)} == {"1.0.0"}  # S15: 자동 롤백

# %% [markdown]
# ### Try it — roll `web` back
# Roll your service `web` back to the version it ran before its update.

# %% [markdown] lang="ko"
# ### 해 보기 — `web` 롤백하기
# 서비스 `web`을 업데이트 전에 실행하던 버전으로 롤백하세요.

# %%
### BEGIN SOLUTION
services.get("web").rollback()
### END SOLUTION

# %%
ex.q5.check()

# %%
# ex.q5.hint()
# ex.q5.solution()

# %% [markdown]
# ## 7. The whole story, from the engine's event stream
# Time to stop the recorder. Each row is one event the engine announced: tasks created, started, killed (`signal 9`
# is SIGKILL, `15` the polite SIGTERM), died (with their exit code), health changes, and the services' updates.
# First the services' own events: the updates and the rollbacks.

# %% [markdown] lang="ko"
# ## 7. 엔진의 이벤트 스트림으로 본 전체 이야기
# 녹화기를 멈출 시간입니다. 행마다 엔진이 알린 이벤트 하나입니다. 태스크의 생성, 시작, 강제 종료(`signal 9`는 SIGKILL,
# `15`는 정중한 SIGTERM), 종료(종료 코드와 함께), health 변화, 그리고 서비스의 업데이트. 먼저 서비스 자체의 이벤트인
# 업데이트와 롤백을 봅니다.

# %%
timeline = Timeline(recorder.stop())
print(len(timeline), "events recorded")
timeline.where(lambda r: r.type == "service", "The services: updates and rollbacks")

# %% lang="ko"
timeline = Timeline(recorder.stop())
print(len(timeline), "개의 이벤트를 녹화했습니다")
timeline.where(lambda r: r.type == "service", "서비스: 업데이트와 롤백")

# %% [markdown]
# All the events as a picture: one line per container (or service), time from left to right. Short lines are the
# tasks that were killed, found sick, scaled away or replaced by an update.

# %% [markdown] lang="ko"
# 모든 이벤트를 그림으로 봅니다. 컨테이너(또는 서비스)마다 한 줄, 시간은 왼쪽에서 오른쪽으로 흐릅니다. 짧은 줄은
# 죽임을 당했거나, 아픈 것으로 드러났거나, 줄어든 스케일로 사라졌거나, 업데이트로 교체된 태스크입니다.

# %%
timeline.plot(width=11)

# %%
assert any(r.type == "service" and r.detail == "rollback_completed" for r in timeline.rows)
assert any(r.verb == "die" and r.name.startswith("todo.") and r.detail == "exit code 137" for r in timeline.rows)
assert sum(1 for r in timeline.rows if r.verb == "start" and r.name.startswith("todo.")) >= 3 + 1 + 1 + 2 + 3 + 3

# %% [markdown]
# ## 8. The same service in Kubernetes
# Kubernetes asks for the same things in YAML **manifests**. A **Deployment** says "keep *replicas* copies of this pod
# template running" and rolls out updates; a **Service** gives the copies one stable address (a virtual IP, like
# Swarm's). The cell below writes both from the real Swarm service's spec (`docker service inspect`):
#
# | Swarm (this chapter) | Kubernetes |
# |---|---|
# | node (`docker swarm init`, `join`) | node (a machine running the *kubelet*) |
# | manager's scheduler | the control plane's *kube-scheduler* |
# | service + `--replicas 3` | Deployment `spec.replicas: 3` |
# | task (one container) | pod (one or more containers) |
# | healthcheck | `livenessProbe` (restart when failing) / `readinessProbe` (no traffic until passing) |
# | `--update-parallelism 1 --update-order start-first` | `strategy.rollingUpdate: maxSurge 1, maxUnavailable 0` |
# | `docker service rollback` | `kubectl rollout undo deployment/…` |
# | `--update-failure-action rollback`: a failed update rolls back **by itself** | **no automatic rollback**: the rollout stalls (`progressDeadlineSeconds`) until `kubectl rollout undo` |
# | restart policy `any` | `restartPolicy: Always` (the only one a Deployment allows) |
# | unpublished service on its overlay network | Service of type `ClusterIP` |
#
# One more difference: Kubernetes does not run your containers through Docker. Its nodes run **OCI images** — exactly
# the images you build with `docker build` — through a container runtime that speaks its CRI: **containerd** or
# **CRI-O**. The adapter that let Kubernetes drive Docker Engine (*dockershim*) was removed in Kubernetes 1.24. Your
# Dockerfiles and images carry over unchanged; `docker` commands on the nodes do not.

# %% [markdown] lang="ko"
# ## 8. 쿠버네티스에서 같은 서비스
# 쿠버네티스는 같은 것을 YAML **매니페스트**(manifest)로 요청합니다. **Deployment**는 "이 파드 템플릿의 복제본
# *replicas*개를 계속 실행해 둬"라고 말하고 업데이트를 내보냅니다. **Service**는 복제본들에 안정된 주소 하나(스웜처럼
# 가상 IP)를 줍니다. 아래 셀은 실제 스웜 서비스의 스펙(`docker service inspect`)으로 둘을 씁니다.
#
# | 스웜(이 장) | 쿠버네티스 |
# |---|---|
# | 노드(`docker swarm init`, `join`) | 노드(*kubelet*이 도는 컴퓨터) |
# | 매니저의 스케줄러 | 컨트롤 플레인의 *kube-scheduler* |
# | 서비스 + `--replicas 3` | Deployment `spec.replicas: 3` |
# | 태스크(컨테이너 하나) | 파드(컨테이너 하나 이상) |
# | 헬스체크 | `livenessProbe`(실패하면 재시작) / `readinessProbe`(통과할 때까지 트래픽 없음) |
# | `--update-parallelism 1 --update-order start-first` | `strategy.rollingUpdate: maxSurge 1, maxUnavailable 0` |
# | `docker service rollback` | `kubectl rollout undo deployment/…` |
# | `--update-failure-action rollback`: 실패한 업데이트가 **스스로** 롤백 | **자동 롤백 없음**: `kubectl rollout undo`까지 롤아웃이 멈춰 있음(`progressDeadlineSeconds`) |
# | 재시작 정책 `any` | `restartPolicy: Always`(Deployment가 허용하는 유일한 값) |
# | 오버레이 네트워크의, 공개하지 않은 서비스 | `ClusterIP` 타입의 Service |
#
# 차이가 하나 더 있습니다. 쿠버네티스는 컨테이너를 Docker로 실행하지 않습니다. 노드는 **OCI 이미지**(여러분이
# `docker build`로 만드는 바로 그 이미지)를 CRI를 말하는 컨테이너 런타임인 **containerd**나 **CRI-O**로 실행합니다.
# 쿠버네티스가 Docker Engine을 부리게 해 주던 어댑터(*dockershim*)는 쿠버네티스 1.24에서 제거되었습니다.
# Dockerfile과 이미지는 그대로 옮겨 가지만, 노드에서의 `docker` 명령은 그렇지 않습니다.

# %%
manifests = kubernetes.manifests(todo)
print(manifests)
deployment, k8s_service = yaml.safe_load_all(manifests)
container = deployment["spec"]["template"]["spec"]["containers"][0]
assert deployment["kind"] == "Deployment" and deployment["spec"]["replicas"] == todo.replicas  # S13
assert container["image"] == todo.image and "healthcheck" in " ".join(container["livenessProbe"]["exec"]["command"])
assert k8s_service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]

# %% [markdown]
# With `kubectl apply -f` these would run on any Kubernetes cluster (after pushing the image to a registry the cluster
# can pull from — chapter 11). This course needs no cluster: the ideas are the ones you just saw.
#
# ### Try it — a Kubernetes rollout that fails
# Your team runs `web` as a Kubernetes Deployment. After `kubectl set image deployment/web …`, the new pods crash at
# start. Which **command** brings the previous version back? Put it in `answer` (a string).

# %% [markdown] lang="ko"
# `kubectl apply -f`를 쓰면 이것들은 어느 쿠버네티스 클러스터에서든 실행됩니다(클러스터가 풀할 수 있는 레지스트리에
# 이미지를 푸시한 뒤에. 11장에서 합니다). 이 과정에는 클러스터가 필요 없습니다. 생각은 방금 본 그대로입니다.
#
# ### 해 보기 — 실패한 쿠버네티스 롤아웃
# 여러분의 팀은 `web`을 쿠버네티스 Deployment로 실행합니다. `kubectl set image deployment/web …` 뒤에 새 파드들이 시작하자마자
# 죽습니다. 이전 버전을 되돌리는 **명령**은 무엇일까요? `answer`에 (문자열로) 넣으세요.

# %%
answer = "____"
### BEGIN SOLUTION
answer = "kubectl rollout undo deployment/web"
### END SOLUTION

# %%
ex.q6.check(answer)

# %%
# ex.q6.hint()
# ex.q6.solution()

# %% [markdown]
# ## Recap
# - An **orchestrator** (Swarm here, Kubernetes at work) keeps a declared number of replicas running on a cluster of
#   nodes: it replaces killed and sick tasks (new containers, not restarts), and scales on request.
# - A **rolling update** replaces tasks one at a time; with start-first order and a healthcheck, a client calling the
#   service by its name saw **no failed request**. `docker service rollback` goes back to the spec before the last
#   change.
# - Swarm rolls a failing update back **by itself** (`--update-failure-action rollback`); a Kubernetes Deployment does
#   not — its rollout stalls until `kubectl rollout undo`.
# - Kubernetes runs the same **OCI images** through containerd or CRI-O (no Docker Engine since 1.24): a Deployment
#   (+ a Service) carries the same ideas.
#
# ## Clean up
# This removes the chapter's services, containers, network and images (found by label), and turns Swarm mode off if
# this chapter turned it on.

# %% [markdown] lang="ko"
# ## 정리
# - **오케스트레이터**(여기서는 스웜, 일터에서는 쿠버네티스)는 선언한 수의 레플리카를 노드들의 클러스터에서 계속
#   실행합니다. 죽은 태스크와 아픈 태스크를 교체하고(재시작이 아니라 새 컨테이너), 요청하면 스케일을 바꿉니다.
# - **롤링 업데이트**는 태스크를 하나씩 교체합니다. start-first 순서와 헬스체크가 있으면, 서비스를 이름으로 부르는
#   클라이언트는 **실패한 요청이 하나도 없었습니다**. `docker service rollback`은 마지막 변경 전의 스펙으로 돌아갑니다.
# - 스웜은 실패한 업데이트를 **스스로** 롤백합니다(`--update-failure-action rollback`). 쿠버네티스 Deployment는 그렇지
#   않습니다. `kubectl rollout undo`까지 롤아웃이 멈춰 있습니다.
# - 쿠버네티스는 같은 **OCI 이미지**를 containerd나 CRI-O로 실행합니다(1.24부터 Docker Engine 없이). Deployment
#   (+ Service)가 같은 생각을 담습니다.
#
# ## 뒷정리
# 이 장의 서비스, 컨테이너, 네트워크, 이미지를 (레이블로 찾아) 지우고, 이 장이 스웜 모드를 켰다면 끕니다.

# %%
ch.reset()
assert lab.leaks(chapter="10") == []
assert not swarm.swarm_active() or not info.created_by_kit
