package dev.tollgate.server.demo;

import dev.tollgate.server.http.Json;

/** OpenAI's chat completion shapes, whole and streamed. */
final class OpenAiChatFormat implements SimulatedUpstream.StreamFormat {

    private final String model;
    private final boolean includeUsage;

    OpenAiChatFormat(String model, boolean includeUsage) {
        this.model = model;
        this.includeUsage = includeUsage;
    }

    static String whole(String model, SimulatedCompletion c) {
        StringBuilder text = new StringBuilder();
        for (long i = 0; i < c.outputTokens(); i++) {
            text.append(SimulatedCompletion.token(i));
        }
        return "{\"id\":\"chatcmpl-demo\",\"object\":\"chat.completion\",\"created\":0,\"model\":" + Json.quote(model)
                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + Json.quote(text.toString())
                + "},\"finish_reason\":\"stop\"}]," + usage(c) + "}";
    }

    static String embeddings(String model, SimulatedCompletion c) {
        return "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.0123,-0.0456,0.0789]}],"
                + "\"model\":" + Json.quote(model) + ",\"usage\":{\"prompt_tokens\":" + c.inputTokens() + ",\"total_tokens\":"
                + c.inputTokens() + "}}";
    }

    @Override
    public String start(SimulatedCompletion c) {
        return chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null");
    }

    @Override
    public String tokens(String text) {
        return chunk("{\"content\":" + Json.quote(text) + "}", "null");
    }

    @Override
    public String end(SimulatedCompletion c) {
        String end = chunk("{}", "\"stop\"");
        if (includeUsage) {
            end += "data: {\"id\":\"chatcmpl-demo\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":"
                    + Json.quote(model) + ",\"choices\":[]," + usage(c) + "}\n\n";
        }
        return end + "data: [DONE]\n\n";
    }

    private String chunk(String delta, String finishReason) {
        return "data: {\"id\":\"chatcmpl-demo\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":" + Json.quote(model)
                + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]"
                + (includeUsage ? ",\"usage\":null" : "") + "}\n\n";
    }

    private static String usage(SimulatedCompletion c) {
        return "\"usage\":{\"prompt_tokens\":" + c.inputTokens() + ",\"completion_tokens\":" + c.outputTokens()
                + ",\"total_tokens\":" + (c.inputTokens() + c.outputTokens())
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + c.cachedTokens() + "}}";
    }
}
