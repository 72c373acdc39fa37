# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 08 · Ship it: the same image on another server
#
# **In this chapter you will**
# 1. build your backend image once — and see that building it again changes nothing (every step cached, same ID);
# 2. start a **second, separate Docker engine**, the *cloud server*, and reach it the way you reach any remote
#    engine: by its address, `DOCKER_HOST`;
# 3. ship an image to it **as a file** (`docker save` / `docker load`);
# 4. run a **registry**, `push` your image to it, and deploy on the cloud server with a `pull`;
# 5. check that both servers run **the same image** (same ID, same digest) and give **byte-identical answers**;
# 6. deploy the whole app — chapter 06's compose file — on the cloud server through `DOCKER_HOST`;
# 7. see where "the same everywhere" stops: another CPU architecture (`--platform`, `exec format error`);
# 8. compare on-premise, private cloud and public cloud — and choose one for a real case.
#
# The article's promise: *build the image well once, and production runs exactly like local development.*
# This chapter tests that promise.

# %% [markdown] lang="ko"
# # 08 · 배포하기: 다른 서버에서 같은 이미지를
#
# **이 장에서 할 일**
# 1. 백엔드 이미지를 한 번 빌드하고, 다시 빌드해도 아무것도 바뀌지 않는 것을 봅니다(모든 단계가 캐시에서, 같은 ID).
# 2. **두 번째의 독립된 Docker 엔진**인 *클라우드 서버*를 띄우고, 원격 엔진에 닿는 방법 그대로 그 **주소**
#    `DOCKER_HOST`로 접속합니다.
# 3. 이미지를 **파일로** 그 서버에 보냅니다(`docker save` / `docker load`).
# 4. **레지스트리**(registry)를 띄우고 이미지를 푸시(push)한 뒤, 클라우드 서버에서 풀(pull)로 배포합니다.
# 5. 두 서버가 **같은 이미지**(같은 ID, 같은 다이제스트)를 실행하고 **바이트 하나까지 같은 응답**을 주는지 확인합니다.
# 6. 앱 전체(06장의 compose 파일)를 `DOCKER_HOST`로 클라우드 서버에 배포합니다.
# 7. "어디서나 똑같다"가 어디서 멈추는지 봅니다: 다른 CPU 아키텍처(`--platform`, `exec format error`).
# 8. 온프레미스, 프라이빗 클라우드, 퍼블릭 클라우드를 비교하고, 실제 사례에 맞는 것을 고릅니다.
#
# 이 과정이 따라가는 글의 약속: **"이미지 파일만 잘 만들어 놓으면 로컬개발환경과 동일하게 실제 배포환경에서도 프로젝트를
# 구동할 수 있다."** 이 장은 그 약속을 시험합니다.

# %% [markdown]
# ## Start the chapter
# The reset also stops a cloud server and a registry left by an earlier run, and deletes their data.

# %% [markdown] lang="ko"
# ## 장 시작하기
# 초기화(reset)는 예전에 실행하다 남은 클라우드 서버와 레지스트리도 멈추고, 그 데이터도 지웁니다.

# %%
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

import dockerlab as lab
from dockerlab import compose
from dockerlab.course import app_dir, cloud_server, copy_compose_example, ensure_app, platforms, registry, work_folder
from dockerlab.display.buildlog import BuildLog
from dockerlab.display.containers import containers_table
from dockerlab.exercises import ch08 as ex

ch = lab.start_chapter("08", "Ship it: the same image on another server", lang="en")
ch.reset(purge=True)

# %% lang="ko"
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

import dockerlab as lab
from dockerlab import compose
from dockerlab.course import app_dir, cloud_server, copy_compose_example, ensure_app, platforms, registry, work_folder
from dockerlab.display.buildlog import BuildLog
from dockerlab.display.containers import containers_table
from dockerlab.exercises import ch08 as ex

ch = lab.start_chapter("08", "배포하기: 다른 서버에서 같은 이미지를", lang="ko")
ch.reset(purge=True)

# %% [markdown]
# ## 1. Build once
# You build the backend from `images/backend` as **your own** image, `todo-api:1.0` (chapter 05 built the same
# sources as the course image, so the steps come from the cache).

# %% [markdown] lang="ko"
# ## 1. 한 번 빌드하기
# `images/backend`에서 백엔드를 **내** 이미지 `todo-api:1.0`으로 빌드합니다(05장에서 같은 소스를 과정의 이미지로
# 빌드했으므로, 단계들은 캐시에서 나옵니다).

# %%
todo_api = lab.build("todo-api:1.0", app_dir("backend"))
BuildLog(todo_api)

# %% [markdown]
# Build it **again**, with nothing changed. Docker compares each step's inputs (the instruction, the files it
# copies) with its cache: all the same, so nothing runs and the result is the very same image.

# %% [markdown] lang="ko"
# 아무것도 바꾸지 않고 **다시** 빌드합니다. Docker는 단계마다 입력(명령어, 복사하는 파일)을 캐시와 비교합니다.
# 모두 같으니 아무 단계도 실행되지 않고, 결과는 바로 그 이미지입니다.

# %%
again = lab.build("todo-api:1.0", app_dir("backend"))
print(f"steps that ran again: {again.rebuilt_steps or 'none'}; same image: {again.id == todo_api.id}")
assert again.fully_cached  # S6: a rebuild with no change is fully cached
assert again.id == todo_api.id  # S6: … and gives the very same image

# %% lang="ko"
again = lab.build("todo-api:1.0", app_dir("backend"))
print(f"다시 실행된 단계: {again.rebuilt_steps or '없음'}; 같은 이미지: {again.id == todo_api.id}")
assert again.fully_cached  # S6: 바뀐 것이 없는 다시 빌드는 모두 캐시에서 나옵니다
assert again.id == todo_api.id  # S6: … 그리고 바로 그 이미지를 줍니다

# %% [markdown]
# "The same ID" comes from the **cache**, not from the sources. Rebuild with `--no-cache` and every step runs again:
# same Dockerfile, same files, yet a **new** image ID — the image's config records when it was created, each `RUN`
# writes files with new times, and the ID is a digest of that config. (Shown on a small image: the backend would take
# a minute.) So "exactly what was tested" is pinned by the image's **digest**, not by building again — chapter 11.

# %% [markdown] lang="ko"
# "같은 ID"는 소스가 아니라 **캐시**에서 나옵니다. `--no-cache`로 다시 빌드하면 모든 단계가 다시 실행됩니다.
# Dockerfile도 파일도 같은데 이미지 ID는 **새것**입니다. 이미지의 설정(config)에는 만들어진 시각이 기록되고, `RUN`마다
# 새 시각으로 파일을 쓰며, ID는 그 설정의 다이제스트이기 때문입니다(작은 이미지로 보여 줍니다. 백엔드는 1분쯤 걸립니다).
# 그래서 "테스트한 바로 그것"은 다시 빌드해서가 아니라 이미지의 **다이제스트**로 고정합니다. 11장에서 봅니다.

# %%
TINY = "FROM debian:bookworm-slim\nRUN echo 'built once' > /built.txt\n"
first, second = (lab.build("tiny:1", dockerfile=TINY, nocache=True) for _ in range(2))
print(second.cli)
for build in (first, second):
    print(f"{build.id[:19]}  created {lab.images.inspect(build.id).created}")
assert first.id != second.id  # a --no-cache rebuild of the same content: a new image ID

