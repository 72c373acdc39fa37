# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 01 · What a container is, and why it is not a VM
#
# *"A container is an isolated space for an application's runtime environment."*
# *"Docker is not a VM."* — this chapter checks both sentences on a real engine.
#
# **In this chapter you will**
# 1. step inside a container and look around: its own PID 1, hostname, files and network;
# 2. look at the same container from the host, and see what the container can **not** see — and what else keeps it
#    in its place: limits (cgroups), fewer powers for root (capabilities), a filter on system calls (seccomp);
# 3. show that a container has **no kernel of its own** (no hypervisor, no guest OS);
# 4. measure how fast a container starts and how little memory an idle one needs;
# 5. run a Java program on a server without installing Java on that server.
#
# Run the cells from top to bottom with **Shift+Enter**.

# %% [markdown] lang="ko"
# # 01 · 컨테이너란 무엇이고, 왜 VM이 아닐까요
#
# 원문의 두 문장을 실제 엔진에서 확인합니다: *"**컨테이너**는 응용프로그램의 구동환경을 별도로 격리한 공간이라고 이해 할 수 있는데"*,
# 그리고 *"여기서 우리가 짚고 넘어가야 할 것은 **도커는 VM과 다르다**는 것이다."*
#
# **이 장에서 할 일**
# 1. 컨테이너 안으로 들어가 둘러봅니다. 자기만의 PID 1, 호스트 이름(hostname), 파일, 네트워크가 있습니다.
# 2. 같은 컨테이너를 호스트에서 바라보고, 컨테이너가 **볼 수 없는** 것을 확인합니다. 그리고 컨테이너를 제자리에 묶어 두는
#    다른 장치들도 살펴봅니다. 제한(cgroup), root의 줄어든 권한(케이퍼빌리티, capability), 시스템 호출 필터(seccomp)입니다.
# 3. 컨테이너에는 **자기 커널이 없다**는 것을 보여 줍니다(하이퍼바이저도, 게스트 OS도 없습니다).
# 4. 컨테이너가 얼마나 빨리 시작하는지, 아무것도 하지 않는 컨테이너가 메모리를 얼마나 적게 쓰는지 측정합니다.
# 5. 서버에 Java를 설치하지 않고도 그 서버에서 Java 프로그램을 실행합니다.
#
# 셀은 위에서부터 차례로 **Shift+Enter**로 실행합니다.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind.

# %% [markdown] lang="ko"
# ## 장 시작하기
# 이 셀은 키트를 불러오고, 이 장을 예전에 실행하면서 남은 것을 모두 지웁니다.

# %%
import os
import platform
import shutil
import socket
import statistics
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import dockerlab as lab
from dockerlab.course import ensure_app
from dockerlab.display.containers import containers_table
from dockerlab.exercises import ch01 as ex

ch = lab.start_chapter("01", "What a container is", lang="en")
ch.reset()
info = lab.engine_info()

# %% lang="ko"
import os
import platform
import shutil
import socket
import statistics
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import dockerlab as lab
from dockerlab.course import ensure_app
from dockerlab.display.containers import containers_table
from dockerlab.exercises import ch01 as ex

ch = lab.start_chapter("01", "컨테이너란 무엇인가", lang="ko")
ch.reset()
info = lab.engine_info()

# %% [markdown]
# A few helpers for this chapter. `names_of_interfaces` reads the Linux file `/proc/net/dev`, which lists
# the network interfaces a process can see. `engine_is_local` tells whether the engine runs on the same
# machine as this notebook (then we can compare the two sides directly).

# %% [markdown] lang="ko"
# 이 장에서 쓸 도우미 함수입니다. `names_of_interfaces`는 프로세스가 볼 수 있는 네트워크 인터페이스 목록이 담긴 Linux 파일
# `/proc/net/dev`를 읽습니다. `engine_is_local`은 엔진이 이 노트북과 같은 컴퓨터에서 실행되는지 알려 줍니다(그렇다면 양쪽을
# 직접 비교할 수 있습니다).

# %%
def names_of_interfaces(proc_net_dev: str) -> set[str]:
    """The interface names in the text of /proc/net/dev (skipping its two header lines)."""
    return {line.split(":")[0].strip() for line in proc_net_dev.splitlines()[2:] if ":" in line}


def engine_is_local() -> bool:
    """True when the engine's socket is on this machine (so its containers are processes of this kernel)."""
    return info.address.startswith("unix://") and platform.release() == info.kernel


print("The engine is", "on this machine" if engine_is_local() else f"elsewhere ({info.address})")

# %% lang="ko"
def names_of_interfaces(proc_net_dev: str) -> set[str]:
    """The interface names in the text of /proc/net/dev (skipping its two header lines)."""
    return {line.split(":")[0].strip() for line in proc_net_dev.splitlines()[2:] if ":" in line}


def engine_is_local() -> bool:
    """True when the engine's socket is on this machine (so its containers are processes of this kernel)."""
    return info.address.startswith("unix://") and platform.release() == info.kernel


print("엔진의 위치:", "이 컴퓨터" if engine_is_local() else f"다른 곳 ({info.address})")

# %% [markdown]
# ## 1. A container is an isolated space for one program
# We start a small Debian container whose only program is `sleep infinity`: it does nothing, forever,
# which leaves us time to look inside. `lab.run` is `docker run -d`; `.cli` shows the exact command.

# %% [markdown] lang="ko"
# ## 1. 컨테이너는 프로그램 하나를 위한 격리된 공간입니다
# 유일한 프로그램이 `sleep infinity`인 작은 Debian 컨테이너를 시작합니다. 영원히 아무것도 하지 않으니 안을 들여다볼 시간이
# 충분합니다. `lab.run`은 `docker run -d`이고, `.cli`는 정확한 명령을 보여 줍니다.

# %%
probe = lab.run("probe", "debian:bookworm-slim", ["sleep", "infinity"])
print(probe.cli)
assert probe.reload().status == "running"

# %% [markdown]
# ### 1.1 Its own PID 1
# On a Linux machine, process number 1 is the first program the system started (usually an init system
# such as `systemd`). Inside a container, **PID 1 is the container's own program**. We read it from
# `/proc/1/cmdline` (the arguments are separated by zero bytes).
#
# `probe.exec(...)` is `docker exec`: it runs one more command inside the running container.

# %% [markdown] lang="ko"
# ### 1.1 자기만의 PID 1
# Linux 컴퓨터에서 1번 프로세스는 시스템이 처음 시작한 프로그램입니다(보통 `systemd` 같은 init 시스템). 컨테이너 안에서는
# **PID 1이 컨테이너 자신의 프로그램**입니다. `/proc/1/cmdline`에서 읽어 봅니다(인자는 0 바이트로 구분되어 있습니다).
#
# `probe.exec(...)`는 `docker exec`입니다. 실행 중인 컨테이너 안에서 명령을 하나 더 실행합니다.

# %%
pid1 = probe.exec("cat /proc/1/cmdline | tr '\\0' ' '")
print("$", pid1.cli)
print("PID 1 inside the container:", pid1.output.strip())
assert pid1.output.split() == ["sleep", "infinity"]  # S2: the container's program is its PID 1

# %% lang="ko"
pid1 = probe.exec("cat /proc/1/cmdline | tr '\\0' ' '")
print("$", pid1.cli)
print("컨테이너 안의 PID 1:", pid1.output.strip())
assert pid1.output.split() == ["sleep", "infinity"]  # S2: 컨테이너의 프로그램이 PID 1입니다

# %% [markdown]
# How many processes can the container see? Each process has a numbered folder in `/proc`.
# Inside: our `sleep`, plus the shell that `exec` starts to count them. On the host: hundreds.

