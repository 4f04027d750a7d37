"""The default agreement templates in nynorsk, Swedish and Danish, in each country's own terms
(the Swedish idéburet offentligt partnerskap, IOP; the Danish partnerskabsaftale). Merged into
``defaults.NAMES``, ``TEXT`` and ``TYPE_TEXT``; starting points to adapt, not legal advice."""

NAMES = {
    "nn": {
        "pilot": "Pilotavtale",
        "operating": "Driftsavtale",
        "grant": "Tilskotsavtale",
        "reserved_contract": "Reservert kontrakt",
        "innovation_partnership": "Innovasjonspartnarskap",
        "non_profit_partnership": "Partnarskap med ideell organisasjon",
        "letter_of_intent": "Intensjonsavtale",
    },
    "sv": {
        "pilot": "Pilotavtal",
        "operating": "Driftsavtal",
        "grant": "Bidragsavtal",
        "reserved_contract": "Reserverat kontrakt",
        "innovation_partnership": "Innovationspartnerskap",
        "non_profit_partnership": "Idéburet offentligt partnerskap (IOP)",
        "letter_of_intent": "Avsiktsförklaring",
    },
    "da": {
        "pilot": "Pilotaftale",
        "operating": "Driftsaftale",
        "grant": "Tilskudsaftale",
        "reserved_contract": "Reserveret kontrakt",
        "innovation_partnership": "Innovationspartnerskab",
        "non_profit_partnership": "Partnerskabsaftale med en frivillig organisation",
        "letter_of_intent": "Hensigtserklæring",
    },
}

