# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 03 · The read-only image model
#
# *"A Docker image file is read-only. All the data created from the moment the image runs piles up inside the
# container — or, with a volume, in the host's storage. The image itself is never changed or saved."*
# — the article this course follows calls this the part beginners confuse most.
#
# **In this chapter you will**
# 1. take the fingerprint of an image: its ID, its creation date and the digests of its layers;
# 2. write files inside a running container and find them in the container's own **writable layer** (`docker diff`),
#    while the image's fingerprint stays the same;
# 3. remove the container and see its data go with it; start a new one and see it start clean;
# 4. make the container's root filesystem read-only, with a small scratch area in memory (`tmpfs`);
# 5. run an image many times without changing it — and meet the three things that *do* make a new image:
#    `docker commit`, `docker build` and `docker import`.

# %% [markdown] lang="ko"
# # 03 · 읽기 전용 이미지 모델
#
# *"도커 이미지파일은 읽기 전용파일이며 이미지를 실행시켰을때 부터 만들어지는 모든 데이터는 컨테이너안에 쌓이거나, volume 설정을
# 했을 시 호스트의 저장소에 쌓이게 된다. 도커를 처음 접하는 사람들이 가장 많이 혼동하는 부분 중 하나이다."*
# 그리고 *"**절대 도커 이미지 자체가 변경되거나 저장되는것이 아니다.**"* — 이 과정이 따라가는 글은 이 부분을 초보자가 가장
# 많이 헷갈리는 부분이라고 말합니다.
#
# **이 장에서 할 일**
# 1. 이미지의 지문을 뜹니다. 이미지 ID, 생성 날짜, 레이어(layer)들의 다이제스트(digest)입니다.
# 2. 실행 중인 컨테이너 안에 파일을 쓰고, 그 파일을 컨테이너 자신의 **쓰기 가능한 레이어**(writable layer)에서 찾습니다
#    (`docker diff`). 그동안 이미지의 지문은 그대로입니다.
# 3. 컨테이너를 지우면 데이터도 함께 사라지는 것을 봅니다. 새 컨테이너는 깨끗하게 시작합니다.
# 4. 컨테이너의 루트 파일 시스템을 읽기 전용으로 만들고, 메모리에 작은 작업 공간(`tmpfs`)을 둡니다.
# 5. 이미지를 여러 번 실행해도 바뀌지 않는 것을 확인하고, 새 이미지를 *만드는* 세 가지 방법을 만납니다:
#    `docker commit`, `docker build`, `docker import`.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind.

# %% [markdown] lang="ko"
# ## 장 시작하기
# 이 셀은 키트를 불러오고, 이 장을 예전에 실행하면서 남은 것을 모두 지웁니다.

# %%
import os
import time
from pathlib import Path

import dockerlab as lab
from dockerlab.course import ensure_app
from dockerlab.display.layerstack import layer_stack
from dockerlab.exercises import ch03 as ex
from dockerlab.rootfs import import_image

ch = lab.start_chapter("03", "The read-only image model", lang="en")
ch.reset()

# %% lang="ko"
import os
import time
from pathlib import Path

import dockerlab as lab
from dockerlab.course import ensure_app
from dockerlab.display.layerstack import layer_stack
from dockerlab.exercises import ch03 as ex
from dockerlab.rootfs import import_image

ch = lab.start_chapter("03", "읽기 전용 이미지 모델", lang="ko")
ch.reset()

# %% [markdown]
# ## 1. An image has a fingerprint
# We use the course's small **notes** image (`dockerlab/notes:1.0`, built from `images/notes/`).
# An image is a stack of read-only **layers**. Three things identify it:
# - its **ID**: a digest (sha256) of its *config*, which names every layer (on the containerd image store: of its
#   *manifest*, which names the config — chapter 02) — change one byte and the ID changes;
# - its **creation date**, written once when it was built;
# - the **digests of its layers** (`RootFS.Layers`): the sha256 of each layer's files as an uncompressed tar.
#
# `docker image inspect` shows them. The cell keeps them in `before`, so that we can compare later.

# %% [markdown] lang="ko"
# ## 1. 이미지에는 지문이 있습니다
# 이 과정의 작은 **notes** 이미지(`dockerlab/notes:1.0`, `images/notes/`에서 빌드)를 씁니다.
# 이미지는 읽기 전용 **레이어**가 쌓인 것입니다. 세 가지가 이미지를 식별합니다.
# - **ID**: 모든 레이어를 가리키는 *설정*(config)의 다이제스트(sha256)입니다(containerd 이미지 저장소에서는 설정을 가리키는
#   *매니페스트*(manifest)의 다이제스트입니다 — 02장). 한 바이트만 바뀌어도 ID가 바뀝니다.
# - **생성 날짜**: 빌드할 때 한 번 기록됩니다.
# - **레이어들의 다이제스트**(`RootFS.Layers`): 각 레이어의 파일을 압축하지 않은 tar로 묶었을 때의 sha256입니다.
#
# `docker image inspect`가 이것들을 보여 줍니다. 이 셀은 나중에 비교할 수 있도록 `before`에 보관합니다.

# %%
NOTES = ensure_app("notes")


def fingerprint(ref: str) -> dict:
    """What identifies an image: ID, creation date, layer digests."""
    image = lab.images.inspect(ref)
    return {"id": image.id, "created": image.created, "layers": image.layers}


before = fingerprint(NOTES)
print("$ docker image inspect", NOTES)
print("ID      :", before["id"])
print("created :", before["created"])
for number, digest in enumerate(before["layers"]):
    print(f"layer {number} : {digest[:23]}…")
assert before["id"].startswith("sha256:") and before["layers"]

