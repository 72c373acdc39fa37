# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 04 · Volumes and bind mounts
#
# Chapter 03 ended with a problem: a container's files die with the container. The article this course follows
# gives the answer in the same sentence: *"all the data created after the image runs piles up inside the container,
# **or, with a volume, in the host's storage**."*
#
# **In this chapter you will**
# 1. create a **named volume**, write to it from one container, remove that container and read the data from another;
# 2. find the volume's files on the host side;
# 3. **bind-mount** a folder of your own machine into a container, and write to it from both sides;
# 4. see *who owns* the files a container writes into your folder, and how to make them yours;
# 5. replace the Java todo backend with a new container and keep every todo;
# 6. place the demo system on the layers of an infrastructure (hardware, OS, network, middleware) and express its
#    **non-functional requirements** as container settings.

# %% [markdown] lang="ko"
# # 04 · 볼륨과 바인드 마운트
#
# 03장은 문제 하나로 끝났습니다. 컨테이너의 파일은 컨테이너와 함께 사라집니다. 이 과정이 따라가는 글은 같은 문장 안에서 답을
# 줍니다: *"이미지를 실행시켰을때 부터 만들어지는 모든 데이터는 컨테이너안에 쌓이거나, **volume 설정을 했을 시 호스트의 저장소에
# 쌓이게 된다.**"*
#
# **이 장에서 할 일**
# 1. **이름 있는 볼륨**(named volume)을 만들고, 한 컨테이너에서 쓰고, 그 컨테이너를 지운 뒤 다른 컨테이너에서 데이터를 읽습니다.
# 2. 볼륨의 파일을 호스트 쪽에서 찾습니다.
# 3. 내 컴퓨터의 폴더를 컨테이너에 **바인드 마운트**(bind mount)하고, 양쪽에서 씁니다.
# 4. 컨테이너가 내 폴더에 쓴 파일의 *소유자*가 누구인지, 어떻게 내 것으로 만드는지 봅니다.
# 5. Java 할 일(todo) 백엔드를 새 컨테이너로 바꾸면서 할 일을 하나도 잃지 않습니다.
# 6. 데모 시스템을 인프라의 계층(하드웨어, OS, 네트워크, 미들웨어)에 놓아 보고, **비기능 요구사항**을 컨테이너 설정으로 표현합니다.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind —
# **including its volumes** (`purge=True`), so every run starts from empty volumes.

# %% [markdown] lang="ko"
# ## 장 시작하기
# 이 셀은 키트를 불러오고, 이 장을 예전에 실행하면서 남은 것을 **볼륨까지**(`purge=True`) 모두 지웁니다.
# 그래서 매번 빈 볼륨에서 시작합니다.

# %%
import json
import os
import pwd
import shutil
import tempfile
import time
import urllib.request
from pathlib import Path

from IPython.display import Markdown, display

import dockerlab as lab
from dockerlab.course import ensure_app
from dockerlab.display.volumes import volumes_table
from dockerlab.exercises import ch04 as ex

ch = lab.start_chapter("04", "Volumes and bind mounts", lang="en")
ch.reset(purge=True)
NOTES = ensure_app("notes")
BASE = "debian:bookworm-slim"

# %% lang="ko"
import json
import os
import pwd
import shutil
import tempfile
import time
import urllib.request
from pathlib import Path

from IPython.display import Markdown, display

import dockerlab as lab
from dockerlab.course import ensure_app
from dockerlab.display.volumes import volumes_table
from dockerlab.exercises import ch04 as ex

ch = lab.start_chapter("04", "볼륨과 바인드 마운트", lang="ko")
ch.reset(purge=True)
NOTES = ensure_app("notes")
BASE = "debian:bookworm-slim"

# %% [markdown]
# ## 1. A named volume outlives its container
# A **volume** is storage that the engine keeps *outside* every container. You give it a name, and mount it into a
# container at a path. Whatever the container writes under that path goes into the volume, not into the container's
# writable layer. `lab.volumes.create` is `docker volume create`.

# %% [markdown] lang="ko"
# ## 1. 이름 있는 볼륨은 컨테이너보다 오래 남습니다
# **볼륨**(volume)은 엔진이 모든 컨테이너 *밖에* 보관하는 저장소입니다. 이름을 붙이고, 컨테이너의 어떤 경로에 마운트합니다.
# 컨테이너가 그 경로 아래에 쓰는 것은 컨테이너의 쓰기 가능한 레이어가 아니라 볼륨에 들어갑니다.
# `lab.volumes.create`는 `docker volume create`입니다.

# %%
shared = lab.volumes.create("shared-notes")
print(shared.cli)
print("volume:", shared.name, "| driver:", shared.driver)

# %% lang="ko"
shared = lab.volumes.create("shared-notes")
print(shared.cli)
print("볼륨:", shared.name, "| 드라이버:", shared.driver)

# %% [markdown]
# A first container, `writer`, mounts the volume at `/app/notes` — the folder where the notes app keeps its notes —
# and we write a file there too. (The first time an **empty** volume is mounted over a folder of the image, the engine
# copies that folder's files *and its owner* into the volume: the app's user, uid 10001, may write in it.)

# %% [markdown] lang="ko"
# 첫 번째 컨테이너 `writer`는 볼륨을 `/app/notes`(notes 앱이 노트를 두는 폴더)에 마운트하고, 우리도 그곳에 파일을 하나 씁니다.
# (**빈** 볼륨을 이미지의 폴더 위에 처음 마운트하면 엔진은 그 폴더의 파일과 *소유자*를 볼륨으로 복사합니다. 그래서 앱의
# 사용자(uid 10001)가 볼륨에 쓸 수 있습니다.)

# %%
writer = lab.run("writer", NOTES, volumes={"shared-notes": "/app/notes"}, wait="log: note ")
print(writer.cli)
assert writer.exec("echo 'written by writer' > /app/notes/shared.txt").ok
print("writer's docker diff:", writer.diff())
assert all(path != "/app/notes/shared.txt" for _, path in writer.diff())  # not in the writable layer …
print("mounts:", [(m.type, m.name, m.destination) for m in writer.mounts])

# %% lang="ko"
writer = lab.run("writer", NOTES, volumes={"shared-notes": "/app/notes"}, wait="log: note ")
print(writer.cli)
assert writer.exec("echo 'written by writer' > /app/notes/shared.txt").ok
print("writer의 docker diff:", writer.diff())
assert all(path != "/app/notes/shared.txt" for _, path in writer.diff())  # 쓰기 가능한 레이어에 없습니다 …
print("마운트:", [(m.type, m.name, m.destination) for m in writer.mounts])

