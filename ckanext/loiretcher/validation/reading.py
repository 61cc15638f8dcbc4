"""Opening a publisher's CSV: encoding, separator, and files that are no CSV."""
from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterable
from typing import IO

from ckanext.loiretcher.validation import messages as m

__all__ = ["CANDIDATE_DELIMITERS", "detect_delimiter", "detect_encoding", "open_text"]

CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
_CHUNK = 1 << 20

# Signatures of files that publishers upload instead of a CSV.
_SIGNATURES = [
    (b"PK\x03\x04", "XLSX/ODS/ZIP"),
    (b"\xd0\xcf\x11\xe0", "XLS"),
    (b"%PDF", "PDF"),
    (b"\x1f\x8b", "GZIP"),
    (b"{\\rtf", "RTF"),
]


_NOT_CSV = m.N_(
    "{path} is not a CSV file (it looks like {kind}): export it as "
    "\"CSV UTF-8\" with commas as separator."
)
_UNREADABLE = m.N_("Cannot read {path}: {reason}.")


def _not_csv(path: str, kind: str) -> m.ValidationUsageError:
    return m.usage_error(_NOT_CSV, path=path, kind=kind)


def _unreadable(path: str, reason: str) -> m.ValidationUsageError:
    return m.usage_error(_UNREADABLE, path=path, reason=reason)


def _check_readable(path: str) -> None:
    if not os.path.exists(path):
        raise _unreadable(path, m._("no such file"))
    if os.path.isdir(path):
        raise _unreadable(path, m._("it is a directory"))
    if not os.access(path, os.R_OK):
        raise _unreadable(path, m._("permission denied"))


def detect_encoding(path: str) -> tuple[str, bool]:
    """(Python codec, has a UTF-8 BOM) of the file, read in chunks.

    UTF-8 when every byte decodes as UTF-8 (with or without BOM), UTF-16 with
    its BOM, Windows-1252 otherwise. Raises ValidationUsageError when the file
    cannot be read or is clearly not text.
    """
    _check_readable(path)
    try:
        with open(path, "rb") as stream:
            head = stream.read(8192)
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16", False
            for signature, kind in _SIGNATURES:
                if head.startswith(signature):
                    raise _not_csv(path, kind)
            if b"\x00" in head:
                raise _not_csv(path, m._("a binary file"))
            bom = head.startswith(codecs.BOM_UTF8)
            decoder = codecs.getincrementaldecoder("utf-8")()
            chunk = head
            try:
                while chunk:
                    decoder.decode(chunk)
                    chunk = stream.read(_CHUNK)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return "cp1252", False
            return ("utf-8-sig" if bom else "utf-8"), bom
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from error


def open_text(path: str, encoding: str) -> tuple[IO[bytes], io.TextIOWrapper]:
    """The binary stream (for progress) and the text stream over it."""
    binary = open(path, "rb")  # closed by the caller
    # Windows-1252 leaves five bytes undefined: read them as Latin-1 would.
    errors = "replace" if encoding == "cp1252" else "strict"
    text = io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline="")
    return binary, text


def _first_line(text: io.TextIOWrapper) -> str:
    line = text.readline(1 << 16)
    text.seek(0)
    return line


def detect_delimiter(header_line: str, field_names: Iterable[str]) -> str:
    """The separator under which the header names the most schema columns."""
    names = set(field_names)
    best = (-1, -1, 0)
    chosen = ","
    for rank, delimiter in enumerate(CANDIDATE_DELIMITERS):
        try:
            labels = next(csv.reader([header_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        known = sum(1 for label in labels if label.strip() in names)
        score = (known, len(labels), -rank)
        if score > best:
            best, chosen = score, delimiter
    return chosen


def sniff(path: str, field_names: Iterable[str]) -> tuple[str, bool, str]:
    """(encoding, BOM, delimiter) of the file at ``path``."""
    encoding, bom = detect_encoding(path)
    binary, text = open_text(path, encoding)
    try:
        line = _first_line(text)
    except (OSError, UnicodeError) as error:
        raise _unreadable(path, str(error)) from error
    finally:
        text.close()
        binary.close()
    return encoding, bom, detect_delimiter(line.rstrip("\r\n"), field_names)
