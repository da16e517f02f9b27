"""How an issue reads: the plain-text and the HTML part of the mail, and the parts the web and
paper versions draw.

A block's text is plain text (what the redactie edits): paragraphs split by an empty line,
lines that start with "- " are a list, and addresses (http...) become links. ``parts`` turns
it into that structure once, so no template parses text; the templates escape everything.
"""

import re
from dataclasses import dataclass, field

from portal.mail import render_text

LINK = re.compile(r"(https?://[^\s)]+)")


@dataclass(frozen=True)
class Piece:
    text: str
    href: str = ""


@dataclass
class Part:
    kind: str  # "p" or "ul"
    items: list[list[Piece]] = field(default_factory=list)  # a paragraph's lines, or a list's items


@dataclass
class BlockView:
    kind: str
    heading: str
    text: str
    parts: list[Part]
    rows: list[list[str]]  # the agenda's lines as "when | what | where" (the paper version's table)


def pieces(line: str) -> list[Piece]:
    result = []
    for index, chunk in enumerate(LINK.split(line)):
        if chunk:
            result.append(Piece(chunk, chunk if index % 2 else ""))
    return result


def parts(text: str) -> list[Part]:
    result: list[Part] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        current: Part | None = None
        for line in (line.strip() for line in paragraph.splitlines()):
            if not line:
                continue
            kind = "ul" if line.startswith("- ") else "p"
            if current is None or current.kind != kind:
                current = Part(kind)
                result.append(current)
            current.items.append(pieces(line[2:] if kind == "ul" else line))
    return result


def agenda_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("- ") and " | " in line:
            cells = [cell.strip() for cell in line[2:].split(" | ")]
            rows.append((cells + ["", ""])[:3])
    return rows


def block_views(newsletter) -> list[BlockView]:
    """The blocks with something to say (an emptied block is left out)."""
    return [BlockView(block.kind, block.heading, block.text, parts(block.text),
                      agenda_rows(block.text) if block.kind == "agenda" else [])
            for block in newsletter.blocks if block.text.strip() or block.heading.strip()]


def text_version(context: dict) -> str:
    return render_text("newsletter/mail/issue.txt", **context, blocks=block_views(context["newsletter"]),
                       intro_parts=parts(context["newsletter"].intro))


def html_version(context: dict) -> str:
    return render_text("newsletter/mail/issue.html", **context, blocks=block_views(context["newsletter"]),
                       intro_parts=parts(context["newsletter"].intro))
