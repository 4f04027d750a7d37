"""What an anonymous visitor may see of an initiative: one list, used by the public page, the
API and the open data (a test compares the three).

Decided (docs/security.md, "Public fields"):

- public: what the initiative is and where it stands — title, municipality and owners, stage,
  visibility, governance logic, sectors, the need, description, target group, start date, the
  partners taking part with their roles, public stories, the stage history;
- not public: the contact person's name and e-mail (personal data about a named employee or
  volunteer: public pages give the initiative, not a person to write to; data minimisation,
  GDPR art. 5(1)(c)), the planned transition date and the intended operating owner (working
  plans that the municipality has not decided in public: publishing them would read as a
  promise, and the owner named may not have agreed yet), the project leader and the funding
  after the pilot. Insiders see them on the page and in the API's ``internal`` block.
"""

PUBLIC_FIELDS: tuple[str, ...] = (
    "slug",
    "title",
    "municipality",
    "owners",
    "stage",
    "visibility",
    "governance_logic",
    "sectors",
    "need",
    "description",
    "target_group",
    "start_date",
    "updated_at",
    "url",
)

# Public only by the municipality's decision to publish an initiative's measured results
# (valuation.publication; empty for every other initiative): the open data's value with its
# band and method note, and (JSON) the measured effects that pass the suppression rule.
PUBLISHED_RESULTS_FIELDS: tuple[str, ...] = (
    "sroi_ratio",
    "sroi_ratio_p5",
    "sroi_ratio_p95",
    "value_method",
    "measured_effects",
)

INTERNAL_FIELDS: tuple[str, ...] = (
    "contact_name",
    "contact_email",
    "planned_transition_date",
    "operating_owner",
    "project_leader",
    "post_pilot_funding",
)


def public_only(row: dict) -> dict:
    """A row (open data, an export for anyone) with only the public fields."""
    return {key: value for key, value in row.items() if key in PUBLIC_FIELDS}
