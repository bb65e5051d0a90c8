package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetector.Level;
import org.junit.jupiter.api.Test;

/** The jar turns Netty's leak detector off unless the JVM was started asking for a level. */
class LeakDetectionDefaultTest {

    private static final String PROPERTY = "io.netty.leakDetection.level";

    @Test
    void aLevelAskedForOnTheCommandLineIsKept() {
        // The build starts every test JVM with -Dio.netty.leakDetection.level=paranoid.
        assertThat(System.getProperty(PROPERTY)).isEqualToIgnoringCase("paranoid");

        Main.leakDetectionOffUnlessAsked();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(Level.PARANOID);
    }

    @Test
    void withoutTheOptionTheDetectorIsOff() {
        String asked = System.getProperty(PROPERTY);
        Level level = ResourceLeakDetector.getLevel();
        System.clearProperty(PROPERTY);
        try {
            Main.leakDetectionOffUnlessAsked();

            assertThat(ResourceLeakDetector.getLevel()).isEqualTo(Level.DISABLED);
        } finally {
            System.setProperty(PROPERTY, asked);
            ResourceLeakDetector.setLevel(level);
        }
    }
}
