"""The default agreement templates shipped with Samskap, one per type in bokmål, nynorsk,
Swedish, Danish (``defaults_nordic.py``) and English.

They are loaded into :class:`AgreementTemplate` rows (without a municipality) by migration
0002, so a fresh database has them without the demo. The texts are starting points to be
adapted by the parties, not legal advice. Party placeholders: ``municipal`` and ``partner``.
"""

from typing import Any

from .content import empty_content

TYPES = (
    "pilot",
    "operating",
    "grant",
    "reserved_contract",
    "innovation_partnership",
    "non_profit_partnership",
    "letter_of_intent",
)

NAMES = {
    "nb": {
        "pilot": "Pilotavtale",
        "operating": "Driftsavtale",
        "grant": "Tilskuddsavtale",
        "reserved_contract": "Reservert kontrakt",
        "innovation_partnership": "Innovasjonspartnerskap",
        "non_profit_partnership": "Partnerskap med ideell organisasjon",
        "letter_of_intent": "Intensjonsavtale",
    },
    "en": {
        "pilot": "Pilot agreement",
        "operating": "Operating agreement",
        "grant": "Grant agreement",
        "reserved_contract": "Reserved contract",
        "innovation_partnership": "Innovation partnership",
        "non_profit_partnership": "Non-profit partnership",
        "letter_of_intent": "Letter of intent",
    },
}

TEXT = {
    "nb": {
        "tasks": [
            ("Daglig drift av tiltaket", {"partner": "RA", "municipal": "I"}),
            ("Rekruttering og oppfølging av deltakere", {"partner": "RA", "municipal": "C"}),
            ("Samlet ansvar for at avtalen følges", {"municipal": "RA", "partner": "C"}),
            ("Rapportering av resultater", {"partner": "R", "municipal": "A"}),
        ],
        "req_m_p": "Kommunen kan kreve at partneren leverer det avtalte, rapporterer som avtalt "
        "og varsler straks om avvik.",
        "req_p_m": "Partneren kan kreve at kommunen stiller med en fast kontaktperson, svarer "
        "innen avtalt tid og gir nødvendig informasjon om deltakerne.",
        "routines": [
            ("communication", "Samarbeidsmøte mellom partene", "Månedlig", "municipal"),
            ("information", "Deling av nødvendig informasjon om tiltaket", "Løpende", "partner"),
            (
                "coordination",
                "Avklaring i grenseflaten mot kommunale tjenester",
                "Ved behov",
                "municipal",
            ),
            (
                "follow_up",
                "Individuell oppfølging og tilbakemelding til deltakerne",
                "Ukentlig",
                "partner",
            ),
        ],
        "termination": "Hver av partene kan si opp avtalen med tre måneders skriftlig varsel. "
        "Ved vesentlig mislighold kan avtalen heves.",
        "exit": "Ved avslutning sørger partene sammen for at deltakerne får et godt tilbud "
        "videre, og at data leveres tilbake eller slettes.",
        "risk_sharing": "Partene bærer hver sin risiko for egne kostnader utover det som er "
        "avtalt her.",
        "schedule": "Utbetales kvartalsvis etterskuddsvis mot rapport.",
        "money": "Kommunens bidrag",
    },
    "en": {
        "tasks": [
            ("Day-to-day running of the initiative", {"partner": "RA", "municipal": "I"}),
            ("Recruiting and following up participants", {"partner": "RA", "municipal": "C"}),
            (
                "Overall responsibility that the agreement is kept",
                {"municipal": "RA", "partner": "C"},
            ),
            ("Reporting results", {"partner": "R", "municipal": "A"}),
        ],
        "req_m_p": "The municipality may require the partner to deliver what was agreed, report "
        "as agreed and give notice at once of any deviation.",
        "req_p_m": "The partner may require the municipality to provide a named contact person, "
        "answer within the agreed time and give the information needed about participants.",
        "routines": [
            ("communication", "Partnership meeting", "Monthly", "municipal"),
            ("information", "Sharing the information the initiative needs", "Ongoing", "partner"),
            (
                "coordination",
                "Clarifying the interface with municipal services",
                "When needed",
                "municipal",
            ),
            (
                "follow_up",
                "Individual follow-up of and feedback to participants",
                "Weekly",
                "partner",
            ),
        ],
        "termination": "Either party may terminate the agreement with three months' written "
        "notice. In case of material breach the agreement may be cancelled.",
        "exit": "On exit the parties together make sure participants are offered a good way "
        "forward, and that data is returned or deleted.",
        "risk_sharing": "Each party bears the risk of its own costs beyond what is agreed here.",
        "schedule": "Paid quarterly in arrears against a report.",
        "money": "The municipality's contribution",
    },
}

