"""The shared indicator library in nynorsk, Swedish and Danish, and its licence and source
notes in every Nordic language (``library.py`` has the English texts and the bokmål ones).

Merged into each entry's ``translations`` by ``library.sync_library``. Survey wordings follow
the bokmål ones (themselves after SSB's livskvalitetsundersøkelsen where it has the question);
Swedish and Danish are careful renderings of ours, not the national statistics offices'
validated wordings — check them against SCB's ULF/SILC or Danmarks Statistik before a
publication. The General Self-Efficacy Scale keeps its English items on purpose (a validated
instrument is not re-translated; the licence note names the published adaptations).
"""

OWN = {
    "nb": "Samskaps egen ordlyd, fri til bruk (CC0).",
    "nn": "Samskap si eiga ordlyd, fri til bruk (CC0).",
    "sv": "Samskaps egen formulering, fri att använda (CC0).",
    "da": "Samskaps egen formulering, fri til brug (CC0).",
}
OGL = {
    "nb": "Inneholder offentlig informasjon lisensiert under Open Government Licence v3.0 "
    "(Office for National Statistics). Fri til bruk med kildehenvisning.",
    "nn": "Inneheld offentleg informasjon lisensiert under Open Government Licence v3.0 "
    "(Office for National Statistics). Fri til bruk med kjeldetilvising.",
    "sv": "Innehåller offentlig information licensierad under Open Government Licence v3.0 "
    "(Office for National Statistics). Fri att använda med källhänvisning.",
    "da": "Indeholder offentlig information under Open Government Licence v3.0 (Office for "
    "National Statistics). Fri til brug med kildeangivelse.",
}
ONS_SOURCE = {
    "nb": "Office for National Statistics (Storbritannia), spørsmål om personlig velvære (ONS4).",
    "nn": "Office for National Statistics (Storbritannia), spørsmål om personleg velvære (ONS4).",
    "sv": "Office for National Statistics (Storbritannien), frågor om personligt välbefinnande "
    "(ONS4).",
    "da": "Office for National Statistics (Storbritannien), spørgsmål om personlig trivsel (ONS4).",
}
OWN_SOURCE = {
    "nb": "Samskaps indikatorbibliotek.",
    "nn": "Indikatorbiblioteket til Samskap.",
    "sv": "Samskaps indikatorbibliotek.",
    "da": "Samskaps indikatorbibliotek.",
}
OUTPUT_SOURCE = {
    "nb": "Samskaps indikatorbibliotek (produkttelling).",
    "nn": "Indikatorbiblioteket til Samskap (produktteljing).",
    "sv": "Samskaps indikatorbibliotek (räkning av prestationer).",
    "da": "Samskaps indikatorbibliotek (optælling af output).",
}

