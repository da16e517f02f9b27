"""Demo data for the circles domain (see portal/demo.py)."""

from portal.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    """Nothing yet: this domain's issue adds its demo data here."""
