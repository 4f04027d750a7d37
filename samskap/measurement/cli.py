"""``samskap stats paired FILE.csv --before COL --after COL [--format json|text]`` and
``samskap stats meta FILE.csv --effect COL --variance COL [--label COL] [--method reml|dl]``.

Runs :func:`samskap.measurement.stats.paired` on two columns of a CSV file, without a database.
Rows with a missing value (empty, ``NA``, ``-``) in either column are dropped and counted in
``dropped``; any other value that is not a number is an error naming the line and column.
Decimal commas (``3,5``) are accepted. Figures about fewer than 5 people are suppressed.

``meta`` pools one effect per row (e.g. each initiative's Hedges' g_z and its variance) by a
random-effects meta-analysis (:mod:`samskap.measurement.meta`); every row must have both numbers.
"""

import argparse
import csv
import json
import math
import sys
from pathlib import Path

from . import meta, stats

MISSING = {"", "na", "n/a", "-", "nan", "null"}

JSON_KEYS = [
    "n",
    "dropped",
    "mean_before",
    "mean_after",
    "mean_change",
    "median_change",
    "ci95",
    "cohens_dz",
    "hedges_gz",
    "hedges_gz_ci95",
    "t",
    "df",
    "p_t",
    "wilcoxon_p",
    "wilcoxon_method",
    "improved",
    "unchanged",
    "worsened",
    "reliable_improved",
    "reliable_worsened",
    "suppressed",
    "small_sample",
    "changes",
    "notes",
]


class InputError(ValueError):
    pass


def add_arguments(parser: argparse.ArgumentParser) -> None:
    analyses = parser.add_subparsers(dest="analysis", required=True)
    paired = analyses.add_parser(
        "paired", help="paired before/after analysis of two columns of a CSV file"
    )
    paired.add_argument("file", type=Path, help="CSV file with a header row")
    paired.add_argument("--before", required=True, help="column with the before scores")
    paired.add_argument("--after", required=True, help="column with the after scores")
    paired.add_argument("--format", choices=["json", "text"], default="text")
    paired.add_argument(
        "--direction",
        choices=["higher", "lower"],
        default="higher",
        help="which way is better (default: higher)",
    )
    paired.add_argument(
        "--reliability",
        type=float,
        default=None,
        help="the scale's reliability r_xx (0-1) for the reliable change index",
    )
    paired.add_argument(
        "--threshold",
        type=int,
        default=stats.MIN_GROUP_SIZE,
        help="smallest group a figure may describe (never below 5)",
    )

    analysis = analyses.add_parser(
        "meta", help="random-effects meta-analysis of one effect and its variance per row"
    )
    analysis.add_argument("file", type=Path, help="CSV file with a header row")
    analysis.add_argument("--effect", required=True, help="column with each study's effect")
    analysis.add_argument("--variance", required=True, help="column with its sampling variance")
    analysis.add_argument("--label", help="column with each study's name (default: row number)")
    analysis.add_argument("--method", choices=meta.METHODS, default="reml", help="tau² estimator")
    analysis.add_argument("--format", choices=["json", "text"], default="text")