# %% [markdown] lang="ko"
# 컨테이너는 프로세스를 몇 개나 볼 수 있을까요? 프로세스마다 `/proc` 안에 번호 폴더가 있습니다.
# 컨테이너 안에서는 우리의 `sleep`과, 개수를 세려고 `exec`가 시작한 셸뿐입니다. 호스트에서는 수백 개입니다.

# %%
inside_pids = sorted(int(p) for p in probe.exec("ls /proc").output.split() if p.isdigit())
host_pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
print("processes visible inside the container:", len(inside_pids), inside_pids)
print("processes visible on the notebook's machine:", len(host_pids))
print("this notebook's own process id:", os.getpid(), "— visible inside?", os.getpid() in inside_pids)
assert len(inside_pids) < len(host_pids) and len(inside_pids) < 10  # S2: the host's processes are not visible inside
assert os.getpid() not in inside_pids

# %% lang="ko"
inside_pids = sorted(int(p) for p in probe.exec("ls /proc").output.split() if p.isdigit())
host_pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
print("컨테이너 안에서 보이는 프로세스:", len(inside_pids), inside_pids)
print("노트북 컴퓨터에서 보이는 프로세스:", len(host_pids))
print("이 노트북 자신의 프로세스 ID:", os.getpid(), "— 안에서 보일까요?", os.getpid() in inside_pids)
assert len(inside_pids) < len(host_pids) and len(inside_pids) < 10  # S2: 호스트의 프로세스는 안에서 보이지 않습니다
assert os.getpid() not in inside_pids

# %% [markdown]
# ### 1.2 The same process, seen from the host
# The container did not start a machine. Its `sleep` is an ordinary process of the host, with an
# ordinary (large) process number there. The engine tells us that number: `State.Pid` in `docker inspect`.
# When the engine runs on this machine, we can read that process's command line on the host side too.

# %% [markdown] lang="ko"
# ### 1.2 같은 프로세스를 호스트에서 보면
# 컨테이너는 컴퓨터를 새로 켠 것이 아닙니다. 컨테이너의 `sleep`은 호스트의 평범한 프로세스이고, 호스트에서는 평범한(큰)
# 프로세스 번호를 가집니다. 엔진이 그 번호를 알려 줍니다. `docker inspect`의 `State.Pid`입니다.
# 엔진이 이 컴퓨터에서 실행된다면, 호스트 쪽에서도 그 프로세스의 명령줄을 읽을 수 있습니다.

# %%
host_pid = probe.reload().pid
print(f"$ docker inspect --format '{{{{.State.Pid}}}}' {probe.name}")
print("inside the container it is PID 1; on the host it is PID", host_pid)
if engine_is_local() and Path(f"/proc/{host_pid}/cmdline").exists():
    host_view = Path(f"/proc/{host_pid}/cmdline").read_bytes().split(b"\0")
    print("the host's /proc/%d/cmdline:" % host_pid, b" ".join(host_view).decode().strip())
    assert host_view[:2] == [b"sleep", b"infinity"]  # S2/S3: one process, two views — no VM around it
else:
    print("(the engine runs on another machine: its processes are not in this notebook's /proc)")
assert host_pid > 1

# %% lang="ko"
host_pid = probe.reload().pid
print(f"$ docker inspect --format '{{{{.State.Pid}}}}' {probe.name}")
print("컨테이너 안에서는 PID 1, 호스트에서는 PID", host_pid)
if engine_is_local() and Path(f"/proc/{host_pid}/cmdline").exists():
    host_view = Path(f"/proc/{host_pid}/cmdline").read_bytes().split(b"\0")
    print("호스트의 /proc/%d/cmdline:" % host_pid, b" ".join(host_view).decode().strip())
    assert host_view[:2] == [b"sleep", b"infinity"]  # S2/S3: 프로세스 하나, 보는 눈 둘 — 둘러싼 VM은 없습니다
else:
    print("(엔진이 다른 컴퓨터에서 실행됩니다. 그 프로세스는 이 노트북의 /proc에 없습니다)")
assert host_pid > 1

# %% [markdown]
# ### 1.3 Its own hostname
# By default a container's hostname is the start of its ID. The host keeps its own name.

# %% [markdown] lang="ko"
# ### 1.3 자기만의 호스트 이름
# 기본적으로 컨테이너의 호스트 이름은 컨테이너 ID의 앞부분입니다. 호스트는 자기 이름을 그대로 가집니다.

# %%
inside_name = probe.exec("hostname").output.strip()
print("hostname inside :", inside_name)
print("hostname of host:", socket.gethostname())
print("container id    :", probe.short_id)
assert probe.id.startswith(inside_name)  # S2: the container has its own hostname (UTS namespace)
assert inside_name != socket.gethostname()

# %% lang="ko"
inside_name = probe.exec("hostname").output.strip()
print("안의 호스트 이름   :", inside_name)
print("호스트의 호스트 이름:", socket.gethostname())
print("컨테이너 ID         :", probe.short_id)
assert probe.id.startswith(inside_name)  # S2: 컨테이너에는 자기만의 호스트 이름이 있습니다(UTS 네임스페이스)
assert inside_name != socket.gethostname()

# %% [markdown]
# ### 1.4 Its own files
# `ls /` inside shows a complete Debian root file system: it comes from the **image**, not from the host.
# The files of this course (the `dockerlab` folder on the host) do not exist in there.

# %% [markdown] lang="ko"
# ### 1.4 자기만의 파일
# 안에서 `ls /`를 실행하면 완전한 Debian 루트 파일 시스템이 보입니다. 이것은 호스트가 아니라 **이미지**(image)에서 온 것입니다.
# 이 과정의 파일(호스트의 `dockerlab` 폴더)은 컨테이너 안에 존재하지 않습니다.

# %%
print(probe.exec("ls /").output.split())
print(probe.exec("grep PRETTY_NAME /etc/os-release").output.strip())
host_file = Path(lab.__file__).resolve()
seen = probe.exec(["test", "-e", str(host_file)])
print(f"{host_file} on the host: exists={host_file.exists()}; inside the container: exit code {seen.exit_code}")
assert host_file.exists() and seen.exit_code != 0  # S2: the host's files are not visible inside

# %% lang="ko"
print(probe.exec("ls /").output.split())
print(probe.exec("grep PRETTY_NAME /etc/os-release").output.strip())
host_file = Path(lab.__file__).resolve()
seen = probe.exec(["test", "-e", str(host_file)])
print(f"호스트의 {host_file}: exists={host_file.exists()}; 컨테이너 안: 종료 코드 {seen.exit_code}")
assert host_file.exists() and seen.exit_code != 0  # S2: 호스트의 파일은 안에서 보이지 않습니다

# %% [markdown]
# ### 1.5 Its own network
# The container sees only two interfaces: `lo` and its own `eth0`, with its own IP address on the engine's
# private bridge network. The host has more (at least its own network card and the `docker0` bridge).
#
# (On some hosts you also see `tunl0` or `sit0` inside: when the host has loaded the kernel's tunnel modules, Linux
# puts such a *fallback tunnel device* into every new network namespace. They are down and carry nothing; we set
# them aside.)

# %% [markdown] lang="ko"
# ### 1.5 자기만의 네트워크
# 컨테이너는 인터페이스를 두 개만 봅니다. `lo`와 자기만의 `eth0`이며, 엔진의 사설 브리지 네트워크에서 자기만의 IP 주소를
# 가집니다. 호스트에는 더 많습니다(적어도 자기 네트워크 카드와 `docker0` 브리지).
#
# (어떤 호스트에서는 안에서 `tunl0`이나 `sit0`도 보입니다. 호스트가 커널의 터널 모듈을 불러왔다면 Linux는 새 네트워크
# 네임스페이스마다 이런 *대체 터널 장치*(fallback tunnel device)를 넣어 둡니다. 꺼져 있고 아무것도 나르지 않으므로 빼고 봅니다.)