# %% lang="ko"
TINY = "FROM debian:bookworm-slim\nRUN echo 'built once' > /built.txt\n"
first, second = (lab.build("tiny:1", dockerfile=TINY, nocache=True) for _ in range(2))
print(second.cli)
for build in (first, second):
    print(f"{build.id[:19]}  만든 시각 {lab.images.inspect(build.id).created}")
assert first.id != second.id  # 같은 내용을 --no-cache로 다시 빌드하면 이미지 ID가 새로 나옵니다

# %% [markdown]
# **Which image store?** Where an image ID comes from depends on how the engine stores images. The classic store
# (Docker's graph drivers, like `overlay2`) names an image by the digest of its **config**; the **containerd image
# store** (the default on new Docker Engine installs since version 29, optional since 24) names it by the digest of
# its **manifest**. This chapter says which one it ran on, and asserts only what holds on it.

# %% [markdown] lang="ko"
# **어떤 이미지 저장소(image store)인가?** 이미지 ID가 어디서 나오는지는 엔진이 이미지를 보관하는 방식에 달려 있습니다.
# 기존(classic) 저장소(`overlay2` 같은 Docker의 그래프 드라이버)는 이미지를 **설정**(config)의 다이제스트로 부르고,
# **containerd 이미지 저장소**(버전 29부터 새로 설치한 Docker Engine의 기본값, 24부터 선택 가능)는 **매니페스트**(manifest)의
# 다이제스트로 부릅니다. 이 장은 어느 쪽에서 실행했는지 알려 주고, 그쪽에서 성립하는 것만 확인합니다.

# %%
store = lab.engine_info().image_store
print("this engine's image store:", store)
assert store in ("classic", "containerd")

# %% lang="ko"
store = lab.engine_info().image_store
print("이 엔진의 이미지 저장소:", store)
assert store in ("classic", "containerd")

# %% [markdown]
# ## 2. A second server: the "cloud server"
# In real life the other server is a Linux VM at a cloud provider with Docker installed. You would point your
# `docker` CLI at it with `DOCKER_HOST=ssh://you@server` (or a `docker context`). Here the kit starts a **second
# Docker engine** on this machine. It shares nothing with your usual engine: its own socket, its own folder for
# images and containers, its own network bridge. You reach it by its **address**, exactly as a remote engine.

# %% [markdown] lang="ko"
# ## 2. 두 번째 서버: "클라우드 서버"
# 실제로는 다른 서버가 클라우드 업체의 Linux VM이고, 거기에 Docker가 설치되어 있습니다. `docker` CLI가 그 서버를
# 가리키게 하려면 `DOCKER_HOST=ssh://you@server`(또는 `docker context`)를 씁니다. 여기서는 키트가 이 컴퓨터에
# **두 번째 Docker 엔진**을 띄웁니다. 평소 쓰는 엔진과 나누는 것이 없습니다. 소켓도, 이미지와 컨테이너를 두는 폴더도,
# 네트워크 브리지도 따로입니다. 원격 엔진과 똑같이 그 **주소**로 접속합니다.

# %%
server = cloud_server.start()
print("export", server.docker_host)
cloud = lab.connect(server.address)  # docker.DockerClient(base_url=server.address), like any remote engine
local = lab.connect()

for label, client in (("your engine", local), (cloud_server.LABEL, cloud)):
    info = lab.engine_info(client)  # `docker info` of the engine this client talks to
    print(f"{label:>13}: Docker {info.server_version}, data in {info.docker_root_dir}, "
          f"{info.images} image(s), {info.containers} container(s)")
assert lab.engine_info(cloud).docker_root_dir != lab.engine_info(local).docker_root_dir  # two separate engines
assert lab.images.list(client=cloud) == [] and lab.ps(client=cloud) == []  # a fresh server: only an engine

# %% lang="ko"
server = cloud_server.start()
print("export", server.docker_host)
cloud = lab.connect(server.address)  # docker.DockerClient(base_url=server.address): 여느 원격 엔진과 같습니다
local = lab.connect()

for label, client in (("내 엔진", local), (cloud_server.LABEL, cloud)):
    info = lab.engine_info(client)  # 이 클라이언트가 말하는 엔진의 `docker info`
    print(f"{label:>13}: Docker {info.server_version}, 데이터 위치 {info.docker_root_dir}, "
          f"이미지 {info.images}개, 컨테이너 {info.containers}개")
assert lab.engine_info(cloud).docker_root_dir != lab.engine_info(local).docker_root_dir  # 서로 다른 두 엔진
assert lab.images.list(client=cloud) == [] and lab.ps(client=cloud) == []  # 갓 만든 서버: 엔진만 있습니다

# %% [markdown]
# The `docker` CLI reaches it the same way: set `DOCKER_HOST` and every command goes to that engine.
# (This is what you would do from your laptop for a real cloud VM.)

# %% [markdown] lang="ko"
# `docker` CLI도 같은 방법으로 닿습니다. `DOCKER_HOST`를 설정하면 모든 명령이 그 엔진으로 갑니다.
# (실제 클라우드 VM이라면 내 노트북에서 이렇게 합니다.)

# %%
if shutil.which("docker"):
    env = dict(os.environ, DOCKER_HOST=server.address)
    for args in (["docker", "version", "--format", "server {{.Server.Version}}"], ["docker", "images"]):
        print("$", " ".join(args))
        print(subprocess.run(args, env=env, capture_output=True, text=True, timeout=30).stdout.rstrip())
else:
    print("(no docker CLI here: the SDK above is enough)")

# %% lang="ko"
if shutil.which("docker"):
    env = dict(os.environ, DOCKER_HOST=server.address)
    for args in (["docker", "version", "--format", "server {{.Server.Version}}"], ["docker", "images"]):
        print("$", " ".join(args))
        print(subprocess.run(args, env=env, capture_output=True, text=True, timeout=30).stdout.rstrip())
else:
    print("(여기에는 docker CLI가 없습니다. 위의 SDK로 충분합니다)")

# %% [markdown]
# The cloud server has **no images**: no Java, no Node, no nginx. Everything an app needs must come inside its
# image. There are two ways to get an image there: as a file, or through a registry.
#
# ## 3. Ship an image as a file: `docker save` / `docker load`
# `docker save` writes an image — all its layers plus its config — into one `.tar` file. Copy the file to the
# server (USB stick, `scp`…) and `docker load` it there. Let us ship the **frontend** this way.

# %% [markdown] lang="ko"
# 클라우드 서버에는 **이미지가 없습니다**. Java도, Node도, nginx도 없습니다. 앱에 필요한 것은 모두 이미지 안에 들어
# 있어야 합니다. 이미지를 그곳에 가져가는 방법은 두 가지입니다. 파일로, 또는 레지스트리를 거쳐서.
#
# ## 3. 이미지를 파일로 보내기: `docker save` / `docker load`
# `docker save`는 이미지 하나(모든 레이어와 설정)를 `.tar` 파일 하나에 씁니다. 그 파일을 서버에 복사하고(USB 메모리,
# `scp`…) 거기서 `docker load`합니다. **프론트엔드**를 이렇게 보내 봅시다.

# %%
frontend_ref = ensure_app("frontend")
frontend_image = local.images.get(frontend_ref)
workdir = Path(tempfile.mkdtemp(prefix="dockerlab-ship-"))
tar_path = workdir / "frontend.tar"

started = time.monotonic()
with open(tar_path, "wb") as out:
    for chunk in frontend_image.save(named=True):  # the image streams out in chunks
        out.write(chunk)