# %% lang="ko"
NOTES = ensure_app("notes")


def fingerprint(ref: str) -> dict:
    """이미지를 식별하는 것: ID, 생성 날짜, 레이어 다이제스트."""
    image = lab.images.inspect(ref)
    return {"id": image.id, "created": image.created, "layers": image.layers}


before = fingerprint(NOTES)
print("$ docker image inspect", NOTES)
print("ID      :", before["id"])
print("생성    :", before["created"])
for number, digest in enumerate(before["layers"]):
    print(f"레이어 {number}: {digest[:23]}…")
assert before["id"].startswith("sha256:") and before["layers"]

# %% [markdown]
# Which instruction of the Dockerfile made each layer? The layer stack shows it, base at the bottom.
# Rows without a size only changed the image's settings (like `CMD` or `ENV`): they hold no files.

# %% [markdown] lang="ko"
# Dockerfile의 어떤 명령어가 각 레이어를 만들었을까요? 레이어 스택(layer stack)이 보여 줍니다. 베이스가 맨 아래입니다.
# 크기가 없는 줄은 이미지의 설정(`CMD`나 `ENV` 같은)만 바꾼 것이고, 파일은 담고 있지 않습니다.

# %%
layer_stack(NOTES, top_first=True)

# %% [markdown]
# ## 2. Writing inside a running container
# A container is the image's layers **plus one thin layer of its own on top**, the *writable layer*.
# Everything the container writes goes there.
#
# The notes app is made for this: while it runs, it appends a line to `/app/notes/notes.txt` every 5 seconds.
# We start a container called `pad` and wait for its first note (`wait="log:note 1"` waits for that log line).

# %% [markdown] lang="ko"
# ## 2. 실행 중인 컨테이너 안에 쓰기
# 컨테이너는 이미지의 레이어들 **위에 자기만의 얇은 레이어 하나**를 더한 것입니다. 이것이 *쓰기 가능한 레이어*입니다.
# 컨테이너가 쓰는 모든 것은 그곳에 들어갑니다.
#
# notes 앱은 바로 이것을 보여 주려고 만든 앱입니다. 실행되는 동안 5초마다 `/app/notes/notes.txt`에 한 줄씩 덧붙입니다.
# `pad`라는 컨테이너를 시작하고 첫 번째 노트를 기다립니다(`wait="log:note 1"`은 그 로그 줄을 기다립니다).

# %%
pad = lab.run("pad", NOTES, wait="log:note 1")
print(pad.cli)
print(pad.logs())

# %% [markdown]
# We also write a file ourselves. `exec` runs a command inside the running container, like `docker exec`;
# it gives back the exit code and the output.

# %% [markdown] lang="ko"
# 우리도 직접 파일을 하나 써 봅니다. `exec`는 `docker exec`처럼 실행 중인 컨테이너 안에서 명령을 실행하고,
# 종료 코드와 출력을 돌려줍니다.

# %%
wrote = pad.exec("echo 'buy milk' > /app/notes/today.txt && ls -l /app/notes")
print(wrote.cli)
print(wrote.output)
assert wrote.ok, wrote.output

# %% [markdown]
# Where did the files go? `docker diff` lists what the container **A**dded, **C**hanged or **D**eleted compared with
# its image. That list *is* the writable layer: the app's `notes.txt` and our `today.txt` are both in it.

# %% [markdown] lang="ko"
# 파일은 어디로 갔을까요? `docker diff`는 컨테이너가 이미지와 비교해 무엇을 추가(**A**dded)하고, 바꾸고(**C**hanged),
# 지웠는지(**D**eleted)를 나열합니다. 그 목록이 *바로* 쓰기 가능한 레이어입니다. 앱의 `notes.txt`와 우리의 `today.txt`가 모두 들어 있습니다.

# %%
changes = pad.diff()
print(f"$ docker diff {pad.name}")
for kind, path in changes:
    print(kind, path)
assert ("A", "/app/notes/today.txt") in changes  # S7: the new files are in the container's own layer
assert ("A", "/app/notes/notes.txt") in changes

# %% lang="ko"
changes = pad.diff()
print(f"$ docker diff {pad.name}")
for kind, path in changes:
    print(kind, path)
assert ("A", "/app/notes/today.txt") in changes  # S7: 새 파일은 컨테이너 자신의 레이어에 있습니다
assert ("A", "/app/notes/notes.txt") in changes

# %% [markdown]
# Here is the whole stack of `pad`: the writable layer (**W**) on top of the image's read-only layers.
# The image's rows are exactly the ones we saw in section 1.

# %% [markdown] lang="ko"
# `pad`의 전체 스택입니다. 이미지의 읽기 전용 레이어들 위에 쓰기 가능한 레이어(**W**)가 있습니다.
# 이미지의 줄들은 1절에서 본 것과 똑같습니다.

# %%
layer_stack(pad, top_first=True)

# %% [markdown]
# Now the important question: **did the image change?** Take its fingerprint again and compare.

# %% [markdown] lang="ko"
# 이제 중요한 질문입니다. **이미지가 바뀌었을까요?** 지문을 다시 떠서 비교해 봅시다.

# %%
now = fingerprint(NOTES)
print("same ID           :", now["id"] == before["id"])
print("same creation date:", now["created"] == before["created"])
print("same layers       :", now["layers"] == before["layers"])
# S7: writing in a container leaves its image as it was
assert now == before, "the image changed — it never should"

# %% lang="ko"
now = fingerprint(NOTES)
print("같은 ID       :", now["id"] == before["id"])
print("같은 생성 날짜:", now["created"] == before["created"])
print("같은 레이어   :", now["layers"] == before["layers"])
# S7: 컨테이너 안에 써도 이미지는 그대로입니다
assert now == before, "이미지가 바뀌었습니다 — 절대 바뀌면 안 됩니다"

