"""Offline: history rows ↔ RootFS layers, the layer stack's rows and markers, layer files from a save tar."""

from __future__ import annotations

import hashlib
import io
import tarfile

from rich.console import Console

from dockerlab.display.layerstack import LayerFilesView, LayerStack
from dockerlab.layers import ImageLayers, Layer, WritableLayer, clean_instruction, map_history, saved_digests
from dockerlab.layertar import LayerFile, list_layer_tar, read_image_tar


def text(renderable: object, width: int = 100) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(renderable)
    return out.getvalue()


# -- instructions -------------------------------------------------------------------------------
def test_clean_instruction() -> None:
    assert clean_instruction('/bin/sh -c #(nop)  CMD ["bash"]') == 'CMD ["bash"]'
    assert clean_instruction("/bin/sh -c #(nop) WORKDIR /app") == "WORKDIR /app"
    assert clean_instruction("/bin/sh -c apt-get update &&   apt-get install -y curl") == \
        "RUN apt-get update && apt-get install -y curl"
    assert clean_instruction("|1 APP_VERSION=1.0.0 /bin/sh -c groupadd app") == "RUN groupadd app"
    assert clean_instruction("RUN /bin/sh -c make # buildkit") == "RUN make"
    assert clean_instruction("", "Imported from -") == "(base layer, imported)"
    hashed = "/bin/sh -c #(nop) COPY file:" + "a" * 64 + " in /app/app.jar "
    assert clean_instruction(hashed) == "COPY file:aaaaaaaaaaaa… in /app/app.jar"
    glued = "/bin/sh -c #(nop) COPY --chown=10001:10001file:" + "b" * 64 + " in /app/readme.txt "
    assert clean_instruction(glued) == "COPY --chown=10001:10001 file:bbbbbbbbbbbb… in /app/readme.txt"


# -- mapping history rows to RootFS layers -----------------------------------------------------
def row(created_by: str, size: int, rid: str = "<missing>") -> dict:
    return {"CreatedBy": created_by, "Size": size, "Id": rid, "Created": 0, "Comment": ""}


HISTORY = [  # oldest first, as docker history lists them reversed
    row("", 80_000_000, "sha256:base"),
    row("/bin/sh -c #(nop)  ENV A=1", 0, "sha256:i1"),
    row("/bin/sh -c echo hi > /hi", 3, "sha256:i2"),
    row("/bin/sh -c #(nop) WORKDIR /app", 0, "sha256:i3"),  # made a folder: a layer of size 0
    row("/bin/sh -c seq 1 3", 0, "sha256:i4"),  # changed no file: no layer
    row('/bin/sh -c #(nop)  CMD ["x"]', 0, "sha256:top"),
]
COUNTS = {"sha256:base": 1, "sha256:i1": 1, "sha256:i2": 2, "sha256:i3": 3, "sha256:i4": 3, "sha256:top": 3}


def test_map_history_asks_intermediate_images_how_many_layers() -> None:
    digests, uncertain = map_history(HISTORY, ["sha256:L0", "sha256:L1", "sha256:L2"], COUNTS.get)
    assert digests == ["sha256:L0", None, "sha256:L1", "sha256:L2", None, None]
    assert not uncertain


def test_map_history_guesses_when_rows_are_missing() -> None:
    pulled = [dict(r, Id="<missing>") for r in HISTORY]
    digests, uncertain = map_history(pulled, ["sha256:L0", "sha256:L1", "sha256:L2"])
    # Size>0 rows are layers, ENV/CMD never; the missing third layer goes to the first zero-size WORKDIR/RUN row
    assert digests == ["sha256:L0", None, "sha256:L1", "sha256:L2", None, None]
    assert not uncertain
    digests, uncertain = map_history(pulled, ["sha256:L0", "sha256:L1"])
    assert digests == ["sha256:L0", None, "sha256:L1", None, None, None] and not uncertain
    _, uncertain = map_history(pulled, ["sha256:L0"])
    assert uncertain


# -- the stack ----------------------------------------------------------------------------------
def stack(writable: WritableLayer | None = None) -> ImageLayers:
    layers = [
        Layer(0, "(base layer, imported)", 82_400_000, 0, "sha256:L0", shared_with=("debian:bookworm-slim", "b:1")),
        Layer(1, "ENV A=1", 0, 0, None),
        Layer(2, "RUN echo hi > /hi", 3, 0, "sha256:L1"),
        Layer(3, "WORKDIR /app", 0, 0, "sha256:L2"),
        Layer(4, 'CMD ["x"]', 0, 0, None),
        Layer(5, "LABEL org.dockerlab.kit=1", 0, 0, None),
    ]
    return ImageLayers(ref="alice/hi:latest", image_id="sha256:" + "ab" * 32, tags=["alice/hi:latest"],
                       layers=layers, writable=writable)


def rows_in_order(out: str, needles: list[str]) -> list[int]:
    return [next(i for i, line in enumerate(out.splitlines()) if needle in line) for needle in needles]


