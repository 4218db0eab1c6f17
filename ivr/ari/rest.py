"""ARI's REST half on httpx: one method per request the IVR makes, errors translated once.

Facts from the captures (fixtures 02-06) this module relies on: ``POST /channels`` answers 200
(not 201); ``play`` answers 201; ``answer``/``continue``/``variable``/DELETEs answer 204 with no
body; several media go in ONE comma-separated ``media`` parameter (a repeated ``media=`` keeps
only the last, 04); error bodies are ``{"message": …}`` except ``500 {"error": "Allocation
failed"}`` (04).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

import httpx

from ivr.ari.model import Application, Channel, Playback
from ivr.ari.settings import AriSettings
from ivr.errors import AriUnavailable, request_error

__all__ = ["SUPPORTED_MEDIA", "AriRest"]

log = logging.getLogger(__name__)

# Schemes Asterisk plays. An unknown one (``bogus:thing``) is accepted with 201 and then never
# finishes (04), so it is refused here before it reaches Asterisk.
SUPPORTED_MEDIA = ("sound", "recording", "number", "digits", "characters", "tone")


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text.strip()[:200]
    if isinstance(body, dict):
        for key in ("message", "error"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return response.text[:200]


def check_media(media: Sequence[str]) -> str:
    """The ``media`` parameter: URIs joined by commas, each with a scheme Asterisk plays."""
    if not media:
        raise ValueError("play needs at least one media URI")
    for uri in media:
        scheme, sep, rest = uri.partition(":")
        if not sep or not rest or scheme not in SUPPORTED_MEDIA or "," in rest:
            raise ValueError(f"media URI {uri!r}: not <{'|'.join(SUPPORTED_MEDIA)}>:<name>")
    return ",".join(media)


class AriRest:
    """The REST calls. Owns its httpx client: use ``async with`` or call :meth:`aclose`."""

    def __init__(self, *, settings: AriSettings, transport: httpx.AsyncBaseTransport | None = None):
        self._settings = settings
        self._http = httpx.AsyncClient(
            base_url=settings.base_url.rstrip("/") + "/ari",
            auth=(settings.username, settings.password),
            timeout=httpx.Timeout(settings.request_timeout_s, connect=settings.connect_timeout_s),
            headers={"Accept": "application/json"},
            transport=transport,
        )

    async def __aenter__(self) -> AriRest:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _request(
        self, method: str, path: str, params: list[tuple[str, str]] | None = None
    ) -> Any:
        try:
            query = httpx.QueryParams(tuple(params or ()))
            response = await self._http.request(method, path, params=query)
        except httpx.TransportError as exc:  # includes timeouts
            raise AriUnavailable(f"{method} {path}", type(exc).__name__) from exc
        log.debug("%s %s -> %s", method, path, response.status_code)
        if response.status_code >= 400:
            raise request_error(response.status_code, _error_message(response), method, path)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    # ------------------------------------------------------------------ reads
    async def info(self) -> dict[str, Any]:
        body = await self._request("GET", "/asterisk/info")
        return body if isinstance(body, dict) else {}

    async def channels(self) -> list[Channel]:
        body = await self._request("GET", "/channels")
        return [Channel.parse(item) for item in body or []]

    async def channel(self, channel_id: str) -> Channel:
        return Channel.parse(await self._request("GET", f"/channels/{channel_id}"))

    async def application(self, name: str) -> Application:
        return Application.parse(await self._request("GET", f"/applications/{name}"))

    async def playback(self, playback_id: str) -> Playback:
        return Playback.parse(await self._request("GET", f"/playbacks/{playback_id}"))

    async def get_variable(self, channel_id: str, name: str) -> str:
        body = await self._request("GET", f"/channels/{channel_id}/variable", [("variable", name)])
        return str(body.get("value", "")) if isinstance(body, dict) else ""

    # ----------------------------------------------------------------- writes
    async def originate(
        self,
        *,
        endpoint: str,
        app_args: Sequence[str],
        channel_id: str,
        caller_id: str = "",
        timeout_s: int = 30,
    ) -> Channel:
        """Dial ``endpoint`` into our app; the ``;2`` half of a Local channel gets
        ``<channel_id>-cust``. A 200 does not mean it will reach Stasis (04): wait for it."""
        params = [
            ("endpoint", endpoint),
            ("app", self._settings.app),
            ("appArgs", ",".join(app_args)),
            ("channelId", channel_id),
            ("otherChannelId", f"{channel_id}-cust"),
            ("timeout", str(timeout_s)),
        ]
        if caller_id:
            params.append(("callerId", caller_id))
        return Channel.parse(await self._request("POST", "/channels", params))

    async def answer(self, channel_id: str) -> None:
        await self._request("POST", f"/channels/{channel_id}/answer")

    async def play(
        self, channel_id: str, media: Sequence[str], *, playback_id: str = "", lang: str = ""
    ) -> Playback:
        """Play ``media`` in order as ONE playback (one comma-separated parameter)."""
        params = [("media", check_media(media))]
        if lang:
            params.append(("lang", lang))
        path = f"/channels/{channel_id}/play" + (f"/{playback_id}" if playback_id else "")
        return Playback.parse(await self._request("POST", path, params))

    async def stop_playback(self, playback_id: str) -> None:
        """ARI never stops a playback on DTMF (03): the app must."""
        await self._request("DELETE", f"/playbacks/{playback_id}")

    async def set_variable(self, channel_id: str, name: str, value: str) -> None:
        await self._request(
            "POST", f"/channels/{channel_id}/variable", [("variable", name), ("value", value)]
        )

    async def continue_in_dialplan(
        self, channel_id: str, *, context: str = "", extension: str = "", priority: int = 0
    ) -> None:
        """Leave Stasis for ``context,extension,priority`` (each left out when empty/0: the
        dialplan goes on after the Stasis() step)."""
        given = [("context", context), ("extension", extension), ("priority", str(priority or ""))]
        params = [(k, v) for k, v in given if v]
        await self._request("POST", f"/channels/{channel_id}/continue", params)

    async def hangup(self, channel_id: str, *, reason_code: int | None = None) -> None:
        params = [("reason_code", str(reason_code))] if reason_code is not None else None
        await self._request("DELETE", f"/channels/{channel_id}", params)
