"""The agreement document: its schema, canonical serialisation, hash, completeness and a
readable rendering for differences.

A version's content is one JSON document (see :func:`empty_content`). Keeping the whole text in
one document makes freezing, hashing and comparing versions simple: the hash is SHA-256 over a
canonical serialisation (keys sorted, no whitespace, UTF-8; amounts are decimal strings and
dates ISO 8601 strings, so no float or locale ever enters the hash).

Parties are referred to inside the document by a key ``"o<organisation id>"``. Templates use
the placeholder keys ``"municipal"`` and ``"partner"``, expanded when an agreement is created.

This module only imports Django's translation helpers and ``ValidationError``.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskap.core import numbers

SCHEMA_VERSION = 1

RACI = {
    "R": gettext_lazy("Responsible"),
    "RA": gettext_lazy("Responsible and accountable"),
    "A": gettext_lazy("Accountable"),
    "C": gettext_lazy("Consulted"),
    "I": gettext_lazy("Informed"),
}
ROUTINE_KINDS = {
    "communication": gettext_lazy("Communication"),
    "information": gettext_lazy("Information sharing"),
    "coordination": gettext_lazy("Coordination at the interface"),
    "follow_up": gettext_lazy("Individual follow-up and feedback"),
}
ANCHOR_KINDS = {
    "plan": gettext_lazy("Plan"),
    "budget": gettext_lazy("Budget line"),
    "political_decision": gettext_lazy("Political decision"),
    "administrative_decision": gettext_lazy("Leadership / administrative decision"),
}
DECISION_KINDS = ("political_decision", "administrative_decision")
PLAN_KINDS = ("plan", "budget")

# Types whose agreement moves money and therefore must say how much, who pays and when.
MONEY_TYPES = ("pilot", "operating", "grant", "reserved_contract", "innovation_partnership")
# Letters of intent state an intention; they carry no guarantee to be described.
RISK_TYPES = (*MONEY_TYPES, "non_profit_partnership")


def empty_content(agreement_type: str = "pilot", language: str = "nb") -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "type": agreement_type,
        "language": language,
        "title": "",
        "purpose": "",
        "goal": "",
        "principles": "",
        "parties": [],
        "project_leader": {"name": "", "email": "", "phone": ""},
        "responsibilities": [],
        "requirements": [],
        "routines": [],
        "risk": {"guarantees": "", "guaranteed_until": None, "sharing": ""},
        "money": {"currency": "NOK", "items": [], "schedule": ""},
        "term": {
            "start_date": None,
            "end_date": None,
            "review_dates": [],
            "termination": "",
            "exit": "",
        },
        "transition": {"operating_owner": "", "funding": "", "decision_date": None},
        "anchoring": [],
    }


# --- validation ---------------------------------------------------------------------------


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def text(self, data: dict, key: str, path: str, *, max_length: int = 10_000) -> None:
        value = data.get(key)
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", _("must be text"))
        elif len(value) > max_length:
            self.fail(f"{path}.{key}", _("at most %(n)d characters") % {"n": max_length})

    def date(self, data: dict, key: str, path: str) -> None:
        value = data.get(key)
        if value is None:
            return
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", _("must be a date (YYYY-MM-DD) or empty"))
            return
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{path}.{key}", _("must be a date (YYYY-MM-DD) or empty"))

    def party(self, value: object, path: str, keys: set[str]) -> None:
        if value not in keys:
            self.fail(path, _("unknown party %(key)r") % {"key": value})


def validate_content(content: object) -> None:
    """Raise ``ValidationError`` listing every problem (with its path) in the document."""
    check = _Checker()
    if not isinstance(content, dict):
        raise ValidationError(_("The agreement content must be a JSON object."))
    expected = set(empty_content())
    missing = expected - set(content)
    extra = set(content) - expected
    for key in sorted(missing):
        check.fail(key, _("missing"))
    for key in sorted(extra):
        check.fail(key, _("unknown section"))
    if missing:
        raise ValidationError(check.errors)
    if content["schema"] != SCHEMA_VERSION:
        check.fail("schema", _("unsupported schema version"))
    for key in ("type", "language", "title", "purpose", "goal", "principles"):
        check.text(content, key, "$")
    keys: set[str] = set()
    if not isinstance(content["parties"], list):
        check.fail("parties", _("must be a list"))
    else:
        for i, party in enumerate(content["parties"]):
            path = f"parties[{i}]"
            if not isinstance(party, dict):
                check.fail(path, _("must be an object"))
                continue
            for key in ("key", "name", "org_number", "contact_name", "contact_email"):
                check.text(party, key, path)
            check.text(party, "contact_phone", path, max_length=40)
            if not isinstance(party.get("organisation_id"), int):
                check.fail(f"{path}.organisation_id", _("must be a number"))
            if not isinstance(party.get("municipal"), bool):
                check.fail(f"{path}.municipal", _("must be true or false"))
            if party.get("key") in keys:
                check.fail(f"{path}.key", _("appears twice"))
            keys.add(party.get("key"))
    for key in ("name", "email", "phone"):
        check.text(content["project_leader"], key, "project_leader")
    for i, row in enumerate(_rows(check, content, "responsibilities")):
        check.text(row, "task", f"responsibilities[{i}]", max_length=500)
        roles = row.get("roles")
        if not isinstance(roles, dict):
            check.fail(f"responsibilities[{i}].roles", _("must be an object"))
            continue
        for party, role in roles.items():
            check.party(party, f"responsibilities[{i}].roles", keys)
            if role not in RACI:
                check.fail(f"responsibilities[{i}].roles.{party}", _("must be R, RA, A, C or I"))
    for i, row in enumerate(_rows(check, content, "requirements")):
        check.party(row.get("from"), f"requirements[{i}].from", keys)
        check.party(row.get("to"), f"requirements[{i}].to", keys)
        check.text(row, "text", f"requirements[{i}]")
    for i, row in enumerate(_rows(check, content, "routines")):
        if row.get("kind") not in ROUTINE_KINDS:
            check.fail(f"routines[{i}].kind", _("unknown kind of routine"))
        for key in ("description", "frequency"):
            check.text(row, key, f"routines[{i}]")
        if row.get("owner"):
            check.party(row.get("owner"), f"routines[{i}].owner", keys)
    check.text(content["risk"], "guarantees", "risk")
    check.text(content["risk"], "sharing", "risk")
    check.date(content["risk"], "guaranteed_until", "risk")
    money = content["money"]
    check.text(money, "currency", "money", max_length=3)
    check.text(money, "schedule", "money")
    for i, item in enumerate(_rows(check, money, "items", "money.items")):
        check.party(item.get("payer"), f"money.items[{i}].payer", keys)
        check.text(item, "description", f"money.items[{i}]")
        check.date(item, "due", f"money.items[{i}]")
        amount = item.get("amount")
        try:
            parsed = Decimal(amount) if isinstance(amount, str) else None
        except InvalidOperation:
            parsed = None
        if parsed is None or parsed < 0 or parsed != parsed.quantize(Decimal("0.01")):
            check.fail(f"money.items[{i}].amount", _("must be a non-negative amount as text"))
    term = content["term"]
    for key in ("start_date", "end_date"):
        check.date(term, key, "term")
    for key in ("termination", "exit"):
        check.text(term, key, "term")
    if not isinstance(term.get("review_dates"), list):
        check.fail("term.review_dates", _("must be a list"))
    else:
        for i, value in enumerate(term["review_dates"]):
            check.date({"date": value}, "date", f"term.review_dates[{i}]")
    if term.get("start_date") and term.get("end_date") and term["end_date"] < term["start_date"]:
        check.fail("term.end_date", _("the end date is before the start date"))
    for key in ("operating_owner", "funding"):
        check.text(content["transition"], key, "transition")
    check.date(content["transition"], "decision_date", "transition")
    for i, row in enumerate(_rows(check, content, "anchoring")):
        if row.get("kind") not in ANCHOR_KINDS:
            check.fail(f"anchoring[{i}].kind", _("unknown kind of anchoring"))
        for key in ("body", "case_number", "url", "description"):
            check.text(row, key, f"anchoring[{i}]")
        check.date(row, "date", f"anchoring[{i}]")
    if check.errors:
        raise ValidationError(check.errors)


def _rows(check: _Checker, data: dict, key: str, path: str | None = None) -> list[dict]:
    rows = data.get(key)
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        check.fail(path or key, _("must be a list of objects"))
        return []
    return rows


# --- canonical form and hash ----------------------------------------------------------------


def canonical_bytes(document: object) -> bytes:
    """Sorted keys, no whitespace, UTF-8 (not ASCII-escaped)."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def content_hash(agreement_id: int, number: int, content: dict) -> str:
    """SHA-256 (hex) of the canonical envelope: which agreement, which version, what text."""
    envelope = {"agreement": agreement_id, "version": number, "content": content}
    return hashlib.sha256(canonical_bytes(envelope)).hexdigest()


