# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 11 · Docker in CI/CD: build, test, ship, deploy — and roll back
#
# *"Docker lets developers take part in CI/CD, reaching into the infrastructure side."* This chapter builds
# a small but real delivery pipeline in the notebook and runs it against real engines.
#
# **In this chapter you will**
# 1. see what CI and CD are, and why a Dockerfile makes a developer part of them;
# 2. start the pipeline's infrastructure: a private **registry** and a **cloud server** (a second engine);
# 3. run the pipeline: **build** the backend, **test** it inside a container, **tag** it with a version made from
#    its sources, **push** it to the registry, **deploy** it on the server from the registry, **verify** its health;
# 4. release a **bad version** and watch the pipeline detect the failing health check and **roll back** by itself;
# 5. break a test yourself and see the pipeline stop **before** anything reaches the server.
#
# Run the cells from top to bottom with **Shift+Enter**. The first run builds the backend (about a minute on a
# fresh machine, seconds when the builder's cache is warm).

# %% [markdown] lang="ko"
# # 11 · CI/CD 속의 Docker: 빌드, 테스트, 배포 — 그리고 롤백
#
# *"도커는 일반적으로 개발자가 단순 개발하는것을 넘어 CI/CD를 위해 인프라 영역의 배포에 가담할 수 있게 만들어준툴이라고 할
# 수 있다."* 이 장은 작지만 진짜인 배포 파이프라인(pipeline)을 노트북 안에 만들고, 실제 엔진들을 상대로 실행합니다.
#
# **이 장에서 할 일**
# 1. CI와 CD가 무엇인지, 그리고 Dockerfile 덕분에 개발자가 왜 그 일부가 되는지 봅니다.
# 2. 파이프라인의 인프라를 띄웁니다: 비공개 **레지스트리**와 **클라우드 서버**(두 번째 엔진).
# 3. 파이프라인을 실행합니다: 백엔드를 **빌드**하고, 컨테이너 안에서 **테스트**하고, 소스로 만든 버전으로 **태그**를
#    붙이고, 레지스트리에 **푸시**하고, 레지스트리에서 받아 서버에 **배포**하고, 상태를 **검증**합니다.
# 4. **잘못된 버전**을 내보내고, 파이프라인이 실패하는 헬스체크를 알아채고 스스로 **롤백**하는 것을 지켜봅니다.
# 5. 직접 테스트 하나를 깨뜨리고, 파이프라인이 서버에 무엇이든 닿기 **전에** 멈추는 것을 봅니다.
#
# 셀을 위에서 아래로 **Shift+Enter**로 실행하세요. 첫 실행은 백엔드를 빌드합니다(새 컴퓨터에서는 1분쯤, 빌더의 캐시가
# 따뜻하면 몇 초).

# %% [markdown]
# ## Start the chapter
# This cell loads the kit and removes anything an earlier run of this chapter left behind — including the
# registry and the cloud server it started, and the pipeline's workspace.

# %% [markdown] lang="ko"
# ## 장 시작하기
# 이 셀은 키트를 불러오고, 이 장을 예전에 실행하면서 남은 것을 지웁니다. 그때 띄운 레지스트리와 클라우드 서버,
# 파이프라인의 작업 공간(workspace)도 포함됩니다.

# %%
import json
import urllib.request

import dockerlab as lab
from dockerlab.course import app_dir, cloud_server, ensure_app, pipeline, registry
from dockerlab.display.pipeline import history_table, run_view
from dockerlab.exercises import ch11 as ex

ch = lab.start_chapter("11", "Docker in CI/CD", lang="en")
ch.reset()

# %% lang="ko"
import json
import urllib.request

import dockerlab as lab
from dockerlab.course import app_dir, cloud_server, ensure_app, pipeline, registry
from dockerlab.display.pipeline import history_table, run_view
from dockerlab.exercises import ch11 as ex

ch = lab.start_chapter("11", "CI/CD 속의 Docker", lang="ko")
ch.reset()

