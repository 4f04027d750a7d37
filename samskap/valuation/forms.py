from django import forms
from django.utils.translation import gettext_lazy as _

from samskap.core import uploads
from samskap.core.coded_texts import translated
from samskap.measurement.models import Period, SurveyItem

from .models import LinkKind, Proxy, ValueInput, ValueMap, ValueOutcome
from .services import MAP_FIELDS
from .valuemap import ValueMapError, price_index_from_text


class VersionedForm(forms.ModelForm):
    """A form that carries the version of the map the editor started from."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class FlowMixin(forms.ModelForm):
    """A row's kind of flow may be left out (older forms, the API): it is then a real
    resource, as the file format's default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flow"].required = False

    def clean_flow(self) -> str:
        return self.cleaned_data.get("flow") or "resource"


class ValueMapForm(VersionedForm):
    """The map's settings; the price index comes as a CSV file (year,index) and the
    correlation groups as lines "group: rank correlation"."""

    price_index_file = forms.FileField(
        label=_("Price index (CSV file)"),
        required=False,
        help_text=_(
            "Columns year and index, e.g. the consumer price index (SSB table 03014). "
            "Replaces the stored index; leave empty to keep it."
        ),
    )
    correlations_text = forms.CharField(
        label=_("Correlation groups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            'One group a line, "name: rank correlation" (−1 to 1), e.g. "uptake: 0.6". '
            "Outcomes name their group."
        ),
    )

    class Meta:
        model = ValueMap
        fields = [f for f in MAP_FIELDS if f not in ("price_index", "correlations")]
        help_texts = {
            "discount_rate": _("Real rate as a fraction: 0.04 is 4 % (R-109/21)."),
            "schedule": _("A schedule replaces the single rate."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["correlations_text"] = "\n".join(
                f"{name}: {rho:g}" for name, rho in self.instance.correlations.items()
            )

    def clean_price_index_file(self) -> dict[str, float] | None:
        upload = self.cleaned_data.get("price_index_file")
        if not upload:
            return None
        try:
            text = uploads.decode_text(uploads.read_bytes(upload, uploads.TABLE))
            index = price_index_from_text(text, upload.name)
        except uploads.UploadError as error:
            raise forms.ValidationError(str(error)) from error
        except ValueMapError as error:
            raise forms.ValidationError(
                [f"{place}: {translated(message)}" for place, message in error.problems]
            ) from error
        return {str(year): value for year, value in sorted(index.items())}

    def clean_correlations_text(self) -> dict[str, float]:
        result: dict[str, float] = {}
        for line in self.cleaned_data.get("correlations_text", "").splitlines():
            if not line.strip():
                continue
            name, _colon, value = line.partition(":")
            try:
                rho = float(value.strip().replace(",", ".").replace("\u2212", "-"))
            except ValueError:
                rho = None
            if not name.strip() or rho is None or not -1 <= rho <= 1:
                raise forms.ValidationError(
                    _('"%(line)s": write a group name, a colon and a number from −1 to 1.')
                    % {"line": line.strip()}
                )
            result[name.strip()] = rho
        return result

    def changes(self) -> dict:
        """The cleaned fields as the service takes them."""
        data = dict(self.cleaned_data)
        data.pop("expected_version", None)
        index = data.pop("price_index_file", None)
        if index is not None:
            data["price_index"] = index
        data["correlations"] = data.pop("correlations_text", {})
        return data


class InputForm(FlowMixin, VersionedForm):
    class Meta:
        model = ValueInput
        fields = [
            "stakeholder",
            "description",
            "amount",
            "amount_low",
            "amount_high",
            "hours",
            "hourly_value",
            "year",
            "payer",
            "flow",
            "rationale",
        ]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 2})}


class OutcomeForm(FlowMixin, VersionedForm):
    class Meta:
        model = ValueOutcome
        fields = [
            "stakeholder",
            "outcome",
            "indicator",
            "quantity",
            "quantity_low",
            "quantity_high",
            "quantity_rationale",
            "proxy",
            "proxy_value",
            "proxy_value_low",
            "proxy_value_high",
            "proxy_source",
            "proxy_price_year",
            "life_satisfaction",
            "life_satisfaction_low",
            "life_satisfaction_high",
            "duration",
            "starts",
            "deadweight",
            "deadweight_low",
            "deadweight_high",
            "deadweight_evidence",
            "deadweight_source",
            "deadweight_rationale",
            "displacement",
            "displacement_low",
            "displacement_high",
            "displacement_rationale",
            "attribution",
            "attribution_low",
            "attribution_high",
            "attribution_evidence",
            "attribution_source",
            "attribution_rationale",
            "drop_off",
            "drop_off_low",
            "drop_off_high",
            "drop_off_rationale",
            "payer",
            "flow",
            "correlation_group",
        ]
        widgets = dict.fromkeys(
            (
                "quantity_rationale",
                "deadweight_rationale",
                "displacement_rationale",
                "attribution_rationale",
                "drop_off_rationale",
            ),
            forms.Textarea(attrs={"rows": 2}),
        )
        help_texts = {
            "proxy": _("Picking a proxy fills in its value and source when those are empty."),
            "deadweight": _("Share that would have happened anyway (0-1)."),
            "displacement": _("Share that only moved elsewhere (0-1)."),
            "attribution": _("Share due to others than this initiative (0-1)."),
            "drop_off": _("Share lost each year after the first (0-1)."),
        }


class ProxyForm(forms.ModelForm):
    source_url = forms.URLField(label=_("source address"), required=False, assume_scheme="https")

    class Meta:
        model = Proxy
        fields = [
            "name",
            "value",
            "unit",
            "price_year",
            "source",
            "source_url",
            "method",
            "licence",
        ]


class ImportForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Value map file"),
        help_text=_("The Excel template, or a JSON or YAML value map. Replaces the whole map."),
    )


class LinkForm(forms.Form):
    """Link an outcome's number to a measurement of the same initiative (links.py)."""

    kind = forms.ChoiceField(label=_("Take the number from"), choices=LinkKind.choices)
    period = forms.ModelChoiceField(
        label=_("Indicator period"), queryset=Period.objects.none(), required=False
    )
    survey_item = forms.ModelChoiceField(
        label=_("Survey measure"), queryset=SurveyItem.objects.none(), required=False
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, initiative, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(
            indicator__initiative=initiative
        ).select_related("indicator")
        self.fields["period"].label_from_instance = lambda p: f"{p.indicator.name}: {p.label}"
        self.fields["survey_item"].queryset = SurveyItem.objects.filter(
            survey__initiative=initiative
        ).select_related("survey", "library")
        self.fields["survey_item"].label_from_instance = lambda i: (
            f"{i.survey.title}: {i.library.text('name')}"
        )
