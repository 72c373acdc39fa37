# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 09 · Keep it running: restart policies and healthchecks
#
# *"Using containers well needs orchestration."* Before an orchestrator, the engine itself can already keep a single
# container alive — if you ask it to. This chapter shows what one engine does on its own, and where it stops.
#
# **In this chapter you will**
# 1. crash a program on purpose and watch the engine bring it back (**restart policies**), and see what it does
#    *not* bring back;
# 2. give a container a **healthcheck**, make it sick, and make it well again — and see that the engine only
#    *reports* health;
# 3. read the engine's **event stream** as a timeline of all of it;
# 4. try each yourself: a container that survives a crash; a healthcheck of your own.
#
# Chapter 10 hands the container to an orchestrator, which acts on what this chapter only observes.

# %% [markdown] lang="ko"
# # 09 · 계속 실행하기: 재시작 정책과 헬스체크
#
# 글은 이렇게 말합니다. *"결국 이러한 도커 컨테이너를 충분히 활용 하기 위해서는 쿠버네티스같은 오케스트레이션 기술운용이
# 반드시 필요하다."* 오케스트레이터 이전에도, 엔진 혼자서 컨테이너 하나쯤은 살려 둘 수 있습니다. 요청만 한다면요.
# 이 장은 엔진 하나가 스스로 하는 일과, 그 일이 어디서 멈추는지 보여 줍니다.
#
# **이 장에서 할 일**
# 1. 프로그램을 일부러 죽이고 엔진이 그것을 되살리는 것(**재시작 정책(restart policy)**)을 지켜보고, 엔진이 되살리지
#    *않는* 것도 봅니다.
# 2. 컨테이너에 **헬스체크**(healthcheck)를 달고, 아프게 만들었다가 다시 낫게 합니다. 그리고 엔진은 상태를 *보고*만
#    한다는 것을 봅니다.
# 3. 엔진의 **이벤트 스트림**(event stream)을 이 모든 일의 타임라인으로 읽습니다.
# 4. 직접 해 봅니다: 크래시 뒤에 살아나는 컨테이너, 나만의 헬스체크.
#
# 10장에서는 컨테이너를 오케스트레이터에게 넘깁니다. 이 장에서 지켜보기만 한 것에 오케스트레이터는 실제로 대응합니다.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind.

# %% [markdown] lang="ko"
# ## 장 시작하기
# 이 셀은 키트를 불러오고, 이 장을 예전에 실행하면서 남은 것을 지웁니다.

# %%
import os
import signal
import time

import dockerlab as lab
from dockerlab import events
from dockerlab.course import ensure_app
from dockerlab.display.containers import containers_table
from dockerlab.display.timeline import Timeline
from dockerlab.exercises import ch09 as ex

ch = lab.start_chapter("09", "Keep it running: restart policies and healthchecks", lang="en")
ch.reset()

# %% lang="ko"
import os
import signal
import time

import dockerlab as lab
from dockerlab import events
from dockerlab.course import ensure_app
from dockerlab.display.containers import containers_table
from dockerlab.display.timeline import Timeline
from dockerlab.exercises import ch09 as ex

ch = lab.start_chapter("09", "계속 실행하기: 재시작 정책과 헬스체크", lang="ko")
ch.reset()

# %% [markdown]
# ### A recorder for the engine's events
# The engine announces everything that happens to a container — created, started, killed, died, healthy,
# unhealthy — as an **event**. In a terminal, `docker events` prints them as they come. We start a recorder now,
# in the background; at the end of the chapter it shows a timeline of everything this chapter did. (It listens only
# to the containers of this chapter and this session.)

# %% [markdown] lang="ko"
# ### 엔진 이벤트 녹화기
# 엔진은 컨테이너에 일어나는 모든 일(생성, 시작, 강제 종료, 종료, 정상, 비정상)을 **이벤트**(event)로 알립니다.
# 터미널에서는 `docker events`가 이벤트를 오는 대로 출력합니다. 지금 녹화기를 백그라운드에서 시작해 두면, 장 끝에서
# 이 장이 한 모든 일을 타임라인으로 보여 줍니다(이 장과 이 세션의 컨테이너만 듣습니다).

# %%
prefix = lab.name("x")[:-1]  # the session's prefix on a shared engine ("alice-"), "" on your own
recorder = events.Recorder(chapter="09", strip_prefix=prefix).start()
print("$", events.events_command("09"))
assert recorder.running