# %% [markdown]
# The writable layer is an ordinary folder on the engine's disk. With the `overlay2` storage driver the engine
# *stacks* folders: the image's layers are read-only **lower** folders, the container's own layer is the **upper**
# folder. When the engine runs on this machine (and we may read its files), we can look into it:

# %% [markdown] lang="ko"
# 쓰기 가능한 레이어는 엔진 디스크의 평범한 폴더입니다. `overlay2` 스토리지 드라이버에서 엔진은 폴더를 *쌓습니다*.
# 이미지의 레이어들은 읽기 전용 **lower** 폴더이고, 컨테이너 자신의 레이어는 **upper** 폴더입니다. 엔진이 이 컴퓨터에서
# 실행되고 그 파일을 읽을 수 있다면 안을 들여다볼 수 있습니다.

# %%
graph = pad.inspect()["GraphDriver"]  # `docker inspect`'s GraphDriver: the storage driver and its folders
print("storage driver:", graph["Name"])
upper = Path((graph.get("Data") or {}).get("UpperDir") or "/nonexistent")  # vfs (rootless, Podman) has no Data
host_sees_layers = graph["Name"] == "overlay2" and os.path.isdir(upper)  # False when we may not look
if host_sees_layers:
    note = upper / "app" / "notes" / "today.txt"
    print("the container's layer:", upper)
    print("our note, read from the host:", note.read_text().strip())
    lower = graph["Data"]["LowerDir"].split(":")
    print("below it:", len(lower), "read-only folders (the image's layers, and a small '-init' layer of the engine)")
    assert note.read_text().strip() == "buy milk"
elif graph["Name"] != "overlay2":
    print(f"(this engine keeps each layer as a whole copy ({graph['Name']}): no upper and lower folders to look at)")
else:
    print("(the engine's files are not visible from here — e.g. Docker Desktop keeps them inside its VM)")

# %% lang="ko"
graph = pad.inspect()["GraphDriver"]  # `docker inspect`의 GraphDriver: 스토리지 드라이버와 그 폴더들
print("스토리지 드라이버:", graph["Name"])
upper = Path((graph.get("Data") or {}).get("UpperDir") or "/nonexistent")  # vfs(루트리스, Podman)에는 Data가 없습니다
host_sees_layers = graph["Name"] == "overlay2" and os.path.isdir(upper)  # 들여다볼 수 없으면 False
if host_sees_layers:
    note = upper / "app" / "notes" / "today.txt"
    print("컨테이너의 레이어:", upper)
    print("호스트에서 읽은 우리 노트:", note.read_text().strip())
    lower = graph["Data"]["LowerDir"].split(":")
    print("그 아래:", len(lower), "개의 읽기 전용 폴더 (이미지의 레이어들과 엔진의 작은 '-init' 레이어)")
    assert note.read_text().strip() == "buy milk"
elif graph["Name"] != "overlay2":
    print(f"(이 엔진은 레이어마다 전체를 복사해 둡니다 ({graph['Name']}): 들여다볼 upper, lower 폴더가 없습니다)")
else:
    print("(여기서는 엔진의 파일이 보이지 않습니다 — 예: Docker Desktop은 VM 안에 둡니다)")

# %% [markdown]
# ### Changing and deleting files of the image
# What if the container changes or deletes a file that *belongs to the image*? The engine first copies the file up
# into the writable layer and changes the copy (*copy-on-write*); a deletion is recorded as a marker (a *whiteout*).
# The image's own copy is never touched.
#
# The image has `/app/readme.txt`, which the app's user may edit. Deleting `/etc/debian_version` needs root:
# `exec(..., user="root")` is `docker exec -u root`.

# %% [markdown] lang="ko"
# ### 이미지의 파일을 바꾸거나 지우면
# 컨테이너가 *이미지에 속한* 파일을 바꾸거나 지우면 어떻게 될까요? 엔진은 먼저 그 파일을 쓰기 가능한 레이어로 복사해 올리고
# 복사본을 바꿉니다(*copy-on-write*). 삭제는 표시(*whiteout*)로 기록됩니다. 이미지 자신의 파일은 절대 건드리지 않습니다.
#
# 이미지에는 앱 사용자가 고칠 수 있는 `/app/readme.txt`가 있습니다. `/etc/debian_version`을 지우려면 root가 필요합니다.
# `exec(..., user="root")`는 `docker exec -u root`입니다.

# %%
assert pad.exec("echo 'edited in pad' >> /app/readme.txt").ok
removed = pad.exec("rm /etc/debian_version", user="root")
print(removed.cli)
assert removed.ok, removed.output
changes = {path: kind for kind, path in pad.diff()}
for path in ("/app/readme.txt", "/etc/debian_version"):
    print(changes.get(path), path)
assert changes.get("/app/readme.txt") == "C" and changes.get("/etc/debian_version") == "D"
assert fingerprint(NOTES) == before  # S7: still the same image

# %% lang="ko"
assert pad.exec("echo 'edited in pad' >> /app/readme.txt").ok
removed = pad.exec("rm /etc/debian_version", user="root")
print(removed.cli)
assert removed.ok, removed.output
changes = {path: kind for kind, path in pad.diff()}
for path in ("/app/readme.txt", "/etc/debian_version"):
    print(changes.get(path), path)
assert changes.get("/app/readme.txt") == "C" and changes.get("/etc/debian_version") == "D"
assert fingerprint(NOTES) == before  # S7: 여전히 같은 이미지

# %% [markdown]
# A second container from the same image proves it: the file `pad` deleted is still there for it, the readme has no
# edit, and `pad`'s note is not there. Each container has **its own** writable layer.

