from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "talent.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from talent.accounts import signals as accounts
        from talent.engagements import signals as engagements
        from talent.matching import signals as matching
        from talent.notifications import receivers

        matching.proposal_answered.connect(receivers.tell_company_the_expert_answered, dispatch_uid="notify.answered")
        matching.proposals_made.connect(receivers.tell_experts_of_new_proposals, dispatch_uid="notify.proposals")
        engagements.engagement_started.connect(receivers.tell_both_the_engagement_started, dispatch_uid="notify.start")
        engagements.engagement_closed.connect(receivers.tell_both_the_engagement_closed, dispatch_uid="notify.close")
        accounts.claim_code_used.connect(receivers.tell_staff_a_claim_code_was_used, dispatch_uid="notify.claim")
        user_logged_in.connect(receivers.remember_language, dispatch_uid="notify.language")
