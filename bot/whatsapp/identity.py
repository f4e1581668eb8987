"""WhatsApp's people: numbers an admin linked; a number nobody linked gets no workspace.

A stranger gets the onboarding reply (no data), in the language of their number's
country: +55 in Portuguese, others in English.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.core.identity import ChannelIdentity, Identity, identity_of
from storage.models import User
from storage.repositories import find_user
from vocabulary.inbound import Inbound


def whatsapp_user(session: Session, inbound: Inbound) -> User | None:
    return find_user(session, whatsapp_number=inbound.user_id)


def identify(session: Session, inbound: Inbound) -> Identity | None:
    user = whatsapp_user(session, inbound)
    if user is None:
        return None
    if inbound.user_name and not user.name:
        user.name = inbound.user_name  # the WhatsApp profile name, so cards show a person
    return identity_of(session, user)


def country_language(inbound: Inbound) -> str:
    return "pt-BR" if inbound.user_id.lstrip("+").startswith("55") else "en"


WHATSAPP_IDENTITY = ChannelIdentity(
    identify=identify, find_user=whatsapp_user, stranger_language=country_language
)