# %% [markdown]
# ## 1. CI/CD, and where Docker fits
# **Continuous integration (CI)**: every change a developer pushes is built and tested automatically, so a
# mistake is found minutes after it was made. **Continuous delivery / deployment (CD)**: every change that passes
# is packaged and can go — or goes — to the servers automatically, and a bad release is undone quickly.
#
# Before containers, "build" and "run" happened on different machines set up by different people, and the
# server's setup was the operations team's job. With Docker, the **developer's Dockerfile** describes the build
# environment, the test environment and what runs in production. That is how developers reach into the
# infrastructure side: the same file drives every step below.
#
# ```
#  sources ─► build ─► test ─► package ─► push ─► deploy ─► verify ──► live
#            javac in   tests in  image +    to the   the server  health    │
#            a container a container version tag registry pulls it check ──┴─► rollback (the previous release)
# ```

# %% [markdown] lang="ko"
# ## 1. CI/CD, 그리고 Docker의 자리
# **지속적 통합(CI, continuous integration)**: 개발자가 올리는 모든 변경을 자동으로 빌드하고 테스트합니다. 그래서
# 실수는 저지른 지 몇 분 만에 드러납니다. **지속적 전달/배포(CD, continuous delivery / deployment)**: 통과한 모든 변경을
# 패키지로 만들어 자동으로 서버에 보낼 수 있게(또는 실제로 보내게) 하고, 잘못된 릴리스는 빨리 되돌립니다.
#
# 컨테이너 이전에는 "빌드"와 "실행"이 서로 다른 사람이 준비한 서로 다른 컴퓨터에서 일어났고, 서버 설정은 운영팀의
# 일이었습니다. Docker를 쓰면 **개발자의 Dockerfile**이 빌드 환경, 테스트 환경, 운영 환경에서 실행되는 것을 모두
# 기술합니다. 그렇게 개발자가 인프라 영역에 손을 뻗습니다. 아래의 모든 단계를 같은 파일 하나가 이끕니다.
#
# ```
#  sources ─► build ─► test ─► package ─► push ─► deploy ─► verify ──► live
#            javac in   tests in  image +    to the   the server  health    │
#            a container a container version tag registry pulls it check ──┴─► rollback (the previous release)
# ```
# (소스 → 컨테이너 안에서 javac로 빌드 → 컨테이너 안에서 테스트 → 이미지 + 버전 태그로 패키지 → 레지스트리에 푸시 →
# 서버가 풀해서 배포 → 헬스체크로 검증 → 운영, 검증이 실패하면 이전 릴리스로 롤백)

# %% [markdown]
# ## 2. The infrastructure: a registry and a server
# A pipeline needs a place to put images (a **registry**) and somewhere to run them (a **server**).
#
# - The registry is the course's `dockerlab/registry:2.8` in a container on your engine, on a free port of
#   127.0.0.1 (chapter 08 shows it in detail).
# - The "cloud server" is a **second Docker engine** on this machine, with its own socket, storage and network.
#   The pipeline reaches it by address, exactly like a real server in the cloud (`DOCKER_HOST=ssh://…`).

# %% [markdown] lang="ko"
# ## 2. 인프라: 레지스트리와 서버
# 파이프라인에는 이미지를 둘 곳(**레지스트리**)과 실행할 곳(**서버**)이 필요합니다.
#
# - 레지스트리는 과정의 `dockerlab/registry:2.8`을 내 엔진의 컨테이너로, 127.0.0.1의 빈 포트에 띄운 것입니다
#   (08장에서 자세히 보았습니다).
# - "클라우드 서버"는 이 컴퓨터의 **두 번째 Docker 엔진**으로, 소켓과 저장소와 네트워크가 따로 있습니다. 파이프라인은
#   클라우드의 진짜 서버처럼 주소로 그 엔진에 닿습니다(`DOCKER_HOST=ssh://…`).

# %%
reg = registry.start(chapter="11")
print("registry:", reg.url, "| holds:", reg.catalog())
cloud = cloud_server.start()
server = cloud.client()
print("cloud server:", cloud.docker_host)
print("server engine:", lab.engine_info(server).server_version,
      "| images on it:", len(lab.images.list(client=server)))
