"""The edit pages: for each section, the forms it shows and the change it makes."""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import forms as f


@dataclass
class Bound:
    forms: list[Any]  # forms and formsets, in page order

    def is_valid(self) -> bool:
        return all(form.is_valid() for form in self.forms)


def _basics(content: dict, data: Any) -> Bound:
    leader = content["project_leader"]
    initial = {
        "title": content["title"],
        "purpose": content["purpose"],
        "goal": content["goal"],
        "principles": content["principles"],
        "leader_name": leader["name"],
        "leader_email": leader["email"],
        "leader_phone": leader["phone"],
    }
    return Bound([f.BasicsForm(data, initial=initial)])


def _basics_changes(content: dict, bound: Bound) -> dict:
    data = bound.forms[0].cleaned_data
    return {
        "title": data["title"],
        "purpose": data["purpose"],
        "goal": data["goal"],
        "principles": data["principles"],
        "project_leader": {
            "name": data["leader_name"],
            "email": data["leader_email"],
            "phone": data["leader_phone"],
        },
    }


def _parties(content: dict, data: Any) -> Bound:
    forms = []
    for party in content["parties"]:
        form = f.ContactForm(data, prefix=party["key"], initial=party)
        form.party = party
        form.error_summary_prefix = party["name"]
        forms.append(form)
    return Bound(forms)


def _parties_changes(content: dict, bound: Bound) -> dict:
    return {
        "parties": [
            {**form.party, **form.cleaned_data}
            for form in bound.forms  # type: ignore[attr-defined]
        ]
    }


def _list(key: str, form_class: type[f.RowForm], path: tuple[str, ...] = ()):
    formset_class = f.row_formset(form_class)

    def rows_of(content: dict) -> list[dict]:
        value = content
        for step in path or (key,):
            value = value[step]
        return value

    def build(content: dict, data: Any) -> Bound:
        formset = formset_class(
            data,
            prefix=key,
            initial=[form_class.initial(r) for r in rows_of(content)],
            form_kwargs={"content": content},
        )
        return Bound([formset])

    def changes(content: dict, bound: Bound) -> dict:
        return {key: f.formset_rows(bound.forms[0])}

    return build, changes


def _money(content: dict, data: Any) -> Bound:
    money = content["money"]
    formset = f.row_formset(f.MoneyItemForm)(
        data,
        prefix="items",
        initial=[f.MoneyItemForm.initial(r) for r in money["items"]],
        form_kwargs={"content": content},
    )
    return Bound([f.MoneyForm(data, initial=money), formset])


def _money_changes(content: dict, bound: Bound) -> dict:
    head = bound.forms[0].cleaned_data
    return {
        "money": {
            "currency": head["currency"].upper(),
            "schedule": head["schedule"],
            "items": f.formset_rows(bound.forms[1]),
        }
    }


def _risk(content: dict, data: Any) -> Bound:
    risk = content["risk"]
    return Bound(
        [f.RiskForm(data, initial={**risk, "guaranteed_until": f._date(risk["guaranteed_until"])})]
    )


def _risk_changes(content: dict, bound: Bound) -> dict:
    data = bound.forms[0].cleaned_data
    return {"risk": {**data, "guaranteed_until": f._iso(data["guaranteed_until"])}}


def _term(content: dict, data: Any) -> Bound:
    term, transition = content["term"], content["transition"]
    initial = {
        **term,
        **transition,
        "start_date": f._date(term["start_date"]),
        "end_date": f._date(term["end_date"]),
        "review_dates": ", ".join(term["review_dates"]),
        "decision_date": f._date(transition["decision_date"]),
    }
    return Bound([f.TermForm(data, initial=initial)])


def _term_changes(content: dict, bound: Bound) -> dict:
    data = bound.forms[0].cleaned_data
    return {
        "term": {
            "start_date": f._iso(data["start_date"]),
            "end_date": f._iso(data["end_date"]),
            "review_dates": data["review_dates"],
            "termination": data["termination"],
            "exit": data["exit"],
        },
        "transition": {
            "operating_owner": data["operating_owner"],
            "funding": data["funding"],
            "decision_date": f._iso(data["decision_date"]),
        },
    }


@dataclass(frozen=True)
class Section:
    title: Promise
    help: Promise
    build: Any
    changes: Any


_resp = _list("responsibilities", f.ResponsibilityForm)
_reqs = _list("requirements", f.RequirementForm)
_routines = _list("routines", f.RoutineForm)
_anchoring = _list("anchoring", f.AnchoringForm)

SECTIONS = {
    "grunnlag": Section(
        _("Purpose, goal and project leader"),
        _("The shared understanding, in words everyone recognises."),
        _basics,
        _basics_changes,
    ),
    "parter": Section(
        _("Parties and contact persons"),
        _("Each party names a contact person."),
        _parties,
        _parties_changes,
    ),
    "ansvar": Section(
        _("Responsibility matrix"),
        _(
            "Tasks × parties: R responsible (does the work), A accountable (answers for it; "
            "exactly one per task), C consulted, I informed. RA: both."
        ),
        *_resp,
    ),
    "krav": Section(
        _("Mutual requirements"),
        _("What each party may require of the other — both ways."),
        *_reqs,
    ),
    "rutiner": Section(
        _("Routines"),
        _(
            "Communication, information sharing, coordination at the interface, and individual "
            "follow-up and feedback, each with frequency and owner."
        ),
        *_routines,
    ),
    "risiko": Section(
        _("Risk sharing and predictability"),
        _("What the municipality guarantees, and for how long."),
        _risk,
        _risk_changes,
    ),
    "okonomi": Section(
        _("Money"),
        _("Amounts, who pays what, and the payment schedule."),
        _money,
        _money_changes,
    ),
    "varighet": Section(
        _("Duration, review, exit and transition"),
        _("For a pilot: who runs it afterwards, who pays, and when the decision is made."),
        _term,
        _term_changes,
    ),
    "forankring": Section(
        _("Anchoring"),
        _("The plans, budget lines and political or leadership decisions that back it."),
        *_anchoring,
    ),
}
