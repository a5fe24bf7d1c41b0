"""What a person's browser sees: the consent page (which client, which redirect, which GitCode permissions), and
GitCode's return to the callback URL.

The consent page stands between dynamic registration and GitCode (the MCP spec's "confused deputy" rule for a proxy
with one GitCode app): GitCode may sign a person in without asking again, so this server asks, for every client. Its
form carries a token that must match a cookie this page set (so another site cannot submit it), and the approval
binds the sign-in to this browser with a cookie that GitCode's return must bring back (so a sign-in started
elsewhere cannot be finished here).
"""

from __future__ import annotations

import html
import logging
import re
import secrets
from urllib.parse import urlsplit

from mcp.server.auth.provider import construct_redirect_uri
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from gitcode_mcp.oauth.config import CALLBACK_PATH, CONSENT_PATH
from gitcode_mcp.oauth.gitcode import GitCodeRefused
from gitcode_mcp.oauth.provider import SIGN_IN_TTL, GitCodeProvider, PendingSignIn

log = logging.getLogger("gitcode_mcp.oauth")

CSRF_COOKIE = "gcm_csrf"
SIGN_IN_COOKIE = "gcm_signin_"  # + the sign-in's nonce: several sign-ins may be under way in one browser
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",  # the consent URL carries the sealed request
}
_STYLE = "body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em}button{font:inherit}"


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    text = f"<!doctype html><meta charset=utf-8><title>{html.escape(title)}</title><style>{_STYLE}</style>{body}"
    return HTMLResponse(text, status_code=status, headers=_HEADERS)


def problem(message: str, status: int = 400) -> HTMLResponse:
    return page("Sign-in failed", f"<h1>Sign-in failed</h1><p>{html.escape(message)}</p>", status)


class Pages:
    def __init__(self, provider: GitCodeProvider) -> None:
        self._provider = provider
        self._secure = provider.public_url.startswith("https://")

    async def consent(self, request: Request) -> Response:
        if request.method == "POST":
            return await self._answer(request)
        pending = self._provider.pending("request", request.query_params.get("request", ""))
        if pending is None:
            return problem("This sign-in link has expired or is not valid. Start the sign-in again from your client.")
        csrf = request.cookies.get(CSRF_COOKIE, "")
        if not _NONCE.fullmatch(csrf):
            csrf = secrets.token_urlsafe(24)
        name = html.escape((pending.client_name or "An MCP client")[:80])
        target = html.escape(urlsplit(pending.redirect_uri).netloc or pending.redirect_uri[:80])
        scopes = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in pending.scopes)
        body = (
            f"<h1>Allow {name} to use GitCode as you?</h1>"
            f"<p><b>{name}</b> asks to act on GitCode in your name through the gitcode-mcp server at "
            f"{html.escape(self._provider.public_url)}. After you sign in to GitCode, it is sent back to "
            f"<b>{target}</b>.</p><p>GitCode permissions asked for:</p><ul>{scopes}</ul>"
            f'<form method=post action="{CONSENT_PATH}">'
            f'<input type=hidden name=request value="{html.escape(request.query_params["request"])}">'
            f'<input type=hidden name=csrf value="{csrf}">'
            "<button name=decision value=allow>Allow and sign in to GitCode</button> "
            "<button name=decision value=deny>Deny</button></form>"
            "<p>Allow only a client you started yourself just now.</p>"
        )
        response = page("Allow access to GitCode?", body)
        response.set_cookie(
            CSRF_COOKIE,
            csrf,
            max_age=SIGN_IN_TTL,
            path=CONSENT_PATH,
            secure=self._secure,
            httponly=True,
            samesite="lax",
        )
        return response

    async def _answer(self, request: Request) -> Response:
        form = await request.form()
        csrf = str(form.get("csrf", ""))
        cookie = request.cookies.get(CSRF_COOKIE, "")
        origin = request.headers.get("origin")
        if not csrf or not secrets.compare_digest(csrf, cookie) or (origin and origin != self._origin()):
            return problem("This answer did not come from the consent page. Reload it and answer there.", 403)
        pending = self._provider.pending("request", str(form.get("request", "")))
        if pending is None:
            return problem("This sign-in link has expired or is not valid. Start the sign-in again from your client.")
        if form.get("decision") == "deny":
            return self._back_to_client(pending, "access_denied", "the person declined")
        nonce, sealed, gitcode_url = self._provider.send_to_gitcode(pending)
        response = RedirectResponse(gitcode_url, status_code=303, headers=_HEADERS)
        response.set_cookie(
            SIGN_IN_COOKIE + nonce,
            sealed,
            max_age=SIGN_IN_TTL,
            path=CALLBACK_PATH,
            secure=self._secure,
            httponly=True,
            samesite="lax",  # sent on GitCode's redirect back, a top-level navigation
        )
        return response

    async def callback(self, request: Request) -> Response:
        state = request.query_params.get("state", "")
        sealed = request.cookies.get(SIGN_IN_COOKIE + state, "") if _NONCE.fullmatch(state) else ""
        pending = self._provider.pending("signin", sealed, nonce=state) if sealed else None
        if pending is None:
            return problem(
                "This sign-in was started in another browser, or took longer than ten minutes. "
                "Start it again from your client."
            )
        if error := request.query_params.get("error"):
            response = self._back_to_client(pending, "access_denied", f"GitCode answered {error[:60]}")
        elif not (code := request.query_params.get("code")):
            response = self._back_to_client(pending, "server_error", "GitCode sent no code")
        else:
            try:
                response = RedirectResponse(await self._provider.finish(pending, code), 302, headers=_HEADERS)
            except GitCodeRefused as refused:
                log.warning("a sign-in failed: %s", refused)
                response = self._back_to_client(pending, "server_error", str(refused))
        response.delete_cookie(SIGN_IN_COOKIE + state, path=CALLBACK_PATH, secure=self._secure, httponly=True)
        return response

    def _origin(self) -> str:
        parts = urlsplit(self._provider.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @staticmethod
    def _back_to_client(pending: PendingSignIn, error: str, description: str) -> RedirectResponse:
        url = construct_redirect_uri(
            pending.redirect_uri, error=error, error_description=description, state=pending.state
        )
        return RedirectResponse(url, 303, headers=_HEADERS)