saved_s = time.monotonic() - started
print(f"$ docker save -o {tar_path.name} {frontend_ref}")
print(f"{tar_path.stat().st_size / 1e6:.1f} MB written in {saved_s:.1f} s")

# %% lang="ko"
frontend_ref = ensure_app("frontend")
frontend_image = local.images.get(frontend_ref)
workdir = Path(tempfile.mkdtemp(prefix="dockerlab-ship-"))
tar_path = workdir / "frontend.tar"

started = time.monotonic()
with open(tar_path, "wb") as out:
    for chunk in frontend_image.save(named=True):  # 이미지가 조각조각 흘러나옵니다
        out.write(chunk)
saved_s = time.monotonic() - started
print(f"$ docker save -o {tar_path.name} {frontend_ref}")
print(f"{tar_path.stat().st_size / 1e6:.1f} MB를 {saved_s:.1f}초에 썼습니다")

# %% [markdown]
# What is inside? A `manifest.json` that names the image's config and its layers, one tar per layer:

# %% [markdown] lang="ko"
# 안에는 무엇이 있을까요? 이미지의 설정과 레이어들을 적은 `manifest.json`, 그리고 레이어마다 tar 하나씩입니다.

# %%
with tarfile.open(tar_path) as tar:
    manifest = json.load(tar.extractfile("manifest.json"))[0]
print("tags  :", manifest["RepoTags"])
print("config:", manifest["Config"])
print("layers:", len(manifest["Layers"]))
for layer in manifest["Layers"][:4]:
    print("   ", layer)
assert manifest["RepoTags"] == [frontend_ref]

# %% lang="ko"
with tarfile.open(tar_path) as tar:
    manifest = json.load(tar.extractfile("manifest.json"))[0]
print("태그    :", manifest["RepoTags"])
print("설정    :", manifest["Config"])
print("레이어  :", len(manifest["Layers"]))
for layer in manifest["Layers"][:4]:
    print("   ", layer)
assert manifest["RepoTags"] == [frontend_ref]

# %% [markdown]
# Now load the file **on the cloud server** (`DOCKER_HOST=… docker load -i frontend.tar`):

# %% [markdown] lang="ko"
# 이제 그 파일을 **클라우드 서버에서** 불러옵니다(`DOCKER_HOST=… docker load -i frontend.tar`).

# %%
started = time.monotonic()
with open(tar_path, "rb") as tar_file:
    loaded = cloud.images.load(tar_file)
print(f"$ DOCKER_HOST={server.address} docker load -i {tar_path.name}")
print(f"loaded {loaded[0].tags} in {time.monotonic() - started:.1f} s")
print("ID on your engine :", frontend_image.id)
print("ID on the server  :", loaded[0].id)
assert loaded[0].id == frontend_image.id  # S5/S6: the same image arrived, bit for bit
shutil.rmtree(workdir)

# %% lang="ko"
started = time.monotonic()
with open(tar_path, "rb") as tar_file:
    loaded = cloud.images.load(tar_file)
print(f"$ DOCKER_HOST={server.address} docker load -i {tar_path.name}")
print(f"{loaded[0].tags}을(를) {time.monotonic() - started:.1f}초에 불러왔습니다")
print("내 엔진의 ID  :", frontend_image.id)
print("서버의 ID     :", loaded[0].id)
assert loaded[0].id == frontend_image.id  # S5/S6: 같은 이미지가 비트 하나 다르지 않게 도착했습니다
shutil.rmtree(workdir)

# %% [markdown]
# Same ID means same content: the ID is a SHA-256 digest — of the image's config on the classic store (the config
# names the digest of every layer), of its manifest on the containerd store (the manifest names the config and the
# layers). Either way, one changed byte anywhere changes it. Run the frontend on **both** engines and fetch its page:
# the bytes are identical.

# %% [markdown] lang="ko"
# ID가 같으면 내용이 같습니다. ID는 SHA-256 다이제스트입니다. 기존 저장소에서는 이미지 설정의 다이제스트이고(설정에 모든
# 레이어의 다이제스트가 적혀 있습니다), containerd 저장소에서는 매니페스트의 다이제스트입니다(매니페스트에 설정과 레이어가
# 적혀 있습니다). 어느 쪽이든 어디서 한 바이트만 바뀌어도 ID가 바뀝니다. 프론트엔드를 **두** 엔진에서 실행하고 페이지를
# 받아 보면, 바이트가 똑같습니다.

# %%
def page_of(client) -> bytes:
    web = lab.run("ship-frontend", frontend_ref, ports={8080: None}, wait=lab.Http("/", 8080), client=client)
    with urllib.request.urlopen(web.url(8080, "/"), timeout=10) as resp:
        return resp.read()


local_page, cloud_page = page_of(local), page_of(cloud)
print(f"local page: {len(local_page)} bytes, sha256 {hashlib.sha256(local_page).hexdigest()[:16]}…")
print(f"cloud page: {len(cloud_page)} bytes, sha256 {hashlib.sha256(cloud_page).hexdigest()[:16]}…")
assert local_page == cloud_page  # S6: byte-identical

# %% lang="ko"
def page_of(client) -> bytes:
    web = lab.run("ship-frontend", frontend_ref, ports={8080: None}, wait=lab.Http("/", 8080), client=client)
    with urllib.request.urlopen(web.url(8080, "/"), timeout=10) as resp:
        return resp.read()


local_page, cloud_page = page_of(local), page_of(cloud)
print(f"내 엔진의 페이지: {len(local_page)}바이트, sha256 {hashlib.sha256(local_page).hexdigest()[:16]}…")
print(f"서버의 페이지   : {len(cloud_page)}바이트, sha256 {hashlib.sha256(cloud_page).hexdigest()[:16]}…")
assert local_page == cloud_page  # S6: 바이트 하나까지 같습니다

# %% [markdown]
# ## 4. A registry
# Files work, but teams ship through a **registry**: a server that stores images by name, like Docker Hub,
# GitHub's ghcr.io or a cloud provider's registry. `docker push` uploads only the layers the registry does not
# have yet; `docker pull` on any server downloads only the layers that server lacks.
#
# The kit runs your own registry (the CNCF `distribution` registry 2.8, the program behind Docker Hub's
# `registry:2` image) in a container, published on `127.0.0.1` with a free port.
#
# > **Why this one must stay on 127.0.0.1.** It speaks plain HTTP and asks for no password. By default a Docker engine
# > talks plain HTTP only to registries on `127.0.0.0/8` — a default, not a law: an engine's `daemon.json` can list
# > more under `"insecure-registries"` (say, `["registry.lab:5000"]`), and everything it pulls from there can be read
# > or swapped on the way. A real registry needs **TLS** (HTTPS) and **authentication** (so only your CI can push,
# > and only your servers can pull): `docker login` against a registry behind a certificate.