# %% [markdown] lang="ko"
# 같은 이미지로 만든 두 번째 컨테이너가 증거입니다. `pad`가 지운 파일이 여기에는 그대로 있고, readme는 고쳐지지 않았고,
# `pad`의 노트도 없습니다. 컨테이너마다 **자기만의** 쓰기 가능한 레이어가 있습니다.

# %%
other = lab.run("other", NOTES)
has_version = other.exec("test -e /etc/debian_version").ok
readme_edited = "edited in pad" in other.exec("cat /app/readme.txt").output
has_today = other.exec("test -e /app/notes/today.txt").ok
print("in 'other': /etc/debian_version exists:", has_version, "| readme edited:", readme_edited,
      "| today.txt exists:", has_today)
assert has_version and not readme_edited and not has_today  # S8: containers do not share their writable layers
other.remove()

# %% lang="ko"
other = lab.run("other", NOTES)
has_version = other.exec("test -e /etc/debian_version").ok
readme_edited = "edited in pad" in other.exec("cat /app/readme.txt").output
has_today = other.exec("test -e /app/notes/today.txt").ok
print("'other' 안: /etc/debian_version 있음:", has_version, "| readme 고쳐짐:", readme_edited,
      "| today.txt 있음:", has_today)
assert has_version and not readme_edited and not has_today  # S8: 컨테이너들은 쓰기 가능한 레이어를 공유하지 않습니다
other.remove()

# %% [markdown]
# ## 3. Remove the container, and its data is gone
# Stopping a container keeps its writable layer: start it again and the files are still there — the app even says
# how many notes it found.

# %% [markdown] lang="ko"
# ## 3. 컨테이너를 지우면 데이터도 사라집니다
# 컨테이너를 정지해도 쓰기 가능한 레이어는 남아 있습니다. 다시 시작하면 파일이 그대로 있고, 앱도 노트를 몇 개 찾았는지 알려 줍니다.

# %%
pad.stop()
pad.start()
time.sleep(1)
print(pad.logs(tail=2))
assert pad.exec("cat /app/notes/today.txt").output.strip() == "buy milk"
print("after stop + start, today.txt is still there")

# %% lang="ko"
pad.stop()
pad.start()
time.sleep(1)
print(pad.logs(tail=2))
assert pad.exec("cat /app/notes/today.txt").output.strip() == "buy milk"
print("정지 + 시작 후에도 today.txt가 그대로 있습니다")

# %% [markdown]
# **Removing** the container deletes its writable layer — and every file in it.

# %% [markdown] lang="ko"
# 컨테이너를 **지우면** 쓰기 가능한 레이어와 그 안의 모든 파일이 지워집니다.

# %%
print(pad.remove())  # -f: stop it first; -v: its anonymous volumes too (chapter 04)
assert lab.containers.find("pad") is None
if host_sees_layers:
    assert not os.path.exists(upper)  # S8: the writable layer's folder is deleted with the container
    print("its layer folder is gone from the host too:", upper)

# %% lang="ko"
print(pad.remove())  # -f: 먼저 정지, -v: 익명 볼륨까지 (04장)
assert lab.containers.find("pad") is None
if host_sees_layers:
    assert not os.path.exists(upper)  # S8: 쓰기 가능한 레이어의 폴더는 컨테이너와 함께 지워집니다
    print("레이어 폴더가 호스트에서도 사라졌습니다:", upper)

# %% [markdown]
# Start a new container with the same name, from the same image. It starts from the image again: **clean**.

# %% [markdown] lang="ko"
# 같은 이미지로 같은 이름의 새 컨테이너를 시작합니다. 다시 이미지에서 시작하므로 **깨끗합니다**.

# %%
pad = lab.run("pad", NOTES, wait="log:note 1")
print(pad.logs())
fresh = pad.exec("test -e /app/notes/today.txt")
print(fresh.cli, "→ exit code", fresh.exit_code, "(1 means: no such file)")
assert "(0 already there)" in pad.logs()  # S8: the app's notes died with the old container …
assert fresh.exit_code != 0  # … and so did ours
assert pad.exec("test -e /etc/debian_version").ok  # the deleted file is back

# %% lang="ko"
pad = lab.run("pad", NOTES, wait="log:note 1")
print(pad.logs())
fresh = pad.exec("test -e /app/notes/today.txt")
print(fresh.cli, "→ 종료 코드", fresh.exit_code, "(1은 파일이 없다는 뜻)")
assert "(0 already there)" in pad.logs()  # S8: 앱의 노트는 이전 컨테이너와 함께 사라졌고 …
assert fresh.exit_code != 0  # … 우리 노트도 마찬가지입니다
assert pad.exec("test -e /etc/debian_version").ok  # 지웠던 파일이 돌아왔습니다

# %% [markdown]
# The lesson: **a container's files are temporary.** Data that must outlive the container belongs in a *volume* —
# the next chapter.

# %% [markdown] lang="ko"
# 교훈: **컨테이너의 파일은 임시입니다.** 컨테이너보다 오래 남아야 하는 데이터는 *볼륨*(volume)에 두어야 합니다. 다음 장의 주제입니다.

# %% [markdown]
# ## 4. A read-only root filesystem
# You can make the rule strict: `read_only=True` (`docker run --read-only`) makes the container's root filesystem
# refuse every write. The notes app needs to write, so on its own it stops at once — its log says why:

# %% [markdown] lang="ko"
# ## 4. 읽기 전용 루트 파일 시스템
# 규칙을 엄격하게 만들 수도 있습니다. `read_only=True`(`docker run --read-only`)는 컨테이너의 루트 파일 시스템이 모든 쓰기를
# 거부하게 합니다. notes 앱은 써야 하므로 혼자서는 곧바로 멈춥니다. 로그가 이유를 말해 줍니다.

