"""What people write is shown as plain text: paragraphs, line breaks and links, never HTML.

``plain_text`` escapes every piece of the text and only then adds its own markup: ``<p>``
for paragraphs, ``<br>`` for single line breaks and a link for each http(s) address.
"""

import re

from markupsafe import Markup, escape

URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
TRAILING_PUNCTUATION = ".,;:!?)]}"


def plain_text(text: str | None) -> Markup:
    """Escaped text as paragraphs, with http(s) addresses as links (``rel="nofollow ugc"``)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return Markup("")
    paragraphs = [p.strip() for p in PARAGRAPH_BREAK.split(text) if p.strip()]
    return Markup("\n").join(Markup("<p>{}</p>").format(_paragraph(p)) for p in paragraphs)


def _paragraph(text: str) -> Markup:
    return Markup("<br>\n").join(_line(line) for line in text.split("\n"))


def _line(text: str) -> Markup:
    """Escape the text between addresses; turn each address into an escaped link."""
    pieces: list[Markup] = []
    position = 0
    for match in URL.finditer(text):
        url, trailing = _split_trailing_punctuation(match.group())
        pieces.append(escape(text[position : match.start()]))
        pieces.append(_link(url))
        pieces.append(escape(trailing))
        position = match.end()
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def _split_trailing_punctuation(url: str) -> tuple[str, str]:
    """A full stop or bracket after an address belongs to the sentence, not to the address."""
    stripped = url.rstrip(TRAILING_PUNCTUATION)
    if "(" in stripped and url[len(stripped) :].startswith(")"):
        stripped += ")"  # e.g. https://nl.wikipedia.org/wiki/Vleuten_(Utrecht)
    return stripped, url[len(stripped) :]


def _link(url: str) -> Markup:
    return Markup('<a href="{0}" rel="nofollow ugc">{0}</a>').format(url)
