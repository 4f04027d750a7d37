"""Forms of the measurement pages. Validation at the boundary; the services decide the rest."""

import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Direction, Level, Scoring, TimePointKind, Unit, Valence, ValueKind


class ChainItemForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    text = forms.CharField(label=_("Text"), max_length=300)
    for_whom = forms.CharField(label=_("For whom (outcomes)"), max_length=200, required=False)
    intended = forms.ChoiceField(
        label=_("Intended or unintended (outcomes)"),
        choices=[("yes", _("Intended")), ("no", _("Unintended"))],
        initial="yes",
    )
    valence = forms.ChoiceField(
        label=_("Positive or negative (outcomes)"), choices=Valence.choices, initial="positive"
    )


class AdoptForm(forms.Form):
    library = forms.ModelChoiceField(label=_("Indicator from the library"), queryset=None)
    chain_item = forms.ModelChoiceField(label=_("Belongs to"), queryset=None)

    def __init__(self, *args, library, chain_items, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = library
        self.fields["chain_item"].queryset = chain_items


class PeriodForm(forms.Form):
    label = forms.CharField(label=_("Period"), max_length=40, help_text=_("e.g. 2025"))
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))


class ValueForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Period"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=ValueKind.choices)
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=16, decimal_places=4)
    numerator = forms.DecimalField(
        label=_("Numerator (percentages)"), required=False, max_digits=16, decimal_places=4
    )
    denominator = forms.DecimalField(
        label=_("Denominator (percentages)"), required=False, max_digits=16, decimal_places=4
    )
    measured_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.CharField(label=_("Method"), max_length=300, required=False)

    def __init__(self, *args, periods, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


class PeriodReportForm(forms.Form):
    """One period's values in one form, sent for approval with one button: baseline, target
    and actual (with numerator and denominator for a percentage)."""

    period = forms.ModelChoiceField(label=_("Period"), queryset=None)

    def __init__(self, *args, periods, percentage: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.percentage = percentage
        for kind, label in ValueKind.choices:
            if percentage:
                self.fields[f"{kind}_numerator"] = forms.DecimalField(
                    label=_("%(kind)s: numerator") % {"kind": label},
                    required=False,
                    max_digits=16,
                    decimal_places=4,
                )
                self.fields[f"{kind}_denominator"] = forms.DecimalField(
                    label=_("%(kind)s: denominator") % {"kind": label},
                    required=False,
                    max_digits=16,
                    decimal_places=4,
                )
            else:
                self.fields[f"{kind}_value"] = forms.DecimalField(
                    label=label, required=False, max_digits=16, decimal_places=4
                )
        self.fields["measured_on"] = forms.DateField(
            label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["method"] = forms.CharField(label=_("Method"), max_length=300, required=False)

    def entries(self) -> dict[str, dict]:
        """Each kind's figures, for ``services.period_report``."""
        data = self.cleaned_data
        return {
            kind: {
                "value": data.get(f"{kind}_value"),
                "numerator": data.get(f"{kind}_numerator"),
                "denominator": data.get(f"{kind}_denominator"),
            }
            for kind in ValueKind.values
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What needs to change"), widget=forms.Textarea)


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(label=_("Purpose, shown first"), widget=forms.Textarea)
    consent_text = forms.CharField(label=_("Consent text"), widget=forms.Textarea)
    items = forms.ModelMultipleChoiceField(
        label=_("Questions from the library"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    before = forms.DateField(
        label=_("Before survey opens"), widget=forms.DateInput(attrs={"type": "date"})
    )
    after = forms.DateField(
        label=_("After survey opens"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, library, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = library


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of new codes"), min_value=1, max_value=5000)
    comparison = forms.BooleanField(
        label=_("Codes for a comparison group"),
        required=False,
        help_text=_(
            "People who are not in the initiative and answer the same survey, so that the "
            "participants' change can be compared with theirs."
        ),
    )


CLOSES_HELP = _(
    "The last day the personal links answer. Empty: they answer until a closing date is set. "
    "Participants may withdraw through their link until the last time point has closed."
)


def _closing_after_opening(form: forms.Form, opens_on) -> None:
    closes_on = form.cleaned_data.get("closes_on")
    if closes_on and opens_on and closes_on < opens_on:
        form.add_error("closes_on", _("The closing date cannot be before the opening date."))


class TimePointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Time point"), choices=TimePointKind.choices)
    opens_on = forms.DateField(label=_("Opens"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes"),
        required=False,
        help_text=CLOSES_HELP,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        _closing_after_opening(self, data.get("opens_on"))
        return data


class ClosingForm(forms.Form):
    """Set or change the closing date of a time point the survey has."""

    point = forms.ModelChoiceField(label=_("Time point"), queryset=None)
    closes_on = forms.DateField(
        label=_("Closes"),
        required=False,
        help_text=CLOSES_HELP,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = survey.time_points.all()

    def clean(self) -> dict:
        data = super().clean()
        point = data.get("point")
        _closing_after_opening(self, point.opens_on if point else None)
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))


class WithdrawForm(forms.Form):
    code = forms.CharField(label=_("Participant code"), max_length=8)


def question_fields(questions) -> dict[str, forms.Field]:
    """One radio group per question: whole numbers on the item's scale."""
    fields = {}
    for item, number, text in questions:
        library = item.library
        choices = [(str(v), str(v)) for v in range(library.answer_min, library.answer_max + 1)]
        fields[f"q-{item.pk}-{number}"] = forms.TypedChoiceField(
            label=text,
            choices=choices,
            coerce=int,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            help_text=library.text("answer_labels"),
        )
    return fields


class AnswerForm(forms.Form):
    def __init__(self, *args, questions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(question_fields(questions))

    def answers(self) -> dict[tuple[int, int], int]:
        result = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("q-") and value not in (None, ""):
                _q, item, number = name.split("-")
                result[(int(item), int(number))] = value
        return result


class PaperForm(AnswerForm):
    code = forms.CharField(label=_("Participant code"), max_length=8)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["code"])


class IndicatorForm(forms.Form):
    """An adopted indicator's definition; ``version`` is the version the form was read at."""

    name = forms.CharField(label=_("Name"), max_length=200)
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea)
    chain_item = forms.ModelChoiceField(label=_("Belongs to"), queryset=None)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    scale_min = forms.DecimalField(
        label=_("Lowest possible value"), required=False, max_digits=16, decimal_places=4
    )
    scale_max = forms.DecimalField(
        label=_("Highest possible value"), required=False, max_digits=16, decimal_places=4
    )
    data_source = forms.CharField(label=_("Data source"), max_length=200, required=False)
    method = forms.CharField(label=_("How it is measured"), max_length=300, required=False)
    frequency = forms.CharField(label=_("How often"), max_length=100, required=False)
    reporter = forms.CharField(label=_("Who reports"), max_length=200, required=False)
    cumulative = forms.BooleanField(
        label=_("Cumulative: each period's value is the running total since the start"),
        required=False,
    )
    disaggregations = forms.CharField(
        label=_("Disaggregations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One dimension a line: the name, a colon, then its categories separated by "
            "commas, e.g. gender: female, male"
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, chain_items, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chain_item"].queryset = chain_items

    def clean_disaggregations(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for line in self.cleaned_data["disaggregations"].splitlines():
            if not line.strip():
                continue
            dimension, colon, categories = line.partition(":")
            names = [c.strip() for c in categories.split(",") if c.strip()]
            if not colon or not dimension.strip() or not names:
                raise forms.ValidationError(
                    _("Write each line as a name, a colon and categories: gender: female, male")
                )
            result[dimension.strip()] = names
        return result

    def clean(self) -> dict:
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None and low >= high:
            self.add_error("scale_max", _("The highest possible value must be above the lowest."))
        return data


def disaggregations_text(data: dict) -> str:
    """The disaggregations as the form's text: one "dimension: a, b" line each."""
    return "\n".join(f"{dimension}: {', '.join(names)}" for dimension, names in data.items())


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Slug (in the address)"),
        max_length=220,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the name when left empty."),
    )
    initiatives = forms.ModelMultipleChoiceField(
        label=_("Initiatives"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Initiatives the municipality owns."),
    )

    def __init__(self, *args, initiatives, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initiatives"].queryset = initiatives


class LibraryEntryForm(forms.Form):
    """A municipality's own library indicator; questions one a line."""

    name = forms.CharField(label=_("Name"), max_length=200)
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("outcome", pgettext_lazy("results chain", "Outcome")), ("output", _("Output"))],
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    questions = forms.CharField(
        label=_("Survey questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One question a line; leave empty for an indicator not asked in surveys."),
    )
    answer_min = forms.IntegerField(label=_("Lowest answer"), required=False)
    answer_max = forms.IntegerField(label=_("Highest answer"), required=False)
    answer_labels = forms.CharField(label=_("Answer labels"), max_length=300, required=False)
    scoring = forms.ChoiceField(label=_("Score"), choices=Scoring.choices)
    reliability = forms.DecimalField(
        label=_("Reliability (r_xx, 0–1)"),
        required=False,
        max_digits=3,
        decimal_places=2,
        min_value=0,
        max_value=1,
    )
    source = forms.CharField(label=_("Source"), widget=forms.Textarea(attrs={"rows": 2}))
    licence = forms.CharField(label=_("Licence note"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_questions(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()
        ]


class SurveyInvitationForm(forms.Form):
    """Addresses to invite, one per line, each with the person's code when they have one."""

    recipients = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One person per line. Write only the address to give the person a new participant "
            "code; write the address and the person's code (for example “person@example.org "
            "K7QX2M4P”) to invite someone who answered an earlier time point."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the message"), choices=settings.LANGUAGES)
    # Sent back with the form: the same form posted twice (a double click, a reload) sends once.
    batch = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)

    def __init__(self, *args, language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language
        self.fields["batch"].initial = uuid.uuid4().hex

    def clean_recipients(self) -> list:
        from .invitations import Invitee

        invitees = []
        errors = []
        for number, line in enumerate(self.cleaned_data["recipients"].splitlines(), start=1):
            parts = [part for part in re.split(r"[\s,;]+", line) if part]
            if not parts:
                continue
            emails = [part for part in parts if "@" in part]
            codes = [part for part in parts if "@" not in part]
            if len(emails) != 1 or len(codes) > 1:
                errors.append(
                    _("Line %(n)s: write one e-mail address, and at most one code.") % {"n": number}
                )
                continue
            try:
                validate_email(emails[0])
            except ValidationError:
                errors.append(
                    _("Line %(n)s: “%(email)s” is not an e-mail address.")
                    % {"n": number, "email": emails[0]}
                )
                continue
            invitees.append(Invitee(emails[0], codes[0] if codes else ""))
        if errors:
            raise ValidationError(errors)
        if not invitees:
            raise ValidationError(_("Write at least one e-mail address."))
        return invitees
