"""A WhatsApp number is linked only when its owner says so (issue 13, hole 5): a one-time code.

``vincular 5511… operador`` in chat (or ``mediabrain users add --whatsapp``) does not
link anything: :func:`start_link` sends a six-digit code to that number, naming the
workspace, and keeps only the code's keyed hash (HMAC-SHA256 with the install's
secret key) for ``CODE_TTL``. The link completes when the number itself answers
with the code (:func:`answer_code`, called by the core for numbers nobody linked
yet); ``MAX_ATTEMPTS`` wrong answers end the challenge. A number belongs to one
workspace at a time: one linked elsewhere is refused, at the request and again at
the answer. The decisions (:func:`code_shape`, :func:`judge`) are pure.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.clock import utcnow
from storage.models import Membership, PhoneLinkChallenge, Role, Workspace
from storage.repositories import add_user, audit, find_user, membership_of, normalize_number
from vocabulary.destinations import Destination
from vocabulary.i18n import register, translate
from vocabulary.inbound import Channel, Inbound
from vocabulary.parsing import normalize
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

CODE_TTL = timedelta(minutes=15)
MAX_ATTEMPTS = 5
CODE_DIGITS = 6

MESSAGES: dict[str, dict[str, str]] = {
    "phone.code": {
        "pt-BR": (
            "Código do mediabrain: {code}. O workspace {workspace} quer vincular este número "
            "como {role}. Para aceitar, responda a esta mensagem só com o código (vale "
            "{minutes} minutos). Se você não reconhece o pedido, ignore esta mensagem."
        ),
        "en": (
            "mediabrain code: {code}. Workspace {workspace} wants to link this number as "
            "{role}. To accept, reply to this message with just the code (valid for "
            "{minutes} minutes). If you don't recognise the request, ignore this message."
        ),
    },
    "phone.code_sent": {
        "pt-BR": (
            "Enviei um código para +{number}. O número só fica vinculado como {role} quando "
            "o dono responder com esse código pelo próprio WhatsApp (vale {minutes} minutos)."
        ),
        "en": (
            "I sent a code to +{number}. The number is linked as {role} only when its owner "
            "answers with that code from their own WhatsApp (valid for {minutes} minutes)."
        ),
    },
    "phone.role_changed": {
        "pt-BR": "Pronto: +{number} agora é {role} neste workspace.",
        "en": "Done: +{number} is now {role} in this workspace.",
    },
    "phone.not_configured": {
        "pt-BR": (
            "O WhatsApp não está configurado nesta instalação, então não consigo enviar o "
            "código de confirmação para +{number}. Nada foi vinculado."
        ),
        "en": (
            "WhatsApp is not configured on this install, so I can't send the confirmation "
            "code to +{number}. Nothing was linked."
        ),
    },
    "phone.send_failed": {
        "pt-BR": "Não consegui enviar o código para +{number} agora; nada foi vinculado. Tente de novo.",
        "en": "I couldn't send the code to +{number} right now; nothing was linked. Try again.",
    },
    "phone.verified": {
        "pt-BR": (
            "Pronto: este número agora está vinculado ao workspace {workspace} como {role}. "
            "Digite *ajuda* para ver o que sei fazer."
        ),
        "en": (
            "Done: this number is now linked to workspace {workspace} as {role}. "
            "Type *help* to see what I can do."
        ),
    },
    "phone.wrong_code": {
        "pt-BR": "Código incorreto. {left, plural, one {Resta # tentativa} other {Restam # tentativas}}.",
        "en": "Wrong code. {left, plural, one {# attempt} other {# attempts}} left.",
    },
    "phone.no_attempts": {
        "pt-BR": (
            "Código incorreto, e as tentativas acabaram. Peça a um administrador do "
            "workspace para enviar um novo código."
        ),
        "en": "Wrong code, and no attempts are left. Ask a workspace admin to send a new code.",
    },
    "phone.expired": {
        "pt-BR": "Esse código expirou. Peça a um administrador do workspace para enviar outro.",
        "en": "That code has expired. Ask a workspace admin to send a new one.",
    },
    "phone.elsewhere": {
        "pt-BR": "O número +{number} já está vinculado a outro workspace; nada foi alterado.",
        "en": "+{number} is already linked to another workspace; nothing was changed.",
    },
    "phone.taken": {
        "pt-BR": "Este número já está vinculado a outro workspace; nada foi alterado.",
        "en": "This number is already linked to another workspace; nothing was changed.",
    },
}
register(MESSAGES)

_CODE = re.compile(r"^(?:codigo|code|cod)?\s*[:\-]?\s*(\d[\d\s.-]*\d)$")


# --- pure ------------------------------------------------------------------------------------


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(key: bytes, challenge_id: int, number: str, code: str) -> str:
    """The keyed hash kept at rest: the code cannot be read back from the database."""
    message = f"{challenge_id}:{number}:{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def code_shape(text: str) -> str | None:
    """The six digits of an answer ("123456", "123 456", "código: 123-456"), else None."""
    match = _CODE.match(normalize(text).strip())
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return digits if len(digits) == CODE_DIGITS else None


Judgement = Literal["match", "wrong", "expired", "spent"]


def judge(
    expires_at: datetime, attempts: int, stored_hash: str, offered_hash: str, now: datetime
) -> Judgement:
    """One challenge's answer to one code, in that order: spent, expired, match, wrong."""
    if attempts >= MAX_ATTEMPTS:
        return "spent"
    if now >= expires_at:
        return "expired"
    return "match" if hmac.compare_digest(stored_hash, offered_hash) else "wrong"


