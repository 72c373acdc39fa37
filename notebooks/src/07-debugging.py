# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 07 · Debugging: why does my container stop?
#
# **In this chapter you will**
# 1. read a container's **exit code** and know what the common ones mean (0, 1, 126, 127, 137, 143);
# 2. read its **logs** — all of them, the last lines, and as they come (`docker logs -f`);
# 3. ask the engine exactly one question with **`docker inspect --format`**;
# 4. look **inside** a running container (`docker exec`, and `docker exec -it` in a JupyterLab terminal) — and
#    around a stopped one;
# 5. see why `docker stop` sometimes takes ten seconds;
# 6. watch the kernel kill a container that uses more **memory** than its limit (OOM);
# 7. diagnose and fix a container that keeps exiting, and a job that dies.
#
# Every debugging session asks the same questions in the same order: **Does it run?** (`docker ps -a`: status,
# exit code) → **What did it say?** (`docker logs`) → **What was it given?** (`docker inspect`) → **What does it see?**
# (`docker exec`). This chapter goes through them with containers that fail on purpose.

# %% [markdown] lang="ko"
# # 07 · 디버깅: 내 컨테이너는 왜 멈출까요?
#
# **이 장에서 할 일**
# 1. 컨테이너의 **종료 코드**(exit code)를 읽고, 흔한 종료 코드(0, 1, 126, 127, 137, 143)의 뜻을 압니다.
# 2. 컨테이너의 **로그**를 읽습니다. 전부, 마지막 몇 줄, 그리고 나오는 대로(`docker logs -f`).
# 3. **`docker inspect --format`으로** 엔진에 딱 한 가지를 묻습니다.
# 4. 실행 중인 컨테이너의 **안**을 들여다보고(`docker exec`, JupyterLab 터미널에서 `docker exec -it`), 멈춘 컨테이너는 그 주변을
#    살핍니다.
# 5. `docker stop`이 왜 가끔 10초나 걸리는지 봅니다.
# 6. 제한보다 **메모리**를 많이 쓰는 컨테이너를 커널이 죽이는 것(OOM)을 봅니다.
# 7. 계속 종료되는 컨테이너와 죽어 버리는 작업(job)을 진단하고 고칩니다.
#
# 디버깅은 언제나 같은 질문을 같은 순서로 던집니다. **실행되고 있나?**(`docker ps -a`: 상태, 종료 코드) → **무슨 말을 했나?**
# (`docker logs`) → **무엇을 받았나?**(`docker inspect`) → **무엇이 보이나?**(`docker exec`). 이 장은 일부러 실패하는 컨테이너들로
# 이 질문들을 차례로 따라갑니다.

# %% [markdown]
# ## Start the chapter

# %% [markdown] lang="ko"
# ## 장 시작하기

# %%
import os
import shutil
import subprocess
import time

import dockerlab as lab
from dockerlab.display.containers import containers_table
from dockerlab.errors import BadInput, ContainerStopped
from dockerlab.exercises import ch07 as ex

ch = lab.start_chapter("07", "Debugging: why does my container stop?", lang="en")
ch.reset()
engine = lab.engine_info()
print(f"engine: Docker {engine.server_version}, {'rootless' if engine.rootless else 'rootful'}, "
      f"cgroup v{engine.cgroup_version}, memory limits enforced: {engine.memory_limit}")

# %% lang="ko"
import os
import shutil
import subprocess
import time

import dockerlab as lab
from dockerlab.display.containers import containers_table
from dockerlab.errors import BadInput, ContainerStopped
from dockerlab.exercises import ch07 as ex

ch = lab.start_chapter("07", "디버깅: 내 컨테이너는 왜 멈출까요?", lang="ko")
ch.reset()
engine = lab.engine_info()
print(f"엔진: Docker {engine.server_version}, {'rootless' if engine.rootless else 'rootful'}, "
      f"cgroup v{engine.cgroup_version}, 메모리 제한 적용: {engine.memory_limit}")

# %% [markdown]
# ## 1. Exit codes: how a program says how it ended
# A container runs **one program**; when that program ends, the container stops, and the engine keeps the program's
# **exit code**. `0` means "all went well"; anything else means something went wrong. Some numbers mean the same
# thing everywhere:
#
# | exit code | meaning | typical cause |
# |---|---|---|
# | 0 | success | a job that finished; a server that was asked to stop and did |
# | 1, 2, 3… | the program's own error | bad configuration, a missing file, an exception |
# | 126 | found, but cannot be run | a script without the execute permission |
# | 127 | command not found | a typo, or a program the image does not have |
# | 128 + *n* | killed by signal *n* | **137** = 128 + 9 (SIGKILL: `docker kill`, the out-of-memory killer), **143** = 128 + 15 (SIGTERM: `docker stop`) |
#
# Let us make each one happen. `c.wait()` is `docker wait`: it waits until the program ends and returns its exit code.

