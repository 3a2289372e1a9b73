"""Region names as search compares them.

Rules:
- Lower case and ASCII only: accents fold (``é`` becomes ``e``) and other
  scripts drop out, because users type on plain keyboards.
- Apostrophes (straight or curly) vanish rather than split a word: people
  write "Nuapuu" as often as "Nuapu'u".
- The title words kabupaten, kab, kota, kecamatan, kec, kelurahan, kel,
  desa, provinsi and prov are dropped, because users type "Bontang" for
  "Kota Bontang"; so is "administrasi" ("Kota Administrasi Jakarta
  Pusat" is "Jakarta Pusat" to everyone). A name made only of such words
  keeps them, so it can still be found.
- Every other non-alphanumeric character, hyphens included, is a space, and
  runs of whitespace collapse: "Api-api" reads "api api".
- ``compact`` also removes the spaces, so "apiapi" meets "Api-api".
"""

from __future__ import annotations

import re
import unicodedata

TITLE_WORDS = frozenset(
    {
        "kabupaten",
        "kab",
        "kota",
        "kecamatan",
        "kec",
        "kelurahan",
        "kel",
        "desa",
        "provinsi",
        "prov",
        "administrasi",
    }
)
_APOSTROPHES = str.maketrans("", "", "'`\u2018\u2019\u02bc\u00b4")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def fold(name: str) -> str:
    """Lower case ASCII words separated by single spaces, title words kept."""
    folded = name.translate(_APOSTROPHES)
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    return " ".join(_SEPARATORS.sub(" ", folded.lower()).split())


def normalise(name: str) -> str:
    words = fold(name).split(" ")
    kept = [word for word in words if word not in TITLE_WORDS]
    return " ".join(kept or words)


def compact(name: str) -> str:
    return normalise(name).replace(" ", "")