# %% [markdown]
# The note is **not** in `writer`'s writable layer (`docker diff` does not list it): it is in the volume.
# Now remove `writer` entirely. The volume stays.

# %% [markdown] lang="ko"
# 노트는 `writer`의 쓰기 가능한 레이어에 **없습니다**(`docker diff`에 나오지 않습니다). 볼륨에 있습니다.
# 이제 `writer`를 완전히 지웁니다. 볼륨은 남습니다.

# %%
writer.remove()
assert lab.containers.find("writer") is None
survivor = lab.volumes.get("shared-notes")
print("the volume is still there:", survivor.name)
assert survivor.name == shared.name  # S9: the volume survived the container's removal

# %% lang="ko"
writer.remove()
assert lab.containers.find("writer") is None
survivor = lab.volumes.get("shared-notes")
print("볼륨은 그대로 있습니다:", survivor.name)
assert survivor.name == shared.name  # S9: 컨테이너를 지워도 볼륨은 살아남았습니다

# %% [markdown]
# A brand-new container, `reader`, mounts the same volume and finds the note.

# %% [markdown] lang="ko"
# 완전히 새로운 컨테이너 `reader`가 같은 볼륨을 마운트하고 노트를 찾습니다.

# %%
reader = lab.run("reader", NOTES, volumes={"shared-notes": "/app/notes"}, wait="log: note ")
note = reader.exec("cat /app/notes/shared.txt")
print(note.cli, "→", note.output.strip())
assert note.ok and note.output.strip() == "written by writer"  # S9: the data outlived its container

# %% lang="ko"
reader = lab.run("reader", NOTES, volumes={"shared-notes": "/app/notes"}, wait="log: note ")
note = reader.exec("cat /app/notes/shared.txt")
print(note.cli, "→", note.output.strip())
assert note.ok and note.output.strip() == "written by writer"  # S9: 데이터가 컨테이너보다 오래 남았습니다

# %% [markdown]
# Two containers can use one volume **at the same time**: what one writes, the other reads at once.
# Start `writer` again next to `reader`. Both run the notes app, and both apps append to the *same*
# `notes.txt` — each line says which container (its hostname) wrote it.
# `lab.volumes.users` lists who mounts the volume (`docker ps --filter volume=…`).

# %% [markdown] lang="ko"
# 두 컨테이너가 볼륨 하나를 **동시에** 쓸 수 있습니다. 한쪽이 쓰면 다른 쪽이 바로 읽습니다.
# `reader` 옆에 `writer`를 다시 시작합니다. 둘 다 notes 앱을 실행하고, 두 앱 모두 *같은* `notes.txt`에 덧붙입니다.
# 줄마다 어느 컨테이너(호스트 이름)가 썼는지 적혀 있습니다. `lab.volumes.users`는 볼륨을 마운트한 컨테이너를 나열합니다
# (`docker ps --filter volume=…`).

# %%
writer = lab.run("writer", NOTES, volumes={"shared-notes": "/app/notes"}, wait="log: note ")
assert writer.exec("echo 'second line, while reader runs' >> /app/notes/shared.txt").ok
both = reader.exec("cat /app/notes/shared.txt").output
print(both)
assert "second line, while reader runs" in both  # S9: shared live between two containers
notes_txt = reader.exec("notes show").output
print(notes_txt)
assert writer.id[:12] in notes_txt and reader.id[:12] in notes_txt  # both apps write into one file
print("used by:", lab.volumes.users("shared-notes"))
assert sorted(lab.volumes.users("shared-notes")) == sorted([writer.name, reader.name])
volumes_table()

# %% lang="ko"
writer = lab.run("writer", NOTES, volumes={"shared-notes": "/app/notes"}, wait="log: note ")
assert writer.exec("echo 'second line, while reader runs' >> /app/notes/shared.txt").ok
both = reader.exec("cat /app/notes/shared.txt").output
print(both)
assert "second line, while reader runs" in both  # S9: 두 컨테이너가 실시간으로 공유합니다
notes_txt = reader.exec("notes show").output
print(notes_txt)
assert writer.id[:12] in notes_txt and reader.id[:12] in notes_txt  # 두 앱이 한 파일에 씁니다
print("사용 중인 컨테이너:", lab.volumes.users("shared-notes"))
assert sorted(lab.volumes.users("shared-notes")) == sorted([writer.name, reader.name])
volumes_table()

# %% [markdown]
# ## 2. The volume, seen from the host
# A local volume is just a folder on the engine's host, its **mountpoint** (usually under
# `/var/lib/docker/volumes/`). If the engine runs on this machine and we may read that folder (root may), we can
# open the file directly. With Docker Desktop, or an engine on another server, the folder is out of reach:
# then a small **helper container** that mounts the volume read-only reads it for us — that way works everywhere.

# %% [markdown] lang="ko"
# ## 2. 호스트에서 본 볼륨
# 로컬 볼륨은 엔진 호스트의 폴더, 곧 볼륨의 **마운트 지점**(mountpoint)일 뿐입니다(보통 `/var/lib/docker/volumes/` 아래).
# 엔진이 이 컴퓨터에서 실행되고 그 폴더를 읽을 수 있다면(root라면 읽을 수 있습니다) 파일을 직접 열 수 있습니다. Docker Desktop이나
# 다른 서버의 엔진이라면 그 폴더에 닿을 수 없습니다. 그럴 때는 볼륨을 읽기 전용으로 마운트한 작은 **도우미 컨테이너**가 대신
# 읽어 줍니다. 이 방법은 어디서나 통합니다.

# %%
mountpoint = Path(shared.mountpoint)
print("$ docker volume inspect", shared.name, "→ Mountpoint:", mountpoint)
on_host = None
if os.path.isdir(mountpoint) and os.access(mountpoint, os.R_OK):
    on_host = (mountpoint / "shared.txt").read_text()
    print("read directly on the host:\n" + on_host)
else:
    print("(the mountpoint is not readable from this notebook: using the helper container only)")

peek = lab.run("peek", BASE, ["cat", "/v/shared.txt"], volumes={"shared-notes": "/v:ro"})
peek.wait(timeout=30)
via_helper = peek.logs()
peek.remove()
print(peek.cli)
print("read by a helper container:\n" + via_helper)
assert "written by writer" in via_helper  # S9: the data is in the host's storage, not in a container
assert on_host is None or on_host == via_helper

