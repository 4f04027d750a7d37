"""The small-group rule: no figure about fewer than a municipality's threshold of people.

One rule, for every output (pages, charts, PDFs, the API, CSV/Excel, the researcher export, the
CLI); the functions below are how each module applies it. No Django here: the pure engines
(``measurement.stats``, ``health.scoring``) use it too.

1. **No count below the threshold.** A figure about 1 to ``threshold - 1`` people is not shown
   (``is_suppressed``); 0 is no person and may be shown.
2. **No category below it.** In a breakdown of a group (improved / unchanged / worsened; the
   answers 1–5 and "don't know" to a statement), each category below the threshold is hidden,
   and so are further categories until the hidden ones together are 0 or at least the
   threshold: otherwise the total minus the shown categories would give a group below it
   (``hidden_categories``).
3. **No subtraction.** Two figures where one counts a part of the other (answered "before" and
   answered both times) are not both shown when their difference is a group below the threshold;
   the larger is hidden (``hidden_by_difference``).
4. **No individual values unless every group they reveal passes.** Individual values (the dots of
   a dot plot, a list of changes) are a breakdown by value: they are given only when every
   distinct value is shared by at least the threshold of people (``disclosable_values``);
   otherwise a summary is shown with a note.

The threshold is at least ``MIN_GROUP_SIZE`` (5) everywhere, and a municipality may raise it
(``Municipality.privacy_threshold``), never lower it.
"""

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

MIN_GROUP_SIZE = 5

K = TypeVar("K", bound=Hashable)


def threshold_for(municipality) -> int:
    """The smallest group a figure may describe in this municipality (never below 5)."""
    configured = getattr(municipality, "privacy_threshold", None) or MIN_GROUP_SIZE
    return max(MIN_GROUP_SIZE, int(configured))


def effective(threshold: int) -> int:
    return max(int(threshold), MIN_GROUP_SIZE)


def is_suppressed(n: int | None, threshold: int = MIN_GROUP_SIZE) -> bool:
    """True when a figure about ``n`` people must not be shown (0 people is not a person)."""
    return n is not None and 0 < n < effective(threshold)


def hidden_categories(counts: Mapping[K, int], threshold: int = MIN_GROUP_SIZE) -> set[K]:
    """The categories of a breakdown whose counts (and shares) must be hidden (rule 2).

    Every category below the threshold, then the next-smallest non-empty ones until the hidden
    categories together hold 0 or at least the threshold of people — so that the total minus
    the shown categories never gives a group below the threshold. A breakdown whose non-empty
    categories are all hidden reveals only its total, which the caller shows by rule 1."""
    threshold = effective(threshold)
    hidden = {key for key, n in counts.items() if is_suppressed(n, threshold)}
    while hidden and 0 < sum(counts[key] for key in hidden) < threshold:
        rest = sorted(
            ((n, str(key), key) for key, n in counts.items() if key not in hidden and n > 0),
            key=lambda entry: entry[:2],
        )
        if not rest:
            break
        hidden.add(rest[0][2])
    return hidden


def safe_counts(counts: Mapping[K, int], threshold: int = MIN_GROUP_SIZE) -> dict[K, int | None]:
    """The breakdown with every hidden category's count replaced by ``None``."""
    hidden = hidden_categories(counts, threshold)
    return {key: None if key in hidden else n for key, n in counts.items()}


# Compatibility name used by earlier code and tests.
suppress_complements = hidden_categories


def hidden_by_difference(
    figures: Mapping[K, int | None],
    nested: Iterable[tuple[K, K]],
    threshold: int = MIN_GROUP_SIZE,
) -> set[K]:
    """The figures to hide so that no shown figure is below the threshold and no difference
    between a shown whole and a shown part of it is a group below the threshold (rule 3).

    ``nested`` lists (whole, part) pairs: every person counted in ``part`` is counted in
    ``whole`` (answered "before" ⊇ answered before and after). The whole is hidden, since the
    part is usually the figure a result is about. Figures already ``None`` count as hidden."""
    threshold = effective(threshold)
    hidden = {key for key, n in figures.items() if n is None or is_suppressed(n, threshold)}
    pairs = list(nested)
    changed = True
    while changed:
        changed = False
        for whole, part in pairs:
            if whole in hidden or part in hidden:
                continue
            if is_suppressed(figures[whole] - figures[part], threshold):  # type: ignore[operator]
                hidden.add(whole)
                changed = True
    return hidden


def disclosable_values(
    values: Sequence[float], threshold: int = MIN_GROUP_SIZE
) -> list[float] | None:
    """``values`` (sorted) when every distinct value is shared by at least the threshold of
    people, else ``None``: individual values are then not shown (rule 4)."""
    counts = Counter(values)
    if any(is_suppressed(n, threshold) for n in counts.values()):
        return None
    return sorted(values)
