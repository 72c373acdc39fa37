"""Offline: which emulator the kernel hands a foreign CPU's programs to (binfmt_misc), and the arm64 recipe."""

from __future__ import annotations

from dockerlab.course import platforms


def test_no_binfmt_entry_means_no_emulator(tmp_path, monkeypatch):
    monkeypatch.setattr(platforms, "BINFMT", tmp_path)
    assert platforms.emulator() is None


def test_an_enabled_qemu_entry_names_its_interpreter(tmp_path, monkeypatch):
    monkeypatch.setattr(platforms, "BINFMT", tmp_path)
    (tmp_path / "qemu-aarch64").write_text("enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n"
                                          "flags: PF\noffset 0\n")
    assert platforms.emulator("aarch64") == "/usr/libexec/qemu-binfmt/aarch64-binfmt-P"
    assert platforms.emulator("riscv64") is None


def test_a_disabled_entry_is_no_emulator(tmp_path, monkeypatch):
    monkeypatch.setattr(platforms, "BINFMT", tmp_path)
    (tmp_path / "qemu-aarch64").write_text("disabled\ninterpreter /usr/bin/qemu-aarch64-static\n")
    assert platforms.emulator() is None


def test_the_arm64_image_is_only_the_program():
    assert platforms.ARM_DOCKERFILE.startswith("FROM scratch\n")
    assert "busybox-static:arm64" in platforms.FETCH_DOCKERFILE
