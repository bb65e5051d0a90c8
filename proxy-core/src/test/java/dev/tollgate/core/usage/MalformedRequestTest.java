package dev.tollgate.core.usage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bodies the proxy refuses with 400, with a message that is safe to show and quotes nothing. */
class MalformedRequestTest {

    private static final String SECRET = "SECRETPROMPT";

    @ParameterizedTest
    @ValueSource(strings = {
        "C3", "80", "C0 80", "ED A0 80", "F4 90 80 80", "F5 80 80 80", "FF", "E2 82", "F0 9F 98",
    })
    void invalidUtf8InAStringIsRefused(String hex) {
        byte[] bad = Bytes.hex(hex);
        byte[] prefix = ("{\"model\":\"m\",\"messages\":[{\"content\":\"" + SECRET + " ").getBytes(UTF_8);
        byte[] suffix = "\"}]}".getBytes(UTF_8);
        byte[] body = Bytes.concat(prefix, bad, suffix);

        for (int cut = 0; cut <= body.length; cut++) {
            MalformedRequestException e = refuse(body, cut);
            assertThat(e.getMessage()).as("cut %d", cut).contains("UTF-8");
            assertThat(e.byteOffset()).isBetween((long) prefix.length, (long) prefix.length + bad.length);
        }
    }

    @Test
    void invalidUtf8InAFieldNameIsRefused() {
        byte[] body = Bytes.concat("{\"a".getBytes(UTF_8), Bytes.hex("C3 28"), "\":1}".getBytes(UTF_8));

        assertThat(refuse(body, 2).getMessage()).contains("UTF-8");
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"héllo 😀\"}],\"stream\":true,\"n\":1.5e3}"
                .getBytes(UTF_8);
        for (int length = 0; length < body.length; length++) {
            byte[] truncated = java.util.Arrays.copyOf(body, length);
            MalformedRequestException e = refuse(truncated, length / 2);
            assertThat(e.getMessage()).as("length %d", length).isNotBlank();
        }
        assertThat(refuse(java.util.Arrays.copyOf(body, 20), 3).getMessage())
                .isEqualTo("the body ends before the JSON value is complete at byte offset 20");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "hello", "{hello}", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":NaN}", "{\"a\":1}/* c */",
        "{\"a\":01}", "{\"a\":\"tab\there\"}", "{\"a\":[1,]}", "}", "{]",
    })
    void invalidJsonIsRefused(String body) {
        assertThat(refuse(body.getBytes(UTF_8), 1).getMessage()).containsAnyOf("not valid JSON", "after the top-level");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "{}{}", "{} 1", "{} []", "{}\"", "{} null", "{\"a\":1}\n{\"a\":2}\n"})
    void trailingDataIsRefused(String body) {
        assertThat(refuse(body.getBytes(UTF_8), 1).getMessage()).startsWith("unexpected data after the top-level JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"model\":\"m\"}]", "\"s\"", "1", "null", "true"})
    void aTopLevelThatIsNotAnObjectIsRefused(String body) {
        assertThat(refuse(body.getBytes(UTF_8), 1).getMessage()).startsWith("the top-level JSON value must be an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\r\n\t "})
    void anEmptyBodyIsRefused(String body) {
        MalformedRequestException e = refuse(body.getBytes(UTF_8), 0);

        assertThat(e.getMessage()).isEqualTo("the request body is empty");
        assertThat(e.byteOffset()).isEqualTo(-1);
    }

    @Test
    void theOffsetPointsAtTheProblem() {
        assertThat(refuse("{\"a\":1,}".getBytes(UTF_8), 3).byteOffset()).isEqualTo(7);
        assertThat(refuse("{\"é\":1} x".getBytes(UTF_8), 3).byteOffset()).isEqualTo(9);
        assertThat(refuse("  [1]".getBytes(UTF_8), 3).byteOffset()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":" + SECRET + "}", SECRET, "{\"" + SECRET + "\" 1}", "{\"a\":\"" + SECRET + "\"} " + SECRET,
        "{\"a\":\"" + SECRET + "\u0001\"}", "{\"" + SECRET + "\":tru}", "{\"a\":-" + SECRET + "}",
    })
    void messagesNeverQuoteTheBody(String body) {
        MalformedRequestException e = refuse(body.getBytes(UTF_8), 4);

        assertThat(e.getMessage()).doesNotContain("SECRET").doesNotContain("'").doesNotContain("code");
    }

    @Test
    void randomGarbageIsEitherAcceptedOrRefusedButNeverThrowsElsewhere() {
        Random random = new Random(1234);
        byte[] alphabet = "{}[]\":, \n0123456789.eE-truefalsenullstream_optionsmodel\\u00e9".getBytes(UTF_8);
        for (int i = 0; i < 4000; i++) {
            byte[] body = new byte[random.nextInt(60)];
            for (int j = 0; j < body.length; j++) {
                body[j] = random.nextInt(10) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            RequestInspector inspector = RequestInspector.forRequest(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, true);
            for (Framing.Chunk chunk : Framing.chunksOfSize(body, 1 + random.nextInt(8))) {
                inspector.onBytes(chunk.buffer());
            }
            try {
                RequestFacts facts = inspector.finish();
                assertThat(facts).isNotNull();
            } catch (MalformedRequestException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    private static MalformedRequestException refuse(byte[] body, int cut) {
        RequestInspector inspector = RequestInspector.forRequest(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, true);
        for (Framing.Chunk chunk : Framing.chunks(body, Math.min(cut, body.length))) {
            inspector.onBytes(chunk.buffer());
        }
        MalformedRequestException e = catchThrowableOfType(MalformedRequestException.class, inspector::finish);
        assertThat(e).as("refused: %s", new String(body, UTF_8)).isNotNull();
        return e;
    }
}