assert reg.catalog() == [] and lab.images.list(client=server) == []  # an empty registry, an empty server

# %% lang="ko"
reg = registry.start(chapter="11")
print("레지스트리:", reg.url, "| 가진 것:", reg.catalog())
cloud = cloud_server.start()
server = cloud.client()
print("클라우드 서버:", cloud.docker_host)
print("서버의 엔진:", lab.engine_info(server).server_version,
      "| 서버의 이미지 수:", len(lab.images.list(client=server)))
assert reg.catalog() == [] and lab.images.list(client=server) == []  # 빈 레지스트리, 빈 서버

# %% [markdown]
# ## 3. The workspace and the version
# The pipeline builds a **copy** of the backend's sources (`images/backend`) in a workspace folder, so you can edit
# it without touching the course. Every release needs a **version**. Teams often use `git describe`, which names a
# commit (`v1.0.0-3-g5e59aa4`). Our workspace is not a git checkout, so the pipeline does the same with the
# **content** of the sources: `1.0.0-<first 7 hex digits of a hash of every file>`. Same sources, same version;
# change one character, new version.

# %% [markdown] lang="ko"
# ## 3. 작업 공간과 버전
# 파이프라인은 백엔드 소스(`images/backend`)의 **복사본**을 작업 공간 폴더에서 빌드합니다. 그래서 과정의 파일을 건드리지
# 않고 고칠 수 있습니다. 릴리스마다 **버전**이 필요합니다. 팀은 흔히 커밋에 이름을 붙이는 `git describe`를 씁니다
# (`v1.0.0-3-g5e59aa4`). 우리 작업 공간은 git 체크아웃이 아니므로, 파이프라인은 소스의 **내용**으로 같은 일을 합니다:
# `1.0.0-<모든 파일의 해시 앞 16진수 7자리>`. 소스가 같으면 버전도 같고, 한 글자만 바꿔도 버전이 새로 나옵니다.

# %%
backend_image = ensure_app("backend")  # the course image: its build warms the builder's cache
pipe = pipeline.Pipeline(registry=reg, server_client=server)
workspace = pipe.checkout(fresh=True)
print("workspace:", workspace)
print("files:", sorted(p.relative_to(workspace).as_posix() for p in workspace.rglob("*") if p.is_file())[:6], "…")
print("git describe of the course's own repository:", pipeline.git_describe(app_dir("backend")) or "(no git here)")
first_version = pipe.version()
print("the pipeline's version for these sources:", first_version)
assert first_version == pipe.version() and pipe.changed_files() == []

# %% lang="ko"
backend_image = ensure_app("backend")  # 과정의 이미지: 이 빌드가 빌더의 캐시를 데워 둡니다
pipe = pipeline.Pipeline(registry=reg, server_client=server)
workspace = pipe.checkout(fresh=True)
print("작업 공간:", workspace)
print("파일:", sorted(p.relative_to(workspace).as_posix() for p in workspace.rglob("*") if p.is_file())[:6], "…")
print("과정 저장소 자체의 git describe:", pipeline.git_describe(app_dir("backend")) or "(여기에는 git이 없습니다)")
first_version = pipe.version()
print("이 소스에 대한 파이프라인의 버전:", first_version)
assert first_version == pipe.version() and pipe.changed_files() == []

# %% [markdown]
# ## 4. The first release
# `pipe.run()` runs every step in order and stops at the first failure. Each step prints when it starts; at the
# end, the step table shows status and time. (The `note` marks this run as the chapter's demonstration, so the
# exercises later look only at your own runs.)
#
# What each step does:
#
# | step | what it does | the `docker` command |
# |---|---|---|
# | checkout | copies the sources, computes the version | `git clone`, `git describe` |
# | build | compiles the Java code **in a container** (the Dockerfile's `build` stage) | `docker build --target build .` |
# | test | runs the tests **in a container** of the build stage's image: a failing test exits 1 and stops the run | `docker run --rm todo-ci:<version>-build java … AllTests` |
# | package | the runtime image, tagged with the version | `docker build -t todo-ci:<version> .` |
# | push | uploads it to the registry | `docker push 127.0.0.1:<port>/todo-backend:<version>` |
# | deploy | the **server** pulls it from the registry **by digest** and runs it | `DOCKER_HOST=… docker run -d … 127.0.0.1:<port>/todo-backend@sha256:…` |
# | verify | waits for the server's health check, then asks `GET /api/info` | `docker inspect --format '{{.State.Health.Status}}'` |