# %% lang="ko"
prefix = lab.name("x")[:-1]  # 공유 엔진에서는 세션의 접두사("alice-"), 내 엔진에서는 ""
recorder = events.Recorder(chapter="09", strip_prefix=prefix).start()
print("$", events.events_command("09"))
assert recorder.running

# %% [markdown]
# ## 1. What can go wrong, and who deals with it
# A container runs **one program**. Docker starts it, and that is all — unless you ask for more. In production,
# programs crash, hang and run out of memory:
#
# | what goes wrong | who deals with it |
# |---|---|
# | the program crashes (exits) | the engine, with a **restart policy** (section 2) |
# | the program runs but no longer works | a **healthcheck** notices it (section 3); the engine only reports it |
# | a copy is sick, a machine is down, more copies are needed | an **orchestrator** (chapter 10) |

# %% [markdown] lang="ko"
# ## 1. 무엇이 잘못될 수 있고, 누가 대응하는가
# 컨테이너는 **프로그램 하나**를 실행합니다. Docker는 그 프로그램을 시작하고, 그것으로 끝입니다. 더 요청하지 않는다면요.
# 운영 환경에서 프로그램은 죽고, 멈추고, 메모리가 바닥납니다.
#
# | 잘못되는 일 | 누가 대응하는가 |
# |---|---|
# | 프로그램이 죽는다(종료한다) | 엔진, **재시작 정책**으로(2절) |
# | 프로그램은 돌지만 더 이상 제대로 일하지 않는다 | **헬스체크**가 알아챈다(3절). 엔진은 보고만 한다 |
# | 복제본 하나가 아프다, 컴퓨터 한 대가 죽었다, 복제본이 더 필요하다 | **오케스트레이터**(10장) |

# %% [markdown]
# ## 2. Restart policies: the engine brings a crashed program back
# ### 2.1 A program that crashes on demand
# To watch a crash we need a program that crashes when *we* want. `flaky` is a tiny bash script: it counts how many
# times it has started, then waits; when the file `/tmp/crash` appears, it exits with code 1 — the way a real
# program says "I failed".

# %% [markdown] lang="ko"
# ## 2. 재시작 정책: 엔진이 죽은 프로그램을 되살립니다
# ### 2.1 원할 때 죽는 프로그램
# 크래시를 지켜보려면 *우리가* 원할 때 죽는 프로그램이 필요합니다. `flaky`는 작은 bash 스크립트입니다. 몇 번째로
# 시작했는지 세고 기다리다가, `/tmp/crash` 파일이 생기면 종료 코드 1로 끝납니다. 실제 프로그램이 "실패했습니다"라고
# 말하는 방식 그대로입니다.

# %%
FLAKY_SH = r"""#!/bin/bash
# A pretend server: it crashes (exit code 1) as soon as /tmp/crash exists.
echo "start" >> /var/tmp/starts
echo "flaky started (start number $(wc -l < /var/tmp/starts))"
trap 'echo "stopping on request"; exit 0' TERM
while [ ! -e /tmp/crash ]; do sleep 0.1; done
rm -f /tmp/crash
echo "flaky crashes with exit code 1"
exit 1
"""
flaky = lab.build("flaky:1", dockerfile="FROM debian:bookworm-slim\n"
                                        "COPY flaky.sh /usr/local/bin/flaky\n"
                                        'CMD ["bash", "/usr/local/bin/flaky"]\n',
                  files={"flaky.sh": FLAKY_SH})
print(flaky.cli)
print("built", flaky.tag, "in", flaky.seconds, "s")

# %% lang="ko"
FLAKY_SH = r"""#!/bin/bash
# A pretend server: it crashes (exit code 1) as soon as /tmp/crash exists.
echo "start" >> /var/tmp/starts
echo "flaky started (start number $(wc -l < /var/tmp/starts))"
trap 'echo "stopping on request"; exit 0' TERM
while [ ! -e /tmp/crash ]; do sleep 0.1; done
rm -f /tmp/crash
echo "flaky crashes with exit code 1"
exit 1
"""
flaky = lab.build("flaky:1", dockerfile="FROM debian:bookworm-slim\n"
                                        "COPY flaky.sh /usr/local/bin/flaky\n"
                                        'CMD ["bash", "/usr/local/bin/flaky"]\n',
                  files={"flaky.sh": FLAKY_SH})
print(flaky.cli)
print("빌드:", flaky.tag, "— 걸린 시간", flaky.seconds, "초")

