#!/usr/bin/env python3
"""Writes the nginx configs of the benchmark: the fake upstream and the L7 reverse proxy.

  render_nginx.py upstream RUNDIR PORT WORKERS SLOW_RATE_BYTES_PER_S
  render_nginx.py proxy    RUNDIR PORT WORKERS UPSTREAM_PORT

The fake upstream answers any POST with a canned file (nginx's config parser caps a quoted string at
4 KB, too short for an SSE stream, so no `return 200 '...'`): `return 405` discards the request body,
and `error_page 405 =200` turns that into an internal GET of the file (served with sendfile from an
open-file cache). /json/ is the OpenAI chat completion, /sse/ the OpenAI stream (with its usage-only chunk),
/anthropic/ the Anthropic message stream, /slow/ the OpenAI stream throttled by `limit_rate` so
that it drips for tens of seconds. The proxy is nginx as the practical limit for an L7 proxy:
`proxy_pass` with upstream keep-alive, HTTP/1.1 and no buffering of event streams.
"""
import os
import sys

PAYLOADS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "payloads")

COMMON = """{user}worker_processes {workers};
worker_rlimit_nofile 65536;
pid {rundir}/{kind}.pid;
error_log {rundir}/{kind}-error.log warn;
events {{ worker_connections 16384; multi_accept on; }}
http {{
  access_log off;
  server_tokens off;
  keepalive_timeout 300s;
  keepalive_requests 100000000;
  client_body_buffer_size 64k;
  client_max_body_size 16m;
  client_body_temp_path {rundir}/{kind}-tmp/body;
  proxy_temp_path {rundir}/{kind}-tmp/proxy;
  fastcgi_temp_path {rundir}/{kind}-tmp/fastcgi;
  uwsgi_temp_path {rundir}/{kind}-tmp/uwsgi;
  scgi_temp_path {rundir}/{kind}-tmp/scgi;
{body}
}}
"""


def upstream(port, slow_rate):
    return """  open_file_cache max=64 inactive=600s;
  open_file_cache_valid 600s;
  sendfile on;
  types {{ application/json json; text/event-stream sse; }}
  server {{
    listen 127.0.0.1:{port} backlog=8192;
    location /json/      {{ error_page 405 =200 /_canned/chat-response.json;   return 405; }}
    location /sse/       {{ error_page 405 =200 /_canned/chat-stream.sse;      return 405; }}
    location /anthropic/ {{ error_page 405 =200 /_canned/anthropic-stream.sse; return 405; }}
    location /slow/      {{ error_page 405 =200 /_slow/chat-stream.sse;        return 405; }}
    location /_canned/   {{ internal; alias {payloads}/; }}
    location /_slow/     {{ internal; alias {payloads}/; limit_rate {slow_rate}; }}
    location /           {{ return 404; }}
  }}""".format(port=port, slow_rate=slow_rate, payloads=os.path.realpath(PAYLOADS))


def proxy(port, upstream_port):
    return """  upstream fake {{
    server 127.0.0.1:{up};
    keepalive 512;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
  }}
  server {{
    listen 127.0.0.1:{port} backlog=8192;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_read_timeout 300s;
    location /           {{ proxy_pass http://fake; }}
    location /sse/       {{ proxy_pass http://fake; proxy_buffering off; }}
    location /anthropic/ {{ proxy_pass http://fake; proxy_buffering off; }}
    location /slow/      {{ proxy_pass http://fake; proxy_buffering off; }}
  }}""".format(port=port, up=upstream_port)


def main():
    kind, rundir, port, workers, extra = sys.argv[1:6]
    body = upstream(port, extra) if kind == "upstream" else proxy(port, extra)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(rundir, kind + "-tmp", sub), exist_ok=True)
    # As root, workers would run as nobody and might not read the payloads: keep the caller's user.
    user = "user root;\n" if os.geteuid() == 0 else ""
    sys.stdout.write(COMMON.format(user=user, workers=workers, rundir=rundir, kind=kind, body=body))


if __name__ == "__main__":
    main()
