package dev.tollgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.server.config.RouteConfig;
import dev.tollgate.server.route.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

    static final String ROUTE_KEY = "sk-route-secret";
    static final String VIRTUAL_KEY = "tg-acme-0123456789";

    static final Route OPENAI = route("/openai", ProviderKind.OPENAI, "https://api.openai.com", ROUTE_KEY);
    static final Route ANTHROPIC = route("/anthropic", ProviderKind.ANTHROPIC, "https://api.anthropic.com", ROUTE_KEY);
    static final Route LOCAL = route("/local", ProviderKind.OPENAI_COMPATIBLE, "http://127.0.0.1:8000/base", null);

    @Test
    void hopByHopHeadersAndTheHeadersConnectionNamesAreRemoved() {
        HttpRequest client = request("/openai/v1/chat/completions",
                "Connection", "keep-alive, X-Per-Hop",
                "Connection", "x-second-hop",
                "Keep-Alive", "timeout=5",
                "Proxy-Authorization", "Basic Zm9vOmJhcg==",
                "Proxy-Connection", "keep-alive",
                "TE", "trailers",
                "Trailer", "X-Checksum",
                "Upgrade", "h2c",
                "X-Per-Hop", "hop",
                "X-Second-Hop", "hop",
                "OpenAI-Organization", "org-1",
                "User-Agent", "OpenAI/Java 4.0");

        HttpHeaders out = ForwardedHeaders.upstreamRequest(client, OPENAI, 2, false).headers();

        assertThat(out.names()).map(String::toLowerCase).doesNotContain("connection", "keep-alive", "proxy-authorization",
                "proxy-connection", "te", "trailer", "upgrade", "x-per-hop", "x-second-hop");
        assertThat(out.get("OpenAI-Organization")).isEqualTo("org-1");
        assertThat(out.get("User-Agent")).isEqualTo("OpenAI/Java 4.0");
    }

    @Test
    void tollgateHeadersAreNeverForwardedWhateverTheirCase() {
        HttpRequest client = request("/openai/v1/chat/completions",
                "X-Tollgate-Tenant", "acme",
                "x-tollgate-tags", "feature=search",
                "X-TOLLGATE-REQUEST-ID", "01J0000000000000000000000",
                "X-Tollgate-Anything-New", "1",
                "X-Tollgateway", "not ours, but shares no prefix dash");

        HttpHeaders out = ForwardedHeaders.upstreamRequest(client, OPENAI, 2, false).headers();

        assertThat(out.names()).noneMatch(n -> n.toLowerCase().startsWith("x-tollgate-"));
        assertThat(out.get("X-Tollgateway")).isEqualTo("not ours, but shares no prefix dash");
    }

    @Test
    void hostTargetFramingAndEncodingAreRewritten() {
        HttpRequest client = request("/local/v1/chat/completions?trace=1",
                "Host", "proxy.internal:8080",
                "Transfer-Encoding", "chunked",
                "Expect", "100-continue",
                "Accept-Encoding", "gzip, br");

        HttpRequest out = ForwardedHeaders.upstreamRequest(client, LOCAL, 42, false);

        assertThat(out.uri()).isEqualTo("/base/v1/chat/completions?trace=1");
        assertThat(out.method()).isEqualTo(HttpMethod.POST);
        assertThat(out.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(out.headers().get("Host")).isEqualTo("127.0.0.1:8000");
        assertThat(out.headers().get("Content-Length")).isEqualTo("42");
        assertThat(out.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(out.headers().contains("Expect")).isFalse();
        assertThat(out.headers().get("Accept-Encoding")).isEqualTo("identity");

        HttpRequest openAi = ForwardedHeaders.upstreamRequest(request("/openai/v1/models"), OPENAI, 0, false);
        assertThat(openAi.headers().get("Host")).as("default port left out").isEqualTo("api.openai.com");
        assertThat(openAi.uri()).isEqualTo("/v1/models");
        assertThat(openAi.headers().contains("Content-Length")).as("no body, no length invented").isFalse();
    }

    @Test
    void virtualKeyModeReplacesTheClientCredentialWithTheRouteKey() {
        HttpRequest client = request("/openai/v1/chat/completions",
                "Authorization", "Bearer " + VIRTUAL_KEY, "x-api-key", VIRTUAL_KEY);

        HttpHeaders out = ForwardedHeaders.upstreamRequest(client, OPENAI, 2, true).headers();

        assertThat(out.getAll("Authorization")).containsExactly("Bearer " + ROUTE_KEY);
        assertThat(out.contains("x-api-key")).isFalse();
        assertThat(out.toString()).doesNotContain(VIRTUAL_KEY);
    }

    @Test
    void anthropicGetsTheRouteKeyAsXApiKey() {
        HttpRequest client = request("/anthropic/v1/messages",
                "x-api-key", VIRTUAL_KEY, "Authorization", "Bearer " + VIRTUAL_KEY, "anthropic-version", "2023-06-01");

        HttpHeaders out = ForwardedHeaders.upstreamRequest(client, ANTHROPIC, 2, true).headers();

        assertThat(out.getAll("x-api-key")).containsExactly(ROUTE_KEY);
        assertThat(out.contains("Authorization")).isFalse();
        assertThat(out.get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(out.toString()).doesNotContain(VIRTUAL_KEY);
    }

    @Test
    void virtualKeyModeWithoutARouteKeyForwardsNoCredentialAtAll() {
        HttpRequest client = request("/local/v1/chat/completions", "Authorization", "Bearer " + VIRTUAL_KEY);

        HttpHeaders out = ForwardedHeaders.upstreamRequest(client, LOCAL, 2, true).headers();

        assertThat(out.contains("Authorization")).isFalse();
        assertThat(out.contains("x-api-key")).isFalse();
    }

    @Test
    void headerModePassesTheClientsOwnCredentialUnchanged() {
        HttpHeaders openAi = ForwardedHeaders.upstreamRequest(
                request("/openai/v1/chat/completions", "Authorization", "Bearer sk-client-own"), OPENAI, 2, false).headers();
        assertThat(openAi.getAll("Authorization")).containsExactly("Bearer sk-client-own");

        HttpHeaders anthropic = ForwardedHeaders.upstreamRequest(
                request("/anthropic/v1/messages", "x-api-key", "sk-ant-client-own"), ANTHROPIC, 2, false).headers();
        assertThat(anthropic.getAll("x-api-key")).containsExactly("sk-ant-client-own");
        assertThat(anthropic.contains("Authorization")).as("nothing injected beside the client's key").isFalse();

        HttpHeaders anthropicBearer = ForwardedHeaders.upstreamRequest(
                request("/anthropic/v1/messages", "Authorization", "Bearer sk-ant-oauth"), ANTHROPIC, 2, false).headers();
        assertThat(anthropicBearer.getAll("Authorization")).containsExactly("Bearer sk-ant-oauth");
        assertThat(anthropicBearer.contains("x-api-key")).isFalse();
    }

    @Test
    void headerModeInjectsTheRouteKeyOnlyWhenTheClientSentNone() {
        HttpHeaders openAi = ForwardedHeaders.upstreamRequest(request("/openai/v1/chat/completions"), OPENAI, 2, false).headers();
        assertThat(openAi.getAll("Authorization")).containsExactly("Bearer " + ROUTE_KEY);
        assertThat(openAi.contains("x-api-key")).isFalse();

        HttpHeaders anthropic = ForwardedHeaders.upstreamRequest(request("/anthropic/v1/messages"), ANTHROPIC, 2, false).headers();
        assertThat(anthropic.getAll("x-api-key")).containsExactly(ROUTE_KEY);
        assertThat(anthropic.contains("Authorization")).isFalse();

        HttpHeaders local = ForwardedHeaders.upstreamRequest(request("/local/v1/chat/completions"), LOCAL, 2, false).headers();
        assertThat(local.contains("Authorization")).isFalse();
    }

    @Test
    void aVirtualKeyNeverReachesTheUpstreamInAnyMode() {
        HttpHeaders bearer = ForwardedHeaders.upstreamRequest(
                request("/openai/v1/chat/completions", "Authorization", "Bearer tg-some-key"), OPENAI, 2, false).headers();
        assertThat(bearer.getAll("Authorization")).containsExactly("Bearer " + ROUTE_KEY);

        HttpHeaders apiKey = ForwardedHeaders.upstreamRequest(
                request("/local/v1/chat/completions", "x-api-key", "tg-some-key"), LOCAL, 2, false).headers();
        assertThat(apiKey.contains("x-api-key")).isFalse();
        assertThat(apiKey.contains("Authorization")).as("the local route has no key to inject").isFalse();
    }

    @Test
    void theClientHeadsHeadersAreEditedInPlaceAndItsTargetKept() {
        HttpRequest client = request("/openai/v1/chat/completions", "Authorization", "Bearer " + VIRTUAL_KEY,
                "Connection", "keep-alive", "X-Tollgate-Tenant", "acme");

        HttpRequest out = ForwardedHeaders.upstreamRequest(client, OPENAI, 2, true);

        assertThat(out.headers()).as("no copy per request").isSameAs(client.headers());
        assertThat(client.headers().toString()).doesNotContain(VIRTUAL_KEY, "acme", "keep-alive");
        assertThat(client.uri()).isEqualTo("/openai/v1/chat/completions");
        assertThat(out.uri()).isEqualTo("/v1/chat/completions");
    }

    @Test
    void aDecodedRequestGoesUpstreamWithoutHopByHopOrTollgateHeadersAndWithItsOwnHost() {
        HttpRequest client = decodeRequest("POST /openai/v1/chat/completions HTTP/1.1\r\n"
                + "Host: proxy.internal:8080\r\n"
                + "User-Agent: OpenAI/Python 1.60.0\r\n"
                + "Connection: keep-alive, X-Trace-Hop\r\n"
                + "X-Trace-Hop: 1\r\n"
                + "Authorization: Bearer " + VIRTUAL_KEY + "\r\n"
                + "X-Tollgate-Tags: feature=search\r\n"
                + "Content-Type: application/json\r\n"
                + "x-tollgate-tenant: acme\r\n"
                + "Accept: application/json\r\n"
                + "Content-Length: 2\r\n"
                + "\r\n");

        String wire = encodeRequest(ForwardedHeaders.upstreamRequest(client, OPENAI, 2, true));

        assertThat(wire).isEqualTo("POST /v1/chat/completions HTTP/1.1\r\n"
                + "User-Agent: OpenAI/Python 1.60.0\r\n"
                + "Content-Type: application/json\r\n"
                + "Accept: application/json\r\n"
                + "host: api.openai.com\r\n"
                + "content-length: 2\r\n"
                + "accept-encoding: identity\r\n"
                + "authorization: Bearer " + ROUTE_KEY + "\r\n"
                + "\r\n");
    }

    @Test
    void aDecodedResponseGoesToTheClientWithoutHopByHopHeadersAndWithTheRequestId() {
        HttpResponse upstream = decodeResponse("HTTP/1.1 200 OK\r\n"
                + "Date: Fri, 27 Nov 2026 12:00:00 GMT\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: 17\r\n"
                + "Connection: keep-alive\r\n"
                + "Keep-Alive: timeout=60\r\n"
                + "openai-processing-ms: 120\r\n"
                + "\r\n");

        String wire = encodeResponse(ForwardedHeaders.clientResponse(upstream, "01JREQUESTID0000000000000", true, false));

        assertThat(wire).isEqualTo("HTTP/1.1 200 OK\r\n"
                + "Date: Fri, 27 Nov 2026 12:00:00 GMT\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: 17\r\n"
                + "openai-processing-ms: 120\r\n"
                + "X-Tollgate-Request-Id: 01JREQUESTID0000000000000\r\n"
                + "\r\n");
    }

    @Test
    void aConnectionHeaderWithoutExtraNamesRemovesNothingElse() {
        HttpResponse upstream = response(HttpResponseStatus.OK, "Content-Length", "2", "Connection", "Keep-Alive ,, close",
                "close", "not a real header, still named", "Keep-Alive", "timeout=5", "X-Kept", "1");

        HttpHeaders out = ForwardedHeaders.clientResponse(upstream, "id", true, false).headers();

        assertThat(out.names()).map(String::toLowerCase).containsExactly("content-length", "x-kept", "x-tollgate-request-id");
    }

    @Test
    void clientResponseDropsHopByHopAndCarriesTheRequestId() {
        HttpResponse upstream = response(HttpResponseStatus.OK,
                "Content-Type", "application/json", "Content-Length", "17",
                "Connection", "keep-alive, X-Upstream-Hop", "Keep-Alive", "timeout=60", "X-Upstream-Hop", "1",
                "openai-processing-ms", "120", "x-ratelimit-remaining-requests", "99");

        HttpResponse out = ForwardedHeaders.clientResponse(upstream, "01JREQUESTID0000000000000", true, false);

        assertThat(out.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(out.headers().get("X-Tollgate-Request-Id")).isEqualTo("01JREQUESTID0000000000000");
        assertThat(out.headers().get("Content-Length")).isEqualTo("17");
        assertThat(out.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(out.headers().names()).map(String::toLowerCase).doesNotContain("connection", "keep-alive", "x-upstream-hop");
        assertThat(out.headers().get("openai-processing-ms")).isEqualTo("120");
        assertThat(out.headers().get("x-ratelimit-remaining-requests")).isEqualTo("99");
    }

    @Test
    void clientResponseFollowsTheClientsKeepAliveNotTheUpstreams() {
        HttpResponse upstreamClose = response(HttpResponseStatus.OK, "Content-Length", "2", "Connection", "close");
        assertThat(ForwardedHeaders.clientResponse(upstreamClose, "id", true, false).headers().contains("Connection"))
                .as("HTTP/1.1 keep-alive is the default: no header").isFalse();

        HttpResponse upstreamKeepAlive = response(HttpResponseStatus.OK, "Content-Length", "2");
        assertThat(ForwardedHeaders.clientResponse(upstreamKeepAlive, "id", false, false).headers().get("Connection"))
                .isEqualTo("close");
    }

    @Test
    void aReframedOrUnsizedBodyGoesOutChunked() {
        HttpResponse sized = response(HttpResponseStatus.OK, "Content-Type", "text/event-stream", "Content-Length", "500");
        HttpResponse reframed = ForwardedHeaders.clientResponse(sized, "id", true, true);
        assertThat(reframed.headers().contains("Content-Length")).isFalse();
        assertThat(reframed.headers().get("Transfer-Encoding")).isEqualTo("chunked");

        HttpResponse unsized = response(HttpResponseStatus.OK, "Content-Type", "text/event-stream", "Transfer-Encoding", "chunked");
        assertThat(ForwardedHeaders.clientResponse(unsized, "id", true, false).headers().get("Transfer-Encoding"))
                .isEqualTo("chunked");

        HttpResponse noContent = response(HttpResponseStatus.NO_CONTENT);
        assertThat(ForwardedHeaders.clientResponse(noContent, "id", true, true).headers().contains("Transfer-Encoding"))
                .as("a 204 has no body to frame").isFalse();
    }

    private static HttpRequest decodeRequest(String head) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder());
        channel.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
        HttpRequest request = channel.readInbound();
        channel.finishAndReleaseAll();
        return request;
    }

    private static HttpResponse decodeResponse(String head) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseDecoder());
        channel.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
        HttpResponse response = channel.readInbound();
        channel.finishAndReleaseAll();
        return response;
    }

    private static String encodeRequest(HttpRequest head) {
        return encode(new EmbeddedChannel(new HttpRequestEncoder()), head);
    }

    private static String encodeResponse(HttpResponse head) {
        return encode(new EmbeddedChannel(new HttpResponseEncoder()), head);
    }

    private static String encode(EmbeddedChannel channel, Object head) {
        channel.writeOutbound(head);
        ByteBuf bytes = channel.readOutbound();
        try {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        } finally {
            bytes.release();
            channel.finishAndReleaseAll();
        }
    }

    private static Route route(String prefix, ProviderKind provider, String upstream, String apiKey) {
        return Route.of(new RouteConfig(prefix, provider, URI.create(upstream), apiKey, null, true));
    }

    private static HttpRequest request(String uri, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static HttpResponse response(HttpResponseStatus status, String... headers) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        for (int i = 0; i < headers.length; i += 2) {
            response.headers().add(headers[i], headers[i + 1]);
        }
        return response;
    }
}
