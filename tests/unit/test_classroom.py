"""Offline: the class list, a learner's rootless engine pre-flight (each fault: one message with a Hint), the
hub's generated config, the engine-down and disk-full hints, and the bundle's refusal of damaged or foreign files."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import docker.errors
import pytest

from dockerlab import rootless
from dockerlab.course import bundle
from dockerlab.course.classroom import ClassList, Installation, read_class_list
from dockerlab.errors import BadInput, BuildFailed, DiskFull, EngineUnavailable, from_exception


# --- the class list ------------------------------------------------------------------------------------------

def test_class_list_reads_names_comments_and_blank_lines(tmp_path):
    path = tmp_path / "class.txt"
    path.write_text("# 2반\nkim-minji\n\n lee_jun  # late\npark\n")
    klass = read_class_list(path, "teacher")
    assert klass.learners == ["kim-minji", "lee_jun", "park"]
    assert klass.everyone == ["kim-minji", "lee_jun", "park", "teacher"]


@pytest.mark.parametrize("text, words", [
    ("alice\nBob Smith\n", "Line 2"), ("alice\nalice\n", "listed twice"), ("root\n", "is root"),
    ("# nobody\n", "names nobody"), ("alice\n9lives\n", "Line 2"),
])
def test_bad_class_lists_are_refused_with_the_line(tmp_path, text, words):
    path = tmp_path / "class.txt"
    path.write_text(text)
    with pytest.raises(BadInput, match=words) as err:
        read_class_list(path)
    assert "Hint:" in str(err.value)


def test_a_bad_class_list_in_korean(tmp_path, monkeypatch):
    """The teacher's set-up speaks the catalog's language too: the refusal and its Hint."""
    from dockerlab.i18n import _

    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    path = tmp_path / "class.txt"
    path.write_text("alice\nalice\n")
    with pytest.raises(BadInput) as err:
        read_class_list(path)
    assert err.value.what == _("Line {number} of {path}: {name!r} is listed twice.").format(
        number=2, path=path, name="alice")
    assert f"{path}의 2번째 줄: 'alice'이(가) 두 번 적혀 있습니다." in str(err.value)
    assert "힌트: 학습자는 한 번씩만 적고, root는 적지 마세요." in str(err.value)


def test_a_missing_class_list_is_named(tmp_path):
    with pytest.raises(BadInput, match="Cannot read the class list"):
        read_class_list(tmp_path / "nope.txt")


# --- a learner's engine: pre-flight faults ------------------------------------------------------------------

def _paths(tmp_path: Path, uid: int = 4242) -> rootless.RootlessPaths:
    return rootless.RootlessPaths(user="dlab-x", uid=uid, gid=uid, home=tmp_path, runtime_dir=tmp_path / "run",
                                  data_root=tmp_path / "data", state=tmp_path / "state")


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A machine where everything a rootless engine needs is there (each test then breaks one thing)."""
    subuid, subgid, tun = tmp_path / "subuid", tmp_path / "subgid", tmp_path / "tun"
    subuid.write_text("dlab-x:100000:65536\n")
    subgid.write_text("dlab-x:100000:65536\n")
    tun.write_text("")
    monkeypatch.setattr(rootless, "SUBUID", str(subuid))
    monkeypatch.setattr(rootless, "SUBGID", str(subgid))
    monkeypatch.setattr(rootless, "TUN", str(tun))
    monkeypatch.setattr(rootless.shutil, "which", lambda tool, path=None: f"/usr/bin/{tool}")
    monkeypatch.setattr(rootless, "launcher", lambda: "/usr/share/docker.io/contrib/dockerd-rootless.sh")
    return tmp_path


def test_preflight_passes_on_a_ready_machine(machine):
    rootless.preflight(_paths(machine))


def _refusal(paths) -> str:
    with pytest.raises(rootless.RootlessUnavailable) as err:
        rootless.preflight(paths)
    assert isinstance(err.value, EngineUnavailable)
    text = str(err.value)
    assert text.count("Hint:") == 1
    return text


