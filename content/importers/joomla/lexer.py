"""The tokenizer: an SQL text as statements of tokens, with MySQL's string escapes, comments
and DELIMITER, and an error naming the statement when the text is cut short.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from content.importers.joomla.errors import JoomlaError


class Token(NamedTuple):
    """One token of a statement: kind is word, name (`quoted`), string, number, hex or punct."""

    kind: str
    value: str
    pos: int


@dataclass
class Statement:
    """The tokens of one statement, where it starts in the text, and on which line."""

    tokens: list[Token]
    pos: int
    line: int


_WORD_EXTRA = frozenset("_$")
_SPACE = frozenset(" \t\r\n\f\v")
_ESCAPES = {
    "0": "\0",
    "'": "'",
    '"': '"',
    "b": "\b",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "Z": "\x1a",
    "\\": "\\",
    "%": "\\%",  # MySQL keeps the backslash of \% and \_ (they matter only to LIKE)
    "_": "\\_",
}


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _read_quoted(text: str, pos: int) -> tuple[str, int]:
    """A '...' or "..." string from pos (at the quote): its value and the position after it."""
    quote = text[pos]
    i = pos + 1
    parts: list[str] = []
    while True:
        end = text.find(quote, i)
        if end == -1:
            raise _Unterminated("string", pos)
        slash = text.find("\\", i, end)
        if slash != -1:
            parts.append(text[i:slash])
            if slash + 1 >= len(text):
                raise _Unterminated("string", pos)
            escaped = text[slash + 1]
            parts.append(_ESCAPES.get(escaped, escaped))
            i = slash + 2
            continue
        parts.append(text[i:end])
        if text.startswith(quote, end + 1):  # '' inside '...' is one quote
            parts.append(quote)
            i = end + 2
            continue
        return "".join(parts), end + 1


def _read_backticked(text: str, pos: int) -> tuple[str, int]:
    i = pos + 1
    parts: list[str] = []
    while True:
        end = text.find("`", i)
        if end == -1:
            raise _Unterminated("quoted name", pos)
        parts.append(text[i:end])
        if text.startswith("`", end + 1):
            parts.append("`")
            i = end + 2
            continue
        return "".join(parts), end + 1


class _Unterminated(Exception):
    def __init__(self, what: str, pos: int) -> None:
        super().__init__(what)
        self.what = what
        self.pos = pos


def iter_statements(
    text: str, on_progress: Callable[[int], None] | None = None
) -> Iterator[Statement]:
    """The statements of an SQL text, comments left out; raises JoomlaError when it is cut short."""
    n = len(text)
    pos = 0
    line, line_pos = 1, 0
    delimiter = ";"
    tokens: list[Token] = []
    start = 0
    next_report = 1 << 20
    while True:
        # Whitespace and comments between tokens
        while pos < n:
            char = text[pos]
            if char in _SPACE:
                pos += 1
            elif (char == "#" or char == "-") and _starts_line_comment(text, pos):
                newline = text.find("\n", pos)
                pos = n if newline == -1 else newline + 1
            elif char == "/" and text.startswith("/*", pos):
                end = text.find("*/", pos + 2)
                if end == -1:
                    raise _truncated(text, tokens, start, "a comment", pos)
                pos = end + 2
            else:
                break
        if pos >= n:
            break
        if not tokens:
            line += text.count("\n", line_pos, pos)
            line_pos = start = pos
            if on_progress is not None and pos >= next_report:
                on_progress(pos)
                next_report = pos + (1 << 20)
            if text[pos : pos + 9].upper() == "DELIMITER" and text[pos + 9 : pos + 10] in _SPACE:
                newline = text.find("\n", pos)
                newline = n if newline == -1 else newline
                delimiter = text[pos + 9 : newline].strip() or ";"
                pos = newline
                continue
        if text.startswith(delimiter, pos):
            pos += len(delimiter)
            if tokens:
                yield Statement(tokens, start, line)
                tokens = []
            continue
        char = text[pos]
        try:
            if char == "'" or char == '"':
                value, end = _read_quoted(text, pos)
                tokens.append(Token("string", value, pos))
            elif char == "`":
                value, end = _read_backticked(text, pos)
                tokens.append(Token("name", value, pos))
            elif char.isdigit() or (char == "." and text[pos + 1 : pos + 2].isdigit()):
                end = _number_end(text, pos)
                token_text = text[pos:end]
                if end < n and (text[end].isalnum() or text[end] in _WORD_EXTRA):
                    end = _word_end(text, end)  # MySQL names may start with digits
                    tokens.append(Token("word", text[pos:end], pos))
                elif token_text[:2].lower() == "0x":
                    tokens.append(Token("hex", token_text[2:], pos))
                else:
                    tokens.append(Token("number", token_text, pos))
            elif char.isalpha() or char in _WORD_EXTRA or char == "#":
                end = _word_end(text, pos + (3 if char == "#" else 1))
                tokens.append(Token("word", text[pos:end], pos))
            else:
                end = pos + 1
                tokens.append(Token("punct", char, pos))
        except _Unterminated as cut:
            raise _truncated(text, tokens, start, f"a {cut.what}", cut.pos) from None
        pos = end
    if tokens:
        raise _truncated(text, tokens, start, "a statement", start)
    if on_progress is not None:
        on_progress(n)


def _starts_line_comment(text: str, pos: int) -> bool:
    """Whether '#' or '-- ' starts a comment here ('#__content' is Joomla's table placeholder)."""
    char = text[pos]
    if char == "#":
        return not (text.startswith("#__", pos) and text[pos + 3 : pos + 4].isalnum())
    return text.startswith("--", pos) and text[pos + 2 : pos + 3] in _SPACE_OR_END


_SPACE_OR_END = frozenset(" \t\r\n\f\v") | {""}


def _word_end(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and (text[pos].isalnum() or text[pos] in _WORD_EXTRA):
        pos += 1
    return pos


def _number_end(text: str, pos: int) -> int:
    n = len(text)
    if text[pos] == "0" and text[pos + 1 : pos + 2] in ("x", "X"):
        pos += 2
        while pos < n and text[pos] in "0123456789abcdefABCDEF":
            pos += 1
        return pos
    while pos < n and text[pos].isdigit():
        pos += 1
    if pos < n and text[pos] == ".":
        pos += 1
        while pos < n and text[pos].isdigit():
            pos += 1
    if pos < n and text[pos] in "eE":
        exponent = pos + 1
        if exponent < n and text[exponent] in "+-":
            exponent += 1
        if exponent < n and text[exponent].isdigit():
            pos = exponent
            while pos < n and text[pos].isdigit():
                pos += 1
    return pos


class Truncated(JoomlaError):
    """The text ends inside a statement, string or comment."""

    def __init__(self, message: str, first_word: str) -> None:
        super().__init__(message)
        self.first_word = first_word


def _truncated(text: str, tokens: list[Token], start: int, what: str, pos: int) -> Truncated:
    where = _describe_statement(tokens)
    first = tokens[0].value.upper() if tokens and tokens[0].kind == "word" else ""
    return Truncated(
        f"The dump ends inside {what} that begins on line {line_of(text, pos)}{where}; "
        "the file seems truncated.",
        first,
    )


def _describe_statement(tokens: list[Token]) -> str:
    """' (in INSERT INTO jos_content, row 17)' for an error message, or ''."""
    if not tokens or tokens[0].kind != "word":
        return ""
    verb = tokens[0].value.upper()
    names = [t.value for t in tokens[1:6] if t.kind == "name" or t.kind == "word"]
    table = next((v for v in names if v.upper() not in INSERT_WORDS | _CREATE_WORDS), "")
    if verb in ("INSERT", "REPLACE") and table:
        depth, rows, seen_values = 0, 0, False
        for token in tokens:
            if token.kind == "word" and token.value.upper() in ("VALUES", "VALUE"):
                seen_values = True
            elif seen_values and token.kind == "punct":
                if token.value == "(":
                    rows += depth == 0
                    depth += 1
                elif token.value == ")":
                    depth -= 1
        return f" (in INSERT INTO {table}, row {max(rows, 1)})"
    if verb == "CREATE" and table:
        return f" (in CREATE TABLE {table})"
    return f" (in a {verb} statement)"


INSERT_WORDS = frozenset({"INTO", "IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY"})
_CREATE_WORDS = frozenset({"TABLE", "TEMPORARY", "IF", "NOT", "EXISTS"})