# %%
KERNEL_TUNNELS = {"tunl0", "sit0", "ip6tnl0", "gre0", "gretap0", "erspan0", "ip_vti0", "ip6_vti0", "ip6gre0"}
inside_ifaces = names_of_interfaces(probe.exec("cat /proc/net/dev").output)
host_ifaces = names_of_interfaces(Path("/proc/net/dev").read_text())
print("interfaces inside :", sorted(inside_ifaces), "IP", probe.ip())
print("interfaces on host:", sorted(host_ifaces))
assert inside_ifaces - KERNEL_TUNNELS == {"lo", "eth0"}  # S2: its own network namespace
assert inside_ifaces != host_ifaces

# %% lang="ko"
KERNEL_TUNNELS = {"tunl0", "sit0", "ip6tnl0", "gre0", "gretap0", "erspan0", "ip_vti0", "ip6_vti0", "ip6gre0"}
inside_ifaces = names_of_interfaces(probe.exec("cat /proc/net/dev").output)
host_ifaces = names_of_interfaces(Path("/proc/net/dev").read_text())
print("안의 인터페이스    :", sorted(inside_ifaces), "IP", probe.ip())
print("호스트의 인터페이스:", sorted(host_ifaces))
assert inside_ifaces - KERNEL_TUNNELS == {"lo", "eth0"}  # S2: 자기만의 네트워크 네임스페이스
assert inside_ifaces != host_ifaces

# %% [markdown]
# ### 1.6 The trick behind it: namespaces
# The Linux kernel can give a group of processes their own **namespace** of a kind: their own process
# numbers (`pid`), hostname (`uts`), mounted files (`mnt`), network (`net`), and more. Each namespace has
# an id; `/proc/self/ns/<kind>` shows it. Compare the container's with this notebook's:

# %% [markdown] lang="ko"
# ### 1.6 그 뒤에 숨은 기술: 네임스페이스
# Linux 커널은 프로세스 묶음에 특정 종류의 **네임스페이스**(namespace)를 따로 줄 수 있습니다. 자기만의 프로세스 번호(`pid`),
# 호스트 이름(`uts`), 마운트된 파일(`mnt`), 네트워크(`net`) 등입니다. 네임스페이스마다 ID가 있고, `/proc/self/ns/<종류>`가
# 그 ID를 보여 줍니다. 컨테이너의 것과 이 노트북의 것을 비교해 봅시다.

# %%
kinds = ["pid", "uts", "mnt", "net", "ipc"]
inside_ns = dict(zip(kinds, probe.exec(" ; ".join(f"readlink /proc/self/ns/{k}" for k in kinds)).output.split()))
print(f"{'kind':5} {'inside the container':22} {'this notebook':22}")
for k in kinds:
    print(f"{k:5} {inside_ns[k]:22} {os.readlink(f'/proc/self/ns/{k}'):22}")
if engine_is_local():
    different = [k for k in kinds if inside_ns[k] != os.readlink(f"/proc/self/ns/{k}")]
    assert different == kinds  # S2: every one of these is the container's own

# %% lang="ko"
kinds = ["pid", "uts", "mnt", "net", "ipc"]
inside_ns = dict(zip(kinds, probe.exec(" ; ".join(f"readlink /proc/self/ns/{k}" for k in kinds)).output.split()))
print(f"{'kind':5} {'컨테이너 안':22} {'이 노트북':22}")
for k in kinds:
    print(f"{k:5} {inside_ns[k]:22} {os.readlink(f'/proc/self/ns/{k}'):22}")
if engine_is_local():
    different = [k for k in kinds if inside_ns[k] != os.readlink(f"/proc/self/ns/{k}")]
    assert different == kinds  # S2: 모두 컨테이너 자신의 것입니다

# %% [markdown]
# So a container is **a normal process that the kernel shows a different world**: its own process
# list, name, files and network — no second computer. But what it *sees* is only half of isolation: namespaces do
# not stop a program from eating all the memory, and root in a container is still root. Three more kernel features
# keep a container in its place.
#
# ### 1.7 Limits: cgroups
# A **control group** (cgroup) counts and caps what a group of processes uses: memory, CPU, number of processes.
# The engine puts each container in its own cgroup; the container can read its own limits from `/sys/fs/cgroup`.
#
# Careful: **Docker sets no limit by default.** A plain `docker run` may use all the host's memory. The 512 MiB and
# 256 processes below are **this kit's** defaults (`lab.run` adds `--memory 512m --pids-limit 256`, see `probe.cli`
# above), so that one learner's runaway program cannot take down a shared machine.

# %% [markdown] lang="ko"
# 즉 컨테이너는 **커널이 다른 세상을 보여 주는 평범한 프로세스**입니다. 자기만의 프로세스 목록, 이름, 파일, 네트워크가 있을 뿐
# 두 번째 컴퓨터는 없습니다. 하지만 무엇을 *보는가*는 격리의 절반일 뿐입니다. 네임스페이스는 프로그램이 메모리를 모두 먹어
# 치우는 것을 막지 못하고, 컨테이너 안의 root는 여전히 root입니다. 세 가지 커널 기능이 더 컨테이너를 제자리에 묶어 둡니다.
#
# ### 1.7 제한: cgroup
# **컨트롤 그룹**(control group, cgroup)은 프로세스 묶음이 쓰는 메모리, CPU, 프로세스 수를 세고 상한을 둡니다.
# 엔진은 컨테이너마다 cgroup을 따로 만들어 넣고, 컨테이너는 `/sys/fs/cgroup`에서 자기 제한을 읽을 수 있습니다.
#
# 주의하세요: **Docker는 기본적으로 아무 제한도 두지 않습니다.** 평범한 `docker run`은 호스트의 메모리를 모두 쓸 수 있습니다.
# 아래의 512 MiB와 프로세스 256개는 **이 키트의** 기본값입니다(`lab.run`은 `--memory 512m --pids-limit 256`을 붙입니다. 위의
# `probe.cli`를 보세요). 한 학습자의 폭주하는 프로그램이 공유 컴퓨터 전체를 멈추지 못하게 하려는 것입니다.

# %%
limits = probe.exec("cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; "
                    "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max").output.split()
print("memory limit seen inside:", limits[0], "| processes limit seen inside:", limits[1])
print("the kit's defaults       :", lab.limits.DEFAULT_MEMORY, "|", lab.limits.DEFAULT_PIDS)
if info.memory_limit and info.pids_limit:
    assert int(limits[0]) == 512 * 2**20 and int(limits[1]) == 256  # the kit's limits, enforced by the kernel
else:
    print("(this engine does not enforce limits — e.g. a rootless engine on cgroup v1: docker info warns about it)")

# %% lang="ko"
limits = probe.exec("cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; "
                    "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max").output.split()
print("안에서 본 메모리 제한:", limits[0], "| 안에서 본 프로세스 제한:", limits[1])
print("키트의 기본값        :", lab.limits.DEFAULT_MEMORY, "|", lab.limits.DEFAULT_PIDS)
if info.memory_limit and info.pids_limit:
    assert int(limits[0]) == 512 * 2**20 and int(limits[1]) == 256  # 키트의 제한을 커널이 적용합니다
else:
    print("(이 엔진은 제한을 적용하지 않습니다. 예: cgroup v1 위의 rootless 엔진. docker info가 경고합니다)")

# %% [markdown]
# And without the kit? We create a container with **plain docker-py**, the SDK the kit is built on
# (`client.containers.create`, which — like `docker run` — adds no limits of its own; we only add the kit's labels so
# the chapter's reset removes it) and ask the engine what it got, in the SDK's own words (`.attrs`, the
# `docker inspect` JSON): `0` means *no limit*. (On **Podman** the answer differs: it caps every container at
# 2048 processes by default — `pids_limit` in its `containers.conf` — but sets no memory limit either.)

