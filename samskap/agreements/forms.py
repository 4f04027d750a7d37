"""Forms: one page per section of the agreement document. Each section turns the document into
forms and the valid forms back into the section's new value; the service does the rest."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samskap.accounts.models import Language, Organisation

from . import content as doc
from .models import AgreementTemplate, AgreementType


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


class LockForm(forms.Form):
    lock = forms.IntegerField(widget=forms.HiddenInput)


class CreateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"),
        queryset=AgreementTemplate.objects.none(),
        help_text=_("The agreement starts from this text; every part can be changed."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the template's name and the initiative's title."),
    )
    municipal_unit = forms.ModelChoiceField(
        label=_("Municipal party"), queryset=Organisation.objects.none()
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations that take part in the initiative."),
    )

    def __init__(self, *args: Any, templates, units, partners, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = lambda t: (
            f"{t.name} ({t.get_language_display()})"
            + ("" if t.is_default else " – " + str(_("our own")))
        )
        self.fields["municipal_unit"].queryset = units
        self.fields["partners"].queryset = partners


class RulesForm(forms.Form):
    text = forms.CharField(
        label=_("Rules of the road"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "The principles your municipality follows in partnerships. They are copied into "
            "every new agreement."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=AgreementType.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea, required=False)
    tasks = forms.CharField(
        label=_("Tasks"),
        widget=forms.Textarea,
        required=False,
        help_text=_(
            "One task a line: task | role of the municipality | role of the partner, roles R, "
            "RA, A, C or I. Example: Running the café | A | R"
        ),
    )
    requirements_municipal = forms.CharField(
        label=_("What the municipality may require of the partner"),
        widget=forms.Textarea,
        required=False,
    )
    requirements_partner = forms.CharField(
        label=_("What the partner may require of the municipality"),
        widget=forms.Textarea,
        required=False,
    )
    termination = forms.CharField(label=_("Termination"), widget=forms.Textarea, required=False)
    exit = forms.CharField(label=_("Exit"), widget=forms.Textarea, required=False)

    def clean_tasks(self) -> list[dict]:
        rows = []
        for number, line in enumerate(self.cleaned_data["tasks"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not parts[0] or not {parts[1], parts[2]} <= set(doc.RACI):
                raise ValidationError(
                    _("Line %(n)d: write “task | role | role” with roles R, RA, A, C or I.")
                    % {"n": number}
                )
            rows.append({"task": parts[0], "roles": {"municipal": parts[1], "partner": parts[2]}})
        return rows

    @classmethod
    def initial_from(cls, name: str, content: dict) -> dict:
        requirement = {r["from"]: r["text"] for r in content["requirements"]}
        return {
            "name": name,
            "type": content["type"],
            "language": content["language"],
            "purpose": content["purpose"],
            "tasks": "\n".join(
                f"{r['task']} | {r['roles'].get('municipal', 'I')} | "
                f"{r['roles'].get('partner', 'I')}"
                for r in content["responsibilities"]
            ),
            "requirements_municipal": requirement.get("municipal", ""),
            "requirements_partner": requirement.get("partner", ""),
            "termination": content["term"]["termination"],
            "exit": content["term"]["exit"],
        }

    def apply(self, content: dict) -> dict:
        data = self.cleaned_data
        content = {**content, "purpose": data["purpose"], "responsibilities": data["tasks"]}
        content["requirements"] = [
            {"from": "municipal", "to": "partner", "text": data["requirements_municipal"]},
            {"from": "partner", "to": "municipal", "text": data["requirements_partner"]},
        ]
        content["term"] = {
            **content["term"],
            "termination": data["termination"],
            "exit": data["exit"],
        }
        return content


class SignForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Sign for"), coerce=int)
    name = forms.CharField(label=_("Your full name"), max_length=200)
    content_hash = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I have read this version and accept it on behalf of the party I sign for.")
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Why does the agreement end?"), widget=forms.Textarea)
    lock = forms.IntegerField(widget=forms.HiddenInput)


# --- section forms ------------------------------------------------------------------------

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _party_choices(content: dict, blank: bool = False) -> list[tuple[str, str]]:
    choices = [(p["key"], p["name"]) for p in content["parties"]]
    return [("", "–"), *choices] if blank else choices


class BasicsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Why the parties work together."),
    )
    goal = forms.CharField(
        label=_("Overall goal in plain words"),
        widget=TEXTAREA,
        required=False,
        help_text=_("The shared understanding: what will be different for the people served?"),
    )
    leader_name = forms.CharField(label=_("Local project leader"), required=False)
    leader_email = forms.EmailField(label=_("Project leader's e-mail"), required=False)
    leader_phone = forms.CharField(label=_("Project leader's phone"), required=False, max_length=40)
    principles = forms.CharField(
        label=_("Rules of the road that apply"), widget=TEXTAREA, required=False
    )


class ContactForm(forms.Form):
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)


class RiskForm(forms.Form):
    guarantees = forms.CharField(
        label=_("What the municipality guarantees"), widget=TEXTAREA, required=False
    )
    guaranteed_until = forms.DateField(
        label=_("Guaranteed until"), widget=DateInput(), required=False
    )
    sharing = forms.CharField(label=_("How risk is shared"), widget=TEXTAREA, required=False)


class TermForm(forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=DateInput(), required=False)
    end_date = forms.DateField(label=_("End date"), widget=DateInput(), required=False)
    review_dates = forms.CharField(
        label=_("Review dates"),
        required=False,
        help_text=_("Dates as YYYY-MM-DD, separated by commas."),
    )
    termination = forms.CharField(label=_("Termination"), widget=TEXTAREA, required=False)
    exit = forms.CharField(label=_("Exit"), widget=TEXTAREA, required=False)
    operating_owner = forms.CharField(
        label=_("Operating owner after the pilot"), required=False, max_length=200
    )
    funding = forms.CharField(label=_("Funding after the pilot"), widget=TEXTAREA, required=False)
    decision_date = forms.DateField(
        label=_("Date of the decision on operation"), widget=DateInput(), required=False
    )

    def clean_review_dates(self) -> list[str]:
        dates = []
        for part in self.cleaned_data["review_dates"].replace(";", ",").split(","):
            if part.strip():
                try:
                    dates.append(datetime.date.fromisoformat(part.strip()).isoformat())
                except ValueError:
                    raise ValidationError(
                        _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": part.strip()}
                    ) from None
        return sorted(set(dates))

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class MoneyForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="NOK")
    schedule = forms.CharField(label=_("Payment schedule"), widget=TEXTAREA, required=False)


class RowForm(forms.Form):
    """A row of a list section; rows left empty are dropped."""

    def __init__(self, *args: Any, content: dict, **kwargs: Any) -> None:
        self.document = content
        super().__init__(*args, **kwargs)


class ResponsibilityForm(RowForm):
    task = forms.CharField(label=_("Task"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for party in self.document["parties"]:
            self.fields[f"role_{party['key']}"] = forms.ChoiceField(
                label=party["name"],
                required=False,
                choices=[("", "–"), *((k, f"{k} – {v}") for k, v in doc.RACI.items())],
            )

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("task"):
            return None
        roles = {
            p["key"]: data[f"role_{p['key']}"]
            for p in self.document["parties"]
            if data.get(f"role_{p['key']}")
        }
        return {"task": data["task"], "roles": roles}

    @staticmethod
    def initial(row: dict) -> dict:
        return {"task": row["task"], **{f"role_{k}": v for k, v in row["roles"].items()}}


class RequirementForm(RowForm):
    source = forms.ChoiceField(label=_("Party that may require"), required=False)
    target = forms.ChoiceField(label=_("Of party"), required=False)
    text = forms.CharField(label=_("Requirement"), widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = self.fields["target"].choices = _party_choices(
            self.document, blank=True
        )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("text") and not (data.get("source") and data.get("target")):
            raise ValidationError(_("Say which party may require this of which."))
        if data.get("text") and data.get("source") == data.get("target"):
            raise ValidationError(_("A requirement goes from one party to another."))
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("text"):
            return None
        return {"from": data["source"], "to": data["target"], "text": data["text"]}

    @staticmethod
    def initial(row: dict) -> dict:
        return {"source": row["from"], "target": row["to"], "text": row["text"]}


class RoutineForm(RowForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=list(doc.ROUTINE_KINDS.items()))
    description = forms.CharField(label=_("Routine"), required=False, max_length=500)
    frequency = forms.CharField(label=_("Frequency"), required=False, max_length=100)
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _party_choices(self.document, blank=True)

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("description"):
            return None
        return {key: data[key] for key in ("kind", "description", "frequency", "owner")}

    @staticmethod
    def initial(row: dict) -> dict:
        return dict(row)


class MoneyItemForm(RowForm):
    payer = forms.ChoiceField(label=_("Who pays"), required=False)
    description = forms.CharField(label=_("For what"), required=False, max_length=300)
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=Decimal(0), decimal_places=2, max_digits=14
    )
    due = forms.DateField(label=_("Due"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payer"].choices = _party_choices(self.document, blank=True)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("amount") is not None and not data.get("payer"):
            self.add_error("payer", _("Say who pays this amount."))
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if data.get("amount") is None:
            return None
        return {
            "payer": data["payer"],
            "description": data["description"],
            "amount": str(data["amount"].quantize(Decimal("0.01"))),
            "due": _iso(data.get("due")),
        }

    @staticmethod
    def initial(row: dict) -> dict:
        return {**row, "amount": Decimal(row["amount"]), "due": _date(row.get("due"))}


class AnchoringForm(RowForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=list(doc.ANCHOR_KINDS.items()))
    body = forms.CharField(
        label=_("Plan, budget line or deciding body"), required=False, max_length=300
    )
    case_number = forms.CharField(label=_("Case number"), required=False, max_length=60)
    date = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Note"), required=False, max_length=500)

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("body"):
            return None
        return {
            "kind": data["kind"],
            "body": data["body"],
            "case_number": data["case_number"],
            "date": _iso(data.get("date")),
            "url": data["url"],
            "description": data["description"],
        }

    @staticmethod
    def initial(row: dict) -> dict:
        return {**row, "date": _date(row.get("date"))}


def row_formset(form_class: type[RowForm], extra: int = 2) -> type[forms.BaseFormSet]:
    return forms.formset_factory(form_class, extra=extra, can_delete=True, max_num=100)


def formset_rows(formset: forms.BaseFormSet) -> list[dict]:
    rows = []
    for form in formset.forms:
        if form.cleaned_data.get("DELETE"):
            continue
        row = form.row() if form.cleaned_data else None
        if row is not None:
            rows.append(row)
    return rows
