"""Offline: what the kit says when a container, an image, a volume, a network or a build goes wrong speaks the
learner's language (DOCKERLAB_LANG=ko → Korean), on the fake engine.

Each test compares with the catalog's message ids through ``_()`` (so it holds in both languages) and, in Korean,
with a few words of the Korean text itself (so a message left in English fails).
"""

from __future__ import annotations

import pytest

import dockerlab
from dockerlab import labels, refs, services
from dockerlab.errors import BadInput, BuildFailed, ContainerExited, ImageMissing, NameConflict, NotFound, PortInUse
from dockerlab.i18n import _, language
from dockerlab.images import build
from fakes import docker_build_chunks

IMAGE = "debian:bookworm-slim"


@pytest.fixture(params=["en", "ko"])
def lang(request, monkeypatch):
    """The learner's language as the environment gives it (no chapter chose one)."""
    monkeypatch.setenv("DOCKERLAB_LANG", request.param)
    assert language() == request.param
    return request.param


def hint_line(err) -> str:
    return str(err).splitlines()[-1]


def test_a_missing_container_volume_and_network(fake, lang):
    with pytest.raises(NotFound) as container:
        dockerlab.containers.get("web", client=fake)
    assert container.value.what == _("There is no container named {name}.").format(name="alice-web")
    assert container.value.hint == _("Run the cell that starts it first.")
    with pytest.raises(NotFound) as volume:
        dockerlab.volumes.get("todos", client=fake)
    assert volume.value.what == _("There is no volume named {name}.").format(name="alice-todos")
    with pytest.raises(NotFound) as network:
        dockerlab.networks.get("app", client=fake)
    assert network.value.what == _("There is no network named {name}.").format(name="alice-app")
    if lang == "ko":
        assert container.value.what == "alice-web이라는 컨테이너가 없습니다."
        assert hint_line(container.value) == "힌트: 그 컨테이너를 시작하는 셀을 먼저 실행하세요."
        assert volume.value.what == "alice-todos이라는 볼륨이 없습니다." and "네트워크가 없습니다" in network.value.what


def test_a_port_another_container_holds(fake, lang):
    dockerlab.run("one", IMAGE, ports={8080: 18080}, client=fake)
    with pytest.raises(PortInUse) as info:
        dockerlab.run("two", IMAGE, ports={8080: 18080}, client=fake)
    err = info.value
    assert err.what == _("Container {name} could not start: host port {port} is held by your container "
                         "{holder}.").format(name="alice-two", port=18080, holder="alice-one")
    assert err.port == 18080  # read back from the message in either language
    if lang == "ko":
        assert "호스트 포트 18080을(를) 여러분의 컨테이너 alice-one이(가) 쓰고 있습니다" in err.what
        assert hint_line(err).startswith("힌트: 그 컨테이너를 먼저 지우거나(`docker rm -f alice-one`")


def test_a_foreign_name_and_a_missing_image(fake, lang):
    fake.containers.create(IMAGE, name="alice-web")  # not the kit's
    with pytest.raises(NameConflict) as taken:
        dockerlab.run("web", IMAGE, client=fake)
    assert taken.value.hint == _("The kit never removes what it did not create: pick another name, or remove that "
                                 "container yourself if it is yours (`docker rm -f {name}`).").format(name="alice-web")
    with pytest.raises(ImageMissing) as missing:
        dockerlab.run("api", "nothere/app:9", client=fake)
    assert missing.value.what == _("The image {image} is not on this engine, and the kit does not pull from a "
                                   "registry while you run a chapter.").format(image="nothere/app:9")
    with pytest.raises(ImageMissing) as no_tag:
        dockerlab.images.inspect("greeter:v1", client=fake)
    assert no_tag.value.what == _("There is no image {names} on this engine.").format(names="greeter:v1")
    both = refs.missing("greeter:v1", "alice/greeter:v1")  # the learner's own name, and the name as written
    assert both.what == _("There is no image {names} on this engine.").format(
        names=_("{image} (for {ref})").format(image="alice/greeter:v1", ref="greeter:v1"))
    if lang == "ko":
        assert "키트가 만든 것이 아닙니다(상태 created, 이미지 debian:bookworm-slim)" in taken.value.what
        assert "레지스트리에서 이미지를 풀(pull)하지 않습니다" in missing.value.what
        assert both.what == "이 엔진에 이미지 alice/greeter:v1(greeter:v1에 해당)이(가) 없습니다."


