"""The finance annexes as decisions sees them: content attached to a request
(decisions.models.Extension). The request asks, through this, for the annexes' part of its signed
content, for what they still need before submission, and for the lines each recommendation
approves; and links those lines when a recommendation is saved. decisions never imports finance:
FinanceConfig.ready() registers this.
"""

from __future__ import annotations

from collections.abc import Collection

from decisions.models import Decision, Recommendation
from finance import selectors, services


class Annexes:
    key = "annexes"

    def signed_content(self, decision: Decision) -> object:
        return selectors.signed_annexes(decision)

    def submission_problems(self, decision: Decision) -> list[str]:
        return selectors.submission_problems(decision)

    def approved_lines(self, decision: Decision) -> dict[int, list[str]]:
        return selectors.approved_lines(decision)

    def link_approvals(self, recommendation: Recommendation, line_ids: Collection[int]) -> None:
        services.recommendation_link_rows(recommendation, line_ids)
