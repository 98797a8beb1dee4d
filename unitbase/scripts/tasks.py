"""Background import of a large script: load by id, call the same service, report progress."""

from __future__ import annotations

import base64

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django_tasks import task

from unitbase.core.progress import job_progress_fail, job_progress_finish, job_progress_start, job_progress_update
from unitbase.productions.permissions import access_production

from .permissions import UPLOAD_ACTION


@task(takes_context=True)
def script_import_task(
    context, *, production_id: int, user_id: int, filename: str, data_b64: str, paper: str = "letter",
    colour: str | None = None,
) -> int | None:
    from .services import script_import

    rid = context.task_result.id
    user = get_user_model().objects.filter(pk=user_id).first()
    job_progress_start(task_result_id=rid, production_id=production_id, label=f"Import {filename}", user=user)
    try:
        access = access_production(user, production_id, UPLOAD_ACTION)
        revision = script_import(
            access=access, filename=filename, data=base64.b64decode(data_b64), paper=paper, colour=colour,
            progress=lambda fraction, message: job_progress_update(task_result_id=rid, fraction=fraction,
                                                                   message=message),
        )
    except ValidationError as exc:
        job_progress_fail(task_result_id=rid, error=" ".join(exc.messages))
        return None
    except (PermissionDenied, Http404):
        job_progress_fail(task_result_id=rid, error="You may no longer import scripts into this production.")
        return None
    job_progress_finish(task_result_id=rid, message=f"Imported {revision.scenes.count()} scenes")
    return revision.pk