# %% lang="ko"
mountpoint = Path(shared.mountpoint)
print("$ docker volume inspect", shared.name, "→ 마운트 지점:", mountpoint)
on_host = None
if os.path.isdir(mountpoint) and os.access(mountpoint, os.R_OK):
    on_host = (mountpoint / "shared.txt").read_text()
    print("호스트에서 직접 읽음:\n" + on_host)
else:
    print("(이 노트북에서는 마운트 지점을 읽을 수 없습니다: 도우미 컨테이너만 씁니다)")

peek = lab.run("peek", BASE, ["cat", "/v/shared.txt"], volumes={"shared-notes": "/v:ro"})
peek.wait(timeout=30)
via_helper = peek.logs()
peek.remove()
print(peek.cli)
print("도우미 컨테이너가 읽음:\n" + via_helper)
assert "written by writer" in via_helper  # S9: 데이터는 컨테이너가 아니라 호스트의 저장소에 있습니다
assert on_host is None or on_host == via_helper

# %% [markdown]
# ## 3. A bind mount: your own folder inside the container
# A **bind mount** mounts a folder of the host — one you choose — into a container. There is no copy: both sides see
# the same files. (It needs the engine to run on the machine that has the folder; `lab.run` checks that the folder
# exists.) We make a temporary folder for it:

# %% [markdown] lang="ko"
# ## 3. 바인드 마운트: 내 폴더를 컨테이너 안으로
# **바인드 마운트**(bind mount)는 호스트의 폴더(여러분이 고른 폴더)를 컨테이너에 마운트합니다. 복사는 없습니다. 양쪽이 같은
# 파일을 봅니다. (엔진이 그 폴더가 있는 컴퓨터에서 실행되어야 하며, `lab.run`이 폴더가 있는지 확인합니다.) 임시 폴더를 하나 만듭니다.

# %%
host_dir = Path(tempfile.mkdtemp(prefix="dockerlab-04-"))
host_dir.chmod(0o777)  # let any user in a container write here (section 4 needs that)
(host_dir / "from-host.txt").write_text("hello from the host\n")
print("host folder:", host_dir)

box = lab.run("box", BASE, ["sleep", "infinity"], volumes={str(host_dir): "/work"})
print(box.cli)
seen_inside = box.exec("cat /work/from-host.txt")
print("the container reads the host's file:", seen_inside.output.strip())
assert seen_inside.output.strip() == "hello from the host"  # host → container

assert box.exec("echo 'hello from the container' > /work/from-container.txt").ok
seen_on_host = (host_dir / "from-container.txt").read_text().strip()
print("the host reads the container's file:", seen_on_host)
assert seen_on_host == "hello from the container"  # container → host (S9)
print("mount:", [(m.type, m.source, m.destination, "ro" if m.read_only else "rw") for m in box.mounts])

# %% lang="ko"
host_dir = Path(tempfile.mkdtemp(prefix="dockerlab-04-"))
host_dir.chmod(0o777)  # 컨테이너 안의 어떤 사용자든 여기에 쓸 수 있게 합니다 (4절에 필요)
(host_dir / "from-host.txt").write_text("hello from the host\n")
print("호스트 폴더:", host_dir)

box = lab.run("box", BASE, ["sleep", "infinity"], volumes={str(host_dir): "/work"})
print(box.cli)
seen_inside = box.exec("cat /work/from-host.txt")
print("컨테이너가 호스트의 파일을 읽습니다:", seen_inside.output.strip())
assert seen_inside.output.strip() == "hello from the host"  # 호스트 → 컨테이너

assert box.exec("echo 'hello from the container' > /work/from-container.txt").ok
seen_on_host = (host_dir / "from-container.txt").read_text().strip()
print("호스트가 컨테이너의 파일을 읽습니다:", seen_on_host)
assert seen_on_host == "hello from the container"  # 컨테이너 → 호스트 (S9)
print("마운트:", [(m.type, m.source, m.destination, "ro" if m.read_only else "rw") for m in box.mounts])

# %% [markdown]
# Bind mounts are how developers edit code on their laptop and run it in a container at once. Append `:ro` to make
# the mount read-only: the container can read but not change your files.

# %% [markdown] lang="ko"
# 바인드 마운트 덕분에 개발자는 노트북에서 코드를 고치면서 동시에 컨테이너에서 실행할 수 있습니다. `:ro`를 붙이면 마운트가
# 읽기 전용이 됩니다. 컨테이너는 파일을 읽을 수 있지만 바꿀 수는 없습니다.

# %%
viewer_demo = lab.run("viewer-demo", BASE, ["sleep", "infinity"], volumes={str(host_dir): "/work:ro"})
refused = viewer_demo.exec("echo nope > /work/nope.txt")
print(viewer_demo.cli)
print(refused.cli, "→ exit code", refused.exit_code, "|", refused.output.strip())
assert refused.exit_code != 0 and "Read-only file system" in refused.output
assert not (host_dir / "nope.txt").exists()
viewer_demo.remove()

# %% lang="ko"
viewer_demo = lab.run("viewer-demo", BASE, ["sleep", "infinity"], volumes={str(host_dir): "/work:ro"})
refused = viewer_demo.exec("echo nope > /work/nope.txt")
print(viewer_demo.cli)
print(refused.cli, "→ 종료 코드", refused.exit_code, "|", refused.output.strip())
assert refused.exit_code != 0 and "Read-only file system" in refused.output
assert not (host_dir / "nope.txt").exists()
viewer_demo.remove()

# %% [markdown]
# ## 4. Who owns the files a container writes?
# Files carry a **user number (uid)**, not a name. A container writes with *its* user's uid, and through a bind mount
# that number lands on your disk as it is. Most images run as root (uid 0), so the files they write into your folder
# belong to **root** — a plain user then cannot edit or delete them.
#
# Three writers, three owners:

# %% [markdown] lang="ko"
# ## 4. 컨테이너가 쓴 파일의 소유자는 누구일까요?
# 파일에는 이름이 아니라 **사용자 번호**(uid)가 붙습니다. 컨테이너는 *자기* 사용자의 uid로 쓰고, 바인드 마운트를 통해 그 번호가
# 그대로 내 디스크에 남습니다. 대부분의 이미지는 root(uid 0)로 실행되므로, 그런 이미지가 내 폴더에 쓴 파일은 **root**의 것이
# 됩니다. 그러면 일반 사용자는 그 파일을 고치거나 지울 수 없습니다.
#
# 쓰는 사람 셋, 소유자 셋:

# %%
def owner(path: Path) -> str:
    uid = path.stat().st_uid
    try:
        return f"uid {uid} ({pwd.getpwuid(uid).pw_name})"
    except KeyError:
        return f"uid {uid} (no user of that number on this host)"


