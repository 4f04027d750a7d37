"""The small-group rule: no figure about fewer than a municipality's threshold of people.

The threshold is at least ``MIN_GROUP_SIZE`` (5) everywhere — pages, exports, the API — and a
municipality may raise it (``Municipality.privacy_threshold``), never lower it. Any figure from
which a suppressed one could be worked out (a total minus the other groups) must be suppressed
too; modules that show breakdowns do that with ``suppress_complements``.
"""

from collections.abc import Mapping

MIN_GROUP_SIZE = 5


def threshold_for(municipality) -> int:
    """The smallest group a figure may describe in this municipality (never below 5)."""
    configured = getattr(municipality, "privacy_threshold", None) or MIN_GROUP_SIZE
    return max(MIN_GROUP_SIZE, int(configured))


def is_suppressed(n: int, threshold: int = MIN_GROUP_SIZE) -> bool:
    """True when a figure about ``n`` people must not be shown (0 people is not a person)."""
    return 0 < n < max(threshold, MIN_GROUP_SIZE)


def suppress_complements(counts: Mapping[str, int], threshold: int = MIN_GROUP_SIZE) -> set[str]:
    """The groups of a breakdown whose figures must be hidden.

    A group below the threshold is hidden. If exactly one group is hidden, the total minus the
    others would reveal it, so the next-smallest non-empty group is hidden as well
    (secondary suppression). A breakdown with a single non-empty group is its own total: the
    caller must then hide the total too.
    """
    hidden = {key for key, n in counts.items() if is_suppressed(n, threshold)}
    if len(hidden) == 1:
        rest = sorted((n, key) for key, n in counts.items() if key not in hidden and n > 0)
        if rest:
            hidden.add(rest[0][1])
    return hidden
