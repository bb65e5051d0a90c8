package dev.tollgate.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Every refusal the proxy makes itself, with the status and the error type/code each provider's
 * SDK expects (CONTRACT §6), so that clients raise their usual exceptions.
 */
public enum ProxyError {
    UNAUTHORIZED(HttpResponseStatus.UNAUTHORIZED, "invalid_request_error", "invalid_api_key", "authentication_error"),
    BUDGET_EXCEEDED(HttpResponseStatus.TOO_MANY_REQUESTS, "insufficient_quota", "budget_exceeded", "rate_limit_error"),
    TOO_LARGE(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "invalid_request_error", "request_too_large", "request_too_large"),
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "invalid_request_error", "invalid_request", "invalid_request_error"),
    UNPRICED_MODEL(HttpResponseStatus.BAD_REQUEST, "invalid_request_error", "unpriced_model", "invalid_request_error"),
    NOT_FOUND(HttpResponseStatus.NOT_FOUND, "invalid_request_error", "unknown_route", "not_found_error"),
    BAD_GATEWAY(HttpResponseStatus.BAD_GATEWAY, "server_error", "upstream_unreachable", "api_error"),
    GATEWAY_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "server_error", "upstream_timeout", "timeout_error");

    private final HttpResponseStatus status;
    private final String openAiType;
    private final String openAiCode;
    private final String anthropicType;

    ProxyError(HttpResponseStatus status, String openAiType, String openAiCode, String anthropicType) {
        this.status = status;
        this.openAiType = openAiType;
        this.openAiCode = openAiCode;
        this.anthropicType = anthropicType;
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** OpenAI's shape: {@code {"error":{"message","type","code"}}}. */
    public String openAiBody(String message) {
        return "{\"error\":{\"message\":" + Json.quote(message) + ",\"type\":\"" + openAiType
                + "\",\"param\":null,\"code\":\"" + openAiCode + "\"}}";
    }

    /** Anthropic's shape: {@code {"type":"error","error":{"type","message"}}}. */
    public String anthropicBody(String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + anthropicType + "\",\"message\":"
                + Json.quote(message) + "}}";
    }
}