# %% [markdown] lang="ko"
# ## 4. 첫 릴리스
# `pipe.run()`은 모든 단계를 차례로 실행하고, 처음 실패한 곳에서 멈춥니다. 단계마다 시작할 때 출력하고, 끝에서 단계 표가
# 상태와 시간을 보여 줍니다. (`note`는 이 실행을 장의 시연으로 표시합니다. 그래서 나중에 연습 문제는 여러분 자신의
# 실행만 봅니다.)
#
# 단계마다 하는 일:
#
# | 단계 | 하는 일 | `docker` 명령 |
# |---|---|---|
# | checkout | 소스를 복사하고 버전을 계산합니다 | `git clone`, `git describe` |
# | build | Java 코드를 **컨테이너 안에서** 컴파일합니다(Dockerfile의 `build` 스테이지) | `docker build --target build .` |
# | test | 빌드 스테이지 이미지의 **컨테이너 안에서** 테스트를 실행합니다. 테스트가 실패하면 종료 코드 1로 끝나고 실행이 멈춥니다 | `docker run --rm todo-ci:<version>-build java … AllTests` |
# | package | 실행용 이미지에 버전으로 태그를 붙입니다 | `docker build -t todo-ci:<version> .` |
# | push | 레지스트리에 올립니다 | `docker push 127.0.0.1:<port>/todo-backend:<version>` |
# | deploy | **서버**가 레지스트리에서 **다이제스트로** 풀해서 실행합니다 | `DOCKER_HOST=… docker run -d … 127.0.0.1:<port>/todo-backend@sha256:…` |
# | verify | 서버의 헬스체크를 기다린 뒤 `GET /api/info`를 묻습니다 | `docker inspect --format '{{.State.Health.Status}}'` |

# %%
first = pipe.run(note="demo: first release")
run_view(first)

# %%
assert first.ok and first.deployed == first_version  # S14: built, tested, pushed, deployed
assert [s.status for s in first.steps] == ["ok"] * 7 + ["skipped"]
assert first_version in reg.tags("todo-backend")
assert pipeline.server_release(server) == first_version

# %% lang="ko"
assert first.ok and first.deployed == first_version  # S14: 빌드하고, 테스트하고, 푸시하고, 배포했습니다
assert [s.status for s in first.steps] == ["ok"] * 7 + ["skipped"]
assert first_version in reg.tags("todo-backend")
assert pipeline.server_release(server) == first_version

# %% [markdown]
# The server never saw the sources, the JDK or the build: it pulled one image from the registry. The image it runs
# has **the same ID** as the one built on your engine — the registry moved it byte for byte. And the app there
# answers with the version the pipeline gave it.
#
# **By digest, not by tag.** A tag is a name that anyone with push rights can move to another image later
# (`todo-backend:1.0.0-…` today, something else tomorrow). The claim "production runs exactly what was tested" needs a
# name that cannot move: the image's **digest**, `todo-backend@sha256:…`, the SHA-256 of its manifest. The pipeline
# asks the registry for the digest of the release it pushed and deploys that — `docker run` of a digest, which is
# also what Kubernetes manifests and Compose files pin in production.

