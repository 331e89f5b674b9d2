"""The seed newsroom as the tests expect it (the copy of the wire report in fixtures/)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "fixtures" / "wire" / "000_286466b8b7328494.txt"
SEED_TEXT = SEED_FILE.read_text(encoding="utf-8")

# What a careful editor links the seed report to.
SEED_PEOPLE = {"zakir-hasanov"}
SEED_PLACES = {
    "south-caucasus",
    "azerbaijan",
    "armenia",
    "nagorno-karabakh",
    "ganja",
    "mingachevir",
    "khizi",
    "absheron",
}
SEED_SOURCES = {"trend"}