# %% [markdown]
# A small helper makes the program crash and then watches what the engine does for a moment: it returns the
# container's status, how many times the engine restarted it (`.restart_count`, the `RestartCount` of
# `docker inspect`) and how long that took. `lab.poll` asks again every few hundredths of a second until the answer is
# yes (or the time is up).

# %% [markdown] lang="ko"
# 작은 도우미 함수가 프로그램을 죽인 뒤 엔진이 무엇을 하는지 잠시 지켜봅니다. 컨테이너의 상태, 엔진이 몇 번 재시작했는지
# (`.restart_count`, `docker inspect`의 `RestartCount`), 그리고 그때까지 걸린 시간을 돌려줍니다. `lab.poll`은 답이 "예"가
# 될 때까지(또는 시간이 다 될 때까지) 몇백분의 1초마다 다시 묻습니다.

# %%
def crash_and_watch(c: lab.Container, settle: float = 2.0) -> tuple[str, int, float]:
    """Crash the flaky program in ``c``; return (status, restart count, seconds until it ran again or settled)."""
    before = c.reload().restart_count
    started = time.monotonic()
    c.exec("touch /tmp/crash")

    def settled() -> bool:
        c.reload()
        back = c.restart_count > before and c.status == "running"  # the engine started it again
        stopped = c.status == "exited" and time.monotonic() - started > settle  # stopped, and no restart came
        return back or stopped

    lab.poll(settled, timeout=15, interval=0.05)
    return c.status, c.restart_count, round(time.monotonic() - started, 2)


# %% lang="ko"
def crash_and_watch(c: lab.Container, settle: float = 2.0) -> tuple[str, int, float]:
    """``c`` 안의 flaky 프로그램을 죽이고 (상태, 재시작 횟수, 다시 실행되거나 자리 잡을 때까지 걸린 초)를 돌려줍니다."""
    before = c.reload().restart_count
    started = time.monotonic()
    c.exec("touch /tmp/crash")

    def settled() -> bool:
        c.reload()
        back = c.restart_count > before and c.status == "running"  # 엔진이 다시 시작했습니다
        stopped = c.status == "exited" and time.monotonic() - started > settle  # 멈췄고, 재시작은 오지 않았습니다
        return back or stopped

    lab.poll(settled, timeout=15, interval=0.05)
    return c.status, c.restart_count, round(time.monotonic() - started, 2)

# %% [markdown]
# ### 2.2 Without a policy, a crash is the end
# The default restart policy is `no`: when the program exits, the container stays stopped.

# %% [markdown] lang="ko"
# ### 2.2 정책이 없으면 크래시가 끝입니다
# 기본 재시작 정책은 `no`입니다. 프로그램이 끝나면 컨테이너는 멈춘 채로 있습니다.

# %%
fragile = lab.run("fragile", "flaky:1")
print(fragile.cli)
status, restarts, _ = crash_and_watch(fragile)
print("status:", status, "| exit code:", fragile.exit_code, "| restarts:", restarts)
assert status == "exited" and fragile.exit_code == 1 and restarts == 0

# %% lang="ko"
fragile = lab.run("fragile", "flaky:1")
print(fragile.cli)
status, restarts, _ = crash_and_watch(fragile)
print("상태:", status, "| 종료 코드:", fragile.exit_code, "| 재시작:", restarts)
assert status == "exited" and fragile.exit_code == 1 and restarts == 0

# %% [markdown]
# ### 2.3 `--restart on-failure`: the engine starts it again
# With `restart="on-failure"` (`docker run --restart on-failure`), the engine restarts the program whenever it exits
# with an error code. Before the crash we write a note into the container's filesystem.

# %% [markdown] lang="ko"
# ### 2.3 `--restart on-failure`: 엔진이 다시 시작합니다
# `restart="on-failure"`(`docker run --restart on-failure`)를 주면, 프로그램이 오류 코드로 끝날 때마다 엔진이 다시
# 시작합니다. 크래시 전에 컨테이너의 파일 시스템에 메모 하나를 써 둡니다.

# %%
sturdy = lab.run("sturdy", "flaky:1", restart="on-failure")
sturdy_id = sturdy.id
print(sturdy.cli)
sturdy.exec("echo 'written before the crash' > /var/tmp/note")
status, restarts, seconds = crash_and_watch(sturdy)
print(f"status: {status} | restarts: {restarts} | back after {seconds} s")
print(sturdy.logs())
assert status == "running" and restarts == 1  # S15: the engine restarted the crashed program

