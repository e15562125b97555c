"""DfE school census type-of-need codes (STATUTORY.md section 5), each mapped to its broad area of need.

Held here as data and loaded into NeedType by a migration, so one edit (and a migration) can change them.
"""

NEED_TYPES = [
    # code, name, broad area, valid only with SEN support
    ("SLCN", "Speech, language and communication needs", "ci", False),
    ("ASD", "Autistic spectrum disorder", "ci", False),
    ("SPLD", "Specific learning difficulty", "cl", False),
    ("MLD", "Moderate learning difficulty", "cl", False),
    ("SLD", "Severe learning difficulty", "cl", False),
    ("PMLD", "Profound and multiple learning difficulty", "cl", False),
    ("SEMH", "Social, emotional and mental health", "semh", False),
    ("HI", "Hearing impairment", "sp", False),
    ("VI", "Vision impairment", "sp", False),
    ("MSI", "Multi-sensory impairment", "sp", False),
    ("PD", "Physical disability", "sp", False),
    ("OTH", "Other difficulty", "other", False),
    ("NSA", "SEN support but no specialist assessment of type of need", "other", True),
]


def load_need_types(need_type_model) -> None:
    """Create or update the NeedType rows (used by the data migration, and by seed_demo after a test flush)."""
    for ordering, (code, name, area, sen_support_only) in enumerate(NEED_TYPES):
        need_type_model.objects.update_or_create(
            code=code,
            defaults={"name": name, "broad_area": area, "sen_support_only": sen_support_only, "ordering": ordering},
        )