# --- asking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkRequest:
    """What happened to ``vincular …``: a code sent, a role changed, or why not."""

    status: Literal["sent", "role_changed", "elsewhere", "not_configured", "send_failed"]
    number: str


def owner_workspace(session: Session, number: str) -> Workspace | None:
    """The workspace a number belongs to now (None: nobody's)."""
    user = find_user(session, whatsapp_number=number)
    if user is None:
        return None
    return session.scalar(
        select(Workspace)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.id)
        .limit(1)
    )


def start_link(
    rt: Runtime,
    workspace_id: int,
    number: str,
    role: Role,
    *,
    requested_by: int | None,
    via: str,
    language: str,
    name: str = "",
    approval_limit: Decimal | None = None,
) -> LinkRequest:
    """Ask ``number``'s owner to confirm (or change the role of a member of this workspace)."""
    number = normalize_number(number)
    with rt.db.session() as session:  # unscoped: whose number is it now?
        owner = owner_workspace(session, number)
        if owner is not None and owner.id != workspace_id:
            return LinkRequest("elsewhere", number)
        workspace = session.get_one(Workspace, workspace_id)
        if owner is not None:  # already theirs here: the owner proved it before; a role change
            user = find_user(session, whatsapp_number=number)
            assert user is not None
            membership = membership_of(session, workspace_id, user.id)
            assert membership is not None
            before, membership.role = membership.role, role.value
            if approval_limit is not None:
                membership.approval_limit = approval_limit
            audit(
                session,
                workspace_id,
                actor=_actor(requested_by, via),
                action="user.role_changed",
                subject=number,
                channel=via,
                detail={"before": before, "after": role.value, "user_id": user.id},
            )
            return LinkRequest("role_changed", number)
        workspace_name = workspace.name or workspace.slug
    if not rt.settings.whatsapp_enabled:
        return LinkRequest("not_configured", number)
    code = new_code()
    with rt.db.session(workspace_id) as session:
        session.execute(  # one live code per number and workspace: the newest
            update(PhoneLinkChallenge)
            .where(PhoneLinkChallenge.number == number, PhoneLinkChallenge.status == "pending")
            .values(status="dead")
        )
        challenge = PhoneLinkChallenge(
            workspace_id=workspace_id,
            number=number,
            role=role.value,
            name=name[:200],
            approval_limit=approval_limit,
            code_hash="",
            requested_by=requested_by,
            requested_via=via,
            expires_at=utcnow() + CODE_TTL,
        )
        session.add(challenge)
        session.flush()
        challenge.code_hash = code_hash(rt.settings.fernet_key, challenge.id, number, code)
        challenge_id = challenge.id
    text = translate(
        "phone.code",
        language,
        code=code,
        workspace=workspace_name,
        role=translate(f"role.{role.value}", language),
        minutes=int(CODE_TTL.total_seconds() // 60),
    )
    to = Destination(channel=Channel.WHATSAPP, chat_id=number, language=language, proactive=True)
    try:
        rt.sender(Channel.WHATSAPP).send(to, Reply(text, kind="notice"))
    except Exception:
        logger.exception("phone link %s: the code could not be sent", challenge_id)
        with rt.db.session(workspace_id) as session:
            session.execute(
                update(PhoneLinkChallenge)
                .where(PhoneLinkChallenge.id == challenge_id)
                .values(status="dead")
            )
        return LinkRequest("send_failed", number)
    with rt.db.session(workspace_id) as session:
        audit(
            session,
            workspace_id,
            actor=_actor(requested_by, via),
            action="user.link_code_sent",
            subject=number,
            channel=via,
            detail={"role": role.value, "challenge": challenge_id},
        )
    logger.info(
        "workspace %s: code sent to …%s (challenge %s)", workspace_id, number[-4:], challenge_id
    )
    return LinkRequest("sent", number)


def request_words(result: LinkRequest, role: Role, language: str) -> str:
    """What the admin who asked is told."""
    key = {
        "sent": "phone.code_sent",
        "role_changed": "phone.role_changed",
        "elsewhere": "phone.elsewhere",
        "not_configured": "phone.not_configured",
        "send_failed": "phone.send_failed",
    }[result.status]
    return translate(
        key,
        language,
        number=result.number,
        role=translate(f"role.{role.value}", language),
        minutes=int(CODE_TTL.total_seconds() // 60),
    )


def _actor(user_id: int | None, via: str) -> str:
    return f"user:{user_id}" if user_id is not None else via


# --- answering -------------------------------------------------------------------------------


def answer_code(rt: Runtime, inbound: Inbound, language: str) -> str | None:
    """The reply to a number nobody linked that may be answering a code; None: not an answer.

    Called by the core before its onboarding reply. Only numbers with a pending
    challenge are considered; a wrong answer spends an attempt of each of them.
    """
    number = normalize_number(inbound.user_id)
    offered = code_shape(inbound.text or "")
    with rt.db.session() as session:
        pending = list(
            session.scalars(
                select(PhoneLinkChallenge).where(
                    PhoneLinkChallenge.number == number, PhoneLinkChallenge.status == "pending"
                )
            )
        )
        if not pending or offered is None:
            return None
        now = utcnow()
        key = rt.settings.fernet_key
        verdicts = [
            (
                c,
                judge(
                    c.expires_at,
                    c.attempts,
                    c.code_hash,
                    code_hash(key, c.id, number, offered),
                    now,
                ),
            )
            for c in pending
        ]
        matched = next((c for c, verdict in verdicts if verdict == "match"), None)
        if matched is not None:
            return _complete(session, matched, inbound, language)
        live = [c for c, verdict in verdicts if verdict == "wrong"]
        for challenge, verdict in verdicts:
            if verdict in ("expired", "spent"):
                challenge.status = "dead"
        if not live:
            return translate("phone.expired", language)
        left = 0
        for challenge in live:
            session.execute(  # atomic: parallel answers cannot share one attempt
                update(PhoneLinkChallenge)
                .where(PhoneLinkChallenge.id == challenge.id)
                .values(attempts=PhoneLinkChallenge.attempts + 1)
            )
            session.refresh(challenge)
            if challenge.attempts >= MAX_ATTEMPTS:
                challenge.status = "dead"
            left = max(left, MAX_ATTEMPTS - challenge.attempts)
        logger.info("phone link: wrong code from …%s (%s left)", number[-4:], left)
        if left == 0:
            return translate("phone.no_attempts", language)
        return translate("phone.wrong_code", language, left=left)


def _complete(
    session: Session, challenge: PhoneLinkChallenge, inbound: Inbound, language: str
) -> str:
    number = challenge.number
    owner = owner_workspace(session, number)
    if owner is not None and owner.id != challenge.workspace_id:
        challenge.status = "dead"
        return translate("phone.taken", language)
    workspace = session.get_one(Workspace, challenge.workspace_id)
    role = Role(challenge.role)
    membership = add_user(
        session,
        workspace,
        role=role,
        name=challenge.name or inbound.user_name,
        whatsapp_number=number,
        approval_limit=challenge.approval_limit,
    )
    challenge.status = "done"
    session.execute(  # the other workspaces' codes for this number are void now
        update(PhoneLinkChallenge)
        .where(PhoneLinkChallenge.number == number, PhoneLinkChallenge.status == "pending")
        .values(status="dead")
    )
    audit(
        session,
        workspace.id,
        actor=_actor(challenge.requested_by, challenge.requested_via),
        action="user.link_whatsapp",
        subject=number,
        channel=Channel.WHATSAPP.value,
        detail={"role": role.value, "user_id": membership.user_id, "verified": True},
    )
    logger.info(
        "workspace %s: …%s verified and linked as %s", workspace.slug, number[-4:], role.value
    )
    return translate(
        "phone.verified",
        language,
        workspace=workspace.name or workspace.slug,
        role=translate(f"role.{role.value}", language),
    )
