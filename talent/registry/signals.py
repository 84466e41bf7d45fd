"""What the registry tells the apps above it. The registry imports no other app: an app that must act on a
registry event (matching indexes a saved text, queues a run for an opened problem) connects its receiver to one
of these signals in its `AppConfig.ready()`. Code connects receivers; no setting can rewire them.
"""

from django.dispatch import Signal

#: A company opened a field problem to matching (keyword arguments: `actor`, `problem`). Sent in the caller's
#: transaction, with `send`: a receiver's error fails the opening (matching queues its run in the same transaction).
problem_opened = Signal()

#: An expert profile or field problem was saved and committed (keyword arguments: `kind` — "expert_profile" or
#: "field_problem" — and `pk`). Sent after commit with `send_robust`: the save never depends on a receiver.
matching_text_saved = Signal()

#: Persons were created or their details changed, and committed (keyword argument: `ids`, a list of person ids).
#: Sent after commit with `send_robust` (identity looks for their probable duplicates); the save never depends on it.
persons_saved = Signal()

#: Which programmes count toward the AX target changed from a date (keyword arguments: `actor`, `effective_from`,
#: `note`). Sent in the caller's transaction, with `send`: the reports app adds the target's version from that
#: date, and its refusal undoes the change.
counting_rules_changed = Signal()
