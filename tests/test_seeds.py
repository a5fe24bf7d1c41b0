"""The seeded world does not depend on the order the areas' seeds run in: each seed builds on another area's objects
by calling that area's seed, never by running after it. Only the order of the world's registries (repositories,
organisations, users) follows the order of the seeds."""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta
from typing import Any

from gitcode_mcp.sandbox.core import seeds
from gitcode_mcp.sandbox.state import FIRST_MADE_ID, World

# What a seed takes from the clock (a commit recorded now, a CI run started minutes ago) is not compared.
CLOCK_FIELDS = {"began", "wall"}


def from_the_clock(value: Any) -> bool:
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return False
    return at is not None and at.tzinfo is not None and abs(datetime.now(at.tzinfo) - at) < timedelta(days=1)


def content(value: Any, seen: frozenset[int] = frozenset()) -> Any:
    """Everything a value holds, as plain data; a holder met again inside itself (a fork's parent) by its name."""
    if from_the_clock(value):
        return "now"
    if id(value) in seen:
        return ("again", getattr(value, "login", None) or getattr(value, "full_name", None) or type(value).__name__)
    inner = seen | {id(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {
            f.name: content(getattr(value, f.name), inner)
            for f in dataclasses.fields(value)
            if f.name not in CLOCK_FIELDS
        }
        kept = getattr(value, "kept", None)
        return (type(value).__name__, fields, content(kept, inner) if isinstance(kept, dict) else None)
    if isinstance(value, World):
        return content(vars(value), inner)
    if isinstance(value, dict):
        return {k if isinstance(k, str) else repr(k): content(v, inner) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [content(v, inner) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(repr(content(v, inner)) for v in value)
    if isinstance(value, type):
        return value.__name__
    if hasattr(value, "__next__"):  # the id counter: where it stands
        return None
    return value


def seeded(order: list[Any]) -> World:
    world = World()
    for seed in order:
        seed(world)
    return world


def test_every_order_of_the_seeds_makes_the_same_world() -> None:
    found = seeds()
    assert len(found) > 10
    usual = content(seeded(found))
    orders = [list(reversed(found))] + [random.Random(n).sample(found, len(found)) for n in range(6)]
    for order in orders:
        assert content(seeded(order)) == usual, [s.__module__ for s in order]


def test_seeding_twice_changes_nothing() -> None:
    """A seed may run again (another area's seed calls it first): what is there is kept."""
    world = seeded(seeds())
    once = content(world)
    for seed in seeds():
        seed(world)
    assert content(world) == once


def test_no_seed_draws_an_id_from_the_counter() -> None:
    """Seeded objects carry their ids as data: what requests make starts at FIRST_MADE_ID whatever was seeded."""
    world = seeded(seeds())
    assert world.new_id() == FIRST_MADE_ID
