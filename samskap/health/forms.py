"""Forms: validation at the boundary. Domain rules live in services."""

import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samskap.accounts.models import Organisation
from samskap.registry.models import Initiative

from .models import Dimension, ItemSet, Party, RoundStatus
from .services import DONT_KNOW, RespondentSpec, latest_bank


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


PEOPLE_HELP = _("One person per line: name; e-mail")
PARTNER_HELP = _(
    "One person per line: name; e-mail; organisation. The organisation can be left out when "
    "the initiative has only one partner."
)


class RoundStartForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For example “Spring 2025”. Left empty: “Health check <number>”."),
    )
    closes_on = forms.DateField(label=_("Closing date"), widget=DateInput())
    sets = forms.ModelMultipleChoiceField(
        label=_("Item sets"),
        queryset=ItemSet.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    include_own_items = forms.BooleanField(
        label=_("Include our municipality's own statements"), required=False, initial=True
    )
    municipality_staff = forms.CharField(
        label=_("Municipality staff"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=PEOPLE_HELP,
    )
    partner_staff = forms.CharField(
        label=_("Partner staff"), widget=forms.Textarea(attrs={"rows": 4}), help_text=PARTNER_HELP
    )
    participants = forms.CharField(
        label=_("Participants' representatives (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=PEOPLE_HELP,
        required=False,
    )

    # Sent back with the form: the same form posted twice (a double click, a reload after a
    # slow answer) starts one round, not two.
    start_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    another_round = forms.BooleanField(
        label=_("Start another round although one is still open"), required=False
    )

    def __init__(self, *args: object, initiative: Initiative, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.open_rounds = [
            r
            for r in initiative.health_rounds.filter(status=RoundStatus.OPEN)
            if not r.is_closed(timezone.localdate())
        ]
        if not self.open_rounds:
            del self.fields["another_round"]
        self.fields["start_key"].initial = uuid.uuid4().hex
        self.fields["sets"].queryset = ItemSet.objects.filter(bank=latest_bank())
        self.fields["sets"].initial = ["core"]
        self.fields["closes_on"].initial = timezone.localdate() + datetime.timedelta(days=14)
        self.partner_orgs = list(
            Organisation.objects.filter(participations__initiative=initiative).distinct()
        )

    def _people(self, field: str, party: str) -> list[RespondentSpec]:
        specs = []
        errors = []
        for number, line in enumerate(self.cleaned_data.get(field, "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) < 2 or not parts[0]:
                errors.append(_("Line %(n)s: write “name; e-mail”.") % {"n": number})
                continue
            try:
                validate_email(parts[1])
            except ValidationError:
                errors.append(
                    _("Line %(n)s: “%(email)s” is not an e-mail address.")
                    % {"n": number, "email": parts[1]}
                )
                continue
            organisation = None
            if party == Party.PARTNER:
                organisation = self._partner(parts[2] if len(parts) > 2 else "", number, errors)
                if organisation is None:
                    continue
            specs.append(RespondentSpec(parts[0], parts[1], party, organisation))
        if errors:
            self.add_error(field, errors)
        return specs

    def _partner(self, name: str, number: int, errors: list) -> Organisation | None:
        if not name and len(self.partner_orgs) == 1:
            return self.partner_orgs[0]
        for org in self.partner_orgs:
            if name.lower() in (org.name.lower(), org.slug):
                return org
        known = ", ".join(org.name for org in self.partner_orgs) or _("none registered")
        errors.append(
            _("Line %(n)s: name the partner organisation (one of: %(known)s).")
            % {"n": number, "known": known}
        )
        return None

    def clean(self) -> dict:
        data = super().clean()
        if self.open_rounds and not data.get("another_round"):
            titles = ", ".join(f"“{r.title}”" for r in self.open_rounds)
            self.add_error(
                "another_round",
                _(
                    "%(titles)s is still open. Tick this box if you really want to start "
                    "another round beside it."
                )
                % {"titles": titles},
            )
        data["respondents"] = [
            *self._people("municipality_staff", Party.MUNICIPALITY),
            *self._people("partner_staff", Party.PARTNER),
            *self._people("participants", Party.PARTICIPANTS),
        ]
        return data


class OwnItemForm(forms.Form):
    dimension = forms.ChoiceField(label=_("Dimension"))
    text_nb = forms.CharField(label=_("Statement (bokmål)"), max_length=300)
    text_en = forms.CharField(label=_("Statement (English)"), max_length=300, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [
            (d.code, d.name) for d in Dimension.objects.filter(bank=latest_bank())
        ]


ANSWER_CHOICES = [
    ("1", _("Strongly disagree")),
    ("2", _("Disagree")),
    ("3", _("Neither agree nor disagree")),
    ("4", _("Agree")),
    ("5", _("Strongly agree")),
    (DONT_KNOW, _("Don't know")),
]


class AnswerForm(forms.Form):
    """One radio group per statement of the round, plus a comment."""

    comment = forms.CharField(
        label=_("Anything you would like to add? (optional)"),
        help_text=_("Shown to the others without your name. Do not write names of others."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args: object, round_items, stored: dict[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.round_items = list(round_items)
        for ri in self.round_items:
            self.fields[f"item_{ri.pk}"] = forms.ChoiceField(
                label=ri.item.text,
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=stored.get(ri.pk),
            )

    def item_fields(self):
        return [self[f"item_{ri.pk}"] for ri in self.round_items]

    def answers(self) -> dict[int, str]:
        return {ri.pk: self.cleaned_data.get(f"item_{ri.pk}") or "" for ri in self.round_items}
