"""Bad input never stops a run: every reader, fed random bytes, huge lines, deep nesting, malformed
records and odd encodings, yields InputErrors naming the file (and line) while the good documents
beside them are still read, extracted and stored; `claimline ingest` keeps the rejects in the
quarantine."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from claimline.cli import app
from claimline.config import Config
from claimline.errors import InputError
from claimline.ingest import SUFFIXES, iter_articles
from claimline.model import Article
from claimline.pipeline import Pipeline
from claimline.store import SQLiteStore
from claimline.store.quarantine import EXCERPT_BYTES, Quarantine

GOOD_TEXT = ("date 2025-03-04\nRussian drones struck the port of Odesa overnight, the regional governor said. "
             "Ukraine's air force said it shot down 36 of 48 drones.\n")
HUGE = 5 * 1024 * 1024
DEEP = 5000
# CLAIMLINE_FUZZ_EXAMPLES=2000 for a longer hunt than CI's
BOUNDED = settings(max_examples=int(os.environ.get("CLAIMLINE_FUZZ_EXAMPLES", "50")), deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow])

# words that make the extractor work: places, actors, verbs, numbers, dates, hedges
WORDS = ("Russian", "Ukrainian", "drones", "missiles", "struck", "hit", "shot", "down", "killed", "injured",
         "Odesa", "Kharkiv", "Pokrovsk", "Kursk", "Crimea", "Belgorod", "on", "Tuesday", "March", "4",
         "2025", "36", "of", "the", "ministry", "said", "claimed", "denied", "reportedly", "near", "village",
         "captured", "liberated", "overnight", "yesterday", ",", ".", "—", "(", ")", "\n", "\"", "'s", "%")


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Config.load(None).pipeline)


def read_beside_a_good_document(files: dict[str, bytes]) -> list[Article | InputError]:
    """Everything iter_articles yields for a folder holding `files` and one good document."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
        for name, data in files.items():
            (root / name).write_bytes(data)
        return list(iter_articles([root]))


def assert_survived(items: list[Article | InputError], bad: set[str], pipeline: Pipeline | None = None) -> None:
    """The good document came through; errors name one of the bad files; what was read extracts."""
    assert all(isinstance(item, Article | InputError) for item in items)
    good = [item for item in items if isinstance(item, Article) and item.doc_id == "good"]
    assert [article.text for article in good] == [GOOD_TEXT]
    for item in items:
        if isinstance(item, InputError):
            assert item.path is not None and Path(item.path).name in bad, item
            assert item.line is None or item.line >= 1
            assert item.problem
        elif pipeline is not None:
            assert all(event.doc_id == item.doc_id for event in pipeline.process(item))


def errors_of(items: list[Article | InputError]) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


def articles_of(items: list[Article | InputError]) -> dict[str, Article]:
    return {item.doc_id: item for item in items if isinstance(item, Article) and item.doc_id != "good"}


@BOUNDED
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_in_any_reader_never_raise_and_the_good_document_is_still_read(
    data: bytes, suffix: str, pipeline: Pipeline
) -> None:
    assert_survived(read_beside_a_good_document({f"bad{suffix}": data}), {f"bad{suffix}"}, pipeline)


@BOUNDED
@given(text=st.one_of(st.text(max_size=1500), st.lists(st.sampled_from(WORDS), max_size=300).map(" ".join)),
       suffix=st.sampled_from((".txt", ".md", ".html")))
def test_random_text_in_document_files_is_read_and_extracted_without_raising(
    text: str, suffix: str, pipeline: Pipeline
) -> None:
    items = read_beside_a_good_document({f"odd{suffix}": text.encode("utf-8")})
    assert_survived(items, {f"odd{suffix}"}, pipeline)


# One JSON Lines line each: (bytes, articles it gives, errors it gives). The doc_id is filled in.
def _record(doc_id: str, text: str, **extra: object) -> bytes:
    return json.dumps({"doc_id": doc_id, "text": text, **extra}, ensure_ascii=False).encode("utf-8")


