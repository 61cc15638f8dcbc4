"""Every string of ours ships with its French translation."""
from __future__ import annotations

from pathlib import Path

import polib

I18N = Path(__file__).resolve().parent.parent / "ckanext" / "loiretcher" / "i18n"
PO = I18N / "fr" / "LC_MESSAGES" / "ckanext-loiretcher.po"
POT = I18N / "ckanext-loiretcher.pot"


def test_every_extracted_string_has_a_french_translation():
    template = polib.pofile(str(POT))
    catalogue = {entry.msgid: entry for entry in polib.pofile(str(PO))}
    missing = []
    for entry in template:
        translated = catalogue.get(entry.msgid)
        if (
            translated is None
            or translated.obsolete
            or "fuzzy" in translated.flags
            or not (translated.msgstr or any(translated.msgstr_plural.values()))
        ):
            missing.append(entry.msgid)
    assert not missing, f"{len(missing)} strings without French translation: {missing}"


def test_catalogue_is_compiled():
    assert PO.with_suffix(".mo").exists(), "run `make i18n`"
