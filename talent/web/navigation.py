"""Where each role works: the links of the site's navigation and the page the home page sends a user to.

Roles come from `talent.registry.roles` (organization kind) and the person record (researchers, students).
Pages of another module are linked by URL name; a name that is not (yet) routed is left out, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from talent.registry import roles, selectors

if TYPE_CHECKING:
    from talent.registry.roles import User


@dataclass(frozen=True)
class NavLink:
    name: str  # URL name, e.g. "web:company-home"
    label: str | Promise
    testid: str


UNIVERSITY = [
    NavLink("web:university-home", _("My university"), "nav-university"),
    NavLink("web:university-enrollments", _("Enrollments"), "nav-enrollments"),
    NavLink("web:university-roster-import", _("Roster import"), "nav-roster"),
    NavLink("web:university-claim-codes", _("Claim codes"), "nav-claim-codes"),
    NavLink("web:engagements", _("Engagements"), "nav-engagements"),
    NavLink("reports-dashboard", _("Dashboard"), "nav-dashboard"),
    NavLink("reports-intake", _("Intake plans"), "nav-intake"),
]
COMPANY = [
    NavLink("web:company-home", _("Field problems"), "nav-company"),
    NavLink("web:engagements", _("Engagements"), "nav-engagements"),
]
MINISTRY = [
    NavLink("web:analyst-home", _("Match runs"), "nav-analyst"),
    NavLink("web:engagements", _("Engagements"), "nav-engagements"),
    NavLink("reports-dashboard", _("Dashboard"), "nav-dashboard"),
    NavLink("reports-intake", _("Intake plans"), "nav-intake"),
]
RESEARCHER = [
    NavLink("web:researcher-home", _("My profile"), "nav-profile"),
    NavLink("web:expert-profile", _("Expert profile"), "nav-expert"),
    NavLink("web:consent", _("Consent"), "nav-consent"),
    NavLink("web:my-proposals", _("My proposals"), "nav-proposals"),
    NavLink("web:engagements", _("Engagements"), "nav-engagements"),
    NavLink("web:my-data", _("My data"), "nav-data"),
]
NO_ROLE = [NavLink("web:claim", _("Claim my student record"), "nav-claim")]
OPERATOR = [
    NavLink("web:operator-candidates", _("Probable duplicates"), "nav-duplicates"),
    NavLink("web:operator-merges", _("Merges"), "nav-merges"),
]


def _links_for(user: User) -> list[NavLink]:
    if not user.is_authenticated:
        return []
    if roles.university_of(user) is not None:
        return UNIVERSITY
    if roles.company_of(user) is not None:
        return COMPANY
    if roles.is_ministry(user):
        return MINISTRY
    if selectors.own_person(user=user) is not None:
        return RESEARCHER
    return OPERATOR if roles.is_operator(user) else NO_ROLE


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


#: Every signed-in user's own notifications, after their role's pages.
INBOX = NavLink("web:inbox", _("Inbox"), "nav-inbox")


def nav_links(user: User) -> list[dict[str, str]]:
    """The navigation of this user's role: label, url and test id of each routed page."""
    links = []
    role_links = _links_for(user)
    for link in [*role_links, INBOX] if user.is_authenticated else role_links:
        url = _url(link.name)
        if url is not None:
            links.append({"label": str(link.label), "url": url, "testid": link.testid})
    return links


def home_url(user: User) -> str | None:
    """The first page of this user's work, or None when the home page itself is the place (anonymous users,
    operators, logins without a role)."""
    links = _links_for(user)
    if not links or links is NO_ROLE or links is OPERATOR:
        return None
    return _url(links[0].name)
