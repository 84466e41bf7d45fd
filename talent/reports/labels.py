"""Every label the reports and statistics show: groups, breakdowns, columns, bands, and "unspecified".

A group is keyed by a code or an id (what downloads and snapshots keep) and labelled in the active language:
organizations, schools and programmes by their names, codes by their vocabulary. A record without the value
a table groups by is counted under UNSPECIFIED, labelled "Unspecified", and listed last, so that every
table adds up to its total.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from talent.common.presentation import bilingual_name
from talent.registry import vocabulary
from talent.registry.vocabulary import DegreeLevel, EnrollmentStatus, Gender, ReturnProgramme
from talent.reports.arithmetic import Band

UNSPECIFIED = "unspecified"
UNSPECIFIED_LABEL = gettext_lazy("Unspecified")

#: The ways to break a figure down, as a person reads them (the dashboard's choice, the tables' headings).
DIMENSION_LABELS = {
    "university": gettext_lazy("University"),
    "school": gettext_lazy("Graduate school"),
    "region": gettext_lazy("Region"),
    "ksic_section": gettext_lazy("KSIC section"),
    "degree_level": gettext_lazy("Degree level"),
    "cohort": gettext_lazy("Admission cohort"),
    "gender": gettext_lazy("Gender"),
    "origin": gettext_lazy("Returning or domestic"),
    "return_programme": gettext_lazy("Return programme"),
}
COLUMN_LABELS = {
    "achieved": gettext_lazy("Achieved"),
    "entrants": gettext_lazy("Entrants"),
    "enrolled": gettext_lazy("Enrolled"),
    "on_leave": gettext_lazy("On leave"),
    "coursework_complete": gettext_lazy("Coursework complete"),
    "active": gettext_lazy("Active"),
    "expected_to_finish": gettext_lazy("Expected to finish by the deadline"),
    "planned": gettext_lazy("Planned returns by the deadline"),
}
BAND_LABELS = {
    Band.NOT_STARTED: gettext_lazy("Not started"),
    Band.ON_TRACK: gettext_lazy("On track"),
    Band.NEEDS_ACCELERATION: gettext_lazy("Needs acceleration"),
    Band.OFF_TRACK: gettext_lazy("Off track"),
}
#: Where a target's dimension means something else: a returned researcher's "university" is their current
#: affiliation in Korea (a university, a company or an institute).
DIMENSION_LABELS_BY_BASIS = {
    ("returned", "university"): gettext_lazy("Current affiliation in Korea"),
}
ORIGIN_LABELS = {"returning": gettext_lazy("Returning from overseas"), "domestic": gettext_lazy("Domestic")}

#: Groups named after a record (organization, school, programme): labelled with its names.
NAMED_GROUPS = frozenset({"university", "school", "programme"})
#: Groups whose key is a code of a vocabulary.
CHOICE_GROUPS: dict[str, Any] = {
    "degree_level": DegreeLevel,
    "status": EnrollmentStatus,
    "gender": Gender,
    "return_programme": ReturnProgramme,
}


def dimension_label(by: str, *, basis: str) -> str:
    """The heading of a breakdown `by` a dimension, for a target of this counting basis."""
    return str(DIMENSION_LABELS_BY_BASIS.get((basis, by), DIMENSION_LABELS[by]))


def group_key(value: Any) -> str:
    """A group's key as shown and downloaded: the code or id as text, UNSPECIFIED when there is none."""
    return UNSPECIFIED if value is None or value == "" else str(value)


def group_label(by: str, key: str, name_ko: str | None = None, name_en: str | None = None) -> str:
    """The name of the group `key` of a table grouped `by`, in the active language."""
    if key == UNSPECIFIED:
        return str(UNSPECIFIED_LABEL)
    if by in NAMED_GROUPS:
        return bilingual_name(name_ko, name_en) or key
    if by == "region":
        return dict(vocabulary.region_choices()).get(key, key)
    if by == "ksic_section":
        return vocabulary.ksic_section_name(key)
    if by in CHOICE_GROUPS:
        return str(CHOICE_GROUPS[by](key).label)
    if by == "origin":
        return str(ORIGIN_LABELS[key])
    return key  # years (cohort, admission year)


def group_order(key: str, label: str) -> tuple[bool, str, str]:
    """Rows by label (then key), the unspecified one last."""
    return (key == UNSPECIFIED, label, key)
