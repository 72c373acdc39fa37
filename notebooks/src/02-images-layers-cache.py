# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 02 · Images, layers and the build cache
#
# An **image** is the package a container runs from: the program plus every file it needs.
# You make one with `docker build` from a recipe called a **Dockerfile**.
#
# **In this chapter you will**
# 1. build an image from a Dockerfile, step by step, and run it;
# 2. see that an image is a **stack of layers**, one per step that changes files, and how big each is;
# 3. watch the **build cache** at work: which steps are reused and which run again after a change;
# 4. see why the **order** of the instructions matters for fast rebuilds;
# 5. give one image several **tags**, see what an image **ID** is a digest of, and which rebuilds keep it.
#
# Run the cells from top to bottom with **Shift+Enter**.

# %% [markdown] lang="ko"
# # 02 · 이미지, 레이어, 빌드 캐시
#
# **이미지**(image)는 컨테이너가 실행될 때 쓰는 꾸러미입니다. 프로그램과 그 프로그램에 필요한 모든 파일이 들어 있습니다.
# 이미지는 **Dockerfile**이라는 레시피로 `docker build`를 실행해 만듭니다.
#
# **이 장에서 할 일**
# 1. Dockerfile로 이미지를 단계별로 빌드하고 실행합니다.
# 2. 이미지가 **레이어(layer)의 스택**이라는 것, 곧 파일을 바꾸는 단계마다 레이어가 하나씩 있다는 것과 각 레이어의 크기를 봅니다.
# 3. **빌드 캐시**(build cache)가 일하는 모습을 봅니다. 변경 뒤에 어떤 단계는 재사용되고 어떤 단계는 다시 실행되는지 확인합니다.
# 4. 빠른 재빌드에 명령어의 **순서**가 왜 중요한지 봅니다.
# 5. 한 이미지에 **태그**(tag)를 여러 개 붙이고, 이미지 **ID**가 무엇의 다이제스트인지, 어떤 재빌드가 ID를 유지하는지 봅니다.
#
# 셀은 위에서부터 차례로 **Shift+Enter**로 실행합니다.

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind
# (containers and the images you built in it).

# %% [markdown] lang="ko"
# ## 장 시작하기
# 이 셀은 키트를 불러오고, 이 장을 예전에 실행하면서 남은 것(컨테이너와 이 장에서 빌드한 이미지)을 모두 지웁니다.

# %%
import re
import shutil
import tempfile
import time
from pathlib import Path

import dockerlab as lab
from dockerlab.course import images_dir
from dockerlab.display.buildlog import BuildLog
from dockerlab.display.layerstack import layer_stack
from dockerlab.exercises import ch02 as ex

ch = lab.start_chapter("02", "Images, layers and the build cache", lang="en")
ch.reset()
info = lab.engine_info()

# %% lang="ko"
import re
import shutil
import tempfile
import time
from pathlib import Path

import dockerlab as lab
from dockerlab.course import images_dir
from dockerlab.display.buildlog import BuildLog
from dockerlab.display.layerstack import layer_stack
from dockerlab.exercises import ch02 as ex

ch = lab.start_chapter("02", "이미지, 레이어, 빌드 캐시", lang="ko")
ch.reset()
info = lab.engine_info()

# %% [markdown]
# ## 1. A Dockerfile is a recipe
# The course ships a tiny project in `images/ch02-welcome/`: a text file `app.txt` and a Dockerfile.
# We copy it to a scratch folder, so that we can edit it freely (like your own project folder), and sign the
# Dockerfile with your name.

# %% [markdown] lang="ko"
# ## 1. Dockerfile은 레시피입니다
# 이 과정은 `images/ch02-welcome/`에 작은 프로젝트를 담아 두었습니다. 텍스트 파일 `app.txt`와 Dockerfile입니다.
# 마음껏 고칠 수 있도록(내 프로젝트 폴더처럼) 작업 폴더에 복사하고, Dockerfile에 여러분의 이름을 서명합니다.

# %%
project = Path(tempfile.mkdtemp(prefix="dockerlab-ch02-")) / "welcome"
shutil.copytree(images_dir() / "ch02-welcome", project)
dockerfile = project / "Dockerfile"
dockerfile.write_text(dockerfile.read_text().replace("your name here", lab.session_id()))
print("project folder:", project)
print(sorted(p.name for p in project.iterdir()))
print()
print(dockerfile.read_text())

# %% lang="ko"
project = Path(tempfile.mkdtemp(prefix="dockerlab-ch02-")) / "welcome"
shutil.copytree(images_dir() / "ch02-welcome", project)
dockerfile = project / "Dockerfile"
dockerfile.write_text(dockerfile.read_text().replace("your name here", lab.session_id()))
print("프로젝트 폴더:", project)
print(sorted(p.name for p in project.iterdir()))
print()
print(dockerfile.read_text())

# %% [markdown]
# Read it from top to bottom; each line is an **instruction**, and the builder runs them in order:
#
# | instruction | what it does |
# |---|---|
# | `FROM debian:bookworm-slim` | start from an existing image (a small Debian) |
# | `LABEL maintainer=…` | write a note into the image's settings (here: who made it) |
# | `RUN …` | run a command during the build, and keep the files it makes. Here it stands in for *installing dependencies*: slow (2 s) and big (5 MB), like `apt-get install` or `npm install` |
# | `COPY app.txt /app/app.txt` | copy a file from your folder (the **build context**) into the image |
# | `CMD [...]` | the command a container runs when it starts (here: print the file) |
#
# Now build it. `lab.build` is `docker build -t <tag> <folder>`; your images get your session's name in front
# (`welcome:v1` becomes `<you>/welcome:v1`). We say `nocache=True` (`--no-cache`) for this first build, so
# that every step really runs and you see how long each takes.