as_root = box.exec("echo root > /work/by-root.txt")  # box runs as the image's default user: root
stranger = lab.run("stranger", BASE, ["sh", "-c", "echo 1234 > /work/by-1234.txt"], user="1234:1234",
                   volumes={str(host_dir): "/work"})
assert stranger.wait(timeout=30) == 0, stranger.logs()
me = f"{os.getuid()}:{os.getgid()}"
mine = lab.run("as-me", BASE, ["sh", "-c", "echo me > /work/by-me.txt"], user=me, volumes={str(host_dir): "/work"})
assert mine.wait(timeout=30) == 0, mine.logs()
print(mine.cli)
for name in ("by-root.txt", "by-1234.txt", "by-me.txt"):
    print(f"{name:12} owned by {owner(host_dir / name)}")
assert (host_dir / "by-root.txt").stat().st_uid == 0  # a root container writes root-owned files
assert (host_dir / "by-1234.txt").stat().st_uid == 1234  # uid numbers pass through unchanged
assert (host_dir / "by-me.txt").stat().st_uid == os.getuid()  # the fix: run the container as yourself
print("this notebook runs as uid", os.getuid())

# %% lang="ko"
def owner(path: Path) -> str:
    uid = path.stat().st_uid
    try:
        return f"uid {uid} ({pwd.getpwuid(uid).pw_name})"
    except KeyError:
        return f"uid {uid} (이 호스트에는 그 번호의 사용자가 없습니다)"


as_root = box.exec("echo root > /work/by-root.txt")  # box는 이미지의 기본 사용자 root로 실행됩니다
stranger = lab.run("stranger", BASE, ["sh", "-c", "echo 1234 > /work/by-1234.txt"], user="1234:1234",
                   volumes={str(host_dir): "/work"})
assert stranger.wait(timeout=30) == 0, stranger.logs()
me = f"{os.getuid()}:{os.getgid()}"
mine = lab.run("as-me", BASE, ["sh", "-c", "echo me > /work/by-me.txt"], user=me, volumes={str(host_dir): "/work"})
assert mine.wait(timeout=30) == 0, mine.logs()
print(mine.cli)
for name in ("by-root.txt", "by-1234.txt", "by-me.txt"):
    print(f"{name:12} 소유자: {owner(host_dir / name)}")
assert (host_dir / "by-root.txt").stat().st_uid == 0  # root 컨테이너는 root 소유 파일을 씁니다
assert (host_dir / "by-1234.txt").stat().st_uid == 1234  # uid 번호는 그대로 전달됩니다
assert (host_dir / "by-me.txt").stat().st_uid == os.getuid()  # 해결책: 컨테이너를 자신으로 실행하기
print("이 노트북은 다음 uid로 실행됩니다:", os.getuid())

# %% [markdown]
# The fix is `user=f"{os.getuid()}:{os.getgid()}"` (`docker run --user "$(id -u):$(id -g)"`): the container writes
# as *you*. (If this notebook runs as root, "you" is uid 0 and the first and last lines look alike; on a laptop they
# differ.) Named volumes avoid the question: the engine manages their folder, and an image can prepare the owner —
# the todo backend's `/data` belongs to its user 10001.

# %% [markdown] lang="ko"
# 해결책은 `user=f"{os.getuid()}:{os.getgid()}"`(`docker run --user "$(id -u):$(id -g)"`)입니다. 컨테이너가 *여러분으로서*
# 씁니다. (이 노트북이 root로 실행되면 "여러분"은 uid 0이라 첫 줄과 마지막 줄이 같아 보입니다. 노트북 컴퓨터에서는 다릅니다.)
# 이름 있는 볼륨에서는 이 문제가 생기지 않습니다. 엔진이 폴더를 관리하고, 이미지가 소유자를 미리 정해 둘 수 있습니다.
# 할 일 백엔드의 `/data`는 그 사용자 10001의 것입니다.

# %% [markdown]
# ## 5. The todo backend keeps its todos — with a volume
# The course's Java backend (`dockerlab/backend:1.0`) stores its todos in `/data/todos.json`. We give `/data` a named
# volume, add a todo over HTTP, then **replace the container** — as you would to upgrade it — and look again.

# %% [markdown] lang="ko"
# ## 5. 할 일 백엔드가 할 일을 지킵니다 — 볼륨으로
# 이 과정의 Java 백엔드(`dockerlab/backend:1.0`)는 할 일을 `/data/todos.json`에 저장합니다. `/data`에 이름 있는 볼륨을 주고,
# HTTP로 할 일을 하나 추가한 뒤, 업그레이드할 때처럼 **컨테이너를 교체하고** 다시 살펴봅니다.

# %%
BACKEND = ensure_app("backend")


def todos(api: lab.Container) -> list[dict]:
    with urllib.request.urlopen(api.url(8080, "/api/todos"), timeout=5) as resp:
        return json.load(resp)


