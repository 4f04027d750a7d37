"""Form widgets shared by the apps."""

from django import forms


class Select(forms.Select):
    """A drop-down for flat choices, rendered from plain (value, label, selected) tuples.

    Django's ``Select`` builds a dictionary per option and includes a template per option,
    which was a third of the rendering time of the portfolio page with its five filters. No
    option groups and no per-option attributes here."""

    template_name = "core/widgets/select.html"

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        context = forms.Widget.get_context(self, name, value, attrs)
        selected = set(context["widget"]["value"])
        context["widget"]["options"] = [
            (value, label, str(value) in selected) for value, label in self.choices
        ]
        return context
