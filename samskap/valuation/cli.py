"""``samskap value FILE``: compute a value map from a JSON, YAML or Excel file, no database.

Exit codes: 0 on success, 2 when the file (or an option) is not a valid value map; the message
names the JSON path, YAML line or Excel cell and the problem.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from . import engine, excel
from .files import load
from .valuemap import (
    FIRST_YEAR_CONVENTIONS,
    TAX_FINANCING_COST,
    VIEWS,
    ValueMapError,
    read_price_index,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", help="value map: .json, .yaml/.yml or .xlsx")
    parser.add_argument("--rate", type=float, help="discount rate, e.g. 0.04 (replaces the map's)")
    parser.add_argument("--first-year", choices=FIRST_YEAR_CONVENTIONS, dest="first_year")
    parser.add_argument("--draws", type=int, default=engine.DEFAULT_DRAWS, help="Monte Carlo draws")
    parser.add_argument("--seed", type=int, help="random seed (the seed used is reported)")
    parser.add_argument(
        "--view",
        choices=VIEWS,
        default="sroi",
        help="sroi (every outcome counts) or cba (cost-benefit analysis after R-109/DFØ)",
    )
    parser.add_argument(
        "--cpi",
        metavar="FILE.csv",
        help="price index (CSV: year,index) to bring proxies to the map's price year",
    )
    parser.add_argument(
        "--tax-financing-cost",
        type=float,
        dest="tax_financing_cost",
        help=f"share of the net change in public budgets (default {TAX_FINANCING_COST:g})",
    )
    parser.add_argument("--format", choices=("json", "text", "xlsx"), default="text")
    parser.add_argument("--output", "-o", help="write to this file (required for xlsx)")
    parser.add_argument(
        "--template", metavar="OUT.xlsx", help="write an empty Excel template and stop"
    )


def _text(result: engine.ValueResult) -> str:
    d = result.to_dict()
    cur = d["currency"]
    lines = [d["title"], ""]
    cb = d["cost_benefit"]
    if cb is not None:
        lines[0] += "  (cost-benefit view, R-109/DFØ)"
        lines += _cost_benefit_lines(
            cb, d["currency"], d["net_present_value"], d["uncertainty"]
        ) + [""]
    disc = d["discounting"]
    lines.append(f"Discounting: {disc['convention']}")
    lines.append(f"Present value of outcomes: {d['present_value']:>16,.0f} {cur}")
    lines.append(f"Present value of inputs:   {d['present_value_of_inputs']:>16,.0f} {cur}")
    lines.append(f"Net present value:         {d['net_present_value']:>16,.0f} {cur}")
    u = d["uncertainty"]
    ratio = f"SROI ratio: {d['sroi_ratio']:.2f} : 1"
    if u:
        r = u["sroi_ratio"]
        ratio += (
            f"  (90 % band {r['p5']:.2f}-{r['p95']:.2f}, median {r['p50']:.2f}; "
            f"P(ratio > 1) = {u['probability_ratio_above_1']:.0%}; "
            f"{u['draws']:,} draws, seed {u['seed']})"
        )
    lines.append(ratio)
    if u and u["independent"]:
        r = u["independent"]["sroi_ratio"]
        groups = ", ".join(
            f"{c['group']} (rank correlation {c['rank_correlation']:g}, "
            f"{len(c['parameters'])} ranges)"
            for c in u["correlations"]
        )
        lines.append(f"  with correlation groups {groups};")
        lines.append(
            f"  with every range independent the 90 % band would be {r['p5']:.2f}-{r['p95']:.2f}"
        )
    lines.append(f"Net SROI ratio: {d['net_sroi_ratio']:.2f}")
    payback = d["payback_months"]
    lines.append(
        "Payback: " + (f"{payback:.1f} months" if payback is not None else "not within the map")
    )
    lines += ["", "Value by stakeholder (present value):"]
    for row in d["by_stakeholder"]:
        lines.append(f"  {row['stakeholder']:<30} {row['present_value']:>14,.0f}")
    lines += ["", "By year:      value   present value   inputs"]
    for row in d["by_year"]:
        lines.append(
            f"  {row['year']:>3} {row['value']:>14,.0f} {row['present_value']:>14,.0f} "
            f"{row['inputs']:>12,.0f}"
        )
    if d["tornado"]:
        lines += ["", "Tornado (ratio at low / high of each range):"]
        for bar in d["tornado"][:10]:
            lines.append(
                f"  {bar['label']:<60} {bar['ratio_at_low']:.2f} / {bar['ratio_at_high']:.2f}"
            )
    lines += ["", "Break-even (ratio = 1), closest first:"]
    for be in d["break_even"][:10]:
        value = "none in range" if be["break_even"] is None else f"{be['break_even']:,.4g}"
        lines.append(f"  {be['label']:<60} central {be['central']:,.4g} -> {value}")
    if d["unvalued_outcomes"]:
        lines += ["", "Outcomes without a money value (listed, not counted):"]
        for o in d["unvalued_outcomes"]:
            lines.append(f"  {o['outcome']} ({o['stakeholder']})")
    if d["warnings"]:
        lines += ["", "Warnings:"]
        lines += [f"  {w['place']}: {w['message']}" for w in d["warnings"]]
    return "\n".join(lines) + "\n"


def _cost_benefit_lines(
    cb: dict, currency: str, npv: float, uncertainty: dict | None = None
) -> list[str]:
    lines = [
        f"Transfers, not counted for society: {cb['transfers_present_value']:,.0f} {currency} "
        f"in outcomes, {cb['transfer_inputs_present_value']:,.0f} in inputs",
        f"Net cost to public budgets: {cb['net_public_budget_cost']:,.0f} {currency}; "
        f"tax-financing cost ({cb['tax_financing_rate']:.0%}): "
        f"{cb['tax_financing_cost'] - cb['tax_financing_gain']:,.0f}",
    ]
    if cb["analysis_period"]:
        lines.append(
            f"Analysis period: {cb['analysis_period']} years; value after it left out: "
            f"{cb['cut_off_present_value']:,.0f}; residual value (present): "
            f"{cb['residual_present_value']:,.0f}"
        )
    for adjusted in cb["real_price_adjustments"]:
        lines.append(
            f"Proxy of outcome {adjusted['index']} in {adjusted['proxy_price_year']} prices, "
            f"x {adjusted['factor']:.4f} by the price index"
        )
    per_krone = cb["npv_per_budget_krone"]
    line = "NPV per budget krone: " + (
        f"{per_krone:.2f}" if per_krone is not None else "none (no net cost to public budgets)"
    )
    if uncertainty is not None and per_krone is not None:
        band = uncertainty.get("npv_per_budget_krone")
        share = uncertainty.get("budget_cost_share")
        if band is not None:
            line += f" (5-95 %: {band['p5']:.2f} to {band['p95']:.2f})"
        elif share is not None:
            line += f" (no band: budgets bear a net cost in only {share:.0%} of the draws)"
    lines.append(line)
    return lines


def run(args: argparse.Namespace) -> int:
    if args.template:
        Path(args.template).write_bytes(excel.template_bytes())
        print(f"Wrote the value-map template to {args.template}")
        return 0
    if not args.file:
        print("samskap value: give a value-map FILE (or --template OUT.xlsx)", file=sys.stderr)
        return 2
    if args.draws < 1:
        print("samskap value: --draws must be at least 1", file=sys.stderr)
        return 2
    try:
        value_map = engine.with_settings(
            load(args.file), rate=args.rate, first_year=args.first_year
        )
        if args.cpi:
            value_map = dataclasses.replace(
                value_map, price_index={**value_map.price_index, **read_price_index(args.cpi)}
            )
        if args.tax_financing_cost is not None and not 0 <= args.tax_financing_cost <= 1:
            raise ValueMapError(
                [("--tax-financing-cost", "the tax-financing cost must be in [0, 1]")]
            )
        result = engine.compute(
            value_map,
            draws=args.draws,
            seed=args.seed,
            view=args.view,
            tax_financing_cost=args.tax_financing_cost,
        )
    except ValueMapError as error:
        print(f"samskap value: {args.file} is not a valid value map:", file=sys.stderr)
        for place, message in error.problems:
            print(f"  {place}: {message}", file=sys.stderr)
        return 2
    if args.format == "xlsx":
        if not args.output:
            print("samskap value: --format xlsx needs --output FILE.xlsx", file=sys.stderr)
            return 2
        # Both views in the workbook: the one asked for in full, the cost-benefit figures on
        # their own sheet.
        cba, why = result, ""
        if result.view != "cba":
            cba = engine.compute(
                value_map,
                draws=args.draws,
                seed=args.seed,
                view="cba",
                tax_financing_cost=args.tax_financing_cost,
            )
            why = str(engine.why_views_differ(result, cba))
        Path(args.output).write_bytes(excel.results_bytes(result, cba, why))
        print(f"Wrote {args.output}")
        return 0
    if args.format == "json":
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = _text(result)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
