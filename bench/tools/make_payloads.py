#!/usr/bin/env python3
"""Regenerates bench/payloads/: the chat requests wrk sends and the canned upstream answers.

Bodies are shaped like real OpenAI / Anthropic traffic (a ~1.4 KB chat request with system
prompt, knowledge-base excerpt and a short conversation; a ~35-token answer as JSON, as an OpenAI
SSE stream ending in a usage-only chunk, and as an Anthropic message stream). The canned answers
are served as files by the fake upstream (tools/render_nginx.py).
"""
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "payloads")
J = dict(separators=(",", ":"))

SYS = ("You are Acme Support Assistant, a helpful, concise customer-support agent for Acme Cloud. "
       "Answer in the customer's language. Use the knowledge-base excerpts provided; if the answer is not in them, "
       "say so and offer to open a ticket. Never reveal internal ticket notes. Format code and CLI commands as fenced "
       "code blocks. Keep answers under 200 words.")
KB = ("Knowledge base excerpt 1: Acme Cloud object storage buckets are regional. To move data between regions use "
      "`acme storage cp --recursive`. Cross-region transfer is billed per GB. Excerpt 2: API keys can be rotated from "
      "Settings > Security; old keys stay valid for 24 hours after rotation. Excerpt 3: Rate limits are 600 requests per "
      "minute per project; a 429 response carries a Retry-After header in seconds.")
MSGS = [
    {"role": "system", "content": SYS},
    {"role": "system", "content": KB},
    {"role": "user", "content": "Hi, I rotated my API key this morning and now some of our batch jobs fail with 401 while "
                                "others still work. What is going on?"},
    {"role": "assistant", "content": "Jobs that still work are probably using the old key, which stays valid for 24 hours "
                                     "after rotation. Jobs failing with 401 may be using a key that was mistyped or revoked."},
    {"role": "user", "content": "OK. And how do I copy our bucket from eu-west to us-east without downloading everything "
                                "locally first? Please give me the exact command."},
]
ANSWER = ("Use a server-side copy so nothing passes through your machine: `acme storage cp --recursive "
          "acme://bucket-eu-west/ acme://bucket-us-east/` copies every object between the regions. Cross-region "
          "transfer is billed per GB.")
OPENAI_USAGE = {"prompt_tokens": 312, "completion_tokens": 48, "total_tokens": 360,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                              "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}


def write(name, text):
    with open(os.path.join(OUT, name), "w") as f:
        f.write(text)


def main():
    words = ANSWER.split(" ")
    base = {"model": "gpt-4o-mini", "messages": MSGS, "temperature": 0.2, "max_tokens": 400, "user": "customer-81723"}
    write("chat-request.json", json.dumps(base, **J))
    write("chat-request-stream.json", json.dumps(dict(base, stream=True), **J))  # no stream_options: Tollgate injects it
    anthropic = {"model": "claude-3-5-haiku-20241022", "max_tokens": 400, "system": SYS + " " + KB, "stream": True,
                 "messages": [m for m in MSGS if m["role"] != "system"]}
    write("anthropic-request-stream.json", json.dumps(anthropic, **J))

    write("chat-response.json", json.dumps({
        "id": "chatcmpl-BENCH0000000000000000000001", "object": "chat.completion", "created": 1764000000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": ANSWER, "refusal": None, "annotations": []},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": OPENAI_USAGE, "service_tier": "default", "system_fingerprint": "fp_bench0001"}, **J))

    def chunk(delta, finish=None):
        return {"id": "chatcmpl-BENCH0000000000000000000002", "object": "chat.completion.chunk", "created": 1764000000,
                "model": "gpt-4o-mini-2024-07-18", "service_tier": "default", "system_fingerprint": "fp_bench0001",
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}], "usage": None}
    chunks = [chunk({"role": "assistant", "content": "", "refusal": None})]
    chunks += [chunk({"content": (" " if i else "") + w}) for i, w in enumerate(words)]
    chunks.append(chunk({}, "stop"))
    usage_only = chunk({})
    usage_only["choices"] = []
    usage_only["usage"] = OPENAI_USAGE
    chunks.append(usage_only)
    write("chat-stream.sse", "".join("data: " + json.dumps(c, **J) + "\n\n" for c in chunks) + "data: [DONE]\n\n")

    events = []

    def event(name, obj):
        events.append("event: %s\ndata: %s\n\n" % (name, json.dumps(obj, **J)))
    event("message_start", {"type": "message_start", "message": {
        "id": "msg_bench0000000000000001", "type": "message", "role": "assistant", "model": "claude-3-5-haiku-20241022",
        "content": [], "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": 298, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 1}}})
    event("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
    event("ping", {"type": "ping"})
    for i, w in enumerate(words):
        event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                      "delta": {"type": "text_delta", "text": (" " if i else "") + w}})
    event("content_block_stop", {"type": "content_block_stop", "index": 0})
    event("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                            "usage": {"output_tokens": 51}})
    event("message_stop", {"type": "message_stop"})
    write("anthropic-stream.sse", "".join(events))


if __name__ == "__main__":
    main()