# --- parties helpers ------------------------------------------------------------------------


def party_names(content: dict) -> dict[str, str]:
    return {p["key"]: p["name"] for p in content["parties"]}


def municipal_keys(content: dict) -> list[str]:
    return [p["key"] for p in content["parties"] if p["municipal"]]


def partner_keys(content: dict) -> list[str]:
    return [p["key"] for p in content["parties"] if not p["municipal"]]


def expand_template(template: dict, parties: list[dict]) -> dict:
    """Turn a template document (placeholder parties ``municipal``/``partner``) into an
    agreement document for ``parties``: municipal placeholders go to the (first) municipal
    party, partner placeholders to every other party."""
    content = json.loads(json.dumps(template))
    content["parties"] = parties
    municipal = municipal_keys(content)[:1]
    partners = partner_keys(content)

    def targets(placeholder: str) -> list[str]:
        if placeholder == "municipal":
            return municipal
        if placeholder == "partner":
            return partners
        return [placeholder]

    for row in content["responsibilities"]:
        roles = {}
        for placeholder, role in row["roles"].items():
            for key in targets(placeholder):
                roles[key] = role
        row["roles"] = roles
    requirements = []
    for row in content["requirements"]:
        for source in targets(row["from"]):
            for target in targets(row["to"]):
                if source != target:
                    requirements.append({**row, "from": source, "to": target})
    content["requirements"] = requirements
    for row in content["routines"]:
        owners = targets(row.get("owner") or "")
        row["owner"] = owners[0] if owners else ""
    for item in content["money"]["items"]:
        payers = targets(item["payer"])
        item["payer"] = payers[0] if payers else ""
    return content


