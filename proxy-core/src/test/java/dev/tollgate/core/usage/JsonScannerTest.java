package dev.tollgate.core.usage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scanner against Jackson, the parser it replaced on the request path: on random documents,
 * valid and damaged, cut at random places, both must accept the same ones and read the same tokens
 * from them; and what Jackson lets through that is not UTF-8 (encoded surrogates, overlong forms),
 * the scanner refuses.
 */
class JsonScannerTest {

    private static final JsonFactory JACKSON = new JsonFactory();
    private static final String[] NAMES = {
        "model", "usage", "content", "prompt_tokens", "choices", "a", "", "mod\\u0065l", "é", "\\n", "completion_tokens_details",
    };
    private static final String[] STRINGS = {
        "", "gpt-4o", "héllo wörld", "日本語のテキスト", "emoji 😀 here", "quote \\\" backslash \\\\ slash \\/",
        "\\b\\f\\n\\r\\t", "\\u00e9\\u65e5\\ud83d\\ude00", "x".repeat(40), "tab-free but long ".repeat(5),
    };
    private static final String[] NUMBERS = {
        "0", "-0", "7", "-12", "3.25", "-0.5", "1e3", "1E+3", "2e-7", "123456789012345678901234567890", "9223372036854775807",
        "-9223372036854775808", "0.0000001", "6.02214076E23",
    };
    private static final byte[] DAMAGE = "{}[]\":,\\ \n0123456789.eE+-tfnrul\u00e9x".getBytes(UTF_8);