# %% [markdown] lang="ko"
# 서버는 소스도, JDK도, 빌드도 본 적이 없습니다. 레지스트리에서 이미지 하나를 풀했을 뿐입니다. 서버가 실행하는 이미지는
# 내 엔진에서 빌드한 것과 **같은 ID**입니다. 레지스트리가 바이트 하나 다르지 않게 옮겼습니다. 그리고 거기서 앱은
# 파이프라인이 준 버전으로 답합니다.
#
# **태그가 아니라 다이제스트로.** 태그는 푸시 권한이 있는 누구든 나중에 다른 이미지로 옮길 수 있는 이름입니다(오늘은
# `todo-backend:1.0.0-…`, 내일은 다른 것). "운영 환경은 테스트한 것을 정확히 실행한다"고 말하려면 옮길 수 없는 이름이
# 필요합니다. 이미지의 **다이제스트** `todo-backend@sha256:…`, 즉 매니페스트의 SHA-256입니다. 파이프라인은 푸시한
# 릴리스의 다이제스트를 레지스트리에 묻고 그것을 배포합니다. 다이제스트로 하는 `docker run`이고, 쿠버네티스 매니페스트와
# Compose 파일이 운영 환경에서 고정하는 것도 이것입니다.

# %%
live = pipeline.server_container(server)
built_id = lab.images.inspect(f"todo-ci:{first_version}").id  # your image of that tag
print("image ID built here     :", built_id[:19])
print("image ID on the server  :", live.image_id[:19])
with urllib.request.urlopen(live.url(8080, "/api/info"), timeout=5) as resp:
    info = json.loads(resp.read())
print("the server's app says   :", info)
print("the server runs          :", live.image)
assert live.image_id == built_id and info["version"] == first_version  # S14: what was tested is what runs
assert live.image == f"{reg.host}/todo-backend@{reg.digest('todo-backend', first_version)}"  # pinned by digest
assert lab.ps(client=server) and len(lab.images.list(client=server)) == 1

# %% lang="ko"
live = pipeline.server_container(server)
built_id = lab.images.inspect(f"todo-ci:{first_version}").id  # 그 태그의 내 이미지
print("여기서 빌드한 이미지 ID  :", built_id[:19])
print("서버의 이미지 ID         :", live.image_id[:19])
with urllib.request.urlopen(live.url(8080, "/api/info"), timeout=5) as resp:
    info = json.loads(resp.read())
print("서버의 앱이 하는 말      :", info)
print("서버가 실행하는 것       :", live.image)
assert live.image_id == built_id and info["version"] == first_version  # S14: 테스트한 것이 실행되는 것입니다
assert live.image == f"{reg.host}/todo-backend@{reg.digest('todo-backend', first_version)}"  # 다이제스트로 고정
assert lab.ps(client=server) and len(lab.images.list(client=server)) == 1

# %% [markdown]
# ## 5. A bad release: the health check catches it, the pipeline rolls back
# A developer changes the port the app listens on to 8081 in the Dockerfile — and forgets that the server's
# deployment publishes and **probes port 8080**. The tests still pass (they start the app on a random port of their
# own), the image builds and is pushed. Only on the server does it show: the app runs, but nothing answers where the
# health check asks. The pipeline waits for the health check, sees **unhealthy**, and puts the previous release
# back.

# %% [markdown] lang="ko"
# ## 5. 잘못된 릴리스: 헬스체크가 잡아내고, 파이프라인이 롤백합니다
# 개발자가 Dockerfile에서 앱이 듣는 포트를 8081로 바꿉니다. 그리고 서버의 배포가 **포트 8080**을 공개하고 그곳을
# **확인한다**는 것을 잊습니다. 테스트는 여전히 통과하고(테스트는 자기만의 임의 포트로 앱을 띄웁니다), 이미지는 빌드되어
# 푸시됩니다. 문제는 서버에서만 드러납니다. 앱은 돌지만, 헬스체크가 묻는 곳에서는 아무도 답하지 않습니다. 파이프라인은
# 헬스체크를 기다리다 **unhealthy**를 보고, 이전 릴리스를 되돌려 놓습니다.

# %%
dockerfile = workspace / "Dockerfile"
original_dockerfile = dockerfile.read_text()
dockerfile.write_text(original_dockerfile + "\n# release 2: listen on 8081 (the deployment still expects 8080)\n"
                      "ENV SERVER_PORT=8081\n")
print("changed files:", pipe.changed_files(), "→ new version", pipe.version())
bad = pipe.run(note="demo: bad release")
run_view(bad)

