import os
import stat

import numpy as np
import pytest

from codesign import ValidationError
from codesign.trace import (
    Trace,
    check_output_folder,
    check_output_path,
    write_atomic,
    write_bytes_atomic,
    write_text_atomic,
)


@pytest.fixture
def umask():
    """Set the process umask for one test and restore it afterwards."""
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640)])
def test_written_files_get_the_umask_mode_not_private(tmp_path, umask, mask, expected):
    umask(mask)
    text = write_text_atomic(tmp_path / "report.md", "# report\n")
    image = write_bytes_atomic(tmp_path / "plot.png", b"\x89PNG")
    trace = Trace(np.zeros(2), np.zeros((2, 1)), np.zeros(2), np.zeros(1), "reference")
    saved = trace.save(tmp_path / "t.npz")
    assert [mode(p) for p in (text, image, saved)] == [expected] * 3


def test_failed_write_keeps_the_old_file_and_leaves_no_part(tmp_path):
    target = write_text_atomic(tmp_path / "rows.json", "old")

    def fail(stream):
        stream.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, fail)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.json"]


def test_write_under_a_file_is_a_validation_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValidationError, match=r"cannot write .*file/out\.cir"):
        write_text_atomic(tmp_path / "file" / "out.cir", "* netlist\n")


def test_output_path_naming_a_folder_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="`-o`: must name a file, not a folder"):
        check_output_path(tmp_path, "-o")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValidationError, match="is a file, not a folder"):
        check_output_path(tmp_path / "file" / "t.npz", "-o")
    assert check_output_path(tmp_path / "new" / "t.npz", "-o").name == "t.npz"


def test_output_folder_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValidationError, match=r"`--out`: must be a folder"):
        check_output_folder(tmp_path / "file" / "sweep", "--out")
    assert check_output_folder(tmp_path / "sweep", "--out") == tmp_path / "sweep"
