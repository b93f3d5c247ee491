"""REST routes of corrections (kb/corrections.py): ``POST /corrections`` (bearer token) and
``GET /corrections?article=…|claim=…``. The claim page's form posts to :mod:`api.pages`."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Depends, HTTPException, Query, Request

from . import views
from .models import Correction, CorrectionIn, CorrectionList, Problem
from .rest import WRITE_ERRORS, require_token

router = APIRouter()


@router.post("/corrections", tags=["writes"], response_model=Correction, status_code=201,
             responses={**WRITE_ERRORS, 400: {"model": Problem, "description": "The body is not JSON"},
                        404: {"model": Problem, "description": "No such statement"}},
             dependencies=[Depends(require_token)],
             summary="Correct an extracted statement: confirm, reattribute, fix type or span, reject")
async def post_correction(request: Request, body: CorrectionIn) -> Any:
    """Stored with its provenance (who, when, the mention it revises) in its own graph: it
    survives re-ingesting the article, shows on the pages and in exports, and is SHACL-validated
    (422 with the reason when it does not conform)."""
    state = request.app.state.quoth
    try:
        return await anyio.to_thread.run_sync(views.write_correction, state, body.model_dump())
    except views.ViewError as e:
        raise HTTPException(e.status, e.detail) from e


@router.get("/corrections", tags=["claims"], response_model=CorrectionList,
            responses={400: {"model": Problem}, 404: {"model": Problem}},
            summary="Corrections of an article's or a claim's statements, newest first")
def list_corrections(request: Request,
                     article: str | None = Query(None, max_length=500, description="Article id"),
                     claim: str | None = Query(None, max_length=500, pattern=r"^[^/]+$",
                                               description="Claim id")) -> Any:
    try:
        return views.corrections_data(request.app.state.quoth, article=article, claim=claim)
    except views.ViewError as e:
        raise HTTPException(e.status, e.detail) from e
