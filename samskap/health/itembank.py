"""Load a version of the item bank from its JSON file (``data/itembank-<version>.json``).

File format: ``{"version", "note", "sets": [{"code", "optional", "name_nb", "name_en",
"dimensions": [{"code", "name_nb", "name_en", "description_nb", "description_en",
"items": [{"code", "facet", "text_nb", "text_en"}]}]}]}``. Item codes are unique within a
version. A version already in the database is left as it is (a version is never changed:
publish a new file and a new migration instead).
"""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read_bank(version: str) -> dict:
    data = json.loads((DATA / f"itembank-{version}.json").read_text(encoding="utf-8"))
    codes = [
        item["code"]
        for item_set in data["sets"]
        for dimension in item_set["dimensions"]
        for item in dimension["items"]
    ]
    if len(codes) != len(set(codes)):
        raise ValueError(f"Item bank {version}: item codes must be unique.")
    if data["version"] != version:
        raise ValueError(f"Item bank file {version} says it is version {data['version']}.")
    return data


def load_bank(apps, version: str) -> bool:
    """Create the rows of one bank version; ``apps`` is a migration's app registry (or
    ``django.apps.apps``). Returns False when the version was already there."""
    BankVersion = apps.get_model("health", "BankVersion")
    ItemSet = apps.get_model("health", "ItemSet")
    Dimension = apps.get_model("health", "Dimension")
    Item = apps.get_model("health", "Item")
    if BankVersion.objects.filter(version=version).exists():
        return False
    data = read_bank(version)
    bank = BankVersion.objects.create(version=version, note=data.get("note", ""))
    dim_position = item_position = 0
    for set_position, spec in enumerate(data["sets"]):
        item_set = ItemSet.objects.create(
            bank=bank,
            code=spec["code"],
            optional=spec.get("optional", False),
            name_nb=spec["name_nb"],
            name_en=spec["name_en"],
            position=set_position,
        )
        for dim in spec["dimensions"]:
            dim_position += 1
            dimension = Dimension.objects.create(
                bank=bank,
                item_set=item_set,
                code=dim["code"],
                name_nb=dim["name_nb"],
                name_en=dim["name_en"],
                description_nb=dim.get("description_nb", ""),
                description_en=dim.get("description_en", ""),
                position=dim_position,
            )
            for item in dim["items"]:
                item_position += 1
                Item.objects.create(
                    bank=bank,
                    dimension=dimension,
                    code=item["code"],
                    facet=item.get("facet", ""),
                    text_nb=item["text_nb"],
                    text_en=item["text_en"],
                    position=item_position,
                )
    return True
