#!/usr/bin/env python3
"""Checks the Docker deployment without a Docker engine.

  - docker-compose.yml parses; every host file or directory a service mounts exists (a
    `${VAR:-default}` source is checked at its default); named volumes are declared; the build
    context has the Dockerfile;
  - the Grafana provisioning YAML parses, the datasource points at the compose Prometheus, and the
    dashboards provider's path is a mount that holds the dashboards;
  - prometheus.yml's rule_files and Alertmanager's templates and *_file secrets resolve, through
    the compose mounts, to files in this repository; Prometheus scrapes the admin port that
    deploy/tollgate.yaml configures;
  - the Dockerfile keeps what the deployment relies on: multi-stage build with the wrapper, a
    non-root user, a health check on /healthz, the config path, entrypoint and ports.

promtool check config and amtool check-config run from check.sh. Needs PyYAML (python3-yaml).
"""
import fnmatch
import glob
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("check_deploy: PyYAML is missing (Debian: apt-get install python3-yaml)", file=sys.stderr)
    sys.exit(1)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMPOSE = os.path.join(ROOT, "docker-compose.yml")
DEFAULT_RE = re.compile(r"\$\{(\w+)(?::?[-?]([^}]*))?\}")


def main():
    errors = []
    compose = load_yaml(COMPOSE, errors)
    if not isinstance(compose, dict):
        return finish(errors)
    services = compose.get("services") or {}
    declared_volumes = set((compose.get("volumes") or {}).keys())
    mounts = {}     # service -> [(container path, host path)]
    for name, svc in services.items():
        mounts[name] = []
        build = svc.get("build")
        if build is not None:
            context = build if isinstance(build, str) else build.get("context", ".")
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            if not os.path.isfile(os.path.join(ROOT, context, dockerfile)):
                errors.append(f"service {name}: build context {context} has no {dockerfile}")
        for env_file in as_list(svc.get("env_file")):
            if not os.path.exists(os.path.join(ROOT, resolve(env_file))):
                errors.append(f"service {name}: env_file {env_file} does not exist")
        for vol in svc.get("volumes") or []:
            source, target = parse_volume(vol)
            if source is None or target is None:
                errors.append(f"service {name}: cannot read volume {vol!r}")
                continue
            if is_host_path(source):
                host = os.path.normpath(os.path.join(ROOT, os.path.expanduser(resolve(source))))
                if not os.path.exists(host):
                    errors.append(f"service {name}: mounts {source} (as {host}), which does not exist")
                mounts[name].append((target, host))
            elif source not in declared_volumes:
                errors.append(f"service {name}: named volume {source} is not declared under volumes:")

    check_grafana(services, mounts, errors)
    check_prometheus(services, mounts, errors)
    check_alertmanager(services, mounts, errors)
    check_dockerfile(errors)
    return finish(errors)


def finish(errors):
    for e in errors:
        print("ERROR " + e, file=sys.stderr)
    print(f"check_deploy: {len(errors)} errors")
    return 1 if errors else 0


def load_yaml(path, errors):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        errors.append(f"{os.path.relpath(path, ROOT)}: {e}")
        return None


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def resolve(text):
    """A compose value with ${VAR:-default} replaced by its default (what a clean checkout uses)."""
    return DEFAULT_RE.sub(lambda m: m.group(2) or "", text)


def parse_volume(vol):
    if isinstance(vol, dict):
        return vol.get("source"), vol.get("target")
    # Short syntax SOURCE:TARGET[:MODE]; a ${VAR:-./dir} source contains a colon of its own.
    m = re.match(r"^(\$\{[^}]*\}[^:]*|[^:]+):([^:]+)(?::\w+(?:,\w+)*)?$", str(vol))
    if not m:
        return None, None
    return m.group(1), m.group(2)


def is_host_path(source):
    return source.startswith((".", "/", "~", "$"))


def host_path_for(service_mounts, container_path):
    """The host path a container path resolves to through the service's bind mounts, or None."""
    best = None
    for target, host in service_mounts:
        target = target.rstrip("/")
        if container_path == target or container_path.startswith(target + "/"):
            if best is None or len(target) > len(best[0]):
                best = (target, host)
    if best is None:
        return None
    return best[1] + container_path[len(best[0]):]