def test_stack_lists_layers_base_first_with_sizes_and_bars() -> None:
    out = text(LayerStack(stack()))
    order = rows_in_order(out, ["(base layer, imported)", "ENV A=1", "RUN echo hi", "WORKDIR /app", 'CMD ["x"]'])
    assert order == sorted(order)
    base = out.splitlines()[order[0]]
    assert "82.4 MB" in base and "█" * 12 in base and "◆ debian:bookworm-slim +1" in base
    run = out.splitlines()[order[2]]
    assert "3 B" in run and "█" in run and "◆" not in run
    assert "no files" in out.splitlines()[order[1]]
    assert "org.dockerlab" not in out.split("\n", 2)[2]  # kit label rows hidden, counted in the heading
    assert "82.4 MB in 3 layer(s) + 2 row(s) without files" in out
    assert "1 LABEL row(s) the kit adds not shown" in out


def test_stack_top_first_and_without_config_rows() -> None:
    out = text(LayerStack(stack(), top_first=True, config_rows=False))
    order = rows_in_order(out, ["WORKDIR /app", "RUN echo hi", "(base layer, imported)"])
    assert order == sorted(order) and "ENV A=1" not in out
    assert '"no files"' not in out and "◆: other images" in out  # the legend explains only what is shown


def test_container_writable_layer_on_top_lists_paths() -> None:
    writable = WritableLayer("alice-web", "running", (("C", "/tmp"), ("A", "/tmp/new.txt"), ("D", "/hi")))
    out = text(LayerStack(stack(writable)))
    lines = out.splitlines()
    w = next(i for i, line in enumerate(lines) if "writable layer of alice-web" in line)
    assert w > rows_in_order(out, ['CMD ["x"]'])[0]  # above every image layer
    assert "3 path(s) added/changed/deleted" in out
    assert any(line.strip().startswith("A /tmp/new.txt") and "added" in line for line in lines)
    assert any(line.strip().startswith("D /hi") and "deleted" in line for line in lines)
    assert any(line.strip().startswith("C /tmp") and "changed" in line for line in lines)
    top = text(LayerStack(stack(writable), top_first=True))
    assert rows_in_order(top, ["writable layer of", "/tmp/new.txt", 'CMD ["x"]', "(base layer"]) == \
        sorted(rows_in_order(top, ["writable layer of", "/tmp/new.txt", 'CMD ["x"]', "(base layer"]))


def test_writable_layer_limit() -> None:
    many = tuple(("A", f"/data/f{i:03}") for i in range(50))
    out = text(LayerStack(stack(WritableLayer("c", "exited", many)), writable_limit=10))
    assert "/data/f009" in out and "/data/f010" not in out and "… and 40 more path(s)" in out


def test_stack_mimebundle() -> None:
    bundle = LayerStack(stack())._repr_mimebundle_()
    assert "RUN echo hi" in bundle["text/plain"] and "<pre" in bundle["text/html"]