# %% [markdown] lang="ko"
# ## 4. 레지스트리
# 파일로도 되지만, 팀은 **레지스트리**로 배포합니다. 레지스트리는 이미지를 이름으로 보관하는 서버로, Docker Hub,
# GitHub의 ghcr.io, 클라우드 업체의 레지스트리가 그렇습니다. `docker push`는 레지스트리에 아직 없는 레이어만 올리고,
# 어느 서버에서든 `docker pull`은 그 서버에 없는 레이어만 내려받습니다.
#
# 키트는 여러분만의 레지스트리(CNCF `distribution` 레지스트리 2.8, Docker Hub의 `registry:2` 이미지 속 프로그램)를
# 컨테이너로 띄우고, `127.0.0.1`의 빈 포트로 공개합니다.
#
# > **이 레지스트리가 127.0.0.1에만 있어야 하는 이유.** 평범한 HTTP로 말하고 비밀번호도 묻지 않습니다. Docker 엔진은
# > 기본적으로 `127.0.0.0/8`에 있는 레지스트리와만 평범한 HTTP로 이야기합니다. 이것은 기본값일 뿐 법칙이 아닙니다.
# > 엔진의 `daemon.json`에서 `"insecure-registries"`에 더 적을 수 있고(예: `["registry.lab:5000"]`), 그러면 거기서
# > 받는 모든 것을 오가는 길에 누군가 읽거나 바꿔치기할 수 있습니다. 실제 레지스트리에는 **TLS**(HTTPS)와
# > **인증**(CI만 푸시하고 내 서버만 풀할 수 있도록)이 필요합니다. 인증서 뒤에 있는 레지스트리에 `docker login`합니다.

# %%
reg = registry.start()
print(reg.container.cli)
print("registry at", reg.url, "— catalog:", reg.catalog())
print("plain HTTP allowed by your engine for:", lab.engine_info().insecure_registries)
assert reg.catalog() == []
assert "127.0.0.0/8" in lab.engine_info().insecure_registries  # the default that lets this registry work

# %% lang="ko"
reg = registry.start()
print(reg.container.cli)
print("레지스트리 주소", reg.url, "— 카탈로그:", reg.catalog())
print("내 엔진이 평범한 HTTP를 허용하는 곳:", lab.engine_info().insecure_registries)
assert reg.catalog() == []
assert "127.0.0.0/8" in lab.engine_info().insecure_registries  # 이 레지스트리가 동작하게 해 주는 기본값

# %% [markdown]
# An image's **name says where it lives**: `127.0.0.1:<port>/todo-api:1.0` means "the repository `todo-api`,
# tag `1.0`, on the registry at `127.0.0.1:<port>`". So pushing is two steps: give the image that name
# (`docker tag`), then `docker push` it.

# %% [markdown] lang="ko"
# 이미지의 **이름은 그 이미지가 사는 곳을 말합니다**. `127.0.0.1:<port>/todo-api:1.0`은 "`127.0.0.1:<port>`에 있는
# 레지스트리의 저장소(리포지토리) `todo-api`, 태그 `1.0`"이라는 뜻입니다. 그래서 푸시는 두 단계입니다. 이미지에 그
# 이름을 붙이고(`docker tag`), `docker push`합니다.

# %%
pushed = reg.push(todo_api.tag, "todo-api", "1.0")
print(f"$ docker tag {todo_api.tag} {pushed.ref}")
print(pushed.cli)
print("\n".join(pushed.lines[-6:]))

# %% [markdown]
# The registry speaks a small HTTP API (the *Docker Registry HTTP API v2*). Ask it what it holds, like
# `curl http://127.0.0.1:<port>/v2/_catalog`:

# %% [markdown] lang="ko"
# 레지스트리는 작은 HTTP API(*Docker Registry HTTP API v2*)로 말합니다. `curl http://127.0.0.1:<port>/v2/_catalog`처럼
# 무엇을 가지고 있는지 물어봅니다.

# %%
print("GET /v2/_catalog              ->", reg.catalog())
print("GET /v2/todo-api/tags/list    ->", reg.tags("todo-api"))
digest = reg.digest("todo-api", "1.0")
print("manifest digest               ->", digest)
print("config digest                 ->", reg.config_digest("todo-api", "1.0"))
print(f"your image's ID ({store} store) ->", todo_api.id)
assert reg.tags("todo-api") == ["1.0"] and digest == pushed.digest
# the registry stores exactly your image: its ID is the config's digest (classic store) or the manifest's (containerd)
assert todo_api.id == (reg.config_digest("todo-api", "1.0") if store == "classic" else digest)

# %% lang="ko"
print("GET /v2/_catalog              ->", reg.catalog())
print("GET /v2/todo-api/tags/list    ->", reg.tags("todo-api"))
digest = reg.digest("todo-api", "1.0")
print("매니페스트 다이제스트          ->", digest)
print("설정 다이제스트                ->", reg.config_digest("todo-api", "1.0"))
print(f"내 이미지의 ID ({store} 저장소) ->", todo_api.id)
assert reg.tags("todo-api") == ["1.0"] and digest == pushed.digest
# 레지스트리는 내 이미지를 정확히 보관합니다: 이미지 ID는 설정의 다이제스트(classic) 또는 매니페스트의 다이제스트(containerd)
assert todo_api.id == (reg.config_digest("todo-api", "1.0") if store == "classic" else digest)

# %% [markdown]
# **Layer digests are not all alike.** `docker inspect` lists an image's layers as `RootFS.Layers`: digests of each
# layer's **uncompressed** tar (*diff IDs*). A registry stores each layer **compressed** (gzip), so its manifest names
# other digests — and other sizes — for the very same layers. Compare the two lists:

# %% [markdown] lang="ko"
# **레이어 다이제스트라고 다 같지 않습니다.** `docker inspect`는 이미지의 레이어를 `RootFS.Layers`로 보여 줍니다.
# 레이어마다 **압축하지 않은** tar의 다이제스트(*diff ID*)입니다. 레지스트리는 레이어를 **압축해서**(gzip) 보관하므로,
# 매니페스트에는 바로 그 레이어들에 대해 다른 다이제스트와 다른 크기가 적혀 있습니다. 두 목록을 비교해 봅니다.

# %%
diff_ids = lab.images.inspect(todo_api.tag).layers
_, manifest = reg.manifest("todo-api", "1.0")
blobs = [(layer["digest"], layer["size"]) for layer in manifest["layers"]]
for diff_id, (blob, size) in list(zip(diff_ids, blobs))[-3:]:
    print(f"diff ID {diff_id[7:23]}…  ↔  registry blob {blob[7:23]}… ({size / 1e6:.1f} MB compressed)")
assert len(diff_ids) == len(blobs) and not set(diff_ids) & {blob for blob, _ in blobs}

# %% lang="ko"
diff_ids = lab.images.inspect(todo_api.tag).layers
_, manifest = reg.manifest("todo-api", "1.0")
blobs = [(layer["digest"], layer["size"]) for layer in manifest["layers"]]
for diff_id, (blob, size) in list(zip(diff_ids, blobs))[-3:]:
    print(f"diff ID {diff_id[7:23]}…  ↔  레지스트리 blob {blob[7:23]}… (압축해서 {size / 1e6:.1f} MB)")
assert len(diff_ids) == len(blobs) and not set(diff_ids) & {blob for blob, _ in blobs}

# %% [markdown]
# ## 5. Deploy on the cloud server from the registry
# A deploy is now two commands on the server: `docker pull` and `docker run`. The server downloads the layers from
# the registry; nothing is built there.

# %% [markdown] lang="ko"
# ## 5. 레지스트리에서 클라우드 서버로 배포하기
# 이제 배포는 서버에서 명령 두 개입니다. `docker pull`과 `docker run`. 서버는 레지스트리에서 레이어를 내려받고,
# 거기서는 아무것도 빌드하지 않습니다.

