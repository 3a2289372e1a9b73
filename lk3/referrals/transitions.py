"""The statuses of a referral and who moves it between them.

    sent -> received -> accepted | declined (with a reason)
    accepted -> in_service -> completed (with feedback)
    sent | received | accepted | in_service -> revoked (by the sender)

The partner (for a referral out; the intake desk for a referral in)
answers: received, accepted, declined, in service, completed. The sender
revokes. Declined, completed and revoked are final: a partner answering a
revoked referral is refused with a message.
"""

from __future__ import annotations

from lk3.referrals.models import ReferralStatus

S = ReferralStatus
FINAL = frozenset({S.DECLINED, S.COMPLETED, S.REVOKED})
# What the receiving side may do from each status.
ANSWERS: dict[str, frozenset[str]] = {
    S.SENT: frozenset({S.RECEIVED, S.ACCEPTED, S.DECLINED}),
    S.RECEIVED: frozenset({S.ACCEPTED, S.DECLINED}),
    S.ACCEPTED: frozenset({S.IN_SERVICE, S.COMPLETED}),
    S.IN_SERVICE: frozenset({S.COMPLETED}),
}
REVOCABLE = frozenset({S.SENT, S.RECEIVED, S.ACCEPTED, S.IN_SERVICE})
# Moves that need a text: the reason for declining, the feedback on completion,
# the reason for revoking.
NEEDS_TEXT = frozenset({S.DECLINED, S.COMPLETED, S.REVOKED})


def may_answer(current: str, target: str) -> bool:
    return target in ANSWERS.get(current, frozenset())


def may_revoke(current: str) -> bool:
    return current in REVOCABLE