JSONL_LINES: dict[str, st.SearchStrategy[tuple[bytes, int, int]]] = {
    "good": st.text(min_size=1, max_size=200).filter(str.strip).map(lambda t: (_record("{id}", t), 1, 0)),
    "blank": st.sampled_from([b"", b"   ", b"\t"]).map(lambda b: (b, 0, 0)),
    "not json": st.text(alphabet=st.characters(codec="utf-8", exclude_characters="}\n\x00"), max_size=80).map(
        lambda t: (b"{" + t.encode("utf-8"), 0, 1)),
    "not an object": st.sampled_from([b"[1, 2]", b"42", b'"text"', b"null", b"true"]).map(lambda b: (b, 0, 1)),
    "no id": st.text(max_size=50).map(lambda t: (json.dumps({"text": t}).encode("utf-8"), 0, 1)),
    "empty text": st.sampled_from(["", " ", "\n\t"]).map(lambda t: (_record("{id}", t), 0, 1)),
    "text not a string": st.sampled_from([1, [], {}, True]).map(
        lambda v: (json.dumps({"doc_id": "{id}", "text": v}).encode("utf-8"), 0, 1)),
    "bad date": st.sampled_from(["someday", "2025-13-45", "yesterday-ish"]).map(
        lambda d: (_record("{id}", "Odesa was hit.", published=d), 1, 1)),
    "latin-1": st.just(("{\"doc_id\": \"{id}\", \"text\": \"Dnipro \xe9t\xe9\"}".encode("latin-1"), 0, 1)),
    "deep": st.just((b"[" * DEEP + b"]" * DEEP, 0, 1)),
}


@BOUNDED
@given(lines=st.lists(st.one_of(*JSONL_LINES.values()), max_size=25))
def test_malformed_jsonl_lines_each_give_one_error_with_their_line_and_good_lines_their_article(
    lines: list[tuple[bytes, int, int]]
) -> None:
    raw = [line.replace(b"{id}", f"doc{number}".encode()) for number, (line, _, _) in enumerate(lines, start=1)]
    items = read_beside_a_good_document({"dump.jsonl": b"\n".join(raw) + b"\n"})
    assert_survived(items, {"dump.jsonl"})
    expected_errors = [n for n, (_, _, errors) in enumerate(lines, start=1) for _ in range(errors)]
    if not any(line.strip() for line in raw):
        assert [error.problem for error in errors_of(items)] == ["empty file"]
        return
    assert [error.line for error in errors_of(items)] == expected_errors
    expected_articles = {f"doc{n}" for n, (_, articles, _) in enumerate(lines, start=1) if articles}
    assert set(articles_of(items)) == expected_articles


def _csv_row(doc_id: str, text: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([doc_id, text])
    return buffer.getvalue()


@BOUNDED
@given(rows=st.lists(st.tuples(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=200),
                               st.booleans()), max_size=20))
def test_csv_rows_with_odd_text_read_back_exactly_and_rows_with_extra_fields_are_errors_on_their_line(
    rows: list[tuple[str, bool]]
) -> None:
    lines = ["doc_id,text\r\n"]
    expected_errors: list[int] = []
    expected_texts: dict[str, str] = {}
    for number, (text, extra_field) in enumerate(rows, start=1):
        first_line = sum(line.count("\n") for line in lines) + 1
        row = _csv_row(f"doc{number}", text)
        if extra_field:
            row = row.removesuffix("\r\n") + ",extra\r\n"
            expected_errors.append(first_line)
        elif text.strip():
            expected_texts[f"doc{number}"] = text
        else:
            expected_errors.append(first_line)
        lines.append(row)
    items = read_beside_a_good_document({"dump.csv": "".join(lines).encode("utf-8")})
    assert_survived(items, {"dump.csv"})
    assert [error.line for error in errors_of(items)] == expected_errors
    assert {doc_id: article.text for doc_id, article in articles_of(items).items()} == expected_texts


