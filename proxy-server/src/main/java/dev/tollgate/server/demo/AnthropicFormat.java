package dev.tollgate.server.demo;

import dev.tollgate.server.http.Json;

/** Anthropic's message shapes, whole and streamed. */
final class AnthropicFormat implements SimulatedUpstream.StreamFormat {

    private final String model;

    AnthropicFormat(String model) {
        this.model = model;
    }

    static String whole(String model, SimulatedCompletion c) {
        StringBuilder text = new StringBuilder();
        for (long i = 0; i < c.outputTokens(); i++) {
            text.append(SimulatedCompletion.token(i));
        }
        return "{\"id\":\"msg_demo\",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + Json.quote(model)
                + ",\"content\":[{\"type\":\"text\",\"text\":" + Json.quote(text.toString()) + "}],\"stop_reason\":\"end_turn\","
                + "\"usage\":" + usage(c, c.outputTokens()) + "}";
    }

    @Override
    public String start(SimulatedCompletion c) {
        return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_demo\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":" + Json.quote(model) + ",\"content\":[],\"usage\":" + usage(c, 1) + "}}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    }

    @Override
    public String tokens(String text) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":" + Json.quote(text) + "}}");
    }

    @Override
    public String end(SimulatedCompletion c) {
        return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":"
                        + usage(c, c.outputTokens()) + "}")
                + event("message_stop", "{\"type\":\"message_stop\"}");
    }

    /** Cached tokens are reported as cache reads; the first quarter of those requests also wrote the cache. */
    private static String usage(SimulatedCompletion c, long outputTokens) {
        long uncached = c.inputTokens() - c.cachedTokens();
        return "{\"input_tokens\":" + uncached + ",\"cache_read_input_tokens\":" + c.cachedTokens()
                + ",\"cache_creation_input_tokens\":0,\"output_tokens\":" + outputTokens + "}";
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }
}
