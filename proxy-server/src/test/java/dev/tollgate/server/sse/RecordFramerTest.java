package dev.tollgate.server.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.server.testing.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The framer must find the same records, and forward the same bytes, however the body is cut into
 * chunks; forward only whole records in filtering mode; and leave no buffer unreleased.
 */
class RecordFramerTest {

    /** An OpenAI chat stream as the proxy sees it after injecting include_usage, plus a comment event. */
    static final String SSE = """
            data: {"id":"c1","choices":[{"delta":{"role":"assistant","content":"Hé"}}],"usage":null}

            : keep-alive

            event: message
            data: {"id":"c1","choices":[{"delta":{"content":"llo — ünïcode"}}],"usage":null}

            data: {"id":"c1","choices":[{"delta":{},"finish_reason":"stop"}],"usage":null}

            data: {"id":"c1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}

            data: [DONE]

            """;
    static final String USAGE_EVENT = "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\n";
    static final List<String> SSE_RECORDS = List.of(
            "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"Hé\"}}],\"usage\":null}",
            ": keep-alive",
            "event: message\ndata: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"llo — ünïcode\"}}],\"usage\":null}",
            "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}",
            "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}",
            "data: [DONE]");

    static final String NDJSON = """
            {"model":"llama3.2","message":{"role":"assistant","content":"The"},"done":false}
            {"model":"llama3.2","message":{"role":"assistant","content":" sky — blue"},"done":false}
            {"model":"llama3.2","message":{"role":"assistant","content":""},"done":true,"prompt_eval_count":26,"eval_count":282}
            """;
    static final List<String> NDJSON_RECORDS = List.of(NDJSON.split("\n"));

    static final Predicate<String> KEEP_ALL = r -> true;
    static final Predicate<String> DROP_USAGE_ONLY = r -> !r.contains("\"choices\":[]");

    @Test
    void sseRecordsAreTheSameAtEverySplitPoint() {
        byte[] body = SSE.getBytes(UTF_8);
        List<String> whole = observe(true, body, new int[0]).records;
        assertThat(trimmed(whole)).containsExactlyElementsOf(SSE_RECORDS);

        for (int cut = 0; cut <= body.length; cut++) {
            Run run = observe(true, body, new int[] {cut});
            assertThat(run.records).as("records with a cut at byte %d", cut).isEqualTo(whole);
            run.assertReleased();
        }
    }

    @Test
    void sseFilteringDropsExactlyTheUsageOnlyEventAtEverySplitPoint() {
        byte[] body = SSE.getBytes(UTF_8);
        String expected = SSE.replace(USAGE_EVENT, "");
        assertThat(expected).isNotEqualTo(SSE);

        for (int cut = 0; cut <= body.length; cut++) {
            Run run = filter(true, body, new int[] {cut}, DROP_USAGE_ONLY, "\n\n");
            assertThat(run.forwarded()).as("forwarded with a cut at byte %d", cut).isEqualTo(expected);
            assertThat(trimmed(run.records)).containsExactlyElementsOf(SSE_RECORDS);
            run.assertReleased();
        }
    }

    @Test
    void sseByteByByteAndRandomFragments() {
        byte[] body = SSE.getBytes(UTF_8);
        String expected = SSE.replace(USAGE_EVENT, "");
        int[] everyByte = new int[body.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        Run single = filter(true, body, everyByte, DROP_USAGE_ONLY, "\n\n");
        assertThat(single.forwarded()).isEqualTo(expected);
        single.assertReleased();

        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            int[] cuts = randomCuts(random, body.length, 1 + random.nextInt(40));
            Run run = filter(true, body, cuts, DROP_USAGE_ONLY, "\n\n");
            assertThat(run.forwarded()).as("fragmentation %d", i).isEqualTo(expected);
            assertThat(trimmed(run.records)).containsExactlyElementsOf(SSE_RECORDS);
            run.assertReleased();
        }
    }

    @Test
    void crlfEventsAreFramedLikeLfEventsAtEverySplitPoint() {
        String crlf = SSE.replace("\n", "\r\n");
        byte[] body = crlf.getBytes(UTF_8);
        String expected = crlf.replace(USAGE_EVENT.replace("\n", "\r\n"), "");
        assertThat(expected).isNotEqualTo(crlf);

        for (int cut = 0; cut <= body.length; cut++) {
            Run observed = observe(true, body, new int[] {cut});
            assertThat(trimmed(observed.records)).as("cut at %d", cut)
                    .containsExactlyElementsOf(SSE_RECORDS.stream().map(r -> r.replace("\n", "\r\n")).toList());
            observed.assertReleased();

            Run filtered = filter(true, body, new int[] {cut}, DROP_USAGE_ONLY, "\r\n\r\n");
            assertThat(filtered.forwarded()).as("cut at %d", cut).isEqualTo(expected);
            filtered.assertReleased();
        }
    }

