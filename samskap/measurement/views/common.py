"""Helpers shared by the measurement views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form


def add_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def flash_error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))
