"""Every message of the validator has its French translation, placeholders intact."""
from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

from ckanext.loiretcher.validation import messages

PACKAGE = Path(__file__).resolve().parents[2] / "ckanext" / "loiretcher"
PO = PACKAGE / "i18n" / "fr" / "LC_MESSAGES" / "ckanext-loiretcher.po"


def _msgids() -> list[str]:
    found: list[str] = []
    for source in sorted((PACKAGE / "validation").glob("*.py")):
        for _line, msgid, _comments, _context in extract_from_file(
            "python", str(source), keywords=DEFAULT_KEYWORDS
        ):
            if msgid not in found:
                found.append(msgid)
    return found


MSGIDS = _msgids()
CATALOGUE = {entry.msgid: entry for entry in polib.pofile(str(PO))}


def test_messages_are_extracted():
    # The extraction sees the messages (a broken marker would hide them).
    assert len(MSGIDS) > 70
    assert "This row is empty: delete it." in MSGIDS
    assert "Cannot read {path}: {reason}." in MSGIDS


@pytest.mark.parametrize("msgid", MSGIDS)
def test_french_translation(msgid):
    entry = CATALOGUE.get(msgid)
    assert entry is not None, f"missing from the .po: {msgid!r}"
    assert entry.msgstr and "fuzzy" not in entry.flags
    assert entry.msgstr != msgid
    placeholders = sorted(set(re.findall(r"\{\w+\}", msgid)))
    assert sorted(set(re.findall(r"\{\w+\}", entry.msgstr))) == placeholders
    # A "%" followed by a letter reads as a python-format placeholder to Babel.
    assert not re.search(r"%\s?[a-z]", msgid)


def test_english_outside_ckan():
    # No request nor app context: the English msgid comes back, no crash.
    assert messages.blank_row_message() == "This row is empty: delete it."
