"""Short help per agreement type: when it fits, what to watch, and the public guidance behind
it. The sources were read when this was written (see docs/agreements.md); the rules change, so
the help tells the reader to check the current text."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import AgreementType

DFO_GRANT = (
    "DFØ: Tilskudd eller anskaffelse?",
    "https://dfo.no/fagomrader/tilskuddsforvaltning/tilskudd-eller-anskaffelse",
)
NFD_GUIDE = (
    "Nærings- og fiskeridepartementet: Veileder til reglene om offentlige anskaffelser",
    "https://www.regjeringen.no/no/dokumenter/veileder-offentlige-anskaffelser/id2581234/",
)
NFD_NON_PROFIT = (
    "Nærings- og fiskeridepartementet: Adgangen til å reservere konkurranser om anskaffelser av "
    "helse- og sosialtjenester for ideelle leverandører",
    "https://www.regjeringen.no/no/dokumenter/veiledning-om-hvordan-oppdragsgiver-kan-vurdere-"
    "om-det-er-adgang-til-a-reservere-konkurranser-om-anskaffelser-av-helse--og-sosialtjenester-"
    "for-ideelle-leverandorer/id2582864/",
)
DFO_INNOVATION = (
    "DFØ (anskaffelser.no): Innovasjonspartnerskap",
    "https://anskaffelser.no/avtaler-og-regelverk/anskaffelsesprosedyrer/innovasjonspartnerskap/"
    "gjennomforing-av-konkurransen-ved-innovasjonspartnerskap",
)


@dataclass(frozen=True)
class TypeHelp:
    fits: str
    watch: str
    sources: tuple[tuple[str, str], ...] = ()


HELP = {
    AgreementType.PILOT: TypeHelp(
        _("A time-limited trial of a new way of working, with a plan for what happens afterwards."),
        _(
            "Many projects fail in the transition to operation: agree now who will run it, who "
            "pays after the pilot and when the decision is made. If the municipality pays for "
            "a service it receives, the procurement rules apply."
        ),
        (DFO_GRANT,),
    ),
    AgreementType.OPERATING: TypeHelp(
        _("Ongoing delivery after a pilot or a decision to put the initiative into operation."),
        _(
            "If the municipality buys a service against payment it is a public contract under "
            "the Public Procurement Act and Regulations; above the thresholds it must normally "
            "be put out to competition."
        ),
        (NFD_GUIDE,),
    ),
    AgreementType.GRANT: TypeHelp(
        _(
            "Support for an activity the organisation runs on its own initiative; the "
            "municipality receives no service in return."
        ),
        _(
            "The name does not decide: if the municipality steers the delivery in detail and "
            "gets a service back, it is in reality a procurement, and using a grant instead can "
            "be an illegal direct award."
        ),
        (DFO_GRANT,),
    ),
    AgreementType.RESERVED_CONTRACT: TypeHelp(
        _(
            "A contract whose competition is reserved for enterprises whose main aim is the "
            "integration of persons with disabilities or disadvantaged persons into working "
            "life (at least 30 per cent of their employees)."
        ),
        _(
            "Announce the reservation in the notice. The ministry's guide describes it under "
            "the Public Procurement Regulations § 8-8 (part II), § 16-9 (part III) and § 30-3 "
            "(health and social services); check the current text on Lovdata."
        ),
        (NFD_GUIDE,),
    ),
    AgreementType.INNOVATION_PARTNERSHIP: TypeHelp(
        _(
            "A procurement procedure to develop, and then buy, a solution that does not exist "
            "on the market yet."
        ),
        _(
            "Only for real innovation. The work is split into phases with interim goals; after "
            "each phase the municipality may stop. Rights to results and the maximum cost must "
            "be settled in the contract (Public Procurement Regulations, part III)."
        ),
        (DFO_INNOVATION,),
    ),
    AgreementType.NON_PROFIT_PARTNERSHIP: TypeHelp(
        _("A partnership with a non-profit (ideell) organisation on a shared social purpose."),
        _(
            "Health and social services above the EEA threshold follow chapter 30 of the "
            "Public Procurement Regulations. Reserving a competition for non-profit suppliers "
            "is allowed only on the conditions the ministry's guidance describes; below the "
            "threshold only the Act and part I apply."
        ),
        (NFD_NON_PROFIT,),
    ),
    AgreementType.LETTER_OF_INTENT: TypeHelp(
        _("A shared intention before the parties commit, e.g. to apply for funding together."),
        _(
            "Say clearly what is binding and what is not. A letter of intent must not promise "
            "a contract that should have been put out to competition."
        ),
        (NFD_GUIDE,),
    ),
}
