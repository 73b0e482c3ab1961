"""Dependencies of the inbound routes: the Twilio form, read and verified as it is injected."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from mubayiro.notifications.deps import SettingsDep, SmsProviderDep
from mubayiro.notifications.inbound.twilio import check_signature, signature_required


async def verified_twilio_form(
    request: Request, settings: SettingsDep, provider: SmsProviderDep
) -> FormData:
    """The webhook's form fields, once ``X-Twilio-Signature`` proved Twilio sent them.

    Async because reading the body is; the route itself stays a plain ``def``.

    Raises:
        InvalidTwilioSignature: the signature is missing or wrong (403).
    """
    form = await request.form()
    if signature_required(settings, provider.name):
        check_signature(request, form, settings)
    return form


TwilioForm = Annotated[FormData, Depends(verified_twilio_form)]