# %% [markdown] lang="ko"
# ## 1. 종료 코드: 프로그램이 어떻게 끝났는지 알리는 방법
# 컨테이너는 **프로그램 하나**를 실행합니다. 그 프로그램이 끝나면 컨테이너가 멈추고, 엔진은 프로그램의 **종료 코드**를 보관합니다.
# `0`은 "모두 잘 됐다"는 뜻이고, 그 밖의 값은 무언가 잘못되었다는 뜻입니다. 어떤 숫자는 어디서나 같은 뜻입니다.
#
# | 종료 코드 | 뜻 | 흔한 원인 |
# |---|---|---|
# | 0 | 성공 | 끝까지 마친 작업, 멈추라는 요청을 받고 멈춘 서버 |
# | 1, 2, 3… | 프로그램 자신의 오류 | 잘못된 설정, 없는 파일, 예외 |
# | 126 | 찾았지만 실행할 수 없음 | 실행 권한이 없는 스크립트 |
# | 127 | 명령을 찾을 수 없음 | 오타, 또는 이미지에 없는 프로그램 |
# | 128 + *n* | 시그널 *n*으로 죽음 | **137** = 128 + 9(SIGKILL: `docker kill`, 메모리 부족 킬러), **143** = 128 + 15(SIGTERM: `docker stop`) |
#
# 하나씩 일으켜 봅시다. `c.wait()`는 `docker wait`입니다. 프로그램이 끝날 때까지 기다렸다가 종료 코드를 돌려줍니다.

# %%
CASES = {
    "ok": ["bash", "-c", "echo all good"],
    "own-error": ["bash", "-c", "echo 'config error: no PORT' >&2; exit 3"],
    "not-executable": ["bash", "-c", "/etc/hostname"],
    "not-found": ["bash", "-c", "helo-world"],
}
codes = {}
for name, command in CASES.items():
    c = lab.run(name, "debian:bookworm-slim", command)
    codes[name] = c.wait()
    print(f"{name:>15}: exit code {codes[name]:>3}   {c.logs().strip()}")
assert codes == {"ok": 0, "own-error": 3, "not-executable": 126, "not-found": 127}

# %% lang="ko"
CASES = {
    "ok": ["bash", "-c", "echo all good"],
    "own-error": ["bash", "-c", "echo 'config error: no PORT' >&2; exit 3"],
    "not-executable": ["bash", "-c", "/etc/hostname"],
    "not-found": ["bash", "-c", "helo-world"],
}
codes = {}
for name, command in CASES.items():
    c = lab.run(name, "debian:bookworm-slim", command)
    codes[name] = c.wait()
    print(f"{name:>15}: 종료 코드 {codes[name]:>3}   {c.logs().strip()}")
assert codes == {"ok": 0, "own-error": 3, "not-executable": 126, "not-found": 127}

# %% [markdown]
# 137 and 143 need a running program that something stops from outside. `docker kill` sends SIGKILL: the kernel ends
# the program at once, no questions asked.

# %% [markdown] lang="ko"
# 137과 143에는 밖에서 누군가 멈추는, 실행 중인 프로그램이 필요합니다. `docker kill`은 SIGKILL을 보냅니다. 커널이 묻지도 않고
# 프로그램을 그 자리에서 끝냅니다.

# %%
victim = lab.run("victim", "debian:bookworm-slim", ["sleep", "infinity"])
victim.kill()
print(f"$ docker kill {victim.name}   → exit code {victim.wait()}")
assert victim.exit_code == 137  # 128 + 9: SIGKILL

# %% lang="ko"
victim = lab.run("victim", "debian:bookworm-slim", ["sleep", "infinity"])
victim.kill()
print(f"$ docker kill {victim.name}   → 종료 코드 {victim.wait()}")
assert victim.exit_code == 137  # 128 + 9: SIGKILL

# %% [markdown]
# A typo in an **exec-form** command (a list: `["helo-world"]`) fails even earlier: there is no shell to say "command
# not found", so the **engine** cannot start the program at all and `docker run` itself fails. The kit says whose
# mistake it is — and the classic one, `["echo hi"]`, where the whole line became one word:

# %% [markdown] lang="ko"
# **exec 형식** 명령(리스트: `["helo-world"]`)의 오타는 더 일찍 실패합니다. "command not found"라고 말해 줄 셸이 없으므로 **엔진**이
# 프로그램을 아예 시작하지 못하고, `docker run` 자체가 실패합니다. 키트는 누구의 실수인지 알려 줍니다. 줄 전체가 한 단어가 되어 버린
# 전형적인 실수 `["echo hi"]`도 봅시다.

