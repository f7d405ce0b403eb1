"""Information pages as content: the shipped about page meets IPDAS, and a broken page stops the app
with the file, the line and the id."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from questionnaire import load_content
from questionnaire.errors import ContentErrors
from questionnaire.i18n import content_strings, localize, missing, source_hash, stale
from questionnaire.loader import DEFAULT_CONTENT_DIR
from questionnaire.pages import page_strings
from questionnaire.schemas import IPDAS_CRITERIA

ABOUT = "pages/about.yaml"


@pytest.fixture
def shipped(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the shipped content with edits to the about page: (old, new) pairs applied in order."""

    def make(*edits: tuple[str, str]) -> Path:
        target = tmp_path / "content"
        shutil.copytree(DEFAULT_CONTENT_DIR, target)
        path = target / ABOUT
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, f"{old!r} not in {ABOUT}"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
        return target

    return make


def errors_for(directory: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_content(directory)
    return [str(error) for error in caught.value.errors]


def line_of(directory: Path, needle: str) -> int:
    lines = (directory / ABOUT).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def test_the_shipped_about_page_meets_every_ipdas_criterion(content):
    page = content.info_pages["about"]
    claimed = {criterion for section in page.sections for criterion in section.ipdas}
    assert claimed == set(IPDAS_CRITERIA) and len(IPDAS_CRITERIA) == 12
    kinds = {block.kind for section in page.sections for block in section.blocks}
    assert {"figure", "steps", "balance", "options", "sources", "facts"} <= kinds


def test_every_option_is_described_under_the_same_headings_including_carrying_on(content):
    options = next(b for s in content.info_pages["about"].sections for b in s.blocks if b.kind == "options")
    assert len(options.labels) == 5
    assert all(len(option.texts()) == 5 and all(option.texts()) for option in options.options)
    ids = {option.id for option in options.options}
    assert {"carry-on", "pump", "pills", "botulinum-toxin", "rhizotomy", "spinal-cord-stimulation"} <= ids


def test_benefits_and_risks_take_the_same_space_and_numbers_share_one_form(content):
    balance = next(b for s in content.info_pages["about"].sections for b in s.blocks if b.kind == "balance")
    assert balance.benefits and balance.risks
    assert len(balance.benefits.items) == len(balance.risks.items)
    one_form = re.compile(r"about \d+ (\w+ )?(in|for every) 100\b", re.IGNORECASE)
    numbers = [text for text in balance.risks.items if one_form.search(text)]
    assert len(numbers) >= 4, "risks are given as 'about N in 100', never as percentages"
    assert not any("%" in text for text in (*balance.benefits.items, *balance.risks.items))


def test_the_page_says_it_awaits_clinical_review_and_names_no_reviewer(content):
    page = content.info_pages["about"]
    assert page.clinical_reviewer is None and page.clinical_review_on is None
    assert page.references and all(ref.url.startswith("https://") for ref in page.references)
    cited = {ref for section in page.sections for ref in section.sources}
    assert cited <= {ref.id for ref in page.references}


def test_page_strings_are_content_strings_so_translation_and_readability_checks_cover_them(content):
    strings = content_strings(content)
    about = dict(page_strings(content.info_pages["about"]))
    assert len(about) > 100 and about.items() <= strings.items()
    assert not [key for key in missing(content, "es") if key.startswith("info.")]
    assert not [key for key in stale(content, "es") if key.startswith("info.")]


def test_spanish_replaces_every_text_and_keeps_ids_and_links(content):
    english = content.info_pages["about"]
    spanish = localize(content, "es").info_pages["about"]
    assert [s.id for s in spanish.sections] == [s.id for s in english.sections]
    assert spanish.references == english.references and spanish.last_reviewed == english.last_reviewed
    translated = dict(page_strings(spanish))
    table = content.locales["es"].strings
    assert all(translated[key] == table[key].text for key in translated)
    assert translated["info.about.title"] != english.title


def test_changed_english_shows_as_a_stale_translation(shipped):
    edited = load_content(shipped(("heading: How it works", "heading: How the pump works")))
    assert "info.about.how-it-works.heading" in stale(edited, "es")


def test_a_translation_for_no_such_text_is_refused(shipped, tmp_path):
    directory = shipped()
    locale = directory / "locales" / "es.yaml"
    locale.write_text(locale.read_text(encoding="utf-8") + f'  info.about.nowhere.1: {{text: "Nada", source: '
                      f'"{source_hash("x")}"}}\n', encoding="utf-8")
    assert any("es.yaml" in e and "[info.about.nowhere.1]" in e and "no content string" in e for e in errors_for(directory))


def test_an_unknown_key_names_the_file_line_and_section(shipped):
    directory = shipped(("    heading: How it works\n", "    heading: How it works\n    colour: blue\n"))
    line = line_of(directory, "colour: blue")
    assert any(f"{ABOUT}:{line}: [how-it-works]" in e and "unknown key 'colour'" in e for e in errors_for(directory))


def test_benefits_longer_than_risks_stop_the_app(shipped):
    praise = "It is good. " * 30
    directory = shipped(("- \"It can be turned down or stopped, and the pump can be taken out.\"",
                         f"- \"It can be turned down or stopped. {praise}\""))
    line = line_of(directory, "- balance:") + 1
    assert any(f"{ABOUT}:{line}: [benefits-and-risks]" in e and "same space" in e for e in errors_for(directory))


def test_fewer_risks_than_benefits_stop_the_app(shipped):
    last_risk = '              - "If the pump stops or runs empty, the body reacts within hours. This is an emergency."\n'
    directory = shipped((last_risk, ""))
    line = line_of(directory, "- balance:") + 1
    assert any(f"{ABOUT}:{line}: [benefits-and-risks]" in e and "6 items and risks 5" in e for e in errors_for(directory))


def test_a_missing_ipdas_criterion_and_a_missing_figure_are_named(shipped):
    directory = shipped(("    ipdas: [evidence-certainty]\n", ""), ("image: itb-pump.svg", "image: no-such-drawing.svg"))
    found = errors_for(directory)
    assert any(f"{ABOUT}:{line_of(directory, 'standard: ipdas')}: [about]" in e and "evidence-certainty" in e
               for e in found), found
    assert any("[how-it-works]" in e and "no-such-drawing.svg" in e for e in found), found


def test_an_unknown_reference_and_a_bad_date_are_named(shipped):
    directory = shipped(("sources: [saulino-2016, boster-2016]", "sources: [saulino-2061, boster-2016]"),
                        ('last_reviewed: "2026-12-01"', 'last_reviewed: "2026-02-30"'))
    found = errors_for(directory)
    assert any(f"{ABOUT}:{line_of(directory, 'saulino-2061')}: [decision]" in e and "saulino-2016" in e
               for e in found), found
    assert any(f"{ABOUT}:{line_of(directory, 'last_reviewed')}: [about]" in e and "not a real date" in e
               for e in found), found


def test_a_page_in_the_wrong_file_is_refused(shipped):
    directory = shipped(("\nid: about\n", "\nid: information\n"))
    assert any("[information]" in e and "information.yaml" in e for e in errors_for(directory))


def test_content_without_pages_loads_with_none(content_dir):
    assert load_content(content_dir()).info_pages == {}