# %%
started = time.monotonic()
pulled = registry.pull(pushed.ref, client=cloud)
print(f"$ DOCKER_HOST={server.address} docker pull {pushed.ref}")
print(f"pulled in {time.monotonic() - started:.1f} s")
print("image ID on your engine :", todo_api.id)
print("image ID on the server  :", pulled.id)
print("digest on the server    :", pulled.repo_digests)
assert pulled.id == todo_api.id  # S6: the same image ID in both places
assert pulled.repo_digests == [f"{reg.host}/todo-api@{digest}"]  # … and the same digest

# %% lang="ko"
started = time.monotonic()
pulled = registry.pull(pushed.ref, client=cloud)
print(f"$ DOCKER_HOST={server.address} docker pull {pushed.ref}")
print(f"{time.monotonic() - started:.1f}초에 풀(pull)했습니다")
print("내 엔진의 이미지 ID :", todo_api.id)
print("서버의 이미지 ID    :", pulled.id)
print("서버의 다이제스트   :", pulled.repo_digests)
assert pulled.id == todo_api.id  # S6: 두 곳에서 같은 이미지 ID
assert pulled.repo_digests == [f"{reg.host}/todo-api@{digest}"]  # … 그리고 같은 다이제스트

# %% [markdown]
# The deploy step does not care **where** it runs: it takes a client, i.e. an engine's address. Point it at your
# own engine or at the cloud server — that address is the only difference. (On-premise server, private cloud or
# public cloud: to Docker they are all just an engine at an address.)

# %% [markdown] lang="ko"
# 배포 단계는 **어디서** 실행되는지 상관하지 않습니다. 클라이언트, 즉 엔진의 주소를 받을 뿐입니다. 내 엔진을 가리키든
# 클라우드 서버를 가리키든, 다른 것은 그 주소뿐입니다. (온프레미스 서버든 프라이빗 클라우드든 퍼블릭 클라우드든,
# Docker에게는 모두 어떤 주소에 있는 엔진일 뿐입니다.)

# %%
def deploy(client, image: str) -> lab.Container:
    """Run the todo API from ``image`` on the engine ``client`` talks to, with a fresh data volume."""
    return lab.run("api", image, client=client, ports={8080: None}, volumes={"todo-data": "/data"},
                   hostname="todo-api", wait="log:Started TodoApplication")


api_local = deploy(local, todo_api.tag)
api_cloud = deploy(cloud, pushed.ref)
print(api_cloud.cli)
print("local :", api_local.url(8080, "/api/todos"))
print("cloud :", api_cloud.url(8080, "/api/todos"))
assert api_local.image_id == api_cloud.image_id
containers_table([api_local, api_cloud], title="api on your engine (first) and on the cloud server (second)")

# %% lang="ko"
def deploy(client, image: str) -> lab.Container:
    """``image``로 할 일 API를 ``client``가 말하는 엔진에서 새 데이터 볼륨과 함께 실행합니다."""
    return lab.run("api", image, client=client, ports={8080: None}, volumes={"todo-data": "/data"},
                   hostname="todo-api", wait="log:Started TodoApplication")


api_local = deploy(local, todo_api.tag)
api_cloud = deploy(cloud, pushed.ref)
print(api_cloud.cli)
print("내 엔진 :", api_local.url(8080, "/api/todos"))
print("클라우드:", api_cloud.url(8080, "/api/todos"))
assert api_local.image_id == api_cloud.image_id
containers_table([api_local, api_cloud], title="내 엔진(첫째)과 클라우드 서버(둘째)의 api")

# %% [markdown]
# Now the same requests to both: add the same todos, then read the list and the app's info.

# %% [markdown] lang="ko"
# 이제 두 곳에 같은 요청을 보냅니다. 같은 할 일을 추가하고, 목록과 앱 정보를 읽습니다.

