"""The agreement pages read their number parameters with the one helper (core.params)."""

from django.urls import reverse

from .test_pages import _signed


def test_odd_digits_in_a_version_parameter_are_not_a_server_error(aw) -> None:
    _signed(aw)
    client = aw.client(aw.coordinator)
    url = aw.agreement.get_absolute_url()
    assert client.get(url + "?versjon=%C2%B2").status_code == 200  # the latest version
    assert client.get(url + "?versjon=99999999999999999999").status_code == 200
    diff = reverse("agreements:diff", args=[aw.agreement.pk])
    assert client.get(diff + "?til=%C2%B2").status_code == 404
    assert client.get(diff + "?fra=1&til=1").status_code == 200