# %%
strict = lab.run("strict", NOTES, read_only=True)
exit_code = strict.wait(timeout=30)
print(strict.cli)
print("exit code", exit_code)
print(strict.logs())
assert exit_code != 0 and "Read-only file system" in strict.logs()  # S7: the root filesystem refuses writes
strict.remove()

# %% lang="ko"
strict = lab.run("strict", NOTES, read_only=True)
exit_code = strict.wait(timeout=30)
print(strict.cli)
print("종료 코드", exit_code)
print(strict.logs())
assert exit_code != 0 and "Read-only file system" in strict.logs()  # S7: 루트 파일 시스템이 쓰기를 거부합니다
strict.remove()

# %% [markdown]
# Programs need *some* place to write. A `tmpfs` is a folder kept in memory, gone when the container stops. We mount
# one at `/tmp` and tell the app to keep its notes there (its `NOTES_FILE` setting):

# %% [markdown] lang="ko"
# 프로그램에는 쓸 곳이 *조금은* 필요합니다. `tmpfs`는 메모리에 두는 폴더로, 컨테이너가 멈추면 사라집니다. `/tmp`에 하나
# 마운트하고 앱에게 노트를 그곳에 두라고 알려 줍니다(앱의 `NOTES_FILE` 설정).

# %%
locked_demo = lab.run("locked-demo", NOTES, read_only=True, tmpfs={"/tmp": "size=16m"},
                      env={"NOTES_FILE": "/tmp/notes.txt"}, wait="log:note 1")
print(locked_demo.cli)
refused = locked_demo.exec("echo 'try' > /app/notes/try.txt")
print(refused.cli, "→ exit code", refused.exit_code, "|", refused.output.strip())
assert refused.exit_code != 0 and "Read-only file system" in refused.output  # S7: writes to the image's files fail

scratch = locked_demo.exec("echo 'scratch' > /tmp/scratch.txt && cat /tmp/scratch.txt")
print(scratch.cli, "→ exit code", scratch.exit_code, "|", scratch.output.strip())
assert scratch.ok and scratch.output.strip() == "scratch"  # only the tmpfs takes writes
print("writable layer:", locked_demo.diff(), "(empty: nothing was written into the container's own layer)")
assert all(not path.startswith("/app") for _, path in locked_demo.diff())
print("HostConfig.ReadonlyRootfs:", locked_demo.host_config["ReadonlyRootfs"])
print("HostConfig.Tmpfs         :", locked_demo.host_config["Tmpfs"])

# %% lang="ko"
locked_demo = lab.run("locked-demo", NOTES, read_only=True, tmpfs={"/tmp": "size=16m"},
                      env={"NOTES_FILE": "/tmp/notes.txt"}, wait="log:note 1")
print(locked_demo.cli)
refused = locked_demo.exec("echo 'try' > /app/notes/try.txt")
print(refused.cli, "→ 종료 코드", refused.exit_code, "|", refused.output.strip())
assert refused.exit_code != 0 and "Read-only file system" in refused.output  # S7: 이미지의 파일에 쓰기는 실패합니다

scratch = locked_demo.exec("echo 'scratch' > /tmp/scratch.txt && cat /tmp/scratch.txt")
print(scratch.cli, "→ 종료 코드", scratch.exit_code, "|", scratch.output.strip())
assert scratch.ok and scratch.output.strip() == "scratch"  # tmpfs만 쓰기를 받습니다
print("쓰기 가능한 레이어:", locked_demo.diff(), "(비어 있음: 컨테이너 자신의 레이어에는 아무것도 쓰이지 않았습니다)")
assert all(not path.startswith("/app") for _, path in locked_demo.diff())
print("HostConfig.ReadonlyRootfs:", locked_demo.host_config["ReadonlyRootfs"])
print("HostConfig.Tmpfs         :", locked_demo.host_config["Tmpfs"])

# %% [markdown]
# A read-only root filesystem is a good habit for production: an attacker (or a bug) cannot change the program's
# files, and everything the program writes goes to places you chose on purpose (a tmpfs, or a volume).

# %% [markdown] lang="ko"
# 읽기 전용 루트 파일 시스템은 운영 환경에서 좋은 습관입니다. 공격자(나 버그)가 프로그램의 파일을 바꿀 수 없고, 프로그램이
# 쓰는 모든 것은 여러분이 일부러 고른 곳(tmpfs나 볼륨)으로 갑니다.

# %% [markdown]
# ## 5. Running an image never changes it
# Let us run the image five times. Each run appends a line to a log file and prints the file.
# If runs could change the image, the file would grow from run to run.

# %% [markdown] lang="ko"
# ## 5. 이미지를 실행해도 이미지는 바뀌지 않습니다
# 이미지를 다섯 번 실행해 봅시다. 실행할 때마다 로그 파일에 한 줄을 덧붙이고 파일을 출력합니다.
# 실행이 이미지를 바꿀 수 있다면 파일은 실행할 때마다 길어질 것입니다.

# %%
started = time.monotonic()
for i in range(1, 6):
    run = lab.run(f"run-{i}", NOTES, ["sh", "-c", f"echo 'run {i}' >> /app/notes/runs.log; cat /app/notes/runs.log"])
    run.wait(timeout=30)
    printed = run.logs().strip()
    print(f"run {i} saw: {printed!r}")
    assert printed == f"run {i}"  # S8: every run starts from the clean image
    run.remove()
print(f"5 containers created, run and removed in {time.monotonic() - started:.1f} s")