def test_no_subordinate_ids(machine):
    (machine / "subuid").write_text("someone-else:100000:65536\n")
    text = _refusal(_paths(machine))
    assert "dlab-x has no subordinate user ids" in text and "usermod --add-subuids" in text


def test_too_few_subordinate_ids(machine):
    (machine / "subgid").write_text("dlab-x:100000:1000\n")
    assert "no subordinate group ids" in _refusal(_paths(machine))


def test_missing_tun_device(machine):
    (machine / "tun").unlink()
    text = _refusal(_paths(machine))
    assert "has no" in text and "mknod" in text


def test_tun_device_only_roots(machine, monkeypatch):
    real_open = os.open

    def deny(path, flags, *a):
        if str(path) == str(machine / "tun"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *a)

    monkeypatch.setattr(rootless.os, "open", deny)
    text = _refusal(_paths(machine))
    assert "may not open" in text and "classroom setup" in text


def test_missing_packages(machine, monkeypatch):
    monkeypatch.setattr(rootless.shutil, "which", lambda tool, path=None: None if tool == "slirp4netns" else tool)
    text = _refusal(_paths(machine))
    assert "slirp4netns" in text and "apt-get install" in text


def test_root_is_sent_to_the_machines_engine(machine):
    text = _refusal(_paths(machine, uid=0))
    assert "this is root" in text and "without --rootless" in text


def test_a_failed_start_names_the_tun_trap_from_the_log(tmp_path):
    paths = _paths(tmp_path)
    paths.state.mkdir()
    paths.log.write_text("[rootlesskit:parent] error: failed to setup network &{...}: "
                         "open: Permission denied ... setting up tap tap0\n")
    err = rootless.RootlessEngine(paths)._failure("Your engine stopped while starting.")
    assert "Your engine stopped" in err.message and "tun" in err.hint and "Permission denied" in err.message


def test_paths_follow_the_learners_xdg_folders(tmp_path):
    me = rootless.RootlessPaths.for_user(env={"XDG_RUNTIME_DIR": str(tmp_path / "r"),
                                              "XDG_DATA_HOME": str(tmp_path / "d"),
                                              "XDG_STATE_HOME": str(tmp_path / "s")})
    assert me.socket == tmp_path / "r" / "docker.sock" and me.address == f"unix://{tmp_path}/r/docker.sock"
    assert me.data_root == tmp_path / "d" / "docker"
    assert me.record == tmp_path / "s" / "dockerlab" / "rootless" / "engine.json"
    assert rootless.runtime_dir(987654, {}) == Path("/tmp/dockerlab-run-987654")  # no /run/user/<uid> of theirs


def test_status_of_a_stopped_engine(tmp_path):
    engine = rootless.RootlessEngine(_paths(tmp_path))
    assert engine.pid() is None and "not running" in engine.status()


def test_a_learners_engine_speaks_korean(tmp_path, monkeypatch):
    """DOCKERLAB_LANG=ko: the rootless engine's refusals, Hints, log lines and status are Korean."""
    from dockerlab.i18n import _

    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    with pytest.raises(rootless.RootlessUnavailable) as err:
        rootless.preflight(_paths(tmp_path, uid=0))
    assert err.value.what == _("A rootless engine is for an ordinary user, and this is root.")
    assert err.value.what.startswith("rootless 엔진은 일반 사용자를") and "--rootless 없이" in err.value.hint
    engine = rootless.RootlessEngine(_paths(tmp_path))
    said: list[str] = []
    assert engine.stop(log=said.append) is False and said == ["여러분의 엔진은 실행 중이 아닙니다."]
    assert engine.status().startswith("dlab-x의 rootless 엔진: 실행 중이 아님. 소켓 ")


# --- faults seen from a notebook: engine gone, disk full ----------------------------------------------------