    @Test
    void aCrAndItsLfInDifferentChunksStillEndTheEvent() {
        byte[] body = "data: a\r\n\r\ndata: b\r\n\r\n".getBytes(UTF_8);
        // Cut right between every '\r' and its '\n', all at once.
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\r') {
                cuts.add(i + 1);
            }
        }
        Run run = filter(true, body, cuts.stream().mapToInt(Integer::intValue).toArray(), KEEP_ALL, "\r\n\r\n");
        assertThat(trimmed(run.records)).containsExactly("data: a", "data: b");
        assertThat(run.forwarded()).isEqualTo(new String(body, UTF_8));
        run.assertReleased();
    }

    @Test
    void ndjsonLinesAtEverySplitPointInBothModes() {
        byte[] body = NDJSON.getBytes(UTF_8);
        String withoutSecond = NDJSON.replace(NDJSON_RECORDS.get(1) + "\n", "");
        for (int cut = 0; cut <= body.length; cut++) {
            Run observed = observe(false, body, new int[] {cut});
            assertThat(trimmed(observed.records)).as("cut at %d", cut).containsExactlyElementsOf(NDJSON_RECORDS);
            observed.assertReleased();

            Run filtered = filter(false, body, new int[] {cut}, r -> !r.contains("sky"), "\n");
            assertThat(filtered.forwarded()).as("cut at %d", cut).isEqualTo(withoutSecond);
            filtered.assertReleased();
        }
        Random random = new Random(11);
        for (int i = 0; i < 200; i++) {
            Run run = filter(false, body, randomCuts(random, body.length, 1 + random.nextInt(30)), KEEP_ALL, "\n");
            assertThat(run.forwarded()).isEqualTo(NDJSON);
            run.assertReleased();
        }
    }

    @Test
    void ndjsonBlankLinesAndCrlfAreNotRecords() {
        String body = "\r\n{\"a\":1}\r\n\n{\"b\":2}\r\n";
        Run run = filter(false, body.getBytes(UTF_8), new int[] {3, 11}, KEEP_ALL, "\n");
        assertThat(trimmed(run.records)).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(run.forwarded()).isEqualTo(body);
        run.assertReleased();
    }

    @Test
    void aLastRecordWithoutTerminatorIsStillARecord() {
        String sse = "data: {\"x\":1}\n\ndata: [DONE]";
        for (int cut = 0; cut <= sse.length(); cut++) {
            Run run = filter(true, sse.getBytes(UTF_8), new int[] {cut}, KEEP_ALL, null);
            assertThat(trimmed(run.records)).containsExactly("data: {\"x\":1}", "data: [DONE]");
            assertThat(run.forwarded()).isEqualTo(sse);
            run.assertReleased();
        }
        String ndjson = "{\"a\":1}\n{\"done\":true}";
        Run run = observe(false, ndjson.getBytes(UTF_8), new int[] {12});
        assertThat(run.records).containsExactly("{\"a\":1}", "{\"done\":true}");
        run.assertReleased();
    }

    @Test
    void aDroppedUnterminatedLastRecordIsNotForwarded() {
        String sse = "data: keep\n\ndata: drop";
        Run run = filter(true, sse.getBytes(UTF_8), new int[] {15}, r -> !r.contains("drop"), null);
        assertThat(run.forwarded()).isEqualTo("data: keep\n\n");
        run.assertReleased();
    }

    @Test
    void extraBlankLinesAreForwardedButNeverHandedToTheSink() {
        String sse = "\n\ndata: a\n\n\n\ndata: b\n\n\n";
        for (int cut = 0; cut <= sse.length(); cut++) {
            Run run = filter(true, sse.getBytes(UTF_8), new int[] {cut}, KEEP_ALL, null);
            assertThat(trimmed(run.records)).as("cut at %d", cut).containsExactly("data: a", "data: b");
            assertThat(run.forwarded()).isEqualTo(sse);
            run.assertReleased();
        }
    }

    @Test
    void anOversizedRecordIsForwardedUnreadAndTheFramerRecovers() {
        String big = "data: {\"choices\":[{\"delta\":{\"content\":\"" + "x".repeat(RecordFramer.MAX_RECORD_BYTES + 500_000)
                + "\"}}]}\n\n";
        String sse = "data: first\n\n" + big + "data: {\"choices\":[],\"usage\":{}}\n\ndata: [DONE]\n\n";
        byte[] body = sse.getBytes(UTF_8);
        int[] cuts = new int[body.length / 16384];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) * 16384 - 7;
        }

        Run observed = observe(true, body, cuts);
        assertThat(trimmed(observed.records)).as("the oversized record is skipped, the rest are read")
                .containsExactly("data: first", "data: {\"choices\":[],\"usage\":{}}", "data: [DONE]");
        observed.assertReleased();
        assertThat(observed.alloc.largestNonComposite()).as("carry-over stays bounded")
                .isLessThanOrEqualTo(2 * RecordFramer.MAX_RECORD_BYTES);

        Run filtered = filter(true, body, cuts, DROP_USAGE_ONLY, null);
        assertThat(filtered.forwarded()).isEqualTo(sse.replace("data: {\"choices\":[],\"usage\":{}}\n\n", ""));
        filtered.assertReleased();
        assertThat(filtered.alloc.largestNonComposite()).isLessThanOrEqualTo(2 * RecordFramer.MAX_RECORD_BYTES);
    }

    @Test
    void anOversizedRecordAtTheEndOfTheBodyIsForwardedWhole() {
        String sse = "data: a\n\ndata: " + "y".repeat(RecordFramer.MAX_RECORD_BYTES + 10);
        byte[] body = sse.getBytes(UTF_8);
        Run run = filter(true, body, new int[] {100, 600_000, 1_000_000, 1_048_000}, KEEP_ALL, null);
        assertThat(run.forwarded()).isEqualTo(sse);
        assertThat(trimmed(run.records)).containsExactly("data: a");
        run.assertReleased();
    }

    @Test
    void midRecordTellsWhetherTheBodySoFarStopsInsideARecord() {
        String sse = "data: a\n\ndata: b\n\n";
        for (int cut = 0; cut <= sse.length(); cut++) {
            TrackingAllocator alloc = new TrackingAllocator();
            RecordFramer framer = RecordFramer.sse(alloc, r -> true);
            ByteBuf chunk = Unpooled.copiedBuffer(sse.substring(0, cut), UTF_8);
            framer.observe(chunk);
            chunk.release();
            boolean atBoundary = cut == 0 || cut == 9 || cut == sse.length();
            assertThat(framer.midRecord()).as("cut at %d", cut).isEqualTo(!atBoundary);
            framer.release();
            assertThat(alloc.unreleased()).isEmpty();
        }

        RecordFramer oversized = RecordFramer.sse(new TrackingAllocator(), r -> true);
        ByteBuf big = Unpooled.copiedBuffer("data: " + "z".repeat(RecordFramer.MAX_RECORD_BYTES + 1), UTF_8);
        oversized.observe(big);
        big.release();
        assertThat(oversized.midRecord()).as("an oversized record in progress, though no longer held").isTrue();
        oversized.release();
    }

    @Test
    void emptyChunksAndAnEmptyBodyAreHarmless() {
        TrackingAllocator alloc = new TrackingAllocator();
        RecordFramer framer = RecordFramer.sse(alloc, r -> {
            throw new AssertionError("no record expected");
        });
        ByteBuf empty = Unpooled.buffer(0);
        ByteBuf out = framer.filter(empty);
        assertThat(out.readableBytes()).isZero();
        out.release();
        framer.observe(empty);
        empty.release();
        ByteBuf tail = framer.finish(true);
        assertThat(tail.readableBytes()).isZero();
        tail.release();
        assertThat(framer.finish(false)).isNull();
        framer.release();
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void releaseMidRecordFreesTheCarryOverAndIsIdempotent() {
        TrackingAllocator alloc = new TrackingAllocator();
        RecordFramer framer = RecordFramer.sse(alloc, r -> true);
        ByteBuf chunk = Unpooled.copiedBuffer("data: a\n\ndata: unfinished", UTF_8);
        ByteBuf out = framer.filter(chunk);
        assertThat(out.toString(UTF_8)).isEqualTo("data: a\n\n");
        out.release();
        chunk.release();
        assertThat(alloc.unreleased()).as("the carry-over of the unfinished record").hasSize(1);

        framer.release();
        framer.release();
        assertThat(alloc.unreleased()).isEmpty();
        assertThat(chunk.refCnt()).isZero();
    }

    @Test
    void aSinkFailureInFilteringModeReleasesWhatWasBuilt() {
        TrackingAllocator alloc = new TrackingAllocator();
        RecordFramer framer = RecordFramer.sse(alloc, r -> {
            if (decode(r).contains("boom")) {
                throw new IllegalStateException("boom");
            }
            return true;
        });
        ByteBuf chunk = Unpooled.copiedBuffer("data: a\n\ndata: boom\n\n", UTF_8);
        try {
            framer.filter(chunk);
        } catch (IllegalStateException expected) {
            // the caller releases the chunk and the framer, as ResponseRelay does
        }
        chunk.release();
        framer.release();
        assertThat(chunk.refCnt()).isZero();
        assertThat(alloc.unreleased()).isEmpty();
    }

    // ---- helpers ----

    private static Run observe(boolean sse, byte[] body, int[] cuts) {
        Run run = new Run(sse, KEEP_ALL);
        run.feedAll(body, cuts, false, null);
        return run;
    }

    private static Run filter(boolean sse, byte[] body, int[] cuts, Predicate<String> keep, String recordEnd) {
        Run run = new Run(sse, keep);
        run.feedAll(body, cuts, true, recordEnd);
        return run;
    }

    private static List<String> trimmed(List<String> records) {
        return records.stream().map(RecordFramerTest::trimLineEnds).toList();
    }

    private static String trimLineEnds(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static int[] randomCuts(Random random, int length, int maxPiece) {
        List<Integer> cuts = new ArrayList<>();
        int at = 0;
        while (true) {
            at += 1 + random.nextInt(maxPiece);
            if (at >= length) {
                break;
            }
            cuts.add(at);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String decode(ByteBuffer buffer) {
        return UTF_8.decode(buffer.duplicate()).toString();
    }

    /** One pass of a body through a framer, chunk by chunk, as ResponseBodyTap drives it. */
    private static final class Run {
        private static final byte[] ALREADY_READ = "ignored".getBytes(UTF_8);

        final TrackingAllocator alloc = new TrackingAllocator();
        final List<String> records = new ArrayList<>();
        final List<ByteBuf> chunks = new ArrayList<>();
        final ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
        final Predicate<String> keep;
        final RecordFramer framer;

        Run(boolean sse, Predicate<String> keep) {
            this.keep = keep;
            this.framer = sse ? RecordFramer.sse(alloc, this::onRecord) : RecordFramer.ndjson(alloc, this::onRecord);
        }

        private boolean onRecord(ByteBuffer record) {
            int position = record.position();
            String text = decode(record);
            assertThat(record.position()).as("the sink's view is untouched by decoding").isEqualTo(position);
            records.add(text);
            return keep.test(text);
        }

        void feedAll(byte[] body, int[] cuts, boolean filtering, String recordEnd) {
            int from = 0;
            for (int cut : cuts) {
                if (cut < from || cut > body.length) {
                    continue;
                }
                feed(body, from, cut, filtering, recordEnd);
                from = cut;
            }
            feed(body, from, body.length, filtering, recordEnd);
            ByteBuf tail = framer.finish(filtering);
            if (filtering) {
                append(tail);
                tail.release();
            } else {
                assertThat(tail).isNull();
            }
            framer.release();
        }

        private void feed(byte[] body, int from, int to, boolean filtering, String recordEnd) {
            // The chunk's readable bytes do not start at index 0, as with a slice of a larger read.
            ByteBuf chunk = Unpooled.buffer(ALREADY_READ.length + to - from);
            chunk.writeBytes(ALREADY_READ).writeBytes(body, from, to - from).skipBytes(ALREADY_READ.length);
            chunks.add(chunk);
            int reader = chunk.readerIndex();
            int writer = chunk.writerIndex();
            if (filtering) {
                ByteBuf out = framer.filter(chunk);
                append(out);
                out.release();
                String soFar = forwarded();
                if (recordEnd != null) {
                    assertThat(soFar.isEmpty() || soFar.endsWith(recordEnd))
                            .as("only whole records are forwarded, got: %s", soFar).isTrue();
                }
            } else {
                framer.observe(chunk);
            }
            assertThat(chunk.readerIndex()).as("the chunk's indexes are not moved").isEqualTo(reader);
            assertThat(chunk.writerIndex()).isEqualTo(writer);
            assertThat(chunk.refCnt()).as("the framer does not keep or release the caller's chunk").isEqualTo(1);
            chunk.release();
        }

        private void append(ByteBuf out) {
            byte[] bytes = new byte[out.readableBytes()];
            out.getBytes(out.readerIndex(), bytes);
            forwarded.writeBytes(bytes);
        }

        String forwarded() {
            return forwarded.toString(UTF_8);
        }

        void assertReleased() {
            assertThat(chunks).allSatisfy(c -> assertThat(c.refCnt()).isZero());
            assertThat(alloc.unreleased()).as("buffers the framer allocated").isEmpty();
        }
    }
}