after_runs = fingerprint(NOTES)
assert after_runs == before  # S10: same ID, same creation date, same layers after any number of runs
print("image ID and creation date unchanged:", after_runs["id"][:19], after_runs["created"])

# %% lang="ko"
started = time.monotonic()
for i in range(1, 6):
    run = lab.run(f"run-{i}", NOTES, ["sh", "-c", f"echo 'run {i}' >> /app/notes/runs.log; cat /app/notes/runs.log"])
    run.wait(timeout=30)
    printed = run.logs().strip()
    print(f"{i}번째 실행이 본 내용: {printed!r}")
    assert printed == f"run {i}"  # S8: 모든 실행은 깨끗한 이미지에서 시작합니다
    run.remove()
print(f"컨테이너 5개를 만들고 실행하고 지우는 데 {time.monotonic() - started:.1f}초")

after_runs = fingerprint(NOTES)
assert after_runs == before  # S10: 몇 번을 실행해도 같은 ID, 같은 생성 날짜, 같은 레이어
print("이미지 ID와 생성 날짜는 그대로:", after_runs["id"][:19], after_runs["created"])

# %% [markdown]
# ## 6. What *does* make a new image: `commit`, `build` and `import`
# Running never changes an image. Three commands make a **new** one (besides `docker pull` and `docker load`, which
# copy an image that already exists somewhere else):
# - **`docker commit`** saves a container's writable layer as a new layer on top of its image — a *new* image with a
#   *new* ID. The old image stays as it was. (Handy for an experiment; a Dockerfile is better for anything you keep.)
# - **`docker build`** runs a Dockerfile and makes a new image, also with a new ID.
# - **`docker import`** turns a plain archive of files (a root filesystem) into an image with **one** layer and no
#   build history.
#
# `pad.commit("notes-snapshot:demo")` does the first; in plain docker-py it is
# `container.commit(repository=..., tag=..., conf={"Labels": ...})` — the kit adds its labels so that the chapter's
# reset can remove the image again.

# %% [markdown] lang="ko"
# ## 6. 새 이미지를 *만드는* 것: `commit`, `build`, `import`
# 실행은 이미지를 절대 바꾸지 않습니다. **새** 이미지를 만드는 명령은 세 가지입니다(다른 곳에 이미 있는 이미지를 복사해 오는
# `docker pull`과 `docker load`는 빼고).
# - **`docker commit`은** 컨테이너의 쓰기 가능한 레이어를 그 이미지 위의 새 레이어로 저장합니다. *새* ID를 가진 *새* 이미지입니다.
#   원래 이미지는 그대로입니다. (실험에는 편리하지만, 오래 쓸 것은 Dockerfile이 낫습니다.)
# - **`docker build`는** Dockerfile을 실행해 새 이미지를 만듭니다. 역시 새 ID입니다.
# - **`docker import`는** 파일들을 묶은 평범한 아카이브(루트 파일 시스템)를 레이어가 **하나**뿐이고 빌드 기록이 없는 이미지로 바꿉니다.
#
# `pad.commit("notes-snapshot:demo")`가 첫 번째 방법입니다. 평범한 docker-py로는
# `container.commit(repository=..., tag=..., conf={"Labels": ...})`입니다. 키트는 이 장의 초기화가 이미지를 다시 지울 수 있도록
# 자기 레이블을 붙입니다.

# %%
assert pad.exec("echo 'keep me' > /app/notes/keep.txt").ok
snapshot = pad.commit("notes-snapshot:demo")
print(snapshot.cli)
snap = fingerprint(snapshot.id)
print("base image ID    :", before["id"][:19], "with", len(before["layers"]), "layers")
print("snapshot image ID:", snap["id"][:19], "with", len(snap["layers"]), "layers")
assert snap["id"] != before["id"]  # S10: commit made a NEW image …
assert snap["layers"][:-1] == before["layers"] and len(snap["layers"]) == len(before["layers"]) + 1  # … one layer more
assert fingerprint(NOTES) == before  # … and the base image did not change
print("the snapshot's top layer holds everything pad wrote: keep.txt, and the app's notes.txt too")

# %% lang="ko"
assert pad.exec("echo 'keep me' > /app/notes/keep.txt").ok
snapshot = pad.commit("notes-snapshot:demo")
print(snapshot.cli)
snap = fingerprint(snapshot.id)
print("베이스 이미지 ID:", before["id"][:19], "레이어", len(before["layers"]), "개")
print("스냅숏 이미지 ID:", snap["id"][:19], "레이어", len(snap["layers"]), "개")
assert snap["id"] != before["id"]  # S10: commit은 새 이미지를 만들었고 …
assert snap["layers"][:-1] == before["layers"] and len(snap["layers"]) == len(before["layers"]) + 1  # … 레이어가 하나 더 많고
assert fingerprint(NOTES) == before  # … 베이스 이미지는 바뀌지 않았습니다
print("스냅숏의 맨 위 레이어에는 pad가 쓴 모든 것이 있습니다: keep.txt와 앱의 notes.txt까지")

# %% [markdown]
# A container from the snapshot has the file; a container from the base image does not.

# %% [markdown] lang="ko"
# 스냅숏으로 만든 컨테이너에는 그 파일이 있고, 베이스 이미지로 만든 컨테이너에는 없습니다.

# %%
from_snapshot = lab.run("from-snapshot", snapshot.tags[0])
assert from_snapshot.exec("cat /app/notes/keep.txt").output.strip() == "keep me"
from_base = lab.run("from-base", NOTES)
assert not from_base.exec("test -e /app/notes/keep.txt").ok
print("snapshot has keep.txt; the base image does not")

