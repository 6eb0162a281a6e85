from django.db import models


class Status(models.TextChoices):
    # Being written by the originating officer; the only state in which content may change.
    DRAFT = "draft", "Draft"
    # Submitted and frozen; waiting for the Chief Executive's officer approval.
    # (Its label names who acts: "officer approval" read to officers as waiting on them.)
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting Chief Executive approval"
    # Approved by the Chief Executive; waiting for the DMPC to sign off, reject or return it.
    AWAITING_SIGNOFF = "awaiting_signoff", "Awaiting DMPC sign-off"
    # Signed off by the DMPC; passes through at once to published or deferred.
    APPROVED = "approved", "Approved"
    # Signed off, with publication of Part 1 deferred until a date.
    DEFERRED = "deferred", "Approved, publication deferred"
    # Signed off and Part 1 public.
    PUBLISHED = "published", "Published"
    # Refused by the DMPC, with a reason. Final.
    REJECTED = "rejected", "Rejected"
    # Withdrawn by the drafting officer before sign-off, with a reason. Final.
    WITHDRAWN = "withdrawn", "Withdrawn"


# Where a request has been signed off by the DMPC, whatever happened to its publication since.
SIGNED_OFF_STATES = (Status.APPROVED, Status.DEFERRED, Status.PUBLISHED)