# %% lang="ko"
sturdy = lab.run("sturdy", "flaky:1", restart="on-failure")
sturdy_id = sturdy.id
print(sturdy.cli)
sturdy.exec("echo 'written before the crash' > /var/tmp/note")
status, restarts, seconds = crash_and_watch(sturdy)
print(f"상태: {status} | 재시작: {restarts} | {seconds}초 뒤 복귀")
print(sturdy.logs())
assert status == "running" and restarts == 1  # S15: 엔진이 죽은 프로그램을 다시 시작했습니다

# %% [markdown]
# A **restart is not a new container**: the ID is the same, and the note written before the crash is still there
# (the program even counted its second start in `/var/tmp/starts`). Only the process is new.

# %% [markdown] lang="ko"
# **재시작은 새 컨테이너가 아닙니다.** ID가 같고, 크래시 전에 쓴 메모도 그대로 있습니다(프로그램은 두 번째 시작도
# `/var/tmp/starts`에 셌습니다). 새것은 프로세스뿐입니다.

# %%
note = sturdy.exec("cat /var/tmp/note").output.strip()
print("note after the restart:", note)
print("container id unchanged:", sturdy.reload().id == sturdy_id)
assert note == "written before the crash" and sturdy.id == sturdy_id and "start number 2" in sturdy.logs()

# %% lang="ko"
note = sturdy.exec("cat /var/tmp/note").output.strip()
print("재시작 뒤의 메모:", note)
print("컨테이너 ID 그대로:", sturdy.reload().id == sturdy_id)
assert note == "written before the crash" and sturdy.id == sturdy_id and "start number 2" in sturdy.logs()

# %% [markdown]
# ### 2.4 A limit on retries: `on-failure:2`
# A program that crashes at every start would be restarted for ever. `on-failure:2` allows two restarts; the third
# crash is final. (Between retries the engine also waits longer each time: 0.1 s, 0.2 s, 0.4 s, …)

# %% [markdown] lang="ko"
# ### 2.4 재시도 횟수 제한: `on-failure:2`
# 시작할 때마다 죽는 프로그램이라면 끝없이 재시작될 것입니다. `on-failure:2`는 재시작을 두 번까지 허용하고, 세 번째
# 크래시가 마지막입니다. (재시도 사이에 엔진은 점점 더 오래 기다립니다: 0.1초, 0.2초, 0.4초, …)

# %%
limited = lab.run("limited", "flaky:1", restart="on-failure:2")
print(limited.cli)
for attempt in (1, 2, 3):
    status, restarts, seconds = crash_and_watch(limited)
    print(f"crash {attempt}: status {status}, restarts so far {restarts} ({seconds} s)")
assert status == "exited" and restarts == 2  # S15: at most two restarts, then it stays down

# %% lang="ko"
limited = lab.run("limited", "flaky:1", restart="on-failure:2")
print(limited.cli)
for attempt in (1, 2, 3):
    status, restarts, seconds = crash_and_watch(limited)
    print(f"크래시 {attempt}: 상태 {status}, 지금까지 재시작 {restarts}번 ({seconds}초)")
assert status == "exited" and restarts == 2  # S15: 재시작은 최대 두 번, 그 뒤로는 멈춘 채로

# %% [markdown]
# ### 2.5 What *you* stop stays stopped
# `restart="always"` restarts a program whatever its exit code. But when **you** stop or kill a container through
# the engine (`docker stop`, `docker kill`), the engine takes it as your decision and does **not** restart it. After
# `docker kill` the container stays `exited` and `RestartCount` stays 0. (`always` brings it back the next time the
# *engine* starts; `unless-stopped` does not.)

# %% [markdown] lang="ko"
# ### 2.5 *내가* 멈춘 것은 멈춘 채로 있습니다
# `restart="always"`는 종료 코드와 상관없이 프로그램을 다시 시작합니다. 하지만 **내가** 엔진을 통해 컨테이너를 멈추거나
# 강제 종료하면(`docker stop`, `docker kill`), 엔진은 그것을 내 결정으로 받아들이고 다시 시작하지 **않습니다**.
# `docker kill` 뒤에 컨테이너는 `exited`로 남고 `RestartCount`는 0입니다. (`always`는 다음에 *엔진*이 시작할 때 그
# 컨테이너를 되살리고, `unless-stopped`는 되살리지 않습니다.)

