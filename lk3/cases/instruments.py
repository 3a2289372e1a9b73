"""Assessment instruments as data: the schema, its checks, the answers and the score.

An instrument's form lives in ``Instrument.schema`` (JSON) in the shape of
``Schema`` below. Its questions and labels are data written in Indonesian
(they are not msgids); the messages about answers are ours and translated.

Rules:
- ``schema_check`` refuses anything it does not know (a typo such as
  ``"reversed"`` is a problem, not a silently ignored key), so a published
  instrument always scores the way it reads.
- A question is scored when it can be (a scale, yes/no, a choice whose
  options carry scores, a number marked ``scored``) unless it says
  ``"scored": false``. A reverse item counts from the other end
  (``min + max - answer``; for yes/no, "no" scores). ``weight`` multiplies.
- ``sum`` adds the scored answers; ``mean`` is the weighted mean of the
  answered ones (weights must then be positive); ``none`` gives no score.
- Bands interpret a score: each band starts at its ``min`` and runs to the
  next band's; the first must start at or below the lowest possible score.
- ``higher_is`` says which way is better, for the charts and the colours.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, NotRequired, TypedDict

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

SCHEMA_VERSION = 1
QuestionType = Literal["scale", "yes_no", "choice", "number", "text"]
QUESTION_TYPES: tuple[str, ...] = ("scale", "yes_no", "choice", "number", "text")
METHODS = ("sum", "mean", "none")
TONES = ("ok", "warning", "error")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Question codes become form field names next to these.
RESERVED_CODES = frozenset(
    {"assessed_on", "narrative", "version", "instrument_version", "note", "csrfmiddlewaretoken"}
)
MAX_SCALE_POINTS = 11
TEXT_MAX_LENGTH = 5000
SCORE_STEP = Decimal("0.01")

ANSWER_REQUIRED = _("“%(question)s” needs an answer.")
ANSWER_OUT_OF_RANGE = _("“%(question)s”: choose a value from %(min)s to %(max)s.")
ANSWER_NOT_AN_OPTION = _("“%(question)s”: choose one of the options.")
ANSWER_YES_OR_NO = _("“%(question)s”: answer yes or no.")
ANSWER_NOT_A_NUMBER = _("“%(question)s”: enter a number.")
ANSWER_NUMBER_TOO_SMALL = _("“%(question)s”: enter at least %(min)s.")
ANSWER_NUMBER_TOO_LARGE = _("“%(question)s”: enter at most %(max)s.")
ANSWER_WHOLE_NUMBER = _("“%(question)s”: enter a whole number.")
ANSWER_TOO_MANY_DECIMALS = _("“%(question)s”: enter at most %(decimals)s digits after the comma.")
ANSWER_TOO_LONG = _("“%(question)s”: write at most %(max)s characters.")
ANSWER_NOT_TEXT = _("“%(question)s”: write the answer as text.")
ANSWER_UNKNOWN = _("“%(code)s” is not a question of this instrument.")
YES = _("Yes")
NO = _("No")


class Option(TypedDict):
    value: str
    label: str
    score: NotRequired[int | float]


class Question(TypedDict):
    code: str
    label: str
    type: QuestionType
    required: NotRequired[bool]
    help: NotRequired[str]
    min: NotRequired[int | float]
    max: NotRequired[int | float]
    anchors: NotRequired[dict[str, str]]
    options: NotRequired[list[Option]]
    decimals: NotRequired[int]
    max_length: NotRequired[int]
    weight: NotRequired[int | float]
    reverse: NotRequired[bool]
    scored: NotRequired[bool]
    subscale: NotRequired[str]


class Section(TypedDict):
    code: str
    title: str
    help: NotRequired[str]
    questions: list[Question]


class Subscale(TypedDict):
    code: str
    label: str


class Band(TypedDict):
    min: int | float
    label: str
    tone: NotRequired[Literal["ok", "warning", "error"]]


class Scoring(TypedDict):
    method: Literal["sum", "mean", "none"]
    higher_is: NotRequired[Literal["better", "worse"]]
    bands: NotRequired[list[Band]]
    subscales: NotRequired[list[Subscale]]


class Schema(TypedDict):
    schema_version: int
    description: NotRequired[str]
    sections: list[Section]
    scoring: Scoring


SCHEMA_KEYS = {"schema_version", "description", "sections", "scoring"}
SECTION_KEYS = {"code", "title", "help", "questions"}
COMMON_KEYS = {"code", "label", "type", "required", "help"}
SCORING_KEYS = {"weight", "scored", "subscale"}
QUESTION_KEYS: dict[str, set[str]] = {
    "scale": COMMON_KEYS | SCORING_KEYS | {"min", "max", "anchors", "reverse"},
    "yes_no": COMMON_KEYS | SCORING_KEYS | {"reverse"},
    "choice": COMMON_KEYS | SCORING_KEYS | {"options"},
    "number": COMMON_KEYS | SCORING_KEYS | {"min", "max", "decimals"},
    "text": COMMON_KEYS | {"max_length"},
}
OPTION_KEYS = {"value", "label", "score"}
SCORING_SPEC_KEYS = {"method", "higher_is", "bands", "subscales"}
BAND_KEYS = {"min", "label", "tone"}


# -- reading a (checked) schema ------------------------------------------------------------


def questions(schema: Schema) -> list[Question]:
    return [question for section in schema["sections"] for question in section["questions"]]


def is_scored(question: Question) -> bool:
    kind = question["type"]
    if kind == "text" or not question.get("scored", True):
        return False
    if kind == "choice":
        return any("score" in option for option in question.get("options", []))
    if kind == "number":
        return bool(question.get("scored", False))
    return True


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decimal(value: object) -> Decimal:
    return Decimal(str(value))


def _item_value(question: Question, answer: object) -> Decimal | None:
    """The answer as a number on the item's own scale (reverse applied), before the weight."""
    kind = question["type"]
    if kind == "scale" and _is_number(answer):
        low, high = _decimal(question["min"]), _decimal(question["max"])
        value = _decimal(answer)
        return low + high - value if question.get("reverse") else value
    if kind == "yes_no" and isinstance(answer, bool):
        present = answer != bool(question.get("reverse"))
        return Decimal(1) if present else Decimal(0)
    if kind == "choice" and isinstance(answer, str):
        for option in question.get("options", []):
            if option["value"] == answer and "score" in option:
                return _decimal(option["score"])
        return None
    if kind == "number" and _is_number(answer):
        return _decimal(answer)
    return None