# %% [markdown] lang="ko"
# 위에서부터 읽어 보세요. 한 줄 한 줄이 **명령어**(instruction)이고, 빌더는 차례대로 실행합니다.
#
# | 명령어 | 하는 일 |
# |---|---|
# | `FROM debian:bookworm-slim` | 이미 있는 이미지(작은 Debian)에서 시작합니다 |
# | `LABEL maintainer=…` | 이미지의 설정에 메모를 남깁니다(여기서는 누가 만들었는지) |
# | `RUN …` | 빌드하는 동안 명령을 실행하고, 그 명령이 만든 파일을 남깁니다. 여기서는 *의존성 설치*를 흉내 냅니다. `apt-get install`이나 `npm install`처럼 느리고(2초) 큽니다(5 MB) |
# | `COPY app.txt /app/app.txt` | 내 폴더(**빌드 컨텍스트, build context**)의 파일을 이미지로 복사합니다 |
# | `CMD [...]` | 컨테이너가 시작할 때 실행하는 명령입니다(여기서는 파일 출력) |
#
# 이제 빌드합니다. `lab.build`는 `docker build -t <tag> <folder>`입니다. 여러 학습자가 엔진 하나를 함께 쓸 때는 이미지 이름 앞에
# 세션 이름이 붙습니다(`welcome:v1`이 `<you>/welcome:v1`이 됩니다). 첫 빌드에는 `nocache=True`(`--no-cache`)를 주어, 모든
# 단계가 실제로 실행되고 각 단계가 얼마나 걸리는지 보이게 합니다.

# %%
first = lab.build("welcome:v1", project, nocache=True)
BuildLog(first)

# %% [markdown]
# Every step after `FROM` ran (result **RAN**): nothing came from the cache. The slow step took about two seconds.
# (The kit adds a few labels of its own at the end of every build, to find your images later; the log hides them.)
#
# **Which builder?** The kit builds through the engine's API with Docker's **classic builder** (the Python SDK cannot
# drive BuildKit): its log says `Step 3/5 : RUN …` and ` ---> Using cache`. The `docker build` command of Docker 23
# and newer uses **BuildKit**, whose log looks different (`#6 [3/4] RUN …`, `#6 CACHED`) and which can run
# independent steps at the same time. Layers and the cache rules of this chapter are the same in both; where the two
# differ, the chapter says so.

# %% [markdown] lang="ko"
# `FROM` 다음의 모든 단계가 실행되었습니다(결과 **RAN**). 캐시에서 온 것은 없습니다. 느린 단계는 2초쯤 걸렸습니다.
# (키트는 나중에 여러분의 이미지를 찾을 수 있도록 빌드마다 끝에 자기 레이블을 몇 개 붙입니다. 로그에서는 숨깁니다.)
#
# **어떤 빌더일까요?** 키트는 엔진의 API를 통해 Docker의 **클래식 빌더**(classic builder)로 빌드합니다(Python SDK는 BuildKit을
# 다룰 수 없습니다). 로그에는 `Step 3/5 : RUN …`과 ` ---> Using cache`가 나옵니다. Docker 23 이상의 `docker build` 명령은
# **BuildKit**을 씁니다. 로그 모양이 다르고(`#6 [3/4] RUN …`, `#6 CACHED`), 서로 독립적인 단계를 동시에 실행할 수 있습니다.
# 이 장의 레이어와 캐시 규칙은 둘 다 같습니다. 둘이 다른 곳에서는 장이 그렇게 알려 줍니다.

# %%
print("image:", first.tag, first.id[:19])
print("steps that ran:", first.rebuilt_steps, "| from cache:", first.cached_steps)
slow_step = next(s for s in first.steps if s.instruction.startswith("RUN"))
print(f"the slow RUN step took {slow_step.seconds:.1f} s")
assert first.cached_steps == [] and len(first.rebuilt_steps) == 4
assert slow_step.seconds >= 1.5

# %% lang="ko"
print("이미지:", first.tag, first.id[:19])
print("실행된 단계:", first.rebuilt_steps, "| 캐시에서:", first.cached_steps)
slow_step = next(s for s in first.steps if s.instruction.startswith("RUN"))
print(f"느린 RUN 단계는 {slow_step.seconds:.1f}초 걸렸습니다")
assert first.cached_steps == [] and len(first.rebuilt_steps) == 4
assert slow_step.seconds >= 1.5

# %% [markdown]
# ### Run it
# A container from this image runs its `CMD`, prints the file and exits. `lab.run` finds your image by its
# short tag.

# %% [markdown] lang="ko"
# ### 실행하기
# 이 이미지로 만든 컨테이너는 `CMD`를 실행해 파일을 출력하고 끝납니다. `lab.run`은 짧은 태그로 여러분의 이미지를 찾습니다.

# %%
greet = lab.run("welcome", "welcome:v1")
greet.wait()
print(greet.cli)
print(greet.logs())
assert greet.logs() == (project / "app.txt").read_text()

# %% [markdown]
# ## 2. An image is a stack of layers
# Each instruction that changes files (`RUN`, `COPY`, `ADD`) adds a **layer**: a read-only set of file
# changes laid on top of the ones below. Instructions like `CMD` or `ENV` only change the image's settings
# (its *config*) and add no files. `docker history` lists the steps; the table below matches them to the
# layers and their sizes.

# %% [markdown] lang="ko"
# ## 2. 이미지는 레이어의 스택입니다
# 파일을 바꾸는 명령어(`RUN`, `COPY`, `ADD`)는 각각 **레이어**를 하나 더합니다. 레이어는 아래 레이어들 위에 얹히는 읽기 전용
# 파일 변경 묶음입니다. `CMD`나 `ENV` 같은 명령어는 이미지의 설정(*config*)만 바꾸고 파일은 더하지 않습니다. `docker history`는
# 단계들을 나열하고, 아래 표는 단계를 레이어와 그 크기에 맞춰 보여 줍니다.

# %%
layer_stack(first.tag)

# %% [markdown]
# Let us check what the table says, straight from the engine:
# - the bottom layer is the Debian base, **shared** with `debian:bookworm-slim` (stored once on disk);
# - the `RUN` layer holds the 5 MB it made; the `COPY` layer is as small as `app.txt`;
# - `LABEL` and `CMD` made no layer at all.
#
# (On **Podman**, `history` gives a layer's size as the size of its archive: `app.txt` plus a header, in 512-byte
# blocks — a few kB for a few bytes of text.)

# %% [markdown] lang="ko"
# 표가 말하는 것을 엔진에서 직접 확인해 봅시다.
# - 맨 아래 레이어는 Debian 베이스로, `debian:bookworm-slim`과 **공유**합니다(디스크에는 한 번만 저장됩니다).
# - `RUN` 레이어에는 그 단계가 만든 5 MB가 있고, `COPY` 레이어는 `app.txt`만큼 작습니다.
# - `LABEL`과 `CMD`는 레이어를 전혀 만들지 않았습니다.
#
# (**Podman**에서 `history`는 레이어 크기를 아카이브 크기로 알려 줍니다. `app.txt`에 헤더를 더해 512바이트 블록 단위로 세므로,
# 몇 바이트짜리 텍스트가 몇 kB가 됩니다.)

