"""Form widgets shared by the apps."""

from django import forms


class Select(forms.Select):
    """A drop-down whose options are written in its own template. Django's default includes a
    template per option, which was a third of the rendering time of the portfolio page with its
    five filters. Options carry no attributes of their own here beyond ``selected``."""

    template_name = "core/widgets/select.html"