# -- the files of a layer -----------------------------------------------------------------------
def layer_tar(entries: list[tuple[str, bytes | None]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def save_tar(layers: dict[str, bytes], oci: bool = False, podman: bool = False) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        def add(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        add("abc.json" if not oci else "blobs/sha256/" + "c" * 64, b'{"config": true}')
        for folder, data in layers.items():
            if podman:  # Podman: the layer at the top, named by its diff id; <folder>/layer.tar is a link to it
                add(hashlib.sha256(data).hexdigest() + ".tar", data)
                link = tarfile.TarInfo(f"{folder}/layer.tar")
                link.type, link.linkname = tarfile.SYMTYPE, "../" + hashlib.sha256(data).hexdigest() + ".tar"
                tar.addfile(link)
                continue
            add(f"{folder}/layer.tar" if not oci else "blobs/sha256/" + hashlib.sha256(data).hexdigest(), data)
        add("manifest.json", b"[]")
    return buf.getvalue()


LAYER_A = layer_tar([("etc/", None), ("etc/hostname2", b"x\n"), ("usr/share/.wh.doc", b""), (".wh.hi", b""),
                     ("opt/.wh..wh..opq", b"")])
LAYER_B = layer_tar([("app/", None), ("app/app.jar", b"j" * 2000)])


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def test_layer_tar_listing_and_whiteouts() -> None:
    found, entries = list_layer_tar(io.BytesIO(LAYER_A))
    assert found == digest(LAYER_A)
    assert entries == (LayerFile("/etc", 0, "dir"), LayerFile("/etc/hostname2", 2, "file"),
                       LayerFile("/usr/share/doc", 0, "deleted"), LayerFile("/hi", 0, "deleted"),
                       LayerFile("/opt", 0, "opaque"))


def test_read_image_tar_every_layout_and_stops_early() -> None:
    for oci, podman in ((False, False), (True, False), (False, True)):
        tar = save_tar({"l1": LAYER_A, "l2": LAYER_B}, oci=oci, podman=podman)
        got = dict(read_image_tar(io.BytesIO(tar)))
        assert got[digest(LAYER_A)][1].path == "/etc/hostname2"
        assert [f.path for f in got[digest(LAYER_B)]] == ["/app", "/app/app.jar"]
    first = list(read_image_tar(io.BytesIO(save_tar({"l1": LAYER_A, "l2": LAYER_B})), want=digest(LAYER_A)))
    assert [d for d, _ in first] == [digest(LAYER_A)]


def test_saved_digests_hash_every_file_of_the_save_stream() -> None:
    """A layer tar's sha256 is its diff id (uncompressed); the config file's is the image ID (classic store)."""
    tar = save_tar({"l1": LAYER_A, "l2": LAYER_B})

    class Image:
        id = "sha256:" + hashlib.sha256(b'{"config": true}').hexdigest()
        short_id = id[:19]

    class Api:
        def get_image(self, image_id: str, chunk_size: int) -> object:
            assert image_id == Image.id
            return (tar[i:i + 1000] for i in range(0, len(tar), 1000))  # chunks, like the engine's stream

    class Images:
        def get(self, ref: str) -> Image:
            assert ref == "alice/app:v1"
            return Image()

    class Client:
        api = Api()
        images = Images()

    got = saved_digests("alice/app:v1", Client())  # type: ignore[arg-type]
    assert got["l1/layer.tar"] == digest(LAYER_A) and got["l2/layer.tar"] == digest(LAYER_B)
    assert got["abc.json"] == Image.id and got["manifest.json"] == digest(b"[]")


def test_layer_files_view() -> None:
    _, entries = list_layer_tar(io.BytesIO(LAYER_A))
    out = text(LayerFilesView(Layer(2, "RUN rm -rf /usr/share/doc", 2, 0, "sha256:x"), entries))
    assert "Layer 2: RUN rm -rf /usr/share/doc" in out
    assert "+ /etc/hostname2  2 B" in out and "- /usr/share/doc  (deleted)" in out
    assert "- /opt/*  (folder emptied)" in out and "+ /etc/\n" not in out  # folder entries counted, not listed
    assert "(+1 folder entries)" in out
    empty = text(LayerFilesView(Layer(1, "ENV A=1", 0, 0, None), []))
    assert "holds no files" in empty


def test_a_shared_base_layer_is_named_after_the_oldest_image_that_ends_with_it(monkeypatch):
    """An image built later on the base that only changed settings ends with the same layer: the base is named first
    (CI saw another session's `…/welcome:nocache` named instead of debian:bookworm-slim)."""
    from dockerlab import layers

    summaries = [{"Id": "sha256:mine", "RepoTags": ["mine:1"], "Created": 300},
                 {"Id": "sha256:cmd", "RepoTags": ["aaa-nb-02/welcome:nocache"], "Created": 200},
                 {"Id": "sha256:base", "RepoTags": ["debian:bookworm-slim"], "Created": 100},
                 {"Id": "sha256:app", "RepoTags": ["app:1"], "Created": 50}]
    chains = {"sha256:cmd": ("L0",), "sha256:base": ("L0",), "sha256:app": ("L0", "L9")}
    monkeypatch.setattr(layers, "_image_summaries", lambda client: summaries)
    monkeypatch.setattr(layers, "_rootfs_of", lambda client, rid: chains.get(rid))
    assert layers._sharing(object(), "sha256:mine", ["L0", "L1"]) == {
        0: ("debian:bookworm-slim", "aaa-nb-02/welcome:nocache", "app:1")}


def test_the_layer_stack_in_korean(monkeypatch) -> None:
    """DOCKERLAB_LANG=ko: the stack's title, headers, writable layer, legend and a layer's files are Korean; the
    instructions and Docker's own A/C/D marks stay as the engine gives them."""
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    writable = WritableLayer("alice-web", "running", (("C", "/tmp"), ("A", "/tmp/new.txt")))
    out = text(LayerStack(stack(writable)), width=110)
    assert "의 레이어: 레이어 " in out and "만든 명령" in out and "크기" in out and "파일 없음" in out
    assert "그리고 맨 위에, 컨테이너 alice-web의 쓰기 가능한 레이어" in out and "추가/변경/삭제된 경로 2개:" in out
    assert any(line.strip().startswith("A /tmp/new.txt") and "추가됨" in line for line in out.splitlines())
    assert "(베이스부터, 맨 위 레이어가 마지막" in out and 'CMD ["x"]' in out and "Layers of" not in out
    _, entries = list_layer_tar(io.BytesIO(LAYER_A))
    files = text(LayerFilesView(Layer(2, "RUN rm -rf /usr/share/doc", 2, 0, "sha256:x"), entries))
    assert "레이어 2: RUN rm -rf /usr/share/doc" in files and "- /usr/share/doc  (삭제됨)" in files
    assert "(+폴더 항목 1개)" in files