# %%
for command in (["helo-world"], ["echo hi"]):
    try:
        lab.run("typo", "debian:bookworm-slim", command)
    except BadInput as err:
        print(f"{command}:\n{err}\n")
    else:
        raise AssertionError("that should not start")

# %% lang="ko"
for command in (["helo-world"], ["echo hi"]):
    try:
        lab.run("typo", "debian:bookworm-slim", command)
    except BadInput as err:
        print(f"{command}:\n{err}\n")
    else:
        raise AssertionError("시작되면 안 됩니다")

# %% [markdown]
# ## 2. Logs: what the program said
# Everything a container's program writes to its standard output and standard error goes into its **log**, kept by
# the engine even after the program ends. That is why well-built images log to the terminal, not to files.
#
# | command | what it shows |
# |---|---|
# | `docker logs NAME` | everything since the start |
# | `docker logs --tail 20 NAME` | the last 20 lines |
# | `docker logs -t NAME` | each line with its time |
# | `docker logs -f NAME` | follows: new lines appear as they are written, until Ctrl+C |
#
# A small program that counts to five, then fails:

# %% [markdown] lang="ko"
# ## 2. 로그: 프로그램이 한 말
# 컨테이너의 프로그램이 표준 출력과 표준 오류에 쓰는 모든 것은 **로그**로 들어가고, 엔진은 프로그램이 끝난 뒤에도 그것을 보관합니다.
# 잘 만든 이미지가 파일이 아니라 터미널에 로그를 쓰는 이유입니다.
#
# | 명령 | 보여 주는 것 |
# |---|---|
# | `docker logs NAME` | 시작부터 전부 |
# | `docker logs --tail 20 NAME` | 마지막 20줄 |
# | `docker logs -t NAME` | 줄마다 시각과 함께 |
# | `docker logs -f NAME` | 따라가기: Ctrl+C를 누를 때까지 새 줄이 쓰이는 대로 나타납니다 |
#
# 다섯까지 센 다음 실패하는 작은 프로그램입니다.

# %%
counter = lab.run("counter", "debian:bookworm-slim",
                  ["bash", "-c", "for i in 1 2 3 4 5; do echo \"tick $i\"; sleep 0.4; done; "
                                 "echo 'lost the connection to the database' >&2; exit 1"])
print(f"$ docker logs -f {counter.name}")
followed = []
for line in counter.follow(timeout=30):  # like `docker logs -f`: stops when the container stops
    print("   ", line)
    followed.append(line)
print("exit code:", counter.wait())
print(f"$ docker logs --tail 2 {counter.name}")
print(counter.logs(tail=2), end="")
assert followed[:5] == [f"tick {i}" for i in range(1, 6)] and followed[-1] == "lost the connection to the database"
assert counter.exit_code == 1

# %% lang="ko"
counter = lab.run("counter", "debian:bookworm-slim",
                  ["bash", "-c", "for i in 1 2 3 4 5; do echo \"tick $i\"; sleep 0.4; done; "
                                 "echo 'lost the connection to the database' >&2; exit 1"])
print(f"$ docker logs -f {counter.name}")
followed = []
for line in counter.follow(timeout=30):  # `docker logs -f`처럼: 컨테이너가 멈추면 멈춥니다
    print("   ", line)
    followed.append(line)
print("종료 코드:", counter.wait())
print(f"$ docker logs --tail 2 {counter.name}")
print(counter.logs(tail=2), end="")
assert followed[:5] == [f"tick {i}" for i in range(1, 6)] and followed[-1] == "lost the connection to the database"
assert counter.exit_code == 1

# %% [markdown]
# The last line before a non-zero exit code is very often the whole story. Read it first.
#
# ## 3. `docker inspect --format`: one precise question
# `docker inspect NAME` prints everything the engine knows about a container as JSON — several hundred lines. With
# `--format` you ask for one value with a **Go template**: `{{.State.ExitCode}}` walks into the JSON, field by field.
# `lab.inspect(name, template)` is that command; its `.cli` is the line to type in a terminal.

# %% [markdown] lang="ko"
# 0이 아닌 종료 코드 바로 앞의 마지막 줄이 이야기의 전부인 경우가 아주 많습니다. 그 줄부터 읽으세요.
#
# ## 3. `docker inspect --format`: 정확한 질문 하나
# `docker inspect NAME`은 엔진이 컨테이너에 대해 아는 모든 것을 JSON으로 출력합니다. 수백 줄입니다. `--format`을 쓰면 **Go
# 템플릿**(Go template)으로 값 하나만 묻습니다. `{{.State.ExitCode}}`는 JSON 안으로 필드를 하나씩 따라 들어갑니다.
# `lab.inspect(name, template)`가 그 명령이고, 그 `.cli`가 터미널에 입력할 줄입니다.

