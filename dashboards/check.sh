#!/usr/bin/env bash
# Checks the dashboards, the Prometheus rules, the Alertmanager example and the Docker
# deployment. Exits non-zero if any check fails. Run from anywhere: bash dashboards/check.sh
#
# Needs promtool (Debian: prometheus), amtool (prometheus-alertmanager) and python3 with PyYAML
# (python3-yaml); .ci/run installs them. PROMTOOL=... and AMTOOL=... override the ones on PATH.
set -uo pipefail
cd "$(dirname "$0")/.."

PROMTOOL=${PROMTOOL:-promtool}
AMTOOL=${AMTOOL:-amtool}
export PROMTOOL
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
skipped=0
step() {
  local name=$1
  shift
  echo "== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "FAILED: $name" >&2
    failed=$((failed + 1))
  fi
}
skip() {
  echo "== $1"
  echo "skipped: $2"
  skipped=$((skipped + 1))
}

for tool in "$PROMTOOL" "$AMTOOL" python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check.sh: $tool not found (Debian: apt-get install prometheus prometheus-alertmanager python3-yaml)" >&2
    exit 1
  fi
done

# Prometheus's config as the compose file mounts it, with the container paths pointed at this
# repository, so that promtool also loads the rule files through it.
prometheus_config() {
  sed "s#/etc/prometheus/rules/#$PWD/dashboards/prometheus/rules/#g" deploy/prometheus/prometheus.yml \
    > "$tmp/prometheus.yml" &&
    "$PROMTOOL" check config "$tmp/prometheus.yml"
}

# The same for Alertmanager: templates and secret files resolve to the repository's.
alertmanager_config() {
  sed -e "s#/etc/alertmanager/templates/#$PWD/dashboards/alertmanager/templates/#g" \
      -e "s#/etc/alertmanager/secrets/#$PWD/deploy/alertmanager/secrets.example/#g" \
      dashboards/alertmanager/alertmanager.yml > "$tmp/alertmanager.yml" &&
    "$AMTOOL" check-config "$tmp/alertmanager.yml" &&
    "$AMTOOL" template render --template.glob="$PWD/dashboards/alertmanager/templates/*.tmpl" \
      --template.text='{{ template "tollgate.title" . }}{{ template "tollgate.text" . }}' >/dev/null
}

# Routing by severity and tenant: which receivers each kind of alert reaches.
alertmanager_routes() {
  local ok=0
  route() {
    local expected=$1
    shift
    if ! "$AMTOOL" config routes test --config.file=dashboards/alertmanager/alertmanager.yml \
        --verify.receivers="$expected" "$@" >/dev/null 2>&1; then
      echo "route for $* does not reach exactly $expected: $("$AMTOOL" config routes test \
        --config.file=dashboards/alertmanager/alertmanager.yml "$@" 2>/dev/null)" >&2
      ok=1
    fi
  }
  route platform-pagerduty,acme-owners-email,finops-slack \
    alertname=TollgateBudgetExceeded severity=critical tenant=acme window=monthly
  route platform-pagerduty,finops-slack alertname=TollgateBudgetExceeded severity=critical tenant=globex window=daily
  route finops-slack alertname=TollgateBudgetNearlyExhausted severity=warning tenant=globex window=daily
  route acme-owners-email,finops-slack alertname=TollgateBudgetBurnRateHigh severity=warning tenant=acme window=weekly
  route platform-pagerduty,platform-slack alertname=TollgateLedgerErrors severity=critical sink=sqlite
  route platform-slack alertname=TollgateProxyOverheadHigh severity=warning route=/openai
  return $ok
}

step "promtool check rules" "$PROMTOOL" check rules dashboards/prometheus/rules/*.yml
step "promtool test rules" "$PROMTOOL" test rules dashboards/tests/*.yml
step "alert names, labels, annotations, runbooks and test coverage" python3 dashboards/tools/check_rules.py
step "Grafana dashboards (structure; every query parsed by promtool)" python3 dashboards/tools/validate_dashboards.py
step "compose mounts, Grafana provisioning, Dockerfile" python3 dashboards/tools/check_deploy.py
step "promtool check config deploy/prometheus/prometheus.yml" prometheus_config
step "amtool check-config dashboards/alertmanager/alertmanager.yml" alertmanager_config
step "Alertmanager routes by severity and tenant" alertmanager_routes

# Optional: the compose file through Compose itself, when it is installed (no engine needed).
if docker compose version >/dev/null 2>&1; then
  step "docker compose config" env TOLLGATE_ADMIN_TOKEN=check docker compose config -q
elif command -v docker-compose >/dev/null 2>&1; then
  step "docker-compose config" env TOLLGATE_ADMIN_TOKEN=check docker-compose config -q
else
  skip "docker compose config" "Compose is not installed"
fi

# Optional: the example Tollgate config through the proxy's own validation, once the jar is built.
if [ -f proxy-server/target/tollgate.jar ] && command -v java >/dev/null 2>&1; then
  step "tollgate check-config deploy/tollgate.yaml" env TOLLGATE_ADMIN_TOKEN=check \
    java -jar proxy-server/target/tollgate.jar check-config --config deploy/tollgate.yaml >/dev/null
else
  skip "tollgate check-config deploy/tollgate.yaml" "proxy-server/target/tollgate.jar is not built"
fi

echo "dashboards/check.sh: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