# %% lang="ko"
dockerfile = workspace / "Dockerfile"
original_dockerfile = dockerfile.read_text()
dockerfile.write_text(original_dockerfile + "\n# release 2: listen on 8081 (the deployment still expects 8080)\n"
                      "ENV SERVER_PORT=8081\n")
print("바뀐 파일:", pipe.changed_files(), "→ 새 버전", pipe.version())
bad = pipe.run(note="demo: bad release")
run_view(bad)

# %% [markdown]
# The table shows it: every step up to `deploy` passed; `verify` failed with the health check's verdict, and
# `rollback` deployed the previous release again — from the registry, where it still was.

# %% [markdown] lang="ko"
# 표가 보여 줍니다. `deploy`까지 모든 단계가 통과했고, `verify`는 헬스체크의 판정으로 실패했고, `rollback`이 이전
# 릴리스를 다시 배포했습니다. 이전 릴리스가 아직 있던 레지스트리에서요.

# %%
live = pipeline.server_container(server)
with urllib.request.urlopen(live.url(8080, "/api/info"), timeout=5) as resp:
    info = json.loads(resp.read())
print("the server runs", pipeline.server_release(server), "| its app says", info["version"], "| health:", live.health)
print("the registry holds:", reg.tags("todo-backend"))
assert bad.failed_at == "verify" and bad.rolled_back and bad.deployed is None
assert bad.step("verify").detail.startswith("unhealthy")  # the failing health check was detected
assert pipeline.server_release(server) == first_version == info["version"]  # S14: rolled back automatically
assert bad.version in reg.tags("todo-backend")  # the bad image was pushed (it passed its tests) but is not live

# %% lang="ko"
live = pipeline.server_container(server)
with urllib.request.urlopen(live.url(8080, "/api/info"), timeout=5) as resp:
    info = json.loads(resp.read())
print("서버가 실행하는 릴리스:", pipeline.server_release(server), "| 앱이 말하는 버전:", info["version"], "| health:", live.health)
print("레지스트리가 가진 것:", reg.tags("todo-backend"))
assert bad.failed_at == "verify" and bad.rolled_back and bad.deployed is None
assert bad.step("verify").detail.startswith("unhealthy")  # 실패하는 헬스체크를 알아챘습니다
assert pipeline.server_release(server) == first_version == info["version"]  # S14: 자동으로 롤백했습니다
assert bad.version in reg.tags("todo-backend")  # 잘못된 이미지는 (테스트를 통과했으니) 푸시되었지만 운영 중이 아닙니다

# %% [markdown]
# We undo the developer's change: the workspace gets the original Dockerfile back, and with it the first version
# number — the same sources always give the same version.

# %% [markdown] lang="ko"
# 개발자의 변경을 되돌립니다. 작업 공간에 원래 Dockerfile이 돌아오고, 그와 함께 첫 버전 번호도 돌아옵니다. 같은 소스는
# 언제나 같은 버전을 줍니다.

# %%
dockerfile.write_text(original_dockerfile)
print("changed files:", pipe.changed_files(), "| version:", pipe.version())
assert pipe.version() == first_version

# %% lang="ko"
dockerfile.write_text(original_dockerfile)
print("바뀐 파일:", pipe.changed_files(), "| 버전:", pipe.version())
assert pipe.version() == first_version

# %% [markdown]
# ## 6. The pipeline's history
# Every run is recorded (in the workspace's `runs.json`): a real CI server keeps the same kind of history, so a team
# can see what was released when, and what failed where.

# %% [markdown] lang="ko"
# ## 6. 파이프라인의 기록
# 모든 실행은 기록됩니다(작업 공간의 `runs.json`). 실제 CI 서버도 같은 종류의 기록을 남기므로, 팀은 언제 무엇이
# 릴리스되었고 어디서 무엇이 실패했는지 볼 수 있습니다.

# %%
history_table(pipe.runs)

# %% [markdown]
# ## Exercises
# ### Exercise 1 — a failing test stops the pipeline
# Change the sources in `pipe.workspace` so that **a test fails**, then run the pipeline (`pipe.run()`).
# The pipeline must stop at the `test` step: nothing is packaged, pushed or deployed, and the server keeps running
# the good release. The check reads your last run's record, the registry and the server.