    @Test
    void agreesWithJacksonOnRandomDocumentsCutAnywhere() throws IOException {
        Random random = new Random(20261203L);
        int accepted = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] document = document(random);
            if (round % 2 == 1) {
                document = damage(document, random);
            }
            Outcome scanned = scan(document, randomCuts(document.length, random));
            if (!isUtf8(document)) {
                assertThat(scanned.accepted).as("not UTF-8, accepted: %s", printable(document)).isFalse();
                continue;
            }
            Outcome expected = jackson(document);
            assertThat(scanned.accepted).as("accepted: %s", printable(document)).isEqualTo(expected.accepted);
            if (expected.accepted) {
                assertThat(scanned.tokens).as("tokens of %s", printable(document)).isEqualTo(expected.tokens);
                accepted++;
            }
        }
        assertThat(accepted).as("documents accepted by both").isGreaterThan(10_000);
    }

    @Test
    void everyCutOfOneDocumentReadsTheSameTokens() throws IOException {
        byte[] document = ("{\"model\" : \"gpt-4o\",\"mod\\u0065l\":\"日本😀\",\"n\":[1,-2.5e+3,true,false,null,{}],"
                + "\"s\":\"a\\\"b\\\\c\\u00e9\",\"e\":[]}").getBytes(UTF_8);
        List<String> expected = jackson(document).tokens;
        for (int a = 0; a <= document.length; a++) {
            for (int b = a; b <= document.length; b += 3) {
                assertThat(scan(document, new int[] {a, b}).tokens).as("cut at %d and %d", a, b).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "C3", "80", "BF", "C0 80", "C1 BF", "E0 80 80", "E0 9F BF", "ED A0 80", "ED BF BF", "F0 80 80 80", "F0 8F BF BF",
        "F4 90 80 80", "F5 80 80 80", "FF", "FE", "E2 82", "F0 9F 98", "C3 28", "E2 28 A1", "F0 28 8C BC",
    })
    void refusesEveryKindOfBadUtf8WhereverItIsCut(String hex) {
        byte[] document = Bytes.concat("{\"a\":\"ok ".getBytes(UTF_8), Bytes.hex(hex), " ok\"}".getBytes(UTF_8));
        for (int cut = 0; cut <= document.length; cut++) {
            MalformedJsonException e = refuse(document, cut);
            assertThat(e.problem()).as("cut %d", cut).isEqualTo(MalformedJsonException.Problem.UTF8);
            assertThat(e.byteOffset()).isBetween(9L, 9L + hex.split(" ").length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"C3 A9", "E2 82 AC", "F0 9F 98 80", "F4 8F BF BF", "EF BF BF", "E0 A0 80", "ED 9F BF", "EE 80 80"})
    void acceptsEveryKindOfGoodUtf8WhereverItIsCut(String hex) {
        byte[] document = Bytes.concat("{\"a\":\"".getBytes(UTF_8), Bytes.hex(hex), "\"}".getBytes(UTF_8));
        for (int cut = 0; cut <= document.length; cut++) {
            assertThat(scan(document, new int[] {cut}).accepted).as("cut %d", cut).isTrue();
        }
    }

    @Test
    void reportsBracketOffsetsAndWhetherTheRootClosedOnTheLastByte() throws MalformedJsonException {
        byte[] document = " {\"a\":[1, {\"b\":2}] } ".getBytes(UTF_8);
        List<String> closes = new ArrayList<>();
        JsonScanner[] scanner = new JsonScanner[1];
        scanner[0] = new JsonScanner(new Recorder(new ArrayList<>()) {
            @Override
            public void close(boolean lastByteFed) {
                closes.add(scanner[0].lastByteOffset() + (lastByteFed ? " last" : ""));
            }
        });
        scanner[0].feed(document, 0, 19);
        scanner[0].feed(document, 19, 20);

        assertThat(closes).containsExactly("16", "17", "19 last");
    }

    @Test
    void keepsTheStartOfALongWantedStringAndCountsAllOfIt() throws MalformedJsonException {
        String text = "0123456789".repeat(JsonScanner.CAPTURE_LIMIT / 5);
        byte[] document = ("[\"" + text + "\"]").getBytes(UTF_8);
        List<String> seen = new ArrayList<>();
        JsonScanner scanner = new JsonScanner(new Recorder(new ArrayList<>()) {
            @Override
            public void scalar(JsonValue value) {
                seen.add(value.to() - value.from() + "/" + value.rawLength() + "/" + value.isWhole());
            }
        });
        for (int at = 0; at < document.length; at += 1000) {
            scanner.feed(document, at, Math.min(document.length, at + 1000));
        }

        assertThat(seen).containsExactly(JsonScanner.CAPTURE_LIMIT + "/" + text.length() + "/false");
    }

    @Test
    void aNumberAtTheTopLevelEndsWithTheInput() throws MalformedJsonException {
        List<String> tokens = new ArrayList<>();
        JsonScanner scanner = new JsonScanner(new Recorder(tokens));
        scanner.feed("12".getBytes(UTF_8), 0, 2);
        scanner.feed("34".getBytes(UTF_8), 0, 2);
        assertThat(tokens).isEmpty();

        scanner.endOfInput();

        assertThat(tokens).containsExactly("number 1234");
    }

    @Test
    void limitsNestingAndNumberLength() {
        byte[] deep = "[".repeat(JsonScanner.MAX_DEPTH + 1).getBytes(UTF_8);
        assertThat(refuse(deep, 500).problem()).isEqualTo(MalformedJsonException.Problem.LIMIT);
        assertThat(scan("[".repeat(JsonScanner.MAX_DEPTH).concat("]".repeat(JsonScanner.MAX_DEPTH)).getBytes(UTF_8),
                new int[] {700}).accepted).isTrue();

        byte[] longNumber = ("[" + "1".repeat(JsonScanner.MAX_NUMBER_LENGTH + 1) + "]").getBytes(UTF_8);
        assertThat(refuse(longNumber, 300).problem()).isEqualTo(MalformedJsonException.Problem.LIMIT);
        assertThat(scan(("[" + "1".repeat(JsonScanner.MAX_NUMBER_LENGTH) + "]").getBytes(UTF_8), new int[] {300}).accepted)
                .isTrue();
    }

    @Test
    void errorsNameTheOffendingByte() {
        assertThat(refuse("{\"a\":1,}".getBytes(UTF_8), 3).byteOffset()).isEqualTo(7);
        assertThat(refuse("{\"a\":01}".getBytes(UTF_8), 5).byteOffset()).isEqualTo(6);
        assertThat(refuse("[\"tab\there\"]".getBytes(UTF_8), 2).byteOffset()).isEqualTo(5);
        assertThat(refuse("[tru ]".getBytes(UTF_8), 2).byteOffset()).isEqualTo(4);
        MalformedJsonException truncated = refuse("{\"a\":\"b".getBytes(UTF_8), 3);
        assertThat(truncated.problem()).isEqualTo(MalformedJsonException.Problem.TRUNCATED);
        assertThat(truncated.byteOffset()).isEqualTo(7);
    }

    // --- the two readers ---

    /** What a reader made of a document: accepted as exactly one top-level value, and its tokens. */
    private record Outcome(boolean accepted, List<String> tokens) {}

    private static Outcome scan(byte[] document, int[] cuts) {
        List<String> tokens = new ArrayList<>();
        Recorder recorder = new Recorder(tokens);
        JsonScanner scanner = new JsonScanner(recorder);
        try {
            int from = 0;
            for (int cut : cuts) {
                int to = Math.max(from, Math.min(cut, document.length));
                scanner.feed(document, from, to);
                from = to;
            }
            scanner.feed(document, from, document.length);
            scanner.endOfInput();
        } catch (MalformedJsonException e) {
            assertThat(e.getMessage()).doesNotContain("\"");
            return new Outcome(false, tokens);
        }
        return new Outcome(recorder.roots == 1, tokens);
    }

    private static Outcome jackson(byte[] document) throws IOException {
        List<String> tokens = new ArrayList<>();
        try (JsonParser p = JACKSON.createParser(document)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Outcome(false, tokens);
            }
            int depth = 0;
            do {
                tokens.add(describe(t, p));
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            } while (depth > 0 && (t = p.nextToken()) != null);
            return new Outcome(depth == 0 && p.nextToken() == null, tokens);
        } catch (IOException e) {
            return new Outcome(false, tokens);
        }
    }

    private static String describe(JsonToken t, JsonParser p) throws IOException {
        return switch (t) {
            case START_OBJECT -> "{";
            case END_OBJECT -> "}";
            case START_ARRAY -> "[";
            case END_ARRAY -> "]";
            case FIELD_NAME -> "name " + wellFormed(p.currentName());
            case VALUE_STRING -> "string " + wellFormed(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + p.getText();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> throw new IllegalStateException(t.toString());
        };
    }

    /** Jackson keeps a lone escaped surrogate; the scanner's decoding, UTF-8 throughout, makes it U+FFFD. */
    private static String wellFormed(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /** Records the tokens as {@link #describe} writes Jackson's. */
    private static class Recorder implements JsonTokens {
        private final List<String> tokens;
        private final ArrayDeque<String> open = new ArrayDeque<>();
        int roots;

        Recorder(List<String> tokens) {
            this.tokens = tokens;
        }

        @Override
        public void open(JsonValue value) {
            boolean object = value.kind() == JsonValue.Kind.OBJECT;
            tokens.add(object ? "{" : "[");
            open.push(object ? "}" : "]");
        }

        @Override
        public void close(boolean lastByteFed) {
            tokens.add(open.pop());
            if (open.isEmpty()) {
                roots++;
            }
        }

        @Override
        public void name(JsonValue name) {
            tokens.add("name " + name.text());
        }

        @Override
        public void scalar(JsonValue value) {
            if (open.isEmpty()) {
                roots++;
            }
            tokens.add(switch (value.kind()) {
                case STRING -> "string " + value.text();
                case NUMBER -> "number " + new String(value.bytes(), value.from(), value.to() - value.from(), UTF_8);
                case TRUE -> "true";
                case FALSE -> "false";
                case NULL -> "null";
                default -> throw new IllegalStateException(value.kind().toString());
            });
        }

        @Override
        public boolean wantsNextValue() {
            return true;
        }
    }

    // --- documents ---

    private static byte[] document(Random random) {
        StringBuilder out = new StringBuilder();
        if (random.nextInt(10) == 0) {
            value(out, random, 0);
        } else {
            object(out, random, 0);
        }
        space(out, random);
        return out.toString().getBytes(UTF_8);
    }

    private static void value(StringBuilder out, Random random, int depth) {
        space(out, random);
        int kind = random.nextInt(depth > 4 ? 5 : 7);
        switch (kind) {
            case 0 -> out.append('"').append(STRINGS[random.nextInt(STRINGS.length)]).append('"');
            case 1 -> out.append(NUMBERS[random.nextInt(NUMBERS.length)]);
            case 2 -> out.append("true");
            case 3 -> out.append("false");
            case 4 -> out.append("null");
            case 5 -> object(out, random, depth + 1);
            default -> {
                out.append('[');
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(out, random, depth + 1);
                }
                space(out, random);
                out.append(']');
            }
        }
        space(out, random);
    }

    private static void object(StringBuilder out, Random random, int depth) {
        space(out, random);
        out.append('{');
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            space(out, random);
            out.append('"').append(NAMES[random.nextInt(NAMES.length)]).append('"');
            space(out, random);
            out.append(':');
            value(out, random, depth + 1);
        }
        space(out, random);
        out.append('}');
    }

    private static void space(StringBuilder out, Random random) {
        if (random.nextInt(4) == 0) {
            out.append(" \n\r\t".charAt(random.nextInt(4)));
        }
    }

    private static byte[] damage(byte[] document, Random random) {
        byte[] bytes = document.clone();
        int damages = 1 + random.nextInt(3);
        for (int d = 0; d < damages && bytes.length > 0; d++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(4)) {
                case 0 -> bytes[at] = DAMAGE[random.nextInt(DAMAGE.length)];
                case 1 -> bytes[at] = (byte) random.nextInt(256);
                case 2 -> bytes = Arrays.copyOf(bytes, at);
                default -> bytes = Bytes.concat(Arrays.copyOf(bytes, at), new byte[] {DAMAGE[random.nextInt(DAMAGE.length)]},
                        Arrays.copyOfRange(bytes, at, bytes.length));
            }
        }
        return bytes;
    }

    private static int[] randomCuts(int length, Random random) {
        int[] cuts = new int[random.nextInt(6)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = random.nextInt(length + 1);
        }
        Arrays.sort(cuts);
        return cuts;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static MalformedJsonException refuse(byte[] document, int cut) {
        JsonScanner scanner = new JsonScanner(new Recorder(new ArrayList<>()));
        MalformedJsonException e = catchThrowableOfType(MalformedJsonException.class, () -> {
            int at = Math.min(cut, document.length);
            scanner.feed(document, 0, at);
            scanner.feed(document, at, document.length);
            scanner.endOfInput();
        });
        assertThat(e).as("refused: %s", printable(document)).isNotNull();
        return e;
    }

    private static String printable(byte[] document) {
        return new String(document, UTF_8).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
}