def check_grafana(services, mounts, errors):
    if "grafana" not in services:
        errors.append("docker-compose.yml: no grafana service")
        return
    prov = os.path.join(ROOT, "dashboards", "grafana", "provisioning")
    files = sorted(glob.glob(os.path.join(prov, "**", "*.yml"), recursive=True)
                   + glob.glob(os.path.join(prov, "**", "*.yaml"), recursive=True))
    if not files:
        errors.append("dashboards/grafana/provisioning: no provisioning files")
    datasources, providers = [], []
    for path in files:
        doc = load_yaml(path, errors)
        rel = os.path.relpath(path, ROOT)
        if not isinstance(doc, dict) or doc.get("apiVersion") != 1:
            errors.append(f"{rel}: expected a mapping with apiVersion: 1")
            continue
        datasources += doc.get("datasources") or []
        providers += doc.get("providers") or []
    if not any(ds.get("type") == "prometheus" for ds in datasources):
        errors.append("grafana provisioning: no prometheus datasource")
    for ds in datasources:
        url = str(ds.get("url", ""))
        m = re.match(r"^https?://([\w.-]+)(?::\d+)?", url)
        if ds.get("type") == "prometheus" and (not m or m.group(1) not in services):
            errors.append(f"grafana datasource {ds.get('name')}: url {url!r} is not a compose service")
    if not providers:
        errors.append("grafana provisioning: no dashboard provider")
    for p in providers:
        path = (p.get("options") or {}).get("path")
        host = host_path_for(mounts.get("grafana", []), str(path))
        if p.get("type") != "file" or not path:
            errors.append(f"grafana dashboard provider {p.get('name')}: expected type file with options.path")
        elif host is None:
            errors.append(f"grafana dashboard provider {p.get('name')}: {path} is not mounted into the grafana service")
        elif not glob.glob(os.path.join(host, "*.json")):
            errors.append(f"grafana dashboard provider {p.get('name')}: {path} (= {host}) holds no dashboards")
    for sub in ("datasources", "dashboards"):
        if host_path_for(mounts.get("grafana", []), f"/etc/grafana/provisioning/{sub}") is None:
            errors.append(f"grafana service: /etc/grafana/provisioning/{sub} is not mounted")


def check_prometheus(services, mounts, errors):
    if "prometheus" not in services:
        errors.append("docker-compose.yml: no prometheus service")
        return
    svc = services["prometheus"]
    config_path = "/etc/prometheus/prometheus.yml"
    for arg in as_list(svc.get("command")):
        if str(arg).startswith("--config.file="):
            config_path = str(arg).split("=", 1)[1]
    host_config = host_path_for(mounts["prometheus"], config_path)
    if host_config is None:
        errors.append(f"prometheus service: its config {config_path} is not mounted")
        return
    config = load_yaml(host_config, errors)
    if not isinstance(config, dict):
        return
    rule_files = []
    for pattern in config.get("rule_files") or []:
        host = host_path_for(mounts["prometheus"], pattern)
        matched = sorted(glob.glob(host)) if host else []
        if not matched:
            errors.append(f"prometheus.yml: rule_files {pattern} matches no file through the compose mounts")
        rule_files += matched
    expected = set(glob.glob(os.path.join(ROOT, "dashboards", "prometheus", "rules", "*.yml")))
    if expected - set(rule_files):
        errors.append(f"prometheus.yml: does not load {sorted(os.path.relpath(p, ROOT) for p in expected - set(rule_files))}")
    targets = [t for sc in config.get("scrape_configs") or [] for st in sc.get("static_configs") or []
               for t in st.get("targets") or []]
    tollgate = load_yaml(os.path.join(ROOT, "deploy", "tollgate.yaml"), errors) or {}
    server = tollgate.get("server") or {}
    admin_port = server.get("admin_port", 9464)
    if f"tollgate:{admin_port}" not in targets:
        errors.append(f"prometheus.yml: does not scrape tollgate:{admin_port} (deploy/tollgate.yaml's admin_port)")
    if str(server.get("admin_bind", "127.0.0.1")) in ("127.0.0.1", "localhost", "::1"):
        errors.append("deploy/tollgate.yaml: admin_bind is loopback, so Prometheus cannot scrape it from its container")
    tollgate_mounts = mounts.get("tollgate", [])
    if host_path_for(tollgate_mounts, "/etc/tollgate/tollgate.yaml") != os.path.join(ROOT, "deploy", "tollgate.yaml"):
        errors.append("tollgate service: deploy/tollgate.yaml is not mounted at /etc/tollgate/tollgate.yaml")
    ledger = str((tollgate.get("ledger") or {}).get("path", ""))
    targets_of_volumes = [str(v).split(":")[1] for v in services.get("tollgate", {}).get("volumes") or []
                          if ":" in str(v)]
    if ledger and not any(ledger.startswith(t.rstrip("/") + "/") for t in targets_of_volumes):
        errors.append(f"deploy/tollgate.yaml: ledger.path {ledger} is not on a volume of the tollgate service")