# %% lang="ko"
from_snapshot = lab.run("from-snapshot", snapshot.tags[0])
assert from_snapshot.exec("cat /app/notes/keep.txt").output.strip() == "keep me"
from_base = lab.run("from-base", NOTES)
assert not from_base.exec("test -e /app/notes/keep.txt").ok
print("스냅숏에는 keep.txt가 있고, 베이스 이미지에는 없습니다")

# %% [markdown]
# The same with a build: a two-line Dockerfile on top of the notes image. New image, new ID; the base stays.

# %% [markdown] lang="ko"
# 빌드도 마찬가지입니다. notes 이미지 위에 두 줄짜리 Dockerfile을 얹습니다. 새 이미지, 새 ID이고, 베이스는 그대로입니다.

# %%
built = lab.build("notes-built:demo", dockerfile=f"FROM {NOTES}\nRUN echo 'built in' > /app/notes/built.txt\n")
print(built.cli)
print("built image ID:", built.id[:19])
assert built.id not in (before["id"], snap["id"])  # S10: a build makes a new image too
assert fingerprint(NOTES) == before

# %% lang="ko"
built = lab.build("notes-built:demo", dockerfile=f"FROM {NOTES}\nRUN echo 'built in' > /app/notes/built.txt\n")
print(built.cli)
print("빌드한 이미지 ID:", built.id[:19])
assert built.id not in (before["id"], snap["id"])  # S10: 빌드도 새 이미지를 만듭니다
assert fingerprint(NOTES) == before

# %% [markdown]
# And the third way. This course's own base image, `debian:bookworm-slim`, may have been made with it: where no
# registry answers, `prepare` builds a Debian root filesystem with `mmdebstrap` and pipes it into `docker import`.
# Such an image has one layer, and its history has one row with no instruction — *"Imported from -"*:

# %% [markdown] lang="ko"
# 그리고 세 번째 방법입니다. 이 과정의 베이스 이미지 `debian:bookworm-slim`도 이 방법으로 만들어졌을 수 있습니다. 응답하는
# 레지스트리가 없으면 `prepare`는 `mmdebstrap`으로 Debian 루트 파일 시스템을 만들어 `docker import`로 넘깁니다.
# 그런 이미지에는 레이어가 하나뿐이고, 기록(history)에는 명령어 없이 "Imported from -"라고 적힌 줄 하나만 있습니다.

# %%
base_history = lab.images.history("debian:bookworm-slim")
made_by_import = any(h["Comment"].startswith("Imported") for h in base_history)
for h in base_history:
    print(f"   {h['Size'] / 1e6:6.1f} MB  {h['CreatedBy'] or '(no instruction)'}  {h['Comment']}")
print("debian:bookworm-slim here was made by", "docker import (the kit's recipe)" if made_by_import
      else "a registry's build (pulled)")
if made_by_import:
    assert len(lab.images.inspect("debian:bookworm-slim").layers) == 1  # one layer, no steps

# %% lang="ko"
base_history = lab.images.history("debian:bookworm-slim")
made_by_import = any(h["Comment"].startswith("Imported") for h in base_history)
for h in base_history:
    print(f"   {h['Size'] / 1e6:6.1f} MB  {h['CreatedBy'] or '(명령어 없음)'}  {h['Comment']}")
print("여기의 debian:bookworm-slim을 만든 것:", "docker import (키트의 레시피)" if made_by_import
      else "레지스트리의 빌드 (pull)")
if made_by_import:
    assert len(lab.images.inspect("debian:bookworm-slim").layers) == 1  # 레이어 하나, 빌드 단계 없음

# %% [markdown]
# Any container's files can go the same way: `docker export` writes a container's whole filesystem (its image's
# layers and its writable layer, flattened) as one tar archive, and `docker import` reads it back as a new image. An
# archive holds only files — no `CMD`, no `USER` — so we give those settings as Dockerfile lines (`--change`).

# %% [markdown] lang="ko"
# 어떤 컨테이너의 파일이든 같은 길을 갈 수 있습니다. `docker export`는 컨테이너의 파일 시스템 전체(이미지의 레이어와 쓰기
# 가능한 레이어를 하나로 합친 것)를 tar 아카이브 하나로 쓰고, `docker import`는 그것을 새 이미지로 읽어 들입니다.
# 아카이브에는 파일만 있고 `CMD`나 `USER`는 없으므로, 그런 설정은 Dockerfile 줄로 줍니다(`--change`).

# %%
flat = import_image("notes-flat:demo", pad, changes=['CMD ["notes", "run"]', "USER 10001:10001", "WORKDIR /app"])
print(flat.cli)
flat_print = fingerprint(flat.id)
flat_history = lab.images.history(flat.id)
print("imported image ID:", flat_print["id"][:19], "with", len(flat_print["layers"]), "layer;",
      "history:", [(h["CreatedBy"], h["Comment"]) for h in flat_history])
assert flat_print["id"] not in (before["id"], snap["id"], built.id)  # S10: import made a NEW image …
assert len(flat_print["layers"]) == 1 and len(flat_history) == 1  # … with one layer and no build steps
assert fingerprint(NOTES) == before  # … and the notes image did not change
from_import = lab.run("from-import", flat.tags[0])
assert from_import.exec("cat /app/notes/keep.txt").output.strip() == "keep me"  # pad's files, flattened in

# %% lang="ko"
flat = import_image("notes-flat:demo", pad, changes=['CMD ["notes", "run"]', "USER 10001:10001", "WORKDIR /app"])
print(flat.cli)
flat_print = fingerprint(flat.id)
flat_history = lab.images.history(flat.id)
print("import한 이미지 ID:", flat_print["id"][:19], "with", len(flat_print["layers"]), "레이어;",
      "기록:", [(h["CreatedBy"], h["Comment"]) for h in flat_history])
