"""What every part of the demo data shares (see ``portal/demo.py``)."""

import random
from dataclasses import dataclass, field
from typing import Any

from portal.models import District, Neighbourhood, User


@dataclass
class DemoContext:
    """What each domain's seeder needs: the accounts, the places and a fixed random source."""

    password: str
    posts: int = 0
    users: dict[str, User] = field(default_factory=dict)
    neighbourhoods: dict[str, Neighbourhood] = field(default_factory=dict)
    district: District | None = None
    # What portal/demo_west.py made of the second wijk (its ``WestDemo``; not imported here,
    # so the domains' demos, which import this module, import no other domain through it).
    west: Any = None
    rng: random.Random = field(default_factory=lambda: random.Random(2026))  # noqa: S311
