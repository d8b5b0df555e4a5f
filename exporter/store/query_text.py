"""A SPARQL text as people meet it: what is refused before it runs, and syntax errors they can read.

Oxigraph's parser reports an error as ``error at LINE:COLUMN: expected one of …``, listing
every token its grammar could have taken next, character classes included
(``['A' ..= 'Z' | 'a' ..= 'z' | '\\u{00C0}'..='\\u{00D6}' …]``) and across several lines. The
command line and the query page show instead the line and column, what was found there and
the tokens expected, a name or a number standing for the classes; and where the grammar
reports a meaning rather than a token (an unknown prefix), that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What lexes as a comment, string or IRI is blanked out before looking for keywords in a query.
_OPAQUE = re.compile(
    r"""<[^<>"{}|^`\\\s]*>|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\#[^\n]*""",
    re.DOTALL,
)
_KEYWORD = r"(?<![\w:?$]){}(?![\w:-])"
_UPDATE = re.compile(
    _KEYWORD.format("(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)"), re.IGNORECASE
)
_FORM = re.compile(_KEYWORD.format("(?:SELECT|CONSTRUCT|ASK|DESCRIBE)"), re.IGNORECASE)

UPDATE_REFUSED = "this endpoint is read-only: SPARQL updates are refused"


def refusal(query: str) -> str | None:
    """Why the query is refused before it runs, or ``None``: updates. (SERVICE is refused by the engine's
    sandbox, whatever its spelling: see :mod:`exporter.server.sandbox`.)"""
    code = _OPAQUE.sub(" ", query)
    update, form = _UPDATE.search(code), _FORM.search(code)
    if update and (form is None or update.start() < form.start()):
        return UPDATE_REFUSED
    return None


_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_CLASS = re.compile(r"\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]")  # a character class, quoted characters kept whole
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"$')


@dataclass(frozen=True)
class SyntaxProblem:
    """Where a query stopped making sense, and why, in words."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


def _class_name(text: str) -> str | None:
    """What a character class stands for in the grammar: the start of a name, a digit, or nothing worth saying."""
    if "'A'" in text:
        return "a name"
    if "'0'" in text:
        return "a number"
    return None


def _expected(listing: str) -> tuple[list[str], list[str]]:
    """The tokens the parser expected, and any sentences among them (meanings, not tokens)."""
    classes = [name for match in _CLASS.findall(listing) if (name := _class_name(match))]
    tokens, sentences = [], []
    for item in _CLASS.sub("", listing).split(", "):
        item = item.strip()
        if not item:
            continue
        quoted = _QUOTED.match(item)
        if quoted:
            tokens.append(quoted.group(1).encode().decode("unicode_escape"))
        elif " " in item:
            sentences.append(item)
        else:
            tokens.append(item)
    return tokens + list(dict.fromkeys(classes)), sentences


def _found(query: str, line: int, column: int) -> str:
    """The word (or character) at a position of the query, or the end of it."""
    lines = query.splitlines()
    rest = lines[line - 1][column - 1:] if 0 < line <= len(lines) else ""
    if not rest.strip() and all(not later.strip() for later in lines[line:]):
        return "end of the query"
    word = re.match(r"[\w:?$.-]+|\S", rest.lstrip())
    return f'"{word.group(0)}"' if word else "line break"


def _prefixed_name_before(query: str, line: int, column: int) -> tuple[str, int]:
    """The prefix (``foo:``) of the prefixed name that ends where the parser stopped, and the column it begins at."""
    lines = query.splitlines()
    before = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    found = re.search(r"([\w.-]*):[\w.%-]*\s*$", before)
    return (found.group(1) + ":", found.start() + 1) if found else (":", column)


def _token(token: str) -> str:
    """A keyword as it is (``OPTIONAL``), punctuation and the keyword ``a`` quoted, a class named (``a name``)."""
    return token if re.fullmatch(r"[A-Za-z][A-Za-z0-9]+|a (?:name|number)", token) else f'"{token}"'


def _form_problem(query: str) -> SyntaxProblem | None:
    """A query that does not begin (after PREFIX and BASE) with one of the four forms, said so at its first word."""
    code = _OPAQUE.sub(lambda match: " " * len(match.group(0)), query)
    prologue = re.match(r"(?:\s*(?:PREFIX\s+[\w.-]*:|BASE)\s*)*\s*", code, re.IGNORECASE)
    start = prologue.end() if prologue else 0
    word = re.match(r"\S+", code[start:])
    if word is None or _FORM.match(code, start):
        return None
    line = code.count("\n", 0, start) + 1
    column = start - (code.rfind("\n", 0, start) + 1) + 1
    return SyntaxProblem(line, column, f'a query begins with SELECT, CONSTRUCT, ASK or DESCRIBE (after any PREFIX '
                                       f'and BASE), not "{word.group(0)}"')


def syntax_problem(message: str, query: str) -> SyntaxProblem | None:
    """Oxigraph's syntax error in words, or ``None`` if the message is not a positioned syntax error."""
    matched = _POSITION.match(message.strip())
    if matched is None:
        return None
    if (form := _form_problem(query)) is not None:
        return form
    line, column, detail = int(matched.group(1)), int(matched.group(2)), matched.group(3)
    found = _found(query, line, column)
    if not detail.startswith("expected "):
        return SyntaxProblem(line, column, " ".join(detail.split()))
    listing = detail.removeprefix("expected ").removeprefix("one of ")
    tokens, sentences = _expected(listing)
    if sentences:
        meaning = sentences[0].rstrip(".")
        if meaning == "Prefix not found":
            prefix, column = _prefixed_name_before(query, line, column)
            return SyntaxProblem(line, column, f"unknown prefix {prefix} (declare it: PREFIX {prefix} <…>)")
        return SyntaxProblem(line, column, f"{meaning[0].lower()}{meaning[1:]}")
    if not tokens:
        return SyntaxProblem(line, column, f"unexpected {found}")
    shown = [_token(token) for token in tokens]
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
    return SyntaxProblem(line, column, f"unexpected {found}; expected {listed}")


def readable(message: str, query: str) -> str:
    """An error about ``query`` in one line a person reads: the syntax problem in words, or the message itself."""
    problem = syntax_problem(message, query)
    return str(problem) if problem else " ".join(message.split())
