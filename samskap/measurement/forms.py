"""Forms of the measurement pages. Validation at the boundary; the services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level, TimePointKind, Valence, ValueKind


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


class TimePointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Time point"), choices=TimePointKind.choices)
    opens_on = forms.DateField(label=_("Opens"), widget=forms.DateInput(attrs={"type": "date"}))


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
            help_text=library.answer_labels,
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
