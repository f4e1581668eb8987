"""WhatsApp's people: numbers an admin linked; a number nobody linked gets no workspace.

A stranger gets the onboarding reply (no data), in the language of their number's
country: +55 in Portuguese, others in English.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.core.identity import ChannelIdentity, Identity, identity_with
from storage.models import User
from storage.repositories import find_user, whatsapp_user_with_membership
from vocabulary.inbound import Inbound


def whatsapp_user(session: Session, inbound: Inbound) -> User | None:
    return find_user(session, whatsapp_number=inbound.user_id)


def identify(session: Session, inbound: Inbound) -> Identity | None:
    found = whatsapp_user_with_membership(session, inbound.user_id)
    if found is None:
        return None
    user, membership = found
    if inbound.user_name and not user.name:
        user.name = inbound.user_name  # the WhatsApp profile name, so cards show a person
    return identity_with(session, user, membership)


def country_language(inbound: Inbound) -> str:
    return "pt-BR" if inbound.user_id.lstrip("+").startswith("55") else "en"


WHATSAPP_IDENTITY = ChannelIdentity(
    identify=identify, find_user=whatsapp_user, stranger_language=country_language
)
