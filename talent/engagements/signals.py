"""What engagements tell the apps above them (notifications). Sent in the writing transaction with `send`: what a
receiver writes (a notification in the outbox) commits or rolls back with the engagement."""

from django.dispatch import Signal

#: Both sides accepted a proposal: its engagement started (keyword arguments: `engagement`).
engagement_started = Signal()

#: A side closed an engagement with an outcome (keyword arguments: `engagement`, `actor`).
engagement_closed = Signal()
