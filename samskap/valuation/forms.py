from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Proxy, ValueInput, ValueMap, ValueOutcome
from .services import MAP_FIELDS


class VersionedForm(forms.ModelForm):
    """A form that carries the version of the map the editor started from."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class ValueMapForm(VersionedForm):
    class Meta:
        model = ValueMap
        fields = list(MAP_FIELDS)
        help_texts = {
            "discount_rate": _("Real rate as a fraction: 0.04 is 4 % (R-109/21)."),
            "schedule": _("A schedule replaces the single rate."),
        }


class InputForm(VersionedForm):
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
            "rationale",
        ]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 2})}


class OutcomeForm(VersionedForm):
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