# %%
questions = {
    "status and exit code": "{{.State.Status}} {{.State.ExitCode}}",
    "killed for memory?": "{{.State.OOMKilled}}",
    "when it started / ended": "{{.State.StartedAt}} / {{.State.FinishedAt}}",
    "what it ran": '{{join .Config.Cmd " "}}',
    "memory limit, restarts": "{{.HostConfig.Memory}} bytes, {{.RestartCount}} restarts",
    "its environment": "{{json .Config.Env}}",
}
for question, template in questions.items():
    print(f"{question:>24}: {lab.inspect('counter', template)}")
answer = lab.inspect("counter", "{{.State.Status}} {{.State.ExitCode}}")
print("$", answer.cli)
assert answer == "exited 1"

# %% lang="ko"
questions = {
    "상태와 종료 코드": "{{.State.Status}} {{.State.ExitCode}}",
    "메모리 때문에 죽었나?": "{{.State.OOMKilled}}",
    "시작 / 종료 시각": "{{.State.StartedAt}} / {{.State.FinishedAt}}",
    "실행한 것": '{{join .Config.Cmd " "}}',
    "메모리 제한, 재시작": "{{.HostConfig.Memory}} bytes, {{.RestartCount}} restarts",
    "환경 변수": "{{json .Config.Env}}",
}
for question, template in questions.items():
    print(f"{question:>24}: {lab.inspect('counter', template)}")
answer = lab.inspect("counter", "{{.State.Status}} {{.State.ExitCode}}")
print("$", answer.cli)
assert answer == "exited 1"

# %% [markdown]
# Where the `docker` command-line program is installed, it gives the very same answer (`--format` comes from the CLI;
# the kit renders the same templates):

# %% [markdown] lang="ko"
# `docker` 명령줄 프로그램이 설치된 곳에서는 그 프로그램도 똑같이 답합니다(`--format`은 CLI의 기능이고, 키트는 같은 템플릿을
# 그대로 그려 냅니다).

# %%
if shutil.which("docker"):
    template = "{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}} {{.RestartCount}}"
    by_cli = subprocess.run(["docker", "inspect", "--format", template, counter.name], capture_output=True, text=True,
                            timeout=30, env=dict(os.environ, DOCKER_HOST=engine.address)).stdout.strip()
    print("docker CLI:", by_cli, "| kit:", lab.inspect("counter", template))
    assert by_cli == lab.inspect("counter", template)
else:
    print("(no docker CLI on this machine: the kit's answer above is what it would print)")

# %% lang="ko"
if shutil.which("docker"):
    template = "{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}} {{.RestartCount}}"
    by_cli = subprocess.run(["docker", "inspect", "--format", template, counter.name], capture_output=True, text=True,
                            timeout=30, env=dict(os.environ, DOCKER_HOST=engine.address)).stdout.strip()
    print("docker CLI:", by_cli, "| 키트:", lab.inspect("counter", template))
    assert by_cli == lab.inspect("counter", template)
else:
    print("(이 컴퓨터에는 docker CLI가 없습니다: 위의 키트 답이 CLI가 출력할 내용입니다)")

# %% [markdown]
# ## 4. Look inside: `docker exec`
# `docker exec NAME COMMAND` runs one more program **inside a running container**: same filesystem, same network,
# same environment. It is how you check what the program sees — a file, a variable, a name on the network.

# %% [markdown] lang="ko"
# ## 4. 안을 들여다보기: `docker exec`
# `docker exec NAME COMMAND`는 **실행 중인 컨테이너 안에서** 프로그램을 하나 더 실행합니다. 같은 파일 시스템, 같은 네트워크, 같은
# 환경 변수입니다. 프로그램이 무엇을 보는지(파일, 변수, 네트워크의 이름) 확인하는 방법입니다.

# %%
shop = lab.run("shop", "debian:bookworm-slim", ["sleep", "infinity"], env={"SHOP_MODE": "test"})
for command in ("id", "echo SHOP_MODE=$SHOP_MODE", "cat /etc/os-release | head -n 1", "ls /proc | head -n 3"):
    result = shop.exec(command)
    print(f"$ docker exec {shop.name} sh -c '{command}'   (exit code {result.exit_code})")
    print("   ", result.output.strip().replace("\n", "\n    "))
assert shop.exec("echo $SHOP_MODE").output.strip() == "test"

