package dev.resnetdsl.grammar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads spec text with its size bounded: a spec is a few hundred bytes, so anything past {@link #MAX_FILE_BYTES}
 * is refused after reading at most that many bytes (a {@code /dev/zero} or a multi-gigabyte file named as a spec
 * costs one mebibyte, not the heap). docs/security.md lists these limits.
 */
public final class SpecSources {
    /** Largest spec file, root or imported: 1 MiB (the whole spec library is under 20 KB). */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** Largest amount of spec text one compilation reads, imports included: 8 MiB. */
    public static final long MAX_TOTAL_BYTES = 8L << 20;
    /** Deepest chain of imports (a imports b imports c …), counting the root file: 64. */
    public static final int MAX_IMPORT_DEPTH = 64;
    /** Models declared in one file: 256. */
    public static final int MAX_MODELS_PER_FILE = 256;
    /**
     * Blocks one compilation analyzes, over all its models and imports: 50,000 (ten models of the largest size one
     * model may have; the whole spec library is under 3,000). Each block costs a few objects and rows.
     */
    public static final int MAX_BLOCKS_PER_COMPILATION = 50_000;
    /** The file name suffix of every file an import may name. */
    public static final String SUFFIX = ".resnet";

    private SpecSources() {}

    /**
     * Reads {@code file} as UTF-8, reading at most {@link #MAX_FILE_BYTES} + 1 bytes.
     *
     * @throws IOException when the file cannot be read, is larger than {@link #MAX_FILE_BYTES} or is not UTF-8
     *     text; the message names the file and never quotes its content
     */
    public static String read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IOException(file + " is larger than " + mebibytes(MAX_FILE_BYTES)
                    + ", the largest spec file read (is it a spec?)");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text (is it a spec?)");
        }
    }

    /** {@code 1 MiB}, {@code 8 MiB}. */
    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }
}
