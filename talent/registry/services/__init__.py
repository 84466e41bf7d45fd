"""Every write to the registry. Each service validates, runs in a transaction, records who acted
(pghistory context) and raises DomainErrors with messages a person understands.

Callers use `services.<entity>_<verb>(...)`; the modules group them by entity.
"""

from talent.registry.services.access import access_log_record
from talent.registry.services.advisors import advisor_appoint
from talent.registry.services.catalogue_updates import graduate_school_update, programme_update
from talent.registry.services.claims import claim_code_issue, claim_codes_revoke
from talent.registry.services.enrollments import (
    enrollment_admit,
    enrollment_event_void,
    enrollment_fast_track,
    enrollment_statuses_refresh,
    enrollment_transition,
    enrollment_transition_check,
    enrollment_update,
)
from talent.registry.services.organizations import (
    graduate_school_create,
    membership_set,
    organization_create,
    programme_create,
    programme_set_counting,
    programmes_counting_refresh,
    programmes_set_counting,
)
from talent.registry.services.people import (
    expert_consent_set,
    expert_profile_save,
    overseas_position_add,
    overseas_position_delete,
    overseas_position_update,
    person_create,
    person_update,
    researcher_profile_save,
)
from talent.registry.services.privacy import privacy_consent_give, privacy_consent_withdraw_optional
from talent.registry.services.problems import (
    field_problem_close,
    field_problem_create,
    field_problem_open,
    field_problem_open_and_announce,
    field_problem_update,
)

__all__ = [
    "access_log_record",
    "advisor_appoint",
    "claim_code_issue",
    "claim_codes_revoke",
    "enrollment_admit",
    "enrollment_event_void",
    "enrollment_fast_track",
    "enrollment_statuses_refresh",
    "enrollment_transition",
    "enrollment_transition_check",
    "enrollment_update",
    "expert_consent_set",
    "expert_profile_save",
    "field_problem_close",
    "field_problem_create",
    "field_problem_open",
    "field_problem_open_and_announce",
    "field_problem_update",
    "graduate_school_create",
    "graduate_school_update",
    "membership_set",
    "organization_create",
    "overseas_position_add",
    "overseas_position_delete",
    "overseas_position_update",
    "person_create",
    "person_update",
    "privacy_consent_give",
    "privacy_consent_withdraw_optional",
    "programme_create",
    "programme_set_counting",
    "programme_update",
    "programmes_counting_refresh",
    "programmes_set_counting",
    "researcher_profile_save",
]