def test_a_learners_own_engine_that_died_gets_a_restart_hint(tmp_path, monkeypatch):
    import requests

    monkeypatch.setattr(os, "geteuid", lambda: 4242)  # a learner, whose runtime folder is theirs
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: os.stat_result((0o40700, 0, 0, 1, 4242, 0, 0, 0, 0, 0)))
    err = from_exception(requests.exceptions.ConnectionError("refused"), "starting container first",
                         address=f"unix://{tmp_path}/docker.sock")
    assert isinstance(err, EngineUnavailable)
    assert "engine start --rootless" in err.hint and "kept" in err.hint


def test_a_learners_own_engine_that_is_slow_gets_a_try_again_then_restart_hint(tmp_path, monkeypatch):
    import requests

    monkeypatch.setattr(os, "geteuid", lambda: 4242)
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: os.stat_result((0o40700, 0, 0, 1, 4242, 0, 0, 0, 0, 0)))
    err = from_exception(requests.exceptions.ReadTimeout("Read timed out. (read timeout=180)"),
                         "starting container pad", address=f"unix://{tmp_path}/docker.sock")
    assert "within 180 s" in err.what and "again" in err.hint
    assert "engine stop --rootless" in err.hint and "engine start --rootless" in err.hint and "kept" in err.hint


def test_roots_engine_down_keeps_the_usual_hint():
    import requests

    err = from_exception(requests.exceptions.ConnectionError("refused"), address="unix:///var/run/docker.sock")
    assert "--rootless" not in err.hint


def test_a_full_disk_in_the_engine_says_so():
    exc = docker.errors.APIError("500 Server Error", explanation="write /var/lib/docker/tmp/x: no space left on device")
    err = from_exception(exc, "starting container web")
    assert isinstance(err, DiskFull) and "disk is full" in err.what and "reset" in err.hint
    build = BuildFailed("Building hello:v1 failed at Step 3/4: RUN dd …", log_tail=["dd: error writing "
                                                                                   "'/big': No space left on device"])
    assert "disk is full" in build.hint


# --- the hub's config ---------------------------------------------------------------------------------------

def test_the_generated_hub_config_is_python_naming_the_class(tmp_path):
    from dockerlab.course.hub import hub_config

    inst = Installation(tmp_path)
    inst.class_file.write_text(json.dumps({"learners": ["dlab-a", "dlab-b"], "teacher": "dlab-t"}))
    text = hub_config(inst, tmp_path / "hub", port=8123, ip="127.0.0.1", idle_timeout=600)
    compile(text, "jupyterhub_config.py", "exec")
    assert "'dlab-a'" in text and "'dlab-t'" in text and "admin_users = {'dlab-t'}" in text
    assert "c.JupyterHub.port = 8123" in text and "learner-server" in text and "--timeout=600" in text
    assert "post_stop_hook" in text and str(inst.proxy) in text


