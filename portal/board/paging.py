"""A page of results for the ``pagination`` macro, when the count needs a query of its own."""

import math
from dataclasses import dataclass, field

from portal.extensions import db


@dataclass
class Page:
    page: int
    per_page: int
    total: int
    items: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def paginate(items, count, page: int, per_page: int) -> Page:
    """Two queries: ``items`` (a select, limited here) and ``count`` (a select of one number)."""
    rows = db.session.scalars(items.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(page=page, per_page=per_page, total=db.session.scalar(count) or 0, items=list(rows))
