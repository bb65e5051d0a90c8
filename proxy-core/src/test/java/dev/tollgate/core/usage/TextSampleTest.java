package dev.tollgate.core.usage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextSampleTest {

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 3, 10, 11, 100, 1_000})
    void keepsTheFirstBytesAndCountsAllWhateverSizeWasExpected(int expected) {
        TextSample sample = new TextSample(10);
        sample.expect(expected);

        sample.append("hello");
        sample.append(" wide ");
        sample.append("world");

        assertThat(sample.text()).isEqualTo("hello wide");
        assertThat(sample.sampledBytes()).isEqualTo(10);
        assertThat(sample.totalBytes()).isEqualTo(16);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void aCharacterCutByTheCapacityIsLeftOut(int capacity) {
        TextSample sample = new TextSample(capacity);

        sample.append("a€😀"); // 1 + 3 + 4 bytes

        String kept = capacity < 4 ? "a" : capacity < 8 ? "a€" : "a€😀";
        assertThat(sample.text()).isEqualTo(kept);
        assertThat(sample.totalBytes()).isEqualTo("a€😀".getBytes(UTF_8).length);
    }

    @Test
    void aLongStringCutByTheParserCountsItsWholeLength() {
        TextSample sample = new TextSample();
        byte[] start = "the first part".getBytes(UTF_8);

        sample.appendUtf8(start, 0, start.length, 1_000_000);

        assertThat(sample.text()).isEqualTo("the first part");
        assertThat(sample.totalBytes()).isEqualTo(1_000_000);
    }

    @Test
    void aZeroCapacityOnlyCounts() {
        TextSample sample = new TextSample(0);

        sample.append("text");

        assertThat(sample.text()).isEmpty();
        assertThat(sample.isEmpty()).isFalse();
        assertThat(sample.totalBytes()).isEqualTo(4);
    }
}