# %% lang="ko"
shop = lab.run("shop", "debian:bookworm-slim", ["sleep", "infinity"], env={"SHOP_MODE": "test"})
for command in ("id", "echo SHOP_MODE=$SHOP_MODE", "cat /etc/os-release | head -n 1", "ls /proc | head -n 3"):
    result = shop.exec(command)
    print(f"$ docker exec {shop.name} sh -c '{command}'   (종료 코드 {result.exit_code})")
    print("   ", result.output.strip().replace("\n", "\n    "))
assert shop.exec("echo $SHOP_MODE").output.strip() == "test"

# %% [markdown]
# ### An interactive shell: `docker exec -it` in a JupyterLab terminal
# For a longer look, open a shell *inside* the container: in JupyterLab, **File → New → Terminal**, then type the line
# printed below. `-i` keeps your keyboard connected, `-t` gives it a terminal; you get a prompt inside the container.
# Look around (`ls`, `cat`, `env`), then leave with `exit` — the container keeps running.

# %% [markdown] lang="ko"
# ### 대화형 셸: JupyterLab 터미널에서 `docker exec -it`
# 더 오래 살펴보려면 컨테이너 *안에서* 셸을 여세요. JupyterLab에서 **파일 → 새로 만들기 → 터미널**(File → New → Terminal)을
# 누르고, 아래에 출력된 줄을 입력합니다.
# `-i`는 키보드를 연결된 채로 두고, `-t`는 터미널을 줍니다. 컨테이너 안의 프롬프트가 나옵니다. 둘러본 뒤(`ls`, `cat`, `env`)
# `exit`로 나오세요. 컨테이너는 계속 실행됩니다.

# %%
print(f"docker exec -it {shop.name} bash")

# %% [markdown]
# ### A stopped container has nothing to exec into
# `docker exec` needs a running program to join. After a crash, read the logs and inspect; to look at the **image's**
# files, start a new container from the same image with a shell instead of its program (`--entrypoint`).

# %% [markdown] lang="ko"
# ### 멈춘 컨테이너에는 exec로 들어갈 수 없습니다
# `docker exec`는 합류할, 실행 중인 프로그램이 있어야 합니다. 프로그램이 죽은 뒤에는 로그를 읽고 inspect하세요. **이미지의**
# 파일을 보려면 같은 이미지로 새 컨테이너를 시작하되, 프로그램 대신 셸을 실행합니다(`--entrypoint`).

# %%
try:
    counter.exec("ls")
except ContainerStopped as err:
    print(err)
look = lab.run("look-around", "debian:bookworm-slim", ["-c", "ls /usr/local/bin /etc | head -n 5"],
               entrypoint=["bash"])
look.wait()
print(f"$ {look.cli}\n{look.logs()}")

# %% [markdown]
# ## 5. Why does `docker stop` take ten seconds?
# `docker stop` first **asks**: it sends SIGTERM to the container's main program (PID 1 inside) and waits — 10 s by
# default. Only if the program is still there does it send SIGKILL. A program that handles SIGTERM ends at once; one
# that does not is killed at the end of the grace period, and the exit code says so.
#
# PID 1 is special in Linux: a signal it has no handler for is **ignored**. `sleep` as PID 1 does not react to SIGTERM
# at all; a script with `trap … TERM` does.

# %% [markdown] lang="ko"
# ## 5. `docker stop`은 왜 10초나 걸릴까요?
# `docker stop`은 먼저 **부탁합니다**. 컨테이너의 주 프로그램(안에서 PID 1)에 SIGTERM을 보내고 기다립니다. 기본값은 10초입니다.
# 그래도 프로그램이 남아 있을 때만 SIGKILL을 보냅니다. SIGTERM을 처리하는 프로그램은 바로 끝나고, 처리하지 않는 프로그램은 유예
# 시간이 끝날 때 죽임을 당하며, 종료 코드가 그 사실을 알려 줍니다.
#
# Linux에서 PID 1은 특별합니다. 핸들러가 없는 시그널은 **무시**합니다. PID 1인 `sleep`은 SIGTERM에 전혀 반응하지 않고,
# `trap … TERM`이 있는 스크립트는 반응합니다.

# %%
ignores = lab.run("ignores-term", "debian:bookworm-slim", ["sleep", "infinity"])
handles = lab.run("handles-term", "debian:bookworm-slim",
                  ["bash", "-c", "trap 'echo got SIGTERM, bye; exit 0' TERM; sleep infinity & wait"])
for c in (ignores, handles):
    started = time.monotonic()
    c.stop(timeout=3)
    print(f"docker stop -t 3 {c.name}: {time.monotonic() - started:.1f} s, exit code {c.wait()}  {c.logs().strip()}")
assert ignores.exit_code == 137  # it ignored SIGTERM and was killed when the 3 s ran out
assert handles.exit_code == 0  # it heard SIGTERM and ended by itself