# %%
image = lab.images.inspect(first.tag)
base = lab.images.inspect("debian:bookworm-slim")
layers = image.layers  # RootFS.Layers: the digest of each file layer, base first
print(f"$ docker image inspect --format '{{{{.RootFS.Layers}}}}' {first.tag}")
for digest in layers:
    print("  ", digest[:19], "(from the base image)" if digest in base.layers else "")
print("$ docker history", first.tag)
for h in lab.images.history(first.tag):
    made_by = h["CreatedBy"].replace("/bin/sh -c #(nop) ", "").replace("/bin/sh -c ", "RUN ").strip()
    if not made_by.startswith(("LABEL org.dockerlab", 'LABEL "org.dockerlab')):  # the kit's own labels: not ours
        made_by = made_by or "(the base image's files, imported)"
        print(f"   {h['Size'] / 1e6:8.3f} MB  {made_by[:70]}")
sizes = {h["CreatedBy"]: h["Size"] for h in lab.images.history(first.tag)}
run_size = next(v for k, v in sizes.items() if "dd if=/dev/zero" in k)
copy_size = next(v for k, v in sizes.items() if "COPY" in k)
cmd_size = next(v for k, v in sizes.items() if "CMD" in k)
assert layers[: len(base.layers)] == base.layers  # the base is shared
assert len(layers) == len(base.layers) + 2  # RUN and COPY made layers, LABEL and CMD did not
app_bytes = len((project / "app.txt").read_bytes())
assert run_size >= 5 * 2**20 and cmd_size == 0
if lab.engine_info().kind == "Podman":
    assert app_bytes <= copy_size <= app_bytes + 4096  # the archive of one small file
else:
    assert copy_size == app_bytes

# %% lang="ko"
image = lab.images.inspect(first.tag)
base = lab.images.inspect("debian:bookworm-slim")
layers = image.layers  # RootFS.Layers: 파일 레이어마다의 다이제스트, 베이스가 먼저
print(f"$ docker image inspect --format '{{{{.RootFS.Layers}}}}' {first.tag}")
for digest in layers:
    print("  ", digest[:19], "(베이스 이미지에서)" if digest in base.layers else "")
print("$ docker history", first.tag)
for h in lab.images.history(first.tag):
    made_by = h["CreatedBy"].replace("/bin/sh -c #(nop) ", "").replace("/bin/sh -c ", "RUN ").strip()
    if not made_by.startswith(("LABEL org.dockerlab", 'LABEL "org.dockerlab')):  # 키트 자신의 레이블: 우리 것이 아닙니다
        made_by = made_by or "(베이스 이미지의 파일, import됨)"
        print(f"   {h['Size'] / 1e6:8.3f} MB  {made_by[:70]}")
sizes = {h["CreatedBy"]: h["Size"] for h in lab.images.history(first.tag)}
run_size = next(v for k, v in sizes.items() if "dd if=/dev/zero" in k)
copy_size = next(v for k, v in sizes.items() if "COPY" in k)
cmd_size = next(v for k, v in sizes.items() if "CMD" in k)
assert layers[: len(base.layers)] == base.layers  # 베이스는 공유됩니다
assert len(layers) == len(base.layers) + 2  # RUN과 COPY는 레이어를 만들었고, LABEL과 CMD는 만들지 않았습니다
app_bytes = len((project / "app.txt").read_bytes())
assert run_size >= 5 * 2**20 and cmd_size == 0
if lab.engine_info().kind == "Podman":
    assert app_bytes <= copy_size <= app_bytes + 4096  # 작은 파일 하나의 아카이브
else:
    assert copy_size == app_bytes

# %% [markdown]
# ## 3. The build cache
# Before it runs a step, the builder asks: *have I already run **this** instruction, on top of **this** exact
# parent layer (and, for `COPY`, with **these** exact files)?* If so, it reuses the result: a **cache hit**.
#
# The cache belongs to the engine, not to you: on a shared engine, a classmate's identical steps would be
# reused too. Your name in the `LABEL` line makes your parent layers yours, so what you see below is your own cache.
# (That is the classic builder's rule: every instruction, `LABEL` included, is a step whose result is the parent of
# the next, so a different `LABEL` line changes the cache key of every step below it. **BuildKit** keys its cache on
# the steps that make files; a `LABEL` only changes the image's settings there, and two Dockerfiles that differ only
# in a `LABEL` share the cache of their `RUN` and `COPY` steps.)
#
# ### 3.1 Build again, change nothing
# Every step is a cache hit. The build takes a fraction of a second, and the result is **the very same
# image**: same ID. (Keep this in mind for later chapters: *build the image once, and it is the same everywhere*.)

# %% [markdown] lang="ko"
# ## 3. 빌드 캐시
# 빌더는 단계를 실행하기 전에 묻습니다. *바로 **이** 부모 레이어 위에서 **이** 명령어를(그리고 `COPY`라면 바로 **이** 파일들로)
# 실행한 적이 있나?* 있다면 그 결과를 재사용합니다. 이것이 **캐시 적중**(cache hit)입니다.
#
# 캐시는 여러분이 아니라 엔진의 것입니다. 공유 엔진에서는 같은 반 친구의 똑같은 단계도 재사용됩니다. `LABEL` 줄에 들어간
# 여러분의 이름이 부모 레이어를 여러분만의 것으로 만들므로, 아래에서 보는 것은 여러분 자신의 캐시입니다.
# (이것은 클래식 빌더의 규칙입니다. `LABEL`을 포함한 모든 명령어가 단계이고 그 결과가 다음 단계의 부모이므로, `LABEL` 줄이 다르면
# 그 아래 모든 단계의 캐시 키가 바뀝니다. **BuildKit**은 파일을 만드는 단계로 캐시 키를 정합니다. 그곳에서 `LABEL`은 이미지의
# 설정만 바꾸므로, `LABEL`만 다른 두 Dockerfile은 `RUN`과 `COPY` 단계의 캐시를 함께 씁니다.)
#
# ### 3.1 아무것도 바꾸지 않고 다시 빌드하기
# 모든 단계가 캐시 적중입니다. 빌드는 1초도 걸리지 않고, 결과는 **바로 같은 이미지**입니다. ID가 같습니다. 뒤의 장들을 위해
# 기억해 두세요. 원문의 말대로 *"**이미지 파일만 잘 만들어 놓으면 로컬개발환경과 동일하게 실제 배포환경에서도 프로젝트를 구동할 수
# 있다.**"*

# %%
again = lab.build("welcome:v1", project)
BuildLog(again)

