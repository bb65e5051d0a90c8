package dev.tollgate.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.budget.BudgetStatus;
import dev.tollgate.core.ledger.GroupKey;
import dev.tollgate.core.ledger.LedgerJson;
import dev.tollgate.core.ledger.LedgerReader;
import dev.tollgate.core.ledger.LedgerRecord;
import dev.tollgate.core.ledger.ReportFormat;
import dev.tollgate.core.ledger.TimeRange;
import dev.tollgate.core.ledger.UsageReport;
import dev.tollgate.core.pricing.UsdFormat;
import dev.tollgate.server.config.TenantConfig;
import dev.tollgate.server.ledger.Ledgers;
import dev.tollgate.server.reload.ConfigReloader;
import dev.tollgate.server.reload.LiveConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /admin/*} endpoints (CONTRACT §9). They read the ledger and config files, so they block:
 * the admin listener runs them on its own executor, never on an event loop.
 *
 * <pre>
 * GET  /admin/tenants                 every tenant with its budgets: window, limit, spend, held, remaining
 * GET  /admin/requests/{id}           one ledger record
 * GET  /admin/usage?from=&amp;to=&amp;group_by=tenant,model   ledger totals, as {@code tollgate report} computes them
 * POST /admin/reload                  re-read the config file (tenants, keys, budgets, pricing)
 * </pre>
 */
public final class AdminApi {

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveConfig live;
    private final ConfigReloader reloader;
    private final @Nullable Path ledger;
    private final Clock clock;

    /**
     * @param ledger the ledger file, or null when the ledger sink is {@code none}
     */
    public AdminApi(LiveConfig live, ConfigReloader reloader, @Nullable Path ledger, Clock clock) {
        this.live = live;
        this.reloader = reloader;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Answers one admin request; blocking. */
    public Response handle(HttpMethod method, QueryStringDecoder uri) {
        String path = uri.path();
        try {
            if (path.equals("/admin/reload")) {
                return HttpMethod.POST.equals(method) ? reload() : Response.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST");
            }
            if (!HttpMethod.GET.equals(method)) {
                return Response.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET");
            }
            if (path.equals("/admin/tenants")) {
                return tenants();
            }
            if (path.startsWith("/admin/requests/")) {
                return request(path.substring("/admin/requests/".length()));
            }
            if (path.equals("/admin/usage")) {
                return usage(uri);
            }
            return Response.error(HttpResponseStatus.NOT_FOUND, "no such admin endpoint: " + path);
        } catch (IllegalArgumentException e) {
            return Response.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.warn("Admin request {} failed", path, e);
            return Response.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.toString());
        }
    }

    private Response tenants() {
        LiveConfig.Snapshot current = live.current();
        List<BudgetStatus> statuses = current.budgets().status(clock.instant());
        ObjectNode root = JSON.createObjectNode();
        ArrayNode tenants = root.putArray("tenants");
        for (TenantConfig tenant : current.config().tenants().list()) {
            ObjectNode node = tenants.addObject();
            node.put("id", tenant.id().value());
            node.put("keys", tenant.keyHashes().size());
            ArrayNode budgets = node.putArray("budgets");
            for (BudgetStatus status : statuses) {
                if (status.budget().tenant().equals(tenant.id())) {
                    ObjectNode budget = budgets.addObject();
                    budget.put("window", status.budget().window().label());
                    budget.put("window_id", status.period().id());
                    budget.put("action", status.budget().action().name().toLowerCase(java.util.Locale.ROOT));
                    budget.put("limit_usd", UsdFormat.nanoToDecimal(status.budget().limitNanoUsd()));
                    budget.put("spend_usd", UsdFormat.nanoToDecimal(status.spentNanoUsd()));
                    budget.put("held_usd", UsdFormat.nanoToDecimal(status.heldNanoUsd()));
                    budget.put("remaining_usd", UsdFormat.nanoToDecimal(status.remainingNanoUsd()));
                    budget.put("resets_at", status.period().end().toString());
                }
            }
        }
        return Response.ok(root.toString());
    }

    private Response request(String id) throws IOException {
        if (ledger == null) {
            return Response.error(HttpResponseStatus.NOT_FOUND, "the ledger is off (ledger.sink: none)");
        }
        if (!ledgerExists()) {
            return Response.error(HttpResponseStatus.NOT_FOUND, "no ledger record " + id + " (the ledger has none yet)");
        }
        try (LedgerReader reader = Ledgers.openReader(ledger, warning -> log.warn("ledger: {}", warning))) {
            Optional<LedgerRecord> record = reader.find(id);
            return record.map(r -> Response.ok(LedgerJson.write(r)))
                    .orElseGet(() -> Response.error(HttpResponseStatus.NOT_FOUND,
                            "no ledger record " + id + " (records reach the ledger within a second of the response)"));
        }
    }

    private Response usage(QueryStringDecoder uri) throws IOException {
        if (ledger == null) {
            return Response.error(HttpResponseStatus.NOT_FOUND, "the ledger is off (ledger.sink: none)");
        }
        String from = parameter(uri, "from");
        String to = parameter(uri, "to");
        if (from == null || to == null) {
            throw new IllegalArgumentException("from and to are required: ISO dates (UTC) or instants, to exclusive");
        }
        if (!ledgerExists()) {
            return Response.ok("[]");
        }
        String groupBy = parameter(uri, "group_by");
        TimeRange range = TimeRange.parse(from, to);
        List<GroupKey> keys = GroupKey.parseList(groupBy == null ? "tenant" : groupBy);
        try (LedgerReader reader = Ledgers.openReader(ledger, warning -> log.warn("ledger: {}", warning))) {
            StringBuilder out = new StringBuilder();
            ReportFormat.JSON.write(UsageReport.of(reader, range, keys), out);
            return Response.ok(out.toString());
        }
    }

    /** Whether the ledger has been written yet: a JSONL ledger has no file before its first record. */
    private boolean ledgerExists() throws IOException {
        return Files.exists(ledger) || !LedgerReader.jsonlFiles(ledger).isEmpty();
    }

    private Response reload() {
        ConfigReloader.Result result = reloader.reload();
        ObjectNode root = JSON.createObjectNode();
        root.put("status", result.applied() ? "reloaded" : "refused");
        root.put(result.applied() ? "message" : "error", result.message());
        root.putPOJO("restart_required", result.restartNeeded());
        root.put("at", Instant.now(clock).toString());
        return new Response(result.applied() ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST, root.toString());
    }

    private static @Nullable String parameter(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A JSON answer. */
    public record Response(HttpResponseStatus status, String json) {

        static Response ok(String json) {
            return new Response(HttpResponseStatus.OK, json);
        }

        static Response error(HttpResponseStatus status, String message) {
            ObjectNode root = JSON.createObjectNode();
            root.put("error", message);
            return new Response(status, root.toString());
        }
    }
}
