package dev.tollgate.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    @Test
    void idsAreUlidsThatCarryTheirMillisecond() {
        long millis = Instant.parse("2026-11-27T10:15:30.123Z").toEpochMilli();
        String id = RequestIds.next(millis);

        assertThat(id).hasSize(26).matches("[0-7][0-9A-HJKMNP-TV-Z]{25}");
        assertThat(RequestIds.isValid(id)).isTrue();
        assertThat(decodeMillis(id)).isEqualTo(millis);
    }

    @Test
    void idsSortByTimeAndAreUnique() {
        Set<String> seen = new HashSet<>();
        List<String> inOrder = new ArrayList<>();
        long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 2000; i++) {
            String id = RequestIds.next(start + i);
            assertThat(seen.add(id)).isTrue();
            inOrder.add(id);
        }
        assertThat(inOrder).isSorted();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(RequestIds.next(start))).as("80 random bits in one millisecond").isTrue();
        }
    }

    @Test
    void theExtremeTimesStillMakeValidIds() {
        assertThat(RequestIds.next(0)).startsWith("0000000000");
        String max = RequestIds.next((1L << 48) - 1);
        assertThat(max).startsWith("7ZZZZZZZZZ");
        assertThat(RequestIds.isValid(max)).isTrue();
    }

    @Test
    void validationAcceptsOnlyTheUlidForm() {
        assertThat(RequestIds.isValid("01JD5Z9X8K3M4N5P6Q7R8S9T0V")).isTrue();
        assertThat(RequestIds.isValid("01jd5z9x8k3m4n5p6q7r8s9t0v")).as("case-insensitive").isTrue();
        assertThat(RequestIds.isValid("81JD5Z9X8K3M4N5P6Q7R8S9T0V")).as("first char above 7 overflows 128 bits").isFalse();
        assertThat(RequestIds.isValid("01JD5Z9X8K3M4N5P6Q7R8S9T0")).as("25 chars").isFalse();
        assertThat(RequestIds.isValid("01JD5Z9X8K3M4N5P6Q7R8S9T0VW")).as("27 chars").isFalse();
        assertThat(RequestIds.isValid("")).isFalse();
        for (char excluded : "ILOU".toCharArray()) {
            assertThat(RequestIds.isValid("01JD5Z9X8K3M4N5P6Q7R8S9T0" + excluded)).as("letter %s", excluded).isFalse();
        }
        assertThat(RequestIds.isValid("01JD5Z9X8K3M4N5P6Q7R8S9T0-")).isFalse();
        assertThat(RequestIds.isValid("01JD5Z9X8K3M4N5P6Q7R8S9T0\n")).as("no header injection").isFalse();
        assertThat(RequestIds.isValid("01JD5Z9X8K3M4N5P6Q7R8S9T0é")).isFalse();
    }

    private static long decodeMillis(String id) {
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = millis * 32 + CROCKFORD.indexOf(id.charAt(i));
        }
        return millis;
    }
}