# %%
steady = lab.run("steady", "flaky:1", restart="always")
steady.kill()
print("$ docker kill", steady.name)
time.sleep(1.5)
steady.reload()
print("after docker kill:", steady.status, "| restarts:", steady.restart_count)
assert steady.status == "exited" and steady.restart_count == 0

# %% lang="ko"
steady = lab.run("steady", "flaky:1", restart="always")
steady.kill()
print("$ docker kill", steady.name)
time.sleep(1.5)
steady.reload()
print("docker kill 뒤:", steady.status, "| 재시작:", steady.restart_count)
assert steady.status == "exited" and steady.restart_count == 0

# %% [markdown]
# ### 2.6 A real crash of the Java backend
# Now the course's Java backend, with `restart="always"`. We make its `java` process die **without asking Docker** —
# as if it had crashed, or been killed by the kernel for using too much memory (chapter 07). The engine runs on this
# machine, so the notebook can send `SIGKILL` to that process directly (`.pid` is its number on the host, PID 1
# inside). The engine sees its program die (exit code 137 = killed) and starts it again.

# %% [markdown] lang="ko"
# ### 2.6 Java 백엔드의 진짜 크래시
# 이번에는 과정의 Java 백엔드를 `restart="always"`로 실행합니다. 그 `java` 프로세스를 **Docker에게 묻지 않고** 죽입니다.
# 프로그램이 스스로 죽었거나, 메모리를 너무 많이 써서 커널이 죽인 것처럼요(07장). 엔진이 이 컴퓨터에서 돌고 있으므로
# 노트북이 그 프로세스에 `SIGKILL`을 직접 보낼 수 있습니다(`.pid`는 호스트에서의 프로세스 번호이고, 안에서는 PID 1입니다).
# 엔진은 자기 프로그램이 죽은 것(종료 코드 137 = 강제 종료)을 보고 다시 시작합니다.

# %%
backend_image = ensure_app("backend")
api = lab.run("api", backend_image, restart="always", ports={8080: None}, wait="http:/actuator/health")
print(api.cli)
pid = api.reload().pid
local_engine = lab.engine_info().address.startswith("unix://") and os.path.exists(f"/proc/{pid}")
if local_engine:
    os.kill(pid, signal.SIGKILL)  # the java process dies, Docker did not ask for it
    started = time.monotonic()
    lab.poll(lambda: api.reload().restart_count >= 1, timeout=15, interval=0.05)
    api.wait_ready("http:/actuator/health", timeout=120)  # a loaded machine can take a while
    print(f"java (host pid {pid}) killed; back as host pid {api.pid}, answering again after "
          f"{time.monotonic() - started:.2f} s; restarts: {api.restart_count}")
    assert api.restart_count == 1 and api.pid != pid  # S15
else:
    print("The engine runs elsewhere (e.g. in Docker Desktop's VM): this notebook cannot signal its processes. "
          "Section 2.3 showed the same restart with a program that crashes by itself.")

# %% lang="ko"
backend_image = ensure_app("backend")
api = lab.run("api", backend_image, restart="always", ports={8080: None}, wait="http:/actuator/health")
print(api.cli)
pid = api.reload().pid
local_engine = lab.engine_info().address.startswith("unix://") and os.path.exists(f"/proc/{pid}")
if local_engine:
    os.kill(pid, signal.SIGKILL)  # java 프로세스가 죽습니다. Docker가 요청한 것이 아닙니다
    started = time.monotonic()
    lab.poll(lambda: api.reload().restart_count >= 1, timeout=15, interval=0.05)
    api.wait_ready("http:/actuator/health", timeout=120)  # 바쁜 컴퓨터에서는 시간이 좀 걸릴 수 있습니다
    print(f"java(호스트 pid {pid})를 죽였습니다. 호스트 pid {api.pid}로 돌아와 "
          f"{time.monotonic() - started:.2f}초 뒤 다시 답합니다. 재시작: {api.restart_count}")
    assert api.restart_count == 1 and api.pid != pid  # S15
else:
    print("엔진이 다른 곳(예: Docker Desktop의 VM)에서 돌고 있어 이 노트북이 그 프로세스에 시그널을 보낼 수 없습니다. "
          "2.3절에서 스스로 죽는 프로그램으로 같은 재시작을 보았습니다.")

# %% [markdown]
# ### Try it — a container that comes back after a crash
# Run a container named **`resilient`** from your `flaky:1` image with a **restart policy** so that the engine brings
# it back after a crash. Then make it crash once and give the engine a moment (`crash_and_watch` does both). The check
# reads the engine: the policy, the restart count, the status.

