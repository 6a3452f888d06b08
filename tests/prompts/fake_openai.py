"""A fake OpenAI-compatible server for tests: a small HTTP server on 127.0.0.1 that the real
`openai` SDK reaches through OPENAI_BASE_URL. It answers POST …/chat/completions with the
replies a test queues (`fake.reply(...)`), or with a default rewrite, and records every request
(path, headers, JSON body) so tests can check the prompt, the model and the findings sent.

A queued reply is one of:
- `Completion(content)`: 200 with a chat completion whose message is `content`;
- `Status(code, body, headers)`: that status, e.g. 500, 401 or 429 with Retry-After;
- `Delay(seconds, then)`: waits before answering `then`, to run past a client's timeout.
"""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fake_http import serve


@dataclass
class Completion:
    content: str | None


@dataclass
class Status:
    code: int
    body: dict = field(default_factory=lambda: {"error": {"message": "fake error"}})
    headers: dict = field(default_factory=dict)


@dataclass
class Delay:
    seconds: float
    then: object


@dataclass
class Recorded:
    path: str
    headers: dict
    body: dict

    @property
    def sent(self) -> dict:
        """The JSON the user message carried: the prompt, its target model and the findings."""
        return json.loads(self.body["messages"][-1]["content"])


def rewrite(prompt: str, improvements=("Stated the output format",)) -> Completion:
    """A well-formed reply rewriting the prompt as `prompt`."""
    return Completion(json.dumps({"prompt": prompt, "improvements": list(improvements)}))


@dataclass
class FakeOpenAI:
    server: ThreadingHTTPServer
    requests: list = field(default_factory=list)
    replies: deque = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Delayed answers wait on this, so a test's teardown never waits out the delay.
    released: threading.Event = field(default_factory=threading.Event)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def reply(self, *replies) -> None:
        with self.lock:
            self.replies.extend(replies)

    def reset(self) -> None:
        self.released.set()
        with self.lock:
            self.requests.clear()
            self.replies.clear()
        self.released = threading.Event()

    def _next(self):
        with self.lock:
            return self.replies.popleft() if self.replies else None


def _completion_body(content, model: str) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def _handler(fake: FakeOpenAI):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            with fake.lock:
                fake.requests.append(
                    Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
            if not self.path.rstrip("/").endswith("/chat/completions"):
                return self._send(404, {"error": {"message": "no such endpoint"}})
            answer = fake._next()
            if answer is None:
                sent = json.loads(body["messages"][-1]["content"])
                answer = rewrite(sent["prompt"] + "\n\nAnswer as a bulleted list.")
            released = fake.released
            while isinstance(answer, Delay):
                if released.wait(answer.seconds):
                    return None
                answer = answer.then
            if isinstance(answer, Status):
                return self._send(answer.code, answer.body, answer.headers)
            return self._send(200, _completion_body(answer.content, body.get("model", "")))

        def _send(self, code: int, payload: dict, headers: dict | None = None):
            data = json.dumps(payload).encode()
            try:
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

    return Handler


def start() -> FakeOpenAI:
    return serve(lambda server: FakeOpenAI(server=server), _handler)