# %% [markdown] lang="ko"
# 키트 없이는 어떨까요? 키트의 기반인 SDK, **평범한 docker-py**로 컨테이너를 만들어 봅니다(`client.containers.create`는
# `docker run`처럼 스스로 제한을 붙이지 않습니다. 이 장의 초기화가 지울 수 있도록 키트의 레이블만 붙입니다). 그리고 엔진이
# 무엇을 받았는지 SDK 자신의 말로(`.attrs`, 곧 `docker inspect`의 JSON) 물어봅니다. `0`은 *제한 없음*을 뜻합니다.
# (**Podman**에서는 답이 다릅니다. 기본적으로 모든 컨테이너의 프로세스 수를 2048개로 제한합니다(`containers.conf`의
# `pids_limit`). 하지만 메모리 제한은 역시 두지 않습니다.)

# %%
client = lab.connect()  # the SDK's DockerClient, as the kit connects it
plain = client.containers.create("debian:bookworm-slim", ["true"], labels=lab.labels.kit_labels())
plain_limits = plain.attrs["HostConfig"]
print("$ docker create debian:bookworm-slim true")
print("   HostConfig.Memory =", plain_limits["Memory"], "| HostConfig.PidsLimit =", plain_limits["PidsLimit"])
print("$", probe.cli)
print("   HostConfig.Memory =", probe.host_config["Memory"], "| HostConfig.PidsLimit =", probe.host_config["PidsLimit"])
assert plain_limits["Memory"] == 0  # no memory limit unless you ask for one
if info.kind == "Podman":
    assert plain_limits["PidsLimit"] == 2048  # Podman's own default process cap
else:
    assert not plain_limits["PidsLimit"]  # Docker's default: no limit at all
assert probe.host_config["Memory"] == 512 * 2**20  # the kit's default, not Docker's
plain.remove()

# %% lang="ko"
client = lab.connect()  # 키트가 연결한 SDK의 DockerClient
plain = client.containers.create("debian:bookworm-slim", ["true"], labels=lab.labels.kit_labels())
plain_limits = plain.attrs["HostConfig"]
print("$ docker create debian:bookworm-slim true")
print("   HostConfig.Memory =", plain_limits["Memory"], "| HostConfig.PidsLimit =", plain_limits["PidsLimit"])
print("$", probe.cli)
print("   HostConfig.Memory =", probe.host_config["Memory"], "| HostConfig.PidsLimit =", probe.host_config["PidsLimit"])
assert plain_limits["Memory"] == 0  # 요청하지 않으면 메모리 제한은 없습니다
if info.kind == "Podman":
    assert plain_limits["PidsLimit"] == 2048  # Podman 자체의 기본 프로세스 상한
else:
    assert not plain_limits["PidsLimit"]  # Docker의 기본값: 아무 제한도 없음
assert probe.host_config["Memory"] == 512 * 2**20  # Docker가 아니라 키트의 기본값
plain.remove()

# %% [markdown]
# ### 1.8 Root with fewer powers: capabilities and seccomp
# Linux splits root's powers into about 40 **capabilities** (`CAP_SYS_ADMIN` to mount file systems, `CAP_NET_ADMIN`
# to change the network, …). The engine starts a container's processes with only a short list of them. A process's
# capabilities are a bit mask, the `CapEff` line of `/proc/<pid>/status`:

# %% [markdown] lang="ko"
# ### 1.8 권한이 줄어든 root: 케이퍼빌리티와 seccomp
# Linux는 root의 권한을 약 40개의 **케이퍼빌리티**(capability)로 나눕니다(파일 시스템을 마운트하는 `CAP_SYS_ADMIN`, 네트워크를
# 바꾸는 `CAP_NET_ADMIN` …). 엔진은 컨테이너의 프로세스를 그중 짧은 목록만 가지고 시작합니다. 프로세스의 케이퍼빌리티는
# 비트 마스크이며, `/proc/<pid>/status`의 `CapEff` 줄에 있습니다.

# %%
CAPS = ("CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE "
        "NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT "
        "SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE "
        "AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ "
        "PERFMON BPF CHECKPOINT_RESTORE").split()


def status_field(status_text: str, field: str) -> str:
    """One field of a /proc/<pid>/status text, e.g. 'CapEff' or 'Seccomp'."""
    return next(line.split(":", 1)[1].strip() for line in status_text.splitlines() if line.startswith(field + ":"))


def capabilities(mask_hex: str) -> list[str]:
    mask = int(mask_hex, 16)
    return [name for bit, name in enumerate(CAPS) if mask >> bit & 1]


inside_status = probe.exec("cat /proc/1/status").output
inside_caps = capabilities(status_field(inside_status, "CapEff"))
print(f"the container's root has {len(inside_caps)} capabilities:", ", ".join(inside_caps))
print("this notebook's process has", len(capabilities(status_field(Path("/proc/self/status").read_text(), "CapEff"))))
assert "SYS_ADMIN" not in inside_caps and "NET_ADMIN" not in inside_caps and "SYS_MODULE" not in inside_caps

# %% lang="ko"
CAPS = ("CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE "
        "NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT "
        "SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE "
        "AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ "
        "PERFMON BPF CHECKPOINT_RESTORE").split()


def status_field(status_text: str, field: str) -> str:
    """One field of a /proc/<pid>/status text, e.g. 'CapEff' or 'Seccomp'."""
    return next(line.split(":", 1)[1].strip() for line in status_text.splitlines() if line.startswith(field + ":"))


def capabilities(mask_hex: str) -> list[str]:
    mask = int(mask_hex, 16)
    return [name for bit, name in enumerate(CAPS) if mask >> bit & 1]


inside_status = probe.exec("cat /proc/1/status").output
inside_caps = capabilities(status_field(inside_status, "CapEff"))
print(f"컨테이너의 root가 가진 케이퍼빌리티 {len(inside_caps)}개:", ", ".join(inside_caps))
print("이 노트북의 프로세스가 가진 개수:", len(capabilities(status_field(Path("/proc/self/status").read_text(), "CapEff"))))
assert "SYS_ADMIN" not in inside_caps and "NET_ADMIN" not in inside_caps and "SYS_MODULE" not in inside_caps

# %% [markdown]
# So root inside the container may not mount a file system — an ordinary root could:

# %% [markdown] lang="ko"
# 그래서 컨테이너 안의 root는 파일 시스템을 마운트할 수 없습니다. 보통의 root라면 할 수 있는 일입니다.

# %%
mounted = probe.exec("mount -t tmpfs none /mnt")
print(mounted.cli, "→ exit code", mounted.exit_code, "|", mounted.output.strip().splitlines()[0])
assert probe.exec("id -u").output.strip() == "0" and mounted.exit_code != 0  # root, without CAP_SYS_ADMIN

# %% lang="ko"
mounted = probe.exec("mount -t tmpfs none /mnt")
print(mounted.cli, "→ exit code", mounted.exit_code, "|", mounted.output.strip().splitlines()[0])
assert probe.exec("id -u").output.strip() == "0" and mounted.exit_code != 0  # root이지만 CAP_SYS_ADMIN이 없습니다

# %% [markdown]
# On top of that, **seccomp** filters the system calls themselves: the engine's default profile refuses a few dozen
# that a container has no business making (loading kernel modules, rebooting, changing the clock…).
# `Seccomp: 2` in `/proc/<pid>/status` means a filter is on.

# %% [markdown] lang="ko"
# 그 위에 **seccomp**가 시스템 호출 자체를 걸러 냅니다. 엔진의 기본 프로필은 컨테이너가 할 일이 없는 수십 가지 호출을
# 거부합니다(커널 모듈 불러오기, 재부팅, 시계 바꾸기 …). `/proc/<pid>/status`의 `Seccomp: 2`는 필터가 켜져 있다는 뜻입니다.