def add_todo(api: lab.Container, title: str) -> dict:
    req = urllib.request.Request(api.url(8080, "/api/todos"), data=json.dumps({"title": title}).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert resp.status == 201
        return json.load(resp)


lab.volumes.create("todo-data")
started = time.monotonic()
api = lab.run("todo-api", BACKEND, ports={8080: None}, volumes={"todo-data": "/data"}, wait="http:/actuator/health")
print(api.cli)
print(f"ready in {time.monotonic() - started:.1f} s at {api.url(8080, '/api/todos')}")
created = add_todo(api, "water the plants")
print("POST /api/todos →", created)
assert created["title"] == "water the plants"

# %% lang="ko"
BACKEND = ensure_app("backend")


def todos(api: lab.Container) -> list[dict]:
    with urllib.request.urlopen(api.url(8080, "/api/todos"), timeout=5) as resp:
        return json.load(resp)


def add_todo(api: lab.Container, title: str) -> dict:
    req = urllib.request.Request(api.url(8080, "/api/todos"), data=json.dumps({"title": title}).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert resp.status == 201
        return json.load(resp)


lab.volumes.create("todo-data")
started = time.monotonic()
api = lab.run("todo-api", BACKEND, ports={8080: None}, volumes={"todo-data": "/data"}, wait="http:/actuator/health")
print(api.cli)
print(f"{time.monotonic() - started:.1f}초 만에 준비됨: {api.url(8080, '/api/todos')}")
created = add_todo(api, "water the plants")
print("POST /api/todos →", created)
assert created["title"] == "water the plants"

# %% [markdown]
# Replace the container: remove it, start a new one from the same image with the same volume. (The new container
# even gets a different host port: it is a different container. Only the volume is the same.)

# %% [markdown] lang="ko"
# 컨테이너를 교체합니다. 지우고, 같은 이미지와 같은 볼륨으로 새로 시작합니다. (새 컨테이너는 호스트 포트도 다릅니다.
# 다른 컨테이너이기 때문입니다. 같은 것은 볼륨뿐입니다.)

# %%
old_id = api.id
api.remove()
api = lab.run("todo-api", BACKEND, ports={8080: None}, volumes={"todo-data": "/data"}, wait="http:/actuator/health")
print("new container:", api.short_id, "(old one was", old_id[:10] + ")")
after = todos(api)
print("GET /api/todos →", after)
assert api.id != old_id
assert [t["title"] for t in after] == ["water the plants"]  # S9: the todo survived the container's replacement

# %% lang="ko"
old_id = api.id
api.remove()
api = lab.run("todo-api", BACKEND, ports={8080: None}, volumes={"todo-data": "/data"}, wait="http:/actuator/health")
print("새 컨테이너:", api.short_id, "(이전 컨테이너:", old_id[:10] + ")")
after = todos(api)
print("GET /api/todos →", after)
assert api.id != old_id
assert [t["title"] for t in after] == ["water the plants"]  # S9: 컨테이너를 교체해도 할 일이 살아남았습니다

# %% [markdown]
# For contrast, the same without our volume. The image declares `VOLUME /data`, so the engine still mounts a volume
# there: an **anonymous** one, with a random name, made for this one container. What happens to it when the container
# goes depends on **how** you remove the container: plain `docker rm` **keeps** anonymous volumes (they pile up,
# nameless, until `docker volume prune`); only `docker rm -v` removes them with the container.
#
# First the plain way — on purpose, through the SDK (`remove(force=True)` without `v=True` is `docker rm -f`):

# %% [markdown] lang="ko"
# 비교를 위해 우리 볼륨 없이 해 봅니다. 이미지가 `VOLUME /data`를 선언하므로 엔진은 여전히 그곳에 볼륨을 마운트합니다.
# 이 컨테이너 하나만을 위해 만든, 이름이 무작위인 **익명(anonymous)** 볼륨입니다. 컨테이너가 사라질 때 이 볼륨이 어떻게 되는지는
# 컨테이너를 **어떻게** 지우느냐에 달려 있습니다. 평범한 `docker rm`은 익명 볼륨을 **남겨 둡니다**(`docker volume prune` 전까지
# 이름 없이 쌓입니다). `docker rm -v`만 컨테이너와 함께 지웁니다.
#
# 먼저 평범한 방법으로, 일부러 SDK를 통해 지웁니다(`v=True` 없는 `remove(force=True)`는 `docker rm -f`입니다).

# %%
scratch_api = lab.run("scratch-api", BACKEND, ports={8080: None}, wait="http:/actuator/health")
anonymous = scratch_api.mount_at("/data").name
print("/data is the anonymous volume", anonymous[:16] + "…")
add_todo(scratch_api, "this one will be lost")
scratch_api.sdk.remove(force=True)
print(f"$ docker rm -f {scratch_api.name}")
sdk = lab.connect()  # plain docker-py: the kit's lab.volumes only knows the volumes it made (with your names)
kept = sdk.volumes.get(anonymous)  # `docker volume inspect <its name>`: it is still there, todo and all
print("after docker rm (no -v), the anonymous volume is still there:", kept.name[:16] + "…")
assert kept.name == anonymous  # docker rm keeps anonymous volumes
kept.remove()  # `docker volume rm <its name>`: it carries none of the kit's labels, so no reset would find it
print(f"$ docker volume rm {anonymous}")

# %% lang="ko"
scratch_api = lab.run("scratch-api", BACKEND, ports={8080: None}, wait="http:/actuator/health")
anonymous = scratch_api.mount_at("/data").name
print("/data는 익명 볼륨", anonymous[:16] + "…")
add_todo(scratch_api, "this one will be lost")
scratch_api.sdk.remove(force=True)
print(f"$ docker rm -f {scratch_api.name}")
sdk = lab.connect()  # 평범한 docker-py: 키트의 lab.volumes는 자기가 (여러분의 이름으로) 만든 볼륨만 압니다
kept = sdk.volumes.get(anonymous)  # `docker volume inspect <이름>`: 할 일까지 그대로 남아 있습니다
print("(-v 없이) docker rm 한 뒤에도 익명 볼륨이 남아 있습니다:", kept.name[:16] + "…")
assert kept.name == anonymous  # docker rm은 익명 볼륨을 남깁니다
kept.remove()  # `docker volume rm <이름>`: 키트의 레이블이 없으니 어떤 초기화도 찾지 못합니다
print(f"$ docker volume rm {anonymous}")

# %% [markdown]
# A new container gets a new anonymous volume, empty: the todo is gone for it. The kit's `remove()` is
# `docker rm -f -v` (its `.cli` says so): the anonymous volume goes with the container.

# %% [markdown] lang="ko"
# 새 컨테이너는 비어 있는 새 익명 볼륨을 받습니다. 그 컨테이너에게 할 일은 사라졌습니다. 키트의 `remove()`는
# `docker rm -f -v`입니다(`.cli`가 그렇게 말해 줍니다). 익명 볼륨은 컨테이너와 함께 사라집니다.

# %%
scratch_api = lab.run("scratch-api", BACKEND, ports={8080: None}, wait="http:/actuator/health")
lost = todos(scratch_api)
print("without a named volume, after replacement:", lost)
assert lost == []  # S8: without a volume the data died with the container
anonymous = scratch_api.mount_at("/data").name
print(scratch_api.remove())
assert anonymous not in {v.name for v in sdk.volumes.list()}  # -v: the anonymous volume went with it

# %% lang="ko"
scratch_api = lab.run("scratch-api", BACKEND, ports={8080: None}, wait="http:/actuator/health")
lost = todos(scratch_api)
print("이름 있는 볼륨 없이 교체한 뒤:", lost)
assert lost == []  # S8: 볼륨이 없으면 데이터는 컨테이너와 함께 사라집니다
anonymous = scratch_api.mount_at("/data").name
print(scratch_api.remove())
assert anonymous not in {v.name for v in sdk.volumes.list()}  # -v: 익명 볼륨도 함께 사라졌습니다

# %% [markdown]
# And the file itself, on the host side of the volume:

# %% [markdown] lang="ko"
# 그리고 볼륨의 호스트 쪽에 있는 파일 자체입니다.

# %%
todo_volume = lab.volumes.get("todo-data")
todo_file = Path(todo_volume.mountpoint) / "todos.json"
if os.path.isdir(todo_file.parent) and os.access(todo_file.parent, os.R_OK):
    print(todo_file, "→", todo_file.read_text())
    assert "water the plants" in todo_file.read_text()
else:
    print("(mountpoint not readable from here; `docker run --rm -v todo-data:/v debian cat /v/todos.json` shows it)")

# %% lang="ko"
todo_volume = lab.volumes.get("todo-data")
todo_file = Path(todo_volume.mountpoint) / "todos.json"
if os.path.isdir(todo_file.parent) and os.access(todo_file.parent, os.R_OK):
    print(todo_file, "→", todo_file.read_text())
    assert "water the plants" in todo_file.read_text()
else:
    print("(여기서는 마운트 지점을 읽을 수 없습니다. `docker run --rm -v todo-data:/v debian cat /v/todos.json`으로 볼 수 있습니다)")

# %% [markdown]
# ## 6. The demo as infrastructure: layers and non-functional requirements
# The article says a system's **infrastructure** is the *hardware, OS, network and middleware* an application runs on,
# and that requirements come in two kinds:
# - **functional**: what the system does — *store todos and list them*;
# - **non-functional**: how well and how safely it does it — it stays up, it is healthy, it cannot eat the whole
#   machine, it cannot be tampered with, its data is kept.
#
# With containers, a large part of the infrastructure comes **in the image**, and the non-functional requirements
# become **settings of the container**. First, the layers of our demo, read from the real engine and images:

# %% [markdown] lang="ko"
# ## 6. 인프라로서의 데모: 계층과 비기능 요구사항
# 원문은 시스템 인프라가 "일반적으로 응용프로그램을 가동시키기 위한 **하드웨어, OS, 네트워크, 미들웨어** 등을 의미하며,
# 일반적으로 '기능 요구사항'과 '비기능 요구사항'으로 나뉘게 된다"고 말합니다.
# - **기능 요구사항**: 시스템이 하는 일 — *할 일을 저장하고 나열합니다*.
# - **비기능 요구사항**: 그 일을 얼마나 잘, 얼마나 안전하게 하는가 — 계속 살아 있고, 정상이며, 컴퓨터 전체를 먹어 치우지 못하고,
#   변조될 수 없고, 데이터가 보존됩니다.
#
# 컨테이너에서는 인프라의 많은 부분이 **이미지 안에** 담겨 오고, 비기능 요구사항은 **컨테이너의 설정**이 됩니다. 먼저 실제 엔진과
# 이미지에서 읽어 낸 데모의 계층입니다.

# %%
engine = lab.engine_info()
java = json.load(urllib.request.urlopen(api.url(8080, "/api/info"), timeout=5))["java"]
os_release = api.exec("grep PRETTY_NAME /etc/os-release").output.split("=", 1)[-1].strip().strip('"')
FRONTEND = ensure_app("frontend")
frontend_cmd = lab.images.inspect(FRONTEND).cmd
nginx_probe = lab.run("nginx-version", FRONTEND, ["-v"], entrypoint=["nginx"])
nginx_probe.wait(timeout=30)
nginx_version = nginx_probe.logs().strip()
nginx_probe.remove()
network = api.networks[0]
layers = [
    ("hardware", f"{engine.cpus} CPU(s), {engine.memory / 2**30:.1f} GiB RAM, {engine.architecture}",
     "the machine (or cloud VM) the engine runs on"),
    ("OS (kernel)", f"Linux {engine.kernel} — {engine.os}", "the host's: shared by every container"),
    ("OS (user space)", os_release, f"in the image {BACKEND}"),
    ("network", f"bridge network '{network}', port 8080 published on {api.url(8080, '')}",
     "the engine's networking (chapter 05)"),
    ("middleware", f"Java runtime {java}", f"in the image {BACKEND} (JAVA_HOME=/opt/java)"),
    ("middleware", nginx_version, f"in the image {FRONTEND} (its command: {frontend_cmd[0]})"),
    ("storage", f"volume '{todo_volume.name}' at /data", "the engine's volumes, on the host's disk"),
    ("application", "todo API (app.jar), React UI", "the top layer of each image"),
]
display(Markdown("| layer | in our demo | supplied by |\n|---|---|---|\n"
                 + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in layers)))
assert java.startswith("17") and "nginx" in nginx_version  # S11: the images supply the middleware
print("on the host itself: java =", shutil.which("java"), "| nginx =", shutil.which("nginx"))

# %% lang="ko"
engine = lab.engine_info()
java = json.load(urllib.request.urlopen(api.url(8080, "/api/info"), timeout=5))["java"]
os_release = api.exec("grep PRETTY_NAME /etc/os-release").output.split("=", 1)[-1].strip().strip('"')
FRONTEND = ensure_app("frontend")
frontend_cmd = lab.images.inspect(FRONTEND).cmd
nginx_probe = lab.run("nginx-version", FRONTEND, ["-v"], entrypoint=["nginx"])
nginx_probe.wait(timeout=30)
nginx_version = nginx_probe.logs().strip()
nginx_probe.remove()
network = api.networks[0]
layers = [
    ("하드웨어", f"{engine.cpus} CPU(s), {engine.memory / 2**30:.1f} GiB RAM, {engine.architecture}",
     "엔진이 실행되는 컴퓨터(또는 클라우드 VM)"),
    ("OS (커널)", f"Linux {engine.kernel} — {engine.os}", "호스트의 것: 모든 컨테이너가 함께 씁니다"),
    ("OS (사용자 공간)", os_release, f"이미지 {BACKEND} 안"),
    ("네트워크", f"브리지 네트워크 '{network}', 포트 8080을 {api.url(8080, '')}에 공개",
     "엔진의 네트워킹 (05장)"),
    ("미들웨어", f"Java 런타임 {java}", f"이미지 {BACKEND} 안 (JAVA_HOME=/opt/java)"),
    ("미들웨어", nginx_version, f"이미지 {FRONTEND} 안 (명령: {frontend_cmd[0]})"),
    ("저장소", f"/data의 볼륨 '{todo_volume.name}'", "엔진의 볼륨, 호스트의 디스크"),
    ("애플리케이션", "할 일 API (app.jar), React UI", "각 이미지의 맨 위 레이어"),
]
display(Markdown("| 계층 | 우리 데모에서 | 제공하는 곳 |\n|---|---|---|\n"
                 + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in layers)))
