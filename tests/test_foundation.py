"""The foundation: reading inputs, the data model's offset contract, the CLI's formats."""

from __future__ import annotations

import gzip
import json

import pytest
from typer.testing import CliRunner

from sitroom.ingest.reader import InputError, from_bytes, read_path
from sitroom.present.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()


def test_offsets_point_at_their_text(analyzer):
    text = (EXAMPLES / "harbor-standoff.txt").read_text(encoding="utf-8")
    a = analyzer.analyze(text)
    assert a.text == text
    for p in a.article.body:
        assert text[p.start:p.end] == p.text
    for ent in a.entities:
        for m in ent.mentions:
            assert text[m.start:m.end] == m.text


@pytest.mark.parametrize(
    "data, reason",
    [(b"", "empty"), (b"   \n\t ", "empty"), (b"\x00\x01\x02binary\x00" * 50, "NUL"),
     (b"\x1f\x8b\x08\x00broken", "gzip")],
)
def test_bad_bytes_give_a_clear_error(data, reason):
    with pytest.raises(InputError, match=reason):
        from_bytes(data, "x")


def test_gzip_is_read_transparently(tmp_path):
    p = tmp_path / "a.txt.gz"
    p.write_bytes(gzip.compress(b"Hello world.\n\nSecond paragraph."))
    assert read_path(p).text.startswith("Hello world.")


def test_invalid_utf8_is_decoded_with_a_warning():
    raw = from_bytes("Caf\xe9 owners protested in S\xe3o Paulo on Monday.".encode("latin-1"), "x")
    assert "Café" in raw.text and raw.warnings


def test_cli_json_and_schema(tmp_path):
    res = runner.invoke(app, ["analyze", str(EXAMPLES / "harbor-standoff.txt"), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["text"].startswith("World")
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0 and "Analysis" in json.loads(res.stdout)["title"]


def test_cli_many_inputs_to_out_dir(tmp_path):
    src = EXAMPLES / "harbor-standoff.txt"
    res = runner.invoke(app, ["analyze", str(src), str(src), "--format", "md", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "harbor-standoff.md").read_text().startswith("# ")


def test_cli_missing_file_is_one_line_error(tmp_path):
    res = runner.invoke(app, ["analyze", str(tmp_path / "nope.txt")])
    assert res.exit_code == 1
    assert "no such file" in res.output and "Traceback" not in res.output
