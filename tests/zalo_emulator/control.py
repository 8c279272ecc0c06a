"""The emulator's test controls over HTTP, for a bot or a benchmark in another process. Every answer is
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code", "description"}``; bodies are JSON objects.

- ``POST /control/say`` ``{"user_id", "text", "first_name"?}`` → what ``user_says`` returns
- ``POST /control/send`` ``{"user_id", "fields", "first_name"?}`` → what ``user_sends`` returns
- ``POST /control/deliver`` ``{"update"}`` → what ``deliver`` returns (any update, as it is)
- ``GET /control/sent?chat_id=`` → the sends (all when no chat_id)
- ``POST /control/wait_sent`` ``{"chat_id"?, "count", "timeout"?}`` → the sends, or error 408 naming them
- ``GET /control/actions?chat_id=`` → the chat actions
- ``POST /control/fail`` ``{"method", "kind", "times"?, "hold"?, "retry_after"?}``
- ``POST /control/rate_limit`` ``{"per_second": number | null, "per_chat"?: number | null}``
- ``POST /control/block`` ``{"user_id", "blocked"?}``
- ``POST /control/reset``
- ``GET /control/stats`` → counters (sent, rejected_429, pending_updates, calls, ...)
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

if TYPE_CHECKING:
    from tests.zalo_emulator.emulator import ZaloEmulator


def routes(emu: ZaloEmulator) -> list[Route]:
    from tests.zalo_emulator.emulator import ZaloEmulatorTimeout, error, ok

    async def body_of(request: Request) -> dict[str, Any]:
        raw = await request.body()
        data = json.loads(raw) if raw.strip() else {}
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                return ok(await handler(request))
            except ZaloEmulatorTimeout as exc:
                return error(408, str(exc))
            except (ValueError, TypeError, KeyError) as exc:
                return error(400, f"Bad Request: {exc}")
        return endpoint

    async def say(request: Request) -> Any:
        data = await body_of(request)
        return await emu.user_says(str(data["user_id"]), str(data["text"]),
                                   str(data.get("first_name") or "Người dùng"))

    async def send(request: Request) -> Any:
        data = await body_of(request)
        fields = data["fields"]
        if not isinstance(fields, dict):
            raise ValueError("fields must be a JSON object")
        return await emu.user_sends(str(data["user_id"]), fields, str(data.get("first_name") or "Người dùng"))

    async def deliver(request: Request) -> Any:
        data = await body_of(request)
        return await emu.deliver(data["update"])

    async def sent(request: Request) -> Any:
        return emu.sent(request.query_params.get("chat_id"))

    async def actions(request: Request) -> Any:
        return emu.chat_actions(request.query_params.get("chat_id"))

    async def wait_sent(request: Request) -> Any:
        data = await body_of(request)
        chat_id = data.get("chat_id")
        return await emu.wait_sent(None if chat_id is None else str(chat_id), int(data["count"]),
                                   float(data.get("timeout", 10)))

    async def fail(request: Request) -> Any:
        data = await body_of(request)
        emu.fail(str(data["method"]), str(data["kind"]), int(data.get("times", 1)),
                 hold=float(data.get("hold", 120.0)), retry_after=int(data.get("retry_after", 1)))
        return True

    async def rate_limit(request: Request) -> Any:
        data = await body_of(request)
        per_second, per_chat = data.get("per_second"), data.get("per_chat")
        emu.rate_limit(None if per_second is None else float(per_second),
                       per_chat=None if per_chat is None else float(per_chat))
        return True

    async def block(request: Request) -> Any:
        data = await body_of(request)
        emu.block(str(data["user_id"]), bool(data.get("blocked", True)))
        return True

    async def reset(request: Request) -> Any:
        emu.reset()
        return True

    async def stats(request: Request) -> Any:
        return emu.stats()

    async def not_found(request: Request) -> Response:
        return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404)

    return [
        Route("/control/say", guarded(say), methods=["POST"]),
        Route("/control/send", guarded(send), methods=["POST"]),
        Route("/control/deliver", guarded(deliver), methods=["POST"]),
        Route("/control/sent", guarded(sent), methods=["GET"]),
        Route("/control/actions", guarded(actions), methods=["GET"]),
        Route("/control/wait_sent", guarded(wait_sent), methods=["POST"]),
        Route("/control/fail", guarded(fail), methods=["POST"]),
        Route("/control/rate_limit", guarded(rate_limit), methods=["POST"]),
        Route("/control/block", guarded(block), methods=["POST"]),
        Route("/control/reset", guarded(reset), methods=["POST"]),
        Route("/control/stats", guarded(stats), methods=["GET"]),
        Route("/control/{rest:path}", not_found, methods=["GET", "POST"]),
    ]
