"""The SDK's authorization-server provider (mcp.server.auth) with GitCode as the identity behind it, and nothing
stored: registered clients, sign-ins under way, codes and tokens are all sealed (seal.py) and carried by whoever
holds them, so any replica with the key answers any request. A process remembers only what makes a thing single-use
or revoked (codes and refresh tokens used, sign-ins revoked), and only for as long as it could still be presented.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from mcp.server.auth.provider import (
    AccessToken,
    AuthorizationCode,
    AuthorizationParams,
    AuthorizeError,
    OAuthAuthorizationServerProvider,
    RefreshToken,
    RegistrationError,
    TokenError,
    construct_redirect_uri,
)
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken
from pydantic import AnyHttpUrl, AnyUrl, BaseModel, SecretStr, ValidationError

from gitcode_mcp.oauth.config import CALLBACK_PATH, CONSENT_PATH
from gitcode_mcp.oauth.gitcode import GitCodeOAuth, GitCodeRefused
from gitcode_mcp.oauth.seal import Seal

ACCESS_TTL = 3600  # an access token's life; never longer than GitCode's token inside it
REFRESH_TTL = 30 * 86400
CODE_TTL = 300
SIGN_IN_TTL = 600  # from the consent page through GitCode's sign-in and back
MAX_CLIENT_ID = 2048  # a registration is sealed into its client_id; one this long is refused

WhoAmI = Callable[[str], Awaitable[tuple[str, str]]]  # GitCode token -> (user id, login)


class Grant(BaseModel):
    """One sign-in: whom GitCode signed in, what it granted, and GitCode's tokens (sealed in ours, never shown)."""

    id: str  # a sign-in's access and refresh tokens are revoked together
    user_id: str
    login: str
    scopes: list[str]
    gitcode_token: str
    gitcode_refresh: str | None = None
    gitcode_expires_at: int | None = None


class SignedInAccess(AccessToken):
    login: str
    gitcode_token: SecretStr
    grant_id: str


class GrantedCode(AuthorizationCode):
    grant: Grant
    jti: str


class GrantedRefresh(RefreshToken):
    grant: Grant
    jti: str


class PendingSignIn(BaseModel):
    """An authorization request on its way through the consent page and GitCode's sign-in."""

    client_id: str
    client_name: str | None
    redirect_uri: str
    redirect_uri_explicit: bool
    state: str | None
    code_challenge: str
    scopes: list[str]


class Memory:
    """Keys this process refuses until a time: used codes and refresh tokens, revoked sign-ins."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._sweep_at = 1024  # forget what has lapsed once this many are held

    def __contains__(self, key: str) -> bool:
        return self._until.get(key, 0) > time.time()

    def take(self, key: str, until: float) -> bool:
        """Remember `key`; False when it was remembered already (a second use)."""
        if key in self:
            return False
        if len(self._until) >= self._sweep_at:
            now = time.time()
            self._until = {k: t for k, t in self._until.items() if t > now}
            self._sweep_at = max(1024, 2 * len(self._until))
        self._until[key] = until
        return True


def _same_resource(a: str, b: str) -> bool:
    """As URLs, so case and a default port's spelling do not matter; a trailing slash aside."""
    try:
        return str(AnyHttpUrl(a)).removesuffix("/") == str(AnyHttpUrl(b)).removesuffix("/")
    except ValidationError:
        return False