ODD_FILES: list[tuple[str, bytes, str | None]] = [
    # (name, bytes, what the error says; None: read fine)
    ("bom.txt", b"\xef\xbb\xbfKyiv said drones hit Odesa.", None),
    ("bom.jsonl", b'\xef\xbb\xbf{"id": "b1", "text": "Kyiv said drones hit Odesa."}\n', None),
    ("bom.csv", b"\xef\xbb\xbfid,text\nb2,Kyiv said drones hit Odesa.\n", None),
    ("utf16.txt", "Kyiv said drones hit Odesa.".encode("utf-16"), "UTF-16"),
    ("utf16be.md", b"\xfe\xff" + "Kyiv".encode("utf-16-be"), "UTF-16"),
    ("utf16.jsonl", '{"id": "u", "text": "x"}\n'.encode("utf-16"), "binary"),
    ("utf16.csv", "id,text\nu,x\n".encode("utf-16"), "binary"),
    ("utf16.html", "<p>Kyiv</p>".encode("utf-16"), "binary"),
    ("latin1.txt", "Kyiv\nsaid the caf\xe9 was hit.".encode("latin-1"), "not valid UTF-8"),
    ("latin1.csv", "id,text\nl1,ok\nl2,caf\xe9\nl3,never read\n".encode("latin-1"), "not valid UTF-8"),
    ("latin1.html", "<html><body><p>caf\xe9 hit</p></body></html>".encode("latin-1"), "not valid UTF-8"),
    ("empty.txt", b"", "empty file"),
    ("blank.md", b" \n\t\n", "empty file"),
    ("empty.jsonl", b"", "empty file"),
    ("empty.csv", b"", "empty file"),
    ("empty.html", b"", "empty file"),
    ("empty.parquet", b"", "Parquet"),
    ("binary.txt", bytes(range(256)), "binary"),
    ("binary.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("binary.html", b"\x7fELF\x02\x01\x01\x00", "binary"),
    ("header.csv", b"title,body\nx,y\n", "no 'text' column"),
    ("noid.csv", b"text\nsome text\n", "no 'doc_id' or 'id'"),
    ("notparquet.parquet", b"PAR1 this is not parquet PAR1", "Parquet"),
]


@pytest.mark.parametrize(("name", "data", "problem"), ODD_FILES, ids=[name for name, _, _ in ODD_FILES])
def test_odd_encodings_and_empty_or_binary_files_get_a_clear_error_or_are_read(
    name: str, data: bytes, problem: str | None
) -> None:
    items = read_beside_a_good_document({name: data})
    assert_survived(items, {name})
    errors = errors_of(items)
    if problem is None:
        assert not errors
        assert [article.text for article in articles_of(items).values()] == ["Kyiv said drones hit Odesa."]
    else:
        assert errors and problem in errors[0].problem, errors


@pytest.mark.slow
@pytest.mark.parametrize("name", ["huge.txt", "huge.md", "huge.jsonl", "huge.csv", "huge.html"])
def test_a_5_mb_single_line_document_is_read_whole(name: str) -> None:
    text = "Russian drones hit Odesa overnight, officials said. " * (HUGE // 52)
    wrapped = {
        ".txt": text, ".md": text, ".jsonl": _record("huge", text).decode("utf-8"),
        ".csv": "doc_id,text\n" + _csv_row("huge", text), ".html": f"<html><body><article><p>{text}</p></article>",
    }[Path(name).suffix]
    items = read_beside_a_good_document({name: wrapped.encode("utf-8")})
    assert_survived(items, {name})
    assert [len(article.text.strip()) for article in articles_of(items).values()] == [len(text.strip())]


@pytest.mark.slow
@pytest.mark.parametrize("line", [b"{" * HUGE, b'{"id": "x", "text": "' + b"a" * HUGE, b"\xff" * HUGE])
def test_a_5_mb_malformed_jsonl_line_is_one_error_and_the_next_line_is_read(line: bytes) -> None:
    items = read_beside_a_good_document({"dump.jsonl": line + b'\n{"id": "after", "text": "Odesa was hit."}\n'})
    assert_survived(items, {"dump.jsonl"})
    assert [error.line for error in errors_of(items)] == [1]
    assert set(articles_of(items)) == {"after"}


DEEP_PAGES = {
    "nested": "<html><body>" + "<div>" * DEEP + "<p>Drones hit Odesa.</p>" + "</div>" * DEEP + "</body></html>",
    "unclosed": "<html><body>" + "<div><span><b>" * DEEP + "Drones hit Odesa.",
    "json-ld": ('<html><head><script type="application/ld+json">' + "[" * DEEP + "]" * DEEP + "</script></head>"
                "<body><article><p>" + "Russian drones hit Odesa overnight, officials said. " * 4 + "</p></article>"
                "</body></html>"),
}


@pytest.mark.parametrize("kind", DEEP_PAGES)
def test_html_nested_5000_levels_deep_is_read_or_rejected_without_raising(kind: str, pipeline: Pipeline) -> None:
    items = read_beside_a_good_document({f"{kind}.html": DEEP_PAGES[kind].encode("utf-8")})
    assert_survived(items, {f"{kind}.html"}, pipeline)


def test_json_ld_nested_too_deeply_is_ignored_and_the_page_is_read() -> None:
    items = read_beside_a_good_document({"page.html": DEEP_PAGES["json-ld"].encode("utf-8")})
    assert set(articles_of(items)) == {"page"}


# --- the command and its quarantine -------------------------------------------------------------

BAD_FILES = {
    "binary.txt": b"\x00\x01\x02 not text",
    "empty.md": b"",
    "utf16.txt": "Kyiv".encode("utf-16"),
    "dump.jsonl": b'{"id": "j1", "text": "Drones hit Kharkiv on Tuesday, the governor said."}\n{broken\n[1]\n',
    "rows.csv": b"id,text\nc1,Missiles struck Dnipro overnight.\nc2,too,many,fields\n",
}
# file, line: one per bad input above
REJECTED = [("binary.txt", None), ("dump.jsonl", 2), ("dump.jsonl", 3), ("empty.md", None), ("rows.csv", 3),
            ("utf16.txt", None)]


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    for name, data in BAD_FILES.items():
        (folder / name).write_bytes(data)
    yield folder


def ingest(folder: Path, db: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def quarantined(db: Path) -> list[tuple[str | None, int | None]]:
    with Quarantine(db) as quarantine:
        return [(Path(r.path).name if r.path else None, r.line) for r in quarantine.rejections()]


def test_ingest_stores_the_good_documents_counts_the_errors_and_quarantines_each_reject(
    mixed_folder: Path, tmp_path: Path
) -> None:
    db = tmp_path / "store.db"
    code, stderr = ingest(mixed_folder, db)
    assert code == 1
    assert f"{len(REJECTED)} input error(s)" in stderr
    with SQLiteStore(db) as store:
        assert {article.doc_id for article in store.documents()} == {"good", "j1", "c1"}
        assert store.count() > 0
    assert sorted(quarantined(db), key=str) == sorted(REJECTED, key=str)


def test_quarantine_keeps_the_reason_and_the_raw_bytes_of_the_line_or_file(mixed_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    ingest(mixed_folder, db)
    with Quarantine(db) as quarantine:
        found = {(Path(r.path or "").name, r.line): r for r in quarantine.rejections()}
    assert found[("dump.jsonl", 2)].raw == b"{broken\n"
    assert "malformed JSON" in found[("dump.jsonl", 2)].reason
    assert found[("rows.csv", 3)].raw == b"c2,too,many,fields\n"
    assert found[("binary.txt", None)].raw == BAD_FILES["binary.txt"]
    assert found[("binary.txt", None)].raw_size == len(BAD_FILES["binary.txt"])
    assert all(rejection.rejected_at for rejection in found.values())


def test_rerunning_replaces_a_files_rejections_instead_of_adding_copies(mixed_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    ingest(mixed_folder, db)
    ingest(mixed_folder, db)
    assert len(quarantined(db)) == len(REJECTED)
    (mixed_folder / "dump.jsonl").write_bytes(b'{"id": "j1", "text": "Drones hit Kharkiv on Tuesday."}\n')
    ingest(mixed_folder, db)
    assert ("dump.jsonl", 2) not in quarantined(db)
    assert len(quarantined(db)) == len(REJECTED) - 2


def test_a_run_of_only_bad_input_loses_nothing_already_stored(mixed_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    good = tmp_path / "good"
    good.mkdir()
    (good / "first.txt").write_text(GOOD_TEXT, encoding="utf-8")
    assert ingest(good, db)[0] == 0
    with SQLiteStore(db) as store:
        before = [event.to_record() for event in store.events()]
    (mixed_folder / "good.txt").unlink()
    assert ingest(mixed_folder, db)[0] == 1
    with SQLiteStore(db) as store:
        assert [event.to_record() for event in store.events() if event.doc_id == "first"] == before
        assert {article.doc_id for article in store.documents()} == {"first", "j1", "c1"}


def test_quarantine_command_lists_the_rejects_as_a_table_and_as_json(mixed_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    ingest(mixed_folder, db)
    table = CliRunner().invoke(app, ["quarantine", "--db", str(db)])
    assert table.exit_code == 0 and f"{len(REJECTED)} rejected inputs" in table.stdout
    listed = CliRunner().invoke(app, ["quarantine", "--db", str(db), "--json"])
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert sorted((Path(r["path"]).name, r["line"]) for r in records) == sorted(REJECTED, key=str)
    assert {"reason", "rejected_at", "raw_size", "raw_base64"} <= set(records[0])


@pytest.mark.slow
def test_quarantine_keeps_only_the_head_of_a_huge_rejected_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    line = b'{"id": "x", "text": "' + b"a" * HUGE
    (folder / "dump.jsonl").write_bytes(b'{"id": "ok", "text": "Odesa."}\n' + line + b"\n{bad\n")
    ingest(folder, tmp_path / "store.db")
    with Quarantine(tmp_path / "store.db") as quarantine:
        first, second = quarantine.rejections()
    assert (first.line, first.raw_size, first.raw) == (2, len(line) + 1, line[:EXCERPT_BYTES])
    assert (second.line, second.raw) == (3, b"{bad\n")