# %% lang="ko"
ignores = lab.run("ignores-term", "debian:bookworm-slim", ["sleep", "infinity"])
handles = lab.run("handles-term", "debian:bookworm-slim",
                  ["bash", "-c", "trap 'echo got SIGTERM, bye; exit 0' TERM; sleep infinity & wait"])
for c in (ignores, handles):
    started = time.monotonic()
    c.stop(timeout=3)
    print(f"docker stop -t 3 {c.name}: {time.monotonic() - started:.1f}초, 종료 코드 {c.wait()}  {c.logs().strip()}")
assert ignores.exit_code == 137  # SIGTERM을 무시했고, 3초가 다 되자 죽임을 당했습니다
assert handles.exit_code == 0  # SIGTERM을 듣고 스스로 끝났습니다

# %% [markdown]
# That is why a well-built image runs its program with `exec` (so the program itself is PID 1, not a shell) and handles
# SIGTERM: a quick, clean stop instead of a kill.
#
# ## 6. Out of memory: the kernel's verdict
# A memory limit (`docker run --memory 32m`; the kit gives every container 512 MiB unless told otherwise) is enforced by
# the Linux kernel through **cgroups**. A program that needs more is killed by the kernel's **OOM killer** (out of
# memory): exit code 137, like `docker kill`, and the engine marks the container `OOMKilled`.
#
# This job loads about 120 MB of data into memory, with a limit of 32 MiB:

# %% [markdown] lang="ko"
# 그래서 잘 만든 이미지는 프로그램을 `exec`로 실행하고(셸이 아니라 프로그램 자신이 PID 1이 되도록) SIGTERM을 처리합니다. 죽임을
# 당하는 대신 빠르고 깔끔하게 멈춥니다.
#
# ## 6. 메모리 부족: 커널의 판정
# 메모리 제한(`docker run --memory 32m`. 키트는 따로 말하지 않으면 모든 컨테이너에 512 MiB를 줍니다)은 Linux 커널이 **cgroup**으로
# 적용합니다. 더 많이 필요한 프로그램은 커널의 **OOM 킬러**(out of memory, 메모리 부족)가 죽입니다. 종료 코드는 `docker kill`과 같은
# 137이고, 엔진은 컨테이너에 `OOMKilled` 표시를 합니다.
#
# 이 작업은 32 MiB 제한 아래에서 약 120 MB의 데이터를 메모리에 올립니다.

# %%
JOB = ["bash", "-c", "set -eo pipefail; echo 'connecting to the database'; sleep 1; echo 'loading 120 MB of data'; "
                     "head -c 120m /dev/zero | tail > /dev/null; echo 'report done'"]
hungry = lab.run("hungry", "debian:bookworm-slim", JOB, mem_limit="32m")
code = hungry.wait()
verdict = lab.inspect("hungry", "{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}}")
print(f"exit code {code}; OOMKilled, exit code, limit in bytes: {verdict}")
print(hungry.logs())
if engine.memory_limit:
    # the kernel's verdict: SIGKILL (137) at the 32 MiB limit
    assert code == 137 and verdict.endswith(" 137 33554432")
    if "Killed" not in hungry.logs():  # bash reports its child "Killed", unless the kernel chose bash itself
        print("The OOM killer chose bash itself this time (the container's main process), not the `tail` holding the "
              "data: nobody was left to report \"Killed\". Exit code 137 says it.")
    if not hungry.oom_killed:
        print("The engine missed the kernel's OOM notice this time (Docker 20.10's containerd can lose it under load; "
              "newer engines send it before the exit): exit code 137 says what happened.")
else:
    print("This engine accepts --memory but does not enforce it (a rootless engine on cgroup v1 has no memory "
          "controller: `docker info` warns \"No memory limit support\"). The job simply used what it needed; on a "
          "rootful engine, or with cgroup v2, the same cell ends in OOMKilled and exit code 137.")
    assert code == 0

# %% lang="ko"
JOB = ["bash", "-c", "set -eo pipefail; echo 'connecting to the database'; sleep 1; echo 'loading 120 MB of data'; "
                     "head -c 120m /dev/zero | tail > /dev/null; echo 'report done'"]
