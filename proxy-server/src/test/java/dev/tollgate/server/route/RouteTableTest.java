package dev.tollgate.server.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.server.config.RouteConfig;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    static final Route OPENAI = route("/openai", ProviderKind.OPENAI, "https://api.openai.com");
    static final Route OPENAI_EU = route("/openai/eu", ProviderKind.OPENAI, "https://eu.api.openai.com/base");
    static final Route LOCAL = route("/local", ProviderKind.OPENAI_COMPATIBLE, "http://127.0.0.1:8000");
    static final Route ROOT = route("/", ProviderKind.OLLAMA, "http://localhost:11434/base");

    final RouteTable table = new RouteTable(List.of(OPENAI, LOCAL, OPENAI_EU));

    @Test
    void theLongestMatchingPrefixWins() {
        assertThat(table.match("/openai/v1/chat/completions")).isSameAs(OPENAI);
        assertThat(table.match("/openai/eu/v1/chat/completions")).isSameAs(OPENAI_EU);
        assertThat(table.match("/local/v1/completions")).isSameAs(LOCAL);
    }

    @Test
    void aPrefixMatchesWholePathSegmentsOnly() {
        assertThat(table.match("/openai")).isSameAs(OPENAI);
        assertThat(table.match("/openai?x=1")).isSameAs(OPENAI);
        assertThat(table.match("/openai/")).isSameAs(OPENAI);
        assertThat(table.match("/openaiX/v1/chat/completions")).isNull();
        assertThat(table.match("/openai/europe/v1/models")).as("not /openai/eu").isSameAs(OPENAI);
        assertThat(table.match("/localhost/v1")).isNull();
    }

    @Test
    void unknownPathsMatchNothing() {
        assertThat(table.match("/")).isNull();
        assertThat(table.match("/nowhere/v1/models")).isNull();
        assertThat(table.match("")).isNull();
        assertThat(table.match("*")).isNull();
        assertThat(table.match("/OPENAI/v1/models")).as("paths are case-sensitive").isNull();
    }

    @Test
    void routesAreListedLongestPrefixFirst() {
        assertThat(table.routes()).containsExactly(OPENAI_EU, OPENAI, LOCAL);
    }

    @Test
    void aRootRouteCatchesEveryPathThatNoOtherRouteTakes() {
        RouteTable withRoot = new RouteTable(List.of(ROOT, OPENAI));

        assertThat(withRoot.match("/openai/v1/chat/completions")).isSameAs(OPENAI);
        assertThat(withRoot.match("/api/chat")).isSameAs(ROOT);
        assertThat(withRoot.match("/")).isSameAs(ROOT);
        assertThat(withRoot.match("/openaiX")).isSameAs(ROOT);
    }

    @Test
    void theUpstreamTargetSwapsThePrefixForTheUpstreamBasePath() {
        assertThat(OPENAI.upstreamTarget("/openai/v1/chat/completions")).isEqualTo("/v1/chat/completions");
        assertThat(OPENAI_EU.upstreamTarget("/openai/eu/v1/models?limit=2")).isEqualTo("/base/v1/models?limit=2");
        assertThat(LOCAL.upstreamTarget("/local/v1/chat/completions")).isEqualTo("/v1/chat/completions");
        assertThat(ROOT.upstreamTarget("/api/chat")).isEqualTo("/base/api/chat");
        assertThat(ROOT.upstreamTarget("/")).isEqualTo("/base/");
    }

    @Test
    void routesResolveHostPortAndTls() {
        assertThat(OPENAI.tls()).isTrue();
        assertThat(OPENAI.port()).isEqualTo(443);
        assertThat(OPENAI.hostHeader()).isEqualTo("api.openai.com");
        assertThat(LOCAL.tls()).isFalse();
        assertThat(LOCAL.port()).isEqualTo(8000);
        assertThat(LOCAL.hostHeader()).isEqualTo("127.0.0.1:8000");
        Route plainHttp = route("/x", ProviderKind.OPENAI, "http://example.com/");
        assertThat(plainHttp.port()).isEqualTo(80);
        assertThat(plainHttp.hostHeader()).isEqualTo("example.com");
        assertThat(plainHttp.basePath()).isEmpty();
    }

    private static Route route(String prefix, ProviderKind provider, String upstream) {
        return Route.of(new RouteConfig(prefix, provider, URI.create(upstream), null, null, true));
    }
}
