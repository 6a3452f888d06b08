"""Response headers Django's own middleware doesn't send.

`PermissionsPolicyMiddleware` sends ``settings.PERMISSIONS_POLICY`` on every response.
`PrivatePagesMiddleware` keeps what depends on who is asking out of shared caches.
"""

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import has_vary_header, patch_cache_control

# Allowlist keywords are written bare; anything else is an origin and is quoted. A lone "*"
# allows every origin.
POLICY_KEYWORDS = {"self", "src"}


def permissions_policy_header(policy: Mapping[str, Sequence[str]]) -> str:
    """``{"camera": [], "clipboard-write": ["self"]}`` → ``camera=(), clipboard-write=(self)``."""
    entries = []
    for feature, allowlist in policy.items():
        if list(allowlist) == ["*"]:
            entries.append(f"{feature}=*")
            continue
        members = (item if item in POLICY_KEYWORDS else f'"{item}"' for item in allowlist)
        entries.append(f"{feature}=({' '.join(members)})")
    return ", ".join(entries)


class PermissionsPolicyMiddleware:
    """Tell browsers which powerful features (camera, payment, …) the pages may use at all.

    Listed before WhiteNoise so static files carry it too, like Django's own security headers.
    A view that sets the header itself keeps its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivatePagesMiddleware:
    """No shared cache (a proxy, a CDN) ever keeps a page that depends on who asked for it.

    A response depends on who asked when it varies on the cookie: the session middleware adds
    ``Vary: Cookie`` whenever the session (and so the user) was read, the CSRF middleware when
    a token was handed out. Those responses get:

    - Signed in, and the view said nothing: ``private, no-store``, so no copy of a vault is
      kept anywhere, not even on the person's own disk (shared computers).
    - Signed in, and the view set Cache-Control: the view chose how fresh the copy must be
      (a download's ``no-store``, an ETag answer's ``private, no-cache``), so its directives
      stay; only ``private`` is added and any ``public`` dropped.
    - Signed out, with nothing said (the landing page, every form): ``private, no-cache``, so
      the browser may keep it but asks again each time, and no visitor's CSRF token is handed
      to another.

    Responses the same for everyone (static files, the health check) are left to their views,
    and never cost a session read here.

    Listed after WhiteNoise, whose static files keep their long public lifetime, and before
    the session and CSRF middleware, so it sees the ``Vary: Cookie`` they add on the way out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not has_vary_header(response, "Cookie"):
            return response
        # No user when an earlier middleware answered before authentication ran.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            else:
                response["Cache-Control"] = "private, no-store"
        elif not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-cache"
        return response