# %%
print(f"first build {first.seconds:.2f} s → rebuild {again.seconds:.2f} s")
print("same image ID:", again.id == first.id, again.id[:19])
assert again.fully_cached  # S6: a rebuild with no change is fully cached …
if lab.engine_info().kind == "Podman":
    # Podman may answer the rebuild of a --no-cache build from an older, identical build in its cache (another ID);
    # from then on, every rebuild gives that very same image
    assert lab.build("welcome:v1", project).id == again.id
else:
    assert again.id == first.id  # … and gives the very same image

# %% lang="ko"
print(f"첫 빌드 {first.seconds:.2f}초 → 재빌드 {again.seconds:.2f}초")
print("같은 이미지 ID:", again.id == first.id, again.id[:19])
assert again.fully_cached  # S6: 바뀐 것 없는 재빌드는 모두 캐시되고 …
if lab.engine_info().kind == "Podman":
    # Podman은 --no-cache 빌드의 재빌드에 캐시에 있는 예전의 똑같은 빌드(다른 ID)로 답할 수 있습니다.
    # 그 뒤로는 모든 재빌드가 바로 그 이미지를 줍니다
    assert lab.build("welcome:v1", project).id == again.id
else:
    assert again.id == first.id  # … 바로 같은 이미지를 줍니다

# %% [markdown]
# Careful with what "same" means: the ID stayed because the cache handed back **the very same build**. Build the same
# files again **without** the cache (`--no-cache`), and every step runs anew: the image records its own creation
# time (and the `RUN` step writes its files with new timestamps), so it gets a **new ID** although nothing in your
# project changed. That is why you ship the image you tested, not "the same Dockerfile built again".

# %% [markdown] lang="ko"
# "같다"는 말의 뜻에 주의하세요. ID가 그대로인 것은 캐시가 **바로 그 빌드**를 돌려주었기 때문입니다. 같은 파일을 캐시 **없이**
# (`--no-cache`) 다시 빌드하면 모든 단계가 새로 실행됩니다. 이미지는 자기 생성 시각을 기록하고(`RUN` 단계는 새 타임스탬프로 파일을
# 씁니다), 그래서 프로젝트에서 아무것도 바뀌지 않았는데도 **새 ID**를 받습니다. 그래서 "같은 Dockerfile을 다시 빌드한 것"이
# 아니라 테스트한 그 이미지를 배포합니다.

# %%
rebuilt = lab.build("welcome:nocache", project, nocache=True)
print("$", rebuilt.cli)
print("cached rebuild :", again.id[:19], "created", lab.images.inspect(again.id).created)
print("--no-cache     :", rebuilt.id[:19], "created", lab.images.inspect(rebuilt.id).created)
assert rebuilt.fully_cached is False and rebuilt.id != again.id  # same source, a new build: a new ID

# %% lang="ko"
rebuilt = lab.build("welcome:nocache", project, nocache=True)
print("$", rebuilt.cli)
print("캐시된 재빌드 :", again.id[:19], "생성", lab.images.inspect(again.id).created)
print("--no-cache     :", rebuilt.id[:19], "생성", lab.images.inspect(rebuilt.id).created)
assert rebuilt.fully_cached is False and rebuilt.id != again.id  # 같은 소스, 새 빌드: 새 ID

# %% [markdown]
# ### 3.2 Edit a file, build again
# Now we edit `app.txt`, the way you edit your code. The steps **before** `COPY app.txt` are still cache hits;
# `COPY` sees different file content, so it runs again, and so does every step after it (their parent changed).

# %% [markdown] lang="ko"
# ### 3.2 파일을 고치고 다시 빌드하기
# 이제 코드를 고치듯 `app.txt`를 고칩니다. `COPY app.txt` **앞의** 단계들은 여전히 캐시 적중입니다. `COPY`는 파일 내용이
# 달라진 것을 보고 다시 실행되고, 그 뒤의 모든 단계도 다시 실행됩니다(부모가 바뀌었기 때문입니다).

# %%
(project / "app.txt").write_text(f"Welcome to the Docker course! (edited at {time.strftime('%H:%M:%S')})\n")
edited = lab.build("welcome:v1", project)
BuildLog(edited)

# %%
def step_of(result: lab.images.BuildResult, keyword: str) -> lab.images.BuildStep:
    """The first build step whose instruction starts with ``keyword`` (RUN, COPY, CMD…)."""
    return next(s for s in result.steps if s.instruction.upper().startswith(keyword))


copy_at = step_of(edited, "COPY").number
for s in edited.steps:
    print(f"step {s.number}: {'cache hit' if s.cached else 'ran':9}  {s.instruction[:60]}")
assert all(s.cached for s in edited.steps if 1 < s.number < copy_at)  # before the change: cached
assert not any(s.cached for s in edited.steps if s.number >= copy_at)  # the change and after: rebuilt
assert edited.id != first.id

# %% lang="ko"
def step_of(result: lab.images.BuildResult, keyword: str) -> lab.images.BuildStep:
    """명령어가 ``keyword``(RUN, COPY, CMD…)로 시작하는 첫 빌드 단계."""
    return next(s for s in result.steps if s.instruction.upper().startswith(keyword))


copy_at = step_of(edited, "COPY").number
for s in edited.steps:
    print(f"단계 {s.number}: {'캐시 적중' if s.cached else '실행됨':9}  {s.instruction[:60]}")
assert all(s.cached for s in edited.steps if 1 < s.number < copy_at)  # 변경 전: 캐시됨
assert not any(s.cached for s in edited.steps if s.number >= copy_at)  # 변경된 단계와 그 뒤: 다시 빌드됨
assert edited.id != first.id

# %% [markdown]
# The tag `welcome:v1` now names the **new** image. The old one still exists, without a name
# (`docker images` shows it as `<none>`): a tag is just a name that moved.

# %% [markdown] lang="ko"
# 이제 태그 `welcome:v1`은 **새** 이미지를 가리킵니다. 이전 이미지는 이름 없이 그대로 있습니다(`docker images`에는 `<none>`으로
# 나옵니다). 태그는 옮겨 간 이름일 뿐입니다.

# %%
old = lab.images.get(first.id)
print("old image", first.id[:19], "tags now:", old.tags)
print("new image", edited.id[:19], "tags now:", lab.images.get(edited.id).tags)
assert old.tags == [] and lab.images.get(edited.tag).id == edited.id