# --- completeness ---------------------------------------------------------------------------

UNDERSTANDING = "understanding"
ANCHORING = "anchoring"
COMMITMENT = "commitment"
GROUPS = {
    UNDERSTANDING: gettext_lazy("Understanding (goal, roles, tasks)"),
    ANCHORING: gettext_lazy("Anchoring (plans, decisions, leadership backing)"),
    COMMITMENT: gettext_lazy("Commitment (responsibilities, routines, requirements)"),
}


@dataclass(frozen=True)
class Missing:
    group: str
    code: str
    message: str


def missing_parts(content: dict) -> list[Missing]:
    """Every required part that is missing, in a fixed order, grouped as the research on
    co-creation partnerships groups what makes them work: understanding, anchoring and
    commitment (see docs/agreements.md)."""
    out: list[Missing] = []

    def need(ok: object, group: str, code: str, message: str) -> None:
        if not ok:
            out.append(Missing(group, code, message))

    names = party_names(content)
    kind = content["type"]
    municipal, partners = municipal_keys(content), partner_keys(content)
    responsibilities = [r for r in content["responsibilities"] if r["task"].strip()]

    need(content["purpose"].strip(), UNDERSTANDING, "purpose", _("Purpose of the agreement"))
    need(content["goal"].strip(), UNDERSTANDING, "goal", _("The overall goal in plain words"))
    need(municipal, UNDERSTANDING, "municipal_party", _("A municipal unit as a party"))
    need(partners, UNDERSTANDING, "partner_party", _("At least one partner organisation"))
    for party in content["parties"]:
        need(
            party["contact_name"].strip() and party["contact_email"].strip(),
            UNDERSTANDING,
            f"contact:{party['key']}",
            _("Contact person (name and e-mail) for %(party)s") % {"party": party["name"]},
        )
    need(responsibilities, UNDERSTANDING, "tasks", _("Tasks in the responsibility matrix"))
    if responsibilities:
        for party in content["parties"]:
            need(
                any(party["key"] in r["roles"] for r in responsibilities),
                UNDERSTANDING,
                f"role:{party['key']}",
                _("A role for %(party)s in the responsibility matrix") % {"party": party["name"]},
            )

    leader = content["project_leader"]
    need(
        leader["name"].strip(),
        ANCHORING,
        "project_leader",
        _("A local project leader on the municipal side"),
    )
    anchoring = content["anchoring"]
    need(
        any(a["kind"] in PLAN_KINDS and a["body"].strip() for a in anchoring),
        ANCHORING,
        "plan",
        _("A link to a plan or budget line that backs the agreement"),
    )
    need(
        any(a["kind"] in DECISION_KINDS and a["body"].strip() and a["date"] for a in anchoring),
        ANCHORING,
        "decision",
        _("A political or leadership decision (body and date) that backs the agreement"),
    )

    for row in responsibilities:
        roles = list(row["roles"].values())
        need(
            sum("A" in role for role in roles) == 1,
            COMMITMENT,
            f"accountable:{row['task']}",
            _("Exactly one accountable party for the task “%(task)s”") % {"task": row["task"]},
        )
        need(
            any("R" in role for role in roles),
            COMMITMENT,
            f"responsible:{row['task']}",
            _("A responsible party for the task “%(task)s”") % {"task": row["task"]},
        )
    routines = [r for r in content["routines"] if r["description"].strip()]
    need(
        any(r["kind"] == "follow_up" for r in routines),
        COMMITMENT,
        "follow_up",
        _("A routine for individual follow-up and feedback"),
    )
    need(
        any(r["kind"] == "communication" for r in routines),
        COMMITMENT,
        "communication",
        _("A routine for communication between the parties"),
    )
    for row in routines:
        need(
            row["frequency"].strip() and row["owner"],
            COMMITMENT,
            f"routine:{row['description']}",
            _("Frequency and owner for the routine “%(routine)s”")
            % {"routine": row["description"]},
        )
    stated = {(r["from"], r["to"]) for r in content["requirements"] if r["text"].strip()}
    for m in municipal[:1]:
        for p in partners:
            for source, target in ((m, p), (p, m)):
                need(
                    (source, target) in stated,
                    COMMITMENT,
                    f"requirement:{source}:{target}",
                    _("What %(a)s may require of %(b)s") % {"a": names[source], "b": names[target]},
                )
    term = content["term"]
    need(term["start_date"], COMMITMENT, "start_date", _("Start date"))
    need(
        term["end_date"] or term["review_dates"],
        COMMITMENT,
        "end_or_review",
        _("An end date or a review date"),
    )
    need(
        term["termination"].strip() and term["exit"].strip(),
        COMMITMENT,
        "termination",
        _("Termination and exit"),
    )
    if kind in RISK_TYPES:
        need(
            content["risk"]["guarantees"].strip() and content["risk"]["sharing"].strip(),
            COMMITMENT,
            "risk",
            _("Risk sharing: what the municipality guarantees, and for how long"),
        )
    if kind in MONEY_TYPES:
        need(content["money"]["items"], COMMITMENT, "money", _("Amounts and who pays what"))
        need(
            content["money"]["schedule"].strip(),
            COMMITMENT,
            "schedule",
            _("Payment schedule"),
        )
    if kind == "pilot":
        transition = content["transition"]
        need(
            transition["operating_owner"].strip()
            and transition["funding"].strip()
            and transition["decision_date"],
            COMMITMENT,
            "transition",
            _(
                "Plan for transition to operation: operating owner, funding after the pilot and "
                "decision date"
            ),
        )
    return out


