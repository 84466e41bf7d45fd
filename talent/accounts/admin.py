"""Operators sign a login out everywhere from the admin's list of logins (e.g. when its credentials may have
leaked): Django's user admin, with that action."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent.accounts.credentials import sign_out_everywhere
from talent.common.users import signed_in_user

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    actions = ["end_every_sign_in"]

    @admin.action(description=gettext_lazy("Sign out everywhere (end every API token and browser session)"))
    def end_every_sign_in(self, request: HttpRequest, queryset: QuerySet) -> None:
        operator = signed_in_user(request)
        for user in queryset:
            sign_out_everywhere(actor=operator, user=user)
        self.message_user(
            request,
            _("%(count)d logins are signed out everywhere.") % {"count": queryset.count()},
            messages.SUCCESS,
        )
