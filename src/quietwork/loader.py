"""Safe loading of practice files, with every problem as `path:line:col: field: message`."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from quietwork.errors import PracticeFileError
from quietwork.files import Unreadable, not_utf8, read_regular
from quietwork.text import listed

if TYPE_CHECKING:
    from pydantic import ValidationError

    from quietwork.practice import Practice

MAX_BYTES = 1024 * 1024
# A practice nests about 4 levels deep. libyaml's composer recurses in C: some 30,000
# nested brackets (a 60 KB file) overflow the stack and kill the process.
MAX_DEPTH = 50

# libyaml parses about 8x faster; the pure-Python safe loader is the fallback.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path) -> str:
    """The file's text, refusing what is not a regular file, too large, or not UTF-8."""
    shown = str(path)
    try:
        data = read_regular(path, MAX_BYTES)
    except Unreadable as exc:
        if exc.size is not None:
            raise PracticeFileError(
                [f"{shown}: the file is {exc.size:,} bytes; practice files are limited to 1 MiB"]
            ) from None
        raise PracticeFileError([f"{shown}: cannot be read: {exc.reason}"]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where, byte = not_utf8(exc)
        raise PracticeFileError([f"{shown}:{where}: the file is not UTF-8 text ({byte})"]) from None


def where_of(mark: Any) -> str:
    """A YAML mark (0-based) as the `line:col` people and editors count from 1."""
    return f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"


def parse_yaml(text: str, shown: str) -> tuple[Any, list[tuple[int, int, str]]]:
    """The YAML document, refusing anchors, aliases and deep nesting before anything is built,
    and the keys given twice in it as (line, col, problem), for the file's other problems."""
    depth = 0
    keys = _Keys(shown)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise PracticeFileError([_too_deep(shown, event.start_mark)])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            keys.see(event)
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor is not None:
                mark = event.start_mark
                where = where_of(mark)
                raise PracticeFileError(
                    [
                        f"{shown}:{where}: YAML anchors and aliases"
                        " (&name, *name) are not allowed in practice files"
                    ]
                )
        return yaml.load(text, Loader=_Loader), keys.twice  # a safe loader: no Python objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _is_nesting_limit(exc.problem):
            # The parser's own limit (libyaml >= 0.2.6 stops near depth 1000, and it scans
            # ahead of the events, so it can fire before the count above sees depth 50).
            raise PracticeFileError([_too_deep(shown, mark)]) from None
        where = where_of(mark)
        problem = exc.problem or exc.context or "invalid YAML"
        context = exc.context_mark
        if exc.context and context and (not mark or context.line != mark.line):
            # an unclosed quote or bracket is found far below where it starts
            problem += f" ({exc.context} at {where_of(context)})"
        if "could not determine a constructor" in problem:
            problem = "unsupported YAML tag" + problem.split("tag", 1)[-1]
        raise PracticeFileError([f"{shown}:{where}: invalid YAML: {problem}"]) from None
    except yaml.reader.ReaderError as exc:
        # Not a marked error: the refused character is the first of its kind in the text.
        code = exc.character if isinstance(exc.character, int) else None
        at = text.find(chr(code)) if code is not None else -1
        line, col = (1, 1)
        if at >= 0:
            line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        what = f" (U+{code:04X})" if code is not None else ""
        problem = f"{shown}:{line}:{col}: invalid YAML: {exc.reason}{what}"
        raise PracticeFileError([problem]) from None
    except yaml.YAMLError as exc:
        problem = " ".join(str(exc).split())  # one line, as every problem is
        raise PracticeFileError([f"{shown}:1:1: invalid YAML: {problem}"]) from None


class _Keys:
    """The keys of every mapping, followed through the parse events: a key given twice is
    a problem (YAML loaders silently keep the last, so `title: A` then `title: B` showed B).
    """

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.twice: list[tuple[int, int, str]] = []
        # Per open collection: a mapping's keys (name -> line) and the key whose value is
        # being read (None: a key comes next), or a sequence's count of items so far.
        self._open: list[tuple[dict[str, int], list[str | None]] | list[int]] = []

    def see(self, event: Any) -> None:
        if isinstance(event, yaml.CollectionEndEvent):
            self._open.pop()
            self._done()
        elif isinstance(event, yaml.MappingStartEvent):
            self._open.append(({}, [None]))
        elif isinstance(event, yaml.SequenceStartEvent):
            self._open.append([0])
        elif isinstance(event, yaml.ScalarEvent):
            top = self._open[-1] if self._open else None
            if isinstance(top, tuple) and top[1][0] is None:  # a key
                seen, _ = top
                mark = event.start_mark
                line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                if event.value in seen:
                    self.twice.append((line, col, f"{self.shown}:{line}:{col}: "
                                       f"{self._path(event.value)}: set twice (first on line "
                                       f"{seen[event.value]})"))
                else:
                    seen[event.value] = line
                top[1][0] = event.value
                return
            self._done()

    def _done(self) -> None:
        """A value is complete: its mapping expects a key next, its sequence counts it."""
        if not self._open:
            return
        top = self._open[-1]
        if isinstance(top, tuple):
            top[1][0] = None
        else:
            top[0] += 1

    def _path(self, key: str) -> str:
        """Where the key is, as the other problems name a field (`steps[2].seconds`)."""
        parts = []
        for level in self._open[:-1]:
            if isinstance(level, tuple):
                parts.append(f".{level[1][0]}")
            else:
                parts.append(f"[{level[0] + 1}]" if parts else f"{level[0] + 1}")
        return ("".join(parts) + f".{key}").lstrip(".")


def _too_deep(shown: str, mark: Any) -> str:
    """The one message for a file nested too deeply, whoever noticed it first."""
    return (
        f"{shown}:{where_of(mark)}: invalid YAML: nested too deeply"
        f" (more than {MAX_DEPTH} levels of lists and mappings)"
    )


def _is_nesting_limit(problem: str | None) -> bool:
    """Whether a parser error is a nesting limit of the parser's own (its wording varies)."""
    words = (problem or "").lower()
    return "nesting" in words or "depth" in words or "recursion" in words


# What goes under a step's one key, as an example for a step given none.
_SETTINGS = {"breathe": "inhale: 4, exhale: 6, breaths: 5",
             "track": "areas: [jaw, hands], seconds: 10"}


def load_practice(path: Path, shown: str | None = None) -> Practice:
    """Read, parse and validate one practice file, or raise PracticeFileError."""
    from pydantic import ValidationError

    from quietwork.schema import validate

    shown = shown or str(path)
    text = read_text(path)
    data, twice = parse_yaml(text, shown)
    if data is None:  # nothing, only comments, or an empty document
        raise PracticeFileError([f"{shown}:1:1: the file is empty; a practice needs a title,"
                                 " a summary and steps"])
    if not isinstance(data, dict):
        raise PracticeFileError([f"{shown}:1:1: a practice file is a mapping of keys"
                                 " (title, summary, steps, ...), not a "
                                 f"{type(data).__name__}", *(p for _, _, p in twice)])
    try:
        practice = validate(data)
    except ValidationError as exc:
        raise PracticeFileError(_locate(exc, text, shown, twice), file=shown) from None
    if twice:  # valid with the last of each (what YAML keeps), but not what was meant
        raise PracticeFileError([problem for _, _, problem in twice], file=shown)
    return practice


def _locate(exc: ValidationError, text: str, shown: str,
            twice: list[tuple[int, int, str]]) -> list[str]:
    """Map pydantic's error locations onto the YAML nodes' lines and columns; with the keys
    given twice, in the order of the file."""
    root = yaml.compose(text, Loader=_Loader)
    problems = list(twice)
    for error in exc.errors():
        kind = error["type"]
        node, parts = _walk(root, error["loc"], key_node=kind == "extra_forbidden")
        message = error["msg"]
        field = "".join(parts).lstrip(".") or "(file)"
        if kind == "extra_forbidden":
            message = _unknown_key(str(error["loc"][-1]), *_known_keys(root, error["loc"][:-1]))
        elif kind == "missing":
            message = "required key missing"
        elif kind == "step_kind":
            if isinstance(node, yaml.MappingNode) and node.value:
                names = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
                message = f"unknown step kind '{names[0]}'" if names else message
                close = difflib.get_close_matches(str(names[0]), list(_step_kinds()), n=1)
                message += (f"; did you mean '{close[0]}'?" if close
                            else "; a step is one of say, breathe, checkin, track")
        elif kind in ("model_type", "dict_type") and parts and parts[-1][1:] in _SETTINGS:
            what = "is empty" if error.get("input") is None else "must be a mapping of keys"
            message = f"{what}: its settings go under it, indented ({_SETTINGS[parts[-1][1:]]})"
        elif kind == "string_pattern_mismatch":  # every pattern in the model means one line
            message = "must be a single line (no line breaks)"
        elif kind.startswith("value_error"):
            message = message.removeprefix("Value error, ")
        elif isinstance(error.get("input"), bool):
            message += " (YAML reads yes/no/on/off as true/false: put the text in quotes)"
        mark = node.start_mark if node is not None else None
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.append((line, col, f"{shown}:{line}:{col}: {field}: {message}"))
    return [text for _, _, text in sorted(problems, key=lambda p: (p[0], p[1]))]


def _step_kinds() -> tuple[str, ...]:
    from quietwork.practice import STEP_KINDS

    return STEP_KINDS


def _walk(
    root: yaml.Node | None, loc: tuple[int | str, ...], *, key_node: bool = False
) -> tuple[yaml.Node | None, list[str]]:
    """Follow a pydantic location through composed YAML; skip parts that are union tags."""
    node = root
    parts: list[str] = []
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if index and isinstance(loc[index - 1], int) and part in _step_kinds():
            continue  # the tag pydantic adds for the step's kind, not a key
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    parts.append(f".{part}")
                    # an unknown key is best shown at the key itself
                    node = key if last and key_node else value
                    break
            else:
                if last:
                    parts.append(f".{part}")
                continue
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
                parts.append(f"[{part + 1}]" if parts else f"{part + 1}")
                node = node.value[part]
    return node, parts


def _known_keys(root: yaml.Node | None, loc: tuple[int | str, ...]) -> tuple[str, list[str]]:
    """What holds an unknown key ("practice", "say step", "breathe", ...) and its keys."""
    from quietwork import schema as model

    node, parts = _walk(root, loc)
    path = "".join(parts)
    models: dict[str, type[Any]] = {
        "say": model.SayStep,
        "breathe": model.BreatheStep,
        "checkin": model.CheckinStep,
        "track": model.TrackStep,
    }
    if not parts:
        return "practice", list(model.Practice.model_fields)
    if path.endswith(".breathe"):
        return "breathe", list(model.Breath.model_fields)
    if path.endswith(".track") and isinstance(node, yaml.MappingNode):
        return "track", list(model.Track.model_fields)
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value in models:
                return f"{key.value} step", list(models[key.value].model_fields)
    return "", []


def _unknown_key(key: str, holder: str, known: list[str]) -> str:
    """What is wrong with an unknown key, said for where it is (`_known_keys`).

    A step of one key (breathe, checkin, track) has nothing else beside it: a key there is
    most often one that belongs under it, or the start of the next step.
    """
    from quietwork import schema as model

    inner = {"breathe step": list(model.Breath.model_fields),
             "track step": list(model.Track.model_fields)}.get(holder, [])
    kind = holder.removesuffix(" step")
    if holder.endswith(" step") and key in _step_kinds():
        return f"unknown key ('{key}' starts another step: give it a line of its own, '- {key}:')"
    if key in inner:
        return f"unknown key ('{key}' belongs under '{kind}:', indented)"
    close = difflib.get_close_matches(key, known + inner, n=1)
    if close:
        return f"unknown key; did you mean '{close[0]}'?"
    if holder == "practice" and key == "id":
        return "unknown key (a practice's id is its file's name)"
    if not known:
        return "unknown key"
    if holder.endswith(" step") and len(known) == 1:
        under = ", its settings indented under it" if inner else ""
        return f"unknown key (a {holder} has only '{kind}:'{under})"
    if holder.endswith(" step") or holder == "practice":
        return f"unknown key (a {holder} has {listed(known)})"
    return f"unknown key ({holder} takes {listed(known)})"


def validate_file(path: Path) -> list[str]:
    """Every problem in one file (empty when it is valid)."""
    try:
        load_practice(path)
    except PracticeFileError as exc:
        return exc.problems
    return []