@pytest.mark.parametrize("kwargs, words", [
    ({"restart": "sometimes"}, "재시작 정책이 아닙니다"),
    ({"volumes": {"todos": "/data:readonly"}}, "마운트 모드가 아닙니다"),
    ({"healthcheck": {"test": ["CMD", "true"], "interval": 2_000_000_000}}, "나노초가 아니라 초"),
    ({"wait": "soon"}, "준비 조건이 아닙니다"),
    ({"ports": {8080: "80"}}, "호스트 포트(정수)나 None"),
])
def test_bad_arguments_are_refused_in_the_learners_language(fake, lang, kwargs, words):
    with pytest.raises(BadInput) as info:
        dockerlab.run("web", IMAGE, client=fake, **kwargs)
    assert fake.engine.containers == {}
    assert (words in str(info.value)) == (lang == "ko")
    assert hint_line(info.value).startswith(_("Hint: {hint}").format(hint=""))


def test_a_bad_name_names_its_kind(fake, lang):
    with pytest.raises(BadInput) as info:
        dockerlab.run("my web", IMAGE, client=fake)
    assert info.value.what == _("'{value}' is not a valid {what}: use letters, digits, '_', '.' or '-', starting "
                                "with a letter or digit.").format(value="my web", what=_("container name"))
    assert info.value.hint == _("Try something like '{example}'.").format(example="my-web")
    if lang == "ko":
        assert info.value.what.startswith("'my web'은(는) 올바른 컨테이너 이름이(가) 아닙니다.")


def test_a_container_that_stops_before_it_is_ready(fake, lang):
    fake.engine.exit_codes["alice-crash"] = 2
    fake.engine.logs_for["alice-crash"] = "config file missing: /etc/app.conf\n"
    with pytest.raises(ContainerExited) as info:
        dockerlab.run("crash", IMAGE, wait="log:Started", timeout=5, client=fake)
    ready = _("log line containing {text}").format(text=repr("Started"))
    assert info.value.what == _("Container {name} stopped (exit code {code}) before it was ready ({ready}). Its "
                                "last log lines:").format(name="alice-crash", code=2, ready=ready)
    assert "config file missing: /etc/app.conf" in str(info.value)  # the program's own words stay as they are
    if lang == "ko":
        assert info.value.what == ("컨테이너 alice-crash이(가) 준비되기('Started'이(가) 들어 있는 로그 줄) 전에 "
                                   "멈췄습니다(종료 코드 2). 마지막 로그:")


def test_a_failed_build_says_where_and_what_to_do(fake, lang, monkeypatch, tmp_path):
    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path / "state"))
    error = "The command '/bin/sh -c exit 3' returned a non-zero code: 3"
    fake.engine.build_chunks = lambda kwargs: docker_build_chunks(
        [("FROM debian:bookworm-slim", []), ("RUN echo about to fail && exit 3", ["about to fail"])],
        labels=kwargs["labels"], error=error)
    with pytest.raises(BuildFailed) as info:
        build("hello:v1", dockerfile="FROM debian:bookworm-slim\nRUN echo about to fail && exit 3\n", client=fake)
    err = info.value
    assert err.what == _("Building {image} failed at {where}: {error}").format(
        image="alice/hello:v1", where="Step 2/2 : RUN echo about to fail && exit 3", error=error)
    assert err.hint == _("The command in that RUN step failed: its output is just above. Fix the cause and build "
                         "again.")
    assert "about to fail" in err.log_tail
    if lang == "ko":
        assert err.what.startswith("alice/hello:v1 빌드가 Step 2/2 : RUN echo about to fail && exit 3에서 실패했습니다")
        assert hint_line(err) == "힌트: 그 RUN 단계의 명령이 실패했습니다. 출력은 바로 위에 있습니다. 원인을 고치고 다시 빌드하세요."


def test_an_empty_dockerfile_and_a_missing_context(fake, lang, tmp_path):
    with pytest.raises(BuildFailed) as empty:
        build("hello:v1", dockerfile="  \n", client=fake)
    assert empty.value.what == _("The Dockerfile is empty: there is nothing to build.")
    with pytest.raises(BuildFailed) as nowhere:
        build("hello:v1", path=tmp_path / "nothere", client=fake)
    assert nowhere.value.what == _("The build context {path} does not exist (or is not a folder).").format(
        path=tmp_path / "nothere")
    if lang == "ko":
        assert empty.value.what == "Dockerfile이 비어 있습니다. 빌드할 것이 없습니다."
        assert hint_line(nowhere.value).startswith("힌트: Dockerfile이 들어 있는 폴더를 넘기세요.")