# %%
print("Seccomp of the container's PID 1:", status_field(inside_status, "Seccomp"),
      "| the engine's security options: seccomp", "on" if info.seccomp else "off")
if info.seccomp:
    assert status_field(inside_status, "Seccomp") == "2"  # 2 = a filter decides which system calls are allowed

# %% lang="ko"
print("컨테이너 PID 1의 Seccomp:", status_field(inside_status, "Seccomp"),
      "| 엔진의 보안 옵션: seccomp", "켜짐" if info.seccomp else "꺼짐")
if info.seccomp:
    assert status_field(inside_status, "Seccomp") == "2"  # 2 = 필터가 허용할 시스템 호출을 정합니다

# %% [markdown]
# ### 1.9 Root in the container is root on the host — unless…
# The container's processes run as **root** (uid 0) unless the image or `--user` says otherwise. With fewer
# capabilities, yes, but a **rootful** engine's root inside is uid 0 on the host too: a file it may reach through a
# mount, it reaches as root. Two things change that:
# - a **rootless** engine runs as an ordinary user, so the container's root is that user on the host;
# - **user namespaces** (`dockerd --userns-remap`) map the container's uid 0 to an unprivileged uid of the host.
#
# The host's `/proc/<pid>/status` says who the container's PID 1 really is:

# %% [markdown] lang="ko"
# ### 1.9 컨테이너의 root는 호스트의 root입니다 — 다음 경우가 아니라면…
# 이미지나 `--user`가 다르게 정하지 않으면 컨테이너의 프로세스는 **root**(uid 0)로 실행됩니다. 케이퍼빌리티는 줄었지만,
# **rootful** 엔진에서 안의 root는 호스트에서도 uid 0입니다. 마운트를 통해 닿을 수 있는 파일이라면 root로서 닿습니다.
# 두 가지가 이것을 바꿉니다.
# - **rootless** 엔진은 일반 사용자로 실행되므로, 컨테이너의 root는 호스트에서 그 사용자입니다.
# - **사용자 네임스페이스(user namespace)**(`dockerd --userns-remap`)는 컨테이너의 uid 0을 호스트의 권한 없는 uid에 대응시킵니다.
#
# 호스트의 `/proc/<pid>/status`가 컨테이너의 PID 1이 실제로 누구인지 알려 줍니다.

# %%
kind = ("rootless (the container's root is the engine owner's user)" if info.rootless else
        "rootful with user namespaces (the container's root is an unprivileged uid)" if info.userns else
        "rootful, no user namespaces (the container's root is the host's root)")
print("your engine:", kind)
print("uid inside the container:", probe.exec("id -u").output.strip())
if engine_is_local() and Path(f"/proc/{host_pid}/status").exists():
    host_uid = int(status_field(Path(f"/proc/{host_pid}/status").read_text(), "Uid").split()[0])
    print("the same process's uid on the host:", host_uid)
    if info.root_is_host_root:
        assert host_uid == 0  # root inside IS root outside on this engine
    else:
        assert host_uid != 0  # root inside is somebody unprivileged outside
else:
    print("(the engine is on another machine: its processes are not in this notebook's /proc)")

# %% lang="ko"
kind = ("rootless (컨테이너의 root는 엔진 소유자의 사용자입니다)" if info.rootless else
        "rootful, 사용자 네임스페이스 사용 (컨테이너의 root는 권한 없는 uid입니다)" if info.userns else
        "rootful, 사용자 네임스페이스 없음 (컨테이너의 root는 호스트의 root입니다)")
print("내 엔진:", kind)
print("컨테이너 안의 uid:", probe.exec("id -u").output.strip())
if engine_is_local() and Path(f"/proc/{host_pid}/status").exists():
    host_uid = int(status_field(Path(f"/proc/{host_pid}/status").read_text(), "Uid").split()[0])
    print("같은 프로세스의 호스트 uid:", host_uid)
    if info.root_is_host_root:
        assert host_uid == 0  # 이 엔진에서는 안의 root가 곧 밖의 root입니다
    else:
        assert host_uid != 0  # 안의 root는 밖에서 권한 없는 누군가입니다
else:
    print("(엔진이 다른 컴퓨터에 있습니다. 그 프로세스는 이 노트북의 /proc에 없습니다)")

# %% [markdown]
# ## 2. Docker is not a virtual machine
# A **virtual machine** (VM) runs on a *hypervisor* that imitates hardware; inside it boots a whole
# guest operating system with **its own kernel**. A container has no hypervisor and no guest kernel: its
# processes run on the host's kernel, which keeps them apart with namespaces, limits them with cgroups and takes
# powers away with capabilities and seccomp. (The price: one kernel is one wall. A kernel bug can let a container out,
# where a VM would still have its hypervisor.)
#
# ### 2.1 One kernel
# `uname -r` prints the release of the kernel a program runs on. Inside the container, it is the
# **engine host's** kernel. (The engine reports its kernel as `KernelVersion` in `docker info`.)

# %% [markdown] lang="ko"
# ## 2. Docker는 가상 머신이 아닙니다
# **가상 머신**(VM)은 하드웨어를 흉내 내는 *하이퍼바이저(hypervisor)* 위에서 실행되며, 그 안에서 **자기만의 커널**을 가진
# 게스트 운영 체제 전체가 부팅됩니다. 컨테이너에는 하이퍼바이저도 게스트 커널도 없습니다. 컨테이너의 프로세스는 호스트의
# 커널 위에서 실행되고, 커널은 네임스페이스로 서로 떼어 놓고, cgroup으로 제한하고, 케이퍼빌리티와 seccomp로 권한을 빼앗습니다.
# (대가도 있습니다. 커널 하나가 곧 벽 하나입니다. 커널 버그가 컨테이너를 밖으로 내보낼 수 있는 상황에서도 VM이라면 아직
# 하이퍼바이저가 남아 있습니다.)
#
# ### 2.1 커널은 하나
# `uname -r`은 프로그램이 실행되는 커널의 릴리스를 출력합니다. 컨테이너 안에서는 **엔진 호스트의** 커널입니다.
# (엔진은 `docker info`의 `KernelVersion`으로 자기 커널을 알려 줍니다.)

# %%
inside_kernel = probe.exec("uname -r").output.strip()
print("kernel inside the container  :", inside_kernel)
print("kernel of the engine's host  :", info.kernel, " (docker info → KernelVersion)")
print("kernel of this notebook's host:", platform.release())
assert inside_kernel == info.kernel  # S3: no guest kernel — the container runs on the host's kernel
if engine_is_local():
    assert inside_kernel == platform.release()

# %% lang="ko"
inside_kernel = probe.exec("uname -r").output.strip()
print("컨테이너 안의 커널     :", inside_kernel)
print("엔진 호스트의 커널     :", info.kernel, " (docker info → KernelVersion)")
print("이 노트북 호스트의 커널:", platform.release())
assert inside_kernel == info.kernel  # S3: 게스트 커널은 없습니다 — 컨테이너는 호스트의 커널에서 실행됩니다
if engine_is_local():
    assert inside_kernel == platform.release()

# %% [markdown]
# The image is Debian 12, and yet the kernel is the host's — whatever it is. An image carries the files of
# an OS (its programs and libraries), never a kernel. That is also why Linux containers need a Linux kernel:
# Docker Desktop on macOS or Windows runs one small Linux VM, and all containers share its kernel.

# %% [markdown] lang="ko"
# 이미지는 Debian 12인데도 커널은 호스트의 것입니다. 호스트가 무엇이든 마찬가지입니다. 이미지는 OS의 파일(프로그램과
# 라이브러리)을 담을 뿐, 커널은 절대 담지 않습니다. 그래서 Linux 컨테이너에는 Linux 커널이 필요합니다. macOS나 Windows의
# Docker Desktop은 작은 Linux VM 하나를 실행하고, 모든 컨테이너가 그 커널을 함께 씁니다.