hungry = lab.run("hungry", "debian:bookworm-slim", JOB, mem_limit="32m")
code = hungry.wait()
verdict = lab.inspect("hungry", "{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}}")
print(f"종료 코드 {code}; OOMKilled, 종료 코드, 바이트 단위 제한: {verdict}")
print(hungry.logs())
if engine.memory_limit:
    # 커널의 판정: 32 MiB 제한에서 SIGKILL(137)
    assert code == 137 and verdict.endswith(" 137 33554432")
    if "Killed" not in hungry.logs():  # bash는 자식 프로세스가 "Killed"되었다고 알립니다. 커널이 bash 자신을 고르지 않았다면요
        print("이번에는 OOM 킬러가 데이터를 쥔 `tail`이 아니라 bash 자신(컨테이너의 주 프로세스)을 골랐습니다. \"Killed\"라고 "
              "알려 줄 프로세스가 남지 않았습니다. 종료 코드 137이 그것을 말해 줍니다.")
    if not hungry.oom_killed:
        print("이번에는 엔진이 커널의 OOM 알림을 놓쳤습니다(Docker 20.10의 containerd는 부하가 크면 이 알림을 잃을 수 있고, "
              "새 엔진은 종료보다 먼저 보냅니다). 종료 코드 137이 무슨 일이 있었는지 말해 줍니다.")
else:
    print("이 엔진은 --memory를 받아들이지만 적용하지 않습니다(cgroup v1 위의 rootless 엔진에는 메모리 컨트롤러가 없습니다: "
          "`docker info`가 \"No memory limit support\"라고 경고합니다). 작업은 필요한 만큼 그냥 썼습니다. rootful 엔진이나 "
          "cgroup v2에서는 같은 셀이 OOMKilled와 종료 코드 137로 끝납니다.")
    assert code == 0

# %% [markdown]
# The fix is not to remove the limit — a limit protects everything else on the machine — but to give the job what it
# really needs (and to measure it: `docker stats`). The same job with 256 MiB:

# %% [markdown] lang="ko"
# 해결책은 제한을 없애는 것이 아닙니다. 제한은 컴퓨터의 다른 모든 것을 지켜 줍니다. 작업에 실제로 필요한 만큼을 주는 것입니다(그리고
# 재어 보세요: `docker stats`). 같은 작업에 256 MiB를 주면:

# %%
fed = lab.run("fed", "debian:bookworm-slim", JOB, mem_limit="256m")
print(f"exit code {fed.wait()}, OOMKilled {lab.inspect('fed', '{{.State.OOMKilled}}')}: {fed.logs().strip()}")
assert fed.exit_code == 0 and "report done" in fed.logs()

# %% lang="ko"
fed = lab.run("fed", "debian:bookworm-slim", JOB, mem_limit="256m")
print(f"종료 코드 {fed.wait()}, OOMKilled {lab.inspect('fed', '{{.State.OOMKilled}}')}: {fed.logs().strip()}")
assert fed.exit_code == 0 and "report done" in fed.logs()

# %% [markdown]
# All of this chapter's containers so far, as `docker ps -a` shows them — status and exit code first:

# %% [markdown] lang="ko"
# 지금까지 이 장에서 만든 모든 컨테이너를 `docker ps -a`가 보여 주는 대로 봅니다. 상태와 종료 코드가 먼저입니다.

# %%
containers_table(lab.ps(chapter="07"), title="docker ps -a (this chapter)")

# %% lang="ko"
containers_table(lab.ps(chapter="07"), title="docker ps -a (이 장)")

# %% [markdown]
# ## Exercises
# The set-up cell builds two small images and starts two containers that fail. Run it as it is; then find out
# **why** each fails — with logs, exit codes and `lab.inspect` (or `docker logs` / `docker inspect` in a terminal) —
# and fix it. Changing a container's settings means running it **again** with the same name (`lab.run` replaces your
# old one; in a terminal, `docker rm -f` it first).

# %% [markdown] lang="ko"
# ## 연습 문제
# 준비 셀이 작은 이미지 두 개를 빌드하고 실패하는 컨테이너 두 개를 시작합니다. 그대로 실행하세요. 그다음 로그, 종료 코드,
# `lab.inspect`(또는 터미널에서 `docker logs` / `docker inspect`)로 각각 **왜** 실패하는지 알아내고 고치세요. 컨테이너의 설정을
# 바꾼다는 것은 같은 이름으로 **다시** 실행한다는 뜻입니다(`lab.run`은 예전 컨테이너를 바꿔 놓습니다. 터미널에서는 먼저
# `docker rm -f`로 지우세요).

# %%
ex.set_up()
containers_table([lab.container(ex.APP), lab.container(ex.JOB)], title="the two broken containers")

# %% lang="ko"
ex.set_up()
containers_table([lab.container(ex.APP), lab.container(ex.JOB)], title="고장 난 컨테이너 두 개")

# %% [markdown]
# ### Exercise 1 — why does this container keep exiting?
# `todo-report` (image `todo-report:1.0`, restart policy `on-failure`) never stays up: the engine restarts it, it
# exits again, and again. Find the cause, then run **`todo-report`** again so that it keeps running and becomes
# healthy — same image, same restart policy.