TEXTS: dict[str, dict[str, dict]] = {
    "life-satisfaction": {
        "nb": {
            "licence": "Spørsmål publisert av OECD og Statistisk sentralbyrå til allmenn bruk; "
            "fritt å bruke med henvisning til kilden.",
        },
        "nn": {
            "name": "Nøgd med livet",
            "definition": "Samla vurdering av eige liv, frå 0 (ikkje nøgd i det heile) til 10 "
            "(svært nøgd).",
            "questions": ["Alt i alt, kor nøgd er du med livet ditt for tida?"],
            "answer_labels": "0 = ikkje nøgd i det heile, 10 = svært nøgd",
            "licence": "Spørsmål publisert av OECD og Statistisk sentralbyrå til allmenn bruk; "
            "fritt å bruke med tilvising til kjelda.",
        },
        "sv": {
            "name": "Tillfredsställelse med livet",
            "definition": "Helhetsbedömning av det egna livet, från 0 (inte alls nöjd) till 10 "
            "(helt nöjd).",
            "questions": ["Allt sammantaget, hur nöjd är du med ditt liv nuförtiden?"],
            "answer_labels": "0 = inte alls nöjd, 10 = helt nöjd",
            "licence": "Fråga publicerad av OECD och norska Statistisk sentralbyrå för allmänt "
            "bruk; fri att använda med hänvisning till källan.",
        },
        "da": {
            "name": "Tilfredshed med livet",
            "definition": "Samlet vurdering af ens liv, fra 0 (slet ikke tilfreds) til 10 "
            "(fuldt ud tilfreds).",
            "questions": ["Alt i alt, hvor tilfreds er du med dit liv for tiden?"],
            "answer_labels": "0 = slet ikke tilfreds, 10 = fuldt ud tilfreds",
            "licence": "Spørgsmål offentliggjort af OECD og norske Statistisk sentralbyrå til "
            "almen brug; fri til brug med henvisning til kilden.",
        },
    },
    "ons-worthwhile": {
        "nb": {"licence": OGL["nb"], "source": ONS_SOURCE["nb"]},
        "nn": {
            "name": "Oppleving av at det ein gjer, er meiningsfullt",
            "definition": "Opplevinga av at det ein gjer i livet, er meiningsfullt, 0–10.",
            "questions": [
                "Alt i alt, i kva grad opplever du at det du gjer i livet ditt, er meiningsfullt?"
            ],
            "answer_labels": "0 = ikkje i det heile, 10 = fullt og heilt",
            "licence": OGL["nn"],
            "source": ONS_SOURCE["nn"],
        },
        "sv": {
            "name": "Upplevelsen att det man gör är meningsfullt",
            "definition": "Upplevelsen att det man gör i livet är meningsfullt, 0–10.",
            "questions": [
                "Allt sammantaget, i vilken utsträckning känner du att det du gör i ditt liv är "
                "meningsfullt?"
            ],
            "answer_labels": "0 = inte alls, 10 = helt och hållet",
            "licence": OGL["sv"],
            "source": ONS_SOURCE["sv"],
        },
        "da": {
            "name": "Oplevelsen af, at det, man gør, er meningsfuldt",
            "definition": "Oplevelsen af, at det, man gør i livet, er meningsfuldt, 0–10.",
            "questions": [
                "Alt i alt, i hvilken grad føler du, at de ting, du gør i dit liv, er meningsfulde?"
            ],
            "answer_labels": "0 = slet ikke, 10 = fuldstændig",
            "licence": OGL["da"],
            "source": ONS_SOURCE["da"],
        },
    },
    "ons-anxiety": {
        "nb": {"licence": OGL["nb"], "source": ONS_SOURCE["nb"]},
        "nn": {
            "name": "Uro i går",
            "definition": "Kor uroleg ein kjende seg i går, 0–10 (lågare er betre).",
            "questions": ["Alt i alt, kor uroleg kjende du deg i går?"],
            "answer_labels": "0 = ikkje uroleg i det heile, 10 = svært uroleg",
            "licence": OGL["nn"],
            "source": ONS_SOURCE["nn"],
        },
        "sv": {
            "name": "Oro i går",
            "definition": "Hur orolig man kände sig i går, 0–10 (lägre är bättre).",
            "questions": ["Allt sammantaget, hur orolig kände du dig i går?"],
            "answer_labels": "0 = inte alls orolig, 10 = mycket orolig",
            "licence": OGL["sv"],
            "source": ONS_SOURCE["sv"],
        },
        "da": {
            "name": "Bekymring i går",
            "definition": "Hvor bekymret man følte sig i går, 0–10 (lavere er bedre).",
            "questions": ["Alt i alt, hvor bekymret følte du dig i går?"],
            "answer_labels": "0 = slet ikke bekymret, 10 = meget bekymret",
            "licence": OGL["da"],
            "source": ONS_SOURCE["da"],
        },
    },
    "ucla-loneliness-3": {
        "nb": {
            "licence": "Publisert til bruk i spørreundersøkelser; fri til bruk med henvisning "
            "til Hughes mfl. (2004).",
        },
        "nn": {
            "name": "Einsemd (UCLA, tre spørsmål)",
            "definition": "Summen av tre spørsmål svara frå 1 (sjeldan eller aldri) til 3 "
            "(ofte); skår 3–9, lågare er betre.",
            "questions": [
                "Kor ofte kjenner du at du saknar nokon å vere saman med?",
                "Kor ofte kjenner du deg utanfor?",
                "Kor ofte kjenner du deg isolert frå andre?",
            ],
            "answer_labels": "1 = sjeldan eller aldri, 2 = av og til, 3 = ofte",
            "licence": "Publisert til bruk i spørjeundersøkingar; fri til bruk med tilvising "
            "til Hughes mfl. (2004).",
        },
        "sv": {
            "name": "Ensamhet (UCLA, tre frågor)",
            "definition": "Summan av tre frågor som besvaras från 1 (sällan eller aldrig) till 3 "
            "(ofta); poäng 3–9, lägre är bättre.",
            "questions": [
                "Hur ofta känner du att du saknar sällskap?",
                "Hur ofta känner du dig utanför?",
                "Hur ofta känner du dig isolerad från andra?",
            ],
            "answer_labels": "1 = sällan eller aldrig, 2 = ibland, 3 = ofta",
            "licence": "Publicerad för användning i enkäter; fri att använda med hänvisning "
            "till Hughes m.fl. (2004).",
        },
        "da": {
            "name": "Ensomhed (UCLA, tre spørgsmål)",
            "definition": "Summen af tre spørgsmål besvaret fra 1 (sjældent eller aldrig) til 3 "
            "(ofte); score 3–9, lavere er bedre.",
            "questions": [
                "Hvor ofte føler du, at du savner nogen at være sammen med?",
                "Hvor ofte føler du dig holdt udenfor?",
                "Hvor ofte føler du dig isoleret fra andre?",
            ],
            "answer_labels": "1 = sjældent eller aldrig, 2 = en gang imellem, 3 = ofte",
            "licence": "Offentliggjort til brug i spørgeundersøgelser; fri til brug med "
            "henvisning til Hughes m.fl. (2004).",
        },
    },
    "general-self-efficacy": {
        # Name, definition and licence only: the ten items stay in the published wording.
        "nb": {
            "name": "Mestringstro (General Self-Efficacy Scale)",
            "definition": "Summen av ti utsagn besvart fra 1 (helt galt) til 4 (helt riktig); "
            "skår 10–40.",
            "licence": "Fri til forskning og ikke-kommersiell bruk med kildehenvisning: "
            "forfatternes FAQ (Schwarzer 2014) gir lov til å bruke og gjengi skalaen i studier "
            "uten å spørre. Kommersiell bruk er ikke uttrykkelig dekket — spør forfatterne før "
            "skalaen brukes i et kommersielt produkt. Ingen norsk tekst er tatt med: bruk den "
            "publiserte norske tilpasningen (Røysamb, Schwarzer & Jerusalem 1998), ikke en ny "
            "oversettelse.",
        },
        "nn": {
            "name": "Meistringstru (General Self-Efficacy Scale)",
            "definition": "Summen av ti utsegner svara frå 1 (heilt feil) til 4 (heilt rett); "
            "skår 10–40.",
            "licence": "Fri til forsking og ikkje-kommersiell bruk med kjeldetilvising: FAQ-en "
            "til forfattarane (Schwarzer 2014) gir løyve til å bruke og gje att skalaen i "
            "studiar utan å spørje. Kommersiell bruk er ikkje uttrykkeleg dekt — spør "
            "forfattarane før skalaen blir brukt i eit kommersielt produkt. Ingen norsk tekst er "
            "teken med: bruk den publiserte norske tilpassinga (Røysamb, Schwarzer & Jerusalem "
            "1998), ikkje ei ny omsetjing.",
        },
        "sv": {
            "name": "Självförmåga (General Self-Efficacy Scale)",
            "definition": "Summan av tio påståenden som besvaras från 1 (stämmer inte alls) "
            "till 4 (stämmer helt); poäng 10–40.",
            "licence": "Fri för forskning och icke-kommersiell användning med källhänvisning: "
            "författarnas FAQ (Schwarzer 2014) tillåter att skalan används och återges i "
            "studier utan förfrågan. Kommersiell användning omfattas inte uttryckligen — fråga "
            "författarna innan skalan används i en kommersiell produkt. Ingen svensk text ingår: "
            "använd en publicerad svensk version, inte en ny översättning.",
        },
        "da": {
            "name": "Mestringstro (General Self-Efficacy Scale)",
            "definition": "Summen af ti udsagn besvaret fra 1 (passer slet ikke) til 4 (passer "
            "helt); score 10–40.",
            "licence": "Fri til forskning og ikke-kommerciel brug med kildeangivelse: "
            "forfatternes FAQ (Schwarzer 2014) giver lov til at bruge og gengive skalaen i "
            "undersøgelser uden at spørge. Kommerciel brug er ikke udtrykkeligt dækket — spørg "
            "forfatterne, før skalaen bruges i et kommercielt produkt. Ingen dansk tekst er "
            "medtaget: brug en publiceret dansk version, ikke en ny oversættelse.",
        },
    },
    "own-goals": {
        "nb": {
            "licence": "Et vurderingsformat, ikke en lisensiert tekst; Samskaps ordlyd er fri "
            "(CC0)."
        },  # fmt: skip
        "nn": {
            "name": "Eigne mål (vurderte 0–10)",
            "definition": "Deltakaren nemner inntil tre ting hen vil få til betre, og vurderer "
            "kor godt hen får til kvar av dei, frå 0 (ikkje i det heile) til 10 (fullt ut); "
            "skåren er gjennomsnittet.",
            "questions": [
                "Det første målet ditt: kor godt får du det til no?",
                "Det andre målet ditt: kor godt får du det til no?",
                "Det tredje målet ditt: kor godt får du det til no?",
            ],
            "answer_labels": "0 = ikkje i det heile, 10 = fullt ut",
            "licence": "Eit vurderingsformat, ikkje ein lisensiert tekst; ordlyden til Samskap "
            "er fri (CC0).",
        },
        "sv": {
            "name": "Egna mål (bedömda 0–10)",
            "definition": "Deltagaren anger upp till tre saker hen vill klara bättre och bedömer "
            "hur väl hen klarar var och en, från 0 (inte alls) till 10 (helt); poängen är "
            "medelvärdet.",
            "questions": [
                "Ditt första mål: hur väl klarar du det nu?",
                "Ditt andra mål: hur väl klarar du det nu?",
                "Ditt tredje mål: hur väl klarar du det nu?",
            ],
            "answer_labels": "0 = inte alls, 10 = helt",
            "licence": "Ett bedömningsformat, inte en licensierad text; Samskaps formulering är "
            "fri (CC0).",
        },
        "da": {
            "name": "Egne mål (vurderet 0–10)",
            "definition": "Deltageren nævner op til tre ting, vedkommende vil klare bedre, og "
            "vurderer, hvor godt det går med hver, fra 0 (slet ikke) til 10 (fuldt ud); scoren "
            "er gennemsnittet.",
            "questions": [
                "Dit første mål: hvor godt klarer du det nu?",
                "Dit andet mål: hvor godt klarer du det nu?",
                "Dit tredje mål: hvor godt klarer du det nu?",
            ],
            "answer_labels": "0 = slet ikke, 10 = fuldt ud",
            "licence": "Et vurderingsformat, ikke en licenseret tekst; Samskaps formulering er "
            "fri (CC0).",
        },
    },
    "self-reliance": {
        "nb": {"licence": OWN["nb"], "source": OWN_SOURCE["nb"]},
        "nn": {
            "name": "Sjølvhjelpen i kvardagen",
            "definition": "Kor godt ein klarer kvardagen på eiga hand, 0–10.",
            "questions": ["Kor godt klarer du kvardagen din på eiga hand?"],
            "answer_labels": "0 = ikkje i det heile, 10 = fullt ut",
            "licence": OWN["nn"],
            "source": OWN_SOURCE["nn"],
        },
        "sv": {
            "name": "Självständighet i vardagen",
            "definition": "Hur väl man klarar vardagen på egen hand, 0–10.",
            "questions": ["Hur väl klarar du din vardag på egen hand?"],
            "answer_labels": "0 = inte alls, 10 = helt",
            "licence": OWN["sv"],
            "source": OWN_SOURCE["sv"],
        },
        "da": {
            "name": "Selvhjulpenhed i hverdagen",
            "definition": "Hvor godt man klarer hverdagen på egen hånd, 0–10.",
            "questions": ["Hvor godt klarer du din hverdag på egen hånd?"],
            "answer_labels": "0 = slet ikke, 10 = fuldt ud",
            "licence": OWN["da"],
            "source": OWN_SOURCE["da"],
        },
    },
    "belonging": {
        "nb": {
            "licence": OWN["nb"],
            "source": "Samskaps indikatorbibliotek (ordlyd etter spørsmålene om tilhørighet i "
            "SSBs livskvalitetsundersøkelse).",
        },
        "nn": {
            "name": "Tilhøyrsle til lokalsamfunnet",
            "definition": "Kor sterkt ein kjenner at ein høyrer til i lokalsamfunnet, 0–10.",
            "questions": ["Kor sterkt kjenner du at du høyrer til i lokalsamfunnet ditt?"],
            "answer_labels": "0 = ikkje i det heile, 10 = svært sterkt",
            "licence": OWN["nn"],
            "source": "Indikatorbiblioteket til Samskap (ordlyd etter spørsmåla om tilhøyrsle i "
            "livskvalitetsundersøkinga til SSB).",
        },
        "sv": {
            "name": "Tillhörighet till lokalsamhället",
            "definition": "Hur starkt man känner att man hör till lokalsamhället, 0–10.",
            "questions": ["Hur starkt känner du att du hör till ditt lokalsamhälle?"],
            "answer_labels": "0 = inte alls, 10 = mycket starkt",
            "licence": OWN["sv"],
            "source": "Samskaps indikatorbibliotek (formulering efter frågorna om tillhörighet "
            "i norska SSB:s livskvalitetsundersökning).",
        },
        "da": {
            "name": "Tilhørsforhold til lokalsamfundet",
            "definition": "Hvor stærkt man føler, at man hører til i lokalsamfundet, 0–10.",
            "questions": ["Hvor stærkt føler du, at du hører til i dit lokalsamfund?"],
            "answer_labels": "0 = slet ikke, 10 = meget stærkt",
            "licence": OWN["da"],
            "source": "Samskaps indikatorbibliotek (formulering efter spørgsmålene om "
            "tilhørsforhold i norske SSB's livskvalitetsundersøgelse).",
        },
    },
    "participation": {
        "nb": {"licence": OWN["nb"], "source": OWN_SOURCE["nb"]},
        "nn": {
            "name": "Deltaking i arbeid, utdanning eller aktivitetar",
            "definition": "Talet på dagar den siste veka med arbeid, utdanning, frivillig arbeid "
            "eller organiserte aktivitetar, 0–7.",
            "questions": [
                "Kor mange av dei siste 7 dagane var du med i arbeid, utdanning, frivillig "
                "arbeid eller ein organisert aktivitet?"
            ],
            "answer_labels": "talet på dagar, 0–7",
            "licence": OWN["nn"],
            "source": OWN_SOURCE["nn"],
        },
        "sv": {
            "name": "Deltagande i arbete, utbildning eller aktiviteter",
            "definition": "Antal dagar den senaste veckan med arbete, utbildning, ideellt arbete "
            "eller organiserade aktiviteter, 0–7.",
            "questions": [
                "Hur många av de senaste 7 dagarna deltog du i arbete, utbildning, ideellt arbete "
                "eller en organiserad aktivitet?"
            ],
            "answer_labels": "antal dagar, 0–7",
            "licence": OWN["sv"],
            "source": OWN_SOURCE["sv"],
        },
        "da": {
            "name": "Deltagelse i arbejde, uddannelse eller aktiviteter",
            "definition": "Antal dage den seneste uge med arbejde, uddannelse, frivilligt arbejde "
            "eller organiserede aktiviteter, 0–7.",
            "questions": [
                "På hvor mange af de seneste 7 dage deltog du i arbejde, uddannelse, frivilligt "
                "arbejde eller en organiseret aktivitet?"
            ],
            "answer_labels": "antal dage, 0–7",
            "licence": OWN["da"],
            "source": OWN_SOURCE["da"],
        },
    },
    "trust-municipality": {
        "nb": {
            "licence": OWN["nb"],
            "source": "Samskaps indikatorbibliotek (etter spørsmålene om tillit til "
            "institusjoner i OECDs retningslinjer fra 2013 og SSBs livskvalitetsundersøkelse).",
        },
        "nn": {
            "name": "Tillit til kommunen",
            "definition": "Kor stor tillit ein har til kommunen, 0–10.",
            "questions": ["Kor stor tillit har du til kommunen?"],
            "answer_labels": "0 = ingen tillit i det heile, 10 = full tillit",
            "licence": OWN["nn"],
            "source": "Indikatorbiblioteket til Samskap (etter spørsmåla om tillit til "
            "institusjonar i retningslinene til OECD frå 2013 og livskvalitetsundersøkinga til "
            "SSB).",
        },
        "sv": {
            "name": "Förtroende för kommunen",
            "definition": "Hur stort förtroende man har för kommunen, 0–10.",
            "questions": ["Hur stort förtroende har du för kommunen?"],
            "answer_labels": "0 = inget förtroende alls, 10 = fullt förtroende",
            "licence": OWN["sv"],
            "source": "Samskaps indikatorbibliotek (efter frågorna om institutionellt "
            "förtroende i OECD:s riktlinjer från 2013 och norska SSB:s livskvalitetsundersökning).",
        },
        "da": {
            "name": "Tillid til kommunen",
            "definition": "Hvor stor tillid man har til kommunen, 0–10.",
            "questions": ["Hvor stor tillid har du til kommunen?"],
            "answer_labels": "0 = ingen tillid overhovedet, 10 = fuld tillid",
            "licence": OWN["da"],
            "source": "Samskaps indikatorbibliotek (efter spørgsmålene om institutionel tillid i "
            "OECD's retningslinjer fra 2013 og norske SSB's livskvalitetsundersøgelse).",
        },
    },
    "participants-reached": {
        "nb": {"licence": OWN["nb"], "source": OUTPUT_SOURCE["nb"]},
        "nn": {
            "name": "Deltakarar nådde",
            "definition": "Talet på ulike personar som var med minst éin gong i perioden.",
            "licence": OWN["nn"],
            "source": OUTPUT_SOURCE["nn"],
        },
        "sv": {
            "name": "Nådda deltagare",
            "definition": "Antal olika personer som deltog minst en gång under perioden.",
            "licence": OWN["sv"],
            "source": OUTPUT_SOURCE["sv"],
        },
        "da": {
            "name": "Deltagere nået",
            "definition": "Antal forskellige personer, der deltog mindst én gang i perioden.",
            "licence": OWN["da"],
            "source": OUTPUT_SOURCE["da"],
        },
    },
    "volunteer-hours": {
        "nb": {"licence": OWN["nb"], "source": OUTPUT_SOURCE["nb"]},
        "nn": {
            "name": "Timar frivillig arbeid",
            "definition": "Timar med frivillig arbeid som vart gitt i perioden.",
            "licence": OWN["nn"],
            "source": OUTPUT_SOURCE["nn"],
        },
        "sv": {
            "name": "Timmar ideellt arbete",
            "definition": "Timmar ideellt arbete som utfördes under perioden.",
            "licence": OWN["sv"],
            "source": OUTPUT_SOURCE["sv"],
        },
        "da": {
            "name": "Timer frivilligt arbejde",
            "definition": "Timer med frivilligt arbejde, der blev udført i perioden.",
            "licence": OWN["da"],
            "source": OUTPUT_SOURCE["da"],
        },
    },
    "activities-held": {
        "nb": {"licence": OWN["nb"], "source": OUTPUT_SOURCE["nb"]},
        "nn": {
            "name": "Gjennomførte aktivitetar",
            "definition": "Talet på aktivitetar (møte, samlingar, arrangement) som vart "
            "gjennomførte i perioden.",
            "licence": OWN["nn"],
            "source": OUTPUT_SOURCE["nn"],
        },
        "sv": {
            "name": "Genomförda aktiviteter",
            "definition": "Antal aktiviteter (möten, träffar, evenemang) som genomfördes under "
            "perioden.",
            "licence": OWN["sv"],
            "source": OUTPUT_SOURCE["sv"],
        },
        "da": {
            "name": "Gennemførte aktiviteter",
            "definition": "Antal aktiviteter (møder, sammenkomster, arrangementer), der blev "
            "gennemført i perioden.",
            "licence": OWN["da"],
            "source": OUTPUT_SOURCE["da"],
        },
    },
}


def merged_translations(code: str, translations: dict) -> dict:
    """``translations`` (the entry's bokmål texts) with this module's texts added."""
    merged = {language: dict(texts) for language, texts in (translations or {}).items()}
    for language, texts in TEXTS.get(code, {}).items():
        merged.setdefault(language, {}).update(texts)
    return merged
