"""What accounts tell the apps above them (notifications), connected in their `AppConfig.ready()`."""

from django.dispatch import Signal

#: A student claimed their record with a university's code (keyword arguments: `claim`, the spent ClaimCode). Sent
#: in the claim's transaction with `send`: what a receiver writes (a notification) commits or rolls back with it.
claim_code_used = Signal()