# %% [markdown] lang="ko"
# ### 해 보기 — 크래시 뒤에 살아나는 컨테이너
# `flaky:1` 이미지로 **`resilient`라는** 컨테이너를 실행하되, 크래시 뒤에 엔진이 되살리도록 **재시작 정책**을 주세요.
# 그다음 한 번 죽게 만들고 엔진에게 잠시 시간을 주세요(`crash_and_watch`가 둘 다 합니다). 확인은 엔진에서 정책, 재시작
# 횟수, 상태를 읽습니다.

# %%
### BEGIN SOLUTION
resilient = lab.run("resilient", "flaky:1", restart="on-failure")
status, restarts, seconds = crash_and_watch(resilient)  # section 2.1's helper: crash it, wait until it runs again
print(restarts, status, f"({seconds} s)")
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ## 3. Healthchecks: running is not the same as working
# A program can run and still be useless: stuck, out of database connections, answering errors. A **healthcheck** is
# a command the engine runs inside the container every *interval*; exit code 0 means healthy. After *retries* failures
# in a row the container is **unhealthy**.
#
# Ours checks that the file `/tmp/ok` exists, every second (times in seconds, as `--health-interval 1s`).

# %% [markdown] lang="ko"
# ## 3. 헬스체크: 실행 중이라고 제대로 일하는 것은 아닙니다
# 프로그램은 돌면서도 쓸모없을 수 있습니다. 멈춰 있거나, 데이터베이스 연결이 바닥났거나, 오류만 답하거나요.
# **헬스체크**는 엔진이 *interval*마다 컨테이너 안에서 실행하는 명령입니다. 종료 코드 0이면 정상(healthy)입니다.
# *retries*번 연속으로 실패하면 컨테이너는 **비정상**(unhealthy)이 됩니다.
#
# 우리 헬스체크는 1초마다 `/tmp/ok` 파일이 있는지 확인합니다(시간은 `--health-interval 1s`처럼 초 단위).

# %%
probe = lab.run("probe", "debian:bookworm-slim", ["bash", "-c", "touch /tmp/ok; exec sleep infinity"],
                healthcheck={"test": ["CMD-SHELL", "test -f /tmp/ok"], "interval": 1, "timeout": 1, "retries": 1},
                wait="healthy", timeout=30)
print(probe.cli)
print("health:", probe.health)
assert probe.health == "healthy"


# %% lang="ko"
probe = lab.run("probe", "debian:bookworm-slim", ["bash", "-c", "touch /tmp/ok; exec sleep infinity"],
                healthcheck={"test": ["CMD-SHELL", "test -f /tmp/ok"], "interval": 1, "timeout": 1, "retries": 1},
                wait="healthy", timeout=30)
print(probe.cli)
print("상태(health):", probe.health)
assert probe.health == "healthy"

# %%
def wait_health(c: lab.Container, wanted: str, timeout: float = 15) -> float:
    """Wait until the container's health is ``wanted``; return how many seconds it took."""
    started = time.monotonic()
    lab.poll(lambda: c.reload().health == wanted, timeout=timeout, interval=0.1,
             fail=lambda: AssertionError(f"{c.name} is still {c.health}"))
    return round(time.monotonic() - started, 2)


# %% lang="ko"
def wait_health(c: lab.Container, wanted: str, timeout: float = 15) -> float:
    """컨테이너의 health가 ``wanted``가 될 때까지 기다리고, 걸린 초를 돌려줍니다."""
    started = time.monotonic()
    lab.poll(lambda: c.reload().health == wanted, timeout=timeout, interval=0.1,
             fail=lambda: AssertionError(f"{c.name}은(는) 아직 {c.health} 상태입니다"))
    return round(time.monotonic() - started, 2)

# %% [markdown]
# Now we make it sick: remove the file. Within about a second the check fails and the container is `unhealthy`.
# Look closely at the status and the restart count: **the engine alone does not act on health** — the container keeps
# running, sick. Acting on it is an orchestrator's job (chapter 10, section 3: a sick replica is replaced).

# %% [markdown] lang="ko"
# 이제 아프게 만듭니다. 파일을 지우면 1초쯤 안에 확인이 실패하고 컨테이너는 `unhealthy`가 됩니다. 상태와 재시작 횟수를
# 잘 보세요. **엔진 혼자서는 health에 대응하지 않습니다.** 컨테이너는 아픈 채로 계속 돕니다. 대응은 오케스트레이터의
# 일입니다(10장 3절: 아픈 레플리카(replica)는 교체됩니다).

