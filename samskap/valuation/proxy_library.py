"""The financial proxies shipped with Samskap, with their texts in every language.

Only figures whose licence permits it are shipped (Norwegian public decisions and documents are
free of copyright, åndsverkloven § 14); never HACT Social Value Bank or National TOMs values.

As in the indicator library (``measurement/library.py``), each entry's texts are stored in
English and ``translations`` holds them in bokmål, nynorsk, Swedish and Danish, read through
``Proxy.text`` (nynorsk falls back to bokmål). Loaded into ``Proxy`` by migration 0001 and kept
in step by ``sync_proxies`` (migration 0005 onwards). A municipality's own proxies have no
``code`` and are shown as typed.
"""

from __future__ import annotations

from typing import Any

PUBLIC_DECISION = {
    "nb": "Offentlig vedtak, fritt for opphavsrett (åndsverkloven § 14)",
    "nn": "Offentleg vedtak, fritt for opphavsrett (åndsverklova § 14)",
    "sv": "Offentligt beslut, fritt från upphovsrätt (norska åndsverkloven § 14)",
    "da": "Offentlig afgørelse, fri for ophavsret (norske åndsverkloven § 14)",
}
PUBLIC_DOCUMENT = {
    "nb": "Offentlig dokument, fritt for opphavsrett (åndsverkloven § 14)",
    "nn": "Offentleg dokument, fritt for opphavsrett (åndsverklova § 14)",
    "sv": "Offentlig handling, fri från upphovsrätt (norska åndsverkloven § 14)",
    "da": "Offentligt dokument, fri for ophavsret (norske åndsverkloven § 14)",
}

