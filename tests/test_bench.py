"""`claimline bench pipeline`: the template corpus, the figures it prints, and the fast paths that
make extraction quick finding exactly what the full scans find."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimline import bench, claimants, triggers, when
from claimline.bench import (
    STAGES,
    compiled_modules,
    forget_sentences,
    run_corpus,
    run_hard_scaling,
    run_pipeline,
    run_scaling,
)
from claimline.cli import app
from claimline.geocode import mentions
from claimline.pipeline import Pipeline
from claimline.segment import LONGEST_SENTENCE, RuleSegmenter
from claimline.synthetic import HARD_SHAPES, TemplateCorpus, hard_article
from fast_path_texts import sample_sentences

runner = CliRunner()


# ── the template corpus ─────────────────────────────────────────────────────────────────────────


def test_template_corpus_gives_the_same_article_for_the_same_number() -> None:
    first, again = TemplateCorpus(5, seed=3), TemplateCorpus(5, seed=3)
    assert [a.text for a in first] == [a.text for a in again]
    assert first.article(4).text == list(again)[4].text
    assert TemplateCorpus(5, seed=4).article(0).text != first.article(0).text


def test_template_articles_reach_the_asked_length_and_differ() -> None:
    texts = [a.text for a in TemplateCorpus(20, length=5000)]
    assert all(len(text) >= 5000 for text in texts)
    assert len(set(texts)) == 20
    assert all(a.published is not None for a in TemplateCorpus(3))


def test_template_corpus_is_made_on_demand() -> None:
    corpus = TemplateCorpus(100_000)
    stream = iter(corpus)
    assert len(corpus) == 100_000
    assert next(stream).doc_id == "synthetic-0-0"
    assert next(stream).doc_id == "synthetic-0-1"


def test_template_articles_give_events_with_places_and_dates() -> None:
    events = Pipeline().process(TemplateCorpus(1).article(0))
    assert len(events) >= 5
    assert any(e.location is not None for e in events)
    assert any(e.when.known for e in events)


# ── measuring ───────────────────────────────────────────────────────────────────────────────────


def test_run_pipeline_reads_a_stream_once_and_times_every_stage() -> None:
    articles = (a for a in TemplateCorpus(4, length=1000))
    times, memory = run_pipeline(articles, tenth=1)
    assert times.articles == 4 and times.characters >= 4000
    assert set(times.seconds) == set(STAGES) and all(s >= 0 for s in times.seconds.values())
    assert times.per_second() > 0
    assert memory.warm <= memory.tenth <= memory.end


def test_each_pass_over_a_corpus_reads_its_sentences_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    # a second pass over the same texts must not find them in the memos the first pass filled
    pipeline = Pipeline()
    articles = list(TemplateCorpus(2, length=1000))
    run_pipeline(articles, pipeline)
    assert triggers._triggers_of.cache_info().currsize > 0 and claimants.find_attribution.cache_info().currsize > 0
    assert pipeline.geocoder._stretches  # type: ignore[attr-defined]
    assert mentions.name_key.cache_info().currsize > 0 and triggers._lead_of.cache_info().currsize > 0
    forget_sentences(pipeline)
    assert triggers._triggers_of.cache_info().currsize == triggers._lead_of.cache_info().currsize == 0
    assert mentions.name_key.cache_info().currsize == 0
    assert claimants.find_attribution.cache_info().currsize == claimants.quoted_spans.cache_info().currsize == 0
    assert not pipeline.geocoder._stretches  # type: ignore[attr-defined]
    passes: list[int] = []

    def forget_and_count(pipeline: Pipeline) -> None:
        passes.append(triggers._triggers_of.cache_info().currsize)
        forget_sentences(pipeline)

    monkeypatch.setattr(bench, "forget_sentences", forget_and_count)
    run_corpus(articles, pipeline, repeat=3)
    assert passes[0] == 0 and passes[1] == passes[2] > 0  # each pass began by forgetting what the last read


def test_run_pipeline_of_nothing_reads_nothing() -> None:
    times, _ = run_pipeline([])
    assert times.articles == 0 and times.total == 0


def test_scaling_reads_documents_of_each_multiple_of_the_length() -> None:
    rows = run_scaling(Pipeline(), 500, multiples=(1, 4), repeat=1)
    assert [row.multiple for row in rows] == [1, 4]
    assert rows[1].characters >= 4 * 500 and rows[0].times.articles == 4 and rows[1].times.articles == 1
    assert all(row.times.ms_per_kb() > 0 for row in rows)


# ── the command ─────────────────────────────────────────────────────────────────────────────────


def test_bench_pipeline_json_reports_stages_memory_reference_ratio_and_scaling() -> None:
    result = runner.invoke(app, ["bench", "pipeline", "--size", "3", "--length", "1000", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 3 and report["articles_per_second"] > 0
    assert set(report["stages"]) == set(STAGES)
    for stage in report["stages"].values():
        assert stage["articles_per_second"] > 0 and stage["peak_kib"] > 0
    assert report["pipeline_peak_kib"] >= max(s["peak_kib"] for s in report["stages"].values())
    assert "spaCy" in report["reference"]["system"] and report["reference"]["articles_per_second"] > 0
    assert report["ratio"] == pytest.approx(report["articles_per_second"] / report["reference"]["articles_per_second"])
    assert [row["multiple"] for row in report["scaling"]] == [1, 4, 16]
    assert set(report["scaling"][0]["ms_per_kb"]) == {*STAGES, "pipeline"}
    assert [shape["shape"] for shape in report["hard_shapes"]] == list(HARD_SHAPES)
    assert all([row["multiple"] for row in shape["pipeline_ms_per_kb"]] == [1, 4, 16]
               for shape in report["hard_shapes"])
    assert report["rss_mib"]["at_end"] >= report["rss_mib"]["after_warm_up"] > 0
    assert report["machine"]["python"] and report["machine"]["cores"]
    assert report["machine"]["build"] in ("pure Python", f"compiled by mypyc ({len(compiled_modules())} modules)")


def test_bench_pipeline_prints_the_table_the_ratio_and_the_machine() -> None:
    result = runner.invoke(app, ["bench", "pipeline", "--size", "2", "--length", "1000", "--no-scaling"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for stage in (*STAGES, "pipeline", "reference"):
        assert stage in result.output
    assert re.search(r"claimline pipeline / reference: ×\d", result.output)
    assert "Process peak memory" in result.output and "Machine:" in result.output
    assert "cost per KB" not in result.output


def test_bench_pipeline_without_the_reference_prints_no_ratio() -> None:
    result = runner.invoke(app, ["bench", "pipeline", "--size", "2", "--length", "1000", "--no-scaling",
                                 "--no-reference", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["reference"] is None and report["ratio"] is None and report["scaling"] == []


def test_bench_pipeline_times_a_given_corpus_per_kb(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Shelling hit Kherson on Monday, killing two people, the governor said.\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Air defences shot down 12 of 15 drones over the Odesa region overnight.\n",
                                    encoding="utf-8")
    result = runner.invoke(app, ["bench", "pipeline", "--size", "2", "--length", "1000", "--no-scaling",
                                 "--no-reference", "--json", "--corpus", str(tmp_path)])
    assert result.exit_code == 0, result.output
    corpus = json.loads(result.stdout)["corpus"]
    characters = sum(len(p.read_text(encoding="utf-8").strip()) for p in tmp_path.iterdir())
    assert corpus["articles"] == 2 and abs(corpus["characters"] - characters) <= 4
    assert set(corpus["ms_per_kb"]) == {*STAGES, "pipeline"}
    seconds = sum(corpus["seconds"].values())
    assert corpus["articles_of_template_length_per_second"] == pytest.approx(corpus["characters"] / 1000 / seconds)


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained-pipeline stand-in: a named-entity recogniser with initial weights, saved to a folder,
    which costs what a trained one of its size costs."""
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ner")
    nlp.initialize()
    folder = tmp_path_factory.mktemp("model") / "ner-model"
    nlp.to_disk(folder)
    return folder