def _runs():
    from dockerlab.course.pipeline_runs import PipelineRun, Step

    good = PipelineRun(1, "1.0.0-aaaaaaa", "h", "t", steps=[Step("build", "ok", 1.0), Step("deploy", "ok", 2.0)],
                       note="demo", status="ok", deployed="1.0.0-aaaaaaa", server_after="1.0.0-aaaaaaa")
    bad = PipelineRun(2, "1.0.0-bbbbbbb", "h", "t", steps=[Step("verify", "failed", 3.0, "unhealthy"),
                                                            Step("rollback", "ok", 1.0)],
                      status="failed", failed_at="verify", rolled_back=True, server_before="1.0.0-aaaaaaa",
                      server_after="1.0.0-aaaaaaa")
    return good, bad


def test_a_pipeline_run_and_its_history_in_the_learners_language(lang):
    import io

    from rich.console import Console

    from dockerlab.display.pipeline import history_table, run_view

    good, bad = _runs()
    assert good.summary() == "✔ " + _("run #{number}: {version} is live on the server ({before}).").format(
        number=1, version="1.0.0-aaaaaaa", before=_("its first release"))
    assert bad.summary() == "✘ " + _("run #{number} failed at '{step}'; rolled back: the server runs {release} "
                                      "again.").format(number=2, step="verify", release="1.0.0-aaaaaaa")
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    console.print(run_view(bad))
    console.print(history_table([good, bad]))
    text = out.getvalue()
    for word in (_("step"), _("status"), _("failed"), _("Pipeline runs"), _("rolled back"), _("deployed")):
        assert word in text
    if lang == "ko":
        assert "실행 #2이(가) 'verify'에서 실패했습니다" in bad.summary() and "✘ 실패" in text and "✔ 통과" in text
        assert "파이프라인 실행 기록" in text and "Pipeline" not in text


class _ServerApp:
    """What Pipeline.verify asks of the deployed container: its state, health and health log."""

    def __init__(self, status: str, health: str | None, exit_code: int = 0) -> None:
        self.status, self.health, self.exit_code = status, health, exit_code
        self.health_log = [type("Probe", (), {"exit_code": 1})()]

    def reload(self) -> _ServerApp:
        return self


def test_the_pipelines_step_details_in_the_learners_language(lang, tmp_path, monkeypatch):
    """A verify step's detail is the learner's language; an unhealthy release still begins with the engine's word
    (chapter 11 asserts it), and reset's lines are translated too."""
    from dockerlab.course import pipeline

    monkeypatch.setenv("DOCKERLAB_STATE", str(tmp_path))
    pipe = pipeline.Pipeline(registry=None, server_client=None, health_timeout=1, say=None)  # type: ignore[arg-type]
    ok, sick = pipe.verify(_ServerApp("running", "unhealthy"), "1.0.0")
    assert not ok and sick.startswith("unhealthy") and sick.endswith(
        _("unhealthy after {seconds:.1f} s (health check exit code {code})").split("{code}")[1])
    ok, stopped = pipe.verify(_ServerApp("exited", None, exit_code=3), "1.0.0")
    assert not ok and stopped == _("the container stopped (exit code {code})").format(code=3)
    ok, slow = pipe.verify(_ServerApp("running", "starting"), "1.0.0")
    assert not ok and slow == _("not healthy within {seconds:.0f} s").format(seconds=1)
    labels.set_session("alice")
    try:
        pipeline.workspace_dir().mkdir(parents=True)
        monkeypatch.setattr(pipeline.registry_mod, "stop", lambda client=None: [])
        done = pipeline.reset_hook("11", None)
    finally:
        labels.set_session(None)
    assert done == [_("deleted the pipeline workspace {folder}").format(folder=tmp_path / "pipeline-alice")]
    if lang == "ko":
        assert sick.startswith("unhealthy: ") and "헬스체크 종료 코드 1" in sick
        assert stopped == "컨테이너가 멈췄습니다(종료 코드 3)" and slow == "1초 안에 정상(healthy)이 되지 않았습니다"
        assert done[0].startswith("파이프라인 작업 공간 ")