def check_alertmanager(services, mounts, errors):
    if "alertmanager" not in services:
        errors.append("docker-compose.yml: no alertmanager service")
        return
    host_config = host_path_for(mounts["alertmanager"], "/etc/alertmanager/alertmanager.yml")
    if host_config is None:
        errors.append("alertmanager service: /etc/alertmanager/alertmanager.yml is not mounted")
        return
    config = load_yaml(host_config, errors)
    if not isinstance(config, dict):
        return
    for pattern in config.get("templates") or []:
        host = host_path_for(mounts["alertmanager"], pattern)
        if not host or not glob.glob(host):
            errors.append(f"alertmanager.yml: templates {pattern} matches no file through the compose mounts")
    for key, value in walk(config):
        if key.endswith("_file") and isinstance(value, str):
            host = host_path_for(mounts["alertmanager"], value)
            if not host or not os.path.isfile(host):
                errors.append(f"alertmanager.yml: {key} {value} is not a file through the compose mounts")


def walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield str(k), v
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def check_dockerfile(errors):
    path = os.path.join(ROOT, "Dockerfile")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        errors.append("Dockerfile is missing")
        return
    code = "\n".join(l for l in text.replace("\\\n", " ").splitlines() if not l.lstrip().startswith("#"))
    stages = re.findall(r"^FROM\s+(\S+)", code, re.M)
    checks = [
        (len(stages) >= 2, "a multi-stage build (a JDK stage and a JRE stage)"),
        (any(fnmatch.fnmatch(s, "eclipse-temurin:2[15]*jdk*") for s in stages[:-1]), "an eclipse-temurin 21/25 JDK build stage"),
        (bool(stages) and fnmatch.fnmatch(stages[-1], "eclipse-temurin:2[15]*jre*"), "an eclipse-temurin 21/25 JRE runtime"),
        (re.search(r"\./mvnw\b.*\bpackage\b", code) is not None, "the build through the Maven wrapper (./mvnw ... package)"),
        (re.search(r"^USER\s+(?!root\b|0\b)\S+", code, re.M) is not None, "a non-root USER"),
        (re.search(r"^HEALTHCHECK\b.*?/healthz", code, re.M) is not None, "a HEALTHCHECK on /healthz"),
        (re.search(r'^ENTRYPOINT \["java", ?"-jar", ?"/opt/tollgate/tollgate\.jar"\]', code, re.M) is not None,
         'ENTRYPOINT ["java","-jar","/opt/tollgate/tollgate.jar"]'),
        (re.search(r'^CMD \["--config", ?"/etc/tollgate/tollgate\.yaml"\]', code, re.M) is not None,
         'CMD ["--config","/etc/tollgate/tollgate.yaml"]'),
        (re.search(r"^EXPOSE\s+(?=.*\b8080\b)(?=.*\b9464\b)", code, re.M) is not None, "EXPOSE 8080 9464"),
    ]
    for ok, what in checks:
        if not ok:
            errors.append(f"Dockerfile: expected {what}")


if __name__ == "__main__":
    sys.exit(main())
