"""The database side of `make bench-load`, run as its own process with the cluster's environment:

python bench/load_db.py setup REQUESTS      the demo, the bench's people, REQUESTS requests
                                            awaiting officer approval; prints them as JSON
python bench/load_db.py pending             documents and notices not yet done (a number)
python bench/load_db.py figures CLIENT SINK the figures, as JSON, from the database, the
                                            media storage, what the clients saw succeed
                                            (CLIENT) and what the SMTP sink received (SINK)
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402

from decisions import services  # noqa: E402
from decisions.models import Decision, Notice, NoticeState, TransitionLog  # noqa: E402
from decisions.notifications import recipients  # noqa: E402
from decisions.roles import Role  # noqa: E402
from demo.loader import load_demo  # noqa: E402
from documents import content  # noqa: E402
from documents.models import DocumentState, RenderedDocument  # noqa: E402
from documents.recipes import wanted_kinds  # noqa: E402
from documents.services import render_now  # noqa: E402

PASSWORD = "bench-load-password"  # noqa: S105 - a throw-away database
PEOPLE = {
    Role.OFFICER: ["officer1", "officer2"],
    Role.CHIEF_EXECUTIVE: ["ce1", "ce2", "ce3"],
    Role.DMPC: ["dmpc1", "dmpc2"],
}


def _person(username: str, role: Role) -> object:
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        first_name=username.rstrip("0123456789").upper(),
        last_name=username[-1],
    )
    user.groups.add(Group.objects.get(name=role.value))
    return user


def _submitted(officer: object, number: int) -> Decision:
    title = f"Borough grant {number}"
    decision = services.decision_create(user=officer, title=title)  # type: ignore[arg-type]
    kwargs = {"decision": decision, "user": officer}
    services.decision_update_summary(
        **kwargs, title=title, executive_summary="Grants to boroughs for crime prevention."
    )
    sections = decision.template.sections.order_by("number")
    services.paragraph_add(**kwargs, section=sections[0], text="Background to the grants.")
    grants = services.paragraph_add(**kwargs, section=sections[1], text=f"Grant {number}.")
    services.recommendation_add(**kwargs, text="Note the report.")
    services.recommendation_add(**kwargs, text="Approve the grants.", paragraphs=[grants])
    services.declaration_update(
        **kwargs, item_ids=decision.template.declaration_items.values_list("pk", flat=True)
    )
    return services.decision_submit(**kwargs)


def setup(count: int) -> dict[str, object]:
    _, pcd_279, _ = load_demo()
    # The published decision's PDFs are there from the start, as `make run` makes them.
    for document in RenderedDocument.objects.filter(decision=pcd_279):
        render_now(document)
    people = {role: [_person(name, role) for name in names] for role, names in PEOPLE.items()}
    officers = people[Role.OFFICER]
    requests = [_submitted(officers[n % len(officers)], n).pk for n in range(count)]
    return {
        "password": PASSWORD,
        "chief_executives": PEOPLE[Role.CHIEF_EXECUTIVE],
        "dmpcs": PEOPLE[Role.DMPC],
        "requests": requests,
    }


def pending() -> int:
    documents = RenderedDocument.objects.filter(
        state__in=[DocumentState.QUEUED, DocumentState.RENDERING]
    ).count()
    notices = Notice.objects.filter(state__in=[NoticeState.PENDING, NoticeState.SENDING]).count()
    return documents + notices


def _sha256(name: str) -> str:
    with default_storage.open(name, "rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def _files(folder: str) -> list[str]:
    folders, files = default_storage.listdir(folder)
    found = [f"{folder}{name}" for name in files]
    for sub in folders:
        found += _files(f"{folder}{sub}/")
    return found


def figures(client_log: Path, sink_log: Path) -> dict[str, int]:
    # Transitions: each one a client saw succeed is in the log, and none is there twice.
    successes = [tuple(line) for line in json.loads(client_log.read_text())]
    logged = collections.Counter(
        (entry.decision_id, entry.transition, entry.actor.username if entry.actor else "")
        for entry in TransitionLog.objects.select_related("actor")
    )
    lost_transitions = sum(1 for success in successes if logged[success] == 0)
    per_step = collections.Counter((d, t) for (d, t, _), n in logged.items() for _ in range(n))
    doubled_transitions = sum(n - 1 for n in per_step.values() if n > 1)
    # PDFs: every document each request's state calls for is ready, on the storage, as hashed;
    # no file is there that no document owns (a render filed twice).
    missing_pdfs = 0
    for decision in Decision.objects.select_related("template"):
        for kind in wanted_kinds(decision):
            key = content.content_key(decision, kind)
            ready = RenderedDocument.objects.filter(
                decision=decision, kind=kind, content_hash=key, state=DocumentState.READY
            ).first()
            if ready is None or _sha256(ready.pdf.name) != ready.pdf_sha256:
                missing_pdfs += 1
    owned = set(RenderedDocument.objects.exclude(pdf="").values_list("pdf", flat=True))
    doubled_pdfs = sum(1 for name in _files("documents/") if name not in owned)
    # Notices: every transition that should tell someone wrote its notices, and the mail server
    # received each of them, once.
    expected: collections.Counter[tuple[str, str]] = collections.Counter(
        Notice.objects.values_list("email", "subject")
    )
    untold = sum(
        1
        for entry in TransitionLog.objects.select_related("decision").filter(notices__isnull=True)
        if recipients(entry)
    )
    received: collections.Counter[tuple[str, str]] = collections.Counter()
    if sink_log.exists():
        for line in sink_log.read_text().splitlines():
            message = json.loads(line)
            received[(message["to"], message["subject"])] += 1
    return {
        "lost_transitions": lost_transitions,
        "doubled_transitions": doubled_transitions,
        "missing_pdfs": missing_pdfs,
        "doubled_pdfs": doubled_pdfs,
        "lost_notifications": untold + sum((expected - received).values()),
        "doubled_notifications": sum((received - expected).values()),
        "transitions": sum(per_step.values()),
        "pdfs": RenderedDocument.objects.filter(state=DocumentState.READY).count(),
        "notifications": sum(received.values()),
    }


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        print(json.dumps(setup(int(sys.argv[2]))))
    elif command == "pending":
        print(pending())
    elif command == "figures":
        print(json.dumps(figures(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        raise SystemExit(__doc__)
