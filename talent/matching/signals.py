"""What matching tells the apps above it (engagements, notifications), which connect receivers in their
`AppConfig.ready()`. Both are sent inside the writing transaction with `send`: what a receiver writes (an
engagement, a notification in the outbox) commits with the answer or the run, or not at all.
"""

from django.dispatch import Signal

#: A side answered a proposal (keyword arguments: `actor`, `proposal` — saved, its status settled when both
#: accepted or one declined —, `side`, a `Side` value, and `answer`, an `Answer` value).
proposal_answered = Signal()

#: A run wrote its proposals (keyword arguments: `run_id` and `new_by_expert`, a dict of expert profile id to the
#: number of pairs this run proposed that were not proposed before).
proposals_made = Signal()
