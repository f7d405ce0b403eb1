"""A corpus of malformed content files: each one stops the app at start-up with a message naming the file."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from app import StartupError, create_app

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "malformed"
# Where a corpus file goes in a copy of the minimal content: rules are added beside the good rules file;
# a `# as: <path>` line puts it elsewhere (a rule saved as .yml). Logos come with a clinic file using them.
TARGETS = {"rules": lambda name: f"rules/{name}", "questions": lambda name: "questions.yaml",
           "ruleset": lambda name: "ruleset.yaml", "clinics": lambda name: "clinics/test-clinic.yaml",
           "locales": lambda name: "locales/es.yaml", "scenarios": lambda name: "scenarios/people.yaml",
           "logos": lambda name: f"clinics/{name}"}
CASES = sorted([*CORPUS.glob("*/*.yaml"), *CORPUS.glob("logos/*.svg"), *CORPUS.glob("logos/*.png")])
LOGO_CLINIC = """slug: test-clinic
name: Test Clinic
country: US
phone: "(555) 010-0199"
address: 1 Test Road
language: en
logo: {logo}
"""


def expected(path: Path) -> str:
    """The `# expect: ...` line in a corpus file (or beside it, in <name>.expect): what a person should see."""
    sidecar = path.with_name(path.name + ".expect")
    match = re.search(rb"^# expect: ?(.*)$", (sidecar if sidecar.exists() else path).read_bytes(), re.MULTILINE)
    assert match, f"{path} has no '# expect:' line"
    return match.group(1).decode().strip()


def placed(path: Path) -> str:
    """Where the corpus file goes: its `# as:` line, else its folder's place."""
    match = re.search(rb"^# as: (\S+)$", path.read_bytes(), re.MULTILINE)
    return match.group(1).decode() if match else TARGETS[path.parent.name](path.name)


def start_with(tmp_path: Path, relative: str, data: bytes, production: bool = False,
               extra: dict[str, bytes] | None = None) -> str:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    for name, text in {relative: data, **(extra or {})}.items():
        (content / name).parent.mkdir(exist_ok=True)
        (content / name).write_bytes(text)
    # `# production`: start as gunicorn would, outside debug and testing, where localhost framing is refused.
    config = ({"SECRET_KEY": "corpus", "PUBLIC_URL": "https://pump.example.org"} if production
              else {"TESTING": True})
    started = time.monotonic()
    with pytest.raises(StartupError) as caught:
        create_app({**config, "QUESTIONNAIRE_CONTENT_DIR": str(content)})
    assert time.monotonic() - started < 10, "rejecting a bad file must not take long"
    return str(caught.value)


def test_the_corpus_covers_the_nasty_cases():
    names = {f"{path.parent.name}/{path.stem}" for path in CASES}
    assert {"rules/alias-bomb", "rules/invalid-utf8", "rules/duplicate-key", "rules/deep-condition",
            "rules/deep-yaml", "rules/python-tag", "rules/title-is-a-number", "rules/rules-not-a-list"} <= names
    # Issue 16: content that used to load quietly.
    assert {"rules/saved-as-yml", "rules/saved-as-upper-case-yaml", "rules/escape-character", "rules/nul-escape",
            "rules/right-to-left-override", "rules/bidi-isolate", "rules/c1-control",
            "rules/emergency-without-number", "rules/blank-reference-title", "rules/whole-file-is-text",
            "clinics/phone-with-markup", "clinics/name-with-quote", "clinics/origin-port-99999",
            "clinics/origin-localhost", "locales/saved-as-yml", "scenarios/saved-as-yml"} <= names
    assert {"logos/javascript-link", "logos/external-image", "logos/data-uri", "logos/css-url", "logos/xslt",
            "logos/utf16-doctype", "logos/style-element", "logos/width-nan", "logos/width-1e999",
            "logos/short-png"} <= names
    assert len(CASES) >= 80


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_malformed_file_is_rejected_at_start_up_naming_the_file(tmp_path, path):
    relative = placed(path)
    data = path.read_bytes()
    extra = {"clinics/test-clinic.yaml": LOGO_CLINIC.format(logo=path.name).encode()} if path.parent.name == "logos" else {}
    message = start_with(tmp_path, relative, data, production=b"\n# production\n" in data, extra=extra)
    named = "clinics/test-clinic.yaml" if extra else relative
    assert f"{named}:" in message or f"{named} " in message, message  # names the file ...
    assert expected(path) in message, message  # ... and says what is wrong
    assert "Traceback" not in message
    assert len(message) < 1500, message  # never a file's text


@pytest.mark.parametrize(("relative", "limit"), [("rules/huge.yaml", "300,000"), ("locales/es.yaml", "300,000"),
                                               ("questions.yaml", "1,000,000"), ("ruleset.yaml", "1,000,000")])
def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path, relative, limit):
    huge = b"# padding\n" * 110_000 + b"rules: []\n"  # 1.1 MB
    message = start_with(tmp_path, relative, huge)
    assert f"{relative}:" in message and f"content files may be at most {limit}" in message, message


@pytest.mark.parametrize("relative", ["questions.yaml", "rules/many.yaml"])
def test_a_file_of_many_small_mappings_is_refused_by_the_node_budget(tmp_path, relative):
    # Issue 16: 1 MB of `- {a: 1}` took 18 s and 322 MB to refuse (bench/hostile_content.py measures it).
    size = 1_000_000 if relative == "questions.yaml" else 290_000  # under each file's byte cap
    hostile = b"pages:\n" + b"- {a: 1}\n" * ((size - 7) // 9)
    message = start_with(tmp_path, relative, hostile)
    assert f"{relative}:16667: the file has more than 50,000 values, lists and mappings" in message, message
    assert message.count("\n") < 5, message


def test_a_wide_file_gets_a_short_message_not_thousands_of_lines(tmp_path):
    wide = b"rules: [" + b"x, " * 20_000 + b"x]\n"  # 60 KB: one flat list of 20,001 wrong items
    message = start_with(tmp_path, "rules/wide.yaml", wide)
    assert "rules/wide.yaml:1: more than 50 problems in this file" in message, message
    assert message.count("\n") < 60, message


def test_a_symlinked_text_file_is_never_echoed(tmp_path):
    notes = tmp_path / "notes.txt"  # outside the content directory, as /etc/passwd would be
    secret = " ".join(f"line{n}:secret-words-that-must-stay-on-the-server" for n in range(400))
    notes.write_text(secret, encoding="utf-8")
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "rules" / "notes.yaml").symlink_to(notes)
    with pytest.raises(StartupError) as caught:
        create_app({"TESTING": True, "QUESTIONNAIRE_CONTENT_DIR": str(content)})
    message = str(caught.value)
    assert "rules/notes.yaml: the file: 'line0:secret" in message and "is not of type 'object'" in message, message
    assert len(message) < 600 and "line2:" not in message, message  # 80 characters of it at most