TEXT = {
    "nn": {
        "tasks": [
            ("Dagleg drift av initiativet", {"partner": "RA", "municipal": "I"}),
            ("Rekruttering og oppfølging av deltakarar", {"partner": "RA", "municipal": "C"}),
            ("Samla ansvar for at avtalen blir følgd", {"municipal": "RA", "partner": "C"}),
            ("Rapportering av resultat", {"partner": "R", "municipal": "A"}),
        ],
        "req_m_p": "Kommunen kan krevje at partnaren leverer det som er avtalt, rapporterer som "
        "avtalt og varslar straks om avvik.",
        "req_p_m": "Partnaren kan krevje at kommunen stiller med ein fast kontaktperson, svarer "
        "innan avtalt tid og gir nødvendig informasjon om deltakarane.",
        "routines": [
            ("communication", "Samarbeidsmøte mellom partane", "Kvar månad", "municipal"),
            ("information", "Deling av nødvendig informasjon om initiativet", "Løpande", "partner"),
            ("coordination", "Avklaring i grenseflata mot kommunale tenester", "Ved behov",
             "municipal"),
            ("follow_up", "Individuell oppfølging og tilbakemelding til deltakarane", "Kvar veke",
             "partner"),
        ],
        "termination": "Kvar av partane kan seie opp avtalen med tre månaders skriftleg varsel. "
        "Ved vesentleg mishald kan avtalen hevast.",
        "exit": "Ved avslutning syter partane saman for at deltakarane får eit godt tilbod "
        "vidare, og at data blir leverte tilbake eller sletta.",
        "risk_sharing": "Partane ber kvar sin risiko for eigne kostnader utover det som er "
        "avtalt her.",
        "schedule": "Blir utbetalt kvartalsvis etterskotsvis mot rapport.",
        "money": "Bidraget frå kommunen",
    },
    "sv": {
        "tasks": [
            ("Den dagliga driften av initiativet", {"partner": "RA", "municipal": "I"}),
            ("Rekrytering och uppföljning av deltagare", {"partner": "RA", "municipal": "C"}),
            ("Övergripande ansvar för att avtalet följs", {"municipal": "RA", "partner": "C"}),
            ("Rapportering av resultat", {"partner": "R", "municipal": "A"}),
        ],
        "req_m_p": "Kommunen kan kräva att partnern levererar det som avtalats, rapporterar "
        "enligt avtalet och genast meddelar avvikelser.",
        "req_p_m": "Partnern kan kräva att kommunen utser en fast kontaktperson, svarar inom "
        "avtalad tid och lämnar den information om deltagarna som behövs.",
        "routines": [
            ("communication", "Samverkansmöte mellan parterna", "Varje månad", "municipal"),
            ("information", "Delning av nödvändig information om initiativet", "Löpande",
             "partner"),
            ("coordination", "Avstämning i gränssnittet mot kommunens verksamheter", "Vid behov",
             "municipal"),
            ("follow_up", "Individuell uppföljning av och återkoppling till deltagarna",
             "Varje vecka", "partner"),
        ],
        "termination": "Vardera parten kan säga upp avtalet med tre månaders skriftlig "
        "uppsägningstid. Vid väsentligt avtalsbrott kan avtalet hävas.",
        "exit": "Vid avslut ser parterna tillsammans till att deltagarna får en god fortsättning "
        "och att uppgifter lämnas tillbaka eller raderas.",
        "risk_sharing": "Varje part bär risken för sina egna kostnader utöver det som avtalas "
        "här.",
        "schedule": "Betalas ut kvartalsvis i efterskott mot rapport.",
        "money": "Kommunens bidrag",
    },
    "da": {
        "tasks": [
            ("Den daglige drift af initiativet", {"partner": "RA", "municipal": "I"}),
            ("Rekruttering og opfølgning af deltagere", {"partner": "RA", "municipal": "C"}),
            ("Det samlede ansvar for, at aftalen overholdes", {"municipal": "RA", "partner": "C"}),
            ("Afrapportering af resultater", {"partner": "R", "municipal": "A"}),
        ],
        "req_m_p": "Kommunen kan kræve, at partneren leverer det aftalte, afrapporterer som "
        "aftalt og straks giver besked om afvigelser.",
        "req_p_m": "Partneren kan kræve, at kommunen stiller med en fast kontaktperson, svarer "
        "inden for den aftalte tid og giver de nødvendige oplysninger om deltagerne.",
        "routines": [
            ("communication", "Samarbejdsmøde mellem parterne", "Hver måned", "municipal"),
            ("information", "Deling af nødvendige oplysninger om initiativet", "Løbende",
             "partner"),
            ("coordination", "Afklaring i snitfladen til kommunale tilbud", "Efter behov",
             "municipal"),
            ("follow_up", "Individuel opfølgning af og tilbagemelding til deltagerne",
             "Hver uge", "partner"),
        ],
        "termination": "Hver af parterne kan opsige aftalen med tre måneders skriftligt varsel. "
        "Ved væsentlig misligholdelse kan aftalen ophæves.",
        "exit": "Ved ophør sørger parterne sammen for, at deltagerne får et godt tilbud "
        "fremover, og at data leveres tilbage eller slettes.",
        "risk_sharing": "Hver part bærer risikoen for egne omkostninger ud over det, der er "
        "aftalt her.",
        "schedule": "Udbetales kvartalsvis bagud mod afrapportering.",
        "money": "Kommunens bidrag",
    },
}

