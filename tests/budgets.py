"""Page weight, measured on real responses: the HTML plus every stylesheet and script it
loads, each as the server sends it compressed (what a slow line actually carries). A first
visit is measured twice: for a browser that accepts brotli, and for one that accepts only gzip
(old iPads' Safari; any browser over plain http)."""

import re

ASSET = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"')
EXTERNAL = re.compile(r'\s(?:src|href)="(?:https?:)?//', re.I)
FIRST_VISIT_BUDGET = 35 * 1024
MAP_PAGE_BUDGET = 80 * 1024
FRAGMENT_BUDGET = 4 * 1024
FIRST_VISIT_ENCODINGS = ("br, gzip", "gzip")


def transferred(response) -> int:
    """Bytes on the wire for the body (compressed when the server compressed it)."""
    return len(response.get_data())


def page_weight(client, path: str, headers: dict | None = None,
                encodings: str = "br, gzip") -> tuple[int, dict[str, int]]:
    """Total compressed bytes of a first visit to ``path`` by a browser that sends
    ``Accept-Encoding: <encodings>``, and the parts."""
    accept = {"Accept-Encoding": encodings, **(headers or {})}
    # A visitor's first answer is rendered (gzip by ISA-L, portal/compression.py), the next
    # ones may be a kept copy (gzip from parts, portal/pagecache.py): the heavier counts. The
    # stylesheet and scripts come with brotli when the browser takes it (portal/staticfiles.py).
    answers = [client.get(path, headers=accept) for _ in range(2)]
    assert all(answer.status_code == 200 for answer in answers), path
    parts = {path: max(len(answer.get_data()) for answer in answers)}
    text = client.get(path, headers=headers or {}).get_data(as_text=True)
    for url in ASSET.findall(text):
        if url.startswith("/static/") and not url.split("?")[0].endswith((".svg", ".png")):
            asset = client.get(url, headers=accept)
            assert asset.status_code == 200, url
            parts[url] = transferred(asset)
    return sum(parts.values()), parts


def assert_within_budget(client, path: str, budget: int = FIRST_VISIT_BUDGET, headers=None):
    """A first visit within ``budget``, with brotli and with gzip only; returns the heavier."""
    totals = []
    for encodings in FIRST_VISIT_ENCODINGS:
        total, parts = page_weight(client, path, headers, encodings)
        assert total <= budget, f"{path} (Accept-Encoding: {encodings}): {total} bytes > {budget}: {parts}"
        totals.append(total)
    return max(totals)


def assert_no_third_party(html: str):
    """Every script, style and image comes from the portal itself."""
    for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html, re.I):
        assert not EXTERNAL.search(tag), f"third-party resource: {tag}"
