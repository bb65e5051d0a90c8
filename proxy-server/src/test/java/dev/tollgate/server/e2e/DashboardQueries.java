package dev.tollgate.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL query of the Grafana dashboards in {@code dashboards/grafana/}: each panel target's
 * {@code expr} and each query variable, with Grafana's variables replaced as
 * {@code dashboards/tools/validate_dashboards.py} replaces them, so that Prometheus can run them.
 */
final class DashboardQueries {

    /** Grafana's built-in variables, each with a value PromQL accepts where Grafana would put it (as validate_dashboards.py). */
    static final Map<String, String> BUILTINS = Map.of(
            "__rate_interval", "1m", "__interval", "1m", "__range", "1h",
            "__range_s", "3600", "__range_ms", "3600000", "__interval_ms", "60000");

    /** The counters that every request moves: a panel that reads them must show data once traffic has run. */
    static final Pattern TRAFFIC_METRIC = Pattern.compile("(?<![\\w:])tollgate_(?:cost_usd|tokens|requests)_total(?![\\w:])");

    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{(\\w+)(?::[^}]*)?}|(\\w+))");
    private static final Pattern RECORDED = Pattern.compile("(?<![\\w:])[a-z_]+:[a-z0-9_:]+(?![\\w:])");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((?:(.+),\\s*)?([a-zA-Z_$][a-zA-Z0-9_]*)\\)\\s*$");
    private static final Pattern LABEL_NAMES = Pattern.compile("^label_names\\((.*)\\)\\s*$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<Dashboard> dashboards;
    private final Map<String, String> recordingRules;

    private DashboardQueries(List<Dashboard> dashboards, Map<String, String> recordingRules) {
        this.dashboards = dashboards;
        this.recordingRules = recordingRules;
    }

    /** Reads {@code dashboards/grafana/*.json} and the recording rules of {@code dashboards/prometheus/rules/*.yml} under {@code repo}. */
    static DashboardQueries load(Path repo) throws IOException {
        List<Dashboard> dashboards = new ArrayList<>();
        for (Path file : list(repo.resolve("dashboards/grafana"), ".json")) {
            dashboards.add(Dashboard.parse(file.getFileName().toString(), JSON.readTree(file.toFile())));
        }
        Map<String, String> rules = new LinkedHashMap<>();
        for (Path file : list(repo.resolve("dashboards/prometheus/rules"), ".yml")) {
            for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("record")) {
                        rules.put(rule.get("record").asText(), rule.path("expr").asText());
                    }
                }
            }
        }
        if (dashboards.isEmpty() || rules.isEmpty()) {
            throw new IllegalStateException("no dashboards or no recording rules under " + repo.resolve("dashboards"));
        }
        return new DashboardQueries(dashboards, rules);
    }

    List<Dashboard> dashboards() {
        return dashboards;
    }

    /**
     * Whether {@code expr} reads the request, token or cost counters, directly or through a
     * recording rule built on them (followed transitively).
     */
    boolean readsTraffic(String expr) {
        return readsTraffic(expr, new HashMap<>());
    }

    private boolean readsTraffic(String expr, Map<String, Boolean> seen) {
        String code = STRING.matcher(expr).replaceAll("\"\"");
        if (TRAFFIC_METRIC.matcher(code).find()) {
            return true;
        }
        Matcher recorded = RECORDED.matcher(code);
        while (recorded.find()) {
            String name = recorded.group();
            String definition = recordingRules.get(name);
            if (definition != null && seen.putIfAbsent(name, Boolean.FALSE) == null && readsTraffic(definition, seen)) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with each {@code $var} / {@code ${var}} / {@code ${var:format}} replaced from {@code values} (unknown ones left). */
    static String substitute(String text, Map<String, String> values) {
        return VARIABLE.matcher(text).replaceAll(m -> {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            return Matcher.quoteReplacement(values.getOrDefault(name, m.group()));
        });
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** One dashboard's queries. */
    record Dashboard(String file, List<Variable> variables, List<PanelQuery> panelQueries) {

        static Dashboard parse(String file, JsonNode dashboard) {
            List<Variable> variables = new ArrayList<>();
            for (JsonNode v : dashboard.path("templating").path("list")) {
                JsonNode query = v.path("query");
                String text = query.isObject() ? query.path("query").asText("") : query.asText("");
                variables.add(new Variable(v.path("name").asText(), v.path("type").asText(), text, v.path("regex").asText("")));
            }
            List<PanelQuery> queries = new ArrayList<>();
            collect(dashboard.path("panels"), queries);
            return new Dashboard(file, List.copyOf(variables), List.copyOf(queries));
        }

        private static void collect(JsonNode panels, List<PanelQuery> into) {
            for (JsonNode panel : panels) {
                for (JsonNode target : panel.path("targets")) {
                    if (target.hasNonNull("expr")) {
                        into.add(new PanelQuery(panel.path("id").asInt(), panel.path("title").asText(),
                                target.path("refId").asText(), target.get("expr").asText()));
                    }
                }
                collect(panel.path("panels"), into); // collapsed rows keep their panels inside
            }
        }

        /**
         * The variable values to try, as validate_dashboards.py does (every query variable set to the
         * regex {@code .*}, as Grafana renders "All"; each label-name variable set to {@code tagLabel}
         * and to empty, as it renders with no options), plus one variant with {@code tenant} set to
         * the concrete {@code tenant}.
         */
        List<Map<String, String>> variants(String tagLabel, String tenant) {
            Map<String, String> all = new LinkedHashMap<>(BUILTINS);
            List<String> labelNameVariables = new ArrayList<>();
            for (Variable v : variables) {
                if (v.type().equals("datasource")) {
                    continue;
                }
                if (v.type().equals("query") && v.labelNames() != null) {
                    labelNameVariables.add(v.name());
                } else {
                    all.put(v.name(), ".*");
                }
            }
            List<Map<String, String>> variants = new ArrayList<>();
            Map<String, String> withTag = new LinkedHashMap<>(all);
            labelNameVariables.forEach(n -> withTag.put(n, tagLabel));
            variants.add(withTag);
            if (!labelNameVariables.isEmpty()) {
                Map<String, String> noTag = new LinkedHashMap<>(all);
                labelNameVariables.forEach(n -> noTag.put(n, ""));
                variants.add(noTag);
            }
            if (all.containsKey("tenant")) {
                Map<String, String> one = new LinkedHashMap<>(withTag);
                one.put("tenant", tenant);
                variants.add(one);
            }
            return variants;
        }
    }

    /** A dashboard variable; {@code query} is its raw query text. */
    record Variable(String name, String type, String query, String regex) {

        /** {@code [selector, label]} of a {@code label_values(selector, label)} query, else null. */
        String[] labelValues() {
            Matcher m = LABEL_VALUES.matcher(query);
            return type.equals("query") && m.matches() ? new String[] {m.group(1), m.group(2)} : null;
        }

        /** The selector of a {@code label_names(selector)} query, else null. */
        String labelNames() {
            Matcher m = LABEL_NAMES.matcher(query);
            return type.equals("query") && m.matches() ? m.group(1) : null;
        }
    }

    /** One target of one panel. */
    record PanelQuery(int panelId, String title, String refId, String expr) {
        String where(String file) {
            return file + " panel " + panelId + " '" + title + "' " + refId;
        }
    }
}
