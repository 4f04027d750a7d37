"""The shared indicator library: sector-independent measures any initiative can adopt.

Only instruments that are free to use are included, each with its source and licence note.
Licensed instruments (WEMWBS, EQ-5D, the Outcomes Star …) are deliberately left out.
Loaded into ``LibraryIndicator`` by migration 0002 (and kept in step by ``sync_library``).

Notes on the sources:

- Life satisfaction: the core evaluative question of the OECD Guidelines on Measuring
  Subjective Well-being (OECD 2013, module A), also asked in Statistics Norway's quality of
  life survey (SSB, livskvalitetsundersøkelsen). 0–10.
- Worthwhile and anxiety: two of the UK Office for National Statistics' four personal
  well-being questions (ONS4), Crown copyright, re-usable under the Open Government Licence
  v3.0 with attribution.
- Loneliness: the three-item UCLA loneliness scale, Hughes, Waite, Hawkley & Cacioppo (2004),
  *Research on Aging* 26(6):655–672; answers 1–3, score 3–9, reported α = 0.72. Published for
  use in surveys without a fee.
- Self-efficacy: the General Self-Efficacy Scale, Schwarzer & Jerusalem (1995), in Weinman,
  Wright & Johnston (eds.), *Measures in health psychology*, NFER-NELSON, pp. 35–37. Ten items,
  1–4, score 10–40, α typically 0.76–0.90. The authors' FAQ (R. Schwarzer, "Everything you
  wanted to know about the General Self-Efficacy Scale", 2014) says no explicit permission is
  needed to use and reproduce the scale in research studies provided the source is cited. It
  grants this for research / non-commercial use; it does not explicitly address commercial
  software, so a commercial deployment should ask the authors. The Norwegian adaptation is
  Røysamb, Schwarzer & Jerusalem (1998).
- Own goals: patient-specific functional scale style (Stratford et al. 1995, *Physiotherapy
  Canada* 47:258–263): the participant names up to three goals and rates each 0–10. The format
  is a method, not a licensed text.
- Self-reliance, belonging, participation, trust and the output counts are Samskap's own
  wordings (free, CC0).

Each entry's texts are in English; ``translations["nb"]`` holds them in bokmål (name,
definition, questions, answer labels), read through ``LibraryIndicator.text``. Where a
published Norwegian wording exists (SSB's livskvalitetsundersøkelsen) it is followed and the
entry says so in a comment. The General Self-Efficacy Scale has no bokmål text on purpose: a
validated instrument is not re-translated here, its licence note points to the published
Norwegian adaptation.
"""

from .library_texts import merged_translations

OGL = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(Office for National Statistics). Free to use with attribution."
)
OWN = "Samskap's own wording, free to use (CC0)."

