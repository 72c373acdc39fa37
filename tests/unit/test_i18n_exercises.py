"""Offline: the exercises of chapters 06 and 08–11 answer in the learner's language (DOCKERLAB_LANG=ko → Korean), on
the fake engine and with offline records: titles, outcomes, messages and hints, compared with the catalog's message
ids through ``_()`` and, in Korean, with the Korean text itself (a message left in English fails)."""

from __future__ import annotations

import pytest

from dockerlab import labels
from dockerlab.checks import Outcome
from dockerlab.i18n import _, language

IMAGE = "debian:bookworm-slim"


@pytest.fixture(params=["en", "ko"])
def lang(request, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_LANG", request.param)
    assert language() == request.param
    return request.param


def test_where_to_run_in_either_language(lang):
    """Chapter 08's question: Korean choices count as the English ones; the reasons are the learner's language."""
    from dockerlab.exercises import ch08

    right = ch08.q3.check("퍼블릭 클라우드")
    assert right.outcome is Outcome.CORRECT and right.problem == _(ch08.q3.title)
    assert right.message == _("Public cloud: no hardware to buy, pay per use, and extra servers for the few peak "
                              "hours. The same image runs there as on your laptop.")
    wrong = ch08.q3.check("on-premise")
    assert wrong.outcome is Outcome.INCORRECT and wrong.message == _(
        "On-premise means buying servers up front and running a server room, sized for the ticket-sale peak — for a "
        "two-person team with no servers, that is the costliest fit.")
    assert ch08.q3.check("온프레미스").message == wrong.message
    odd = ch08.q3.check("the moon")
    assert odd.message == _("{given!r} is not one of the choices: {choices}.").format(
        given="the moon", choices="'on-premise', 'private cloud', 'public cloud'")
    if lang == "ko":
        assert right.problem == "연습 3: 온프레미스, 프라이빗 클라우드, 퍼블릭 클라우드?"
        assert right.message.startswith("퍼블릭 클라우드: 살 하드웨어가 없고") and str(right).startswith("정답 — ")
        assert wrong.message.startswith("온프레미스는 서버를 미리 사서") and "보기에 없습니다" in odd.message


def test_a_kubernetes_rollback_question(lang):
    from dockerlab.exercises import ch10

    swarm = ch10.q6.check("docker service rollback web")
    assert swarm.outcome is Outcome.INCORRECT
    assert swarm.message == _("That is Swarm's command. The team runs web as a Kubernetes Deployment: which tool "
                              "talks to it?")
    other = ch10.q6.check("kubectl rollout undo deployment/api")
    assert other.message == _("{given!r} undoes the rollout of something else: name the Deployment web.").format(
        given="kubectl rollout undo deployment/api")
    assert ch10.q6.check("kubectl rollout undo deployment/web").outcome is Outcome.CORRECT
    hint = str(ch10.q6.hint())
    assert _("Kubernetes' command-line tool is `kubectl`; a Deployment's rollouts are managed with "
             "`kubectl rollout …`.") in hint
    if lang == "ko":
        assert swarm.message.startswith("그것은 스웜의 명령입니다") and hint.startswith("힌트 1/2: 쿠버네티스의 명령줄 도구는")
        assert "Deployment web을 지정하세요" in other.message


def test_the_pipeline_exercises_read_the_run_records(lang, monkeypatch, tmp_path):
    """Chapter 11: no run of yours yet → Not attempted; a run that passed every step → Incorrect; in Korean."""
    from dockerlab.course.pipeline_runs import PipelineRun, Step, save_run, workspace_dir
    from dockerlab.exercises import ch11

    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path))
    labels.set_session("alice")
    try:
        none = ch11.q1.check()
        assert none.outcome is Outcome.NOT_ATTEMPTED and none.message == _(
            "No pipeline run of yours yet: break a test in pipe.workspace, then run pipe.run().")
        workspace_dir().mkdir(parents=True)
        save_run(PipelineRun(1, "1.0.0-abcdef0", "h", "t", steps=[Step("test", "ok", 1.0)], status="ok",
                             deployed="1.0.0-abcdef0"))
        passed = ch11.q1.check()
        assert passed.outcome is Outcome.INCORRECT and passed.message == _(
            "Your last run (#{number}) passed every step and deployed {version}: your change broke no test, so "
            "nothing stopped it.").format(number=1, version="1.0.0-abcdef0")
        if lang == "ko":
            assert none.message.startswith("아직 여러분의 파이프라인 실행이 없습니다")
            assert passed.message.startswith("마지막 실행(#1)은 모든 단계를 통과해 1.0.0-abcdef0을(를) 배포했습니다")
            assert str(passed).startswith("오답 — ")
    finally:
        labels.set_session(None)