assert java.startswith("17") and "nginx" in nginx_version  # S11: 이미지가 미들웨어를 제공합니다
print("호스트 자체에는: java =", shutil.which("java"), "| nginx =", shutil.which("nginx"))

# %% [markdown]
# Now the non-functional requirements. Each one becomes a setting of `docker run`:
#
# | requirement | setting |
# |---|---|
# | availability: come back after a crash or a reboot | `restart="unless-stopped"` (`--restart`) |
# | health: the engine knows when the app is really working | a **healthcheck** (the image's, here every 2 s) |
# | capacity: cannot eat the machine's memory | `mem_limit="256m"` (`--memory`) |
# | stability: cannot fork without end | `pids_limit=128` (`--pids-limit`) |
# | security: nobody changes the program's files | `read_only=True` (`--read-only`) + a `tmpfs` for `/tmp` |
# | security: not root | the image's `USER 10001` |
# | durability: data outlives the container | the volume at `/data` |
#
# We replace `todo-api` once more, this time with all of them, and wait until its healthcheck says *healthy*.

# %% [markdown] lang="ko"
# 이제 비기능 요구사항입니다. 각각이 `docker run`의 설정이 됩니다.
#
# | 요구사항 | 설정 |
# |---|---|
# | 가용성: 비정상 종료나 재부팅 후 돌아오기 | `restart="unless-stopped"` (`--restart`) |
# | 정상 상태: 앱이 정말 동작하는지 엔진이 앎 | **헬스체크(healthcheck)** (이미지의 것, 여기서는 2초마다) |
# | 용량: 컴퓨터의 메모리를 먹어 치우지 못함 | `mem_limit="256m"` (`--memory`) |
# | 안정성: 끝없이 fork하지 못함 | `pids_limit=128` (`--pids-limit`) |
# | 보안: 아무도 프로그램의 파일을 바꾸지 못함 | `read_only=True` (`--read-only`) + `/tmp`용 `tmpfs` |
# | 보안: root가 아님 | 이미지의 `USER 10001` |
# | 지속성: 데이터가 컨테이너보다 오래 남음 | `/data`의 볼륨 |
#
# `todo-api`를 한 번 더 교체합니다. 이번에는 이 설정을 모두 넣고, 헬스체크가 *healthy*라고 할 때까지 기다립니다.