def grouped(missing: list[Missing]) -> list[tuple[str, str, list[Missing]]]:
    """``[(group code, group label, items)]`` in the fixed group order, empty groups kept."""
    return [
        (code, str(label), [m for m in missing if m.group == code])
        for code, label in GROUPS.items()
    ]


# --- readable rendering and differences -----------------------------------------------------


def readable_sections(content: dict) -> list[tuple[str, list[str]]]:
    """The document as titled sections of plain lines, for comparing versions."""
    names = party_names(content)

    def who(key: str) -> str:
        return names.get(key, key or "–")

    sections: list[tuple[str, list[str]]] = [
        (_("Title"), [content["title"]]),
        (_("Purpose"), content["purpose"].splitlines()),
        (_("Overall goal"), content["goal"].splitlines()),
        (
            _("Parties"),
            [
                f"{p['name']}{' (' + p['org_number'] + ')' if p['org_number'] else ''}: "
                f"{p['contact_name']} {p['contact_email']} {p['contact_phone']}".rstrip()
                for p in content["parties"]
            ],
        ),
        (
            _("Project leader"),
            [" ".join(v for v in content["project_leader"].values() if v)],
        ),
        (
            _("Responsibilities"),
            [
                f"{r['task']}: "
                + ", ".join(f"{who(k)} = {r['roles'][k]}" for k in sorted(r["roles"]))
                for r in content["responsibilities"]
            ],
        ),
        (
            _("Mutual requirements"),
            [f"{who(r['from'])} → {who(r['to'])}: {r['text']}" for r in content["requirements"]],
        ),
        (
            _("Routines"),
            [
                f"{ROUTINE_KINDS.get(r['kind'], r['kind'])}: {r['description']} "
                f"({r['frequency']}; {who(r['owner'])})"
                for r in content["routines"]
            ],
        ),
        (
            _("Risk sharing and predictability"),
            [
                content["risk"]["guarantees"],
                f"{_('Guaranteed until')}: {content['risk']['guaranteed_until'] or '–'}",
                content["risk"]["sharing"],
            ],
        ),
        (
            _("Money"),
            [
                f"{who(i['payer'])}: {numbers.amount(i['amount'], content['money']['currency'])} – "
                f"{i['description']}{' (' + i['due'] + ')' if i.get('due') else ''}"
                for i in content["money"]["items"]
            ]
            + content["money"]["schedule"].splitlines(),
        ),
        (
            _("Duration, review and exit"),
            [
                f"{_('Start date')}: {content['term']['start_date'] or '–'}",
                f"{_('End date')}: {content['term']['end_date'] or '–'}",
                f"{_('Review dates')}: {', '.join(content['term']['review_dates']) or '–'}",
                *content["term"]["termination"].splitlines(),
                *content["term"]["exit"].splitlines(),
            ],
        ),
        (
            _("Transition to operation"),
            [
                content["transition"]["operating_owner"],
                content["transition"]["funding"],
                f"{_('Decision date')}: {content['transition']['decision_date'] or '–'}",
            ],
        ),
        (
            _("Anchoring"),
            [
                f"{ANCHOR_KINDS.get(a['kind'], a['kind'])}: {a['body']} {a['case_number']} "
                f"{a['date'] or ''} {a['url']} {a['description']}".strip()
                for a in content["anchoring"]
            ],
        ),
        (_("Rules of the road"), content["principles"].splitlines()),
    ]
    return [(title, [line for line in lines if line is not None]) for title, lines in sections]


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def difference(old: dict, new: dict) -> list[tuple[str, list[DiffLine]]]:
    """The sections that changed, each with its lines marked added / removed / unchanged."""
    changed = []
    for (title, before), (_title, after) in zip(
        readable_sections(old), readable_sections(new), strict=True
    ):
        if before == after:
            continue
        lines = []
        for line in difflib.ndiff(before, after):
            code, text = line[:2], line[2:]
            if code == "? ":
                continue
            kind = {"+ ": "added", "- ": "removed"}.get(code, "same")
            lines.append(DiffLine(kind, text))
        changed.append((title, lines))
    return changed