def test_a_container_check_on_the_fake_engine(fake, lang, monkeypatch):
    """Chapter 09's first try-it: a container without a restart policy is Incorrect, said in the learner's language."""
    import dockerlab.containers
    from dockerlab.exercises import ch09

    monkeypatch.setattr(dockerlab.containers, "connect", lambda: fake)
    missing = ch09.q1.check()
    assert missing.outcome is Outcome.NOT_ATTEMPTED and "alice-resilient" in missing.message
    fake.engine.add_image("alice/flaky:1")
    dockerlab.run("resilient", "flaky:1", client=fake)
    no_policy = ch09.q1.check()
    assert no_policy.outcome is Outcome.INCORRECT and no_policy.message == _(
        "'{name}' has the restart policy 'no': after a crash the engine leaves it stopped.").format(
        name="alice-resilient")
    if lang == "ko":
        assert no_policy.message == "'alice-resilient'의 재시작 정책은 'no'입니다. 크래시 뒤에 엔진은 멈춘 채로 둡니다."
        assert missing.message.startswith("아직 'alice-resilient'")


def _compose_container(fake, project: str, service: str, *, env: dict | None = None, start: bool = True):
    """A container as Compose makes it: the project and service labels, on the project's network."""
    from dockerlab.compose import PROJECT_LABEL, SERVICE_LABEL

    c = fake.containers.create(IMAGE, name=f"{project}_{service}_1", environment=env or {},
                               labels={PROJECT_LABEL: project, SERVICE_LABEL: service},
                               network=f"{project}_todo-net")
    if start:
        c.start()
    return c


def test_the_compose_exercises_in_either_language(fake, lang, monkeypatch, tmp_path):
    """Chapter 06 on the fake engine: no project, a service saved in compose.yaml but not started, a service created
    but never started, the backend on the wrong port — each message is the catalog's, in Korean when asked."""
    from dockerlab.exercises import ch06

    monkeypatch.setattr(ch06, "connect", lambda: fake)
    monkeypatch.setenv("DOCKERLAB_WORK", str(tmp_path))
    project = "alice-todo"
    none = ch06.q1.check()
    assert none.outcome is Outcome.NOT_ATTEMPTED and none.problem == _(ch06.q1.title)
    assert none.message == _("There is no Compose project named '{project}' on the engine: run the chapter's cells "
                             "(`app.up()`), or `docker compose -p {project} up -d` in a terminal.").format(
        project=project)
    _compose_container(fake, project, "backend", env={"SERVER_PORT": "8080"})
    _compose_container(fake, project, "frontend", env={"BACKEND_URL": "http://backend:8080"})
    folder = tmp_path / "alice" / "todo-app"
    folder.mkdir(parents=True)
    (folder / "compose.yaml").write_text("services:\n  backend:\n    environment:\n      SERVER_PORT: \"9090\"\n"
                                         "  frontend2:\n    image: dockerlab/frontend:1.0\n")
    not_up = _("Your compose.yaml has it, but the project '{project}' on the engine does not: the file is saved but "
               "not started. Run `app.up()` (or `docker compose -p {project} up -d` in that folder).").format(
        project=project)
    saved = ch06.q1.check()
    assert saved.outcome is Outcome.NOT_ATTEMPTED and saved.message == f"frontend2: {not_up}"
    assert ch06.q2.check().message == f"SERVER_PORT=9090: {not_up}"
    _compose_container(fake, project, "frontend2", start=False)
    created = ch06.q1.check()
    assert created.outcome is Outcome.INCORRECT and created.message == _(
        "'{service}' of '{project}' is {state}, not running: read its log with `app.logs('{service}')` (or "
        "`docker compose -p {project} logs {service}`), then `app.up()` starts it again.").format(
        service="frontend2", project=project, state=_("created but never started"))
    fake.engine.find_container(f"{project}_backend_1").attrs["Config"]["Env"] = ["SERVER_PORT=9091"]
    wrong = ch06.q2.check()
    assert wrong.outcome is Outcome.INCORRECT and wrong.message == _(
        "The backend's SERVER_PORT is {port}, not 9090.").format(port="9091")
    hint = str(ch06.q2.hint(2))
    if lang == "ko":
        assert none.problem == "연습 1: compose.yaml에 두 번째 프론트엔드" and str(none).startswith("아직 안 함 — ")
        assert saved.message.startswith("frontend2: 여러분의 compose.yaml에는 있지만 엔진의 프로젝트 'alice-todo'에는")
        assert created.message.startswith("'alice-todo'의 'frontend2'은(는) 실행 중이 아니라 ")
        assert wrong.message == "백엔드의 SERVER_PORT가 9090이 아니라 9091입니다." and str(wrong).startswith("오답 — 연습 2: ")
        assert hint.startswith("힌트 2/2: backend의 environment 아래에")