TYPE_TEXT = {
    "nn": {
        "pilot": ("Prøve ut ein ny måte å løyse behovet på, og avgjere om han skal vidareførast "
                  "i drift.", "Kommunen garanterer finansiering i pilotperioden."),
        "operating": ("Varig drift av initiativet etter vedtak om drift.",
                      "Kommunen garanterer finansiering for avtaleperioden."),
        "grant": ("Tilskot til ein aktivitet partnaren driv på eige initiativ.",
                  "Kommunen garanterer tilskotet for inneverande budsjettår."),
        "reserved_contract": ("Levering av tenesta frå ei verksemd som har som hovudføremål å "
                              "integrere personar med nedsett funksjonsevne eller "
                              "vanskelegstilte i arbeidslivet.",
                              "Kommunen garanterer kontraktsverdien i avtaleperioden."),
        "innovation_partnership": ("Utvikle og deretter kjøpe ei løysing som ikkje finst i "
                                   "marknaden, i fasar med delmål.",
                                   "Kommunen garanterer finansiering av inneverande fase; neste "
                                   "fase blir avgjord ved delmålet."),
        "non_profit_partnership": ("Eit langsiktig samarbeid med ein ideell organisasjon om eit "
                                   "felles samfunnsoppdrag.",
                                   "Kommunen garanterer lokale og kontaktperson i "
                                   "avtaleperioden."),
        "letter_of_intent": ("Partane vil samarbeide om initiativet og avklare ein bindande "
                             "avtale seinare. Intensjonsavtalen bind ikkje partane økonomisk.",
                             ""),
    },
    "sv": {
        "pilot": ("Pröva ett nytt sätt att möta behovet och avgöra om det ska föras vidare i "
                  "drift.", "Kommunen garanterar finansiering under pilotperioden."),
        "operating": ("Varaktig drift av initiativet efter beslut om drift.",
                      "Kommunen garanterar finansiering under avtalsperioden."),
        "grant": ("Bidrag till en verksamhet som partnern bedriver på eget initiativ.",
                  "Kommunen garanterar bidraget för innevarande budgetår."),
        "reserved_contract": ("Leverans av tjänsten från en leverantör vars huvudsyfte är att "
                              "integrera personer med funktionsnedsättning eller personer med "
                              "svag ställning i arbetslivet.",
                              "Kommunen garanterar kontraktsvärdet under avtalsperioden."),
        "innovation_partnership": ("Utveckla och sedan köpa en lösning som inte finns på "
                                   "marknaden, i faser med delmål.",
                                   "Kommunen garanterar finansiering av den pågående fasen; "
                                   "nästa fas avgörs vid delmålet."),
        "non_profit_partnership": ("Ett idéburet offentligt partnerskap (IOP): en långsiktig "
                                   "samverkan med en idéburen organisation kring ett gemensamt "
                                   "samhällsuppdrag, där båda parter bidrar och ingen tjänst "
                                   "köps.",
                                   "Kommunen garanterar lokaler och kontaktperson under "
                                   "avtalsperioden."),
        "letter_of_intent": ("Parterna avser att samverka kring initiativet och komma överens "
                             "om ett bindande avtal senare. Avsiktsförklaringen binder inte "
                             "parterna ekonomiskt.", ""),
    },
    "da": {
        "pilot": ("Afprøve en ny måde at imødekomme behovet på og afgøre, om den skal "
                  "videreføres i drift.", "Kommunen garanterer finansiering i pilotperioden."),
        "operating": ("Varig drift af initiativet efter beslutning om drift.",
                      "Kommunen garanterer finansiering i aftaleperioden."),
        "grant": ("Tilskud til en aktivitet, som partneren driver på eget initiativ.",
                  "Kommunen garanterer tilskuddet for det indeværende budgetår."),
        "reserved_contract": ("Levering af ydelsen fra en virksomhed, hvis hovedformål er at "
                              "integrere personer med handicap eller udsatte personer på "
                              "arbejdsmarkedet.",
                              "Kommunen garanterer kontraktværdien i aftaleperioden."),
        "innovation_partnership": ("Udvikle og derefter købe en løsning, der ikke findes på "
                                   "markedet, i faser med delmål.",
                                   "Kommunen garanterer finansiering af den igangværende fase; "
                                   "næste fase afgøres ved delmålet."),
        "non_profit_partnership": ("En partnerskabsaftale: et langsigtet samarbejde med en "
                                   "frivillig eller almennyttig organisation om en fælles "
                                   "samfundsopgave, hvor begge parter bidrager.",
                                   "Kommunen garanterer lokaler og kontaktperson i "
                                   "aftaleperioden."),
        "letter_of_intent": ("Parterne vil samarbejde om initiativet og aftale en bindende "
                             "kontrakt senere. Hensigtserklæringen binder ikke parterne "
                             "økonomisk.", ""),
    },
}  # fmt: skip
