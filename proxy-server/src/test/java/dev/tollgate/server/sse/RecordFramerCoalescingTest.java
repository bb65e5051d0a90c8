package dev.tollgate.server.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Filtering coalesces adjacent kept records into one slice, whatever the chunking. */
class RecordFramerCoalescingTest {

    private static final String[] EVENTS = {
        "data: {\"n\":1}\n\n",
        ": comment\r\n\r\n",
        "data: {\"n\":2}\ndata: {\"more\":true}\n\n",
        "data: {\"usage\":{}}\n\n",
        "event: x\ndata: {\"n\":3}\n\n",
        "data: [DONE]\n\n",
    };

    /** Whatever the chunking, filtering forwards exactly the kept records, in order, and leaks nothing. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 13, 64, 4096})
    void filterForwardsExactlyTheKeptRecords(int chunkSize) {
        String body = String.join("", EVENTS);
        List<String> seen = new ArrayList<>();
        RecordFramer framer = RecordFramer.sse(ByteBufAllocator.DEFAULT, record -> {
            String text = UTF_8.decode(record).toString();
            seen.add(text);
            return !text.contains("usage");
        });
        StringBuilder forwarded = new StringBuilder();
        List<ByteBuf> chunks = new ArrayList<>();
        byte[] bytes = body.getBytes(UTF_8);
        for (int from = 0; from < bytes.length; from += chunkSize) {
            ByteBuf chunk = Unpooled.copiedBuffer(bytes, from, Math.min(chunkSize, bytes.length - from));
            chunks.add(chunk);
            ByteBuf out = framer.filter(chunk);
            forwarded.append(out.toString(UTF_8));
            out.release();
        }
        ByteBuf tail = framer.finish(true);
        forwarded.append(tail.toString(UTF_8));
        tail.release();
        framer.release();

        assertThat(forwarded.toString()).isEqualTo(body.replace(EVENTS[3], ""));
        assertThat(seen).as("every record, comments included, is shown to the sink once").hasSize(EVENTS.length);
        assertThat(chunks).allSatisfy(c -> assertThat(c.refCnt()).as("filter must not keep the chunk").isEqualTo(1));
        chunks.forEach(ByteBuf::release);
    }

    /** Records kept one after another in a chunk travel as one slice, not one per record. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void adjacentKeptRecordsShareOneSlice(boolean dropOne) {
        ByteBuf chunk = Unpooled.copiedBuffer(String.join("", EVENTS), UTF_8);
        RecordFramer framer = RecordFramer.sse(ByteBufAllocator.DEFAULT,
                (ByteBuffer record) -> !(dropOne && UTF_8.decode(record).toString().contains("usage")));

        CompositeByteBuf out = (CompositeByteBuf) framer.filter(chunk);

        assertThat(out.numComponents()).isEqualTo(dropOne ? 2 : 1);
        out.release();
        framer.finish(true).release();
        framer.release();
        assertThat(chunk.refCnt()).isEqualTo(1);
        chunk.release();
    }
}
