"""Files, folders, record dumps and manifests → Articles, and bad input → InputErrors."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from claimline.errors import InputError
from claimline.ingest import iter_articles, parse_published
from claimline.model import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
CORPUS = FIXTURES / "corpus"


def read_all(*paths: str | Path, manifest: str | Path | None = None) -> list[Article | InputError]:
    return list(iter_articles(list(paths), manifest=manifest))


def articles(items: list[Article | InputError]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def errors(items: list[Article | InputError]) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


def only_article(items: list[Article | InputError]) -> Article:
    assert not errors(items), errors(items)
    [article] = articles(items)
    return article


# plain text and Markdown

def test_plain_text_is_kept_exactly_as_decoded_with_the_file_stem_as_doc_id() -> None:
    path = CORPUS / "alpha.txt"
    article = only_article(read_all(path))
    assert article.text == path.read_text(encoding="utf-8")
    assert article.doc_id == "alpha"
    assert article.path == str(path)
    assert article.published is None and article.source is None


def test_byte_order_mark_is_the_only_thing_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf  Indented first line.\r\nSecond line.\n")
    assert only_article(read_all(path)).text == "  Indented first line.\r\nSecond line.\n"


def test_markdown_is_read_as_text_without_removing_markup() -> None:
    article = only_article(read_all(CORPUS / "beta.md"))
    assert article.text.startswith("**Made-up Ministry claims advance near Osterfeld**")


def test_leading_date_line_sets_published_and_stays_in_the_text() -> None:
    article = only_article(read_all(FIXTURES / "dated.txt"))
    assert article.published == date(2025, 6, 8)
    assert article.published_reason == "leading 'date' line"
    assert article.text.startswith(" date 2025-06-08 As the fictional war")


def test_date_word_inside_the_text_is_not_a_date_line(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Officials gave no date 2024-01-01 for the talks.\n", encoding="utf-8")
    assert only_article(read_all(path)).published is None


# folders

def test_folder_is_walked_recursively_in_order_skipping_hidden_and_unknown_files(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    (folder / ".hidden.txt").write_text("Scratch notes.\n", encoding="utf-8")
    (folder / ".cache").mkdir()
    (folder / ".cache" / "copy.txt").write_text("A cached copy.\n", encoding="utf-8")
    items = read_all(folder)
    assert not errors(items)
    assert [a.doc_id for a in articles(items)] == ["alpha", "beta", "gamma"]


def test_manifest_csv_in_a_folder_is_not_read_as_a_record_dump() -> None:
    assert not errors(read_all(CORPUS))


def test_missing_path_is_reported_and_the_rest_still_read() -> None:
    items = read_all(FIXTURES / "nowhere.txt", CORPUS / "alpha.txt")
    [error] = errors(items)
    assert error.path == str(FIXTURES / "nowhere.txt")
    assert [a.doc_id for a in articles(items)] == ["alpha"]


# manifest

def test_manifest_gives_doc_id_published_and_url_from_the_note() -> None:
    items = read_all(CORPUS / "alpha.txt", manifest=CORPUS / "manifest.csv")
    article = only_article(items)
    assert article.doc_id == "brevik-drones"
    assert article.published == date(2024, 3, 12)
    assert article.published_reason == "manifest"
    assert article.url == "https://news.example.org/brevik"


def test_manifest_note_that_is_not_a_url_is_not_used_as_url() -> None:
    article = only_article(read_all(CORPUS / "beta.md", manifest=CORPUS / "manifest.csv"))
    assert article.doc_id == "osterfeld-advance"
    assert article.url is None and article.published is None


def test_manifest_with_written_dates_and_nested_paths() -> None:
    article = only_article(read_all(CORPUS, manifest=CORPUS / "manifest.csv")[2:])
    assert (article.doc_id, article.published) == ("lundmark-aid", date(2024, 3, 12))


def test_files_listed_in_the_manifest_but_not_given_are_not_added() -> None:
    items = read_all(CORPUS / "alpha.txt", manifest=CORPUS / "manifest.csv")
    assert [a.doc_id for a in articles(items)] == ["brevik-drones"]


def test_files_given_but_not_in_the_manifest_are_read_normally() -> None:
    items = read_all(FIXTURES / "dated.txt", manifest=CORPUS / "manifest.csv")
    article = only_article(items)
    assert (article.doc_id, article.published_reason) == ("dated", "leading 'date' line")


def test_manifest_date_wins_over_a_leading_date_line(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "dated.txt", tmp_path / "dated.txt")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,doc_id,published\ndated.txt,,2025-06-09\n", encoding="utf-8")
    article = only_article(read_all(tmp_path / "dated.txt", manifest=manifest))
    assert (article.doc_id, article.published, article.published_reason) == (
        "dated", date(2025, 6, 9), "manifest")


def test_unknown_manifest_date_names_manifest_and_line_and_the_document_is_read_without_date(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text("Some made-up report.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,doc_id,published\na.txt,doc-a,last Tuesday\n", encoding="utf-8")
    items = read_all(tmp_path / "a.txt", manifest=manifest)
    [error] = errors(items)
    assert (error.path, error.line) == (str(manifest), 2)
    [article] = articles(items)
    assert (article.doc_id, article.published) == ("doc-a", None)


def test_missing_manifest_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        read_all(CORPUS, manifest=tmp_path / "absent.csv")
    assert raised.value.path == str(tmp_path / "absent.csv")


def test_manifest_without_a_path_column_raises_input_error(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,doc_id\nalpha.txt,a\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 'path' column"):
        read_all(CORPUS, manifest=manifest)


# HTML

def test_html_main_text_is_extracted_without_navigation_comments_or_footer() -> None:
    article = only_article(read_all(FIXTURES / "page.html"))
    assert "four drones struck a fuel depot" in article.text
    assert "eleven drones" in article.text
    for boilerplate in ("Home", "Reader comment", "Copyright"):
        assert boilerplate not in article.text


def test_html_published_date_comes_from_article_published_time() -> None:
    article = only_article(read_all(FIXTURES / "page.html"))
    assert article.published == date(2024, 3, 12)
    assert article.published_reason == "HTML <meta article:published_time>"


@pytest.mark.parametrize(
    ("head", "body", "expected", "reason"),
    [
        ('<script type="application/ld+json">{"@graph": [{"datePublished": "2023-09-13"}]}</script>', "",
         date(2023, 9, 13), "HTML JSON-LD datePublished"),
        ("", '<time datetime="2022-11-09T08:00:00Z">9 November</time>', date(2022, 11, 9),
         "HTML <time datetime>"),
    ],
)
def test_html_published_date_falls_back_to_json_ld_then_time_element(
    tmp_path: Path, head: str, body: str, expected: date, reason: str
) -> None:
    path = tmp_path / "page.html"
    story = "<p>" + "The made-up council said the bridge in Ostby was repaired after the storm. " * 4 + "</p>"
    path.write_text(f"<html><head>{head}</head><body><article>{body}{story}</article></body></html>",
                    encoding="utf-8")
    article = only_article(read_all(path))
    assert (article.published, article.published_reason) == (expected, reason)


def test_html_title_and_canonical_url_are_kept() -> None:
    article = only_article(read_all(FIXTURES / "page.html"))
    assert article.title == "Drones hit depot near Testville"
    assert article.url == "https://news.example.org/2024/03/12/depot"


def test_html_in_a_declared_legacy_charset_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.html"
    story = "The café owner in the made-up town of Ørby said the shelling stopped at dawn. " * 3
    markup = (f'<html><head><meta charset="windows-1252"></head>'
              f"<body><article><p>{story}</p></article></body></html>")
    path.write_bytes(markup.encode("cp1252"))
    assert "café owner" in only_article(read_all(path)).text


def test_html_page_without_text_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body><script>let x = 1;</script></body></html>",
                    encoding="utf-8")
    [error] = read_all(path)
    assert isinstance(error, InputError) and error.path == str(path)


# JSON Lines and CSV

def test_jsonl_records_become_articles_with_their_metadata() -> None:
    first = articles(read_all(FIXTURES / "records.jsonl"))[0]
    assert first == Article(
        doc_id="rec-1", text="The imaginary army said it shelled positions near Nordvik.",
        published=date(2024, 3, 12), published_reason="record 'published' field",
        title="Shelling near Nordvik", url="https://example.org/rec-1", source="Example Wire",
        path=str(FIXTURES / "records.jsonl"),
    )


def test_malformed_jsonl_line_names_file_and_line_and_keeps_other_records() -> None:
    items = read_all(FIXTURES / "records.jsonl")
    [error] = errors(items)
    assert (error.path, error.line) == (str(FIXTURES / "records.jsonl"), 2)
    assert "malformed JSON" in str(error)
    assert [a.doc_id for a in articles(items)] == ["rec-1", "3"]


def test_record_id_field_is_used_when_doc_id_is_absent() -> None:
    last = articles(read_all(FIXTURES / "records.jsonl"))[-1]
    assert (last.doc_id, last.published) == ("3", date(2024, 3, 12))


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('["not", "an", "object"]', "not an object"),
        ('{"doc_id": "x"}', "no 'text'"),
        ('{"doc_id": "x", "text": "   "}', "empty 'text'"),
        ('{"doc_id": "x", "text": 42}', "non-string 'text'"),
        ('{"text": "A story without an id."}', "no 'doc_id' or 'id'"),
    ],
)
def test_bad_jsonl_record_is_reported_with_its_line(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text('{"id": "ok", "text": "A fine record."}\n' + line + "\n", encoding="utf-8")
    items = read_all(path)
    [error] = errors(items)
    assert error.line == 2 and problem in str(error)
    assert [a.doc_id for a in articles(items)] == ["ok"]


def test_unknown_record_date_is_reported_and_the_record_is_read_without_date(tmp_path: Path) -> None:
    path = tmp_path / "dump.ndjson"
    path.write_text('{"id": "a", "text": "A story.", "published": "the other day"}\n', encoding="utf-8")
    items = read_all(path)
    [error] = errors(items)
    assert error.line == 1 and "unknown date format" in str(error)
    assert [(a.doc_id, a.published) for a in articles(items)] == [("a", None)]


@pytest.mark.parametrize(
    "written",
    ["2024-03-12", "2024-03-12T10:00:00Z", "2024-03-12T23:30:00-05:00", "12 March 2024", "March 12, 2024",
     "12 Mar 2024", "Tue, 12 Mar 2024 10:00:00 GMT", "Tuesday, 12 March 2024", "2024/03/12"],
)
def test_common_publication_date_formats_give_the_day_as_written(written: str) -> None:
    assert parse_published(written) == date(2024, 3, 12)


def test_csv_dump_rows_become_articles_and_bad_rows_name_their_first_line() -> None:
    items = read_all(FIXTURES / "records.csv")
    assert [(a.doc_id, a.source) for a in articles(items)] == [
        ("csv-1", "Example Wire"), ("csv-2", "City Desk")]
    assert articles(items)[1].text.endswith("he said.")
    [error] = errors(items)
    assert error.line == 5 and "'text'" in str(error)


def test_csv_quote_never_closed_is_an_error_on_its_row_and_earlier_rows_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text('id,text\na,First report.\nb,"Second report, never closed.\nc,Third report.\n', encoding="utf-8")
    items = read_all(path)
    assert [a.doc_id for a in articles(items)] == ["a"]
    [error] = errors(items)
    assert error.line == 3 and "never closed" in str(error) and str(path) in str(error)


def test_csv_text_after_a_closing_quote_is_an_error_for_that_row_only(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text('id,text\na,"Quoted" then more\nb,Next report.\n', encoding="utf-8")
    items = read_all(path)
    assert [(a.doc_id, a.text) for a in articles(items)] == [("b", "Next report.")]
    [error] = errors(items)
    assert error.line == 2 and "malformed CSV" in str(error) and "row skipped" in str(error)


def test_csv_without_a_text_column_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text("doc_id,body\na,Some text\n", encoding="utf-8")
    [error] = read_all(path)
    assert isinstance(error, InputError) and error.line == 1 and "'text'" in str(error)


# bad files

@pytest.mark.parametrize(
    ("name", "first_lines"),
    [
        ("bad.txt", b"A made-up report.\nIt goes on.\n"),
        ("bad.html", b"<html><body>\n<p>A made-up report.</p>\n"),
        ("bad.jsonl", b'{"id": "a", "text": "A made-up report."}\n{"id": "b", "text": "Another."}\n'),
        ("bad.csv", b'id,text\na,"A made-up report."\n'),
    ],
)
def test_undecodable_file_is_reported_with_its_line_and_others_still_read(
    tmp_path: Path, name: str, first_lines: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(first_lines + b"c,\"Caf\xe9 in the made-up town.\"\n")
    items = read_all(path, CORPUS / "alpha.txt")
    [error] = errors(items)
    assert error.path == str(path) and error.line == 3 and "UTF-8" in str(error)
    assert "alpha" in [a.doc_id for a in articles(items)]


@pytest.mark.parametrize("name", ["empty.txt", "empty.md", "empty.html", "empty.jsonl", "empty.csv"])
def test_empty_file_is_reported(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf \n\n")
    [error] = read_all(path)
    assert isinstance(error, InputError) and error.path == str(path) and "empty" in str(error)


@pytest.mark.parametrize("name", ["blob.txt", "blob.html", "blob.jsonl", "blob.csv"])
def test_binary_file_is_reported(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    [error] = read_all(path)
    assert isinstance(error, InputError) and "binary" in str(error)


def test_utf16_file_is_reported_as_such(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("A made-up report.".encode("utf-16"))
    [error] = read_all(path)
    assert isinstance(error, InputError) and "UTF-16" in str(error)


def test_a_single_path_string_is_one_path_not_a_sequence_of_characters() -> None:
    assert [a.doc_id for a in articles(list(iter_articles(str(CORPUS / "alpha.txt"))))] == ["alpha"]  # type: ignore[arg-type]


def test_articles_are_yielded_one_at_a_time() -> None:
    stream = iter_articles([CORPUS])
    assert isinstance(next(stream), Article)


# publication date found in the text (fictional wire copy written for these tests)

def _published(tmp_path: Path, text: str, name: str = "story.txt") -> Article:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return only_article(read_all(path))


def test_dateline_with_a_year_gives_the_publication_date(tmp_path: Path) -> None:
    article = _published(tmp_path, "BREVIK, March 4, 2025 (Example Wire) - Drones struck the port overnight.\n")
    assert article.published == date(2025, 3, 4)
    assert article.published_reason == "dateline 'BREVIK, March 4, 2025 (Example Wire)': as written"


def test_dateline_without_a_year_takes_it_from_a_full_date_in_the_week_before(tmp_path: Path) -> None:
    text = "Drones hit Brevik\n\nBREVIK, March 4 (Example Wire) - The strike followed the March 2, 2024 raid.\n"
    article = _published(tmp_path, text)
    assert article.published == date(2024, 3, 4)
    assert "year from 'March 2, 2024'" in (article.published_reason or "")


def test_dateline_without_anything_fixing_its_year_leaves_the_date_unknown(tmp_path: Path) -> None:
    article = _published(tmp_path, "BREVIK, March 4 (Example Wire) - Drones struck the port overnight.\n")
    assert article.published is None
    assert article.published_reason == (
        "unknown: dateline 'BREVIK, March 4 (Example Wire)', but nothing in the text fixes the year")


def test_date_leading_a_line_with_a_dash_is_a_dateline(tmp_path: Path) -> None:
    article = _published(tmp_path, "Osterfeld report\n4 March 2025 — Troops entered Osterfeld.\n")
    assert article.published == date(2025, 3, 4)


def test_a_date_inside_a_sentence_is_not_a_dateline(tmp_path: Path) -> None:
    article = _published(tmp_path, "The vote on June 8, 2025 — as expected — passed in Brevik.\n")
    assert article.published is None


def test_published_line_wins_over_updated_line(tmp_path: Path) -> None:
    text = "Port hit\n\nUpdated September 14, 2023 Published September 13, 2023\n\nDrones hit the port.\n"
    article = _published(tmp_path, text)
    assert article.published == date(2023, 9, 13)
    assert (article.published_reason or "").startswith("'Published' line")


def test_updated_line_stands_in_when_there_is_no_published_line(tmp_path: Path) -> None:
    article = _published(tmp_path, "Port hit\nLast updated: 2023-09-14 10:31\nDrones hit the port.\n")
    assert article.published == date(2023, 9, 14)
    assert (article.published_reason or "").startswith("'Last updated' line")


def test_today_with_a_weekday_and_date_fixes_the_day_when_the_year_is_pinned(tmp_path: Path) -> None:
    text = ("The staff said today (Sunday, January 22) that attacks near Brevik, occupied since 2022, "
            "were repelled.\n")
    article = _published(tmp_path, text)
    assert article.published == date(2023, 1, 22)
    assert "weekday matches only in 2023" in (article.published_reason or "")


def test_weekday_with_a_date_the_day_before_today_pins_the_year(tmp_path: Path) -> None:
    text = ("On Saturday, January 21, units attacked near Osterfeld, held since 2022. "
            "The statement was published today, January 22, by the staff.\n")
    article = _published(tmp_path, text)
    assert article.published == date(2023, 1, 22)
    assert "year from 'Saturday, January 21'" in (article.published_reason or "")


def test_today_with_a_date_but_no_year_clue_stays_unknown(tmp_path: Path) -> None:
    text = "On Saturday, January 21, units attacked. The statement was published today, January 22.\n"
    article = _published(tmp_path, text)
    assert article.published is None
    assert article.published_reason == (
        "unknown: 'today, January 22' in the text, but nothing in the text fixes the year")


def test_text_without_any_date_clue_stays_unknown_and_says_so(tmp_path: Path) -> None:
    article = _published(tmp_path, "Russian forces seized 556 square kilometres last month alone.\n")
    assert article.published is None
    assert article.published_reason == (
        "unknown: no manifest, record or page date, and the text does not fix one")


def test_manifest_row_with_an_empty_date_falls_back_to_the_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("BREVIK, March 4, 2025 (Example Wire) - Drones struck.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Drones struck last month.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,doc_id,published\na.txt,a,\nb.txt,b,\n", encoding="utf-8")
    found = {a.doc_id: a for a in articles(read_all(tmp_path, manifest=manifest))}
    assert found["a"].published == date(2025, 3, 4)
    assert found["b"].published is None and (found["b"].published_reason or "").startswith("unknown")


def test_record_without_a_published_field_takes_the_date_from_its_dateline(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text('{"id": "w9", "text": "BREVIK, 4 March 2025 (Example Wire) - Drones struck."}\n',
                    encoding="utf-8")
    article = only_article(read_all(path))
    assert article.published == date(2025, 3, 4)
    assert (article.published_reason or "").startswith("dateline")


def test_every_article_says_how_its_date_was_found() -> None:
    items = articles(read_all(CORPUS, FIXTURES / "dated.txt", FIXTURES / "records.jsonl"))
    assert items and all(a.published_reason for a in items)
