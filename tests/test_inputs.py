"""Bad input gets a clear one-line error or a warning — never a traceback, never silent loss."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from sitroom.ingest.reader import MAX_INPUT_BYTES, InputError, from_bytes, read_path
from sitroom.page.language import detect_language
from sitroom.page.text import parse_text
from sitroom.present.cli import app

runner = CliRunner()

GERMAN = """Politik

Regierung kündigt neue Maßnahmen gegen steigende Energiepreise an

Die Bundesregierung hat am Mittwoch ein Paket von Maßnahmen vorgestellt, mit dem die Bürger bei den
steigenden Energiepreisen entlastet werden sollen. Die Opposition kritisierte die Pläne als unzureichend.

„Wir lassen niemanden allein“, sagte der Minister in Berlin. Die Kosten für den Staatshaushalt werden auf
mehrere Milliarden Euro geschätzt, wie aus einem Papier des Finanzministeriums hervorgeht.
"""

ENGLISH = ("The council voted on Tuesday to close the old harbour bridge to lorries after engineers "
           "found rust in two of its supports, a decision that will add an hour to some deliveries.")


def test_empty_input():
    with pytest.raises(InputError, match="empty"):
        from_bytes(b"\n \n", "a.txt")


@pytest.mark.parametrize("data, what", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "ZIP"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
])
def test_binary_formats_are_named(data, what):
    with pytest.raises(InputError, match=what):
        from_bytes(data, "upload")


def test_random_bytes_are_refused():
    data = bytes((i * 7919 + 13) % 256 for i in range(4000))
    with pytest.raises(InputError, match="binary|encoding"):
        from_bytes(data, "blob.bin")


def test_invalid_utf8_is_decoded_as_windows_1252_with_a_warning():
    raw = from_bytes("The caf\u00e9 on S\u00e3o Paulo street said \u201cno\u201d.".encode("cp1252"), "old.txt")
    assert raw.text == "The café on São Paulo street said “no”."
    assert raw.warnings and "not valid UTF-8" in raw.warnings[0]


def test_other_legacy_encodings_still_decode():
    raw = from_bytes("Москва заявила в понедельник, что переговоры продолжатся.".encode("cp1251"), "ru.txt")
    assert raw.text.startswith("Москва")


def test_file_over_the_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 20 MB on paper, nothing on disk
        fh.truncate(20 * 1024 * 1024)
    with pytest.raises(InputError, match="over the 10 MB limit"):
        read_path(big)


def test_bytes_over_the_size_limit():
    with pytest.raises(InputError, match="limit"):
        from_bytes(b"a" * (MAX_INPUT_BYTES + 1), "stdin")


def test_gzip_bomb_is_refused(tmp_path):
    import gzip

    p = tmp_path / "bomb.txt.gz"
    p.write_bytes(gzip.compress(b"a" * (MAX_INPUT_BYTES + 10)))
    with pytest.raises(InputError, match="limit|MB"):
        read_path(p)


def test_non_english_article_gets_a_language_and_a_warning():
    page = parse_text(GERMAN)
    assert page.article.language == "de"
    assert any("German" in w and "not English" in w for w in page.warnings)
    assert page.article.body  # still parsed: nothing is lost


def test_english_article_has_no_language_warning():
    page = parse_text("Bridge Closed to Lorries\n\n" + ENGLISH)
    assert page.article.language == "en" and page.warnings == []


@pytest.mark.parametrize("text, code", [
    ("서울시는 월요일 새로운 대중교통 계획을 발표했다. 시민들은 대체로 환영하는 분위기다.", "ko"),
    ("東京都は月曜日、新しい交通計画を発表した。市民の多くは歓迎している。", "ja"),
    ("Le gouvernement a présenté mercredi un plan pour aider les ménages face à la hausse des prix de l'énergie.",
     "fr"),
])
def test_language_of_other_scripts_and_languages(text, code):
    assert detect_language(text).code == code


def test_too_little_text_has_no_language():
    assert detect_language("OK 123").code is None


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"%PDF-1.4\n" + bytes(100), "PDF"),
])
def test_cli_bad_files_give_one_line_errors(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    res = runner.invoke(app, ["analyze", str(p), "--format", "text"])
    assert res.exit_code != 0
    assert message in res.output and "Traceback" not in res.output
    assert len([ln for ln in res.output.splitlines() if ln.strip()]) == 1


def test_cli_too_large_file_is_one_line_error(tmp_path):
    p = tmp_path / "huge.html"
    with p.open("wb") as fh:
        fh.truncate(20 * 1024 * 1024)
    res = runner.invoke(app, ["analyze", str(p)])
    assert res.exit_code != 0 and "limit" in res.output and "Traceback" not in res.output


def test_cli_non_english_prints_a_warning_and_the_body(tmp_path):
    p = tmp_path / "de.txt"
    p.write_text(GERMAN, encoding="utf-8")
    res = runner.invoke(app, ["analyze", str(p), "--format", "text"])
    assert res.exit_code == 0, res.output
    assert "not English" in res.output and "Bundesregierung" in res.output


def test_a_huge_single_line_does_not_break_the_parser():
    text = "word " * 200_000
    page = parse_text(text)
    assert page.article.body and page.text == text


@pytest.mark.parametrize("seed", range(5))
def test_any_mix_of_lines_parses_with_valid_offsets(seed):
    pieces = ["Advertisement", "", "By Ann Lee", ENGLISH, "Share", "220106-a-b_c", "© 2024 X", "Related",
              "— Tom (@tom) May 1, 2020", "1", "Read more: Something else", "  ", "\t"]
    lines = [pieces[(seed * 7 + i * (seed + 3)) % len(pieces)] for i in range(40)]
    text = "\n".join(lines)
    a = parse_text(text).article
    for s in [*a.body, *a.furniture, *(x for x in (a.headline, a.dek, a.section, a.kicker, a.byline) if x)]:
        assert text[s.start:s.end] == s.text