# %% lang="ko"
old = lab.images.get(first.id)
print("이전 이미지", first.id[:19], "현재 태그:", old.tags)
print("새 이미지", edited.id[:19], "현재 태그:", lab.images.get(edited.id).tags)
assert old.tags == [] and lab.images.get(edited.tag).id == edited.id

# %% [markdown]
# ### 3.3 Edit an early line of the Dockerfile
# A change high up invalidates **everything below it**, even lines you did not touch. Let us make the slow
# step write one more MB (6 instead of 5):

# %% [markdown] lang="ko"
# ### 3.3 Dockerfile의 앞쪽 줄 고치기
# 위쪽의 변경은 손대지 않은 줄까지 **그 아래 모든 것**을 무효로 만듭니다. 느린 단계가 1 MB를 더(5 대신 6) 쓰게 해 봅시다.

# %%
size_mb = int(re.search(r"count=(\d+)", dockerfile.read_text()).group(1)) + 1
dockerfile.write_text(re.sub(r"count=\d+", f"count={size_mb}", dockerfile.read_text()))
print([line for line in dockerfile.read_text().splitlines() if line.startswith("RUN")][0])
early = lab.build("welcome:v1", project)
BuildLog(early)

# %%
print(f"rebuilt steps: {early.rebuilt_steps} in {early.seconds:.1f} s")
assert not step_of(early, "RUN").cached and not step_of(early, "COPY").cached  # everything below re-ran
assert early.seconds >= 1.5

# %% lang="ko"
print(f"다시 빌드된 단계: {early.rebuilt_steps}, {early.seconds:.1f}초")
assert not step_of(early, "RUN").cached and not step_of(early, "COPY").cached  # 그 아래 모든 것이 다시 실행되었습니다
assert early.seconds >= 1.5

# %% [markdown]
# ## 4. Why the order of instructions matters
# So the rule is: **put what changes rarely first, and what changes often last.** Installing dependencies
# changes rarely; your own files change all the time.
#
# Here are two Dockerfiles with the same three steps, in two orders. In the *bad* one, `COPY` of our files
# comes before the slow step. We build each, edit `app.txt`, and build each again.

# %% [markdown] lang="ko"
# ## 4. 명령어의 순서가 중요한 이유
# 그래서 규칙은 이렇습니다. **드물게 바뀌는 것을 먼저, 자주 바뀌는 것을 나중에 두세요.** 의존성 설치는 드물게 바뀌고,
# 여러분 자신의 파일은 늘 바뀝니다.
#
# 같은 세 단계를 두 가지 순서로 쓴 Dockerfile 두 개입니다. *나쁜* 쪽에서는 우리 파일의 `COPY`가 느린 단계보다 앞에 옵니다.
# 각각 빌드하고, `app.txt`를 고치고, 다시 빌드합니다.

# %%
SIGNED = f'FROM debian:bookworm-slim\nLABEL maintainer="{lab.session_id()}"\n'
SLOW = "RUN dd if=/dev/zero of=/opt/deps.bin bs=1M count=5 status=none && sleep 2"
BAD = SIGNED + f"COPY app.txt /app/app.txt\n{SLOW}\nCMD [\"cat\", \"/app/app.txt\"]\n"
GOOD = SIGNED + f"{SLOW}\nCOPY app.txt /app/app.txt\nCMD [\"cat\", \"/app/app.txt\"]\n"
print("— bad order —\n" + BAD + "\n— good order —\n" + GOOD)


def build_edit_rebuild(tag: str, dockerfile_text: str) -> tuple[lab.images.BuildResult, lab.images.BuildResult]:
    """Build, edit app.txt, build again: the two BuildResults."""
    before = lab.build(tag, dockerfile=dockerfile_text, files={"app.txt": "version 1\n"})
    after = lab.build(tag, dockerfile=dockerfile_text,
                      files={"app.txt": f"version 2, edited at {time.strftime('%H:%M:%S')}\n"})
    return before, after


bad_before, bad_after = build_edit_rebuild("order-bad:v1", BAD)
good_before, good_after = build_edit_rebuild("order-good:v1", GOOD)

# %% lang="ko"
SIGNED = f'FROM debian:bookworm-slim\nLABEL maintainer="{lab.session_id()}"\n'
SLOW = "RUN dd if=/dev/zero of=/opt/deps.bin bs=1M count=5 status=none && sleep 2"
BAD = SIGNED + f"COPY app.txt /app/app.txt\n{SLOW}\nCMD [\"cat\", \"/app/app.txt\"]\n"
GOOD = SIGNED + f"{SLOW}\nCOPY app.txt /app/app.txt\nCMD [\"cat\", \"/app/app.txt\"]\n"
print("— 나쁜 순서 —\n" + BAD + "\n— 좋은 순서 —\n" + GOOD)


def build_edit_rebuild(tag: str, dockerfile_text: str) -> tuple[lab.images.BuildResult, lab.images.BuildResult]:
    """빌드하고, app.txt를 고치고, 다시 빌드: 두 BuildResult."""
    before = lab.build(tag, dockerfile=dockerfile_text, files={"app.txt": "version 1\n"})
    after = lab.build(tag, dockerfile=dockerfile_text,
                      files={"app.txt": f"version 2, edited at {time.strftime('%H:%M:%S')}\n"})
    return before, after


bad_before, bad_after = build_edit_rebuild("order-bad:v1", BAD)
good_before, good_after = build_edit_rebuild("order-good:v1", GOOD)

# %% [markdown]
# The rebuild after the edit, with the bad order:

# %% [markdown] lang="ko"
# 나쁜 순서에서 고친 뒤의 재빌드:

# %%
BuildLog(bad_after)

# %% [markdown]
# And with the good order:

# %% [markdown] lang="ko"
# 좋은 순서에서는:

# %%
BuildLog(good_after)

# %%
print(f"rebuild after editing app.txt — bad order: {bad_after.seconds:.1f} s, good order: {good_after.seconds:.1f} s")
assert not step_of(bad_after, "RUN").cached  # the slow step ran again, for a one-line text change
assert step_of(good_after, "RUN").cached  # the slow step came from the cache
assert step_of(bad_after, "RUN").seconds >= 1.5  # the seconds the good order saves on every edit

# %% lang="ko"
print(f"app.txt를 고친 뒤의 재빌드 — 나쁜 순서: {bad_after.seconds:.1f}초, 좋은 순서: {good_after.seconds:.1f}초")
assert not step_of(bad_after, "RUN").cached  # 텍스트 한 줄 바꿨을 뿐인데 느린 단계가 다시 실행되었습니다
assert step_of(good_after, "RUN").cached  # 느린 단계는 캐시에서 왔습니다
assert step_of(bad_after, "RUN").seconds >= 1.5  # 좋은 순서가 고칠 때마다 아껴 주는 시간

