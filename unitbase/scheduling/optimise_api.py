"""REST endpoints of the schedule optimiser (all need change_schedule, except reading an explanation).

POST   /productions/{id}/schedule/optimise              queue a run (202 with the run id)
GET    /productions/{id}/schedule/optimise/{run}        its state, progress and result version
POST   /productions/{id}/schedule/optimise/{run}/stop   stop it, keeping the best schedule so far
GET    /productions/{id}/schedule/versions/{v}/explanation   the optimiser's explanation of a draft
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from ninja import Field, Router, Schema, Status

from unitbase.productions.api import Id, api_access

from .optimise import SCOPES, Options, explanation_get, run_get
from .optimise_services import optimiser_run_cancel, optimiser_run_request
from .permissions import EDIT_ACTION, READ_ACTION

router = Router(tags=["optimiser"])
Money = Field(None, ge=0, le=10**7)


class OptimiseIn(Schema):
    version_id: int
    time_limit: int = Field(30, ge=1, le=600)
    scope: Literal[tuple(SCOPES)] = "all"  # type: ignore[valid-type]
    from_date: date | None = None
    to_date: date | None = Field(None, description='scope "range": the last date that may change')
    include_boneyard: bool = False
    allow_drops: bool = Field(True, description="Use the production's drop/pick-up rule instead of holding cast")
    drop_cost: int | None = Money
    holding: int | None = Field(None, ge=0, le=100)
    default_daily_cost: int | None = Money
    company_move: int | None = Money
    location_revisit: int | None = Money
    overtime_per_minute: int | None = Money
    shoot_day: int | None = Money
    change: int | None = Money
    max_eighths: int | None = Field(None, ge=1, le=800)
    overtime_cap_minutes: int | None = Field(None, ge=0, le=600)
    mixed_day_night: bool = False
    precedences: str = Field("", max_length=4000, description='One a line: "12 before 40" or "12 by 40"')
    covers: str = Field("", max_length=4000, description='Weather cover pairs, one a line: "12 / 40" (EXT / INT cover)')


class RunOut(Schema):
    id: str
    state: str
    fraction: float
    message: str
    error: str
    solutions: int
    objective: int | None
    bound: int | None
    gap: float | None
    seconds: float
    stop_requested: bool
    source_version_id: int | None
    version_id: int | None
    version_name: str | None
    conflicts: list[str] = Field(default_factory=list, description="No schedule: a minimal set of conflicting constraints")


def _run_out(run) -> RunOut:
    return RunOut(id=str(run.pk), state=run.state, fraction=run.percent / 100, message=run.message,
                  error=run.error_text, solutions=run.solutions, objective=run.objective, bound=run.bound,
                  gap=run.gap, seconds=round(run.seconds, 2), stop_requested=run.stop_requested,
                  source_version_id=run.source_version_id, version_id=run.result_version_id,
                  version_name=run.result_version.name if run.result_version else None,
                  conflicts=list((run.explanation or {}).get("conflicts", [])) if run.result_version is None else [])


def _run(access, run_id: str):
    try:
        return run_get(access=access, run_id=run_id)
    except ObjectDoesNotExist:
        raise Http404 from None


@router.post("/{production_id}/schedule/optimise", response={202: RunOut}, summary="Queue an optimiser run")
def optimise(request, production_id: Id, payload: OptimiseIn):
    access = api_access(request, production_id, EDIT_ACTION)
    data = payload.dict(exclude_none=True)
    version_id = data.pop("version_id")
    options = Options(**{k: v for k, v in data.items() if k in Options.__dataclass_fields__})
    run_id = optimiser_run_request(access=access, version_id=version_id, options=options)
    return Status(202, _run_out(_run(access, run_id)))


@router.get("/{production_id}/schedule/optimise/{run_id}", response=RunOut, summary="An optimiser run")
def run_detail(request, production_id: Id, run_id: str):
    access = api_access(request, production_id, EDIT_ACTION)
    return _run_out(_run(access, run_id))


@router.post("/{production_id}/schedule/optimise/{run_id}/stop", response=RunOut, summary="Stop a run")
def run_stop(request, production_id: Id, run_id: str):
    access = api_access(request, production_id, EDIT_ACTION)
    _run(access, run_id)
    optimiser_run_cancel(access=access, run_id=run_id)
    return _run_out(_run(access, run_id))


@router.get("/{production_id}/schedule/versions/{version_id}/explanation", response=dict,
            summary="Why the optimiser made this draft")
def explanation(request, production_id: Id, version_id: int):
    access = api_access(request, production_id, READ_ACTION)
    _version, ex = explanation_get(access=access, version_id=version_id)
    if ex is None:
        raise Http404
    return ex