def _item_range(question: Question) -> tuple[Decimal, Decimal]:
    kind = question["type"]
    if kind == "yes_no":
        return Decimal(0), Decimal(1)
    if kind == "choice":
        scores = [_decimal(option["score"]) for option in question.get("options", [])]
        return min(scores), max(scores)
    return _decimal(question["min"]), _decimal(question["max"])


def _weight(question: Question) -> Decimal:
    return _decimal(question.get("weight", 1))


def _combine(method: str, items: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """``items`` are (value, weight) pairs of the answered scored questions."""
    if method == "none" or not items:
        return None
    total = sum((value * weight for value, weight in items), Decimal(0))
    if method == "mean":
        total /= sum((weight for _value, weight in items), Decimal(0))
    return total.quantize(SCORE_STEP, rounding=ROUND_HALF_UP)


def _scored_items(
    schema: Schema, answers: Mapping[str, object], subscale: str | None = None
) -> list[tuple[Decimal, Decimal]]:
    items = []
    for question in questions(schema):
        if not is_scored(question):
            continue
        if subscale is not None and question.get("subscale") != subscale:
            continue
        value = _item_value(question, answers.get(question["code"]))
        if value is not None:
            items.append((value, _weight(question)))
    return items


def score(schema: Schema, answers: Mapping[str, object]) -> Decimal | None:
    """The instrument's score for checked answers, or None (no scoring, nothing scored answered)."""
    return _combine(schema["scoring"]["method"], _scored_items(schema, answers))


def subscale_scores(
    schema: Schema, answers: Mapping[str, object]
) -> list[tuple[str, Decimal | None]]:
    """(label, score) per subscale, scored like the whole instrument."""
    scoring = schema["scoring"]
    return [
        (
            subscale["label"],
            _combine(scoring["method"], _scored_items(schema, answers, subscale["code"])),
        )
        for subscale in scoring.get("subscales", [])
    ]


def score_range(schema: Schema) -> tuple[Decimal, Decimal] | None:
    """The lowest and the highest score the instrument can give (for chart axes and bands)."""
    method = schema["scoring"]["method"]
    scored = [question for question in questions(schema) if is_scored(question)]
    if method == "none" or not scored:
        return None
    if method == "mean":
        ranges = [_item_range(question) for question in scored]
        return min(low for low, _high in ranges), max(high for _low, high in ranges)
    low = high = Decimal(0)
    for question in scored:
        first, last = (bound * _weight(question) for bound in _item_range(question))
        low += min(first, last)
        high += max(first, last)
    return low, high


@dataclass(frozen=True)
class Interpretation:
    label: str
    tone: str


def band_for(schema: Schema, value: Decimal | None) -> Interpretation | None:
    if value is None:
        return None
    found = None
    for band in schema["scoring"].get("bands", []):
        if value >= _decimal(band["min"]):
            found = Interpretation(label=band["label"], tone=band.get("tone", ""))
    return found


def higher_is_better(schema: Schema) -> bool:
    return schema["scoring"].get("higher_is", "better") == "better"


# -- answers --------------------------------------------------------------------------------


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _format(value: int | float) -> str:
    return number_format(_decimal(value).normalize(), use_l10n=True)


def _on_scale(value: object, low: int | float, high: int | float) -> bool:
    if not _is_number(value):
        return False
    number = _decimal(value)
    return number == number.to_integral_value() and low <= number <= high


def _answer_problem(question: Question, value: object) -> str | None:
    name = question["label"]
    kind = question["type"]
    if kind == "scale":
        low, high = question["min"], question["max"]
        if not _on_scale(value, low, high):
            return str(ANSWER_OUT_OF_RANGE % {"question": name, "min": low, "max": high})
    elif kind == "yes_no":
        if not isinstance(value, bool):
            return str(ANSWER_YES_OR_NO % {"question": name})
    elif kind == "choice":
        values = {option["value"] for option in question.get("options", [])}
        if value not in values:
            return str(ANSWER_NOT_AN_OPTION % {"question": name})
    elif kind == "number":
        return _number_problem(question, value)
    elif not isinstance(value, str):
        return str(ANSWER_NOT_TEXT % {"question": name})
    elif len(value) > question.get("max_length", TEXT_MAX_LENGTH):
        limit = question.get("max_length", TEXT_MAX_LENGTH)
        return str(ANSWER_TOO_LONG % {"question": name, "max": limit})
    return None


def _number_problem(question: Question, value: object) -> str | None:
    name = question["label"]
    if not _is_number(value):
        return str(ANSWER_NOT_A_NUMBER % {"question": name})
    number = _decimal(value)
    if not number.is_finite():
        return str(ANSWER_NOT_A_NUMBER % {"question": name})
    if "min" in question and number < _decimal(question["min"]):
        return str(ANSWER_NUMBER_TOO_SMALL % {"question": name, "min": _format(question["min"])})
    if "max" in question and number > _decimal(question["max"]):
        return str(ANSWER_NUMBER_TOO_LARGE % {"question": name, "max": _format(question["max"])})
    decimals = question.get("decimals", 0)
    if number != number.quantize(Decimal(1).scaleb(-decimals)):
        if decimals == 0:
            return str(ANSWER_WHOLE_NUMBER % {"question": name})
        return str(ANSWER_TOO_MANY_DECIMALS % {"question": name, "decimals": decimals})
    return None


def answers_check(schema: Schema, answers: Mapping[str, object]) -> dict[str, str]:
    """What is wrong with the answers, by question code; empty when they may be saved."""
    problems: dict[str, str] = {}
    known = {question["code"] for question in questions(schema)}
    for code in answers:
        if code not in known:
            problems[code] = str(ANSWER_UNKNOWN % {"code": code})
    for question in questions(schema):
        value = answers.get(question["code"])
        if _is_blank(value):
            if question.get("required"):
                problems[question["code"]] = str(ANSWER_REQUIRED % {"question": question["label"]})
            continue
        problem = _answer_problem(question, value)
        if problem is not None:
            problems[question["code"]] = problem
    return problems


def answers_clean(schema: Schema, answers: Mapping[str, object]) -> dict[str, object]:
    """Checked answers as stored: blanks left out, text trimmed, in the schema's order."""
    clean: dict[str, object] = {}
    for question in questions(schema):
        value = answers.get(question["code"])
        if _is_blank(value):
            continue
        clean[question["code"]] = value.strip() if isinstance(value, str) else value
    return clean


def answer_display(question: Question, value: object) -> str:
    """An answer as the form offered it (the anchor or option label, yes or no)."""
    if _is_blank(value):
        return ""
    kind = question["type"]
    if kind == "yes_no":
        return str(YES if value else NO)
    if kind == "choice":
        labels = {option["value"]: option["label"] for option in question.get("options", [])}
        return labels.get(str(value), str(value))
    if kind == "scale":
        anchor = question.get("anchors", {}).get(str(value))
        return f"{value} — {anchor}" if anchor else str(value)
    if kind == "number" and _is_number(value):
        return _format(value)  # type: ignore[arg-type]
    return str(value)


@dataclass(frozen=True)
class AnswerRow:
    code: str
    label: str
    answer: str


@dataclass(frozen=True)
class SectionRows:
    title: str
    rows: list[AnswerRow]


def answers_display(schema: Schema, answers: Mapping[str, object]) -> list[SectionRows]:
    return [
        SectionRows(
            title=section["title"],
            rows=[
                AnswerRow(
                    code=question["code"],
                    label=question["label"],
                    answer=answer_display(question, answers.get(question["code"])),
                )
                for question in section["questions"]
            ],
        )
        for section in schema["sections"]
    ]


# -- checking a schema ------------------------------------------------------------------------


class _Checker:
    """Collects problems as ``path: what is wrong`` (for whoever writes instruments)."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.codes: set[str] = set()
        self.subscales_used: set[str] = set()

    def add(self, path: str, problem: str) -> None:
        self.problems.append(f"{path}: {problem}")

    def keys(self, path: str, value: Mapping[str, Any], allowed: set[str]) -> None:
        for key in sorted(set(value) - allowed):
            self.add(f"{path}.{key}", "unknown key")

    def text(self, path: str, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            self.add(path, "must be a non-empty text")

    def code(self, path: str, value: object) -> None:
        if not isinstance(value, str) or not CODE_PATTERN.match(value):
            self.add(path, "must be lowercase letters, digits and _ (starting with a letter)")

    def flag(self, path: str, value: Mapping[str, Any], key: str) -> None:
        if key in value and not isinstance(value[key], bool):
            self.add(f"{path}.{key}", "must be true or false")

    def number(self, path: str, value: object) -> bool:
        if not _is_number(value) or not _decimal(value).is_finite():
            self.add(path, "must be a number")
            return False
        return True


def schema_check(schema: object) -> list[str]:
    """Every problem of an instrument schema; an empty list means it may be published."""
    check = _Checker()
    if not isinstance(schema, dict):
        return ["schema: must be an object"]
    check.keys("schema", schema, SCHEMA_KEYS)
    if schema.get("schema_version") != SCHEMA_VERSION:
        check.add("schema_version", f"must be {SCHEMA_VERSION}")
    if "description" in schema and not isinstance(schema["description"], str):
        check.add("description", "must be a text")
    scoring = schema.get("scoring")
    subscales = _check_scoring_spec(check, scoring)
    sections = schema.get("sections")
    if not isinstance(sections, list) or not sections:
        check.add("sections", "must be a non-empty list")
        return check.problems
    for index, section in enumerate(sections):
        _check_section(check, f"sections[{index}]", section, subscales, scoring)
    for code in sorted(subscales - check.subscales_used):
        check.add("scoring.subscales", f"{code} has no scored question")
    if not check.problems:
        _check_scores(check, schema)  # type: ignore[arg-type]
    return check.problems


def _check_scoring_spec(check: _Checker, scoring: object) -> set[str]:
    if not isinstance(scoring, dict):
        check.add("scoring", "must be an object")
        return set()
    check.keys("scoring", scoring, SCORING_SPEC_KEYS)
    method = scoring.get("method")
    if method not in METHODS:
        check.add("scoring.method", f"must be one of {', '.join(METHODS)}")
    if method != "none" and scoring.get("higher_is") not in ("better", "worse"):
        check.add("scoring.higher_is", "must be better or worse")
    bands = scoring.get("bands", [])
    if not isinstance(bands, list):
        check.add("scoring.bands", "must be a list")
    else:
        _check_bands(check, bands)
    subscales: set[str] = set()
    for index, subscale in enumerate(scoring.get("subscales", [])):
        path = f"scoring.subscales[{index}]"
        if not isinstance(subscale, dict):
            check.add(path, "must be an object")
            continue
        check.keys(path, subscale, {"code", "label"})
        check.code(f"{path}.code", subscale.get("code"))
        check.text(f"{path}.label", subscale.get("label"))
        if subscale.get("code") in subscales:
            check.add(f"{path}.code", "is used twice")
        subscales.add(str(subscale.get("code")))
    return subscales


def _check_bands(check: _Checker, bands: list[Any]) -> None:
    previous: Decimal | None = None
    for index, band in enumerate(bands):
        path = f"scoring.bands[{index}]"
        if not isinstance(band, dict):
            check.add(path, "must be an object")
            continue
        check.keys(path, band, BAND_KEYS)
        check.text(f"{path}.label", band.get("label"))
        if "tone" in band and band["tone"] not in TONES:
            check.add(f"{path}.tone", f"must be one of {', '.join(TONES)}")
        if not check.number(f"{path}.min", band.get("min")):
            continue
        start = _decimal(band["min"])
        if previous is not None and start <= previous:
            check.add(f"{path}.min", "must be greater than the previous band's")
        previous = start


def _check_section(
    check: _Checker, path: str, section: object, subscales: set[str], scoring: object
) -> None:
    if not isinstance(section, dict):
        check.add(path, "must be an object")
        return
    check.keys(path, section, SECTION_KEYS)
    check.code(f"{path}.code", section.get("code"))
    check.text(f"{path}.title", section.get("title"))
    items = section.get("questions")
    if not isinstance(items, list) or not items:
        check.add(f"{path}.questions", "must be a non-empty list")
        return
    method = scoring.get("method") if isinstance(scoring, dict) else None
    for index, question in enumerate(items):
        _check_question(check, f"{path}.questions[{index}]", question, subscales, method)


def _check_question(
    check: _Checker, path: str, question: object, subscales: set[str], method: object
) -> None:
    if not isinstance(question, dict):
        check.add(path, "must be an object")
        return
    kind = question.get("type")
    if kind not in QUESTION_TYPES:
        check.add(f"{path}.type", f"must be one of {', '.join(QUESTION_TYPES)}")
        return
    check.keys(path, question, QUESTION_KEYS[kind])
    code = question.get("code")
    check.code(f"{path}.code", code)
    if code in RESERVED_CODES:
        check.add(f"{path}.code", "is reserved for the form")
    elif code in check.codes:
        check.add(f"{path}.code", "is used twice")
    check.codes.add(str(code))
    check.text(f"{path}.label", question.get("label"))
    for key in ("required", "reverse", "scored"):
        check.flag(path, question, key)
    if "help" in question and not isinstance(question["help"], str):
        check.add(f"{path}.help", "must be a text")
    {
        "scale": _check_scale,
        "yes_no": _check_nothing,
        "choice": _check_choice,
        "number": _check_number,
        "text": _check_text,
    }[kind](check, path, question)
    _check_question_scoring(check, path, question, subscales, method)


def _check_nothing(check: _Checker, path: str, question: dict[str, Any]) -> None:
    return None


def _check_scale(check: _Checker, path: str, question: dict[str, Any]) -> None:
    low, high = question.get("min"), question.get("max")
    if not isinstance(low, int) or isinstance(low, bool):
        check.add(f"{path}.min", "must be a whole number")
        return
    if not isinstance(high, int) or isinstance(high, bool):
        check.add(f"{path}.max", "must be a whole number")
        return
    if high <= low:
        check.add(f"{path}.max", "must be greater than min")
    elif high - low + 1 > MAX_SCALE_POINTS:
        check.add(f"{path}.max", f"a scale has at most {MAX_SCALE_POINTS} points")
    anchors = question.get("anchors", {})
    if not isinstance(anchors, dict):
        check.add(f"{path}.anchors", "must be an object")
        return
    for key, label in anchors.items():
        if not (isinstance(key, str) and key.lstrip("-").isdigit() and low <= int(key) <= high):
            check.add(f"{path}.anchors.{key}", "must be a point of the scale")
        check.text(f"{path}.anchors.{key}", label)


def _check_choice(check: _Checker, path: str, question: dict[str, Any]) -> None:
    options = question.get("options")
    if not isinstance(options, list) or len(options) < 2:
        check.add(f"{path}.options", "must list at least two options")
        return
    values: set[str] = set()
    with_score = 0
    for index, option in enumerate(options):
        option_path = f"{path}.options[{index}]"
        if not isinstance(option, dict):
            check.add(option_path, "must be an object")
            continue
        check.keys(option_path, option, OPTION_KEYS)
        check.code(f"{option_path}.value", option.get("value"))
        check.text(f"{option_path}.label", option.get("label"))
        if option.get("value") in values:
            check.add(f"{option_path}.value", "is used twice")
        values.add(str(option.get("value")))
        if "score" in option:
            with_score += 1
            check.number(f"{option_path}.score", option["score"])
    if 0 < with_score < len(options):
        check.add(f"{path}.options", "either every option has a score or none has")


def _check_number(check: _Checker, path: str, question: dict[str, Any]) -> None:
    bounds_ok = all(
        check.number(f"{path}.{key}", question[key]) for key in ("min", "max") if key in question
    )
    if bounds_ok and "min" in question and "max" in question and question["max"] < question["min"]:
        check.add(f"{path}.max", "must not be less than min")
    decimals = question.get("decimals", 0)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 4:
        check.add(f"{path}.decimals", "must be a whole number from 0 to 4")
    if question.get("scored") and not ("min" in question and "max" in question):
        check.add(f"{path}.scored", "a scored number needs min and max")


def _check_text(check: _Checker, path: str, question: dict[str, Any]) -> None:
    limit = question.get("max_length", TEXT_MAX_LENGTH)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= TEXT_MAX_LENGTH:
        check.add(f"{path}.max_length", f"must be a whole number from 1 to {TEXT_MAX_LENGTH}")


def _check_question_scoring(
    check: _Checker, path: str, question: dict[str, Any], subscales: set[str], method: object
) -> None:
    if question["type"] == "text":
        return
    options = question.get("options", [])
    scorable = question["type"] != "choice" or any(
        isinstance(option, dict) and "score" in option for option in options
    )
    if question.get("scored") is True and not scorable:
        check.add(f"{path}.scored", "the options have no scores")
    scored = scorable and question.get("scored", question["type"] != "number")
    if "weight" in question and check.number(f"{path}.weight", question["weight"]):
        if question["weight"] == 0:
            check.add(f"{path}.weight", "must not be 0 (mark the question scored: false)")
        elif method == "mean" and question["weight"] < 0:
            check.add(f"{path}.weight", "must be positive when the score is a mean")
    if "subscale" in question:
        if not scored:
            check.add(f"{path}.subscale", "only a scored question belongs to a subscale")
        elif question["subscale"] not in subscales:
            check.add(f"{path}.subscale", "is not one of scoring.subscales")
        else:
            check.subscales_used.add(question["subscale"])


def _check_scores(check: _Checker, schema: Schema) -> None:
    method = schema["scoring"]["method"]
    limits = score_range(schema)
    if method != "none" and limits is None:
        check.add("scoring.method", "no question is scored")
        return
    bands = schema["scoring"].get("bands", [])
    if method == "none" and bands:
        check.add("scoring.bands", "an instrument without a score has no bands")
    if limits is not None and bands and _decimal(bands[0]["min"]) > limits[0]:
        check.add(
            "scoring.bands[0].min", f"must be at most the lowest possible score ({limits[0]})"
        )
