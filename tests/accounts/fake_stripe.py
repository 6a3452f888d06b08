"""A fake Stripe API for tests: a small HTTP server on 127.0.0.1 that the real `stripe` SDK
reaches through STRIPE_API_BASE. It answers the endpoints billing calls with JSON shaped like
Stripe's, keeps customers, subscriptions and Checkout Sessions in memory, and records every
request (path and form-decoded body) so tests can check what was sent. Checkout and Portal
URLs point back at this server, which answers them with a small page.

Webhook bodies are signed here as Stripe signs them: `t=<ts>,v1=<HMAC-SHA256 of "t.body">`.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tests.fake_http import serve

WEBHOOK_SECRET = "whsec_test_promptvault"
PRICE_PRO = "price_pro_test"
PRICE_ENTERPRISE = "price_enterprise_test"


@dataclass
class Recorded:
    method: str
    path: str
    params: dict
    headers: dict


@dataclass
class FakeStripe:
    server: ThreadingHTTPServer
    requests: list = field(default_factory=list)
    customers: dict = field(default_factory=dict)
    subscriptions: dict = field(default_factory=dict)
    checkout_sessions: dict = field(default_factory=dict)
    # Checkout Sessions paid between a list and an expire: the expire finds them complete.
    paid_before_expire: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self.ids):06d}"

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def reset_checkout_sessions(self) -> None:
        with self.lock:
            self.checkout_sessions.clear()
            self.paid_before_expire.clear()

    # --- State a test sets up -------------------------------------------------------------

    def set_checkout_session(
        self,
        session_id: str,
        *,
        customer: str,
        status: str = "open",
        mode: str = "subscription",
        created: int | None = None,
    ) -> dict:
        """Create or replace a Checkout Session ("open", "complete" or "expired"). `created`
        orders the list (newest first)."""
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": mode,
            "status": status,
            "customer": customer,
            "created": int(time.time()) if created is None else created,
            "url": f"{self.base_url}/pay/{session_id}",
        }
        with self.lock:
            self.checkout_sessions[session_id] = session
        return session

    def set_subscription(
        self,
        subscription_id: str,
        *,
        customer: str,
        price: str = PRICE_PRO,
        status: str = "active",
        period_end: int | None = None,
        cancel_at_period_end: bool = False,
        metadata: dict | None = None,
        created: int | None = None,
    ) -> dict:
        """Create or replace a subscription. `created` orders the customer's list (newest first,
        as Stripe lists them); a replaced subscription keeps the time it was created."""
        period_end = period_end or int(time.time()) + 30 * 86400
        if created is None:
            existing = self.subscriptions.get(subscription_id) or {}
            created = existing.get("created") or int(time.time())
        sub = {
            "id": subscription_id,
            "object": "subscription",
            "customer": customer,
            "status": status,
            "cancel_at_period_end": cancel_at_period_end,
            "metadata": metadata or {},
            "created": created,
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": f"si_{subscription_id}",
                        "object": "subscription_item",
                        "price": {"id": price, "object": "price"},
                        "quantity": 1,
                        "current_period_end": period_end,
                    }
                ],
            },
        }
        with self.lock:
            self.subscriptions[subscription_id] = sub
        return sub


def _form(body: bytes) -> dict:
    """Decode Stripe's form encoding (`a[b][0][c]=v`) into nested dicts, lists as dicts by
    index ("0", "1", …), which is enough for assertions."""
    result: dict = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        parts = key.replace("]", "").split("[")
        target = result
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


# What Stripe's `status` filter on the subscription list matches; without one, it lists every
# subscription that is not canceled.
_LIST_FILTERS = {
    "all": lambda status: True,
    "ended": lambda status: status in {"canceled", "incomplete_expired"},
    "": lambda status: status != "canceled",
}


def _list_page(fake: FakeStripe, kept: dict, params: dict, url: str, keep) -> dict:
    """A list request as Stripe answers it: the objects in `kept` that `keep` accepts, newest
    first (ties: the one set last first), one page of `limit` (10 by default, at most 100),
    `has_more` when the page is not all."""
    limit = min(max(int(params.get("limit") or 10), 1), 100)
    with fake.lock:
        objects = list(enumerate(kept.values()))
    found = [
        item
        for _, item in sorted(objects, key=lambda pair: (pair[1]["created"], pair[0]))
        if keep(item)
    ]
    found.reverse()
    return {"object": "list", "url": url, "data": found[:limit], "has_more": len(found) > limit}


def _subscription_list(fake: FakeStripe, params: dict) -> dict:
    """GET /v1/subscriptions for a customer and a status (or "all", or "ended")."""
    wanted = params.get("status", "")
    matches = _LIST_FILTERS.get(wanted, lambda status: status == wanted)
    return _list_page(
        fake,
        fake.subscriptions,
        params,
        "/v1/subscriptions",
        lambda sub: sub["customer"] == params.get("customer") and matches(sub["status"]),
    )


def _checkout_session_create(fake: FakeStripe, params: dict) -> dict:
    session = fake.set_checkout_session(
        fake.new_id("cs_test"), customer=params.get("customer"), mode=params.get("mode")
    )
    session["client_reference_id"] = params.get("client_reference_id")
    session["metadata"] = params.get("metadata") or {}
    return session


def _checkout_session_list(fake: FakeStripe, params: dict) -> dict:
    """GET /v1/checkout/sessions, filtered by `customer` and `status` when given."""
    return _list_page(
        fake,
        fake.checkout_sessions,
        params,
        "/v1/checkout/sessions",
        lambda session: (
            params.get("customer") in (None, session["customer"])
            and params.get("status") in (None, session["status"])
        ),
    )


def _checkout_session_expire(fake: FakeStripe, session_id: str) -> tuple[int, dict]:
    """POST /v1/checkout/sessions/<id>/expire: an open session becomes expired; any other
    answers 400, as Stripe does."""
    with fake.lock:
        session = fake.checkout_sessions.get(session_id)
        if session is None:
            return 404, _error(f"No such checkout.session: '{session_id}'", "resource_missing")
        if session_id in fake.paid_before_expire:
            session["status"] = "complete"
        if session["status"] != "open":
            return 400, _error(
                'Only Checkout Sessions with a status in ["open"] can be expired. This '
                f"Checkout Session has a status of {session['status']}."
            )
        session["status"] = "expired"
        return 200, dict(session)


def _error(message: str, code: str = "") -> dict:
    error = {"type": "invalid_request_error", "message": message}
    if code:
        error["code"] = code
    return {"error": error}


def _handler(fake: FakeStripe):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status: int, payload, content_type="application/json"):
            body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _missing(self, what: str):
            self._send(404, _error(f"No such {what}", "resource_missing"))

        def _record(self) -> tuple[str, dict]:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            params = _form(body) if body else _form(url.query.encode())
            fake.requests.append(Recorded(self.command, url.path, params, dict(self.headers)))
            return url.path, params

        def do_GET(self):
            path, params = self._record()
            if path.startswith("/pay/") or path.startswith("/portal/"):
                page = (
                    '<!doctype html><title>Fake Stripe</title><link rel="icon" href="data:,">'
                    f"<h1>{path}</h1>"
                ).encode()
                self._send(200, page, "text/html; charset=utf-8")
            elif path == "/v1/subscriptions":
                self._send(200, _subscription_list(fake, params))
            elif path == "/v1/checkout/sessions":
                self._send(200, _checkout_session_list(fake, params))
            elif path.startswith("/v1/subscriptions/"):
                sub = fake.subscriptions.get(path.rsplit("/", 1)[1])
                self._send(200, sub) if sub else self._missing("subscription")
            else:
                self._missing("endpoint")

        def do_POST(self):
            path, params = self._record()
            if path == "/v1/customers":
                customer = {"id": fake.new_id("cus"), "object": "customer", **params}
                fake.customers[customer["id"]] = customer
                self._send(200, customer)
            elif path == "/v1/checkout/sessions":
                self._send(200, _checkout_session_create(fake, params))
            elif path.startswith("/v1/checkout/sessions/") and path.endswith("/expire"):
                self._send(*_checkout_session_expire(fake, path.split("/")[-2]))
            elif path == "/v1/billing_portal/sessions":
                session_id = fake.new_id("bps")
                self._send(
                    200,
                    {
                        "id": session_id,
                        "object": "billing_portal.session",
                        "customer": params.get("customer"),
                        "url": f"{fake.base_url}/portal/{session_id}",
                    },
                )
            else:
                self._missing("endpoint")

    return Handler


def start() -> FakeStripe:
    return serve(lambda server: FakeStripe(server=server), _handler)


# --- Events -------------------------------------------------------------------------------


_event_numbers = itertools.count(1)


def event(event_type: str, obj: dict, *, created: int | None = None, event_id: str = "") -> dict:
    return {
        "id": event_id or f"evt_test_{next(_event_numbers):08d}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": created if created is not None else int(time.time()),
        "type": event_type,
        "livemode": False,
        "data": {"object": obj},
    }


def sign(body: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"