def _number(text: str, line: int, column: str) -> float | None:
    cleaned = text.strip()
    if cleaned.lower() in MISSING:
        return None
    try:
        value = float(cleaned.replace(" ", "").replace(",", "."))
    except ValueError:
        raise InputError(f"line {line}, column '{column}': '{cleaned}' is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"line {line}, column '{column}': '{cleaned}' is not a finite number")
    return value


def _rows(path: Path, columns: list[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-empty rows (with their line numbers) of a CSV file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text.splitlines(), dialect)
    header = [cell.strip() for cell in next(reader, [])]
    for column in columns:
        if column not in header:
            raise InputError(f"{path}: no column '{column}' (columns: {', '.join(header)})")
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append((line, cells + [""] * (len(header) - len(cells))))
    return header, rows


def read_columns(path: Path, before: str, after: str) -> tuple[list, list]:
    header, rows = _rows(path, [before, after])
    i_before, i_after = header.index(before), header.index(after)
    values_before, values_after = [], []
    for line, cells in rows:
        values_before.append(_number(cells[i_before], line, before))
        values_after.append(_number(cells[i_after], line, after))
    return values_before, values_after


def read_studies(
    path: Path, effect: str, variance: str, label: str | None
) -> tuple[list[float], list[float], list[str]]:
    """Effects, variances and labels; a missing effect or variance is an error naming the line."""
    header, rows = _rows(path, [effect, variance] + ([label] if label else []))
    effects, variances, labels = [], [], []
    for line, cells in rows:
        values = []
        for column in (effect, variance):
            value = _number(cells[header.index(column)], line, column)
            if value is None:
                raise InputError(f"line {line}, column '{column}': a number is required")
            values.append(value)
        if values[1] <= 0:
            raise InputError(f"line {line}, column '{variance}': a variance must be above 0")
        effects.append(values[0])
        variances.append(values[1])
        labels.append(cells[header.index(label)].strip() if label else str(len(labels) + 1))
    return effects, variances, labels


def _format(value, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def _share(value) -> str:
    return "suppressed" if value is None else f"{100 * value:.0f} %"


def as_text(data: dict) -> str:
    if data["suppressed"]:
        return "\n".join([*data["notes"], f"Rows dropped for a missing value: {data['dropped']}"])
    lines = [
        f"Pairs (n): {data['n']}   rows dropped for a missing value: {data['dropped']}",
        f"Mean before: {_format(data['mean_before'])}   after: {_format(data['mean_after'])}",
        f"Mean change: {_format(data['mean_change'])}   median change: "
        f"{_format(data['median_change'])}",
    ]
    if data["ci95"]:
        low, high = data["ci95"]
        lines.append(f"95 % confidence interval of the mean change: {low:.2f} to {high:.2f}")
    lines.append(
        f"Cohen's d_z: {_format(data['cohens_dz'])}   Hedges' g_z: {_format(data['hedges_gz'])}"
        + (
            "   (95 % CI {:.2f} to {:.2f})".format(*data["hedges_gz_ci95"])
            if data["hedges_gz_ci95"]
            else ""
        )
    )
    lines.append(
        f"Paired t-test: t = {_format(data['t'])}, df = {data['df']}, p = {_format(data['p_t'], 4)}"
    )
    lines.append(
        f"Wilcoxon signed-rank test: p = {_format(data['wilcoxon_p'], 4)} "
        f"({data['wilcoxon_method']})"
    )
    lines.append(
        f"Improved: {_share(data['improved'])}   unchanged: {_share(data['unchanged'])}   "
        f"worsened: {_share(data['worsened'])}"
    )
    if data["changes"] is not None:
        lines.append("Individual changes: " + ", ".join(f"{x:g}" for x in data["changes"]))
    lines.extend(data["notes"])
    return "\n".join(lines)


def meta_text(result: meta.MetaResult) -> str:
    d = result.as_dict()
    lines = [
        f"Random-effects meta-analysis ({'REML' if d['method'] == 'reml' else 'DerSimonian-Laird'}"
        f"), k = {d['k']}",
        f"Pooled effect: {d['estimate']:.4f} (SE {d['se']:.4f}), "
        f"95 % CI {d['ci95'][0]:.4f} to {d['ci95'][1]:.4f}",
        f"tau² = {d['tau2']:.4f}   I² = {d['i2']:.2f} %   Q({d['k'] - 1}) = {d['q']:.4f}, "
        f"p = {d['q_p']:.4g}",
    ]
    if d["prediction95"]:
        low, high = d["prediction95"]
        lines.append(f"95 % prediction interval: {low:.4f} to {high:.4f}")
    lines.append("")
    lines.append(f"{'Study':<30} {'effect':>9} {'variance':>10} {'weight':>8}")
    for study in d["studies"]:
        lines.append(
            f"{study['label'][:30]:<30} {study['effect']:>9.4f} {study['variance']:>10.4f} "
            f"{study['weight']:>7.2f}%"
        )
    influential = result.most_influential
    if influential is not None:
        lines.append("")
        lines.append(
            f"Leave-one-out: without {influential.label} the estimate moves most, "
            f"to {influential.estimate:.4f} ({influential.shift:+.4f})."
        )
    return "\n".join(lines)


def run_meta(args: argparse.Namespace) -> int:
    try:
        effects, variances, labels = read_studies(args.file, args.effect, args.variance, args.label)
        result = meta.random_effects(effects, variances, labels, method=args.method)
    except (InputError, meta.MetaAnalysisError) as error:
        print(f"samskap stats meta: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(meta_text(result))
    return 0


def run(args: argparse.Namespace) -> int:
    if args.analysis == "meta":
        return run_meta(args)
    try:
        before, after = read_columns(args.file, args.before, args.after)
        result = stats.paired(
            before,
            after,
            direction=args.direction,
            reliability=args.reliability,
            threshold=args.threshold,
        )
    except (InputError, ValueError) as error:
        print(f"samskap stats: {error}", file=sys.stderr)
        return 2
    full = result.as_dict()
    dropped = len(before) - sum(
        1 for b, a in zip(before, after, strict=True) if b is not None and a is not None
    )
    data = {key: full.get(key) for key in JSON_KEYS}
    data["dropped"] = dropped
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(as_text(data))
    return 0