# %% [markdown] lang="ko"
# ## 연습 문제
# ### 연습 1 — 실패하는 테스트가 파이프라인을 멈춥니다
# `pipe.workspace`의 소스를 바꿔서 **테스트 하나가 실패하게** 만든 뒤, 파이프라인을 실행하세요(`pipe.run()`).
# 파이프라인은 `test` 단계에서 멈춰야 합니다. 아무것도 패키지되거나 푸시되거나 배포되지 않고, 서버는 좋은 릴리스를 계속
# 실행합니다. 확인은 마지막 실행의 기록, 레지스트리, 서버를 읽습니다.

# %%
### BEGIN SOLUTION
controller = next(pipe.workspace.rglob("TodoController.java"))
controller.write_text(controller.read_text().replace('Map.of("status", "UP")', 'Map.of("status", "DOWN")'))
broken = pipe.run()
run_view(broken)
### END SOLUTION

# %%
ex.q1.check()

# %%
# ex.q1.hint()
# ex.q1.hint(2)
# ex.q1.solution()

# %% [markdown]
# ### Exercise 2 — fix it and ship
# Undo your change and run the pipeline again: this time the release must reach the server and answer there.

# %% [markdown] lang="ko"
# ### 연습 2 — 고쳐서 배포하기
# 변경을 되돌리고 파이프라인을 다시 실행하세요. 이번에는 릴리스가 서버에 닿고 거기서 답해야 합니다.

# %%
### BEGIN SOLUTION
pipe.checkout(fresh=True)
shipped = pipe.run()
run_view(shipped)
### END SOLUTION

# %%
ex.q2.check()

# %%
# ex.q2.hint()
# ex.q2.solution()

# %% [markdown]
# ## Recap
# - **CI** builds and tests every change; **CD** ships what passed — with Docker, the developer's Dockerfile
#   defines the build, the tests and what runs in production.
# - Tests run **inside a container** (of the build stage's image): a failing test stops the pipeline before
#   anything is pushed or deployed.
# - A version made from the sources (`git describe`, or a content hash) names each release; the **registry**
#   keeps every release; the **server** pulls a release **by digest** (`repo@sha256:…`, a name no push can move) and
#   runs exactly what was tested.
# - A release is only done when the server's **health check** passes; otherwise the pipeline **rolls back** to the
#   previous release — which is still in the registry.
#
# ## Clean up
# This removes the chapter's images and containers, stops the registry and the cloud server, and deletes the
# pipeline's workspace.

# %% [markdown] lang="ko"
# ## 정리
# - **CI**는 모든 변경을 빌드하고 테스트하고, **CD**는 통과한 것을 내보냅니다. Docker를 쓰면 개발자의 Dockerfile이
#   빌드, 테스트, 운영 환경에서 실행되는 것을 정합니다.
# - 테스트는 **컨테이너 안에서**(빌드 스테이지 이미지의 컨테이너) 돕니다. 테스트가 실패하면 무엇이든 푸시되거나 배포되기
#   전에 파이프라인이 멈춥니다.
# - 소스로 만든 버전(`git describe`나 내용의 해시)이 릴리스마다 이름을 붙이고, **레지스트리**는 모든 릴리스를 보관하고,
#   **서버**는 릴리스를 **다이제스트로**(`repo@sha256:…`, 어떤 푸시로도 옮길 수 없는 이름) 풀해서 테스트한 것을 정확히
#   실행합니다.
# - 릴리스는 서버의 **헬스체크**가 통과해야 끝납니다. 그렇지 않으면 파이프라인이 이전 릴리스로 **롤백**합니다. 이전
#   릴리스는 레지스트리에 아직 있습니다.
#
# ## 뒷정리
# 이 장의 이미지와 컨테이너를 지우고, 레지스트리와 클라우드 서버를 멈추고, 파이프라인의 작업 공간을 지웁니다.

# %%
ch.reset()
assert lab.leaks(chapter="11") == []
assert not cloud_server.cloud().folder.exists() and registry.find_registry() is None