# %% [markdown]
# Two seconds here; in a real project it is `npm install` or `apt-get install`: minutes, on every edit.
# That is why real Dockerfiles copy the *list* of dependencies (`package.json`, `pom.xml`, `requirements.txt`)
# and install them **before** copying the rest of the source.

# %% [markdown] lang="ko"
# 여기서는 2초지만, 실제 프로젝트에서는 `npm install`이나 `apt-get install`입니다. 고칠 때마다 몇 분씩입니다.
# 그래서 실제 Dockerfile은 의존성 *목록*(`package.json`, `pom.xml`, `requirements.txt`)을 먼저 복사해 설치하고, 나머지 소스는
# **그 뒤에** 복사합니다.

# %% [markdown]
# ## 5. Tags and IDs
# ### 5.1 What an ID is a digest of
# An image is stored as a few JSON documents and its layers:
# - each **layer** is a tar archive of files; `RootFS.Layers` lists the sha256 of each layer's **uncompressed** tar
#   (its *diff ID*). A registry stores layers gzip-compressed and names them by the digest of the *compressed* bytes,
#   so the digests you see on a registry (chapter 08) are not these;
# - the **config** holds the settings (`CMD`, `ENV`, labels…), the creation time and the list of layer digests;
# - the **manifest** names the config and the (compressed) layers: it is what a registry serves.
#
# Which of them the ID is the digest of depends on the engine's **image store**. The classic store (Docker Engine
# before 29, upgraded installs, and this course's set-up) uses the digest of the **config**; the **containerd image
# store** (the default of fresh Docker Engine 29+ installs and of recent Docker Desktop) uses the digest of the
# **manifest**. Either way the ID is a digest of content, so it cannot change while the image exists — and it names
# exactly one build.
#
# `docker save` writes an image as a tar archive of these very files. We hash every file in it and look for the layer
# digests and the ID:

# %% [markdown] lang="ko"
# ## 5. 태그와 ID
# ### 5.1 ID는 무엇의 다이제스트일까요
# 이미지는 JSON 문서 몇 개와 레이어들로 저장됩니다.
# - 각 **레이어**는 파일들의 tar 아카이브입니다. `RootFS.Layers`는 각 레이어의 **압축하지 않은** tar의 sha256(그 *diff ID*)을
#   나열합니다. 레지스트리는 레이어를 gzip으로 압축해 저장하고 *압축된* 바이트의 다이제스트로 부르므로, 레지스트리에서 보는
#   다이제스트(08장)는 이것과 다릅니다.
# - **설정**(config)에는 설정값(`CMD`, `ENV`, 레이블 …), 생성 시각, 레이어 다이제스트 목록이 있습니다.
# - **매니페스트**(manifest)는 설정과 (압축된) 레이어를 가리킵니다. 레지스트리가 내주는 것이 이것입니다.
#
# ID가 그중 무엇의 다이제스트인지는 엔진의 **이미지 저장소**(image store)에 달려 있습니다. 클래식 저장소(Docker Engine 29 이전,
# 업그레이드한 설치, 이 과정의 설정)는 **설정**의 다이제스트를 쓰고, **containerd 이미지 저장소**(새로 설치한 Docker Engine 29+와
# 최근 Docker Desktop의 기본값)는 **매니페스트**의 다이제스트를 씁니다. 어느 쪽이든 ID는 내용의 다이제스트이므로 이미지가 있는
# 동안 바뀔 수 없고, 정확히 한 빌드를 가리킵니다.
#
# `docker save`는 이미지를 바로 이 파일들의 tar 아카이브로 씁니다. 그 안의 모든 파일을 해시해서 레이어 다이제스트와 ID를 찾아봅니다.

# %%
saved = lab.layers.saved_digests(first.id)  # the first build of welcome:v1 (section 2)
print("this engine's image store:", info.image_store)
by_digest = {d: name for name, d in saved.items()}
for n, digest in enumerate(layers):
    print(f"layer {n}: {digest[:19]}…  = sha256 of {by_digest.get(digest, '(not in the archive)')}")
print(f"ID     : {first.id[:19]}…  = sha256 of {by_digest.get(first.id, '(not in the archive)')}")
assert all(digest in by_digest for digest in layers)  # RootFS.Layers = digests of the uncompressed layer tars
assert first.id in by_digest  # the ID is the digest of one file: the config (classic store) or the manifest

# %% lang="ko"
saved = lab.layers.saved_digests(first.id)  # welcome:v1의 첫 빌드 (2절)
print("이 엔진의 이미지 저장소:", info.image_store)
by_digest = {d: name for name, d in saved.items()}
for n, digest in enumerate(layers):
    print(f"레이어 {n}: {digest[:19]}…  = {by_digest.get(digest, '(아카이브에 없음)')}의 sha256")
print(f"ID      : {first.id[:19]}…  = {by_digest.get(first.id, '(아카이브에 없음)')}의 sha256")
assert all(digest in by_digest for digest in layers)  # RootFS.Layers = 압축하지 않은 레이어 tar의 다이제스트
assert first.id in by_digest  # ID는 파일 하나의 다이제스트: 설정(클래식 저장소) 또는 매니페스트

# %% [markdown]
# ### 5.2 Tags
# A **tag** (`name:version`) is a name that points at an ID; one image can have many tags, and a tag can move to
# another image. `docker tag <image> <new name>` adds a name; in Python, `lab.images.tag(...)`.

# %% [markdown] lang="ko"
# ### 5.2 태그
# **태그(tag)**(`name:version`)는 ID를 가리키는 이름입니다. 한 이미지에 태그가 여러 개 있을 수 있고, 태그는 다른 이미지로 옮겨 갈
# 수 있습니다. `docker tag <image> <new name>`이 이름을 더합니다. Python에서는 `lab.images.tag(...)`입니다.

# %%
print(lab.images.tag("welcome:v1", "welcome:stable"))
v1 = lab.images.get_resolved("welcome:v1")
stable = lab.images.get_resolved("welcome:stable")
print("welcome:v1     →", v1.id[:19])
print("welcome:stable →", stable.id[:19])
print("all names of that image:", v1.tags)
assert v1.id == stable.id and len(v1.tags) == 2  # two tags, one image

