"""Forms: validation at the boundary. Domain rules live in services and lifecycle."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samskap.accounts.models import (
    MUNICIPAL_ROLES,
    Municipality,
    Organisation,
    OrganisationKind,
    User,
)
from samskap.core.widgets import Select

from . import lifecycle
from .models import (
    GOVERNANCE_LOGIC_HELP,
    GovernanceLogic,
    IdeaProposal,
    Initiative,
    Participation,
    Sector,
    SectorCode,
    Stage,
    Story,
    StoryKind,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ShowcaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        widget=Select,
        choices=[("", _("All sectors")), *SectorCode.choices],
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        widget=Select,
        choices=[("", _("All stages")), *Stage.choices],
    )
    partner_kind = forms.ChoiceField(
        label=_("Partner type"),
        required=False,
        widget=Select,
        choices=[("", _("All partner types")), *OrganisationKind.choices],
    )
    governance_logic = forms.ChoiceField(
        label=_("Governance logic"),
        required=False,
        widget=Select,
        choices=[("", _("All governance logics")), *GovernanceLogic.choices],
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False, widget=Select)
    # Initiatives whose municipality published measured effects and value (valuation app).
    measured = forms.BooleanField(label=_("With measured results"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=Select,
        choices=[
            ("", _("Best match (newest without a search)")),
            ("newest", _("Newest")),
            ("name", _("Name")),
        ],
    )

    def __init__(self, *args: object, municipalities=None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.all() if municipalities is None else municipalities
        self.fields["municipality"].choices = [
            ("", _("All municipalities")),
            *((m.slug, m.name) for m in municipalities),
        ]

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid value is dropped (and shown as a field error)."""
        if self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if v}
        return {
            k: v for k, v in self.data.items() if k in self.fields and k not in self.errors and v
        }


class LessonsFilterForm(forms.Form):
    """The lessons page's search: words, kind of story, and order (as the showcase's)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        widget=Select,
        choices=[("", _("All kinds")), *StoryKind.choices],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=Select,
        choices=[
            ("", _("Best match (newest without a search)")),
            ("newest", _("Newest")),
            ("title", _("Title")),
        ],
    )

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid value is dropped (and shown as a field error)."""
        if self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if v}
        return {
            k: v for k, v in self.data.items() if k in self.fields and k not in self.errors and v
        }


class PortfolioFilterForm(ShowcaseFilterForm):
    """The portfolio's filters: the municipalities the user manages (all of them by default)."""

    def __init__(self, *args: object, municipalities, **kwargs: object) -> None:
        super().__init__(*args, municipalities=municipalities, **kwargs)
        del self.fields["sort"]  # the portfolio has its own fixed order
        del self.fields["measured"]  # a showcase filter: what the public can see
        del self.fields["q"]
        self.fields["municipality"].choices[0] = ("", _("All my municipalities"))


class GovernanceLogicSelect(forms.RadioSelect):
    template_name = "registry/widgets/governance_logic.html"

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["help"] = {str(k): v for k, v in GOVERNANCE_LOGIC_HELP.items()}
        return context