# %%
def call(api: lab.Container, method: str, path: str, body: dict | None = None) -> bytes:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(api.url(8080, path), data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.read()


answers = {}
for name, api in (("local", api_local), ("cloud", api_cloud)):
    for title in ("build once", "ship the image", "run it anywhere"):
        call(api, "POST", "/api/todos", {"title": title})
    answers[name] = (call(api, "GET", "/api/todos"), call(api, "GET", "/api/info"))
    print(f"{name}: {answers[name][0].decode()}\n       {answers[name][1].decode()}")

assert answers["local"] == answers["cloud"]  # S6: byte-identical responses from the two servers

# %% [markdown]
# Same image, same configuration (port, hostname, an empty volume), same requests: the two servers answer
# **byte for byte** the same. That is the promise of the article, measured.
#
# ## 6. The whole app on the cloud server, with Compose
# One container is one `docker run`; the whole app — backend, frontend, network, volume — is chapter 06's
# `compose.yaml`. To deploy it elsewhere, point Compose at the other engine with **`DOCKER_HOST`** and give it the
# images' address: the file's `${REGISTRY:-}` takes the registry's, so the cloud server pulls both images from there.
# First the two course images go to the registry, under their own names:

# %% [markdown] lang="ko"
# 같은 이미지, 같은 설정(포트, 호스트 이름, 빈 볼륨), 같은 요청. 두 서버가 **바이트 하나까지** 같게 답합니다.
# 글이 한 약속을 측정으로 확인했습니다.
#
# ## 6. Compose로 앱 전체를 클라우드 서버에
# 컨테이너 하나는 `docker run` 하나입니다. 앱 전체(백엔드, 프론트엔드, 네트워크, 볼륨)는 06장의 `compose.yaml`입니다.
# 다른 곳에 배포하려면 **`DOCKER_HOST`로** Compose가 다른 엔진을 가리키게 하고 이미지의 주소를 알려 줍니다. 파일의
# `${REGISTRY:-}`가 레지스트리 주소를 받으므로, 클라우드 서버는 두 이미지를 모두 거기서 풀합니다.
# 먼저 과정의 두 이미지를 자기 이름 그대로 레지스트리에 올립니다.

# %%
for app in ("backend", "frontend"):
    course_image = ensure_app(app)
    name, _, version = course_image.partition(":")
    shipped = reg.push(course_image, name, version)
    print(shipped.cli)
print("registry now holds:", reg.catalog())

# %% lang="ko"
for app in ("backend", "frontend"):
    course_image = ensure_app(app)
    name, _, version = course_image.partition(":")
    shipped = reg.push(course_image, name, version)
    print(shipped.cli)
print("이제 레지스트리에 있는 것:", reg.catalog())

# %% [markdown]
# The same file, unchanged; only the engine (`DOCKER_HOST`) and one variable differ from chapter 06 — plus one small
# file for this stand-in server. A real server resolves the service name `backend` with Docker's own DNS; our stand-in
# runs without a firewall of its own (`--iptables=false`, so as not to rewrite this machine's), and that switches the
# containers' DNS off too. So a second file, merged over the first (`-f compose.yaml -f cloud.yaml`: the way teams
# keep a production override beside the main file), gives the backend a fixed address, and tells the frontend that
# address. `server.private_network()` picks the range: one this machine does not use, whose containers this
# machine's firewall lets talk to each other.

# %% [markdown] lang="ko"
# 파일은 그대로이고, 06장과 다른 것은 엔진(`DOCKER_HOST`)과 변수 하나, 그리고 이 대역 서버를 위한 작은 파일 하나뿐입니다.
# 실제 서버라면 서비스 이름 `backend`를 Docker의 DNS가 풀어 줍니다. 우리의 대역 서버는 자기 방화벽 없이 실행되고
# (이 컴퓨터의 방화벽을 고쳐 쓰지 않도록 `--iptables=false`), 그 때문에 컨테이너의 DNS도 꺼집니다. 그래서 첫 파일 위에
# 두 번째 파일을 합쳐서(`-f compose.yaml -f cloud.yaml`: 팀이 운영용 덮어쓰기 파일을 기본 파일 옆에 두는 방식)
# 백엔드에 고정 주소를 주고, 프론트엔드에 그 주소를 알려 줍니다. 주소 범위는 `server.private_network()`가 고릅니다.
# 이 컴퓨터가 쓰지 않는 범위이고, 이 컴퓨터의 방화벽이 그 안의 컨테이너끼리 이야기하도록 허용하는 범위입니다.

# %%
folder = copy_compose_example(work_folder("ship-todo-app"))
private = server.private_network()
subnet, backend_ip = private.subnet, private.address(10)
(folder / "cloud.yaml").write_text(f"""# only for the course's stand-in server: its containers have no DNS (see the chapter)
services:
  backend:
    networks:
      todo-net:
        ipv4_address: {backend_ip}
  frontend:
    environment:
      BACKEND_URL: http://{backend_ip}:8080
networks:
  todo-net:
    ipam:
      config:
        - subnet: {subnet}
""")
print((folder / "cloud.yaml").read_text())

# %% lang="ko"
folder = copy_compose_example(work_folder("ship-todo-app"))
private = server.private_network()
subnet, backend_ip = private.subnet, private.address(10)
(folder / "cloud.yaml").write_text(f"""# 과정의 대역 서버에만 쓰는 파일: 그 컨테이너들에는 DNS가 없습니다(장 본문 참고)
services:
  backend:
    networks:
      todo-net:
        ipv4_address: {backend_ip}
  frontend:
    environment:
      BACKEND_URL: http://{backend_ip}:8080
networks:
  todo-net:
    ipam:
      config:
        - subnet: {subnet}
""")
print((folder / "cloud.yaml").read_text())

# %% [markdown]
# `pull`, then `up`, as you would on a real server (`DOCKER_HOST=ssh://you@server docker compose up -d`):

# %% [markdown] lang="ko"
# 실제 서버에서 하듯이 `pull`, 그다음 `up`입니다(`DOCKER_HOST=ssh://you@server docker compose up -d`).

# %%
cloud_app = compose.Project("todo", folder, overrides=["cloud.yaml"], docker_host=server.address,
                            env={"REGISTRY": f"{reg.host}/"})
cloud_app.pull()
print(cloud_app.cli)
cloud_app.up()
print(cloud_app.cli)
containers_table(cloud_app.ps(), title=f"Compose project {cloud_app.name} on the cloud server")

# %% lang="ko"
cloud_app = compose.Project("todo", folder, overrides=["cloud.yaml"], docker_host=server.address,
                            env={"REGISTRY": f"{reg.host}/"})
cloud_app.pull()
print(cloud_app.cli)
cloud_app.up()
print(cloud_app.cli)
containers_table(cloud_app.ps(), title=f"클라우드 서버의 Compose 프로젝트 {cloud_app.name}")

# %%
frontend_on_cloud = cloud_app.container("frontend")
print("the app on the cloud server:", frontend_on_cloud.url(8080, "/"))
call(frontend_on_cloud, "POST", "/api/todos", {"title": "deployed with compose"})
todos = json.loads(call(frontend_on_cloud, "GET", "/api/todos"))
print(todos)
assert [t["title"] for t in todos] == ["deployed with compose"]
assert frontend_on_cloud.image.startswith(reg.host)  # pulled from the registry, not built there
assert lab.ps(client=cloud) and not [c for c in lab.ps() if c.name == frontend_on_cloud.name]  # only on the server
print(cloud_app.down(volumes=True))

# %% lang="ko"
frontend_on_cloud = cloud_app.container("frontend")
print("클라우드 서버의 앱:", frontend_on_cloud.url(8080, "/"))
call(frontend_on_cloud, "POST", "/api/todos", {"title": "deployed with compose"})
todos = json.loads(call(frontend_on_cloud, "GET", "/api/todos"))
print(todos)
assert [t["title"] for t in todos] == ["deployed with compose"]
assert frontend_on_cloud.image.startswith(reg.host)  # 거기서 빌드하지 않고 레지스트리에서 풀했습니다
assert lab.ps(client=cloud) and not [c for c in lab.ps() if c.name == frontend_on_cloud.name]  # 서버에만 있습니다
print(cloud_app.down(volumes=True))

# %% [markdown]
# ## 7. The same everywhere — on the same kind of CPU
# An image holds **machine code** for one CPU architecture. Everything so far was `linux/amd64` (x86-64); ARM servers
# (`linux/arm64`: AWS Graviton, Raspberry Pi, Apple silicon's Linux VM) cannot run those programs, nor can an amd64
# server run arm64 ones. `docker build --platform linux/arm64` builds for another architecture, and the kernel then
# refuses to run the program: **`exec format error`** — "this file is not a program for this CPU". Unless the machine
# *emulates* the other CPU: QEMU, registered with the kernel (`binfmt_misc`; Debian's `qemu-user-static` and
# `binfmt-support`, built into Docker Desktop), runs each instruction in software — correct, but many times slower.
# Teams publish one **multi-platform** image (a manifest list: one image per architecture, `docker buildx build
# --platform linux/amd64,linux/arm64`), and each engine pulls the one for its CPU.
#
# The kit builds a tiny arm64 image: one program, Debian's busybox for arm64 (about half a minute the first time).

# %% [markdown] lang="ko"
# ## 7. 어디서나 똑같다 — 같은 종류의 CPU라면
# 이미지에는 CPU 아키텍처 하나를 위한 **기계어**가 들어 있습니다. 지금까지는 모두 `linux/amd64`(x86-64)였습니다.
# ARM 서버(`linux/arm64`: AWS Graviton, 라즈베리 파이, Apple 실리콘의 Linux VM)는 그 프로그램을 실행하지 못하고,
# amd64 서버도 arm64 프로그램을 실행하지 못합니다. `docker build --platform linux/arm64`는 다른 아키텍처용으로 빌드하고,
# 그러면 커널이 그 프로그램의 실행을 거부합니다. **`exec format error`**, 즉 "이 파일은 이 CPU용 프로그램이 아닙니다".
# 다만 컴퓨터가 다른 CPU를 *에뮬레이션*하면 다릅니다. 커널에 등록된 QEMU(`binfmt_misc`; Debian의 `qemu-user-static`과
# `binfmt-support`, Docker Desktop에는 들어 있습니다)가 명령어 하나하나를 소프트웨어로 실행합니다. 결과는 맞지만 몇 배나
# 느립니다. 팀은 **멀티 플랫폼** 이미지 하나(매니페스트 목록: 아키텍처마다 이미지 하나, `docker buildx build
# --platform linux/amd64,linux/arm64`)를 공개하고, 엔진은 저마다 자기 CPU에 맞는 것을 풀합니다.
#
# 키트가 작은 arm64 이미지를 빌드합니다. 프로그램은 Debian의 arm64용 busybox 하나입니다(처음에는 30초쯤 걸립니다).

# %%
try:
    arm = platforms.arm64_image()
except lab.BuildFailed as err:  # an offline classroom: Debian's mirror (for the arm64 busybox) is out of reach
    arm = None
    print("The arm64 program comes from Debian's package mirror, which this machine cannot reach:", err.what)
else:
    print(arm.cli)
    print("this engine's CPU:", lab.engine_info().architecture, "| the image is for:",
          lab.images.inspect(arm.tag).platform)
    assert lab.images.inspect(arm.tag).platform == "linux/arm64"

# %% lang="ko"
try:
    arm = platforms.arm64_image()
except lab.BuildFailed as err:  # 오프라인 교실: (arm64 busybox를 받을) Debian 미러에 닿지 않습니다
    arm = None
    print("arm64 프로그램은 Debian 패키지 미러에서 받는데, 이 컴퓨터에서는 닿지 않습니다:", err.what)
else:
    print(arm.cli)
    print("이 엔진의 CPU:", lab.engine_info().architecture, "| 이미지의 대상:",
          lab.images.inspect(arm.tag).platform)
    assert lab.images.inspect(arm.tag).platform == "linux/arm64"

# %%
arm_run = lab.run("arm", arm.tag) if arm else None  # its program: `uname -m`, the CPU it believes it runs on
code = arm_run.wait(timeout=120) if arm_run else None
emulator = platforms.emulator("aarch64") if lab.engine_info().architecture == "x86_64" else None
print(f"exit code {code}: {arm_run.logs().strip() if arm_run else '(not built here)'}")
if arm_run is None:
    print("Without the image, the lesson in words: on this amd64 engine its program would end in `exec format "
          "error`, unless QEMU were registered with the kernel (then it would print aarch64, slowly).")
elif emulator:
    print("This machine emulates arm64 with", emulator, "— the same image, another CPU, emulated in software.")
    assert code == 0 and arm_run.logs().strip() == "aarch64"
elif lab.engine_info().architecture in ("aarch64", "arm64"):
    print("This engine runs on an arm64 CPU itself: the image is native here.")
    assert code == 0
else:
    print("No emulator here: the kernel refuses the arm64 program. That is what `exec format error` means.")
    assert code != 0 and "exec format error" in arm_run.logs()

# %% lang="ko"
arm_run = lab.run("arm", arm.tag) if arm else None  # 그 프로그램은 `uname -m`: 자기가 돌고 있다고 믿는 CPU를 출력합니다
code = arm_run.wait(timeout=120) if arm_run else None
emulator = platforms.emulator("aarch64") if lab.engine_info().architecture == "x86_64" else None
print(f"종료 코드 {code}: {arm_run.logs().strip() if arm_run else '(여기서는 빌드하지 못했습니다)'}")
if arm_run is None:
    print("이미지가 없으니 말로 설명합니다: 이 amd64 엔진에서 그 프로그램은 `exec format error`로 끝납니다. "
          "QEMU가 커널에 등록되어 있다면 (느리게) aarch64를 출력합니다.")
elif emulator:
    print("이 컴퓨터는", emulator, "로 arm64를 에뮬레이션합니다 — 같은 이미지, 다른 CPU, 소프트웨어로 에뮬레이션.")
    assert code == 0 and arm_run.logs().strip() == "aarch64"
elif lab.engine_info().architecture in ("aarch64", "arm64"):
    print("이 엔진 자체가 arm64 CPU에서 돌고 있습니다: 여기서는 이 이미지가 네이티브입니다.")
    assert code == 0
else:
    print("여기에는 에뮬레이터가 없습니다: 커널이 arm64 프로그램을 거부합니다. 그것이 `exec format error`의 뜻입니다.")
    assert code != 0 and "exec format error" in arm_run.logs()

# %% [markdown]
# ## 8. On-premise or cloud?
# Where should the server be? Docker does not decide: an image runs the same on all three. Money and people do.
#
# | | **on-premise** | **private cloud** | **public cloud** |
# |---|---|---|---|
# | who owns the hardware | you, in your building | you (or a provider, only for you) | the provider, shared |
# | paying | big purchase up front, then power, space, staff | up front + a team to run the cloud layer | per hour / per GB, nothing up front |
# | new server | weeks (order, rack, install) | minutes, within the capacity you bought | minutes, practically no limit |
# | uneven load (peaks) | buy for the peak, idle the rest of the time | limited to your own capacity | add servers for the peak, remove them after |
# | data control, rules | full control; data never leaves | full control, cloud-style self-service | the provider's regions and certifications |
# | fits when | steady load, strict rules, existing server room | big organisation, many teams, rules forbid shared clouds | start-ups, new products, spiky or unknown load |
# | **the article's criteria** | high **availability** (a system that must never stop), high confidentiality | (cloud) | traffic that varies a lot (customer-facing systems), a **backup abroad** against disasters, a service to launch quickly |
#
# The article's criteria, seen today: on-premise availability is as good as the redundancy *you* build (two sites,
# spare hardware, staff on call); clouds sell availability too (several zones and regions), and a backup in another
# country is a few clicks there — which is why "disaster backup abroad" points to the cloud. With containers the choice
# is not final: the same image moves from one to the other, as you just saw.
#
# ## Exercises
# ### Exercise 1 — push your backend image as `todo-backend:v1`
# Push your backend image (`todo_api`, or the course's `dockerlab/backend:1.0`) to **your registry** as
# repository **`todo-backend`**, tag **`v1`**. The check asks the registry's HTTP API.

# %% [markdown] lang="ko"
# ## 8. 온프레미스냐 클라우드냐?
# 서버는 어디에 두어야 할까요? Docker가 정해 주지는 않습니다. 이미지는 세 곳 모두에서 똑같이 실행됩니다. 돈과 사람이 정합니다.
#
# | | **온프레미스** | **프라이빗 클라우드** | **퍼블릭 클라우드** |
# |---|---|---|---|
# | 하드웨어의 주인 | 나, 우리 건물 안 | 나(또는 나만을 위한 업체) | 업체, 여럿이 나눠 씀 |
# | 비용 | 처음에 큰 구매, 이후 전기·공간·인력 | 처음 비용 + 클라우드 계층을 운영할 팀 | 시간당·GB당, 처음 비용 없음 |
# | 새 서버 | 몇 주(주문, 랙 설치, 설치) | 몇 분, 사 둔 용량 안에서 | 몇 분, 사실상 한도 없음 |
# | 들쭉날쭉한 부하(피크) | 피크에 맞춰 사고, 나머지 시간엔 놀림 | 내 용량까지만 | 피크에 서버를 늘리고, 끝나면 줄임 |
# | 데이터 통제, 규정 | 완전한 통제; 데이터가 밖으로 나가지 않음 | 완전한 통제, 클라우드식 셀프서비스 | 업체의 리전과 인증 |
# | 맞는 경우 | 꾸준한 부하, 엄격한 규정, 이미 있는 서버실 | 큰 조직, 많은 팀, 공용 클라우드를 금하는 규정 | 스타트업, 새 제품, 부하가 튀거나 알 수 없을 때 |
# | **글이 든 기준** | "높은 가용성이 요구되는 경우(절대 끊어지면 안되는 경우), 높은 기밀성을 요구하는 경우" | (클라우드) | "트래픽 변동이 많은 경우(고객용 시스템), 재해 등의 초자연적인 현상으로 해외에 백업 구축이 필요한 경우. 서비스를 빠르게 제공하고 싶은 경우" |
#
# 글이 든 기준을 오늘의 눈으로 보면: 온프레미스의 가용성은 *내가* 만드는 이중화(두 곳의 시설, 예비 하드웨어, 대기
# 인력)만큼만 좋습니다. 클라우드도 가용성을 팝니다(여러 가용 영역과 리전). 다른 나라의 백업도 클라우드에서는 클릭
# 몇 번이면 되므로, "해외 백업"은 클라우드 쪽을 가리킵니다. 컨테이너를 쓰면 이 선택은 되돌릴 수 있습니다. 방금 본
# 것처럼 같은 이미지가 한쪽에서 다른 쪽으로 옮겨 갑니다.
#
# ## 연습 문제
# ### 연습 1 — 백엔드 이미지를 `todo-backend:v1`로 푸시하기
# 백엔드 이미지(`todo_api`, 또는 과정의 `dockerlab/backend:1.0`)를 **내 레지스트리**에 저장소 **`todo-backend`**,
# 태그 **`v1`로** 푸시하세요. 확인은 레지스트리의 HTTP API에 묻습니다.

# %%
### BEGIN SOLUTION
pushed_v1 = reg.push(todo_api.tag, "todo-backend", "v1")
print(pushed_v1.cli)
print(reg.tags("todo-backend"), pushed_v1.digest)
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — run `web` on the cloud server from the registry
# Deploy **`todo-backend:v1` from your registry** on the **cloud server**: a container named **`web`**, its port
# 8080 published on a free host port. Pull first: the cloud server only has what you ship to it.

# %% [markdown] lang="ko"
# ### 연습 2 — 레지스트리에서 받아 클라우드 서버에서 `web` 실행하기
# **내 레지스트리의 `todo-backend:v1`을** **클라우드 서버**에 배포하세요. 컨테이너 이름은 **`web`**, 포트 8080은
# 빈 호스트 포트로 공개합니다. 먼저 풀하세요. 클라우드 서버에는 여러분이 보낸 것만 있습니다.

# %%
### BEGIN SOLUTION
ref = reg.ref("todo-backend", "v1")
registry.pull(ref, client=cloud)
web = lab.run("web", ref, client=cloud, ports={8080: None}, wait="log:Started TodoApplication")
print(web.url(8080, "/api/info"))
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.hint(2)
# ex.q2.solution()

# %% [markdown]
# ### Exercise 3 — where should it run?
# *A two-person start-up sells concert tickets online. They own no servers and nobody wants to run a server room.
# Most days a handful of visitors come; when a big concert goes on sale, traffic jumps fifty-fold for two hours.
# No law requires them to keep the data in their own building.*
#
# Where should they run their containers? Answer `"on-premise"`, `"private cloud"` or `"public cloud"`.

# %% [markdown] lang="ko"
# ### 연습 3 — 어디서 실행해야 할까?
# *두 사람이 일하는 스타트업이 온라인으로 콘서트 표를 팝니다. 서버는 하나도 없고, 서버실을 운영하고 싶은 사람도
# 없습니다. 평소에는 방문자가 몇 명뿐이지만, 큰 콘서트 예매가 열리면 두 시간 동안 트래픽이 50배로 뜁니다.
# 데이터를 자기 건물 안에 두어야 한다는 법도 없습니다.*
#
# 컨테이너를 어디서 실행해야 할까요? `"on-premise"`, `"private cloud"`, `"public cloud"` 중 하나로 답하세요
# (`"온프레미스"`, `"프라이빗 클라우드"`, `"퍼블릭 클라우드"`로 답해도 됩니다).

# %%
answer = "____"
### BEGIN SOLUTION
answer = "public cloud"
### END SOLUTION

# %%
ex.q3.check(answer)

# %%
# ex.q3.hint()
# ex.q3.solution()

# %% [markdown]
# ## Recap
# - Build **once**: a rebuild with no change runs nothing and gives the same image ID; a `--no-cache` rebuild of the
#   same content gives a **new** ID (the config records its creation time).
# - Ship by **file** (`docker save` → copy → `docker load`) or through a **registry** (`docker tag` + `docker push`,
#   then `docker pull` on the server). Either way the server gets the **same image ID**.
# - A remote engine is just an **address**: `DOCKER_HOST=…` for the CLI, `DockerClient(base_url=…)` for code.
#   The deploy is the same on your laptop, an on-premise server or a cloud VM.
# - Same image + same configuration ⇒ **byte-identical answers** on both servers. An image ID is a digest of the
#   config (classic store) or of the manifest (containerd store); a registry's layer digests are of compressed layers.
# - A compose file deploys the whole app on another engine: `DOCKER_HOST=… docker compose up -d`, the images pulled
#   from a registry.
# - "The same everywhere" holds on the same CPU architecture: an arm64 image on amd64 ends in `exec format error`
#   unless the machine emulates it (QEMU); multi-platform images carry one image per architecture.
# - A real registry needs **TLS and authentication**; the course's one is safe only because it listens on
#   127.0.0.1 (plain HTTP is allowed for 127.0.0.0/8 by default, for others only through `insecure-registries`).
#
# ## Clean up
# The reset removes your containers, images and volumes, the registry, and **stops the cloud server** and deletes
# its data folder.

# %% [markdown] lang="ko"
# ## 정리
# - **한 번** 빌드합니다. 바뀐 것 없이 다시 빌드하면 아무것도 실행되지 않고 같은 이미지 ID가 나옵니다. 같은 내용을
#   `--no-cache`로 다시 빌드하면 **새** ID가 나옵니다(설정에 만든 시각이 기록됩니다).
# - **파일**(`docker save` → 복사 → `docker load`)로, 또는 **레지스트리**(`docker tag` + `docker push`, 그리고 서버에서
#   `docker pull`)로 배포합니다. 어느 쪽이든 서버는 **같은 이미지 ID**를 받습니다.
# - 원격 엔진은 그저 **주소**입니다. CLI에는 `DOCKER_HOST=…`, 코드에는 `DockerClient(base_url=…)`.
#   내 노트북이든 온프레미스 서버든 클라우드 VM이든 배포 방법은 같습니다.
# - 같은 이미지 + 같은 설정 ⇒ 두 서버에서 **바이트 하나까지 같은 응답**. 이미지 ID는 설정(classic 저장소) 또는
#   매니페스트(containerd 저장소)의 다이제스트이고, 레지스트리의 레이어 다이제스트는 압축한 레이어의 것입니다.
# - compose 파일 하나로 앱 전체를 다른 엔진에 배포합니다: `DOCKER_HOST=… docker compose up -d`, 이미지는 레지스트리에서
#   풀합니다.
# - "어디서나 똑같다"는 같은 CPU 아키텍처에서 성립합니다. amd64에서 arm64 이미지는 컴퓨터가 에뮬레이션(QEMU)하지 않는 한
#   `exec format error`로 끝납니다. 멀티 플랫폼 이미지는 아키텍처마다 이미지를 하나씩 담습니다.
# - 실제 레지스트리에는 **TLS와 인증**이 필요합니다. 과정의 레지스트리가 안전한 것은 127.0.0.1에서만 듣기 때문입니다
#   (평범한 HTTP는 기본적으로 127.0.0.0/8에만 허용되고, 다른 곳은 `insecure-registries`로만 허용됩니다).
#
# ## 뒷정리
# 초기화는 여러분의 컨테이너, 이미지, 볼륨, 레지스트리를 지우고, **클라우드 서버를 멈추고** 그 데이터 폴더도 지웁니다.

# %%
report = ch.reset(purge=True)
print(report)
assert lab.leaks(chapter="08") == []
assert not cloud_server.running() and not server.folder.exists()  # the cloud server is gone, data and all
assert registry.find_registry() is None