class GitCodeProvider(OAuthAuthorizationServerProvider[GrantedCode, GrantedRefresh, SignedInAccess]):
    def __init__(
        self, seal: Seal, public_url: str, resource: str, scopes: list[str], gitcode: GitCodeOAuth, whoami: WhoAmI
    ) -> None:
        self.seal = seal
        self.public_url = public_url
        self.resource = resource
        self.scopes = scopes
        self.gitcode = gitcode
        self._whoami = whoami
        self._memory = Memory()

    # ------------------------------------------------------------------------------------------ registration

    async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
        data = self.seal.open("client", client_id)
        if data is None:
            return None
        try:
            return OAuthClientInformationFull.model_validate({**data["meta"], "client_id": client_id})
        except (KeyError, TypeError, ValidationError):
            return None

    async def register_client(self, client_info: OAuthClientInformationFull) -> None:
        meta = client_info.model_dump(mode="json", exclude={"client_id"}, exclude_none=True, exclude_defaults=True)
        client_id = self.seal.close("client", {"meta": meta})
        if len(client_id) > MAX_CLIENT_ID:
            raise RegistrationError(
                "invalid_client_metadata", "the client metadata is too long to register: send a shorter name or URIs"
            )
        client_info.client_id = client_id  # the SDK answers the registration with this record

    # ------------------------------------------------------------------------------------------ sign-in

    async def authorize(self, client: OAuthClientInformationFull, params: AuthorizationParams) -> str:
        if params.resource is not None and not _same_resource(params.resource, self.resource):
            raise AuthorizeError("invalid_target", f"this server's resource is {self.resource}")
        scopes = params.scopes or self.scopes
        if unknown := [s for s in scopes if s not in self.scopes]:
            raise AuthorizeError(
                "invalid_scope", f"unknown scope {unknown[0][:40]!r}; this server offers {self.scopes}"
            )
        pending = PendingSignIn(
            client_id=client.client_id,
            client_name=client.client_name,
            redirect_uri=str(params.redirect_uri),
            redirect_uri_explicit=params.redirect_uri_provided_explicitly,
            state=params.state,
            code_challenge=params.code_challenge,
            scopes=scopes,
        )
        request = self.seal.close("request", {"pending": pending.model_dump(), "exp": time.time() + SIGN_IN_TTL})
        return f"{self.public_url}{CONSENT_PATH}?{urlencode({'request': request})}"

    def pending(self, kind: str, sealed: str, nonce: str | None = None) -> PendingSignIn | None:
        """The sign-in sealed in a consent link ("request") or in the browser's cookie ("signin", with its nonce)."""
        data = self.seal.open(kind, sealed)
        if data is None or (nonce is not None and not secrets.compare_digest(str(data.get("nonce")), nonce)):
            return None
        try:
            return PendingSignIn.model_validate(data["pending"])
        except (KeyError, ValidationError):
            return None

    def send_to_gitcode(self, pending: PendingSignIn) -> tuple[str, str, str]:
        """(nonce, the cookie that binds the sign-in to this browser, GitCode's sign-in URL with the nonce as state)."""
        nonce = secrets.token_urlsafe(24)
        cookie = self.seal.close(
            "signin", {"nonce": nonce, "pending": pending.model_dump(), "exp": time.time() + SIGN_IN_TTL}
        )
        return nonce, cookie, self.gitcode.authorize(self.public_url + CALLBACK_PATH, pending.scopes, nonce)

    async def finish(self, pending: PendingSignIn, gitcode_code: str) -> str:
        """GitCode's code exchanged for GitCode's tokens, its user looked up, and our code issued: the URL that
        hands it to the client. Raises GitCodeRefused."""
        tokens = await self.gitcode.exchange(gitcode_code, self.public_url + CALLBACK_PATH)
        user_id, login = await self._whoami(tokens.access)
        granted = pending.scopes if tokens.scope is None else re.split(r"[\s,]+", tokens.scope.strip())
        grant = Grant(
            id=secrets.token_urlsafe(16),
            user_id=user_id,
            login=login,
            scopes=[s for s in pending.scopes if s in granted],
            gitcode_token=tokens.access,
            gitcode_refresh=tokens.refresh,
            gitcode_expires_at=tokens.expires_at,
        )
        code = self.seal.close(
            "code",
            {
                "exp": time.time() + CODE_TTL,
                "jti": secrets.token_urlsafe(16),
                "pending": pending.model_dump(),
                "grant": grant.model_dump(),
            },
        )
        return construct_redirect_uri(pending.redirect_uri, code=code, state=pending.state)

    # ------------------------------------------------------------------------------------------ tokens

    async def load_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: str
    ) -> GrantedCode | None:
        data = self.seal.open("code", authorization_code)
        if data is None:
            return None
        try:
            pending = PendingSignIn.model_validate(data["pending"])
            grant = Grant.model_validate(data["grant"])
            jti = str(data["jti"])
        except (KeyError, ValidationError):
            return None
        if pending.client_id != client.client_id or f"code:{jti}" in self._memory:
            return None
        return GrantedCode(
            code=authorization_code,
            scopes=grant.scopes,
            expires_at=data["exp"],
            client_id=pending.client_id,
            code_challenge=pending.code_challenge,
            redirect_uri=AnyUrl(pending.redirect_uri),
            redirect_uri_provided_explicitly=pending.redirect_uri_explicit,
            resource=self.resource,
            subject=grant.user_id,
            grant=grant,
            jti=jti,
        )

    async def exchange_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: GrantedCode
    ) -> OAuthToken:
        if not self._memory.take(f"code:{authorization_code.jti}", authorization_code.expires_at):
            raise TokenError("invalid_grant", "authorization code was already used")
        return self._issue(client.client_id, authorization_code.grant, authorization_code.grant.scopes)

    async def load_refresh_token(self, client: OAuthClientInformationFull, refresh_token: str) -> GrantedRefresh | None:
        data = self._audience("rt", refresh_token)
        if data is None or data.get("client_id") != client.client_id:
            return None
        try:
            grant = Grant.model_validate(data["grant"])
            jti = str(data["jti"])
        except (KeyError, ValidationError):
            return None
        if f"grant:{grant.id}" in self._memory or f"rt:{jti}" in self._memory:
            return None
        return GrantedRefresh(
            token=refresh_token,
            client_id=client.client_id,
            scopes=grant.scopes,
            expires_at=data["exp"],
            resource=self.resource,
            subject=grant.user_id,
            grant=grant,
            jti=jti,
        )

    async def exchange_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: GrantedRefresh, scopes: list[str]
    ) -> OAuthToken:
        if not self._memory.take(f"rt:{refresh_token.jti}", refresh_token.expires_at or time.time() + REFRESH_TTL):
            raise TokenError("invalid_grant", "refresh token was already used")
        return self._issue(client.client_id, await self._renewed(refresh_token.grant), scopes)

    async def _renewed(self, grant: Grant) -> Grant:
        """The grant with GitCode's tokens renewed when GitCode's access token would end before a new one of ours."""
        expires = grant.gitcode_expires_at
        if expires is None or expires - time.time() > ACCESS_TTL + 60:
            return grant
        if not grant.gitcode_refresh:
            raise TokenError("invalid_grant", "the GitCode sign-in has expired; sign in again")
        try:
            tokens = await self.gitcode.renew(grant.gitcode_refresh)
        except GitCodeRefused as refused:
            raise TokenError("invalid_grant", f"{refused}; sign in again") from None
        return grant.model_copy(
            update={
                "gitcode_token": tokens.access,
                "gitcode_refresh": tokens.refresh or grant.gitcode_refresh,
                "gitcode_expires_at": tokens.expires_at,
            }
        )

    def _issue(self, client_id: str, grant: Grant, scopes: list[str]) -> OAuthToken:
        now = int(time.time())
        expires = min(now + ACCESS_TTL, grant.gitcode_expires_at or now + ACCESS_TTL)
        bound = {"aud": self.resource, "client_id": client_id}
        access = self.seal.close(
            "at",
            {
                **bound,
                "exp": expires,
                "grant": grant.id,
                "sub": grant.user_id,
                "login": grant.login,
                "scopes": scopes,
                "gitcode": grant.gitcode_token,
            },
        )
        refresh = self.seal.close(
            "rt", {**bound, "exp": now + REFRESH_TTL, "jti": secrets.token_urlsafe(16), "grant": grant.model_dump()}
        )
        return OAuthToken(
            access_token=access, expires_in=max(expires - now, 0), scope=" ".join(scopes), refresh_token=refresh
        )

    async def load_access_token(self, token: str) -> SignedInAccess | None:
        data = self._audience("at", token)
        if data is None or f"grant:{data.get('grant')}" in self._memory:
            return None
        try:
            return SignedInAccess(
                token=token,
                client_id=data["client_id"],
                scopes=data["scopes"],
                expires_at=data["exp"],
                resource=data["aud"],
                subject=data["sub"],
                claims={"iss": self.seal.issuer},
                login=data["login"],
                gitcode_token=SecretStr(data["gitcode"]),
                grant_id=data["grant"],
            )
        except (KeyError, ValidationError):
            return None

    def _audience(self, kind: str, token: str) -> dict[str, Any] | None:
        """What a token of ours holds, when it was issued for this server (its audience) and is unexpired."""
        data = self.seal.open(kind, token)
        return data if data is not None and _same_resource(str(data.get("aud")), self.resource) else None

    async def revoke_token(self, token: SignedInAccess | GrantedRefresh) -> None:
        grant_id = token.grant_id if isinstance(token, SignedInAccess) else token.grant.id
        self._memory.take(f"grant:{grant_id}", time.time() + REFRESH_TTL)
