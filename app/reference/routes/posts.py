"""Posts with their coverage: everyone may read them, admins edit them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.deps import AdminUser, CurrentUser
from app.core.deps import PageDep, SessionDep
from app.core.paging import Page
from app.reference import posts as service
from app.reference import schemas as s
from app.reference.lookups import get_or_404
from app.reference.models import Post

router = APIRouter(prefix="/posts", tags=["posts"])


@router.get("", summary="List posts (filter by unit, kind, or text in id or name)")
def list_posts(
    _: CurrentUser,
    session: SessionDep,
    page: PageDep,
    unit: Annotated[str | None, Query()] = None,
    kind: Annotated[s.PostKindName | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[s.PostRead]:
    items, total = service.list_posts(session, page, unit, kind, q)
    return Page.of([s.PostRead.model_validate(p) for p in items], total, page)


@router.post("", status_code=201, summary="Create a post with its coverage")
def create_post(body: s.PostCreate, _: AdminUser, session: SessionDep) -> s.PostRead:
    return s.PostRead.model_validate(service.create_post(session, body))


@router.put("/locations", summary="Set the coordinates of many posts at once (null clears one)")
def set_locations(body: s.PostLocations, _: AdminUser, session: SessionDep) -> list[s.PostRead]:
    return [s.PostRead.model_validate(p) for p in service.set_locations(session, body.locations)]


@router.get("/{post_id}", summary="One post")
def get_post(post_id: str, _: CurrentUser, session: SessionDep) -> s.PostRead:
    return s.PostRead.model_validate(get_or_404(session, Post, post_id, "post"))


@router.patch("/{post_id}", summary="Change a post (coverage, when given, replaces the old)")
def update_post(post_id: str, body: s.PostUpdate, _: AdminUser, session: SessionDep) -> s.PostRead:
    post = get_or_404(session, Post, post_id, "post")
    return s.PostRead.model_validate(service.update_post(session, post, body))


@router.delete("/{post_id}", status_code=204, summary="Delete a post no roster uses")
def delete_post(post_id: str, _: AdminUser, session: SessionDep) -> None:
    service.delete_post(session, get_or_404(session, Post, post_id, "post"))