# %% [markdown]
# ### 2.2 How long does a container take to start?
# A VM boots a whole OS: that takes seconds to minutes. Let us **measure** a container: create and start a
# trivial one until the engine says it is running, seven times, and take the median. Two clocks: this notebook's
# (the whole round trip, our Python included) and the engine's own record of each container (`Created` →
# `State.StartedAt` in `docker inspect`: the container's start itself, without our Python).
#
# A time measured on a shared machine depends on how busy it is. The **load average** (what `uptime` shows) counts
# the programs that want a core: with a load of 8 on 2 cores each of them gets about a quarter of a core, and
# everything — a container's start too — can take up to about four times longer than on an idle machine. So we print the load
# beside the times, and ask for under one second *per share of a core*: under 1 s on an idle machine, under 4 s at
# load 8 on 2 cores. A VM would still need far more than that to boot its kernel and its init system. (One exception:
# an engine without overlay — the `vfs` storage driver, e.g. Podman inside a container — copies all of the image's
# files for every new container before it starts; there the time is that copy, and the cell only prints it.)

# %% [markdown] lang="ko"
# ### 2.2 컨테이너는 시작하는 데 얼마나 걸릴까요?
# VM은 OS 전체를 부팅합니다. 몇 초에서 몇 분이 걸립니다. 컨테이너를 **측정해** 봅시다. 아주 간단한 컨테이너를 만들어 엔진이
# 실행 중이라고 할 때까지 시작하는 일을 일곱 번 하고, 중앙값을 구합니다. 시계는 두 개입니다. 이 노트북의 시계(우리 Python까지
# 포함한 왕복 시간)와, 컨테이너마다 엔진이 남기는 기록(`docker inspect`의 `Created` → `State.StartedAt`: 우리 Python을 뺀
# 컨테이너의 시작 그 자체)입니다.
#
# 여럿이 함께 쓰는 컴퓨터에서 잰 시간은 그 컴퓨터가 얼마나 바쁜지에 달려 있습니다. **부하 평균(load average)**(`uptime`이
# 보여 주는 값)은 코어를 기다리는 프로그램의 수입니다. 코어 2개에 부하가 8이면 프로그램마다 코어의 4분의 1쯤을 받고, 모든 일이
# (컨테이너의 시작도) 한가한 컴퓨터보다 네 배쯤 오래 걸립니다. 그래서 시간 옆에 부하를 출력하고, *코어 한 몫마다* 1초 미만을
# 요구합니다. 한가한 컴퓨터에서는 1초 미만, 코어 2개에 부하 8이면 4초 미만입니다. VM이라면 커널과 init 시스템을 부팅하는 데 그보다
# 훨씬 오래 걸립니다. (예외가 하나 있습니다. overlay가 없는 엔진, 즉 `vfs` 스토리지 드라이버를 쓰는 엔진(예: 컨테이너 안의
# Podman)은 새 컨테이너마다 시작하기 전에 이미지의 파일을 모두 복사합니다. 그때의 시간은 그 복사 시간이고, 셀은 출력만 합니다.)

# %%
def engine_seconds(stamp: str) -> float:
    """An engine timestamp ('2026-01-01T10:00:00.123456789Z') in seconds since the epoch."""
    whole, _, fraction = stamp.rstrip("Z").partition(".")
    return datetime.fromisoformat(whole).replace(tzinfo=timezone.utc).timestamp() + float("0." + (fraction or "0"))


def load_average() -> float:
    """This machine's 1-minute load average (0 where the system does not report one)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


load_before = load_average()
round_trips, engine_starts = [], []
for i in range(7):
    t0 = time.perf_counter()
    quick = lab.run(f"quick-{i}", "debian:bookworm-slim", ["sleep", "infinity"])
    assert quick.status == "running"
    round_trips.append(time.perf_counter() - t0)
    seen = quick.inspect()
    engine_starts.append(engine_seconds(seen["State"]["StartedAt"]) - engine_seconds(seen["Created"]))
    quick.remove()
start_median = statistics.median(engine_starts)
cores = os.cpu_count() or 1
load = max(load_before, load_average())
busy = max(1.0, load / cores)  # how many programs share each core (1: the machine is not busy)
print("create → running, the engine's clock :", ", ".join(f"{t:.3f}" for t in engine_starts), "s")
print("create → running, this notebook's    :", ", ".join(f"{t:.3f}" for t in round_trips), "s")
print(f"median: {start_median:.3f} s (engine), {statistics.median(round_trips):.3f} s (round trip); "
      f"fastest: {min(engine_starts):.3f} s")
print(f"this machine: load average {load:.1f} on {cores} cores → each program gets about 1/{busy:.1f} of a core")
if seen["GraphDriver"]["Name"] == "vfs":  # no overlay here: each new container gets a full copy of its image's files
    print("storage driver vfs: the engine copied the image's files for each container; that copy is the time above")
else:  # S3: a container starts in well under a second of a core: there is no OS to boot
    assert start_median < 1.0 * busy, f"{start_median:.2f} s at load {load:.1f} on {cores} cores"

# %% lang="ko"
def engine_seconds(stamp: str) -> float:
    """An engine timestamp ('2026-01-01T10:00:00.123456789Z') in seconds since the epoch."""
    whole, _, fraction = stamp.rstrip("Z").partition(".")
    return datetime.fromisoformat(whole).replace(tzinfo=timezone.utc).timestamp() + float("0." + (fraction or "0"))


def load_average() -> float:
    """This machine's 1-minute load average (0 where the system does not report one)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


load_before = load_average()
round_trips, engine_starts = [], []
for i in range(7):
    t0 = time.perf_counter()
    quick = lab.run(f"quick-{i}", "debian:bookworm-slim", ["sleep", "infinity"])
    assert quick.status == "running"
    round_trips.append(time.perf_counter() - t0)
    seen = quick.inspect()
    engine_starts.append(engine_seconds(seen["State"]["StartedAt"]) - engine_seconds(seen["Created"]))
    quick.remove()
start_median = statistics.median(engine_starts)
cores = os.cpu_count() or 1
load = max(load_before, load_average())
busy = max(1.0, load / cores)  # 코어 하나를 나눠 쓰는 프로그램의 수 (1: 컴퓨터가 바쁘지 않습니다)
print("생성 → 실행, 엔진의 시계      :", ", ".join(f"{t:.3f}" for t in engine_starts), "s")
print("생성 → 실행, 이 노트북의 시계 :", ", ".join(f"{t:.3f}" for t in round_trips), "s")
print(f"중앙값: {start_median:.3f}초 (엔진), {statistics.median(round_trips):.3f}초 (왕복); "
      f"가장 빠른 것: {min(engine_starts):.3f}초")
print(f"이 컴퓨터: 코어 {cores}개에 부하 평균 {load:.1f} → 프로그램마다 코어의 1/{busy:.1f}쯤을 받습니다")
if seen["GraphDriver"]["Name"] == "vfs":  # 여기에는 overlay가 없습니다: 새 컨테이너마다 이미지의 파일을 통째로 복사합니다
    print("스토리지 드라이버 vfs: 엔진이 컨테이너마다 이미지의 파일을 복사했습니다. 위의 시간은 그 복사 시간입니다")
else:  # S3: 컨테이너는 코어 한 몫으로 1초도 안 되어 시작합니다. 부팅할 OS가 없으니까요
    assert start_median < 1.0 * busy, f"{start_median:.2f} s at load {load:.1f} on {cores} cores"