PROXIES: list[dict[str, Any]] = [
    {
        "code": "grunnbelop-2025",
        # The name it was shipped under before it had a code (migration 0001).
        "former_name": "Folketrygdens grunnbeløp (1 G)",
        "name": "National Insurance basic amount (1 G)",
        "value": "130160",
        "unit": "NOK per year",
        "price_year": 2025,
        "source": "Storting / NAV: the basic amount of the National Insurance from 1 May 2025",
        "source_url": "https://www.nav.no/grunnbelopet",
        "method": (
            "Set yearly by the Storting. Many benefits are multiples of G (e.g. AAP, uføretrygd); "
            "use it to value a benefit saved in the public-budget lens. A benefit is a transfer, "
            "not a resource cost: in a cost-benefit analysis count only its tax-financing cost."
        ),
        "licence": "Public decision, free of copyright (åndsverkloven § 14)",
        "translations": {
            "nb": {
                "name": "Folketrygdens grunnbeløp (1 G)",
                "unit": "kr per år",
                "source": "Stortinget / NAV: grunnbeløpet i folketrygden fra 1. mai 2025",
                "method": "Fastsettes årlig av Stortinget. Mange ytelser er multipler av G "
                "(f.eks. AAP, uføretrygd); bruk det til å verdsette en spart ytelse i "
                "budsjettperspektivet. En ytelse er en overføring, ikke en ressurskostnad: i en "
                "samfunnsøkonomisk analyse teller bare skattefinansieringskostnaden.",
                "licence": PUBLIC_DECISION["nb"],
            },
            "nn": {
                "name": "Grunnbeløpet i folketrygda (1 G)",
                "unit": "kr per år",
                "source": "Stortinget / NAV: grunnbeløpet i folketrygda frå 1. mai 2025",
                "method": "Blir fastsett årleg av Stortinget. Mange ytingar er multiplar av G "
                "(t.d. AAP, uføretrygd); bruk det til å verdsetje ei spart yting i "
                "budsjettperspektivet. Ei yting er ei overføring, ikkje ein ressurskostnad: i "
                "ein samfunnsøkonomisk analyse tel berre skattefinansieringskostnaden.",
                "licence": PUBLIC_DECISION["nn"],
            },
            "sv": {
                "name": "Grundbeloppet i norska folketrygden (1 G)",
                "unit": "NOK per år",
                "source": "Stortinget / NAV: grundbeloppet i folketrygden från 1 maj 2025",
                "method": "Fastställs årligen av Stortinget. Många norska förmåner är multiplar "
                "av G (t.ex. AAP, uføretrygd); använd det för att värdera en inbesparad förmån i "
                "budgetperspektivet. En förmån är en transferering, inte en resurskostnad: i en "
                "samhällsekonomisk analys räknas bara skattefinansieringskostnaden.",
                "licence": PUBLIC_DECISION["sv"],
            },
            "da": {
                "name": "Grundbeløbet i den norske folketrygd (1 G)",
                "unit": "NOK pr. år",
                "source": "Stortinget / NAV: grundbeløbet i folketrygden fra 1. maj 2025",
                "method": "Fastsættes årligt af Stortinget. Mange norske ydelser er multipla af "
                "G (f.eks. AAP, uføretrygd); brug det til at værdisætte en sparet ydelse i "
                "budgetperspektivet. En ydelse er en overførsel, ikke en ressourceomkostning: i "
                "en samfundsøkonomisk analyse tæller kun skatteforvridningsomkostningen.",
                "licence": PUBLIC_DECISION["da"],
            },
        },
    },
    {
        "code": "vsl-2012",
        "former_name": "Verdien av et statistisk liv (VSL)",
        "name": "Value of a statistical life (VSL)",
        "value": "30000000",
        "unit": "NOK per statistical life",
        "price_year": 2012,
        "source": "Ministry of Finance, circular R-109/21 (from NOU 2012:16)",
        "source_url": "",
        "method": (
            "Willingness to pay for a reduced risk of death. Adjust to today's prices and "
            "real-income growth as DFØ's guide describes before use."
        ),
        "licence": "Public document, free of copyright (åndsverkloven § 14)",
        "translations": {
            "nb": {
                "name": "Verdien av et statistisk liv (VSL)",
                "unit": "kr per statistisk liv",
                "source": "Finansdepartementet, rundskriv R-109/21 (fra NOU 2012:16)",
                "method": "Betalingsvilje for redusert risiko for å dø. Juster til dagens "
                "priser og realinntektsvekst slik DFØs veileder beskriver, før bruk.",
                "licence": PUBLIC_DOCUMENT["nb"],
            },
            "nn": {
                "name": "Verdien av eit statistisk liv (VSL)",
                "unit": "kr per statistisk liv",
                "source": "Finansdepartementet, rundskriv R-109/21 (frå NOU 2012:16)",
                "method": "Betalingsvilje for redusert risiko for å døy. Juster til dagens "
                "prisar og realinntektsvekst slik rettleiaren til DFØ skildrar, før bruk.",
                "licence": PUBLIC_DOCUMENT["nn"],
            },
            "sv": {
                "name": "Värdet av ett statistiskt liv (VSL)",
                "unit": "NOK per statistiskt liv",
                "source": "Norska finansdepartementet, cirkulär R-109/21 (från NOU 2012:16)",
                "method": "Betalningsvilja för minskad risk att dö. Räkna om till dagens "
                "priser och real inkomsttillväxt enligt DFØ:s vägledning innan du använder det.",
                "licence": PUBLIC_DOCUMENT["sv"],
            },
            "da": {
                "name": "Værdien af et statistisk liv (VSL)",
                "unit": "NOK pr. statistisk liv",
                "source": "Det norske finansministerium, cirkulære R-109/21 (fra NOU 2012:16)",
                "method": "Betalingsvilje for en mindre risiko for at dø. Justér til dagens "
                "priser og realindkomstvækst som DFØ's vejledning beskriver, før brug.",
                "licence": PUBLIC_DOCUMENT["da"],
            },
        },
    },
]


def sync_proxies(model) -> int:
    """Create or update the shipped proxies (``model`` may be a migration's historical model):
    found by their code, or by the name and price year they were first shipped under. Returns
    how many were written."""
    for entry in PROXIES:
        data = {key: value for key, value in entry.items() if key != "former_name"}
        code = data.pop("code")
        found = (
            model.objects.filter(code=code).first()
            or model.objects.filter(
                code="", name=entry["former_name"], price_year=entry["price_year"]
            ).first()
        )
        if found is None:
            model.objects.create(code=code, **data)
            continue
        found.code = code
        for key, value in data.items():
            setattr(found, key, value)
        found.save()
    return len(PROXIES)