# %% [markdown] lang="ko"
# ### 연습 1 — 이 컨테이너는 왜 계속 종료될까요?
# `todo-report`(이미지 `todo-report:1.0`, 재시작 정책 `on-failure`)는 한 번도 계속 떠 있지 못합니다. 엔진이 다시 시작하면 또
# 종료되고, 또 종료됩니다. 원인을 찾은 다음, 계속 실행되고 정상(healthy)이 되도록 **`todo-report`를** 다시 실행하세요. 이미지와
# 재시작 정책은 그대로입니다.

# %%
### BEGIN SOLUTION
print(lab.inspect(ex.APP, "{{.State.Status}} exit code {{.State.ExitCode}}, restarted {{.RestartCount}} times"))
print(lab.container(ex.APP).logs(tail=2))
fixed = lab.run(ex.APP, "todo-report:1.0", restart="on-failure",
                env={"DATABASE_URL": "postgres://todo@db:5432/todo"}, wait="healthy", timeout=30)
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — the nightly report dies
# `nightly-report` (image `nightly-report:1.0`) is a job: it should print `report done` and end with exit code 0.
# It never does. Find out what ends it, then run **`nightly-report`** again so that it completes — without taking
# away its protection against runaway memory use.

# %% [markdown] lang="ko"
# ### 연습 2 — 야간 보고서 작업이 죽습니다
# `nightly-report`(이미지 `nightly-report:1.0`)는 작업(job)입니다. `report done`을 출력하고 종료 코드 0으로 끝나야 하는데, 한 번도
# 그렇게 끝나지 못합니다. 무엇이 작업을 끝내는지 알아낸 다음, 작업이 끝까지 마치도록 **`nightly-report`를** 다시 실행하세요.
# 메모리를 마구 쓰는 것을 막아 주는 보호 장치는 없애지 마세요.

# %%
### BEGIN SOLUTION
print(lab.inspect(ex.JOB, "exit code {{.State.ExitCode}}, OOMKilled {{.State.OOMKilled}}, "
                          "limit {{.HostConfig.Memory}} bytes"))
report = lab.run(ex.JOB, "nightly-report:1.0", mem_limit="256m")
print("exit code", report.wait(), report.logs())
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ## Recap
# - **Does it run?** `docker ps -a` shows the status and the **exit code**: 0 success, 1–125 the program's own
#   error, 126 not executable, 127 not found, 137 killed (SIGKILL: `docker kill`, out of memory), 143 SIGTERM.
# - **What did it say?** `docker logs` (`--tail`, `-t`, `-f`): the last line before the exit is often the answer.
# - **What was it given?** `docker inspect --format '{{.State.ExitCode}} {{.State.OOMKilled}}'` asks one question.
# - **What does it see?** `docker exec` (`-it` for a shell) joins a **running** container; for a stopped one, start
#   a new container from its image with `--entrypoint`.
# - `docker stop` asks with SIGTERM, then kills: a PID 1 that ignores SIGTERM costs the whole grace period.
# - A memory limit is enforced by the kernel: crossing it ends in `OOMKilled` and 137. Raise the limit to what the job
#   needs; do not remove it.
#
# ## Clean up

# %% [markdown] lang="ko"
# ## 정리
# - **실행되고 있나?** `docker ps -a`가 상태와 **종료 코드**를 보여 줍니다. 0은 성공, 1–125는 프로그램 자신의 오류, 126은 실행 불가,
#   127은 찾을 수 없음, 137은 죽임을 당함(SIGKILL: `docker kill`, 메모리 부족), 143은 SIGTERM입니다.
# - **무슨 말을 했나?** `docker logs`(`--tail`, `-t`, `-f`): 종료 직전의 마지막 줄이 답인 경우가 많습니다.
# - **무엇을 받았나?** `docker inspect --format '{{.State.ExitCode}} {{.State.OOMKilled}}'`로 질문 하나를 던집니다.
# - **무엇이 보이나?** `docker exec`(셸은 `-it`)는 **실행 중인** 컨테이너에 합류합니다. 멈춘 컨테이너라면 그 이미지로
#   `--entrypoint`를 주어 새 컨테이너를 시작합니다.
# - `docker stop`은 SIGTERM으로 부탁한 다음 죽입니다. SIGTERM을 무시하는 PID 1은 유예 시간을 다 잡아먹습니다.
# - 메모리 제한은 커널이 적용합니다. 넘으면 `OOMKilled`와 137로 끝납니다. 제한은 작업에 필요한 만큼 올리고, 없애지는 마세요.
#
# ## 뒷정리

# %%
ch.reset()
assert lab.leaks(chapter="07") == []