# %%
api.remove()
api = lab.run("todo-api", BACKEND, ports={8080: None}, volumes={"todo-data": "/data"},
              restart="unless-stopped", mem_limit="256m", pids_limit=128, read_only=True, tmpfs={"/tmp": "size=16m"},
              healthcheck={"test": ["CMD", "/usr/local/bin/healthcheck"], "interval": 2, "timeout": 2, "retries": 3,
                           "start_period": 10},  # seconds
              wait="healthy", timeout=90)
print(api.cli)
assert [t["title"] for t in todos(api)] == ["water the plants"]  # functional: it still does its job

# %% lang="ko"
api.remove()
api = lab.run("todo-api", BACKEND, ports={8080: None}, volumes={"todo-data": "/data"},
              restart="unless-stopped", mem_limit="256m", pids_limit=128, read_only=True, tmpfs={"/tmp": "size=16m"},
              healthcheck={"test": ["CMD", "/usr/local/bin/healthcheck"], "interval": 2, "timeout": 2, "retries": 3,
                           "start_period": 10},  # 초
              wait="healthy", timeout=90)
print(api.cli)
assert [t["title"] for t in todos(api)] == ["water the plants"]  # 기능: 여전히 제 일을 합니다

# %% [markdown]
# Read the settings back from the engine (`docker inspect`), not from our cell: this is what the engine enforces.

# %% [markdown] lang="ko"
# 설정을 우리 셀이 아니라 엔진에서 다시 읽어 옵니다(`docker inspect`). 이것이 엔진이 실제로 적용하는 값입니다.

# %%
inspected = api.inspect()  # `docker inspect todo-api`: the engine's JSON, read field by field
host_config, config = inspected["HostConfig"], inspected["Config"]
settings = [
    ("restart policy", "HostConfig.RestartPolicy.Name", host_config["RestartPolicy"]["Name"]),
    ("healthcheck", "Config.Healthcheck.Test", " ".join(config["Healthcheck"]["Test"])),
    ("health now", "State.Health.Status", api.health),
    ("memory limit", "HostConfig.Memory", f"{host_config['Memory'] // 2**20} MiB"),
    ("pids limit", "HostConfig.PidsLimit", host_config["PidsLimit"]),
    ("read-only root", "HostConfig.ReadonlyRootfs", host_config["ReadonlyRootfs"]),
    ("user", "Config.User", config["User"]),
    ("data volume", "Mounts[/data]", next(m["Name"] for m in inspected["Mounts"] if m["Destination"] == "/data")),
]
display(Markdown("| non-functional need | field | value |\n|---|---|---|\n"
                 + "\n".join(f"| {a} | `{b}` | {c} |" for a, b, c in settings)))
# S11: the non-functional requirements are real settings of the running container
assert host_config["RestartPolicy"]["Name"] == "unless-stopped"
assert config["Healthcheck"]["Test"] and api.health == "healthy"
assert host_config["Memory"] == 256 * 2**20 and host_config["PidsLimit"] == 128
assert host_config["ReadonlyRootfs"] is True and config["User"] == "10001:10001"

# %% lang="ko"
inspected = api.inspect()  # `docker inspect todo-api`: 엔진의 JSON을 필드별로 읽습니다
host_config, config = inspected["HostConfig"], inspected["Config"]
settings = [
    ("재시작 정책", "HostConfig.RestartPolicy.Name", host_config["RestartPolicy"]["Name"]),
    ("헬스체크", "Config.Healthcheck.Test", " ".join(config["Healthcheck"]["Test"])),
    ("현재 상태", "State.Health.Status", api.health),
    ("메모리 제한", "HostConfig.Memory", f"{host_config['Memory'] // 2**20} MiB"),
    ("PID 제한", "HostConfig.PidsLimit", host_config["PidsLimit"]),
    ("읽기 전용 루트", "HostConfig.ReadonlyRootfs", host_config["ReadonlyRootfs"]),
    ("사용자", "Config.User", config["User"]),
    ("데이터 볼륨", "Mounts[/data]", next(m["Name"] for m in inspected["Mounts"] if m["Destination"] == "/data")),
]
display(Markdown("| 비기능 요구사항 | 필드 | 값 |\n|---|---|---|\n"
                 + "\n".join(f"| {a} | `{b}` | {c} |" for a, b, c in settings)))
