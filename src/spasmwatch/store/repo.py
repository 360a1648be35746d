"""The repository: the store's queries, under one name (``repo.<query>``).

Functions take a :class:`~sqlalchemy.orm.Session` inside a transaction
(:meth:`spasmwatch.store.db.Database.transaction`) and return model objects.

Each subject's queries live in a module of their own: :mod:`~spasmwatch.store.accounts`,
:mod:`~spasmwatch.store.children`, :mod:`~spasmwatch.store.sharing` (members, invitations,
share links), :mod:`~spasmwatch.store.episodes`, :mod:`~spasmwatch.store.diary_state`,
:mod:`~spasmwatch.store.triage_records`, :mod:`~spasmwatch.store.attachments` and
:mod:`~spasmwatch.store.audit`. This module names them together, so that the diary, the
shells and the tests call ``repo.<query>`` wherever a query lives (the names imported
``as`` themselves, ``repo.now`` among them, are called so too, outside ``__all__``). A
child's treatments, milestones and work-up are :mod:`~spasmwatch.store.care`'s, called by
that name.

The queries every page view and every log runs are built once, with bound parameters
(``_SESSION_USER``, ``_RECENT_EPISODES`` ...): building a ``select`` and its cache key
takes about 150 µs, as long as running it on SQLite, and a child page runs 13.
"""

from __future__ import annotations

from spasmwatch.store.accounts import (
    DEFAULT_TOKEN_DAYS as DEFAULT_TOKEN_DAYS,
)
from spasmwatch.store.accounts import (
    api_token,
    api_tokens_for,
    create_api_token,
    create_password_reset,
    create_session,
    create_user,
    delete_api_token,
    delete_session,
    delete_sessions,
    delete_user,
    display_names,
    session_user,
    set_api_token,
    set_password,
    touch_session,
    use_password_reset,
    user_by_api_token,
    user_by_email,
)
from spasmwatch.store.accounts import (
    require_user as require_user,
)
from spasmwatch.store.attachments import (
    add_attachment,
    attachments_for,
    delete_attachment,
    get_attachment,
    keeping_earlier,
    set_attachment_analysis,
)
from spasmwatch.store.attachments import (
    running_analyses as running_analyses,
)
from spasmwatch.store.audit import audit, audit_for, audited_details, existing_ids
from spasmwatch.store.children import (
    NO_CHILD,
    child_and_role,
    children_for_user,
    create_child,
    delete_child,
    get_child,
    role_of,
)
from spasmwatch.store.children import (
    require_child as require_child,
)
from spasmwatch.store.clock import now as now
from spasmwatch.store.diary_state import diary_state as diary_state
from spasmwatch.store.diary_state import diary_version, forget_state, lock_child, save_state
from spasmwatch.store.episodes import (
    add_episode,
    case_dict,
    child_document,
    delete_episode,
    episode_documents,
    episode_texts,
    episodes_for,
    get_episode,
    recent_episodes,
    update_episode,
)
from spasmwatch.store.episodes import (
    episode_by_client_key as episode_by_client_key,
)
from spasmwatch.store.sharing import (
    accept_invitation,
    add_member,
    create_share_link,
    get_share_link,
    invitation_by_token,
    invitations_for,
    invite,
    members,
    remove_invitation,
    remove_member,
    renew_invitation,
    share_link_by_token,
    share_links_for,
)
from spasmwatch.store.triage_records import (
    latest_triage,
    latest_triage_result,
    save_triage,
    save_triage_result,
)

__all__ = [
    "NO_CHILD",
    "accept_invitation",
    "add_attachment",
    "add_episode",
    "add_member",
    "api_token",
    "api_tokens_for",
    "attachments_for",
    "audit",
    "audit_for",
    "audited_details",
    "case_dict",
    "child_and_role",
    "child_document",
    "children_for_user",
    "create_api_token",
    "create_child",
    "create_password_reset",
    "create_session",
    "create_share_link",
    "create_user",
    "delete_api_token",
    "delete_attachment",
    "delete_child",
    "delete_episode",
    "delete_session",
    "delete_sessions",
    "delete_user",
    "diary_version",
    "display_names",
    "episode_documents",
    "episode_texts",
    "episodes_for",
    "existing_ids",
    "forget_state",
    "get_attachment",
    "get_child",
    "get_episode",
    "get_share_link",
    "invitation_by_token",
    "invitations_for",
    "invite",
    "keeping_earlier",
    "latest_triage",
    "latest_triage_result",
    "lock_child",
    "members",
    "recent_episodes",
    "remove_invitation",
    "remove_member",
    "renew_invitation",
    "role_of",
    "save_state",
    "save_triage",
    "save_triage_result",
    "session_user",
    "set_api_token",
    "set_attachment_analysis",
    "set_password",
    "share_link_by_token",
    "share_links_for",
    "touch_session",
    "update_episode",
    "use_password_reset",
    "user_by_api_token",
    "user_by_email",
]