def test_the_containers_table_in_the_learners_language(lang):
    """Its title and column headers are the learner's; Docker's own words (running, exited, healthy) stay."""
    import io

    from rich.cells import cell_len
    from rich.console import Console

    from dockerlab.display.containers import ContainersTable, containers_table

    row = {"Id": "c1" * 32, "Name": "/alice-web", "Config": {"Image": "dockerlab/hello:1.0", "Labels": {}},
           "State": {"Status": "running", "ExitCode": 0, "Health": {"Status": "healthy"}},
           "NetworkSettings": {"Ports": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "49153"}]}}}
    wide, narrow = io.StringIO(), io.StringIO()
    Console(file=wide, width=120, color_system=None).print(containers_table([row], title="이 장의 컨테이너"))
    Console(file=wide, width=120, color_system=None).print(ContainersTable([]))
    Console(file=narrow, width=40, color_system=None).print(containers_table([row]))  # one record per container
    lines, records = wide.getvalue().splitlines(), narrow.getvalue().splitlines()
    header = next(line for line in lines if _("image") in line and _("ports") in line)
    assert header.split() == [_("name"), _("image"), _("status"), "health", _("ports"), _("chapter")]
    assert any("alice-web" in line and "running" in line and "healthy" in line for line in lines)
    assert _("No containers.") in lines[-1] and all(cell_len(line) <= 40 for line in records)
    assert records[0] == _("Containers") and any(line.split() == [_("image"), "dockerlab/hello:1.0"] for line in records)
    if lang == "ko":
        assert header.split() == ["이름", "이미지", "상태", "health", "포트", "장"]
        assert lines[-2:] == ["컨테이너", "컨테이너가 없습니다."]


def test_the_event_timeline_in_the_learners_language(lang):
    """Headers and title are the learner's; the engine's own words (die, exit code 1) stay, the chapters assert them."""
    import datetime as dt

    from dockerlab.display.render import to_text
    from dockerlab.display.timeline import Timeline
    from dockerlab.events import EventRow

    t0 = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
    rows = [EventRow(t0 + dt.timedelta(seconds=i), "container", "die", f"c{i}", "exit code 1") for i in range(70)]
    text = to_text(Timeline(rows), width=100)
    for word in (_("Engine events"), _("t (s)"), _("type"), _("action"), _("detail"),
                 _("({count} more)").format(count=11), "exit code 1"):
        assert word in text
    if lang == "ko":
        assert "엔진 이벤트" in text and "(그 밖에 11개)" in text and "Engine events" not in text


def test_the_timeline_plot_in_the_learners_language(lang, monkeypatch):
    """The plot's title and axis are the learner's, drawn without a missing glyph (a Hangul font when one is
    installed); on a machine without one the kit's words stay English rather than empty boxes."""
    import datetime as dt
    import warnings

    from dockerlab.display import timeline
    from dockerlab.events import EventRow

    t0 = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
    rows = [EventRow(t0 + dt.timedelta(seconds=i), "container", verb, "alice-web", "")
            for i, verb in enumerate(("create", "start", "die"))]
    font = timeline.hangul_font()
    if font is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph … missing from font(s)" is a UserWarning
            fig = timeline.Timeline(rows).plot()
            fig.canvas.draw()
        ax = fig.axes[0]
        assert (ax.get_title(), ax.get_xlabel()) == (_("Engine events"), _("seconds since the first event"))
        assert font in ax.title.get_fontfamily()
        if lang == "ko":
            assert ax.get_title() == "엔진 이벤트" and ax.get_xlabel().startswith("첫 이벤트부터")
    monkeypatch.setattr(timeline, "hangul_font", lambda: None)
    ax = timeline.Timeline(rows).plot().axes[0]
    assert (ax.get_title(), ax.get_xlabel()) == ("Engine events", "seconds since the first event")


def test_a_service_on_an_engine_not_in_swarm_mode(fake, lang):
    with pytest.raises(NotFound) as info:
        services.get("web", client=fake)
    assert info.value.what == _("There is no service {name}: the engine is not in Swarm mode.").format(name="alice-web")
    with pytest.raises(BadInput) as bad:
        services.create("web", IMAGE, endpoint_mode="round-robin", client=fake)
    assert bad.value.what == _("endpoint_mode must be 'vip' or 'dnsrr', not {value}.").format(value="'round-robin'")
    if lang == "ko":
        assert info.value.what == "서비스 alice-web이(가) 없습니다. 엔진이 스웜 모드가 아닙니다."
        assert hint_line(info.value) == "힌트: 먼저 스웜 모드를 켜고 서비스를 만드는 셀을 실행하세요."


def test_no_registry_running(fake, lang):
    from dockerlab.course import registry

    with pytest.raises(NotFound) as info:
        registry.get(fake)
    assert info.value.what == _("Your registry ({name}) is not running.").format(name="alice-registry")
    if lang == "ko":
        assert info.value.what == "레지스트리(alice-registry)가 실행 중이 아닙니다."