# %%
probe.exec("rm /tmp/ok")
print(f"unhealthy after {wait_health(probe, 'unhealthy')} s")
last = probe.health_log[-1]
print("last check: exit code", last.exit_code, "| status:", probe.status, "| restarts:", probe.restart_count)
assert probe.health == "unhealthy" and probe.status == "running" and probe.restart_count == 0  # S15

# %% lang="ko"
probe.exec("rm /tmp/ok")
print(f"{wait_health(probe, 'unhealthy')}초 뒤 unhealthy")
last = probe.health_log[-1]
print("마지막 확인: 종료 코드", last.exit_code, "| 상태:", probe.status, "| 재시작:", probe.restart_count)
assert probe.health == "unhealthy" and probe.status == "running" and probe.restart_count == 0  # S15

# %% [markdown]
# Put the file back, and the next check passes:

# %% [markdown] lang="ko"
# 파일을 되돌려 놓으면 다음 확인은 통과합니다.

# %%
probe.exec("touch /tmp/ok")
print(f"healthy again after {wait_health(probe, 'healthy')} s")
assert probe.health == "healthy"  # S15: health follows the check, both ways

# %% lang="ko"
probe.exec("touch /tmp/ok")
print(f"{wait_health(probe, 'healthy')}초 뒤 다시 healthy")
assert probe.health == "healthy"  # S15: health는 확인 결과를 양방향으로 따라갑니다

# %% [markdown]
# The course's backend image carries its own healthcheck (a `HEALTHCHECK` line in its Dockerfile): a small script
# that asks the app's `GET /actuator/health`. Every container of that image gets it for free.

# %% [markdown] lang="ko"
# 과정의 백엔드 이미지에는 헬스체크가 들어 있습니다(Dockerfile의 `HEALTHCHECK` 줄). 앱의 `GET /actuator/health`에 묻는
# 작은 스크립트입니다. 그 이미지로 만든 컨테이너는 모두 이것을 저절로 얻습니다.

# %%
image_check = lab.images.inspect(backend_image).healthcheck  # the image's HEALTHCHECK, times in seconds
print("HEALTHCHECK", image_check["test"], "every", f"{image_check['interval']:g}", "s,", image_check["retries"], "retries")
print("the api container from 2.6 is:", api.reload().health or "starting",
      "(its first check comes 10 s after the start; until then it says 'starting')")
assert image_check["test"][-1].endswith("healthcheck")

# %% lang="ko"
image_check = lab.images.inspect(backend_image).healthcheck  # 이미지의 HEALTHCHECK, 시간은 초 단위
print("HEALTHCHECK", image_check["test"], "주기", f"{image_check['interval']:g}", "초,", image_check["retries"], "회 재시도")
print("2.6의 api 컨테이너 상태:", api.reload().health or "starting",
      "(첫 확인은 시작 10초 뒤에 옵니다. 그때까지는 'starting'이라고 말합니다)")
assert image_check["test"][-1].endswith("healthcheck")

# %% [markdown]
# ### Try it — a healthcheck of your own
# Every 10 s is slow for ops: they want to notice a sick backend within a few seconds. Run a container named
# **`checked`** from the course's backend image with your own healthcheck: **every 2 seconds, 2 retries** (the test
# can stay the image's script, `/usr/local/bin/healthcheck`). Wait until it is healthy.

# %% [markdown] lang="ko"
# ### 해 보기 — 나만의 헬스체크
# 10초마다는 운영팀에게 느립니다. 아픈 백엔드를 몇 초 안에 알아채고 싶어 합니다. 과정의 백엔드 이미지로
# **`checked`라는** 컨테이너를 실행하고, 나만의 헬스체크를 주세요: **2초마다, 재시도 2회**(확인 명령은 이미지의 스크립트
# `/usr/local/bin/healthcheck`를 그대로 써도 됩니다). 정상(healthy)이 될 때까지 기다리세요.

# %%
### BEGIN SOLUTION
checked = lab.run("checked", backend_image, wait="healthy", timeout=60,
                  healthcheck={"test": ["CMD", "/usr/local/bin/healthcheck"], "interval": 2, "retries": 2})
print(checked.cli)
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# All this chapter's containers — the table shows status, restarts, health and image:

