#!/usr/bin/env python3
"""Clients that hang up mid-stream: each opens a connection, POSTs a streaming chat request,
reads the first bytes of the answer and closes the socket. Exercises Tollgate's client-abort path
(upstream connection closed, partial usage recorded) during the soak.

  abort_client.py PORT PATH BODY_FILE SECONDS [PER_SECOND]
"""
import asyncio
import sys
import time


async def one(port, request):
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
    except (OSError, asyncio.TimeoutError):
        return "connect"
    try:
        writer.write(request)
        await writer.drain()
        got = b""
        deadline = time.monotonic() + 5
        while len(got) < 400 and time.monotonic() < deadline:
            chunk = await asyncio.wait_for(reader.read(4096), 5)
            if not chunk:
                break
            got += chunk
        return "ok" if got.startswith(b"HTTP/1.1 200") else "bad"
    except (OSError, asyncio.TimeoutError):
        return "error"
    finally:
        writer.close()


async def main():
    port, path, body_file, seconds = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
    per_second = float(sys.argv[5]) if len(sys.argv) > 5 else 5
    body = open(body_file, "rb").read()
    request = (("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                "X-Tollgate-Tenant: acme\r\nContent-Length: %d\r\n\r\n") % (path, port, len(body))).encode() + body
    tasks = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        tasks.append(asyncio.ensure_future(one(port, request)))
        await asyncio.sleep(1 / per_second)
    results = await asyncio.gather(*tasks)
    counts = {r: results.count(r) for r in set(results)}
    print("aborted streams: %d %s" % (len(results), counts))


if __name__ == "__main__":
    asyncio.run(main())