def test_inspect_and_compose_refusals(fake, lang, tmp_path):
    from dockerlab.compose_file import check_safe
    from dockerlab.inspect import inspect, render

    import types

    import docker.errors

    def gone(name):
        raise docker.errors.NotFound(f"No such object: {name}")

    engine = types.SimpleNamespace(api=types.SimpleNamespace(
        inspect_container=gone, inspect_image=gone, inspect_volume=gone, inspect_network=gone))
    with pytest.raises(NotFound) as missing:
        inspect("web", "{{.State.ExitCode}}", client=engine)
    assert missing.value.what == _("There is no {kind} named {name}.").format(kind=_("container"), name="alice-web")
    with pytest.raises(BadInput) as unclosed:
        render({}, "{{range .Mounts}}{{.Source}}")
    assert unclosed.value.what == _("{action} has no {end}.").format(action="{{range .Mounts}}", end="{{end}}")
    with pytest.raises(BadInput) as open_port:
        check_safe({"services": {"web": {"image": IMAGE, "ports": ["8080:80"]}}})
    assert open_port.value.what == _("Service {name} publishes the port {port!r} on every network of this machine "
                                     "(no host address given).").format(name="web", port="8080:80")
    if lang == "ko":
        assert missing.value.what == "컨테이너 alice-web이(가) 없습니다."
        assert unclosed.value.what == "{{range .Mounts}}에 {{end}}이(가) 없습니다."
        assert open_port.value.what.startswith("서비스 web이(가) 포트 '8080:80'을(를) 이 컴퓨터의 모든 네트워크에")


def test_closing_the_live_widgets_says_so_in_the_learners_language(lang):
    """reset's lines about the kit's widgets (a refresh thread stopped, a widget that would not close)."""
    from dockerlab.widgets import live

    class Stub:
        def __init__(self, fails: bool) -> None:
            self.fails = fails

        def describe(self) -> str:
            return _("{widget} (its refresh thread)").format(widget="Dashboard")

        def close(self) -> None:
            if self.fails:
                raise RuntimeError("stuck")

    live.track(Stub(False))
    live.track(Stub(True))
    done = live.close_all()
    what = _("{widget} (its refresh thread)").format(widget="Dashboard")
    assert done == [_("closed {what}").format(what=what),
                    _("could not close {what}: {error}").format(what=what, error="stuck")]
    assert live.live_widgets() == []
    if lang == "ko":
        assert done == ["Dashboard(새로 고침 스레드)을(를) 닫았습니다", "Dashboard(새로 고침 스레드)을(를) 닫지 못했습니다: stuck"]


def test_no_engine_at_docker_host_in_the_learners_language(lang, monkeypatch, tmp_path):
    """The set-up's engine check (`./lab start`): DOCKER_HOST names a socket nobody answers on."""
    from dockerlab.daemon import ensure_engine
    from dockerlab.errors import EngineUnavailable

    address = f"unix://{tmp_path}/nobody.sock"
    monkeypatch.setenv("DOCKER_HOST", address)
    with pytest.raises(EngineUnavailable) as err:
        ensure_engine(log=lambda _line: None)
    assert err.value.what == _("No Docker engine answers at {address}.").format(address=address)
    assert err.value.hint == _("Start that engine, or unset DOCKER_HOST to use this machine's.")
    if lang == "ko":
        assert err.value.what == f"{address}에서 답하는 Docker 엔진이 없습니다." and "DOCKER_HOST를 지우세요" in err.value.hint


def test_a_network_view_in_the_learners_language(lang):
    from dockerlab.display.network import NetworkView
    from dockerlab.display.render import to_text

    empty = to_text(NetworkView("alice-todo-net", [], subnet="172.18.0.0/16"), width=100)
    assert _("Network {name} ({driver})").format(name="alice-todo-net", driver="bridge") in empty
    assert _("No containers on it.") in empty
    if lang == "ko":
        assert "네트워크 alice-todo-net(bridge) — 서브넷 172.18.0.0/16" in empty and "연결된 컨테이너가 없습니다." in empty


def test_the_command_lines_help_in_the_learners_language(lang, capsys):
    from dockerlab import __main__ as cli

    with pytest.raises(SystemExit):
        cli.main(["progress", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the help to the terminal's width
    assert _("every learner's progress (teachers: reads the learners' homes)") in out
    if lang == "ko":
        assert "교사 그룹(기본값 dlab-teachers)" in out