# %% [markdown] lang="ko"
# 이 장의 모든 컨테이너입니다. 표는 상태, 재시작, health, 이미지를 보여 줍니다.

# %%
containers_table(lab.ps(chapter="09"), title="This chapter's containers")

# %% lang="ko"
containers_table(lab.ps(chapter="09"), title="이 장의 컨테이너")

# %% [markdown]
# ## 4. The whole story, from the engine's event stream
# Time to stop the recorder. Each row is one event the engine announced: containers created, started, killed
# (`signal 9` is SIGKILL, `15` the polite SIGTERM), died (with their exit code), and health changes. Look for the
# crashes and the restarts of section 2, and the probe turning unhealthy and healthy in section 3.

# %% [markdown] lang="ko"
# ## 4. 엔진의 이벤트 스트림으로 본 전체 이야기
# 녹화기를 멈출 시간입니다. 행마다 엔진이 알린 이벤트 하나입니다. 컨테이너의 생성, 시작, 강제 종료(`signal 9`는 SIGKILL,
# `15`는 정중한 SIGTERM), 종료(종료 코드와 함께), health 변화. 2절의 크래시와 재시작, 3절에서 probe가 unhealthy가 되었다가
# healthy로 돌아오는 것을 찾아보세요.

# %%
timeline = Timeline(recorder.stop())
print(len(timeline), "events recorded")
timeline.where(lambda r: r.name in ("fragile", "sturdy", "limited", "steady", "probe"), "Sections 2 and 3")

# %% lang="ko"
timeline = Timeline(recorder.stop())
print(len(timeline), "개의 이벤트를 녹화했습니다")
timeline.where(lambda r: r.name in ("fragile", "sturdy", "limited", "steady", "probe"), "2절과 3절")

# %%
timeline.plot(width=11)

# %%
flaky_deaths = [r for r in timeline.rows if r.verb == "die" and r.name == "sturdy"]
assert flaky_deaths and flaky_deaths[0].detail == "exit code 1"  # the crash of 2.3 …
assert any(r.verb == "start" and r.name == "sturdy" and r.time > flaky_deaths[0].time for r in timeline.rows)  # … and its restart
assert any(r.verb == "health_status" and r.name == "probe" and r.detail == "unhealthy" for r in timeline.rows)

# %% lang="ko"
flaky_deaths = [r for r in timeline.rows if r.verb == "die" and r.name == "sturdy"]
assert flaky_deaths and flaky_deaths[0].detail == "exit code 1"  # 2.3의 크래시 …
assert any(r.verb == "start" and r.name == "sturdy" and r.time > flaky_deaths[0].time for r in timeline.rows)  # … 그리고 재시작
assert any(r.verb == "health_status" and r.name == "probe" and r.detail == "unhealthy" for r in timeline.rows)

# %% [markdown]
# ## Recap
# - A **restart policy** (`no`, `on-failure[:N]`, `always`, `unless-stopped`) makes the engine restart a program that
#   exits; a restart reuses the same container (same ID, same files). What you stop yourself stays stopped.
# - A **healthcheck** says whether a running program *works*. The engine runs it and **reports** the result
#   (`healthy`/`unhealthy`, `docker inspect`, events) — it does not restart a sick container.
# - `docker events` tells the whole story afterwards.
# - Replacing sick copies, keeping *N* of them and updating them without downtime is an orchestrator's job:
#   chapter 10.
#
# ## Clean up

# %% [markdown] lang="ko"
# ## 정리
# - **재시작 정책**(`no`, `on-failure[:N]`, `always`, `unless-stopped`)을 주면 엔진이 끝난 프로그램을 다시 시작합니다.
#   재시작은 같은 컨테이너(같은 ID, 같은 파일)를 다시 씁니다. 내가 직접 멈춘 것은 멈춘 채로 있습니다.
# - **헬스체크**는 돌고 있는 프로그램이 *제대로 일하는지* 말해 줍니다. 엔진은 그것을 실행하고 결과를 **보고**합니다
#   (`healthy`/`unhealthy`, `docker inspect`, 이벤트). 아픈 컨테이너를 재시작하지는 않습니다.
# - `docker events`가 나중에 전체 이야기를 들려줍니다.
# - 아픈 복제본을 교체하고, 복제본 *N*개를 유지하고, 중단 없이 업데이트하는 것은 오케스트레이터의 일입니다: 10장.
#
# ## 뒷정리

# %%
ch.reset()
assert lab.leaks(chapter="09") == []
