package dev.resnetdsl.runtime.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EnvironmentStartupTest {
    @Test
    void theStackGrowsWithTheCommandLine() {
        assertEquals(8L << 20, EnvironmentStartup.stackSize(0));
        // 2 MB, Linux's usual limit on the command line: about a GiB reserved, touched only as deep as needed
        assertEquals((8L << 20) + 512L * 2_097_152, EnvironmentStartup.stackSize(2_097_152));
        assertTrue(EnvironmentStartup.commandLineBytes() > 0 || !Files.exists(Path.of("/proc/self/cmdline")));
    }
}