TYPE_TEXT = {
    "nb": {
        "pilot": (
            "Prøve ut en ny måte å løse behovet på, og avgjøre om den skal videreføres i drift.",
            "Kommunen garanterer finansiering i pilotperioden.",
        ),
        "operating": (
            "Varig drift av tiltaket etter vedtak om drift.",
            "Kommunen garanterer finansiering for avtaleperioden.",
        ),
        "grant": (
            "Tilskudd til en aktivitet partneren driver på eget initiativ.",
            "Kommunen garanterer tilskuddet for inneværende budsjettår.",
        ),
        "reserved_contract": (
            "Levering av tjenesten fra en virksomhet som har som hovedformål "
            "å integrere personer med nedsatt funksjonsevne eller "
            "vanskeligstilte i arbeidslivet.",
            "Kommunen garanterer kontraktsverdien i avtaleperioden.",
        ),
        "innovation_partnership": (
            "Utvikle og deretter kjøpe en løsning som ikke finnes i markedet, i faser med delmål.",
            "Kommunen garanterer finansiering av inneværende fase; "
            "neste fase avgjøres ved delmålet.",
        ),
        "non_profit_partnership": (
            "Et langsiktig samarbeid med en ideell organisasjon om et felles samfunnsoppdrag.",
            "Kommunen garanterer lokaler og kontaktperson i avtaleperioden.",
        ),
        "letter_of_intent": (
            "Partene vil samarbeide om tiltaket og avklare en bindende avtale "
            "senere. Intensjonsavtalen binder ikke partene økonomisk.",
            "",
        ),
    },
    "en": {
        "pilot": (
            "Try out a new way of meeting the need, and decide whether it should continue "
            "in operation.",
            "The municipality guarantees funding during the pilot.",
        ),
        "operating": (
            "Lasting operation of the initiative after the decision to operate it.",
            "The municipality guarantees funding for the agreement period.",
        ),
        "grant": (
            "A grant to an activity the partner runs on its own initiative.",
            "The municipality guarantees the grant for the current budget year.",
        ),
        "reserved_contract": (
            "Delivery of the service by an enterprise whose main aim is to "
            "integrate persons with disabilities or disadvantaged persons "
            "into working life.",
            "The municipality guarantees the contract value for the period.",
        ),
        "innovation_partnership": (
            "Develop, and then buy, a solution that does not exist on "
            "the market, in phases with interim goals.",
            "The municipality guarantees funding of the current phase; "
            "the next phase is decided at the interim goal.",
        ),
        "non_profit_partnership": (
            "A long-term partnership with a non-profit organisation on a shared social purpose.",
            "The municipality guarantees premises and a contact person for the agreement period.",
        ),
        "letter_of_intent": (
            "The parties intend to work together on the initiative and to "
            "agree a binding contract later. The letter of intent does not "
            "bind the parties financially.",
            "",
        ),
    },
}


from . import defaults_nordic  # noqa: E402 - the other Nordic languages, merged in below

NAMES.update(defaults_nordic.NAMES)
TEXT.update(defaults_nordic.TEXT)
TYPE_TEXT.update(defaults_nordic.TYPE_TEXT)
LANGUAGES = ("nb", "nn", "sv", "da", "en")
# The template languages offered to a municipality of each country (its own language first).
COUNTRY_LANGUAGES = {"NO": ("nb", "nn", "en"), "SE": ("sv", "en"), "DK": ("da", "en")}


def default_template(agreement_type: str, language: str) -> dict[str, Any]:
    """The default template document for ``agreement_type`` in ``language`` (nb or en)."""
    text, (purpose, guarantees) = TEXT[language], TYPE_TEXT[language][agreement_type]
    content = empty_content(agreement_type, language)
    content["title"] = NAMES[language][agreement_type]
    content["purpose"] = purpose
    content["responsibilities"] = [
        {"task": task, "roles": dict(roles)} for task, roles in text["tasks"]
    ]
    content["requirements"] = [
        {"from": "municipal", "to": "partner", "text": text["req_m_p"]},
        {"from": "partner", "to": "municipal", "text": text["req_p_m"]},
    ]
    content["routines"] = [
        {"kind": kind, "description": description, "frequency": frequency, "owner": owner}
        for kind, description, frequency, owner in text["routines"]
    ]
    content["term"]["termination"] = text["termination"]
    content["term"]["exit"] = text["exit"]
    if agreement_type != "letter_of_intent":
        content["risk"]["guarantees"] = guarantees
        content["risk"]["sharing"] = text["risk_sharing"]
    if agreement_type in (
        "pilot",
        "operating",
        "grant",
        "reserved_contract",
        "innovation_partnership",
    ):
        content["money"]["items"] = [
            {"payer": "municipal", "description": text["money"], "amount": "0.00", "due": None}
        ]
        content["money"]["schedule"] = text["schedule"]
    return content


def all_defaults() -> list[dict[str, Any]]:
    return [
        {
            "type": agreement_type,
            "language": language,
            "name": NAMES[language][agreement_type],
            "content": default_template(agreement_type, language),
        }
        for agreement_type in TYPES
        for language in LANGUAGES
    ]