def test_bench_pipeline_times_a_trained_model_over_the_first_articles(saved_model: Path, tmp_path: Path) -> None:
    for name in "abc":
        (tmp_path / f"{name}.txt").write_text("Shelling hit Kherson on Monday, the governor said.\n", encoding="utf-8")
    result = runner.invoke(app, ["bench", "pipeline", "--size", "3", "--length", "1000", "--no-scaling",
                                 "--json", "--model", str(saved_model), "--model-pipe", "ner", "--model-size", "2",
                                 "--corpus", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    model = report["model"]
    assert model["articles"] == 2 and model["articles_per_second"] > 0 and model["peak_kib"] > 0
    assert "(ner;" in model["system"] and "sentencizer" not in model["system"]
    assert report["model_ratio"] == pytest.approx(report["articles_per_second"] / model["articles_per_second"])
    assert report["reference"]["articles"] == 3
    assert report["corpus"]["articles"] == 3 and report["corpus"]["model_ms_per_kb"] > 0
    assert report["corpus"]["model_articles"] == 2


def test_bench_pipeline_prints_the_trained_model_beside_claimline(saved_model: Path) -> None:
    result = runner.invoke(app, ["bench", "pipeline", "--size", "2", "--length", "1000", "--no-scaling",
                                 "--no-reference", "--model", str(saved_model)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert re.search(r"│ +trained model +│", result.output)
    assert re.search(r"claimline pipeline / trained model: ×\d.*\(sentencizer\+ner;", result.output)


@pytest.mark.parametrize(("arguments", "named"), [
    (["--model", "no-such-model"], "no-such-model: neither an installed spaCy pipeline package"),
    (["--model", "{model}", "--model-pipe", "parser"], "runs no component 'parser'; it runs sentencizer, ner"),
    (["--model-pipe", "ner"], "names components of --model, which is not given"),
])
def test_bench_pipeline_refuses_a_model_it_cannot_run_before_the_long_part(
        saved_model: Path, arguments: list[str], named: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "bench_pipeline", lambda *a, **k: pytest.fail("ran before refusing the model"))
    result = runner.invoke(app, ["bench", "pipeline", "--size", "2", "--no-scaling", "--no-reference",
                                 *(a.format(model=saved_model) for a in arguments)], env={"COLUMNS": "400"})
    assert result.exit_code != 0
    assert named in " ".join(result.output.split()).replace("│ │", "")


def test_bench_pipeline_names_an_unreadable_corpus(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = runner.invoke(app, ["bench", "pipeline", "--size", "2", "--no-scaling", "--no-reference",
                                 "--corpus", str(missing)], env={"COLUMNS": "200"})
    assert result.exit_code != 0 and str(missing) in result.output


@pytest.mark.slow
def test_no_stage_costs_more_per_kb_on_sixteen_times_longer_documents() -> None:
    rows = run_scaling(Pipeline(), 5000, multiples=(1, 16), repeat=3)
    short, long = rows[0].times, rows[1].times
    # a stage quadratic in the document would cost about 16 times more per KB; allow for noise
    assert long.ms_per_kb() < 2 * short.ms_per_kb()


@pytest.mark.slow
def test_no_shape_of_document_costs_more_per_kb_when_sixteen_times_longer() -> None:
    # a list of places or a text without full stops is one sentence of the whole document: a rule
    # comparing a sentence's words pairwise made these cost 3.6 times more per KB at 4× (before the cap)
    # fastest of two runs: one stall of this shared machine during the single 16× document doubled its figure
    for shape in run_hard_scaling(Pipeline(), 2000, multiples=(1, 16), repeat=2):
        assert shape.growth < 2, (shape.shape, [row.times.ms_per_kb() for row in shape.rows])


def test_hard_shapes_are_made_of_template_articles_of_about_the_same_length() -> None:
    article = TemplateCorpus(1, length=3000).article(0)
    for shape in HARD_SHAPES:
        remade = hard_article(article, shape)
        assert 0.8 * len(article.text) <= len(remade.text) <= 1.2 * len(article.text), shape
        assert remade.published == article.published and remade.doc_id != article.doc_id
    sentences = RuleSegmenter().sentences(hard_article(article, "no full stops"))
    assert all(len(s.text) <= LONGEST_SENTENCE for s in sentences) and len(sentences) >= 2


# ── the fast paths find what the full scans find ────────────────────────────────────────────────


def test_every_date_rule_match_lies_in_a_sentence_its_cues_admit() -> None:
    checked = 0
    for sentence in [*sample_sentences(), "Russian drones hit Odesa on Monday, 3 March 2025, at night."]:
        admitted = {id(rule) for rule in when._rules_for(sentence)}
        for rule in when._RULES:
            for match in rule.pattern.finditer(sentence):
                checked += 1
                assert id(rule) in admitted, (rule.resolve.__name__, match.group(0), sentence)
    assert checked > 300


def test_date_rules_still_run_where_lower_case_cannot_be_trusted() -> None:
    # "ı" (dotless i) matches "i" under (?i) but stays "ı" in lower case: the cue test is skipped
    sentence = "It happened last nıght in Kharkiv."
    assert when._rules_for(sentence) == when._RULES
    assert when._rules_for("No date words here.") == []


def test_bare_bench_runs_the_pipeline_benchmark_with_its_reference() -> None:
    result = runner.invoke(app, ["bench", "--size", "2", "--length", "800", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 2 and "spaCy" in report["reference"]["system"]


def test_the_parts_kept_keep_their_memos_and_the_others_are_emptied() -> None:
    pipeline = Pipeline()
    run_pipeline(list(TemplateCorpus(2, length=1000)), pipeline)
    forget_sentences(pipeline, keep=("triggers", "place-names"))
    assert triggers._triggers_of.cache_info().currsize > 0 and triggers._lead_of.cache_info().currsize > 0
    assert mentions.name_key.cache_info().currsize > 0 and pipeline.geocoder._stretches  # type: ignore[attr-defined]
    assert claimants.find_attribution.cache_info().currsize == 0
    forget_sentences(pipeline, keep=("attribution",))
    assert triggers._triggers_of.cache_info().currsize == mentions.name_key.cache_info().currsize == 0
    assert not pipeline.geocoder._stretches  # type: ignore[attr-defined]
