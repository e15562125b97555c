"""The safeguarding deadline kinds. Titles say what is due in words that give nothing away about the child or
the concern (deadline rows are listed, emailed and put in calendar feeds)."""

from __future__ import annotations

from deadlines.kinds import DeadlineKind

from .rules import REFERRAL_RULE, TRANSFER_RULE

ACTION = DeadlineKind("safeguarding.action", "DSL action due", "An action agreed by the DSL, with its owner.")
REFERRAL_CHASE = DeadlineKind("safeguarding.referral_chase", "DSL: chase a response", REFERRAL_RULE)
TRANSFER = DeadlineKind("safeguarding.transfer", "DSL: send a file to a new school", TRANSFER_RULE)

ALL_KINDS = (ACTION, REFERRAL_CHASE, TRANSFER)
