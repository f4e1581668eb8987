"""A scripted LLM behind a real OpenAI-compatible HTTP endpoint on loopback (port 0).

CrewAI's own OpenAI client talks to it exactly as to a vendor: chat completions
with native tool calling and token usage. A script (a function of the request)
decides each answer, so tests drive the real CrewAI machinery — agents, tasks,
guardrails, tool calls, flows — deterministically and fast.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Message = dict[str, Any]


@dataclass
class Call:
    """One chat completion the fake served."""

    body: dict[str, Any]
    answer: Message
    started: float
    finished: float
    thread: str
    prompt_tokens: int
    completion_tokens: int

    @property
    def messages(self) -> list[Message]:
        return self.body["messages"]

    @property
    def system(self) -> str:
        return next((m["content"] or "" for m in self.messages if m["role"] == "system"), "")

    @property
    def task(self) -> str:
        return task_of(self.messages)

    @property
    def tools(self) -> list[str]:
        return [t["function"]["name"] for t in self.body.get("tools") or []]

    def text(self) -> str:
        return "\n".join(str(m.get("content") or "") for m in self.messages)


def task_of(messages: list[Message]) -> str:
    for message in messages:
        if message["role"] == "user":
            match = re.search(r"TASK (\w+)", str(message.get("content") or ""))
            if match:
                return match.group(1)
    return ""


def tool_results(messages: list[Message]) -> list[str]:
    return [str(m.get("content") or "") for m in messages if m["role"] == "tool"]


def final(payload: Any) -> Message:
    content = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return {"role": "assistant", "content": content}


def tool_call(name: str, **arguments: Any) -> Message:
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": f"call_{uuid.uuid4().hex[:12]}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments, default=str)},
            }
        ],
    }


@dataclass
class FakeLLM:
    script: Callable[[dict[str, Any]], Message]
    delay: Callable[[dict[str, Any]], float] = lambda body: 0.0
    calls: list[Call] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> FakeLLM:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                started = time.monotonic()
                pause = fake.delay(body)
                if pause:
                    time.sleep(pause)
                try:
                    answer = fake.script(body)
                except Exception as exc:  # a script bug shows up as a 500 in the test
                    data = json.dumps({"error": {"message": repr(exc)}}).encode()
                    self.send_response(500)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    raise
                prompt_tokens = max(1, len(json.dumps(body["messages"])) // 4)
                completion_tokens = max(1, len(json.dumps(answer)) // 4)
                with fake._lock:
                    fake.calls.append(
                        Call(
                            body,
                            answer,
                            started,
                            time.monotonic(),
                            threading.current_thread().name,
                            prompt_tokens,
                            completion_tokens,
                        )
                    )
                out = {
                    "id": f"chatcmpl-{uuid.uuid4().hex}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "scripted"),
                    "choices": [
                        {
                            "index": 0,
                            "message": answer,
                            "finish_reason": "tool_calls" if answer.get("tool_calls") else "stop",
                        }
                    ],
                    "usage": {
                        "prompt_tokens": prompt_tokens,
                        "completion_tokens": completion_tokens,
                        "total_tokens": prompt_tokens + completion_tokens,
                    },
                }
                data = json.dumps(out).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def tasks(self) -> list[str]:
        return [call.task for call in self.calls]

    def usage(self) -> tuple[int, int]:
        return (
            sum(c.prompt_tokens for c in self.calls),
            sum(c.completion_tokens for c in self.calls),
        )