# S11: 비기능 요구사항은 실행 중인 컨테이너의 실제 설정입니다
assert host_config["RestartPolicy"]["Name"] == "unless-stopped"
assert config["Healthcheck"]["Test"] and api.health == "healthy"
assert host_config["Memory"] == 256 * 2**20 and host_config["PidsLimit"] == 128
assert host_config["ReadonlyRootfs"] is True and config["User"] == "10001:10001"

# %% [markdown]
# ## Exercises
# ### Exercise 1 — keep your notes in a volume
# Create a volume **`my-notes`**, run a container **`keeper`** from `dockerlab/notes:1.0` with that volume mounted at
# **`/app/notes`**, and write a file **`/app/notes/keep.txt`** through `keeper`.

# %% [markdown] lang="ko"
# ## 연습 문제
# ### 연습 1 — 노트를 볼륨에 보관하기
# 볼륨 **`my-notes`를** 만들고, `dockerlab/notes:1.0`으로 컨테이너 **`keeper`를** 실행하되 그 볼륨을 **`/app/notes`에**
# 마운트하세요. 그리고 `keeper`를 통해 파일 **`/app/notes/keep.txt`를** 쓰세요.

# %%
### BEGIN SOLUTION
lab.volumes.create("my-notes")
keeper = lab.run("keeper", "dockerlab/notes:1.0", volumes={"my-notes": "/app/notes"})
wrote_keep = keeper.exec("echo 'this outlives keeper' > /app/notes/keep.txt")
print(keeper.cli, "| write ok:", wrote_keep.ok)
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
# ### Exercise 2 — run the backend with its data in a volume
# Run the todo backend (`dockerlab/backend:1.0`) as a container **`api`**, with a volume **`todos`** mounted at
# **`/data`**, and its port **8080 published on 127.0.0.1** (any free host port).

# %% [markdown] lang="ko"
# ### 연습 2 — 데이터를 볼륨에 둔 백엔드 실행하기
# 할 일 백엔드(`dockerlab/backend:1.0`)를 컨테이너 **`api`로** 실행하세요. 볼륨 **`todos`를** **`/data`에** 마운트하고,
# 포트 **8080을 127.0.0.1에 공개**해야 합니다(호스트 포트는 비어 있는 아무 포트나).

# %%
### BEGIN SOLUTION
lab.volumes.create("todos")
api_ex = lab.run("api", "dockerlab/backend:1.0", ports={8080: None}, volumes={"todos": "/data"},
                 wait="http:/actuator/health")
print(api_ex.cli)
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown]
# ### Exercise 3 — a read-only bind mount
# Make a folder on the host (for example with `tempfile.mkdtemp()`), and run a container **`viewer`** from
# `dockerlab/notes:1.0` with that folder bind-mounted **read-only** at **`/srv/shared`**.

# %% [markdown] lang="ko"
# ### 연습 3 — 읽기 전용 바인드 마운트
# 호스트에 폴더를 하나 만들고(예: `tempfile.mkdtemp()`), `dockerlab/notes:1.0`으로 컨테이너 **`viewer`를** 실행하되 그 폴더를
# **`/srv/shared`에** **읽기 전용**으로 바인드 마운트하세요.

# %%
### BEGIN SOLUTION
viewer_dir = tempfile.mkdtemp(prefix="dockerlab-viewer-")
viewer = lab.run("viewer", "dockerlab/notes:1.0", volumes={viewer_dir: "/srv/shared:ro"})
print(viewer.cli)
### END SOLUTION

# %%
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown]
# ## Recap
# - A **named volume** is storage the engine keeps outside containers: it survives their removal, several containers
#   can share it, and on a local engine it is a folder under `/var/lib/docker/volumes`.
# - A **bind mount** puts a host folder of your choice into a container: both sides see the same files. Add `:ro` to
#   protect them.
# - Files keep the **uid** of whoever wrote them: run the container with `user="<uid>:<gid>"` to write as yourself.
# - Replace a container, keep its volume, and the data is still there — that is how you upgrade a stateful app.
# - An image's `VOLUME` gives each container an **anonymous** volume: `docker rm` keeps it, `docker rm -v` removes it.
# - Infrastructure = hardware, OS, network, middleware: the image brings the OS user space and the middleware (Java,
#   nginx); the host brings the kernel and the hardware.
# - Non-functional requirements become container settings: restart policy, healthcheck, memory and pids limits,
#   read-only root, non-root user, volumes.
#
# ## Clean up
# This removes the chapter's containers **and its volumes** (`purge=True`): their data is deleted for good.
# The temporary host folders go too.

# %% [markdown] lang="ko"
# ## 정리
# - **이름 있는 볼륨**은 엔진이 컨테이너 밖에 보관하는 저장소입니다. 컨테이너를 지워도 남고, 여러 컨테이너가 함께 쓸 수 있으며,
#   로컬 엔진에서는 `/var/lib/docker/volumes` 아래의 폴더입니다.
# - **바인드 마운트**는 여러분이 고른 호스트 폴더를 컨테이너에 넣습니다. 양쪽이 같은 파일을 봅니다. `:ro`를 붙여 보호하세요.
# - 파일에는 쓴 사람의 **uid**가 남습니다. `user="<uid>:<gid>"`로 컨테이너를 실행하면 여러분으로서 씁니다.
# - 컨테이너를 교체해도 볼륨을 유지하면 데이터는 그대로입니다. 상태가 있는 앱은 이렇게 업그레이드합니다.
# - 이미지의 `VOLUME`은 컨테이너마다 **익명** 볼륨을 줍니다. `docker rm`은 남겨 두고, `docker rm -v`는 지웁니다.
# - 인프라 = 하드웨어, OS, 네트워크, 미들웨어: 이미지는 OS 사용자 공간과 미들웨어(Java, nginx)를 가져오고, 호스트는 커널과
#   하드웨어를 줍니다.
# - 비기능 요구사항은 컨테이너 설정이 됩니다: 재시작 정책, 헬스체크, 메모리와 PID 제한, 읽기 전용 루트, root가 아닌 사용자, 볼륨.
#
# ## 뒷정리
# 이 장의 컨테이너와 **볼륨까지** 지웁니다(`purge=True`). 볼륨의 데이터는 영영 지워집니다. 임시 호스트 폴더도 지웁니다.

# %%
ch.reset(purge=True)
for folder in [host_dir] + [Path(p) for p in [globals().get("viewer_dir")] if p]:
    shutil.rmtree(folder, ignore_errors=True)
assert lab.leaks(chapter="04") == []