# %% [markdown]
# ### 2.3 How much memory does an idle container use?
# A VM reserves memory for its guest OS up front (often 512 MiB–2 GiB). A container uses only what its
# processes use. `docker stats` (in Python: `container.stats()`) reports it; like the CLI, it leaves out the file
# cache the kernel can drop at any time. Unlike a time, this number does not depend on how busy the machine is.
# (An engine that counts no memory per container — a rootless engine on cgroup v1 — reports 0: then we read the
# resident memory of the container's process from `/proc/1/status` inside it.)

# %% [markdown] lang="ko"
# ### 2.3 아무것도 하지 않는 컨테이너는 메모리를 얼마나 쓸까요?
# VM은 게스트 OS를 위해 메모리를 미리 잡아 둡니다(흔히 512 MiB–2 GiB). 컨테이너는 자기 프로세스가 쓰는 만큼만 씁니다.
# `docker stats`(Python에서는 `container.stats()`)가 알려 줍니다. CLI처럼, 커널이 언제든 버릴 수 있는 파일 캐시는 빼고 셉니다.
# 시간과 달리 이 수는 컴퓨터가 얼마나 바쁜지에 달려 있지 않습니다. (컨테이너마다 메모리를 세지 않는 엔진, 곧 cgroup v1 위의
# rootless 엔진은 0을 알려 줍니다. 그때는 컨테이너 안의 `/proc/1/status`에서 그 프로세스의 상주 메모리를 읽습니다.)

# %%
stats = probe.stats()
used_mib = stats.memory_used_mib
limit_mib = stats.memory_limit / 2**20
print(f"$ docker stats --no-stream {probe.name}")
if stats.memory_limit:  # the engine counts the memory of the container's cgroup
    print(f"memory used by the idle container: {used_mib:.2f} MiB (its limit — the kit's default, a ceiling and not "
          f"a reservation: {limit_mib:.0f} MiB)")
else:  # an engine that keeps no memory count (a rootless engine on cgroup v1): ask the kernel about its process
    status = probe.exec("cat /proc/1/status").output
    used_mib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024
    print(f"this engine counts no memory per container; its process's resident memory (VmRSS): {used_mib:.2f} MiB")
assert 0 < used_mib < 10  # S3: an idle container costs a few MiB, not a guest OS

# %% lang="ko"
stats = probe.stats()
used_mib = stats.memory_used_mib
limit_mib = stats.memory_limit / 2**20
print(f"$ docker stats --no-stream {probe.name}")
if stats.memory_limit:  # 엔진이 컨테이너의 cgroup이 쓰는 메모리를 셉니다
    print(f"아무것도 하지 않는 컨테이너가 쓰는 메모리: {used_mib:.2f} MiB (제한은 키트의 기본값으로, 미리 잡아 두는 양이 "
          f"아니라 상한입니다: {limit_mib:.0f} MiB)")
else:  # 메모리를 세지 않는 엔진(cgroup v1 위의 rootless 엔진): 커널에게 그 프로세스를 물어봅니다
    status = probe.exec("cat /proc/1/status").output
    used_mib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024
    print(f"이 엔진은 컨테이너마다 메모리를 세지 않습니다. 그 프로세스의 상주 메모리(VmRSS): {used_mib:.2f} MiB")
assert 0 < used_mib < 10  # S3: 아무것도 하지 않는 컨테이너는 게스트 OS가 아니라 몇 MiB만 씁니다

# %% [markdown]
# ## 3. The server needs nothing but the engine
# *"Programs run in their container, so a server does not need their environment installed — only Docker."*
#
# The course's backend is a Java program. Does this machine have Java? Maybe, maybe not — it does not matter:

# %% [markdown] lang="ko"
# ## 3. 서버에는 엔진만 있으면 됩니다
# 원문: *"컨테이너 자체가 독립적인 구동환경을 갖고있기에 플랫폼에 종속적이지 않고, 프로그램을 구동해야하는 환경을 서버마다 설치할
# 필요없이 도커위에 컨테이너 그자체로 구동할 수 있다는 것이 장점이다."*
#
# 이 과정의 백엔드는 Java 프로그램입니다. 이 컴퓨터에 Java가 있을까요? 있을 수도, 없을 수도 있습니다. 상관없습니다.

# %%
host_java = shutil.which("java")
print("Java on this notebook's machine:", host_java or "none")
if host_java:
    import subprocess

    print("  ", subprocess.run([host_java, "-version"], capture_output=True, text=True).stderr.splitlines()[0])

# %% lang="ko"
host_java = shutil.which("java")
print("이 노트북 컴퓨터의 Java:", host_java or "없음")
if host_java:
    import subprocess

    print("  ", subprocess.run([host_java, "-version"], capture_output=True, text=True).stderr.splitlines()[0])

# %% [markdown]
# The image `dockerlab/backend:1.0` carries its own Java runtime. We replace its usual start command
# (`--entrypoint java`) to ask that Java its version. The container runs, prints, and exits.

# %% [markdown] lang="ko"
# 이미지 `dockerlab/backend:1.0`은 자기만의 Java 런타임을 담고 있습니다. 평소의 시작 명령을 바꿔서(`--entrypoint java`)
# 그 Java에게 버전을 묻습니다. 컨테이너는 실행되어 출력하고 끝납니다.

# %%
backend_image = ensure_app("backend")
java = lab.run("java-version", backend_image, ["-version"], entrypoint="java",
              healthcheck={"test": ["NONE"]})  # a one-off command: the server's healthcheck does not apply
print(java.cli)
exit_code = java.wait()
java_says = java.logs()
print(java_says)
java_inside = java_says.split('"')[1]
assert exit_code == 0 and "OpenJDK" in java_says  # S4: Java runs whether or not the host has it

# %% lang="ko"
backend_image = ensure_app("backend")
java = lab.run("java-version", backend_image, ["-version"], entrypoint="java",
              healthcheck={"test": ["NONE"]})  # 한 번만 실행하는 명령: 서버의 헬스체크는 해당하지 않습니다
print(java.cli)
exit_code = java.wait()
java_says = java.logs()
print(java_says)
java_inside = java_says.split('"')[1]
assert exit_code == 0 and "OpenJDK" in java_says  # S4: 호스트에 Java가 있든 없든 Java가 실행됩니다

# %% [markdown]
# Where does that Java live? At `/opt/java` **inside the image**. It is not the host's Java
# (even if the host has one, like this one might): the container cannot see the host's files at all.

# %% [markdown] lang="ko"
# 그 Java는 어디에 있을까요? **이미지 안의** `/opt/java`에 있습니다. 호스트의 Java가 아닙니다(이 호스트처럼 Java가
# 있더라도 마찬가지입니다). 컨테이너는 호스트의 파일을 아예 볼 수 없습니다.

# %%
server = lab.run("backend", backend_image, ports={8080: None}, wait=lab.Http("/actuator/health"))
print(server.cli)
print("java inside the container:", server.exec("command -v java").output.strip())
print("/opt/java/bin/java on the host?", Path("/opt/java/bin/java").exists())
print("host's java visible inside?", server.exec(["test", "-e", host_java or "/usr/bin/java"]).exit_code == 0)
assert server.exec("command -v java").output.strip() == "/opt/java/bin/java"

# %% lang="ko"
server = lab.run("backend", backend_image, ports={8080: None}, wait=lab.Http("/actuator/health"))
print(server.cli)
print("컨테이너 안의 java:", server.exec("command -v java").output.strip())
print("호스트에 /opt/java/bin/java가 있나요?", Path("/opt/java/bin/java").exists())
print("호스트의 java가 안에서 보이나요?", server.exec(["test", "-e", host_java or "/usr/bin/java"]).exit_code == 0)
assert server.exec("command -v java").output.strip() == "/opt/java/bin/java"

# %% [markdown]
# And the real program answers. The backend is a small web API; `/api/info` reports the Java it runs on.
# Open the link in your browser if you like: the port is published on `127.0.0.1` only.

