"""Two OpsGuide instances behind nginx, sharing one database and one Redis, on loopback.

    python -m loadtest.cluster [--database postgres|sqlite] [--port 8080]

`make cluster` runs this: it migrates a fresh database, starts a Redis of its
own (keeping nothing on disk), two gunicorn instances with production
settings, and nginx from Debian's packages in front of them; it prints the
address and stops everything on Ctrl-C. DEPLOY.md shows the same layout on
real hosts. `make load` drives it with Locust and breaks parts of it on purpose.
"""

import argparse
import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .server import (
    free_port,
    fresh_database,
    manage,
    production_env,
    start_gunicorn,
    stop,
    wait_healthy,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# The load balancer: round robin over the instances. An instance that refuses
# connections is skipped (a request not yet sent is passed on, even a POST);
# a request already sent to an instance that dies is not replayed elsewhere,
# since it may have been applied: the learner's browser retries it.
NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
{user}
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/nginx-body;
    proxy_temp_path {dir}/nginx-proxy;
    fastcgi_temp_path {dir}/nginx-fastcgi;
    uwsgi_temp_path {dir}/nginx-uwsgi;
    scgi_temp_path {dir}/nginx-scgi;
    upstream opsguide {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://opsguide;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            proxy_connect_timeout 1s;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


@dataclass
class Cluster:
    """A running cluster: its address, and handles to break and mend its parts."""

    url: str
    env: dict
    workdir: Path
    ports: list
    instances: list = field(default_factory=list)
    redis: subprocess.Popen | None = None
    redis_port: int = 0

    def kill_instance(self, index=0):
        """SIGKILL one instance, master and workers at once, as a crashed host would die."""
        os.killpg(self.instances[index].pid, signal.SIGKILL)
        self.instances[index].wait()

    def stop_redis(self):
        self.redis.terminate()
        self.redis.wait(timeout=10)

    def start_redis(self):
        self.redis = start_redis(self.redis_port)


def start_redis(port):
    process = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    for _ in range(50):
        ping = subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
        )
        if ping.stdout.strip() == "PONG":
            return process
        time.sleep(0.1)
    raise SystemExit(f"redis-server did not start on port {port}")


def nginx_conf(workdir, port, ports):
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in ports)
    # Started as root, nginx's workers would switch to "nobody", who cannot
    # write to this directory; on loopback for a test run they stay root.
    user = "user root;" if os.geteuid() == 0 else ""
    return NGINX_CONF.format(dir=workdir, port=port, servers=servers, user=user)


@contextmanager
def cluster(database_url, workdir, *, instances=2, workers=2, threads=1, port=None, **env):
    """Start Redis, `instances` gunicorns and nginx on loopback; yield the Cluster; stop them."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    redis_port = free_port()
    env = production_env(
        database_url,
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
        **env,
    )
    ports = [free_port() for _ in range(instances)]
    port = port or free_port()
    with ExitStack() as stack:
        node = Cluster(f"http://127.0.0.1:{port}", env, workdir, ports, redis_port=redis_port)
        node.start_redis()
        stack.callback(lambda: stop(node.redis))
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        for n, instance_port in enumerate(ports):
            log = stack.enter_context(open(workdir / f"instance-{n}.log", "w"))
            process = start_gunicorn(env, instance_port, workers, threads, log)
            node.instances.append(process)
            stack.callback(stop, process)
        for instance_port, process in zip(ports, node.instances, strict=True):
            wait_healthy(f"http://127.0.0.1:{instance_port}", process)
        conf = workdir / "nginx.conf"
        conf.write_text(nginx_conf(workdir, port, ports))
        balancer = subprocess.Popen(
            [NGINX, "-p", str(workdir), "-c", str(conf)], start_new_session=True
        )
        stack.callback(stop, balancer)
        wait_healthy(node.url, balancer)
        yield node


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        database = fresh_database(args.database, Path(tmp), name="opsguide_cluster")
        with cluster(database, tmp, port=args.port) as node:
            print(f"OpsGuide cluster on {node.url}: nginx → 127.0.0.1:{node.ports[0]} and "
                  f":{node.ports[1]}; {args.database}; Redis on :{node.redis_port}")  # fmt: skip
            print("Ctrl-C stops it.")
            try:
                while all(p.poll() is None for p in node.instances):
                    time.sleep(1)
                print("An instance stopped; shutting the cluster down.")
            except KeyboardInterrupt:
                print("\nStopping the cluster.")
            # Leave the address free for the next run right away.
            httpx.Client().close()


if __name__ == "__main__":
    main()
