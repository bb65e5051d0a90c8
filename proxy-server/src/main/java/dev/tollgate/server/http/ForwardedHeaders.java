package dev.tollgate.server.http;

import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.KeyHash;
import dev.tollgate.server.route.Route;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites message heads as they cross the proxy, in either direction. The headers are edited in
 * place, not copied: the proxy owns the heads its codecs decoded, and a caller must read anything it
 * needs from the old head (such as its keep-alive) before handing it over.
 */
public final class ForwardedHeaders {

    private static final String X_API_KEY = "x-api-key";

    private ForwardedHeaders() {}

    /**
     * The head to send upstream: hop-by-hop and Tollgate headers removed, {@code Host} rewritten,
     * the body re-framed with {@code Content-Length}, and the credential chosen as CONTRACT §6 says.
     * The returned head shares {@code client}'s headers, which this edits; its method and target are
     * left as they were.
     *
     * @param replaceCredential true in virtual-key mode: the client's credential is dropped and
     *                          the route's key injected; otherwise the route's key is injected only
     *                          when the client sent none. A Tollgate virtual key is dropped in any
     *                          mode: it means nothing to a provider and must never reach one.
     */
    public static HttpRequest upstreamRequest(HttpRequest client, Route route, int bodyLength, boolean replaceCredential) {
        HttpHeaders headers = client.headers();
        HopByHopHeaders.strip(headers);
        removeTollgateHeaders(headers);
        headers.remove(HttpHeaderNames.EXPECT);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.set(HttpHeaderNames.HOST, route.hostHeader());
        if (bodyLength > 0 || headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, bodyLength);
        }
        // Usage must stay readable on this hop; LLM responses gain little from compression.
        headers.set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
        replaceCredential |= carriesVirtualKey(headers);
        boolean clientHasCredential = headers.contains(HttpHeaderNames.AUTHORIZATION) || headers.contains(X_API_KEY);
        if (replaceCredential) {
            headers.remove(HttpHeaderNames.AUTHORIZATION);
            headers.remove(X_API_KEY);
        }
        String key = route.apiKey();
        if (key != null && (replaceCredential || !clientHasCredential)) {
            if (route.provider() == ProviderKind.ANTHROPIC) {
                headers.set(X_API_KEY, key);
            } else {
                headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + key);
            }
        }
        // Not validated again: the decoder accepted the client's target, and the route's base path
        // was checked when the configuration loaded.
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, client.method(), route.upstreamTarget(client.uri()), headers,
                false);
    }

    /**
     * The head to send the client: hop-by-hop headers removed, the request id added, keep-alive as
     * the client asked. With {@code reframe}, the body's length will change (a chunk is removed), so
     * it goes out chunked. The returned head shares {@code upstream}'s headers, which this edits.
     */
    public static HttpResponse clientResponse(HttpResponse upstream, String requestId, boolean clientKeepAlive, boolean reframe) {
        boolean sized = HttpUtil.isContentLengthSet(upstream); // as the upstream sent it, before any removal
        HttpHeaders headers = upstream.headers();
        HopByHopHeaders.strip(headers);
        headers.set(TollgateHeaders.REQUEST_ID, requestId);
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, upstream.status(), headers);
        int code = upstream.status().code();
        boolean bodiless = code < 200 || code == 204 || code == 304;
        if (!bodiless && (reframe || !sized)) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        HttpUtil.setKeepAlive(response, clientKeepAlive);
        return response;
    }

    private static boolean carriesVirtualKey(HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION, "");
        String apiKey = headers.get(X_API_KEY, "");
        return authorization.regionMatches(true, 0, "Bearer " + KeyHash.KEY_PREFIX, 0, 7 + KeyHash.KEY_PREFIX.length())
                || apiKey.trim().startsWith(KeyHash.KEY_PREFIX);
    }

    /**
     * Removes every {@code X-Tollgate-*} header, one name at a time: the headers' iterator cannot
     * remove, and collecting the names first would allocate on every request that has one.
     */
    private static void removeTollgateHeaders(HttpHeaders headers) {
        CharSequence name;
        while ((name = firstTollgateHeader(headers)) != null) {
            headers.remove(name);
        }
    }

    private static @Nullable CharSequence firstTollgateHeader(HttpHeaders headers) {
        Iterator<Map.Entry<CharSequence, CharSequence>> all = headers.iteratorCharSequence(); // names as decoded, no String copies
        while (all.hasNext()) {
            CharSequence name = all.next().getKey();
            if (AsciiString.regionMatches(name, true, 0, TollgateHeaders.PREFIX, 0, TollgateHeaders.PREFIX.length())) {
                return name;
            }
        }
        return null;
    }
}
