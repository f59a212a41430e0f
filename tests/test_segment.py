from claimline.model import Article
from claimline.segment import LONGEST_SENTENCE, RuleSegmenter, post_signature


def _sentences(text: str) -> list[tuple[str, bool]]:
    article = Article(doc_id="t", text=text)
    out = []
    for s in RuleSegmenter().sentences(article):
        assert text[s.start:s.end] == s.text
        out.append((s.text, s.furniture))
    return out


def test_sentences_keep_offsets_into_the_text_as_read() -> None:
    text = "  Russian forces shelled Kupiansk on Monday. Two people were injured, officials said.\n"
    assert [s for s, _ in _sentences(text)] == [
        "Russian forces shelled Kupiansk on Monday.",
        "Two people were injured, officials said.",
    ]


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "The strike came on Dec. 5 near the U.S. embassy, Gen. Ivanov said. A second blast followed."
    assert len(_sentences(text)) == 2


def test_closing_quote_stays_with_its_sentence() -> None:
    text = "The governor wrote: “The city is on fire.” Firefighters arrived later."
    assert _sentences(text)[0][0].endswith("fire.”")


def test_page_furniture_lines_are_flagged() -> None:
    text = (
        "**Drones over the port**\n\nRussian drones struck the port on Tuesday.\n\nAdvertisement\n\n"
        "Firefighters at the scene. Photo: Example Wire\n\nSimilar Posts\n"
    )
    flagged = {s: f for s, f in _sentences(text)}
    assert flagged["Russian drones struck the port on Tuesday."] is False
    assert flagged["Advertisement"] is True
    assert flagged["Similar Posts"] is True
    assert all(f for s, f in flagged.items() if "Photo" in s or "Drones over" in s)


def test_leading_date_line_is_stepped_over() -> None:
    text = " date 2025-03-10 Russian troops entered the village on Sunday."
    (sentence, furniture), = _sentences(text)
    assert sentence == "Russian troops entered the village on Sunday."
    assert furniture is False


def test_embedded_post_keeps_its_text_and_names_its_author() -> None:
    text = (
        "Reports say a large attack is under way.\n\n"
        "BREAKING:\n\nAround 80 drones are heading for Kharkiv pic.twitter.com/abc123 "
        "— Front Watch (@frontwatch) March 7, 2025\n"
    )
    article = Article(doc_id="t", text=text)
    sentences = RuleSegmenter().sentences(article)
    post = next(s for s in sentences if s.text.startswith("Around 80"))
    signature = next(s for s in sentences if "@frontwatch" in s.text)
    assert post.voice == "Front Watch" and not post.furniture
    assert signature.furniture
    assert post_signature(signature.text) == ("Front Watch", "frontwatch")


def test_caption_introducing_an_embedded_post_is_furniture() -> None:
    text = (
        "Soldiers raised a flag in the village.\n\nSoldiers raising a flag in the village:\n\n"
        "We raised our flag over the school. — Some Channel (@somechannel) March 7, 2025\n"
    )
    flagged = {s: f for s, f in _sentences(text)}
    assert flagged["Soldiers raising a flag in the village:"] is True
    assert flagged["Soldiers raised a flag in the village."] is False


def test_prose_cut_short_at_the_end_of_a_page_is_not_furniture() -> None:
    text = "Officials said the bridge was hit on Monday. The regional council did not comment on the dama"
    assert [f for _, f in _sentences(text)] == [False, False]


def test_a_long_line_with_a_photo_credit_is_still_prose() -> None:
    text = ("Officials said the bridge was hit on Monday. [Photo: Example Wire] " + "More details followed. " * 20)
    assert not any(f for _, f in _sentences(text))


# ── text shaped unlike news: no sentence grows past LONGEST_SENTENCE ────────────────────────────


def test_a_text_without_full_stops_is_cut_at_commas_into_sentences_no_longer_than_the_limit() -> None:
    clause = "Russian forces struck Kharkiv with drones overnight, "
    text = clause * 100
    pieces = [s for s, _ in _sentences(text)]
    assert len(pieces) > 1 and all(len(piece) <= LONGEST_SENTENCE for piece in pieces)
    assert all(piece.endswith(",") for piece in pieces[:-1])  # cut after a comma, not inside a clause
    assert "".join(pieces).replace(",", ", ") .split() == text.split()


def test_a_quotation_never_closed_does_not_make_the_rest_of_the_line_one_sentence() -> None:
    text = "“" + "Russian forces struck Kharkiv on Tuesday. " * 80
    pieces = [s for s, _ in _sentences(text)]
    assert all(len(piece) <= LONGEST_SENTENCE for piece in pieces)
    assert all(piece.endswith("Tuesday.") for piece in pieces)  # cut at its own full stops


def test_a_closed_quotation_of_several_sentences_stays_one_sentence_with_its_speaker() -> None:
    text = "“We will rebuild. We will not leave. The city will stand,” the mayor said. Shelling went on."
    assert [s for s, _ in _sentences(text)] == [
        "“We will rebuild. We will not leave. The city will stand,” the mayor said.", "Shelling went on."]


def test_text_without_spaces_is_cut_at_the_limit() -> None:
    text = "x" * (2 * LONGEST_SENTENCE + 10) + "."
    assert [len(s) for s, _ in _sentences(text)] == [LONGEST_SENTENCE, LONGEST_SENTENCE, 11]


def test_a_long_word_ending_in_an_abbreviation_is_no_abbreviation() -> None:
    text = "The shells hit the depot of " + "a" * 80 + "co. Firefighters came."
    assert len(_sentences(text)) == 2