# %% lang="ko"
print(lab.images.tag("welcome:v1", "welcome:stable"))
v1 = lab.images.get_resolved("welcome:v1")
stable = lab.images.get_resolved("welcome:stable")
print("welcome:v1     →", v1.id[:19])
print("welcome:stable →", stable.id[:19])
print("그 이미지의 모든 이름:", v1.tags)
assert v1.id == stable.id and len(v1.tags) == 2  # 태그 둘, 이미지 하나

# %% [markdown]
# `docker images` shows one row per tag, so the same image appears twice, with the same ID and size.
# It is stored once. Removing one tag (`docker rmi welcome:stable`) only removes the name:

# %% [markdown] lang="ko"
# `docker images`는 태그마다 한 줄씩 보여 주므로, 같은 이미지가 같은 ID와 크기로 두 번 나옵니다. 저장은 한 번만 됩니다.
# 태그 하나를 지우면(`docker rmi welcome:stable`) 이름만 사라집니다.

# %%
repo = lab.labels.image_repo("welcome")
print(f"$ docker images {repo}")
for img in lab.images.list(repo):
    for t in img.tags:
        print(f"   {t:36} {img.short_id:14} {img.size / 1e6:.1f} MB")
lab.images.remove(f"{repo}:stable")
print(f"$ docker rmi {repo}:stable")
print("welcome:v1 still there:", lab.images.exists(f"{repo}:v1"), "| tags now:", lab.images.get(f"{repo}:v1").tags)
assert lab.images.get(f"{repo}:v1").id == v1.id and not lab.images.exists(f"{repo}:stable")

# %% lang="ko"
repo = lab.labels.image_repo("welcome")
print(f"$ docker images {repo}")
for img in lab.images.list(repo):
    for t in img.tags:
        print(f"   {t:36} {img.short_id:14} {img.size / 1e6:.1f} MB")
lab.images.remove(f"{repo}:stable")
print(f"$ docker rmi {repo}:stable")
print("welcome:v1은 그대로:", lab.images.exists(f"{repo}:v1"), "| 현재 태그:", lab.images.get(f"{repo}:v1").tags)
assert lab.images.get(f"{repo}:v1").id == v1.id and not lab.images.exists(f"{repo}:stable")

# %% [markdown]
# ## Exercises
# ### Exercise 1 — build your own image
# Build an image tagged **`greeter:v1`** whose default command prints exactly **`Hello, Docker!`**.
# Start from `debian:bookworm-slim`. You may write the Dockerfile as a string: `lab.build(tag, dockerfile=...)`.
# The check runs a container from your image and reads what it prints.

# %% [markdown] lang="ko"
# ## 연습 문제
# ### 연습 1 — 나만의 이미지 빌드하기
# 기본 명령이 정확히 `Hello, Docker!`를 출력하는 이미지를 **`greeter:v1`** 태그로 빌드하세요.
# `debian:bookworm-slim`에서 시작합니다. Dockerfile은 문자열로 써도 됩니다: `lab.build(tag, dockerfile=...)`.
# 확인은 여러분의 이미지로 컨테이너를 실행해 출력을 읽습니다.

# %%
### BEGIN SOLUTION
greeter = lab.build("greeter:v1", dockerfile='FROM debian:bookworm-slim\nCMD ["echo", "Hello, Docker!"]\n')
BuildLog(greeter)
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
# ### Exercise 2 — fix the order
# This Dockerfile rebuilds its slow step every time `app.txt` changes. Write `good_dockerfile`: the same
# instructions (do not change any of them), in an order that keeps the slow `RUN` step cached when only
# `app.txt` changes. The check builds your Dockerfile, edits `app.txt`, builds again and looks at the cache.

# %% [markdown] lang="ko"
# ### 연습 2 — 순서 고치기
# 이 Dockerfile은 `app.txt`가 바뀔 때마다 느린 단계를 다시 빌드합니다. `good_dockerfile`을 쓰세요. 같은 명령어들을(하나도 바꾸지
# 말고), `app.txt`만 바뀔 때 느린 `RUN` 단계가 캐시에 남는 순서로 놓아야 합니다. 확인은 여러분의 Dockerfile을 빌드하고,
# `app.txt`를 고치고, 다시 빌드해서 캐시를 살펴봅니다.

# %%
slow_dockerfile = """FROM debian:bookworm-slim
COPY app.txt /app/app.txt
RUN dd if=/dev/zero of=/opt/deps.bin bs=1M count=5 status=none && sleep 2
CMD ["cat", "/app/app.txt"]
"""
good_dockerfile = "____"
### BEGIN SOLUTION
good_dockerfile = """FROM debian:bookworm-slim
RUN dd if=/dev/zero of=/opt/deps.bin bs=1M count=5 status=none && sleep 2
COPY app.txt /app/app.txt
CMD ["cat", "/app/app.txt"]
"""
### END SOLUTION

# %%
ex.q2.check(good_dockerfile)

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ### Exercise 3 — a second name
# Give your image `greeter:v1` (exercise 1) a second tag, **`greeter:stable`**, without building anything.
# The check compares the two IDs.

# %% [markdown] lang="ko"
# ### 연습 3 — 두 번째 이름
# (연습 1의) 이미지 `greeter:v1`에 아무것도 빌드하지 않고 두 번째 태그 `greeter:stable`을 붙이세요.
# 확인은 두 ID를 비교합니다.

# %%
### BEGIN SOLUTION
print(lab.images.tag("greeter:v1", "greeter:stable"))
### END SOLUTION

# %%
ex.q3.check()

# %%
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown]
# ### Exercise 4 — containerize this app
# Time to write a Dockerfile of your own for a real program. `images/ch02-app/` holds a small Python web app,
# `app.py`, and no Dockerfile. It needs **Python 3** (on Debian: the package `python3`, installed with
# `apt-get install`) and listens on **port 8000**; its page `/` says which user id it runs as.
#
# The next cell copies the app into **your own folder** (a Dockerfile you wrote there before is kept as
# `Dockerfile.old`). Write a file named `Dockerfile` in that folder — from a cell as below, with JupyterLab's editor,
# or in a terminal — and build it (`lab.build("myapp:v1", app)`, or `docker build -t myapp:v1 .` in the folder).
# Your Dockerfile must:
# - start from `debian:bookworm-slim` and install Python 3;
# - run the app as a user that is **not root** (a program that needs no root powers should not have them);
# - keep the build cache useful: **an edit of `app.py` may only rebuild the steps that copy your code**, never the
#   installation of Python.
#
# The check builds your folder, runs the image, asks the app who it runs as, then edits `app.py` (in a copy) and
# builds again to see which steps ran.