# %% [markdown] lang="ko"
# 그리고 실제 프로그램이 응답합니다. 백엔드는 작은 웹 API이고, `/api/info`는 자기가 실행되는 Java를 알려 줍니다.
# 원한다면 브라우저로 링크를 열어 보세요. 포트는 `127.0.0.1`에만 공개되어 있습니다.

# %%
url = server.url(8080, "/api/info")
print(url)
with urllib.request.urlopen(url, timeout=5) as resp:
    body = resp.read().decode()
print(body)
assert f'"java":"{java_inside}"' in body.replace(" ", "")  # S4: the image's Java, not the host's
print(f"the Java server's container uses {server.stats().memory_used_mib:.0f} MiB")

# %% lang="ko"
url = server.url(8080, "/api/info")
print(url)
with urllib.request.urlopen(url, timeout=5) as resp:
    body = resp.read().decode()
print(body)
assert f'"java":"{java_inside}"' in body.replace(" ", "")  # S4: 호스트가 아니라 이미지의 Java
print(f"Java 서버의 컨테이너가 쓰는 메모리: {server.stats().memory_used_mib:.0f} MiB")

# %% [markdown]
# ## 4. What is running now?
# `docker ps` lists running containers. The kit labels everything it starts, so we can list just this
# chapter's containers (`--filter label=…`). The `java-version` container has exited: its program ended,
# but the container stays (with its logs) until it is removed.

# %% [markdown] lang="ko"
# ## 4. 지금 무엇이 실행되고 있을까요?
# `docker ps`는 실행 중인 컨테이너를 나열합니다. 키트는 자기가 시작한 모든 것에 레이블을 붙이므로, 이 장의 컨테이너만
# 골라 볼 수 있습니다(`--filter label=…`). `java-version` 컨테이너는 종료되었습니다. 프로그램은 끝났지만, 컨테이너는 지울
# 때까지 (로그와 함께) 남아 있습니다.

# %%
print(f"$ docker ps -a --filter label=org.dockerlab.chapter=01 --filter label=org.dockerlab.session={lab.session_id()}")
mine = lab.ps("01")  # your containers of this chapter, running or not
assert {c.name for c in mine} >= {lab.name("probe"), lab.name("backend")}
containers_table(mine, title="This chapter's containers")

# %% lang="ko"
print(f"$ docker ps -a --filter label=org.dockerlab.chapter=01 --filter label=org.dockerlab.session={lab.session_id()}")
mine = lab.ps("01")  # 이 장의 내 컨테이너(실행 중이든 아니든)
assert {c.name for c in mine} >= {lab.name("probe"), lab.name("backend")}
containers_table(mine, title="이 장의 컨테이너")

# %% [markdown]
# ## Exercises
# ### Exercise 1 — a container with a name and a hostname of your choice
# Start a container named **`box`** from `debian:bookworm-slim` that keeps running (`sleep infinity`) and whose
# **hostname** is **`lab-box`**. Then check from inside that the hostname is what you asked for.
# (`lab.run` accepts `hostname=`; the CLI flag is `docker run --hostname`.)

# %% [markdown] lang="ko"
# ## 연습 문제
# ### 연습 1 — 이름과 호스트 이름을 직접 정한 컨테이너
# `debian:bookworm-slim`으로 **`box`라는** 이름의 컨테이너를 시작하세요. 계속 실행되어야 하고(`sleep infinity`), **호스트 이름**은
# **`lab-box`여야** 합니다. 그런 다음 안에서 호스트 이름이 요청한 대로인지 확인하세요.
# (`lab.run`은 `hostname=`을 받습니다. CLI 플래그는 `docker run --hostname`입니다.)

# %%
### BEGIN SOLUTION
box = lab.run("box", "debian:bookworm-slim", ["sleep", "infinity"], hostname="lab-box")
print(box.cli)
print(box.exec("hostname").output)
### END SOLUTION

# %%
ex.q1.check()

# %% [markdown]
# Stuck? Uncomment one line at a time:

# %% [markdown] lang="ko"
# 막혔나요? 한 번에 한 줄씩 주석을 풀어 보세요.

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — what is PID 1 over there?
# The next cell starts a container named `mystery` from the backend image with the image's **own** start
# command (we do not tell you which). Find out what runs as **PID 1** inside it, and put its whole command line
# (the program and all its arguments, separated by spaces) in `mystery_pid1`.

# %% [markdown] lang="ko"
# ### 연습 2 — 저 안의 PID 1은 무엇일까요?
# 다음 셀은 백엔드 이미지로 `mystery`라는 컨테이너를 이미지 **자신의** 시작 명령으로 시작합니다(무엇인지는 알려 주지
# 않습니다). 그 안에서 **PID 1**로 무엇이 실행되는지 알아내고, 전체 명령줄(프로그램과 모든 인자를 공백으로 구분)을
# `mystery_pid1`에 넣으세요.

# %%
mystery = lab.run("mystery", backend_image)
mystery_pid1 = "____"
### BEGIN SOLUTION
mystery_pid1 = mystery.exec("cat /proc/1/cmdline | tr '\\0' ' '").output.strip()
print(mystery_pid1)
### END SOLUTION

# %%
ex.q2.check(mystery_pid1)

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ## Recap
# - A container is **an ordinary process** of the host that the kernel shows its own world (namespaces): its own
#   PID 1, hostname, files (from the image) and network. The host's processes and files are not visible inside.
# - **cgroups** limit what it may use (Docker sets no limit unless asked; this kit asks for 512 MiB and 256
#   processes), **capabilities** and **seccomp** take powers away from its root. Still, on a rootful engine without
#   user namespaces, root inside is root on the host: a rootless engine or user namespaces change that.
# - There is **no hypervisor and no guest kernel**: `uname -r` inside is the host's kernel.
# - So a container starts in well under a second of a core's time (you measured it above, beside the machine's
#   load), and an idle one needs a few MiB of memory: only what its processes use.
# - A program's whole environment (here: Java) travels **in the image**; the server needs only the engine.
#
# ## Clean up
# This removes the containers this chapter made for you (and only those: the kit finds them by label).

# %% [markdown] lang="ko"
# ## 정리
# - 컨테이너는 커널이 자기만의 세상(네임스페이스)을 보여 주는 호스트의 **평범한 프로세스**입니다. 자기만의 PID 1, 호스트 이름,
#   (이미지에서 온) 파일, 네트워크가 있습니다. 호스트의 프로세스와 파일은 안에서 보이지 않습니다.
# - **cgroup**은 쓸 수 있는 자원을 제한하고(Docker는 요청하지 않으면 제한을 두지 않습니다. 이 키트는 512 MiB와 프로세스 256개를
#   요청합니다), **케이퍼빌리티**와 **seccomp**는 root의 권한을 빼앗습니다. 그래도 사용자 네임스페이스가 없는 rootful 엔진에서는
#   안의 root가 호스트의 root입니다. rootless 엔진이나 사용자 네임스페이스가 이것을 바꿉니다.
# - **하이퍼바이저도 게스트 커널도 없습니다**: 안에서 `uname -r`을 실행하면 호스트의 커널이 나옵니다.
# - 그래서 컨테이너는 코어 한 몫으로 1초도 안 되어 시작하고(위에서 컴퓨터의 부하와 함께 직접 측정했습니다), 아무것도 하지 않는
#   컨테이너는 몇 MiB의 메모리만 씁니다. 프로세스가 쓰는 만큼입니다.
# - 프로그램의 환경 전체(여기서는 Java)는 **이미지 안에** 담겨 옮겨 다닙니다. 서버에는 엔진만 있으면 됩니다.
#
# ## 뒷정리
# 이 장에서 여러분을 위해 만든 컨테이너를 지웁니다(그것만 지웁니다. 키트는 레이블로 찾습니다).

# %%
ch.reset()
assert lab.leaks(chapter="01") == []