class InitiativeForm(forms.ModelForm):
    """Create and edit an initiative. Fields only steering users may change are removed for
    partners (``steering=False``)."""

    co_owners = forms.ModelMultipleChoiceField(
        label=_("Co-owning municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other municipalities that own the initiative together with yours."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Initiative
        fields = [
            "title",
            "need",
            "description",
            "target_group",
            "sectors",
            "governance_logic",
            "visibility",
            "start_date",
            "project_leader",
            "contact_name",
            "contact_email",
        ]
        widgets = {
            "need": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "sectors": forms.CheckboxSelectMultiple,
            "governance_logic": GovernanceLogicSelect,
            "visibility": forms.RadioSelect,
            "start_date": DateInput(),
        }

    def __init__(
        self, *args: object, municipality: Municipality, steering: bool = True, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.all()
        self.fields["project_leader"].queryset = (
            User.objects.filter(
                memberships__municipality=municipality, memberships__role__in=MUNICIPAL_ROLES
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["co_owners"].queryset = Municipality.objects.exclude(pk=municipality.pk)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["co_owners"].initial = self.instance.owners.exclude(pk=municipality.pk)
        if not steering:
            for name in ("visibility", "project_leader", "co_owners"):
                del self.fields[name]


class MoveForm(forms.Form):
    target = forms.ChoiceField(label=_("Move to stage"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_transition_date = forms.DateField(
        label=_("Planned transition to operation"), required=False, widget=DateInput()
    )
    operating_owner = forms.ModelChoiceField(
        label=_("Intended operating owner"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("The organisation that will run the service when the pilot is over."),
    )
    post_pilot_funding = forms.CharField(
        label=_("Funding after the pilot"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Which budget pays for operation, and from when."),
    )
    decision_body = forms.CharField(label=_("Deciding body"), required=False, max_length=200)
    decision_case_number = forms.CharField(label=_("Case number"), required=False, max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DateInput())
    decision_url = forms.URLField(
        label=_("Link to the decision"), required=False, assume_scheme="https"
    )
    lesson_title = forms.CharField(label=_("Lesson learned: title"), required=False, max_length=200)
    lesson_text = forms.CharField(
        label=_("Lesson learned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should others learn from this initiative?"),
    )

    def __init__(
        self, *args: object, current_stage: str, target: str = "", **kwargs: object
    ) -> None:
        """Only the fields the move to ``target`` needs (the first allowed move by default)."""
        super().__init__(*args, **kwargs)
        labels = dict(Stage.choices)
        allowed = lifecycle.allowed_moves(current_stage)
        self.fields["target"].choices = [(stage, labels[stage]) for stage in allowed]
        self.chosen = target if target in allowed else (allowed[0] if allowed else "")
        self.fields["target"].initial = self.chosen
        needed = set(lifecycle.fields_for(current_stage, self.chosen))
        optional = {"target", "note"}
        for name in list(self.fields):
            if name not in needed | optional:
                del self.fields[name]
        if lifecycle.is_backward(current_stage, self.chosen):
            self.fields["note"].label = _("Why the initiative goes back a stage")

    def move_request(self) -> lifecycle.MoveRequest:
        data = self.cleaned_data
        owner = data.get("operating_owner")
        return lifecycle.MoveRequest(
            target=data["target"],
            note=data.get("note", ""),
            planned_transition_date=data.get("planned_transition_date"),
            operating_owner_id=owner.pk if owner else None,
            post_pilot_funding=data.get("post_pilot_funding", ""),
            decision_body=data.get("decision_body", ""),
            decision_case_number=data.get("decision_case_number", ""),
            decision_date=data.get("decision_date"),
            decision_url=data.get("decision_url", ""),
            lesson_title=data.get("lesson_title", ""),
            lesson_text=data.get("lesson_text", ""),
        )


class StoryForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = ["title", "kind", "text", "date", "visibility"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "date": DateInput(),
            "visibility": forms.RadioSelect,
        }


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["organisation", "role", "start_date", "end_date", "note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class IdeaForm(forms.ModelForm):
    # A field humans do not see; bots fill it in.
    homepage = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = IdeaProposal
        fields = ["municipality", "title", "need", "description", "proposer_name", "proposer_email"]
        widgets = {
            "need": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "proposer_email": _(
                "Optional. Only the municipality's coordinators see it, "
                "to contact you about the idea."
            ),
        }


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept into the registry")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    target_group = forms.CharField(label=_("Target group"), required=False, max_length=300)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note to the record"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "accept":
            if not data.get("target_group", "").strip():
                self.add_error("target_group", _("Give the target group of the initiative."))
            if not data.get("sectors"):
                self.add_error("sectors", _("Choose at least one sector."))
        return data