# %% [markdown] lang="ko"
# ### 연습 4 — 이 앱을 컨테이너로 만들기
# 이제 실제 프로그램의 Dockerfile을 직접 쓸 차례입니다. `images/ch02-app/`에는 작은 Python 웹 앱 `app.py`가 있고 Dockerfile은
# 없습니다. 앱에는 **Python 3**가 필요하고(Debian에서는 `apt-get install`로 설치하는 `python3` 패키지), **포트 8000**에서
# 기다립니다. 페이지 `/`는 앱이 어떤 사용자 ID로 실행되는지 알려 줍니다.
#
# 다음 셀은 앱을 **여러분만의 폴더**로 복사합니다(전에 그곳에 쓴 Dockerfile은 `Dockerfile.old`로 남겨 둡니다). 그 폴더에
# `Dockerfile`이라는 파일을 쓰고(아래처럼 셀에서, JupyterLab의 편집기에서, 또는 터미널에서) 빌드하세요
# (`lab.build("myapp:v1", app)`, 또는 그 폴더에서 `docker build -t myapp:v1 .`). Dockerfile은 다음을 지켜야 합니다.
# - `debian:bookworm-slim`에서 시작하고 Python 3를 설치합니다.
# - 앱을 **root가 아닌** 사용자로 실행합니다(root 권한이 필요 없는 프로그램에는 그 권한을 주지 말아야 합니다).
# - 빌드 캐시가 쓸모 있게 합니다. **`app.py`를 고쳤을 때는 코드를 복사하는 단계만 다시 빌드되어야 하고**, Python 설치는 절대
#   다시 실행되면 안 됩니다.
#
# 확인은 여러분의 폴더를 빌드하고, 이미지를 실행하고, 앱에게 누구로 실행되는지 묻고, 그런 다음 (복사본의) `app.py`를 고쳐 다시
# 빌드해서 어떤 단계가 실행되었는지 봅니다.

# %%
app = ex.fresh_app()
print("your app folder:", app)
print(sorted(p.name for p in app.iterdir()))

# %% lang="ko"
app = ex.fresh_app()
print("내 앱 폴더:", app)
print(sorted(p.name for p in app.iterdir()))

# %%
### BEGIN SOLUTION
app_dockerfile = """FROM debian:bookworm-slim
RUN apt-get update \\
 && apt-get install -y --no-install-recommends python3 \\
 && apt-get clean && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY app.py .
USER app
EXPOSE 8000
CMD ["python3", "app.py"]
"""
(app / "Dockerfile").write_text(app_dockerfile)
myapp = lab.build("myapp:v1", app)
BuildLog(myapp)
### END SOLUTION

# %%
ex.q4.check()

# %%
# ex.q4.hint()
# ex.q4.hint(2)
# ex.q4.solution()

# %% [markdown]
# ## Recap
# - A **Dockerfile** is a recipe; `docker build` runs its instructions in order and makes an **image**.
# - An image is a **stack of read-only layers**: one per `RUN`/`COPY`/`ADD`; `CMD`, `ENV`… only set config.
#   Layers shared by several images (like the Debian base) are stored once.
# - The **build cache** reuses a step when the instruction, its parent and (for `COPY`) the files are unchanged.
#   A change invalidates that step **and every step after it**.
# - So: rarely-changing steps (installing dependencies) **first**, your often-changing files **last**.
# - A Dockerfile of your own: a base, the dependencies, a non-root user, your code last, and a `CMD` in exec form
#   (`["python3", "app.py"]`: one string per word).
# - An image **ID** is a digest of content (the config on the classic image store, the manifest on the containerd
#   store); layer digests are those of the uncompressed layer tars. **Tags** are names pointing at an ID.
# - A rebuild with no change is fully cached and gives the **same ID**; a `--no-cache` rebuild of the same files is a
#   new build with a **new ID**.
# - The kit builds with the classic builder; `docker build` (Docker 23+) uses BuildKit: another log, and a `LABEL`
#   does not change BuildKit's cache of the steps below it.
#
# ## Clean up
# This removes the containers and images this chapter made for you (only those: the kit finds them by label),
# and the scratch copy of the project.

# %% [markdown] lang="ko"
# ## 정리
# - **Dockerfile**은 레시피입니다. `docker build`가 명령어를 차례로 실행해 **이미지**를 만듭니다.
# - 이미지는 **읽기 전용 레이어의 스택**입니다. `RUN`/`COPY`/`ADD`마다 하나씩이고, `CMD`, `ENV` …는 설정만 정합니다.
#   여러 이미지가 공유하는 레이어(Debian 베이스 같은)는 한 번만 저장됩니다.
# - **빌드 캐시**는 명령어, 부모, (`COPY`라면) 파일이 바뀌지 않았을 때 단계를 재사용합니다. 변경은 그 단계와 **그 뒤의 모든 단계**를
#   무효로 만듭니다.
# - 그러니 드물게 바뀌는 단계(의존성 설치)를 **먼저**, 자주 바뀌는 내 파일을 **나중에** 둡니다.
# - 나만의 Dockerfile: 베이스, 의존성, root가 아닌 사용자, 맨 마지막에 내 코드, 그리고 exec 형식의 `CMD`
#   (`["python3", "app.py"]`: 단어마다 문자열 하나).
# - 이미지 **ID**는 내용의 다이제스트입니다(클래식 이미지 저장소에서는 설정, containerd 저장소에서는 매니페스트). 레이어 다이제스트는
#   압축하지 않은 레이어 tar의 다이제스트입니다. **태그**는 ID를 가리키는 이름입니다.
# - 아무것도 바꾸지 않은 재빌드는 모두 캐시되어 **같은 ID**를 줍니다. 같은 파일을 `--no-cache`로 다시 빌드하면 **새 ID**를 가진 새
#   빌드입니다.
# - 키트는 클래식 빌더로 빌드합니다. `docker build`(Docker 23+)는 BuildKit을 씁니다. 로그가 다르고, `LABEL`이 그 아래 단계의
#   BuildKit 캐시를 바꾸지 않습니다.
#
# ## 뒷정리
# 이 장에서 여러분을 위해 만든 컨테이너와 이미지(그것만 지웁니다. 키트는 레이블로 찾습니다), 그리고 프로젝트의 작업용 복사본을 지웁니다.

# %%
ch.reset()
shutil.rmtree(project.parent, ignore_errors=True)
assert lab.leaks(chapter="02") == []