assert flat_print["id"] not in (before["id"], snap["id"], built.id)  # S10: import는 새 이미지를 만들었고 …
assert len(flat_print["layers"]) == 1 and len(flat_history) == 1  # … 레이어 하나에 빌드 단계가 없고
assert fingerprint(NOTES) == before  # … notes 이미지는 바뀌지 않았습니다
from_import = lab.run("from-import", flat.tags[0])
assert from_import.exec("cat /app/notes/keep.txt").output.strip() == "keep me"  # 하나로 합쳐진 pad의 파일들

# %% [markdown]
# ## Exercises
# ### Exercise 1 — write into a container
# Run a container named **`scratchpad`** from `dockerlab/notes:1.0` and create the file `/app/notes/mine.txt`
# in it (any content). The check reads the container's writable layer (`docker diff`).

# %% [markdown] lang="ko"
# ## 연습 문제
# ### 연습 1 — 컨테이너 안에 쓰기
# `dockerlab/notes:1.0`으로 **`scratchpad`라는** 컨테이너를 실행하고, 그 안에 `/app/notes/mine.txt` 파일을 만드세요
# (내용은 무엇이든 좋습니다). 확인은 컨테이너의 쓰기 가능한 레이어(`docker diff`)를 읽습니다.

# %%
### BEGIN SOLUTION
scratchpad = lab.run("scratchpad", "dockerlab/notes:1.0")
scratchpad.exec("echo 'my own note' > /app/notes/mine.txt")
print(scratchpad.diff())
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
# ### Exercise 2 — lock it down
# Run a container named **`locked`** from `dockerlab/notes:1.0` whose root filesystem is **read-only**, with a
# **tmpfs at `/tmp`**. The notes app must keep running: tell it to write its notes into the tmpfs
# (its setting `NOTES_FILE`, as in section 4).

# %% [markdown] lang="ko"
# ### 연습 2 — 잠가 두기
# `dockerlab/notes:1.0`으로 **`locked`라는** 컨테이너를 실행하세요. 루트 파일 시스템은 **읽기 전용**이어야 하고, **`/tmp`에
# tmpfs**가 있어야 합니다. notes 앱은 계속 실행되어야 합니다. 앱에게 노트를 tmpfs에 쓰라고 알려 주세요
# (4절처럼 앱의 설정 `NOTES_FILE`).

# %%
### BEGIN SOLUTION
locked = lab.run("locked", "dockerlab/notes:1.0", read_only=True, tmpfs={"/tmp": "size=16m"},
                 env={"NOTES_FILE": "/tmp/notes.txt"})
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown]
# ### Exercise 3 — save your scratchpad as an image
# Commit your `scratchpad` container (from exercise 1) to an image **`notes-snapshot:v1`**.
# The check makes sure it is a new image (not the base one) and that it holds your `mine.txt`.

# %% [markdown] lang="ko"
# ### 연습 3 — scratchpad를 이미지로 저장하기
# (연습 1의) `scratchpad` 컨테이너를 이미지 **`notes-snapshot:v1`로** 커밋하세요.
# 확인은 그것이 (베이스가 아닌) 새 이미지인지, 여러분의 `mine.txt`를 담고 있는지 살펴봅니다.

# %%
### BEGIN SOLUTION
snapshot_v1 = lab.container("scratchpad").commit("notes-snapshot:v1")
print(snapshot_v1.cli)
### END SOLUTION

# %%
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown]
# ## Recap
# - An image is a stack of **read-only** layers; its ID, creation date and layer digests are its fingerprint.
# - A container adds **one writable layer** on top. Everything it writes, changes or deletes lands there
#   (`docker diff` lists it); the image never changes.
# - Stopping a container keeps that layer; **removing** the container throws it away. A new container starts clean.
# - `read_only=True` (`--read-only`) forbids writes to the root filesystem; a `tmpfs` gives scratch space in memory.
# - Running an image any number of times leaves it as it was. **`commit`**, **`build`** and **`import`** make a new
#   image, with a new ID (an imported one has a single layer and no build history).
# - Data that must live longer than a container goes into a **volume** (chapter 04).
#
# ## Clean up
# This removes the containers and images this chapter made for you (found by their labels).

# %% [markdown] lang="ko"
# ## 정리
# - 이미지는 **읽기 전용** 레이어가 쌓인 것입니다. ID, 생성 날짜, 레이어 다이제스트가 그 지문입니다.
# - 컨테이너는 그 위에 **쓰기 가능한 레이어 하나**를 더합니다. 컨테이너가 쓰고, 바꾸고, 지우는 모든 것이 그곳에 남고
#   (`docker diff`가 나열합니다), 이미지는 절대 바뀌지 않습니다.
# - 컨테이너를 정지하면 그 레이어가 남고, 컨테이너를 **지우면** 버려집니다. 새 컨테이너는 깨끗하게 시작합니다.
# - `read_only=True`(`--read-only`)는 루트 파일 시스템에 쓰기를 금지하고, `tmpfs`는 메모리에 작업 공간을 줍니다.
# - 이미지는 몇 번을 실행해도 그대로입니다. 새 이미지는 **`commit`**, **`build`**, **`import`** 세 가지로 만들고, 새 이미지는 새 ID를 받습니다
#   (import로 만든 이미지는 레이어가 하나이고 빌드 기록이 없습니다).
# - 컨테이너보다 오래 남아야 하는 데이터는 **볼륨**에 둡니다(04장).
#
# ## 뒷정리
# 이 장에서 여러분을 위해 만든 컨테이너와 이미지를 레이블로 찾아 지웁니다.

# %%
ch.reset()
assert lab.leaks(chapter="03") == []