LIBRARY: list[dict] = [
    {
        "code": "life-satisfaction",
        "name": "Life satisfaction",
        "definition": "Overall evaluation of one's life, 0 (not at all satisfied) to 10 "
        "(completely satisfied).",
        "unit": "scale",
        "direction": "higher",
        "questions": ["Overall, how satisfied are you with your life nowadays?"],
        "answer_min": 0,
        "answer_max": 10,
        "answer_labels": "0 = not at all satisfied, 10 = completely satisfied",
        # Bokmål: the wording of Statistics Norway's quality of life survey (SSB,
        # livskvalitetsundersøkelsen; questionnaire in Støren & Rønning 2021, appendix C) as
        # we know it; check it against SSB's current questionnaire before a publication.
        "translations": {
            "nb": {
                "name": "Tilfredshet med livet",
                "definition": "Samlet vurdering av eget liv, fra 0 (ikke fornøyd i det hele "
                "tatt) til 10 (svært fornøyd).",
                "questions": ["Alt i alt, hvor fornøyd er du med livet ditt for tiden?"],
                "answer_labels": "0 = ikke fornøyd i det hele tatt, 10 = svært fornøyd",
            }
        },
        "source": "OECD (2013) OECD Guidelines on Measuring Subjective Well-being, core module "
        "A; Statistics Norway (SSB), livskvalitetsundersøkelsen.",
        "licence": "Question published by the OECD and Statistics Norway for general use; "
        "free to use with a reference to the source.",
    },
    {
        "code": "ons-worthwhile",
        "name": "Things one does are worthwhile",
        "definition": "The sense that what one does in life is worthwhile, 0–10.",
        "unit": "scale",
        "direction": "higher",
        "questions": [
            "Overall, to what extent do you feel that the things you do in your life are "
            "worthwhile?"
        ],
        "answer_min": 0,
        "answer_max": 10,
        "answer_labels": "0 = not at all, 10 = completely",
        # Bokmål: after the ONS question as SSB's livskvalitetsundersøkelsen asks it (meaning
        # in life, 0–10); our careful wording — check it against SSB's questionnaire.
        "translations": {
            "nb": {
                "name": "Opplevelse av at det man gjør, er meningsfullt",
                "definition": "Opplevelsen av at det man gjør i livet, er meningsfullt, 0–10.",
                "questions": [
                    "Alt i alt, i hvilken grad opplever du at det du gjør i livet ditt, er "
                    "meningsfullt?"
                ],
                "answer_labels": "0 = ikke i det hele tatt, 10 = fullt og helt",
            }
        },
        "source": "Office for National Statistics (UK), personal well-being questions (ONS4).",
        "licence": OGL,
    },
    {
        "code": "ons-anxiety",
        "name": "Anxiety yesterday",
        "definition": "How anxious one felt yesterday, 0–10 (lower is better).",
        "unit": "scale",
        "direction": "lower",
        "questions": ["Overall, how anxious did you feel yesterday?"],
        "answer_min": 0,
        "answer_max": 10,
        "answer_labels": "0 = not at all anxious, 10 = completely anxious",
        # Bokmål: after the ONS question as SSB's livskvalitetsundersøkelsen asks it (feelings
        # yesterday, 0–10); our careful wording — check it against SSB's questionnaire.
        "translations": {
            "nb": {
                "name": "Engstelse i går",
                "definition": "Hvor engstelig man følte seg i går, 0–10 (lavere er bedre).",
                "questions": ["Alt i alt, hvor engstelig følte du deg i går?"],
                "answer_labels": "0 = ikke engstelig i det hele tatt, 10 = svært engstelig",
            }
        },
        "source": "Office for National Statistics (UK), personal well-being questions (ONS4).",
        "licence": OGL,
    },
    {
        "code": "ucla-loneliness-3",
        "name": "Loneliness (UCLA three-item scale)",
        "definition": "Sum of three questions answered 1 (hardly ever) to 3 (often); score 3–9, "
        "lower is better.",
        "unit": "scale",
        "direction": "lower",
        "questions": [
            "How often do you feel that you lack companionship?",
            "How often do you feel left out?",
            "How often do you feel isolated from others?",
        ],
        "answer_min": 1,
        "answer_max": 3,
        "answer_labels": "1 = hardly ever, 2 = some of the time, 3 = often",
        "reliability": "0.72",
        # Bokmål: the three UCLA items and answer labels as used in Norwegian surveys (SSB's
        # livskvalitetsundersøkelsen, FHI's county public health surveys); our rendering —
        # check the exact wording against SSB's questionnaire.
        "translations": {
            "nb": {
                "name": "Ensomhet (UCLA, tre spørsmål)",
                "definition": "Summen av tre spørsmål besvart fra 1 (sjelden eller aldri) til 3 "
                "(ofte); skår 3–9, lavere er bedre.",
                "questions": [
                    "Hvor ofte føler du at du savner noen å være sammen med?",
                    "Hvor ofte føler du deg utenfor?",
                    "Hvor ofte føler du deg isolert fra andre?",
                ],
                "answer_labels": "1 = sjelden eller aldri, 2 = av og til, 3 = ofte",
            }
        },
        "source": "Hughes, M. E., Waite, L. J., Hawkley, L. C., & Cacioppo, J. T. (2004). A "
        "short scale for measuring loneliness in large surveys. Research on Aging, 26(6), "
        "655–672.",
        "licence": "Published for use in surveys; free to use with a reference to Hughes et "
        "al. (2004).",
    },
    {
        "code": "general-self-efficacy",
        "name": "Self-efficacy (General Self-Efficacy Scale)",
        "definition": "Sum of ten statements answered 1 (not at all true) to 4 (exactly true); "
        "score 10–40.",
        "unit": "scale",
        "direction": "higher",
        "questions": [
            "I can always manage to solve difficult problems if I try hard enough.",
            "If someone opposes me, I can find the means and ways to get what I want.",
            "It is easy for me to stick to my aims and accomplish my goals.",
            "I am confident that I could deal efficiently with unexpected events.",
            "Thanks to my resourcefulness, I know how to handle unforeseen situations.",
            "I can solve most problems if I invest the necessary effort.",
            "I can remain calm when facing difficulties because I can rely on my coping abilities.",
            "When I am confronted with a problem, I can usually find several solutions.",
            "If I am in trouble, I can usually think of a solution.",
            "I can usually handle whatever comes my way.",
        ],
        "answer_min": 1,
        "answer_max": 4,
        "answer_labels": "1 = not at all true, 2 = hardly true, 3 = moderately true, "
        "4 = exactly true",
        "reliability": "0.85",
        "source": "Schwarzer, R., & Jerusalem, M. (1995). Generalized Self-Efficacy scale. In "
        "J. Weinman, S. Wright, & M. Johnston, Measures in health psychology: A user's "
        "portfolio. Causal and control beliefs (pp. 35–37). Windsor: NFER-NELSON. Norwegian "
        "adaptation: Røysamb, Schwarzer & Jerusalem (1998).",
        "licence": "Free for research and non-commercial use with citation of the source: the "
        "authors' FAQ (Schwarzer 2014) grants permission to use and reproduce the scale in "
        "studies without asking. Commercial use is not explicitly covered — ask the authors "
        "before using it in a commercial product. No Norwegian text is included: for "
        "Norwegian-speaking participants, use the published Norwegian adaptation (Røysamb, "
        "Schwarzer & Jerusalem 1998), not a new translation.",
        # Deliberately no "translations": a validated instrument is not translated here; the
        # published Norwegian adaptation (Røysamb, Schwarzer & Jerusalem 1998) is to be used.
    },
    {
        "code": "own-goals",
        "name": "Own goals (rated 0–10)",
        "definition": "The participant names up to three things they want to manage better and "
        "rates how well they manage each, 0 (not at all) to 10 (fully); the score is the mean.",
        "unit": "scale",
        "direction": "higher",
        "questions": [
            "Your first goal: how well do you manage it now?",
            "Your second goal: how well do you manage it now?",
            "Your third goal: how well do you manage it now?",
        ],
        "answer_min": 0,
        "answer_max": 10,
        "answer_labels": "0 = not at all, 10 = fully",
        "scoring": "mean",
        "translations": {
            "nb": {
                "name": "Egne mål (vurdert 0–10)",
                "definition": "Deltakeren nevner inntil tre ting hen vil få til bedre, og "
                "vurderer hvor godt hen får til hver av dem, fra 0 (ikke i det hele tatt) til 10 "
                "(fullt ut); skåren er gjennomsnittet.",
                "questions": [
                    "Ditt første mål: hvor godt får du det til nå?",
                    "Ditt andre mål: hvor godt får du det til nå?",
                    "Ditt tredje mål: hvor godt får du det til nå?",
                ],
                "answer_labels": "0 = ikke i det hele tatt, 10 = fullt ut",
            }
        },
        "source": "Patient-specific functional scale style: Stratford, P., Gill, C., Westaway, "
        "M., & Binkley, J. (1995). Physiotherapy Canada, 47, 258–263.",
        # Abbott & Schmitt (2014): the PSFS's MID on its 0-10 mean score is 1.3 for a small,
        # 2.3 for a medium and 2.7 for a large perceived change; the smallest is used.
        "minimal_important_difference": "1.3",
        "mid_source": "Abbott, J. H., & Schmitt, J. S. (2014). Minimum important differences for "
        "the Patient-Specific Functional Scale, 4 region-specific outcome measures, and the "
        "numeric pain rating scale. JOSPT, 44(8), 560–564 (small change; a PSFS-style scale, "
        "so a guide, not a validated threshold for this wording).",
        "licence": "A rating format, not a licensed text; Samskap's wording is free (CC0).",
    },
    {
        "code": "self-reliance",
        "name": "Self-reliance in daily life",
        "definition": "How well one copes with everyday life on one's own, 0–10.",
        "unit": "scale",
        "direction": "higher",
        "questions": ["How well do you manage your everyday life on your own?"],
        "answer_min": 0,
        "answer_max": 10,
        "answer_labels": "0 = not at all, 10 = completely",
        "translations": {
            "nb": {
                "name": "Selvhjulpenhet i hverdagen",
                "definition": "Hvor godt man klarer hverdagen på egen hånd, 0–10.",
                "questions": ["Hvor godt klarer du hverdagen din på egen hånd?"],
                "answer_labels": "0 = ikke i det hele tatt, 10 = fullt ut",
            }
        },
        "source": "Samskap indicator library.",
        "licence": OWN,
    },
    {
        "code": "belonging",
        "name": "Belonging to the local community",
        "definition": "How strongly one feels one belongs to the local community, 0–10.",
        "unit": "scale",
        "direction": "higher",
        "questions": ["How strongly do you feel you belong to your local community?"],
        "answer_min": 0,
        "answer_max": 10,
        "answer_labels": "0 = not at all, 10 = very strongly",
        "translations": {
            "nb": {
                "name": "Tilhørighet til lokalsamfunnet",
                "definition": "Hvor sterkt man føler at man hører til i lokalsamfunnet, 0–10.",
                "questions": ["Hvor sterkt føler du at du hører til i lokalsamfunnet ditt?"],
                "answer_labels": "0 = ikke i det hele tatt, 10 = svært sterkt",
            }
        },
        "source": "Samskap indicator library (wording after the belonging questions in SSB's "
        "livskvalitetsundersøkelsen).",
        "licence": OWN,
    },
    {
        "code": "participation",
        "name": "Participation in work, education or activities",
        "definition": "Days in the last week with work, education, volunteering or organised "
        "activities, 0–7.",
        "unit": "scale",
        "direction": "higher",
        "questions": [
            "On how many of the last 7 days did you take part in work, education, volunteering "
            "or an organised activity?"
        ],
        "answer_min": 0,
        "answer_max": 7,
        "answer_labels": "number of days, 0–7",
        "translations": {
            "nb": {
                "name": "Deltakelse i arbeid, utdanning eller aktiviteter",
                "definition": "Antall dager den siste uken med arbeid, utdanning, frivillig "
                "arbeid eller organiserte aktiviteter, 0–7.",
                "questions": [
                    "Hvor mange av de siste 7 dagene deltok du i arbeid, utdanning, frivillig "
                    "arbeid eller en organisert aktivitet?"
                ],
                "answer_labels": "antall dager, 0–7",
            }
        },
        "source": "Samskap indicator library.",
        "licence": OWN,
    },
    {
        "code": "trust-municipality",
        "name": "Trust in the municipality",
        "definition": "How much one trusts the municipality, 0–10.",
        "unit": "scale",
        "direction": "higher",
        "questions": ["How much do you trust the municipality?"],
        "answer_min": 0,
        "answer_max": 10,
        "answer_labels": "0 = no trust at all, 10 = complete trust",
        "translations": {
            "nb": {
                "name": "Tillit til kommunen",
                "definition": "Hvor stor tillit man har til kommunen, 0–10.",
                "questions": ["Hvor stor tillit har du til kommunen?"],
                "answer_labels": "0 = ingen tillit i det hele tatt, 10 = full tillit",
            }
        },
        "source": "Samskap indicator library (after the institutional trust questions of the "
        "OECD 2013 guidelines and SSB's livskvalitetsundersøkelsen).",
        "licence": OWN,
    },
    {
        "code": "participants-reached",
        "name": "Participants reached",
        "definition": "Number of different people who took part at least once in the period.",
        "kind": "output",
        "unit": "number",
        "direction": "higher",
        "translations": {
            "nb": {
                "name": "Deltakere nådd",
                "definition": "Antall ulike personer som deltok minst én gang i perioden.",
            }
        },
        "source": "Samskap indicator library (output count).",
        "licence": OWN,
    },
    {
        "code": "volunteer-hours",
        "name": "Volunteer hours",
        "definition": "Hours of volunteer work given in the period.",
        "kind": "output",
        "unit": "number",
        "direction": "higher",
        "translations": {
            "nb": {
                "name": "Timer frivillig arbeid",
                "definition": "Timer med frivillig arbeid som ble gitt i perioden.",
            }
        },
        "source": "Samskap indicator library (output count).",
        "licence": OWN,
    },
    {
        "code": "activities-held",
        "name": "Activities held",
        "definition": "Number of activities (meetings, sessions, events) held in the period.",
        "kind": "output",
        "unit": "number",
        "direction": "higher",
        "translations": {
            "nb": {
                "name": "Gjennomførte aktiviteter",
                "definition": "Antall aktiviteter (møter, samlinger, arrangementer) som ble "
                "gjennomført i perioden.",
            }
        },
        "source": "Samskap indicator library (output count).",
        "licence": OWN,
    },
]


def sync_library(model) -> int:
    """Create or update the shared library rows (``model`` may be the historical model of a
    migration). Returns how many rows were written."""
    known = {field.name for field in model._meta.get_fields()}
    for entry in LIBRARY:
        defaults = {"kind": "outcome", "scoring": "sum", "questions": [], **entry}
        code = defaults.pop("code")
        defaults["translations"] = merged_translations(code, defaults.get("translations", {}))
        # an earlier migration's model lacks the fields added later (e.g. ``translations``)
        defaults = {key: value for key, value in defaults.items() if key in known}
        model.objects.update_or_create(code=code, municipality=None, defaults=defaults)
    return len(LIBRARY)
