"""Forms of the account pages: organisations, invitations, joining, profile."""

import uuid

from django import forms
from django.contrib.auth import password_validation
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import (
    INVITABLE_ROLES,
    Language,
    Municipality,
    Organisation,
    Role,
    User,
)
from .validators import normalise_org_number, validate_org_number


class MunicipalitySettingsForm(forms.ModelForm):
    """A municipality's own settings, kept by its coordinators."""

    class Meta:
        model = Municipality
        fields = ["country", "default_language", "four_eyes_approval", "privacy_threshold"]
        help_texts = {
            "four_eyes_approval": _(
                "An indicator value must be approved by someone other than the person who "
                "entered it. Recommended; turn it off only where one person does all the "
                "reporting."
            ),
            "country": _(
                "Decides the agreement templates offered (in the country's terms) and the "
                "discounting convention new value maps start from."
            ),
            "default_language": _("The language of messages to people who have not chosen one."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, the threshold stays as it is (it is the one setting with a floor).
        self.fields["privacy_threshold"].required = False

    def clean_privacy_threshold(self) -> int:
        value = self.cleaned_data.get("privacy_threshold")
        return self.instance.privacy_threshold if value is None else value


class OrgNumberField(forms.CharField):
    """Nine digits with the modulus-11 check; spaces and "NO … MVA" as copied are accepted."""

    def to_python(self, value: object) -> str:
        return normalise_org_number(super().to_python(value))


class OrganisationForm(forms.ModelForm):
    org_number = OrgNumberField(
        label=_("Organisation number"),
        required=False,
        max_length=30,
        validators=[validate_org_number],
        help_text=_(
            "Nine digits from the Brønnøysund Register Centre, for example 974 760 673. "
            "Leave empty if the organisation has none."
        ),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "org_number", "website", "description", "home_municipality"]
        labels = {"home_municipality": _("Registered in")}
        help_texts = {
            "home_municipality": _(
                "The municipality whose coordinators look after the organisation's page and people."
            )
        }

    def __init__(self, *args, municipalities: QuerySet[Municipality], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["home_municipality"]
        field.queryset = municipalities
        field.empty_label = None
        # A shared organisation (registered nowhere) may stay so; a new one is registered.
        field.required = not (self.instance.pk and self.instance.home_municipality_id is None)
        if field.required and municipalities.count() == 1:
            field.initial = municipalities.first()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == "municipal_unit" and not data.get("home_municipality"):
            self.add_error("home_municipality", _("A municipal unit belongs to a municipality."))
        return data

    def clean_org_number(self) -> str:
        # Checked here, not left to the database constraint, to name the holder.
        number = self.cleaned_data["org_number"]
        holder = (
            Organisation.objects.filter(org_number=number).exclude(pk=self.instance.pk).first()
            if number
            else None
        )
        if holder is not None:
            raise forms.ValidationError(
                _("This organisation number is already registered for “%(name)s”."),
                params={"name": holder.name},
            )
        return number


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(
        label=_("Name"), required=False, max_length=150, help_text=_("Used in the greeting.")
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in INVITABLE_ROLES],
        help_text=_(
            "Partner: acts for the organisation below. Viewer, project leader and coordinator "
            "are staff of the municipality."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation (for partners)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=None
    )
    language = forms.ChoiceField(
        label=_("Language of the message"), choices=Language.choices, required=False
    )
    # Sent back with the form: the same form posted twice (a reload, a double click) makes one
    # invitation, and its link stays the one already shown and mailed.
    form_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        municipalities: QuerySet[Municipality],
        organisations: QuerySet[Organisation],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form_key"].initial = uuid.uuid4().hex
        self.fields["municipality"].queryset = municipalities
        self.fields["organisation"].queryset = organisations
        if municipalities.count() == 1:
            self.fields["municipality"].widget = forms.HiddenInput()
            self.fields["municipality"].initial = municipalities.first()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == Role.PARTNER and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation the person works for."))
        return data


class JoinForm(forms.Form):
    """A new person's account, made through an invitation link."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("What you type to log in. Letters, digits and @ . + - _ only."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("The password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, name: str = "", **kwargs) -> None:
        # What the invitation already knows is filled in: the name the inviter gave, split at
        # its first space, and the address's local part as user name when no one has it.
        first, _space, last = name.strip().partition(" ")
        local = email.split("@", 1)[0]
        kwargs.setdefault("initial", {}).update(
            {"first_name": first, "last_name": last.strip()}
            | ({} if User.objects.filter(username__iexact=local).exists() else {"username": local})
        )
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken; choose another."))
        return username

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=self.email,
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