def test_a_korean_class_gets_korean_notebooks_kit_messages_and_menus(tmp_path, monkeypatch):
    import pwd
    import types

    from dockerlab.course import classroom
    from dockerlab.course.hub import hub_config

    inst = Installation(tmp_path)
    inst.class_file.write_text(json.dumps({"learners": ["dlab-a"], "teacher": None, "lang": "ko"}))
    assert inst.read_class().lang == "ko"
    assert "'DOCKERLAB_LANG': 'ko'" in hub_config(inst, tmp_path / "hub", port=8123, ip="127.0.0.1", idle_timeout=60)
    for lang in ("en", "ko"):  # the installed course: both languages' notebooks
        (inst.course / "notebooks" / lang / "solutions").mkdir(parents=True)
        (inst.course / "notebooks" / lang / "00-setup-check.ipynb").write_text(lang)
        (inst.course / "notebooks" / lang / "solutions" / "00-setup-check.ipynb").write_text(lang + " solution")
    home = tmp_path / "home"
    me = pwd.getpwuid(os.getuid())
    monkeypatch.setattr(classroom.pwd, "getpwnam", lambda user: types.SimpleNamespace(
        pw_dir=str(home), pw_uid=me.pw_uid, pw_gid=me.pw_gid))
    target = classroom.copy_course("dlab-a", inst, solutions=True, lang="ko")
    assert (target / "00-setup-check.ipynb").read_text() == "ko"
    assert (target / "solutions" / "00-setup-check.ipynb").read_text() == "ko solution"
    classroom.jupyterlab_locale(inst.venv, "ko")
    overrides = json.loads((inst.venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json").read_text())
    assert overrides["@jupyterlab/translation-extension:plugin"] == {"locale": "ko_KR"}


def test_a_hub_without_a_class_says_to_set_it_up(tmp_path):
    from dockerlab.errors import DockerlabError

    with pytest.raises(DockerlabError, match="No class is set up here") as err:
        Installation(tmp_path).read_class()
    assert "classroom setup" in err.value.hint


# --- the bundle: refusals before anything is loaded ---------------------------------------------------------

def _write_bundle(path: Path, payload: bytes = b"x" * 5000, *, course: str | None = None, size: int | None = None,
                  first: str = bundle.MANIFEST) -> Path:
    manifest = {"format": bundle.FORMAT, "kit": "0.0.9", "course": course or bundle.course_fingerprint(),
                "images": [{"ref": "dockerlab/hello:1.0", "id": "sha256:abc", "size": 1}], "created": 0,
                "files": {bundle.IMAGES: {"sha256": hashlib.sha256(payload).hexdigest(),
                                          "size": len(payload) if size is None else size}}}
    members = [(bundle.MANIFEST, json.dumps(manifest).encode()), (bundle.IMAGES, payload)]
    if first != bundle.MANIFEST:
        members.reverse()
    with tarfile.open(path, "w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


class _NoLoadClient:
    """A client whose engine must never be asked to load anything."""

    class api:  # noqa: N801
        @staticmethod
        def load_image(*a, **k):
            raise AssertionError("a refused bundle was loaded")


def test_an_intact_bundle_verifies(tmp_path):
    manifest = bundle.verify(_write_bundle(tmp_path / "b.tar"))
    assert manifest.kit == "0.0.9" and manifest.images[0]["ref"] == "dockerlab/hello:1.0"


def test_a_truncated_bundle_is_refused(tmp_path):
    path = _write_bundle(tmp_path / "b.tar", b"y" * 20000)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    with pytest.raises(bundle.BundleError, match="truncated") as err:
        bundle.import_bundle(path, client=_NoLoadClient())
    assert "Hint:" in str(err.value)


def test_a_damaged_bundle_is_refused_in_korean(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    path = _write_bundle(tmp_path / "b.tar", b"y" * 20000)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    with pytest.raises(bundle.BundleError) as err:
        bundle.import_bundle(path, client=_NoLoadClient())
    assert "이(가) 잘렸" in err.value.what and "교사의 컴퓨터에서 번들을 다시 내보내고" in err.value.hint


def test_a_corrupt_bundle_is_refused(tmp_path):
    path = _write_bundle(tmp_path / "b.tar", b"z" * 20000)
    data = bytearray(path.read_bytes())
    data[3000] ^= 0xFF  # one flipped byte inside images.tar
    path.write_bytes(bytes(data))
    with pytest.raises(bundle.BundleError, match="damaged"):
        bundle.import_bundle(path, client=_NoLoadClient())


def test_a_bundle_of_other_course_images_is_refused(tmp_path):
    path = _write_bundle(tmp_path / "b.tar", course="0123456789abcdef")
    with pytest.raises(bundle.BundleError, match="dockerlab 0.0.9 from other course images") as err:
        bundle.import_bundle(path, client=_NoLoadClient())
    assert "bundle export" in err.value.hint


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_bytes(b"not a tar at all" * 100), "not a dockerlab bundle"),
    (lambda p: _write_bundle(p, first=bundle.IMAGES), "does not start with"),
])
def test_other_files_are_not_bundles(tmp_path, make, words):
    path = tmp_path / "b.tar"
    make(path)
    with pytest.raises(bundle.BundleError, match=words):
        bundle.import_bundle(path, client=_NoLoadClient())


def test_a_missing_bundle_file_is_named(tmp_path):
    with pytest.raises(bundle.BundleError, match="There is no bundle file"):
        bundle.verify(tmp_path / "missing.tar")


def test_unknown_course_images_are_refused_for_export():
    from dockerlab.errors import DockerlabError

    with pytest.raises(DockerlabError, match="not a course image"):
        bundle._refs(["hello", "nginx"])
    assert bundle._refs(["hello"]) == ["debian:bookworm-slim", "dockerlab/hello:1.0"]


def test_class_list_object_keeps_teacher_once():
    assert ClassList(["a", "t"], "t").everyone == ["a", "t"]


def test_a_build_step_that_filled_the_disk_says_so():
    from dockerlab.builder import _hint_for

    hint = _hint_for("The command '/bin/sh -c dd if=/dev/zero of=/big' returned a non-zero code: 1",
                     ["dd: error writing '/big': No space left on device"], {})
    assert hint.startswith("The engine's disk is full.") and "reset" in hint
    assert "RUN step failed" in _hint_for("The command 'false' returned a non-zero code: 1", ["nothing"], {})


def test_a_kit_without_its_course_folder_compares_versions_only(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_IMAGES", str(tmp_path / "absent"))
    bundle.check_compatible(bundle.Manifest(bundle.__version__, "anything", [], {}, 0), "b.tar")
    with pytest.raises(bundle.BundleError, match="made by dockerlab 0.0.9; this kit is"):
        bundle.check_compatible(bundle.Manifest("0.0.9", "anything", [], {}, 0), "b.tar")


def test_a_shell_without_docker_host_finds_the_learners_running_rootless_engine(tmp_path, monkeypatch):
    import socket

    from dockerlab import endpoint

    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setattr(endpoint.os, "geteuid", lambda: 4242)
    record = tmp_path / "dockerlab" / "rootless" / "engine.json"
    record.parent.mkdir(parents=True)
    sock_path = tmp_path / "docker.sock"
    record.write_text(json.dumps({"address": f"unix://{sock_path}"}))
    assert endpoint.engine_address() == endpoint.DEFAULT_SOCKET  # recorded, but its socket is gone: not running
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        assert endpoint.engine_address() == f"unix://{sock_path}"
        monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:2375")
        assert endpoint.engine_address() == "tcp://127.0.0.1:2375"  # DOCKER_HOST still wins


def test_a_hub_stops_only_the_engines_of_its_own_class(tmp_path):
    from dockerlab.course.hub import Hub

    inst = Installation(tmp_path / "opt")
    inst.prefix.mkdir()
    inst.class_file.write_text(json.dumps({"learners": ["dlab-other"], "teacher": None}))  # rewritten since
    hub = Hub(inst, tmp_path / "hub")
    hub.folder.mkdir()
    (hub.folder / "hub.json").write_text(json.dumps({"url": "http://127.0.0.1:1", "users": ["dlab-a", "dlab-t"]}))
    assert hub.users() == ["dlab-a", "dlab-t"]
    (hub.folder / "hub.json").unlink()
    assert hub.users() == ["dlab-other"]  # a hub without its own record: the machine's class file


def test_setup_installs_from_the_checkout_it_lives_in():
    from dockerlab.course import classroom

    assert (classroom.SOURCE / "pyproject.toml").is_file() and (classroom.SOURCE / "dockerlab").is_dir()
    assert (classroom.SOURCE / "notebooks").is_dir() and (classroom.SOURCE / "images").is_dir()
